//! [`TeamServer`]: the server's use cases, one method each, free of HTTP.
//!
//! The CLI calls the operator's methods (create the team, hand out an enrolment code,
//! revoke a device) directly; the HTTP layer ([`crate::http`]) authenticates a request,
//! then calls [`TeamServer::enrol`], [`TeamServer::push`] or [`TeamServer::pull`] on a
//! blocking thread. Each method validates its input, takes the time from the injected
//! [`Clock`], makes any secret it needs ([`crate::secret`]) and hands finished records to
//! the [`Storage`]. Logs name teams and devices by id only.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use filrouge_model::sync::{
    API_VERSION, BatchesQuery, ChangeBlob, DEFAULT_PULL_BYTES, ERASURE_KIND, EnrolRequest,
    EnrolResponse, EraseRequest, EraseResponse, HeldBatches, MAX_PULL_BYTES, PullQuery,
    PullResponse, PushRequest, PushResponse, TokenRequest, TokenResponse,
};

use filrouge_model::wire;

use crate::clock::{Clock, SystemClock};
use crate::error::ServerError;
use crate::pages::{self, BlockCache};
use crate::rate::{RateLimiter, lease_size};
use crate::secret;
use crate::storage::{
    Caller, Device, HeldBatchesRule, NewDevice, NewEnrolmentCode, Redemption, Role, SqliteStorage,
    Storage, Team,
};
use crate::validate::{self, MAX_NAME_LEN};

/// How long an enrolment code stays valid by default: 7 days, in milliseconds.
pub const ENROLMENT_CODE_TTL_MS: i64 = 7 * 24 * 60 * 60 * 1000;
/// Most changes in one pull page, whatever the byte budget, so that a log of tiny
/// changes still makes bounded responses (a full 8 MB page of typical records is about
/// 25,000 changes).
pub const MAX_PULL_CHANGES: usize = 30_000;
/// How many fresh codes to try if one collides with a stored hash (about never).
const CODE_ATTEMPTS: usize = 4;

/// The team server: storage plus clock, rate limits and the pull pages' block cache.
/// Cheap to clone (`Arc`s).
///
/// Its methods block on the database: from async code, call them through
/// `tokio::task::spawn_blocking`, as the HTTP layer does.
#[derive(Clone)]
pub struct TeamServer {
    storage: Arc<dyn Storage>,
    clock: Arc<dyn Clock>,
    limiter: Arc<RateLimiter>,
    enrol_failures: Arc<RateLimiter>,
    /// Compressed sealed blocks of the team logs, for binary pulls.
    blocks: Arc<BlockCache>,
    /// Rate tokens this process took ahead from the storage's shared buckets.
    leased: Arc<crate::rate::Leases>,
    /// Each team's log id, with the log's generation read before it. A restore changes
    /// it with the server stopped (`filrouge restore` holds the data directory's
    /// lock); a history seal changes it and moves the generation, which a pull page
    /// reads first ([`TeamServer::log_id_at`]), so another server process on the same
    /// database follows at its devices' next pull.
    log_ids: Arc<Mutex<HashMap<String, (String, u64)>>>,
    /// How long a request body may go without a byte before the request is dropped.
    pub(crate) body_idle: std::time::Duration,
    /// How long a request may take, its body's arrival included.
    pub(crate) request_deadline: std::time::Duration,
    /// What `GET /metrics` shows.
    metrics: Arc<crate::metrics::Metrics>,
    /// Turns for storage work (`http::blocking`): each server has its own, as each
    /// process has its own connections.
    turns: Arc<tokio::sync::Semaphore>,
}

/// How long a request body may go without a byte: a page on 2G arrives steadily, a
/// client that stops half-way (or trickles on purpose) should not hold its request.
pub const BODY_IDLE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// How long a request may take, body included: a client trickling a byte every few
/// seconds is never idle long enough for [`BODY_IDLE_TIMEOUT`], and would otherwise
/// hold its connection for as long as the body limit allows. Ten minutes carries the
/// largest push page over a 2G link (8 MB at 20 KB/s is under seven).
pub const REQUEST_DEADLINE: std::time::Duration = std::time::Duration::from_secs(600);

