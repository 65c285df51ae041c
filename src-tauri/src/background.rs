//! The background sync worker: one thread that runs a sync when asked, after each local
//! change, and periodically, backing off while it fails (the schedule is the core's
//! `filrouge_core::sync::RetrySchedule`, on the device's clock).
//! When connectivity returns, the sync starts at once: the webview's `online` event
//! makes the UI ask for one (`sync_now`); where no such event comes (a laptop without
//! a network manager), a device without network retries at least every minute, since
//! an attempt with no network costs nothing to anyone.
//!
//! After each round, once a day, a coordinator's device erases the persons past the
//! two-year retention (see `SyncWorker::retention`).
//!
//! Commands never wait on it: they poke it ([`SyncWorker::trigger`]) and return. The
//! worker locks the store only between network requests (see `filrouge_core::sync::run`)
//! and emits the `sync-status` event whenever the status changes, so the status line
//! follows without polling.

use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use filrouge_core::sync::{self, HttpTransport, PERIOD, RetrySchedule};
use filrouge_core::{Clock as _, CoreError, Gate, SystemClock};
use filrouge_model::Day;
use filrouge_model::ipc::{
    LOCK_STATUS_EVENT, LockStatus, SYNC_STATUS_EVENT, SyncFailure, SyncProgress, SyncStage,
    SyncStatus, TeamKeyProblem,
};
use tauri::{Emitter, Manager};

/// Log entries to catch up on before the status shows a progress bar (about two pages).
const PROGRESS_FROM: u64 = 2_000;

type Emit = Box<dyn Fn(&SyncStatus) + Send + Sync>;

/// A handle to the background sync.
#[derive(Clone)]
pub struct SyncWorker {
    inner: Arc<Inner>,
}

struct Inner {
    /// The store's lock: the worker syncs whenever the store is open, behind an idle
    /// lock too, and waits while it is shut.
    gate: Arc<Gate>,
    retry: RetrySchedule,
    version: std::sync::atomic::AtomicU64,
    live: Mutex<Live>,
    wake: Mutex<Sender<()>>,
    emit: Emit,
    /// Tells the UI the lock changed (a revoked device closed its store).
    emit_lock: Box<dyn Fn(&LockStatus) + Send + Sync>,
    /// Clears the webviews' own storage (a revoked device keeps nothing).
    forget_webviews: Box<dyn Fn() + Send + Sync>,
}

#[derive(Default)]
struct Live {
    running: bool,
    progress: Option<SyncProgress>,
    last_failure: Option<SyncFailure>,
    failures: u32,
}

impl SyncWorker {
    /// Starts the worker thread for `app`'s store.
    pub fn start<R: tauri::Runtime>(app: tauri::AppHandle<R>, gate: Arc<Gate>) -> Self {
        let (tx, rx) = mpsc::channel::<()>();
        let windows = app.clone();
        let forget_webviews = Box::new(move || {
            for (label, window) in windows.webview_windows() {
                if let Err(e) = window.clear_all_browsing_data() {
                    tracing::warn!(window = %label, error = %e, "webview storage not cleared");
                }
            }
        });
        let lock_events = app.clone();
        let emit_lock = Box::new(move |status: &LockStatus| {
            if let Err(e) = lock_events.emit(LOCK_STATUS_EVENT, status) {
                tracing::warn!(error = %e, "could not emit the lock status");
            }
        });
        let emit: Emit = Box::new(move |status| {
            if let Err(e) = app.emit(SYNC_STATUS_EVENT, status) {
                tracing::warn!(error = %e, "could not emit the sync status");
            }
        });
        let worker = SyncWorker {
            inner: Arc::new(Inner {
                retry: RetrySchedule::new(Arc::new(SystemClock)),
                gate,
                version: std::sync::atomic::AtomicU64::new(0),
                live: Mutex::new(Live::default()),
                wake: Mutex::new(tx),
                emit,
                emit_lock,
                forget_webviews,
            }),
        };
        let this = worker.clone();
        let spawned = std::thread::Builder::new()
            .name("filrouge-sync".into())
            .spawn(move || {
                // First attempt soon after start: a device coming back online catches up.
                let mut delay = Duration::from_secs(2);
                // The day the retention erasure last ran (once a day is enough).
                let mut retention_day = None;
                // Woken by a poke or by the period; the app quitting ends the loop.
                while !matches!(rx.recv_timeout(delay), Err(RecvTimeoutError::Disconnected)) {
                    while rx.try_recv().is_ok() {} // several pokes make one sync
                    delay = this.run_once();
                    // Off the user's path: keeps the WAL short so edits never pay for it.
                    if let Some(device) = this.inner.gate.opened()
                        && let Err(e) = lock(device.store()).checkpoint()
                    {
                        tracing::warn!(error = %e, "checkpoint failed");
                    }
                    this.retention(&mut retention_day);
                }
            });
        if let Err(e) = spawned {
            tracing::error!(error = %e, "could not start the sync thread");
        }
        worker
    }

    /// Asks for a sync as soon as possible.
    pub fn trigger(&self) {
        let _ = lock(&self.inner.wake).send(());
    }

    /// Tells the worker a local change is waiting: updates the status line and syncs.
    pub fn local_change(&self) {
        self.emit_status();
        self.trigger();
    }

