//! Property test of sync: 3 to 5 devices make random edits of random record kinds (and a
//! coordinator erases some records on the server) and
//! sync through a network that drops, duplicates, holds back, cuts short and reorders,
//! with app restarts in between, while the operator backs the server up and restores
//! it (with `filrouge restore`: a new log id) or replaces it with an empty one. (A copy
//! restored by hand keeps its log id, and is noticed only when its head is below a
//! device's cursor; `heal_tests` covers that case.) Once the network heals, every device must hold the same projections and
//! the same document heads, with nothing left to send, and every record created and not
//! erased must be there: nothing any device ever held is lost.
//!
//! 1,000 cases in the regular run; `PROPTEST_CASES=20000 cargo test -p filrouge-core
//! sync_converges` for a longer one. Failing cases are kept in `proptest-regressions/`.

use std::collections::BTreeSet;

use filrouge_model::RecordId;
use std::path::PathBuf;
use std::sync::atomic::{AtomicI64, AtomicU64};
use std::sync::{Arc, Mutex};

use filrouge_model::{
    Channel, Day, Frein, PersonDraft, PublicCategory, RelanceDraft, RelanceStatus, RencontreDraft,
    Stage,
};
use proptest::prelude::*;

use super::faults::{FaultRates, FaultyTransport};
use super::{HubBackup, MemoryHub, run};
use crate::store::tests::{CountingIds, NOW, TestClock, dump};
use crate::{Env, Store};

/// One thing a device does. Indexes are taken modulo what exists when it runs.
#[derive(Debug, Clone)]
enum Op {
    CreatePerson {
        at: usize,
        name: u8,
    },
    CreateRencontre {
        at: usize,
        person: usize,
    },
    CreateRelance {
        at: usize,
        person: usize,
    },
    EditPerson {
        at: usize,
        target: usize,
        change: u8,
    },
    EditNote {
        at: usize,
        target: usize,
        text: u8,
    },
    Correct {
        at: usize,
        target: usize,
    },
    Delete {
        at: usize,
        target: usize,
    },
    /// A coordinator erases a record on the server.
    Erase {
        target: usize,
    },
    Sync {
        at: usize,
        seed: u64,
    },
    Restart {
        at: usize,
    },
    /// The operator backs the server up.
    Backup,
    /// The operator puts a backup back with `filrouge restore` (a new log id).
    Restore {
        which: usize,
    },
    /// The server is replaced by an empty one.
    Empty,
}

fn op() -> impl Strategy<Value = Op> {
    let i = || 0usize..64;
    prop_oneof![
        3 => (i(), any::<u8>()).prop_map(|(at, name)| Op::CreatePerson { at, name }),
        2 => (i(), i()).prop_map(|(at, person)| Op::CreateRencontre { at, person }),
        1 => (i(), i()).prop_map(|(at, person)| Op::CreateRelance { at, person }),
        3 => (i(), i(), any::<u8>()).prop_map(|(at, target, change)| Op::EditPerson { at, target, change }),
        2 => (i(), i(), any::<u8>()).prop_map(|(at, target, text)| Op::EditNote { at, target, text }),
        1 => (i(), i()).prop_map(|(at, target)| Op::Correct { at, target }),
        1 => (i(), i()).prop_map(|(at, target)| Op::Delete { at, target }),
        1 => i().prop_map(|target| Op::Erase { target }),
        4 => (i(), any::<u64>()).prop_map(|(at, seed)| Op::Sync { at, seed }),
        1 => i().prop_map(|at| Op::Restart { at }),
        1 => Just(Op::Backup),
        1 => i().prop_map(|which| Op::Restore { which }),
        1 => Just(Op::Empty),
    ]
}

struct Device {
    path: PathBuf,
    n: u8,
    /// Survives restarts, as UUIDv7s from a real clock never repeat.
    ids: Arc<CountingIds>,
    store: Mutex<Store>,
}

impl Device {
    fn open(dir: &std::path::Path, n: u8) -> Self {
        let path = dir.join(format!("d{n}.sqlite"));
        let ids = Arc::new(CountingIds(AtomicU64::new(1), n));
        let store = Mutex::new(Store::open(&path, Self::env(&ids)).unwrap());
        Device {
            path,
            n,
            ids,
            store,
        }
    }
    fn env(ids: &Arc<CountingIds>) -> Env {
        Env {
            clock: Arc::new(TestClock(AtomicI64::new(NOW))),
            ids: Arc::clone(ids) as Arc<dyn crate::IdSource>,
        }
    }
    fn restart(&mut self) {
        // Dropping the store closes the file as a killed app leaves it (every action was
        // its own committed transaction).
        let fresh = Store::open(&self.path, Self::env(&self.ids)).unwrap();
        self.store = Mutex::new(fresh);
    }
    fn with<T>(&self, f: impl FnOnce(&mut Store) -> T) -> T {
        f(&mut self.store.lock().unwrap())
    }
}

