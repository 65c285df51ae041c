//! The partenaire: a local structure in the team's directory (a Mission locale, a club,
//! a training body), to orient people to and to invite to events.

use serde::{Deserialize, Serialize};

use crate::check;
use crate::error::{Field, ValidationError};
use crate::records::person::COMMUNE_MAX;
use crate::vocab::PartnerKind;

/// Longest partner name, in characters.
pub const PARTENAIRE_NAME_MAX: usize = 120;
/// Longest partner contact (a phone, an address, a person to ask for), in characters.
pub const PARTNER_CONTACT_MAX: usize = 120;

/// What a user fills in to add a partner to the directory, or to change one.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerDraft {
    /// The structure's name. Required.
    pub name: String,
    /// Its kind. Stored as `partner_kind`: a record's root `kind` is its record kind,
    /// which the store writes itself.
    #[serde(rename = "partner_kind")]
    pub kind: PartnerKind,
    /// How to reach it; may name a staff member, so it stays out of logs.
    #[serde(default)]
    pub contact: Option<String>,
    /// Its commune.
    #[serde(default)]
    pub commune: Option<String>,
}

impl std::fmt::Debug for PartnerDraft {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PartnerDraft")
            .field("kind", &self.kind)
            .field("has_contact", &self.contact.is_some())
            .finish_non_exhaustive()
    }
}

impl PartnerDraft {
    /// Trims the texts, drops empty ones, and checks every rule.
    ///
    /// `now_ms` is unused (a partner has no date) and kept for the same shape as every
    /// other draft's `validate`.
    pub fn validate(mut self, _now_ms: i64) -> Result<PartnerDraft, ValidationError> {
        self.name = check::required(Field::Name, self.name, PARTENAIRE_NAME_MAX)?;
        self.contact = check::optional(Field::Contact, self.contact, PARTNER_CONTACT_MAX)?;
        self.commune = check::optional(Field::Commune, self.commune, COMMUNE_MAX)?;
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Problem;
    use crate::records::testing::{NOW, fails, hides, round_trips};

    fn draft() -> PartnerDraft {
        PartnerDraft {
            name: " Mission locale de Bondy ".into(),
            kind: PartnerKind::MissionLocale,
            contact: Some(" Mme Diallo 01 48 00 00 00 ".into()),
            commune: Some(" ".into()),
        }
    }

    #[test]
    fn a_valid_draft_passes_and_is_normalised() {
        let p = draft().validate(NOW).unwrap();
        assert_eq!(p.name, "Mission locale de Bondy");
        assert_eq!(p.contact.as_deref(), Some("Mme Diallo 01 48 00 00 00"));
        assert_eq!(p.commune, None);
    }

    #[test]
    fn each_rule_names_its_field() {
        let d = PartnerDraft {
            name: "".into(),
            ..draft()
        };
        fails(d.validate(NOW), Field::Name, Problem::Required);
        let d = PartnerDraft {
            name: "é".repeat(PARTENAIRE_NAME_MAX + 1),
            ..draft()
        };
        let max = PARTENAIRE_NAME_MAX;
        fails(d.validate(NOW), Field::Name, Problem::TooLong { max });
        let d = PartnerDraft {
            contact: Some("é".repeat(PARTNER_CONTACT_MAX + 1)),
            ..draft()
        };
        let max = PARTNER_CONTACT_MAX;
        fails(d.validate(NOW), Field::Contact, Problem::TooLong { max });
        let d = PartnerDraft {
            commune: Some("é".repeat(COMMUNE_MAX + 1)),
            ..draft()
        };
        fails(
            d.validate(NOW),
            Field::Commune,
            Problem::TooLong { max: COMMUNE_MAX },
        );
    }

    #[test]
    fn debug_hides_the_contact_and_serde_round_trips() {
        let d = draft();
        hides(&format!("{d:?}"), &["Diallo", "01 48"]);
        let d = d.validate(NOW).unwrap();
        round_trips(&d);
        assert_eq!(
            serde_json::to_value(&d).unwrap()["partner_kind"],
            "mission_locale"
        );
    }
}