impl std::fmt::Debug for TeamServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TeamServer").finish_non_exhaustive()
    }
}

impl TeamServer {
    /// A server on the SQLite file at `path` (created if missing), with the system clock.
    pub fn open_sqlite(path: &Path) -> Result<TeamServer, ServerError> {
        let storage = SqliteStorage::open(path)?;
        Ok(TeamServer::with_storage(
            Arc::new(storage),
            Arc::new(SystemClock),
        ))
    }

    /// A server on the PostgreSQL database at `url` (see
    /// [`PostgresStorage::connect`](crate::storage::PostgresStorage::connect)),
    /// with the system clock.
    pub fn connect_postgres(url: &str) -> Result<TeamServer, ServerError> {
        let storage = crate::storage::PostgresStorage::connect(url)?;
        Ok(TeamServer::with_storage(
            Arc::new(storage),
            Arc::new(SystemClock),
        ))
    }

    /// A server on any storage and clock (tests pass a [`crate::ManualClock`]).
    pub fn with_storage(storage: Arc<dyn Storage>, clock: Arc<dyn Clock>) -> TeamServer {
        TeamServer {
            storage,
            clock,
            limiter: Arc::new(RateLimiter::default()),
            enrol_failures: Arc::new(RateLimiter::enrolments()),
            blocks: Arc::new(BlockCache::default()),
            log_ids: Arc::default(),
            leased: Arc::default(),
            body_idle: BODY_IDLE_TIMEOUT,
            request_deadline: REQUEST_DEADLINE,
            metrics: Arc::default(),
            turns: Arc::new(tokio::sync::Semaphore::new(
                crate::http::STORAGE_WORK_AT_ONCE,
            )),
        }
    }

    /// The turns storage work waits for (see `http::blocking`).
    pub(crate) fn turns(&self) -> Arc<tokio::sync::Semaphore> {
        Arc::clone(&self.turns)
    }

    /// The server's counters (see [`crate::metrics`]).
    pub(crate) fn metrics(&self) -> &crate::metrics::Metrics {
        &self.metrics
    }

    /// The same server with another body idle timeout (tests use a short one).
    pub fn with_body_timeout(mut self, idle: std::time::Duration) -> TeamServer {
        self.body_idle = idle;
        self
    }

    /// The same server with another request deadline (tests use a short one).
    pub fn with_request_deadline(mut self, deadline: std::time::Duration) -> TeamServer {
        self.request_deadline = deadline;
        self
    }

    /// The same server with another request rate per device (see [`crate::rate`]).
    pub fn with_rate_limit(mut self, burst: u32, per_second: u32) -> TeamServer {
        self.limiter = Arc::new(RateLimiter::new(burst, per_second));
        self
    }

    /// Admits one more request from `device_id`, or says how long it must wait. Blocks
    /// on the database when the storage shares the limits across processes.
    pub fn admit(&self, device_id: &str) -> Result<(), ServerError> {
        self.rate(&self.limiter, "device", device_id, true)
    }

    /// Takes (or, without `take`, only checks) a token of `limiter`'s bucket for `key`
    /// (of kind `kind`): in this process, or, when the storage shares the limits across
    /// server processes, from the tokens this process took from the storage's bucket
    /// ahead (up to a sixteenth of the burst at once: [`lease_size`]), else from the
    /// storage's bucket itself.
    fn rate(
        &self,
        limiter: &RateLimiter,
        kind: &str,
        key: &str,
        take: bool,
    ) -> Result<(), ServerError> {
        let now = self.now_ms();
        let answer = if limiter.is_unlimited() {
            Ok(())
        } else if self.storage.shares_rate_limits() {
            let key = format!("{kind}:{key}");
            let params = limiter.params();
            if take && self.leased.take_one(&key) {
                Ok(())
            } else {
                let want = if take { lease_size(params.burst) } else { 0 };
                let got = self.storage.rate_tokens(&key, now, params, want)?;
                if got.taken > 1 {
                    self.leased.keep(key, got.taken - 1);
                }
                let has = if take {
                    got.taken > 0
                } else {
                    got.tokens >= 1.0
                };
                if has {
                    Ok(())
                } else {
                    Err(limiter.wait_secs(got.tokens))
                }
            }
        } else if take {
            limiter.admit(key, now)
        } else {
            limiter.check(key, now)
        };
        answer.map_err(|retry_after_secs| ServerError::RateLimited { retry_after_secs })
    }

