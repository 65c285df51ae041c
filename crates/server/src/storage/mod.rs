//! What the server keeps, and the [`Storage`] trait every database backend implements.
//!
//! [`TeamServer`](crate::TeamServer) decides (validates, generates secrets, reads the
//! clock) and hands finished records to a `Storage`, which only persists and queries:
//! teams, enrolment codes (by hash), devices (with the hash of their token) and the
//! per-team change log. Each method that changes several rows does so in one
//! transaction, so a crash never leaves a code used without its device or half a push.
//! Methods are synchronous; async callers run them on a blocking thread.
//!
//! [`SqliteStorage`] is the embedded default; [`PostgresStorage`] serves a
//! département's many teams and several server processes on one database. Both pass
//! the same story, `storage::suite` (built for tests, or with the `storage-suite`
//! feature).

use std::collections::BTreeMap;

use filrouge_model::sync::{BatchReplacement, HeldBatch, TeamAccessEntry, read_batch_header};
use filrouge_model::sync::{ChangeBlob, HistorySeal, PublishedKey, PulledChange, SealedEpochKey};

use crate::error::ServerError;

#[cfg(test)]
mod fixtures;
mod group;
mod pool;
pub mod postgres;
mod sqlite;
#[cfg(any(test, feature = "storage-suite"))]
pub mod suite;
#[cfg(any(test, feature = "storage-suite"))]
pub mod suite_access;
#[cfg(any(test, feature = "storage-suite"))]
pub mod suite_batches;
#[cfg(any(test, feature = "storage-suite"))]
pub mod suite_history;

pub use postgres::PostgresStorage;
pub use sqlite::{BackupSummary, Carried, SqliteStorage};

pub use filrouge_model::sync::Role;

/// A team: the devices that share one change log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Team {
    /// Its id (a UUIDv7).
    pub id: String,
    /// Its display name.
    pub name: String,
    /// When it was created, in ms since the Unix epoch.
    pub created_at: i64,
    /// The identity of its change log ([`filrouge_model::sync::LogId`]): new when the
    /// team is created, and again whenever its log is restored from a backup.
    pub log_id: String,
}

/// A device found by its token, with what its team asks of each of its requests, read
/// in the same statement: on PostgreSQL every statement is a round trip, and a push
/// needs both (its seals' epochs are checked against the key epoch, and its answer
/// carries the lease).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The device.
    pub device: Device,
    /// Its team's key epoch when the token was checked ([`Storage::key_epoch`]).
    pub key_epoch: u32,
    /// Its team's offline lease in days ([`Storage::lease_days`]).
    pub lease_days: u32,
    /// Its team log's head and generation when the token was checked
    /// ([`Storage::log_state`]), which a pull page needs read before any row: a pull
    /// answered at once uses them, so they are only as fresh as the request.
    pub log_state: (u64, u64),
}

/// An enrolled device.
#[derive(Clone, PartialEq, Eq)]
pub struct Device {
    /// Its id (a UUIDv7).
    pub id: String,
    /// The team it belongs to.
    pub team_id: String,
    /// The name given at enrolment; may name a person, so kept out of logs.
    pub name: String,
    /// What it may do.
    pub role: Role,
    /// When it was enrolled, in ms since the Unix epoch.
    pub created_at: i64,
    /// When it was revoked, if it was.
    pub revoked_at: Option<i64>,
    /// When it last reached the server (to the hour: see [`Storage::touch_device`]).
    pub last_seen_at: Option<i64>,
}

impl std::fmt::Debug for Device {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Device")
            .field("id", &self.id)
            .field("team_id", &self.team_id)
            .field("role", &self.role)
            .field("created_at", &self.created_at)
            .field("revoked_at", &self.revoked_at)
            .finish_non_exhaustive()
    }
}

/// How stale a device's `last_seen_at` may get before a request writes it again.
pub const TOUCH_EVERY_MS: i64 = 60 * 60 * 1000;

