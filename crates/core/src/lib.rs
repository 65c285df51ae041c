//! The offline engine of Fil rouge: records as Automerge documents in a local SQLite
//! file, plain projection tables for every query, and a sans-I/O sync engine.
//!
//! How a rencontre flows through this crate:
//! 1. The shell calls [`Device::create_rencontre`] (the [`app`] layer: one method per
//!    IPC command) with a draft from the UI. The device locks the store and runs one
//!    SQLite transaction: the draft is validated (in `filrouge-model`), written into a
//!    new Automerge document, and the document snapshot, its changes in the outbox, its
//!    projection row, the relance it plans, the last place and the forgotten form draft
//!    are stored together.
//! 2. Lists ([`Store::list_rencontres_since`]) read the projection table only; documents are
//!    loaded only to be edited ([`Store::update_rencontre`]), and an edit appends the bytes
//!    after the heads it loaded (`save_after`) instead of rewriting the document.
//! 3. The [`sync::SyncEngine`] drains the outbox into push pages and applies pulled pages,
//!    never touching the network itself; a [`sync::Transport`] (HTTP in production, an
//!    in-memory hub in tests) carries the pages.
//!
//! The clock and the id source are injected ([`Clock`], [`IdSource`]) so tests can
//! set a device's clock years off and still get reproducible ids.

#![forbid(unsafe_code)]

pub mod app;
pub mod e2e;
mod error;
pub mod export;
pub mod import;
mod store;
pub mod sync;
pub mod vault;

pub use app::{Device, Gate};
pub use error::CoreError;
pub use store::access::{AccessLogBreak, AccessLogCheck};
pub use store::kinds::Record;
pub use store::people::TEAM_REFERENT;
pub use store::rebuild::RebuildReport;
pub use store::schema::SCHEMA_VERSION;
pub use store::{DocInfo, Store, StoreOptions};

use std::sync::Arc;

/// The store file's name inside a device's data directory.
pub const STORE_FILE: &str = "filrouge.sqlite";

/// The log filter the binaries use unless `FILROUGE_LOG` says otherwise. Automerge opens
/// an INFO span on every document load and formats its options into it: a fifth of a
/// rebuild's time went there, so its spans are left out.
pub const DEFAULT_LOG_FILTER: &str = "info,automerge=warn,hexane=warn";

/// A source of the current time, in milliseconds since the Unix epoch.
pub trait Clock: Send + Sync {
    /// The time now.
    fn now_ms(&self) -> i64;
}

/// The device's real clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        let since = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        i64::try_from(since.as_millis()).unwrap_or(i64::MAX)
    }
}

/// A source of new record ids.
pub trait IdSource: Send + Sync {
    /// A new, unique id.
    fn new_id(&self) -> uuid::Uuid;
}

/// UUIDv7 ids from the system clock and randomness: they sort by creation time.
#[derive(Debug, Default, Clone, Copy)]
pub struct V7Ids;

impl IdSource for V7Ids {
    fn new_id(&self) -> uuid::Uuid {
        uuid::Uuid::now_v7()
    }
}

/// The clock and id source a store uses.
#[derive(Clone)]
pub struct Env {
    /// The clock.
    pub clock: Arc<dyn Clock>,
    /// The id source.
    pub ids: Arc<dyn IdSource>,
}

impl Default for Env {
    fn default() -> Self {
        Env {
            clock: Arc::new(SystemClock),
            ids: Arc::new(V7Ids),
        }
    }
}

impl std::fmt::Debug for Env {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Env").finish_non_exhaustive()
    }
}
