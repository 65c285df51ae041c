//! Events and their registrations, for the "Événements" screens: the list, an event
//! with its registrations, registering a participant and checking them in.
//!
//! Reads come from the `evenements` and `inscriptions` projection tables. Several
//! phones register at one event with no network; once synced, every registration is
//! there once (each is its own record), and registrations that look like one person
//! twice (same folded name and age band) are flagged for a worker, never merged.

use std::collections::HashMap;

use filrouge_model::views::{EventSummary, EventView, Registration, fold_name};
use filrouge_model::{AgeBand, EventDraft, RegistrationDraft};
use rusqlite::{OptionalExtension, params};

use crate::store::queries::{day_at, id_at, vocab_at, vocab_or_none};
use crate::{CoreError, Store};

/// The columns of an [`EventSummary`], counts included.
const SUMMARY: &str = "SELECT e.id, e.name, e.kind, e.date, e.place,
        (SELECT COUNT(*) FROM inscriptions i WHERE i.event_id = e.id),
        (SELECT COUNT(*) FROM inscriptions i WHERE i.event_id = e.id AND i.checked_in_at IS NOT NULL)
   FROM evenements e";

fn summary(r: &rusqlite::Row<'_>) -> rusqlite::Result<EventSummary> {
    Ok(EventSummary {
        id: id_at(r, 0)?,
        name: r.get(1)?,
        kind: vocab_at(r, 2)?,
        date: day_at(r, 3)?,
        place: r.get(4)?,
        registered: r.get::<_, i64>(5)?.try_into().unwrap_or(0),
        checked_in: r.get::<_, i64>(6)?.try_into().unwrap_or(0),
    })
}

impl Store {
    /// Events, the latest day first, at most `limit`.
    pub fn list_events(&self, limit: u32) -> Result<Vec<EventSummary>, CoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{SUMMARY} ORDER BY e.date DESC, e.id DESC LIMIT ?1"
        ))?;
        let rows = stmt.query_map([limit], summary)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// An event and its registrations in name order, possible duplicates flagged.
    pub fn event_view(&self, id: &str) -> Result<EventView, CoreError> {
        let event = self
            .conn
            .prepare_cached(&format!("{SUMMARY} WHERE e.id = ?1"))?
            .query_row([id], summary)
            .optional()?
            .ok_or_else(|| CoreError::NotFound { id: id.to_owned() })?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, name, age_band, minor, checked_in_at IS NOT NULL
               FROM inscriptions WHERE event_id = ?1 ORDER BY name, id",
        )?;
        let rows = stmt.query_map([id], |r| {
            Ok(Registration {
                id: id_at(r, 0)?,
                name: r.get(1)?,
                age_band: vocab_or_none(r, 2)?,
                minor: r.get::<_, i64>(3)? != 0,
                checked_in: r.get(4)?,
                possible_duplicate: false,
            })
        })?;
        let mut registrations: Vec<Registration> = rows.collect::<Result<_, _>>()?;
        let mut seen: HashMap<(String, Option<AgeBand>), usize> = HashMap::new();
        for r in &registrations {
            *seen.entry((fold_name(&r.name), r.age_band)).or_default() += 1;
        }
        for r in &mut registrations {
            r.possible_duplicate = seen
                .get(&(fold_name(&r.name), r.age_band))
                .is_some_and(|n| *n > 1);
        }
        Ok(EventView {
            event,
            registrations,
        })
    }

    /// Registers a participant; returns the registration's id. The event must exist
    /// on this device, so that a registration is never filed under a wrong id.
    pub fn register(
        &mut self,
        draft: RegistrationDraft,
    ) -> Result<filrouge_model::RecordId, CoreError> {
        let known: Option<i64> = self
            .conn
            .prepare_cached("SELECT 1 FROM evenements WHERE id = ?1")?
            .query_row(params![draft.event_id.as_str()], |r| r.get(0))
            .optional()?;
        if known.is_none() {
            return Err(CoreError::NotFound {
                id: draft.event_id.to_string(),
            });
        }
        self.create(draft)
    }

    /// Creates an event; returns its id.
    pub fn create_event(
        &mut self,
        draft: EventDraft,
    ) -> Result<filrouge_model::RecordId, CoreError> {
        self.create(draft)
    }

    /// Marks a participant arrived now, or not arrived (a tap by mistake).
    pub fn check_in(&mut self, id: &str, arrived: bool) -> Result<(), CoreError> {
        let mut draft: RegistrationDraft = self.get(id)?;
        if arrived == draft.checked_in_at.is_some() {
            // A second tap keeps the first arrival time.
            return Ok(());
        }
        draft.checked_in_at = arrived.then(|| self.env.clock.now_ms());
        self.update(id, draft)
    }
}

#[cfg(test)]
#[path = "events_tests.rs"]
mod tests;
