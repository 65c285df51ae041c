//! [`Storage`] on one SQLite file: the team server's default database.
//!
//! One connection behind a mutex serves every request (SQLite writes one at a time
//! anyway, and the server's load is a team's devices, not the public). The file is in
//! WAL mode with `synchronous=FULL`, so an acknowledged push survives a power cut, and a
//! `busy_timeout`, so a CLI command run beside the server waits instead of failing.
//! Writes open `BEGIN IMMEDIATE` transactions, taking the write lock up front, so two
//! processes never deadlock upgrading a read. Pushes that wait for the writer are
//! committed together ([`append`]); WAL checkpoints run on a thread of their own
//! ([`checkpoint`]). The schema lives in [`schema`]: an
//! append-only list of migrations whose progress is recorded in `schema_migrations`.

use std::path::Path;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use std::collections::BTreeMap;

use filrouge_model::sync::{
    BATCH_KIND, ChangeBlob, ERASURE_KIND, HeldBatch, HistorySeal, PublishedKey, PulledChange,
    SealedEpochKey, TeamAccessEntry, erasure_hash,
};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::{
    AccessRow, AppendOutcome, Caller, ChangePage, Device, Erasure, HeldBatchesRule, KeyHolder,
    NewDevice, NewEnrolmentCode, PageFill, Redemption, Storage, Team,
};
use crate::error::ServerError;
use crate::storage::pool::{Lease, Pool};
mod access;
mod append;
mod backup;
mod batches;
mod checkpoint;
mod history;
mod keys;

pub use backup::{BackupSummary, Carried};

use schema::{
    DEVICE_COLUMNS, During, SqlRole, TEAM_COLUMNS, migrate, read_change, read_device, read_team,
};

/// How long a statement waits for another process's write lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Read-only connections beside the writer: in WAL mode they read while it writes, so
/// a device's pull or token check never waits behind another device's push (whose
/// commit waits on the disk). Two, for two cores.
const READERS: usize = 2;

/// The team server's storage in one SQLite file.
pub struct SqliteStorage {
    conn: Mutex<Connection>,
    /// Connections for reads that need no transaction with a write (pulls, token
    /// checks); empty for an in-memory database, which has no second connection.
    readers: Pool<Connection>,
    /// Pushes waiting for the writer, committed together (see [`append`]).
    appends: crate::storage::group::AppendQueue,
    /// The WAL's checkpoints, off the writer (see [`checkpoint`]); none in memory.
    checkpointer: Option<checkpoint::Checkpointer>,
}

