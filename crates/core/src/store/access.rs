//! The access log of this device (`filrouge_model::access`): one entry per action on a
//! person's file, appended in the action's own transaction, hash-chained so that an
//! edited, removed or truncated entry is found and named.
//!
//! Each entry's `hash` is the SHA-256 of the previous entry's hash and of its own fields,
//! each length-prefixed (so no two entries encode alike). `access_log_state` keeps the
//! head (the last entry's number and hash: a truncated tail no longer reaches it) and
//! the base (the last purged entry's number and hash, where verification starts). The
//! schema's triggers refuse any UPDATE of an entry, any DELETE outside a purge, and any
//! entry that does not continue the head, so raw SQL cannot rewrite the log without
//! first dropping a trigger — which verification then catches.
//!
//! Entries older than twelve months are purged ([`Store::purge_access_log`]): the base
//! moves to the last purged entry and a `purge` entry records it in the chain.

use filrouge_model::access::{AccessAction, FieldGroup};
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest as _, Sha256};

use crate::{CoreError, Store};

/// What verification found wrong, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccessLogBreak {
    /// An entry's fields no longer give its hash, or its link to the one before.
    #[error("access log entry {seq} was altered")]
    Edited {
        /// The entry.
        seq: i64,
    },
    /// Entries are missing before this one.
    #[error("access log entries are missing before entry {seq}")]
    Missing {
        /// The first entry after the gap.
        seq: i64,
    },
    /// The log ends before its recorded head.
    #[error("access log truncated: it ends at entry {found}, its head is {head}")]
    Truncated {
        /// The last entry found.
        found: i64,
        /// The head the state records.
        head: i64,
    },
}

/// What a successful verification read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccessLogCheck {
    /// Entries verified.
    pub entries: u64,
    /// Where the chain starts: 0, or the last purged entry.
    pub base: i64,
}

/// The bytes an entry's hash covers.
pub(crate) fn entry_hash(
    prev: &[u8],
    seq: i64,
    at: i64,
    worker: Option<&str>,
    action: &str,
    record: Option<&str>,
    detail: Option<&str>,
) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(prev);
    h.update(seq.to_be_bytes());
    h.update(at.to_be_bytes());
    for field in [worker, Some(action), record, detail] {
        match field {
            Some(text) => {
                h.update((text.len() as u64).to_be_bytes());
                h.update(text.as_bytes());
            }
            None => h.update(u64::MAX.to_be_bytes()),
        }
    }
    h.finalize().into()
}

fn groups_code(groups: &[FieldGroup]) -> Option<String> {
    (!groups.is_empty()).then(|| {
        groups
            .iter()
            .map(|g| g.code())
            .collect::<Vec<_>>()
            .join(",")
    })
}

/// Appends an entry in the caller's transaction, after the head.
pub(crate) fn append(
    tx: &Connection,
    at: i64,
    worker: Option<&str>,
    action: AccessAction,
    record: Option<&str>,
    groups: &[FieldGroup],
) -> Result<(), CoreError> {
    let (head, prev): (i64, Vec<u8>) = tx
        .prepare_cached("SELECT head_seq, head_hash FROM access_log_state WHERE id = 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let seq = head + 1;
    let detail = groups_code(groups);
    let hash = entry_hash(
        &prev,
        seq,
        at,
        worker,
        action.code(),
        record,
        detail.as_deref(),
    );
    tx.prepare_cached(
        "INSERT INTO access_log (seq, at, worker, action, record, detail, prev, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        seq,
        at,
        worker,
        action.code(),
        record,
        detail,
        prev,
        &hash[..]
    ])?;
    tx.prepare_cached("UPDATE access_log_state SET head_seq = ?1, head_hash = ?2 WHERE id = 1")?
        .execute(params![seq, &hash[..]])?;
    Ok(())
}

impl Store {
    /// Appends an entry for an action of this device's worker, in the caller's
    /// transaction (the action's own unit).
    pub fn log_access(
        &self,
        action: AccessAction,
        record: Option<&str>,
        groups: &[FieldGroup],
    ) -> Result<(), CoreError> {
        let worker = self.profile()?.worker_name;
        append(
            &self.conn,
            self.env.clock.now_ms(),
            worker.as_deref(),
            action,
            record,
            groups,
        )
    }