/// An enrolment code to store; only its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEnrolmentCode {
    /// SHA-256 (hex) of the canonical code.
    pub code_hash: String,
    /// The team the code enrols into.
    pub team_id: String,
    /// The role the enrolled device gets.
    pub role: Role,
    /// Past this time (ms since the Unix epoch) the code is refused.
    pub expires_at: i64,
    /// The team's keys sealed by the inviting device, opaque here.
    pub sealed_keys: Option<Vec<u8>>,
}

/// A device to create when a code is redeemed; team and role come from the code.
#[derive(Clone, PartialEq, Eq)]
pub struct NewDevice {
    /// Its id (a UUIDv7).
    pub id: String,
    /// The name it asked for.
    pub name: String,
    /// SHA-256 (hex) of its token.
    pub token_hash: String,
}

impl std::fmt::Debug for NewDevice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewDevice")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// What became of an attempt to redeem an enrolment code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Redemption {
    /// The code was valid: it is now used and the device exists; with the sealed keys
    /// the code carried, which the code no longer holds.
    Enrolled(Device, Option<Vec<u8>>),
    /// No code has this hash.
    Unknown,
    /// The code was redeemed before.
    AlreadyUsed,
    /// The code expired before it was redeemed.
    Expired,
}

/// What an append did with a page of changes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AppendOutcome {
    /// Changes stored with a new sequence number.
    pub stored: usize,
    /// Changes whose hash the team's log already held (or that came twice in the page).
    pub already_held: usize,
    /// Hashes of changes to erased records: not stored, never will be; and, for a
    /// sealed batch holding a change of an erased record, that record's erasure hash
    /// ([`erasure_hash`](filrouge_model::sync::erasure_hash)).
    pub refused: Vec<String>,
    /// Hashes of the sealed batches refused (they held a change of an erased record):
    /// not acknowledged, so the device sends their other changes again.
    pub refused_batches: Vec<String>,
}

/// One access entry a device pushes: its number, link and sealed bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessRow {
    /// Its number in the device's chain.
    pub seq: u64,
    /// Its link.
    pub link: [u8; 32],
    /// Its sealed bytes.
    pub data: Vec<u8>,
}

/// Checks that `entries` continue a device's access chain, whose head the server holds
/// is `head` (its last number and link; none before its first push) and `prev` the
/// link the push says comes before its first entry: the first new entry follows the
/// head, each next one the entry before; an entry already held must come with the link
/// `held` answers for its number (none once purged). Every backend checks alike; see
/// [`Storage::append_access`].
pub(crate) fn check_access_chain(
    head: Option<(u64, [u8; 32])>,
    prev: Option<[u8; 32]>,
    entries: &[AccessRow],
    mut held: impl FnMut(u64) -> Result<Option<Vec<u8>>, ServerError>,
) -> Result<(), ServerError> {
    // The link each entry must follow: the head's, then each new entry's.
    let mut expected = head;
    let mut before = prev;
    for entry in entries {
        let break_at = ServerError::AccessChainBreak { seq: entry.seq };
        match expected {
            Some((seq, _)) if entry.seq <= seq => {
                // Sent before: it must be what the server holds (a purged one is gone).
                if held(entry.seq)?.is_some_and(|link| link != entry.link) {
                    return Err(break_at);
                }
            }
            Some((seq, link)) => {
                if entry.seq != seq + 1 || before != Some(link) {
                    return Err(break_at);
                }
                expected = Some((entry.seq, entry.link));
            }
            // A device's first entries may start anywhere (it may have purged some
            // before it first sent any), but consecutively.
            None => expected = Some((entry.seq, entry.link)),
        }
        before = Some(entry.link);
    }
    Ok(())
}

/// Checks that an erasure's `replacements` name exactly the batches `held` (those
/// holding the record now), each once; see [`HeldBatchesRule::Replace`].
pub(crate) fn check_replacements_cover(
    held: &[HeldBatch],
    replacements: &[BatchReplacement],
) -> Result<(), ServerError> {
    let asked: std::collections::BTreeSet<u64> = replacements.iter().map(|r| r.seq).collect();
    let holding: std::collections::BTreeSet<u64> = held.iter().map(|b| b.seq).collect();
    if asked != holding || asked.len() != replacements.len() {
        return Err(ServerError::ResealNeeded {
            reason: format!(
                "{} batches hold the record, {} replacements were sent",
                holding.len(),
                replacements.len()
            ),
        });
    }
    Ok(())
}

