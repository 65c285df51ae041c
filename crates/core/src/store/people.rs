//! The field app's use cases that write more than one record, or read a whole screen:
//! each write is one SQLite transaction, so a crash never leaves half of it.
//!
//! - A rencontre saved with a relance date also creates that relance, for the worker
//!   who saved it (see [`Store::referent`]).
//! - A stage change is an `etape` record (the history) and the person's current stage,
//!   written together.
//! - A relance is done or postponed by editing its status and due date.
//! - A person's screen is their record (the document, loaded because the screen edits
//!   it) and their timeline (projection rows).
//!
//! Who uses the device is a local setting, kept in the store's `meta` table: it never
//! syncs, as two phones of one worker are two devices.

use automerge::ROOT;
use filrouge_model::records::RecordKind;
use filrouge_model::views::{Caseload, CaseloadEntry, PersonView, Profile, RencontreFormDraft};
use filrouge_model::vocab::RelanceStatus;
use filrouge_model::{
    Day, EtapeDraft, PersonDraft, RelanceDraft, Rencontre, RencontreDraft, Stage,
};

use crate::store::kinds::Record;
use crate::store::record;
use crate::store::records::{create_in, edit_in, to_object};
use crate::store::{LAST_PLACE, rencontre_row};
use crate::{CoreError, Store};

/// The référent of a relance planned on a device whose worker has not said who they
/// are: the team as a whole.
pub const TEAM_REFERENT: &str = "Équipe";

/// The `meta` key of the worker's name.
const WORKER_NAME: &str = "worker_name";
/// The `meta` key of the rencontre being typed.
const FORM_DRAFT: &str = "rencontre_form_draft";

/// The person's field only [`Store::hold_retention`] writes.
const HOLD_FIELD: &str = "retention_hold";

impl Store {
    /// Who uses this device.
    pub fn profile(&self) -> Result<Profile, CoreError> {
        Ok(Profile {
            worker_name: self.meta(WORKER_NAME)?.filter(|n| !n.is_empty()),
        })
    }

    /// Changes who uses this device; returns the profile as stored (trimmed).
    pub fn set_profile(&mut self, profile: Profile) -> Result<Profile, CoreError> {
        let profile = profile.validate()?;
        self.set_meta(WORKER_NAME, profile.worker_name.as_deref().unwrap_or(""))?;
        Ok(profile)
    }

    /// The rencontre being typed when the app last stopped, if any.
    pub fn form_draft(&self) -> Result<Option<RencontreFormDraft>, CoreError> {
        // A draft from an older version that no longer parses is dropped, not an error:
        // it must never stop the form from opening.
        Ok(self
            .meta(FORM_DRAFT)?
            .and_then(|json| serde_json::from_str(&json).ok()))
    }

    /// Keeps the rencontre being typed, or forgets it (`None`, after a save). It stays
    /// on this device only, in the store's file, like everything else typed.
    pub fn set_form_draft(&mut self, draft: Option<&RencontreFormDraft>) -> Result<(), CoreError> {
        match draft {
            Some(d) => {
                let json = serde_json::to_string(d).map_err(|e| CoreError::Unencodable {
                    what: "the rencontre form's draft",
                    reason: e.to_string(),
                })?;
                self.set_meta(FORM_DRAFT, &json)
            }
            None => {
                self.conn
                    .execute("DELETE FROM meta WHERE key = ?1", [FORM_DRAFT])?;
                Ok(())
            }
        }
    }

    /// Whose task a relance planned on this device is: the worker's, or the team's.
    pub fn referent(&self) -> Result<String, CoreError> {
        Ok(self
            .profile()?
            .worker_name
            .unwrap_or_else(|| TEAM_REFERENT.to_owned()))
    }

