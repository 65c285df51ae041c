//! "Pas la même personne": a coordinator's decision that two person records the
//! duplicate finder proposed are two people.
//!
//! It is a record like any other, so it syncs: once any device has it, the pair is never
//! proposed again, on any device. It names the two persons by id only (ids are random
//! and say nothing of anyone), in a fixed order, and who decided.

use serde::{Deserialize, Serialize};

use crate::check;
use crate::error::{Field, Problem, ValidationError};
use crate::records::person::REFERENT_MAX;

/// Two persons a coordinator said are different people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotDuplicateDraft {
    /// One person (the smaller id once validated).
    pub a: crate::RecordId,
    /// The other.
    pub b: crate::RecordId,
    /// Who decided, by the name set on their device.
    #[serde(default)]
    pub decided_by: Option<String>,
}

impl NotDuplicateDraft {
    /// Puts the pair in its fixed order and checks it names two records.
    pub fn validate(mut self, _now_ms: i64) -> Result<NotDuplicateDraft, ValidationError> {
        if self.a == self.b {
            return Err(ValidationError::new(
                Field::PersonId,
                Problem::Conflict {
                    with: Field::PersonId,
                },
            ));
        }
        if self.b < self.a {
            std::mem::swap(&mut self.a, &mut self.b);
        }
        self.decided_by = check::optional(Field::Referent, self.decided_by, REFERENT_MAX)?;
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::testing::{ID, ID2, NOW, id};

    #[test]
    fn the_pair_is_put_in_order_and_must_name_two_records() {
        let d = NotDuplicateDraft {
            a: id(ID2),
            b: id(ID),
            decided_by: Some(" Sophie ".into()),
        }
        .validate(NOW)
        .unwrap();
        assert_eq!((d.a, d.b), (id(ID), id(ID2)));
        assert_eq!(d.decided_by.as_deref(), Some("Sophie"));
        let same = NotDuplicateDraft {
            a: id(ID),
            b: id(ID),
            decided_by: None,
        }
        .validate(NOW)
        .unwrap_err();
        assert_eq!(same.field, Field::PersonId);
    }
}
