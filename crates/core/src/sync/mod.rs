//! Device-side sync: a sans-I/O engine, the transport trait it is driven through, and
//! the driver that runs one sync without holding the store during network waits.
//!
//! One sync is: push the outbox in pages until it is empty, then pull the team log
//! "after my cursor" in pages until the server says there is no more. The engine
//! ([`SyncEngine`]) decides the next request from the store ([`SyncEngine::next`]) and
//! takes each response ([`SyncEngine::on_push`], [`SyncEngine::on_pull`]); it never
//! touches the network. Each response is applied in one SQLite transaction together
//! with what it acknowledges (outbox rows removed) or advances (the pull cursor), so a
//! sync cut at any byte resumes without re-applying or losing anything: pushes are
//! idempotent by change hash on the server, and pulled changes are idempotent in
//! Automerge.
//!
//! Before a pulled page is applied, its log identity is judged (module `logs`): a server
//! restored from a backup or replaced has a log this device does not know, and the
//! engine then **heals** it (module `heal`): it pushes back every change it holds, in pages,
//! then pulls the new log from zero.
//!
//! ```text
//!  device                                   server
//!  next() -> Push(page of outbox) ───────▶ store new hashes, give seq numbers
//!  on_push(acknowledged hashes)   ◀─────── acknowledged (new and already-known)
//!  next() -> Pull(after = cursor) ───────▶ changes with seq > cursor, bounded in bytes
//!  on_pull(page, cursor, more)    ◀─────── apply + advance cursor in one transaction
//!  next() -> Done(report)
//! ```

mod apply;
pub(crate) use apply::erase_local;
pub(crate) use logs::follow as follow_log;
mod driver;
mod faults;
mod heal;
#[cfg(feature = "http")]
mod http;
mod logs;
mod memory;
pub mod pages;
mod retry;
#[cfg(feature = "http")]
mod rotate;
mod sealing;
#[cfg(feature = "http")]
pub mod tls;
mod transport;

pub use driver::{PageBudget, run, run_with_progress};
pub use faults::{FaultRates, FaultyTransport};
#[cfg(feature = "http")]
pub use http::{HttpTransport, PushBody, enrol};
pub use memory::{HubBackup, MemoryHub, MemoryTransport};
pub use retry::{MAX_BACKOFF, PERIOD, RetrySchedule};
#[cfg(feature = "http")]
pub use rotate::{prepare_token_rotation, rotate_token_if_asked};

/// The meta key of the team's offline lease, in days (see `crate::app::Gate`).
pub(crate) const LEASE_DAYS: &str = "lease_days";

/// The meta key by which an encrypted store asks for a new device token (see
/// `rotate_token_if_asked`).
pub(crate) const ROTATE_TOKEN: &str = "rotate_token";
pub use transport::{Transport, TransportError, refusal};

use std::collections::{HashMap, HashSet};

use filrouge_model::ipc::{SyncProgress, SyncStage};
use filrouge_model::sync::{
    API_VERSION, ChangeBlob, EnrolResponse, MAX_BLOB_BYTES, PullQuery, PullResponse, PushRequest,
    PushResponse,
};
use rusqlite::{OptionalExtension as _, params};

use crate::{CoreError, Store};

/// Most changes the engine puts in one push page.
pub const PUSH_PAGE_CHANGES: usize = 500;
/// Byte budget of one push page (blob bytes before base64, which adds a third).
pub const PUSH_PAGE_BYTES: usize = 2 * 1024 * 1024;

/// The next thing the driver must do.
#[derive(Debug)]
pub enum Step {
    /// Send this page of the outbox, then call [`SyncEngine::on_push`].
    Push(PushRequest),
    /// Ask for this page of the log, then call [`SyncEngine::on_pull`].
    Pull(PullQuery),
    /// The sync is complete.
    Done(SyncReport),
}

