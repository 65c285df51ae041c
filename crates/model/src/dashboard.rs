//! The coordination space's figures: a period, the team's counts over it, and the lists
//! behind each count.
//!
//! The coordinator's laptop asks for a [`Period`] (a week, a month, a quarter, a year or
//! days of their choosing) and gets a [`Dashboard`]: the period's [`Figures`] beside the
//! previous period's, and what stands today (where every person is in their parcours,
//! the relances overdue). Every count names a [`Figure`]; asking for that figure gives
//! the records behind it as a [`FigureList`], as many as the count says. Days are UTC
//! days, as the rest of the app dates rencontres.

use serde::{Deserialize, Serialize};

use crate::error::{Field, Problem, ValidationError};
use crate::rencontre::{Channel, Rencontre};
use crate::views::{DueRelance, PersonHit};
use crate::vocab::{OrientationStatus, PublicCategory, Stage};
use crate::{Day, RecordId};

/// Days without reaching the server after which a device of the team makes the
/// figures provisional (its records may be missing).
pub const STALE_AFTER_DAYS: u32 = 7;

/// A device of the team that has not synced lately, as the server last listed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaleDevice {
    /// Its name (given at enrolment).
    pub name: String,
    /// When it last reached the server (`None`: never since it was enrolled).
    pub last_seen_at: Option<i64>,
}

/// The longest custom period, in days (ten years and leap days).
pub const PERIOD_MAX_DAYS: i32 = 3_660;

/// How a period was chosen: it decides which period comes before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    /// Monday to Sunday.
    Week,
    /// A calendar month.
    Month,
    /// A calendar quarter.
    Quarter,
    /// A calendar year.
    Year,
    /// Days of the coordinator's choosing.
    Custom,
}

/// A span of days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Period {
    /// How it was chosen.
    pub kind: PeriodKind,
    /// Its first day.
    pub start: Day,
    /// Its last day.
    pub end: Day,
}

impl Period {
    /// The period of `kind` that holds `day` (for [`PeriodKind::Custom`], that day alone).
    pub fn containing(kind: PeriodKind, day: Day) -> Period {
        let (y, m, _) = day.ymd();
        let span = |start: Option<Day>, end: Option<Day>| Period {
            kind,
            start: start.unwrap_or(day),
            end: end.unwrap_or(day),
        };
        match kind {
            // 1970-01-01 was a Thursday: Monday is day 4 of that week, counted from 0.
            PeriodKind::Week => {
                let monday = day.days() - (day.days() + 3).rem_euclid(7);
                span(Day::from_days(monday), Day::from_days(monday + 6))
            }
            PeriodKind::Month => span(Day::from_ymd(y, m, 1), month_end(y, m)),
            PeriodKind::Quarter => {
                let first = (m - 1) / 3 * 3 + 1;
                span(Day::from_ymd(y, first, 1), month_end(y, first + 2))
            }
            PeriodKind::Year => span(Day::from_ymd(y, 1, 1), Day::from_ymd(y, 12, 31)),
            PeriodKind::Custom => span(Some(day), Some(day)),
        }
    }

    /// Days of the coordinator's choosing, from `start` to `end` included.
    pub fn custom(start: Day, end: Day) -> Result<Period, ValidationError> {
        let days = end.days() - start.days() + 1;
        if !(1..=PERIOD_MAX_DAYS).contains(&days) {
            return Err(ValidationError::new(
                Field::Period,
                Problem::OutOfRange {
                    min: 1,
                    max: PERIOD_MAX_DAYS.into(),
                },
            ));
        }
        Ok(Period {
            kind: PeriodKind::Custom,
            start,
            end,
        })
    }

    /// Checks a period that came over a boundary (the UI, a command line).
    pub fn validate(self) -> Result<Period, ValidationError> {
        let checked = Period::custom(self.start, self.end)?;
        Ok(Period {
            kind: self.kind,
            ..checked
        })
    }

    /// How many days it holds.
    pub fn days(self) -> i32 {
        self.end.days() - self.start.days() + 1
    }