    /// The current time from the injected clock, in ms since the Unix epoch.
    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    /// Returns the first team, creating it with `name` if there is none yet.
    pub fn ensure_team(&self, name: &str) -> Result<Team, ServerError> {
        validate::check_text("team_name", name, MAX_NAME_LEN, None)?;
        let candidate = Team {
            id: uuid::Uuid::now_v7().to_string(),
            name: name.trim().to_owned(),
            created_at: self.now_ms(),
            log_id: secret::new_log_id()?,
        };
        let team = self.storage.ensure_team(&candidate)?;
        if team.id == candidate.id {
            tracing::info!(team_id = %team.id, "team created");
        }
        Ok(team)
    }

    /// Gives every team's log a new identity (after its database was restored from a
    /// dump, with the servers stopped): devices then send back everything they hold and
    /// pull the log from its start. Answers each team's id and new log id.
    pub fn renew_log_ids(&self) -> Result<Vec<(String, String)>, ServerError> {
        let mut renewed = Vec::new();
        for team in self.storage.teams()? {
            let log_id = secret::new_log_id()?;
            if self.storage.set_log_id(&team.id, &log_id)? {
                renewed.push((team.id, log_id));
            }
        }
        Ok(renewed)
    }

    /// Creates another team named `name` (a server may hold many: a département's).
    pub fn create_team(&self, name: &str) -> Result<Team, ServerError> {
        validate::check_text("team_name", name, MAX_NAME_LEN, None)?;
        let team = Team {
            id: uuid::Uuid::now_v7().to_string(),
            name: name.trim().to_owned(),
            created_at: self.now_ms(),
            log_id: secret::new_log_id()?,
        };
        self.storage.create_team(&team)?;
        tracing::info!(team_id = %team.id, "team created");
        Ok(team)
    }

    /// A new single-use code enrolling one device into `team_id` with `role`, valid for
    /// [`ENROLMENT_CODE_TTL_MS`]. Returns the plaintext, shown once: only its hash is kept.
    pub fn create_enrolment_code(&self, team_id: &str, role: Role) -> Result<String, ServerError> {
        self.create_enrolment_code_with_ttl(team_id, role, ENROLMENT_CODE_TTL_MS)
    }

    /// Like [`TeamServer::create_enrolment_code`], valid for `ttl_ms` milliseconds.
    pub fn create_enrolment_code_with_ttl(
        &self,
        team_id: &str,
        role: Role,
        ttl_ms: i64,
    ) -> Result<String, ServerError> {
        Ok(self.mint_code(team_id, role, ttl_ms, None)?.0)
    }

    /// A new code and when it expires.
    pub(crate) fn mint_code(
        &self,
        team_id: &str,
        role: Role,
        ttl_ms: i64,
        sealed_keys: Option<Vec<u8>>,
    ) -> Result<(String, i64), ServerError> {
        if self.storage.team(team_id)?.is_none() {
            return Err(ServerError::UnknownTeam {
                team_id: team_id.to_owned(),
            });
        }
        let expires_at = self.now_ms().saturating_add(ttl_ms);
        for _ in 0..CODE_ATTEMPTS {
            let code = secret::new_enrolment_code()?;
            let code_hash = secret::hash_code(&code).ok_or(ServerError::Corrupt {
                what: "generated enrolment code",
            })?;
            let record = NewEnrolmentCode {
                code_hash,
                team_id: team_id.to_owned(),
                role,
                expires_at,
                sealed_keys: sealed_keys.clone(),
            };
            if self.storage.insert_enrolment_code(&record)? {
                tracing::info!(team_id, %role, expires_at, "enrolment code created");
                return Ok((code, expires_at));
            }
        }
        // Several collisions in a 49-bit space mean the random source is broken.
        Err(ServerError::Corrupt {
            what: "random enrolment codes keep colliding",
        })
    }