/// What one sync did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SyncReport {
    /// Local changes the server acknowledged.
    pub pushed: usize,
    /// Changes pulled from the log.
    pub pulled: usize,
    /// Documents changed locally by the pulled changes.
    pub docs_changed: usize,
    /// Local changes the server refused for good (their record was erased).
    pub refused: usize,
    /// Changes (and remembered erasures) sent back to a server that had lost them.
    pub healed: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Push,
    Heal,
    Pull,
    Done,
}

/// How many times one sync may switch to another log it knows before it gives up (a
/// server that keeps changing its log identity is broken).
const MAX_LOG_SWITCHES: u8 = 2;

/// The sans-I/O sync state machine for one sync.
#[derive(Debug)]
pub struct SyncEngine {
    phase: Phase,
    report: SyncReport,
    /// The cursor the pull started from, and the latest cursor and log head seen.
    pull_from: Option<u64>,
    pulled_to: u64,
    head: u64,
    /// The heal page sent and the position after it, while healing.
    healing: Option<heal::Heal>,
    /// Records sent back and held, while healing.
    heal_progress: Option<(u64, u64)>,
    /// Whether this sync has healed a log already (once is the most a sync does).
    healed_once: bool,
    switches: u8,
    /// The batches of the push page in flight, each with the changes it holds.
    batches: HashMap<String, Vec<String>>,
}

impl Default for SyncEngine {
    fn default() -> Self {
        Self::new()
    }
}

impl SyncEngine {
    /// A new sync, starting with the push phase.
    pub fn new() -> Self {
        SyncEngine {
            phase: Phase::Push,
            report: SyncReport::default(),
            pull_from: None,
            pulled_to: 0,
            head: 0,
            healing: None,
            heal_progress: None,
            healed_once: false,
            switches: 0,
            batches: HashMap::new(),
        }
    }

    /// How far the pull has got, once a page has come back: entries applied since the
    /// pull started, out of those the log held past the starting cursor.
    /// While healing, records sent back out of those held.
    pub fn progress(&self) -> Option<SyncProgress> {
        if self.phase == Phase::Heal {
            let (done, total) = self.heal_progress?;
            return Some(SyncProgress {
                done,
                total,
                stage: SyncStage::Healing,
            });
        }
        let from = self.pull_from?;
        let total = self.head.max(self.pulled_to).saturating_sub(from);
        Some(SyncProgress {
            done: self.pulled_to.saturating_sub(from),
            total,
            stage: SyncStage::Receiving,
        })
    }

    /// Decides the next request from the store's outbox and cursor.
    pub fn next(&mut self, store: &Store) -> Result<Step, CoreError> {
        if self.phase == Phase::Push {
            let sealed = store.seal_page(store.outbox_page(PUSH_PAGE_CHANGES, PUSH_PAGE_BYTES)?)?;
            if !sealed.changes.is_empty() {
                self.batches = sealed.batches;
                return Ok(Step::Push(PushRequest {
                    api_version: API_VERSION,
                    changes: sealed.changes,
                }));
            }
            // A heal cut short (network, app closed) goes on before anything is pulled.
            self.phase = if store.heal()?.is_some() {
                Phase::Heal
            } else {
                Phase::Pull
            };
        }
        if self.phase == Phase::Heal {
            if let Some(position) = store.heal()? {
                let page = store.heal_page(&position, PUSH_PAGE_CHANGES, PUSH_PAGE_BYTES)?;
                if !page.changes.is_empty() {
                    self.heal_progress = Some(position.progress());
                    self.healing = Some(page.next);
                    let sealed = store.seal_page(page.changes)?;
                    self.batches = sealed.batches;
                    return Ok(Step::Push(PushRequest {
                        api_version: API_VERSION,
                        changes: sealed.changes,
                    }));
                }
                store.finish_heal(&position)?;
            }
            self.healing = None;
            self.phase = Phase::Pull;
        }
        if self.phase == Phase::Pull {
            return Ok(Step::Pull(PullQuery {
                api_version: API_VERSION,
                after: store.cursor()?,
                max_bytes: Some(PageBudget::FIRST),
            }));
        }
        Ok(Step::Done(self.report.clone()))
    }

