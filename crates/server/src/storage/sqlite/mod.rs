//! [`Storage`] on one SQLite file: the team server's default database.
//!
//! One connection behind a mutex serves every request (SQLite writes one at a time
//! anyway, and the server's load is a team's devices, not the public). The file is in
//! WAL mode with `synchronous=FULL`, so an acknowledged push survives a power cut, and a
//! `busy_timeout`, so a CLI command run beside the server waits instead of failing.
//! Writes open `BEGIN IMMEDIATE` transactions, taking the write lock up front, so two
//! processes never deadlock upgrading a read. The schema is built by [`MIGRATIONS`], an
//! append-only list whose progress is recorded in `schema_migrations`.

use std::path::Path;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use filrouge_model::sync::{ChangeBlob, PulledChange};
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSqlOutput, ValueRef};
use rusqlite::{Connection, OptionalExtension, Row, ToSql, TransactionBehavior, params};

use super::{
    AppendOutcome, ChangePage, Device, NewDevice, NewEnrolmentCode, PageBudget, Redemption,
    Role, Storage, Team,
};
use crate::error::ServerError;

/// How long a statement waits for another process's write lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The schema, one step per entry. Append only: never edit or reorder a shipped step,
/// since databases in the field have already run it.
const MIGRATIONS: &[&str] = &[
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
];

const DEVICE_COLUMNS: &str = "id, team_id, name, role, created_at, revoked_at";

/// Names the operation an SQLite error happened in, for [`ServerError::Sqlite`].
trait During<T> {
    fn during(self, operation: &'static str) -> Result<T, ServerError>;
}

impl<T> During<T> for rusqlite::Result<T> {
    fn during(self, operation: &'static str) -> Result<T, ServerError> {
        self.map_err(|source| ServerError::Sqlite { operation, source })
    }
}

impl ToSql for Role {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

impl FromSql for Role {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        Role::parse(value.as_str()?).ok_or_else(|| FromSqlError::Other("unknown role".into()))
    }
}

fn read_device(row: &Row<'_>) -> rusqlite::Result<Device> {
    Ok(Device {
        id: row.get(0)?,
        team_id: row.get(1)?,
        name: row.get(2)?,
        role: row.get(3)?,
        created_at: row.get(4)?,
        revoked_at: row.get(5)?,
    })
}

fn read_team(row: &Row<'_>) -> rusqlite::Result<Team> {
    Ok(Team {
        id: row.get(0)?,
        name: row.get(1)?,
        created_at: row.get(2)?,
    })
}

/// The team server's storage in one SQLite file.
pub struct SqliteStorage {
    conn: Mutex<Connection>,
}

impl std::fmt::Debug for SqliteStorage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStorage").finish_non_exhaustive()
    }
}

impl SqliteStorage {
    /// Opens (creating if needed) the database file at `path` and brings its schema up
    /// to date.
    pub fn open(path: &Path) -> Result<SqliteStorage, ServerError> {
        let conn = Connection::open(path).during("open the database")?;
        let mode: String = conn
            .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
            .during("enable WAL")?;
        if !mode.eq_ignore_ascii_case("wal") {
            // Some filesystems (network shares) refuse WAL; the server still works,
            // only with readers and the writer taking turns.
            tracing::warn!(journal_mode = %mode, "SQLite refused WAL mode");
        }
        SqliteStorage::setup(conn)
    }

    /// A database in memory, for tests and trials; gone when dropped.
    pub fn open_in_memory() -> Result<SqliteStorage, ServerError> {
        let conn = Connection::open_in_memory().during("open the database")?;
        SqliteStorage::setup(conn)
    }