/// What an erasure does with the sealed batches holding the record, whose bytes the
/// server cannot cut out of them.
#[derive(Debug, Clone, Copy)]
pub enum HeldBatchesRule<'a> {
    /// Swaps in these, sealed again without the record by the erasing device: they must
    /// be exactly the batches holding it, each listing the same changes but the
    /// record's ([`check_replacement`]), or the erasure is refused
    /// ([`ServerError::ResealNeeded`]).
    Replace(&'a [BatchReplacement]),
    /// Drops them whole: only where every device then sends back all it holds (a
    /// restore, and the erasures devices send back while doing so), so the other
    /// changes they held return.
    Drop,
}

/// Checks that `replacement` (new bytes for the batch `original`, empty for none) lists
/// the same changes as `original` but record `doc_id`'s, under the same epoch; answers
/// the records it holds.
pub fn check_replacement(
    original: &[u8],
    replacement: &[u8],
    doc_id: &str,
    seq: u64,
) -> Result<Vec<String>, ServerError> {
    let wrong = |what: &str| ServerError::ResealNeeded {
        reason: format!("batch {seq}: {what}"),
    };
    let before = read_batch_header(original).map_err(|_| wrong("not a batch"))?;
    let kept: Vec<_> = before
        .members
        .iter()
        .filter(|m| m.doc_id != doc_id)
        .cloned()
        .collect();
    if replacement.is_empty() {
        return if kept.is_empty() {
            Ok(Vec::new())
        } else {
            Err(wrong("emptied, but it holds other records"))
        };
    }
    let after = read_batch_header(replacement).map_err(|_| wrong("replaced by no batch"))?;
    if after.epoch != before.epoch || after.members != kept {
        return Err(wrong("replaced by a batch listing other changes"));
    }
    let mut docs: Vec<String> = kept.into_iter().map(|m| m.doc_id).collect();
    docs.sort();
    docs.dedup();
    Ok(docs)
}

/// The distinct records a sealed batch's clear header lists; `None` for a blob that is
/// not a batch. Every backend notes them at append, to find the batches an erasure
/// must re-seal.
pub(crate) fn batch_docs(kind: &str, data: &[u8]) -> Option<std::collections::BTreeSet<String>> {
    if kind != filrouge_model::sync::BATCH_KIND {
        return None;
    }
    let header = read_batch_header(data).ok()?;
    Some(header.members.into_iter().map(|m| m.doc_id).collect())
}

/// A token bucket's shape: its capacity and its refill rate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateParams {
    /// Tokens a full bucket holds.
    pub burst: f64,
    /// Tokens it regains a millisecond.
    pub per_ms: f64,
}

/// What [`Storage::rate_tokens`] did with a bucket.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateAnswer {
    /// Whole tokens taken.
    pub taken: u32,
    /// Tokens left in the bucket after.
    pub tokens: f64,
}

/// What an erasure did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Erasure {
    /// The sequence number of the erasure entry in the team log (the same if the
    /// record was erased before).
    pub seq: u64,
    /// How many stored changes of the record were deleted.
    pub deleted: u64,
}

/// A page of a team's change log.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChangePage {
    /// Changes in sequence order.
    pub changes: Vec<PulledChange>,
    /// Whether more changes follow the last one.
    pub more: bool,
    /// The highest sequence number in the team's log.
    pub head: u64,
}

/// What the server holds of one recipient of epoch keys (a device, or the team's
/// recovery key): its published key and the epochs sealed to it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyHolder {
    /// The key it published, with its proof.
    pub key: Option<PublishedKey>,
    /// The epochs whose key is sealed to it, in order.
    pub epochs: Vec<u32>,
}