    /// Takes the server's answer to a push page.
    pub fn on_push(
        &mut self,
        store: &mut Store,
        sent: &PushRequest,
        resp: PushResponse,
    ) -> Result<(), CoreError> {
        check_version(resp.api_version)?;
        // A server that acknowledges nothing of a non-empty page would make the engine
        // send the same page forever.
        if resp.acknowledged.is_empty() && resp.refused.is_empty() && !sent.changes.is_empty() {
            return Err(TransportError::Protocol {
                detail: "push acknowledged nothing".into(),
            }
            .into());
        }
        // A batch acknowledged is every change it holds.
        let batches = std::mem::take(&mut self.batches);
        let acknowledged: Vec<String> = resp
            .acknowledged
            .iter()
            .flat_map(|h| match batches.get(h) {
                Some(held) => held.clone(),
                None => vec![h.clone()],
            })
            .collect();
        // A batch holding a change of a record erased on the server is refused whole,
        // naming the record: it is erased here as the log's erasure entry would, and
        // the batch's other changes go again in the next page.
        let erased = store.settle_refused_erasures(&resp.refused)?;
        if let Some(next) = self.healing.take() {
            if erased > 0 {
                // The same heal page again, without the erased record.
                self.healing = None;
                return Ok(());
            }
            // What the server now holds needs no other push; refused erasures and changes
            // of records erased there are settled by the pull that follows.
            store.acknowledge(&acknowledged)?;
            store.acknowledge(&resp.refused)?;
            self.report.healed += acknowledged.len();
            let next = if resp.log_id == next.log_id {
                store.save_heal(&next)?;
                next
            } else {
                // The server's log changed during the heal (restored again, or another
                // server at the address): what went to the old one is not in the new
                // one, so the heal starts over for it.
                store.start_heal(&resp.log_id)?
            };
            self.heal_progress = Some(next.progress());
            return Ok(());
        }
        self.report.pushed += store.acknowledge(&acknowledged)?;
        // Changes to a record a coordinator erased: the server will never take them, so
        // they leave the outbox; the erasure itself arrives with the pull.
        self.report.refused += store.acknowledge(&resp.refused)? + erased;
        Ok(())
    }

    /// Takes one page of the team log. `false` when the page was not applied because
    /// it comes from another log (the engine will heal it, or ask again from the
    /// cursor it has there): pages asked after it must not be applied either.
    pub fn on_pull(
        &mut self,
        store: &mut Store,
        asked: &PullQuery,
        resp: PullResponse,
    ) -> Result<bool, CoreError> {
        let page = PreparedPull::new(resp, store.options().max_doc_ops, &store.opener()?);
        self.on_pull_prepared(store, asked, page)
    }

    /// [`SyncEngine::on_pull`] for a page already prepared (by the driver's network
    /// thread, while the previous page was written).
    pub(crate) fn on_pull_prepared(
        &mut self,
        store: &mut Store,
        asked: &PullQuery,
        resp: PreparedPull,
    ) -> Result<bool, CoreError> {
        check_version(resp.api_version)?;
        match store.judge_page(&resp.log_id, resp.head, asked.after)? {
            logs::Verdict::Apply => {}
            logs::Verdict::Resume => {
                self.switches += 1;
                if self.switches > MAX_LOG_SWITCHES {
                    return Err(log_unstable());
                }
                self.pull_from = None;
                return Ok(false);
            }
            logs::Verdict::Heal => {
                if self.healed_once {
                    return Err(log_unstable());
                }
                self.healed_once = true;
                let position = store.start_heal(&resp.log_id)?;
                self.heal_progress = Some(position.progress());
                self.pull_from = None;
                self.phase = Phase::Heal;
                return Ok(false);
            }
        }
        if resp.more && resp.cursor <= asked.after {
            return Err(TransportError::Protocol {
                detail: "pull cursor did not advance".into(),
            }
            .into());
        }
        self.pull_from.get_or_insert(asked.after);
        self.pulled_to = resp.cursor;
        self.head = self.head.max(resp.head);
        self.report.pulled += resp.count;
        self.report.docs_changed +=
            store.apply_prepared(resp.page, Some((&resp.log_id, resp.cursor)))?;
        if !resp.more {
            self.phase = Phase::Done;
        }
        Ok(true)
    }
}

