//! What the app's screens read: rows answered by the device's projection tables, shared
//! by the core (which fills them) and the UI (which shows them), so that they cross the
//! IPC boundary as they are.
//!
//! Vocabulary values (kinds, stages, age bands) and days are typed here, so the UI
//! never parses what the core already knows; they travel as the vocabularies' stable
//! codes and `YYYY-MM-DD`, and the UI turns them into words in the user's language.
//! (A timeline entry's `what` stays a code: it is a channel, a stage or a status.)

use serde::{Deserialize, Serialize};

use crate::Day;
use crate::check;
use crate::error::{Field, ValidationError};
use crate::records::PersonDraft;
use crate::records::person::REFERENT_MAX;
use crate::rencontre::RencontreDraft;
use crate::vocab::{AgeBand, EventKind, PartnerKind, Stage};

/// A person found by search.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonHit {
    /// The person's id.
    pub id: crate::RecordId,
    /// Pseudonym or first name.
    pub pseudonym: String,
    /// Last name, if known.
    pub last_name: Option<String>,
    /// Current parcours stage.
    pub stage: Option<Stage>,
}

// Debug names the record, never the person.
impl std::fmt::Debug for PersonHit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PersonHit")
            .field("id", &self.id)
            .field("stage", &self.stage)
            .finish_non_exhaustive()
    }
}

/// One line of a person's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    /// When, as a date (UTC for rencontres).
    pub date: Day,
    /// The record id.
    pub id: crate::RecordId,
    /// What the record is, and what happened.
    pub what: TimelineWhat,
}

/// What a timeline entry is and what happened: its record's kind, with the value that
/// says it (the rencontre's channel, the stage reached, where an orientation or a
/// relance stands).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "what", rename_all = "snake_case")]
pub enum TimelineWhat {
    /// A rencontre, by its channel.
    Rencontre(crate::Channel),
    /// An étape: the stage reached.
    Etape(Stage),
    /// An orientation: where it stands.
    Orientation(crate::OrientationStatus),
    /// A relance: where it stands.
    Relance(crate::RelanceStatus),
}

impl TimelineWhat {
    /// The entry's record kind.
    pub fn kind(self) -> crate::records::RecordKind {
        use crate::records::RecordKind;
        match self {
            TimelineWhat::Rencontre(_) => RecordKind::Rencontre,
            TimelineWhat::Etape(_) => RecordKind::Etape,
            TimelineWhat::Orientation(_) => RecordKind::Orientation,
            TimelineWhat::Relance(_) => RecordKind::Relance,
        }
    }

    /// The entry a record kind's code and a value's code make, if both are known.
    pub fn from_codes(kind: &str, what: &str) -> Option<TimelineWhat> {
        match kind {
            "rencontre" => crate::Channel::from_code(what).map(TimelineWhat::Rencontre),
            "etape" => Stage::from_code(what).map(TimelineWhat::Etape),
            "orientation" => {
                crate::OrientationStatus::from_code(what).map(TimelineWhat::Orientation)
            }
            "relance" => crate::RelanceStatus::from_code(what).map(TimelineWhat::Relance),
            _ => None,
        }
    }
}

/// A follow-up to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueRelance {
    /// The relance id.
    pub id: crate::RecordId,
    /// The person concerned, if any.
    pub person_id: Option<crate::RecordId>,
    /// When it is due.
    pub due: Day,
    /// Why.
    pub reason: String,
    /// The person's pseudonym, to name the task in a list.
    #[serde(default)]
    pub person: Option<String>,
}

/// A référent's caseload: how many persons at each stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageCount {
    /// Stage code, or `None` for persons without a stage.
    pub stage: Option<String>,
    /// How many persons.
    pub count: u64,
}

/// Counts for a period, grouped several ways (for funders' tables).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodCounts {
    /// Rencontres and people met (headcount plus named persons) by channel code.
    pub by_channel: Vec<(String, u64, u64)>,
    /// Rencontres by commune (empty string when not given).
    pub by_commune: Vec<(String, u64)>,
    /// Distinct persons met, by public category code.
    pub by_category: Vec<(String, u64)>,
    /// Stage changes in the period, by stage code.
    pub by_stage: Vec<(String, u64)>,
}

/// A person's screen: what is known of them and their thread.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonView {
    /// The person's id.
    pub id: crate::RecordId,
    /// Everything recorded about them, as their edit form takes it.
    pub person: PersonDraft,
    /// Rencontres, stage changes, orientations and relances, oldest first.
    pub timeline: Vec<TimelineEntry>,
    /// The persons merged into this one, oldest merge first (each can be undone).
    #[serde(default)]
    pub merges: Vec<MergeNote>,
}

/// A person merged into the one shown.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergeNote {
    /// The merge record (what [`crate::ipc::UndoMerge`] names).
    pub merge: crate::RecordId,
    /// The absorbed person.
    pub absorbed: crate::RecordId,
    /// Their pseudonym when merged.
    pub pseudonym: String,
    /// Who merged, by the name set on their device.
    pub decided_by: Option<String>,
    /// When, in milliseconds since the epoch.
    pub at: i64,
}

// The pseudonym is personal: Debug names the records only.
impl std::fmt::Debug for MergeNote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MergeNote")
            .field("merge", &self.merge)
            .field("absorbed", &self.absorbed)
            .finish_non_exhaustive()
    }
}