    /// The storage, for the other modules of the service.
    pub(crate) fn storage(&self) -> &dyn Storage {
        self.storage.as_ref()
    }

    /// The offline lease of `team_id`, in days.
    pub fn lease_days(&self, team_id: &str) -> Result<u32, ServerError> {
        self.storage.lease_days(team_id)
    }

    /// Sets the offline lease of `team_id` (1 to 365 days; checked by the caller).
    pub(crate) fn set_lease_days(&self, team_id: &str, days: u32) -> Result<(), ServerError> {
        self.storage.set_lease_days(team_id, days)
    }

    /// The identity of `team_id`'s log ([`filrouge_model::sync::LogId`]).
    pub fn log_id(&self, team_id: &str) -> Result<String, ServerError> {
        let cached = self
            .log_ids
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(team_id)
            .map(|(log_id, _)| log_id.clone());
        match cached {
            Some(log_id) => Ok(log_id),
            None => self.read_log_id(team_id, self.storage.generation(team_id)?),
        }
    }

    /// The identity of `team_id`'s log as of its `generation` (read before): read
    /// again when the one held was read under an older generation.
    pub(crate) fn log_id_at(&self, team_id: &str, generation: u64) -> Result<String, ServerError> {
        let cached = self
            .log_ids
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(team_id)
            .filter(|(_, read_at)| *read_at >= generation)
            .map(|(log_id, _)| log_id.clone());
        match cached {
            Some(log_id) => Ok(log_id),
            None => self.read_log_id(team_id, generation),
        }
    }

    /// Reads `team_id`'s log id from the storage, `generation` having been read before
    /// it, and keeps it.
    fn read_log_id(&self, team_id: &str, generation: u64) -> Result<String, ServerError> {
        let team = self
            .storage
            .team(team_id)?
            .ok_or_else(|| ServerError::UnknownTeam {
                team_id: team_id.to_owned(),
            })?;
        if team.log_id.is_empty() {
            return Err(ServerError::Corrupt {
                what: "teams.log_id",
            });
        }
        self.log_ids
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(team.id, (team.log_id.clone(), generation));
        Ok(team.log_id)
    }

    /// Forgets what this process keeps of `team_id`'s log (its identity and cached
    /// blocks), after a change of the log that every process sees through its
    /// generation anyway.
    pub(crate) fn forget_log(&self, team_id: &str) {
        self.log_ids
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(team_id);
        self.blocks.forget_team(team_id);
    }

    /// The team's devices, oldest first, revoked ones included.
    pub fn devices(&self, team_id: &str) -> Result<Vec<Device>, ServerError> {
        self.storage.devices(team_id)
    }

    /// Revokes a device: its token is refused from now on. Revoking twice is harmless.
    /// Returns the device as revoked.
    pub fn revoke_device(&self, device_id: &str) -> Result<Device, ServerError> {
        match self.storage.revoke_device(device_id, self.now_ms())? {
            Some(device) => {
                tracing::info!(device_id, team_id = %device.team_id, "device revoked");
                Ok(device)
            }
            None => Err(ServerError::UnknownDevice {
                device_id: device_id.to_owned(),
            }),
        }
    }

    /// Exchanges an enrolment code for a new device and its token.
    pub fn enrol(&self, request: &EnrolRequest) -> Result<EnrolResponse, ServerError> {
        self.enrol_from("", request)
    }

    /// [`TeamServer::enrol`] for a client at `address`: an address with too many failed
    /// attempts waits ([`crate::rate`]) before its next one is even looked at.
    pub fn enrol_from(
        &self,
        address: &str,
        request: &EnrolRequest,
    ) -> Result<EnrolResponse, ServerError> {
        self.rate(&self.enrol_failures, "enrol", address, false)?;
        let result = self.redeem(request);
        if matches!(result, Err(ServerError::InvalidEnrolmentCode)) {
            // Checked above; if another failure took the last token meanwhile, the
            // next attempt waits.
            let _ = self.rate(&self.enrol_failures, "enrol", address, true);
            tracing::info!("failed enrolment counted against its address");
        }
        result
    }

