//! The one IPC contract between the UI (wasm) and the Tauri shell.
//!
//! Each command is a struct implementing [`Command`], which ties its Tauri command name
//! to its result type. The UI sends the struct as the single argument `args`; the shell
//! answers with `Result<C::Output, IpcError>`. [`IpcError`] is serde-tagged so the UI can
//! tell a validation error from a storage or network failure and say so in French.

use serde::{Deserialize, Serialize, de::DeserializeOwned};

use crate::error::ValidationError;
use crate::rencontre::{Rencontre, RencontreDraft};
use crate::views::RencontreFormDraft;

mod conflicts;
mod coordination;
mod duplicates;
mod events;
mod keys;
mod lock;
mod notice;
mod partners;
mod people;

pub use conflicts::{CONFLICTS_SHOWN, ListConflicts, SettleConflict};
pub use coordination::{
    DryRunImport, Export, ExportFormat, ExportFunderTable, Exported, GetDashboard, GetDataQuality,
    GetFunderTable, Import, ListFigure, PreviewImport,
};
pub use duplicates::{
    DismissDuplicate, FindSimilarPersons, ListDuplicates, MergePersons, UndoMerge,
};
pub use events::{CheckIn, CreateEvent, GetEvent, ListEvents, Register};
pub use keys::{CreateRecoveryKey, RecoverTeamKeys, RecoveryKey, SealTeamHistory, TeamKeyProblem};
pub use lock::{
    ChangeSecret, ChooseSecret, GetLockStatus, LOCK_STATUS_EVENT, Lock, LockState, LockStatus,
    SecretKind, SetIdleLock, Unlock,
};
pub use notice::{GetNotice, SetNotice};
pub use partners::{CreatePartner, ListPartners, Orient};

pub use people::{
    ChangeStage, CreatePerson, ErasePerson, GetAccessLog, GetPerson, GetProfile, HoldRetention,
    ListErasures, ListRelances, MyCaseload, PlanRelance, SearchPersons, SetProfile,
    SetRelanceStatus, UpdatePerson,
};

/// A command the UI can send to the shell.
pub trait Command: Serialize + DeserializeOwned {
    /// The Tauri command name (the handler function's name in `src-tauri`).
    const NAME: &'static str;
    /// What the command returns on success.
    type Output: Serialize + DeserializeOwned;
}

/// Records a new rencontre on this device.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CreateRencontre {
    /// What the user filled in.
    pub draft: RencontreDraft,
}
impl Command for CreateRencontre {
    const NAME: &'static str = "create_rencontre";
    type Output = Rencontre;
}

/// Changes an existing rencontre; only the fields that differ are written, so that
/// concurrent edits of other fields on other devices survive.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UpdateRencontre {
    /// The record to change.
    pub id: crate::RecordId,
    /// Its new content.
    pub draft: RencontreDraft,
}
impl Command for UpdateRencontre {
    const NAME: &'static str = "update_rencontre";
    type Output = Rencontre;
}

/// Changes a rencontre's place and note (the list's inline edit); every other field
/// stays as stored.
#[derive(Clone, Serialize, Deserialize)]
pub struct EditRencontre {
    /// The record to change.
    pub id: crate::RecordId,
    /// Its new place.
    pub place: String,
    /// Its new note.
    pub note: String,
}
impl Command for EditRencontre {
    const NAME: &'static str = "edit_rencontre";
    type Output = Rencontre;
}

// Debug leaves out the texts, which may say something of the people met.
impl std::fmt::Debug for EditRencontre {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EditRencontre")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// Lists the rencontres that happened since `since` (the start of the local day),
/// newest first.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ListRencontres {
    /// Lower bound, milliseconds since the epoch.
    pub since: i64,
}
impl Command for ListRencontres {
    const NAME: &'static str = "list_rencontres";
    type Output = Vec<Rencontre>;
}

