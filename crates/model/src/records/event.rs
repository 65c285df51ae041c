//! The événement: a sports tournament, a job dating, a forum, a workshop.
//!
//! An event is planned ahead (up to two years) or entered afterwards; its registrations
//! are [`RegistrationDraft`](super::RegistrationDraft)s pointing to it. Its partners are
//! ids of the team's directory, each listed once, at most [`EVENT_PARTNERS_MAX`].

use serde::{Deserialize, Serialize};

use crate::check;
use crate::day::Day;
use crate::error::{Field, ValidationError};
use crate::vocab::EventKind;

/// Longest event name, in characters.
pub const EVENT_NAME_MAX: usize = 120;
/// Longest event place, in characters.
pub const EVENT_PLACE_MAX: usize = 120;
/// Most partners of one event.
pub const EVENT_PARTNERS_MAX: usize = 20;

/// What a user fills in to create an event, or to change one.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventDraft {
    /// Its name ("Tournoi de foot du city stade"). Required.
    pub name: String,
    /// Its kind. Stored as `event_kind`: a record's root `kind` is its record kind,
    /// which the store writes itself.
    #[serde(rename = "event_kind")]
    pub kind: EventKind,
    /// The day it takes place.
    pub date: Day,
    /// Where.
    #[serde(default)]
    pub place: String,
    /// The partners taking part, by id.
    #[serde(default)]
    pub partners: Vec<crate::RecordId>,
}

// An event names no one, but its texts stay out of logs all the same: logs carry ids.
impl std::fmt::Debug for EventDraft {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventDraft")
            .field("kind", &self.kind)
            .field("date", &self.date)
            .field("partners", &self.partners)
            .finish_non_exhaustive()
    }
}

impl EventDraft {
    /// Trims the texts, normalises and deduplicates the partner ids, and checks every rule.
    pub fn validate(mut self, now_ms: i64) -> Result<EventDraft, ValidationError> {
        self.name = check::required(Field::Name, self.name, EVENT_NAME_MAX)?;
        check::planned(Field::Date, self.date, now_ms)?;
        self.place = check::text(Field::Place, self.place, EVENT_PLACE_MAX)?;
        // Bound the raw list first, so a hostile list is not parsed in full.
        check::at_most(Field::Partners, self.partners.len(), EVENT_PARTNERS_MAX)?;
        let mut partners: Vec<crate::RecordId> = Vec::with_capacity(self.partners.len());
        for id in self.partners {
            if !partners.contains(&id) {
                partners.push(id);
            }
        }
        self.partners = partners;
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Problem;
    use crate::records::testing::{ID, ID2, NOW, day, fails, hides, id, refuses_id, round_trips};

    fn draft() -> EventDraft {
        EventDraft {
            name: " Tournoi du city stade ".into(),
            kind: EventKind::TournoiSportif,
            date: day("2027-06-12"),
            place: " City stade Picasso ".into(),
            partners: vec![id(ID), id(&format!(" {} ", ID.to_uppercase())), id(ID2)],
        }
    }

    #[test]
    fn a_valid_draft_passes_and_is_normalised() {
        let e = draft().validate(NOW).unwrap();
        assert_eq!(e.name, "Tournoi du city stade");
        assert_eq!(e.place, "City stade Picasso");
        assert_eq!(
            e.partners,
            [ID, ID2],
            "trimmed, lowercased, deduplicated, in order"
        );
        let past = EventDraft {
            date: day("2025-05-01"),
            ..draft()
        };
        assert!(past.validate(NOW).is_ok());
    }

    #[test]
    fn each_rule_names_its_field() {
        let d = EventDraft {
            name: " ".into(),
            ..draft()
        };
        fails(d.validate(NOW), Field::Name, Problem::Required);
        let d = EventDraft {
            name: "é".repeat(EVENT_NAME_MAX + 1),
            ..draft()
        };
        fails(
            d.validate(NOW),
            Field::Name,
            Problem::TooLong {
                max: EVENT_NAME_MAX,
            },
        );
        let d = EventDraft {
            date: day("2029-01-01"),
            ..draft()
        };
        fails(d.validate(NOW), Field::Date, Problem::InFuture);
        let d = EventDraft {
            place: "é".repeat(EVENT_PLACE_MAX + 1),
            ..draft()
        };
        fails(
            d.validate(NOW),
            Field::Place,
            Problem::TooLong {
                max: EVENT_PLACE_MAX,
            },
        );
        refuses_id(&draft(), "partners", serde_json::json!(["club de foot"]));
        let d = EventDraft {
            partners: vec![id(ID); EVENT_PARTNERS_MAX + 1],
            ..draft()
        };
        let max = EVENT_PARTNERS_MAX;
        fails(d.validate(NOW), Field::Partners, Problem::TooMany { max });
    }

    #[test]
    fn debug_hides_texts_and_serde_round_trips() {
        hides(&format!("{:?}", draft()), &["stade"]);
        let d = draft().validate(NOW).unwrap();
        round_trips(&d);
        let json = serde_json::to_value(&d).unwrap();
        assert_eq!(json["event_kind"], "tournoi_sportif");
        assert_eq!(json["date"], "2027-06-12");
    }
}
