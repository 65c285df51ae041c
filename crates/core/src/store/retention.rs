//! The two-year retention of a person's file (CNIL's norm for social support records):
//! a person not in contact with the team for two years is erased, through the same path
//! as an erasure asked by hand.
//!
//! A **contact** is something done with the person, never a mere look at their thread:
//! a rencontre that names them, a stage of their path, a registration for an event (on
//! the event's date), or the day their record was made. [`LAST_CONTACT`] computes it in
//! SQL for each person shown in lists (a merged group counts as one person, its records'
//! contacts together), from the projection tables only. The data-quality list warns
//! from 21 months on ([`filrouge_model::quality::RETENTION_NEAR_DAYS`]);
//! [`Store::expired_persons`] lists those past two calendar years, which the app layer
//! erases (`Device::erase_expired`).

use filrouge_model::Day;

use crate::{CoreError, Store};

/// One row per person shown in lists: `(id, held, name, last)`, `held` whether a
/// coordinator keeps the file past the limit, `last` the last contact in
/// ms since the Unix epoch. A record made before the creation time was projected
/// (`created_at` 0, from an old schema) counts from its last change instead, so a
/// missing date never makes a person look old.
pub(crate) const LAST_CONTACT: &str = "
    SELECT p.id AS id, p.held AS held,
           p.pseudonym || coalesce(' ' || p.last_name, '') AS name,
           max(
             CASE WHEN p.created_at > 0 THEN p.created_at ELSE p.updated_at END,
             coalesce((SELECT max(CASE WHEN g.created_at > 0 THEN g.created_at ELSE g.updated_at END)
                         FROM person_merged m JOIN personnes g ON g.id = m.absorbed
                        WHERE m.survivor = p.id), 0),
             coalesce((SELECT max(rp.occurred_at) FROM rencontre_persons rp
                        WHERE rp.person_id = p.id), 0),
             coalesce((SELECT max(unixepoch(e.date)) * 1000 FROM etapes e
                        WHERE e.person_id = p.id), 0),
             coalesce((SELECT max(unixepoch(v.date)) * 1000
                         FROM inscriptions i JOIN evenements v ON v.id = i.event_id
                        WHERE i.person_id = p.id), 0)
           ) AS last
      FROM personnes p
     WHERE p.id NOT IN (SELECT absorbed FROM person_merged)";

impl Store {
    /// The persons whose last contact is more than two calendar years before `today`
    /// (a contact on 3 March 2024 keeps the file through 3 March 2026), oldest first.
    pub fn expired_persons(&self, today: Day) -> Result<Vec<String>, CoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT id FROM ({LAST_CONTACT})
              WHERE NOT held AND last < unixepoch(?1, '-2 years') * 1000
              ORDER BY last, id"
        ))?;
        let rows = stmt.query_map([today.to_string()], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
