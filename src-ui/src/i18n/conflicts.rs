//! The words of the conflicts queue: what record and field, each value with the device
//! that wrote it and when, and the coordinator's choice.

use filrouge_model::Channel;
use filrouge_model::conflicts::ConflictValue;
use filrouge_model::vocab::{AgeBand, Gender, Stage};

use super::{Key, Lang, label, tr, tr_args};

/// The section's title.
pub const TITLE: Key = Key("conflict-title");
/// What the section is for.
pub const INTRO: Key = Key("conflict-intro");
/// The button that lists the conflicts.
pub const SHOW: Key = Key("conflict-show");
/// Keeps one value.
pub const KEEP: Key = Key("conflict-keep");
/// Label of the typed value.
pub const OTHER: Key = Key("conflict-other");
/// Keeps the typed value.
pub const KEEP_TYPED: Key = Key("conflict-keep-typed");
/// Said after a settling.
pub const SETTLED: Key = Key("conflict-settled");
/// Opens the person's thread.
pub const OPEN: Key = Key("conflict-open");
/// An empty value.
pub const EMPTY: Key = Key("conflict-empty");

/// "Aucun conflit." or "2 conflits à régler."
pub fn found(lang: Lang, total: u32) -> String {
    tr_args(
        lang,
        Key("conflict-found"),
        &[("count", u64::from(total).into())],
    )
}

/// The field's name as the forms say it; its path when no form names it.
pub fn field(lang: Lang, path: &str) -> String {
    let key = match path {
        "pseudonym" => Key("conflict-field-pseudonym"),
        "last_name" => Key("conflict-field-last-name"),
        "birth_year" => Key("conflict-field-birth-year"),
        "age_band" => Key("conflict-field-age-band"),
        "gender" => Key("conflict-field-gender"),
        "territory.commune" | "commune" => Key("conflict-field-commune"),
        "referent" => Key("conflict-field-referent"),
        "stage" => Key("conflict-field-stage"),
        "contact.phone" => Key("conflict-field-phone"),
        "contact.handle" => Key("conflict-field-handle"),
        "place" => Key("conflict-field-place"),
        "channel" => Key("conflict-field-channel"),
        "headcount" => Key("conflict-field-headcount"),
        "status" => Key("conflict-field-status"),
        "due" | "relance_due" => Key("conflict-field-due"),
        "date" => Key("conflict-field-date"),
        "name" => Key("conflict-field-name"),
        _ => return path.to_owned(),
    };
    tr(lang, key)
}

/// A value as the forms show it: a vocabulary's label, "oui" or "non", the text.
pub fn value(lang: Lang, path: &str, v: &serde_json::Value) -> String {
    use serde_json::Value as J;
    match v {
        J::Null => tr(lang, EMPTY),
        J::Bool(true) => tr(lang, Key("conflict-yes")),
        J::Bool(false) => tr(lang, Key("conflict-no")),
        J::String(s) => {
            let code = s.as_str();
            let known = match path {
                "stage" => Stage::from_code(code).map(|x| label(x, lang)),
                "channel" => Channel::from_code(code).map(|x| label(x, lang)),
                "gender" => Gender::from_code(code).map(|x| label(x, lang)),
                "age_band" => AgeBand::from_code(code).map(|x| label(x, lang)),
                _ => None,
            };
            known.map_or_else(|| s.clone(), str::to_owned)
        }
        other => other.to_string(),
    }
}

/// Who wrote a value and when: "Sophie (Téléphone 3), le 03/12 à 14:05".
pub fn by(lang: Lang, v: &ConflictValue, when: String) -> String {
    let device = match (&v.device, v.this_device) {
        (_, true) => tr(lang, Key("conflict-this-device")),
        (Some(name), false) => name.clone(),
        (None, false) => tr(lang, Key("conflict-unknown-device")),
    };
    let who = match &v.worker {
        Some(worker) => format!("{worker} ({device})"),
        None => device,
    };
    tr_args(
        lang,
        Key("conflict-by"),
        &[("device", who.into()), ("when", when.into())],
    )
}
