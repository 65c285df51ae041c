//! Group commit, shared by the backends: pushes waiting for the writer are stored
//! together and committed once.
//!
//! Every acknowledged push must be durable, so each commit waits for the disk, and the
//! writer connection is busy for that whole wait: with many devices pushing at once,
//! one commit per push makes the disk, not the cores, set how many pushes the server
//! takes. So a push waiting for the writer leaves its page in the [`AppendQueue`]:
//! whoever holds the writer next takes every page waiting, stores them in one
//! transaction (the backend's `commit`, a savepoint per page) and commits once; the
//! pushes taken along find their outcome ready when they get the writer in turn, after
//! the commit, and return it without touching the database.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use filrouge_model::sync::ChangeBlob;

use super::AppendOutcome;
use crate::error::ServerError;

/// Pages of changes waiting for the writer.
#[derive(Debug, Default)]
pub(crate) struct AppendQueue {
    waiting: Mutex<Vec<Arc<Job>>>,
}

/// One push's page and, once committed, what became of it.
#[derive(Debug)]
pub(crate) struct Job {
    /// The team whose log the page goes to.
    pub team_id: String,
    /// The device that pushed it.
    pub device_id: String,
    /// Its changes, in the device's order.
    pub changes: Vec<ChangeBlob>,
    /// When it arrived.
    pub now_ms: i64,
    outcome: Mutex<Option<Result<AppendOutcome, ServerError>>>,
}

impl Job {
    /// A page as a push queues it, its outcome still to come.
    pub(crate) fn new(team_id: &str, device_id: &str, changes: &[ChangeBlob], now_ms: i64) -> Job {
        Job {
            team_id: team_id.to_owned(),
            device_id: device_id.to_owned(),
            changes: changes.to_vec(),
            now_ms,
            outcome: Mutex::new(None),
        }
    }

    fn outcome(&self) -> MutexGuard<'_, Option<Result<AppendOutcome, ServerError>>> {
        self.outcome.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl AppendQueue {
    fn waiting(&self) -> MutexGuard<'_, Vec<Arc<Job>>> {
        self.waiting.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// [`crate::storage::Storage::append_changes`] of one page: queued, then stored by
    /// whoever holds the writer next. `writer` waits for the writer connection (its
    /// lock is held until the commit); `commit` stores a group, one outcome per page in
    /// order.
    pub(crate) fn append<W>(
        &self,
        page: (&str, &str, &[ChangeBlob], i64),
        writer: impl FnOnce() -> Result<W, ServerError>,
        commit: impl FnOnce(&mut W, &[Arc<Job>]) -> Vec<Result<AppendOutcome, ServerError>>,
    ) -> Result<AppendOutcome, ServerError> {
        let (team_id, device_id, changes, now_ms) = page;
        let job = Arc::new(Job::new(team_id, device_id, changes, now_ms));
        self.waiting().push(Arc::clone(&job));
        let mut writer = match writer() {
            Ok(writer) => writer,
            Err(e) => {
                // Not stored, and not to be stored later by another push's group.
                self.waiting().retain(|j| !Arc::ptr_eq(j, &job));
                return Err(e);
            }
        };
        // The writer held the lock until its commit: a page it took is stored now.
        if let Some(outcome) = job.outcome().take() {
            return outcome;
        }
        let mut group = std::mem::take(&mut *self.waiting());
        // A writer that panicked took this page and never stored it: store it now.
        if !group.iter().any(|j| Arc::ptr_eq(j, &job)) {
            group.push(Arc::clone(&job));
        }
        let outcomes = commit(&mut writer, &group);
        for (other, outcome) in group.iter().zip(outcomes) {
            *other.outcome() = Some(outcome);
        }
        drop(writer);
        job.outcome().take().unwrap_or(Err(ServerError::Corrupt {
            what: "an append's outcome",
        }))
    }
}
