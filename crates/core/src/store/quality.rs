//! The data-quality checks, read from the projection tables like every other screen:
//! one SQL query per rule (the counts, and the first records found, oldest first), and
//! the notes read once through [`filrouge_model::quality::note_finding`].

use filrouge_model::quality::{
    DataQuality, LISTED, NoteFinding, QualityCheck, QualityItem, QualityRule, RELANCE_LATE_DAYS,
    RETENTION_NEAR_DAYS, UNSEEN_DAYS, note_finding,
};
use filrouge_model::records::RecordKind;
use filrouge_model::{Day, RecordId, Stage};

use crate::{CoreError, Store};

/// A person's name as lists show it, from `personnes` aliased `p`.
const NAME: &str = "p.pseudonym || coalesce(' ' || p.last_name, '')";

impl Store {
    /// Every rule's result for `today`.
    pub fn data_quality(&self, today: Day) -> Result<DataQuality, CoreError> {
        let before = |days: i32| today.checked_add_days(-days).unwrap_or(today).to_string();
        let ms_before = |days: i32| today.checked_add_days(-days).unwrap_or(today).to_epoch_ms();
        let mut checks = Vec::new();
        checks.push(self.rule(
            QualityRule::LateRelance,
            RecordKind::Relance,
            &format!(
                "SELECT r.id, r.person_id, coalesce({NAME}, r.reason), r.due
                   FROM relances r LEFT JOIN personnes p ON p.id = r.person_id
                  WHERE r.status = 'a_faire' AND r.due < ?1 ORDER BY r.due, r.id"
            ),
            &before(RELANCE_LATE_DAYS),
        )?);
        checks.push(self.rule(
            QualityRule::Unseen,
            RecordKind::Personne,
            &format!(
                "SELECT p.id, p.id, {NAME}, date(max(rp.occurred_at) / 1000, 'unixepoch')
                   FROM personnes p LEFT JOIN rencontre_persons rp ON rp.person_id = p.id
                  WHERE p.stage = 'accompagnement'
                  GROUP BY p.id
                 HAVING coalesce(max(rp.occurred_at), p.created_at) < ?1
                  ORDER BY coalesce(max(rp.occurred_at), p.created_at), p.id"
            ),
            &ms_before(UNSEEN_DAYS),
        )?);
        // Ranks of the stages along the path; the stages beside it (suspended, resumed,
        // lost contact) are in no order.
        let rank = Stage::ALL
            .iter()
            .take_while(|s| **s != Stage::Suspendu)
            .enumerate()
            .map(|(i, s)| format!("WHEN '{}' THEN {i}", s.code()))
            .collect::<Vec<_>>()
            .join(" ");
        checks.push(self.rule(
            QualityRule::StageOrder,
            RecordKind::Etape,
            &format!(
                "SELECT later.id, later.person_id, coalesce({NAME}, ''), later.date
                   FROM etapes later
                   JOIN etapes earlier ON earlier.person_id = later.person_id
                   LEFT JOIN personnes p ON p.id = later.person_id
                  WHERE (CASE later.stage {rank} END) > (CASE earlier.stage {rank} END)
                    AND later.date < earlier.date AND ?1 = ?1
                  GROUP BY later.id ORDER BY later.date, later.id"
            ),
            &today.to_string(),
        )?);
        checks.push(self.notes()?);
        checks.push(self.rule(
            QualityRule::Retention,
            RecordKind::Personne,
            &format!(
                "SELECT id, id, name, date(last / 1000, 'unixepoch')
                   FROM ({}) WHERE NOT held AND last < ?1 ORDER BY last, id",
                crate::store::retention::LAST_CONTACT
            ),
            &ms_before(RETENTION_NEAR_DAYS),
        )?);
        Ok(DataQuality { today, checks })
    }

    /// One rule from its query: rows of (record, person, about, day as text), one bound
    /// parameter.
    fn rule(
        &self,
        rule: QualityRule,
        kind: RecordKind,
        sql: &str,
        param: &dyn rusqlite::ToSql,
    ) -> Result<QualityCheck, CoreError> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt.query_map([param], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })?;
        let mut count = 0;
        let mut items = Vec::new();
        for row in rows {
            let (record, person, about, day) = row?;
            count += 1;
            if items.len() < LISTED
                && let Some(record) = RecordId::parse(&record)
            {
                items.push(QualityItem {
                    record,
                    kind,
                    person: person.as_deref().and_then(RecordId::parse),
                    about: about.unwrap_or_default(),
                    day: day.as_deref().and_then(|d| Day::parse(d).ok()),
                    found: None,
                });
            }
        }
        Ok(QualityCheck { rule, count, items })
    }

    /// Notes of rencontres and stages holding a phone, an e-mail address or a health
    /// word.
    fn notes(&self) -> Result<QualityCheck, CoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT r.id, 'rencontre',
                    (SELECT rp.person_id FROM rencontre_persons rp
                      WHERE rp.rencontre_id = r.id ORDER BY rp.person_id LIMIT 1),
                    r.place, date(r.occurred_at / 1000, 'unixepoch'), r.note
               FROM rencontres r WHERE r.note != ''
             UNION ALL
             SELECT e.id, 'etape', e.person_id, coalesce({NAME}, ''), e.date, e.note
               FROM etapes e LEFT JOIN personnes p ON p.id = e.person_id
              WHERE e.note IS NOT NULL AND e.note != ''
             ORDER BY 5, 1"
        ))?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, String>(5)?,
            ))
        })?;
        let mut count = 0;
        let mut items = Vec::new();
        for row in rows {
            let (record, kind, person, about, day, note) = row?;
            let Some(found): Option<NoteFinding> = note_finding(&note) else {
                continue;
            };
            count += 1;
            if items.len() < LISTED
                && let (Some(record), Some(kind)) =
                    (RecordId::parse(&record), RecordKind::from_code(&kind))
            {
                items.push(QualityItem {
                    record,
                    kind,
                    person: person.as_deref().and_then(RecordId::parse),
                    about,
                    day: day.as_deref().and_then(|d| Day::parse(d).ok()),
                    found: Some(found),
                });
            }
        }
        Ok(QualityCheck {
            rule: QualityRule::Note,
            count,
            items,
        })
    }
}

#[cfg(test)]
#[path = "quality_tests.rs"]
mod tests;
