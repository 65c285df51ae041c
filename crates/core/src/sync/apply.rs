//! Applying a pulled page of the team log to the local store, in two steps.
//!
//! [`prepare`] is pure work on the page, with no store: changes are grouped by
//! document, their blobs made whole chunks, and a record arriving as one
//! dependency-free change (a device catching up receives thousands) already read into
//! its projection row. The sync driver prepares page n + 1 on its network thread while
//! page n is written. [`Store::apply_prepared`] then writes: each document is loaded
//! once, the changes applied, the bytes after its old heads appended, and its
//! projection row rewritten. The whole page and the new cursor are one transaction. A change that cannot be
//! applied yet (its dependencies have not arrived, or its document is quarantined) is
//! kept in `pending_changes` and retried with the next change to the same document, so
//! nothing pulled is ever dropped.

use std::collections::HashMap;

use automerge::{AutoCommit, Change, ChangeHash};
use filrouge_model::sync::{ERASURE_KIND, PulledChange};
use rusqlite::{OptionalExtension, Transaction, params};

use filrouge_model::records::RecordKind;

use super::logs::follow;
use super::pages::normalize;
use crate::store::projections::unproject;
use crate::store::record::root_str;
use crate::store::records::{Decoded, decode_change, reproject, write_projection};
use crate::store::{Loaded, first_save, load_doc, persist_after, quarantine};
use crate::{CoreError, Store};

/// A change waiting to be applied, from the page or from `pending_changes`.
struct Incoming {
    hash: String,
    kind: String,
    data: Vec<u8>,
}

/// A pulled page made ready to write ([`prepare`]).
#[derive(Default)]
pub(crate) struct PreparedPage {
    groups: Vec<Group>,
    /// Sealed changes set aside before (waiting for a key, or refused).
    pub(crate) aside: Vec<super::sealing::SetAside>,
    /// Whether the page is `sealed_waiting` opened again: its rows go, and what still
    /// waits is kept again.
    pub(crate) reopened: bool,
}

/// One document's changes in a page, in log order.
struct Group {
    doc_id: String,
    incoming: Vec<Incoming>,
    /// The record read from the group's only change, when that change makes a whole
    /// record on its own; used if the document turns out to be new here.
    fresh: Option<(RecordKind, Decoded)>,
}

/// Groups a page by document (keeping the log order within each), turns blobs into
/// whole change chunks, and decodes records that arrive as one change.
pub(crate) fn prepare(changes: Vec<PulledChange>, max_ops: u64) -> PreparedPage {
    let mut groups: Vec<Group> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::with_capacity(changes.len());
    for c in changes {
        // Blobs are the hashed bytes of a change; Automerge reads whole chunks.
        let (hash, data) = normalize(c.blob.hash, c.blob.data);
        let incoming = Incoming {
            hash,
            kind: c.blob.kind,
            data,
        };
        match index.get(&c.blob.doc_id) {
            Some(&i) => groups[i].incoming.push(incoming),
            None => {
                index.insert(c.blob.doc_id.clone(), groups.len());
                groups.push(Group {
                    doc_id: c.blob.doc_id,
                    incoming: vec![incoming],
                    fresh: None,
                });
            }
        }
    }
    for group in &mut groups {
        if let [only] = &group.incoming[..] {
            group.fresh = fresh_single(only, max_ops);
        }
    }
    PreparedPage {
        groups,
        ..PreparedPage::default()
    }
}

impl Store {
    /// Applies a page of pulled changes and moves the cursor to `cursor`, atomically.
    /// Returns how many documents changed.
    #[cfg(test)]
    pub(crate) fn apply_pulled(
        &mut self,
        changes: Vec<PulledChange>,
        cursor: u64,
    ) -> Result<usize, CoreError> {
        let page = prepare(changes, self.options().max_doc_ops);
        self.apply_prepared(page, Some(("test-log", cursor)))
    }

