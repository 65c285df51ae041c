//! The IPC commands of the persons' side of the app: search, a person's screen, stage
//! changes, relances, and who uses the device.
//!
//! Like every command, each is a struct tied to its result type by [`Command`]; the
//! shell answers from the device's store and never waits on the network.

use serde::{Deserialize, Serialize};

use super::Command;
use crate::day::Day;
use crate::records::PersonDraft;
use crate::views::{Caseload, DueRelance, PersonHit, PersonView, Profile};
use crate::vocab::{RelanceStatus, Stage};

/// Persons whose names start with what was typed (accent- and case-insensitive), best
/// matches first, at most `limit`.
#[derive(Clone, Serialize, Deserialize)]
pub struct SearchPersons {
    /// What the user typed so far.
    pub typed: String,
    /// How many hits at most.
    pub limit: u32,
}
impl Command for SearchPersons {
    const NAME: &'static str = "search_persons";
    type Output = Vec<PersonHit>;
}

// Debug leaves out what was typed: a name.
impl std::fmt::Debug for SearchPersons {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchPersons")
            .field("limit", &self.limit)
            .finish_non_exhaustive()
    }
}

/// Records a new person (often from the rencontre form, with only a pseudonym) and
/// returns them as search lists them.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CreatePerson {
    /// What the user filled in.
    pub draft: PersonDraft,
}
impl Command for CreatePerson {
    const NAME: &'static str = "create_person";
    type Output = PersonHit;
}

/// A person's screen.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GetPerson {
    /// The person's id.
    pub id: crate::RecordId,
}
impl Command for GetPerson {
    const NAME: &'static str = "get_person";
    type Output = PersonView;
}

/// Changes what is known of a person; only fields that differ are written.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UpdatePerson {
    /// The person's id.
    pub id: crate::RecordId,
    /// The whole record as the form now holds it.
    pub draft: PersonDraft,
}
impl Command for UpdatePerson {
    const NAME: &'static str = "update_person";
    type Output = PersonView;
}

/// Moves a person to a stage of their path on a date (suspend, resume and "perdu de
/// vue" are stages too); answers with their screen.
#[derive(Clone, Serialize, Deserialize)]
pub struct ChangeStage {
    /// The person's id.
    pub person_id: crate::RecordId,
    /// The stage entered.
    pub stage: Stage,
    /// The day it happened.
    pub date: Day,
    /// A short factual note.
    pub note: Option<String>,
    /// How the person left, for a sortie.
    #[serde(default)]
    pub exit: Option<crate::vocab::ExitKind>,
}
impl Command for ChangeStage {
    const NAME: &'static str = "change_stage";
    type Output = PersonView;
}

impl std::fmt::Debug for ChangeStage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChangeStage")
            .field("person_id", &self.person_id)
            .field("stage", &self.stage)
            .field("date", &self.date)
            .finish_non_exhaustive()
    }
}

/// Open relances due on or before `until`: the worker's when they said who they are,
/// else the team's.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ListRelances {
    /// The last due day listed (today, for today's and overdue ones).
    pub until: Day,
    /// How many at most, the oldest first.
    pub limit: u32,
}
impl Command for ListRelances {
    const NAME: &'static str = "list_relances";
    type Output = Vec<DueRelance>;
}

/// Plans a relance for the device's worker (or the team, when they have not said who
/// they are); answers with its id.
#[derive(Clone, Serialize, Deserialize)]
pub struct PlanRelance {
    /// The person concerned, if any.
    pub person_id: Option<crate::RecordId>,
    /// When it is due.
    pub due: Day,
    /// What to do.
    pub reason: String,
}
impl Command for PlanRelance {
    const NAME: &'static str = "plan_relance";
    type Output = crate::RecordId;
}

impl std::fmt::Debug for PlanRelance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PlanRelance")
            .field("person_id", &self.person_id)
            .field("due", &self.due)
            .finish_non_exhaustive()
    }
}

/// Marks a relance done or cancelled, or postpones it to `due`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SetRelanceStatus {
    /// The relance's id.
    pub id: crate::RecordId,
    /// Its new status.
    pub status: RelanceStatus,
    /// Its new due day, when postponed.
    pub due: Option<Day>,
}
impl Command for SetRelanceStatus {
    const NAME: &'static str = "set_relance_status";
    type Output = ();
}

/// Who uses this device.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GetProfile {}
impl Command for GetProfile {
    const NAME: &'static str = "get_profile";
    type Output = Profile;
}

/// Changes who uses this device; answers with the profile as stored.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SetProfile {
    /// The new profile.
    pub profile: Profile,
}
impl Command for SetProfile {
    const NAME: &'static str = "set_profile";
    type Output = Profile;
}

/// The worker's caseload ("Mes suivis"), at most `limit` persons.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MyCaseload {
    /// How many persons at most.
    pub limit: u32,
}
impl Command for MyCaseload {
    const NAME: &'static str = "my_caseload";
    type Output = Caseload;
}

/// Erases a person for good (coordinators only): their record, the records merged with
/// it, their stages, orientations, relances and registrations, on every device and the
/// server; the rencontres that named them are kept as anonymous counts.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ErasePerson {
    /// The person.
    pub person: crate::RecordId,
    /// Why.
    pub reason: crate::erasure::ErasureReason,
}
impl Command for ErasePerson {
    const NAME: &'static str = "erase_person";
    /// The register's line for it.
    type Output = crate::erasure::ErasureEntry;
}

/// Keeps a person's file past the two-year retention, with a written reason, or lifts
/// that hold (`reason` none); coordinators only. Answers with their screen.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HoldRetention {
    /// The person.
    pub person: crate::RecordId,
    /// Why the file is kept; none lifts the hold.
    #[serde(default)]
    pub reason: Option<String>,
}
impl Command for HoldRetention {
    const NAME: &'static str = "hold_retention";
    type Output = PersonView;
}

/// Who viewed or changed a person's file, newest first, from this device's access log
/// (coordinators only).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GetAccessLog {
    /// The person.
    pub person: crate::RecordId,
}
impl Command for GetAccessLog {
    const NAME: &'static str = "get_access_log";
    type Output = Vec<crate::access::AccessEntry>;
}

/// This device's erasure register (coordinators only): each erasure's day, reason and
/// number of records, oldest first; nothing about whom.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ListErasures {}
impl Command for ListErasures {
    const NAME: &'static str = "list_erasures";
    type Output = Vec<crate::erasure::ErasureEntry>;
}