/// The rencontre being typed when the app last stopped, to put back into the form.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GetFormDraft {}
impl Command for GetFormDraft {
    const NAME: &'static str = "get_form_draft";
    type Output = Option<RencontreFormDraft>;
}

/// Keeps the rencontre being typed (the UI sends it a moment after each change), or
/// forgets it (`None`: the form is back to empty). Saving the rencontre forgets it too.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SaveFormDraft {
    /// The form as it stands, or `None`.
    pub draft: Option<RencontreFormDraft>,
}
impl Command for SaveFormDraft {
    const NAME: &'static str = "save_form_draft";
    type Output = ();
}

/// The place of the last rencontre recorded on this device, to prefill the form.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LastPlace {}
impl Command for LastPlace {
    const NAME: &'static str = "last_place";
    type Output = Option<String>;
}

/// The sync status, for the status line.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GetSyncStatus {}
impl Command for GetSyncStatus {
    const NAME: &'static str = "get_sync_status";
    type Output = SyncStatus;
}

/// Enrols this device in a team with a coordinator's code.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Enrol {
    /// The team server's address, e.g. `http://192.168.1.20:8787`.
    pub server_url: String,
    /// The enrolment code.
    pub code: String,
    /// A name for this device, shown to the coordinator.
    pub device_name: String,
    /// The SHA-256 (hex) of the server's certificate, from the invitation link: the
    /// device accepts only that certificate from then on. None for a server with a
    /// public CA's certificate (or plain `http` on this machine).
    #[serde(default)]
    pub server_pin: Option<String>,
    /// The one-time secret (hex) of the invitation link that opens the team's keys.
    #[serde(default)]
    pub team_secret: Option<String>,
}
impl Command for Enrol {
    const NAME: &'static str = "enrol";
    type Output = SyncStatus;
}

/// Makes a single-use code enrolling another device into this device's team, with
/// `role`. Needs the network, and a coordinator's device: the server refuses others.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CreateInvite {
    /// The role the new device will get.
    pub role: crate::sync::Role,
}
impl Command for CreateInvite {
    const NAME: &'static str = "create_invite";
    type Output = Invite;
}

/// A code made by [`CreateInvite`], and what a new device needs with it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invite {
    /// The team server's address, as this device uses it.
    pub server_url: String,
    /// The server certificate's SHA-256 this device pins, for the link.
    #[serde(default)]
    pub server_pin: Option<String>,
    /// The single-use code, e.g. `K7PF-3MQX-W9`.
    pub code: String,
    /// The role it gives.
    pub role: crate::sync::Role,
    /// When it stops working, in ms since the Unix epoch.
    pub expires_at: i64,
    /// The one-time secret (hex) opening the team's keys, for the link only: never
    /// shown as text of its own, never sent to the server.
    #[serde(default)]
    pub team_secret: Option<String>,
}

impl std::fmt::Debug for Invite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Invite")
            .field("role", &self.role)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// The team's devices, read from the server (a coordinator's device only).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ListDevices {}
impl Command for ListDevices {
    const NAME: &'static str = "list_devices";
    type Output = Vec<TeamDevice>;
}

/// Cuts a device of the team off (a lost phone): the server refuses its token from
/// then on. Answers the team's devices after it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RevokeDevice {
    /// The device's id.
    pub id: String,
}
impl Command for RevokeDevice {
    const NAME: &'static str = "revoke_device";
    type Output = Vec<TeamDevice>;
}

/// Sets the team's offline lease (coordinators' devices only): a device that has not
/// synced for this many days (1 to 365) stays shut until it has. Answers the lease now
/// in force.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SetLease {
    /// The days.
    pub days: u32,
}
impl Command for SetLease {
    const NAME: &'static str = "set_lease";
    type Output = u32;
}

/// A device of the team, as the settings list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamDevice {
    /// Its id on the server.
    pub id: String,
    /// The name given at enrolment.
    pub name: String,
    /// What it may do.
    pub role: crate::sync::Role,
    /// When it was enrolled, in ms since the Unix epoch.
    pub enrolled_at: i64,
    /// When it was revoked, if it was.
    pub revoked_at: Option<i64>,
    /// When it last reached the server, to the hour.
    #[serde(default)]
    pub last_seen_at: Option<i64>,
    /// Whether it is the device showing the list (which cannot revoke itself).
    pub this_device: bool,
}

