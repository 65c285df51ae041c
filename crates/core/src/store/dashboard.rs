//! The coordinator's figures over a period, and the records behind each one.
//!
//! Everything is read from the projection tables, as every other screen is: the
//! period's rencontres from `rencontres` (through its period index), the persons met
//! from `rencontre_persons`, stages reached from `etapes`, and so on. Each count and
//! the list it opens are written from the same condition, so that a count of N lists
//! exactly N records (the tests check it figure by figure). Persons count once per
//! figure however often they were met, and only while their record exists: a link from
//! a rencontre to an erased person counts in the rencontre's headcount of named persons,
//! never as a person.

use std::collections::BTreeMap;

use filrouge_model::dashboard::{
    Count, Dashboard, EventCount, Figure, FigureList, Figures, OrientationCount, OrientationRow,
    Period, STALE_AFTER_DAYS, StaleDevice,
};
use filrouge_model::ipc::TeamDevice;
use filrouge_model::{Channel, Day, PublicCategory, Stage, Vocab};
use rusqlite::{ToSql, params};

use crate::store::queries::{day_at, id_at, person_hit, vocab_at, vocab_or_none};
use crate::{CoreError, Store};

/// The `meta` key of the team's devices as the server last listed them.
pub(crate) const TEAM_DEVICES: &str = "team_devices";

/// The distinct persons met in the period `[?1, ?2)` (milliseconds) whose record exists.
pub(crate) const MET: &str = "SELECT DISTINCT rp.person_id AS id FROM rencontre_persons rp
                    WHERE rp.occurred_at >= ?1 AND rp.occurred_at < ?2
                      AND EXISTS (SELECT 1 FROM personnes p WHERE p.id = rp.person_id)";

/// The persons first seen in the period: `[?1, ?2)` in milliseconds, `[?3, ?4)` as days.
/// A person is first seen at the earliest of their record's creation, their first
/// rencontre and their first stage change; the candidates are those with one of the
/// three in the period, kept when none of the three came before it. A person imported
/// from a spreadsheet was met before the import: their record's creation says nothing,
/// only their rencontres and stage changes do.
pub(crate) const NEW: &str = "SELECT c.id FROM (
                      SELECT id FROM personnes WHERE created_at >= ?1 AND created_at < ?2
                             AND id NOT IN (SELECT record_id FROM imported)
                      UNION SELECT person_id FROM rencontre_persons
                             WHERE occurred_at >= ?1 AND occurred_at < ?2
                      UNION SELECT person_id FROM etapes WHERE date >= ?3 AND date < ?4
                   ) c JOIN personnes p ON p.id = c.id
                   WHERE (p.created_at >= ?1 OR c.id IN (SELECT record_id FROM imported))
                     AND NOT EXISTS (SELECT 1 FROM rencontre_persons r
                                      WHERE r.person_id = c.id AND r.occurred_at < ?1)
                     AND NOT EXISTS (SELECT 1 FROM etapes e
                                      WHERE e.person_id = c.id AND e.date < ?3)";

/// The orientations dated in `[?1, ?2)` (days), each with the name it is counted under:
/// the directory's name for a partner in it, else the name typed.
const ORIENTATIONS: &str = "SELECT o.id, o.person_id, p.pseudonym,
                                   COALESCE(pa.name, o.partner_name) AS partner, o.status, o.date
                              FROM orientations o
                              LEFT JOIN partenaires pa ON pa.id = o.partner_id
                              LEFT JOIN personnes p ON p.id = o.person_id
                             WHERE o.date >= ?1 AND o.date < ?2";

/// A period's bounds as the tables store them: milliseconds for rencontres and record
/// creation, `YYYY-MM-DD` texts for dated records.
struct Bounds {
    from: i64,
    to: i64,
    from_day: String,
    to_day: String,
}