/// The error of a server whose log identity keeps changing during one sync.
fn log_unstable() -> CoreError {
    TransportError::Protocol {
        detail: "the team log changed again during the sync".into(),
    }
    .into()
}

/// A pulled page whose changes are prepared for writing ([`apply::prepare`]).
pub(crate) struct PreparedPull {
    api_version: u32,
    log_id: String,
    cursor: u64,
    more: bool,
    head: u64,
    count: usize,
    page: apply::PreparedPage,
}

impl PreparedPull {
    /// Opens `resp`'s sealed changes with `opener` and prepares them; `max_ops` is the
    /// store's operation limit.
    pub(crate) fn new(mut resp: PullResponse, max_ops: u64, opener: &sealing::Opener) -> Self {
        let aside = opener.open(&mut resp.changes);
        // Changes, not log entries: a batch counts the changes it held.
        let count = resp.changes.len() + aside.len();
        let mut page = apply::prepare(resp.changes, max_ops);
        page.aside = aside;
        PreparedPull {
            api_version: resp.api_version,
            log_id: resp.log_id,
            cursor: resp.cursor,
            more: resp.more,
            head: resp.head,
            count,
            page,
        }
    }
}

fn check_version(server: u32) -> Result<(), TransportError> {
    if server == API_VERSION {
        Ok(())
    } else {
        Err(TransportError::VersionMismatch { server })
    }
}

impl Store {
    /// The oldest outbox changes, within a count and byte budget (always at least one).
    /// Change bytes come from the documents (loaded once per document for the page);
    /// rows written before schema 3 still carry their own bytes.
    pub(crate) fn outbox_page(
        &self,
        max_changes: usize,
        max_bytes: usize,
    ) -> Result<Vec<ChangeBlob>, CoreError> {
        let rows: Vec<(String, String, String, Option<Vec<u8>>)> = {
            // The kind comes from the document row; a change whose document row is gone
            // keeps its own bytes (rows from before schema 3) or is skipped below.
            let mut stmt = self.conn.prepare_cached(
                "SELECT o.hash, o.doc_id, COALESCE(d.kind, ''), o.data
                   FROM outbox o LEFT JOIN documents d ON d.id = o.doc_id
                  ORDER BY o.n LIMIT ?1",
            )?;
            let rows = stmt.query_map([max_changes as i64], |r| {
                let hash: Vec<u8> = r.get(0)?;
                Ok((hex_hash(&hash), r.get(1)?, r.get(2)?, r.get(3)?))
            })?;
            rows.collect::<Result<_, _>>()?
        };
        let mut docs: HashMap<String, Option<automerge::AutoCommit>> = HashMap::new();
        let (mut page, mut bytes) = (Vec::new(), 0usize);
        for (hash, doc_id, kind, data) in rows {
            let data = match data {
                Some(data) => data,
                None => {
                    let doc = match docs.entry(doc_id.clone()) {
                        std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                        std::collections::hash_map::Entry::Vacant(e) => {
                            e.insert(self.load_for_push(&doc_id)?)
                        }
                    };
                    let change = match (doc.as_mut(), hash.parse::<automerge::ChangeHash>()) {
                        (Some(doc), Ok(h)) => doc.get_change_by_hash(&h),
                        _ => None,
                    };
                    match change {
                        Some(change) => pages::blob_of(&change),
                        None => {
                            // Its document is gone or quarantined: it cannot be sent now;
                            // it stays queued, and the rest of the outbox goes on.
                            tracing::warn!(doc_id = %doc_id, hash = %hash, "outbox change not found in its document");
                            continue;
                        }
                    }
                }
            };
            if !page.is_empty() && bytes + data.len() > max_bytes {
                break;
            }
            bytes += data.len();
            if data.len() > MAX_BLOB_BYTES {
                // The server would refuse the whole page; log and leave it for a later
                // version that splits documents, rather than block every other change.
                tracing::warn!(hash = %hash, size = data.len(), "change too large to push");
                continue;
            }
            page.push(ChangeBlob {
                hash,
                doc_id,
                kind,
                data,
            });
        }
        Ok(page)
    }

