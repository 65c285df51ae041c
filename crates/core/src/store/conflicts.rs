//! The conflicts queue: the fields set to two values at once on two devices, read from
//! the `conflicts` projection (written with each document's rows), named for a
//! coordinator, and settled by an ordinary edit.
//!
//! Each conflicting value carries the tag of the device that wrote it (the message of
//! its change, [`record::author_tag`]); [`Store::list_conflicts`] turns tags into device
//! names through the team's device list this device last read, so no actor id reaches
//! the screen. [`Store::settle_conflict`] checks the kept value as the record's own form
//! would (the whole record is read back with it and validated), then writes it with one
//! operation that follows every concurrent value: the field then has one value on every
//! device that receives the edit, later edits apply as usual, and an edit made at the
//! same time on a device that had not seen it is a new conflict.

use filrouge_model::conflicts::{Conflict, ConflictList, ConflictValue};
use filrouge_model::ipc::TeamDevice;
use filrouge_model::records::RecordKind;
use filrouge_model::{
    EtapeDraft, EventDraft, Field, MergeDraft, NotDuplicateDraft, OrientationDraft, PartnerDraft,
    PersonDraft, Problem, RecordId, RegistrationDraft, RelanceDraft, RencontreDraft,
    ValidationError,
};
use rusqlite::OptionalExtension;
use serde_json::{Map, Value as Json};

use crate::store::kinds::{Record, schema_of};
use crate::store::record::{self, RESERVED};
use crate::store::records::{edit_in, merged, to_object};
use crate::{CoreError, Store};

/// One stored value of a conflict (the `conflicts.json` items).
#[derive(serde::Deserialize)]
struct Stored {
    value: Json,
    #[serde(default)]
    actor: String,
    #[serde(default)]
    at: i64,
    #[serde(default)]
    device: Option<String>,
    #[serde(default)]
    worker: Option<String>,
}

impl Store {
    /// The open conflicts, the oldest records first, at most `limit`.
    pub fn list_conflicts(&self, limit: u32) -> Result<ConflictList, CoreError> {
        let reserved = RESERVED
            .iter()
            .map(|k| format!("'{k}'"))
            .collect::<Vec<_>>()
            .join(",");
        let total: u32 = self.conn.query_row(
            &format!("SELECT COUNT(*) FROM conflicts WHERE field NOT IN ({reserved})"),
            [],
            |r| r.get(0),
        )?;
        let devices: Vec<TeamDevice> = self
            .meta(crate::store::dashboard::TEAM_DEVICES)?
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default();
        let me = self.device_id()?;
        let my_actor = self.actor().to_hex_string();
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT c.doc_id, d.kind, c.field, c.json FROM conflicts c
               JOIN documents d ON d.id = c.doc_id
              WHERE c.field NOT IN ({reserved})
              ORDER BY c.doc_id, c.field LIMIT ?1"
        ))?;
        let rows = stmt.query_map([limit], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        let mut conflicts = Vec::new();
        for row in rows {
            let (id, kind, field, json) = row?;
            let (Some(record), Some(kind)) = (RecordId::parse(&id), RecordKind::from_code(&kind))
            else {
                continue;
            };
            let stored: Vec<Stored> = serde_json::from_str(&json).unwrap_or_default();
            let values = stored
                .into_iter()
                .map(|v| {
                    let device = v.device.as_deref().and_then(|tag| {
                        devices
                            .iter()
                            .find(|d| record::is_tagged(tag, &d.id))
                            .map(|d| d.name.clone())
                    });
                    let this_device = match (&v.device, &me) {
                        (Some(tag), Some(me)) => record::is_tagged(tag, me),
                        _ => v.actor == my_actor,
                    };
                    ConflictValue {
                        value: v.value,
                        device,
                        worker: v.worker,
                        this_device,
                        at: v.at,
                    }
                })
                .collect();
            let (about, person) = self.about(kind, &id)?;
            conflicts.push(Conflict {
                record,
                kind,
                about,
                person,
                field,
                values,
            });
        }
        Ok(ConflictList { conflicts, total })
    }

    /// What record `id` is about, as lists name it, and the person whose thread shows it.
    fn about(&self, kind: RecordKind, id: &str) -> Result<(String, Option<RecordId>), CoreError> {
        let person_sql = match kind {
            RecordKind::Personne => Some("SELECT ?1"),
            RecordKind::Etape => Some("SELECT person_id FROM etapes WHERE id = ?1"),
            RecordKind::Orientation => Some("SELECT person_id FROM orientations WHERE id = ?1"),
            RecordKind::Relance => Some("SELECT person_id FROM relances WHERE id = ?1"),
            RecordKind::Inscription => Some("SELECT person_id FROM inscriptions WHERE id = ?1"),
            RecordKind::Rencontre => Some(
                "SELECT person_id FROM rencontre_persons WHERE rencontre_id = ?1
                  ORDER BY person_id LIMIT 1",
            ),
            _ => None,
        };
        let person: Option<String> = match person_sql {
            Some(sql) => self
                .conn
                .prepare_cached(sql)?
                .query_row([id], |r| r.get::<_, Option<String>>(0))
                .optional()?
                .flatten(),
            None => None,
        };
        let person = match person {
            Some(p) => Some(self.shown_person(&p)?),
            None => None,
        };
        let name_of_person = |p: &str| -> Result<Option<String>, CoreError> {
            Ok(self
                .conn
                .prepare_cached(
                    "SELECT pseudonym || coalesce(' ' || last_name, '') FROM personnes WHERE id = ?1",
                )?
                .query_row([p], |r| r.get(0))
                .optional()?)
        };
        let about: Option<String> = match kind {
            RecordKind::Rencontre => self
                .conn
                .prepare_cached(
                    "SELECT place || ' · ' || date(occurred_at / 1000, 'unixepoch')
                       FROM rencontres WHERE id = ?1",
                )?
                .query_row([id], |r| r.get(0))
                .optional()?,
            RecordKind::Evenement => self
                .conn
                .prepare_cached("SELECT name FROM evenements WHERE id = ?1")?
                .query_row([id], |r| r.get(0))
                .optional()?,
            RecordKind::Partenaire => self
                .conn
                .prepare_cached("SELECT name FROM partenaires WHERE id = ?1")?
                .query_row([id], |r| r.get(0))
                .optional()?,
            _ => match &person {
                Some(p) => name_of_person(p)?,
                None => None,
            },
        };
        Ok((
            about.unwrap_or_default(),
            person.and_then(|p| RecordId::parse(&p)),
        ))
    }

    /// Keeps `value` for field `field` of record `id`: checked with the whole record as
    /// its form checks it, then written after every concurrent value.
    pub fn settle_conflict(&mut self, id: &str, field: &str, value: Json) -> Result<(), CoreError> {
        let now = self.env.clock.now_ms();
        let kind: Option<String> = self
            .conn
            .prepare_cached("SELECT kind FROM documents WHERE id = ?1 AND deleted = 0")?
            .query_row([id], |r| r.get(0))
            .optional()?;
        let kind = kind
            .as_deref()
            .and_then(RecordKind::from_code)
            .ok_or_else(|| CoreError::NotFound { id: id.to_owned() })?;
        let schema =
            schema_of(kind.code()).ok_or_else(|| CoreError::NotFound { id: id.to_owned() })?;
        let field_of = |path: &str| {
            let last = path.rsplit('.').next().unwrap_or(path);
            serde_json::from_value::<Field>(Json::String(last.to_owned())).unwrap_or(Field::Name)
        };
        let malformed =
            || CoreError::Validation(ValidationError::new(field_of(field), Problem::Malformed));
        if field.is_empty() || RESERVED.iter().any(|r| field.split('.').next() == Some(*r)) {
            return Err(malformed());
        }
        let loaded = self.load_kind(id, kind)?;
        let (mut json, _) = merged(&loaded.doc, &schema);
        if !set_path(&mut json, field, value) {
            return Err(malformed());
        }
        // The record as it would read afterwards, normalised as its form normalises it.
        let checked = validated(kind, json, id, now, field_of(field))?;
        let kept = get_path(&checked, field).cloned().unwrap_or(Json::Null);
        let compact_after = self.options().compact_after;
        let tx = self.conn.savepoint()?;
        let changed = edit_in(&tx, id, kind, now, loaded, compact_after, |doc| {
            record::settle_field(doc, field, &kept, &schema)
        })?;
        if changed {
            tx.commit()?;
        }
        Ok(())
    }
}

