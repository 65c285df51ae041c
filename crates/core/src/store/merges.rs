//! Merges: two person records shown as one, and back apart on undo, without rewriting
//! anything recorded.
//!
//! A merge is a synced record (`fusion`, projected into `fusions`). After any write that
//! touches a merge or a merged person, [`settle`] runs in the same transaction: it
//! resolves every merge not undone with the one rule of [`filrouge_model::merges`],
//! keeps the result in `person_merged` (absorbed person → the person shown), and where
//! that changed, points `person_id` of the rows recorded for the person
//! (`recorded_person`) at whom they are now shown under, and projects the persons
//! concerned again. Projecting a person reads `person_merged`: an absorbed person has no
//! rows of its own (it is found, counted and listed as its survivor), and a survivor is
//! shown with the values taken by its merges and the **merged consent**, the
//! intersection of every member's, so no contact means are shown that one of the records
//! was not allowed to keep. Rows written while a merge stands (a rencontre recorded
//! offline for the absorbed person) follow it through [`shown_as`].

use std::collections::{BTreeMap, BTreeSet};

use filrouge_model::merges::{MergeLink, resolve};
use filrouge_model::records::RecordKind;
use filrouge_model::views::MergeNote;
use filrouge_model::{ConsentScope, MergeDraft, MergedFields, PersonDraft, RecordId};
use rusqlite::{Connection, OptionalExtension, params};

use crate::CoreError;
use crate::store::projections::unproject;
use crate::store::records::{decode, write_rows};
use crate::store::{Store, StoreOptions, load_doc};

/// The tables whose rows name a person, each with `person_id` and `recorded_person`.
const LINKED: &[&str] = &[
    "rencontre_persons",
    "etapes",
    "orientations",
    "relances",
    "inscriptions",
];

/// How a person stands among merges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Standing {
    /// In no merge.
    Alone,
    /// Merged into another person: shown as them.
    Absorbed,
    /// Others were merged into them.
    Survivor,
}

/// How person `id` stands.
pub(crate) fn standing(tx: &Connection, id: &str) -> Result<Standing, CoreError> {
    let found: Option<i64> = tx
        .prepare_cached(
            "SELECT 1 FROM person_merged WHERE absorbed = ?1
             UNION ALL SELECT 2 FROM person_merged WHERE survivor = ?1 LIMIT 1",
        )?
        .query_row([id], |r| r.get(0))
        .optional()?;
    Ok(match found {
        Some(1) => Standing::Absorbed,
        Some(_) => Standing::Survivor,
        None => Standing::Alone,
    })
}

/// The person a row recorded for `person` is shown under.
pub(crate) fn shown_as(tx: &Connection, person: &str) -> Result<String, CoreError> {
    let survivor: Option<String> = tx
        .prepare_cached("SELECT survivor FROM person_merged WHERE absorbed = ?1")?
        .query_row([person], |r| r.get(0))
        .optional()?;
    Ok(survivor.unwrap_or_else(|| person.to_owned()))
}

/// Keeps an absorbed person's consent for its survivor's merged consent.
pub(crate) fn note_absorbed(tx: &Connection, id: &str, p: &PersonDraft) -> Result<(), CoreError> {
    let scopes = p
        .consent
        .as_ref()
        .map(|c| serde_json::to_string(&c.scopes))
        .transpose()
        .map_err(|e| CoreError::Corrupt {
            id: id.to_owned(),
            reason: e.to_string(),
        })?;
    tx.prepare_cached("UPDATE person_merged SET scopes = ?2 WHERE absorbed = ?1")?
        .execute(params![id, scopes])?;
    Ok(())
}

/// Survivor `id` as shown: the values its merges took, in the order of the merges, and
/// the merged consent (the scopes every member agreed to; none if one never agreed).
pub(crate) fn as_shown(
    tx: &Connection,
    id: &str,
    person: &PersonDraft,
) -> Result<PersonDraft, CoreError> {
    let mut shown = person.clone();
    let mut stmt = tx.prepare_cached(
        "SELECT f.taken, m.scopes FROM person_merged m JOIN fusions f ON f.id = m.fusion
          WHERE m.survivor = ?1 ORDER BY f.id",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))
    })?;
    let corrupt = |e: serde_json::Error| CoreError::Corrupt {
        id: id.to_owned(),
        reason: e.to_string(),
    };
    for row in rows {
        let (taken, scopes) = row?;
        let taken: MergedFields = serde_json::from_str(&taken).map_err(corrupt)?;
        taken.apply_to(&mut shown);
        let scopes: BTreeSet<ConsentScope> = match scopes {
            Some(s) => serde_json::from_str(&s).map_err(corrupt)?,
            None => BTreeSet::new(),
        };
        if let Some(consent) = &mut shown.consent {
            consent.scopes.retain(|s| scopes.contains(s));
        }
    }
    Ok(shown)
}