/// The paging rule of [`Storage::changes_after`], shared so every backend pages alike:
/// a page holds at most `max_changes` changes and at most `max_bytes` blob bytes, except
/// that its first change is always admitted, however large, so a reader never stalls.
#[derive(Debug, Clone)]
pub struct PageFill {
    max_bytes: u64,
    max_changes: usize,
    bytes: u64,
    count: usize,
}

impl PageFill {
    /// A budget of `max_bytes` blob bytes and `max_changes` changes (at least one).
    pub fn new(max_bytes: u64, max_changes: usize) -> PageFill {
        PageFill {
            max_bytes,
            max_changes: max_changes.max(1),
            bytes: 0,
            count: 0,
        }
    }

    /// Whether the next change, of `size` blob bytes, joins the page; counts it if so.
    pub fn admit(&mut self, size: u64) -> bool {
        let full =
            self.count >= self.max_changes || self.bytes.saturating_add(size) > self.max_bytes;
        if self.count > 0 && full {
            return false;
        }
        self.count += 1;
        self.bytes = self.bytes.saturating_add(size);
        true
    }
}

/// A database the team server can run on. Implementations are shared between threads.
pub trait Storage: Send + Sync {
    /// Creates a team.
    fn create_team(&self, team: &Team) -> Result<(), ServerError>;

    /// Returns the oldest team, creating `candidate` first if there is none, atomically.
    fn ensure_team(&self, candidate: &Team) -> Result<Team, ServerError>;

    /// The team with this id.
    fn team(&self, team_id: &str) -> Result<Option<Team>, ServerError>;

    /// Stores an enrolment code; `false` (and nothing stored) if its hash is taken.
    fn insert_enrolment_code(&self, code: &NewEnrolmentCode) -> Result<bool, ServerError>;

    /// In one transaction: checks the code is known, unused and not expired at `now_ms`,
    /// marks it used (forgetting its sealed keys, handed over in the answer) and
    /// creates `device` in the code's team with the code's role.
    fn redeem_enrolment_code(
        &self,
        code_hash: &str,
        now_ms: i64,
        device: &NewDevice,
    ) -> Result<Redemption, ServerError>;

    /// The device holding this token hash, revoked or not, with its team's settings.
    fn device_by_token_hash(&self, token_hash: &str) -> Result<Option<Caller>, ServerError>;

    /// The team's devices, oldest first.
    fn devices(&self, team_id: &str) -> Result<Vec<Device>, ServerError>;

    /// Records that the device reached the server at `now_ms`, unless it did less than
    /// [`TOUCH_EVERY_MS`] before: one write an hour per device at most, whatever it asks.
    fn touch_device(&self, device_id: &str, now_ms: i64) -> Result<(), ServerError>;

    /// Revokes a device at `now_ms` (keeping an earlier revocation time); `None` if no
    /// device has this id.
    fn revoke_device(&self, device_id: &str, now_ms: i64) -> Result<Option<Device>, ServerError>;

    /// The days a device of `team_id` may go without syncing before it locks.
    fn lease_days(&self, team_id: &str) -> Result<u32, ServerError>;

    /// Whether the request rate limits live in this storage, shared by every server
    /// process on it ([`Storage::rate_tokens`]); otherwise each process keeps its own.
    fn shares_rate_limits(&self) -> bool {
        false
    }

    /// The token bucket `key` (full at `limit.burst`, refilled by `limit.per_ms` tokens
    /// a millisecond) at `now_ms`: takes up to `want` whole tokens (none: only looks).
    /// Only for a storage that [shares rate limits](Storage::shares_rate_limits).
    fn rate_tokens(
        &self,
        key: &str,
        now_ms: i64,
        limit: RateParams,
        want: u32,
    ) -> Result<RateAnswer, ServerError> {
        let _ = (key, now_ms, limit, want);
        Err(ServerError::Corrupt {
            what: "rate limits asked of a storage that keeps none",
        })
    }

    /// The team's key epoch (0: it does not seal its changes end to end).
    fn key_epoch(&self, team_id: &str) -> Result<u32, ServerError>;

