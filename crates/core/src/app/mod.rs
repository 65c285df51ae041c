//! The application layer: every user action of the app, one method each.
//!
//! The Tauri shell (and any other front end) holds one [`Device`] and calls exactly one
//! of its methods per IPC command, named after the command and taking its struct. Each
//! method locks the store once and is **one SQLite transaction**: everything one
//! "Enregistrer" changes (the record, the relance it plans, the form draft it clears,
//! the last place it remembers) is committed together or not at all, and the answer
//! (the row to list, the screen to redraw) is read inside that same transaction.
//!
//! ```text
//!  UI ─ ipc::CreateRencontre ─▶ shell: lock-free handler
//!                                  └─▶ Device::create_rencontre      (this module)
//!                                        └─▶ Store::unit: BEGIN IMMEDIATE
//!                                              Store::create_rencontre (savepoint)
//!                                              Store::set_form_draft(None)
//!                                            COMMIT ──▶ Rencontre row
//!  shell: map CoreError → IpcError, wake the sync worker
//! ```
//!
//! The rules of the app live here or below, never in the shell: whose relances are
//! listed, what a new person's search hit looks like, what an enrolment accepts. The
//! commands that need the team server ([`Device::enrol`] and the coordinator's
//! commands) block on the network without holding the store; the shell runs them on a
//! blocking thread.

mod access;
#[cfg(test)]
mod access_tests;
mod conflicts;
#[cfg(test)]
mod consent_tests;
mod coordination;
mod duplicates;
mod events;
mod gate;
#[cfg(test)]
mod gate_tests;
mod history;
mod keys;
mod people;
mod rencontres;
#[cfg(test)]
#[cfg(feature = "http")]
mod retention_tests;
mod team;
#[cfg(test)]
mod tests;

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::sync::RetrySchedule;
use crate::{CoreError, Env, Store};

pub use coordination::{TEAM_INDICATORS_FILE, indicator_set};
pub use gate::{DEFAULT_IDLE_MINUTES, DEFAULT_LEASE_DAYS, Gate, MAX_IDLE_MINUTES};
pub use team::{DEFAULT_DEVICE_NAME, EnrolTarget};

/// The app on one device: its store, with the clock and ids it was opened with.
///
/// Cloning gives another handle to the same store.
#[derive(Clone)]
pub struct Device {
    store: Arc<Mutex<Store>>,
}

impl std::fmt::Debug for Device {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Device").finish_non_exhaustive()
    }
}

impl Device {
    /// Opens (or creates) the store file at `path`.
    pub fn open(path: &Path, env: Env) -> Result<Device, CoreError> {
        Ok(Device::new(Store::open(path, env)?))
    }

    /// The app over an opened store.
    pub fn new(store: Store) -> Device {
        Device {
            store: Arc::new(Mutex::new(store)),
        }
    }

    /// The store, for the background sync (which locks it only between requests) and
    /// the WAL checkpoint. Screens go through the methods.
    pub fn store(&self) -> &Arc<Mutex<Store>> {
        &self.store
    }

    /// When the background sync tries again after a failure, on this device's clock.
    pub fn retry_schedule(&self) -> RetrySchedule {
        RetrySchedule::new(self.lock().env.clock.clone())
    }

    /// Locks the store. A command that panicked cannot have left half a write (its
    /// transaction is rolled back by the next unit), so a poisoned lock is taken over.
    pub(crate) fn lock(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs a user action that writes: one lock, one transaction.
    fn unit<T>(
        &self,
        work: impl FnOnce(&mut Store) -> Result<T, CoreError>,
    ) -> Result<T, CoreError> {
        self.lock().unit(work)
    }

    /// Runs a user action that only reads projections.
    fn read<T>(&self, query: impl FnOnce(&Store) -> Result<T, CoreError>) -> Result<T, CoreError> {
        query(&self.lock())
    }

    /// Runs a user action that reads a document (an edit form, a person's screen):
    /// loading may quarantine a damaged document, which is the only thing it writes.
    fn read_doc<T>(
        &self,
        query: impl FnOnce(&mut Store) -> Result<T, CoreError>,
    ) -> Result<T, CoreError> {
        query(&mut self.lock())
    }
}