impl Bounds {
    fn of(period: Period) -> Bounds {
        let (from, to) = period.bounds_ms();
        Bounds {
            from,
            to,
            from_day: period.start.to_string(),
            to_day: period.end_excluded().to_string(),
        }
    }
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// Counts of `K` from `(key, n)` pairs, in key order.
fn counts<K: Ord>(map: BTreeMap<K, u64>) -> Vec<Count<K>> {
    map.into_iter()
        .map(|(key, count)| Count { key, count })
        .collect()
}

impl Store {
    /// The coordination space's first screen for `period`; `today` dates the overdue
    /// relances.
    pub fn dashboard(&self, period: Period, today: Day) -> Result<Dashboard, CoreError> {
        let period = period.validate()?;
        Ok(Dashboard {
            period,
            current: self.figures(period)?,
            previous: self.figures(period.previous())?,
            stages_now: self.stages_now()?,
            overdue: self.overdue(today)?,
            stale_devices: self.stale_devices(self.env.clock.now_ms())?,
            devices_unknown: self.meta("server_url")?.is_some()
                && self.meta(TEAM_DEVICES)?.is_none(),
        })
    }

    /// Keeps the team's devices as the server last listed them.
    pub fn remember_team_devices(&self, devices: &[TeamDevice]) -> Result<(), CoreError> {
        let json = serde_json::to_string(devices).map_err(|e| CoreError::Unencodable {
            what: "the team's devices",
            reason: e.to_string(),
        })?;
        self.set_meta(TEAM_DEVICES, &json)
    }

    /// The team's devices, other than this one and not revoked, that have not reached
    /// the server for [`STALE_AFTER_DAYS`] at `now` (by the list last read; a device
    /// never seen counts from its enrolment). A list that no longer parses is none.
    pub fn stale_devices(&self, now: i64) -> Result<Vec<StaleDevice>, CoreError> {
        let Some(json) = self.meta(TEAM_DEVICES)? else {
            return Ok(Vec::new());
        };
        let devices: Vec<TeamDevice> = serde_json::from_str(&json).unwrap_or_default();
        let limit = now - i64::from(STALE_AFTER_DAYS) * 86_400_000;
        Ok(devices
            .into_iter()
            .filter(|d| !d.this_device && d.revoked_at.is_none())
            .filter(|d| d.last_seen_at.unwrap_or(d.enrolled_at) < limit)
            .map(|d| StaleDevice {
                name: d.name,
                last_seen_at: d.last_seen_at,
            })
            .collect())
    }

