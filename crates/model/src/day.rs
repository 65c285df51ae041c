//! A calendar date without a time of day: a stage change, a consent, a due date.
//!
//! Records of the outreach work are often dated by the day only ("orientée le 3 mars"),
//! and a time zone would only add a way to shift them by one. A [`Day`] is the number of
//! days since 1970-01-01 in the proleptic Gregorian calendar, stored as an `i32` and
//! written as `"YYYY-MM-DD"` in JSON, in documents and in exports. The conversions are
//! Howard Hinnant's `days_from_civil` / `civil_from_days`
//! (<https://howardhinnant.github.io/date_algorithms.html>): exact for every date, with
//! no table and no dependency, which keeps this crate small and wasm-friendly.
//!
//! Every `Day` lies between [`Day::MIN`] (0000-01-01) and [`Day::MAX`] (9999-12-31), so
//! that its text always has a four-digit year and parses back to the same value.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

/// Milliseconds in a day.
const MS_PER_DAY: i64 = 24 * 60 * 60 * 1000;

/// A calendar date, as days since 1970-01-01.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(i32);

/// Why a text is not a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ParseDayError {
    /// The text is not of the form `YYYY-MM-DD` (ten characters, digits and dashes).
    #[error("a date is written YYYY-MM-DD")]
    Shape,
    /// The month is not between 01 and 12.
    #[error("the month must be between 01 and 12")]
    Month,
    /// The day does not exist in that month (a 30 February, a 00).
    #[error("that day does not exist in that month")]
    DayOfMonth,
}

impl Day {
    /// The earliest representable date, 0000-01-01.
    pub const MIN: Day = Day(-719_528);
    /// The latest representable date, 9999-12-31.
    pub const MAX: Day = Day(2_932_896);
    /// 1970-01-01.
    pub const EPOCH: Day = Day(0);

    /// The day `days` days after 1970-01-01, if it lies between [`Day::MIN`] and [`Day::MAX`].
    pub const fn from_days(days: i32) -> Option<Day> {
        if days < Day::MIN.0 || days > Day::MAX.0 {
            None
        } else {
            Some(Day(days))
        }
    }

    /// The number of days since 1970-01-01 (negative before).
    pub const fn days(self) -> i32 {
        self.0
    }

    /// The date with this year, month (1–12) and day of month, if it exists and its year
    /// is between 0 and 9999.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Day> {
        if !(0..=9999).contains(&year) || !(1..=12).contains(&month) {
            return None;
        }
        if day == 0 || day > days_in_month(year, month) {
            return None;
        }
        // In range by construction: years 0..=9999 give days MIN..=MAX.
        i32::try_from(days_from_civil(i64::from(year), month, day))
            .ok()
            .map(Day)
    }

    /// The year, month (1–12) and day of month.
    pub fn ymd(self) -> (i32, u32, u32) {
        let (y, m, d) = civil_from_days(i64::from(self.0));
        // Years of Day::MIN..=Day::MAX are 0..=9999, so this never saturates.
        (i32::try_from(y).unwrap_or(i32::MAX), m, d)
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.ymd().0
    }

    /// The day that contains the instant `ms` milliseconds after the epoch, in UTC.
    ///
    /// Instants before 0000-01-01 or after 9999-12-31 give [`Day::MIN`] or [`Day::MAX`]:
    /// no clock of a real device is that wrong, and a total function keeps callers simple.
    pub fn from_epoch_ms(ms: i64) -> Day {
        let days = ms.div_euclid(MS_PER_DAY);
        let clamped = days.clamp(i64::from(Day::MIN.0), i64::from(Day::MAX.0));
        Day(i32::try_from(clamped).unwrap_or(0))
    }

    /// Midnight UTC at the start of this day, in milliseconds since the epoch.
    pub fn to_epoch_ms(self) -> i64 {
        i64::from(self.0) * MS_PER_DAY
    }

    /// The day `n` days later (earlier when negative), if it stays in range.
    pub fn checked_add_days(self, n: i32) -> Option<Day> {
        self.0.checked_add(n).and_then(Day::from_days)
    }

    /// Parses `YYYY-MM-DD`, exactly: no spaces, no time, no other separators.
    pub fn parse(text: &str) -> Result<Day, ParseDayError> {
        let b = text.as_bytes();
        let digits_at = |range: std::ops::Range<usize>| {
            b[range].iter().try_fold(0u32, |acc, c| {
                c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
            })
        };
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(ParseDayError::Shape);
        }
        let (Some(year), Some(month), Some(day)) =
            (digits_at(0..4), digits_at(5..7), digits_at(8..10))
        else {
            return Err(ParseDayError::Shape);
        };
        // Four digits always fit: year <= 9999.
        let year = i32::try_from(year).map_err(|_| ParseDayError::Shape)?;
        if !(1..=12).contains(&month) {
            return Err(ParseDayError::Month);
        }
        Day::from_ymd(year, month, day).ok_or(ParseDayError::DayOfMonth)
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl fmt::Debug for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Day({self})")
    }
}