    /// A document to read changes from for a push; `None` if it cannot be loaded.
    fn load_for_push(&self, id: &str) -> Result<Option<automerge::AutoCommit>, CoreError> {
        match crate::store::load_doc(&self.conn, id, self.options(), self.actor()) {
            Ok(loaded) => Ok(loaded.map(|l| l.doc)),
            Err(CoreError::Sqlite(e)) => Err(CoreError::Sqlite(e)),
            Err(_) => Ok(None),
        }
    }

    /// Removes acknowledged changes from the outbox; returns how many were removed.
    ///
    /// The outbox has no index by hash (one page less in every save, schema 25). A push
    /// takes the oldest rows, so the acknowledged ones are found at the start of the
    /// outbox read in order, and the read stops when every one has been found; a hash
    /// that is not there costs one read of the whole outbox, once per answer.
    pub(crate) fn acknowledge(&mut self, hashes: &[String]) -> Result<usize, CoreError> {
        // A hash the server sends back that is not a change hash matches nothing.
        let mut wanted: HashSet<[u8; 32]> = hashes
            .iter()
            .filter_map(|h| h.parse::<automerge::ChangeHash>().ok())
            .map(|h| h.0)
            .collect();
        if wanted.is_empty() {
            return Ok(0);
        }
        let tx = self.conn.transaction()?;
        let found: Vec<i64> = {
            let mut stmt = tx.prepare_cached("SELECT n, hash FROM outbox ORDER BY n")?;
            let mut rows = stmt.query([])?;
            let mut found = Vec::new();
            while let Some(row) = rows.next()? {
                let hash = row.get_ref(1)?.as_blob().map_err(rusqlite::Error::from)?;
                if let Ok(hash) = <[u8; 32]>::try_from(hash)
                    && wanted.remove(&hash)
                {
                    found.push(row.get(0)?);
                    if wanted.is_empty() {
                        break;
                    }
                }
            }
            found
        };
        {
            let mut stmt = tx.prepare_cached("DELETE FROM outbox WHERE n = ?1")?;
            for n in &found {
                stmt.execute([n])?;
            }
        }
        tx.commit()?;
        Ok(found.len())
    }

    /// The team's offline lease in days, as the server last said it (30 until it has).
    pub fn lease_days(&self) -> Result<u32, CoreError> {
        Ok(self
            .meta(LEASE_DAYS)?
            .and_then(|d| d.parse().ok())
            .unwrap_or(crate::app::DEFAULT_LEASE_DAYS))
    }

    /// Saves the credentials of an enrolment. A device that has never synced follows
    /// the team's log from its start; one that holds another log's records meets the
    /// new log at its first pull and sends them back (a heal). Local changes stay in
    /// the outbox.
    pub fn save_enrolment(
        &mut self,
        server_url: &str,
        enrolment: &EnrolResponse,
    ) -> Result<(), CoreError> {
        let tx = self.conn.savepoint()?;
        let first = tx
            .prepare_cached("SELECT 1 FROM meta WHERE key = 'token'")?
            .query_row([], |_| Ok(()))
            .optional()?
            .is_none();
        let same_team = tx
            .query_row("SELECT value FROM meta WHERE key = 'team_id'", [], |r| {
                r.get::<_, String>(0)
            })
            .ok()
            .is_some_and(|t| t == enrolment.team_id);
        if !same_team {
            tx.execute("DELETE FROM meta WHERE key = 'cursor'", params![])?;
        }
        crate::store::set_meta_tx(&tx, "server_url", server_url)?;
        crate::store::set_meta_tx(&tx, "team_id", &enrolment.team_id)?;
        crate::store::set_meta_tx(&tx, "device_id", &enrolment.device_id)?;
        crate::store::set_meta_tx(&tx, "token", &enrolment.token)?;
        match enrolment.role {
            Some(role) => crate::store::set_meta_tx(&tx, "role", role.as_str())?,
            None => {
                tx.execute("DELETE FROM meta WHERE key = 'role'", params![])?;
            }
        }
        if !same_team {
            // A heal cut short belongs to the old team's log: the new one is met, and
            // healed if needed, from its start.
            tx.execute("DELETE FROM meta WHERE key = 'heal'", params![])?;
        }
        if let Some(days) = enrolment.lease_days {
            crate::store::set_meta_tx(&tx, LEASE_DAYS, &days.to_string())?;
        }
        // The offline lease counts from the last contact with the server: this one.
        let now = self.env.clock.now_ms();
        crate::store::set_meta_tx(&tx, "enrolled_at", &now.to_string())?;
        Store::enrolled_in_log(&tx, &enrolment.log_id, first)?;
        tx.commit()?;
        Ok(())
    }