    /// The status as the UI shows it.
    pub fn status(&self) -> Result<SyncStatus, CoreError> {
        // `live` first and held throughout, so a higher version never carries an older
        // reading of the store. (Nothing holds the store while taking `live`.)
        let device = self.inner.gate.opened().ok_or(CoreError::Locked)?;
        let live = lock(&self.inner.live);
        let mut status = device.sync_status()?;
        status.running = live.running;
        status.progress = live.progress.filter(|_| live.running);
        status.last_failure = live.last_failure.clone();
        // Taken under the `live` lock, so versions follow the order statuses were read.
        status.version = 1 + self
            .inner
            .version
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Ok(status)
    }

    /// Tells the worker the device has just enrolled: an earlier failure no longer
    /// says anything, and the first sync starts now.
    pub fn enrolled(&self) {
        lock(&self.inner.live).last_failure = None;
        self.trigger();
    }

    /// Runs one sync if the device is enrolled; returns how long to wait before the next.
    fn run_once(&self) -> Duration {
        let Some(device) = self.inner.gate.opened() else {
            return PERIOD;
        };
        let creds = match lock(device.store()).connection() {
            Ok(Some(creds)) => creds,
            Ok(None) => return PERIOD,
            Err(e) => {
                tracing::warn!(error = %e, "reading credentials failed");
                return PERIOD;
            }
        };
        lock(&self.inner.live).running = true;
        self.emit_status();
        // A bar for a long catch-up only (a page or two is over before anyone reads it),
        // and whenever the device sends its records back to a server that lost them:
        // rare, and the worker should know why the phone is busy.
        let mut on_progress = |p: SyncProgress| {
            if p.total > PROGRESS_FROM || p.stage == SyncStage::Healing {
                lock(&self.inner.live).progress = Some(p);
                self.emit_status();
            }
        };
        let result = HttpTransport::pinned(&creds.url, &creds.token, creds.pin)
            .map_err(CoreError::from)
            .and_then(|mut t| {
                // A store just encrypted from clear gets a new token first.
                sync::rotate_token_if_asked(device.store(), &mut t)?;
                device.sync_with_keys(&mut t, &mut on_progress)
            });
        let delay = {
            let mut live = lock(&self.inner.live);
            live.running = false;
            live.progress = None;
            match result {
                Ok(report) => {
                    tracing::info!(
                        pushed = report.pushed,
                        pulled = report.pulled,
                        healed = report.healed,
                        "sync done"
                    );
                    live.last_failure = None;
                    live.failures = 0;
                    PERIOD
                }
                Err(e) => {
                    tracing::warn!(error = %e, "sync failed");
                    // A lost or stolen phone, revoked by its team: it erases what it holds.
                    let wiped = match device.wipe_if_revoked(&e, &creds.token) {
                        Ok(wiped) => Ok(wiped),
                        Err(wipe) => {
                            tracing::error!(error = %wipe, "erasing a revoked device failed");
                            Err(wipe)
                        }
                    };
                    if wiped.as_ref().is_ok_and(|w| *w) {
                        // Nothing is written again before a new secret seals a new key.
                        self.inner.gate.close();
                        (self.inner.forget_webviews)();
                        match self.inner.gate.lock_status() {
                            Ok(status) => (self.inner.emit_lock)(&status),
                            Err(e) => tracing::warn!(error = %e, "reading the lock failed"),
                        }
                    }
                    live.failures = live.failures.saturating_add(1);
                    let failure = match e {
                        // Never "erased" unless it was: a failed wipe is the store's failure.
                        _ if wiped.is_err() => SyncFailure::Storage,
                        CoreError::Transport(t) => t.failure(),
                        CoreError::TeamKey {
                            problem: TeamKeyProblem::NoKey,
                        } => SyncFailure::NoTeamKey,
                        _ => SyncFailure::Storage,
                    };
                    let delay = self.inner.retry.delay_after(&failure, live.failures);
                    live.last_failure = Some(failure);
                    delay
                }
            }
        };
        self.emit_status();
        delay
    }

    /// Once a day, purges the access log's entries older than twelve months, and, on a
    /// coordinator's device (or one with no server), erases the
    /// persons past the two-year retention (`Device::erase_expired`). An enrolled
    /// device waits for a sync that succeeded, so a contact another device recorded
    /// has arrived first; a failure is tried again at the next round.
    fn retention(&self, last: &mut Option<Day>) {
        let Some(device) = self.inner.gate.opened() else {
            return;
        };
        let today = Day::from_epoch_ms(SystemClock.now_ms());
        if *last == Some(today) {
            return;
        }
        // The purge needs no server: done whether the sync works or not.
        if let Err(e) = device.purge_access_log() {
            tracing::warn!(error = %e, "the access log's purge failed");
        }
        let enrolled = matches!(lock(device.store()).connection(), Ok(Some(_)));
        if enrolled && lock(&self.inner.live).last_failure.is_some() {
            return;
        }
        match device.erase_expired() {
            Ok(erased) => {
                *last = Some(today);
                if erased > 0 {
                    self.emit_status();
                }
            }
            Err(e) => tracing::warn!(error = %e, "the retention erasure failed"),
        }
    }

    fn emit_status(&self) {
        match self.status() {
            Ok(status) => (self.inner.emit)(&status),
            Err(e) => tracing::warn!(error = %e, "reading the sync status failed"),
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}