impl std::str::FromStr for Day {
    type Err = ParseDayError;
    fn from_str(s: &str) -> Result<Day, ParseDayError> {
        Day::parse(s)
    }
}

impl Serialize for Day {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Day, D::Error> {
        struct DayVisitor;
        impl de::Visitor<'_> for DayVisitor {
            type Value = Day;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date written YYYY-MM-DD")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Day, E> {
                Day::parse(v).map_err(E::custom)
            }
        }
        d.deserialize_str(DayVisitor)
    }
}

fn is_leap(year: i32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Hinnant's `days_from_civil`: days since 1970-01-01 of a valid Gregorian date.
///
/// The year is shifted to start in March so that the leap day is the last day of the
/// year, then counted in 400-year eras of 146 097 days.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let (m, d) = (i64::from(month), i64::from(day));
    let y = if m <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400; // [0, 399]
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1; // [0, 365]
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // [0, 146096]
    era * 146_097 + doe - 719_468
}

/// Hinnant's `civil_from_days`: the Gregorian date `z` days after 1970-01-01.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097; // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11], March = 0
    let d = doy - (153 * mp + 2) / 5 + 1; // [1, 31]
    let m = if mp < 10 { mp + 3 } else { mp - 9 }; // [1, 12]
    let y = yoe + era * 400 + i64::from(m <= 2);
    // m and d are small positive numbers by the ranges above.
    (y, m as u32, d as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> Day {
        Day::from_ymd(y, m, d).unwrap()
    }

    #[test]
    fn known_dates() {
        assert_eq!(ymd(1970, 1, 1), Day::EPOCH);
        assert_eq!(ymd(1970, 1, 2).days(), 1);
        assert_eq!(ymd(1969, 12, 31).days(), -1);
        assert_eq!(ymd(2000, 3, 1).days(), 11_017);
        assert_eq!(ymd(0, 1, 1), Day::MIN);
        assert_eq!(ymd(9999, 12, 31), Day::MAX);
        assert_eq!(ymd(2026, 11, 24).to_string(), "2026-11-24");
        assert_eq!(Day::MIN.to_string(), "0000-01-01");
        assert_eq!(format!("{:?}", ymd(2024, 2, 29)), "Day(2024-02-29)");
    }

    #[test]
    fn leap_years_follow_the_gregorian_rule() {
        assert!(Day::from_ymd(2024, 2, 29).is_some());
        assert!(Day::from_ymd(2000, 2, 29).is_some(), "divisible by 400");
        assert!(Day::from_ymd(1900, 2, 29).is_none(), "divisible by 100");
        assert!(Day::from_ymd(2100, 2, 29).is_none(), "divisible by 100");
        assert!(Day::from_ymd(2023, 2, 29).is_none());
        assert_eq!(ymd(2000, 3, 1).days() - ymd(2000, 2, 28).days(), 2);
        assert_eq!(ymd(1900, 3, 1).days() - ymd(1900, 2, 28).days(), 1);
        assert_eq!(ymd(2100, 3, 1).days() - ymd(2100, 2, 28).days(), 1);
    }

    #[test]
    fn every_day_round_trips_through_civil_and_text() {
        // 1890..2110 covers 1900, 2000, 2100 and every leap rule; one step a day.
        let (first, last) = (ymd(1890, 1, 1).days(), ymd(2110, 12, 31).days());
        let mut previous: Option<(i32, u32, u32)> = None;
        for n in first..=last {
            let day = Day::from_days(n).unwrap();
            let (y, m, d) = day.ymd();
            assert_eq!(Day::from_ymd(y, m, d), Some(day));
            assert_eq!(Day::parse(&day.to_string()), Ok(day));
            if let Some(p) = previous {
                // Consecutive days are consecutive dates.
                assert!((y, m, d) > p, "{day}");
            }
            previous = Some((y, m, d));
        }
        for day in [Day::MIN, Day::MAX] {
            assert_eq!(Day::parse(&day.to_string()), Ok(day));
        }
    }

    #[test]
    fn epoch_ms_is_utc_and_floors() {
        let day = ymd(2026, 11, 24);
        let midnight = day.to_epoch_ms();
        assert_eq!(midnight, 1_795_478_400_000);
        assert_eq!(Day::from_epoch_ms(midnight), day);
        assert_eq!(Day::from_epoch_ms(midnight + MS_PER_DAY - 1), day);
        assert_eq!(Day::from_epoch_ms(midnight - 1), ymd(2026, 11, 23));
        assert_eq!(Day::from_epoch_ms(-1), ymd(1969, 12, 31));
        assert_eq!(Day::from_epoch_ms(i64::MAX), Day::MAX);
        assert_eq!(Day::from_epoch_ms(i64::MIN), Day::MIN);
    }

    #[test]
    fn parse_refuses_anything_but_yyyy_mm_dd() {
        use ParseDayError::*;
        for (text, why) in [
            ("", Shape),
            ("2026-1-24", Shape),
            ("2026/11/24", Shape),
            ("24-11-2026", Shape),
            (" 2026-11-24", Shape),
            ("2026-11-24T00:00", Shape),
            ("+026-11-24", Shape),
            ("2026-1a-24", Shape),
            ("２026-11-2", Shape),
            ("2026-00-10", Month),
            ("2026-13-10", Month),
            ("2026-11-00", DayOfMonth),
            ("2026-11-31", DayOfMonth),
            ("2026-02-29", DayOfMonth),
            ("1900-02-29", DayOfMonth),
        ] {
            assert_eq!(Day::parse(text), Err(why), "{text:?}");
        }
        assert_eq!("2026-11-24".parse::<Day>(), Ok(ymd(2026, 11, 24)));
    }

    #[test]
    fn out_of_range_values_are_refused() {
        assert_eq!(Day::from_days(Day::MAX.days() + 1), None);
        assert_eq!(Day::from_days(Day::MIN.days() - 1), None);
        assert_eq!(Day::from_ymd(10_000, 1, 1), None);
        assert_eq!(Day::from_ymd(-1, 12, 31), None);
        assert_eq!(Day::from_ymd(2026, 13, 1), None);
        assert_eq!(Day::MAX.checked_add_days(1), None);
        assert_eq!(ymd(2024, 12, 31).checked_add_days(1), Some(ymd(2025, 1, 1)));
    }

    #[test]
    fn serde_uses_the_text_form() {
        let day = ymd(2100, 2, 28);
        let json = serde_json::to_value(day).unwrap();
        assert_eq!(json, "2100-02-28");
        assert_eq!(serde_json::from_value::<Day>(json).unwrap(), day);
        assert!(serde_json::from_str::<Day>("\"2100-02-29\"").is_err());
        assert!(serde_json::from_str::<Day>("20000").is_err());
    }
}
