//! The access log as the app uses it: a coordinator reads, on a person's thread, who
//! viewed or changed the file ([`GetAccessLog`]); the background worker purges the
//! entries older than twelve months once a day ([`Device::purge_access_log`]). The
//! entries themselves are appended by each action's own method, in its transaction.

use filrouge_model::access::{ACCESS_LOG_MONTHS, AccessEntry};
use filrouge_model::ipc::GetAccessLog;

use super::Device;
use super::coordination::coordinator_today;
use crate::CoreError;

impl Device {
    /// Who viewed or changed a person's file, newest first (coordinators only).
    pub fn get_access_log(&self, cmd: GetAccessLog) -> Result<Vec<AccessEntry>, CoreError> {
        self.read(|s| {
            coordinator_today(s)?;
            s.access_entries(cmd.person.as_str())
        })
    }

    /// Deletes the entries older than twelve months, leaving a `purge` entry that keeps
    /// the chain verifiable, in one transaction; returns how many went.
    pub fn purge_access_log(&self) -> Result<u64, CoreError> {
        self.unit(|s| {
            let now = s.env.clock.now_ms();
            let days = i64::from(ACCESS_LOG_MONTHS) * 365 / 12;
            s.purge_access_log(now - days * 86_400_000)
        })
    }
}
