//! The checks every record's `validate` is made of: trimmed texts within a length, ids
//! that look like ids, dates not in the future (or not too far in it), bounded lists.
//!
//! Each check takes the [`Field`] it reports on, so that a record's `validate` reads as
//! a list of its rules, in the order of the form.

use crate::day::Day;
use crate::error::{Field, Problem, ValidationError, check_len};

/// How many days after today an event that happened may be dated: a phone's clock may
/// drift, and a worker one time zone east of UTC lives partly in "tomorrow".
pub const PAST_TOLERANCE_DAYS: i32 = 1;
/// How many days after today a planned date (a due date, an event) may be: two years,
/// the time records are kept after the last contact.
pub const PLANNED_MAX_DAYS: i32 = 2 * 366;
/// Trims `text` and checks its length; it may be empty.
pub(crate) fn text(field: Field, text: String, max: usize) -> Result<String, ValidationError> {
    let text = trim(text);
    check_len(field, &text, max)?;
    Ok(text)
}

/// Trims `text`, refuses it empty, and checks its length.
pub(crate) fn required(field: Field, text: String, max: usize) -> Result<String, ValidationError> {
    let text = self::text(field, text, max)?;
    if text.is_empty() {
        return Err(ValidationError::new(field, Problem::Required));
    }
    Ok(text)
}

/// Trims `text`, turns it into `None` when empty, and checks its length.
pub(crate) fn optional(
    field: Field,
    text: Option<String>,
    max: usize,
) -> Result<Option<String>, ValidationError> {
    let text = text.map(trim).filter(|t| !t.is_empty());
    if let Some(t) = &text {
        check_len(field, t, max)?;
    }
    Ok(text)
}

/// Refuses the date of something that happened when it is after tomorrow.
pub(crate) fn happened(field: Field, day: Day, now_ms: i64) -> Result<(), ValidationError> {
    not_after(field, day, now_ms, PAST_TOLERANCE_DAYS)
}

/// Refuses a planned date more than [`PLANNED_MAX_DAYS`] after today. Past dates pass:
/// a task may be recorded late, an event entered afterwards.
pub(crate) fn planned(field: Field, day: Day, now_ms: i64) -> Result<(), ValidationError> {
    not_after(field, day, now_ms, PLANNED_MAX_DAYS)
}

/// Like [`happened`], for an instant in milliseconds (a check-in).
pub(crate) fn happened_at(field: Field, at: i64, now_ms: i64) -> Result<(), ValidationError> {
    happened(field, Day::from_epoch_ms(at), now_ms)
}

/// Refuses a list longer than `max`.
pub(crate) fn at_most(field: Field, len: usize, max: usize) -> Result<(), ValidationError> {
    if len > max {
        return Err(ValidationError::new(field, Problem::TooMany { max }));
    }
    Ok(())
}

fn not_after(field: Field, day: Day, now_ms: i64, days: i32) -> Result<(), ValidationError> {
    let today = Day::from_epoch_ms(now_ms);
    // Near Day::MAX nothing is "too far": the limit saturates.
    let limit = today.checked_add_days(days).unwrap_or(Day::MAX);
    if day > limit {
        return Err(ValidationError::new(field, Problem::InFuture));
    }
    Ok(())
}

/// Trims in place when there is nothing to trim, to spare an allocation.
fn trim(text: String) -> String {
    let trimmed = text.trim();
    if trimmed.len() == text.len() {
        text
    } else {
        trimmed.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_795_478_400_000 + 12 * 3_600_000; // 2026-11-24 12:00 UTC

    fn day(s: &str) -> Day {
        Day::parse(s).unwrap()
    }

    #[test]
    fn texts_are_trimmed_and_bounded_in_chars() {
        assert_eq!(text(Field::Note, "  a ".into(), 1).unwrap(), "a");
        assert_eq!(text(Field::Note, "ééé".into(), 3).unwrap(), "ééé");
        let err = text(Field::Note, "éééé".into(), 3).unwrap_err();
        assert_eq!(
            err,
            ValidationError::new(Field::Note, Problem::TooLong { max: 3 })
        );
        let err = required(Field::Name, " \t".into(), 3).unwrap_err();
        assert_eq!(err.problem, Problem::Required);
        assert_eq!(
            optional(Field::Outcome, Some("  ".into()), 3).unwrap(),
            None
        );
        assert_eq!(
            optional(Field::Outcome, Some(" x ".into()), 3)
                .unwrap()
                .as_deref(),
            Some("x")
        );
        assert_eq!(
            optional(Field::Outcome, Some("abcd".into()), 3)
                .unwrap_err()
                .field,
            Field::Outcome
        );
    }

    #[test]
    fn dates_in_the_future() {
        assert!(happened(Field::Date, day("2026-11-25"), NOW).is_ok());
        let err = happened(Field::Date, day("2026-11-26"), NOW).unwrap_err();
        assert_eq!(err, ValidationError::new(Field::Date, Problem::InFuture));
        assert!(happened(Field::Date, day("1999-01-01"), NOW).is_ok());
        assert!(planned(Field::Due, day("2028-11-24"), NOW).is_ok());
        assert_eq!(
            planned(Field::Due, day("2028-11-27"), NOW)
                .unwrap_err()
                .field,
            Field::Due
        );
        assert!(planned(Field::Due, Day::MAX, i64::MAX).is_ok());
        assert!(happened_at(Field::CheckedInAt, NOW + 3_600_000, NOW).is_ok());
        assert!(happened_at(Field::CheckedInAt, NOW + 3 * 86_400_000, NOW).is_err());
    }

    #[test]
    fn lists_are_bounded() {
        assert!(at_most(Field::Partners, 20, 20).is_ok());
        assert_eq!(
            at_most(Field::Partners, 21, 20).unwrap_err().problem,
            Problem::TooMany { max: 20 }
        );
    }
}
