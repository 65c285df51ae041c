//! Erasing a person from the coordinator's laptop: which records go, and how the
//! rencontres that named them keep counting.
//!
//! [`Store::erasure_plan`] lists, for a person and every record merged with theirs (one
//! human), the documents to erase everywhere: the persons, their stages, orientations,
//! relances and registrations, the merges and "pas la même personne" decisions naming
//! them, and every rencontre that named them. The app layer has the server erase each
//! (the existing erasure path: every device deletes them at its next pull), then
//! [`Store::apply_erasure`] erases them here in one transaction and writes what keeps
//! the counts: each rencontre comes back as a copy without them (a rencontre's history
//! would keep what was typed about them, so it is not edited but made again): channel,
//! place, time, commune, worker, needs, actions, age bands and genders, the other
//! persons it named, and a headcount grown by the persons erased. Its note and next
//! step are kept only for a rencontre that named others too and only if they do not
//! hold a word of an erased person's names; the relance date goes. The register keeps
//! the reason, the day and the number of records, nothing about whom.

use std::collections::BTreeSet;

use filrouge_model::erasure::{ErasureEntry, ErasureReason};
use filrouge_model::{Day, RecordId, RencontreDraft};

use crate::store::records::create_in;
use crate::{CoreError, Store};

/// The `meta` key of the erasure register (a JSON list of [`ErasureEntry`]).
const REGISTER: &str = "erasures";

/// What erasing a person does.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErasurePlan {
    /// The persons erased: the one asked for and every record merged with it.
    pub persons: Vec<String>,
    /// Every document to erase, the persons and their rencontres included.
    pub erase: Vec<String>,
}

impl Store {
    /// What erasing person `id` (and every record merged with it) erases and changes.
    pub fn erasure_plan(&self, id: &str) -> Result<ErasurePlan, CoreError> {
        let root = self.shown_person(id)?;
        let mut persons: BTreeSet<String> = BTreeSet::from([root.clone()]);
        {
            let mut stmt = self
                .conn
                .prepare_cached("SELECT absorbed FROM person_merged WHERE survivor = ?1")?;
            for row in stmt.query_map([&root], |r| r.get::<_, String>(0))? {
                persons.insert(row?);
            }
        }
        let exists: bool = self
            .conn
            .prepare_cached("SELECT 1 FROM documents WHERE id = ?1 AND kind = 'personne'")?
            .exists([&root])?;
        if !exists {
            return Err(CoreError::NotFound { id: id.to_owned() });
        }
        let mut erase: BTreeSet<String> = persons.clone();
        // Every row recorded for a record of the group is shown under its root: one
        // indexed look-up by `person_id` finds them all.
        for sql in [
            "SELECT id FROM etapes WHERE person_id = ?1",
            "SELECT id FROM orientations WHERE person_id = ?1",
            "SELECT id FROM relances WHERE person_id = ?1",
            "SELECT id FROM inscriptions WHERE person_id = ?1",
            "SELECT rencontre_id FROM rencontre_persons WHERE person_id = ?1",
        ] {
            let mut stmt = self.conn.prepare_cached(sql)?;
            for row in stmt.query_map([&root], |r| r.get::<_, String>(0))? {
                erase.insert(row?);
            }
        }
        // Merges and decisions name the records themselves.
        for person in &persons {
            for sql in [
                "SELECT id FROM fusions WHERE survivor = ?1 OR absorbed = ?1",
                "SELECT id FROM non_doublons WHERE a = ?1 OR b = ?1",
            ] {
                let mut stmt = self.conn.prepare_cached(sql)?;
                for row in stmt.query_map([person], |r| r.get::<_, String>(0))? {
                    erase.insert(row?);
                }
            }
        }
        Ok(ErasurePlan {
            persons: persons.into_iter().collect(),
            erase: erase.into_iter().collect(),
        })
    }

