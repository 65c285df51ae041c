//! An in-memory team log and transport, for tests of the engine without a server.
//!
//! [`MemoryHub`] behaves like the server's change log (sequence numbers, idempotent by
//! hash, pages bounded in bytes, a log identity, erasures); it can be backed up and
//! restored, or emptied, as an operator would the server. Sealed batches are held as
//! the server holds them, except that erasing a record drops any batch holding it
//! whole (the server takes batches sealed again by the erasing device). [`MemoryTransport`] can be
//! switched offline to test what a device does when the network is gone.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};

use filrouge_model::sync::{
    API_VERSION, BATCH_KIND, ChangeBlob, DEFAULT_PULL_BYTES, ERASURE_KIND, MAX_PULL_BYTES,
    PullQuery, PullResponse, PulledChange, PushRequest, PushResponse, erasure_hash,
    read_batch_header,
};

use super::{Transport, TransportError};

#[derive(Debug, Default, Clone)]
struct Log {
    /// The log's identity: new when the hub is rolled back or emptied.
    log_id: String,
    changes: Vec<PulledChange>,
    hashes: HashSet<String>,
    erased: HashSet<String>,
    /// The next sequence number: erasure removes entries, numbers are never reused.
    next_seq: u64,
}

/// A shared in-memory change log.
#[derive(Debug, Clone)]
pub struct MemoryHub {
    log: Arc<Mutex<Log>>,
}

/// A copy of a [`MemoryHub`]'s log, as a server backup is.
#[derive(Debug, Clone)]
pub struct HubBackup(Log);

impl Default for MemoryHub {
    fn default() -> Self {
        Self::new()
    }
}

impl MemoryHub {
    /// An empty log.
    pub fn new() -> Self {
        MemoryHub {
            log: Arc::new(Mutex::new(Log {
                log_id: new_log_id(),
                ..Log::default()
            })),
        }
    }

