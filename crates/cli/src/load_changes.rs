//! The changes `bench load` devices push: real Automerge changes of rencontre records,
//! made before the clock starts so the devices cost the server's machine nothing but
//! their HTTP requests.
//!
//! Each device has its own actor, as a phone does. Most changes make a new rencontre (a
//! first change with the record's id, kind, channel, place, commune, date, headcount or
//! persons, and often a note: 250 to 500 bytes); the rest edit one of the device's
//! recent records (a new note and `updated_at`). A change travels as its uncompressed
//! bytes (`raw_bytes`) with its true hash in lowercase hex, so a client or a server that
//! checks a hash against its bytes would find it right. The changes come in pages, the
//! size of one push: mostly 1 to 20 (a phone syncing after a few contacts), now and then
//! 200 to 500 (a phone back after two weeks offline), see [`page_size`].

use std::collections::VecDeque;

use anyhow::Context as _;
use automerge::transaction::{CommitOptions, Transactable as _};
use automerge::{ActorId, AutoCommit, ObjType, ROOT, ScalarValue};
use filrouge_model::sync::ChangeBlob;

use crate::generate::{self, Rng};

/// One push: changes in the order the device made them.
pub type Page = Vec<ChangeBlob>;

/// Percent of pages that are a long-offline phone's backlog.
const BIG_PAGE_PERCENT: usize = 2;
/// Percent of changes that edit one of the device's recent records.
const EDIT_PERCENT: usize = 30;
/// Recent records a device may edit.
const RECENT: usize = 16;
/// Persons a device's rencontres may name.
const PERSONS: usize = 24;
/// Pages prepared per device per second of the run, and at least: several times what a
/// device pushes here (the table says so if one runs dry). Making them takes a while
/// (about 60 µs a change), so not the most the rate limit would allow.
const PAGES_PER_SECOND: u64 = 4;
const PAGES_AT_LEAST: u64 = 60;
const NOTES: &[&str] = &[
    "Échange sur le tournoi, intéressé par une formation",
    "A demandé des infos sur le permis, à revoir mardi",
    "Accompagné à la Mission locale, dossier en cours",
    "Pas vu depuis trois semaines, les copains disent qu'il travaille",
    "Rappeler pour le rendez-vous Pôle emploi de jeudi",
];

/// The size of the next push: 1–20 changes most of the time, 200–500 now and then.
pub fn page_size(rng: &mut Rng) -> usize {
    if rng.chance(BIG_PAGE_PERCENT) {
        200 + rng.below(301)
    } else {
        1 + rng.below(20)
    }
}

/// Pages to prepare per device for a run of `seconds`.
pub fn pages_for(seconds: u64) -> usize {
    usize::try_from((PAGES_PER_SECOND * seconds).max(PAGES_AT_LEAST)).unwrap_or(usize::MAX)
}

/// `pages` pages for each of `devices` devices, made on every core.
pub fn plans(devices: usize, pages: usize) -> anyhow::Result<Vec<Vec<Page>>> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let now = filrouge_core::Clock::now_ms(&filrouge_core::SystemClock);
    let mut done: Vec<(usize, Vec<Page>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                scope.spawn(move || {
                    (w..devices)
                        .step_by(workers)
                        .map(|d| Ok((d, device_plan(d as u64, pages, now)?)))
                        .collect::<anyhow::Result<Vec<_>>>()
                })
            })
            .collect();
        let mut all = Vec::with_capacity(devices);
        for h in handles {
            let part = h
                .join()
                .map_err(|_| anyhow::anyhow!("a change generator panicked"))??;
            all.extend(part);
        }
        Ok::<_, anyhow::Error>(all)
    })?;
    done.sort_by_key(|(d, _)| *d);
    Ok(done.into_iter().map(|(_, plan)| plan).collect())
}