    /// Appends `entries` for this device's worker in one transaction of their own (a
    /// batch of actions done together; the benchmark's appends).
    pub fn log_access_many(
        &mut self,
        entries: &[(AccessAction, Option<&str>)],
    ) -> Result<(), CoreError> {
        self.unit(|s| {
            for (action, record) in entries {
                s.log_access(*action, *record, &[])?;
            }
            Ok(())
        })
    }

    /// Reads the whole log in order and checks every link, from the base to the head.
    pub fn verify_access_log(&self) -> Result<Result<AccessLogCheck, AccessLogBreak>, CoreError> {
        let (head, base, base_hash): (i64, i64, Vec<u8>) = self.conn.query_row(
            "SELECT head_seq, base_seq, base_hash FROM access_log_state WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        let mut stmt = self.conn.prepare(
            "SELECT seq, at, worker, action, record, detail, prev, hash
               FROM access_log ORDER BY seq",
        )?;
        let mut rows = stmt.query([])?;
        let (mut last, mut prev) = (base, base_hash);
        let mut entries = 0u64;
        while let Some(r) = rows.next()? {
            // Borrowed, not copied: a million rows are read here.
            let text = |i: usize| {
                r.get_ref(i)?.as_str_or_null().map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(
                        i,
                        rusqlite::types::Type::Text,
                        e.into(),
                    )
                })
            };
            let blob = |i: usize| {
                r.get_ref(i)?.as_blob().map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(
                        i,
                        rusqlite::types::Type::Blob,
                        e.into(),
                    )
                })
            };
            let seq: i64 = r.get(0)?;
            let stored_prev = blob(6)?;
            if seq != last + 1 {
                return Ok(Err(AccessLogBreak::Missing { seq }));
            }
            let hash = entry_hash(
                &prev,
                seq,
                r.get(1)?,
                text(2)?,
                text(3)?.unwrap_or_default(),
                text(4)?,
                text(5)?,
            );
            if stored_prev != prev.as_slice() || blob(7)? != hash {
                return Ok(Err(AccessLogBreak::Edited { seq }));
            }
            (last, prev) = (seq, hash.to_vec());
            entries += 1;
        }
        if last != head {
            return Ok(Err(AccessLogBreak::Truncated { found: last, head }));
        }
        Ok(Ok(AccessLogCheck { entries, base }))
    }

    /// Deletes the entries older than `before` (ms), keeping the newest entry whatever
    /// its age, moves the base to the last one deleted and appends a `purge` entry
    /// naming it (its record column holds that entry's number), in the caller's
    /// transaction. Returns how many entries went.
    pub fn purge_access_log(&self, before: i64) -> Result<u64, CoreError> {
        // The other devices' entries a coordinator's device keeps are theirs to chain:
        // they simply go at the same age.
        self.conn
            .execute("DELETE FROM team_access WHERE at < ?1", [before])?;
        let last: Option<(i64, Vec<u8>)> = self
            .conn
            .prepare_cached(
                "SELECT seq, hash FROM access_log
                  WHERE at < ?1 AND seq < (SELECT head_seq FROM access_log_state)
                  ORDER BY seq DESC LIMIT 1",
            )?
            .query_row([before], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let Some((seq, hash)) = last else {
            return Ok(0);
        };
        self.conn
            .execute("UPDATE access_log_state SET purging = 1 WHERE id = 1", [])?;
        let gone = self
            .conn
            .execute("DELETE FROM access_log WHERE seq <= ?1", [seq])?;
        self.conn.execute(
            "UPDATE access_log_state SET purging = 0, base_seq = ?1, base_hash = ?2 WHERE id = 1",
            params![seq, hash],
        )?;
        let worker = self.profile()?.worker_name;
        append(
            &self.conn,
            self.env.clock.now_ms(),
            worker.as_deref(),
            AccessAction::Purge,
            Some(&seq.to_string()),
            &[],
        )?;
        Ok(gone as u64)
    }
}
