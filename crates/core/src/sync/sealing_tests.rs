//! End-to-end encryption through the in-memory hub: what the host stores, what a
//! device without the key does, and what a device does with bytes a host changed.

use std::sync::Mutex;

use filrouge_model::PersonDraft;
use filrouge_model::sync::{BatchMember, put_batch_header, read_batch_header, sealed_epoch};

use super::*;
use crate::e2e::{Keyring, TeamKey};
use crate::store::tests::{NOW, test_env};

const MARKER: &str = "Zéphyrine Marqueur";

fn device(dir: &tempfile::TempDir, n: u8, ring: Option<&Keyring>) -> Mutex<Store> {
    let path = dir.path().join(format!("device{n}.sqlite"));
    let mut store = Store::open(&path, test_env(NOW, n)).unwrap();
    store.set_meta("team_id", "team-e2e").unwrap();
    if let Some(ring) = ring {
        store.add_keys(ring).unwrap();
    }
    Mutex::new(store)
}

fn names(store: &Mutex<Store>) -> Vec<String> {
    let s = store.lock().unwrap();
    let mut stmt = s
        .conn
        .prepare("SELECT pseudonym FROM personnes ORDER BY pseudonym")
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn refused(store: &Mutex<Store>) -> Vec<(String, String)> {
    let s = store.lock().unwrap();
    let mut stmt = s
        .conn
        .prepare("SELECT doc_id, reason FROM refused_changes ORDER BY doc_id")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn holds(bytes: &[u8], needle: &str) -> bool {
    bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn the_host_stores_ciphertext_and_a_device_with_the_key_reads_it() {
    let dir = tempfile::tempdir().unwrap();
    let hub = MemoryHub::new();
    let ring = Keyring::with(1, TeamKey::random().unwrap());
    let (a, b) = (device(&dir, 1, Some(&ring)), device(&dir, 2, Some(&ring)));
    let id = a
        .lock()
        .unwrap()
        .create_person(PersonDraft::new(MARKER))
        .unwrap();
    run(&a, &mut hub.transport()).unwrap();
    let blobs = hub.blobs();
    assert!(!blobs.is_empty());
    for blob in &blobs {
        assert_eq!(sealed_epoch(&blob.data), Some(1), "{blob:?}");
        assert!(!holds(&blob.data, "Zéphyrine"), "the host reads no name");
    }
    let report = run(&b, &mut hub.transport()).unwrap();
    assert_eq!(report.pulled, blobs.len());
    assert_eq!(names(&b), vec![MARKER.to_owned()]);

    // Pushed again (a heal sends everything back): the same bytes, nothing new stored.
    a.lock().unwrap().start_heal(&hub.log_id()).unwrap();
    run(&a, &mut hub.transport()).unwrap();
    assert_eq!(
        hub.blobs(),
        blobs,
        "the same change seals to the same bytes"
    );

    // B edits; A reads it back through the host.
    let mut p = b.lock().unwrap().person_view(&id).unwrap().person;
    p.pseudonym = "Zéphyrine M.".into();
    b.lock().unwrap().update_person(&id, p).unwrap();
    run(&b, &mut hub.transport()).unwrap();
    run(&a, &mut hub.transport()).unwrap();
    assert_eq!(names(&a), vec!["Zéphyrine M.".to_owned()]);
}

#[test]
fn a_device_without_the_key_keeps_the_changes_sealed_until_it_has_it() {
    let dir = tempfile::tempdir().unwrap();
    let hub = MemoryHub::new();
    let ring = Keyring::with(1, TeamKey::random().unwrap());
    let (a, late) = (device(&dir, 1, Some(&ring)), device(&dir, 2, None));
    a.lock()
        .unwrap()
        .create_person(PersonDraft::new(MARKER))
        .unwrap();
    run(&a, &mut hub.transport()).unwrap();
    run(&late, &mut hub.transport()).unwrap();
    assert!(names(&late).is_empty(), "nothing readable without the key");
    assert!(refused(&late).is_empty(), "waiting is not refused");
    // The key arrives (an invitation): what was waiting is opened and applied.
    assert_eq!(late.lock().unwrap().add_keys(&ring).unwrap(), 1);
    assert_eq!(names(&late), vec![MARKER.to_owned()]);
    let waiting: i64 = late
        .lock()
        .unwrap()
        .conn
        .query_row("SELECT COUNT(*) FROM sealed_waiting", [], |r| r.get(0))
        .unwrap();
    assert_eq!(waiting, 0);
}

#[test]
fn bytes_the_host_changed_are_refused_and_never_applied() {
    let dir = tempfile::tempdir().unwrap();
    let ring = Keyring::with(1, TeamKey::random().unwrap());
    let clear_blob = {
        let scratch = device(&dir, 9, None);
        let mut s = scratch.lock().unwrap();
        s.create_person(PersonDraft::new("Intrus")).unwrap();
        s.outbox_page(10, 1 << 20).unwrap().remove(0)
    };
    // Three hostile hosts, each at the batch holding the first person: a flipped byte,
    // the header rewritten to say it holds the other person, a clear change put in its
    // place.
    type Tamper = Box<dyn Fn(&mut ChangeBlob, &str, &str)>;
    let cases: Vec<(&str, Tamper)> = vec![
        (
            "flipped",
            Box::new(|b, _, _| {
                let last = b.data.len() - 1;
                b.data[last] ^= 0x40;
            }),
        ),
        (
            "moved",
            Box::new(|b, first, second| {
                let header = read_batch_header(&b.data).unwrap();
                let members: Vec<BatchMember> = header
                    .members
                    .iter()
                    .map(|m| BatchMember {
                        doc_id: if m.doc_id == first {
                            second.to_owned()
                        } else {
                            m.doc_id.clone()
                        },
                        kind: m.kind.clone(),
                    })
                    .collect();
                let mut data = Vec::new();
                put_batch_header(&mut data, header.epoch, &members);
                data.extend_from_slice(&b.data[header.body_at..]);
                b.data = data;
            }),
        ),
        ("clear", Box::new(move |b, _, _| *b = clear_blob.clone())),
    ];
    for (n, (what, tamper)) in cases.into_iter().enumerate() {
        let n = n as u8;
        let hub = MemoryHub::new();
        // Each person in a batch of its own: created and pushed one after the other.
        let a = device(&dir, 20 + n, Some(&ring));
        let create = |name: &str| {
            a.lock()
                .unwrap()
                .create_person(PersonDraft::new(name))
                .unwrap()
        };
        let first = create("Première");
        run(&a, &mut hub.transport()).unwrap();
        let second = create("Seconde");
        run(&a, &mut hub.transport()).unwrap();
        assert_eq!(hub.len(), 2, "{what}: two batches");
        hub.rewrite(|b| {
            if read_batch_header(&b.data).is_ok_and(|h| h.holds(first.as_str())) {
                tamper(b, first.as_str(), second.as_str());
            }
        });
        let b = device(&dir, 10 + n, Some(&ring));
        run(&b, &mut hub.transport()).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(names(&b), vec!["Seconde".to_owned()], "{what}");
        let refused = refused(&b);
        assert_eq!(refused.len(), 1, "{what}: {refused:?}");
        // Synced again: nothing more is refused, nothing applied.
        run(&b, &mut hub.transport()).unwrap();
        assert_eq!(names(&b), vec!["Seconde".to_owned()], "{what}");
    }
}
