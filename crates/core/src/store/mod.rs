//! The device's store: one SQLite file holding every record as an Automerge document,
//! and plain projection tables that every query reads.
//!
//! Every write is one SQLite transaction holding the document bytes (a snapshot for a
//! new record, an incremental chunk after the loaded heads for an edit), the new changes
//! in the outbox, and the projection row. Reads go to projection tables only. A document
//! that fails to load is put in `quarantine` with its id, and the error says so; the
//! rest of the store keeps working.
//!
//! The modules, by what they are about:
//! - the file and its documents: this module (the [`Store`] handle, units of work, the
//!   `meta` settings, loading and persisting documents), [`schema`] (pragmas and the
//!   append-only migrations), [`record`] (a record's fields in an Automerge document),
//!   [`kinds`] (each record kind's schema), [`records`] (the generic create / edit /
//!   read of a record, crate-private: the app goes through the use cases);
//! - the projections: [`projections`] (a document's rows), [`single`] (rows read from a
//!   one-change document without loading it), [`rebuild`] (every row again), and
//!   [`queries`] (the reads of the screens and reports), [`dashboard`] (the
//!   coordinator's figures over a period and the records behind each), [`funder`] (the
//!   funder's table of a set of indicator definitions);
//! - the use cases, one module per family: [`people`] (rencontres, persons, their
//!   étapes and relances, the device's settings), [`events`] (events and registrations),
//!   [`partners`] (the directory and orientations).

pub(crate) mod access;
pub mod access_sync;
pub(crate) mod conflicts;
pub(crate) mod dashboard;
#[cfg(test)]
mod dashboard_tests;
pub(crate) mod duplicates;
#[cfg(test)]
mod duplicates_tests;
pub(crate) mod erasure;
pub(crate) mod events;
pub(crate) mod funder;
#[cfg(test)]
mod funder_tests;
pub(crate) mod kinds;
pub(crate) mod merges;
pub(crate) mod notice;
pub(crate) mod partners;
pub(crate) mod people;
pub(crate) mod projections;
pub(crate) mod quality;
pub(crate) mod queries;
pub(crate) mod rebuild;
pub(crate) mod record;
pub(crate) mod records;
pub(crate) mod retention;
pub(crate) mod schema;
pub(crate) mod single;
pub(crate) mod wipe;

use std::path::Path;

use automerge::{ActorId, AutoCommit, Change, ChangeHash};
use filrouge_model::ipc::SyncStatus;
use filrouge_model::{Rencontre, RencontreDraft};
use rusqlite::{Connection, OptionalExtension, params};

use crate::store::schema as db;
use crate::vault::DataKey;
use crate::{CoreError, Env};

/// Limits and tuning of a store.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// Largest stored document (snapshot plus chunks) the store will load, in bytes.
    /// Loading untrusted Automerge bytes can take far more memory than their size; this
    /// bounds it.
    pub max_doc_bytes: usize,
    /// Most operations a loaded document may hold. Automerge's columns are run-length
    /// encoded, so a few bytes can describe a very long history; past this count the
    /// document is quarantined instead of being worked with.
    pub max_doc_ops: u64,
    /// After this many appended chunks, a document is compacted into a new snapshot.
    pub compact_after: i64,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            max_doc_bytes: 4 * 1024 * 1024,
            // A record edited every day for years stays far below this.
            max_doc_ops: 200_000,
            compact_after: 32,
        }
    }
}

/// What the store knows about one document, for tests and diagnostics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocInfo {
    /// The record kind.
    pub kind: String,
    /// The document's heads, sorted hex hashes.
    pub heads: Vec<String>,
}

/// The device's local store.
pub struct Store {
    pub(crate) conn: Connection,
    pub(crate) env: Env,
    actor: ActorId,
    options: StoreOptions,
    /// Documents that failed to load inside a unit of work, quarantined once that unit
    /// has ended: a unit that fails rolls back, and the quarantine must outlive it.
    failed_loads: Vec<(String, String)>,
    /// The key an encrypted store was opened with, to reopen it after a failed wipe.
    key: Option<DataKey>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").finish_non_exhaustive()
    }
}

/// A document loaded for editing, with the heads it had when loaded.
pub(crate) struct Loaded {
    pub(crate) doc: AutoCommit,
    pub(crate) heads: Vec<ChangeHash>,
}

impl Store {
    /// Opens the store file at `path` (creating it and its directory if needed).
    pub fn open(path: &Path, env: Env) -> Result<Store, CoreError> {
        Self::open_with(path, env, StoreOptions::default())
    }