    /// A period's counts.
    pub fn figures(&self, period: Period) -> Result<Figures, CoreError> {
        let b = Bounds::of(period);
        let mut f = Figures::default();
        // One pass over the period's rencontres: the channel, worker and day counts
        // skip the same rows the lists skip (a channel this version does not know).
        let mut by_channel = BTreeMap::new();
        let mut by_worker = BTreeMap::new();
        let mut by_day = BTreeMap::new();
        {
            let mut stmt = self.conn.prepare_cached(
                "SELECT channel, worker, occurred_at, person_count, headcount
                   FROM rencontres WHERE occurred_at >= ?1 AND occurred_at < ?2",
            )?;
            let mut rows = stmt.query(params![b.from, b.to])?;
            while let Some(r) = rows.next()? {
                let Some(channel) = Channel::from_code(&r.get::<_, String>(0)?) else {
                    continue;
                };
                f.rencontres += 1;
                f.named += count(r.get(3)?);
                f.anonymous += count(r.get(4)?);
                *by_channel.entry(channel).or_default() += 1;
                *by_worker.entry(r.get::<_, Option<String>>(1)?).or_default() += 1;
                *by_day.entry(Day::from_epoch_ms(r.get(2)?)).or_default() += 1;
            }
        }
        f.by_channel = counts(by_channel);
        f.by_worker = counts(by_worker);
        f.by_day = counts(by_day);
        let one = |sql: &str, p: &[&dyn ToSql]| -> Result<u64, CoreError> {
            Ok(count(
                self.conn.prepare_cached(sql)?.query_row(p, |r| r.get(0))?,
            ))
        };
        let ms: [&dyn ToSql; 2] = [&b.from, &b.to];
        let all: [&dyn ToSql; 4] = [&b.from, &b.to, &b.from_day, &b.to_day];
        f.new_persons = one(&format!("SELECT COUNT(*) FROM ({NEW})"), &all)?;
        // The persons met and their territories in one pass: joining the existing
        // persons is what `MET`'s EXISTS does.
        (f.persons_met, f.qpv, f.zrr, f.outre_mer) = self
            .conn
            .prepare_cached(
                "SELECT COUNT(*), COALESCE(SUM(p.qpv), 0), COALESCE(SUM(p.zrr), 0),
                        COALESCE(SUM(p.outre_mer), 0)
                   FROM (SELECT DISTINCT person_id FROM rencontre_persons
                          WHERE occurred_at >= ?1 AND occurred_at < ?2) m
                   JOIN personnes p ON p.id = m.person_id",
            )?
            .query_row(ms, |r| {
                Ok((
                    count(r.get(0)?),
                    count(r.get(1)?),
                    count(r.get(2)?),
                    count(r.get(3)?),
                ))
            })?;
        f.reached = self.keyed(
            "SELECT e.stage, COUNT(DISTINCT e.person_id) FROM etapes e
              WHERE e.date >= ?1 AND e.date < ?2
                AND EXISTS (SELECT 1 FROM personnes p WHERE p.id = e.person_id)
              GROUP BY e.stage ORDER BY e.stage",
            &[&b.from_day, &b.to_day],
        )?;
        f.categories = self.keyed(
            &format!(
                "SELECT t.code, COUNT(*) FROM ({MET}) m
                   CROSS JOIN person_tags t ON t.person_id = m.id AND t.vocab = 'category'
                  GROUP BY t.code ORDER BY t.code"
            ),
            &ms,
        )?;
        {
            let mut stmt = self.conn.prepare_cached(&format!(
                "SELECT partner, status, COUNT(*) FROM ({ORIENTATIONS})
                  GROUP BY partner, status ORDER BY partner, status"
            ))?;
            let rows = stmt.query_map([&b.from_day, &b.to_day], |r| {
                Ok(OrientationCount {
                    partner: r.get(0)?,
                    status: vocab_at(r, 1)?,
                    count: count(r.get(2)?),
                })
            })?;
            f.orientations = rows.collect::<Result<_, _>>()?;
        }
        {
            let mut stmt = self.conn.prepare_cached(
                "SELECT e.id, e.name, e.date, COUNT(i.id), COUNT(i.checked_in_at)
                   FROM evenements e LEFT JOIN inscriptions i ON i.event_id = e.id
                  WHERE e.date >= ?1 AND e.date < ?2
                  GROUP BY e.id ORDER BY e.date, e.name, e.id",
            )?;
            let rows = stmt.query_map([&b.from_day, &b.to_day], |r| {
                Ok(EventCount {
                    id: id_at(r, 0)?,
                    name: r.get(1)?,
                    date: day_at(r, 2)?,
                    registered: count(r.get(3)?),
                    checked_in: count(r.get(4)?),
                })
            })?;
            f.events = rows.collect::<Result<_, _>>()?;
        }
        Ok(f)
    }

