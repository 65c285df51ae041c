//! Sentences built from data: counts, times, the sync status line.
//!
//! Each builder takes the [`Lang`] and hands the data to one Fluent message as
//! variables; the wording, the plurals and the word order live in the `.ftl` files.
//! Counts go in as numbers (Fluent picks the plural, the bundle groups the digits);
//! times and dates go in as text already padded ("09:05", "24", "11"), so that each
//! language only arranges them.

use filrouge_model::ipc::{IpcError, SyncFailure, SyncProgress, SyncStage, SyncStatus};

use super::errors::{error_sentence, sync_failure_sentence};
use super::{Key, Lang, group_digits, tr, tr_args};
use crate::clock::LocalTime;

/// A whole number as `lang` writes it: "1 000" (narrow no-break space) in French,
/// "1,000" in English.
pub fn number(lang: Lang, n: u64) -> String {
    let separator = match lang {
        Lang::Fr => '\u{202f}',
        Lang::En => ',',
    };
    group_digits(n, separator)
}

/// "1 personne", "3 personnes".
pub fn persons(lang: Lang, n: u64) -> String {
    tr_args(lang, Key("persons"), &[("count", n.into())])
}

/// Who was met, as one line of the list: "3 personnes", "Momo", "Momo · 2 personnes".
pub fn people(lang: Lang, headcount: u32, pseudonym: Option<&str>) -> String {
    match (
        pseudonym.map(str::trim).filter(|p| !p.is_empty()),
        headcount,
    ) {
        (Some(name), 0) => name.to_owned(),
        (Some(name), n) => tr_args(
            lang,
            Key("people-named"),
            &[
                ("name", name.into()),
                ("persons", persons(lang, u64::from(n)).into()),
            ],
        ),
        (None, n) => persons(lang, u64::from(n)),
    }
}

/// "3 modifications en attente", or nothing when there are none.
pub fn pending_changes(lang: Lang, n: u64) -> Option<String> {
    (n > 0).then(|| tr_args(lang, Key("pending-changes"), &[("count", n.into())]))
}

/// When something happened, after a verb: "à 14:32" today, "le 24/11 à 14:32" this
/// year, "le 24/11/2025 à 14:32" before.
pub fn moment(lang: Lang, then: LocalTime, today: LocalTime) -> String {
    let time = then.hhmm();
    let day = format!("{:02}", then.day);
    let month = format!("{:02}", then.month);
    if then.same_day(today) {
        tr_args(lang, Key("moment-today"), &[("time", time.into())])
    } else if then.year == today.year {
        tr_args(
            lang,
            Key("moment-this-year"),
            &[
                ("day", day.into()),
                ("month", month.into()),
                ("time", time.into()),
            ],
        )
    } else {
        tr_args(
            lang,
            Key("moment-other-year"),
            &[
                ("day", day.into()),
                ("month", month.into()),
                ("year", then.year.to_string().into()),
                ("time", time.into()),
            ],
        )
    }
}

/// The same moment as a value of its own: "aujourd'hui à 14:32", "le 24/11 à 14:32".
pub fn day_and_time(lang: Lang, then: LocalTime, today: LocalTime) -> String {
    if then.same_day(today) {
        tr_args(
            lang,
            Key("day-and-time-today"),
            &[("time", then.hhmm().into())],
        )
    } else {
        moment(lang, then, today)
    }
}

/// The confirmation after saving a rencontre.
pub fn saved_at(lang: Lang, at: LocalTime) -> String {
    tr_args(lang, Key("saved-at"), &[("time", at.hhmm().into())])
}

/// How many rencontres today's list holds: "1 rencontre", "4 rencontres".
pub fn rencontre_count(lang: Lang, n: usize) -> String {
    tr_args(lang, Key("rencontre-count"), &[("count", n.into())])
}

/// Help under the note as it nears its limit: "Encore 12 caractères.", "3 caractères de trop."
pub fn chars_left(lang: Lang, used: usize, max: usize) -> Option<String> {
    if used > max {
        Some(tr_args(
            lang,
            Key("chars-over"),
            &[("count", (used - max).into())],
        ))
    } else if used * 10 >= max * 9 {
        Some(tr_args(
            lang,
            Key("chars-left"),
            &[("count", (max - used).into())],
        ))
    } else {
        None
    }
}

/// Why today's list could not be read.
pub fn list_unavailable(lang: Lang, error: &IpcError) -> String {
    tr_args(
        lang,
        Key("list-unavailable"),
        &[("reason", error_sentence(lang, error).into())],
    )
}

/// The header's status line: a short summary, and the last failure spelled out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusLine {
    /// "Hors ligne · 3 modifications en attente", "Synchronisé à 14:32"…
    pub summary: String,
    /// Why the last attempt failed, when it did.
    pub detail: Option<String>,
}

/// The progress bar's label during a long catch-up, or while this device sends its
/// records back to a server that lost them.
pub fn sync_progress(lang: Lang, progress: SyncProgress) -> String {
    let SyncProgress { done, total, stage } = progress;
    let key = match stage {
        SyncStage::Receiving => Key("sync-progress"),
        SyncStage::Healing => Key("sync-heal-progress"),
    };
    tr_args(
        lang,
        key,
        &[("done", done.min(total).into()), ("total", total.into())],
    )
}

/// Builds the status line. `last_success` is the local reading of
/// `status.last_success_at`, `today` of now.
pub fn status_line(
    lang: Lang,
    status: &SyncStatus,
    last_success: Option<LocalTime>,
    today: LocalTime,
) -> StatusLine {
    let state = if status.server_url.is_none() {
        tr(lang, Key("not-enrolled"))
    } else if status.running {
        tr(lang, super::key::SYNCING)
    } else if status.last_failure == Some(SyncFailure::Unreachable) {
        tr(lang, Key("offline"))
    } else if status.last_failure.is_some() {
        tr(lang, Key("sync-failed"))
    } else if let Some(at) = last_success {
        tr_args(
            lang,
            Key("synced"),
            &[("moment", moment(lang, at, today).into())],
        )
    } else {
        tr(lang, Key("never-synced"))
    };
    let summary = match pending_changes(lang, status.pending_changes) {
        Some(pending) => tr_args(
            lang,
            Key("status-with-pending"),
            &[("state", state.into()), ("pending", pending.into())],
        ),
        None => state,
    };
    let detail = match (&status.last_failure, status.running, status.progress) {
        (Some(failure), false, _) => Some(sync_failure_sentence(lang, failure)),
        // Sending everything back to a server that lost records takes a while and is
        // rare: it is said in words, not only drawn as a bar.
        (_, true, Some(p)) if p.stage == SyncStage::Healing => Some(sync_progress(lang, p)),
        // Erased because its team revoked it: said again after a restart, until the
        // device is enrolled anew.
        _ if status.wiped_at.is_some() && status.server_url.is_none() => {
            Some(sync_failure_sentence(lang, &SyncFailure::Revoked))
        }
        _ => None,
    };
    StatusLine { summary, detail }
}
