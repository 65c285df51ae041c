//! Rebuilding every projection table from the documents (`filrouge rebuild`, and after
//! an upgrade that changes what is projected).
//!
//! The work is a pipeline inside one transaction. This thread reads documents' bytes in
//! id order and in batches, and hands each batch to decoder threads (as many as the
//! machine has cores) that parse the Automerge bytes and compute the merged fields and
//! conflicts; that part needs no database and is most of the cost. Decoded batches come
//! back here and are written in batch order, so rows are inserted in the same order as a
//! single-threaded rebuild. A document that fails to load is quarantined; the rest go on.

use std::collections::BTreeMap;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use filrouge_model::records::RecordKind;

use crate::store::records::{Decoded, decode, decode_single, write_projection};
use crate::store::{decode_doc, quarantine, read_doc_bytes};
use crate::{CoreError, Store};

/// Every projection table, in the order a rebuild clears them.
pub(crate) const PROJECTION_TABLES: &[&str] = &[
    "rencontres",
    "rencontre_persons",
    "personnes_fts",
    "personnes",
    "person_tags",
    "etapes",
    "orientations",
    "relances",
    "evenements",
    "inscriptions",
    "partenaires",
    "person_keys",
    "non_doublons",
    "fusions",
    "notices",
    "person_merged",
    "conflicts",
];

/// What the projection tables hold, as a version: raised when the app projects something
/// new from the same documents (10: persons' age, gender, territory and creation time,
/// rencontres' worker; 11: the kind of a sortie; 12: persons' contact means; 13: their
/// lookup keys and the "pas la même personne" pairs; 14: merges, and the person each
/// row was recorded for; 15: the device that wrote each conflicting value). A store whose tables say less is
/// rebuilt once when it opens.
pub(crate) const PROJECTIONS: &str = "15";
/// The `meta` key that keeps which [`PROJECTIONS`] the tables were written by.
const PROJECTIONS_KEY: &str = "projections";

/// Documents per batch handed to a decoder: large enough that channel traffic is
/// negligible, small enough that few documents' bytes are in memory at once.
/// Tests use tiny batches so that a few documents already cross many batches.
const BATCH: usize = if cfg!(test) { 3 } else { 256 };

/// What a rebuild did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RebuildReport {
    /// Documents read and projected.
    pub documents: usize,
    /// Documents that failed to load and were quarantined.
    pub quarantined: usize,
}

/// One document on its way through the pipeline.
struct Item {
    id: String,
    kind: RecordKind,
    /// Bytes read here (or why they could not be), taken by the decoder.
    bytes: Result<Vec<u8>, CoreError>,
    /// The decoder's result.
    decoded: Option<Result<Decoded, CoreError>>,
}

impl Store {
    /// Rebuilds every projection table from the documents, in one transaction. Gives the
    /// same tables as the incremental updates (tested), so it repairs a damaged
    /// projection and applies a new projection after an upgrade.
    pub fn rebuild_projections(&mut self) -> Result<RebuildReport, CoreError> {
        let (max_bytes, max_ops) = (self.options().max_doc_bytes, self.options().max_doc_ops);
        let now = self.env.clock.now_ms();
        // Every index takes inserts all over: the store's page cache (up to 128 MiB, see
        // `schema::open`) holds them, as the 64 MiB this used to set for itself did.
        self.rebuild_in_transaction(max_bytes, max_ops, now)
    }

    /// Rebuilds the projections if an earlier version wrote them (see [`PROJECTIONS`]);
    /// a store with no document only records the version.
    pub(crate) fn refresh_projections(&mut self) -> Result<(), CoreError> {
        if self.meta(PROJECTIONS_KEY)?.as_deref() == Some(PROJECTIONS) {
            return Ok(());
        }
        let any: bool =
            self.conn
                .query_row("SELECT EXISTS (SELECT 1 FROM documents)", [], |r| r.get(0))?;
        if any {
            let report = self.rebuild_projections()?;
            tracing::info!(
                documents = report.documents,
                "projections rebuilt after an upgrade"
            );
            Ok(())
        } else {
            self.set_meta(PROJECTIONS_KEY, PROJECTIONS)
        }
    }