/// A connection to read with ([`SqliteStorage::reader`]).
enum Reading<'a> {
    Pooled(Lease<'a, Connection>),
    Writer(MutexGuard<'a, Connection>),
}

impl std::ops::Deref for Reading<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        match self {
            Reading::Pooled(lease) => lease,
            Reading::Writer(guard) => guard,
        }
    }
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
        let mut storage = SqliteStorage::setup(conn)?;
        if mode.eq_ignore_ascii_case("wal") {
            storage.readers = Pool::new(
                (0..READERS)
                    .map(|_| open_reader(path))
                    .collect::<Result<_, _>>()?,
            );
            storage
                .conn()
                .pragma_update(
                    None,
                    "wal_autocheckpoint",
                    checkpoint::WRITER_FALLBACK_PAGES,
                )
                .during("set the writer's checkpoint")?;
            storage.checkpointer = Some(checkpoint::Checkpointer::start(path)?);
        }
        Ok(storage)
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
        // Deleted content (an erased record's blobs) is overwritten, not left in free pages.
        conn.pragma_update(None, "secure_delete", "ON")
            .during("enable secure delete")?;
        conn.busy_timeout(BUSY_TIMEOUT).during("set busy timeout")?;
        migrate(&mut conn)?;
        Ok(SqliteStorage {
            conn: Mutex::new(conn),
            readers: Pool::new(Vec::new()),
            appends: crate::storage::group::AppendQueue::default(),
            checkpointer: None,
        })
    }

    /// A connection to read with: a reader in its turn (see [`Pool`]), or, in memory,
    /// the writer.
    fn reader(&self) -> Reading<'_> {
        if self.readers.is_empty() {
            return Reading::Writer(self.conn());
        }
        match self.readers.get() {
            Ok(lease) => Reading::Pooled(lease),
            // Never with readers in the pool; the writer reads as well.
            Err(_) => Reading::Writer(self.conn()),
        }
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock dropped any open transaction, which rolls it
        // back, so the connection is still sound: keep serving rather than fail forever.
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Storage for SqliteStorage {
    fn create_team(&self, team: &Team) -> Result<(), ServerError> {
        self.conn()
            .execute(
                "INSERT INTO teams (id, name, created_at, log_id) VALUES (?1, ?2, ?3, ?4)",
                params![team.id, team.name, team.created_at, team.log_id],
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
                &format!("SELECT {TEAM_COLUMNS} FROM teams ORDER BY created_at, rowid LIMIT 1"),
                [],
                read_team,
            )
            .optional()
            .during("read the first team")?;
        let team = match first {
            Some(team) => team,
            None => {
                tx.execute(
                    "INSERT INTO teams (id, name, created_at, log_id) VALUES (?1, ?2, ?3, ?4)",
                    params![
                        candidate.id,
                        candidate.name,
                        candidate.created_at,
                        candidate.log_id
                    ],
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
                &format!("SELECT {TEAM_COLUMNS} FROM teams WHERE id = ?1"),
                [team_id],
                read_team,
            )
            .optional()
            .during("read a team")
    }

    fn teams(&self) -> Result<Vec<Team>, ServerError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare(&format!(
                "SELECT {TEAM_COLUMNS} FROM teams ORDER BY created_at, rowid"
            ))
            .during("list teams")?;
        let teams = stmt
            .query_map([], read_team)
            .during("list teams")?
            .collect::<rusqlite::Result<Vec<_>>>()
            .during("list teams")?;
        Ok(teams)
    }

    fn set_log_id(&self, team_id: &str, log_id: &str) -> Result<bool, ServerError> {
        let changed = self
            .conn()
            .execute(
                "UPDATE teams SET log_id = ?2 WHERE id = ?1",
                params![team_id, log_id],
            )
            .during("renew a log id")?;
        Ok(changed == 1)
    }

    fn insert_enrolment_code(&self, code: &NewEnrolmentCode) -> Result<bool, ServerError> {
        let inserted = self
            .conn()
            .execute(
                "INSERT INTO enrolment_codes (code_hash, team_id, role, expires_at, sealed_keys)
                 VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (code_hash) DO NOTHING",
                params![
                    code.code_hash,
                    code.team_id,
                    SqlRole(code.role),
                    code.expires_at,
                    code.sealed_keys
                ],
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
        type CodeRow = (String, SqlRole, i64, Option<i64>, Option<Vec<u8>>);
        let code: Option<CodeRow> = tx
            .query_row(
                "SELECT team_id, role, expires_at, used_at, sealed_keys FROM enrolment_codes
                 WHERE code_hash = ?1",
                [code_hash],
                |row| {
                    Ok((
                        row.get(0)?,
                        row.get(1)?,
                        row.get(2)?,
                        row.get(3)?,
                        row.get(4)?,
                    ))
                },
            )
            .optional()
            .during("read an enrolment code")?;
        let Some((team_id, SqlRole(role), expires_at, used_at, sealed_keys)) = code else {
            return Ok(Redemption::Unknown);
        };
        if used_at.is_some() {
            return Ok(Redemption::AlreadyUsed);
        }
        if now_ms >= expires_at {
            return Ok(Redemption::Expired);
        }
        tx.execute(
            "UPDATE enrolment_codes SET used_at = ?2, sealed_keys = NULL WHERE code_hash = ?1",
            params![code_hash, now_ms],
        )
        .during("mark an enrolment code used")?;
        tx.execute(
            "INSERT INTO devices (id, team_id, name, role, token_hash, created_at, last_seen_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
            params![
                device.id,
                team_id,
                device.name,
                SqlRole(role),
                device.token_hash,
                now_ms
            ],
        )
        .during("create a device")?;
        tx.commit().during("commit enrolment")?;
        Ok(Redemption::Enrolled(
            Device {
                id: device.id.clone(),
                team_id,
                name: device.name.clone(),
                role,
                created_at: now_ms,
                revoked_at: None,
                last_seen_at: Some(now_ms),
            },
            sealed_keys,
        ))
    }

    fn device_by_token_hash(&self, token_hash: &str) -> Result<Option<Caller>, ServerError> {
        // Read on a reader: a revocation committed by the writer is seen by the next
        // statement here, so a revoked token stops working at once all the same.
        self.reader()
            .prepare_cached(
                // The head and the generation as `log_state` and `generation` read them.
                "SELECT d.id, d.team_id, d.name, d.role, d.created_at, d.revoked_at,
                        d.last_seen_at, t.key_epoch, t.lease_days,
                        (SELECT COALESCE(MAX(seq), 0) FROM changes WHERE team_id = t.id),
                        (SELECT COUNT(*) FROM erasures WHERE team_id = t.id) + t.key_epoch
                   FROM devices d JOIN teams t ON t.id = d.team_id
                  WHERE d.token_hash = ?1",
            )
            .and_then(|mut stmt| {
                stmt.query_row([token_hash], |row| {
                    Ok(Caller {
                        device: read_device(row)?,
                        key_epoch: row.get(7)?,
                        lease_days: row.get(8)?,
                        log_state: (
                            row.get::<_, i64>(9)?.unsigned_abs(),
                            row.get::<_, i64>(10)?.unsigned_abs(),
                        ),
                    })
                })
                .optional()
            })
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

    fn touch_device(&self, device_id: &str, now_ms: i64) -> Result<(), ServerError> {
        self.conn()
            .prepare_cached(
                "UPDATE devices SET last_seen_at = ?2
                  WHERE id = ?1 AND (last_seen_at IS NULL OR last_seen_at <= ?2 - ?3)",
            )
            .and_then(|mut stmt| {
                stmt.execute(rusqlite::params![
                    device_id,
                    now_ms,
                    crate::storage::TOUCH_EVERY_MS
                ])
            })
            .during("touch a device")?;
        Ok(())
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

    fn lease_days(&self, team_id: &str) -> Result<u32, ServerError> {
        team_number(&self.reader(), team_id, TeamNumber::LeaseDays)
    }

    fn key_epoch(&self, team_id: &str) -> Result<u32, ServerError> {
        team_number(&self.reader(), team_id, TeamNumber::KeyEpoch)
    }

    fn start_key_epoch(&self, team_id: &str, device_id: &str) -> Result<(bool, u32), ServerError> {
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .during("begin a key epoch")?;
        let epoch = team_number(&tx, team_id, TeamNumber::KeyEpoch)?;
        if epoch != 0 {
            return Ok((false, epoch));
        }
        let first_and_empty: bool = tx
            .query_row(
                "SELECT NOT EXISTS (SELECT 1 FROM changes WHERE team_id = ?1)
                    AND NOT EXISTS (SELECT 1 FROM erasures WHERE team_id = ?1)
                    AND NOT EXISTS (SELECT 1 FROM devices WHERE team_id = ?1 AND id <> ?2)",
                params![team_id, device_id],
                |r| r.get(0),
            )
            .during("check the team is new")?;
        if !first_and_empty {
            return Ok((false, 0));
        }
        tx.execute("UPDATE teams SET key_epoch = 1 WHERE id = ?1", [team_id])
            .during("start key epoch 1")?;
        tx.commit().during("commit a key epoch")?;
        Ok((true, 1))
    }

    fn seal_history(&self, team_id: &str, seal: &HistorySeal) -> Result<(bool, u32), ServerError> {
        self.seal_history_rows(team_id, seal)
    }

    fn publish_device_key(
        &self,
        team_id: &str,
        device_id: &str,
        key: &PublishedKey,
    ) -> Result<bool, ServerError> {
        keys::publish_device_key(&mut self.conn(), team_id, device_id, key)
    }

    fn key_holders(&self, team_id: &str) -> Result<BTreeMap<String, KeyHolder>, ServerError> {
        keys::key_holders(&self.reader(), team_id)
    }

    fn rotate_key_epoch(
        &self,
        team_id: &str,
        from: u32,
        sealed: &[SealedEpochKey],
    ) -> Result<(bool, u32), ServerError> {
        keys::rotate_key_epoch(&mut self.conn(), team_id, from, sealed)
    }

    fn share_epoch_keys(
        &self,
        team_id: &str,
        sealed: &[SealedEpochKey],
        recovery: Option<&PublishedKey>,
    ) -> Result<(), ServerError> {
        keys::share_epoch_keys(&mut self.conn(), team_id, sealed, recovery)
    }

    fn epoch_keys_for(
        &self,
        team_id: &str,
        recipient: &str,
    ) -> Result<Vec<SealedEpochKey>, ServerError> {
        keys::epoch_keys_for(&self.reader(), team_id, recipient)
    }

    fn set_lease_days(&self, team_id: &str, days: u32) -> Result<(), ServerError> {
        let changed = self
            .conn()
            .execute(
                "UPDATE teams SET lease_days = ?2 WHERE id = ?1",
                params![team_id, days],
            )
            .during("set the lease")?;
        if changed == 0 {
            return Err(ServerError::UnknownTeam {
                team_id: team_id.to_owned(),
            });
        }
        Ok(())
    }

    fn replace_token_hash(&self, device_id: &str, token_hash: &str) -> Result<bool, ServerError> {
        let changed = self
            .conn()
            .execute(
                "UPDATE devices SET token_hash = ?2 WHERE id = ?1 AND revoked_at IS NULL",
                params![device_id, token_hash],
            )
            .during("replace a device token")?;
        Ok(changed == 1)
    }

    fn append_changes(
        &self,
        team_id: &str,
        device_id: &str,
        changes: &[ChangeBlob],
        now_ms: i64,
    ) -> Result<AppendOutcome, ServerError> {
        self.append_in_group(team_id, device_id, changes, now_ms)
    }

    fn erase_document(
        &self,
        team_id: &str,
        doc_id: &str,
        device_id: &str,
        now_ms: i64,
        batches: HeldBatchesRule<'_>,
    ) -> Result<Erasure, ServerError> {
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .during("begin erasure")?;
        let before: Option<i64> = tx
            .query_row(
                "SELECT seq FROM erasures WHERE team_id = ?1 AND doc_id = ?2",
                params![team_id, doc_id],
                |row| row.get(0),
            )
            .optional()
            .during("read erasures")?;
        if let Some(seq) = before {
            return Ok(Erasure {
                seq: u64::try_from(seq).unwrap_or(0),
                deleted: 0,
            });
        }
        // The entry takes a number above every change, deleted or not, so the log's
        // highest number never goes down and no device's cursor skips a later change.
        let seq = next_seq(&tx, team_id)?;
        let resealed = batches::take_out(&tx, team_id, doc_id, batches)?;
        let deleted = tx
            .execute(
                "DELETE FROM changes WHERE team_id = ?1 AND doc_id = ?2 AND kind <> ?3",
                params![team_id, doc_id, BATCH_KIND],
            )
            .during("delete an erased record's changes")? as u64
            + resealed;
        tx.execute(
            "INSERT INTO changes
             (team_id, seq, hash, doc_id, kind, device_id, size, data, received_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, X'', ?7)",
            params![
                team_id,
                seq,
                erasure_hash(doc_id),
                doc_id,
                ERASURE_KIND,
                device_id,
                now_ms
            ],
        )
        .during("append the erasure")?;
        tx.execute(
            "INSERT INTO erasures (team_id, doc_id, seq, device_id, erased_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![team_id, doc_id, seq, device_id, now_ms],
        )
        .during("record the erasure")?;
        tx.commit().during("commit erasure")?;
        // The old page images of the erased blobs are still in the WAL until it is
        // checkpointed and truncated: now, or by the checkpointer as soon as the
        // readers let it.
        if let Some(checkpointer) = &self.checkpointer
            && !checkpointer.truncate(&conn)
        {
            tracing::warn!("WAL not yet truncated after an erasure: retried in the background");
        }
        Ok(Erasure {
            seq: u64::try_from(seq).unwrap_or(0),
            deleted,
        })
    }

    fn append_access(
        &self,
        team_id: &str,
        device_id: &str,
        prev: Option<[u8; 32]>,
        entries: &[AccessRow],
        now_ms: i64,
        purge_before: i64,
    ) -> Result<u64, ServerError> {
        self.append_access_rows(team_id, device_id, prev, entries, now_ms, purge_before)
    }

    fn access_after(
        &self,
        team_id: &str,
        after: u64,
        max: usize,
    ) -> Result<(Vec<TeamAccessEntry>, bool), ServerError> {
        self.access_rows_after(team_id, after, max)
    }

    fn log_bytes(&self, team_id: &str) -> Result<u64, ServerError> {
        let bytes: i64 = self
            .reader()
            .query_row(
                "SELECT COALESCE(SUM(size), 0) FROM changes WHERE team_id = ?1",
                [team_id],
                |r| r.get(0),
            )
            .during("sum a log's bytes")?;
        Ok(u64::try_from(bytes).unwrap_or(0))
    }

    fn batches_holding(&self, team_id: &str, doc_id: &str) -> Result<Vec<HeldBatch>, ServerError> {
        batches::holding(&self.conn(), team_id, doc_id)
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
        let conn = self.reader();
        let mut stmt = conn
            .prepare_cached(
                "SELECT seq, size, hash, doc_id, kind, data FROM changes
                 WHERE team_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
            )
            .during("read changes")?;
        let mut rows = stmt
            .query(params![team_id, after, limit])
            .during("read changes")?;
        let mut budget = PageFill::new(max_bytes, max_changes);
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
        drop(rows);
        drop(stmt);
        page.head = read_head(&conn, team_id)?;
        Ok(page)
    }

    fn head(&self, team_id: &str) -> Result<u64, ServerError> {
        read_head(&self.reader(), team_id)
    }

    fn generation(&self, team_id: &str) -> Result<u64, ServerError> {
        // The count of the team's erasures plus its key epoch: an erasure adds one
        // row, nothing else adds or removes any (a restore replaces the file with the
        // server stopped); a history seal moves the epoch from 0 to 1, and a rotation
        // moves it too, which only drops cached blocks that were still good.
        let count: i64 = self
            .reader()
            .prepare_cached(
                "SELECT (SELECT COUNT(*) FROM erasures WHERE team_id = ?1)
                     + COALESCE((SELECT key_epoch FROM teams WHERE id = ?1), 0)",
            )
            .during("read the erasure generation")?
            .query_row([team_id], |r| r.get(0))
            .during("read the erasure generation")?;
        Ok(u64::try_from(count).unwrap_or(0))
    }
}

/// The sequence number the team's next entry takes. Only under the write lock (in a
/// write transaction), so that no other writer can take it meanwhile.
fn next_seq(conn: &Connection, team_id: &str) -> Result<i64, ServerError> {
    conn.query_row(
        "SELECT COALESCE(MAX(seq), 0) + 1 FROM changes WHERE team_id = ?1",
        [team_id],
        |row| row.get(0),
    )
    .during("read the last sequence number")
}

/// The highest sequence number in a team's log, 0 if it is empty.
fn read_head(conn: &Connection, team_id: &str) -> Result<u64, ServerError> {
    let head: i64 = conn
        .prepare_cached("SELECT COALESCE(MAX(seq), 0) FROM changes WHERE team_id = ?1")
        .during("read the log head")?
        .query_row([team_id], |row| row.get(0))
        .during("read the log head")?;
    Ok(u64::try_from(head).unwrap_or(0))
}

/// A read-only connection to the (already migrated, WAL) database at `path`.
fn open_reader(path: &Path) -> Result<Connection, ServerError> {
    let conn = Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .during("open a reader")?;
    conn.busy_timeout(BUSY_TIMEOUT).during("set busy timeout")?;
    Ok(conn)
}

mod schema;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_fixtures;

/// A whole-number setting of a team's row.
#[derive(Clone, Copy)]
enum TeamNumber {
    LeaseDays,
    KeyEpoch,
}

/// Reads `what` of team `team_id` on `conn` (a reader, or a transaction that goes on to
/// change it); an unknown team is [`ServerError::UnknownTeam`].
fn team_number(conn: &Connection, team_id: &str, what: TeamNumber) -> Result<u32, ServerError> {
    let (sql, during) = match what {
        TeamNumber::LeaseDays => (
            "SELECT lease_days FROM teams WHERE id = ?1",
            "read the lease",
        ),
        TeamNumber::KeyEpoch => (
            "SELECT key_epoch FROM teams WHERE id = ?1",
            "read the key epoch",
        ),
    };
    conn.query_row(sql, [team_id], |r| r.get(0))
        .optional()
        .during(during)?
        .ok_or_else(|| ServerError::UnknownTeam {
            team_id: team_id.to_owned(),
        })
}