    /// Records a new rencontre and returns it as listed. Without a time, it happened
    /// now. With a relance date, the relance is created in the same transaction, about
    /// the first person named (if any), for this device's worker, its reason the next
    /// step agreed.
    pub fn create_rencontre(&mut self, mut draft: RencontreDraft) -> Result<Rencontre, CoreError> {
        let now = self.env.clock.now_ms();
        draft.occurred_at = Some(draft.occurred_at.unwrap_or(now));
        if draft.worker.is_none() {
            draft.worker = self.profile()?.worker_name;
        }
        let draft = draft.validated(now)?;
        // Checked before anything is written, like the rencontre itself.
        let relance = match draft.relance_due {
            Some(due) => Some(
                RelanceDraft {
                    person_id: draft.persons.iter().next().cloned(),
                    rencontre_id: None,
                    referent: self.referent()?,
                    due,
                    reason: draft.next_step.clone().unwrap_or_default(),
                    status: RelanceStatus::AFaire,
                }
                .validated(now)?,
            ),
            None => None,
        };
        let actor = self.actor().clone();
        let tx = self.conn.savepoint()?;
        let id = create_in(&tx, &self.env, &actor, draft, now)?;
        if let Some(mut relance) = relance {
            relance.rencontre_id = Some(id.clone());
            create_in(&tx, &self.env, &actor, relance, now)?;
        }
        let row = rencontre_row(&tx, &id)?;
        crate::store::set_meta_tx(&tx, LAST_PLACE, &row.place)?;
        tx.commit()?;
        Ok(row)
    }

    /// Records a new person; without a référent, the worker who records them (when they
    /// said who they are) becomes it, as the one who met them. Returns the id.
    pub fn create_person(
        &mut self,
        mut draft: PersonDraft,
    ) -> Result<filrouge_model::RecordId, CoreError> {
        if draft.referent.is_none() {
            draft.referent = self.profile()?.worker_name;
        }
        self.create(draft)
    }

    /// Saves a person's record as their screen's forms send it (consent, référent, what
    /// is known); only the fields that differ are written.
    ///
    /// A merged person's forms show the values its merges took and the merged consent:
    /// only what the user changed from those is written into the survivor's own record,
    /// so an undo of the merge still gives it back as it was.
    ///
    /// The retention hold is not the forms' to change: only [`Store::hold_retention`]
    /// writes it, so a worker's edit never lifts a coordinator's hold.
    pub fn update_person(&mut self, id: &str, draft: PersonDraft) -> Result<(), CoreError> {
        if crate::store::merges::standing(&self.conn, id)?
            != crate::store::merges::Standing::Survivor
        {
            return self.update_except(id, draft, &[HOLD_FIELD]);
        }
        let stored: PersonDraft = self.get(id)?;
        let shown = crate::store::merges::as_shown(&self.conn, id, &stored)?;
        let (stored, shown, typed) = (
            to_object(&stored, id)?,
            to_object(&shown, id)?,
            to_object(&draft, id)?,
        );
        let mut kept = serde_json::Map::new();
        for key in stored.keys().chain(typed.keys()) {
            let value = if typed.get(key) == shown.get(key) {
                stored.get(key)
            } else {
                typed.get(key)
            };
            if let Some(value) = value {
                kept.insert(key.clone(), value.clone());
            }
        }
        let draft: PersonDraft =
            serde_json::from_value(serde_json::Value::Object(kept)).map_err(|e| {
                CoreError::Unencodable {
                    what: "a merged person's form",
                    reason: e.to_string(),
                }
            })?;
        self.update_except(id, draft, &[HOLD_FIELD])
    }

    /// Keeps a person's file past the two-year retention with a written reason, decided
    /// today by this device's worker, or lifts the hold (`reason` none). The record's
    /// history keeps every change of it: who, when, why.
    pub fn hold_retention(&mut self, id: &str, reason: Option<String>) -> Result<(), CoreError> {
        let mut draft: PersonDraft = self.get(id)?;
        draft.retention_hold = match reason {
            Some(reason) => Some(filrouge_model::RetentionHold {
                reason,
                by: self.profile()?.worker_name,
                since: filrouge_model::Day::from_epoch_ms(self.env.clock.now_ms()),
            }),
            None => None,
        };
        self.update(id, draft)
    }

    /// Changes a rencontre's place and note, as the list's inline edit does: every other
    /// field (persons, needs, split, relance date…) stays as it is in the document.
    pub fn edit_rencontre_text(
        &mut self,
        id: &str,
        place: String,
        note: String,
    ) -> Result<Rencontre, CoreError> {
        let mut draft: RencontreDraft = self.get(id)?;
        draft.place = place;
        draft.note = note;
        self.update(id, draft)?;
        self.rencontre(id)
    }

    /// Moves a person to `stage` on `date`: the stage change is kept in their history
    /// and becomes their current stage, in one transaction.
    pub fn change_stage(
        &mut self,
        person_id: &str,
        stage: Stage,
        date: Day,
        note: Option<String>,
    ) -> Result<(), CoreError> {
        self.record_stage(EtapeDraft {
            person_id: crate::store::record_id(person_id)?,
            stage,
            date,
            note,
            exit: None,
        })
    }

