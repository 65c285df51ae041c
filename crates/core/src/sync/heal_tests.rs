//! Healing through the in-memory hub: a server restored from a backup (with a new log
//! id, or by hand with the old one), or replaced by an empty one, gets back everything
//! the devices hold; erasures stay; a heal cut short goes on where it stopped, and
//! starts over if the server changes again; a device of an earlier version heals the
//! first log it meets.

use std::sync::Mutex;

use filrouge_model::ipc::{SyncProgress, SyncStage};

use super::*;
use crate::store::tests::{NOW, draft, test_env};

fn device(dir: &tempfile::TempDir, n: u8) -> Mutex<Store> {
    let path = dir.path().join(format!("device{n}.sqlite"));
    Mutex::new(Store::open(&path, test_env(NOW, n)).unwrap())
}

fn create(d: &Mutex<Store>, place: &str) -> filrouge_model::RecordId {
    d.lock()
        .unwrap()
        .create_rencontre(draft(place, "note"))
        .unwrap()
        .id
}

fn places(d: &Mutex<Store>) -> Vec<String> {
    let mut places: Vec<String> = d
        .lock()
        .unwrap()
        .list_rencontres_since(0)
        .unwrap()
        .into_iter()
        .map(|r| r.place)
        .collect();
    places.sort();
    places
}

fn sync(d: &Mutex<Store>, hub: &MemoryHub) -> SyncReport {
    run(d, &mut hub.transport()).unwrap()
}

/// Runs `engine` on `d` until one heal page has been pushed and acknowledged; returns
/// the progress it then reports.
fn one_heal_page(d: &Mutex<Store>, hub: &MemoryHub, engine: &mut SyncEngine) -> SyncProgress {
    loop {
        let step = engine.next(&d.lock().unwrap()).unwrap();
        match step {
            Step::Push(req) => {
                let resp = hub.transport().push(&req).unwrap();
                engine.on_push(&mut d.lock().unwrap(), &req, resp).unwrap();
                return engine.progress().unwrap();
            }
            Step::Pull(q) => {
                let resp = hub.transport().pull(&q).unwrap();
                engine.on_pull(&mut d.lock().unwrap(), &q, resp).unwrap();
            }
            Step::Done(_) => panic!("the heal must not be over"),
        }
    }
}

/// A device with a page and a bit of records, synced to `hub`, which is then emptied.
fn synced_then_emptied(dir: &tempfile::TempDir, hub: &MemoryHub) -> Mutex<Store> {
    let a = device(dir, 1);
    for i in 0..(PUSH_PAGE_CHANGES + 20) {
        create(&a, &format!("lieu {i}"));
    }
    sync(&a, hub);
    hub.empty();
    a
}

