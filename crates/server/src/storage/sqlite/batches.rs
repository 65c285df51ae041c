//! The SQLite side of sealed batches: which records each holds (`batch_docs`, filled
//! at append from the batch's clear header), the batches holding a record, and an
//! erasure's replacement of them (see [`filrouge_model::sync::BATCH_KIND`]).

use std::collections::BTreeSet;

use filrouge_model::sync::HeldBatch;
use rusqlite::{Connection, params};
use sha2::{Digest as _, Sha256};

use super::schema::During;
use crate::error::ServerError;
use crate::storage::{HeldBatchesRule, check_replacement};

/// Notes that the batch numbered `seq` holds `docs`.
pub(super) fn note_batch(
    conn: &Connection,
    team_id: &str,
    seq: i64,
    docs: &BTreeSet<String>,
) -> Result<(), ServerError> {
    let mut insert = conn
        .prepare_cached(
            "INSERT OR IGNORE INTO batch_docs (team_id, doc_id, seq) VALUES (?1, ?2, ?3)",
        )
        .during("note a batch's records")?;
    for doc in docs {
        insert
            .execute(params![team_id, doc, seq])
            .during("note a batch's records")?;
    }
    Ok(())
}

/// The batches of the team's log holding a change of `doc_id`, in log order.
pub(super) fn holding(
    conn: &Connection,
    team_id: &str,
    doc_id: &str,
) -> Result<Vec<HeldBatch>, ServerError> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT c.seq, c.data FROM batch_docs b
               JOIN changes c ON c.team_id = b.team_id AND c.seq = b.seq
              WHERE b.team_id = ?1 AND b.doc_id = ?2
              ORDER BY c.seq",
        )
        .during("read the batches holding a record")?;
    let rows = stmt
        .query_map(params![team_id, doc_id], |r| {
            Ok(HeldBatch {
                seq: r.get::<_, i64>(0)?.try_into().unwrap_or(0),
                data: r.get(1)?,
            })
        })
        .during("read the batches holding a record")?;
    rows.collect::<Result<_, _>>()
        .during("read the batches holding a record")
}

/// Within an erasure's transaction: takes record `doc_id` out of every batch holding
/// it, by `rule`. Returns how many batches no longer hold it.
pub(super) fn take_out(
    conn: &Connection,
    team_id: &str,
    doc_id: &str,
    rule: HeldBatchesRule<'_>,
) -> Result<u64, ServerError> {
    let held = holding(conn, team_id, doc_id)?;
    let replacements = match rule {
        HeldBatchesRule::Drop => {
            for batch in &held {
                drop_batch(conn, team_id, batch.seq)?;
            }
            return Ok(held.len() as u64);
        }
        HeldBatchesRule::Replace(replacements) => replacements,
    };
    crate::storage::check_replacements_cover(&held, replacements)?;
    for batch in &held {
        let Some(new) = replacements.iter().find(|r| r.seq == batch.seq) else {
            continue;
        };
        let docs = check_replacement(&batch.data, &new.data, doc_id, batch.seq)?;
        if new.data.is_empty() {
            drop_batch(conn, team_id, batch.seq)?;
            continue;
        }
        let seq = i64::try_from(batch.seq).unwrap_or(i64::MAX);
        let size = i64::try_from(new.data.len()).unwrap_or(i64::MAX);
        conn.prepare_cached(
            "UPDATE changes SET data = ?3, hash = ?4, size = ?5 WHERE team_id = ?1 AND seq = ?2",
        )
        .during("replace a batch")?
        .execute(params![
            team_id,
            seq,
            new.data,
            hex::encode(Sha256::digest(&new.data)),
            size
        ])
        .during("replace a batch")?;
        conn.prepare_cached("DELETE FROM batch_docs WHERE team_id = ?1 AND seq = ?2")
            .during("replace a batch")?
            .execute(params![team_id, seq])
            .during("replace a batch")?;
        note_batch(conn, team_id, seq, &docs.into_iter().collect())?;
    }
    Ok(held.len() as u64)
}

fn drop_batch(conn: &Connection, team_id: &str, seq: u64) -> Result<(), ServerError> {
    let seq = i64::try_from(seq).unwrap_or(i64::MAX);
    for sql in [
        "DELETE FROM changes WHERE team_id = ?1 AND seq = ?2",
        "DELETE FROM batch_docs WHERE team_id = ?1 AND seq = ?2",
    ] {
        conn.prepare_cached(sql)
            .during("drop a batch")?
            .execute(params![team_id, seq])
            .during("drop a batch")?;
    }
    Ok(())
}