/// What was created and deleted, across all devices.
#[derive(Default)]
struct World {
    persons: Vec<RecordId>,
    rencontres: Vec<RecordId>,
    all: Vec<RecordId>,
    deleted: BTreeSet<RecordId>,
    erased: BTreeSet<RecordId>,
    /// Erased records some device had received the erasure of when the server lost
    /// its log: they must stay erased.
    remembered: BTreeSet<RecordId>,
    backups: Vec<HubBackup>,
}

fn pick(list: &[RecordId], i: usize) -> Option<&RecordId> {
    (!list.is_empty()).then(|| &list[i % list.len()])
}

fn person_named(name: u8) -> PersonDraft {
    let mut p = PersonDraft::new(format!("Personne {name}"));
    p.referent = Some("Karim".into());
    p
}

fn apply(op: &Op, devices: &mut [Device], world: &mut World, hub: &MemoryHub) {
    let count = devices.len();
    match *op {
        Op::CreatePerson { at, name } => {
            let id = devices[at % count]
                .with(|s| s.create(person_named(name)))
                .unwrap();
            world.persons.push(id.clone());
            world.all.push(id);
        }
        Op::CreateRencontre { at, person } => {
            // Only persons this device has: the form offers those.
            let person = pick(&world.persons, person).cloned();
            let d = &devices[at % count];
            let persons: BTreeSet<RecordId> = person
                .filter(|p| d.with(|s| s.get::<PersonDraft>(p)).is_ok())
                .into_iter()
                .collect();
            let draft = RencontreDraft {
                channel: Channel::Maraude,
                place: "Gare".into(),
                occurred_at: Some(NOW - 60_000),
                headcount: 1,
                persons,
                ..RencontreDraft::default()
            };
            let id = d.with(|s| s.create(draft)).unwrap();
            world.rencontres.push(id.clone());
            world.all.push(id);
        }
        Op::CreateRelance { at, person } => {
            let Some(person) = pick(&world.persons, person).cloned() else {
                return;
            };
            let draft = RelanceDraft {
                person_id: Some(person),
                rencontre_id: None,
                referent: "Karim".into(),
                due: Day::from_epoch_ms(NOW),
                reason: "Rappeler".into(),
                status: RelanceStatus::AFaire,
            };
            let id = devices[at % count].with(|s| s.create(draft)).unwrap();
            world.all.push(id);
        }
        Op::EditPerson { at, target, change } => {
            let Some(id) = pick(&world.persons, target) else {
                return;
            };
            devices[at % count].with(|s| {
                // Not on this device yet, or deleted: nothing to edit.
                let Ok(mut p) = s.get::<PersonDraft>(id) else {
                    return;
                };
                match change % 4 {
                    0 => p.stage = Some(Stage::ALL[usize::from(change) % Stage::ALL.len()]),
                    1 => {
                        let c =
                            PublicCategory::ALL[usize::from(change) % PublicCategory::ALL.len()];
                        if !p.categories.remove(&c) {
                            p.categories.insert(c);
                        }
                    }
                    2 => {
                        p.freins
                            .insert(Frein::ALL[usize::from(change) % Frein::ALL.len()]);
                    }
                    _ => p.pseudonym = format!("Renommé {change}"),
                }
                s.update(id, p).unwrap();
            });
        }
        Op::EditNote { at, target, text } => {
            let Some(id) = pick(&world.rencontres, target) else {
                return;
            };
            devices[at % count].with(|s| {
                let Ok(mut r) = s.get::<RencontreDraft>(id) else {
                    return;
                };
                r.note.push_str(&format!(" mot{text}"));
                s.update(id, r).unwrap();
            });
        }
        Op::Correct { at, target } => {
            let Some(id) = pick(&world.persons, target) else {
                return;
            };
            devices[at % count].with(|s| {
                if s.get::<PersonDraft>(id).is_ok() {
                    s.correct(id, "pseudonym", serde_json::json!("Corrigé"))
                        .unwrap();
                }
            });
        }
        Op::Delete { at, target } => {
            let Some(id) = pick(&world.all, target) else {
                return;
            };
            let done = devices[at % count].with(|s| s.delete(id));
            if done.is_ok() {
                world.deleted.insert(id.clone());
            }
        }
        Op::Erase { target } => {
            let Some(id) = pick(&world.all, target) else {
                return;
            };
            hub.erase(id);
            world.erased.insert(id.clone());
        }
        Op::Sync { at, seed } => {
            let d = &devices[at % count];
            let mut t = FaultyTransport::new(hub, FaultRates::HOSTILE, seed);
            // Failing is expected on this network; what it leaves must be consistent.
            let _ = run(&d.store, &mut t);
            // What it held back arrives later, like a slow network's last packets.
            t.heal().unwrap();
        }
        Op::Restart { at } => devices[at % count].restart(),
        Op::Backup => world.backups.push(hub.backup()),
        Op::Restore { which } => {
            let Some(backup) = world
                .backups
                .get(which % world.backups.len().max(1))
                .cloned()
            else {
                return;
            };
            remember_erasures(devices, world);
            hub.restore(&backup);
        }
        Op::Empty => {
            remember_erasures(devices, world);
            hub.empty();
        }
    }
}