    fn setup(mut conn: Connection) -> Result<SqliteStorage, ServerError> {
        // FULL: the WAL is synced at every commit, so an acknowledged change is on disk.
        conn.pragma_update(None, "synchronous", "FULL")
            .during("set synchronous")?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .during("enable foreign keys")?;
        conn.busy_timeout(BUSY_TIMEOUT).during("set busy timeout")?;
        migrate(&mut conn)?;
        Ok(SqliteStorage {
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock dropped any open transaction, which rolls it
        // back, so the connection is still sound: keep serving rather than fail forever.
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Runs the steps of [`MIGRATIONS`] the database has not run yet, in one transaction.
fn migrate(conn: &mut Connection) -> Result<(), ServerError> {
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

impl Storage for SqliteStorage {
    fn create_team(&self, team: &Team) -> Result<(), ServerError> {
        self.conn()
            .execute(
                "INSERT INTO teams (id, name, created_at) VALUES (?1, ?2, ?3)",
                params![team.id, team.name, team.created_at],
            )
            .during("create a team")?;
        Ok(())
    }

    fn ensure_team(&self, candidate: &Team) -> Result<Team, ServerError> {
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .during("begin ensure team")?;
        let first = tx
            .query_row(
                "SELECT id, name, created_at FROM teams ORDER BY created_at, rowid LIMIT 1",
                [],
                read_team,
            )
            .optional()
            .during("read the first team")?;
        let team = match first {
            Some(team) => team,
            None => {
                tx.execute(
                    "INSERT INTO teams (id, name, created_at) VALUES (?1, ?2, ?3)",
                    params![candidate.id, candidate.name, candidate.created_at],
                )
                .during("create a team")?;
                candidate.clone()
            }
        };
        tx.commit().during("commit ensure team")?;
        Ok(team)
    }

    fn team(&self, team_id: &str) -> Result<Option<Team>, ServerError> {
        self.conn()
            .query_row(
                "SELECT id, name, created_at FROM teams WHERE id = ?1",
                [team_id],
                read_team,
            )
            .optional()
            .during("read a team")
    }

    fn insert_enrolment_code(&self, code: &NewEnrolmentCode) -> Result<bool, ServerError> {
        let inserted = self
            .conn()
            .execute(
                "INSERT INTO enrolment_codes (code_hash, team_id, role, expires_at)
                 VALUES (?1, ?2, ?3, ?4) ON CONFLICT (code_hash) DO NOTHING",
                params![code.code_hash, code.team_id, code.role, code.expires_at],
            )
            .during("store an enrolment code")?;
        Ok(inserted == 1)
    }

    fn redeem_enrolment_code(
        &self,
        code_hash: &str,
        now_ms: i64,
        device: &NewDevice,
    ) -> Result<Redemption, ServerError> {
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .during("begin enrolment")?;
        let code: Option<(String, Role, i64, Option<i64>)> = tx
            .query_row(
                "SELECT team_id, role, expires_at, used_at FROM enrolment_codes
                 WHERE code_hash = ?1",
                [code_hash],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
            )
            .optional()
            .during("read an enrolment code")?;
        let Some((team_id, role, expires_at, used_at)) = code else {
            return Ok(Redemption::Unknown);
        };
        if used_at.is_some() {
            return Ok(Redemption::AlreadyUsed);
        }
        if now_ms >= expires_at {
            return Ok(Redemption::Expired);
        }
        tx.execute(
            "UPDATE enrolment_codes SET used_at = ?2 WHERE code_hash = ?1",
            params![code_hash, now_ms],
        )
        .during("mark an enrolment code used")?;
        tx.execute(
            "INSERT INTO devices (id, team_id, name, role, token_hash, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![device.id, team_id, device.name, role, device.token_hash, now_ms],
        )
        .during("create a device")?;
        tx.commit().during("commit enrolment")?;
        Ok(Redemption::Enrolled(Device {
            id: device.id.clone(),
            team_id,
            name: device.name.clone(),
            role,
            created_at: now_ms,
            revoked_at: None,
        }))
    }

    fn device_by_token_hash(&self, token_hash: &str) -> Result<Option<Device>, ServerError> {
        self.conn()
            .query_row(
                &format!("SELECT {DEVICE_COLUMNS} FROM devices WHERE token_hash = ?1"),
                [token_hash],
                read_device,
            )
            .optional()
            .during("authenticate a device")
    }

    fn devices(&self, team_id: &str) -> Result<Vec<Device>, ServerError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached(&format!(
                "SELECT {DEVICE_COLUMNS} FROM devices WHERE team_id = ?1
                 ORDER BY created_at, rowid"
            ))
            .during("list devices")?;
        let devices = stmt
            .query_map([team_id], read_device)
            .during("list devices")?
            .collect::<rusqlite::Result<Vec<_>>>()
            .during("list devices")?;
        Ok(devices)
    }

    fn revoke_device(&self, device_id: &str, now_ms: i64) -> Result<Option<Device>, ServerError> {
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .during("begin revocation")?;
        tx.execute(
            "UPDATE devices SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
            params![device_id, now_ms],
        )
        .during("revoke a device")?;
        let device = tx
            .query_row(
                &format!("SELECT {DEVICE_COLUMNS} FROM devices WHERE id = ?1"),
                [device_id],
                read_device,
            )
            .optional()
            .during("read a revoked device")?;
        tx.commit().during("commit revocation")?;
        Ok(device)
    }

    fn append_changes(
        &self,
        team_id: &str,
        device_id: &str,
        changes: &[ChangeBlob],
        now_ms: i64,
    ) -> Result<AppendOutcome, ServerError> {
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .during("begin append")?;
        // The write lock is held from here to commit, so MAX(seq)+1 cannot race.
        let mut next: i64 = tx
            .query_row(
                "SELECT COALESCE(MAX(seq), 0) + 1 FROM changes WHERE team_id = ?1",
                [team_id],
                |row| row.get(0),
            )
            .during("read the last sequence number")?;
        let mut outcome = AppendOutcome::default();
        {
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO changes
                     (team_id, seq, hash, doc_id, kind, device_id, size, data, received_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                     ON CONFLICT (team_id, hash) DO NOTHING",
                )
                .during("append changes")?;
            for change in changes {
                let size = i64::try_from(change.data.len()).unwrap_or(i64::MAX);
                let inserted = insert
                    .execute(params![
                        team_id,
                        next,
                        change.hash,
                        change.doc_id,
                        change.kind,
                        device_id,
                        size,
                        change.data,
                        now_ms
                    ])
                    .during("append changes")?;
                if inserted == 1 {
                    next += 1;
                    outcome.stored += 1;
                } else {
                    outcome.already_held += 1;
                }
            }
        }
        tx.commit().during("commit append")?;
        Ok(outcome)
    }

    fn changes_after(
        &self,
        team_id: &str,
        after: u64,
        max_bytes: u64,
        max_changes: usize,
    ) -> Result<ChangePage, ServerError> {
        // No stored seq exceeds i64::MAX, so a larger cursor simply finds nothing.
        let after = i64::try_from(after).unwrap_or(i64::MAX);
        // One row past the count limit tells whether more remain.
        let limit = i64::try_from(max_changes.saturating_add(1)).unwrap_or(i64::MAX);
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached(
                "SELECT seq, size, hash, doc_id, kind, data FROM changes
                 WHERE team_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
            )
            .during("read changes")?;
        let mut rows = stmt
            .query(params![team_id, after, limit])
            .during("read changes")?;
        let mut budget = PageBudget::new(max_bytes, max_changes);
        let mut page = ChangePage::default();
        while let Some(row) = rows.next().during("read changes")? {
            let size: i64 = row.get(1).during("read changes")?;
            let size = u64::try_from(size).map_err(|_| ServerError::Corrupt {
                what: "changes.size",
            })?;
            if !budget.admit(size) {
                page.more = true;
                break;
            }
            // Reading the blob only now spares loading one the page has no room for.
            let change = read_change(row).during("read changes")?;
            let seq = u64::try_from(change.0).map_err(|_| ServerError::Corrupt {
                what: "changes.seq",
            })?;
            page.changes.push(PulledChange {
                seq,
                blob: change.1,
            });
        }
        Ok(page)
    }
}

fn read_change(row: &Row<'_>) -> rusqlite::Result<(i64, ChangeBlob)> {
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

#[cfg(test)]
#[path = "sqlite_tests.rs"]
mod tests;
