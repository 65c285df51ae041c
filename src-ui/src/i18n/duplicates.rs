//! The words of duplicates: the coordinator's list of persons who may be recorded
//! twice, why they are proposed, and the form's "une personne proche existe déjà".

use filrouge_model::duplicates::{PersonSide, Reason};

use super::people::short_date;
use super::{Key, Lang, label, number, tr, tr_args};

/// The section's title.
pub const TITLE: Key = Key("dup-title");
/// What the section is for.
pub const INTRO: Key = Key("dup-intro");
/// The button that looks for duplicates.
pub const SEARCH: Key = Key("dup-search");
/// While the store is read.
pub const SEARCHING: Key = Key("dup-searching");
/// "Pas la même personne".
pub const NOT_SAME: Key = Key("dup-not-same");
/// Said once a pair is dismissed.
pub const DISMISSED: Key = Key("dup-dismissed");
/// Opens a person's thread.
pub const OPEN: Key = Key("dup-open");
/// Label of the reasons list.
pub const WHY: Key = Key("dup-why");

/// What the scan found: "3 paires possibles parmi 1 200 personnes."
pub fn found(lang: Lang, total: u32, persons: u32) -> String {
    tr_args(
        lang,
        Key("dup-found"),
        &[
            ("total", number(lang, u64::from(total)).into()),
            ("count", u64::from(total).into()),
            ("persons", number(lang, u64::from(persons)).into()),
        ],
    )
}

/// "Ressemblance : 92 / 100".
pub fn score(lang: Lang, score: u8) -> String {
    tr_args(
        lang,
        Key("dup-score"),
        &[("score", u64::from(score).into())],
    )
}

/// One reason, as the coordinator reads it.
pub fn reason(lang: Lang, reason: Reason) -> String {
    match reason {
        Reason::SameName => tr(lang, Key("dup-reason-same-name")),
        Reason::SoundsAlike => tr(lang, Key("dup-reason-sounds-alike")),
        Reason::CloseName { percent } => tr_args(
            lang,
            Key("dup-reason-close-name"),
            &[("percent", u64::from(percent).into())],
        ),
        Reason::Nickname => tr(lang, Key("dup-reason-nickname")),
        Reason::Swapped => tr(lang, Key("dup-reason-swapped")),
        Reason::Initial => tr(lang, Key("dup-reason-initial")),
        Reason::SameBirthYear => tr(lang, Key("dup-reason-same-birth-year")),
        Reason::NearBirthYear => tr(lang, Key("dup-reason-near-birth-year")),
        Reason::SameAgeBand => tr(lang, Key("dup-reason-same-age-band")),
        Reason::SameCommune => tr(lang, Key("dup-reason-same-commune")),
        Reason::SamePhone => tr(lang, Key("dup-reason-same-phone")),
        Reason::SameHandle => tr(lang, Key("dup-reason-same-handle")),
    }
}

/// The reasons in one sentence: "même nom à la prononciation près, même année de
/// naissance, même commune".
pub fn reasons(lang: Lang, reasons: &[Reason]) -> String {
    reasons
        .iter()
        .map(|r| reason(lang, *r))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A person's name as the lists show it.
pub fn name(side: &PersonSide) -> String {
    match &side.last_name {
        Some(last) => format!("{} {last}", side.pseudonym),
        None => side.pseudonym.clone(),
    }
}

/// What is known of a person beside their name: "née ou né en 2005 · Saint-Denis ·
/// 3 rencontres, la dernière le 12/11".
pub fn facts(lang: Lang, side: &PersonSide) -> String {
    let mut parts = Vec::new();
    if let Some(year) = side.birth_year {
        parts.push(tr_args(
            lang,
            Key("dup-born"),
            &[("year", i64::from(year).to_string().into())],
        ));
    } else if let Some(band) = side.age_band {
        parts.push(label(band, lang).to_owned());
    }
    if let Some(commune) = &side.commune {
        parts.push(commune.clone());
    }
    if let Some(stage) = side.stage {
        parts.push(label(stage, lang).to_owned());
    }
    if let Some(referent) = &side.referent {
        parts.push(tr_args(
            lang,
            Key("dup-referent"),
            &[("name", referent.clone().into())],
        ));
    }
    parts.push(tr_args(
        lang,
        Key("dup-rencontres"),
        &[
            ("count", u64::from(side.rencontres).into()),
            (
                "date",
                side.last_seen.map(short_date).unwrap_or_default().into(),
            ),
        ],
    ));
    parts.join(" · ")
}

/// The form's notice: "Une personne proche existe déjà : Mohamed Benali (…) — c'est
/// elle ?"
pub fn similar(lang: Lang, side: &PersonSide) -> String {
    tr_args(
        lang,
        Key("dup-similar"),
        &[
            ("name", name(side).into()),
            ("facts", facts(lang, side).into()),
        ],
    )
}

/// The button that picks the close known person instead.
pub fn choose(lang: Lang, side: &PersonSide) -> String {
    tr_args(
        lang,
        Key("dup-similar-choose"),
        &[("name", name(side).into())],
    )
}

/// Opens the merge choice of a pair.
pub const MERGE: Key = Key("dup-merge");
/// What a merge does.
pub const MERGE_INTRO: Key = Key("dup-merge-intro");
/// Legend of the choice of the record kept.
pub const MERGE_KEEP: Key = Key("dup-merge-keep");
/// Legend of the pseudonym's choice.
pub const MERGE_PSEUDONYM: Key = Key("dup-merge-pseudonym");
/// Legend of the last name's choice.
pub const MERGE_LAST_NAME: Key = Key("dup-merge-last-name");
/// Legend of the birth year's choice.
pub const MERGE_BIRTH_YEAR: Key = Key("dup-merge-birth-year");
/// Legend of the commune's choice.
pub const MERGE_COMMUNE: Key = Key("dup-merge-commune");
/// The button that merges.
pub const MERGE_CONFIRM: Key = Key("dup-merge-confirm");
/// Closes the merge choice.
pub const MERGE_CANCEL: Key = Key("dup-merge-cancel");
/// Undoes a merge.
pub const UNDO_MERGE: Key = Key("dup-undo-merge");
/// Said after an undo.
pub const MERGE_UNDONE: Key = Key("dup-merge-undone");

/// On the survivor's thread: "Cette fiche réunit aussi « Momo » (fusion du 03/12, par
/// Sophie)."
pub fn merged_note(
    lang: Lang,
    pseudonym: &str,
    day: filrouge_model::Day,
    by: Option<&str>,
) -> String {
    let by = by
        .map(|name| {
            tr_args(
                lang,
                Key("dup-merged-by"),
                &[("name", name.to_owned().into())],
            )
        })
        .unwrap_or_default();
    tr_args(
        lang,
        Key("dup-merged-note"),
        &[
            ("name", pseudonym.to_owned().into()),
            ("date", short_date(day).into()),
            ("by", by.into()),
        ],
    )
}
