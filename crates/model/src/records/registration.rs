//! The inscription: a participant registered at an event, often on a phone with no
//! network, later matched to a known person.
//!
//! Registration must take seconds, so little is asked: a first name or pseudonym, an age
//! band, whether the participant is a minor (parental authorisation, headcounts by age),
//! and a contact means only if the participant agreed to be contacted. Check-in is the
//! moment they arrived; the head count is the number of checked-in registrations.

use serde::{Deserialize, Serialize};

use crate::check;
use crate::error::{Field, Problem, ValidationError};
use crate::rencontre::PSEUDONYM_MAX;
use crate::vocab::AgeBand;

/// Longest contact means given at a registration, in characters.
pub const INSCRIPTION_CONTACT_MAX: usize = 80;

/// What a user fills in to register a participant, or to change a registration.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationDraft {
    /// The event.
    pub event_id: crate::RecordId,
    /// The first name or pseudonym the participant gave. Required.
    pub first_name_or_pseudonym: String,
    /// Rough age.
    #[serde(default)]
    pub age_band: Option<AgeBand>,
    /// Under 18.
    #[serde(default)]
    pub minor: bool,
    /// A phone or handle, as one text; needs `consent_given`.
    #[serde(default)]
    pub contact: Option<String>,
    /// Whether the participant agreed to be contacted.
    #[serde(default)]
    pub consent_given: bool,
    /// When the participant arrived, in milliseconds since the epoch.
    #[serde(default)]
    pub checked_in_at: Option<i64>,
    /// The known person this registration was matched to.
    #[serde(default, deserialize_with = "crate::id::blank_as_none")]
    pub person_id: Option<crate::RecordId>,
}

impl std::fmt::Debug for RegistrationDraft {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegistrationDraft")
            .field("event_id", &self.event_id)
            .field("minor", &self.minor)
            .field("has_contact", &self.contact.is_some())
            .field("consent_given", &self.consent_given)
            .field("checked_in_at", &self.checked_in_at)
            .field("person_id", &self.person_id)
            .finish_non_exhaustive()
    }
}

impl RegistrationDraft {
    /// Trims the texts, drops empty ones, and checks every rule.
    pub fn validate(mut self, now_ms: i64) -> Result<RegistrationDraft, ValidationError> {
        self.first_name_or_pseudonym = check::required(
            Field::FirstNameOrPseudonym,
            self.first_name_or_pseudonym,
            PSEUDONYM_MAX,
        )?;
        if let Some(band) = self.age_band
            && band.is_minor() != self.minor
        {
            return Err(ValidationError::new(
                Field::AgeBand,
                Problem::Conflict { with: Field::Minor },
            ));
        }
        self.contact = check::optional(Field::Contact, self.contact, INSCRIPTION_CONTACT_MAX)?;
        if self.contact.is_some() && !self.consent_given {
            return Err(ValidationError::new(
                Field::Contact,
                Problem::ConsentRequired,
            ));
        }
        if let Some(at) = self.checked_in_at {
            check::happened_at(Field::CheckedInAt, at, now_ms)?;
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::testing::{ID, ID2, NOW, fails, hides, id, refuses_id, round_trips};

    fn draft() -> RegistrationDraft {
        RegistrationDraft {
            event_id: id(ID),
            first_name_or_pseudonym: " Samira ".into(),
            age_band: Some(AgeBand::From16To17),
            minor: true,
            contact: Some(" @samira_93 ".into()),
            consent_given: true,
            checked_in_at: Some(NOW - 60_000),
            person_id: None,
        }
    }

    #[test]
    fn a_valid_draft_passes_and_is_normalised() {
        let i = draft().validate(NOW).unwrap();
        assert_eq!(i.first_name_or_pseudonym, "Samira");
        assert_eq!(i.contact.as_deref(), Some("@samira_93"));
        assert_eq!(i.person_id, None);
        let bare = RegistrationDraft {
            age_band: None,
            minor: false,
            contact: Some("".into()),
            consent_given: false,
            checked_in_at: None,
            person_id: Some(id(ID2)),
            ..draft()
        };
        let i = bare.validate(NOW).unwrap();
        assert_eq!(i.contact, None, "an empty contact needs no consent");
    }

    #[test]
    fn each_rule_names_its_field() {
        refuses_id(&draft(), "event_id", serde_json::json!("tournoi"));
        let d = RegistrationDraft {
            first_name_or_pseudonym: "  ".into(),
            ..draft()
        };
        fails(
            d.validate(NOW),
            Field::FirstNameOrPseudonym,
            Problem::Required,
        );
        let d = RegistrationDraft {
            first_name_or_pseudonym: "é".repeat(PSEUDONYM_MAX + 1),
            ..draft()
        };
        let max = PSEUDONYM_MAX;
        fails(
            d.validate(NOW),
            Field::FirstNameOrPseudonym,
            Problem::TooLong { max },
        );
        let conflict = Problem::Conflict { with: Field::Minor };
        let d = RegistrationDraft {
            minor: false,
            ..draft()
        };
        fails(d.validate(NOW), Field::AgeBand, conflict.clone());
        let d = RegistrationDraft {
            age_band: Some(AgeBand::From18To25),
            ..draft()
        };
        fails(d.validate(NOW), Field::AgeBand, conflict);
        let d = RegistrationDraft {
            contact: Some("é".repeat(INSCRIPTION_CONTACT_MAX + 1)),
            ..draft()
        };
        let max = INSCRIPTION_CONTACT_MAX;
        fails(d.validate(NOW), Field::Contact, Problem::TooLong { max });
        let d = RegistrationDraft {
            consent_given: false,
            ..draft()
        };
        fails(d.validate(NOW), Field::Contact, Problem::ConsentRequired);
        let d = RegistrationDraft {
            checked_in_at: Some(NOW + 3 * 24 * 3_600_000),
            ..draft()
        };
        fails(d.validate(NOW), Field::CheckedInAt, Problem::InFuture);
        refuses_id(&draft(), "person_id", serde_json::json!("samira"));
        // A blank link is no link, as when links were text.
        let mut json = serde_json::to_value(draft()).unwrap();
        json["person_id"] = serde_json::json!(" ");
        let read: RegistrationDraft = serde_json::from_value(json).unwrap();
        assert_eq!(read.person_id, None);
    }

    #[test]
    fn debug_hides_names_and_contact_and_serde_round_trips() {
        let d = draft();
        hides(&format!("{d:?}"), &["Samira", "samira_93"]);
        let d = d.validate(NOW).unwrap();
        round_trips(&d);
        assert_eq!(serde_json::to_value(&d).unwrap()["age_band"], "16_17");
        let minimal: RegistrationDraft = serde_json::from_str(&format!(
            r#"{{"event_id":"{ID}","first_name_or_pseudonym":"Samira"}}"#
        ))
        .unwrap();
        assert!(!minimal.minor && !minimal.consent_given);
    }
}