    fn redeem(&self, request: &EnrolRequest) -> Result<EnrolResponse, ServerError> {
        validate::check_version(request.api_version)?;
        validate::check_text("device_name", &request.device_name, MAX_NAME_LEN, None)?;
        // A string that cannot be a code is refused like an unknown one, without a lookup.
        let code_hash =
            secret::hash_code(&request.code).ok_or(ServerError::InvalidEnrolmentCode)?;
        let token = secret::new_token()?;
        let token_hash = secret::hash_token(&token).ok_or(ServerError::Corrupt {
            what: "generated token",
        })?;
        let device = NewDevice {
            id: uuid::Uuid::now_v7().to_string(),
            name: request.device_name.trim().to_owned(),
            token_hash,
        };
        match self
            .storage
            .redeem_enrolment_code(&code_hash, self.now_ms(), &device)?
        {
            Redemption::Enrolled(device, sealed_keys) => {
                tracing::info!(
                    device_id = %device.id,
                    team_id = %device.team_id,
                    role = %device.role,
                    "device enrolled"
                );
                Ok(EnrolResponse {
                    api_version: API_VERSION,
                    log_id: self.log_id(&device.team_id)?,
                    lease_days: Some(self.lease_days(&device.team_id)?),
                    key_epoch: self.storage.key_epoch(&device.team_id)?,
                    sealed_keys,
                    team_id: device.team_id,
                    device_id: device.id,
                    token,
                    role: Some(device.role),
                })
            }
            refused => {
                let reason = match refused {
                    Redemption::AlreadyUsed => "already used",
                    Redemption::Expired => "expired",
                    _ => "unknown",
                };
                tracing::info!(reason, "enrolment refused");
                Err(ServerError::InvalidEnrolmentCode)
            }
        }
    }

    /// The active device holding `token`; [`ServerError::Unauthorized`] otherwise.
    pub fn authenticate(&self, token: &str) -> Result<Device, ServerError> {
        Ok(self.caller(token)?.device)
    }

    /// [`TeamServer::authenticate`], with the team's settings and log state read in the
    /// same statement ([`Caller`]; what a request handler is given).
    pub fn caller(&self, token: &str) -> Result<Caller, ServerError> {
        let token_hash = secret::hash_token(token).ok_or(ServerError::Unauthorized)?;
        match self.storage.device_by_token_hash(&token_hash)? {
            Some(caller) if caller.device.revoked_at.is_none() => {
                let device = &caller.device;
                // The coordinator's figures say which devices have not synced lately;
                // at most one write an hour per device.
                let now = self.clock.now_ms();
                if device
                    .last_seen_at
                    .is_none_or(|at| at <= now - crate::storage::TOUCH_EVERY_MS)
                {
                    // Best effort: a busy or full disk must not stop a device's sync.
                    if let Err(e) = self.storage.touch_device(&device.id, now) {
                        tracing::warn!(device_id = %device.id, error = %e, "last contact not recorded");
                    }
                }
                Ok(caller)
            }
            Some(caller) => {
                tracing::info!(device_id = %caller.device.id, "revoked device refused");
                Err(ServerError::Revoked)
            }
            None => Err(ServerError::Unauthorized),
        }
    }

    /// Gives `device` the token whose SHA-256 the request carries, in place of the one
    /// it authenticated with, which is refused from then on (`401 unauthorized`, not
    /// `revoked`: nothing is erased). The same request again, with the new token, is
    /// answered the same.
    pub fn rotate_token(
        &self,
        device: &Device,
        request: &TokenRequest,
    ) -> Result<TokenResponse, ServerError> {
        validate::check_version(request.api_version)?;
        if !secret::is_lower_hex_64(&request.token_hash) {
            return Err(ServerError::BadField {
                field: "token_hash",
                max_len: 64,
                index: None,
            });
        }
        if !self
            .storage
            .replace_token_hash(&device.id, &request.token_hash)?
        {
            return Err(ServerError::Revoked);
        }
        tracing::info!(device_id = %device.id, "device token replaced");
        Ok(TokenResponse {
            api_version: API_VERSION,
        })
    }

