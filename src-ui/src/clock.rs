//! The device's clock and local time zone, read from JavaScript's `Date`.
//!
//! Records carry UTC milliseconds; the screen shows local wall-clock times and lists
//! what happened since local midnight. Only the three functions that ask `Date` need
//! a browser; [`LocalTime`] and its formatting are plain Rust, tested on the host.

use filrouge_model::Day;
use js_sys::Date;

/// A moment as the device's local calendar and clock show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalTime {
    /// Full year, e.g. 2026.
    pub year: u32,
    /// Month, 1 to 12.
    pub month: u32,
    /// Day of the month, 1 to 31.
    pub day: u32,
    /// Hour, 0 to 23.
    pub hour: u32,
    /// Minute, 0 to 59.
    pub minute: u32,
}

impl LocalTime {
    /// "14:32".
    pub fn hhmm(self) -> String {
        format!("{:02}:{:02}", self.hour, self.minute)
    }

    /// The local calendar day of this moment.
    pub fn date(self) -> Day {
        let year = i32::try_from(self.year).unwrap_or(i32::MAX);
        // A reading of JavaScript's Date is always a real day; the fallback is never used.
        Day::from_ymd(year, self.month, self.day).unwrap_or_else(|| Day::from_epoch_ms(0))
    }

    /// Whether both moments fall on the same local day.
    pub fn same_day(self, other: LocalTime) -> bool {
        (self.year, self.month, self.day) == (other.year, other.month, other.day)
    }
}

/// Now, in milliseconds since the epoch.
pub fn now_ms() -> i64 {
    // A JS time value is an integral f64 well inside i64's range.
    Date::now() as i64
}

/// The last local midnight, in milliseconds since the epoch: where "today" starts.
pub fn start_of_today_ms() -> i64 {
    let date = Date::new_0();
    date.set_hours(0);
    date.set_minutes(0);
    date.set_seconds(0);
    date.set_milliseconds(0);
    date.get_time() as i64
}

/// Today at the local time `hhmm` ("14:32", as a time input holds it), in milliseconds
/// since the epoch; `None` when it is empty or not a time (the rencontre is then now).
pub fn today_at(hhmm: &str) -> Option<i64> {
    let (h, m) = hhmm.trim().split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.get(..2)?.parse().ok()?);
    if h > 23 || m > 59 {
        return None;
    }
    let date = Date::new_0();
    date.set_hours(h);
    date.set_minutes(m);
    date.set_seconds(0);
    date.set_milliseconds(0);
    Some(date.get_time() as i64)
}

/// The local calendar and clock reading of `ms` (milliseconds since the epoch).
pub fn local(ms: i64) -> LocalTime {
    let date = Date::new_0();
    date.set_time(ms as f64);
    LocalTime {
        year: date.get_full_year(),
        month: date.get_month() + 1,
        day: date.get_date(),
        hour: date.get_hours(),
        minute: date.get_minutes(),
    }
}

/// The local reading of now.
pub fn local_now() -> LocalTime {
    local(now_ms())
}

/// Today's local date: the day relances and stage changes are dated by default.
pub fn today() -> Day {
    local_now().date()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: u32, hour: u32, minute: u32) -> LocalTime {
        LocalTime {
            year: 2026,
            month: 11,
            day,
            hour,
            minute,
        }
    }

    #[test]
    fn hhmm_pads_with_zeros() {
        assert_eq!(at(1, 9, 5).hhmm(), "09:05");
        assert_eq!(at(1, 23, 59).hhmm(), "23:59");
        assert_eq!(at(1, 0, 0).hhmm(), "00:00");
    }

    #[test]
    fn same_day_ignores_the_clock() {
        assert!(at(3, 0, 0).same_day(at(3, 23, 59)));
        assert!(!at(3, 23, 59).same_day(at(4, 0, 0)));
    }
}