fn names(list: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = list.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

/// The scenario: 10 records, a backup, 5 more, the backup restored, 2 new ones.
#[test]
fn a_restored_backup_gets_back_what_it_lost_and_every_device_gets_everything() {
    let dir = tempfile::tempdir().unwrap();
    let hub = MemoryHub::new();
    let (a, b, c) = (device(&dir, 1), device(&dir, 2), device(&dir, 3));
    let mut all = Vec::new();
    for i in 0..10 {
        let place = format!("avant {i}");
        create([&a, &b, &c][i % 3], &place);
        all.push(place);
    }
    for d in [&a, &b, &c, &a, &b] {
        sync(d, &hub);
    }
    let backup = hub.backup();
    for i in 0..5 {
        let place = format!("après {i}");
        create(&a, &place);
        all.push(place);
    }
    for d in [&a, &b] {
        sync(d, &hub);
    }
    let before = hub.log_id();
    hub.restore(&backup);
    assert_ne!(
        hub.log_id(),
        before,
        "a restore gives the log a new identity"
    );
    for i in 0..2 {
        let place = format!("nouveau {i}");
        create(&c, &place);
        all.push(place);
    }
    // One round each: C pushes its 2, then heals; A heals (its 5 go back); B heals.
    let reports: Vec<SyncReport> = [&c, &a, &b].iter().map(|d| sync(d, &hub)).collect();
    assert!(reports.iter().all(|r| r.healed > 0), "{reports:?}");
    // C synced before A sent the 5 back; its next sync gets them.
    sync(&c, &hub);
    let all: Vec<&str> = all.iter().map(String::as_str).collect();
    for d in [&a, &b, &c] {
        assert_eq!(places(d), names(&all));
    }
    let fresh = device(&dir, 4);
    let report = sync(&fresh, &hub);
    assert_eq!((report.pulled, report.healed), (17, 0));
    assert_eq!(places(&fresh), names(&all));
    // The log holds each change once.
    let hashes = hub.hashes();
    let distinct: std::collections::HashSet<&String> = hashes.iter().collect();
    assert_eq!((hashes.len(), distinct.len()), (17, 17));
}

#[test]
fn an_emptied_server_is_filled_again_by_its_devices() {
    let dir = tempfile::tempdir().unwrap();
    let hub = MemoryHub::new();
    let (a, b) = (device(&dir, 1), device(&dir, 2));
    create(&a, "Gare");
    create(&b, "Stade");
    for d in [&a, &b, &a] {
        sync(d, &hub);
    }
    hub.empty();
    assert!(hub.is_empty());
    let report = sync(&a, &hub);
    // A holds both records (one change each): it sends both back, then pulls them.
    assert_eq!((report.healed, report.pulled), (2, 2));
    let report = sync(&b, &hub);
    assert_eq!((report.healed, report.pulled), (2, 2));
    assert_eq!(hub.len(), 2, "sent twice, held once");
    let fresh = device(&dir, 3);
    sync(&fresh, &hub);
    assert_eq!(places(&fresh), names(&["Gare", "Stade"]));
    // Healed once: the next sync is an ordinary one.
    assert_eq!(sync(&a, &hub), SyncReport::default());
}

#[test]
fn a_copy_restored_by_hand_is_noticed_by_its_head_below_the_cursor() {
    let dir = tempfile::tempdir().unwrap();
    let hub = MemoryHub::new();
    let (a, b) = (device(&dir, 1), device(&dir, 2));
    create(&a, "Gare");
    sync(&a, &hub);
    let backup = hub.backup();
    create(&a, "Stade");
    create(&a, "Marché");
    sync(&a, &hub);
    sync(&b, &hub);
    hub.restore_by_hand(&backup);
    assert_eq!(hub.len(), 1);
    let report = sync(&b, &hub);
    assert_eq!(report.healed, 3, "{report:?}");
    assert_eq!(hub.len(), 3);
    let fresh = device(&dir, 3);
    sync(&fresh, &hub);
    assert_eq!(places(&fresh), names(&["Gare", "Marché", "Stade"]));
}

#[test]
fn erasures_made_before_and_after_the_backup_stay_erased() {
    let dir = tempfile::tempdir().unwrap();
    let hub = MemoryHub::new();
    let (a, b) = (device(&dir, 1), device(&dir, 2));
    let early = create(&a, "effacé avant");
    let late = create(&a, "effacé après");
    create(&a, "gardé");
    for d in [&a, &b] {
        sync(d, &hub);
    }
    hub.erase(&early);
    for d in [&a, &b] {
        sync(d, &hub);
    }
    let backup = hub.backup();
    hub.erase(&late);
    for d in [&a, &b] {
        sync(d, &hub);
    }
    hub.restore(&backup);
    // The restored log holds the late record again; a field device cannot erase it...
    let mut field = hub.transport();
    field.coordinator = false;
    let report = run(&b, &mut field).unwrap();
    assert!(report.healed > 0);
    assert!(!hub.erased().contains(late.as_str()));
    // ...but never takes it back either.
    assert_eq!(places(&b), names(&["gardé"]));
    // The coordinator's device erases it again as it heals.
    sync(&a, &hub);
    assert!(hub.erased().contains(late.as_str()));
    assert!(hub.erased().contains(early.as_str()));
    sync(&b, &hub);
    let fresh = device(&dir, 3);
    sync(&fresh, &hub);
    for d in [&a, &b, &fresh] {
        assert_eq!(places(d), names(&["gardé"]));
    }
}

#[test]
fn a_field_device_cannot_erase_but_never_takes_an_erased_record_back() {
    let dir = tempfile::tempdir().unwrap();
    let hub = MemoryHub::new();
    let (coordinator, field, late) = (device(&dir, 1), device(&dir, 2), device(&dir, 3));
    let id = create(&coordinator, "effacé");
    for d in [&coordinator, &field, &late] {
        sync(d, &hub);
    }
    // The late device goes offline before it hears of the erasure.
    hub.erase(&id);
    sync(&coordinator, &hub);
    sync(&field, &hub);
    hub.empty();
    let field_sync = |d: &Mutex<Store>| {
        let mut t = hub.transport();
        t.coordinator = false;
        run(d, &mut t).unwrap()
    };
    // The late device heals first and sends the record back; the field device's
    // remembered erasure is refused, and it does not take the record back.
    field_sync(&late);
    field_sync(&field);
    assert!(!hub.erased().contains(id.as_str()));
    assert_eq!(places(&late), names(&["effacé"]));
    assert_eq!(places(&field), Vec::<String>::new());
    // The coordinator's device erases it again; the late device then loses its copy.
    sync(&coordinator, &hub);
    assert!(hub.erased().contains(id.as_str()));
    field_sync(&late);
    let fresh = device(&dir, 4);
    sync(&fresh, &hub);
    for d in [&coordinator, &field, &late, &fresh] {
        assert_eq!(places(d), Vec::<String>::new());
    }
}

#[test]
fn a_heal_whose_server_changes_again_starts_over() {
    let dir = tempfile::tempdir().unwrap();
    let hub = MemoryHub::new();
    let a = synced_then_emptied(&dir, &hub);
    let mut engine = SyncEngine::new();
    one_heal_page(&a, &hub, &mut engine);
    // Emptied again before the heal's next page: the first page is not in the new log,
    // so the heal must start over rather than go on where it was.
    hub.empty();
    let step = engine.next(&a.lock().unwrap()).unwrap();
    let Step::Push(req) = step else {
        panic!("a heal page")
    };
    let resp = hub.transport().push(&req).unwrap();
    engine.on_push(&mut a.lock().unwrap(), &req, resp).unwrap();
    let report = sync(&a, &hub);
    assert_eq!(hub.len(), PUSH_PAGE_CHANGES + 20, "{report:?}");
    let fresh = device(&dir, 2);
    assert_eq!(sync(&fresh, &hub).pulled, PUSH_PAGE_CHANGES + 20);
}

#[test]
fn a_heal_cut_short_goes_on_where_it_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let hub = MemoryHub::new();
    let a = synced_then_emptied(&dir, &hub);
    // One heal page goes through, then the network drops.
    let progress = one_heal_page(&a, &hub, &mut SyncEngine::new());
    assert_eq!(hub.len(), PUSH_PAGE_CHANGES);
    assert_eq!(progress.stage, SyncStage::Healing);
    assert_eq!(progress.total, PUSH_PAGE_CHANGES as u64 + 20);
    assert_eq!(progress.done, PUSH_PAGE_CHANGES as u64);
    // The app restarts; the next sync sends the rest only, then pulls.
    let report = sync(&a, &hub);
    assert_eq!(report.healed, 20);
    assert_eq!(report.pulled, PUSH_PAGE_CHANGES + 20);
    assert_eq!(hub.len(), PUSH_PAGE_CHANGES + 20);
}

