//! The IPC commands of the events screens: the list, creating an event, an event with
//! its registrations, registering a participant, checking one in.

use serde::{Deserialize, Serialize};

use super::Command;
use crate::records::{EventDraft, RegistrationDraft};
use crate::views::{EventSummary, EventView};

/// Events, the latest day first.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ListEvents {
    /// How many at most.
    pub limit: u32,
}
impl Command for ListEvents {
    const NAME: &'static str = "list_events";
    type Output = Vec<EventSummary>;
}

/// Creates an event; answers with it as the list shows it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CreateEvent {
    /// What the user filled in.
    pub draft: EventDraft,
}
impl Command for CreateEvent {
    const NAME: &'static str = "create_event";
    type Output = EventSummary;
}

/// An event and its registrations.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GetEvent {
    /// The event's id.
    pub id: crate::RecordId,
}
impl Command for GetEvent {
    const NAME: &'static str = "get_event";
    type Output = EventView;
}

/// Registers a participant at an event; answers with the event as it now stands.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Register {
    /// What the participant gave.
    pub draft: RegistrationDraft,
}
impl Command for Register {
    const NAME: &'static str = "register";
    type Output = EventView;
}

/// Marks a registered participant arrived, or not (a tap by mistake); answers with the
/// event as it now stands.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CheckIn {
    /// The registration's id.
    pub id: crate::RecordId,
    /// The event's id, for the answer.
    pub event_id: crate::RecordId,
    /// Arrived or not.
    pub arrived: bool,
}
impl Command for CheckIn {
    const NAME: &'static str = "check_in";
    type Output = EventView;
}
