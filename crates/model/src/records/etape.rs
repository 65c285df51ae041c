//! The étape de parcours: a dated change of a person's stage.
//!
//! Stage changes are records of their own rather than a field edited in place, because
//! the funders' indicators are computed from their dates ("entered training within six
//! months") and two devices may record changes for the same person while offline: both
//! stay, in date order.

use serde::{Deserialize, Serialize};

use crate::check;
use crate::day::Day;
use crate::error::{Field, Problem, ValidationError};
use crate::vocab::{ExitKind, Stage};

/// Longest note on a stage change, in characters.
pub const ETAPE_NOTE_MAX: usize = 500;

/// What a user fills in to record a stage change.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EtapeDraft {
    /// The person whose path changes.
    pub person_id: crate::RecordId,
    /// The stage entered.
    pub stage: Stage,
    /// The day it happened.
    pub date: Day,
    /// A short factual note.
    #[serde(default)]
    pub note: Option<String>,
    /// How the person left, for a *sortie* (none for any other stage).
    #[serde(default)]
    pub exit: Option<ExitKind>,
}

impl std::fmt::Debug for EtapeDraft {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EtapeDraft")
            .field("person_id", &self.person_id)
            .field("stage", &self.stage)
            .field("date", &self.date)
            .field("has_note", &self.note.is_some())
            .field("exit", &self.exit)
            .finish()
    }
}

impl EtapeDraft {
    /// Trims the texts and checks every rule; the date may be at most tomorrow.
    pub fn validate(mut self, now_ms: i64) -> Result<EtapeDraft, ValidationError> {
        check::happened(Field::Date, self.date, now_ms)?;
        self.note = check::optional(Field::Note, self.note, ETAPE_NOTE_MAX)?;
        if self.exit.is_some() && self.stage != Stage::Sortie {
            return Err(ValidationError::new(
                Field::Exit,
                Problem::Conflict { with: Field::Stage },
            ));
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::testing::{ID, NOW, day, fails, hides, id, refuses_id, round_trips};

    fn draft() -> EtapeDraft {
        EtapeDraft {
            person_id: id(&format!(" {} ", ID.to_uppercase())),
            stage: Stage::Formation,
            date: day("2026-11-24"),
            note: Some("  Entrée en formation CACES ".into()),
            exit: None,
        }
    }

    #[test]
    fn a_valid_draft_passes_and_is_normalised() {
        let e = draft().validate(NOW).unwrap();
        assert_eq!(e.person_id, ID);
        assert_eq!(e.note.as_deref(), Some("Entrée en formation CACES"));
        let e = EtapeDraft {
            note: Some(" ".into()),
            ..draft()
        };
        assert_eq!(e.validate(NOW).unwrap().note, None);
    }

    #[test]
    fn each_rule_names_its_field() {
        refuses_id(&draft(), "person_id", serde_json::json!(" "));
        refuses_id(&draft(), "person_id", serde_json::json!("momo"));
        let d = EtapeDraft {
            date: day("2026-11-26"),
            ..draft()
        };
        fails(d.validate(NOW), Field::Date, Problem::InFuture);
        let d = EtapeDraft {
            date: day("2026-11-25"),
            ..draft()
        };
        assert!(d.validate(NOW).is_ok());
        let d = EtapeDraft {
            note: Some("é".repeat(ETAPE_NOTE_MAX + 1)),
            ..draft()
        };
        fails(
            d.validate(NOW),
            Field::Note,
            Problem::TooLong {
                max: ETAPE_NOTE_MAX,
            },
        );
    }

    #[test]
    fn debug_hides_the_note_and_serde_round_trips() {
        let d = draft();
        hides(&format!("{d:?}"), &["CACES"]);
        let d = d.validate(NOW).unwrap();
        round_trips(&d);
        let json = serde_json::to_value(&d).unwrap();
        assert_eq!(json["stage"], "formation");
        assert_eq!(json["date"], "2026-11-24");
    }
}
