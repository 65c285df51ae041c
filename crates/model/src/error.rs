//! Validation errors: which field was wrong and why, as data the UI can translate.
//!
//! A validation error never carries the rejected value itself (it may be personal
//! data); it names the field and the rule that failed, with the rule's numbers.

use serde::{Deserialize, Serialize};

/// A field of a record that a user can fill in.
///
/// Fields with the same meaning in several records share a variant (`Note`, `Date`,
/// `Name`…): the UI names them the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// The channel of a rencontre (maraude, porte-à-porte…).
    Channel,
    /// The place of a rencontre or an event, as free text.
    Place,
    /// The anonymous headcount of a rencontre.
    Headcount,
    /// The pseudonym or first name of a person (rencontre, personne).
    Pseudonym,
    /// The short factual note of a rencontre or a stage change.
    Note,
    /// When the rencontre happened.
    OccurredAt,
    /// The team server's address, in the settings.
    ServerUrl,
    /// The enrolment code given by a coordinator.
    EnrolmentCode,
    /// A person's last name.
    LastName,
    /// A person's birth year.
    BirthYear,
    /// A person's rough age.
    AgeBand,
    /// A person's gender.
    Gender,
    /// The commune a person lives in, or a partner's.
    Commune,
    /// Whether the person lives in a *quartier prioritaire de la ville*.
    Qpv,
    /// Whether the person lives in a *zone de revitalisation rurale*.
    Zrr,
    /// Whether the person lives overseas (*outre-mer*).
    OutreMer,
    /// The public categories a person belongs to.
    Categories,
    /// The obstacles on a person's path.
    Freins,
    /// What a person likes.
    Interests,
    /// The skills a person revealed.
    Skills,
    /// A person's phone number.
    Phone,
    /// A person's social-media or messaging handle.
    Handle,
    /// The worker who follows a person, or who must do a follow-up.
    Referent,
    /// When the person gave their consent.
    ConsentDate,
    /// What the person consented to.
    ConsentScopes,
    /// How the person gave their consent.
    ConsentMethod,
    /// A stage of the person's path.
    Stage,
    /// The person a record is about.
    PersonId,
    /// The day a stage change, an orientation or an event happens.
    Date,
    /// The partner of the directory an orientation goes to.
    PartnerId,
    /// The name of a partner outside the directory.
    PartnerName,
    /// Why: an orientation's or a follow-up's reason.
    Reason,
    /// Whether the person consented (to an orientation, to being contacted).
    ConsentGiven,
    /// Where an orientation or a follow-up stands.
    Status,
    /// What came of an orientation.
    Outcome,
    /// The rencontre a follow-up comes from.
    RencontreId,
    /// When a follow-up is due.
    Due,
    /// The name of an event or a partner.
    Name,
    /// The kind of an event or a partner.
    Kind,
    /// The partners of an event.
    Partners,
    /// The event a registration is for.
    EventId,
    /// The first name or pseudonym given at a registration.
    FirstNameOrPseudonym,
    /// Whether a registered participant is under 18.
    Minor,
    /// A contact means given as one text (a registration's, a partner's).
    Contact,
    /// When a registered participant arrived at the event.
    CheckedInAt,
    /// The period a coordinator's figures cover.
    Period,
    /// The worker who recorded a rencontre.
    Worker,
    /// How a person left the parcours.
    Exit,
    /// The team's recovery key, typed in.
    RecoveryKey,
}