/// Sets the value at dot-separated `path` in `json`; false when a map on the way is
/// missing.
fn set_path(json: &mut Map<String, Json>, path: &str, value: Json) -> bool {
    match path.split_once('.') {
        None => {
            json.insert(path.to_owned(), value);
            true
        }
        Some((head, rest)) => match json.get_mut(head) {
            Some(Json::Object(inner)) => set_path(inner, rest, value),
            _ => false,
        },
    }
}

fn get_path<'a>(json: &'a Map<String, Json>, path: &str) -> Option<&'a Json> {
    match path.split_once('.') {
        None => json.get(path),
        Some((head, rest)) => match json.get(head)? {
            Json::Object(inner) => get_path(inner, rest),
            _ => None,
        },
    }
}

/// The record `json` of `kind` once read as its draft and validated, as stored.
/// A value of the wrong type (a text for a year) is `field` [`Problem::Malformed`].
fn validated(
    kind: RecordKind,
    json: Map<String, Json>,
    id: &str,
    now: i64,
    field: Field,
) -> Result<Map<String, Json>, CoreError> {
    fn check<R: Record>(
        json: Map<String, Json>,
        id: &str,
        now: i64,
        field: Field,
    ) -> Result<Map<String, Json>, CoreError> {
        let draft: R = serde_json::from_value(Json::Object(json))
            .map_err(|_| CoreError::Validation(ValidationError::new(field, Problem::Malformed)))?;
        to_object(&draft.validated(now)?, id)
    }
    match kind {
        RecordKind::Rencontre => check::<RencontreDraft>(json, id, now, field),
        RecordKind::Personne => check::<PersonDraft>(json, id, now, field),
        RecordKind::Etape => check::<EtapeDraft>(json, id, now, field),
        RecordKind::Orientation => check::<OrientationDraft>(json, id, now, field),
        RecordKind::Relance => check::<RelanceDraft>(json, id, now, field),
        RecordKind::Evenement => check::<EventDraft>(json, id, now, field),
        RecordKind::Inscription => check::<RegistrationDraft>(json, id, now, field),
        RecordKind::Partenaire => check::<PartnerDraft>(json, id, now, field),
        RecordKind::NonDoublon => check::<NotDuplicateDraft>(json, id, now, field),
        RecordKind::Fusion => check::<MergeDraft>(json, id, now, field),
        RecordKind::Notice => check::<filrouge_model::NoticeDraft>(json, id, now, field),
    }
}

#[cfg(test)]
#[path = "conflicts_tests.rs"]
mod tests;
