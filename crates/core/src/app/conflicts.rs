//! The conflicts queue and the data-quality checks in the application layer
//! (coordinators' devices only): the open conflicts of the team's records, settling
//! one, the rules over the records with what each finds, and the erasure register.

use filrouge_model::conflicts::ConflictList;
use filrouge_model::ipc::{CONFLICTS_SHOWN, ListConflicts, SettleConflict};

use super::Device;
use super::coordination::coordinator_today;
use crate::CoreError;

impl Device {
    /// The open conflicts, oldest records first.
    pub fn list_conflicts(&self, cmd: ListConflicts) -> Result<ConflictList, CoreError> {
        self.read(|s| {
            coordinator_today(s)?;
            s.list_conflicts(cmd.limit)
        })
    }

    /// Keeps one value of a conflict (or one typed); the conflicts still open.
    pub fn settle_conflict(&self, cmd: SettleConflict) -> Result<ConflictList, CoreError> {
        self.unit(|s| {
            coordinator_today(s)?;
            s.settle_conflict(cmd.record.as_str(), &cmd.field, cmd.value)?;
            s.list_conflicts(CONFLICTS_SHOWN)
        })
    }
}

impl Device {
    /// The data-quality checks for today (coordinators' devices only).
    pub fn get_data_quality(
        &self,
        cmd: filrouge_model::ipc::GetDataQuality,
    ) -> Result<filrouge_model::quality::DataQuality, CoreError> {
        let filrouge_model::ipc::GetDataQuality {} = cmd;
        self.read(|s| {
            let today = coordinator_today(s)?;
            s.data_quality(today)
        })
    }
}

impl Device {
    /// This device's erasure register (coordinators' devices only).
    pub fn list_erasures(
        &self,
        cmd: filrouge_model::ipc::ListErasures,
    ) -> Result<Vec<filrouge_model::erasure::ErasureEntry>, CoreError> {
        let filrouge_model::ipc::ListErasures {} = cmd;
        self.read(|s| {
            coordinator_today(s)?;
            s.erasure_register()
        })
    }
}
