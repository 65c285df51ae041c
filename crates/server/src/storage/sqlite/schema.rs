//! The SQLite schema and how its rows map to the storage records.
//!
//! [`migrate`] runs at every open and brings the file up to the last step of
//! [`MIGRATIONS`], recording each step in `schema_migrations`, all in one transaction so
//! a crash mid-upgrade leaves the old schema intact. The `read_*` functions turn rows
//! into [`Device`], [`Team`] and [`ChangeBlob`]; [`During`] names the operation an
//! SQLite error happened in, for [`ServerError::Sqlite`].

use filrouge_model::sync::ChangeBlob;
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSqlOutput, ValueRef};
use rusqlite::{Connection, Row, ToSql, TransactionBehavior};

use crate::error::ServerError;
use crate::storage::{Device, Role, Team};

/// The schema, one step per entry. Append only: never edit or reorder a shipped step,
/// since databases in the field have already run it.
pub(super) const MIGRATIONS: &[&str] = &[
    // 1: teams, enrolment codes, devices and the change log.
    "CREATE TABLE teams (
        id TEXT PRIMARY KEY NOT NULL,
        name TEXT NOT NULL,
        created_at INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE enrolment_codes (
        code_hash TEXT PRIMARY KEY NOT NULL,
        team_id TEXT NOT NULL REFERENCES teams(id),
        role TEXT NOT NULL CHECK (role IN ('intervenant', 'coordinateur')),
        expires_at INTEGER NOT NULL,
        used_at INTEGER
    ) STRICT;
    CREATE TABLE devices (
        id TEXT PRIMARY KEY NOT NULL,
        team_id TEXT NOT NULL REFERENCES teams(id),
        name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('intervenant', 'coordinateur')),
        token_hash TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL,
        revoked_at INTEGER
    ) STRICT;
    CREATE INDEX devices_by_team ON devices (team_id, created_at);
    CREATE TABLE changes (
        team_id TEXT NOT NULL REFERENCES teams(id),
        seq INTEGER NOT NULL,
        hash TEXT NOT NULL,
        doc_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        device_id TEXT NOT NULL REFERENCES devices(id),
        size INTEGER NOT NULL,
        data BLOB NOT NULL,
        received_at INTEGER NOT NULL,
        PRIMARY KEY (team_id, seq),
        UNIQUE (team_id, hash)
    ) STRICT;",
    // 2: erasure. Erased records (their later uploads are refused), and an index to
    // find a record's changes without scanning the team's whole log.
    "CREATE TABLE erasures (
        team_id TEXT NOT NULL REFERENCES teams(id),
        doc_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        device_id TEXT NOT NULL REFERENCES devices(id),
        erased_at INTEGER NOT NULL,
        PRIMARY KEY (team_id, doc_id)
    ) STRICT;
    CREATE INDEX changes_by_doc ON changes (team_id, doc_id);",
    // 3: the log identity. Each team's log gets a random id (a UUID's shape), which
    // devices keep their cursor under; `filrouge restore` gives every log a new one.
    "ALTER TABLE teams ADD COLUMN log_id TEXT NOT NULL DEFAULT '';
    UPDATE teams SET log_id = lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2)))
        || '-' || lower(hex(randomblob(2))) || '-' || lower(hex(randomblob(2))) || '-'
        || lower(hex(randomblob(6)));",
    // 4: the offline lease. A device of the team that has not synced for this many days
    // locks until it has; the team's coordinators choose it.
    "ALTER TABLE teams ADD COLUMN lease_days INTEGER NOT NULL DEFAULT 30
        CHECK (lease_days BETWEEN 1 AND 365);",
    // 5: when each device last reached the server (to the hour), so a coordinator
    // knows whose records may be missing from the team's figures.
    "ALTER TABLE devices ADD COLUMN last_seen_at INTEGER;",
    // 6: end-to-end encryption. The team's key epoch (0: its changes travel in clear),
    // and, with a code a coordinator's device made, the team's keys sealed under the
    // invitation's secret, which the server never sees (handed over once, then gone).
    "ALTER TABLE teams ADD COLUMN key_epoch INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE enrolment_codes ADD COLUMN sealed_keys BLOB;",
    // 7: key epochs after the first. Each device's published X25519 key (and the
    // team's recovery key, under the recipient 'recovery'), and each epoch's key sealed
    // to each recipient; the server can open none of them.
    "CREATE TABLE published_keys (
        team_id TEXT NOT NULL REFERENCES teams(id),
        recipient TEXT NOT NULL,
        public_key BLOB NOT NULL,
        proof BLOB NOT NULL,
        proof_epoch INTEGER NOT NULL,
        PRIMARY KEY (team_id, recipient)
    ) STRICT;
    CREATE TABLE epoch_keys (
        team_id TEXT NOT NULL REFERENCES teams(id),
        recipient TEXT NOT NULL,
        epoch INTEGER NOT NULL,
        sealed BLOB NOT NULL,
        PRIMARY KEY (team_id, recipient, epoch)
    ) STRICT;",
    // 8: which records each sealed batch holds (its clear header, read at append), so
    // an erasure finds every batch holding the record.
    "CREATE TABLE batch_docs (
        team_id TEXT NOT NULL,
        doc_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (team_id, doc_id, seq)
    ) STRICT, WITHOUT ROWID;",
    // 9: the access log's entries, sealed, every device's (`access_seq` numbers them in
    // the team's order), and each device's head, which a push must continue.
    "CREATE TABLE access_entries (
        team_id TEXT NOT NULL,
        access_seq INTEGER NOT NULL,
        device_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        link BLOB NOT NULL,
        data BLOB NOT NULL,
        received_at INTEGER NOT NULL,
        PRIMARY KEY (team_id, access_seq)
    ) STRICT;
    CREATE UNIQUE INDEX access_entries_by_device ON access_entries (device_id, seq);
    CREATE INDEX access_entries_by_age ON access_entries (team_id, received_at);
    CREATE TABLE access_heads (
        device_id TEXT PRIMARY KEY NOT NULL,
        team_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        link BLOB NOT NULL
    ) STRICT;",
];

