//! The shape of a rencontre inside its Automerge document, and the way back to a row.
//!
//! A rencontre document is a root map: `schema` (int), `kind` ("rencontre"), `channel`
//! (code), `place`, `occurred_at`, `headcount`, optional `pseudonym`, `updated_at`, and
//! `note` as an Automerge text object so that concurrent edits of the note merge
//! character by character. [`write_rencontre`] writes only the fields that differ, so two
//! devices editing different fields both keep their edit. [`read_rencontre`] reads the
//! deterministic winner of each field, the same on every device.

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjType, ROOT, ReadDoc, ScalarValue, Value};
use filrouge_model::{Channel, Rencontre, RencontreDraft};

/// The document schema version written by this code.
pub(crate) const DOC_SCHEMA: i64 = 1;
/// The record kind code of a rencontre.
pub(crate) const KIND_RENCONTRE: &str = "rencontre";

/// Writes `draft` into `doc`, touching only fields whose value changes.
///
/// `created` is true for a new document, which also gets its `schema`, `kind` and
/// an empty note text object.
pub(crate) fn write_rencontre(
    doc: &mut AutoCommit,
    draft: &RencontreDraft,
    occurred_at: i64,
    now: i64,
    created: bool,
) -> Result<(), automerge::AutomergeError> {
    if created {
        doc.put(ROOT, "schema", DOC_SCHEMA)?;
        doc.put(ROOT, "kind", KIND_RENCONTRE)?;
        doc.put_object(ROOT, "note", ObjType::Text)?;
    }
    let current = read_rencontre(doc, "");
    let mut changed = created;
    let same = |f: &dyn Fn(&Rencontre) -> bool| current.as_ref().is_some_and(f);
    if !same(&|c| c.channel == draft.channel) {
        doc.put(ROOT, "channel", draft.channel.code())?;
        changed = true;
    }
    if !same(&|c| c.place == draft.place) {
        doc.put(ROOT, "place", draft.place.as_str())?;
        changed = true;
    }
    if !same(&|c| c.occurred_at == occurred_at) {
        doc.put(ROOT, "occurred_at", occurred_at)?;
        changed = true;
    }
    if !same(&|c| c.headcount == draft.headcount) {
        doc.put(ROOT, "headcount", i64::from(draft.headcount))?;
        changed = true;
    }
    if !same(&|c| c.pseudonym == draft.pseudonym) {
        match &draft.pseudonym {
            Some(p) => doc.put(ROOT, "pseudonym", p.as_str())?,
            None => doc.delete(ROOT, "pseudonym")?,
        }
        changed = true;
    }
    if !same(&|c| c.note == draft.note) {
        let note = match doc.get(ROOT, "note")? {
            Some((Value::Object(ObjType::Text), id)) => id,
            _ => doc.put_object(ROOT, "note", ObjType::Text)?,
        };
        // update_text diffs old and new text, so only the edited characters are
        // written and a concurrent edit elsewhere in the note survives.
        doc.update_text(&note, draft.note.as_str())?;
        changed = true;
    }
    if changed {
        doc.put(ROOT, "updated_at", now)?;
    }
    Ok(())
}

/// Reads the projection row of a rencontre document, or `None` if the document is not
/// (yet) a complete rencontre, e.g. when only part of its history has arrived.
pub(crate) fn read_rencontre(doc: &AutoCommit, id: &str) -> Option<Rencontre> {
    if get_str(doc, "kind")?.as_str() != KIND_RENCONTRE {
        return None;
    }
    let note = match doc.get(ROOT, "note").ok().flatten() {
        Some((Value::Object(ObjType::Text), obj)) => doc.text(&obj).ok()?,
        _ => String::new(),
    };
    Some(Rencontre {
        id: id.to_owned(),
        channel: Channel::from_code(&get_str(doc, "channel")?)?,
        place: get_str(doc, "place").unwrap_or_default(),
        occurred_at: get_i64(doc, "occurred_at")?,
        headcount: u32::try_from(get_i64(doc, "headcount").unwrap_or(0)).unwrap_or(0),
        pseudonym: get_str(doc, "pseudonym"),
        note,
        updated_at: get_i64(doc, "updated_at").unwrap_or(0),
    })
}

/// The record kind written in a document, if any.
pub(crate) fn kind_of(doc: &AutoCommit) -> Option<String> {
    get_str(doc, "kind")
}

fn get_str(doc: &AutoCommit, key: &str) -> Option<String> {
    match doc.get(ROOT, key).ok()?? {
        (Value::Scalar(s), _) => match s.as_ref() {
            ScalarValue::Str(s) => Some(s.to_string()),
            _ => None,
        },
        _ => None,
    }
}

fn get_i64(doc: &AutoCommit, key: &str) -> Option<i64> {
    match doc.get(ROOT, key).ok()?? {
        (Value::Scalar(s), _) => match s.as_ref() {
            ScalarValue::Int(i) => Some(*i),
            ScalarValue::Uint(u) => i64::try_from(*u).ok(),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(note: &str) -> RencontreDraft {
        RencontreDraft {
            channel: Channel::PorteAPorte,
            place: "Tour B".into(),
            occurred_at: None,
            headcount: 2,
            pseudonym: Some("Kiki".into()),
            note: note.into(),
        }
    }

    #[test]
    fn write_then_read_gives_the_draft_back() {
        let mut doc = AutoCommit::new();
        write_rencontre(&mut doc, &draft("a vu le club"), 10, 20, true).unwrap();
        let r = read_rencontre(&doc, "x").unwrap();
        assert_eq!(r.channel, Channel::PorteAPorte);
        assert_eq!(r.pseudonym.as_deref(), Some("Kiki"));
        assert_eq!(r.note, "a vu le club");
        assert_eq!((r.occurred_at, r.updated_at), (10, 20));
    }

    #[test]
    fn unchanged_draft_writes_nothing() {
        let mut doc = AutoCommit::new();
        write_rencontre(&mut doc, &draft("n"), 10, 20, true).unwrap();
        doc.commit();
        let heads = doc.get_heads();
        write_rencontre(&mut doc, &draft("n"), 10, 30, false).unwrap();
        doc.commit();
        assert_eq!(doc.get_heads(), heads);
    }

    #[test]
    fn concurrent_note_edits_merge_as_text() {
        let mut a = AutoCommit::new();
        write_rencontre(&mut a, &draft("besoin logement"), 10, 20, true).unwrap();
        a.commit();
        let mut b = a.fork();
        write_rencontre(&mut a, &draft("URGENT besoin logement"), 10, 21, false).unwrap();
        write_rencontre(&mut b, &draft("besoin logement et papiers"), 10, 22, false).unwrap();
        a.merge(&mut b).unwrap();
        b.merge(&mut a).unwrap();
        let (ra, rb) = (
            read_rencontre(&a, "x").unwrap(),
            read_rencontre(&b, "x").unwrap(),
        );
        assert_eq!(ra.note, "URGENT besoin logement et papiers");
        assert_eq!(ra, rb);
    }
}
