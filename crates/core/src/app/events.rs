//! Events and the partners' directory: the event list, registering and checking in
//! participants, the partners a person is oriented to.

use filrouge_model::ipc::{
    CheckIn, CreateEvent, CreatePartner, GetEvent, ListEvents, ListPartners, Orient, Register,
};
use filrouge_model::views::{EventSummary, EventView, PartnerRow, PersonView};

use super::Device;
use crate::CoreError;

impl Device {
    /// Events, the latest first.
    pub fn list_events(&self, cmd: ListEvents) -> Result<Vec<EventSummary>, CoreError> {
        self.read(|s| s.list_events(cmd.limit))
    }

    /// Creates an event; answers it as the list shows it.
    pub fn create_event(&self, cmd: CreateEvent) -> Result<EventSummary, CoreError> {
        self.unit(|s| {
            let id = s.create_event(cmd.draft)?;
            Ok(s.event_view(&id)?.event)
        })
    }

    /// An event with its registrations.
    pub fn get_event(&self, cmd: GetEvent) -> Result<EventView, CoreError> {
        self.read(|s| s.event_view(cmd.id.as_str()))
    }

    /// Registers a participant; answers the event as it now is.
    pub fn register(&self, cmd: Register) -> Result<EventView, CoreError> {
        self.unit(|s| {
            let event = cmd.draft.event_id.clone();
            s.register(cmd.draft)?;
            s.event_view(&event)
        })
    }

    /// Checks a participant in (or out, after a wrong tap); answers the event.
    pub fn check_in(&self, cmd: CheckIn) -> Result<EventView, CoreError> {
        self.unit(|s| {
            s.check_in(cmd.id.as_str(), cmd.arrived)?;
            s.event_view(cmd.event_id.as_str())
        })
    }

    /// The team's partners, by name.
    pub fn list_partners(&self, cmd: ListPartners) -> Result<Vec<PartnerRow>, CoreError> {
        self.read(|s| s.list_partners(cmd.limit))
    }

    /// Adds a partner to the team's directory.
    pub fn create_partner(&self, cmd: CreatePartner) -> Result<PartnerRow, CoreError> {
        self.unit(|s| s.create_partner(cmd.draft))
    }

    /// Orients a person to a partner; answers the person's screen.
    pub fn orient(&self, cmd: Orient) -> Result<PersonView, CoreError> {
        self.unit(|s| {
            let person = cmd.draft.person_id.clone();
            s.orient(cmd.draft)?;
            s.log_access(
                filrouge_model::access::AccessAction::Modifie,
                Some(person.as_str()),
                &[filrouge_model::access::FieldGroup::Parcours],
            )?;
            s.person_view(&person)
        })
    }
}
