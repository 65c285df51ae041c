//! The coordinator's data-quality checks: rules over the team's records, each with its
//! count and the records behind it, to fix by hand. Nothing is blocked or changed: a
//! note with a phone number in it is shown, not refused (the CNIL asks for factual
//! notes; the worker who wrote it decides).
//!
//! [`note_finding`] is the one rule that reads text, here so it is the same everywhere
//! and tested on its own: a phone number (nine digits or more, spaces, dots, dashes or
//! a leading +33 allowed), an e-mail address, or a word about health from a short
//! French list (accents and case ignored, as [`crate::names::fold`] folds them).

use serde::{Deserialize, Serialize};

use crate::records::RecordKind;
use crate::vocab::vocabulary;
use crate::{Day, RecordId};

/// Days past its due date after which an open relance is listed.
pub const RELANCE_LATE_DAYS: i32 = 14;
/// Days without a rencontre after which a person in accompagnement is listed.
pub const UNSEEN_DAYS: i32 = 90;
/// Days since the last contact after which a person nears the two-year retention limit
/// (21 months: three months to act before it).
pub const RETENTION_NEAR_DAYS: i32 = 639;
/// Records listed per rule (the count says how many there are in all).
pub const LISTED: usize = 50;

vocabulary! {
    /// A data-quality rule.
    pub enum QualityRule {
        /// An open relance more than [`RELANCE_LATE_DAYS`] past its due date.
        LateRelance = "relance_en_retard", "Relances en retard de plus de 14 jours",
            "Follow-ups more than 14 days overdue";
        /// A person in accompagnement not met for [`UNSEEN_DAYS`].
        Unseen = "accompagnement_sans_rencontre",
            "Personnes en accompagnement sans rencontre depuis 90 jours",
            "People in support not met for 90 days";
        /// A stage dated before a stage that comes earlier in the path.
        StageOrder = "etapes_dans_le_desordre", "Étapes datées dans le désordre",
            "Stages dated out of order";
        /// A note with a phone number, an e-mail address or a health word.
        Note = "note_a_relire",
            "Notes avec un téléphone, une adresse e-mail ou un mot de santé",
            "Notes with a phone number, an e-mail address or a health word";
        /// A person whose last contact nears the two-year retention limit.
        Retention = "conservation_bientot_atteinte",
            "Personnes sans contact depuis près de 2 ans",
            "People not in contact for nearly 2 years";
    }
}

vocabulary! {
    /// What a note holds that should not be there.
    pub enum NoteFinding {
        /// A phone number.
        Phone = "telephone", "un numéro de téléphone", "a phone number";
        /// An e-mail address.
        Email = "email", "une adresse e-mail", "an e-mail address";
        /// A word about health.
        Health = "sante", "un mot de santé", "a health word";
    }
}

/// Every rule's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataQuality {
    /// The day the checks were made for.
    pub today: Day,
    /// One per rule, in the order of [`QualityRule::ALL`].
    pub checks: Vec<QualityCheck>,
}

/// One rule's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QualityCheck {
    /// The rule.
    pub rule: QualityRule,
    /// How many records it finds.
    pub count: u32,
    /// The first [`LISTED`] of them, oldest first.
    pub items: Vec<QualityItem>,
}

/// A record a rule finds.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QualityItem {
    /// The record.
    pub record: RecordId,
    /// Its kind.
    pub kind: RecordKind,
    /// The person whose thread shows it, if any.
    pub person: Option<RecordId>,
    /// Who or what it is about, as lists name it (a person's name, a rencontre's place).
    pub about: String,
    /// The day that makes it found (the due date, the last rencontre, the stage's date).
    pub day: Option<Day>,
    /// For a note: what it holds.
    pub found: Option<NoteFinding>,
}

// Names are personal: Debug names the record and the rule's facts.
impl std::fmt::Debug for QualityItem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QualityItem")
            .field("record", &self.record)
            .field("kind", &self.kind)
            .field("day", &self.day)
            .field("found", &self.found)
            .finish_non_exhaustive()
    }
}

/// Words about health that have no place in a factual note (folded; a word of the note
/// that starts with one matches: "psychiatrique" by "psychiatr").
const HEALTH: &[&str] = &[
    "vih",
    "sida",
    "seropositi",
    "hepatite",
    "diabet",
    "cancer",
    "depressi",
    "psychiatr",
    "psychose",
    "schizophr",
    "bipolaire",
    "suicid",
    "enceinte",
    "grossesse",
    "ivg",
    "toxicomane",
    "addict",
    "methadone",
    "subutex",
    "alcoolique",
    "hospitalis",
    "handicap",
    "epilepsi",
    "tuberculose",
    "antidepresseur",
    "anxiolytique",
];

/// What `note` holds that a factual note should not: the first of a phone number, an
/// e-mail address, a health word; `None` for a clean note.
pub fn note_finding(note: &str) -> Option<NoteFinding> {
    if has_phone(note) {
        return Some(NoteFinding::Phone);
    }
    if note.split_whitespace().any(is_email) {
        return Some(NoteFinding::Email);
    }
    let folded = crate::names::fold(note);
    folded
        .split(' ')
        .any(|w| HEALTH.iter().any(|h| w.starts_with(h)))
        .then_some(NoteFinding::Health)
}

/// Nine digits or more in a run where only spaces, dots, dashes and a leading + part
/// them ("06 12 34 56 78", "+33 6 12 34 56 78", "0612345678").
fn has_phone(text: &str) -> bool {
    let mut digits = 0;
    let mut gap = 0;
    for c in text.chars() {
        if c.is_ascii_digit() {
            digits += 1;
            gap = 0;
            if digits >= 9 {
                return true;
            }
        } else if matches!(c, ' ' | '.' | '-' | '+' | '\u{a0}') && digits > 0 && gap == 0 {
            gap += 1;
        } else if c == '+' {
            continue;
        } else {
            digits = 0;
            gap = 0;
        }
    }
    false
}

fn is_email(word: &str) -> bool {
    let word = word.trim_matches(|c: char| !c.is_alphanumeric());
    match word.split_once('@') {
        Some((user, domain)) => {
            !user.is_empty()
                && domain
                    .split_once('.')
                    .is_some_and(|(host, tld)| !host.is_empty() && tld.len() >= 2)
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_emails_and_health_words_are_found_and_plain_notes_are_not() {
        for (note, want) in [
            (
                "Rappeler au 06 12 34 56 78 demain",
                Some(NoteFinding::Phone),
            ),
            ("tel +33 6 12 34 56 78", Some(NoteFinding::Phone)),
            ("0612345678", Some(NoteFinding::Phone)),
            ("06.12.34.56.78", Some(NoteFinding::Phone)),
            ("écrire à lina.b@exemple.fr.", Some(NoteFinding::Email)),
            ("Suivi psychiatrique en cours", Some(NoteFinding::Health)),
            ("Elle est ENCEINTE", Some(NoteFinding::Health)),
            ("Parle de son hépatite", Some(NoteFinding::Health)),
            ("Tournoi de foot, 12 jeunes, 3 inscrits", None),
            ("Rendez-vous le 12/11 à 14h30 à la Mission locale", None),
            ("Cherche un CAP cuisine, 2 ans de retard", None),
            ("rue du 8 mai 1945", None),
            ("@lina_snap sur Snapchat", None),
        ] {
            assert_eq!(note_finding(note), want, "{note}");
        }
    }

    #[test]
    fn rule_codes_are_pinned() {
        crate::vocab::tests::check::<QualityRule>();
        crate::vocab::tests::check::<NoteFinding>();
    }
}