    /// Opens the store with explicit limits.
    pub fn open_with(path: &Path, env: Env, options: StoreOptions) -> Result<Store, CoreError> {
        Self::open_keyed(path, env, options, None)
    }

    /// Opens the store file at `path` encrypted with `key` (creating it if needed). A
    /// store an earlier version wrote in clear is encrypted first
    /// ([`crate::vault::migrate`]); a key that does not open it is
    /// [`CoreError::WrongKey`], and nothing is changed.
    pub fn open_encrypted(path: &Path, key: &DataKey, env: Env) -> Result<Store, CoreError> {
        crate::vault::migrate::encrypt_plaintext(path, key, &mut |_| {})?;
        Self::open_keyed(path, env, StoreOptions::default(), Some(key))
    }

    pub(crate) fn open_keyed(
        path: &Path,
        env: Env,
        options: StoreOptions,
        key: Option<&DataKey>,
    ) -> Result<Store, CoreError> {
        let conn = db::open(path, key)?;
        let mut store = Store {
            conn,
            env,
            actor: ActorId::from(&[0u8][..]),
            options,
            failed_loads: Vec::new(),
            key: key.cloned(),
        };
        // Each device writes with its own actor id, kept for the life of the file. A
        // damaged one is an error: writing with another actor id would let this
        // device's next changes collide with another device's history.
        store.actor = match store.meta("actor")? {
            Some(hex_actor) => match hex::decode(&hex_actor) {
                Ok(bytes) if !bytes.is_empty() => ActorId::from(bytes),
                _ => return Err(CoreError::DamagedSetting { key: "actor" }),
            },
            None => {
                let bytes = store.env.ids.new_id().as_bytes().to_vec();
                store.set_meta("actor", &hex::encode(&bytes))?;
                ActorId::from(bytes)
            }
        };
        store.refresh_projections()?;
        Ok(store)
    }

    /// Runs `work` as one SQLite transaction: everything it writes is committed together,
    /// or nothing is. The store's own methods open savepoints, which nest inside it, so
    /// a user action made of several of them (the record, the form draft forgotten, the
    /// last place) is still one commit.
    pub(crate) fn unit<T>(
        &mut self,
        work: impl FnOnce(&mut Store) -> Result<T, CoreError>,
    ) -> Result<T, CoreError> {
        // A transaction left open by a unit that panicked half-way is abandoned first.
        if !self.conn.is_autocommit() {
            self.conn.execute_batch("ROLLBACK")?;
        }
        // IMMEDIATE: the write lock is taken now, so the sync's writer cannot make the
        // unit fail with SQLITE_BUSY half-way through.
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        let result = work(self).and_then(|value| {
            self.conn.execute_batch("COMMIT")?;
            Ok(value)
        });
        if result.is_err() && !self.conn.is_autocommit() {
            // Rolled back as a whole; a failed COMMIT may already have done it.
            if let Err(e) = self.conn.execute_batch("ROLLBACK") {
                tracing::warn!(error = %e, "rollback failed");
            }
        }
        for (id, reason) in std::mem::take(&mut self.failed_loads) {
            quarantine_reason(&self.conn, &id, &reason, self.env.clock.now_ms())?;
        }
        result
    }

    /// Changes a rencontre; only the fields that differ are written. Without a time, it
    /// keeps the time it had.
    pub fn update_rencontre(
        &mut self,
        id: &str,
        mut draft: RencontreDraft,
    ) -> Result<Rencontre, CoreError> {
        if draft.occurred_at.is_none() {
            draft.occurred_at = Some(self.rencontre(id)?.occurred_at);
        }
        // Forms do not send who recorded it: an edit keeps it.
        if draft.worker.is_none() {
            draft.worker = self
                .conn
                .prepare_cached("SELECT worker FROM rencontres WHERE id = ?1")?
                .query_row([id], |r| r.get(0))
                .optional()?
                .flatten();
        }
        self.update(id, draft)?;
        self.rencontre(id)
    }

