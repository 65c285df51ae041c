//! Persons, their parcours and their relances: the person picker, a person's screen and
//! its forms, "Mes suivis", the relances due, and who uses the device.

use filrouge_model::ipc::{
    ChangeStage, CreatePerson, GetPerson, GetProfile, HoldRetention, ListRelances, MyCaseload,
    PlanRelance, SearchPersons, SetProfile, SetRelanceStatus, UpdatePerson,
};
use filrouge_model::views::{Caseload, DueRelance, PersonHit, PersonView, Profile};

use filrouge_model::access::{AccessAction as A, FieldGroup as G};
use filrouge_model::{PersonDraft, RecordId};

use super::Device;
use crate::CoreError;

impl Device {
    /// Persons whose names start with what was typed.
    pub fn search_persons(&self, cmd: SearchPersons) -> Result<Vec<PersonHit>, CoreError> {
        self.read(|s| s.search_persons(&cmd.typed, cmd.limit))
    }

    /// Records a new person (met just now, typed in the picker) and answers them as the
    /// picker lists them.
    pub fn create_person(&self, cmd: CreatePerson) -> Result<PersonHit, CoreError> {
        self.unit(|s| {
            let id = s.create_person(cmd.draft)?;
            s.log_access(A::Cree, Some(id.as_str()), &[])?;
            s.person_hit(&id)
        })
    }

    /// A person's screen.
    ///
    /// Opening a thread is an access the log keeps: one entry, in its own transaction.
    pub fn get_person(&self, cmd: GetPerson) -> Result<PersonView, CoreError> {
        self.unit(|s| {
            let view = s.person_view(cmd.id.as_str())?;
            s.log_access(A::Consulte, Some(view.id.as_str()), &[])?;
            Ok(view)
        })
    }

    /// Saves a person's record (consent, référent, what is known) and answers their
    /// screen as it now is.
    pub fn update_person(&self, cmd: UpdatePerson) -> Result<PersonView, CoreError> {
        self.unit(|s| {
            let id = cmd.id.as_str();
            let before: PersonDraft = s.get(id)?;
            let mut draft = cmd.draft;
            stamp_consent(s, &before, &mut draft)?;
            let after = draft.clone().validate(s.env.clock.now_ms())?;
            s.update_person(id, draft)?;
            let (consent, groups) = changed_groups(&before, &after);
            if consent {
                s.log_access(A::Consentement, Some(id), &[])?;
            }
            if !groups.is_empty() {
                s.log_access(A::Modifie, Some(id), &groups)?;
            }
            s.person_view(id)
        })
    }

    /// Keeps a person's file past the two-year retention, or lifts the hold
    /// (coordinators' devices only), and answers their screen.
    pub fn hold_retention(&self, cmd: HoldRetention) -> Result<PersonView, CoreError> {
        self.unit(|s| {
            crate::app::coordination::coordinator_today(s)?;
            let action = if cmd.reason.is_some() {
                A::Conservation
            } else {
                A::ConservationLevee
            };
            s.hold_retention(cmd.person.as_str(), cmd.reason)?;
            s.log_access(action, Some(cmd.person.as_str()), &[])?;
            s.person_view(cmd.person.as_str())
        })
    }

    /// Moves a person to another étape of their parcours.
    pub fn change_stage(&self, cmd: ChangeStage) -> Result<PersonView, CoreError> {
        self.unit(|s| {
            s.record_stage(filrouge_model::EtapeDraft {
                person_id: cmd.person_id.clone(),
                stage: cmd.stage,
                date: cmd.date,
                note: cmd.note,
                exit: cmd.exit,
            })?;
            s.log_access(A::Modifie, Some(cmd.person_id.as_str()), &[G::Parcours])?;
            s.person_view(cmd.person_id.as_str())
        })
    }

    /// The open relances due by `until`: the worker's own once they said who they are
    /// (the same rule as "Mes suivis", by référent), every open relance on the device
    /// until then, so that nothing planned is out of sight.
    pub fn list_relances(&self, cmd: ListRelances) -> Result<Vec<DueRelance>, CoreError> {
        self.read(|s| {
            let me = s.profile()?.worker_name;
            s.open_relances(me.as_deref(), cmd.until, cmd.limit)
        })
    }

    /// Marks a relance done, postponed or cancelled.
    pub fn set_relance_status(&self, cmd: SetRelanceStatus) -> Result<(), CoreError> {
        self.unit(|s| s.set_relance_status(cmd.id.as_str(), cmd.status, cmd.due))
    }

    /// Plans a relance for this device's worker; answers its id.
    pub fn plan_relance(&self, cmd: PlanRelance) -> Result<RecordId, CoreError> {
        self.unit(|s| {
            if let Some(person) = &cmd.person_id {
                s.log_access(A::Modifie, Some(person.as_str()), &[G::Parcours])?;
            }
            s.plan_relance(cmd.person_id, cmd.due, cmd.reason)
        })
    }

    /// Who uses this device.
    pub fn get_profile(&self, cmd: GetProfile) -> Result<Profile, CoreError> {
        let GetProfile {} = cmd;
        self.read(|s| s.profile())
    }

    /// Changes who uses this device.
    pub fn set_profile(&self, cmd: SetProfile) -> Result<Profile, CoreError> {
        self.unit(|s| s.set_profile(cmd.profile))
    }

    /// The worker's caseload ("Mes suivis").
    pub fn my_caseload(&self, cmd: MyCaseload) -> Result<Caseload, CoreError> {
        self.read(|s| s.caseload_of_worker(cmd.limit))
    }
}

/// Whether a person's consent changed between two states of their record, and which
/// other field groups did: what the access log says of an edit (no value, ever).
fn changed_groups(before: &PersonDraft, after: &PersonDraft) -> (bool, Vec<G>) {
    let mut groups = Vec::new();
    let identity = (
        &before.pseudonym,
        &before.last_name,
        before.birth_year,
        before.age_band,
        before.gender,
    ) != (
        &after.pseudonym,
        &after.last_name,
        after.birth_year,
        after.age_band,
        after.gender,
    );
    let situation = (
        &before.categories,
        &before.freins,
        &before.interests,
        &before.skills,
    ) != (
        &after.categories,
        &after.freins,
        &after.interests,
        &after.skills,
    );
    for (changed, group) in [
        (identity, G::Identite),
        (before.territory != after.territory, G::Territoire),
        (situation, G::Situation),
        (before.contact != after.contact, G::Contact),
        (before.referent != after.referent, G::Referent),
        (before.stage != after.stage, G::Parcours),
    ] {
        if changed {
            groups.push(group);
        }
    }
    (before.consent != after.consent, groups)
}

/// A consent recorded anew (another day, scopes or method) takes this device's worker
/// and the notice's version; one saved again as it was keeps those it had.
fn stamp_consent(
    s: &crate::Store,
    before: &PersonDraft,
    draft: &mut PersonDraft,
) -> Result<(), CoreError> {
    let Some(consent) = draft.consent.as_mut() else {
        return Ok(());
    };
    match &before.consent {
        Some(old)
            if (old.date, &old.scopes, old.method)
                == (consent.date, &consent.scopes, consent.method) =>
        {
            consent.by.clone_from(&old.by);
            consent.notice.clone_from(&old.notice);
        }
        _ => {
            consent.by = s.profile()?.worker_name;
            consent.notice = Some(s.notice_version()?);
        }
    }
    Ok(())
}
