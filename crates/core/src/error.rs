//! The core's error type, and its translation into the IPC error the UI understands.
//!
//! Variants carry ids and numbers, never the content of a record, so they can be logged.

use filrouge_model::ValidationError;
use filrouge_model::ipc::IpcError;

use crate::sync::TransportError;

/// Everything that can go wrong in the offline engine.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// A value the user entered was rejected; nothing was saved.
    #[error(transparent)]
    Validation(#[from] ValidationError),
    /// No record with this id (or it was erased).
    #[error("record {id} not found")]
    NotFound {
        /// The id asked for.
        id: String,
    },
    /// The record's stored document could not be loaded; it was quarantined.
    #[error("document {id} is damaged: {reason}")]
    Corrupt {
        /// The document id.
        id: String,
        /// What the loader said (no record content).
        reason: String,
    },
    /// The record's stored document is larger than the loader accepts; it was quarantined.
    #[error("document {id} is {bytes} bytes, over the {limit}-byte limit")]
    TooLarge {
        /// The document id.
        id: String,
        /// Its stored size.
        bytes: usize,
        /// The limit.
        limit: usize,
    },
    /// The record's document holds more operations than the loader accepts; it was
    /// quarantined.
    #[error("document {id} holds {ops} operations, over the {limit} limit")]
    TooComplex {
        /// The document id.
        id: String,
        /// Its operation count.
        ops: u64,
        /// The limit.
        limit: u64,
    },
    /// The store file was written by a newer version of the app.
    #[error("store schema version {found} is newer than this app's {supported}")]
    SchemaTooNew {
        /// The file's version.
        found: i64,
        /// The newest version this app knows.
        supported: i64,
    },
    /// A setting the store keeps for itself (in its `meta` table) is damaged.
    #[error("the store's {key} setting is damaged")]
    DamagedSetting {
        /// The setting's key.
        key: &'static str,
    },
    /// A value could not be turned into what is stored (a bug, never the user's input).
    #[error("{what} could not be encoded: {reason}")]
    Unencodable {
        /// What was being encoded.
        what: &'static str,
        /// What the encoder said (no record content).
        reason: String,
    },
    /// SQLite failed.
    #[error("local database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The store's directory could not be created.
    #[error("creating the data directory: {0}")]
    Io(#[from] std::io::Error),
    /// The device is not enrolled in a team.
    #[error("device not enrolled")]
    NotEnrolled,
    /// Talking to the server failed.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The store is locked: the worker's secret opens it.
    #[error("the store is locked")]
    Locked,
    /// The device has not synced for longer than its team's offline lease.
    #[error("no sync for over {days} days")]
    LeaseExpired {
        /// The lease, in days.
        days: u32,
    },
    /// The store cannot be read with the key given (or without one): it is encrypted
    /// with another key, or not a store.
    #[error("the store cannot be read with this key")]
    WrongKey,
    /// A new PIN or passphrase breaks its rules.
    #[error("a {protection:?} needs at least {min_len} characters")]
    WeakSecret {
        /// What the secret is.
        protection: crate::vault::Protection,
        /// The shortest accepted.
        min_len: usize,
    },
    /// The PIN or passphrase is not the one that seals the key.
    #[error("wrong secret; {attempts_left} attempts left")]
    WrongSecret {
        /// Attempts left before the key is destroyed.
        attempts_left: u32,
    },
    /// Too many failed attempts lately: the next one must wait.
    #[error("too many attempts; wait {wait_ms} ms")]
    TooSoon {
        /// How long to wait, in milliseconds.
        wait_ms: i64,
    },
    /// The store's key is sealed with the platform keystore's secret, and no keystore
    /// gave it (the desktop's keyring is missing or locked). No attempt is counted.
    #[error("the platform keystore is unavailable")]
    KeystoreUnavailable,
    /// The key was destroyed after too many failed attempts: the store is unreadable.
    #[error("the store's key was destroyed")]
    KeyDestroyed,
    /// Only a coordinator's device may do this: the team server said this one is a
    /// field worker's.
    #[error("coordinators only")]
    CoordinatorOnly,
    /// A team-key command could not be done (no key here, or not the team's recovery
    /// key).
    #[error("team key: {problem:?}")]
    TeamKey {
        /// Why.
        problem: filrouge_model::ipc::TeamKeyProblem,
    },
    /// A file to import does not read as a spreadsheet.
    #[error("not a spreadsheet: {reason}")]
    Spreadsheet {
        /// The reader's words.
        reason: String,
    },
    /// The team's own indicator definitions cannot be used.
    #[error("the team's indicators ({file}): {source}")]
    Definitions {
        /// The file they were read from.
        file: String,
        /// Why they are refused.
        source: filrouge_model::indicators::DefinitionError,
    },
    /// The store already has a key file; making another would lose the store.
    #[error("the store already has a key")]
    KeyExists,
    /// The key file cannot be read.
    #[error("the key file is damaged")]
    DamagedKeyFile,
    /// The operating system gave no randomness.
    #[error("no randomness available")]
    NoRandomness,
    /// The encrypted copy of a plaintext store differs from it; the plaintext is kept.
    #[error("the encrypted copy differs from the store in {what}")]
    EncryptionCheck {
        /// What differs (a table's name, or the integrity check).
        what: String,
    },
}

impl From<CoreError> for IpcError {
    fn from(e: CoreError) -> Self {
        match e {
            CoreError::Validation(v) => IpcError::Validation(v),
            CoreError::NotFound { id } => IpcError::NotFound { id },
            CoreError::Corrupt { id, .. }
            | CoreError::TooLarge { id, .. }
            | CoreError::TooComplex { id, .. } => IpcError::Corrupt { id },
            CoreError::SchemaTooNew { .. }
            | CoreError::DamagedSetting { .. }
            | CoreError::Unencodable { .. }
            | CoreError::Sqlite(_)
            | CoreError::Io(_)
            | CoreError::WrongKey
            | CoreError::KeyExists
            | CoreError::DamagedKeyFile
            | CoreError::NoRandomness
            | CoreError::EncryptionCheck { .. } => IpcError::Storage,
            CoreError::Locked => IpcError::Locked,
            CoreError::LeaseExpired { days } => IpcError::LeaseExpired { days },
            CoreError::WrongSecret { attempts_left } => IpcError::WrongSecret { attempts_left },
            CoreError::TooSoon { wait_ms } => IpcError::TooSoon { wait_ms },
            CoreError::KeyDestroyed => IpcError::KeyDestroyed,
            CoreError::KeystoreUnavailable => IpcError::KeystoreUnavailable,
            CoreError::CoordinatorOnly => IpcError::CoordinatorOnly,
            CoreError::TeamKey { problem } => IpcError::TeamKey { problem },
            CoreError::Spreadsheet { reason } => IpcError::Spreadsheet { reason },
            CoreError::Definitions { source, .. } => IpcError::Definitions {
                reason: source.to_string(),
            },
            CoreError::WeakSecret {
                protection,
                min_len,
            } => IpcError::WeakSecret {
                secret: protection.kind(),
                min_len: u32::try_from(min_len).unwrap_or(u32::MAX),
            },
            CoreError::NotEnrolled => IpcError::NotEnrolled,
            CoreError::Transport(t) => IpcError::Sync(t.failure()),
        }
    }
}