    /// The period just before, of the same kind: the previous month for a month, the
    /// same number of days for a custom period.
    pub fn previous(self) -> Period {
        match self.start.checked_add_days(-1) {
            Some(last) if self.kind == PeriodKind::Custom => Period {
                kind: PeriodKind::Custom,
                start: last.checked_add_days(1 - self.days()).unwrap_or(Day::MIN),
                end: last,
            },
            Some(last) => Period::containing(self.kind, last),
            None => self,
        }
    }

    /// The period just after, of the same kind.
    pub fn next(self) -> Period {
        match self.end.checked_add_days(1) {
            Some(first) if self.kind == PeriodKind::Custom => Period {
                kind: PeriodKind::Custom,
                start: first,
                end: first.checked_add_days(self.days() - 1).unwrap_or(Day::MAX),
            },
            Some(first) => Period::containing(self.kind, first),
            None => self,
        }
    }

    /// Its bounds in milliseconds since the epoch: the start of its first day and the
    /// start of the day after its last (excluded).
    pub fn bounds_ms(self) -> (i64, i64) {
        (
            self.start.to_epoch_ms(),
            self.end.to_epoch_ms() + 24 * 60 * 60 * 1000,
        )
    }

    /// Reads a period as the command line writes it: `2026` (a year), `2026-T4` (a
    /// quarter), `2026-11` (a month), `2026-11-16` (that day alone), or
    /// `2026-11-01..2026-11-15` (days of one's choosing).
    pub fn parse(text: &str) -> Option<Period> {
        let text = text.trim();
        if let Some((a, b)) = text.split_once("..") {
            return Period::custom(Day::parse(a).ok()?, Day::parse(b).ok()?).ok();
        }
        if let Ok(day) = Day::parse(text) {
            return Some(Period::containing(PeriodKind::Custom, day));
        }
        let (year, rest) = match text.split_once('-') {
            Some((y, r)) => (y, Some(r)),
            None => (text, None),
        };
        let year: i32 = year.parse().ok().filter(|y| (1..=9999).contains(y))?;
        let (kind, month) = match rest {
            None => (PeriodKind::Year, 1),
            Some(q) if q.starts_with(['T', 'Q']) => {
                let q: u32 = q[1..].parse().ok().filter(|q| (1..=4).contains(q))?;
                (PeriodKind::Quarter, (q - 1) * 3 + 1)
            }
            Some(m) if m.len() == 2 => (PeriodKind::Month, m.parse().ok()?),
            Some(_) => return None,
        };
        Some(Period::containing(kind, Day::from_ymd(year, month, 1)?))
    }

    /// A short text for file names: `2026`, `2026-T4`, `2026-11`, `2026-11-01_2026-11-15`.
    pub fn slug(self) -> String {
        let (y, m, _) = self.start.ymd();
        match self.kind {
            PeriodKind::Year => y.to_string(),
            PeriodKind::Quarter => format!("{y}-T{}", m.div_ceil(3)),
            PeriodKind::Month => format!("{y}-{m:02}"),
            PeriodKind::Week | PeriodKind::Custom => format!("{}_{}", self.start, self.end),
        }
    }

    /// The day after its last, as a text bound for dated rows (excluded).
    pub fn end_excluded(self) -> Day {
        self.end.checked_add_days(1).unwrap_or(Day::MAX)
    }
}

/// The last day of month `m` of year `y`.
fn month_end(y: i32, m: u32) -> Option<Day> {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    Day::from_ymd(ny, nm, 1)?.checked_add_days(-1)
}

/// A count and what it counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count<K> {
    /// What is counted (a channel, a worker, a day…).
    pub key: K,
    /// How many.
    pub count: u64,
}

/// The orientations of a period to one partner with one status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrientationCount {
    /// The partner's name (as in the directory, or as typed when it is not in it).
    pub partner: Option<String>,
    /// Where they stand.
    pub status: OrientationStatus,
    /// How many.
    pub count: u64,
}

/// An event of the period with its registrations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventCount {
    /// The event's id (its screen lists the registrations).
    pub id: RecordId,
    /// Its name.
    pub name: String,
    /// Its day.
    pub date: Day,
    /// Registrations.
    pub registered: u64,
    /// Registrations checked in on the day.
    pub checked_in: u64,
}