#[test]
fn a_device_of_an_earlier_version_heals_the_first_log_it_meets() {
    let dir = tempfile::tempdir().unwrap();
    let hub = MemoryHub::new();
    let (a, b) = (device(&dir, 1), device(&dir, 2));
    create(&a, "Gare");
    sync(&a, &hub);
    sync(&b, &hub);
    // B as an earlier version left it: one cursor, no log.
    {
        let b = b.lock().unwrap();
        b.conn
            .execute_batch("DELETE FROM logs; DELETE FROM meta WHERE key = 'log_id';")
            .unwrap();
        b.set_meta("cursor", "1").unwrap();
    }
    create(&a, "Stade");
    sync(&a, &hub);
    // Its old cursor belongs to no log it can name: the server may have been restored
    // since, so it sends back what it holds and pulls the log from zero.
    let report = sync(&b, &hub);
    assert_eq!((report.healed, report.pulled), (1, 2));
    assert_eq!(places(&b), names(&["Gare", "Stade"]));
    assert_eq!(
        b.lock().unwrap().followed_log().unwrap(),
        Some(hub.log_id())
    );
}

#[test]
fn a_device_enrolled_afresh_follows_the_log_and_a_used_one_heals_it() {
    let dir = tempfile::tempdir().unwrap();
    let hub = MemoryHub::new();
    let enrolment = |log_id: String| filrouge_model::sync::EnrolResponse {
        api_version: API_VERSION,
        team_id: "t".into(),
        device_id: "d".into(),
        token: "x".into(),
        role: None,
        log_id,
        lease_days: None,
        key_epoch: 0,
        sealed_keys: None,
    };
    let fresh = device(&dir, 1);
    create(&fresh, "Gare");
    fresh
        .lock()
        .unwrap()
        .save_enrolment("http://127.0.0.1:1", &enrolment(hub.log_id()))
        .unwrap();
    assert_eq!(
        fresh.lock().unwrap().followed_log().unwrap(),
        Some(hub.log_id())
    );
    assert_eq!(sync(&fresh, &hub).healed, 0);
    // The server is replaced; the device is enrolled again in the new team.
    hub.empty();
    fresh
        .lock()
        .unwrap()
        .save_enrolment("http://127.0.0.1:1", &enrolment(hub.log_id()))
        .unwrap();
    let report = sync(&fresh, &hub);
    assert_eq!((report.healed, report.pulled), (1, 1));
}
