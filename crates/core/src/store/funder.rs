//! The funder's table: each indicator of a set of definitions counted over a period and
//! its parts, from the projection tables.
//!
//! For an indicator, the store finds the persons to whom its event happened in the
//! period (by its date rule: the first time ever, or any time), keeps those of its
//! population (categories and territory flags from the person's row and tags; the age
//! band recorded, or the one their birth year gives on the period's last day), and, for
//! a "dont" line, only those its parent counted, so a part never exceeds its whole. A
//! person counts once per cell however often the event happened. The table holds
//! labels and numbers only; in the funder's mode, counts from 1 to 4 read "< 5".

use std::collections::{BTreeSet, HashMap};

use filrouge_model::dashboard::{Period, PeriodKind};
use filrouge_model::indicators::{
    Cell, DateRule, Event, FunderRow, FunderTable, Indicator, IndicatorSet, TerritoryFlag, band_of,
};
use filrouge_model::{AgeBand, Day, PublicCategory};
use rusqlite::{ToSql, params_from_iter};

use crate::store::dashboard::MET;
use crate::{CoreError, Store};

/// What the populations are checked against, read once per person.
struct Attributes {
    categories: Vec<PublicCategory>,
    birth_year: Option<i32>,
    age_band: Option<AgeBand>,
    flags: Vec<TerritoryFlag>,
}

/// The parts of a period that get a column: the quarters of a year, the months of a
/// quarter; a month, a week or custom days get none.
fn columns(period: Period) -> Vec<Period> {
    let part = match period.kind {
        PeriodKind::Year => PeriodKind::Quarter,
        PeriodKind::Quarter => PeriodKind::Month,
        _ => return Vec::new(),
    };
    let mut out = Vec::new();
    let mut p = Period::containing(part, period.start);
    while p.start <= period.end {
        out.push(p);
        p = p.next();
    }
    out
}

/// Which cells the funder's mode hides: every count from 1 to 4 (primary suppression),
/// then, wherever one hidden cell could be worked out by subtraction, one more
/// (secondary suppression), until none can. Two sums hold exactly: a row's columns add
/// up to its total when the date rule is `first` (a person counts in one part of the
/// period), and a parent's parts may add up to it (the kinds of positive exit). So in a
/// row, and among the parts of one parent in a column, a lone hidden cell takes the
/// smallest other non-zero cell with it.
pub(crate) fn suppressed(counts: &[Vec<u64>], set: &IndicatorSet) -> Vec<Vec<bool>> {
    let mut hide: Vec<Vec<bool>> = counts
        .iter()
        .map(|row| {
            row.iter()
                .map(|n| matches!(Cell::of(*n, true), Cell::Suppressed))
                .collect()
        })
        .collect();
    // Hides the smallest non-zero cell among `cells` (row, column) not hidden yet, when
    // exactly one of them is hidden; whether it did.
    let complete = |hide: &mut Vec<Vec<bool>>, cells: &[(usize, usize)]| {
        if cells.iter().filter(|(r, c)| hide[*r][*c]).count() != 1 {
            return false;
        }
        let smallest = cells
            .iter()
            .filter(|(r, c)| !hide[*r][*c] && counts[*r][*c] > 0)
            .min_by_key(|(r, c)| counts[*r][*c]);
        match smallest {
            Some((r, c)) => {
                hide[*r][*c] = true;
                true
            }
            None => false,
        }
    };
    let width = counts.first().map_or(0, Vec::len);
    let mut changed = true;
    while changed {
        changed = false;
        for r in 0..counts.len() {
            // The columns and the total of a row with parts of the period.
            if width > 1 {
                let cells: Vec<_> = (0..width).map(|c| (r, c)).collect();
                changed |= complete(&mut hide, &cells);
            }
        }
        for (p, parent) in set.indicators.iter().enumerate() {
            let parts: Vec<usize> = set
                .indicators
                .iter()
                .enumerate()
                .filter(|(_, i)| i.part_of.as_deref() == Some(parent.id.as_str()))
                .map(|(r, _)| r)
                .collect();
            if parts.is_empty() {
                continue;
            }
            for c in 0..width {
                let cells: Vec<_> = std::iter::once((p, c))
                    .chain(parts.iter().map(|r| (*r, c)))
                    .collect();
                changed |= complete(&mut hide, &cells);
            }
        }
    }
    hide
}

