//! The store's generic layer for every record kind: create, edit, delete, correct, read
//! for an edit form. Crate-private: the app, the tools and the tests go through the use
//! cases ([`super::people`], [`super::events`], [`super::partners`], [`Store::import`]),
//! which say what a user did. Deleting and correcting a record (the coordinator's
//! erasure and redaction, to come) exist for the store's merge-rule tests only until a
//! user action needs them.
//!
//! Each method is one SQLite transaction: the document bytes (a snapshot for a new
//! record, the bytes after the loaded heads for an edit), its new changes in the outbox,
//! its projection rows and its conflicts. Reads for lists go to projections; [`Store::get`]
//! loads the document because it is meant for the edit form.

use automerge::transaction::{CommitOptions, Transactable};
use automerge::{AutoCommit, ROOT, ScalarValue};
#[cfg(test)]
use automerge::{ObjType, ReadDoc, Value};
use filrouge_model::RecordId;
use filrouge_model::records::RecordKind;
use rusqlite::{Connection, params};
use serde_json::{Map, Value as Json};

use crate::store::kinds::{Record, schema_of};
use crate::store::merges;
use crate::store::projections::{self, Meta, Row};
use crate::store::record::{self, Conflict, Schema};
use crate::store::{Loaded, corrupt, first_save, persist_after, queue_outbox};
use crate::{CoreError, Store};

/// The layout version written in each document's `schema` key.
pub(crate) const DOC_SCHEMA: i64 = 1;

impl Store {
    /// Creates a record of kind `R` and returns its id.
    pub(crate) fn create<R: Record>(&mut self, draft: R) -> Result<RecordId, CoreError> {
        let now = self.env.clock.now_ms();
        let draft = draft.validated(now)?;
        let actor = self.actor().clone();
        let tx = self.conn.savepoint()?;
        let id = create_in(&tx, &self.env, &actor, draft, now)?;
        tx.commit()?;
        Ok(id)
    }

    /// Imports records of kind `R` in one transaction: all of them or, if one draft is
    /// refused, none. Returns their ids in order. (The importer's use case, and the
    /// made-up stores of `filrouge generate` and the benchmarks.)
    pub fn import<R: Record>(&mut self, drafts: Vec<R>) -> Result<Vec<RecordId>, CoreError> {
        let now = self.env.clock.now_ms();
        // Every draft is checked before anything is written.
        let drafts = drafts
            .into_iter()
            .map(|d| d.validated(now))
            .collect::<Result<Vec<R>, _>>()?;
        let actor = self.actor().clone();
        let tx = self.conn.savepoint()?;
        let mut ids = Vec::with_capacity(drafts.len());
        for draft in drafts {
            ids.push(create_in(&tx, &self.env, &actor, draft, now)?);
        }
        tx.commit()?;
        Ok(ids)
    }

    /// Edits a record: only fields whose value differs are written, so concurrent edits
    /// of other fields on other devices survive.
    pub(crate) fn update<R: Record>(&mut self, id: &str, draft: R) -> Result<(), CoreError> {
        self.update_except(id, draft, &[])
    }

    /// [`Store::update`], leaving the top-level fields `kept` as the document holds
    /// them whatever the draft says (fields only their own command changes).
    pub(crate) fn update_except<R: Record>(
        &mut self,
        id: &str,
        draft: R,
        kept: &[&str],
    ) -> Result<(), CoreError> {
        let now = self.env.clock.now_ms();
        let draft = draft.validated(now)?;
        let mut json = to_object(&draft, id)?;
        for field in kept {
            json.remove(*field);
        }
        self.edit(id, R::KIND, now, |doc| {
            record::write_object(doc, &ROOT, &json, &R::SCHEMA, "")
        })
    }

    /// Deletes a record: it leaves every list and query on every device. The deletion is
    /// a flag no edit clears, so a concurrent edit on another device cannot undo it.
    #[cfg(test)]
    pub(crate) fn delete(&mut self, id: &str) -> Result<(), CoreError> {
        let kind = self.kind_of(id)?;
        let now = self.env.clock.now_ms();
        self.edit(id, kind, now, |doc| {
            doc.put(ROOT, "deleted", true)?;
            Ok(true)
        })
    }

