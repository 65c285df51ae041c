//! Tests of [`SqliteStorage`]: the shared storage story on a real file, plus what only
//! SQLite has (pragmas, migrations, reopening the file).

use std::path::Path;
use std::sync::Arc;

use super::schema::MIGRATIONS;
use super::*;
use crate::storage::suite;

fn file_storage() -> Result<(tempfile::TempDir, Arc<dyn Storage>), ServerError> {
    let dir = tempfile::tempdir().map_err(|_| ServerError::Corrupt { what: "tempdir" })?;
    let storage = SqliteStorage::open(&dir.path().join("server.sqlite3"))?;
    Ok((dir, Arc::new(storage)))
}

#[test]
fn suite_first_team_is_created_once() -> Result<(), ServerError> {
    let (_dir, storage) = file_storage()?;
    suite::first_team_is_created_once(storage)
}

#[test]
fn suite_enrolment_codes_are_single_use_and_expire() -> Result<(), ServerError> {
    let (_dir, storage) = file_storage()?;
    suite::enrolment_codes_are_single_use_and_expire(storage)
}

#[test]
fn suite_devices_are_seen_to_the_hour() -> Result<(), ServerError> {
    let (_dir, storage) = file_storage()?;
    suite::devices_are_seen_to_the_hour(storage)
}

#[test]
fn suite_revocation_is_recorded_once() -> Result<(), ServerError> {
    let (_dir, storage) = file_storage()?;
    suite::revocation_is_recorded_once(storage)
}

#[test]
fn suite_tokens_are_replaced_but_not_revived() -> Result<(), ServerError> {
    let (_dir, storage) = file_storage()?;
    suite::tokens_are_replaced_but_not_revived(storage)
}

#[test]
fn suite_key_epochs_start_only_on_a_new_team() -> Result<(), ServerError> {
    let (_dir, storage) = file_storage()?;
    suite::key_epochs_start_only_on_a_new_team(storage)
}

#[test]
fn suite_key_epochs_rotate_once_and_keep_their_seals() -> Result<(), ServerError> {
    let (_dir, storage) = file_storage()?;
    suite::key_epochs_rotate_once_and_keep_their_seals(storage)
}

#[test]
fn suite_leases_default_to_thirty_days() -> Result<(), ServerError> {
    let (_dir, storage) = file_storage()?;
    suite::leases_default_to_thirty_days(storage)
}

#[test]
fn suite_appends_are_idempotent_and_dense() -> Result<(), ServerError> {
    let (_dir, storage) = file_storage()?;
    suite::appends_are_idempotent_and_dense(storage)
}

#[test]
fn suite_teams_have_separate_logs() -> Result<(), ServerError> {
    let (_dir, storage) = file_storage()?;
    suite::teams_have_separate_logs(storage)
}

#[test]
fn suite_erasure_deletes_refuses_and_never_lowers_the_log() -> Result<(), ServerError> {
    let (_dir, storage) = file_storage()?;
    suite::erasure_deletes_refuses_and_never_lowers_the_log(storage)
}

#[test]
fn suite_batches_are_noted_refused_and_replaced() -> Result<(), ServerError> {
    let (_dir, storage) = file_storage()?;
    crate::storage::suite_batches::batches_are_noted_refused_and_replaced(storage)
}

#[test]
fn suite_access_chains_continue_or_are_refused() -> Result<(), ServerError> {
    let (_dir, storage) = file_storage()?;
    crate::storage::suite_access::access_chains_continue_or_are_refused(storage)
}

#[test]
fn suite_history_in_clear_is_dropped_under_a_new_log_id() -> Result<(), ServerError> {
    let (_dir, storage) = file_storage()?;
    crate::storage::suite_history::history_in_clear_is_dropped_under_a_new_log_id(storage)
}

#[test]
fn suite_log_ids_are_kept_and_renewed() -> Result<(), ServerError> {
    let (_dir, storage) = file_storage()?;
    suite::log_ids_are_kept_and_renewed(storage)
}

#[test]
fn teams_from_before_the_log_identity_get_one_each() -> Result<(), ServerError> {
    let mut conn = Connection::open_in_memory().during("test")?;
    conn.execute_batch(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY NOT NULL,
                                         applied_at INTEGER NOT NULL) STRICT;",
    )
    .during("test")?;
    for (version, sql) in (1..).zip(&MIGRATIONS[..2]) {
        conn.execute_batch(sql).during("test")?;
        conn.execute("INSERT INTO schema_migrations VALUES (?1, 0)", [version])
            .during("test")?;
    }
    conn.execute_batch("INSERT INTO teams VALUES ('a', 'A', 1), ('b', 'B', 2);")
        .during("test")?;
    migrate(&mut conn)?;
    let ids: Vec<String> = conn
        .prepare("SELECT log_id FROM teams ORDER BY id")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .during("test")?;
    assert_eq!(ids.len(), 2);
    assert_ne!(ids[0], ids[1]);
    for id in &ids {
        let parsed = uuid::Uuid::parse_str(id).expect("a UUID's shape");
        assert_eq!(&parsed.to_string(), id, "lowercase and hyphenated: {id}");
    }
    Ok(())
}