    /// In one transaction: starts key epoch 1 for `team_id` if it has none yet, its log
    /// is empty (nothing stored, nothing erased) and `device_id` is its only device.
    /// Returns whether it started it, and the team's epoch after.
    fn start_key_epoch(&self, team_id: &str, device_id: &str) -> Result<(bool, u32), ServerError>;

    /// In one transaction, for a team whose log began in clear ([`HistorySeal`]): if the
    /// team has no key epoch yet, its log is `seal.log_id` and its head is at most
    /// `seal.pulled_to`, starts key epoch 1, deletes every change but the erasure
    /// entries, and every enrolment code not yet redeemed that carries no keys, gives
    /// the log the identity `seal.new_log_id` and moves its [generation](Self::generation).
    /// Returns whether it started (again `true` for the same request once done: the
    /// team at epoch 1 under `seal.new_log_id`), and the team's epoch after.
    fn seal_history(&self, team_id: &str, seal: &HistorySeal) -> Result<(bool, u32), ServerError>;

    /// Keeps `device_id`'s published key unless the device published one before:
    /// whether the key now held is `key` (`false`: another one stays, never replaced).
    fn publish_device_key(
        &self,
        team_id: &str,
        device_id: &str,
        key: &PublishedKey,
    ) -> Result<bool, ServerError>;

    /// The team's recipients of epoch keys, by device id (and
    /// [`RECOVERY_RECIPIENT`](filrouge_model::sync::RECOVERY_RECIPIENT)): only those
    /// with a published key or a seal.
    fn key_holders(&self, team_id: &str) -> Result<BTreeMap<String, KeyHolder>, ServerError>;

    /// In one transaction: if the team's key epoch is `from` (at least 1), starts
    /// `from + 1` and keeps `sealed` (that epoch's key sealed to its recipients).
    /// Returns whether it started it, and the team's epoch after.
    fn rotate_key_epoch(
        &self,
        team_id: &str,
        from: u32,
        sealed: &[SealedEpochKey],
    ) -> Result<(bool, u32), ServerError>;

    /// In one transaction: with `recovery`, replaces the team's recovery key (forgetting
    /// the seals made for the old one); then keeps `sealed`, a seal already held for
    /// the same recipient and epoch staying as it was.
    fn share_epoch_keys(
        &self,
        team_id: &str,
        sealed: &[SealedEpochKey],
        recovery: Option<&PublishedKey>,
    ) -> Result<(), ServerError>;

    /// The epoch keys sealed to `recipient` in the team, oldest epoch first.
    fn epoch_keys_for(
        &self,
        team_id: &str,
        recipient: &str,
    ) -> Result<Vec<SealedEpochKey>, ServerError>;

    /// Sets them (1 to 365).
    fn set_lease_days(&self, team_id: &str, days: u32) -> Result<(), ServerError>;

    /// Gives the device `device_id`, if not revoked, the token whose hash is
    /// `token_hash` in place of its own; whether it did.
    fn replace_token_hash(&self, device_id: &str, token_hash: &str) -> Result<bool, ServerError>;

    /// In one transaction: gives each change whose hash the team's log lacks the next
    /// sequence number (dense, from 1) and stores it; skips the others.
    fn append_changes(
        &self,
        team_id: &str,
        device_id: &str,
        changes: &[ChangeBlob],
        now_ms: i64,
    ) -> Result<AppendOutcome, ServerError>;

    /// In one transaction: deletes every stored change of record `doc_id` in the team's
    /// log, deals with the sealed batches holding it by `batches`, remembers the record
    /// as erased (later appends for it are refused), and appends an
    /// [`ERASURE_KIND`](filrouge_model::sync::ERASURE_KIND) entry with the next sequence
    /// number. Erasing twice changes nothing the second time.
    fn erase_document(
        &self,
        team_id: &str,
        doc_id: &str,
        device_id: &str,
        now_ms: i64,
        batches: HeldBatchesRule<'_>,
    ) -> Result<Erasure, ServerError>;

