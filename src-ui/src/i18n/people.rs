//! The words of the persons' screens: tabs, person search and picker, a person's
//! thread, relances.

use filrouge_model::views::{TimelineEntry, TimelineWhat};
use filrouge_model::vocab::Stage;
use filrouge_model::{Consent, Day};
use fluent_bundle::FluentValue;

use super::{Key, Lang, label, tr, tr_args};

/// Accessible name of the tab bar.
pub const NAVIGATION: Key = Key("people-navigation");
/// The persons tab.
pub const PERSONS: Key = Key("people-persons");
/// The relances tab and screen title.
pub const RELANCES: Key = Key("people-relances");

/// Label of the person picker in the rencontre form.
pub const ADD_PERSON: Key = Key("people-add-person");
/// Help under the picker.
pub const ADD_PERSON_HINT: Key = Key("people-add-person-hint");
/// Accessible name of the list of persons already added.
pub const ADDED_PERSONS: Key = Key("people-added-persons");
/// Label of the search on the persons screen.
pub const SEARCH_PERSONS: Key = Key("people-search-persons");
/// The persons screen before anything is typed.
pub const SEARCH_EMPTY: Key = Key("people-search-empty");
/// No person matches.
pub const NO_MATCH: Key = Key("people-no-match");

/// The button that creates a person from what was typed.
pub fn create_person(lang: Lang, pseudonym: &str) -> String {
    tr_args(
        lang,
        Key("people-create-person"),
        &[("name", pseudonym.trim().to_owned().into())],
    )
}

/// Accessible name of the button that takes a person out of the rencontre.
pub fn remove_person(lang: Lang, pseudonym: &str) -> String {
    tr_args(
        lang,
        Key("people-remove-person"),
        &[("name", pseudonym.to_owned().into())],
    )
}

/// The fold with needs, actions and next step in the rencontre form.
pub const MORE_DETAILS: Key = Key("people-more-details");
/// Label of the time input.
pub const TIME: Key = Key("people-time");
/// Legend of the age split.
pub const SPLIT_AGE: Key = Key("people-split-age");
/// Legend of the gender split.
pub const SPLIT_GENDER: Key = Key("people-split-gender");
/// Legend of the needs chips.
pub const NEEDS: Key = Key("people-needs");
/// Legend of the actions chips.
pub const ACTIONS: Key = Key("people-actions");
/// Label of the next step.
pub const NEXT_STEP: Key = Key("people-next-step");
/// Label of the relance date.
pub const RELANCE_DUE: Key = Key("people-follow-up");

/// Title of the caseload.
pub const MY_CASELOAD: Key = Key("people-my-follow-ups");
/// The caseload before the worker gave their name.
pub const SAY_WHO_YOU_ARE: Key = Key("people-say-who-you-are");
/// An empty caseload.
pub const NO_FOLLOW_UPS: Key = Key("people-no-follow-ups");

/// When a person was last met, in days: "Vu·e aujourd'hui", "Vu·e il y a 12 jours".
pub fn last_seen(lang: Lang, days: Option<i64>) -> String {
    match days {
        None => tr(lang, Key("people-never-seen")),
        Some(n) => tr_args(lang, Key("people-seen-days"), &[("days", n.into())]),
    }
}

/// Back from a person's screen.
pub const BACK: Key = Key("people-back");
/// A person's screen while it loads.
pub const PERSON_LOADING: Key = Key("people-person-loading");
/// Title of the current stage.
pub const STAGE: Key = Key("people-stage");
/// A person with no stage yet.
pub const NO_STAGE: Key = Key("people-no-stage");
/// Title of the référent line.
pub const REFERENT: Key = Key("people-referent");
/// Nobody is the person's référent.
pub const NO_REFERENT: Key = Key("people-no-referent");
/// Saves the référent.
pub const SAVE_REFERENT: Key = Key("people-save-referent");
/// Confirmation.
pub const REFERENT_SAVED: Key = Key("people-referent-saved");
/// Title of the needs line of a person.
pub const FREINS: Key = Key("people-freins");
/// Title of the consent line.
pub const CONSENT: Key = Key("people-consent");
/// No consent recorded.
pub const NO_CONSENT: Key = Key("people-no-consent");

