//! The words of the persons' screens: tabs, person search and picker, a person's
//! thread, relances.

use filrouge_model::Day;
use filrouge_model::views::TimelineEntry;
use filrouge_model::vocab::{RelanceStatus, Stage};
use filrouge_model::{Channel, OrientationStatus};

/// Accessible name of the tab bar.
pub const NAVIGATION: &str = "Écrans";
/// The persons tab.
pub const PERSONS: &str = "Personnes";
/// The relances tab and screen title.
pub const RELANCES: &str = "Relances";

/// Label of the person picker in the rencontre form.
pub const ADD_PERSON: &str = "Ajouter une personne";
/// Help under the picker.
pub const ADD_PERSON_HINT: &str =
    "Tapez un pseudo : choisissez la personne, ou créez-la. Facultatif pour un groupe.";
/// Accessible name of the list of persons already added.
pub const ADDED_PERSONS: &str = "Personnes rencontrées";
/// Label of the search on the persons screen.
pub const SEARCH_PERSONS: &str = "Chercher une personne";
/// The persons screen before anything is typed.
pub const SEARCH_EMPTY: &str = "Tapez les premières lettres d'un pseudo ou d'un nom.";
/// No person matches.
pub const NO_MATCH: &str =
    "Personne ne correspond. Vérifiez l'orthographe, ou créez la personne depuis une rencontre.";

/// The button that creates a person from what was typed.
pub fn create_person(pseudonym: &str) -> String {
    format!("Nouvelle personne : « {} »", pseudonym.trim())
}

/// Accessible name of the button that takes a person out of the rencontre.
pub fn remove_person(pseudonym: &str) -> String {
    format!("Retirer {pseudonym}")
}

/// The fold with needs, actions and next step in the rencontre form.
pub const MORE_DETAILS: &str = "Besoins, actions, suite à donner";
/// Legend of the needs chips.
pub const NEEDS: &str = "Besoins exprimés";
/// Legend of the actions chips.
pub const ACTIONS: &str = "Ce qui a été fait";
/// Label of the next step.
pub const NEXT_STEP: &str = "Prochaine étape convenue";
/// Label of the relance date.
pub const FOLLOW_UP: &str = "Relancer le";

/// Title of the caseload.
pub const MY_FOLLOW_UPS: &str = "Mes suivis";
/// The caseload before the worker gave their name.
pub const SAY_WHO_YOU_ARE: &str =
    "Indiquez votre prénom dans Réglages pour voir les personnes dont vous êtes référent·e.";
/// An empty caseload.
pub const NO_FOLLOW_UPS: &str = "Personne ne vous a encore pour référent·e.";

/// When a person was last met, in days: "vu·e aujourd'hui", "vu·e il y a 12 jours".
pub fn last_seen(days: Option<i64>) -> String {
    match days {
        None => "Jamais rencontré·e".into(),
        Some(0) => "Vu·e aujourd'hui".into(),
        Some(1) => "Vu·e hier".into(),
        Some(n) => format!("Vu·e il y a {n} jours"),
    }
}

/// Back from a person's screen.
pub const BACK: &str = "Retour";
/// A person's screen while it loads.
pub const PERSON_LOADING: &str = "Lecture de la fiche…";
/// Title of the current stage.
pub const STAGE: &str = "Étape du parcours";
/// A person with no stage yet.
pub const NO_STAGE: &str = "Pas encore d'étape";
/// Title of the référent line.
pub const REFERENT: &str = "Référent·e";
/// Nobody is the person's référent.
pub const NO_REFERENT: &str = "Personne pour l'instant";
/// Title of the consent line.
pub const CONSENT: &str = "Consentement";
/// No consent recorded.
pub const NO_CONSENT: &str = "Non recueilli : aucune coordonnée ne peut être enregistrée.";

/// Consent recorded on a day.
pub fn consent_given(day: Day) -> String {
    format!("Recueilli le {}", short_date(day))
}

/// Title of the stage change form.
pub const CHANGE_STAGE: &str = "Changer d'étape";
/// Label of the stage select.
pub const NEW_STAGE: &str = "Nouvelle étape";
/// A date input left incomplete.
pub const BAD_DATE: &str = "Indiquez une date complète : jour, mois et année.";
/// Label of a date input.
pub const DATE: &str = "Date";
/// The stage change button.
pub const SAVE_STAGE: &str = "Enregistrer l'étape";
/// Title of the relance form on a person's screen.
pub const PLAN_RELANCE: &str = "Prévoir une relance";
/// Label of the relance reason.
pub const RELANCE_REASON: &str = "Quoi faire";
/// The relance button.
pub const SAVE_RELANCE: &str = "Prévoir";
/// Title of the timeline.
pub const TIMELINE: &str = "Fil des rencontres et des étapes";
/// An empty timeline.
pub const TIMELINE_EMPTY: &str =
    "Rien encore. Ajoutez cette personne à une rencontre, ou changez son étape.";