/// Asks the background sync to run now; returns at once with the current status.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SyncNow {}
impl Command for SyncNow {
    const NAME: &'static str = "sync_now";
    type Output = SyncStatus;
}

/// The name of the event the shell emits whenever the sync status changes; its payload
/// is a [`SyncStatus`].
pub const SYNC_STATUS_EVENT: &str = "sync-status";

/// What the status line shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncStatus {
    /// The team server this device is enrolled with, if any.
    pub server_url: Option<String>,
    /// Local changes not yet acknowledged by the server.
    pub pending_changes: u64,
    /// When the last sync succeeded, milliseconds since the epoch.
    pub last_success_at: Option<i64>,
    /// Whether a sync is running now.
    pub running: bool,
    /// Why the last attempt failed, if it did.
    pub last_failure: Option<SyncFailure>,
    /// How far a running pull has got, when the log has more than a page to catch up.
    #[serde(default)]
    pub progress: Option<SyncProgress>,
    /// What this device may do in its team, once enrolled with a server that says it.
    #[serde(default)]
    pub role: Option<crate::sync::Role>,
    /// When this device erased what it held because its team revoked it (a lost or
    /// stolen phone), in ms since the Unix epoch.
    #[serde(default)]
    pub wiped_at: Option<i64>,
    /// Whether this device holds its team's keys: its team seals its log end to end.
    #[serde(default)]
    pub sealed: bool,
    /// Grows with every status the shell computes. Command answers and events travel on
    /// different channels and can arrive out of order: the UI keeps the highest version.
    #[serde(default)]
    pub version: u64,
}

/// A running sync's progress: team-log entries received since the pull started, or,
/// while the device heals a restored server, records sent back to it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncProgress {
    /// Entries received and applied (records sent back, when healing).
    pub done: u64,
    /// Entries the log held after this device's cursor when the sync began (it may
    /// grow); records this device holds, when healing.
    pub total: u64,
    /// Which of the two the numbers count.
    #[serde(default)]
    pub stage: SyncStage,
}

/// What a long sync is busy with, for the progress bar's words.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SyncStage {
    /// Receiving the team's log.
    #[default]
    Receiving,
    /// Sending everything this device holds back to a team server that was restored
    /// from a backup or replaced (its log is new to this device).
    Healing,
}

/// Why a sync attempt failed, in terms the UI can explain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum SyncFailure {
    /// The server could not be reached (no network, wrong address, server down).
    Unreachable,
    /// The server refused this device's token: revoked, or never enrolled.
    Unauthorized,
    /// The server and the app speak different sync API versions.
    VersionMismatch {
        /// The server's version.
        server: u32,
        /// This app's version.
        app: u32,
    },
    /// The server refused a request.
    Rejected {
        /// HTTP status.
        status: u16,
        /// The server's stable error code; `None` when the answer carried none this app
        /// knows (a proxy's error page, a newer server's new code).
        code: Option<crate::sync::ErrorCode>,
    },
    /// The server answered something this app could not understand.
    Protocol,
    /// A coordinator revoked this device: it has erased what it held.
    Revoked,
    /// The server's certificate is not the one this device was given (a server that
    /// changed its key, or someone in between): nothing was sent.
    Untrusted,
    /// The address is not safe: `http://` to another machine than this one (nothing was
    /// sent), or a redirect, which is never followed.
    Insecure,
    /// The team seals its log end to end and this device holds no key for it (its
    /// team's history was sealed after it joined): a coordinator invites it again.
    /// What it records stays on it meanwhile.
    NoTeamKey,
    /// This device's own store failed.
    Storage,
}