/// Consent recorded on a day.
pub fn consent_given(lang: Lang, day: Day) -> String {
    tr_args(
        lang,
        Key("people-consent-given"),
        &[("date", short_date(day).into())],
    )
}

/// Title of the stage change form.
pub const CHANGE_STAGE: Key = Key("people-change-stage");
/// Label of the stage select.
pub const NEW_STAGE: Key = Key("people-new-stage");
/// Label of the exit kind select, for a sortie.
pub const EXIT_KIND: Key = Key("people-exit-kind");
/// A date input left incomplete.
pub const BAD_DATE: Key = Key("people-bad-date");
/// Label of a date input.
pub const DATE: Key = Key("people-date");
/// The stage change button.
pub const SAVE_STAGE: Key = Key("people-save-stage");
/// Title of the relance form on a person's screen.
pub const PLAN_RELANCE: Key = Key("people-plan-relance");
/// Label of the relance reason.
pub const RELANCE_REASON: Key = Key("people-relance-reason");
/// The relance button.
pub const SAVE_RELANCE: Key = Key("people-save-relance");
/// Title of the timeline.
pub const TIMELINE: Key = Key("people-timeline");
/// An empty timeline.
pub const TIMELINE_EMPTY: Key = Key("people-timeline-empty");
/// Confirmation of a stage change.
pub const STAGE_SAVED: Key = Key("people-stage-saved");
/// Confirmation of a planned relance.
pub const RELANCE_SAVED: Key = Key("people-relance-saved");

/// Title of today's relances on the main screen.
pub const RELANCES_TODAY: Key = Key("people-relances-today");
/// The relances screen when nothing is due.
pub const RELANCES_EMPTY: Key = Key("people-relances-empty");
/// A relance done.
pub const DONE: Key = Key("people-done");
/// A relance postponed by a week.
pub const POSTPONE: Key = Key("people-postpone");
/// A relance about nobody in particular.
pub const GROUP: Key = Key("people-group");
/// Label of the "who I am" input in the settings.
pub const WORKER_NAME: Key = Key("people-worker-name");
/// Help under it.
pub const WORKER_NAME_HINT: Key = Key("people-worker-name-hint");
/// The button that saves it.
pub const SAVE_WORKER_NAME: Key = Key("people-save-worker-name");
/// Confirmation.
pub const WORKER_NAME_SAVED: Key = Key("people-worker-name-saved");

/// How many relances are due, for screen readers on the tab (nothing when none).
pub fn relances_due(lang: Lang, n: usize) -> String {
    if n == 0 {
        return String::new();
    }
    tr_args(lang, Key("people-relances-due"), &[("count", n.into())])
}