    /// Writes a prepared page and moves the cursor of log `log_id` to `cursor` (`follow`;
    /// `None` leaves the cursor where it is), atomically. Returns how many documents
    /// changed.
    pub(crate) fn apply_prepared(
        &mut self,
        page: PreparedPage,
        follow_to: Option<(&str, u64)>,
    ) -> Result<usize, CoreError> {
        let now = self.env.clock.now_ms();
        let limits = self.options().clone();
        let compact_after = self.options().compact_after;
        let actor = self.actor().clone();
        let tx = self.conn.transaction()?;
        // Looked at once a page: on a device catching up these tables are empty, and
        // three lookups a record cost a tenth of the page's time. Within the page, a
        // document's own group is the only one that adds rows about it.
        let any_erased = has_rows(&tx, "erased")?;
        let any_pending = has_rows(&tx, "pending_changes")?;
        let any_quarantined = has_rows(&tx, "quarantine")?;
        let mut changed = 0;
        let mut erased_any = false;
        if page.reopened {
            tx.execute("DELETE FROM sealed_waiting", [])?;
        }
        super::sealing::keep_aside(&tx, &page.aside, now)?;
        for group in page.groups {
            let Group {
                doc_id,
                mut incoming,
                fresh,
            } = group;
            if incoming.iter().any(|c| c.kind == ERASURE_KIND) {
                erase_local(&tx, &doc_id, now)?;
                erased_any = true;
                changed += 1;
                continue;
            }
            if any_erased && is_erased(&tx, &doc_id)? {
                // A change to an erased record (sent before the erasure, or repeated by
                // a flaky network) is never applied.
                continue;
            }
            if any_pending {
                incoming.extend(take_pending(&tx, &doc_id)?);
            }
            let quarantined = any_quarantined
                && tx
                    .prepare_cached("SELECT 1 FROM quarantine WHERE doc_id = ?1")?
                    .exists([&doc_id])?;
            if quarantined {
                stash(&tx, &doc_id, &incoming)?;
                continue;
            }
            let stored: Option<(Vec<u8>, i64)> = tx
                .prepare_cached("SELECT snapshot, chunk_count FROM documents WHERE id = ?1")?
                .query_row([&doc_id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            let loaded = match stored {
                None => Ok(None),
                // A record met again (a pull from zero after a heal brings back every
                // one): stored as the very change that came, no need to load it.
                Some((snapshot, 0)) if is_only(&snapshot, &incoming) => continue,
                Some(_) => load_doc(&tx, &doc_id, &limits, &actor),
            };
            let (mut doc, heads, is_new) = match loaded {
                Ok(Some(Loaded { doc, heads })) => (doc, heads, false),
                Ok(None) => (
                    AutoCommit::new().with_actor(actor.clone()),
                    Vec::new(),
                    true,
                ),
                Err(err) => {
                    quarantine(&tx, &doc_id, &err, now)?;
                    stash(&tx, &doc_id, &incoming)?;
                    continue;
                }
            };
            // A new record arriving as one change (a fresh device catching up is
            // thousands of them) is stored as the bytes it came in and projected straight
            // from that change, without building an Automerge document.
            if is_new
                && incoming.len() == 1
                && let Some((kind, decoded)) = fresh
            {
                tx.prepare_cached(
                    "INSERT INTO documents (id, kind, snapshot, chunk_count) VALUES (?1, ?2, ?3, 0)",
                )?
                .execute(params![doc_id, kind.code(), incoming[0].data])?;
                write_projection(&tx, kind, &doc_id, &decoded, true)?;
                changed += 1;
                continue;
            }
            // Otherwise a new record made of one change is still stored as the bytes it
            // came in: the sender already encoded and compressed them.
            let single = (is_new && incoming.len() == 1).then(|| incoming[0].data.clone());
            let waiting = apply_to_doc(&mut doc, &doc_id, incoming);
            let single = single.filter(|_| waiting.is_empty());
            stash(&tx, &doc_id, &waiting)?;
            if doc.get_heads() == heads {
                continue;
            }
            let kind = root_str(&doc, "kind").unwrap_or_default();
            if is_new {
                tx.prepare_cached(
                    "INSERT INTO documents (id, kind, snapshot, chunk_count) VALUES (?1, ?2, ?3, 0)",
                )?
                .execute(params![
                    doc_id,
                    kind,
                    single.unwrap_or_else(|| first_save(&mut doc))
                ])?;
            } else {
                persist_after(&tx, &doc_id, &mut doc, &heads, compact_after)?;
            }
            if let Some(kind) = RecordKind::from_code(&kind) {
                reproject(&tx, kind, &doc_id, &mut doc)?;
            }
            changed += 1;
        }
        if let Some((log_id, cursor)) = follow_to {
            follow(&tx, log_id, cursor)?;
        }
        tx.commit()?;
        if erased_any {
            self.scrub()?;
        }
        Ok(changed)
    }

    /// Makes deleted bytes unrecoverable from the files after an erasure. Deleted rows
    /// are overwritten in the database file (`secure_delete`), but the full-text index
    /// keeps deleted entries in its segments until they are merged, and the WAL keeps
    /// old page images until it is checkpointed and truncated.
    pub fn scrub(&mut self) -> Result<(), CoreError> {
        self.conn.execute(
            "INSERT INTO personnes_fts (personnes_fts) VALUES ('optimize')",
            [],
        )?;
        let busy: i64 = self
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
        if busy != 0 {
            tracing::warn!("WAL not truncated after an erasure (a reader is open); next time");
        }
        Ok(())
    }
}

/// Deletes a record for real: its document, chunks, projection rows, conflicts,
/// queued changes and pending changes, and remembers its id as erased.
pub(crate) fn erase_local(
    tx: &rusqlite::Connection,
    doc_id: &str,
    now: i64,
) -> Result<(), CoreError> {
    let kind: Option<String> = tx
        .prepare_cached("SELECT kind FROM documents WHERE id = ?1")?
        .query_row([doc_id], |r| r.get(0))
        .optional()?;
    if let Some(kind) = kind.as_deref().and_then(RecordKind::from_code) {
        unproject(tx, kind, doc_id)?;
    }
    for sql in [
        "DELETE FROM doc_chunks WHERE doc_id = ?1",
        "DELETE FROM documents WHERE id = ?1",
        "DELETE FROM outbox WHERE doc_id = ?1",
        "DELETE FROM pending_changes WHERE doc_id = ?1",
        "DELETE FROM quarantine WHERE doc_id = ?1",
        "DELETE FROM conflicts WHERE doc_id = ?1",
        "DELETE FROM sealed_waiting WHERE doc_id = ?1",
        "DELETE FROM refused_changes WHERE doc_id = ?1",
        // The memory of an imported row is a hash of the person's fields: it goes too.
        "DELETE FROM imported WHERE record_id = ?1",
    ] {
        tx.prepare_cached(sql)?.execute([doc_id])?;
    }
    tx.prepare_cached("INSERT OR IGNORE INTO erased (doc_id, erased_at) VALUES (?1, ?2)")?
        .execute(params![doc_id, now])?;
    // An erased merge, or an erased person in one: the persons it joined stand apart.
    if matches!(
        kind.as_deref().and_then(RecordKind::from_code),
        Some(RecordKind::Fusion | RecordKind::Personne)
    ) {
        crate::store::merges::settle(tx, &[])?;
    }
    tracing::info!(doc_id = %doc_id, "record erased on this device");
    Ok(())
}

/// Whether `table` has any row (table names are this module's constants).
fn has_rows(tx: &Transaction<'_>, table: &str) -> Result<bool, CoreError> {
    Ok(tx
        .prepare_cached(&format!("SELECT 1 FROM {table} LIMIT 1"))?
        .exists([])?)
}

fn is_erased(tx: &Transaction<'_>, doc_id: &str) -> Result<bool, CoreError> {
    Ok(tx
        .prepare_cached("SELECT 1 FROM erased WHERE doc_id = ?1")?
        .exists([doc_id])?)
}

/// Whether `snapshot` is one change chunk, the one every incoming change is.
fn is_only(snapshot: &[u8], incoming: &[Incoming]) -> bool {
    match super::pages::change_hash(snapshot) {
        Some(hash) => {
            let hash = hash.to_string();
            incoming.iter().all(|c| c.hash == hash)
        }
        None => false,
    }
}

/// A pulled change that makes a whole record on its own (no dependencies, the hash it
/// claims, a kind this version knows), with its projection; `None` for anything else.
fn fresh_single(inc: &Incoming, max_ops: u64) -> Option<(RecordKind, Decoded)> {
    let change = Change::try_from(&inc.data[..]).ok()?;
    let claimed = inc.hash.parse::<ChangeHash>().ok()?;
    if change.hash() != claimed {
        return None;
    }
    let kind = RecordKind::from_code(&inc.kind)?;
    Some((kind, decode_change(kind, &change, max_ops)?))
}

/// Applies what can be applied; returns the changes that must wait.
fn apply_to_doc(doc: &mut AutoCommit, doc_id: &str, incoming: Vec<Incoming>) -> Vec<Incoming> {
    let mut parsed = Vec::new();
    for inc in incoming {
        let Ok(hash) = inc.hash.parse::<ChangeHash>() else {
            tracing::warn!(doc_id = %doc_id, "pulled change with a malformed hash dropped");
            continue;
        };
        if doc.get_change_by_hash(&hash).is_some() {
            continue; // Already here: our own change coming back, or a duplicate.
        }
        match Change::from_bytes(inc.data.clone()) {
            Ok(change) if change.hash() == hash => parsed.push((inc, change)),
            _ => {
                tracing::warn!(doc_id = %doc_id, hash = %hash, "pulled change does not decode to its hash; dropped")
            }
        }
    }
    if parsed.is_empty() {
        return Vec::new();
    }
    let changes: Vec<Change> = parsed.iter().map(|(_, c)| c.clone()).collect();
    if let Err(e) = doc.apply_changes(changes) {
        tracing::warn!(doc_id = %doc_id, error = %e, "pulled changes failed to apply; kept pending");
        return parsed.into_iter().map(|(inc, _)| inc).collect();
    }
    // Automerge queues a change whose dependencies are missing; such a change is not
    // in the document yet and must be kept for later.
    parsed
        .into_iter()
        .filter(|(_, c)| doc.get_change_by_hash(&c.hash()).is_none())
        .map(|(inc, _)| inc)
        .collect()
}

fn take_pending(tx: &Transaction<'_>, doc_id: &str) -> Result<Vec<Incoming>, CoreError> {
    let mut stmt =
        tx.prepare_cached("SELECT hash, kind, data FROM pending_changes WHERE doc_id = ?1")?;
    let rows = stmt.query_map([doc_id], |r| {
        Ok(Incoming {
            hash: r.get(0)?,
            kind: r.get(1)?,
            data: r.get(2)?,
        })
    })?;
    let pending = rows.collect::<Result<Vec<_>, _>>()?;
    tx.prepare_cached("DELETE FROM pending_changes WHERE doc_id = ?1")?
        .execute([doc_id])?;
    Ok(pending)
}

fn stash(tx: &Transaction<'_>, doc_id: &str, changes: &[Incoming]) -> Result<(), CoreError> {
    let mut stmt = tx.prepare_cached(
        "INSERT OR IGNORE INTO pending_changes (hash, doc_id, kind, data) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for c in changes {
        stmt.execute(params![c.hash, doc_id, c.kind, c.data])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::transaction::Transactable as _;

    /// A record's first change as its maker stores it (compressed, as `first_save`
    /// does), and as it comes back in a pull (the raw chunk it was pushed as).
    fn change(text: &str) -> (Vec<u8>, Incoming) {
        let mut doc = AutoCommit::new();
        doc.put(automerge::ROOT, "note", text).unwrap();
        // Long enough for Automerge to compress the stored chunk.
        doc.put(automerge::ROOT, "more", "x".repeat(2_000)).unwrap();
        let mut change = doc.get_last_local_change().unwrap().clone();
        let incoming = Incoming {
            hash: change.hash().to_string(),
            kind: "rencontre".to_owned(),
            data: change.raw_bytes().to_vec(),
        };
        let stored = change.bytes().into_owned();
        assert!(stored.len() < incoming.data.len(), "stored compressed");
        (stored, incoming)
    }

    fn copy(c: &Incoming) -> Incoming {
        Incoming {
            hash: c.hash.clone(),
            kind: c.kind.clone(),
            data: c.data.clone(),
        }
    }

    #[test]
    fn a_record_met_again_is_its_stored_change_and_another_is_not() {
        let (snapshot, again) = change("a");
        let (_, other) = change("b");
        assert!(is_only(&snapshot, &[copy(&again)]));
        assert!(is_only(&snapshot, &[copy(&again), copy(&again)]));
        assert!(!is_only(&snapshot, &[copy(&other)]));
        assert!(!is_only(&snapshot, &[copy(&again), copy(&other)]));
        assert!(!is_only(b"not a chunk", &[copy(&again)]));
    }
}
