//! The lock between the worker and the store: nothing opens the store but the secret.
//!
//! A [`Gate`] is what the shell holds from the start, before the store is open. It
//! answers the lock screen's commands and hands out the [`Device`] only while open:
//!
//! ```text
//!   (no key file) ── choose_secret ──▶ Open ◀── unlock ── Locked (restart: key not in memory)
//!                                       │  ▲
//!                                  lock │  │ unlock (the secret checked again, counted)
//!                                       ▼  │
//!                                     Idle (screen locked; the store stays open for the sync)
//! ```
//!
//! Choosing the secret makes the store's data key and seals it ([`crate::vault`]); a
//! store an earlier version wrote in clear is encrypted then. After a restart the key is
//! not in memory: the secret unseals it and the store opens. An idle lock keeps the
//! store open (the background sync goes on) but every screen command answers
//! [`CoreError::Locked`] until the secret is given again, with the same count of wrong
//! attempts. Ten wrong secrets destroy the key: the lock then says so, and choosing a
//! new secret starts an empty store.
//!
//! The **offline lease**: an enrolled device whose last successful sync is older than
//! its team's lease (30 days unless the coordinators chose otherwise; the server says
//! so at enrolment and at every push) stays shut even with the right secret: the store
//! is open for the background sync only, and once a sync succeeds the lock asks for the
//! secret again (a phone taken from the lease screen and put online does not open by
//! itself).

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use filrouge_model::ipc::{
    ChangeSecret, ChooseSecret, LockState, LockStatus, SaveFormDraft, SetIdleLock, Unlock,
};
use zeroize::Zeroizing;

use super::Device;
use crate::vault::{MAX_ATTEMPTS, Protection, Vault, migrate};
use crate::{CoreError, Env, Store};

/// Minutes without a touch before the screen locks, unless the worker chose otherwise.
pub const DEFAULT_IDLE_MINUTES: u32 = 5;
/// The offline lease until the team's server says otherwise: days without a sync
/// after which the device stays shut until it syncs.
pub const DEFAULT_LEASE_DAYS: u32 = 30;
/// The longest idle time the worker may choose.
pub const MAX_IDLE_MINUTES: u32 = 60;

/// The store's lock; see the module's documentation.
pub struct Gate {
    path: PathBuf,
    env: Env,
    protection: Protection,
    /// The platform keystore's secret, with which a PIN is enough.
    platform: Option<Zeroizing<Vec<u8>>>,
    state: Mutex<Opened>,
}

impl std::fmt::Debug for Gate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gate").finish_non_exhaustive()
    }
}

enum Opened {
    Closed,
    Open(Device),
    Idle(Device),
}

impl Gate {
    /// The lock of the store at `path`. With the platform keystore's secret, the
    /// worker's secret is a PIN; without one, a passphrase.
    pub fn new(path: &Path, env: Env, platform: Option<Vec<u8>>) -> Gate {
        Gate {
            path: path.to_path_buf(),
            env,
            protection: if platform.is_some() {
                Protection::Pin
            } else {
                Protection::Passphrase
            },
            platform: platform.map(Zeroizing::new),
            state: Mutex::new(Opened::Closed),
        }
    }