    /// Erases what `plan` says on this device, in one transaction, keeping the counts
    /// of the rencontres; adds the line of the register and returns it. Run
    /// [`Store::scrub`] once the transaction is committed, so no old page keeps them.
    pub fn apply_erasure(
        &mut self,
        plan: &ErasurePlan,
        reason: ErasureReason,
    ) -> Result<ErasureEntry, CoreError> {
        let now = self.env.clock.now_ms();
        let gone: BTreeSet<RecordId> = plan
            .persons
            .iter()
            .filter_map(|p| RecordId::parse(p))
            .collect();
        // The words of their names, to keep no note that names them.
        let mut names = BTreeSet::new();
        for p in &plan.persons {
            if let Ok(person) = self.get::<filrouge_model::PersonDraft>(p) {
                for name in [Some(person.pseudonym), person.last_name]
                    .into_iter()
                    .flatten()
                {
                    names.extend(
                        filrouge_model::names::fold(&name)
                            .split(' ')
                            .filter(|w| w.chars().count() >= 3)
                            .map(str::to_owned),
                    );
                }
            }
        }
        // The rencontres as they were, read before anything is erased.
        let mut copies = Vec::new();
        for id in &plan.erase {
            if self.kind_of(id)? == filrouge_model::records::RecordKind::Rencontre {
                let old: RencontreDraft = self.get(id)?;
                copies.push(without(old, &gone, &names));
            }
        }
        let entry = ErasureEntry {
            day: Day::from_epoch_ms(now),
            reason,
            records: u32::try_from(plan.erase.len()).unwrap_or(u32::MAX),
        };
        let mut register: Vec<ErasureEntry> = self
            .meta(REGISTER)?
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default();
        register.push(entry.clone());
        let register = serde_json::to_string(&register).map_err(|e| CoreError::Unencodable {
            what: "the erasure register",
            reason: e.to_string(),
        })?;
        {
            let actor = self.actor().clone();
            // A savepoint: the app runs this inside its unit of work.
            let tx = self.conn.savepoint()?;
            for id in &plan.erase {
                crate::sync::erase_local(&tx, id, now)?;
            }
            for copy in copies {
                let copy = crate::store::kinds::Record::validated(copy, now)?;
                create_in(&tx, &self.env, &actor, copy, now)?;
            }
            crate::store::set_meta_tx(&tx, REGISTER, &register)?;
            tx.commit()?;
        }
        tracing::info!(records = plan.erase.len(), "person erased from this device");
        Ok(entry)
    }

    /// The erasure register of this device, oldest first.
    pub fn erasure_register(&self) -> Result<Vec<ErasureEntry>, CoreError> {
        Ok(self
            .meta(REGISTER)?
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default())
    }
}

/// A rencontre's copy without the persons erased: what counts, and what was typed only
/// when others were met too and it names none of them.
fn without(
    old: RencontreDraft,
    gone: &BTreeSet<RecordId>,
    names: &BTreeSet<String>,
) -> RencontreDraft {
    let (erased, kept): (BTreeSet<RecordId>, BTreeSet<RecordId>) =
        old.persons.iter().cloned().partition(|p| gone.contains(p));
    let names_them = |text: &str| {
        filrouge_model::names::fold(text)
            .split(' ')
            .any(|w| names.contains(w))
    };
    let keep_text = |text: String| {
        if kept.is_empty() || names_them(&text) {
            None
        } else {
            Some(text)
        }
    };
    RencontreDraft {
        channel: old.channel,
        place: old.place,
        occurred_at: old.occurred_at,
        headcount: old.headcount + u32::try_from(erased.len()).unwrap_or(0),
        age_bands: old.age_bands,
        genders: old.genders,
        needs: old.needs,
        actions: old.actions,
        commune: old.commune,
        worker: old.worker,
        note: keep_text(old.note).unwrap_or_default(),
        next_step: old.next_step.and_then(keep_text),
        persons: kept,
        ..RencontreDraft::default()
    }
}

#[cfg(test)]
#[path = "erasure_tests.rs"]
mod tests;
