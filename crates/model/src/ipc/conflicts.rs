//! The IPC commands of the conflicts queue (coordinators' devices): list the open
//! conflicts, settle one. Both work on the device's own store, offline.

use serde::{Deserialize, Serialize};

use super::Command;
use crate::RecordId;
use crate::conflicts::ConflictList;

/// The open conflicts, oldest first.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ListConflicts {
    /// At most this many.
    pub limit: u32,
}
impl Command for ListConflicts {
    const NAME: &'static str = "list_conflicts";
    type Output = ConflictList;
}

/// Settles a conflict: `value` (one of the values, or one typed) becomes the field's
/// value by an ordinary edit made after both. Checked as the record's own form checks it.
#[derive(Clone, Serialize, Deserialize)]
pub struct SettleConflict {
    /// The record.
    pub record: RecordId,
    /// The field's dot-separated path, as the list gave it.
    pub field: String,
    /// The value kept.
    pub value: serde_json::Value,
}
impl Command for SettleConflict {
    const NAME: &'static str = "settle_conflict";
    /// The conflicts still open, as [`ListConflicts`] with its default limit gives them.
    type Output = ConflictList;
}

// The value may be personal: Debug names the record and field only.
impl std::fmt::Debug for SettleConflict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SettleConflict")
            .field("record", &self.record)
            .field("field", &self.field)
            .finish_non_exhaustive()
    }
}

/// How many conflicts [`SettleConflict`] answers with.
pub const CONFLICTS_SHOWN: u32 = 100;
