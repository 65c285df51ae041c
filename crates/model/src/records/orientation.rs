//! The orientation: handing a person over to a partner, with their consent.
//!
//! "Dites-le nous une fois": the partner should not make the person tell their story
//! again, which means sharing, which needs the person's consent. An orientation without
//! `consent_given` is refused. The partner is either one of the team's directory
//! (`partner_id`) or named in passing (`partner_name`); at least one is required.

use serde::{Deserialize, Serialize};

use crate::check;
use crate::day::Day;
use crate::error::{Field, Problem, ValidationError};
use crate::vocab::OrientationStatus;

/// Longest partner name typed in an orientation, in characters.
pub const PARTNER_NAME_MAX: usize = 80;
/// Longest reason, in characters.
pub const ORIENTATION_REASON_MAX: usize = 300;
/// Longest outcome, in characters.
pub const OUTCOME_MAX: usize = 300;

/// What a user fills in to record an orientation, or to change one.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrientationDraft {
    /// The person oriented.
    pub person_id: crate::RecordId,
    /// The partner, when it is in the directory.
    #[serde(default, deserialize_with = "crate::id::blank_as_none")]
    pub partner_id: Option<crate::RecordId>,
    /// The partner's name, when it is not (or as shown at the time).
    #[serde(default)]
    pub partner_name: Option<String>,
    /// Why; short and factual.
    #[serde(default)]
    pub reason: String,
    /// Whether the person agreed to the orientation and to what is shared. Must be true.
    pub consent_given: bool,
    /// Where it stands.
    pub status: OrientationStatus,
    /// What came of it.
    #[serde(default)]
    pub outcome: Option<String>,
    /// The day it was proposed.
    pub date: Day,
}

impl std::fmt::Debug for OrientationDraft {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OrientationDraft")
            .field("person_id", &self.person_id)
            .field("partner_id", &self.partner_id)
            .field("consent_given", &self.consent_given)
            .field("status", &self.status)
            .field("date", &self.date)
            .finish_non_exhaustive()
    }
}

impl OrientationDraft {
    /// Trims the texts, drops empty ones, and checks every rule.
    pub fn validate(mut self, now_ms: i64) -> Result<OrientationDraft, ValidationError> {
        self.partner_name =
            check::optional(Field::PartnerName, self.partner_name, PARTNER_NAME_MAX)?;
        if self.partner_id.is_none() && self.partner_name.is_none() {
            // The name is the input the user can always fill in, so it is the one named.
            return Err(ValidationError::new(Field::PartnerName, Problem::Required));
        }
        self.reason = check::text(Field::Reason, self.reason, ORIENTATION_REASON_MAX)?;
        if !self.consent_given {
            return Err(ValidationError::new(
                Field::ConsentGiven,
                Problem::ConsentRequired,
            ));
        }
        self.outcome = check::optional(Field::Outcome, self.outcome, OUTCOME_MAX)?;
        check::happened(Field::Date, self.date, now_ms)?;
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::testing::{ID, ID2, NOW, day, fails, hides, id, refuses_id, round_trips};

    fn draft() -> OrientationDraft {
        OrientationDraft {
            person_id: id(ID),
            partner_id: Some(id(&format!(" {ID2} "))),
            partner_name: Some(" ".into()),
            reason: "  Demande de formation cariste ".into(),
            consent_given: true,
            status: OrientationStatus::Proposee,
            outcome: Some("".into()),
            date: day("2026-11-24"),
        }
    }

    #[test]
    fn a_valid_draft_passes_and_is_normalised() {
        let o = draft().validate(NOW).unwrap();
        assert_eq!(o.partner_id.as_deref(), Some(ID2));
        assert_eq!(o.partner_name, None);
        assert_eq!(o.reason, "Demande de formation cariste");
        assert_eq!(o.outcome, None);
        let by_name = OrientationDraft {
            partner_id: None,
            partner_name: Some(" Garage Martin ".into()),
            ..draft()
        };
        assert_eq!(
            by_name.validate(NOW).unwrap().partner_name.as_deref(),
            Some("Garage Martin")
        );
    }

    #[test]
    fn each_rule_names_its_field() {
        refuses_id(&draft(), "person_id", serde_json::json!(""));
        refuses_id(&draft(), "partner_id", serde_json::json!("x"));
        let d = OrientationDraft {
            partner_id: None,
            ..draft()
        };
        fails(d.validate(NOW), Field::PartnerName, Problem::Required);
        let d = OrientationDraft {
            partner_name: Some("é".repeat(PARTNER_NAME_MAX + 1)),
            ..draft()
        };
        let max = PARTNER_NAME_MAX;
        fails(
            d.validate(NOW),
            Field::PartnerName,
            Problem::TooLong { max },
        );
        let d = OrientationDraft {
            reason: "é".repeat(ORIENTATION_REASON_MAX + 1),
            ..draft()
        };
        let max = ORIENTATION_REASON_MAX;
        fails(d.validate(NOW), Field::Reason, Problem::TooLong { max });
        let d = OrientationDraft {
            consent_given: false,
            ..draft()
        };
        fails(
            d.validate(NOW),
            Field::ConsentGiven,
            Problem::ConsentRequired,
        );
        let d = OrientationDraft {
            outcome: Some("é".repeat(OUTCOME_MAX + 1)),
            ..draft()
        };
        fails(
            d.validate(NOW),
            Field::Outcome,
            Problem::TooLong { max: OUTCOME_MAX },
        );
        let d = OrientationDraft {
            date: day("2027-01-01"),
            ..draft()
        };
        fails(d.validate(NOW), Field::Date, Problem::InFuture);
    }

    #[test]
    fn debug_hides_texts_and_serde_round_trips() {
        let d = OrientationDraft {
            partner_name: Some("Garage Martin".into()),
            outcome: Some("Embauché".into()),
            ..draft()
        };
        hides(&format!("{d:?}"), &["Garage", "cariste", "Embauché"]);
        let d = d.validate(NOW).unwrap();
        round_trips(&d);
        assert_eq!(serde_json::to_value(&d).unwrap()["status"], "proposee");
    }
}
