//! Duplicates: the persons recorded twice that a coordinator should see, and the known
//! persons close to one being typed.
//!
//! Both read projections only. The scan ([`Store::duplicate_candidates`]) reads every
//! person's row once, makes its [`Sketch`], puts it in the blocks its
//! [`Sketch::block_keys`] name, and compares each pair sharing a block once; pairs a
//! coordinator said are two people (`non_doublons`, from synced "pas la même personne"
//! records) are left out. The form's check ([`Store::similar_persons`]) finds candidates
//! through `person_keys` (each person's [`Sketch::lookup_keys`], written with the
//! person's projection by [`project_keys`]) and compares only those.

use std::collections::{BTreeSet, HashMap, HashSet};

use filrouge_model::duplicates::{
    DuplicateList, DuplicatePair, Likeness, PersonSide, SUGGEST_AT, SimilarPerson, Sketch,
    SketchOf, compare,
};
use filrouge_model::ipc::FindSimilarPersons;
use filrouge_model::{Contact, Day, NotDuplicateDraft, PersonDraft, RecordId};
use rusqlite::{Connection, OptionalExtension, params};

use crate::store::queries::{id_at, vocab_or_none};
use crate::{CoreError, Store};

/// The columns of `personnes` a sketch is made from, in [`sketch_row`]'s order.
const SKETCH_COLUMNS: &str =
    "id, pseudonym, last_name, birth_year, age_band, gender, commune, phone, handle";

/// A person's sketch from a row of [`SKETCH_COLUMNS`].
fn sketch_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(String, Sketch)> {
    let id: String = r.get(0)?;
    let pseudonym: String = r.get(1)?;
    let last_name: Option<String> = r.get(2)?;
    let commune: Option<String> = r.get(6)?;
    let phone: Option<String> = r.get(7)?;
    let handle: Option<String> = r.get(8)?;
    let sketch = Sketch::new(SketchOf {
        pseudonym: &pseudonym,
        last_name: last_name.as_deref(),
        birth_year: r.get(3)?,
        age_band: vocab_or_none(r, 4)?,
        gender: vocab_or_none(r, 5)?,
        commune: commune.as_deref(),
        phone: phone.as_deref(),
        handle: handle.as_deref(),
    });
    Ok((id, sketch))
}

/// Rewrites a person's lookup keys where they changed (called with the person's
/// projection; `contact` is what the consent lets the projection keep). `first`: the
/// person had no row before this one, so it has no keys to read back.
pub(crate) fn project_keys(
    tx: &Connection,
    id: &str,
    p: &PersonDraft,
    contact: Option<&Contact>,
    first: bool,
) -> Result<(), CoreError> {
    let sketch = Sketch::new(SketchOf {
        pseudonym: &p.pseudonym,
        last_name: p.last_name.as_deref(),
        phone: contact.and_then(|c| c.phone.as_deref()),
        handle: contact.and_then(|c| c.handle.as_deref()),
        ..SketchOf::default()
    });
    let wanted: BTreeSet<String> = sketch.lookup_keys().into_iter().collect();
    let have: BTreeSet<String> = if first {
        BTreeSet::new()
    } else {
        let mut stmt = tx.prepare_cached("SELECT key FROM person_keys WHERE person_id = ?1")?;
        let rows = stmt.query_map([id], |r| r.get(0))?;
        rows.collect::<Result<_, _>>()?
    };
    let mut drop =
        tx.prepare_cached("DELETE FROM person_keys WHERE key = ?1 AND person_id = ?2")?;
    for key in have.difference(&wanted) {
        drop.execute(params![key, id])?;
    }
    let mut add =
        tx.prepare_cached("INSERT OR IGNORE INTO person_keys (key, person_id) VALUES (?1, ?2)")?;
    for key in wanted.difference(&have) {
        add.execute(params![key, id])?;
    }
    Ok(())
}