    fn state(&self) -> MutexGuard<'_, Opened> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn platform(&self) -> Option<&[u8]> {
        self.platform.as_deref().map(Vec::as_slice)
    }

    /// Where the lock stands, for the lock screen.
    pub fn lock_status(&self) -> Result<LockStatus, CoreError> {
        let mut state = self.state();
        self.enforce_lease(&mut state)?;
        self.status_of(&state)
    }

    /// Locks an open store whose lease has run out: once a sync renews it, the secret
    /// is asked again, so a phone taken from the lease screen and put online does not
    /// open by itself. Returns the lease's days when it has run out.
    fn enforce_lease(&self, state: &mut Opened) -> Result<Option<u32>, CoreError> {
        let lease = match &*state {
            Opened::Open(device) | Opened::Idle(device) => lease(device, self.env.clock.now_ms())?,
            Opened::Closed => return Ok(None),
        };
        if !lease.expired {
            return Ok(None);
        }
        let opened = std::mem::replace(state, Opened::Closed);
        *state = match opened {
            Opened::Open(device) | Opened::Idle(device) => Opened::Idle(device),
            Opened::Closed => Opened::Closed,
        };
        Ok(Some(lease.days))
    }

    fn status_of(&self, state: &Opened) -> Result<LockStatus, CoreError> {
        let now = self.env.clock.now_ms();
        let vault = Vault::read(&self.path)?;
        let attempts = vault.as_ref().map(|v| v.attempts(now));
        let lease = match state {
            Opened::Open(device) | Opened::Idle(device) => lease(device, now)?,
            Opened::Closed => Lease::default(),
        };
        let (lock_state, idle_minutes) = match state {
            Opened::Open(device) | Opened::Idle(device) if lease.expired => {
                (LockState::LeaseExpired, idle_minutes(device)?)
            }
            Opened::Open(device) => (LockState::Open, idle_minutes(device)?),
            Opened::Idle(device) => (LockState::Locked, idle_minutes(device)?),
            Opened::Closed if vault.is_some() => (LockState::Locked, DEFAULT_IDLE_MINUTES),
            // No key file beside an encrypted store: its key was destroyed.
            Opened::Closed if has_bytes(&self.path) && !migrate::is_plaintext(&self.path)? => {
                (LockState::Destroyed, DEFAULT_IDLE_MINUTES)
            }
            Opened::Closed => (LockState::Setup, DEFAULT_IDLE_MINUTES),
        };
        let wiped_at = match lock_state {
            LockState::Setup => wiped_at_in_clear(&self.path),
            _ => None,
        };
        let protection = vault.as_ref().map_or(self.protection, Vault::protection);
        Ok(LockStatus {
            state: lock_state,
            kind: protection.kind(),
            min_len: u32::try_from(protection.min_len()).unwrap_or(u32::MAX),
            failed: attempts.map_or(0, |a| a.failed),
            attempts_left: attempts.map_or(MAX_ATTEMPTS, |a| a.left),
            wait_ms: attempts.map_or(0, |a| a.wait_ms),
            idle_minutes,
            lease_days: lease.days,
            wiped_at,
        })
    }

    /// Chooses the secret of a device that has none: makes and seals the store's key,
    /// then opens the store (encrypting one written in clear by an earlier version).
    /// After a destroyed key, the unreadable store is deleted first.
    pub fn choose_secret(&self, args: ChooseSecret) -> Result<LockStatus, CoreError> {
        let ChooseSecret { secret } = args;
        let secret = Zeroizing::new(secret);
        let mut state = self.state();
        if !matches!(*state, Opened::Closed) || Vault::read(&self.path)?.is_some() {
            return Err(CoreError::KeyExists);
        }
        self.protection.check(&secret)?;
        if has_bytes(&self.path) && !migrate::is_plaintext(&self.path)? {
            crate::store::wipe::delete_files(&self.path)?;
        }
        let (_vault, key) = Vault::create(&self.path, self.protection, &secret, self.platform())?;
        let store = Store::open_encrypted(&self.path, &key, self.env.clone())?;
        *state = Opened::Open(Device::new(store));
        self.status_of(&state)
    }

    /// Opens the lock with the secret: unseals the key and opens the store after a
    /// restart, or checks the secret again after an idle lock.
    pub fn unlock(&self, args: Unlock) -> Result<LockStatus, CoreError> {
        let Unlock { secret } = args;
        let secret = Zeroizing::new(secret);
        let mut state = self.state();
        if let Some(days) = self.enforce_lease(&mut state)?
            && !matches!(*state, Opened::Closed)
        {
            // A sync first, then the secret: no attempt is made or counted before.
            return Err(CoreError::LeaseExpired { days });
        }
        if matches!(*state, Opened::Open(_)) {
            return self.status_of(&state);
        }
        let Some(mut vault) = Vault::read(&self.path)? else {
            // Behind an idle lock the store was open: it closes for good.
            *state = Opened::Closed;
            return Err(CoreError::KeyDestroyed);
        };
        self.check_keystore(&vault)?;
        let key = match vault.unlock(&secret, self.platform(), self.env.clock.now_ms()) {
            Ok(key) => key,
            Err(e) => {
                if matches!(e, CoreError::KeyDestroyed) {
                    *state = Opened::Closed;
                }
                return Err(e);
            }
        };
        let opened = std::mem::replace(&mut *state, Opened::Closed);
        *state = match opened {
            Opened::Idle(device) | Opened::Open(device) => Opened::Open(device),
            Opened::Closed => Opened::Open(Device::new(Store::open_encrypted(
                &self.path,
                &key,
                self.env.clone(),
            )?)),
        };
        // After a restart the lease is known only once the store is open.
        self.enforce_lease(&mut state)?;
        self.status_of(&state)
    }

    /// A PIN needs the keystore's secret it was sealed with: without one, every attempt
    /// would be wrong and counted, so none is made.
    fn check_keystore(&self, vault: &Vault) -> Result<(), CoreError> {
        if vault.protection() == Protection::Pin && self.platform.is_none() {
            return Err(CoreError::KeystoreUnavailable);
        }
        Ok(())
    }

    /// Locks the screen; the store stays open for the background sync.
    pub fn lock(&self) -> Result<LockStatus, CoreError> {
        let mut state = self.state();
        let opened = std::mem::replace(&mut *state, Opened::Closed);
        *state = match opened {
            Opened::Open(device) | Opened::Idle(device) => Opened::Idle(device),
            Opened::Closed => Opened::Closed,
        };
        self.status_of(&state)
    }

    /// Changes the secret (the old one is checked and counted like any attempt); the
    /// key is sealed again, the store is not rewritten.
    pub fn change_secret(&self, args: ChangeSecret) -> Result<LockStatus, CoreError> {
        let ChangeSecret { old, new } = args;
        let (old, new) = (Zeroizing::new(old), Zeroizing::new(new));
        let mut state = self.state();
        if !matches!(*state, Opened::Open(_)) {
            return Err(CoreError::Locked);
        }
        let changed = match Vault::read(&self.path)? {
            Some(mut vault) => {
                self.check_keystore(&vault)?;
                vault.change_secret(&old, &new, self.platform(), self.env.clock.now_ms())
            }
            None => Err(CoreError::KeyDestroyed),
        };
        if let Err(e) = changed {
            if matches!(e, CoreError::KeyDestroyed) {
                // The store's key is gone: it closes for good.
                *state = Opened::Closed;
            }
            return Err(e);
        }
        self.status_of(&state)
    }

    /// Sets the minutes without a touch before the screen locks (kept within 1 to
    /// [`MAX_IDLE_MINUTES`]).
    pub fn set_idle_lock(&self, args: SetIdleLock) -> Result<LockStatus, CoreError> {
        let state = self.state();
        let Opened::Open(device) = &*state else {
            return Err(CoreError::Locked);
        };
        let minutes = args.minutes.clamp(1, MAX_IDLE_MINUTES);
        device
            .lock()
            .set_meta("idle_minutes", &minutes.to_string())?;
        self.status_of(&state)
    }

    /// Keeps the rencontre form being typed, behind an idle lock too: the change the
    /// worker made just before the screen locked is kept with the rest, so a restart
    /// brings it back whole. Refused only when the store is shut.
    pub fn save_form_draft(&self, args: SaveFormDraft) -> Result<(), CoreError> {
        self.opened()
            .ok_or(CoreError::Locked)?
            .save_form_draft(args)
    }

    /// The app, while the lock is open; [`CoreError::Locked`] otherwise, and
    /// [`CoreError::LeaseExpired`] while the device has gone longer than its team's
    /// offline lease without a sync.
    pub fn device(&self) -> Result<Device, CoreError> {
        let mut state = self.state();
        if let Some(days) = self.enforce_lease(&mut state)? {
            return Err(CoreError::LeaseExpired { days });
        }
        match &*state {
            Opened::Open(device) => Ok(device.clone()),
            Opened::Idle(_) | Opened::Closed => Err(CoreError::Locked),
        }
    }

    /// The app whenever its store is open, locked screen or not: for the background
    /// sync, which goes on behind an idle lock.
    pub fn opened(&self) -> Option<Device> {
        match &*self.state() {
            Opened::Open(device) | Opened::Idle(device) => Some(device.clone()),
            Opened::Closed => None,
        }
    }

    /// Closes the store: after a revoked device erased itself, nothing is written again
    /// before a new secret seals a new key.
    pub fn close(&self) {
        *self.state() = Opened::Closed;
    }
}