/// The pseudonyms of the records merged into survivor `id`, as merged.
pub(crate) fn absorbed_names(tx: &Connection, id: &str) -> Result<Vec<String>, CoreError> {
    let mut stmt = tx.prepare_cached(
        "SELECT f.pseudonym FROM person_merged m JOIN fusions f ON f.id = m.fusion
          WHERE m.survivor = ?1 ORDER BY f.id",
    )?;
    let rows = stmt.query_map([id], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Writes a merge record's row.
pub(crate) fn project_merge(
    tx: &Connection,
    id: &str,
    m: &MergeDraft,
    at: i64,
) -> Result<(), CoreError> {
    let taken = serde_json::to_string(&m.taken).map_err(|e| CoreError::Corrupt {
        id: id.to_owned(),
        reason: e.to_string(),
    })?;
    tx.prepare_cached(
        "INSERT INTO fusions (id, survivor, absorbed, pseudonym, taken, decided_by, undone, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        id,
        m.survivor.as_str(),
        m.absorbed.as_str(),
        m.absorbed_pseudonym,
        taken,
        m.decided_by,
        m.undone,
        at
    ])?;
    Ok(())
}

/// Brings `person_merged`, the linked rows and the persons concerned in line with the
/// merges in `fusions`, after the records `touched` were projected. Idempotent: run
/// twice, the second run changes nothing.
pub(crate) fn settle(tx: &Connection, touched: &[&str]) -> Result<(), CoreError> {
    let links: Vec<MergeLink> = {
        // A merge naming an erased person joins nobody: what the other record holds is
        // not hidden behind a person who is gone.
        let mut stmt = tx.prepare_cached(
            "SELECT id, survivor, absorbed FROM fusions
              WHERE undone = 0
                AND survivor NOT IN (SELECT doc_id FROM erased)
                AND absorbed NOT IN (SELECT doc_id FROM erased)",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        let mut links = Vec::new();
        for row in rows {
            let (id, survivor, absorbed) = row?;
            if let (Some(id), Some(survivor), Some(absorbed)) = (
                RecordId::parse(&id),
                RecordId::parse(&survivor),
                RecordId::parse(&absorbed),
            ) {
                links.push(MergeLink {
                    id,
                    survivor,
                    absorbed,
                });
            }
        }
        links
    };
    let new: BTreeMap<String, (String, String)> = resolve(&links)
        .into_iter()
        .map(|(x, a)| {
            let (root, by) = (a.root.as_str().to_owned(), a.by.as_str().to_owned());
            (x.as_str().to_owned(), (root, by))
        })
        .collect();
    let old: BTreeMap<String, (String, String)> = {
        let mut stmt = tx.prepare_cached("SELECT absorbed, survivor, fusion FROM person_merged")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?;
        rows.collect::<Result<_, _>>()?
    };
    let root_in = |map: &BTreeMap<String, (String, String)>, x: &str| {
        map.get(x)
            .map_or_else(|| x.to_owned(), |(root, _)| root.clone())
    };
    // Persons whose place changed, and every person whose rows must be written again.
    let mut moved: Vec<&String> = Vec::new();
    let mut again: BTreeSet<String> = BTreeSet::new();
    for x in old.keys().chain(new.keys()) {
        if old.get(x) != new.get(x) && !moved.contains(&x) {
            moved.push(x);
            again.insert(x.clone());
            again.insert(root_in(&old, x));
            again.insert(root_in(&new, x));
        }
    }
    for t in touched {
        if let Some((root, _)) = new.get(*t) {
            again.insert(root.clone());
        }
    }
    if again.is_empty() {
        return Ok(());
    }
    for x in &moved {
        match new.get(*x) {
            None => {
                tx.prepare_cached("DELETE FROM person_merged WHERE absorbed = ?1")?
                    .execute([x])?;
            }
            Some((root, by)) => {
                tx.prepare_cached(
                    "INSERT INTO person_merged (absorbed, survivor, fusion) VALUES (?1, ?2, ?3)
                     ON CONFLICT (absorbed) DO UPDATE SET survivor = ?2, fusion = ?3",
                )?
                .execute(params![x, root, by])?;
            }
        }
        let (from, to) = (root_in(&old, x), root_in(&new, x));
        if from != to {
            for table in LINKED {
                tx.prepare_cached(&format!(
                    "UPDATE {table} SET person_id = ?3 WHERE person_id = ?2 AND recorded_person = ?1"
                ))?
                .execute(params![x, from, to])?;
            }
        }
    }
    // Absorbed persons first: their consent is read by their survivor's projection.
    let (absorbed, rest): (Vec<String>, Vec<String>) =
        again.into_iter().partition(|x| new.contains_key(x));
    let limits = StoreOptions::default();
    let reader = automerge::ActorId::random();
    for id in absorbed.iter().chain(&rest) {
        // A person whose document this device does not hold (yet) has nothing to show.
        let Some(mut loaded) = load_doc(tx, id, &limits, &reader)? else {
            continue;
        };
        if let Some(decoded) = decode(RecordKind::Personne, &mut loaded.doc) {
            // Rewritten whole: a survivor's search entry holds the merged names.
            unproject(tx, RecordKind::Personne, id)?;
            write_rows(tx, RecordKind::Personne, id, &decoded, true)?;
        }
    }
    Ok(())
}

impl Store {
    /// Merges `absorbed` into `survivor` (a synced `fusion` record), taking `taken`
    /// from the absorbed person. Both must be shown persons (not deleted, not already
    /// merged away).
    pub fn merge_persons(
        &mut self,
        survivor: RecordId,
        absorbed: RecordId,
        taken: MergedFields,
        decided_by: Option<String>,
    ) -> Result<RecordId, CoreError> {
        let pseudonym_of = |id: &RecordId| -> Result<String, CoreError> {
            self.conn
                .prepare_cached("SELECT pseudonym FROM personnes WHERE id = ?1")?
                .query_row([id.as_str()], |r| r.get(0))
                .optional()?
                .ok_or_else(|| CoreError::NotFound {
                    id: id.as_str().to_owned(),
                })
        };
        pseudonym_of(&survivor)?;
        let absorbed_pseudonym = pseudonym_of(&absorbed)?;
        self.create(MergeDraft {
            survivor,
            absorbed,
            absorbed_pseudonym,
            taken,
            decided_by,
            undone: false,
        })
    }

    /// Undoes merge `merge`; returns the survivor it named.
    pub fn undo_merge(&mut self, merge: &RecordId) -> Result<RecordId, CoreError> {
        let mut draft: MergeDraft = self.get(merge.as_str())?;
        let survivor = draft.survivor.clone();
        if !draft.undone {
            draft.undone = true;
            self.update(merge.as_str(), draft)?;
        }
        Ok(survivor)
    }

    /// The person `id` is shown as (itself unless merged away).
    pub fn shown_person(&self, id: &str) -> Result<String, CoreError> {
        shown_as(&self.conn, id)
    }

    /// The merges that hold persons shown as `root`, oldest first.
    pub fn merges_into(&self, root: &str) -> Result<Vec<MergeNote>, CoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT f.id, f.absorbed, f.pseudonym, f.decided_by, f.at
               FROM person_merged m JOIN fusions f ON f.id = m.fusion
              WHERE m.survivor = ?1 ORDER BY f.id",
        )?;
        let rows = stmt.query_map([root], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, i64>(4)?,
            ))
        })?;
        let mut notes = Vec::new();
        for row in rows {
            let (merge, absorbed, pseudonym, decided_by, at) = row?;
            if let (Some(merge), Some(absorbed)) =
                (RecordId::parse(&merge), RecordId::parse(&absorbed))
            {
                notes.push(MergeNote {
                    merge,
                    absorbed,
                    pseudonym,
                    decided_by,
                    at,
                });
            }
        }
        Ok(notes)
    }
}

#[cfg(test)]
#[path = "merges_tests.rs"]
mod tests;
