//! The language of the screen as a Leptos context: [`I18n`], which every component
//! reads inside its `move ||` closures, so that one change redraws every word.
//!
//! The choice is kept in the webview's `localStorage` under [`STORAGE_KEY`] and read at
//! start. With nothing kept (or anything unknown), the screen is French: the app is
//! made for French teams, so it does not follow the device's language (which may well
//! be English on a phone bought abroad, or under test). `<html lang>` follows the
//! choice, so that screen readers and hyphenation use the right language.

use filrouge_model::vocab::Vocab;
use leptos::prelude::*;

use super::{FluentValue, Key, Lang, label, tr, tr_args};

/// Where the chosen language is kept in `localStorage`.
pub const STORAGE_KEY: &str = "filrouge.lang";

/// The screen's language, as a reactive handle: `Copy`, so each component and closure
/// takes its own. Every reading method subscribes the calling closure to changes.
#[derive(Debug, Clone, Copy)]
pub struct I18n {
    lang: RwSignal<Lang>,
}

impl I18n {
    /// Reads the kept language, applies it to `<html lang>` and provides the handle to
    /// every component below the caller (the app calls it once, at the top).
    pub fn provide() -> I18n {
        let lang = stored_lang().unwrap_or_default();
        set_document_lang(lang);
        let i18n = I18n {
            lang: RwSignal::new(lang),
        };
        provide_context(i18n);
        i18n
    }

    /// The current language (tracked).
    pub fn lang(self) -> Lang {
        self.lang.get()
    }

    /// The current language, for event handlers that must not subscribe.
    pub fn lang_untracked(self) -> Lang {
        self.lang.get_untracked()
    }

    /// Switches the whole screen to `lang` and keeps the choice for the next start.
    pub fn set_lang(self, lang: Lang) {
        if self.lang.get_untracked() == lang {
            return;
        }
        self.lang.set(lang);
        set_document_lang(lang);
        store_lang(lang);
    }

    /// The message `key` in the current language (tracked).
    pub fn t(self, key: Key) -> String {
        tr(self.lang(), key)
    }

    /// The message `key` with its variables, in the current language (tracked); see
    /// [`tr_args`].
    pub fn t_args(self, key: Key, args: &[(&str, FluentValue<'_>)]) -> String {
        tr_args(self.lang(), key, args)
    }

    /// The label of a vocabulary value in the current language (tracked).
    pub fn label<V: Vocab>(self, value: V) -> &'static str {
        label(value, self.lang())
    }
}

/// The handle [`I18n::provide`] gave to the app.
pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

/// The language kept by an earlier choice, if any and known.
fn stored_lang() -> Option<Lang> {
    let storage = web_sys::window()?.local_storage().ok()??;
    let code = storage.get_item(STORAGE_KEY).ok()??;
    Lang::from_code(&code)
}

/// Keeps `lang` for the next start. A webview without storage only forgets it.
fn store_lang(lang: Lang) {
    let storage = web_sys::window().and_then(|w| w.local_storage().ok().flatten());
    if let Some(storage) = storage
        && storage.set_item(STORAGE_KEY, lang.code()).is_err()
    {
        web_sys::console::warn_1(&"Fil rouge: the language choice could not be kept".into());
    }
}

/// Sets `<html lang>`.
fn set_document_lang(lang: Lang) {
    if let Some(html) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = html.set_attribute("lang", lang.code());
    }
}
