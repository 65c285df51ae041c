//! The questions the app asks, answered from projection tables only.
//!
//! Person search uses the FTS5 table (accent- and case-insensitive, prefix as you
//! type); every other query runs on an index made for it (see migration 2 in `schema.rs`).
//! No query loads an Automerge document.

use std::collections::BTreeMap;

use filrouge_model::{Day, RecordId, Vocab};
use rusqlite::params;

use crate::{CoreError, Store};

pub use filrouge_model::views::{
    DueRelance, PeriodCounts, PersonHit, StageCount, TimelineEntry, TimelineWhat,
};

/// Turns what a user typed into an FTS5 prefix query: every word must match the start
/// of a name word. Quotes are doubled so no input is read as FTS syntax.
fn fts_prefix_query(input: &str) -> Option<String> {
    let words: Vec<String> = input
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{}\"*", w.replace('"', "\"\"")))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

pub(crate) fn person_hit(r: &rusqlite::Row<'_>) -> rusqlite::Result<PersonHit> {
    Ok(PersonHit {
        id: id_at(r, 0)?,
        pseudonym: r.get(1)?,
        last_name: r.get(2)?,
        stage: vocab_or_none(r, 3)?,
    })
}

/// A vocabulary value from a projection column. Rows are written from validated drafts
/// only, so a code this version does not know means a damaged file: an error.
pub(crate) fn vocab_at<V: Vocab>(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<V> {
    vocab_of(i, &r.get::<_, String>(i)?)
}

/// [`vocab_at`] for a column that may be empty.
pub(crate) fn vocab_or_none<V: Vocab>(
    r: &rusqlite::Row<'_>,
    i: usize,
) -> rusqlite::Result<Option<V>> {
    r.get::<_, Option<String>>(i)?
        .map(|code| vocab_of(i, &code))
        .transpose()
}

fn vocab_of<V: Vocab>(i: usize, code: &str) -> rusqlite::Result<V> {
    V::from_code(code).ok_or_else(|| unreadable(i, format!("unknown {} code", V::NAME)))
}

/// A record id from a projection column (ids are written by the store, so anything
/// but a UUID's text there means a damaged file).
pub(crate) fn id_at(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<RecordId> {
    id_of(i, &r.get::<_, String>(i)?)
}

/// [`id_at`] for a column that may be empty.
pub(crate) fn id_or_none(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Option<RecordId>> {
    r.get::<_, Option<String>>(i)?
        .map(|text| id_of(i, &text))
        .transpose()
}

fn id_of(i: usize, text: &str) -> rusqlite::Result<RecordId> {
    RecordId::parse(text).ok_or_else(|| unreadable(i, "not a record id".to_owned()))
}

/// A day (`YYYY-MM-DD`) from a projection column.
pub(crate) fn day_at(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Day> {
    let text: String = r.get(i)?;
    Day::parse(&text).map_err(|_| unreadable(i, "not a day".to_owned()))
}

fn unreadable(i: usize, what: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, what.into())
}

impl Store {
    /// Persons whose names start with what was typed, best matches first.
    pub fn search_persons(&self, typed: &str, limit: u32) -> Result<Vec<PersonHit>, CoreError> {
        let Some(query) = fts_prefix_query(typed) else {
            return Ok(Vec::new());
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT p.id, p.pseudonym, p.last_name, p.stage
             FROM personnes_fts f JOIN personnes p ON p.rowid = f.rowid
             WHERE personnes_fts MATCH ?1 ORDER BY rank, p.pseudonym LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![query, limit], person_hit)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One person as a search lists them.
    pub fn person_hit(&self, id: &str) -> Result<PersonHit, CoreError> {
        rusqlite::OptionalExtension::optional(
            self.conn
                .prepare_cached(
                    "SELECT id, pseudonym, last_name, stage FROM personnes WHERE id = ?1",
                )?
                .query_row([id], person_hit),
        )?
        .ok_or_else(|| CoreError::NotFound { id: id.to_owned() })
    }

    /// A person's rencontres, stage changes, orientations and relances, oldest first;
    /// entries of the same day in the order they were recorded (ids are UUIDv7, which
    /// begin with their creation time).
    pub fn timeline(&self, person_id: &str) -> Result<Vec<TimelineEntry>, CoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT ms, date, kind, id, what FROM (
                SELECT r.occurred_at AS ms, NULL AS date, 'rencontre' AS kind, r.id, r.channel AS what
                  FROM rencontre_persons rp JOIN rencontres r ON r.id = rp.rencontre_id
                 WHERE rp.person_id = ?1
                UNION ALL
                SELECT NULL, date, 'etape', id, stage FROM etapes WHERE person_id = ?1
                UNION ALL
                SELECT NULL, date, 'orientation', id, status FROM orientations WHERE person_id = ?1
                UNION ALL
                SELECT NULL, due, 'relance', id, status FROM relances WHERE person_id = ?1
             )",
        )?;
        let rows = stmt.query_map([person_id], |r| {
            let ms: Option<i64> = r.get(0)?;
            let (kind, what): (String, String) = (r.get(2)?, r.get(4)?);
            Ok(TimelineEntry {
                // Rencontres carry a time, not a date.
                date: match ms {
                    Some(ms) => Day::from_epoch_ms(ms),
                    None => day_at(r, 1)?,
                },
                id: id_at(r, 3)?,
                what: TimelineWhat::from_codes(&kind, &what)
                    .ok_or_else(|| unreadable(4, format!("unknown {kind} value")))?,
            })
        })?;
        let mut out = rows.collect::<Result<Vec<_>, _>>()?;
        out.sort_by(|a, b| (&a.date, &a.id).cmp(&(&b.date, &b.id)));
        Ok(out)
    }

    /// A référent's open relances due on or before `today`, oldest first.
    pub fn relances_due(&self, referent: &str, today: Day) -> Result<Vec<DueRelance>, CoreError> {
        self.open_relances(Some(referent), today, u32::MAX)
    }

    /// Open relances due on or before `until`, oldest first, at most `limit`, each with
    /// the pseudonym of the person it concerns: one référent's, or the whole team's when
    /// `referent` is `None` (a worker who has not said who they are sees every task on
    /// the device).
    pub fn open_relances(
        &self,
        referent: Option<&str>,
        until: Day,
        limit: u32,
    ) -> Result<Vec<DueRelance>, CoreError> {
        // Two statements rather than `?1 IS NULL OR referent = ?1`, which would keep
        // SQLite from using the (referent, status, due) index.
        let sql = match referent {
            Some(_) => {
                "SELECT r.id, r.person_id, r.due, r.reason, p.pseudonym
                   FROM relances r LEFT JOIN personnes p ON p.id = r.person_id
                  WHERE r.referent = ?1 AND r.status = 'a_faire' AND r.due <= ?2
                  ORDER BY r.due, r.id LIMIT ?3"
            }
            None => {
                "SELECT r.id, r.person_id, r.due, r.reason, p.pseudonym
                   FROM relances r LEFT JOIN personnes p ON p.id = r.person_id
                  WHERE ?1 IS NULL AND r.status = 'a_faire' AND r.due <= ?2
                  ORDER BY r.due, r.id LIMIT ?3"
            }
        };
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt.query_map(params![referent, until.to_string(), limit], |r| {
            Ok(DueRelance {
                id: id_at(r, 0)?,
                person_id: id_or_none(r, 1)?,
                due: day_at(r, 2)?,
                reason: r.get(3)?,
                person: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// How many persons a référent follows at each stage.
    pub fn caseload(&self, referent: &str) -> Result<Vec<StageCount>, CoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT stage, COUNT(*) FROM personnes WHERE referent = ?1 GROUP BY stage ORDER BY stage",
        )?;
        let rows = stmt.query_map([referent], |r| {
            Ok(StageCount {
                stage: r.get(0)?,
                count: r.get::<_, i64>(1)?.try_into().unwrap_or(0),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Counts for the period `[from, to)` in milliseconds.
    pub fn period_counts(&self, from: i64, to: i64) -> Result<PeriodCounts, CoreError> {
        let (from_day, to_day) = (
            Day::from_epoch_ms(from).to_string(),
            Day::from_epoch_ms(to).to_string(),
        );
        let pairs =
            |sql: &str, p: &[&dyn rusqlite::ToSql]| -> Result<Vec<(String, u64)>, CoreError> {
                let mut stmt = self.conn.prepare_cached(sql)?;
                let rows = stmt.query_map(p, |r| {
                    Ok((
                        r.get::<_, Option<String>>(0)?.unwrap_or_default(),
                        r.get::<_, i64>(1)?.try_into().unwrap_or(0),
                    ))
                })?;
                Ok(rows.collect::<Result<_, _>>()?)
            };
        // One pass over the period's rencontres for both channel and commune: each row is
        // a table lookup from the time index, the bulk of this query's cost.
        let mut channels: BTreeMap<String, (u64, u64)> = BTreeMap::new();
        let mut communes: BTreeMap<String, u64> = BTreeMap::new();
        {
            let mut stmt = self.conn.prepare_cached(
                "SELECT channel, commune, COUNT(*), SUM(headcount + person_count)
                 FROM rencontres WHERE occurred_at >= ?1 AND occurred_at < ?2
                 GROUP BY channel, commune",
            )?;
            let rows = stmt.query_map(params![from, to], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                    u64::try_from(r.get::<_, i64>(2)?).unwrap_or(0),
                    u64::try_from(r.get::<_, i64>(3)?).unwrap_or(0),
                ))
            })?;
            for row in rows {
                let (channel, commune, count, people) = row?;
                let c = channels.entry(channel).or_default();
                c.0 += count;
                c.1 += people;
                *communes.entry(commune).or_default() += count;
            }
        }
        Ok(PeriodCounts {
            by_channel: channels
                .into_iter()
                .map(|(channel, (count, people))| (channel, count, people))
                .collect(),
            by_commune: communes.into_iter().collect(),
            by_category: pairs(
                // The persons met in the period first (by time index), then their tags:
                // CROSS JOIN keeps SQLite from scanning every person's tags instead.
                "SELECT t.code, COUNT(*) FROM
                    (SELECT DISTINCT person_id FROM rencontre_persons
                      WHERE occurred_at >= ?1 AND occurred_at < ?2) p
                 CROSS JOIN person_tags t ON t.person_id = p.person_id AND t.vocab = 'category'
                 GROUP BY t.code ORDER BY t.code",
                &[&from, &to],
            )?,
            by_stage: pairs(
                "SELECT stage, COUNT(*) FROM etapes WHERE date >= ?1 AND date < ?2 GROUP BY stage ORDER BY stage",
                &[&from_day, &to_day],
            )?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::fts_prefix_query;

    #[test]
    fn typed_text_becomes_a_safe_prefix_query() {
        assert_eq!(fts_prefix_query("Élo"), Some("\"Élo\"*".into()));
        assert_eq!(
            fts_prefix_query("  mo  da "),
            Some("\"mo\"* \"da\"*".into())
        );
        // Quoted, an operator word is only a word.
        assert_eq!(fts_prefix_query("\" OR *"), Some("\"OR\"*".into()));
        assert_eq!(fts_prefix_query(" * - "), None);
        assert_eq!(fts_prefix_query("a\"b"), Some("\"a\"* \"b\"*".into()));
    }
}
