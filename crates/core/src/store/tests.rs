//! Store tests: round trips through real SQLite files, validation, corruption.

use super::*;
use crate::store::rebuild::PROJECTION_TABLES;
use crate::{Clock, Env, IdSource};
use filrouge_model::{Channel, Field, Problem};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

pub(crate) struct TestClock(pub AtomicI64);
impl Clock for TestClock {
    fn now_ms(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// Deterministic ids that still sort by creation, like UUIDv7.
pub(crate) struct CountingIds(pub AtomicU64, pub u8);
impl IdSource for CountingIds {
    fn new_id(&self) -> uuid::Uuid {
        let n = self.0.fetch_add(1, Ordering::SeqCst);
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&n.to_be_bytes());
        bytes[15] = self.1;
        uuid::Uuid::from_bytes(bytes)
    }
}

pub(crate) fn test_env(now: i64, device: u8) -> Env {
    Env {
        clock: Arc::new(TestClock(AtomicI64::new(now))),
        ids: Arc::new(CountingIds(AtomicU64::new(1), device)),
    }
}

pub(crate) const NOW: i64 = 1_790_000_000_000;

/// Every person's pseudonym in the lists' table, sorted.
pub(crate) fn pseudonyms(s: &Store) -> Vec<String> {
    let mut stmt = s
        .conn
        .prepare("SELECT pseudonym FROM personnes ORDER BY pseudonym")
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// A record id from the text the store answered.
pub(crate) fn rid(id: &str) -> filrouge_model::RecordId {
    filrouge_model::RecordId::parse(id).unwrap()
}

pub(crate) fn draft(place: &str, note: &str) -> RencontreDraft {
    RencontreDraft {
        channel: Channel::Maraude,
        place: place.into(),
        occurred_at: None,
        headcount: 3,
        pseudonym: None,
        note: note.into(),
        ..Default::default()
    }
}

#[test]
fn a_rencontre_survives_reopening_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.sqlite");
    let created = {
        let mut store = Store::open(&path, test_env(NOW, 1)).unwrap();
        let r = store
            .create_rencontre(draft("City stade", "3 jeunes, parlent foot"))
            .unwrap();
        assert_eq!(
            store.list_rencontres_since(NOW - 1000).unwrap(),
            vec![r.clone()]
        );
        r
    };
    let mut store = Store::open(&path, test_env(NOW + 5, 1)).unwrap();
    assert_eq!(
        store.list_rencontres_since(NOW - 1000).unwrap(),
        vec![created.clone()]
    );
    assert_eq!(store.last_place().unwrap().as_deref(), Some("City stade"));
    // And the document itself reloads and takes an edit after the reopen.
    let edited = store
        .update_rencontre(
            &created.id,
            draft("City stade", "3 jeunes, parlent foot et boxe"),
        )
        .unwrap();
    assert_eq!(edited.note, "3 jeunes, parlent foot et boxe");
    assert_eq!(
        edited.occurred_at, created.occurred_at,
        "an edit keeps the time"
    );
    drop(store);
    let store = Store::open(&path, test_env(NOW + 9, 1)).unwrap();
    assert_eq!(store.rencontre(&created.id).unwrap(), edited);
    assert_eq!(store.sync_status().unwrap().pending_changes, 2);
}

#[test]
fn invalid_input_names_the_field_and_saves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("s.sqlite"), test_env(NOW, 1)).unwrap();
    let ok = store.create_rencontre(draft("Gare", "ok")).unwrap();
    let too_long = draft(&"x".repeat(500), "");
    match store.create_rencontre(too_long.clone()) {
        Err(CoreError::Validation(v)) => assert_eq!(v.field, Field::Place),
        other => panic!("expected a validation error, got {other:?}"),
    }
    match store.update_rencontre(
        &ok.id,
        RencontreDraft {
            headcount: 0,
            ..draft("Gare", "")
        },
    ) {
        Err(CoreError::Validation(v)) => assert_eq!(v.problem, Problem::NobodyMet),
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert_eq!(store.list_rencontres_since(0).unwrap(), vec![ok.clone()]);
    assert_eq!(store.rencontre(&ok.id).unwrap(), ok);
    assert_eq!(store.sync_status().unwrap().pending_changes, 1);
}

