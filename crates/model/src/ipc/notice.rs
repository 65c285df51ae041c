//! The IPC commands of the team's information notice: read by every device (a consent's
//! receipt shows it), written by a coordinator's.

use serde::{Deserialize, Serialize};

use super::Command;
use crate::NoticeDraft;

/// The team's notice in force, if a coordinator wrote one.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct GetNotice {}
impl Command for GetNotice {
    const NAME: &'static str = "get_notice";
    type Output = Option<NoticeDraft>;
}

/// Writes the team's notice (coordinators' devices only); answers it as kept, with the
/// version the consents recorded from now on carry.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SetNotice {
    /// The notice (its version is the store's to write).
    pub draft: NoticeDraft,
}
impl Command for SetNotice {
    const NAME: &'static str = "set_notice";
    type Output = NoticeDraft;
}