/// Notes the erasures some device holds when the server is about to lose its log.
fn remember_erasures(devices: &[Device], world: &mut World) {
    for id in &world.erased {
        let held = devices.iter().any(|d| {
            d.with(|s| {
                s.conn
                    .prepare("SELECT 1 FROM erased WHERE doc_id = ?1")
                    .unwrap()
                    .exists([id.as_str()])
                    .unwrap()
            })
        });
        if held {
            world.remembered.insert(id.clone());
        }
    }
}

fn converge(devices: &[Device], hub: &MemoryHub) {
    for _ in 0..2 {
        for d in devices {
            run(&d.store, &mut hub.transport()).unwrap();
        }
    }
    // Quiescent: nothing more to send or receive.
    for d in devices {
        let report = run(&d.store, &mut hub.transport()).unwrap();
        assert_eq!(
            (report.pushed, report.pulled),
            (0, 0),
            "device {}: {report:?}",
            d.n
        );
    }
}

fn scratch() -> tempfile::TempDir {
    // tmpfs when there is one: these files are thrown away, fsync there costs nothing.
    let shm = std::path::Path::new("/dev/shm");
    if shm.is_dir()
        && let Ok(dir) = tempfile::tempdir_in(shm)
    {
        return dir;
    }
    tempfile::tempdir().unwrap()
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn sync_converges_through_a_hostile_network(
        replicas in 3usize..=5,
        ops in proptest::collection::vec(op(), 1..40),
    ) {
        let dir = scratch();
        let hub = MemoryHub::new();
        let mut devices: Vec<Device> =
            (0..replicas).map(|i| Device::open(dir.path(), i as u8 + 1)).collect();
        let mut world = World::default();
        for op in &ops {
            apply(op, &mut devices, &mut world, &hub);
        }
        converge(&devices, &hub);

        let first = devices[0].with(|s| (dump(s), s.doc_infos().unwrap()));
        for d in &devices[1..] {
            let other = d.with(|s| (dump(s), s.doc_infos().unwrap()));
            prop_assert_eq!(&other.0, &first.0, "projections differ on device {}", d.n);
            prop_assert_eq!(&other.1, &first.1, "heads differ on device {}", d.n);
        }
        for d in &devices {
            d.with(|s| {
                assert_eq!(s.sync_status().unwrap().pending_changes, 0);
                let waiting: i64 = s
                    .conn
                    .query_row("SELECT COUNT(*) FROM pending_changes", [], |r| r.get(0))
                    .unwrap();
                assert_eq!(waiting, 0, "no change waits for a dependency");
            });
        }
        // Every record made and not erased is on every device; erased ones are nowhere;
        // deleted ones have no rows. An erasure the server lost (by a restore) that no
        // device had received is lost with it: the record lives again. So the erased
        // records are those the server's log says at the end.
        let on_hub = hub.erased();
        for id in &world.remembered {
            prop_assert!(on_hub.contains(id.as_str()), "a remembered erasure was lost");
        }
        world.erased.retain(|id| on_hub.contains(id.as_str()));
        let kept = world.all.iter().filter(|id| !world.erased.contains(*id)).count();
        prop_assert_eq!(first.1.len(), kept);
        for (id, _) in &first.1 {
            prop_assert!(!world.erased.contains(id.as_str()), "an erased record came back");
        }
        let live_persons = world
            .persons
            .iter()
            .filter(|p| !world.deleted.contains(*p) && !world.erased.contains(*p))
            .count();
        let projected: i64 = devices[0].with(|s| {
            s.conn.query_row("SELECT COUNT(*) FROM personnes", [], |r| r.get(0)).unwrap()
        });
        prop_assert_eq!(projected as usize, live_persons);
    }
}