    /// Stores a page of `device`'s changes in its team's log and acknowledges every
    /// hash the log now holds, in the page's order.
    ///
    /// Erasure entries in the page are the erasures a device remembers, sent back while
    /// it heals a restored server: a coordinator's device erases the record again; any
    /// other device's is refused (erasing is a coordinator's act; the device ignores the
    /// refusal, and never applies the record again itself).
    pub fn push(
        &self,
        caller: &Caller,
        request: &PushRequest,
    ) -> Result<PushResponse, ServerError> {
        let device = &caller.device;
        validate::check_push(request)?;
        crate::keys::check_page_epochs(&request.changes, caller.key_epoch)?;
        let (erasures, changes): (Vec<&ChangeBlob>, Vec<&ChangeBlob>) =
            request.changes.iter().partition(|c| c.kind == ERASURE_KIND);
        let mut refused = Vec::new();
        for erasure in &erasures {
            if !self.remembered_erasure(device, &erasure.doc_id)? {
                refused.push(erasure.hash.clone());
            }
        }
        let changes: Vec<ChangeBlob> = changes.into_iter().cloned().collect();
        let outcome = if changes.is_empty() {
            Default::default()
        } else {
            self.storage
                .append_changes(&device.team_id, &device.id, &changes, self.now_ms())?
        };
        tracing::info!(
            device_id = %device.id,
            team_id = %device.team_id,
            stored = outcome.stored,
            already_held = outcome.already_held,
            refused = outcome.refused.len(),
            erasures = erasures.len(),
            "push stored"
        );
        refused.extend(outcome.refused);
        self.metrics.refused(refused.len());
        let acknowledged = request
            .changes
            .iter()
            .filter(|c| !refused.contains(&c.hash) && !outcome.refused_batches.contains(&c.hash))
            .map(|c| c.hash.clone())
            .collect();
        Ok(PushResponse {
            api_version: API_VERSION,
            log_id: self.log_id(&device.team_id)?,
            acknowledged,
            refused,
            lease_days: Some(caller.lease_days),
        })
    }

    /// Carries out an erasure a device sent back while healing; whether it was.
    fn remembered_erasure(&self, device: &Device, doc_id: &str) -> Result<bool, ServerError> {
        if device.role != Role::Coordinateur {
            return Ok(false);
        }
        // Sent back while healing a restored or replaced log: every device sends back
        // all it holds, so a batch holding the record can go whole.
        let erasure = self.storage.erase_document(
            &device.team_id,
            doc_id,
            &device.id,
            self.now_ms(),
            HeldBatchesRule::Drop,
        )?;
        if erasure.deleted > 0 {
            self.blocks.forget_team(&device.team_id);
        }
        tracing::info!(
            device_id = %device.id,
            team_id = %device.team_id,
            doc_id,
            deleted = erasure.deleted,
            seq = erasure.seq,
            "remembered erasure taken"
        );
        Ok(true)
    }

    /// Erases a record from `device`'s team: every stored change of it is deleted, an
    /// erasure entry goes into the log for devices to delete their copy, and later
    /// uploads for it are refused. Coordinators only.
    pub fn erase(
        &self,
        device: &Device,
        request: &EraseRequest,
    ) -> Result<EraseResponse, ServerError> {
        validate::check_erase(request)?;
        if device.role != Role::Coordinateur {
            return Err(ServerError::Forbidden { action: "erasure" });
        }
        let erasure = self.storage.erase_document(
            &device.team_id,
            &request.doc_id,
            &device.id,
            self.now_ms(),
            HeldBatchesRule::Replace(&request.replacements),
        )?;
        // Cached blocks may hold the deleted changes: none is served again.
        self.blocks.forget_team(&device.team_id);
        // Record ids are random; they say nothing about the person.
        tracing::info!(
            device_id = %device.id,
            team_id = %device.team_id,
            doc_id = %request.doc_id,
            deleted = erasure.deleted,
            seq = erasure.seq,
            "record erased"
        );
        Ok(EraseResponse {
            api_version: API_VERSION,
            seq: erasure.seq,
            deleted: erasure.deleted,
        })
    }

