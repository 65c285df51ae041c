//! Engine tests through the in-memory hub: convergence, idempotence, offline.

use super::*;
use crate::store::tests::{NOW, draft, test_env};
use filrouge_model::sync::PulledChange;
use std::sync::Mutex;

fn device(dir: &tempfile::TempDir, n: u8) -> Mutex<Store> {
    let path = dir.path().join(format!("device{n}.sqlite"));
    Mutex::new(Store::open(&path, test_env(NOW, n)).unwrap())
}

fn state(
    store: &Mutex<Store>,
) -> (
    Vec<filrouge_model::Rencontre>,
    Vec<(String, crate::DocInfo)>,
) {
    let s = store.lock().unwrap();
    (s.list_rencontres_since(0).unwrap(), s.doc_infos().unwrap())
}

#[test]
fn concurrent_offline_edits_converge_through_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let hub = MemoryHub::new();
    let (a, b) = (device(&dir, 1), device(&dir, 2));
    let r = a
        .lock()
        .unwrap()
        .create_rencontre(draft("Gare", "besoin logement"))
        .unwrap();
    run(&a, &mut hub.transport()).unwrap();
    let report = run(&b, &mut hub.transport()).unwrap();
    assert_eq!((report.pulled, report.docs_changed), (1, 1));
    assert_eq!(state(&a), state(&b));

    // Both offline: A edits the place, B edits the note.
    a.lock()
        .unwrap()
        .update_rencontre(&r.id, draft("Gare de l'Est", "besoin logement"))
        .unwrap();
    b.lock()
        .unwrap()
        .update_rencontre(&r.id, draft("Gare", "besoin logement, papiers"))
        .unwrap();
    for d in [&a, &b, &a] {
        run(d, &mut hub.transport()).unwrap();
    }
    let (rows, docs) = state(&a);
    assert_eq!((rows.clone(), docs), state(&b));
    assert_eq!(rows[0].place, "Gare de l'Est");
    assert_eq!(rows[0].note, "besoin logement, papiers");
    assert_eq!(a.lock().unwrap().sync_status().unwrap().pending_changes, 0);
}

#[test]
fn offline_sync_keeps_the_outbox_and_a_repeat_stores_nothing_twice() {
    let dir = tempfile::tempdir().unwrap();
    let hub = MemoryHub::new();
    let a = device(&dir, 1);
    a.lock()
        .unwrap()
        .create_rencontre(draft("Gare", "x"))
        .unwrap();
    let mut offline = hub.transport();
    offline.online = false;
    assert!(matches!(
        run(&a, &mut offline),
        Err(CoreError::Transport(TransportError::Unreachable { .. }))
    ));
    assert_eq!(a.lock().unwrap().sync_status().unwrap().pending_changes, 1);
    assert_eq!(
        a.lock().unwrap().sync_status().unwrap().last_success_at,
        None
    );

    // A push whose answer was lost: the server has it, the device sends it again.
    let page = a.lock().unwrap().outbox_page(10, 1 << 20).unwrap();
    hub.transport()
        .push(&PushRequest {
            api_version: API_VERSION,
            changes: page,
        })
        .unwrap();
    run(&a, &mut hub.transport()).unwrap();
    assert_eq!(hub.len(), 1);
    let status = a.lock().unwrap().sync_status().unwrap();
    assert_eq!(
        (status.pending_changes, status.last_success_at),
        (0, Some(NOW))
    );
}

#[test]
fn pages_are_small_and_a_fresh_device_gets_everything() {
    let dir = tempfile::tempdir().unwrap();
    let hub = MemoryHub::new();
    let a = device(&dir, 1);
    for i in 0..30 {
        a.lock()
            .unwrap()
            .create_rencontre(draft("Gare", &"n".repeat(i * 30)))
            .unwrap();
    }
    run(&a, &mut hub.transport()).unwrap();
    // Pull with a tiny byte budget through the engine, page by page.
    let b = device(&dir, 2);
    let mut engine = SyncEngine::new();
    let mut pages = 0;
    loop {
        let step = engine.next(&b.lock().unwrap()).unwrap();
        match step {
            Step::Pull(mut q) => {
                q.max_bytes = Some(200);
                let resp = hub.transport().pull(&q).unwrap();
                engine.on_pull(&mut b.lock().unwrap(), &q, resp).unwrap();
                pages += 1;
                // Progress counts up to the whole log, page by page.
                let p = engine.progress().unwrap();
                assert_eq!(p.total, 30);
                assert!(p.done <= p.total && p.done > 0);
            }
            Step::Push(_) => panic!("nothing to push"),
            Step::Done(report) => {
                assert_eq!(report.pulled, 30);
                assert_eq!(engine.progress().map(|p| (p.done, p.total)), Some((30, 30)));
                break;
            }
        }
    }
    assert!(pages > 5, "{pages} pages");
    assert_eq!(state(&a), state(&b));
}