impl Store {
    /// Every pair of persons proposed as one person, most alike first, at most `limit`
    /// of them (with how many there are in all, and how much work the scan did).
    pub fn duplicate_candidates(&self, limit: u32) -> Result<DuplicateList, CoreError> {
        let mut ids = Vec::new();
        let mut sketches = Vec::new();
        {
            let mut stmt = self
                .conn
                .prepare(&format!("SELECT {SKETCH_COLUMNS} FROM personnes"))?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let (id, sketch) = sketch_row(r)?;
                ids.push(id);
                sketches.push(sketch);
            }
        }
        let dismissed = self.dismissed_pairs()?;
        let mut blocks: HashMap<String, Vec<u32>> = HashMap::new();
        for (i, sketch) in sketches.iter().enumerate() {
            for key in sketch.block_keys() {
                blocks.entry(key).or_default().push(i as u32);
            }
        }
        let mut seen: HashSet<(u32, u32)> = HashSet::new();
        let mut found: Vec<(u32, u32, Likeness)> = Vec::new();
        for members in blocks.values().filter(|m| m.len() > 1) {
            for (n, &x) in members.iter().enumerate() {
                for &y in &members[n + 1..] {
                    let pair = (x.min(y), x.max(y));
                    if !seen.insert(pair) {
                        continue;
                    }
                    let Some(likeness) =
                        compare(&sketches[pair.0 as usize], &sketches[pair.1 as usize])
                    else {
                        continue;
                    };
                    if !likeness.proposed() {
                        continue;
                    }
                    let (a, b) = ordered(&ids[pair.0 as usize], &ids[pair.1 as usize]);
                    if !dismissed.contains(&(a.to_owned(), b.to_owned())) {
                        found.push((pair.0, pair.1, likeness));
                    }
                }
            }
        }
        found.sort_by(|x, y| {
            y.2.score.cmp(&x.2.score).then_with(|| {
                ordered(&ids[x.0 as usize], &ids[x.1 as usize])
                    .cmp(&ordered(&ids[y.0 as usize], &ids[y.1 as usize]))
            })
        });
        let total = found.len() as u32;
        let mut pairs = Vec::new();
        for (x, y, likeness) in found.into_iter().take(limit as usize) {
            let (a, b) = ordered(&ids[x as usize], &ids[y as usize]);
            pairs.push(DuplicatePair {
                a: self.person_side(a)?,
                b: self.person_side(b)?,
                likeness,
            });
        }
        Ok(DuplicateList {
            pairs,
            total,
            persons: ids.len() as u32,
            comparisons: seen.len() as u64,
        })
    }

    /// The pairs said to be two people, each in its fixed order.
    fn dismissed_pairs(&self) -> Result<HashSet<(String, String)>, CoreError> {
        let mut stmt = self.conn.prepare_cached("SELECT a, b FROM non_doublons")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Known persons close to the one being typed, most alike first (three at most):
    /// found by the sound of each typed word, the phone or the handle, then compared.
    pub fn similar_persons(
        &self,
        typed: &FindSimilarPersons,
    ) -> Result<Vec<SimilarPerson>, CoreError> {
        let sketch = Sketch::new(SketchOf {
            pseudonym: &typed.pseudonym,
            last_name: typed.last_name.as_deref(),
            birth_year: typed.birth_year,
            commune: typed.commune.as_deref(),
            ..SketchOf::default()
        });
        let mut candidates = BTreeSet::new();
        {
            let mut stmt = self
                .conn
                .prepare_cached("SELECT person_id FROM person_keys WHERE key = ?1")?;
            for key in sketch.lookup_keys() {
                let rows = stmt.query_map([key], |r| r.get::<_, String>(0))?;
                for id in rows {
                    candidates.insert(id?);
                }
            }
        }
        let mut found = Vec::new();
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {SKETCH_COLUMNS} FROM personnes WHERE id = ?1"
        ))?;
        for id in &candidates {
            let Some((_, known)) = stmt.query_row([id], sketch_row).optional()? else {
                continue;
            };
            if let Some(likeness) = compare(&sketch, &known)
                && likeness.score >= SUGGEST_AT
            {
                found.push((id, likeness));
            }
        }
        found.sort_by(|x, y| y.1.score.cmp(&x.1.score).then_with(|| x.0.cmp(y.0)));
        found
            .into_iter()
            .take(3)
            .map(|(id, likeness)| {
                Ok(SimilarPerson {
                    person: self.person_side(id)?,
                    likeness,
                })
            })
            .collect()
    }

    /// A person as the duplicate screens show them.
    fn person_side(&self, id: &str) -> Result<PersonSide, CoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT p.id, p.pseudonym, p.last_name, p.birth_year, p.age_band, p.commune,
                    p.referent, p.stage,
                    (SELECT count(*) FROM rencontre_persons WHERE person_id = p.id),
                    (SELECT max(occurred_at) FROM rencontre_persons WHERE person_id = p.id)
               FROM personnes p WHERE p.id = ?1",
        )?;
        Ok(stmt.query_row([id], |r| {
            Ok(PersonSide {
                id: id_at(r, 0)?,
                pseudonym: r.get(1)?,
                last_name: r.get(2)?,
                birth_year: r.get(3)?,
                age_band: vocab_or_none(r, 4)?,
                commune: r.get(5)?,
                referent: r.get(6)?,
                stage: vocab_or_none(r, 7)?,
                rencontres: r.get(8)?,
                last_seen: r.get::<_, Option<i64>>(9)?.map(Day::from_epoch_ms),
            })
        })?)
    }

    /// Records that two persons are not one ("pas la même personne"): the pair is never
    /// proposed again, here or, once synced, on any device.
    pub fn dismiss_duplicate(&mut self, a: RecordId, b: RecordId) -> Result<RecordId, CoreError> {
        let decided_by = self.profile()?.worker_name;
        self.create(NotDuplicateDraft { a, b, decided_by })
    }
}

/// The two ids in their fixed order (as a "pas la même personne" record keeps them).
fn ordered<'a>(x: &'a str, y: &'a str) -> (&'a str, &'a str) {
    if x <= y { (x, y) } else { (y, x) }
}
