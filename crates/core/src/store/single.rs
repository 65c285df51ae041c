//! Reading a record made of a single change straight from that change's operations.
//!
//! Most stored records were never edited: their bytes are one Automerge change with no
//! dependencies. A rebuild reads each one, and building an Automerge document for it
//! (parsing, applying every operation to an op set) was most of the rebuild's cost. One
//! change by one device has no concurrency, so its operations applied in order give the
//! state: map keys set and removed, objects made, text characters inserted after their
//! reference and deleted. [`read_single_change`] does that and returns the same JSON as
//! [`crate::store::record::read_object`] on the loaded document (a test compares them on every
//! kind of record); for anything it does not handle (counters, marks, a change that
//! depends on others) it returns `None` and the caller loads the document as usual.

use std::collections::{BTreeMap, HashMap};

use automerge::legacy::{ElementId, Key, ObjectId, OpType};
use automerge::{ObjType, ScalarValue};
use serde_json::{Map, Value as Json};

use crate::store::record::{Schema, scalar_json};

/// A value in a map slot or list element.
enum Slot {
    Scalar(ScalarValue),
    Object(u64),
}

/// An object made by the change, keyed by the counter of the operation that made it.
enum Obj {
    Map(BTreeMap<String, Slot>),
    /// Elements in order: (element id, value, visible).
    Seq(ObjType, Vec<(u64, Slot, bool)>),
}

/// The record's fields, when `bytes` are exactly one change with no dependencies made of
/// operations this reader handles; `None` otherwise.
pub(crate) fn read_single_change(
    bytes: &[u8],
    schema: &Schema,
    max_ops: u64,
) -> Option<Map<String, Json>> {
    let change = automerge::Change::try_from(bytes).ok()?;
    // A checksum that does not match: the full load then reports the damage.
    if bytes.get(4..8) != Some(&change.hash().0[..4]) {
        return None;
    }
    read_change(&change, schema, max_ops)
}

/// [`read_single_change`] for a change already parsed (a pulled one, whose hash the
/// caller checked against the one it was sent under).
pub(crate) fn read_change(
    change: &automerge::Change,
    schema: &Schema,
    max_ops: u64,
) -> Option<Map<String, Json>> {
    // Not a first change, or more operations than a load accepts: the caller loads the
    // document.
    if !change.deps().is_empty() || change.len() as u64 > max_ops {
        return None;
    }
    let expanded = change.decode();
    let actor = expanded.actor_id.clone();
    let start = expanded.start_op.get();
    // Root is object 0; others are the counters of the operations that made them.
    let mut objects: HashMap<u64, Obj> = HashMap::new();
    objects.insert(0, Obj::Map(BTreeMap::new()));
    for (i, op) in expanded.operations.into_iter().enumerate() {
        let counter = start + i as u64;
        let obj = match &op.obj {
            ObjectId::Root => 0,
            ObjectId::Id(id) if id.1 == actor => id.0,
            ObjectId::Id(_) => return None,
        };
        let made = match &op.action {
            OpType::Make(kind) => {
                let new = match kind {
                    ObjType::Map | ObjType::Table => Obj::Map(BTreeMap::new()),
                    ObjType::List | ObjType::Text => Obj::Seq(*kind, Vec::new()),
                };
                objects.insert(counter, new);
                Some(Slot::Object(counter))
            }
            OpType::Put(value) => Some(Slot::Scalar(value.clone())),
            OpType::Delete => None,
            OpType::Increment(_) | OpType::MarkBegin(_) | OpType::MarkEnd(_) => return None,
        };
        match (objects.get_mut(&obj)?, &op.key) {
            (Obj::Map(entries), Key::Map(key)) => match made {
                Some(slot) => {
                    entries.insert(key.to_string(), slot);
                }
                None => {
                    entries.remove(key.as_str());
                }
            },
            (Obj::Seq(_, elems), Key::Seq(elem)) => {
                let target = match elem {
                    ElementId::Head => None,
                    ElementId::Id(id) if id.1 == actor => Some(id.0),
                    ElementId::Id(_) => return None,
                };
                if op.insert {
                    // Inserted right after its reference: every element already there has
                    // a smaller id, so none of them goes before it (RGA order).
                    let at = match target {
                        None => 0,
                        Some(t) => elems.iter().position(|(id, _, _)| *id == t)? + 1,
                    };
                    elems.insert(at, (counter, made?, true));
                } else {
                    let t = target?;
                    let elem = elems.iter_mut().find(|(id, _, _)| *id == t)?;
                    match made {
                        Some(slot) => elem.1 = slot,
                        None => elem.2 = false,
                    }
                }
            }
            _ => return None,
        }
    }
    match objects.remove(&0)? {
        Obj::Map(root) => map_json(&objects, &root, schema, ""),
        Obj::Seq(..) => None,
    }
}