#[test]
fn a_server_speaking_another_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let a = device(&dir, 1);
    let mut engine = SyncEngine::new();
    let q = PullQuery {
        api_version: API_VERSION,
        after: 0,
        max_bytes: None,
    };
    let resp = PullResponse {
        log_id: "test-log".into(),
        api_version: 99,
        changes: vec![],
        cursor: 0,
        more: false,
        head: 0,
    };
    assert!(matches!(
        engine.on_pull(&mut a.lock().unwrap(), &q, resp),
        Err(CoreError::Transport(TransportError::VersionMismatch {
            server: 99
        }))
    ));
}

#[test]
fn a_change_whose_parent_is_missing_waits_and_is_applied_later() {
    let dir = tempfile::tempdir().unwrap();
    let hub = MemoryHub::new();
    let a = device(&dir, 1);
    let r = a
        .lock()
        .unwrap()
        .create_rencontre(draft("Gare", "v1"))
        .unwrap();
    a.lock()
        .unwrap()
        .update_rencontre(&r.id, draft("Gare", "v2"))
        .unwrap();
    let page = a.lock().unwrap().outbox_page(10, 1 << 20).unwrap();
    assert_eq!(page.len(), 2);
    // Deliver the second change first, alone.
    let b = device(&dir, 2);
    let second = PulledChange {
        seq: 2,
        blob: page[1].clone(),
    };
    let first = PulledChange {
        seq: 1,
        blob: page[0].clone(),
    };
    b.lock().unwrap().apply_pulled(vec![second], 2).unwrap();
    assert!(
        b.lock()
            .unwrap()
            .list_rencontres_since(0)
            .unwrap()
            .is_empty()
    );
    b.lock().unwrap().apply_pulled(vec![first], 2).unwrap();
    assert_eq!(b.lock().unwrap().rencontre(&r.id).unwrap().note, "v2");
    let _ = hub;
}

/// Found by the property test: a double tap on "Enregistrer" at an event makes two
/// records with the same fields in the same millisecond; both must reach other devices.
#[test]
fn two_identical_records_saved_in_the_same_millisecond_both_sync() {
    let dir = tempfile::tempdir().unwrap();
    let hub = MemoryHub::new();
    let (a, b) = (device(&dir, 1), device(&dir, 2));
    for _ in 0..2 {
        a.lock()
            .unwrap()
            .create_rencontre(draft("Gare", ""))
            .unwrap();
    }
    run(&a, &mut hub.transport()).unwrap();
    run(&b, &mut hub.transport()).unwrap();
    assert_eq!(hub.len(), 2);
    assert_eq!(state(&b), state(&a));
    assert_eq!(state(&b).0.len(), 2);
}

#[test]
fn pins_are_sixty_four_hex_digits_and_kept_by_the_store() {
    let pin = "ab".repeat(32);
    assert_eq!(parse_pin(&pin), Some([0xab; 32]));
    assert_eq!(parse_pin(&pin.to_uppercase()), Some([0xab; 32]));
    assert_eq!(parse_pin(&pin[..62]), None);
    assert_eq!(parse_pin(&"zz".repeat(32)), None);
    assert_eq!(parse_pin(&"é".repeat(32)), None);
    let dir = tempfile::tempdir().unwrap();
    let d = device(&dir, 1);
    let s = d.lock().unwrap();
    assert_eq!(s.server_pin().unwrap(), None);
    s.save_server_pin(Some([7; 32])).unwrap();
    assert_eq!(s.server_pin().unwrap(), Some([7; 32]));
    s.save_server_pin(None).unwrap();
    assert_eq!(s.server_pin().unwrap(), None);
    // A damaged pin is an error, never a quiet fall back to unpinned TLS.
    s.set_meta("server_pin", "abc").unwrap();
    assert!(matches!(
        s.server_pin(),
        Err(CoreError::DamagedSetting { key: "server_pin" })
    ));
}

/// An answer removes from the outbox exactly the changes it acknowledges, wherever they
/// are in it; a hash it does not hold, or text that is no hash, removes nothing.
#[test]
fn an_acknowledgement_removes_exactly_its_changes_from_the_outbox() {
    let dir = tempfile::tempdir().unwrap();
    let a = device(&dir, 1);
    let mut s = a.lock().unwrap();
    for place in ["Gare", "Stade", "Marché", "Parc"] {
        s.create_rencontre(draft(place, "note")).unwrap();
    }
    let waiting = |s: &Store| -> Vec<String> {
        let page = s.outbox_page(10, 1 << 20).unwrap();
        page.into_iter().map(|c| c.hash).collect()
    };
    let hashes = waiting(&s);
    assert_eq!(hashes.len(), 4);
    let unknown = "ab".repeat(32);
    let answer = [
        hashes[2].clone(),
        unknown,
        "pas un hash".to_owned(),
        hashes[1].clone(),
    ];
    assert_eq!(s.acknowledge(&answer).unwrap(), 2);
    assert_eq!(
        waiting(&s),
        vec![hashes[0].clone(), hashes[3].clone()],
        "in order"
    );
    assert_eq!(
        s.acknowledge(&answer).unwrap(),
        0,
        "a repeat removes nothing"
    );
    assert_eq!(s.acknowledge(&hashes).unwrap(), 2);
    assert_eq!(s.sync_status().unwrap().pending_changes, 0);
}
