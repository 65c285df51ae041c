//! Opening the device's SQLite file: durability pragmas and append-only migrations.
//!
//! [`open`] sets WAL mode with `synchronous=FULL` (an acknowledged contact survives a
//! power cut) and `secure_delete=ON` (erased bytes are overwritten, not left in free
//! pages), then applies every migration the file has not seen yet, each in its own
//! transaction. Migrations are only ever appended to [`MIGRATIONS`]; the file's version
//! is `PRAGMA user_version`.

use std::path::Path;

use rusqlite::Connection;

use crate::CoreError;

/// Schema migrations, in order. Never edit or remove one: append a new one.
const MIGRATIONS: &[&str] = &[
    // 1: documents as snapshot + appended chunks, the outbox, sync state, rencontres.
    r#"
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) STRICT;

    -- One Automerge document per record. `snapshot` is a full save; `doc_chunks` holds
    -- the incremental saves appended after it, compacted into a new snapshot now and then.
    CREATE TABLE documents (
        id          TEXT PRIMARY KEY,
        kind        TEXT NOT NULL,
        snapshot    BLOB NOT NULL,
        chunk_count INTEGER NOT NULL DEFAULT 0,
        heads       TEXT NOT NULL
    ) STRICT;

    CREATE TABLE doc_chunks (
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        n      INTEGER NOT NULL,
        data   BLOB NOT NULL,
        PRIMARY KEY (doc_id, n)
    ) STRICT;

    -- Local changes the server has not acknowledged yet, in the order they were made.
    CREATE TABLE outbox (
        n      INTEGER PRIMARY KEY AUTOINCREMENT,
        hash   TEXT NOT NULL UNIQUE,
        doc_id TEXT NOT NULL,
        kind   TEXT NOT NULL,
        data   BLOB NOT NULL
    ) STRICT;

    -- Pulled changes that could not be applied yet (missing dependencies, or their
    -- document is quarantined). Kept so nothing pulled is ever lost.
    CREATE TABLE pending_changes (
        hash   TEXT PRIMARY KEY,
        doc_id TEXT NOT NULL,
        kind   TEXT NOT NULL,
        data   BLOB NOT NULL
    ) STRICT;

    -- Documents that failed to load, set aside so the rest of the store keeps working.
    CREATE TABLE quarantine (
        doc_id TEXT PRIMARY KEY,
        reason TEXT NOT NULL,
        at     INTEGER NOT NULL
    ) STRICT;

    -- Projection: one row per rencontre, rebuilt from its document on every change.
    CREATE TABLE rencontres (
        id          TEXT PRIMARY KEY,
        channel     TEXT NOT NULL,
        place       TEXT NOT NULL,
        occurred_at INTEGER NOT NULL,
        headcount   INTEGER NOT NULL,
        pseudonym   TEXT,
        note        TEXT NOT NULL,
        updated_at  INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX rencontres_by_time ON rencontres (occurred_at DESC);
    "#,
];

/// The schema version this code writes.
pub(crate) const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Opens (creating if needed) the store file and brings its schema up to date.
pub(crate) fn open(path: &Path) -> Result<Connection, CoreError> {
    if let Some(dir) = path.parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir)?;
    }
    let mut conn = Connection::open(path)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    // journal_mode returns a row, so it is read rather than executed.
    let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    conn.execute_batch(
        "PRAGMA synchronous = FULL;
         PRAGMA secure_delete = ON;
         PRAGMA foreign_keys = ON;",
    )?;
    migrate(&mut conn)?;
    Ok(conn)
}

fn migrate(conn: &mut Connection) -> Result<(), CoreError> {
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(CoreError::SchemaTooNew {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        // user_version cannot be bound as a parameter; the value is our own integer.
        tx.execute_batch(&format!("PRAGMA user_version = {}", i + 1))?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_file_gets_every_migration_and_durable_pragmas() {
        let dir = tempfile::tempdir().unwrap();
        let conn = open(&dir.path().join("sub/store.sqlite")).unwrap();
        let v: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION);
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let sync: i64 = conn
            .query_row("PRAGMA synchronous", [], |r| r.get(0))
            .unwrap();
        assert_eq!(sync, 2, "FULL");
        let secure: i64 = conn
            .query_row("PRAGMA secure_delete", [], |r| r.get(0))
            .unwrap();
        assert_eq!(secure, 1);
    }

    #[test]
    fn reopening_is_idempotent_and_newer_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store.sqlite");
        drop(open(&path).unwrap());
        drop(open(&path).unwrap());
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(&format!("PRAGMA user_version = {}", SCHEMA_VERSION + 1))
            .unwrap();
        drop(conn);
        assert!(matches!(open(&path), Err(CoreError::SchemaTooNew { .. })));
    }
}