#[test]
fn an_unchanged_edit_queues_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("s.sqlite"), test_env(NOW, 1)).unwrap();
    let r = store.create_rencontre(draft("Gare", "n")).unwrap();
    store.update_rencontre(&r.id, draft("Gare", "n")).unwrap();
    assert_eq!(store.sync_status().unwrap().pending_changes, 1);
}

#[test]
fn many_edits_compact_and_still_reload() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.sqlite");
    let mut store = Store::open(&path, test_env(NOW, 1)).unwrap();
    let r = store.create_rencontre(draft("Gare", "0")).unwrap();
    for i in 1..=80 {
        store
            .update_rencontre(&r.id, draft("Gare", &i.to_string()))
            .unwrap();
    }
    let chunks: i64 = store
        .conn
        .query_row("SELECT COUNT(*) FROM doc_chunks", [], |r| r.get(0))
        .unwrap();
    assert!(
        chunks < StoreOptions::default().compact_after,
        "{chunks} chunks"
    );
    drop(store);
    let mut store = Store::open(&path, test_env(NOW, 1)).unwrap();
    assert_eq!(store.get::<RencontreDraft>(&r.id).unwrap().note, "80");
}

#[test]
fn a_corrupt_document_is_quarantined_and_the_rest_keeps_working() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.sqlite");
    let mut store = Store::open(&path, test_env(NOW, 1)).unwrap();
    let bad = store.create_rencontre(draft("Gare", "a")).unwrap();
    let good = store.create_rencontre(draft("Marché", "b")).unwrap();
    store
        .conn
        .execute(
            "UPDATE documents SET snapshot = X'856f4a83deadbeef' WHERE id = ?1",
            [bad.id.as_str()],
        )
        .unwrap();
    drop(store);
    let mut store = Store::open(&path, test_env(NOW, 1)).unwrap();
    match store.update_rencontre(&bad.id, draft("Gare", "changed")) {
        Err(CoreError::Corrupt { id, .. }) => assert_eq!(id, bad.id),
        other => panic!("expected Corrupt, got {other:?}"),
    }
    assert_eq!(store.quarantined().unwrap(), vec![bad.id.clone()]);
    // The list still shows both (projections do not need documents) and the good one edits.
    assert_eq!(store.list_rencontres_since(0).unwrap().len(), 2);
    store
        .update_rencontre(&good.id, draft("Marché", "b2"))
        .unwrap();
    assert_eq!(
        store.rencontre(&bad.id).unwrap().note,
        "a",
        "nothing saved is lost"
    );
}

#[test]
fn an_oversized_document_is_refused_before_loading() {
    let dir = tempfile::tempdir().unwrap();
    let options = StoreOptions {
        max_doc_bytes: 64,
        ..StoreOptions::default()
    };
    let mut store =
        Store::open_with(&dir.path().join("s.sqlite"), test_env(NOW, 1), options).unwrap();
    let r = store
        .create_rencontre(draft("Gare", &"n".repeat(300)))
        .unwrap();
    assert!(matches!(
        store.update_rencontre(&r.id, draft("Gare", "short")),
        Err(CoreError::TooLarge { limit: 64, .. })
    ));
    assert_eq!(store.quarantined().unwrap(), vec![r.id]);
}

#[test]
fn a_document_with_too_many_operations_is_quarantined() {
    let dir = tempfile::tempdir().unwrap();
    let options = StoreOptions {
        max_doc_ops: 40,
        ..StoreOptions::default()
    };
    let mut store =
        Store::open_with(&dir.path().join("s.sqlite"), test_env(NOW, 1), options).unwrap();
    let small = store.create_rencontre(draft("Gare", "court")).unwrap();
    // Each character of a note is an operation.
    let long = store
        .create_rencontre(draft("Gare", &"n".repeat(60)))
        .unwrap();
    assert!(matches!(
        store.update_rencontre(&long.id, draft("Gare", "short")),
        Err(CoreError::TooComplex { limit: 40, .. })
    ));
    assert_eq!(store.quarantined().unwrap(), vec![long.id.clone()]);
    store
        .update_rencontre(&small.id, draft("Gare", "ok"))
        .unwrap();
    let report = store.rebuild_projections().unwrap();
    assert_eq!((report.documents, report.quarantined), (1, 1));
}