/// When a relance is due, said from today: "Aujourd'hui", "En retard depuis le 12/11".
pub fn due(lang: Lang, due: Day, today: Day) -> String {
    let date = || -> [(&str, FluentValue<'static>); 1] { [("date", short_date(due).into())] };
    if due == today {
        tr(lang, Key("people-due-today"))
    } else if due < today {
        tr_args(lang, Key("people-due-late"), &date())
    } else {
        tr_args(lang, Key("people-due-on"), &date())
    }
}

/// A day as a list writes it, in both languages: "12/11/2026".
pub fn short_date(day: Day) -> String {
    let (y, m, d) = day.ymd();
    format!("{d:02}/{m:02}/{y}")
}

/// A stage's name.
pub fn stage_label(lang: Lang, stage: Stage) -> &'static str {
    label(stage, lang)
}

/// What a timeline line says: the kind of record and what happened, from their codes.
pub fn timeline_line(lang: Lang, entry: &TimelineEntry) -> String {
    let what = match entry.what {
        TimelineWhat::Rencontre(channel) => label(channel, lang),
        TimelineWhat::Etape(stage) => label(stage, lang),
        TimelineWhat::Orientation(status) => label(status, lang),
        TimelineWhat::Relance(status) => label(status, lang),
    };
    tr_args(
        lang,
        Key("people-timeline-line"),
        &[
            ("kind", entry.what.kind().code().into()),
            ("what", what.into()),
        ],
    )
}

// The "Ce qu'on sait" fold of a person's screen.
/// What is known about the person: the fold's title.
pub const KNOWN: Key = Key("people-known");
/// Label of the last name.
pub const LAST_NAME: Key = Key("people-last-name");
/// Label of the birth year.
pub const BIRTH_YEAR: Key = Key("people-birth-year");
/// Label of the rough age.
pub const AGE_BAND: Key = Key("people-age-band");
/// The empty choice of a select.
pub const UNKNOWN: Key = Key("people-unknown");
/// Label of the gender.
pub const GENDER: Key = Key("people-gender");
/// Label of the commune.
pub const COMMUNE: Key = Key("people-commune");
/// The QPV flag.
pub const QPV: Key = Key("people-qpv");
/// The ZRR flag.
pub const ZRR: Key = Key("people-zrr");
/// The overseas flag.
pub const OUTRE_MER: Key = Key("people-outre-mer");
/// Legend of the public categories.
pub const CATEGORIES: Key = Key("people-categories");
/// Legend of what the person likes.
pub const INTERESTS: Key = Key("people-interests");
/// Legend of the skills revealed.
pub const SKILLS: Key = Key("people-skills");
/// Legend of the contact fields.
pub const CONTACT: Key = Key("people-contact");
/// Label of the phone.
pub const PHONE: Key = Key("people-phone");
/// Label of the social handle.
pub const HANDLE: Key = Key("people-handle");
/// Why the contact fields are hidden.
pub const CONTACT_NEEDS_CONSENT: Key = Key("people-contact-needs-consent");
/// The fold's save button.
pub const SAVE_KNOWN: Key = Key("people-save-known");
/// After saving the fold.
pub const KNOWN_SAVED: Key = Key("people-known-saved");
/// Label of the commune in the facts.
pub const COMMUNE_SHOWN: Key = Key("people-commune-shown");

/// The erasure's confirmation: "Effacer définitivement « Lina » ?"
pub fn erase_question(lang: Lang, name: &str) -> String {
    tr_args(
        lang,
        Key("erase-question"),
        &[("name", name.to_owned().into())],
    )
}

/// The button that opens the erasure's confirmation.
pub const ERASE_BUTTON: Key = Key("erase-button");
/// What the erasure does.
pub const ERASE_WHAT: Key = Key("erase-what");
/// Legend of the reasons.
pub const ERASE_WHY: Key = Key("erase-why");
/// Said when no reason was chosen.
pub const ERASE_REASON_NEEDED: Key = Key("erase-reason-needed");
/// The button that erases.
pub const ERASE_CONFIRM: Key = Key("erase-confirm");
/// Closes the confirmation.
pub const ERASE_CANCEL: Key = Key("erase-cancel");

/// The button that shows the consent's receipt.
pub const RECEIPT_SHOW: Key = Key("receipt-show");
/// The receipt's print button.
pub const RECEIPT_PRINT: Key = Key("receipt-print");
/// The receipt's text-message link.
pub const RECEIPT_SMS: Key = Key("receipt-sms");
/// The button that withdraws the consent.
pub const CONSENT_WITHDRAW: Key = Key("consent-withdraw");
/// After withdrawing it.
pub const CONSENT_WITHDRAWN: Key = Key("consent-withdrawn");

/// The consent's receipt, a line a paragraph (the first is its title), in `lang`:
/// what was agreed, why and for how long, who holds the data and how to reach the
/// person who answers for it (the team's notice, with its own words in `lang`), when,
/// by whom and how, under which notice version, and how to withdraw.
pub fn consent_receipt(
    lang: Lang,
    name: &str,
    consent: &Consent,
    notice: Option<&filrouge_model::NoticeDraft>,
) -> Vec<String> {
    let date = short_date(consent.date);
    let mut lines = vec![
        tr(lang, Key("receipt-title")),
        tr_args(
            lang,
            Key("receipt-agreed"),
            &[("name", name.to_owned().into()), ("date", date.into())],
        ),
    ];
    for scope in &consent.scopes {
        lines.push(format!("• {}", label(*scope, lang)));
    }
    lines.push(tr(lang, Key("receipt-purpose")));
    if let Some(n) = notice {
        lines.push(tr_args(
            lang,
            Key("receipt-holder"),
            &[("holder", n.holder.clone().into())],
        ));
        lines.push(tr_args(
            lang,
            Key("receipt-rights"),
            &[("contact", n.dpo_contact.clone().into())],
        ));
        let own = match lang {
            Lang::Fr => n.words_fr.as_ref(),
            Lang::En => n.words_en.as_ref().or(n.words_fr.as_ref()),
        };
        lines.extend(own.cloned());
    }
    let by = consent
        .by
        .clone()
        .unwrap_or_else(|| tr(lang, Key("receipt-by-team")));
    lines.push(tr_args(
        lang,
        Key("receipt-by"),
        &[
            ("by", by.into()),
            ("method", label(consent.method, lang).to_lowercase().into()),
            (
                "notice",
                consent
                    .notice
                    .clone()
                    .unwrap_or_else(|| filrouge_model::NOTICE_VERSION.to_owned())
                    .into(),
            ),
        ],
    ));
    lines.push(tr(lang, Key("receipt-withdraw")));
    lines
}

/// Title of the access log's fold on a thread.
pub const ACCESS_TITLE: Key = Key("access-title");
/// What it lists.
pub const ACCESS_HINT: Key = Key("access-hint");
/// A worker who gave no name on their device.
pub const ACCESS_UNNAMED: Key = Key("access-unnamed");

/// Title of the retention part of a thread.
pub const HOLD_TITLE: Key = Key("hold-title");
/// The rule, in a sentence.
pub const HOLD_RULE: Key = Key("hold-rule");
/// The button that opens the hold's form.
pub const HOLD_BUTTON: Key = Key("hold-button");
/// Label of the reason.
pub const HOLD_REASON: Key = Key("hold-reason");
/// The button that keeps the file.
pub const HOLD_CONFIRM: Key = Key("hold-confirm");
/// The button that lifts the hold.
pub const HOLD_LIFT: Key = Key("hold-lift");
/// After keeping.
pub const HOLD_SAVED: Key = Key("hold-saved");
/// After lifting.
pub const HOLD_LIFTED: Key = Key("hold-lifted");

/// The standing hold: "Conservée au-delà de 2 ans depuis le 01/03/2026, par Awa.
/// Motif : …" (no name: by the coordination).
pub fn hold_shown(lang: Lang, hold: &filrouge_model::RetentionHold) -> String {
    let by = hold
        .by
        .clone()
        .unwrap_or_else(|| super::tr(lang, Key("hold-by-unknown")));
    tr_args(
        lang,
        Key("hold-shown"),
        &[
            ("date", short_date(hold.since).into()),
            ("by", by.into()),
            ("reason", hold.reason.clone().into()),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn consent() -> filrouge_model::Consent {
        filrouge_model::Consent {
            date: Day::parse("2026-12-03").unwrap(),
            scopes: [
                filrouge_model::vocab::ConsentScope::SuiviEquipe,
                filrouge_model::vocab::ConsentScope::Contact,
            ]
            .into(),
            method: filrouge_model::vocab::ConsentMethod::Oral,
            by: Some("Awa".into()),
            notice: Some("2026-12".into()),
        }
    }

    #[test]
    fn the_receipt_says_what_why_when_who_which_notice_and_how_to_withdraw() {
        let lines = consent_receipt(Lang::Fr, "Momo", &consent(), None);
        let text = lines.join("\n");
        assert_eq!(lines[0], "Reçu de consentement");
        assert!(
            text.contains("Momo a donné son accord le 03/12/2026"),
            "{text}"
        );
        assert!(text.contains("• Suivi par l'équipe"), "{text}");
        assert!(text.contains("Recueilli par Awa"), "{text}");
        assert!(text.contains("version 2026-12"), "{text}");
        assert!(text.contains("retirer votre accord"), "{text}");
        let en = consent_receipt(Lang::En, "Momo", &consent(), None).join("\n");
        assert!(en.contains("withdraw"), "{en}");
    }

    #[test]
    fn the_receipt_names_the_teams_holder_and_contact_in_its_own_words() {
        let notice = filrouge_model::NoticeDraft {
            holder: "Association Fil rouge, Bondy".into(),
            dpo_contact: "dpo@asso.example".into(),
            words_fr: Some("Rien n'est transmis sans votre accord.".into()),
            words_en: None,
            version: Some("2026-12-03-0a1b2c3d".into()),
        };
        let fr = consent_receipt(Lang::Fr, "Momo", &consent(), Some(&notice)).join("\n");
        assert!(fr.contains("Association Fil rouge, Bondy"), "{fr}");
        assert!(fr.contains("dpo@asso.example"), "{fr}");
        assert!(fr.contains("Rien n'est transmis"), "{fr}");
        // No English words: the French ones, rather than nothing.
        let en = consent_receipt(Lang::En, "Momo", &consent(), Some(&notice)).join("\n");
        assert!(
            en.contains("dpo@asso.example") && en.contains("Rien n'est transmis"),
            "{en}"
        );
    }

    fn day(y: i32, m: u32, d: u32) -> Day {
        Day::from_ymd(y, m, d).unwrap()
    }

    #[test]
    fn last_seen_counts_days() {
        assert_eq!(last_seen(Lang::Fr, None), "Jamais rencontré·e");
        assert_eq!(last_seen(Lang::Fr, Some(0)), "Vu·e aujourd'hui");
        assert_eq!(last_seen(Lang::Fr, Some(45)), "Vu·e il y a 45 jours");
        assert_eq!(last_seen(Lang::En, Some(1)), "Seen yesterday");
        assert_eq!(last_seen(Lang::En, None), "Never met");
    }

    #[test]
    fn due_dates_are_said_from_today() {
        let today = day(2026, 11, 26);
        assert_eq!(due(Lang::Fr, today, today), "Aujourd'hui");
        assert_eq!(
            due(Lang::Fr, day(2026, 11, 2), today),
            "En retard depuis le 02/11/2026"
        );
        assert_eq!(due(Lang::Fr, day(2026, 12, 3), today), "Le 03/12/2026");
        assert_eq!(
            due(Lang::En, day(2026, 11, 2), today),
            "Overdue since 02/11/2026"
        );
    }

    #[test]
    fn timeline_lines_name_the_kind_and_what_happened() {
        let line = |lang, kind: &str, what: &str| {
            timeline_line(
                lang,
                &TimelineEntry {
                    date: Day::parse("2026-11-26").unwrap(),
                    id: filrouge_model::RecordId::parse("01890000-0000-7000-8000-000000000001")
                        .unwrap(),
                    what: TimelineWhat::from_codes(kind, what).unwrap(),
                },
            )
        };
        assert_eq!(
            line(Lang::Fr, "rencontre", "maraude"),
            "Rencontre · Maraude"
        );
        assert_eq!(
            line(Lang::Fr, "etape", "perdu_de_vue"),
            "Étape · Perdu·e de vue"
        );
        assert_eq!(line(Lang::Fr, "relance", "a_faire"), "Relance · À faire");
        // A value this version does not know never reaches a screen: the store refuses it.
        assert_eq!(TimelineWhat::from_codes("etape", "inconnu"), None);
        assert_eq!(line(Lang::En, "relance", "faite"), "Follow-up · Done");
    }
}