/// The `devices` columns [`read_device`] expects, in order.
pub(super) const DEVICE_COLUMNS: &str =
    "id, team_id, name, role, created_at, revoked_at, last_seen_at";

/// Names the operation an SQLite error happened in, for [`ServerError::Sqlite`].
pub(super) trait During<T> {
    /// Wraps an SQLite error in [`ServerError::Sqlite`] with `operation`.
    fn during(self, operation: &'static str) -> Result<T, ServerError>;
}

impl<T> During<T> for rusqlite::Result<T> {
    fn during(self, operation: &'static str) -> Result<T, ServerError> {
        self.map_err(|source| ServerError::Sqlite { operation, source })
    }
}

/// A [`Role`] as its column holds it (the type is the sync API's, in `filrouge-model`).
pub(super) struct SqlRole(pub(super) Role);

impl ToSql for SqlRole {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.0.as_str()))
    }
}

impl FromSql for SqlRole {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        Role::parse(value.as_str()?)
            .map(SqlRole)
            .ok_or_else(|| FromSqlError::Other("unknown role".into()))
    }
}

/// Reads a row of `SELECT {DEVICE_COLUMNS} FROM devices`.
pub(super) fn read_device(row: &Row<'_>) -> rusqlite::Result<Device> {
    Ok(Device {
        id: row.get(0)?,
        team_id: row.get(1)?,
        name: row.get(2)?,
        role: row.get::<_, SqlRole>(3)?.0,
        created_at: row.get(4)?,
        revoked_at: row.get(5)?,
        last_seen_at: row.get(6)?,
    })
}

/// The `teams` columns [`read_team`] expects, in order.
pub(super) const TEAM_COLUMNS: &str = "id, name, created_at, log_id";

/// Reads a row of `SELECT {TEAM_COLUMNS} FROM teams`.
pub(super) fn read_team(row: &Row<'_>) -> rusqlite::Result<Team> {
    Ok(Team {
        id: row.get(0)?,
        name: row.get(1)?,
        created_at: row.get(2)?,
        log_id: row.get(3)?,
    })
}

/// Runs the steps of [`MIGRATIONS`] the database has not run yet, in one transaction.
pub(super) fn migrate(conn: &mut Connection) -> Result<(), ServerError> {
    let known = i64::try_from(MIGRATIONS.len()).unwrap_or(i64::MAX);
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .during("begin migration")?;
    tx.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version INTEGER PRIMARY KEY NOT NULL,
            applied_at INTEGER NOT NULL
        ) STRICT",
    )
    .during("create schema_migrations")?;
    let found: i64 = tx
        .query_row(
            "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
            [],
            |row| row.get(0),
        )
        .during("read schema version")?;
    if found > known {
        return Err(ServerError::SchemaTooNew { found, known });
    }
    for (version, sql) in (1..).zip(MIGRATIONS).skip_while(|(v, _)| *v <= found) {
        tx.execute_batch(sql).during("apply a migration")?;
        tx.execute(
            "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, unixepoch() * 1000)",
            [version],
        )
        .during("record a migration")?;
        tracing::info!(version, "applied schema migration");
    }
    tx.commit().during("commit migration")
}

/// Reads a row of `SELECT seq, size, hash, doc_id, kind, data FROM changes` (the size
/// is read apart, before deciding whether the blob is loaded at all).
pub(super) fn read_change(row: &Row<'_>) -> rusqlite::Result<(i64, ChangeBlob)> {
    Ok((
        row.get(0)?,
        ChangeBlob {
            hash: row.get(2)?,
            doc_id: row.get(3)?,
            kind: row.get(4)?,
            data: row.get(5)?,
        },
    ))
}