impl Field {
    /// Every field, for tests and tables that must cover them all.
    pub const ALL: [Field; 49] = [
        Field::Channel,
        Field::Place,
        Field::Headcount,
        Field::Pseudonym,
        Field::Note,
        Field::OccurredAt,
        Field::ServerUrl,
        Field::EnrolmentCode,
        Field::LastName,
        Field::BirthYear,
        Field::AgeBand,
        Field::Gender,
        Field::Commune,
        Field::Qpv,
        Field::Zrr,
        Field::OutreMer,
        Field::Categories,
        Field::Freins,
        Field::Interests,
        Field::Skills,
        Field::Phone,
        Field::Handle,
        Field::Referent,
        Field::ConsentDate,
        Field::ConsentScopes,
        Field::ConsentMethod,
        Field::Stage,
        Field::PersonId,
        Field::Date,
        Field::PartnerId,
        Field::PartnerName,
        Field::Reason,
        Field::ConsentGiven,
        Field::Status,
        Field::Outcome,
        Field::RencontreId,
        Field::Due,
        Field::Name,
        Field::Kind,
        Field::Partners,
        Field::EventId,
        Field::FirstNameOrPseudonym,
        Field::Minor,
        Field::Contact,
        Field::CheckedInAt,
        Field::Period,
        Field::Worker,
        Field::Exit,
        Field::RecoveryKey,
    ];
}

/// The rule a value broke.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Problem {
    /// The field is required and was empty.
    Required,
    /// The text is longer than allowed, in characters.
    TooLong {
        /// The largest number of characters accepted.
        max: usize,
    },
    /// The number is outside the accepted range.
    OutOfRange {
        /// The smallest accepted value.
        min: i64,
        /// The largest accepted value.
        max: i64,
    },
    /// The date is too far in the future to be a real contact.
    InFuture,
    /// The value does not have the expected shape (an address, a code).
    Malformed,
    /// A rencontre must meet someone: a headcount of at least one, or a named person.
    NobodyMet,
    /// The value may only be kept with the person's consent (contact means, an
    /// orientation), and the consent is missing or does not cover it.
    ConsentRequired,
    /// A list holds more items than allowed.
    TooMany {
        /// The largest number of items accepted.
        max: usize,
    },
    /// The value contradicts another field of the same record (an age band and a
    /// birth year, an age band and the "minor" box).
    Conflict {
        /// The other field.
        with: Field,
    },
}

/// A value a user entered was rejected; nothing was saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("invalid {field:?}: {problem:?}")]
pub struct ValidationError {
    /// Which field was wrong.
    pub field: Field,
    /// Which rule it broke.
    pub problem: Problem,
}

impl ValidationError {
    /// Builds the error for `field` breaking `problem`.
    pub fn new(field: Field, problem: Problem) -> Self {
        Self { field, problem }
    }
}

/// Checks that a trimmed text has at most `max` characters.
pub(crate) fn check_len(field: Field, text: &str, max: usize) -> Result<(), ValidationError> {
    if text.chars().count() > max {
        return Err(ValidationError::new(field, Problem::TooLong { max }));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_have_unique_snake_case_names() {
        let names: Vec<String> = Field::ALL
            .iter()
            .map(|f| {
                serde_json::to_value(f)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        for (i, name) in names.iter().enumerate() {
            assert!(!names[i + 1..].contains(name), "{name} twice");
            let back: Field = serde_json::from_value(name.as_str().into()).unwrap();
            assert_eq!(back, Field::ALL[i]);
        }
        assert!(names.contains(&"first_name_or_pseudonym".to_owned()));
        assert!(names.contains(&"outre_mer".to_owned()));
    }

    #[test]
    fn new_problems_are_tagged() {
        let e = ValidationError::new(
            Field::AgeBand,
            Problem::Conflict {
                with: Field::BirthYear,
            },
        );
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["field"], "age_band");
        assert_eq!(json["problem"]["rule"], "conflict");
        assert_eq!(json["problem"]["with"], "birth_year");
        assert_eq!(serde_json::from_value::<ValidationError>(json).unwrap(), e);
        let many = serde_json::to_value(Problem::TooMany { max: 20 }).unwrap();
        assert_eq!(many["rule"], "too_many");
        assert_eq!(many["max"], 20);
        let consent = serde_json::to_value(Problem::ConsentRequired).unwrap();
        assert_eq!(consent["rule"], "consent_required");
    }
}
