//! The generic mapping between a record's JSON form and its Automerge document.
//!
//! Every record kind is stored the same way: its draft is serialised with serde to a
//! JSON object, and `write_object` writes that object into the document's root map,
//! touching only what differs, with these merge semantics:
//! - a scalar field is a map key: concurrent writes of different keys both survive; of
//!   the same key, Automerge keeps one deterministic winner and `conflicts` shows all;
//! - an array of strings is a **set**, stored as a map `{item: true}`: concurrent
//!   additions are all kept and a removal removes (JSON arrays come back sorted);
//! - a field named in [`Schema::texts`] is an Automerge text, so concurrent edits merge
//!   character by character;
//! - a nested JSON object is a nested map, merged field by field;
//! - keys the draft does not mention are left alone, so a field written by a newer app
//!   survives an edit made by an older one.
//!
//! `read_object` turns a document back into JSON for serde. Two reserved root keys
//! sit beside the record's own fields: `overrides` (coordinator corrections, which win
//! over any concurrent plain edit because plain edits never touch them) and `deleted`
//! (set once, never cleared by an edit, so a deletion is never lost).

use std::collections::BTreeSet;

use automerge::transaction::Transactable;
use automerge::{AutoCommit, AutomergeError, ObjId, ObjType, ROOT, ReadDoc, ScalarValue, Value};
use serde_json::{Map, Number, Value as Json};

/// How a kind's fields merge, beyond the defaults.
#[derive(Debug, Clone, Copy)]
pub struct Schema {
    /// Field paths (dot-separated for nested objects) stored as Automerge text.
    pub texts: &'static [&'static str],
    /// Field paths holding sets (JSON arrays of strings), stored as `{item: true}` maps.
    pub sets: &'static [&'static str],
}

/// Root keys the store manages itself; drafts cannot write them.
pub(crate) const RESERVED: &[&str] = &["overrides", "deleted", "kind", "schema", "updated_at"];

/// Writes a JSON object into the map `obj`, touching only fields whose value differs.
/// Returns whether anything was written.
pub(crate) fn write_object(
    doc: &mut AutoCommit,
    obj: &ObjId,
    value: &Map<String, Json>,
    schema: &Schema,
    path: &str,
) -> Result<bool, AutomergeError> {
    let mut changed = false;
    for (key, v) in value {
        if path.is_empty() && RESERVED.contains(&key.as_str()) {
            continue;
        }
        let full = if path.is_empty() {
            key.clone()
        } else {
            format!("{path}.{key}")
        };
        changed |= write_field(doc, obj, key, v, schema, &full)?;
    }
    Ok(changed)
}

fn write_field(
    doc: &mut AutoCommit,
    obj: &ObjId,
    key: &str,
    v: &Json,
    schema: &Schema,
    full: &str,
) -> Result<bool, AutomergeError> {
    let current = doc.get(obj, key)?.map(|(val, id)| (val.to_owned(), id));
    if schema.texts.contains(&full) {
        let text = v.as_str().unwrap_or_default();
        let id = match current {
            Some((Value::Object(ObjType::Text), id)) => id,
            _ => {
                if text.is_empty() && current.is_none() {
                    return Ok(false);
                }
                doc.put_object(obj, key, ObjType::Text)?
            }
        };
        if doc.text(&id)? == text {
            return Ok(false);
        }
        // update_text diffs old and new, so only the edited characters are written.
        doc.update_text(&id, text)?;
        return Ok(true);
    }
    match v {
        Json::Null => {
            if current.is_some() {
                doc.delete(obj, key)?;
                return Ok(true);
            }
            Ok(false)
        }
        Json::Array(items) => {
            let wanted: BTreeSet<String> = items.iter().map(json_key).collect();
            let id = match current {
                Some((Value::Object(ObjType::Map), id)) => id,
                _ => doc.put_object(obj, key, ObjType::Map)?,
            };
            let have: BTreeSet<String> = doc.keys(&id).collect();
            let mut changed = false;
            for add in wanted.difference(&have) {
                doc.put(&id, add.as_str(), true)?;
                changed = true;
            }
            for gone in have.difference(&wanted) {
                doc.delete(&id, gone.as_str())?;
                changed = true;
            }
            Ok(changed)
        }
        Json::Object(fields) => {
            let id = match current {
                Some((Value::Object(ObjType::Map), id)) => id,
                _ => doc.put_object(obj, key, ObjType::Map)?,
            };
            write_object(doc, &id, fields, schema, full)
        }
        scalar => {
            let new = to_scalar(scalar);
            if let Some((Value::Scalar(old), _)) = &current
                && same_scalar(old, &new)
            {
                return Ok(false);
            }
            doc.put(obj, key, new)?;
            Ok(true)
        }
    }
}