/// A period's counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    /// Rencontres recorded as happening in the period.
    pub rencontres: u64,
    /// Named persons met, summed over the rencontres (a person met twice counts twice).
    pub named: u64,
    /// People met anonymously, summed over the rencontres' headcounts.
    pub anonymous: u64,
    /// Distinct persons met.
    pub persons_met: u64,
    /// Persons first seen in the period (*repérés*): their first rencontre, first stage
    /// change or their record falls in it, whichever came first.
    pub new_persons: u64,
    /// Rencontres by channel.
    pub by_channel: Vec<Count<Channel>>,
    /// Rencontres by the worker who recorded them (`None`: recorded before the app kept
    /// it, or on a device whose worker gave no name).
    pub by_worker: Vec<Count<Option<String>>>,
    /// Rencontres by day, days without one left out.
    pub by_day: Vec<Count<Day>>,
    /// Persons who reached each stage in the period.
    pub reached: Vec<Count<Stage>>,
    /// Persons met in the period, by public category.
    pub categories: Vec<Count<PublicCategory>>,
    /// Persons met in the period who live in a QPV.
    pub qpv: u64,
    /// Persons met in the period who live in a ZRR.
    pub zrr: u64,
    /// Persons met in the period who live overseas.
    pub outre_mer: u64,
    /// Orientations dated in the period, by partner and status.
    pub orientations: Vec<OrientationCount>,
    /// Events of the period.
    pub events: Vec<EventCount>,
}

/// The coordination space's first screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    /// The period shown.
    pub period: Period,
    /// Its figures.
    pub current: Figures,
    /// The previous period's, to compare.
    pub previous: Figures,
    /// Where every person stands today (`None`: no stage yet).
    pub stages_now: Vec<Count<Option<Stage>>>,
    /// Open relances past their day, by référent.
    pub overdue: Vec<Count<String>>,
    /// The team's devices that have not synced for [`STALE_AFTER_DAYS`], from the
    /// server's list as last read (the figures are provisional while there are some).
    #[serde(default)]
    pub stale_devices: Vec<StaleDevice>,
    /// Whether this device is in a team whose devices it has never been able to list
    /// (offline since its enrolment): the figures may lack others' records.
    #[serde(default)]
    pub devices_unknown: bool,
}

/// One count of the dashboard, to list the records behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "figure", content = "value", rename_all = "snake_case")]
pub enum Figure {
    /// The period's rencontres.
    Rencontres,
    /// Its rencontres through one channel.
    Channel(Channel),
    /// Its rencontres recorded by one worker (`None`: by nobody named).
    Worker(Option<String>),
    /// Its rencontres of one day.
    OnDay(Day),
    /// The distinct persons met.
    PersonsMet,
    /// The persons first seen in it.
    NewPersons,
    /// The persons who reached a stage in it.
    Reached(Stage),
    /// The persons met in it of a public category.
    Category(PublicCategory),
    /// The persons met in it who live in a QPV.
    Qpv,
    /// The persons met in it who live in a ZRR.
    Zrr,
    /// The persons met in it who live overseas.
    OutreMer,
    /// The orientations dated in it to a partner with a status.
    Orientations {
        /// The partner's name, as counted.
        partner: Option<String>,
        /// Their status.
        status: OrientationStatus,
    },
    /// Everyone at a stage today (the period does not matter).
    StageNow(Option<Stage>),
    /// A référent's overdue relances today (the period does not matter).
    Overdue(String),
}

/// An orientation as a figure's list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrientationRow {
    /// The orientation's id.
    pub id: RecordId,
    /// The person oriented.
    pub person_id: RecordId,
    /// Their pseudonym.
    pub person: Option<String>,
    /// The partner's name.
    pub partner: Option<String>,
    /// Where it stands.
    pub status: OrientationStatus,
    /// Its day.
    pub date: Day,
}

/// The records behind a figure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "list", content = "rows", rename_all = "snake_case")]
pub enum FigureList {
    /// Rencontres, newest first.
    Rencontres(Vec<Rencontre>),
    /// Persons, by pseudonym.
    Persons(Vec<PersonHit>),
    /// Orientations, newest first.
    Orientations(Vec<OrientationRow>),
    /// Relances, oldest first.
    Relances(Vec<DueRelance>),
}

impl FigureList {
    /// How many records it holds.
    pub fn len(&self) -> usize {
        match self {
            FigureList::Rencontres(rows) => rows.len(),
            FigureList::Persons(rows) => rows.len(),
            FigureList::Orientations(rows) => rows.len(),
            FigureList::Relances(rows) => rows.len(),
        }
    }