    /// A transport to this hub, for a coordinator's device (its remembered erasures
    /// erase, see [`filrouge_model::sync::ERASURE_KIND`]).
    pub fn transport(&self) -> MemoryTransport {
        MemoryTransport {
            hub: self.clone(),
            online: true,
            coordinator: true,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Log> {
        self.log.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The log's identity.
    pub fn log_id(&self) -> String {
        self.lock().log_id.clone()
    }

    /// A copy of the log as it is now.
    pub fn backup(&self) -> HubBackup {
        HubBackup(self.lock().clone())
    }

    /// Puts `backup` back, as `filrouge restore` does: with a new log identity.
    pub fn restore(&self, backup: &HubBackup) {
        *self.lock() = Log {
            log_id: new_log_id(),
            ..backup.0.clone()
        };
    }

    /// Puts `backup` back with its old identity, as an operator copying files by hand
    /// would: devices see the head fall below their cursor.
    pub fn restore_by_hand(&self, backup: &HubBackup) {
        *self.lock() = backup.0.clone();
    }

    /// Replaces the log by an empty one, as a new server would.
    pub fn empty(&self) {
        *self.lock() = Log {
            log_id: new_log_id(),
            ..Log::default()
        };
    }

    /// How many distinct changes the log holds.
    pub fn len(&self) -> usize {
        self.log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .changes
            .len()
    }

    /// The hashes of every change in the log, in log order.
    pub fn hashes(&self) -> Vec<String> {
        self.log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .changes
            .iter()
            .map(|c| c.blob.hash.clone())
            .collect()
    }

    /// Erases a record as the server does: its changes leave the log, an erasure entry
    /// is appended, and later pushes for it are refused.
    pub fn erase(&self, doc_id: &str) {
        self.lock().erase(doc_id);
    }

    /// The records erased in the log.
    pub fn erased(&self) -> HashSet<String> {
        self.lock().erased.clone()
    }

    /// Every stored change, in log order: what the server's host could read.
    pub fn blobs(&self) -> Vec<ChangeBlob> {
        self.lock().changes.iter().map(|c| c.blob.clone()).collect()
    }

    /// Rewrites stored changes in place, as a hostile host could (flip a byte, move a
    /// blob to another record); the sequence numbers stay.
    pub fn rewrite(&self, mut f: impl FnMut(&mut ChangeBlob)) {
        for c in &mut self.lock().changes {
            f(&mut c.blob);
        }
    }

    /// Whether the log is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The records a sealed batch lists (none for any other blob).
fn batch_docs(blob: &ChangeBlob) -> HashSet<String> {
    if blob.kind != BATCH_KIND {
        return HashSet::new();
    }
    read_batch_header(&blob.data)
        .map(|h| h.members.into_iter().map(|m| m.doc_id).collect())
        .unwrap_or_default()
}

fn new_log_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

impl Log {
    fn erase(&mut self, doc_id: &str) {
        if !self.erased.insert(doc_id.to_owned()) {
            return;
        }
        // The hub cannot seal a batch again without the record, as the erasing
        // device does for the server: a batch holding it goes whole.
        self.changes
            .retain(|c| c.blob.doc_id != doc_id && !batch_docs(&c.blob).contains(doc_id));
        self.next_seq += 1;
        let seq = self.next_seq;
        self.changes.push(PulledChange {
            seq,
            blob: ChangeBlob {
                doc_id: doc_id.to_owned(),
                kind: ERASURE_KIND.to_owned(),
                hash: erasure_hash(doc_id),
                data: Vec::new(),
            },
        });
    }
}

/// A device's connection to a [`MemoryHub`].
#[derive(Debug, Clone)]
pub struct MemoryTransport {
    hub: MemoryHub,
    /// When false, every request fails as unreachable.
    pub online: bool,
    /// Whether the device is a coordinator's: its remembered erasures erase; a field
    /// device's are refused.
    pub coordinator: bool,
}

impl MemoryTransport {
    fn check_online(&self) -> Result<(), TransportError> {
        if self.online {
            Ok(())
        } else {
            Err(TransportError::Unreachable {
                detail: "offline".into(),
            })
        }
    }
}

impl Transport for MemoryTransport {
    fn push(&mut self, req: &PushRequest) -> Result<PushResponse, TransportError> {
        self.check_online()?;
        let mut log = self.hub.log.lock().unwrap_or_else(PoisonError::into_inner);
        let (mut acknowledged, mut refused) = (Vec::new(), Vec::new());
        for blob in &req.changes {
            if blob.kind == ERASURE_KIND {
                if self.coordinator {
                    log.erase(&blob.doc_id);
                    acknowledged.push(blob.hash.clone());
                } else {
                    refused.push(blob.hash.clone());
                }
                continue;
            }
            if log.erased.contains(&blob.doc_id) {
                refused.push(blob.hash.clone());
                continue;
            }
            // A batch holding a change of an erased record is refused whole, naming it.
            let erased_held: Vec<String> = batch_docs(blob)
                .into_iter()
                .filter(|d| log.erased.contains(d))
                .map(|d| erasure_hash(&d))
                .collect();
            if !erased_held.is_empty() {
                refused.extend(erased_held);
                continue;
            }
            if log.hashes.insert(blob.hash.clone()) {
                log.next_seq += 1;
                let seq = log.next_seq;
                log.changes.push(PulledChange {
                    seq,
                    blob: blob.clone(),
                });
            }
            acknowledged.push(blob.hash.clone());
        }
        Ok(PushResponse {
            api_version: API_VERSION,
            log_id: log.log_id.clone(),
            acknowledged,
            refused,
            // The in-memory hub has no team settings: devices keep the lease they know.
            lease_days: None,
        })
    }

    fn pull(&mut self, query: &PullQuery) -> Result<PullResponse, TransportError> {
        self.check_online()?;
        let log = self.hub.log.lock().unwrap_or_else(PoisonError::into_inner);
        let budget = query
            .max_bytes
            .unwrap_or(DEFAULT_PULL_BYTES)
            .min(MAX_PULL_BYTES);
        // Numbers have gaps once a record is erased: find the first entry after `after`.
        let start = log.changes.partition_point(|c| c.seq <= query.after);
        let (mut page, mut bytes) = (Vec::new(), 0u64);
        for c in &log.changes[start..] {
            if !page.is_empty() && bytes + c.blob.data.len() as u64 > budget {
                break;
            }
            bytes += c.blob.data.len() as u64;
            page.push(c.clone());
        }
        let cursor = page.last().map_or(query.after, |c| c.seq);
        Ok(PullResponse {
            api_version: API_VERSION,
            log_id: log.log_id.clone(),
            more: log.changes.last().is_some_and(|c| c.seq > cursor),
            head: log.changes.last().map_or(0, |c| c.seq),
            changes: page,
            cursor,
        })
    }
}
