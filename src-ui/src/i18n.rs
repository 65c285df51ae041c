//! Every word the screen shows, in French (the app's first language) and English,
//! from the Fluent files `assets/locales/fr.ftl` and `assets/locales/en.ftl`.
//!
//! The files are compiled into the wasm (`include_str!`), so the app needs no network
//! and no file access to speak. Components never hold a sentence: they ask the
//! [`I18n`] handle that [`crate::app::App`] provides as a Leptos context, inside a
//! `move ||` closure, so that choosing another language in the settings redraws every
//! visible word at once:
//!
//! ```text
//! let i18n = i18n::use_i18n();
//! view! { <h2>{move || i18n.t(key::NEW_RENCONTRE)}</h2> }
//! view! { <p>{move || error.get().map(|e| i18n::error_sentence(i18n.lang(), &e))}</p> }
//! ```
//!
//! - Fixed labels are ids in [`key`] (`key::SAVE`), read with [`I18n::t`].
//! - Anything built from data (a count, a time, the status line, a validation or IPC
//!   error) has a builder here that takes the [`Lang`] and passes the data to a Fluent
//!   message as variables; the builders are plain functions, tested on the host.
//!   Error sentences name the field and the rule, never the rejected value, and tell the
//!   user what to do next.
//! - The labels of vocabularies (channels, *freins*, actions, age bands…) are not in
//!   the `.ftl` files: the model already has `label_fr()` and `label_en()` for each, and
//!   [`label`] picks the one for the language.
//! - The names of the languages themselves ("Français", "English") are not translated
//!   either ([`Lang::endonym`]): people look for their language's own name.
//!
//! **Adding a message**: write it in `fr.ftl` and `en.ftl` (same id, same attributes,
//! same variables in the text), then add a [`key`] constant (or an id in the builder
//! that uses it). `cargo test -p filrouge-ui` checks that both files parse, hold the
//! same ids and attributes with the same variables, that every id written in this
//! module tree exists, and that every message formats without error in both languages.
//! At run time nothing panics: see [`bundle`] for the fallbacks.

mod bundle;
pub mod conflicts;
mod context;
pub mod coordination;
pub mod duplicates;
mod errors;
pub mod events;
pub mod key;
pub mod lock;
pub mod partners;
pub mod people;
mod sentences;
pub mod team;

use filrouge_model::vocab::Vocab;

// What the components use; the other builders (`validation_sentence`, `moment`…) are
// in `errors` and `sentences`, to re-export here when a screen needs them.
pub use bundle::{group_digits, tr, tr_args};
pub use context::{I18n, use_i18n};
pub use errors::{SERVER_URL_EXAMPLE, error_sentence, validation_sentence};
pub use fluent_bundle::FluentValue;
pub use sentences::{
    StatusLine, chars_left, day_and_time, list_unavailable, moment, number, people,
    rencontre_count, saved_at, status_line, sync_progress,
};
pub use team::{invite_valid_until, role_label};

/// A language of the screen. French is the default, whatever the device's language:
/// the app is made for French teams.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// French, the reference language.
    #[default]
    Fr,
    /// English.
    En,
}

impl Lang {
    /// Every language, in the order the settings offer them.
    pub const ALL: [Lang; 2] = [Lang::Fr, Lang::En];

    /// The BCP 47 code: `<html lang>` and what `localStorage` keeps.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    /// The language with this code, if the app has it.
    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|lang| lang.code() == code)
    }

    /// The language's name in itself, the same whatever language the screen is in.
    pub fn endonym(self) -> &'static str {
        match self {
            Lang::Fr => "Français",
            Lang::En => "English",
        }
    }
}

/// The id of a Fluent message. Only [`crate::i18n`] makes them (the field is
/// private), so a test that reads this module tree finds every id the app can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key(&'static str);

/// Something the screen says after an action: a fixed message or an error. It is kept
/// as such, not as text, so that it is said again in the other language after a switch.
#[derive(Debug, Clone, PartialEq)]
pub enum Said {
    /// A fixed message ("Étape enregistrée.").
    Message(Key),
    /// Why something failed.
    Error(filrouge_model::ipc::IpcError),
}

impl Said {
    /// The sentence in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Said::Message(key) => tr(lang, *key),
            Said::Error(e) => error_sentence(lang, e),
        }
    }
}

/// The label of any vocabulary value (a channel, a *frein*…) in `lang`, from the model.
pub fn label<V: Vocab>(value: V, lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => value.label_fr(),
        Lang::En => value.label_en(),
    }
}

#[cfg(test)]
mod ftl_tests;
#[cfg(test)]
mod tests;