/// The team's offline lease as this device knows it, and whether it has run out.
struct Lease {
    days: u32,
    expired: bool,
}

impl Default for Lease {
    fn default() -> Self {
        Lease {
            days: DEFAULT_LEASE_DAYS,
            expired: false,
        }
    }
}

/// The lease of `device` at `now_ms`: run out when the device is enrolled and its last
/// contact with the server (a successful sync, or the enrolment) is older than the
/// team's lease.
fn lease(device: &Device, now_ms: i64) -> Result<Lease, CoreError> {
    let store = device.lock();
    let days = store.lease_days()?;
    let last_sync: Option<i64> = store.meta("last_success_at")?.and_then(|t| t.parse().ok());
    // The enrolment reached the server too: a device enrolled and never synced since
    // counts from then.
    let enrolled_at: Option<i64> = store.meta("enrolled_at")?.and_then(|t| t.parse().ok());
    let last = last_sync.max(enrolled_at);
    let enrolled = store.meta("token")?.is_some();
    let expired =
        enrolled && last.is_some_and(|at| now_ms.saturating_sub(at) > i64::from(days) * DAY_MS);
    Ok(Lease { days, expired })
}

/// A day, in milliseconds.
const DAY_MS: i64 = 86_400_000;

/// The idle minutes the worker chose, or the default.
fn idle_minutes(device: &Device) -> Result<u32, CoreError> {
    Ok(device
        .lock()
        .meta("idle_minutes")?
        .and_then(|m| m.parse().ok())
        .unwrap_or(DEFAULT_IDLE_MINUTES))
}

/// Whether a file exists at `path` with something in it.
fn has_bytes(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.len() > 0)
}

/// When the store in clear at `path` was wiped, if it is one a revoked device left (it
/// holds nothing else). Any failure to read it means no.
fn wiped_at_in_clear(path: &Path) -> Option<i64> {
    let conn =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .ok()?;
    let value: String = conn
        .query_row("SELECT value FROM meta WHERE key = 'wiped_at'", [], |r| {
            r.get(0)
        })
        .ok()?;
    value.parse().ok()
}