    /// The server address and device token, if this device is enrolled.
    pub fn credentials(&self) -> Result<Option<(String, String)>, CoreError> {
        Ok(match (self.meta("server_url")?, self.meta("token")?) {
            (Some(url), Some(token)) => Some((url, token)),
            _ => None,
        })
    }

    /// Keeps (or forgets) the SHA-256 of the server certificate this device accepts.
    pub fn save_server_pin(&self, pin: Option<[u8; 32]>) -> Result<(), CoreError> {
        match pin {
            Some(pin) => self.set_meta("server_pin", &hex_hash(&pin)),
            None => {
                self.conn
                    .execute("DELETE FROM meta WHERE key = 'server_pin'", params![])?;
                Ok(())
            }
        }
    }

    /// The SHA-256 of the server certificate this device accepts, if it was given one.
    /// A damaged one is an error: falling back to the platform's roots would quietly
    /// turn the pinning off.
    pub fn server_pin(&self) -> Result<Option<[u8; 32]>, CoreError> {
        match self.meta("server_pin")? {
            None => Ok(None),
            Some(text) => parse_pin(&text)
                .map(Some)
                .ok_or(CoreError::DamagedSetting { key: "server_pin" }),
        }
    }

    /// Where and how to reach the team server, if this device is enrolled: its address,
    /// the device token, and the certificate fingerprint it pins (read together, so a
    /// wipe or an enrolment in between cannot pair one server's address with another's
    /// pin).
    pub fn connection(&self) -> Result<Option<ServerConnection>, CoreError> {
        match self.credentials()? {
            Some((url, token)) => Ok(Some(ServerConnection {
                url,
                token,
                pin: self.server_pin()?,
            })),
            None => Ok(None),
        }
    }

    /// This device's id on the team server, if it is enrolled.
    pub fn device_id(&self) -> Result<Option<String>, CoreError> {
        self.meta("device_id")
    }
}

/// How an enrolled device reaches its team server ([`Store::connection`]).
#[derive(Clone)]
pub struct ServerConnection {
    /// The server's address.
    pub url: String,
    /// The device token (a secret: never logged).
    pub token: String,
    /// The server certificate's SHA-256 the device pins, if it was given one.
    pub pin: Option<[u8; 32]>,
}

impl std::fmt::Debug for ServerConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerConnection")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

/// A server certificate's SHA-256 from its hex form (either case); `None` when `text` is
/// not 64 hex digits.
pub fn parse_pin(text: &str) -> Option<[u8; 32]> {
    let text = text.trim();
    if text.len() != 64 || !text.is_ascii() {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, pair) in text.as_bytes().chunks_exact(2).enumerate() {
        let hex = std::str::from_utf8(pair).ok()?;
        out[i] = u8::from_str_radix(hex, 16).ok()?;
    }
    Some(out)
}

/// A change hash as the sync API spells it (lowercase hex, as `ChangeHash` displays),
/// from its 32 stored bytes.
fn hex_hash(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod heal_tests;
#[cfg(test)]
mod prop_tests;
#[cfg(test)]
mod sealing_tests;
#[cfg(test)]
#[path = "tests.rs"]
mod tests;
