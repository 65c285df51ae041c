//! The IPC commands of the lock: choosing the secret that seals the store's key,
//! unlocking, locking when the worker leaves the phone, changing the secret.
//!
//! The shell answers them before the store is open (they are what opens it); every other
//! command answers [`IpcError::Locked`](super::IpcError::Locked) until one of them has.
//! The secrets never appear in `Debug`.

use serde::{Deserialize, Serialize};

use super::Command;

/// What kind of secret seals the store's key on this device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SecretKind {
    /// A PIN of digits, with the platform's keystore.
    Pin,
    /// A passphrase, where there is no keystore.
    Passphrase,
}

/// Where the lock stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LockState {
    /// No secret chosen yet: the store is not created (or is in clear from an earlier
    /// version, and is encrypted when the secret is chosen).
    Setup,
    /// The store is locked: the secret opens it.
    Locked,
    /// The store is open.
    Open,
    /// The store is open but the device has not synced for longer than its team's
    /// offline lease: nothing shows until a sync succeeds.
    LeaseExpired,
    /// The key was destroyed after too many wrong secrets: what the store held is lost;
    /// choosing a new secret starts an empty store (then a coordinator re-enrols it).
    Destroyed,
}

/// The lock screen's facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockStatus {
    /// Where the lock stands.
    pub state: LockState,
    /// What the secret is.
    pub kind: SecretKind,
    /// The shortest secret accepted, in characters.
    pub min_len: u32,
    /// Wrong secrets in a row so far.
    pub failed: u32,
    /// Attempts left before the key is destroyed.
    pub attempts_left: u32,
    /// How long before the next attempt is taken, in milliseconds (0: now).
    pub wait_ms: i64,
    /// Minutes without a touch after which the screen locks.
    pub idle_minutes: u32,
    /// The team's offline lease: days without a sync after which the device locks.
    pub lease_days: u32,
    /// When this device erased everything it held because its team revoked it, if it
    /// did and no secret was chosen since (the setup screen says so).
    pub wiped_at: Option<i64>,
}

/// The name of the event the shell emits when the lock changes without the UI asking
/// (a revoked device that erased itself); its payload is a [`LockStatus`].
pub const LOCK_STATUS_EVENT: &str = "lock-status";

/// Where the lock stands.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GetLockStatus {}
impl Command for GetLockStatus {
    const NAME: &'static str = "get_lock_status";
    type Output = LockStatus;
}

/// Chooses the secret of a device that has none yet: makes the store's key, seals it,
/// and opens (or encrypts) the store.
#[derive(Clone, Serialize, Deserialize)]
pub struct ChooseSecret {
    /// The PIN or passphrase.
    pub secret: String,
}
impl Command for ChooseSecret {
    const NAME: &'static str = "choose_secret";
    type Output = LockStatus;
}

/// Opens the lock with the secret.
#[derive(Clone, Serialize, Deserialize)]
pub struct Unlock {
    /// The PIN or passphrase.
    pub secret: String,
}
impl Command for Unlock {
    const NAME: &'static str = "unlock";
    type Output = LockStatus;
}

/// Locks the screen now (idle, or the worker's own tap); the store stays open for the
/// background sync.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Lock {}
impl Command for Lock {
    const NAME: &'static str = "lock";
    type Output = LockStatus;
}

/// Changes the secret: the store's key is sealed again, the store is not rewritten.
#[derive(Clone, Serialize, Deserialize)]
pub struct ChangeSecret {
    /// The secret now.
    pub old: String,
    /// The new one.
    pub new: String,
}
impl Command for ChangeSecret {
    const NAME: &'static str = "change_secret";
    type Output = LockStatus;
}

/// Sets the minutes without a touch after which the screen locks (1 to 60).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SetIdleLock {
    /// The minutes.
    pub minutes: u32,
}
impl Command for SetIdleLock {
    const NAME: &'static str = "set_idle_lock";
    type Output = LockStatus;
}

macro_rules! secret_debug {
    ($($ty:ident),+) => {$(
        impl std::fmt::Debug for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($ty)).finish_non_exhaustive()
            }
        }
    )+};
}
secret_debug!(ChooseSecret, Unlock, ChangeSecret);
