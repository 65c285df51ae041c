//! The coordinator's queue of conflicting edits: a field set to two values at once on
//! two devices that had not yet seen each other's edit, shown with both values, the
//! names of the workers and devices that wrote them and when, for a coordinator to
//! settle.
//!
//! Settling is an ordinary edit made after both values ([`crate::ipc::SettleConflict`]):
//! it shows on every device and later edits apply as usual; an edit made at the same
//! time as the settling, on a device that had not seen it, opens the conflict again.

use serde::{Deserialize, Serialize};

use crate::RecordId;
use crate::records::RecordKind;

/// The open conflicts, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ConflictList {
    /// The conflicts listed (at most the limit asked).
    pub conflicts: Vec<Conflict>,
    /// How many are open in all.
    pub total: u32,
}

/// One field with concurrent values.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    /// The record.
    pub record: RecordId,
    /// Its kind.
    pub kind: RecordKind,
    /// What the record is about, as the lists name it: a person's name, a rencontre's
    /// place and day.
    pub about: String,
    /// The person whose thread shows the record, if any.
    pub person: Option<RecordId>,
    /// The field, as its dot-separated path ("pseudonym", "territory.commune").
    pub field: String,
    /// The concurrent values; the one shown today first.
    pub values: Vec<ConflictValue>,
}

/// One of the values.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct ConflictValue {
    /// The value, as the record stores it (a text, a number, a code).
    pub value: serde_json::Value,
    /// The name of the device that wrote it, from the team's device list; `None` when
    /// the device was not enrolled yet or is not in the list this device last read.
    pub device: Option<String>,
    /// The name of the worker using that device then, as set in its settings.
    #[serde(default)]
    pub worker: Option<String>,
    /// Whether this device wrote it.
    pub this_device: bool,
    /// When, by the writing device's clock, in milliseconds since the epoch.
    pub at: i64,
}

// Values are what the record says about a person: Debug names the record and field.
impl std::fmt::Debug for Conflict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Conflict")
            .field("record", &self.record)
            .field("kind", &self.kind)
            .field("field", &self.field)
            .field("values", &self.values.len())
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for ConflictValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConflictValue")
            .field("this_device", &self.this_device)
            .field("at", &self.at)
            .finish_non_exhaustive()
    }
}