    /// A coordinator's correction of one top-level field (a redaction is a correction to
    /// an empty or neutral value). It is written apart from the plain fields, so it wins
    /// over any concurrent plain edit of that field, whatever the devices' actor ids.
    #[cfg(test)]
    pub(crate) fn correct(&mut self, id: &str, field: &str, value: Json) -> Result<(), CoreError> {
        let kind = self.kind_of(id)?;
        let now = self.env.clock.now_ms();
        let text = value.to_string();
        self.edit(id, kind, now, |doc| {
            let overrides = match doc.get(ROOT, "overrides")? {
                Some((Value::Object(ObjType::Map), obj)) => obj,
                _ => doc.put_object(ROOT, "overrides", ObjType::Map)?,
            };
            doc.put(&overrides, field, text.as_str())?;
            Ok(true)
        })
    }

    /// A record as its edit form needs it (loads the document).
    pub(crate) fn get<R: Record>(&mut self, id: &str) -> Result<R, CoreError> {
        let Loaded { doc, .. } = self.load(id)?;
        let (json, meta) = merged(&doc, &R::SCHEMA);
        if meta.deleted || record::root_str(&doc, "kind").as_deref() != Some(R::KIND.code()) {
            return Err(CoreError::NotFound { id: id.to_owned() });
        }
        serde_json::from_value(Json::Object(json)).map_err(|e| CoreError::Corrupt {
            id: id.to_owned(),
            reason: e.to_string(),
        })
    }

    /// The fields of a record with concurrent values, as last projected.
    #[cfg(test)]
    pub(crate) fn conflicts(&self, id: &str) -> Result<Vec<(String, Json)>, CoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT field, json FROM conflicts WHERE doc_id = ?1 ORDER BY field")?;
        let rows = stmt.query_map([id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (field, json) = row?;
            out.push((field, serde_json::from_str(&json).unwrap_or(Json::Null)));
        }
        Ok(out)
    }

    /// Loads, changes, and persists a document in one transaction.
    fn edit(
        &mut self,
        id: &str,
        kind: RecordKind,
        now: i64,
        change: impl FnOnce(&mut AutoCommit) -> Result<bool, automerge::AutomergeError>,
    ) -> Result<(), CoreError> {
        let loaded = self.load_kind(id, kind)?;
        let compact_after = self.options().compact_after;
        let tx = self.conn.savepoint()?;
        if edit_in(&tx, id, kind, now, loaded, compact_after, change)? {
            tx.commit()?;
        }
        Ok(())
    }

    /// Loads a document for an edit, checking that it is of `kind`.
    pub(crate) fn load_kind(&mut self, id: &str, kind: RecordKind) -> Result<Loaded, CoreError> {
        let loaded = self.load(id)?;
        if record::root_str(&loaded.doc, "kind").as_deref() != Some(kind.code()) {
            return Err(CoreError::NotFound { id: id.to_owned() });
        }
        Ok(loaded)
    }

    /// The kind of the stored record `id`.
    pub(crate) fn kind_of(&self, id: &str) -> Result<RecordKind, CoreError> {
        let code: Option<String> = rusqlite::OptionalExtension::optional(
            self.conn
                .prepare_cached("SELECT kind FROM documents WHERE id = ?1")?
                .query_row([id], |r| r.get(0)),
        )?;
        code.as_deref()
            .and_then(RecordKind::from_code)
            .ok_or_else(|| CoreError::NotFound { id: id.to_owned() })
    }
}

/// Changes a loaded document and writes the change, its outbox entry and its projection
/// inside `tx`. Returns whether anything changed (nothing to write otherwise).
pub(crate) fn edit_in(
    tx: &Connection,
    id: &str,
    kind: RecordKind,
    now: i64,
    Loaded { mut doc, heads }: Loaded,
    compact_after: i64,
    change: impl FnOnce(&mut AutoCommit) -> Result<bool, automerge::AutomergeError>,
) -> Result<bool, CoreError> {
    let fail = |e: automerge::AutomergeError| corrupt(id, &e);
    if !change(&mut doc).map_err(fail)? {
        return Ok(false);
    }
    doc.put(ROOT, "updated_at", now).map_err(fail)?;
    doc.commit_with(commit_options(tx, now)?);
    queue_outbox(tx, id, doc.get_changes(&heads))?;
    persist_after(tx, id, &mut doc, &heads, compact_after)?;
    reproject(tx, kind, id, &mut doc)?;
    Ok(true)
}