    /// The sealed batches of the team's log holding a change of a record, for a
    /// coordinator's device to seal again without it before erasing it.
    pub fn held_batches(
        &self,
        device: &Device,
        query: &BatchesQuery,
    ) -> Result<HeldBatches, ServerError> {
        validate::check_version(query.api_version)?;
        validate::check_text("doc_id", &query.doc_id, validate::MAX_DOC_ID_LEN, None)?;
        if device.role != Role::Coordinateur {
            return Err(ServerError::Forbidden { action: "erasure" });
        }
        Ok(HeldBatches {
            api_version: API_VERSION,
            batches: self
                .storage
                .batches_holding(&device.team_id, &query.doc_id)?,
        })
    }

    /// [`TeamServer::pull`]'s page as a binary page ([`filrouge_model::wire`]), zstd
    /// compressed: from the log's cached blocks when the device is near the head, as
    /// one frame for a long catch-up (see `pages.rs`).
    pub fn pull_page(&self, device: &Device, query: &PullQuery) -> Result<Vec<u8>, ServerError> {
        // One read for the head and the generation, before any row (`pages::LogAt`).
        let log_state = self.storage.log_state(&device.team_id)?;
        self.pull_page_at(device, log_state, query)
    }

    /// [`TeamServer::pull_page`] for a request answered at once: the log's state as
    /// read with its token ([`Caller::log_state`]), one statement less per pull.
    pub fn pull_page_for(
        &self,
        caller: &Caller,
        query: &PullQuery,
    ) -> Result<Vec<u8>, ServerError> {
        self.pull_page_at(&caller.device, caller.log_state, query)
    }

    fn pull_page_at(
        &self,
        device: &Device,
        (head, generation): (u64, u64),
        query: &PullQuery,
    ) -> Result<Vec<u8>, ServerError> {
        validate::check_version(query.api_version)?;
        if head.saturating_sub(query.after) > pages::CATCH_UP_SEQS
            && !self
                .blocks
                .holds(&device.team_id, generation, query.after / pages::BLOCK_SEQS)
        {
            // A long catch-up: one frame, the fewest bytes for the phone. Unless the
            // cache holds the blocks it starts with: a device fallen behind the
            // others, whose blocks cost nothing to send, where a frame costs a read and
            // a compression of a whole page.
            let response = self.pull(device, query)?;
            return pages::compress_whole(&wire::encode_pull(&response));
        }
        pages::page(
            &*self.storage,
            &self.blocks,
            &device.team_id,
            pages::LogAt {
                head,
                generation,
                log_id: self.log_id_at(&device.team_id, generation)?,
            },
            query.after,
            pull_budget(query),
            MAX_PULL_CHANGES,
        )
    }

    /// A page of `device`'s team log after `query.after`, within
    /// min(`query.max_bytes` or [`DEFAULT_PULL_BYTES`], [`MAX_PULL_BYTES`]) blob bytes
    /// (one change at least).
    pub fn pull(&self, device: &Device, query: &PullQuery) -> Result<PullResponse, ServerError> {
        validate::check_version(query.api_version)?;
        let page = self.storage.changes_after(
            &device.team_id,
            query.after,
            pull_budget(query),
            MAX_PULL_CHANGES,
        )?;
        let cursor = page.changes.last().map_or(query.after, |c| c.seq);
        tracing::debug!(
            device_id = %device.id,
            after = query.after,
            cursor,
            changes = page.changes.len(),
            more = page.more,
            "pull served"
        );
        Ok(PullResponse {
            api_version: API_VERSION,
            log_id: self.log_id(&device.team_id)?,
            changes: page.changes,
            cursor,
            more: page.more,
            // The head was read after the page, so it is at or above the page's last
            // entry; it is never raised to the cursor asked for, since a head below a
            // device's cursor is how the device learns the log was rolled back.
            head: page.head,
        })
    }
}

/// The byte budget of a pull: the device's, or [`DEFAULT_PULL_BYTES`], at most
/// [`MAX_PULL_BYTES`].
fn pull_budget(query: &PullQuery) -> u64 {
    query
        .max_bytes
        .unwrap_or(DEFAULT_PULL_BYTES)
        .min(MAX_PULL_BYTES)
}