/// Confirmation of a stage change.
pub const STAGE_SAVED: &str = "Étape enregistrée.";
/// Confirmation of a planned relance.
pub const RELANCE_SAVED: &str = "Relance prévue.";

/// Title of today's relances on the main screen.
pub const RELANCES_TODAY: &str = "À relancer";
/// The relances screen when nothing is due.
pub const RELANCES_EMPTY: &str = "Aucune relance à faire aujourd'hui.";
/// A relance done.
pub const DONE: &str = "Fait";
/// A relance postponed by a week.
pub const POSTPONE: &str = "Dans 7 jours";
/// A relance about nobody in particular.
pub const GROUP: &str = "Groupe";
/// Label of the "who I am" input in the settings.
pub const WORKER_NAME: &str = "Votre prénom (référent·e des relances)";
/// Help under it.
pub const WORKER_NAME_HINT: &str =
    "Vos relances sont à ce nom. Sans nom, vous voyez celles de toute l'équipe.";
/// The button that saves it.
pub const SAVE_WORKER_NAME: &str = "Enregistrer le nom";
/// Confirmation.
pub const WORKER_NAME_SAVED: &str = "Nom enregistré.";

/// How many relances are due, for screen readers on the tab.
pub fn relances_due(n: usize) -> String {
    match n {
        0 => String::new(),
        1 => "1 à faire".into(),
        n => format!("{n} à faire"),
    }
}

/// When a relance is due, said from today: "aujourd'hui", "en retard depuis le 12/11".
pub fn due(due: Day, today: Day) -> String {
    if due == today {
        "Aujourd'hui".into()
    } else if due < today {
        format!("En retard depuis le {}", short_date(due))
    } else {
        format!("Le {}", short_date(due))
    }
}

/// A day as the French write it in a list: "12/11/2026".
pub fn short_date(day: Day) -> String {
    let (y, m, d) = day.ymd();
    format!("{d:02}/{m:02}/{y}")
}

/// A stage's name.
pub fn stage_label(stage: Stage) -> &'static str {
    stage.label_fr()
}

/// What a timeline line says: the kind of record and what happened, from their codes.
pub fn timeline_line(entry: &TimelineEntry) -> String {
    match entry.kind.as_str() {
        "rencontre" => format!(
            "Rencontre · {}",
            Channel::from_code(&entry.what).map_or("?", Channel::label_fr)
        ),
        "etape" => format!(
            "Étape · {}",
            Stage::from_code(&entry.what).map_or("?", Stage::label_fr)
        ),
        "orientation" => format!(
            "Orientation · {}",
            OrientationStatus::from_code(&entry.what).map_or("?", OrientationStatus::label_fr)
        ),
        "relance" => format!(
            "Relance · {}",
            RelanceStatus::from_code(&entry.what).map_or("?", RelanceStatus::label_fr)
        ),
        other => other.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> Day {
        Day::from_ymd(y, m, d).unwrap()
    }

    #[test]
    fn last_seen_counts_days() {
        assert_eq!(last_seen(None), "Jamais rencontré·e");
        assert_eq!(last_seen(Some(0)), "Vu·e aujourd'hui");
        assert_eq!(last_seen(Some(45)), "Vu·e il y a 45 jours");
    }

    #[test]
    fn due_dates_are_said_from_today() {
        let today = day(2026, 11, 26);
        assert_eq!(due(today, today), "Aujourd'hui");
        assert_eq!(
            due(day(2026, 11, 2), today),
            "En retard depuis le 02/11/2026"
        );
        assert_eq!(due(day(2026, 12, 3), today), "Le 03/12/2026");
    }

    #[test]
    fn timeline_lines_name_the_kind_and_what_happened() {
        let line = |kind: &str, what: &str| {
            timeline_line(&TimelineEntry {
                date: "2026-11-26".into(),
                kind: kind.into(),
                id: "x".into(),
                what: what.into(),
            })
        };
        assert_eq!(line("rencontre", "maraude"), "Rencontre · Maraude");
        assert_eq!(line("etape", "perdu_de_vue"), "Étape · Perdu·e de vue");
        assert_eq!(line("relance", "a_faire"), "Relance · À faire");
        assert_eq!(line("etape", "inconnu"), "Étape · ?");
    }
}