fn map_json(
    objects: &HashMap<u64, Obj>,
    entries: &BTreeMap<String, Slot>,
    schema: &Schema,
    path: &str,
) -> Option<Map<String, Json>> {
    let mut out = Map::new();
    for (key, slot) in entries {
        let full = if path.is_empty() {
            key.clone()
        } else {
            format!("{path}.{key}")
        };
        let value = slot_json(objects, slot, schema, &full)?;
        out.insert(key.clone(), value);
    }
    Some(out)
}

fn slot_json(
    objects: &HashMap<u64, Obj>,
    slot: &Slot,
    schema: &Schema,
    path: &str,
) -> Option<Json> {
    Some(match slot {
        Slot::Scalar(s) => scalar_json(s),
        Slot::Object(id) => match objects.get(id)? {
            Obj::Map(entries) if schema.sets.contains(&path) => {
                Json::Array(entries.keys().cloned().map(Json::String).collect())
            }
            Obj::Map(entries) => Json::Object(map_json(objects, entries, schema, path)?),
            Obj::Seq(ObjType::Text, elems) => {
                let mut text = String::new();
                for (_, slot, visible) in elems {
                    if *visible {
                        match slot {
                            Slot::Scalar(ScalarValue::Str(s)) => text.push_str(s),
                            _ => return None,
                        }
                    }
                }
                Json::String(text)
            }
            Obj::Seq(_, elems) => Json::Array(
                elems
                    .iter()
                    .filter(|(_, _, visible)| *visible)
                    .map(|(_, slot, _)| slot_json(objects, slot, schema, path))
                    .collect::<Option<_>>()?,
            ),
        },
    })
}

#[cfg(test)]
mod tests {
    use automerge::transaction::{CommitOptions, Transactable};
    use automerge::{AutoCommit, ROOT};
    use serde_json::json;

    use super::*;
    use crate::store::record::{read_object, write_object};

    const SCHEMA: Schema = Schema {
        texts: &["note", "consent.note"],
        sets: &["tags", "consent.scopes"],
    };

    fn made(value: Json) -> AutoCommit {
        let mut doc = AutoCommit::new();
        let Json::Object(map) = value else {
            panic!("an object")
        };
        write_object(&mut doc, &ROOT, &map, &SCHEMA, "").unwrap();
        doc.commit_with(CommitOptions::default().with_time(1));
        doc
    }

    /// The fast read and the full load agree, on the bytes the store keeps.
    fn agree(value: Json) {
        let mut doc = made(value);
        let bytes = crate::store::first_save(&mut doc);
        let fast = read_single_change(&bytes, &SCHEMA, u64::MAX).expect("read from the change");
        let loaded = AutoCommit::load(&bytes).unwrap();
        assert_eq!(fast, read_object(&loaded, &ROOT, &SCHEMA, ""));
    }

    #[test]
    fn every_shape_reads_as_the_loaded_document() {
        agree(
            json!({"pseudonym": "Éloïse", "headcount": 3, "minor": false, "ratio": 0.5,
                     "nothing": null, "tags": ["b", "a", "é"], "note": "ça va 👋 — oui"}),
        );
        agree(
            json!({"consent": {"date": "2026-11-01", "scopes": ["contact", "suivi"],
                                  "note": "à l'oral"},
                     "territory": {"commune": "Saint-Denis", "qpv": true, "deep": {"x": [1, 2]}},
                     "list": ["un", {"k": "v"}, 3]}),
        );
        // Long enough for Automerge to compress the stored change.
        agree(
            json!({"note": "Rencontre au city stade, trois jeunes. ".repeat(20),
                     "tags": (0..40).map(|i| format!("t{i}")).collect::<Vec<_>>()}),
        );
    }

    #[test]
    fn what_it_does_not_handle_is_left_to_the_full_load() {
        let mut doc = made(json!({"note": "a"}));
        let single = crate::store::first_save(&mut doc);
        assert!(read_single_change(&single, &SCHEMA, u64::MAX).is_some());
        // Over the operation limit.
        assert!(read_single_change(&single, &SCHEMA, 1).is_none());
        // A damaged checksum.
        let mut damaged = single.clone();
        damaged[5] ^= 0xff;
        assert!(read_single_change(&damaged, &SCHEMA, u64::MAX).is_none());
        // A second change appended, and a full save.
        doc.put(ROOT, "more", 1).unwrap();
        doc.commit();
        let mut two = single.clone();
        two.extend(doc.save_after(&AutoCommit::load(&single).unwrap().get_heads()));
        assert!(read_single_change(&two, &SCHEMA, u64::MAX).is_none());
        assert!(read_single_change(&doc.save(), &SCHEMA, u64::MAX).is_none());
        // A counter is not something this reader knows.
        let mut counter = AutoCommit::new();
        counter
            .put(ROOT, "n", automerge::ScalarValue::counter(1))
            .unwrap();
        counter.commit();
        let bytes = crate::store::first_save(&mut counter);
        let fast = read_single_change(&bytes, &SCHEMA, u64::MAX);
        let loaded = AutoCommit::load(&bytes).unwrap();
        // Either it is left to the full load, or it reads the same.
        if let Some(fast) = fast {
            assert_eq!(fast, read_object(&loaded, &ROOT, &SCHEMA, ""));
        }
    }
}
