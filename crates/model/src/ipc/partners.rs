//! The IPC commands of the partners' directory and of orientations.

use serde::{Deserialize, Serialize};

use super::Command;
use crate::records::{OrientationDraft, PartnerDraft};
use crate::views::{PartnerRow, PersonView};

/// The directory, by name.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ListPartners {
    /// How many at most.
    pub limit: u32,
}
impl Command for ListPartners {
    const NAME: &'static str = "list_partners";
    type Output = Vec<PartnerRow>;
}

/// Adds a partner to the directory; answers with it as listed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CreatePartner {
    /// What the user filled in.
    pub draft: PartnerDraft,
}
impl Command for CreatePartner {
    const NAME: &'static str = "create_partner";
    type Output = PartnerRow;
}

/// Orients a person to a partner (their consent is required); answers with the
/// person's screen, whose timeline now shows it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Orient {
    /// What the user filled in.
    pub draft: OrientationDraft,
}
impl Command for Orient {
    const NAME: &'static str = "orient";
    type Output = PersonView;
}
