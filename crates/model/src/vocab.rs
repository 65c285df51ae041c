//! The fixed vocabularies of the outreach work: public categories, *freins*, stages…
//!
//! Structured choices instead of free text collect less and count better (funders'
//! indicators are sums over these codes). Each vocabulary is an enum whose values have a
//! stable snake_case **code**, stored in documents, projections and exports, and sent over
//! the wire by serde. A code is never renamed nor reused: an old document must read the
//! same forever. A label may change; a new value may be added at the end.
//!
//! Every enum is declared with the crate's `vocabulary!` macro, which writes the enum, its `ALL`, `code`,
//! `from_code`, `label_fr` and `label_en`, the [`Vocab`] impl, and serde impls that use the
//! codes. It generates nothing else: no registration, no hidden calls.

use std::fmt;

use serde::{Deserializer, de};

/// What every vocabulary offers, for code that handles any of them (chips, exports, tests).
pub trait Vocab: Copy + Ord + fmt::Debug + 'static {
    /// The vocabulary's name, for error messages.
    const NAME: &'static str;
    /// Every value, in the order the UI shows them.
    fn all() -> &'static [Self];
    /// Every code, in the same order as [`Vocab::all`].
    fn codes() -> &'static [&'static str];
    /// The stable code.
    fn code(self) -> &'static str;
    /// The value with this code, if any.
    fn from_code(code: &str) -> Option<Self>;
    /// The French label.
    fn label_fr(self) -> &'static str;
    /// The English label.
    fn label_en(self) -> &'static str;
}

/// Deserializes a vocabulary value from its code; an unknown code is an error naming the
/// accepted ones.
pub(crate) fn deserialize_code<'de, V: Vocab, D: Deserializer<'de>>(d: D) -> Result<V, D::Error> {
    struct CodeVisitor<V>(std::marker::PhantomData<V>);
    impl<V: Vocab> de::Visitor<'_> for CodeVisitor<V> {
        type Value = V;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "a {} code", V::NAME)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<V, E> {
            V::from_code(v).ok_or_else(|| E::unknown_variant(v, V::codes()))
        }
    }
    d.deserialize_str(CodeVisitor(std::marker::PhantomData))
}

/// Declares a vocabulary enum.
///
/// ```text
/// vocabulary! {
///     /// Doc of the enum.
///     pub enum Gender {
///         /// Doc of the value.
///         Femme = "femme", "Femme", "Woman";
///     }
/// }
/// ```
///
/// Each value is `Variant = "code", "label fr", "label en";`. The enum derives `Debug`,
/// `Clone`, `Copy`, `PartialEq`, `Eq`, `Hash`, `PartialOrd` and `Ord` (declaration order,
/// so a `BTreeSet` lists values as the UI does), and gets:
/// - `ALL`, an array of every value in declaration order;
/// - `code()`, `from_code()`, `label_fr()`, `label_en()`;
/// - an impl of [`Vocab`];
/// - `Serialize` / `Deserialize` as the code string.
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident = $code:literal, $fr:literal, $en:literal;
            )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every value, in the order the UI shows them.
            pub const ALL: [$name; [$($code),+].len()] = [$($name::$variant),+];

            /// The stable code stored in documents, projections and exports; never renamed.
            pub const fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code,)+
                }
            }

            /// The value with this stable code, if any.
            pub fn from_code(code: &str) -> Option<$name> {
                match code {
                    $($code => Some($name::$variant),)+
                    _ => None,
                }
            }

            /// The French label, as the UI shows it.
            pub const fn label_fr(self) -> &'static str {
                match self {
                    $($name::$variant => $fr,)+
                }
            }

            /// The English label.
            pub const fn label_en(self) -> &'static str {
                match self {
                    $($name::$variant => $en,)+
                }
            }
        }

        impl $crate::vocab::Vocab for $name {
            const NAME: &'static str = stringify!($name);
            fn all() -> &'static [Self] {
                &$name::ALL
            }
            fn codes() -> &'static [&'static str] {
                &[$($code),+]
            }
            fn code(self) -> &'static str {
                $name::code(self)
            }
            fn from_code(code: &str) -> Option<Self> {
                $name::from_code(code)
            }
            fn label_fr(self) -> &'static str {
                $name::label_fr(self)
            }
            fn label_en(self) -> &'static str {
                $name::label_en(self)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $crate::vocab::deserialize_code(d)
            }
        }
    };
}
pub(crate) use vocabulary;

mod path;
mod person;

pub use path::{Action, EventKind, ExitKind, OrientationStatus, PartnerKind, RelanceStatus, Stage};
pub use person::{
    AgeBand, ConsentMethod, ConsentScope, Frein, Gender, Interest, PublicCategory, Skill,
};

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Checks the promises of a vocabulary: codes unique, snake_case, round-tripping
    /// through `from_code` and serde; labels present.
    pub(crate) fn check<V: Vocab + serde::Serialize + serde::de::DeserializeOwned>() {
        let all = V::all();
        assert!(!all.is_empty());
        assert_eq!(all.len(), V::codes().len());
        for (i, &v) in all.iter().enumerate() {
            let code = v.code();
            assert_eq!(V::codes()[i], code);
            assert!(
                code.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                "{} code {code:?} is not snake_case",
                V::NAME
            );
            assert_eq!(V::from_code(code), Some(v));
            let json = serde_json::to_value(v).unwrap();
            assert_eq!(json, code);
            assert_eq!(serde_json::from_value::<V>(json).unwrap(), v);
            assert!(!v.label_fr().is_empty() && !v.label_en().is_empty());
            for &w in &all[i + 1..] {
                assert_ne!(code, w.code(), "{} code {code:?} twice", V::NAME);
                assert_ne!(v.label_fr(), w.label_fr(), "{} label twice", V::NAME);
                assert!(v < w, "ALL follows declaration order");
            }
        }
        assert_eq!(V::from_code("nope"), None);
        let err = serde_json::from_str::<V>("\"nope\"")
            .unwrap_err()
            .to_string();
        assert!(err.contains(V::codes()[0]), "{err}");
    }

    #[test]
    fn every_vocabulary_keeps_its_promises() {
        check::<PublicCategory>();
        check::<Frein>();
        check::<Interest>();
        check::<Skill>();
        check::<AgeBand>();
        check::<Gender>();
        check::<Stage>();
        check::<OrientationStatus>();
        check::<PartnerKind>();
        check::<EventKind>();
        check::<Action>();
        check::<ConsentScope>();
        check::<ConsentMethod>();
        check::<RelanceStatus>();
    }

    #[test]
    fn codes_are_pinned() {
        // Codes live in stored documents: this test fails if one is renamed.
        assert_eq!(
            PublicCategory::Illettrisme.code(),
            "illettrisme_illectronisme"
        );
        assert_eq!(AgeBand::From16To17.code(), "16_17");
        assert_eq!(Stage::PerduDeVue.code(), "perdu_de_vue");
        assert_eq!(ConsentScope::Contact.code(), "contact");
        assert_eq!(RelanceStatus::AFaire.code(), "a_faire");
        assert_eq!(Skill::EspritDEquipe.label_fr(), "Esprit d'équipe");
        assert_eq!(Stage::ALL.len(), 10);
    }

    #[test]
    fn minors_are_the_two_youngest_bands() {
        let minors: Vec<_> = AgeBand::ALL.into_iter().filter(|b| b.is_minor()).collect();
        assert_eq!(minors, [AgeBand::Under16, AgeBand::From16To17]);
    }
}
