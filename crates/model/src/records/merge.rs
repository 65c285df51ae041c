//! A merge ("fusion"): a coordinator's decision that two person records are one person.
//!
//! It is a record like any other, so it syncs, and nothing already recorded is
//! rewritten: the absorbed person's document stays as it was, and the projections send
//! what names it (rencontres, stages, orientations, relances, registrations) to the
//! survivor. The fields the coordinator took from the absorbed person for the survivor
//! ([`MergedFields`]) live in the merge, not in the survivor's document, so undoing the
//! merge (setting [`MergeDraft::undone`], an ordinary synced edit) gives both persons
//! back exactly as they were. How concurrent merges settle is
//! [`crate::merges::resolve`]'s rule.

use serde::{Deserialize, Serialize};

use crate::check;
use crate::error::{Field, Problem, ValidationError};
use crate::records::person::{
    COMMUNE_MAX, Contact, HANDLE_MAX, LAST_NAME_MAX, PHONE_MAX, PersonDraft, REFERENT_MAX,
};
use crate::rencontre::PSEUDONYM_MAX;
use crate::vocab::{AgeBand, Gender};

/// Two persons a coordinator said are one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergeDraft {
    /// The person who stays.
    pub survivor: crate::RecordId,
    /// The person merged into the survivor.
    pub absorbed: crate::RecordId,
    /// The absorbed person's pseudonym when merged, so the survivor's thread can say
    /// whom it holds ("avec « Momo »") while the absorbed person is hidden.
    pub absorbed_pseudonym: String,
    /// Values taken from the absorbed person for the survivor.
    #[serde(default)]
    pub taken: MergedFields,
    /// Who decided, by the name set on their device.
    #[serde(default)]
    pub decided_by: Option<String>,
    /// Undone: both persons are shown apart again.
    #[serde(default)]
    pub undone: bool,
}

/// The fields of a merged person taken from the absorbed one: each `Some` replaces the
/// survivor's value. Contact means are shown only within the merged consent.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MergedFields {
    /// Pseudonym.
    pub pseudonym: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
    /// Birth year.
    pub birth_year: Option<i32>,
    /// Age band.
    pub age_band: Option<AgeBand>,
    /// Gender.
    pub gender: Option<Gender>,
    /// Commune.
    pub commune: Option<String>,
    /// Contact means.
    pub contact: Option<Contact>,
}

// Names and contact means: a Debug output says which fields are taken, not their values.
impl std::fmt::Debug for MergedFields {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MergedFields")
            .field("pseudonym", &self.pseudonym.is_some())
            .field("last_name", &self.last_name.is_some())
            .field("birth_year", &self.birth_year.is_some())
            .field("age_band", &self.age_band.is_some())
            .field("gender", &self.gender.is_some())
            .field("commune", &self.commune.is_some())
            .field("contact", &self.contact.is_some())
            .finish()
    }
}

impl MergedFields {
    /// Puts the taken values on `person`.
    pub fn apply_to(&self, person: &mut PersonDraft) {
        if let Some(v) = &self.pseudonym {
            person.pseudonym.clone_from(v);
        }
        if let Some(v) = &self.last_name {
            person.last_name = Some(v.clone());
        }
        if let Some(v) = self.birth_year {
            person.birth_year = Some(v);
            person.age_band = None;
        }
        if let Some(v) = self.age_band {
            person.age_band = Some(v);
        }
        if let Some(v) = self.gender {
            person.gender = Some(v);
        }
        if let Some(v) = &self.commune {
            person.territory.commune = Some(v.clone());
        }
        if let Some(v) = &self.contact {
            person.contact = Some(v.clone());
        }
    }
}

impl MergeDraft {
    /// Checks the merge names two persons and trims what was typed.
    pub fn validate(mut self, _now_ms: i64) -> Result<MergeDraft, ValidationError> {
        if self.survivor == self.absorbed {
            return Err(ValidationError::new(
                Field::PersonId,
                Problem::Conflict {
                    with: Field::PersonId,
                },
            ));
        }
        self.absorbed_pseudonym =
            check::required(Field::Pseudonym, self.absorbed_pseudonym, PSEUDONYM_MAX)?;
        let t = &mut self.taken;
        t.pseudonym = check::optional(Field::Pseudonym, t.pseudonym.take(), PSEUDONYM_MAX)?;
        t.last_name = check::optional(Field::LastName, t.last_name.take(), LAST_NAME_MAX)?;
        t.commune = check::optional(Field::Commune, t.commune.take(), COMMUNE_MAX)?;
        if let Some(c) = &mut t.contact {
            c.phone = check::optional(Field::Phone, c.phone.take(), PHONE_MAX)?;
            c.handle = check::optional(Field::Handle, c.handle.take(), HANDLE_MAX)?;
        }
        self.decided_by = check::optional(Field::Referent, self.decided_by, REFERENT_MAX)?;
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::testing::{ID, ID2, NOW, id};

    fn merge() -> MergeDraft {
        MergeDraft {
            survivor: id(ID),
            absorbed: id(ID2),
            absorbed_pseudonym: " Momo ".into(),
            taken: MergedFields {
                last_name: Some(" Benali ".into()),
                ..MergedFields::default()
            },
            decided_by: None,
            undone: false,
        }
    }

    #[test]
    fn a_merge_names_two_persons_and_is_trimmed() {
        let m = merge().validate(NOW).unwrap();
        assert_eq!(m.absorbed_pseudonym, "Momo");
        assert_eq!(m.taken.last_name.as_deref(), Some("Benali"));
        let mut same = merge();
        same.absorbed = same.survivor.clone();
        assert_eq!(same.validate(NOW).unwrap_err().field, Field::PersonId);
        crate::records::testing::round_trips(&merge());
    }

    #[test]
    fn taken_fields_replace_the_survivors() {
        let mut p = PersonDraft::new("Mohamed");
        p.age_band = Some(AgeBand::From16To17);
        let taken = MergedFields {
            last_name: Some("Benali".into()),
            birth_year: Some(2005),
            ..MergedFields::default()
        };
        taken.apply_to(&mut p);
        assert_eq!(p.pseudonym, "Mohamed");
        assert_eq!(p.last_name.as_deref(), Some("Benali"));
        assert_eq!((p.birth_year, p.age_band), (Some(2005), None));
        let shown = format!("{taken:?}");
        assert!(!shown.contains("Benali"), "{shown}");
    }
}