/// One device's pages, deterministic for a device number (record ids aside: UUID v7).
fn device_plan(device: u64, pages: usize, now: i64) -> anyhow::Result<Vec<Page>> {
    let mut rng = Rng::new(0x10AD ^ device.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let actor = ActorId::from(uuid::Uuid::now_v7().as_bytes());
    let persons: Vec<String> = (0..PERSONS)
        .map(|_| uuid::Uuid::now_v7().to_string())
        .collect();
    let mut recent: VecDeque<(String, AutoCommit)> = VecDeque::with_capacity(RECENT + 1);
    let mut plan = Vec::with_capacity(pages);
    for _ in 0..pages {
        let size = page_size(&mut rng);
        let mut page = Vec::with_capacity(size);
        for _ in 0..size {
            let edit = !recent.is_empty() && rng.chance(EDIT_PERCENT);
            let change = if edit {
                let i = rng.below(recent.len());
                let (id, doc) = &mut recent[i];
                edit_rencontre(doc, id, &mut rng, now)?
            } else {
                let (id, mut doc) = new_rencontre(&actor, &persons, &mut rng, now)?;
                let change = take_change(&mut doc, &id)?;
                recent.push_back((id, doc));
                if recent.len() > RECENT {
                    recent.pop_front();
                }
                change
            };
            page.push(change);
        }
        plan.push(page);
    }
    Ok(plan)
}

/// A new rencontre's document, with its first change made, as the app makes one.
fn new_rencontre(
    actor: &ActorId,
    persons: &[String],
    rng: &mut Rng,
    now: i64,
) -> anyhow::Result<(String, AutoCommit)> {
    let id = uuid::Uuid::now_v7();
    let draft = generate::rencontre(rng, persons, now);
    let mut doc = AutoCommit::new().with_actor(actor.clone());
    doc.put(ROOT, "schema", 1)?;
    doc.put(ROOT, "kind", "rencontre")?;
    // The id makes the first change unique to the record, as in the app.
    doc.put(ROOT, "id", ScalarValue::Bytes(id.as_bytes().to_vec()))?;
    doc.put(ROOT, "channel", draft.channel.code())?;
    doc.put(ROOT, "place", draft.place)?;
    doc.put(ROOT, "occurred_at", draft.occurred_at.unwrap_or(now))?;
    doc.put(ROOT, "commune", draft.commune.unwrap_or_default())?;
    doc.put(ROOT, "headcount", i64::from(draft.headcount))?;
    if !draft.persons.is_empty() {
        let set = doc.put_object(ROOT, "persons", ObjType::Map)?;
        for p in draft.persons {
            doc.put(&set, p, true)?;
        }
    }
    if !draft.note.is_empty() || rng.chance(50) {
        doc.put(ROOT, "note", *rng.pick(NOTES))?;
    }
    doc.put(ROOT, "updated_at", now)?;
    doc.commit_with(CommitOptions::default().with_time(now));
    Ok((id.to_string(), doc))
}

/// An edit of a recent rencontre: a new note, and the time.
fn edit_rencontre(
    doc: &mut AutoCommit,
    id: &str,
    rng: &mut Rng,
    now: i64,
) -> anyhow::Result<ChangeBlob> {
    let at = now + rng.below(3_600_000) as i64;
    doc.put(ROOT, "note", *rng.pick(NOTES))?;
    doc.put(ROOT, "updated_at", at)?;
    doc.commit_with(CommitOptions::default().with_time(at));
    take_change(doc, id)
}

/// The document's last change as the wire carries it.
fn take_change(doc: &mut AutoCommit, id: &str) -> anyhow::Result<ChangeBlob> {
    let change = doc
        .get_last_local_change()
        .context("a commit made no change")?;
    Ok(ChangeBlob {
        doc_id: id.to_owned(),
        kind: "rencontre".to_owned(),
        hash: change.hash().to_string(),
        data: change.raw_bytes().to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_mostly_small_with_a_few_backlogs() {
        let mut rng = Rng::new(7);
        let sizes: Vec<usize> = (0..20_000).map(|_| page_size(&mut rng)).collect();
        assert!(
            sizes
                .iter()
                .all(|&n| (1..=20).contains(&n) || (200..=500).contains(&n))
        );
        let big = sizes.iter().filter(|&&n| n >= 200).count();
        // 2% of 20,000 is 400; a fair generator lands well within ±100.
        assert!((300..=500).contains(&big), "{big} big pages");
        assert!(sizes.contains(&1) && sizes.contains(&20));
    }

    #[test]
    fn changes_are_real_automerge_changes_with_their_hash() {
        let plan = device_plan(3, 5, 1_700_000_000_000).unwrap();
        let changes: Vec<&ChangeBlob> = plan.iter().flatten().collect();
        assert!(changes.len() >= 5);
        for blob in changes {
            let change = automerge::Change::try_from(&blob.data[..]).unwrap();
            assert_eq!(change.hash().to_string(), blob.hash);
            assert_eq!(blob.hash.len(), 64);
            assert!(uuid::Uuid::parse_str(&blob.doc_id).is_ok());
        }
    }
}