/// `?n, ?n+1, …` for `count` parameters starting at `first`.
fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Store {
    /// The funder's table of `set` over `period`; `funder_mode` hides counts from 1 to 4.
    pub fn funder_table(
        &self,
        set: &IndicatorSet,
        period: Period,
        funder_mode: bool,
    ) -> Result<FunderTable, CoreError> {
        let period = period.validate()?;
        let columns = columns(period);
        // Read once, when a population first needs them.
        let mut people: Option<HashMap<String, Attributes>> = None;
        // Read once, when a "repérés" line first needs them.
        let mut first_seen: Option<HashMap<String, i64>> = None;
        // Indicators often share an event ("repérés", then "dont QPV"…): its persons
        // are found once per column.
        let mut events: HashMap<(&Event, DateRule, usize), BTreeSet<String>> = HashMap::new();
        let mut rows = Vec::with_capacity(set.indicators.len());
        // Each indicator's counts per column, the whole period last.
        let mut counts: Vec<Vec<u64>> = Vec::with_capacity(set.indicators.len());
        // Each indicator's persons per column (the whole period last), for its parts.
        let mut counted: HashMap<&str, Vec<BTreeSet<String>>> = HashMap::new();
        for indicator in &set.indicators {
            let mut sets = Vec::with_capacity(columns.len() + 1);
            for (i, p) in columns.iter().chain(std::iter::once(&period)).enumerate() {
                let key = (&indicator.event, indicator.date_rule, i);
                let mut ids = match events.get(&key) {
                    Some(ids) => ids.clone(),
                    None => {
                        let found = self.event_persons(
                            &indicator.event,
                            indicator.date_rule,
                            *p,
                            &mut first_seen,
                        )?;
                        events.entry(key).or_insert(found).clone()
                    }
                };
                if !indicator.population.is_everyone() {
                    let people = match &mut people {
                        Some(people) => people,
                        None => people.insert(self.attributes()?),
                    };
                    let year = p.end.year();
                    ids.retain(|id| admitted(indicator, people.get(id), year));
                }
                if let Some(parent) = indicator.part_of.as_deref().and_then(|id| counted.get(id)) {
                    ids.retain(|id| parent[i].contains(id));
                }
                sets.push(ids);
            }
            counts.push(sets.iter().map(|ids| ids.len() as u64).collect::<Vec<_>>());
            counted.insert(indicator.id.as_str(), sets);
        }
        let hidden = if funder_mode {
            suppressed(&counts, set)
        } else {
            vec![vec![false; columns.len() + 1]; counts.len()]
        };
        for ((indicator, n), hide) in set.indicators.iter().zip(&counts).zip(&hidden) {
            let cell = |i: usize| {
                if hide[i] {
                    Cell::Suppressed
                } else {
                    Cell::Count(n[i])
                }
            };
            rows.push(FunderRow {
                id: indicator.id.clone(),
                label: indicator.label.clone(),
                part_of: indicator.part_of.clone(),
                cells: (0..columns.len()).map(cell).collect(),
                total: cell(columns.len()),
            });
        }
        Ok(FunderTable {
            name: set.name.clone(),
            period,
            columns,
            rows,
            funder_mode,
        })
    }

    /// The existing persons to whom `event` happened in `period`, by `rule`.
    /// `first_seen` keeps [`Store::first_seen`] once read, for the other columns.
    fn event_persons(
        &self,
        event: &Event,
        rule: DateRule,
        period: Period,
        first_seen: &mut Option<HashMap<String, i64>>,
    ) -> Result<BTreeSet<String>, CoreError> {
        let (from, to) = period.bounds_ms();
        let (from_day, to_day) = (period.start.to_string(), period.end_excluded().to_string());
        let first = rule == DateRule::First;
        let (sql, values): (String, Vec<Box<dyn ToSql>>) = match event {
            Event::Repere => {
                let seen = match first_seen {
                    Some(seen) => seen,
                    None => first_seen.insert(self.first_seen()?),
                };
                return Ok(seen_in(seen, period));
            }
            Event::Met if first => (
                format!(
                    "SELECT m.id FROM ({MET}) m WHERE NOT EXISTS (SELECT 1 FROM rencontre_persons r
                      WHERE r.person_id = m.id AND r.occurred_at < ?1)"
                ),
                vec![Box::new(from), Box::new(to)],
            ),
            Event::Met => (MET.to_owned(), vec![Box::new(from), Box::new(to)]),
            Event::Stage { stages } => {
                let codes: Vec<&str> = stages.iter().map(|s| s.code()).collect();
                self.etape_sql("stage", &codes, first, from_day, to_day)
            }
            Event::Exit { exits } => {
                let codes: Vec<&str> = exits.iter().map(|x| x.code()).collect();
                self.etape_sql("exit_kind", &codes, first, from_day, to_day)
            }
        };
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(values.iter()), |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The persons with an étape whose `column` is one of `codes`, dated in `[?1, ?2)`
    /// (and none before it, when `first`).
    fn etape_sql(
        &self,
        column: &str,
        codes: &[&str],
        first: bool,
        from_day: String,
        to_day: String,
    ) -> (String, Vec<Box<dyn ToSql>>) {
        let list = placeholders(3, codes.len());
        let earlier = if first {
            format!(
                " AND NOT EXISTS (SELECT 1 FROM etapes b WHERE b.person_id = e.person_id
                    AND b.{column} IN ({list}) AND b.date < ?1)"
            )
        } else {
            String::new()
        };
        let sql = format!(
            "SELECT DISTINCT e.person_id FROM etapes e
              WHERE e.date >= ?1 AND e.date < ?2 AND e.{column} IN ({list})
                AND EXISTS (SELECT 1 FROM personnes p WHERE p.id = e.person_id){earlier}"
        );
        let mut values: Vec<Box<dyn ToSql>> = vec![Box::new(from_day), Box::new(to_day)];
        values.extend(
            codes
                .iter()
                .map(|c| Box::new(c.to_string()) as Box<dyn ToSql>),
        );
        (sql, values)
    }

    /// When each existing person was first seen, in milliseconds: the earliest of their
    /// record's creation (not for a person imported from a spreadsheet, met before the
    /// import), their first rencontre and the day of their first étape. A person is
    /// "repéré" in the period this falls in: the dashboard's `NEW` rule (a test holds
    /// both to the same counts), read in three passes for every column at once instead
    /// of one query per column, which cost most of a year's table.
    fn first_seen(&self) -> Result<HashMap<String, i64>, CoreError> {
        let mut seen = HashMap::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, CASE WHEN id IN (SELECT record_id FROM imported) THEN NULL
                             ELSE created_at END
               FROM personnes",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let created: Option<i64> = r.get(1)?;
            seen.insert(r.get::<_, String>(0)?, created.unwrap_or(i64::MAX));
        }
        let mut earlier = |sql: &str, at: fn(&rusqlite::Row) -> rusqlite::Result<Option<i64>>| {
            let mut stmt = self.conn.prepare_cached(sql)?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                // Persons without a row (deleted, merged away) are none of the table's.
                if let (Some(first), Some(at)) = (seen.get_mut(&r.get::<_, String>(0)?), at(r)?) {
                    *first = (*first).min(at);
                }
            }
            Ok::<_, CoreError>(())
        };
        earlier(
            "SELECT person_id, min(occurred_at) FROM rencontre_persons GROUP BY person_id",
            |r| r.get(1),
        )?;
        earlier(
            "SELECT person_id, min(date) FROM etapes GROUP BY person_id",
            |r| {
                Ok(Day::parse(&r.get::<_, String>(1)?)
                    .ok()
                    .map(Day::to_epoch_ms))
            },
        )?;
        Ok(seen)
    }

    /// Every person's attributes the populations are checked against: two reads.
    fn attributes(&self) -> Result<HashMap<String, Attributes>, CoreError> {
        let mut people = HashMap::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, birth_year, age_band, qpv, zrr, outre_mer FROM personnes",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let flags = [
                (r.get::<_, bool>(3)?, TerritoryFlag::Qpv),
                (r.get::<_, bool>(4)?, TerritoryFlag::Zrr),
                (r.get::<_, bool>(5)?, TerritoryFlag::OutreMer),
            ];
            people.insert(
                r.get::<_, String>(0)?,
                Attributes {
                    categories: Vec::new(),
                    birth_year: r.get(1)?,
                    age_band: r
                        .get::<_, Option<String>>(2)?
                        .and_then(|c| AgeBand::from_code(&c)),
                    flags: flags.into_iter().filter(|f| f.0).map(|f| f.1).collect(),
                },
            );
        }
        let mut stmt = self
            .conn
            .prepare_cached("SELECT person_id, code FROM person_tags WHERE vocab = 'category'")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            if let (Some(a), Some(c)) = (
                people.get_mut(&id),
                PublicCategory::from_code(&r.get::<_, String>(1)?),
            ) {
                a.categories.push(c);
            }
        }
        Ok(people)
    }
}

/// The persons first seen in `period` (see [`Store::first_seen`]).
fn seen_in(seen: &HashMap<String, i64>, period: Period) -> BTreeSet<String> {
    let (from, to) = period.bounds_ms();
    seen.iter()
        .filter(|(_, at)| (from..to).contains(*at))
        .map(|(id, _)| id.clone())
        .collect()
}

/// Whether a person with `attributes` (`None`: no row) belongs to `indicator`'s
/// population in a period ending in `year`.
fn admitted(indicator: &Indicator, attributes: Option<&Attributes>, year: i32) -> bool {
    attributes.is_some_and(|a| {
        let band = a
            .age_band
            .or_else(|| a.birth_year.map(|y| band_of(y, year)));
        indicator.population.admits(&a.categories, band, &a.flags)
    })
}