#[test]
fn unknown_ids_are_not_found() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("s.sqlite"), test_env(NOW, 1)).unwrap();
    assert!(matches!(
        store.rencontre("nope"),
        Err(CoreError::NotFound { .. })
    ));
    assert!(matches!(
        store.update_rencontre("nope", draft("a", "b")),
        Err(CoreError::NotFound { .. })
    ));
}

#[test]
fn a_checkpoint_folds_the_whole_wal_into_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let store = {
        let mut s = Store::open(&dir.path().join("s.sqlite"), test_env(NOW, 1)).unwrap();
        for i in 0..20 {
            s.create_rencontre(draft("Gare", &i.to_string())).unwrap();
        }
        s
    };
    store.checkpoint().unwrap();
    let (busy, log, done): (i64, i64, i64) = store
        .conn
        .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    assert_eq!(
        (busy, log),
        (0, done),
        "every WAL frame is in the main file"
    );
}

/// Every projection row, as text, without SQLite's own rowids.
pub(crate) fn dump(s: &Store) -> Vec<String> {
    let mut out = Vec::new();
    for table in PROJECTION_TABLES.iter().filter(|t| **t != "personnes_fts") {
        let mut stmt = s.conn.prepare(&format!("SELECT * FROM {table}")).unwrap();
        let n = stmt.column_count();
        let mut rows: Vec<String> = stmt
            .query_map([], |r| {
                let cells: Vec<String> = (0..n)
                    .map(|i| {
                        format!("{:?}", r.get_ref(i).map(|v| v.data_type()).ok())
                            + &r.get::<_, rusqlite::types::Value>(i)
                                .map(|v| format!("{v:?}"))
                                .unwrap_or_default()
                    })
                    .collect();
                Ok(format!("{table}: {}", cells.join(" | ")))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        rows.sort();
        out.extend(rows);
    }
    out
}

/// Today's list, the first screen, reads a day's rencontres from consecutive pages of
/// the table kept in time order, however they arrived: here recorded in shuffled
/// times, then one moved to another day by an edit.
#[test]
fn rencontres_are_kept_in_time_order_whatever_order_they_arrive_in() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("store.sqlite"), test_env(NOW, 1)).unwrap();
    let hour = 3_600_000;
    let mut ids = Vec::new();
    for i in [7_i64, 2, 9, 0, 5, 3, 8, 1, 6, 4] {
        let r = RencontreDraft {
            occurred_at: Some(NOW - i * hour),
            ..draft("Gare", &format!("rencontre {i}"))
        };
        ids.push(store.create_rencontre(r).unwrap().id);
    }
    let notes = |s: &Store, since: i64| -> Vec<String> {
        s.list_rencontres_since(since)
            .unwrap()
            .into_iter()
            .map(|r| r.note)
            .collect()
    };
    let expected: Vec<String> = (0..10).map(|i| format!("rencontre {i}")).collect();
    assert_eq!(notes(&store, 0), expected, "newest first");
    assert_eq!(notes(&store, NOW - 2 * hour), expected[..3]);

    // An edit that changes the time moves the row: it is listed once, at its new time.
    let moved = RencontreDraft {
        occurred_at: Some(NOW - 20 * hour),
        ..draft("Gare", "rencontre 0")
    };
    store.update_rencontre(&ids[3], moved).unwrap();
    let mut after = expected[1..].to_vec();
    after.push("rencontre 0".into());
    assert_eq!(notes(&store, 0), after);

    // The plan walks the table's own key backwards: no index, no lookup, no sort.
    let plan: Vec<String> = store
        .conn
        .prepare(
            "EXPLAIN QUERY PLAN SELECT id, note FROM rencontres
              WHERE occurred_at >= ?1 ORDER BY occurred_at DESC, id DESC",
        )
        .unwrap()
        .query_map([0], |r| r.get(3))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        plan,
        vec!["SEARCH rencontres USING PRIMARY KEY (occurred_at>?)".to_owned()]
    );
}