    /// [`Store::change_stage`] with every field of the étape (a sortie's kind).
    pub fn record_stage(&mut self, etape: EtapeDraft) -> Result<(), CoreError> {
        let now = self.env.clock.now_ms();
        let etape = etape.validated(now)?;
        let (person_id, stage) = (etape.person_id.clone(), etape.stage);
        let person_id = person_id.as_str();
        let loaded = self.load_kind(person_id, RecordKind::Personne)?;
        let (json, _) = crate::store::records::merged(&loaded.doc, &PersonDraft::SCHEMA);
        let mut person: PersonDraft = serde_json::from_value(serde_json::Value::Object(json))
            .map_err(|e| CoreError::Corrupt {
                id: person_id.to_owned(),
                reason: e.to_string(),
            })?;
        person.stage = Some(stage);
        let person = to_object(&person.validated(now)?, person_id)?;
        let actor = self.actor().clone();
        let compact_after = self.options().compact_after;
        let tx = self.conn.savepoint()?;
        create_in(&tx, &self.env, &actor, etape, now)?;
        edit_in(
            &tx,
            person_id,
            RecordKind::Personne,
            now,
            loaded,
            compact_after,
            |doc| record::write_object(doc, &ROOT, &person, &PersonDraft::SCHEMA, ""),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Plans a relance for this device's worker (or the team), about a person or not;
    /// returns its id.
    pub fn plan_relance(
        &mut self,
        person_id: Option<filrouge_model::RecordId>,
        due: Day,
        reason: String,
    ) -> Result<filrouge_model::RecordId, CoreError> {
        let referent = self.referent()?;
        self.create(RelanceDraft {
            person_id,
            rencontre_id: None,
            referent,
            due,
            reason,
            status: RelanceStatus::AFaire,
        })
    }

    /// Marks a relance done, postponed to `due`, or cancelled.
    pub fn set_relance_status(
        &mut self,
        id: &str,
        status: RelanceStatus,
        due: Option<Day>,
    ) -> Result<(), CoreError> {
        let mut relance: RelanceDraft = self.get(id)?;
        relance.status = status;
        if let Some(due) = due {
            relance.due = due;
        }
        self.update(id, relance)
    }

    /// The worker's caseload, at most `limit` persons: by stage, and within a stage the
    /// longest unseen first (never seen before anyone).
    pub fn caseload_of_worker(&self, limit: u32) -> Result<Caseload, CoreError> {
        let Some(worker) = self.profile()?.worker_name else {
            return Ok(Caseload::default());
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT p.id, p.pseudonym, p.last_name, p.stage,
                    (SELECT MAX(rp.occurred_at) FROM rencontre_persons rp
                      WHERE rp.person_id = p.id) AS last_seen
               FROM personnes p WHERE p.referent = ?1
              ORDER BY p.stage IS NULL, p.stage, last_seen IS NOT NULL, last_seen, p.id
              LIMIT ?2",
        )?;
        let rows = stmt.query_map(rusqlite::params![worker, limit], |r| {
            Ok(CaseloadEntry {
                id: crate::store::queries::id_at(r, 0)?,
                pseudonym: r.get(1)?,
                last_name: r.get(2)?,
                stage: crate::store::queries::vocab_or_none(r, 3)?,
                last_seen: r.get(4)?,
            })
        })?;
        Ok(Caseload {
            worker_name: Some(worker),
            persons: rows.collect::<Result<_, _>>()?,
        })
    }

    /// A person's screen: their record and their timeline.
    ///
    /// A person merged into another is shown as that other, with the values and the
    /// merged consent of the merge, and the timeline of every record merged.
    pub fn person_view(&mut self, id: &str) -> Result<PersonView, CoreError> {
        let id = self.shown_person(id)?;
        let stored: PersonDraft = self.get(&id)?;
        let merges = self.merges_into(&id)?;
        let person = if merges.is_empty() {
            stored
        } else {
            crate::store::merges::as_shown(&self.conn, &id, &stored)?
        };
        Ok(PersonView {
            id: filrouge_model::RecordId::parse(&id)
                .ok_or_else(|| CoreError::NotFound { id: id.clone() })?,
            person,
            timeline: self.timeline(&id)?,
            merges,
        })
    }
}

#[cfg(test)]
#[path = "people_tests.rs"]
mod tests;