/// Sets the field at dot-separated `path` to `v` by one new operation that follows every
/// value the field has now, so a conflict on it is settled (where [`write_object`] would
/// skip a value equal to the one shown). The maps on the way must exist.
pub(crate) fn settle_field(
    doc: &mut AutoCommit,
    path: &str,
    v: &Json,
    schema: &Schema,
) -> Result<bool, AutomergeError> {
    let mut obj = ROOT;
    let mut segments = path.split('.').peekable();
    while let Some(key) = segments.next() {
        if segments.peek().is_some() {
            match doc.get(&obj, key)? {
                Some((Value::Object(ObjType::Map), id)) => obj = id,
                _ => return Ok(false),
            }
            continue;
        }
        if schema.texts.contains(&path) {
            let id = doc.put_object(&obj, key, ObjType::Text)?;
            doc.update_text(&id, v.as_str().unwrap_or_default())?;
            return Ok(true);
        }
        match v {
            Json::Null => doc.delete(&obj, key)?,
            Json::Object(_) | Json::Array(_) => {
                // A new map replaces the concurrent ones; its fields are written in it.
                doc.put_object(&obj, key, ObjType::Map)?;
                write_field(doc, &obj, key, v, schema, path)?;
            }
            scalar => {
                // Automerge writes a value equal to the shown one as a deletion of the
                // others only, which an edit made meanwhile elsewhere then silently
                // overrides. Deleting first makes the put a value of its own, so such an
                // edit is concurrent with it: the conflict opens again, as it should.
                doc.delete(&obj, key)?;
                doc.put(&obj, key, to_scalar(scalar))?;
            }
        }
        return Ok(true);
    }
    Ok(false)
}