    /// `(vocabulary code, count)` rows as counts of the vocabulary's values.
    fn keyed<V: Vocab + Ord>(
        &self,
        sql: &str,
        p: &[&dyn ToSql],
    ) -> Result<Vec<Count<V>>, CoreError> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt.query_map(p, |r| {
            Ok(Count {
                key: vocab_at(r, 0)?,
                count: count(r.get(1)?),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Where every person stands today.
    fn stages_now(&self) -> Result<Vec<Count<Option<Stage>>>, CoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT stage, COUNT(*) FROM personnes GROUP BY stage ORDER BY stage",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(Count {
                key: vocab_or_none(r, 0)?,
                count: count(r.get(1)?),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Open relances due before `today`, by référent.
    fn overdue(&self, today: Day) -> Result<Vec<Count<String>>, CoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT referent, COUNT(*) FROM relances WHERE status = 'a_faire' AND due < ?1
              GROUP BY referent ORDER BY referent",
        )?;
        let rows = stmt.query_map([today.to_string()], |r| {
            Ok(Count {
                key: r.get(0)?,
                count: count(r.get(1)?),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The records behind one of the dashboard's counts for `period`.
    pub fn figure_list(
        &self,
        period: Period,
        figure: &Figure,
        today: Day,
    ) -> Result<FigureList, CoreError> {
        let b = Bounds::of(period.validate()?);
        let ms: [&dyn ToSql; 2] = [&b.from, &b.to];
        let persons_met_with = |condition: &str, value: &dyn ToSql| {
            self.persons(
                &format!(
                    "SELECT m.id FROM ({MET}) m JOIN personnes p ON p.id = m.id WHERE {condition}"
                ),
                &[&b.from, &b.to, value],
            )
        };
        Ok(match figure {
            Figure::Rencontres => self.rencontres_where("1", &ms)?,
            Figure::Channel(c) => self.rencontres_where("channel = ?3", &[&b.from, &b.to, &c.code()])?,
            Figure::Worker(w) => self.rencontres_where("worker IS ?3", &[&b.from, &b.to, w])?,
            Figure::OnDay(day) => {
                let (from, to) = Period::custom(*day, *day)?.bounds_ms();
                self.rencontres_where("1", &[&from.max(b.from), &to.min(b.to)])?
            }
            Figure::PersonsMet => self.persons(MET, &ms)?,
            Figure::NewPersons => self.persons(NEW, &[&b.from, &b.to, &b.from_day, &b.to_day])?,
            Figure::Reached(stage) => self.persons(
                "SELECT DISTINCT person_id FROM etapes WHERE date >= ?1 AND date < ?2 AND stage = ?3",
                &[&b.from_day, &b.to_day, &stage.code()],
            )?,
            Figure::Category(c) => persons_met_with(
                "EXISTS (SELECT 1 FROM person_tags t
                          WHERE t.person_id = m.id AND t.vocab = 'category' AND t.code = ?3)",
                &PublicCategory::code(*c),
            )?,
            Figure::Qpv => persons_met_with("p.qpv = ?3", &1)?,
            Figure::Zrr => persons_met_with("p.zrr = ?3", &1)?,
            Figure::OutreMer => persons_met_with("p.outre_mer = ?3", &1)?,
            Figure::Orientations { partner, status } => {
                let mut stmt = self.conn.prepare_cached(&format!(
                    "SELECT * FROM ({ORIENTATIONS}) WHERE partner IS ?3 AND status = ?4
                      ORDER BY date DESC, id DESC"
                ))?;
                let rows = stmt.query_map(
                    params![b.from_day, b.to_day, partner, status.code()],
                    |r| {
                        Ok(OrientationRow {
                            id: id_at(r, 0)?,
                            person_id: id_at(r, 1)?,
                            person: r.get(2)?,
                            partner: r.get(3)?,
                            status: vocab_at(r, 4)?,
                            date: day_at(r, 5)?,
                        })
                    },
                )?;
                FigureList::Orientations(rows.collect::<Result<_, _>>()?)
            }
            Figure::StageNow(stage) => self.persons(
                "SELECT id FROM personnes WHERE stage IS ?1",
                &[&stage.map(|s| s.code())],
            )?,
            Figure::Overdue(referent) => {
                let until = today.checked_add_days(-1).unwrap_or(Day::MIN);
                FigureList::Relances(self.open_relances(Some(referent), until, u32::MAX)?)
            }
        })
    }

    /// The period's rencontres (`?1`, `?2`) that meet `condition`, newest first.
    fn rencontres_where(&self, condition: &str, p: &[&dyn ToSql]) -> Result<FigureList, CoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT id, channel, place, occurred_at, headcount, pseudonym, note, updated_at,
                    person_count
               FROM rencontres WHERE occurred_at >= ?1 AND occurred_at < ?2 AND {condition}
              ORDER BY occurred_at DESC, id DESC"
        ))?;
        let rows = stmt.query_map(p, crate::store::row_to_rencontre)?;
        Ok(FigureList::Rencontres(
            rows.collect::<Result<Vec<_>, _>>()?
                .into_iter()
                .flatten()
                .collect(),
        ))
    }

    /// The persons whose ids `ids_sql` selects (first column), by pseudonym.
    fn persons(&self, ids_sql: &str, p: &[&dyn ToSql]) -> Result<FigureList, CoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT id, pseudonym, last_name, stage FROM personnes
              WHERE id IN ({ids_sql}) ORDER BY pseudonym, id"
        ))?;
        let rows = stmt.query_map(p, person_hit)?;
        Ok(FigureList::Persons(rows.collect::<Result<_, _>>()?))
    }
}
