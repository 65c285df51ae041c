//! The PostgreSQL schema, its migrations, and how errors and rows cross the driver.
//!
//! [`migrate`] runs at every connection of a server process and brings the database up
//! to the last step of [`MIGRATIONS`] in one transaction, under an advisory lock so two
//! processes starting together do not both apply a step. The schema holds what the
//! SQLite one holds after its nine steps, plus what several processes need in one
//! database: each team's next sequence number and next access number as counter
//! columns of its row (locked by the transaction that takes them, so numbers are dense
//! and become visible in order), insertion-order columns standing for SQLite's `rowid`,
//! and a per-team `generation` an erasure bumps.
//!
//! [`During`] turns a driver error into [`ServerError::Postgres`] with the SQLSTATE and
//! the server's primary message only: PostgreSQL's `DETAIL` can quote a row's values
//! (a key that already exists), which must not reach a log.

use postgres::{GenericClient, Row};

use crate::error::ServerError;
use crate::storage::{Device, Role, Team};

/// The schema, one step per entry. Append only, as on SQLite.
pub(super) const MIGRATIONS: &[&str] = &[
    // 1: everything SQLite's steps 1 to 9 hold, with the counters several server
    // processes share. `data` is stored uncompressed: it is zstd or ciphertext already.
    "CREATE TABLE teams (
        id TEXT PRIMARY KEY,
        ord BIGINT GENERATED ALWAYS AS IDENTITY,
        name TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        log_id TEXT NOT NULL,
        lease_days BIGINT NOT NULL DEFAULT 30 CHECK (lease_days BETWEEN 1 AND 365),
        key_epoch BIGINT NOT NULL DEFAULT 0,
        next_seq BIGINT NOT NULL DEFAULT 1,
        next_access_seq BIGINT NOT NULL DEFAULT 1,
        generation BIGINT NOT NULL DEFAULT 0
    );
    CREATE TABLE enrolment_codes (
        code_hash TEXT PRIMARY KEY,
        team_id TEXT NOT NULL REFERENCES teams(id),
        role TEXT NOT NULL CHECK (role IN ('intervenant', 'coordinateur')),
        expires_at BIGINT NOT NULL,
        used_at BIGINT,
        sealed_keys BYTEA
    );
    CREATE TABLE devices (
        id TEXT PRIMARY KEY,
        ord BIGINT GENERATED ALWAYS AS IDENTITY,
        team_id TEXT NOT NULL REFERENCES teams(id),
        name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('intervenant', 'coordinateur')),
        token_hash TEXT NOT NULL UNIQUE,
        created_at BIGINT NOT NULL,
        revoked_at BIGINT,
        last_seen_at BIGINT
    );
    CREATE INDEX devices_by_team ON devices (team_id, created_at, ord);
    CREATE TABLE changes (
        team_id TEXT NOT NULL REFERENCES teams(id),
        seq BIGINT NOT NULL,
        hash TEXT NOT NULL,
        doc_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        device_id TEXT NOT NULL REFERENCES devices(id),
        size BIGINT NOT NULL,
        data BYTEA NOT NULL,
        received_at BIGINT NOT NULL,
        PRIMARY KEY (team_id, seq),
        UNIQUE (team_id, hash)
    );
    ALTER TABLE changes ALTER COLUMN data SET STORAGE EXTERNAL;
    CREATE INDEX changes_by_doc ON changes (team_id, doc_id);
    CREATE TABLE erasures (
        team_id TEXT NOT NULL REFERENCES teams(id),
        doc_id TEXT NOT NULL,
        seq BIGINT NOT NULL,
        device_id TEXT NOT NULL REFERENCES devices(id),
        erased_at BIGINT NOT NULL,
        PRIMARY KEY (team_id, doc_id)
    );
    CREATE TABLE published_keys (
        team_id TEXT NOT NULL REFERENCES teams(id),
        recipient TEXT NOT NULL,
        public_key BYTEA NOT NULL,
        proof BYTEA NOT NULL,
        proof_epoch BIGINT NOT NULL,
        PRIMARY KEY (team_id, recipient)
    );
    CREATE TABLE epoch_keys (
        team_id TEXT NOT NULL REFERENCES teams(id),
        recipient TEXT NOT NULL,
        epoch BIGINT NOT NULL,
        sealed BYTEA NOT NULL,
        PRIMARY KEY (team_id, recipient, epoch)
    );
    CREATE TABLE batch_docs (
        team_id TEXT NOT NULL,
        doc_id TEXT NOT NULL,
        seq BIGINT NOT NULL,
        PRIMARY KEY (team_id, doc_id, seq)
    );
    CREATE INDEX batch_docs_by_seq ON batch_docs (team_id, seq);
    CREATE TABLE access_entries (
        team_id TEXT NOT NULL,
        access_seq BIGINT NOT NULL,
        device_id TEXT NOT NULL,
        seq BIGINT NOT NULL,
        link BYTEA NOT NULL,
        data BYTEA NOT NULL,
        received_at BIGINT NOT NULL,
        PRIMARY KEY (team_id, access_seq)
    );
    CREATE UNIQUE INDEX access_entries_by_device ON access_entries (device_id, seq);
    CREATE INDEX access_entries_by_age ON access_entries (team_id, received_at);
    CREATE TABLE access_heads (
        device_id TEXT PRIMARY KEY,
        team_id TEXT NOT NULL,
        seq BIGINT NOT NULL,
        link BYTEA NOT NULL
    );",
    // 2: the request rate limits' token buckets, shared by every server process on the
    // database. Unlogged: a crash empties them (every bucket full again), and their
    // writes never wait for a WAL flush.
    "CREATE UNLOGGED TABLE rate_buckets (
        key TEXT PRIMARY KEY,
        tokens DOUBLE PRECISION NOT NULL,
        at_ms BIGINT NOT NULL,
        admitted BOOLEAN NOT NULL
    );
    CREATE INDEX rate_buckets_by_age ON rate_buckets (at_ms);",
    // 3: a process takes up to a few of a bucket's tokens at once and spends them
    // itself; the row says how many the last request took.
    "ALTER TABLE rate_buckets ADD COLUMN taken INTEGER NOT NULL DEFAULT 0;",
    // 4: the log keeps no foreign keys, as `batch_docs` and `access_entries` never did.
    // PostgreSQL checks one with a trigger per inserted row (a query and a row lock
    // each): two per change took 60% of a group's insert in `bench load`. The writer
    // holds the team's row locked for the whole transaction and refuses a page of a team
    // it does not find; the device is the caller the token check found; no team or
    // device is ever deleted.
    "ALTER TABLE changes DROP CONSTRAINT changes_team_id_fkey,
                         DROP CONSTRAINT changes_device_id_fkey;",
];

