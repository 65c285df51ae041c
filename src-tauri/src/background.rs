//! The background sync worker: one thread that runs a sync when asked, after each local
//! change, and periodically, backing off exponentially (with jitter) while it fails.
//! When connectivity returns, the sync starts at once: the webview's `online` event
//! makes the UI ask for one (`sync_now`); where no such event comes (a laptop without
//! a network manager), a device without network retries at least every minute, since
//! an attempt with no network costs nothing to anyone.
//!
//! Commands never wait on it: they poke it ([`SyncWorker::trigger`]) and return. The
//! worker locks the store only between network requests (see `filrouge_core::sync::run`)
//! and emits the `sync-status` event whenever the status changes, so the status line
//! follows without polling.

use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use filrouge_core::sync::{self, HttpTransport, TransportError};
use filrouge_core::{CoreError, Store};
use filrouge_model::ipc::{
    CreateInvite, Enrol, Invite, IpcError, RevokeDevice, SYNC_STATUS_EVENT, SyncFailure,
    SyncProgress, SyncStatus, TeamDevice,
};
use filrouge_model::sync::DeviceList;
use filrouge_model::{Field, Problem, ValidationError};
use tauri::Emitter;

/// How often a healthy device syncs on its own.
const PERIOD: Duration = Duration::from_secs(60);
/// Log entries to catch up on before the status shows a progress bar (about two pages).
const PROGRESS_FROM: u64 = 2_000;
/// The longest wait between attempts while the server cannot be reached.
const MAX_BACKOFF: Duration = Duration::from_secs(15 * 60);

type Emit = Box<dyn Fn(&SyncStatus) + Send + Sync>;

/// A handle to the background sync.
#[derive(Clone)]
pub struct SyncWorker {
    inner: Arc<Inner>,
}