#[test]
fn suite_paging_returns_every_change_once() -> Result<(), ServerError> {
    let (_dir, storage) = file_storage()?;
    suite::paging_returns_every_change_once(storage)
}

#[test]
fn suite_runs_whole_on_one_in_memory_database() -> Result<(), ServerError> {
    suite::run_all(Arc::new(SqliteStorage::open_in_memory()?))
}

#[test]
fn file_is_in_wal_mode_with_full_sync() -> Result<(), ServerError> {
    let dir = tempfile::tempdir().map_err(|_| ServerError::Corrupt { what: "tempdir" })?;
    let storage = SqliteStorage::open(&dir.path().join("s.sqlite3"))?;
    let conn = storage.conn();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .during("test")?;
    let sync: i64 = conn
        .query_row("PRAGMA synchronous", [], |r| r.get(0))
        .during("test")?;
    assert_eq!(mode, "wal");
    assert_eq!(sync, 2, "FULL");
    Ok(())
}

#[test]
fn data_survives_reopening_the_file() -> Result<(), ServerError> {
    let dir = tempfile::tempdir().map_err(|_| ServerError::Corrupt { what: "tempdir" })?;
    let path = dir.path().join("s.sqlite3");
    let team = Team {
        id: "t1".into(),
        name: "Équipe".into(),
        created_at: 1,
        log_id: "5f0c2a9e-3b1d-4e7a-8c6f-9d2b1a0e7f43".into(),
    };
    {
        let storage = SqliteStorage::open(&path)?;
        storage.ensure_team(&team)?;
    }
    let reopened = SqliteStorage::open(&path)?;
    assert_eq!(reopened.team("t1")?, Some(team));
    let versions: i64 = reopened
        .conn()
        .query_row("SELECT COUNT(*) FROM schema_migrations", [], |r| r.get(0))
        .during("test")?;
    assert_eq!(versions, MIGRATIONS.len() as i64, "migrations run once");
    Ok(())
}

#[test]
fn a_newer_schema_is_refused() -> Result<(), ServerError> {
    let dir = tempfile::tempdir().map_err(|_| ServerError::Corrupt { what: "tempdir" })?;
    let path = dir.path().join("s.sqlite3");
    {
        let storage = SqliteStorage::open(&path)?;
        storage
            .conn()
            .execute(
                "INSERT INTO schema_migrations (version, applied_at) VALUES (999, 0)",
                [],
            )
            .during("test")?;
    }
    match SqliteStorage::open(&path) {
        Err(ServerError::SchemaTooNew { found: 999, .. }) => Ok(()),
        other => panic!("expected SchemaTooNew, got {other:?}"),
    }
}

#[test]
fn unknown_roles_in_the_file_are_an_error_not_a_panic() -> Result<(), ServerError> {
    let storage = SqliteStorage::open_in_memory()?;
    {
        let conn = storage.conn();
        // Bypass the CHECK constraint, as a hand-edited or corrupted file might.
        conn.execute_batch(
            "PRAGMA ignore_check_constraints = ON;
             INSERT INTO teams (id, name, created_at) VALUES ('t', 'T', 0);
             INSERT INTO devices VALUES ('d', 't', 'n', 'admin', 'h', 0, NULL, NULL);",
        )
        .during("test")?;
    }
    assert!(matches!(
        storage.device_by_token_hash("h"),
        Err(ServerError::Sqlite { .. })
    ));
    Ok(())
}