    /// The rencontres that happened at or after `since`, newest first.
    pub fn list_rencontres_since(&self, since: i64) -> Result<Vec<Rencontre>, CoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, channel, place, occurred_at, headcount, pseudonym, note, updated_at,
                    person_count
             FROM rencontres WHERE occurred_at >= ?1 ORDER BY occurred_at DESC, id DESC",
        )?;
        let rows = stmt.query_map([since], row_to_rencontre)?;
        Ok(rows
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .flatten()
            .collect())
    }

    /// One rencontre's projection row.
    pub fn rencontre(&self, id: &str) -> Result<Rencontre, CoreError> {
        rencontre_row(&self.conn, id)
    }

    /// Copies the WAL into the main file without waiting for readers or writers (a
    /// passive checkpoint). The shell runs it in the background, off the user's path.
    pub fn checkpoint(&self) -> Result<(), CoreError> {
        let _: (i64, i64, i64) =
            self.conn
                .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })?;
        Ok(())
    }

    /// The place of the last rencontre recorded on this device.
    pub fn last_place(&self) -> Result<Option<String>, CoreError> {
        self.meta(LAST_PLACE)
    }

    /// The sync status as stored (enrolment, waiting changes, last success).
    pub fn sync_status(&self) -> Result<SyncStatus, CoreError> {
        let pending: i64 = self
            .conn
            .query_row("SELECT COUNT(*) FROM outbox", [], |r| r.get(0))?;
        Ok(SyncStatus {
            server_url: self.meta("server_url")?,
            pending_changes: u64::try_from(pending).unwrap_or(0),
            last_success_at: self.meta("last_success_at")?.and_then(|s| s.parse().ok()),
            running: false,
            last_failure: None,
            progress: None,
            role: self
                .meta("role")?
                .and_then(|r| filrouge_model::sync::Role::parse(&r)),
            wiped_at: self.wiped_at()?,
            sealed: self
                .conn
                .prepare_cached("SELECT 1 FROM team_keys LIMIT 1")?
                .exists([])?,
            version: 0,
        })
    }

    /// The directory the store's file is in (none for a store in memory).
    pub fn directory(&self) -> Option<std::path::PathBuf> {
        let path = self.conn.path().filter(|p| !p.is_empty())?;
        Path::new(path).parent().map(Path::to_path_buf)
    }

    /// The ids of documents in quarantine, for the UI and diagnostics.
    pub fn quarantined(&self) -> Result<Vec<String>, CoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT doc_id FROM quarantine ORDER BY doc_id")?;
        let ids = stmt.query_map([], |r| r.get(0))?;
        Ok(ids.collect::<Result<_, _>>()?)
    }

    /// Every document's kind and heads, keyed by id, in id order. Loads every document
    /// (heads are not stored apart): for tests and diagnostics, not for screens. A
    /// document that does not load shows no heads.
    pub fn doc_infos(&self) -> Result<Vec<(String, DocInfo)>, CoreError> {
        let docs: Vec<(String, String)> = {
            let mut stmt = self
                .conn
                .prepare("SELECT id, kind FROM documents ORDER BY id")?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<Result<_, _>>()?
        };
        let mut out = Vec::with_capacity(docs.len());
        for (id, kind) in docs {
            let heads = match load_doc(&self.conn, &id, &self.options, &self.actor) {
                Ok(Some(Loaded { heads, .. })) => {
                    heads_bytes(&heads).chunks(32).map(hex::encode).collect()
                }
                Ok(None) => continue,
                Err(CoreError::Sqlite(e)) => return Err(CoreError::Sqlite(e)),
                Err(_) => Vec::new(),
            };
            out.push((id, DocInfo { kind, heads }));
        }
        Ok(out)
    }

    /// Loads a document for editing. A document that fails to load is quarantined.
    pub(crate) fn load(&mut self, id: &str) -> Result<Loaded, CoreError> {
        match load_doc(&self.conn, id, &self.options, &self.actor) {
            Ok(Some(loaded)) => Ok(loaded),
            Ok(None) => Err(CoreError::NotFound { id: id.to_owned() }),
            Err(err) if self.conn.is_autocommit() => {
                quarantine(&self.conn, id, &err, self.env.clock.now_ms())?;
                Err(err)
            }
            // Inside a unit of work, which may roll back: quarantined when it ends.
            Err(err) => {
                self.failed_loads.push((id.to_owned(), err.to_string()));
                Err(err)
            }
        }
    }

    pub(crate) fn options(&self) -> &StoreOptions {
        &self.options
    }

    pub(crate) fn actor(&self) -> &ActorId {
        &self.actor
    }

    /// A value from the `meta` table.
    pub(crate) fn meta(&self, key: &str) -> Result<Option<String>, CoreError> {
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    pub(crate) fn set_meta(&self, key: &str, value: &str) -> Result<(), CoreError> {
        set_meta_tx(&self.conn, key, value)
    }

    /// Forgets a `meta` setting.
    pub(crate) fn delete_meta(&self, key: &str) -> Result<(), CoreError> {
        self.conn
            .execute("DELETE FROM meta WHERE key = ?1", [key])?;
        Ok(())
    }
}