// Debug names the record, never what it says about the person.
impl std::fmt::Debug for PersonView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PersonView")
            .field("id", &self.id)
            .field("timeline", &self.timeline.len())
            .finish_non_exhaustive()
    }
}

/// Who uses this device, as the worker set it in the settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    /// The worker's name as the team writes it (the référent of their persons and
    /// relances). `None` until they say.
    pub worker_name: Option<String>,
}

impl Profile {
    /// Trims the name, turns an empty one into `None`, and checks its length (a
    /// référent's, since relances carry it).
    pub fn validate(self) -> Result<Profile, ValidationError> {
        Ok(Profile {
            worker_name: check::optional(Field::Referent, self.worker_name, REFERENT_MAX)?,
        })
    }
}

/// A rencontre being typed, kept by the device so that closing the app (or the phone
/// killing it) loses nothing: the draft as the form holds it, and the persons it names
/// as their chips show them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RencontreFormDraft {
    /// The form's fields.
    pub draft: RencontreDraft,
    /// The persons named, with their pseudonyms for the chips.
    pub persons: Vec<PersonHit>,
    /// The relance date as typed (`YYYY-MM-DD`), even if not a full date yet. Kept
    /// under its first name, so a draft saved by an older version still opens.
    #[serde(default, rename = "follow_up")]
    pub relance_due: String,
}

/// An event as the events list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventSummary {
    /// The event's id.
    pub id: crate::RecordId,
    /// Its name.
    pub name: String,
    /// Its kind.
    pub kind: EventKind,
    /// Its day.
    pub date: Day,
    /// Where.
    pub place: String,
    /// Registrations on this device (from every phone, once synced).
    pub registered: u64,
    /// Of which checked in.
    pub checked_in: u64,
}

/// One registration of an event, for the check-in list.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registration {
    /// The inscription's id.
    pub id: crate::RecordId,
    /// The first name or pseudonym given.
    pub name: String,
    /// Its age band, if given.
    pub age_band: Option<AgeBand>,
    /// Under 18.
    pub minor: bool,
    /// Whether the participant arrived.
    pub checked_in: bool,
    /// Another registration of the event has the same name (accents and case aside)
    /// and age band: perhaps one person registered twice, on two phones. Flagged for a
    /// worker to decide, never merged by the app.
    pub possible_duplicate: bool,
}

impl std::fmt::Debug for Registration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registration")
            .field("id", &self.id)
            .field("checked_in", &self.checked_in)
            .field("possible_duplicate", &self.possible_duplicate)
            .finish_non_exhaustive()
    }
}

/// An event's screen: the event and its registrations, in name order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventView {
    /// The event, with its counts.
    pub event: EventSummary,
    /// Every registration.
    pub registrations: Vec<Registration>,
}

/// A partner as the directory lists it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerRow {
    /// The partner's id.
    pub id: crate::RecordId,
    /// Its name.
    pub name: String,
    /// Its kind.
    pub kind: PartnerKind,
    /// How to reach it (may name a staff member).
    pub contact: Option<String>,
    /// Its commune.
    pub commune: Option<String>,
}

// Debug leaves out the contact, which may name someone.
impl std::fmt::Debug for PartnerRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PartnerRow")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

/// One person of a référent's caseload ("Mes suivis").
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseloadEntry {
    /// The person's id.
    pub id: crate::RecordId,
    /// Pseudonym or first name.
    pub pseudonym: String,
    /// Last name, if known.
    pub last_name: Option<String>,
    /// Current stage.
    pub stage: Option<Stage>,
    /// When they were last met in a rencontre, milliseconds since the epoch.
    pub last_seen: Option<i64>,
}

impl std::fmt::Debug for CaseloadEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CaseloadEntry")
            .field("id", &self.id)
            .field("stage", &self.stage)
            .field("last_seen", &self.last_seen)
            .finish_non_exhaustive()
    }
}

/// The worker's caseload: the persons they are the référent of, by stage, the longest
/// unseen first within a stage.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Caseload {
    /// Who the device's worker said they are; `None` (and no persons) until they do.
    pub worker_name: Option<String>,
    /// Their persons.
    pub persons: Vec<CaseloadEntry>,
}

/// A name folded for comparison: lowercase, without French accents, spaces collapsed.
/// "  Éloïse  Ben " and "eloise ben" fold the same.
pub fn fold_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for word in name.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in word.chars().flat_map(char::to_lowercase) {
            match c {
                'à' | 'â' | 'ä' | 'á' | 'ã' | 'å' => out.push('a'),
                'é' | 'è' | 'ê' | 'ë' => out.push('e'),
                'î' | 'ï' | 'í' | 'ì' => out.push('i'),
                'ô' | 'ö' | 'ó' | 'ò' | 'õ' => out.push('o'),
                'ù' | 'û' | 'ü' | 'ú' => out.push('u'),
                'ç' => out.push('c'),
                'ÿ' | 'ý' => out.push('y'),
                'ñ' => out.push('n'),
                'œ' => out.push_str("oe"),
                'æ' => out.push_str("ae"),
                c => out.push(c),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::fold_name;

    #[test]
    fn names_fold_without_accents_case_or_extra_spaces() {
        assert_eq!(fold_name("  Éloïse  BEN "), "eloise ben");
        assert_eq!(fold_name("Chloé"), fold_name("chloe"));
        assert_eq!(fold_name("Œdipe"), "oedipe");
        assert_ne!(fold_name("Lina"), fold_name("Lena"));
    }
}