/// A set item's map key: strings as they are, anything else as its JSON text.
fn json_key(v: &Json) -> String {
    match v {
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn to_scalar(v: &Json) -> ScalarValue {
    match v {
        Json::Bool(b) => ScalarValue::Boolean(*b),
        Json::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => ScalarValue::Int(i),
            (None, Some(f)) => ScalarValue::F64(f),
            (None, None) => ScalarValue::Null,
        },
        Json::String(s) => ScalarValue::Str(s.as_str().into()),
        _ => ScalarValue::Null,
    }
}

fn same_scalar(old: &ScalarValue, new: &ScalarValue) -> bool {
    match (old, new) {
        (ScalarValue::Uint(a), ScalarValue::Int(b)) => i64::try_from(*a).ok() == Some(*b),
        (a, b) => a == b,
    }
}

/// Reads the map `obj` (at `path`) back as a JSON object; sets come back as sorted
/// arrays of their items, the same on every device.
pub(crate) fn read_object(
    doc: &AutoCommit,
    obj: &ObjId,
    schema: &Schema,
    path: &str,
) -> Map<String, Json> {
    read_object_flagging(doc, obj, schema, path, &mut Vec::new())
}

/// A field whose value is concurrent: its path, the map holding it, and its key.
pub(crate) type Flagged = (String, ObjId, String);

/// [`read_object`], also noting the fields with concurrent values in `flags` (Automerge
/// flags them as it walks the map, so conflicts cost no second pass).
pub(crate) fn read_object_flagging(
    doc: &AutoCommit,
    obj: &ObjId,
    schema: &Schema,
    path: &str,
    flags: &mut Vec<Flagged>,
) -> Map<String, Json> {
    // One pass over the map: a `get` per key would seek each key again (a quarter of a
    // rebuild's time when it did).
    let items: Vec<(String, Value<'static>, ObjId, bool)> = doc
        .map_range(obj, ..)
        .map(|item| {
            let id = item.id();
            (
                item.key.into_owned(),
                Value::from(item.value),
                id,
                item.conflict,
            )
        })
        .collect();
    let mut out = Map::new();
    for (key, v, id, conflict) in items {
        let full = if path.is_empty() {
            key.clone()
        } else {
            format!("{path}.{key}")
        };
        if conflict {
            flags.push((full.clone(), obj.clone(), key.clone()));
        }
        let value = match v {
            Value::Object(ObjType::Map | ObjType::Table)
                if !schema.sets.contains(&full.as_str()) =>
            {
                Json::Object(read_object_flagging(doc, &id, schema, &full, flags))
            }
            v => read_value(doc, v, &id, schema, &full),
        };
        out.insert(key, value);
    }
    out
}

fn read_value(doc: &AutoCommit, v: Value<'_>, id: &ObjId, schema: &Schema, path: &str) -> Json {
    match v {
        Value::Scalar(s) => scalar_json(&s),
        Value::Object(ObjType::Text) => Json::String(doc.text(id).unwrap_or_default()),
        Value::Object(ObjType::Map | ObjType::Table) if schema.sets.contains(&path) => {
            // Map keys come out sorted: the same order on every device.
            Json::Array(doc.keys(id).map(Json::String).collect())
        }
        Value::Object(ObjType::Map | ObjType::Table) => {
            Json::Object(read_object(doc, id, schema, path))
        }
        Value::Object(ObjType::List) => Json::Array(
            (0..doc.length(id))
                .filter_map(|i| match doc.get(id, i) {
                    Ok(Some((v, child))) => Some(read_value(doc, v, &child, schema, path)),
                    _ => None,
                })
                .collect(),
        ),
    }
}

pub(crate) fn scalar_json(s: &ScalarValue) -> Json {
    match s {
        ScalarValue::Str(s) => Json::String(s.to_string()),
        ScalarValue::Int(i) | ScalarValue::Timestamp(i) => Json::Number((*i).into()),
        ScalarValue::Uint(u) => Json::Number((*u).into()),
        ScalarValue::F64(f) => Number::from_f64(*f).map_or(Json::Null, Json::Number),
        ScalarValue::Counter(c) => Json::Number(i64::from(c).into()),
        ScalarValue::Boolean(b) => Json::Bool(*b),
        ScalarValue::Null | ScalarValue::Bytes(_) | ScalarValue::Unknown { .. } => Json::Null,
    }
}

/// One field with concurrent values, as a coordinator sees it to choose later.
#[derive(Debug, Clone)]
pub struct Conflict {
    /// The field's path, dot-separated.
    pub field: String,
    /// Every concurrent value, the shown (winning) one first.
    pub values: Vec<ConflictValue>,
}

/// One of the concurrent values of a field.
#[derive(Debug, Clone)]
pub struct ConflictValue {
    /// The value.
    pub value: Json,
    /// The device (Automerge actor, hex) that wrote it.
    pub actor: String,
    /// When that device says it wrote it (its clock), milliseconds since the epoch.
    pub at: i64,
    /// The tag of the enrolled device that wrote it ([`author_tag`]), if it was.
    pub device: Option<String>,
    /// The worker's name that device had then, if any.
    pub worker: Option<String>,
    op: ObjId,
}

/// The prefix of a change's message that names its device.
const DEVICE_TAG: &str = "d=";
/// What parts the device's tag from the worker's name in a change's message.
const WORKER_TAG: &str = " w=";

/// The message a device puts on each change it makes once enrolled: the last 12 hex
/// digits of its device id (the random part of a UUIDv7), so a conflict's values can be
/// told by the *name* of the device that wrote them, read from the team's device list;
/// and the name of the worker using it (set in its settings), if any, since a device
/// may pass between workers. No person the team meets is named there.
pub(crate) fn author_tag(device_id: &str, worker: Option<&str>) -> String {
    let hex: String = device_id.chars().filter(char::is_ascii_hexdigit).collect();
    let mut tag = format!("{DEVICE_TAG}{}", &hex[hex.len().saturating_sub(12)..]);
    if let Some(worker) = worker.filter(|w| !w.is_empty()) {
        tag.push_str(WORKER_TAG);
        tag.push_str(worker);
    }
    tag
}

/// The device tag and the worker's name a change's message carries.
fn read_tag(message: &str) -> (Option<String>, Option<String>) {
    let Some(rest) = message.strip_prefix(DEVICE_TAG) else {
        return (None, None);
    };
    match rest.split_once(WORKER_TAG) {
        Some((device, worker)) => (Some(device.to_owned()), Some(worker.to_owned())),
        None => (Some(rest.to_owned()), None),
    }
}

/// Whether device `device_id` is the one `tag` names.
pub(crate) fn is_tagged(tag: &str, device_id: &str) -> bool {
    author_tag(device_id, None) == format!("{DEVICE_TAG}{tag}")
}

/// Every field of the root map (and nested maps) with concurrent values. Items of a set
/// added on two devices at once are not conflicts: both added the same thing.
#[cfg(test)]
pub(crate) fn conflicts(doc: &mut AutoCommit, schema: &Schema) -> Vec<Conflict> {
    let mut flags = Vec::new();
    read_object_flagging(doc, &ROOT, schema, "", &mut flags);
    conflicts_of(doc, schema, flags)
}

/// The concurrent values of the fields [`read_object_flagging`] flagged.
pub(crate) fn conflicts_of(
    doc: &mut AutoCommit,
    schema: &Schema,
    flags: Vec<Flagged>,
) -> Vec<Conflict> {
    let mut out = Vec::new();
    for (field, obj, key) in flags {
        let Ok(all) = doc.get_all(&obj, key.as_str()) else {
            continue;
        };
        // get_all lists values in op order; the winner (what `get` shows) is last.
        let mut values: Vec<ConflictValue> = all
            .iter()
            .rev()
            .map(|(v, id)| ConflictValue {
                value: read_value(doc, v.clone(), id, schema, &field),
                actor: actor_of(id),
                at: 0,
                device: None,
                worker: None,
                op: id.clone(),
            })
            .collect();
        values.dedup_by(|a, b| a.value == b.value && a.actor == b.actor);
        out.push(Conflict { field, values });
    }
    // The history is only needed to date conflicting values; most documents have none.
    if !out.is_empty() {
        let history = doc.get_changes(&[]);
        for conflict in &mut out {
            for value in &mut conflict.values {
                if let Some(change) = change_of(&history, &value.op) {
                    value.at = change.timestamp();
                    (value.device, value.worker) =
                        change.message().map(read_tag).unwrap_or_default();
                }
            }
        }
    }
    out
}

fn actor_of(id: &ObjId) -> String {
    match id {
        ObjId::Root => String::new(),
        ObjId::Id(_, actor, _) => actor.to_hex_string(),
    }
}

/// The change that made operation `id`.
fn change_of<'a>(history: &'a [automerge::Change], id: &ObjId) -> Option<&'a automerge::Change> {
    let ObjId::Id(counter, actor, _) = id else {
        return None;
    };
    history.iter().find(|c| {
        c.actor_id() == actor
            && c.start_op().get() <= *counter
            && *counter < c.start_op().get() + c.len() as u64
    })
}

/// Reads a root scalar string.
pub(crate) fn root_str(doc: &AutoCommit, key: &str) -> Option<String> {
    match doc.get(ROOT, key).ok()?? {
        (Value::Scalar(s), _) => match s.as_ref() {
            ScalarValue::Str(s) => Some(s.to_string()),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
#[path = "record_tests.rs"]
mod tests;