/// Loads a document (snapshot plus chunks) within the size limit; `Ok(None)` if absent.
///
/// Takes a plain connection so it also works inside a transaction.
pub(crate) fn load_doc(
    conn: &Connection,
    id: &str,
    limits: &StoreOptions,
    actor: &ActorId,
) -> Result<Option<Loaded>, CoreError> {
    let Some(bytes) = read_doc_bytes(conn, id, limits.max_doc_bytes)? else {
        return Ok(None);
    };
    let mut doc = decode_doc(id, &bytes, limits.max_doc_ops)?.with_actor(actor.clone());
    let heads = doc.get_heads();
    Ok(Some(Loaded { doc, heads }))
}

/// Parses a document's bytes; needs no database, so a rebuild runs it on other threads.
pub(crate) fn decode_doc(id: &str, bytes: &[u8], max_ops: u64) -> Result<AutoCommit, CoreError> {
    let doc = AutoCommit::load(bytes).map_err(|e| corrupt(id, &e))?;
    let ops = automerge::ReadDoc::stats(&doc).num_ops;
    if ops > max_ops {
        return Err(CoreError::TooComplex {
            id: id.to_owned(),
            ops,
            limit: max_ops,
        });
    }
    Ok(doc)
}

/// A document's bytes (snapshot then chunks) within the size limit; `Ok(None)` if absent.
pub(crate) fn read_doc_bytes(
    conn: &Connection,
    id: &str,
    max_bytes: usize,
) -> Result<Option<Vec<u8>>, CoreError> {
    let snapshot: Option<Vec<u8>> = conn
        .prepare_cached("SELECT snapshot FROM documents WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    let Some(mut bytes) = snapshot else {
        return Ok(None);
    };
    // No ORDER BY: with one, this SQLite re-prepares the statement on every run (measured
    // with `StatementStatus::RePrepare`, a tenth of a rebuild). The primary key index
    // gives the chunks by `n` anyway; they are sorted here to not depend on it.
    let mut stmt = conn.prepare_cached("SELECT n, data FROM doc_chunks WHERE doc_id = ?1")?;
    let mut rows = stmt.query([id])?;
    let mut chunks: Vec<(i64, Vec<u8>)> = Vec::new();
    let mut total = bytes.len();
    // Stop reading as soon as the limit is passed: the point is to bound memory.
    while total <= max_bytes
        && let Some(row) = rows.next()?
    {
        let data: Vec<u8> = row.get(1)?;
        total += data.len();
        chunks.push((row.get(0)?, data));
    }
    chunks.sort_unstable_by_key(|(n, _)| *n);
    for (_, data) in chunks {
        bytes.extend_from_slice(&data);
    }
    if bytes.len() > max_bytes {
        return Err(CoreError::TooLarge {
            id: id.to_owned(),
            bytes: bytes.len(),
            limit: max_bytes,
        });
    }
    Ok(Some(bytes))
}

/// Appends what changed in `doc` since `heads`, compacting when chunks pile up.
pub(crate) fn persist_after(
    tx: &Connection,
    id: &str,
    doc: &mut AutoCommit,
    heads: &[ChangeHash],
    compact_after: i64,
) -> Result<(), CoreError> {
    // Cached statements: this runs on every edit and every pulled change.
    let count: i64 = tx
        .prepare_cached("SELECT chunk_count FROM documents WHERE id = ?1")?
        .query_row([id], |r| r.get(0))?;
    if count + 1 >= compact_after {
        tx.prepare_cached("DELETE FROM doc_chunks WHERE doc_id = ?1")?
            .execute([id])?;
        tx.prepare_cached("UPDATE documents SET snapshot = ?2, chunk_count = 0 WHERE id = ?1")?
            .execute(params![id, doc.save()])?;
    } else {
        tx.prepare_cached("INSERT INTO doc_chunks (doc_id, n, data) VALUES (?1, ?2, ?3)")?
            .execute(params![id, count + 1, doc.save_after(heads)])?;
        tx.prepare_cached("UPDATE documents SET chunk_count = ?2 WHERE id = ?1")?
            .execute(params![id, count + 1])?;
    }
    Ok(())
}

