//! [`Storage`] on PostgreSQL: the team server's scale-out database, for a département's
//! many teams and for several server processes on one database.
//!
//! Each process holds one writer connection behind a mutex, where pushes waiting for it
//! are committed together as on SQLite (`append.rs`), and a few reader connections for
//! pulls and token checks. Several processes may share the database: every number a
//! team hands out (its log's sequence numbers, its access entries') is a counter column
//! of the team's row, read and moved under that row's lock in the transaction that uses
//! it, so numbers are dense and a transaction holding a later number always commits
//! after the one holding an earlier number: a change never becomes visible below a
//! number a device has already read (a plain sequence would commit out of order).
//! Writers lock team rows in id order, so two groups of pushes never deadlock.
//!
//! The driver is the synchronous `postgres` crate: the trait is synchronous and called
//! from blocking threads. Connections are made without TLS, so the database must be
//! reached over a Unix socket or a loopback address ([`PostgresStorage::connect`]
//! refuses any other host); the schema is in `schema.rs`.
//!
//! Erasure deletes the rows in the erasure's transaction; PostgreSQL keeps the dead
//! row versions' bytes until VACUUM reuses their space, which autovacuum does soon on
//! a busy table, and a sealed team's blobs are ciphertext the server cannot read.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, MutexGuard, PoisonError};

use filrouge_model::sync::{HeldBatch, HistorySeal, PublishedKey, SealedEpochKey, TeamAccessEntry};
use postgres::config::Host;
use postgres::{Client, Config, NoTls, Statement};

use super::{
    AccessRow, AppendOutcome, Caller, ChangePage, Device, Erasure, HeldBatchesRule, KeyHolder,
    NewDevice, NewEnrolmentCode, RateAnswer, RateParams, Redemption, Storage, Team,
};
use crate::error::ServerError;
use crate::storage::pool::{Lease, Pool};

mod access;
mod append;
mod keys;
mod log;
mod rate;
mod schema;
/// Fresh databases on the throwaway cluster the test script starts, for this crate's
/// tests and the cross-process tests of the tests crate.
#[cfg(any(test, feature = "storage-suite"))]
pub mod testing;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_append;
#[cfg(test)]
mod tests_fixtures;
#[cfg(test)]
mod tests_plans;
#[cfg(test)]
mod tests_rate;

use schema::{Counter, DEVICE_COLUMNS, During, TEAM_COLUMNS, lock_team, read_device, read_team};

/// The variable naming a PostgreSQL cluster for tests and benchmarks (`key=value`
/// connection settings), which `scripts/with-postgres.sh` sets.
pub const CLUSTER_VAR: &str = "FILROUGE_TEST_POSTGRES";

/// Reader connections beside the writer, per process: one per turn of storage work
/// (`http::STORAGE_WORK_AT_ONCE`), so that a request in its turn never waits for a
/// connection too.
const READERS: usize = 4;

/// A connection and the statements of the hot paths prepared on it: parsed and planned
/// once per connection, then only bound and run (a pull or a token check is then one
/// round trip, not two, and no planning).
pub(super) struct Conn {
    client: Client,
    statements: HashMap<&'static str, Statement>,
}

impl Conn {
    fn new(client: Client) -> Conn {
        Conn {
            client,
            statements: HashMap::new(),
        }
    }

    /// `sql` prepared on this connection, the first time only.
    pub(super) fn prepared(&mut self, sql: &'static str) -> Result<Statement, ServerError> {
        if let Some(statement) = self.statements.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.client.prepare(sql).during("prepare a statement")?;
        self.statements.insert(sql, statement.clone());
        Ok(statement)
    }
}

impl std::ops::Deref for Conn {
    type Target = Client;
    fn deref(&self) -> &Client {
        &self.client
    }
}

impl std::ops::DerefMut for Conn {
    fn deref_mut(&mut self) -> &mut Client {
        &mut self.client
    }
}

/// The team server's storage in a PostgreSQL database.
pub struct PostgresStorage {
    config: Config,
    /// Writes, and the reads a write transaction needs.
    writer: Mutex<Conn>,
    /// Reads that need no transaction with a write (pulls, token checks).
    readers: Pool<Conn>,
    /// Pushes waiting for the writer, committed together (see [`append`]).
    appends: crate::storage::group::AppendQueue,
}

impl std::fmt::Debug for PostgresStorage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStorage").finish_non_exhaustive()
    }
}