/// The advisory lock key the migrations run under ("filrouge" in ASCII).
const MIGRATION_LOCK: i64 = 0x6669_6c72_6f75_6765;

/// Names the operation a driver error happened in, for [`ServerError::Postgres`].
pub(super) trait During<T> {
    /// Wraps a driver error in [`ServerError::Postgres`] with `operation`.
    fn during(self, operation: &'static str) -> Result<T, ServerError>;
}

impl<T> During<T> for Result<T, postgres::Error> {
    fn during(self, operation: &'static str) -> Result<T, ServerError> {
        self.map_err(|e| ServerError::Postgres {
            operation,
            reason: reason(&e),
        })
    }
}

/// What may be said of a driver error: the SQLSTATE and primary message of a database
/// error (never its detail, which can quote values), else the driver's own words.
fn reason(error: &postgres::Error) -> String {
    match error.as_db_error() {
        Some(db) => format!("{} {}", db.code().code(), db.message()),
        None => error.to_string(),
    }
}

/// The `devices` columns [`read_device`] expects, in order.
pub(super) const DEVICE_COLUMNS: &str =
    "id, team_id, name, role, created_at, revoked_at, last_seen_at";

/// Reads a row of `SELECT {DEVICE_COLUMNS} FROM devices`.
pub(super) fn read_device(row: &Row) -> Result<Device, ServerError> {
    let role: &str = row.try_get(3).during("read a device")?;
    Ok(Device {
        id: row.try_get(0).during("read a device")?,
        team_id: row.try_get(1).during("read a device")?,
        name: row.try_get(2).during("read a device")?,
        role: Role::parse(role).ok_or(ServerError::Corrupt {
            what: "devices.role",
        })?,
        created_at: row.try_get(4).during("read a device")?,
        revoked_at: row.try_get(5).during("read a device")?,
        last_seen_at: row.try_get(6).during("read a device")?,
    })
}

/// The `teams` columns [`read_team`] expects, in order.
pub(super) const TEAM_COLUMNS: &str = "id, name, created_at, log_id";

/// Reads a row of `SELECT {TEAM_COLUMNS} FROM teams`.
pub(super) fn read_team(row: &Row) -> Result<Team, ServerError> {
    Ok(Team {
        id: row.try_get(0).during("read a team")?,
        name: row.try_get(1).during("read a team")?,
        created_at: row.try_get(2).during("read a team")?,
        log_id: row.try_get(3).during("read a team")?,
    })
}

/// A stored count or number as the storage API gives it (never negative when sound).
pub(super) fn unsigned(value: i64, what: &'static str) -> Result<u64, ServerError> {
    u64::try_from(value).map_err(|_| ServerError::Corrupt { what })
}

/// A number of the storage API as a `BIGINT`.
pub(super) fn signed(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

/// Runs the steps of [`MIGRATIONS`] the database has not run yet, in one transaction.
pub(super) fn migrate(client: &mut postgres::Client) -> Result<(), ServerError> {
    let known = i64::try_from(MIGRATIONS.len()).unwrap_or(i64::MAX);
    let mut tx = client.transaction().during("begin migration")?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .during("lock the migrations")?;
    // The server's NOTICE that the table exists would reach the log at every start.
    tx.batch_execute(
        "SET LOCAL client_min_messages = warning;
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version BIGINT PRIMARY KEY,
            applied_at BIGINT NOT NULL
        )",
    )
    .during("create schema_migrations")?;
    let found: i64 = tx
        .query_one(
            "SELECT COALESCE(MAX(version), 0)::BIGINT FROM schema_migrations",
            &[],
        )
        .during("read schema version")?
        .try_get(0)
        .during("read schema version")?;
    if found > known {
        return Err(ServerError::SchemaTooNew { found, known });
    }
    for (version, sql) in (1i64..).zip(MIGRATIONS).skip_while(|(v, _)| *v <= found) {
        tx.batch_execute(sql).during("apply a migration")?;
        tx.execute(
            "INSERT INTO schema_migrations (version, applied_at)
             VALUES ($1, (extract(epoch FROM now()) * 1000)::BIGINT)",
            &[&version],
        )
        .during("record a migration")?;
        tracing::info!(version, "applied PostgreSQL schema migration");
    }
    tx.commit().during("commit migration")
}

/// The team's row locked until the transaction ends, answering `column` (one of the
/// counters); an unknown team is [`ServerError::UnknownTeam`]. Every writer of a
/// team's log or access log takes this lock first, so its numbers are handed out one
/// transaction at a time and a later number never commits before an earlier one.
pub(super) fn lock_team(
    tx: &mut impl GenericClient,
    team_id: &str,
    column: Counter,
) -> Result<i64, ServerError> {
    let sql = match column {
        Counter::NextSeq => "SELECT next_seq FROM teams WHERE id = $1 FOR NO KEY UPDATE",
        Counter::NextAccessSeq => {
            "SELECT next_access_seq FROM teams WHERE id = $1 FOR NO KEY UPDATE"
        }
        Counter::KeyEpoch => "SELECT key_epoch FROM teams WHERE id = $1 FOR UPDATE",
    };
    let row = tx.query_opt(sql, &[&team_id]).during("lock a team")?;
    match row {
        Some(row) => row.try_get(0).during("lock a team"),
        None => Err(ServerError::UnknownTeam {
            team_id: team_id.to_owned(),
        }),
    }
}

/// A counter of a team's row that [`lock_team`] reads.
#[derive(Debug, Clone, Copy)]
pub(super) enum Counter {
    /// The sequence number the log's next entry takes.
    NextSeq,
    /// The number the team's next access entry takes.
    NextAccessSeq,
    /// The key epoch (locked `FOR UPDATE`, so no device joins meanwhile).
    KeyEpoch,
}
