//! The relance: a follow-up task with a due date, for a referent.
//!
//! It usually concerns a person, but may concern the anonymous group of a rencontre
//! ("repasser au city stade jeudi"), or neither (call a partner back): both links are
//! optional. The due date may be in the past (a task recorded late) but not more than
//! two years ahead, the time records are kept.

use serde::{Deserialize, Serialize};

use crate::check;
use crate::day::Day;
use crate::error::{Field, ValidationError};
use crate::records::person::REFERENT_MAX;
use crate::vocab::RelanceStatus;

/// Longest reason, in characters.
pub const RELANCE_REASON_MAX: usize = 200;

/// What a user fills in to create a follow-up task, or to change one.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelanceDraft {
    /// The person concerned, if any.
    #[serde(default, deserialize_with = "crate::id::blank_as_none")]
    pub person_id: Option<crate::RecordId>,
    /// The rencontre it follows, if any.
    #[serde(default, deserialize_with = "crate::id::blank_as_none")]
    pub rencontre_id: Option<crate::RecordId>,
    /// Who must do it, by name or id. Required: a task is someone's task.
    pub referent: String,
    /// When it is due.
    pub due: Day,
    /// What to do, or why.
    #[serde(default)]
    pub reason: String,
    /// Where it stands.
    pub status: RelanceStatus,
}

impl std::fmt::Debug for RelanceDraft {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RelanceDraft")
            .field("person_id", &self.person_id)
            .field("rencontre_id", &self.rencontre_id)
            .field("due", &self.due)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

impl RelanceDraft {
    /// Trims the texts, drops empty links, and checks every rule.
    pub fn validate(mut self, now_ms: i64) -> Result<RelanceDraft, ValidationError> {
        self.referent = check::required(Field::Referent, self.referent, REFERENT_MAX)?;
        check::planned(Field::Due, self.due, now_ms)?;
        self.reason = check::text(Field::Reason, self.reason, RELANCE_REASON_MAX)?;
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Problem;
    use crate::records::testing::{ID, ID2, NOW, day, fails, hides, id, refuses_id, round_trips};

    fn draft() -> RelanceDraft {
        RelanceDraft {
            person_id: Some(id(ID)),
            rencontre_id: None,
            referent: " Awa ".into(),
            due: day("2026-12-01"),
            reason: " Rappeler pour le dossier CAF ".into(),
            status: RelanceStatus::AFaire,
        }
    }

    #[test]
    fn a_valid_draft_passes_and_is_normalised() {
        let r = draft().validate(NOW).unwrap();
        assert_eq!(r.rencontre_id, None);
        assert_eq!(r.referent, "Awa");
        assert_eq!(r.reason, "Rappeler pour le dossier CAF");
        let group = RelanceDraft {
            person_id: None,
            rencontre_id: Some(id(ID2)),
            due: day("2020-01-01"),
            ..draft()
        };
        assert!(
            group.validate(NOW).is_ok(),
            "past due dates and group tasks pass"
        );
    }

    #[test]
    fn each_rule_names_its_field() {
        refuses_id(&draft(), "person_id", serde_json::json!("x"));
        refuses_id(&draft(), "rencontre_id", serde_json::json!("x"));
        let d = RelanceDraft {
            referent: "  ".into(),
            ..draft()
        };
        fails(d.validate(NOW), Field::Referent, Problem::Required);
        let d = RelanceDraft {
            referent: "é".repeat(REFERENT_MAX + 1),
            ..draft()
        };
        fails(
            d.validate(NOW),
            Field::Referent,
            Problem::TooLong { max: REFERENT_MAX },
        );
        let d = RelanceDraft {
            due: day("2028-11-24"),
            ..draft()
        };
        assert!(d.validate(NOW).is_ok(), "two years ahead is the limit");
        let d = RelanceDraft {
            due: day("2029-01-01"),
            ..draft()
        };
        fails(d.validate(NOW), Field::Due, Problem::InFuture);
        let d = RelanceDraft {
            reason: "é".repeat(RELANCE_REASON_MAX + 1),
            ..draft()
        };
        let max = RELANCE_REASON_MAX;
        fails(d.validate(NOW), Field::Reason, Problem::TooLong { max });
    }

    #[test]
    fn debug_hides_texts_and_serde_round_trips() {
        let d = draft();
        hides(&format!("{d:?}"), &["Awa", "CAF"]);
        let d = d.validate(NOW).unwrap();
        round_trips(&d);
        assert_eq!(serde_json::to_value(&d).unwrap()["status"], "a_faire");
    }
}