impl PostgresStorage {
    /// Connects to the database at `url` (a `postgresql://` URL or `key=value` pairs)
    /// and brings its schema up to date. Refused unless every host is a Unix socket or
    /// a loopback address: the connection carries no TLS.
    pub fn connect(url: &str) -> Result<PostgresStorage, ServerError> {
        let config: Config = url
            .parse()
            .map_err(|e: postgres::Error| ServerError::Postgres {
                operation: "read the database URL",
                reason: e.to_string(),
            })?;
        for host in config.get_hosts() {
            if let Host::Tcp(name) = host
                && !is_loopback(name)
            {
                return Err(ServerError::Postgres {
                    operation: "check the database address",
                    reason: "only a Unix socket or a loopback address is accepted: \
                             the connection is not encrypted"
                        .to_owned(),
                });
            }
        }
        let mut writer = open(&config)?;
        schema::migrate(&mut writer)?;
        let readers = Pool::new(
            (0..READERS)
                .map(|_| open(&config))
                .collect::<Result<Vec<_>, _>>()?,
        );
        Ok(PostgresStorage {
            config,
            writer: Mutex::new(writer),
            readers,
            appends: crate::storage::group::AppendQueue::default(),
        })
    }

    /// The writer connection, made again if the database closed it.
    fn writer(&self) -> Result<MutexGuard<'_, Conn>, ServerError> {
        let guard = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        self.live(guard)
    }

    /// A reader connection in its turn (see [`Pool`]), made again if the database
    /// closed it.
    fn reader(&self) -> Result<Lease<'_, Conn>, ServerError> {
        let mut lease = self.readers.get()?;
        if lease.is_closed() {
            *lease = open(&self.config)?;
        }
        Ok(lease)
    }

    /// The writer connection, replaced by a new one if it was closed (a database
    /// restart): a request after the restart works again without restarting the server.
    fn live<'a>(
        &self,
        mut guard: MutexGuard<'a, Conn>,
    ) -> Result<MutexGuard<'a, Conn>, ServerError> {
        if guard.is_closed() {
            *guard = open(&self.config)?;
        }
        Ok(guard)
    }
}

/// A connection whose prepared statements PostgreSQL may run on a generic plan, made
/// once without the values of their parameters (`plan_cache_mode = auto`, set in case
/// the cluster's configuration differs): planning each run for its values cost the
/// database as much time as running the statements. Every statement is written so that
/// its generic plan is sound whatever the values and the tables' sizes: a row by its
/// key, the log read in order after a cursor up to a count, and a group's arrays of
/// hashes and records looked up one by one by key (`tests_plans.rs`).
fn open(config: &Config) -> Result<Conn, ServerError> {
    let mut client = config.connect(NoTls).during("connect to the database")?;
    client
        .batch_execute("SET plan_cache_mode = auto")
        .during("set the plan cache mode")?;
    Ok(Conn::new(client))
}

fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host
            .trim_matches(|c| c == '[' || c == ']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

impl Storage for PostgresStorage {
    fn create_team(&self, team: &Team) -> Result<(), ServerError> {
        self.writer()?
            .execute(
                "INSERT INTO teams (id, name, created_at, log_id) VALUES ($1, $2, $3, $4)",
                &[&team.id, &team.name, &team.created_at, &team.log_id],
            )
            .during("create a team")?;
        Ok(())
    }

    fn ensure_team(&self, candidate: &Team) -> Result<Team, ServerError> {
        let mut client = self.writer()?;
        let mut tx = client.transaction().during("begin ensure team")?;
        // Two processes starting on an empty database must not both create a team.
        tx.execute("LOCK TABLE teams IN SHARE ROW EXCLUSIVE MODE", &[])
            .during("lock the teams")?;
        let first = tx
            .query_opt(
                &format!("SELECT {TEAM_COLUMNS} FROM teams ORDER BY created_at, ord LIMIT 1"),
                &[],
            )
            .during("read the first team")?;
        let team = match first {
            Some(row) => read_team(&row)?,
            None => {
                tx.execute(
                    "INSERT INTO teams (id, name, created_at, log_id) VALUES ($1, $2, $3, $4)",
                    &[
                        &candidate.id,
                        &candidate.name,
                        &candidate.created_at,
                        &candidate.log_id,
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
        self.reader()?
            .query_opt(
                &format!("SELECT {TEAM_COLUMNS} FROM teams WHERE id = $1"),
                &[&team_id],
            )
            .during("read a team")?
            .map(|row| read_team(&row))
            .transpose()
    }

    fn teams(&self) -> Result<Vec<Team>, ServerError> {
        self.reader()?
            .query(
                &format!("SELECT {TEAM_COLUMNS} FROM teams ORDER BY created_at, ord"),
                &[],
            )
            .during("list teams")?
            .iter()
            .map(read_team)
            .collect()
    }

    fn set_log_id(&self, team_id: &str, log_id: &str) -> Result<bool, ServerError> {
        let changed = self
            .writer()?
            .execute(
                "UPDATE teams SET log_id = $2 WHERE id = $1",
                &[&team_id, &log_id],
            )
            .during("renew a log id")?;
        Ok(changed == 1)
    }

    fn insert_enrolment_code(&self, code: &NewEnrolmentCode) -> Result<bool, ServerError> {
        let inserted = self
            .writer()?
            .execute(
                "INSERT INTO enrolment_codes (code_hash, team_id, role, expires_at, sealed_keys)
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (code_hash) DO NOTHING",
                &[
                    &code.code_hash,
                    &code.team_id,
                    &code.role.as_str(),
                    &code.expires_at,
                    &code.sealed_keys,
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
        let mut client = self.writer()?;
        let mut tx = client.transaction().during("begin enrolment")?;
        // Locked, so two processes redeeming the same code at once enrol one device.
        let code = tx
            .query_opt(
                "SELECT team_id, role, expires_at, used_at, sealed_keys FROM enrolment_codes
                 WHERE code_hash = $1 FOR UPDATE",
                &[&code_hash],
            )
            .during("read an enrolment code")?;
        let Some(code) = code else {
            return Ok(Redemption::Unknown);
        };
        let team_id: String = code.try_get(0).during("read an enrolment code")?;
        let role: &str = code.try_get(1).during("read an enrolment code")?;
        let role = super::Role::parse(role).ok_or(ServerError::Corrupt {
            what: "enrolment_codes.role",
        })?;
        let expires_at: i64 = code.try_get(2).during("read an enrolment code")?;
        let used_at: Option<i64> = code.try_get(3).during("read an enrolment code")?;
        let sealed_keys: Option<Vec<u8>> = code.try_get(4).during("read an enrolment code")?;
        if used_at.is_some() {
            return Ok(Redemption::AlreadyUsed);
        }
        if now_ms >= expires_at {
            return Ok(Redemption::Expired);
        }
        tx.execute(
            "UPDATE enrolment_codes SET used_at = $2, sealed_keys = NULL WHERE code_hash = $1",
            &[&code_hash, &now_ms],
        )
        .during("mark an enrolment code used")?;
        tx.execute(
            "INSERT INTO devices (id, team_id, name, role, token_hash, created_at, last_seen_at)
             VALUES ($1, $2, $3, $4, $5, $6, $6)",
            &[
                &device.id,
                &team_id,
                &device.name,
                &role.as_str(),
                &device.token_hash,
                &now_ms,
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
        // Every request: prepared once (the first columns are DEVICE_COLUMNS').
        let mut conn = self.reader()?;
        let statement = conn.prepared(
            "SELECT d.id, d.team_id, d.name, d.role, d.created_at, d.revoked_at,
                    d.last_seen_at, t.key_epoch, t.lease_days, t.next_seq - 1, t.generation
               FROM devices d JOIN teams t ON t.id = d.team_id
              WHERE d.token_hash = $1",
        )?;
        let Some(row) = conn
            .query_opt(&statement, &[&token_hash])
            .during("authenticate a device")?
        else {
            return Ok(None);
        };
        // Each column a whole number the type it is read as holds, or the row is corrupt.
        fn number<T: TryFrom<i64>>(
            row: &postgres::Row,
            i: usize,
            column: &'static str,
        ) -> Result<T, ServerError> {
            let value: i64 = row.try_get(i).during("authenticate a device")?;
            T::try_from(value).map_err(|_| ServerError::Corrupt { what: column })
        }
        Ok(Some(Caller {
            device: read_device(&row)?,
            key_epoch: number(&row, 7, "teams.key_epoch")?,
            lease_days: number(&row, 8, "teams.lease_days")?,
            log_state: (
                number(&row, 9, "teams.next_seq")?,
                number(&row, 10, "teams.generation")?,
            ),
        }))
    }

    fn devices(&self, team_id: &str) -> Result<Vec<Device>, ServerError> {
        self.reader()?
            .query(
                &format!(
                    "SELECT {DEVICE_COLUMNS} FROM devices WHERE team_id = $1
                     ORDER BY created_at, ord"
                ),
                &[&team_id],
            )
            .during("list devices")?
            .iter()
            .map(read_device)
            .collect()
    }

    fn touch_device(&self, device_id: &str, now_ms: i64) -> Result<(), ServerError> {
        let mut conn = self.writer()?;
        let statement = conn.prepared(
            "UPDATE devices SET last_seen_at = $2
              WHERE id = $1 AND (last_seen_at IS NULL OR last_seen_at <= $2::BIGINT - $3::BIGINT)",
        )?;
        conn.execute(
            &statement,
            &[&device_id, &now_ms, &crate::storage::TOUCH_EVERY_MS],
        )
        .during("touch a device")?;
        Ok(())
    }

    fn revoke_device(&self, device_id: &str, now_ms: i64) -> Result<Option<Device>, ServerError> {
        let mut client = self.writer()?;
        let mut tx = client.transaction().during("begin revocation")?;
        tx.execute(
            "UPDATE devices SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
            &[&device_id, &now_ms],
        )
        .during("revoke a device")?;
        let device = tx
            .query_opt(
                &format!("SELECT {DEVICE_COLUMNS} FROM devices WHERE id = $1"),
                &[&device_id],
            )
            .during("read a revoked device")?
            .map(|row| read_device(&row))
            .transpose()?;
        tx.commit().during("commit revocation")?;
        Ok(device)
    }

    fn lease_days(&self, team_id: &str) -> Result<u32, ServerError> {
        team_number(&mut **self.reader()?, team_id, Setting::LeaseDays)
    }

    fn key_epoch(&self, team_id: &str) -> Result<u32, ServerError> {
        team_number(&mut **self.reader()?, team_id, Setting::KeyEpoch)
    }

    fn start_key_epoch(&self, team_id: &str, device_id: &str) -> Result<(bool, u32), ServerError> {
        let mut client = self.writer()?;
        let mut tx = client.transaction().during("begin a key epoch")?;
        let epoch = lock_team(&mut tx, team_id, Counter::KeyEpoch)?;
        if epoch != 0 {
            return Ok((false, u32::try_from(epoch).unwrap_or(u32::MAX)));
        }
        let first_and_empty: bool = tx
            .query_one(
                "SELECT NOT EXISTS (SELECT 1 FROM changes WHERE team_id = $1)
                    AND NOT EXISTS (SELECT 1 FROM erasures WHERE team_id = $1)
                    AND NOT EXISTS (SELECT 1 FROM devices WHERE team_id = $1 AND id <> $2)",
                &[&team_id, &device_id],
            )
            .during("check the team is new")?
            .try_get(0)
            .during("check the team is new")?;
        if !first_and_empty {
            return Ok((false, 0));
        }
        tx.execute("UPDATE teams SET key_epoch = 1 WHERE id = $1", &[&team_id])
            .during("start key epoch 1")?;
        tx.commit().during("commit a key epoch")?;
        Ok((true, 1))
    }

    fn shares_rate_limits(&self) -> bool {
        true
    }

    fn rate_tokens(
        &self,
        key: &str,
        now_ms: i64,
        limit: RateParams,
        want: u32,
    ) -> Result<RateAnswer, ServerError> {
        rate::rate_tokens(&mut *self.reader()?, key, now_ms, limit, want)
    }

    fn seal_history(&self, team_id: &str, seal: &HistorySeal) -> Result<(bool, u32), ServerError> {
        keys::seal_history(&mut *self.writer()?, team_id, seal)
    }

    fn publish_device_key(
        &self,
        team_id: &str,
        device_id: &str,
        key: &PublishedKey,
    ) -> Result<bool, ServerError> {
        keys::publish_device_key(&mut *self.writer()?, team_id, device_id, key)
    }

    fn key_holders(&self, team_id: &str) -> Result<BTreeMap<String, KeyHolder>, ServerError> {
        keys::key_holders(&mut *self.reader()?, team_id)
    }

    fn rotate_key_epoch(
        &self,
        team_id: &str,
        from: u32,
        sealed: &[SealedEpochKey],
    ) -> Result<(bool, u32), ServerError> {
        keys::rotate_key_epoch(&mut *self.writer()?, team_id, from, sealed)
    }

    fn share_epoch_keys(
        &self,
        team_id: &str,
        sealed: &[SealedEpochKey],
        recovery: Option<&PublishedKey>,
    ) -> Result<(), ServerError> {
        keys::share_epoch_keys(&mut *self.writer()?, team_id, sealed, recovery)
    }

    fn epoch_keys_for(
        &self,
        team_id: &str,
        recipient: &str,
    ) -> Result<Vec<SealedEpochKey>, ServerError> {
        keys::epoch_keys_for(&mut *self.reader()?, team_id, recipient)
    }

    fn set_lease_days(&self, team_id: &str, days: u32) -> Result<(), ServerError> {
        let changed = self
            .writer()?
            .execute(
                "UPDATE teams SET lease_days = $2 WHERE id = $1",
                &[&team_id, &i64::from(days)],
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
            .writer()?
            .execute(
                "UPDATE devices SET token_hash = $2 WHERE id = $1 AND revoked_at IS NULL",
                &[&device_id, &token_hash],
            )
            .during("replace a device token")?;
        Ok(changed == 1)
    }

    fn append_changes(
        &self,
        team_id: &str,
        device_id: &str,
        changes: &[filrouge_model::sync::ChangeBlob],
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
        log::erase_document(
            &mut *self.writer()?,
            team_id,
            doc_id,
            device_id,
            now_ms,
            batches,
        )
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
        access::append_access(
            &mut *self.writer()?,
            team_id,
            device_id,
            prev,
            entries,
            now_ms,
            purge_before,
        )
    }

    fn access_after(
        &self,
        team_id: &str,
        after: u64,
        max: usize,
    ) -> Result<(Vec<TeamAccessEntry>, bool), ServerError> {
        access::access_after(&mut *self.reader()?, team_id, after, max)
    }

    fn batches_holding(&self, team_id: &str, doc_id: &str) -> Result<Vec<HeldBatch>, ServerError> {
        log::batches_holding(&mut **self.reader()?, team_id, doc_id)
    }

    fn log_bytes(&self, team_id: &str) -> Result<u64, ServerError> {
        let bytes: i64 = self
            .reader()?
            .query_one(
                "SELECT COALESCE(SUM(size), 0)::BIGINT FROM changes WHERE team_id = $1",
                &[&team_id],
            )
            .during("sum a log's bytes")?
            .try_get(0)
            .during("sum a log's bytes")?;
        Ok(u64::try_from(bytes).unwrap_or(0))
    }

    fn head(&self, team_id: &str) -> Result<u64, ServerError> {
        Ok(log::log_state(&mut *self.reader()?, team_id)?.0)
    }

    fn generation(&self, team_id: &str) -> Result<u64, ServerError> {
        Ok(log::log_state(&mut *self.reader()?, team_id)?.1)
    }

    fn log_state(&self, team_id: &str) -> Result<(u64, u64), ServerError> {
        log::log_state(&mut *self.reader()?, team_id)
    }

    fn changes_after(
        &self,
        team_id: &str,
        after: u64,
        max_bytes: u64,
        max_changes: usize,
    ) -> Result<ChangePage, ServerError> {
        log::changes_after(&mut *self.reader()?, team_id, after, max_bytes, max_changes)
    }
}

/// A whole-number setting of a team's row.
#[derive(Clone, Copy)]
enum Setting {
    LeaseDays,
    KeyEpoch,
}

/// Reads `what` of team `team_id`; an unknown team is [`ServerError::UnknownTeam`].
fn team_number(
    client: &mut impl postgres::GenericClient,
    team_id: &str,
    what: Setting,
) -> Result<u32, ServerError> {
    let (sql, column) = match what {
        Setting::LeaseDays => (
            "SELECT lease_days FROM teams WHERE id = $1",
            "teams.lease_days",
        ),
        Setting::KeyEpoch => (
            "SELECT key_epoch FROM teams WHERE id = $1",
            "teams.key_epoch",
        ),
    };
    let value: i64 = client
        .query_opt(sql, &[&team_id])
        .during("read a team's setting")?
        .ok_or_else(|| ServerError::UnknownTeam {
            team_id: team_id.to_owned(),
        })?
        .try_get(0)
        .during("read a team's setting")?;
    u32::try_from(value).map_err(|_| ServerError::Corrupt { what: column })
}