    /// In one transaction: appends `entries` (consecutive numbers, each with its link
    /// and sealed bytes) to `device_id`'s access log, after checking they continue the
    /// head it holds: the first new entry follows it and `prev` is its link (any start
    /// for a device that sent none yet); an entry already held must come with the same
    /// link. Otherwise [`ServerError::AccessChainBreak`], and nothing is stored. Entries
    /// received before `purge_before` (ms) leave the team's log in the same
    /// transaction, except the team's newest (its numbers never go back). Answers the
    /// device's head.
    fn append_access(
        &self,
        team_id: &str,
        device_id: &str,
        prev: Option<[u8; 32]>,
        entries: &[AccessRow],
        now_ms: i64,
        purge_before: i64,
    ) -> Result<u64, ServerError>;

    /// The team's access entries numbered above `after`, at most `max`, in order; and
    /// whether more follow.
    fn access_after(
        &self,
        team_id: &str,
        after: u64,
        max: usize,
    ) -> Result<(Vec<TeamAccessEntry>, bool), ServerError>;

    /// The sealed batches of the team's log holding a change of record `doc_id`, in log
    /// order.
    fn batches_holding(&self, team_id: &str, doc_id: &str) -> Result<Vec<HeldBatch>, ServerError>;

    /// Gives the team's log a new identity (after a restore): devices then send back
    /// everything they hold and pull the log from its start. `false` if no such team.
    fn set_log_id(&self, team_id: &str, log_id: &str) -> Result<bool, ServerError>;

    /// Every team, oldest first.
    fn teams(&self) -> Result<Vec<Team>, ServerError>;

    /// The bytes of the team's stored changes (for the operator's metrics).
    fn log_bytes(&self, team_id: &str) -> Result<u64, ServerError>;

    /// The highest sequence number in the team's log (0 for an empty log).
    fn head(&self, team_id: &str) -> Result<u64, ServerError>;

    /// The team log's generation: it grows in the transaction of each erasure and of
    /// each history seal ([`Storage::seal_history`]), whatever else may move it too. A
    /// block of the log, or the log's identity, cached under an older generation may
    /// hold deleted changes or be outdated, whichever server process cached it.
    fn generation(&self, team_id: &str) -> Result<u64, ServerError>;

    /// [`Storage::head`] and [`Storage::generation`] together (a backend may read both
    /// at once: a pull page asks for them first).
    fn log_state(&self, team_id: &str) -> Result<(u64, u64), ServerError> {
        Ok((self.head(team_id)?, self.generation(team_id)?))
    }

    /// The team's changes with a sequence number above `after`, in order, paged by
    /// [`PageFill::new`]`(max_bytes, max_changes)`.
    fn changes_after(
        &self,
        team_id: &str,
        after: u64,
        max_bytes: u64,
        max_changes: usize,
    ) -> Result<ChangePage, ServerError>;
}

/// Polls `done` until it holds, failing the test after five seconds: for the tests of
/// the group queue and the reader pool, which wait for a thread to queue.
#[cfg(test)]
pub(crate) fn wait_for(what: &str, done: impl Fn() -> bool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while !done() {
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        std::thread::yield_now();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_text() {
        for role in [Role::Intervenant, Role::Coordinateur] {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("admin"), None);
    }

    #[test]
    fn budget_admits_the_first_change_whatever_its_size() {
        let mut budget = PageFill::new(10, 100);
        assert!(budget.admit(50));
        // Over budget now: even an empty change waits for the next page.
        assert!(!budget.admit(0));
    }

    #[test]
    fn budget_stops_before_exceeding_bytes_or_count() {
        let mut budget = PageFill::new(10, 100);
        assert!(budget.admit(4));
        assert!(budget.admit(6));
        assert!(!budget.admit(1));
        let mut budget = PageFill::new(1_000, 2);
        assert!(budget.admit(1));
        assert!(budget.admit(1));
        assert!(!budget.admit(1));
    }

    #[test]
    fn device_debug_hides_the_name() {
        let device = Device {
            id: "d1".into(),
            team_id: "t1".into(),
            name: "Téléphone de Marie".into(),
            role: Role::Intervenant,
            created_at: 0,
            revoked_at: None,
            last_seen_at: None,
        };
        assert!(!format!("{device:?}").contains("Marie"));
    }
}