/// An error returned by any command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum IpcError {
    /// A value the user entered was rejected; nothing was saved.
    #[error("invalid input: {0}")]
    Validation(ValidationError),
    /// The record does not exist (or was erased).
    #[error("record {id} not found")]
    NotFound {
        /// The record id asked for.
        id: String,
    },
    /// The record's stored document is damaged and was set aside.
    #[error("record {id} is damaged")]
    Corrupt {
        /// The damaged record's id.
        id: String,
    },
    /// The device's local store failed (disk full, file locked…).
    #[error("local storage failed")]
    Storage,
    /// The command stopped before it answered (its thread ended: the app is closing,
    /// or a bug); what it was doing may or may not have been saved.
    #[error("the command was interrupted")]
    Interrupted,
    /// The command needs the device to be enrolled in a team first.
    #[error("device not enrolled")]
    NotEnrolled,
    /// Talking to the team server failed.
    #[error("sync failed: {0:?}")]
    Sync(SyncFailure),
    /// The store is locked: the lock screen's secret opens it.
    #[error("locked")]
    Locked,
    /// The secret is not the one that seals the store's key.
    #[error("wrong secret, {attempts_left} attempts left")]
    WrongSecret {
        /// Attempts left before the key is destroyed.
        attempts_left: u32,
    },
    /// Too many wrong secrets lately: the next attempt must wait.
    #[error("wait {wait_ms} ms")]
    TooSoon {
        /// How long, in milliseconds.
        wait_ms: i64,
    },
    /// The device has not synced for longer than its team's offline lease: it stays
    /// shut until a sync succeeds.
    #[error("no sync for over {days} days")]
    LeaseExpired {
        /// The lease, in days.
        days: u32,
    },
    /// The store's key is sealed with the device's keystore, which does not answer (the
    /// desktop's keyring is missing or locked); no attempt was counted.
    #[error("the platform keystore is unavailable")]
    KeystoreUnavailable,
    /// The store's key was destroyed after too many wrong secrets.
    #[error("the store's key was destroyed")]
    KeyDestroyed,
    /// Only a coordinator's device may do this (the team server said this one is a
    /// field worker's).
    #[error("coordinators only")]
    CoordinatorOnly,
    /// A file to import does not read as a CSV or XLSX spreadsheet.
    #[error("not a spreadsheet: {reason}")]
    Spreadsheet {
        /// The reader's words.
        reason: String,
    },
    /// The team's own indicator definitions (`indicateurs.json` in the data directory)
    /// cannot be used; the reason names the place in the file.
    #[error("the team's indicators: {reason}")]
    Definitions {
        /// Why, in the parser's words.
        reason: String,
    },
    /// A new secret is too short or not of the right kind.
    #[error("the secret needs at least {min_len} characters")]
    WeakSecret {
        /// What it must be.
        secret: SecretKind,
        /// The shortest accepted.
        min_len: u32,
    },
    /// A team-key command could not be done.
    #[error("team key: {problem:?}")]
    TeamKey {
        /// Why.
        problem: TeamKeyProblem,
    },
}

impl From<ValidationError> for IpcError {
    fn from(e: ValidationError) -> Self {
        IpcError::Validation(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{Field, Problem};

    #[test]
    fn errors_are_tagged_for_the_ui() {
        let e = IpcError::Validation(ValidationError::new(
            Field::Note,
            Problem::TooLong { max: 3 },
        ));
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["kind"], "validation");
        assert_eq!(json["field"], "note");
        assert_eq!(json["problem"]["rule"], "too_long");
        assert_eq!(serde_json::from_value::<IpcError>(json).unwrap(), e);

        let s = IpcError::Sync(SyncFailure::Rejected {
            status: 413,
            code: Some(crate::sync::ErrorCode::TooLarge),
        });
        let json = serde_json::to_value(&s).unwrap();
        assert_eq!(json["kind"], "sync");
        assert_eq!(json["code"], "too_large");
        assert_eq!(serde_json::from_value::<IpcError>(json).unwrap(), s);
    }
}
