//! The team's information notice: who holds the data about the people it meets, how to
//! reach the person who answers for it (the DPO), and what the team adds in its own
//! words, in French and in English. The rest (why, for how long, the person's rights)
//! is the app's own text. A coordinator writes it; every device shows it on a consent's
//! receipt, and each consent records the version it was given under.
//!
//! One record per team, edited in place: two coordinators editing it offline merge field
//! by field, as every record does. Its version is written by the store when it changes
//! (the day and a digest of the words), never typed.

use serde::{Deserialize, Serialize};

use crate::check;
use crate::error::{Field, ValidationError};

/// Longest holder or DPO contact, in characters.
pub const NOTICE_LINE_MAX: usize = 300;
/// Longest text of the team's own words, in characters, per language.
pub const NOTICE_WORDS_MAX: usize = 2000;

/// What a coordinator fills in for the team's information notice.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct NoticeDraft {
    /// Who holds the data: the association's name and address. Required.
    pub holder: String,
    /// How to reach the person who answers for the data (the DPO): an address, an
    /// e-mail, a phone. Required.
    pub dpo_contact: String,
    /// What the team adds, in French.
    #[serde(default)]
    pub words_fr: Option<String>,
    /// What the team adds, in English.
    #[serde(default)]
    pub words_en: Option<String>,
    /// The version, written by the store when the notice changes (the day and a digest
    /// of its words); what a consent records.
    #[serde(default)]
    pub version: Option<String>,
}

impl NoticeDraft {
    /// Trims the texts, drops empty ones, and checks every rule.
    pub fn validate(mut self, _now_ms: i64) -> Result<NoticeDraft, ValidationError> {
        self.holder = check::required(Field::Name, self.holder, NOTICE_LINE_MAX)?;
        self.dpo_contact = check::required(Field::Contact, self.dpo_contact, NOTICE_LINE_MAX)?;
        self.words_fr = check::optional(Field::Note, self.words_fr, NOTICE_WORDS_MAX)?;
        self.words_en = check::optional(Field::Note, self.words_en, NOTICE_WORDS_MAX)?;
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Problem;
    use crate::records::testing::NOW;

    #[test]
    fn a_notice_needs_a_holder_and_a_contact() {
        let ok = NoticeDraft {
            holder: " Association Fil rouge, 1 rue de la Gare, Bondy ".into(),
            dpo_contact: "dpo@filrouge.example".into(),
            words_fr: Some("  ".into()),
            ..NoticeDraft::default()
        }
        .validate(NOW)
        .unwrap();
        assert_eq!(ok.holder, "Association Fil rouge, 1 rue de la Gare, Bondy");
        assert_eq!(ok.words_fr, None);
        let err = NoticeDraft {
            holder: "Association".into(),
            ..NoticeDraft::default()
        }
        .validate(NOW)
        .unwrap_err();
        assert_eq!(
            (err.field, err.problem),
            (Field::Contact, Problem::Required)
        );
        let err = NoticeDraft {
            holder: "Association".into(),
            dpo_contact: "dpo".into(),
            words_en: Some("x".repeat(NOTICE_WORDS_MAX + 1)),
            ..NoticeDraft::default()
        }
        .validate(NOW)
        .unwrap_err();
        assert_eq!(err.field, Field::Note);
    }
}