/// Sets a document aside after it failed to load, so the rest of the store keeps working.
pub(crate) fn quarantine(
    conn: &Connection,
    id: &str,
    err: &CoreError,
    now: i64,
) -> Result<(), CoreError> {
    quarantine_reason(conn, id, &err.to_string(), now)
}

fn quarantine_reason(conn: &Connection, id: &str, reason: &str, now: i64) -> Result<(), CoreError> {
    tracing::warn!(doc_id = %id, error = %reason, "document quarantined");
    conn.execute(
        "INSERT OR REPLACE INTO quarantine (doc_id, reason, at) VALUES (?1, ?2, ?3)",
        params![id, reason, now],
    )?;
    Ok(())
}

/// Writes a `meta` value on a connection or inside a transaction.
pub(crate) fn set_meta_tx(tx: &Connection, key: &str, value: &str) -> Result<(), CoreError> {
    // A value written again unchanged writes nothing, so its page stays out of the
    // commit (the last place, written with every rencontre, is most often the same).
    tx.prepare_cached(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value
          WHERE value IS NOT excluded.value",
    )?
    .execute(params![key, value])?;
    Ok(())
}

/// Puts freshly made local changes in the outbox, in order. Only their hashes: the bytes
/// are in the document, and are read from it when the change is pushed.
pub(crate) fn queue_outbox(
    tx: &Connection,
    doc_id: &str,
    changes: Vec<Change>,
) -> Result<(), CoreError> {
    let mut stmt =
        tx.prepare_cached("INSERT INTO outbox (hash, doc_id, data) VALUES (?1, ?2, NULL)")?;
    for change in changes {
        stmt.execute(params![&change.hash().0[..], doc_id])?;
    }
    Ok(())
}

/// `id` as a record id; text that is not one names no record.
pub(crate) fn record_id(id: &str) -> Result<filrouge_model::RecordId, CoreError> {
    filrouge_model::RecordId::parse(id).ok_or_else(|| CoreError::NotFound { id: id.to_owned() })
}

/// The `meta` key of the place of the last rencontre recorded on this device.
pub(crate) const LAST_PLACE: &str = "last_place";

/// One rencontre's projection row, on a connection or inside a transaction.
pub(crate) fn rencontre_row(conn: &Connection, id: &str) -> Result<Rencontre, CoreError> {
    conn.prepare_cached(
        "SELECT id, channel, place, occurred_at, headcount, pseudonym, note, updated_at,
                person_count
           FROM rencontres WHERE id = ?1",
    )?
    .query_row([id], row_to_rencontre)
    .optional()?
    .flatten()
    .ok_or_else(|| CoreError::NotFound { id: id.to_owned() })
}

/// A projection row, or `None` for a channel code this version does not know.
pub(crate) fn row_to_rencontre(r: &rusqlite::Row<'_>) -> rusqlite::Result<Option<Rencontre>> {
    let channel: String = r.get(1)?;
    let Some(channel) = filrouge_model::Channel::from_code(&channel) else {
        return Ok(None);
    };
    Ok(Some(Rencontre {
        id: crate::store::queries::id_at(r, 0)?,
        channel,
        place: r.get(2)?,
        occurred_at: r.get(3)?,
        headcount: r.get(4)?,
        pseudonym: r.get(5)?,
        note: r.get(6)?,
        updated_at: r.get(7)?,
        named: r.get(8)?,
    }))
}

/// The bytes a new document is first stored as. A document made of one change (every
/// record just created here, most records just pulled) is stored as that change,
/// compressed when Automerge finds it worth it: about a third smaller than a full save
/// of the same document for a typical person, and loaded the same way.
/// Later compactions write full saves, which are the smaller form once changes pile up.
pub(crate) fn first_save(doc: &mut AutoCommit) -> Vec<u8> {
    let mut changes = doc.get_changes(&[]);
    match (changes.pop(), changes.is_empty()) {
        (Some(mut only), true) => only.bytes().into_owned(),
        _ => doc.save(),
    }
}

/// Heads as stored: the 32-byte hashes, sorted, one after the other.
pub(crate) fn heads_bytes(heads: &[ChangeHash]) -> Vec<u8> {
    let mut sorted: Vec<&ChangeHash> = heads.iter().collect();
    sorted.sort();
    sorted.iter().flat_map(|h| h.0).collect()
}

pub(crate) fn corrupt(id: &str, e: &dyn std::fmt::Display) -> CoreError {
    CoreError::Corrupt {
        id: id.to_owned(),
        reason: e.to_string(),
    }
}

#[cfg(test)]
#[path = "tests.rs"]
pub(crate) mod tests;