/// Makes a new record's document and writes it, its outbox entry and its projection
/// inside `tx`; the draft is already validated.
pub(crate) fn create_in<R: Record>(
    tx: &Connection,
    env: &crate::Env,
    actor: &automerge::ActorId,
    draft: R,
    now: i64,
) -> Result<RecordId, CoreError> {
    let uuid = env.ids.new_id();
    let id = RecordId::from_bytes(*uuid.as_bytes());
    let json = to_object(&draft, &id)?;
    let mut doc = AutoCommit::new().with_actor(actor.clone());
    let fail = |e: automerge::AutomergeError| corrupt(&id, &e);
    doc.put(ROOT, "schema", DOC_SCHEMA).map_err(fail)?;
    doc.put(ROOT, "kind", R::KIND.code()).map_err(fail)?;
    // The record's id in its first change makes that change unique to this record.
    // Without it, two records with the same fields saved by one device in the same
    // millisecond (a double tap on "Enregistrer" at an event) made byte-identical
    // changes with one hash, and the log, idempotent by hash, kept only one of them.
    doc.put(ROOT, "id", ScalarValue::Bytes(uuid.as_bytes().to_vec()))
        .map_err(fail)?;
    record::write_object(&mut doc, &ROOT, &json, &R::SCHEMA, "").map_err(fail)?;
    doc.put(ROOT, "updated_at", now).map_err(fail)?;
    doc.commit_with(commit_options(tx, now)?);
    tx.prepare_cached(
        "INSERT INTO documents (id, kind, snapshot, chunk_count) VALUES (?1, ?2, ?3, 0)",
    )?
    .execute(params![id.as_str(), R::KIND.code(), first_save(&mut doc)])?;
    queue_outbox(tx, &id, doc.get_changes(&[]))?;
    reproject(tx, R::KIND, &id, &mut doc)?;
    Ok(id)
}

/// How a change is committed: at `now`, with this device's tag and its worker's name
/// once it is enrolled ([`record::author_tag`]).
fn commit_options(tx: &Connection, now: i64) -> Result<CommitOptions, CoreError> {
    let mut stmt =
        tx.prepare_cached("SELECT key, value FROM meta WHERE key IN ('device_id', 'worker_name')")?;
    let (mut device, mut worker) = (None, None);
    for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
        let (key, value) = row?;
        if key == "device_id" {
            device = Some(value);
        } else {
            worker = Some(value);
        }
    }
    let options = CommitOptions::default().with_time(now);
    Ok(match device {
        Some(id) => options.with_message(record::author_tag(&id, worker.as_deref())),
        None => options,
    })
}

/// Rewrites the projection rows and the conflicts of a document after it changed.
pub(crate) fn reproject(
    tx: &Connection,
    kind: RecordKind,
    id: &str,
    doc: &mut AutoCommit,
) -> Result<(), CoreError> {
    match decode(kind, doc) {
        Some(decoded) => write_projection(tx, kind, id, &decoded, true),
        None => Ok(()),
    }
}

/// What a document projects to. Computed from the document alone, without the database,
/// so a rebuild computes it on other threads while this one writes rows.
pub(crate) struct Decoded {
    /// The typed fields, if the record is not deleted and its fields parse.
    row: Option<Row>,
    meta: Meta,
    /// Conflicted fields and their values as stored in the `conflicts` table.
    conflicts: Vec<(String, String)>,
}

/// The merged fields, metadata and conflicts of a document of kind `kind`.
pub(crate) fn decode(kind: RecordKind, doc: &mut AutoCommit) -> Option<Decoded> {
    let schema = schema_of(kind.code())?;
    let mut flags = Vec::new();
    let (json, meta) = merged_flagging(doc, &schema, &mut flags);
    let conflicts = if meta.deleted {
        Vec::new()
    } else {
        record::conflicts_of(doc, &schema, flags)
            .into_iter()
            .map(|Conflict { field, values }| {
                let values: Vec<Json> = values
                    .into_iter()
                    .map(|v| {
                        serde_json::json!({
                            "value": v.value, "actor": v.actor, "at": v.at,
                            "device": v.device, "worker": v.worker
                        })
                    })
                    .collect();
                (field, Json::Array(values).to_string())
            })
            .collect()
    };
    Some(Decoded::new(kind, json, meta, conflicts))
}

impl Decoded {
    fn new(
        kind: RecordKind,
        json: Map<String, Json>,
        meta: Meta,
        conflicts: Vec<(String, String)>,
    ) -> Decoded {
        // A deleted record has no rows, whatever its fields.
        let row = if meta.deleted {
            None
        } else {
            Row::parse(kind, json)
        };
        Decoded {
            row,
            meta,
            conflicts,
        }
    }
}

