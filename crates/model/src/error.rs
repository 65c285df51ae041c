//! Validation errors: which field was wrong and why, as data the UI can translate.
//!
//! A validation error never carries the rejected value itself (it may be personal
//! data); it names the field and the rule that failed, with the rule's numbers.

use serde::{Deserialize, Serialize};

/// A field of a record that a user can fill in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// The channel of a rencontre (maraude, porte-à-porte…).
    Channel,
    /// The place of a rencontre, as free text.
    Place,
    /// The anonymous headcount of a rencontre.
    Headcount,
    /// The pseudonym or first name of the person met.
    Pseudonym,
    /// The short factual note of a rencontre.
    Note,
    /// When the rencontre happened.
    OccurredAt,
    /// The team server's address, in the settings.
    ServerUrl,
    /// The enrolment code given by a coordinator.
    EnrolmentCode,
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