    fn rebuild_in_transaction(
        &mut self,
        max_bytes: usize,
        max_ops: u64,
        now: i64,
    ) -> Result<RebuildReport, CoreError> {
        let tx = self.conn.transaction()?;
        for table in PROJECTION_TABLES {
            tx.execute(&format!("DELETE FROM {table}"), [])?;
        }
        // Secondary indexes are dropped and made again at the end: one sort per index is
        // much cheaper than a hundred thousand scattered inserts into each. Their SQL
        // comes from the schema itself, so this follows any migration.
        let indexes: Vec<(String, String)> = {
            let list = PROJECTION_TABLES
                .iter()
                .map(|t| format!("'{t}'"))
                .collect::<Vec<_>>()
                .join(",");
            let mut stmt = tx.prepare(&format!(
                "SELECT name, sql FROM sqlite_schema
                  WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({list})"
            ))?;
            let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get(1)?)))?;
            rows.collect::<Result<Vec<(String, String)>, _>>()?
        };
        for (name, _) in &indexes {
            tx.execute_batch(&format!("DROP INDEX \"{name}\""))?;
        }
        let docs: Vec<(String, RecordKind)> = {
            let mut stmt = tx.prepare("SELECT id, kind FROM documents ORDER BY id")?;
            let rows =
                stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
            let mut docs = Vec::new();
            for row in rows {
                let (id, kind) = row?;
                // A kind this version does not know has nothing to project.
                if let Some(kind) = RecordKind::from_code(&kind) {
                    docs.push((id, kind));
                }
            }
            docs
        };
        let decoders = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
        let mut report = RebuildReport::default();
        std::thread::scope(|scope| -> Result<(), CoreError> {
            // Bounded: this thread stops reading when decoders fall behind.
            let (work_tx, work_rx) = mpsc::sync_channel::<(usize, Vec<Item>)>(decoders * 2);
            let work_rx = Arc::new(Mutex::new(work_rx));
            let (done_tx, done_rx) = mpsc::channel::<(usize, Vec<Item>)>();
            for _ in 0..decoders {
                let work_rx = Arc::clone(&work_rx);
                let done_tx = done_tx.clone();
                scope.spawn(move || {
                    loop {
                        // The lock is held only to take the next batch.
                        let next = match work_rx.lock() {
                            Ok(rx) => rx.recv(),
                            Err(_) => return,
                        };
                        let Ok((seq, mut batch)) = next else { return };
                        for item in &mut batch {
                            item.decoded = Some(decode_item(item, max_ops));
                        }
                        if done_tx.send((seq, batch)).is_err() {
                            return;
                        }
                    }
                });
            }
            drop(done_tx);
            let mut waiting: BTreeMap<usize, Vec<Item>> = BTreeMap::new();
            let mut next_to_write = 0;
            let mut write_ready =
                |waiting: &mut BTreeMap<usize, Vec<Item>>| -> Result<(), CoreError> {
                    while let Some(batch) = waiting.remove(&next_to_write) {
                        for item in batch {
                            match item.decoded {
                                Some(Ok(decoded)) => {
                                    write_projection(&tx, item.kind, &item.id, &decoded, false)?;
                                    report.documents += 1;
                                }
                                Some(Err(err)) => {
                                    quarantine(&tx, &item.id, &err, now)?;
                                    report.quarantined += 1;
                                }
                                None => {}
                            }
                        }
                        next_to_write += 1;
                    }
                    Ok(())
                };
            for (seq, chunk) in docs.chunks(BATCH).enumerate() {
                let mut batch = Vec::with_capacity(chunk.len());
                for (id, kind) in chunk {
                    let bytes = match read_doc_bytes(&tx, id, max_bytes) {
                        Ok(Some(bytes)) => Ok(bytes),
                        Ok(None) => continue,
                        // Too large: quarantined like a document that does not parse.
                        Err(err @ CoreError::TooLarge { .. }) => Err(err),
                        Err(err) => return Err(err),
                    };
                    batch.push(Item {
                        id: id.clone(),
                        kind: *kind,
                        bytes,
                        decoded: None,
                    });
                }
                // A send fails only if every decoder panicked; the scope re-raises that.
                if work_tx.send((seq, batch)).is_err() {
                    break;
                }
                while let Ok((seq, batch)) = done_rx.try_recv() {
                    waiting.insert(seq, batch);
                }
                write_ready(&mut waiting)?;
            }
            drop(work_tx);
            for (seq, batch) in done_rx {
                waiting.insert(seq, batch);
                write_ready(&mut waiting)?;
            }
            Ok(())
        })?;
        for (_, sql) in &indexes {
            tx.execute_batch(sql)?;
        }
        // Persons were projected as if alone: merges are settled once, on whole tables.
        crate::store::merges::settle(&tx, &[])?;
        crate::store::set_meta_tx(&tx, PROJECTIONS_KEY, PROJECTIONS)?;
        tx.commit()?;
        Ok(report)
    }
}

/// Parses one document and computes its projection.
fn decode_item(item: &mut Item, max_ops: u64) -> Result<Decoded, CoreError> {
    let bytes = std::mem::replace(&mut item.bytes, Ok(Vec::new()))?;
    // Most records were never edited: read them from their one change.
    if let Some(decoded) = decode_single(item.kind, &bytes, max_ops) {
        return Ok(decoded);
    }
    let mut doc = decode_doc(&item.id, &bytes, max_ops)?;
    // Every kind the store knows has a schema; `docs` only holds known kinds.
    decode(item.kind, &mut doc).ok_or_else(|| CoreError::Corrupt {
        id: item.id.clone(),
        reason: format!("no merge schema for kind {}", item.kind.code()),
    })
}
