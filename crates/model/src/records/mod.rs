//! Every record kind of the outreach work besides the rencontre: what a user fills in
//! for each, and the rules it must follow.
//!
//! Each kind has a `…Draft`, built by the UI (or an importer) and checked by its
//! `validate(self, now_ms)`, which trims texts, turns empty optional texts into `None`,
//! and returns the first broken rule as a [`ValidationError`](crate::ValidationError)
//! naming the [`Field`](crate::Field). The core writes a valid draft into the record's
//! Automerge document, whose `kind` is the [`RecordKind`] code.
//!
//! Records point to each other by id (a UUIDv7 as text): an [`Etape`](etape::EtapeDraft)
//! to its person, an [`Inscription`](registration::RegistrationDraft) to its event. Whether
//! the target exists is the store's business, not this crate's: offline devices receive
//! records in any order.
//!
//! Personal text (names, notes, contact means) never appears in a `Debug` output, and
//! neither do sensitive tags (*freins* such as health or justice): logs carry ids and
//! counts only.

use crate::vocab::vocabulary;

pub mod etape;
pub mod event;
pub mod merge;
pub mod not_duplicate;
pub mod notice;
pub mod orientation;
pub mod partner;
pub mod person;
pub mod registration;
pub mod relance;

pub use etape::EtapeDraft;
pub use event::EventDraft;
pub use merge::{MergeDraft, MergedFields};
pub use not_duplicate::NotDuplicateDraft;
pub use notice::NoticeDraft;
pub use orientation::OrientationDraft;
pub use partner::PartnerDraft;
pub use person::{Consent, Contact, NOTICE_VERSION, PersonDraft, RetentionHold, Territory};
pub use registration::RegistrationDraft;
pub use relance::RelanceDraft;

vocabulary! {
    /// The kind of a record. Its code is the `kind` of the record's document and of every
    /// change the sync layer sends: never renamed.
    pub enum RecordKind {
        /// A field contact.
        Rencontre = "rencontre", "Rencontre", "Encounter";
        /// A person the team knows.
        Personne = "personne", "Personne", "Person";
        /// A stage change of a person's path.
        Etape = "etape", "Étape de parcours", "Path stage";
        /// An orientation to a partner.
        Orientation = "orientation", "Orientation", "Referral";
        /// A follow-up task.
        Relance = "relance", "Relance", "Follow-up";
        /// An event.
        Evenement = "evenement", "Événement", "Event";
        /// A registration at an event.
        Inscription = "inscription", "Inscription", "Registration";
        /// A partner of the team's directory.
        Partenaire = "partenaire", "Partenaire", "Partner";
        /// Two persons a coordinator said are not one person.
        NonDoublon = "non_doublon", "Pas la même personne", "Not the same person";
        /// Two persons a coordinator merged into one.
        Fusion = "fusion", "Fusion de deux personnes", "Merge of two persons";
        /// The team's information notice.
        Notice = "notice", "Notice d'information", "Information notice";
    }
}

/// Test helpers shared by the record kinds' tests.
#[cfg(test)]
pub(crate) mod testing {
    /// 2026-11-24 12:00 UTC.
    pub const NOW: i64 = 1_795_478_400_000 + 12 * 3_600_000;
    /// A well-formed id.
    pub const ID: &str = "0193a2b4-7c1d-7e2f-8a3b-4c5d6e7f8091";
    /// Another well-formed id.
    pub const ID2: &str = "0193a2b4-7c1d-7e2f-8a3b-4c5d6e7f8092";

    /// A record id from its text (spaces and upper case allowed, as `RecordId::parse`).
    pub fn id(s: &str) -> crate::RecordId {
        crate::RecordId::parse(s).unwrap()
    }

    /// Asserts that `valid`'s JSON with `field` set to `bad` is refused when read: a link
    /// that is not a record id never becomes a draft.
    #[track_caller]
    pub fn refuses_id<T>(valid: &T, field: &str, bad: serde_json::Value)
    where
        T: serde::Serialize + serde::de::DeserializeOwned + std::fmt::Debug,
    {
        let mut json = serde_json::to_value(valid).unwrap();
        json[field] = bad;
        let read = serde_json::from_value::<T>(json);
        assert!(read.is_err(), "{field}: {read:?}");
    }

    /// A day from its text.
    pub fn day(s: &str) -> crate::Day {
        crate::Day::parse(s).unwrap()
    }

    /// Asserts that `result` failed on `field` with `problem`.
    #[track_caller]
    pub fn fails<T: std::fmt::Debug>(
        result: Result<T, crate::ValidationError>,
        field: crate::Field,
        problem: crate::Problem,
    ) {
        let err = result.unwrap_err();
        assert_eq!((err.field, err.problem), (field, problem));
    }

    /// Asserts that a JSON round trip gives the value back.
    #[track_caller]
    pub fn round_trips<T>(value: &T)
    where
        T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
    {
        let json = serde_json::to_string(value).unwrap();
        assert_eq!(&serde_json::from_str::<T>(&json).unwrap(), value, "{json}");
    }

    /// Asserts that `shown` contains none of `secrets`.
    #[track_caller]
    pub fn hides(shown: &str, secrets: &[&str]) {
        for s in secrets {
            assert!(!shown.contains(s), "{s:?} in {shown}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_kind_codes_are_pinned() {
        crate::vocab::tests::check::<RecordKind>();
        let codes: Vec<&str> = RecordKind::ALL.iter().map(|k| k.code()).collect();
        assert_eq!(
            codes,
            [
                "rencontre",
                "personne",
                "etape",
                "orientation",
                "relance",
                "evenement",
                "inscription",
                "partenaire",
                "non_doublon",
                "fusion",
                "notice"
            ]
        );
    }
}