/// Writes a decoded document's rows; `replace` first removes its old ones (a rebuild,
/// which starts from empty tables, skips that). A change that touches a merge or a
/// merged person settles the merges before the transaction ends (a rebuild settles
/// once, at its end).
pub(crate) fn write_projection(
    tx: &Connection,
    kind: RecordKind,
    id: &str,
    decoded: &Decoded,
    replace: bool,
) -> Result<(), CoreError> {
    if write_rows(tx, kind, id, decoded, replace)? && replace {
        merges::settle(tx, &[id])?;
    }
    Ok(())
}

/// [`write_projection`] without settling merges; returns whether the record touches one.
pub(crate) fn write_rows(
    tx: &Connection,
    kind: RecordKind,
    id: &str,
    decoded: &Decoded,
    replace: bool,
) -> Result<bool, CoreError> {
    let touches = projections::project(tx, kind, id, decoded.row.as_ref(), decoded.meta, replace)?;
    let mut insert = tx.prepare_cached(
        "INSERT OR REPLACE INTO conflicts (doc_id, field, json) VALUES (?1, ?2, ?3)",
    )?;
    for (field, json) in &decoded.conflicts {
        insert.execute(params![id, field, json])?;
    }
    Ok(touches)
}

/// The record's fields with coordinator corrections applied, and its store metadata.
pub(crate) fn merged(doc: &AutoCommit, schema: &Schema) -> (Map<String, Json>, Meta) {
    merged_flagging(doc, schema, &mut Vec::new())
}

/// [`merged`], noting the fields with concurrent values.
fn merged_flagging(
    doc: &AutoCommit,
    schema: &Schema,
    flags: &mut Vec<record::Flagged>,
) -> (Map<String, Json>, Meta) {
    finish(record::read_object_flagging(doc, &ROOT, schema, "", flags))
}

/// What a document made of one change projects to, read from the change itself (see
/// `single.rs`); `None` when that reader does not handle it.
pub(crate) fn decode_single(kind: RecordKind, bytes: &[u8], max_ops: u64) -> Option<Decoded> {
    let schema = schema_of(kind.code())?;
    decoded_from_json(
        kind,
        crate::store::single::read_single_change(bytes, &schema, max_ops)?,
    )
}

/// [`decode_single`] for a change already parsed (see `single::read_change`).
pub(crate) fn decode_change(
    kind: RecordKind,
    change: &automerge::Change,
    max_ops: u64,
) -> Option<Decoded> {
    let schema = schema_of(kind.code())?;
    decoded_from_json(
        kind,
        crate::store::single::read_change(change, &schema, max_ops)?,
    )
}

fn decoded_from_json(kind: RecordKind, json: Map<String, Json>) -> Option<Decoded> {
    // The document says what it is; a blob labelled otherwise takes the full path.
    if json.get("kind").and_then(Json::as_str) != Some(kind.code()) {
        return None;
    }
    let (json, meta) = finish(json);
    // One change by one device: nothing can be concurrent.
    Some(Decoded::new(kind, json, meta, Vec::new()))
}

/// The record's fields with its bookkeeping keys taken out and corrections applied.
fn finish(mut json: Map<String, Json>) -> (Map<String, Json>, Meta) {
    let deleted = json.remove("deleted") == Some(Json::Bool(true));
    let updated_at = json
        .remove("updated_at")
        .and_then(|v| v.as_i64())
        .unwrap_or(0);
    json.remove("kind");
    json.remove("schema");
    json.remove("id");
    if let Some(Json::Object(overrides)) = json.remove("overrides") {
        for (field, text) in overrides {
            if let Some(value) = text.as_str().and_then(|t| serde_json::from_str(t).ok()) {
                json.insert(field, value);
            }
        }
    }
    (
        json,
        Meta {
            deleted,
            updated_at,
        },
    )
}

pub(crate) fn to_object<R: Record>(draft: &R, id: &str) -> Result<Map<String, Json>, CoreError> {
    match serde_json::to_value(draft) {
        Ok(Json::Object(map)) => Ok(map),
        Ok(_) | Err(_) => Err(CoreError::Unencodable {
            what: "a record's draft",
            reason: format!("record {id}: not a JSON object"),
        }),
    }
}

#[cfg(test)]
#[path = "records_tests.rs"]
mod tests;
