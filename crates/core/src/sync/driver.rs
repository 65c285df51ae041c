//! The driver: runs one sync through a [`Transport`], holding the store's lock only
//! while the engine reads or writes it, never during a network wait.
//!
//! Pushes go one page at a time (each answer changes the outbox the next page is read
//! from). The pull is a three-stage pipeline: this thread asks for page n + 2 (its
//! cursor is in page n + 1's answer) while a preparer thread decodes page n + 1's
//! records and an applier thread writes page n into the store. Decoding is the largest
//! share of a catch-up's processor time (`filrouge bench sync` shows it), so it runs while the
//! next page is asked for, compressed by the server and carried, instead of after. Pages
//! are applied strictly in order, each in its own transaction with its cursor, exactly
//! as without the pipeline: a sync cut anywhere resumes from the last applied page. At
//! most four pages are in memory: one arriving, one waiting to be decoded, one decoded
//! and waiting, one being written.
//!
//! A page from another log than the one the device follows stops the pipeline: the
//! engine then heals the server or asks again from its cursor in that log, and the run
//! goes on with the engine's next step.
//!
//! The page budget grows while pages come back quickly and full ([`PageBudget`]):
//! larger pages compress better and cost fewer round trips, but a page must stay well
//! inside the request timeout on a slow network.

use std::sync::mpsc::sync_channel;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use filrouge_model::ipc::SyncProgress;
use filrouge_model::sync::{API_VERSION, MAX_PULL_BYTES, PullQuery, PullResponse};

use super::{PreparedPull, Step, SyncEngine, SyncReport, Transport, TransportError};
use crate::{CoreError, Store};

/// Runs one whole sync through `transport`, locking the store only between requests so
/// the UI's commands are never kept waiting on the network.
pub fn run(store: &Mutex<Store>, transport: &mut dyn Transport) -> Result<SyncReport, CoreError> {
    run_with_progress(store, transport, &mut |_| {})
}

/// [`run`], telling `progress` after each applied page how far the pull has got (from
/// the applier thread).
pub fn run_with_progress(
    store: &Mutex<Store>,
    transport: &mut dyn Transport,
    progress: &mut (dyn FnMut(SyncProgress) + Send),
) -> Result<SyncReport, CoreError> {
    let mut engine = SyncEngine::new();
    loop {
        let step = engine.next(&lock(store))?;
        match step {
            Step::Push(req) => {
                let resp = transport.push(&req)?;
                if let Some(days) = resp.lease_days {
                    // The team's offline lease, as its coordinators last set it.
                    lock(store).set_meta(LEASE_DAYS, &days.to_string())?;
                }
                engine.on_push(&mut lock(store), &req, resp)?;
                // Only a heal's pushes have a progress to tell.
                if let Some(p) = engine.progress() {
                    progress(p);
                }
            }
            Step::Pull(query) => pull_pipelined(store, transport, &mut engine, query, progress)?,
            Step::Done(report) => {
                let guard = lock(store);
                let now = guard.env.clock.now_ms();
                guard.set_meta("last_success_at", &now.to_string())?;
                return Ok(report);
            }
        }
    }
}

use super::LEASE_DAYS;