    /// Whether it holds nothing.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Day {
        Day::parse(text).unwrap()
    }

    #[test]
    fn periods_hold_their_days_and_step_back_by_their_kind() {
        let d = day("2026-11-18"); // a Wednesday
        let week = Period::containing(PeriodKind::Week, d);
        assert_eq!(
            (week.start, week.end),
            (day("2026-11-16"), day("2026-11-22"))
        );
        assert_eq!(week.previous().start, day("2026-11-09"));
        let month = Period::containing(PeriodKind::Month, d);
        assert_eq!(
            (month.start, month.end),
            (day("2026-11-01"), day("2026-11-30"))
        );
        assert_eq!(month.previous().end, day("2026-10-31"));
        assert_eq!(month.next().end, day("2026-12-31"));
        let march = Period::containing(PeriodKind::Month, day("2028-03-05"));
        assert_eq!(march.previous().end, day("2028-02-29"));
        let quarter = Period::containing(PeriodKind::Quarter, d);
        assert_eq!(
            (quarter.start, quarter.end),
            (day("2026-10-01"), day("2026-12-31"))
        );
        assert_eq!(quarter.previous().start, day("2026-07-01"));
        let year = Period::containing(PeriodKind::Year, d);
        assert_eq!(year.days(), 365);
        assert_eq!(year.previous().start, day("2025-01-01"));
        let custom = Period::custom(day("2026-11-10"), day("2026-11-19")).unwrap();
        assert_eq!(
            (custom.previous().start, custom.previous().end),
            (day("2026-10-31"), day("2026-11-09"))
        );
        assert_eq!(custom.next().start, day("2026-11-20"));
        assert_eq!(custom.bounds_ms().1 - custom.bounds_ms().0, 10 * 86_400_000);
        // A Sunday belongs to the week that began on the Monday before.
        assert_eq!(
            Period::containing(PeriodKind::Week, day("2026-11-22")).start,
            day("2026-11-16")
        );
    }

    #[test]
    fn periods_read_as_the_command_line_writes_them() {
        let p = Period::parse("2026-11").unwrap();
        assert_eq!(
            (p.kind, p.start, p.end),
            (PeriodKind::Month, day("2026-11-01"), day("2026-11-30"))
        );
        assert_eq!(Period::parse("2026").unwrap().days(), 365);
        let q = Period::parse("2026-T4").unwrap();
        assert_eq!((q.kind, q.start), (PeriodKind::Quarter, day("2026-10-01")));
        let c = Period::parse("2026-11-01..2026-11-15").unwrap();
        assert_eq!((c.kind, c.days()), (PeriodKind::Custom, 15));
        for bad in [
            "",
            "2026-13",
            "2026-T5",
            "nov",
            "2026-11-15..2026-11-01",
            "2026-1",
        ] {
            assert_eq!(Period::parse(bad), None, "{bad}");
        }
        assert_eq!(q.slug(), "2026-T4");
        assert_eq!(p.slug(), "2026-11");
        assert_eq!(c.slug(), "2026-11-01_2026-11-15");
    }

    #[test]
    fn a_custom_period_must_run_forward_and_not_forever() {
        let err = Period::custom(day("2026-11-10"), day("2026-11-09")).unwrap_err();
        assert_eq!(err.field, Field::Period);
        assert!(Period::custom(day("2000-01-01"), day("2026-01-01")).is_err());
        assert!(Period::custom(day("2026-11-10"), day("2026-11-10")).is_ok());
    }

    #[test]
    fn figures_travel_as_tagged_json() {
        let f = Figure::Orientations {
            partner: Some("Mission locale".into()),
            status: OrientationStatus::Acceptee,
        };
        let json = serde_json::to_string(&f).unwrap();
        assert_eq!(
            json,
            r#"{"figure":"orientations","value":{"partner":"Mission locale","status":"acceptee"}}"#
        );
        assert_eq!(serde_json::from_str::<Figure>(&json).unwrap(), f);
        let json = serde_json::to_string(&Figure::Channel(Channel::Maraude)).unwrap();
        assert_eq!(json, r#"{"figure":"channel","value":"maraude"}"#);
    }
}
