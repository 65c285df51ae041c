//! The changes `bench load` devices push: made by `filrouge-core` itself, in one real
//! device store per simulated device, before the clock starts, so the server receives
//! exactly the documents the app makes and the devices cost the server's machine
//! nothing but their HTTP requests.
//!
//! Each device is a [`Store`] of its own (its own actor, as a phone has). It first meets
//! the persons its rencontres will name (pushed before the run). Then, page after page,
//! it records new rencontres ([`Store::create_rencontre`], as "Enregistrer" does) and
//! corrects recent ones ([`Store::edit_rencontre_text`], the list's inline edit), and
//! the sync engine drains its outbox into push pages, exactly the pages the phone
//! would send. Pages are the size of one push: mostly 1 to 20 changes (a phone syncing
//! after a few contacts), now and then 200 to 500 (a phone back after two weeks
//! offline), see [`page_size`]. A change travels as the app sends it (its chunk
//! without magic bytes and checksum, `sync::pages::blob_of`). The stores live in a memory-backed directory when the
//! machine has one: their disks are the phones', not the server machine's.

use std::collections::VecDeque;
use std::path::Path;

use filrouge_core::e2e::Keyring;
use filrouge_core::sync::{Step, SyncEngine};
use filrouge_core::{Env, Store};
use filrouge_model::PersonDraft;
use filrouge_model::sync::{API_VERSION, ChangeBlob, PushResponse};

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
/// Pages prepared per device per second of the run, and at least: more than a device
/// pushes here (the table says so if one runs dry). Five, not four: with four, SQLite's
/// 20-team run at 12,400 changes/s pushed every page of every device before the minute
/// ended, so its figure was only a lower bound.
const PAGES_PER_SECOND: u64 = 5;
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
/// With `ring`, every device holds the team key and its pages are sealed batches.
pub fn plans(
    devices: usize,
    pages: usize,
    ring: Option<&Keyring>,
) -> anyhow::Result<Vec<Vec<Page>>> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let shm = Path::new("/dev/shm");
    let dir = if shm.is_dir() {
        tempfile::tempdir_in(shm)?
    } else {
        tempfile::tempdir()?
    };
    let dir = dir.path();
    let mut done: Vec<(usize, Vec<Page>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                scope.spawn(move || {
                    (w..devices)
                        .step_by(workers)
                        .map(|d| Ok((d, device_plan(d as u64, pages, dir, ring)?)))
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

/// One device's pages, made in its own store under `dir`; deterministic for a device
/// number but for the ids and times (UUIDv7, the system clock, as on a phone).
fn device_plan(
    device: u64,
    pages: usize,
    dir: &Path,
    ring: Option<&Keyring>,
) -> anyhow::Result<Vec<Page>> {
    let mut rng = Rng::new(0x10AD ^ device.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let path = dir.join(format!("device-{device}.sqlite"));
    let mut store = Store::open(&path, Env::default())?;
    if let Some(ring) = ring {
        store.add_keys(ring)?;
    }
    let now = filrouge_core::Clock::now_ms(&filrouge_core::SystemClock);
    let met = (0..PERSONS).map(|i| PersonDraft::new(format!("Jeune {i}")));
    let persons = store.import(met.collect())?;
    // Pushed before the run: the persons are on the server when the rencontres come.
    drain_outbox(&mut store)?;
    let mut recent: VecDeque<filrouge_model::RecordId> = VecDeque::with_capacity(RECENT + 1);
    let mut plan = Vec::with_capacity(pages);
    for _ in 0..pages {
        for _ in 0..page_size(&mut rng) {
            if !recent.is_empty() && rng.chance(EDIT_PERCENT) {
                let id = &recent[rng.below(recent.len())];
                let place = store.rencontre(id)?.place;
                store.edit_rencontre_text(id, place, (*rng.pick(NOTES)).to_owned())?;
            } else {
                let mut draft = generate::rencontre(&mut rng, &persons, now);
                if draft.note.is_empty() && rng.chance(50) {
                    draft.note = (*rng.pick(NOTES)).to_owned();
                }
                recent.push_back(store.create_rencontre(draft)?.id);
                if recent.len() > RECENT {
                    recent.pop_front();
                }
            }
        }
        plan.push(drain_outbox(&mut store)?);
    }
    drop(store);
    // The device's file is not needed any more: the pages hold its changes.
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    Ok(plan)
}

/// Everything in the device's outbox, as the sync engine pages it for a push, each page
/// then acknowledged as the server would: the changes, in the order they were made.
pub(crate) fn drain_outbox(store: &mut Store) -> anyhow::Result<Page> {
    let mut engine = SyncEngine::new();
    let mut changes = Vec::new();
    while let Step::Push(sent) = engine.next(store)? {
        let acknowledged = sent.changes.iter().map(|c| c.hash.clone()).collect();
        let answer = PushResponse {
            api_version: API_VERSION,
            log_id: "bench-log".to_owned(),
            acknowledged,
            refused: Vec::new(),
            lease_days: None,
        };
        engine.on_push(store, &sent, answer)?;
        changes.extend(sent.changes);
    }
    Ok(changes)
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
    fn changes_are_the_apps_own_and_carry_their_hash() {
        let dir = tempfile::tempdir().unwrap();
        let plan = device_plan(3, 5, dir.path(), None).unwrap();
        let changes: Vec<&ChangeBlob> = plan.iter().flatten().collect();
        assert!(changes.len() >= 5);
        for blob in &changes {
            // The app pushes a change without its magic bytes and checksum.
            let (hash, _) = filrouge_core::sync::pages::chunk_of(blob.data.clone()).unwrap();
            assert_eq!(hash.to_string(), blob.hash);
            assert_eq!(blob.kind, "rencontre");
            assert!(uuid::Uuid::parse_str(&blob.doc_id).is_ok());
        }
        // A device that receives them sees the rencontres the app made, notes as text.
        let mut reader = Store::open(&dir.path().join("reader.sqlite"), Env::default()).unwrap();
        let hub = filrouge_core::sync::MemoryHub::new();
        let mut to_hub = hub.transport();
        for page in &plan {
            let sent = filrouge_model::sync::PushRequest {
                api_version: API_VERSION,
                changes: page.clone(),
            };
            filrouge_core::sync::Transport::push(&mut to_hub, &sent).unwrap();
        }
        let reader_lock = std::sync::Mutex::new(reader);
        filrouge_core::sync::run(&reader_lock, &mut hub.transport()).unwrap();
        reader = reader_lock.into_inner().unwrap();
        let made: std::collections::BTreeSet<&str> =
            changes.iter().map(|c| c.doc_id.as_str()).collect();
        let listed = reader.list_rencontres_since(0).unwrap();
        assert_eq!(listed.len(), made.len(), "every rencontre made, once");
    }
}