fn lock(store: &Mutex<Store>) -> MutexGuard<'_, Store> {
    store
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Pulls until the server says there is no more, decoding each page on a second thread
/// and applying it on a third while the next one travels. On a network failure the
/// pages already received are still applied before the error is returned; an apply
/// failure stops the requests.
fn pull_pipelined(
    store: &Mutex<Store>,
    transport: &mut dyn Transport,
    engine: &mut SyncEngine,
    first: PullQuery,
    progress: &mut (dyn FnMut(SyncProgress) + Send),
) -> Result<(), CoreError> {
    let (answers, to_prepare) = sync_channel::<(PullQuery, PullResponse)>(1);
    let (pages, received) = sync_channel::<(PullQuery, PreparedPull)>(1);
    let (max_ops, opener) = {
        let store = lock(store);
        (store.options().max_doc_ops, store.opener()?)
    };
    std::thread::scope(|scope| {
        let applier = scope.spawn(move || -> Result<(), CoreError> {
            for (query, page) in received {
                if !engine.on_pull_prepared(&mut lock(store), &query, page)? {
                    // Another log: the pages asked after this one are not applied, and
                    // dropping the channel stops the requests.
                    break;
                }
                if let Some(p) = engine.progress() {
                    progress(p);
                }
            }
            Ok(())
        });
        let preparer = scope.spawn(move || {
            for (query, resp) in to_prepare {
                let page = PreparedPull::new(resp, max_ops, &opener);
                if pages.send((query, page)).is_err() {
                    return; // The applier stopped on an error, which it returns.
                }
            }
        });
        let mut budget = PageBudget::new();
        let mut query = first;
        let fetched = loop {
            let started = Instant::now();
            let resp = match transport.pull(&query) {
                Ok(resp) => resp,
                Err(e) => break Err(CoreError::from(e)),
            };
            let (more, cursor) = (resp.more, resp.cursor);
            budget.record(started.elapsed(), more);
            if answers.send((query.clone(), resp)).is_err() {
                break Ok(()); // The applier stopped on an error, which it returns.
            }
            if !more {
                break Ok(());
            }
            if cursor <= query.after {
                // The applier refuses this page too; asking again would loop forever.
                break Err(TransportError::Protocol {
                    detail: "pull cursor did not advance".into(),
                }
                .into());
            }
            query = PullQuery {
                api_version: API_VERSION,
                after: cursor,
                max_bytes: Some(budget.bytes()),
            };
        };
        drop(answers);
        // Neither is expected to panic; a panic is re-raised so that it is not mistaken
        // for a network error.
        if let Err(panic) = preparer.join() {
            std::panic::resume_unwind(panic);
        }
        let applied = applier
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        applied.and(fetched)
    })
}

/// The byte budget of the next pull page: it starts at [`PageBudget::FIRST`], doubles
/// (up to the API's [`MAX_PULL_BYTES`]) after a full page that came back within
/// [`PageBudget::QUICK`], and halves (down to [`PageBudget::FIRST`]) after one that
/// took longer than [`PageBudget::SLOW`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageBudget(u64);

impl PageBudget {
    /// The first page's budget: about 150 KB on the wire, 12 s on a poor 2G link.
    pub const FIRST: u64 = 1024 * 1024;
    /// A page that took less than this may be followed by a larger one.
    pub const QUICK: Duration = Duration::from_secs(2);
    /// A page that took more than this is followed by a smaller one.
    pub const SLOW: Duration = Duration::from_secs(10);

    /// The budget of a sync's first page.
    pub fn new() -> Self {
        PageBudget(Self::FIRST)
    }

    /// The budget in bytes.
    pub fn bytes(self) -> u64 {
        self.0
    }

    /// Takes how long the last page took and whether it was full (more followed).
    pub fn record(&mut self, took: Duration, full: bool) {
        if took > Self::SLOW {
            self.0 = (self.0 / 2).max(Self::FIRST);
        } else if full && took < Self::QUICK {
            self.0 = (self.0 * 2).min(MAX_PULL_BYTES);
        }
    }
}

impl Default for PageBudget {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_grows_on_quick_full_pages_and_shrinks_on_slow_ones() {
        let mut b = PageBudget::new();
        b.record(Duration::from_millis(300), false);
        assert_eq!(b.bytes(), PageBudget::FIRST, "a last page says nothing");
        for _ in 0..10 {
            b.record(Duration::from_millis(300), true);
        }
        assert_eq!(b.bytes(), MAX_PULL_BYTES, "capped by the API");
        b.record(Duration::from_secs(5), true);
        assert_eq!(b.bytes(), MAX_PULL_BYTES, "between quick and slow: kept");
        b.record(Duration::from_secs(11), true);
        assert_eq!(b.bytes(), MAX_PULL_BYTES / 2);
        for _ in 0..10 {
            b.record(Duration::from_secs(30), true);
        }
        assert_eq!(b.bytes(), PageBudget::FIRST, "never below the first");
    }
}