#[test]
fn a_restore_in_place_keeps_later_erasures_and_renews_log_ids() -> Result<(), ServerError> {
    let dir = tempfile::tempdir().map_err(|_| ServerError::Corrupt { what: "tempdir" })?;
    let (db, backup) = (dir.path().join("s.sqlite3"), dir.path().join("b.sqlite3"));
    let (team, device) = {
        let storage = SqliteStorage::open(&db)?;
        let (team, device) = suite::team_and_device(&storage)?;
        assert_eq!(storage.start_key_epoch(&team, &device)?, (true, 1));
        // Sealed under the team's epoch, as its devices send them.
        let gone = ChangeBlob {
            doc_id: "gone".into(),
            ..suite::sealed_change("g1", 1, 40)
        };
        let kept = suite::sealed_change("k1", 1, 40);
        storage.append_changes(&team, &device, &[gone, kept], 1)?;
        let summary = SqliteStorage::backup_file(&db, &backup)?;
        assert_eq!((summary.teams.len(), summary.entries), (1, 2));
        storage.erase_document(&team, "gone", &device, 2, HeldBatchesRule::Drop)?;
        // After the backup: a new token, a new lease.
        assert!(storage.replace_token_hash(&device, &"ab".repeat(32))?);
        storage.set_lease_days(&team, 9)?;
        // A revocation's key epoch, and the key the device published before it.
        let key = filrouge_model::sync::PublishedKey {
            public_key: vec![1; 32],
            proof: vec![2; 32],
            proof_epoch: 1,
        };
        assert!(storage.publish_device_key(&team, &device, &key)?);
        let seal = filrouge_model::sync::SealedEpochKey {
            epoch: 2,
            recipient: device.clone(),
            sealed: vec![3; 137],
        };
        assert_eq!(storage.rotate_key_epoch(&team, 1, &[seal])?, (true, 2));
        (team, device)
    };
    let before = SqliteStorage::open(&db)?.team(&team)?.map(|t| t.log_id);
    let summary = SqliteStorage::restore_file(&backup, &db)?;
    assert_eq!(summary.carried.erasures, 1);
    let restored = SqliteStorage::open(&db)?;
    let log = restored.changes_after(&team, 0, u64::MAX, 100)?;
    let docs: Vec<(&str, &str)> = log
        .changes
        .iter()
        .map(|c| (c.blob.doc_id.as_str(), c.blob.kind.as_str()))
        .collect();
    assert_eq!(docs, vec![("doc-2", "rencontre"), ("gone", ERASURE_KIND)]);
    let after = restored.team(&team)?.map(|t| t.log_id);
    assert_ne!(after, before, "a new log identity");
    assert_eq!(restored.devices(&team)?.len(), 1);
    let found = restored.device_by_token_hash(&"ab".repeat(32))?;
    assert_eq!(
        found.map(|d| d.device.id),
        Some(device.clone()),
        "the newer token"
    );
    assert_eq!(restored.lease_days(&team)?, 9, "the newer lease");
    assert_eq!(restored.devices(&team)?[0].id, device);
    assert_eq!(restored.key_epoch(&team)?, 2, "a key epoch never goes back");
    assert_eq!(restored.epoch_keys_for(&team, &device)?.len(), 1);
    assert!(restored.key_holders(&team)?[&device].key.is_some());
    Ok(())
}

/// Whether `needle` is anywhere in the database file or its WAL, as raw bytes.
fn on_disk(db: &Path, needle: &[u8]) -> bool {
    let wal = db.with_extension("sqlite3-wal");
    [db, wal.as_path()].iter().any(|path| {
        std::fs::read(path).is_ok_and(|bytes| bytes.windows(needle.len()).any(|w| w == needle))
    })
}

#[test]
fn an_erased_blob_leaves_the_wal_even_when_a_reader_held_it_back() -> Result<(), ServerError> {
    let dir = tempfile::tempdir().map_err(|_| ServerError::Corrupt { what: "tempdir" })?;
    let db = dir.path().join("s.sqlite3");
    let storage = SqliteStorage::open(&db)?;
    let (team, device) = suite::team_and_device(&storage)?;
    let marker = "Zorglubine-blob-4242";
    let gone = ChangeBlob {
        doc_id: "gone".into(),
        ..suite::change(marker, 200)
    };
    storage.append_changes(&team, &device, &[gone], 1)?;
    assert!(on_disk(&db, marker.as_bytes()), "the search finds it first");

    // Another process reads from a snapshot taken before the erasure: the truncation
    // cannot complete while it holds on (the erasure waits for it, then goes on).
    let reader = Connection::open(&db).during("open a reader")?;
    reader
        .execute_batch("BEGIN; SELECT count(*) FROM changes;")
        .during("hold a snapshot")?;
    storage.erase_document(&team, "gone", &device, 2, HeldBatchesRule::Drop)?;
    reader.execute_batch("COMMIT").during("let go")?;
    drop(reader);

    // The checkpointer finishes the truncation once nobody holds the old pages.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while on_disk(&db, marker.as_bytes()) {
        assert!(
            std::time::Instant::now() < deadline,
            "the erased blob is still in the database file or its WAL"
        );
        std::thread::yield_now();
    }
    Ok(())
}