struct Inner {
    store: Arc<Mutex<Store>>,
    version: std::sync::atomic::AtomicU64,
    live: Mutex<Live>,
    wake: Mutex<Sender<()>>,
    emit: Emit,
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
    pub fn start<R: tauri::Runtime>(app: tauri::AppHandle<R>, store: Arc<Mutex<Store>>) -> Self {
        let (tx, rx) = mpsc::channel::<()>();
        let emit: Emit = Box::new(move |status| {
            if let Err(e) = app.emit(SYNC_STATUS_EVENT, status) {
                tracing::warn!(error = %e, "could not emit the sync status");
            }
        });
        let worker = SyncWorker {
            inner: Arc::new(Inner {
                store,
                version: std::sync::atomic::AtomicU64::new(0),
                live: Mutex::new(Live::default()),
                wake: Mutex::new(tx),
                emit,
            }),
        };
        let this = worker.clone();
        let spawned = std::thread::Builder::new()
            .name("filrouge-sync".into())
            .spawn(move || {
                // First attempt soon after start: a device coming back online catches up.
                let mut delay = Duration::from_secs(2);
                // Woken by a poke or by the period; the app quitting ends the loop.
                while !matches!(rx.recv_timeout(delay), Err(RecvTimeoutError::Disconnected)) {
                    while rx.try_recv().is_ok() {} // several pokes make one sync
                    delay = this.run_once();
                    // Off the user's path: keeps the WAL short so edits never pay for it.
                    if let Err(e) = lock(&this.inner.store).checkpoint() {
                        tracing::warn!(error = %e, "checkpoint failed");
                    }
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
        let live = lock(&self.inner.live);
        let mut status = lock(&self.inner.store).sync_status()?;
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

    /// Enrols the device with a coordinator's code, then syncs.
    pub async fn enrol(&self, args: Enrol) -> Result<SyncStatus, IpcError> {
        let url = args.server_url.trim().trim_end_matches('/').to_owned();
        if !(url.starts_with("http://") || url.starts_with("https://")) || url.len() > 200 {
            return Err(ValidationError::new(Field::ServerUrl, Problem::Malformed).into());
        }
        let code = args.code.trim().to_owned();
        if code.is_empty() {
            return Err(ValidationError::new(Field::EnrolmentCode, Problem::Required).into());
        }
        let name = match args.device_name.trim() {
            "" => "Appareil".to_owned(),
            n => n.chars().take(60).collect(),
        };
        let target = url.clone();
        // Blocking HTTP must not run on the async runtime's threads.
        let enrolment =
            tauri::async_runtime::spawn_blocking(move || sync::enrol(&target, &code, &name))
                .await
                .map_err(|_| IpcError::Storage)?
                .map_err(|e| IpcError::Sync(e.failure()))?;
        lock(&self.inner.store)
            .save_enrolment(&url, &enrolment)
            .map_err(IpcError::from)?;
        tracing::info!(device_id = %enrolment.device_id, "device enrolled");
        lock(&self.inner.live).last_failure = None;
        self.trigger();
        self.status().map_err(IpcError::from)
    }

    /// Asks the team server for a code enrolling another device (coordinators' devices
    /// only).
    pub async fn create_invite(&self, args: CreateInvite) -> Result<Invite, IpcError> {
        let role = args.role;
        let (server_url, made) = self
            .ask_server(move |server, url| Ok((url.to_owned(), server.create_code(role)?)))
            .await?;
        tracing::info!(role = %made.role, "enrolment code made");
        Ok(Invite {
            server_url,
            code: made.code,
            role: made.role,
            expires_at: made.expires_at,
        })
    }

    /// The team's devices (coordinators' devices only).
    pub async fn list_devices(&self) -> Result<Vec<TeamDevice>, IpcError> {
        let me = lock(&self.inner.store)
            .device_id()
            .map_err(IpcError::from)?;
        let list = self.ask_server(|server, _| server.devices()).await?;
        Ok(team_devices(list, me.as_deref()))
    }

    /// Revokes a device of the team (coordinators' devices only).
    pub async fn revoke_device(&self, args: RevokeDevice) -> Result<Vec<TeamDevice>, IpcError> {
        let me = lock(&self.inner.store)
            .device_id()
            .map_err(IpcError::from)?;
        let list = self
            .ask_server(move |server, _| server.revoke(&args.id))
            .await?;
        tracing::info!("device revoked by this coordinator's device");
        Ok(team_devices(list, me.as_deref()))
    }

    /// Runs `call` with this device's transport (and the server's address) on a
    /// blocking thread. The commands a coordinator asks of the server are the only
    /// ones that wait on the network: the user asked for something only it can answer.
    async fn ask_server<T: Send + 'static>(
        &self,
        call: impl FnOnce(&HttpTransport, &str) -> Result<T, TransportError> + Send + 'static,
    ) -> Result<T, IpcError> {
        let (url, token) = lock(&self.inner.store)
            .credentials()
            .map_err(IpcError::from)?
            .ok_or(IpcError::NotEnrolled)?;
        tauri::async_runtime::spawn_blocking(move || call(&HttpTransport::new(&url, &token)?, &url))
            .await
            .map_err(|_| IpcError::Storage)?
            .map_err(|e| IpcError::Sync(e.failure()))
    }

    /// Runs one sync if the device is enrolled; returns how long to wait before the next.
    fn run_once(&self) -> Duration {
        let creds = match lock(&self.inner.store).credentials() {
            Ok(Some(creds)) => creds,
            Ok(None) => return PERIOD,
            Err(e) => {
                tracing::warn!(error = %e, "reading credentials failed");
                return PERIOD;
            }
        };
        lock(&self.inner.live).running = true;
        self.emit_status();
        // A bar only for a long catch-up: a page or two is over before anyone reads it.
        let mut on_progress = |p: SyncProgress| {
            if p.total > PROGRESS_FROM {
                lock(&self.inner.live).progress = Some(p);
                self.emit_status();
            }
        };
        let result = HttpTransport::new(&creds.0, &creds.1)
            .map_err(CoreError::from)
            .and_then(|mut t| sync::run_with_progress(&self.inner.store, &mut t, &mut on_progress));
        let delay = {
            let mut live = lock(&self.inner.live);
            live.running = false;
            live.progress = None;
            match result {
                Ok(report) => {
                    tracing::info!(pushed = report.pushed, pulled = report.pulled, "sync done");
                    live.last_failure = None;
                    live.failures = 0;
                    PERIOD
                }
                Err(e) => {
                    tracing::warn!(error = %e, "sync failed");
                    live.failures = live.failures.saturating_add(1);
                    let failure = match e {
                        CoreError::Transport(t) => t.failure(),
                        _ => SyncFailure::Storage,
                    };
                    let delay = retry_delay(&failure, live.failures);
                    live.last_failure = Some(failure);
                    delay
                }
            }
        };
        self.emit_status();
        delay
    }

    fn emit_status(&self) {
        match self.status() {
            Ok(status) => (self.inner.emit)(&status),
            Err(e) => tracing::warn!(error = %e, "reading the sync status failed"),
        }
    }
}

/// How long to wait after `failures` failed syncs in a row, the last one `failure`.
/// Server trouble backs off for long ([`backoff`]) to spare the server; no network at
/// all is retried at least every [`PERIOD`], to catch connectivity coming back.
fn retry_delay(failure: &SyncFailure, failures: u32) -> Duration {
    let delay = backoff(failures);
    match failure {
        SyncFailure::Unreachable => delay.min(PERIOD),
        _ => delay,
    }
}

/// 5 s, 10 s, 20 s… up to [`MAX_BACKOFF`], each shortened by up to a quarter at random
/// so that a team's phones coming back together do not all knock at once.
fn backoff(failures: u32) -> Duration {
    let base = Duration::from_secs(5).saturating_mul(1 << failures.min(12).saturating_sub(1));
    let base = base.min(MAX_BACKOFF);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    base - base.mul_f64(f64::from(nanos % 1000) / 4000.0)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The server's list of the team's devices, as the settings show it.
fn team_devices(list: DeviceList, me: Option<&str>) -> Vec<TeamDevice> {
    list.devices
        .into_iter()
        .map(|d| TeamDevice {
            this_device: me == Some(d.id.as_str()),
            id: d.id,
            name: d.name,
            role: d.role,
            enrolled_at: d.enrolled_at,
            revoked_at: d.revoked_at,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_then_caps_with_jitter() {
        let first = backoff(1);
        assert!(first <= Duration::from_secs(5) && first >= Duration::from_millis(3750));
        assert!(backoff(3) > backoff(1));
        assert!(backoff(40) <= MAX_BACKOFF);
        assert!(backoff(40) >= MAX_BACKOFF.mul_f64(0.75));
    }

    #[test]
    fn no_network_is_retried_within_a_minute_and_server_trouble_backs_off() {
        assert!(retry_delay(&SyncFailure::Unreachable, 40) <= PERIOD);
        assert!(retry_delay(&SyncFailure::Unreachable, 1) <= Duration::from_secs(5));
        let busy = SyncFailure::Rejected {
            status: 503,
            code: String::new(),
        };
        assert!(retry_delay(&busy, 40) >= MAX_BACKOFF.mul_f64(0.75));
    }
}
