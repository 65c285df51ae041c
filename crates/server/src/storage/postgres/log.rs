//! Reading a team's log on PostgreSQL, and erasing a record from it.
//!
//! A pull page is read in one prepared statement, the head with it, cut as the shared
//! [`PageFill`](crate::storage::PageFill) budget cuts, and never loads a blob it has no
//! room for. The head is the team's counter less one: the erasure entry takes a number
//! too, so it never goes down. An erasure deletes the
//! record's changes, deals with the sealed batches holding it (the same rule and
//! checks as on SQLite, [`check_replacement`]), appends its entry, and bumps the
//! team's `generation`, all under the team row's lock, so every process's cached
//! blocks of the log know they are stale.

use filrouge_model::sync::{BATCH_KIND, ERASURE_KIND, HeldBatch, PulledChange, erasure_hash};
use postgres::{Client, GenericClient, Transaction};
use sha2::{Digest as _, Sha256};

use super::Conn;
use super::schema::{Counter, During, lock_team, signed, unsigned};
use crate::error::ServerError;
use crate::storage::{ChangePage, Erasure, HeldBatchesRule, check_replacement};

/// The highest sequence number in a team's log and its erasure generation; zeros for
/// an unknown team. One prepared statement: a pull page asks for both first.
pub(super) fn log_state(conn: &mut Conn, team_id: &str) -> Result<(u64, u64), ServerError> {
    let statement = conn.prepared("SELECT next_seq - 1, generation FROM teams WHERE id = $1")?;
    let row = conn
        .query_opt(&statement, &[&team_id])
        .during("read the log head")?;
    match row {
        Some(row) => Ok((
            unsigned(
                row.try_get(0).during("read the log head")?,
                "teams.next_seq",
            )?,
            unsigned(
                row.try_get(1).during("read the log head")?,
                "teams.generation",
            )?,
        )),
        None => Ok((0, 0)),
    }
}

/// One pull page in one statement: the team's head, and its changes after the cursor
/// (one past the count limit), each with its running count and byte total, the blob
/// only for those the [`PageFill`] budget admits (the first always; then while within
/// both limits, which only grow along the log). A row without its blob says more
/// follow. The blobs past the budget are never read: their TOAST pointers are not
/// followed.
pub(super) const PAGE_SQL: &str = "WITH page AS (
        SELECT seq, hash, doc_id, kind, data,
               row_number() OVER w AS n, (sum(size) OVER w)::BIGINT AS bytes
          FROM (SELECT seq, hash, doc_id, kind, data, size FROM changes
                 WHERE team_id = $1 AND seq > $2 ORDER BY seq LIMIT $3) c
        WINDOW w AS (ORDER BY seq ROWS UNBOUNDED PRECEDING))
    SELECT t.next_seq - 1, p.seq, p.hash, p.doc_id, p.kind,
           CASE WHEN p.n = 1 OR (p.n <= $4 AND p.bytes <= $5) THEN p.data END
      FROM teams t LEFT JOIN page p ON true
     WHERE t.id = $1
     ORDER BY p.seq";

/// [`crate::storage::Storage::changes_after`].
pub(super) fn changes_after(
    conn: &mut Conn,
    team_id: &str,
    after: u64,
    max_bytes: u64,
    max_changes: usize,
) -> Result<ChangePage, ServerError> {
    let max_changes = max_changes.max(1);
    let limit = i64::try_from(max_changes.saturating_add(1)).unwrap_or(i64::MAX);
    let count = i64::try_from(max_changes).unwrap_or(i64::MAX);
    let statement = conn.prepared(PAGE_SQL)?;
    let rows = conn
        .query(
            &statement,
            &[&team_id, &signed(after), &limit, &count, &signed(max_bytes)],
        )
        .during("read changes")?;
    let mut page = ChangePage::default();
    for row in &rows {
        page.head = unsigned(row.try_get(0).during("read changes")?, "teams.next_seq")?;
        let Some(seq) = row.try_get::<_, Option<i64>>(1).during("read changes")? else {
            break;
        };
        let Some(data) = row
            .try_get::<_, Option<Vec<u8>>>(5)
            .during("read changes")?
        else {
            page.more = true;
            break;
        };
        page.changes.push(PulledChange {
            seq: unsigned(seq, "changes.seq")?,
            blob: filrouge_model::sync::ChangeBlob {
                hash: row.try_get(2).during("read changes")?,
                doc_id: row.try_get(3).during("read changes")?,
                kind: row.try_get(4).during("read changes")?,
                data,
            },
        });
    }
    Ok(page)
}

/// [`crate::storage::Storage::erase_document`].
pub(super) fn erase_document(
    client: &mut Client,
    team_id: &str,
    doc_id: &str,
    device_id: &str,
    now_ms: i64,
    batches: HeldBatchesRule<'_>,
) -> Result<Erasure, ServerError> {
    let mut tx = client.transaction().during("begin erasure")?;
    let seq = lock_team(&mut tx, team_id, Counter::NextSeq)?;
    let before = tx
        .query_opt(
            "SELECT seq FROM erasures WHERE team_id = $1 AND doc_id = $2",
            &[&team_id, &doc_id],
        )
        .during("read erasures")?;
    if let Some(row) = before {
        return Ok(Erasure {
            seq: unsigned(row.try_get(0).during("read erasures")?, "erasures.seq")?,
            deleted: 0,
        });
    }
    let resealed = take_out(&mut tx, team_id, doc_id, batches)?;
    let deleted = tx
        .execute(
            "DELETE FROM changes WHERE team_id = $1 AND doc_id = $2 AND kind <> $3",
            &[&team_id, &doc_id, &BATCH_KIND],
        )
        .during("delete an erased record's changes")?
        + resealed;
    tx.execute(
        "INSERT INTO changes
         (team_id, seq, hash, doc_id, kind, device_id, size, data, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, 0, ''::BYTEA, $7)",
        &[
            &team_id,
            &seq,
            &erasure_hash(doc_id),
            &doc_id,
            &ERASURE_KIND,
            &device_id,
            &now_ms,
        ],
    )
    .during("append the erasure")?;
    tx.execute(
        "INSERT INTO erasures (team_id, doc_id, seq, device_id, erased_at)
         VALUES ($1, $2, $3, $4, $5)",
        &[&team_id, &doc_id, &seq, &device_id, &now_ms],
    )
    .during("record the erasure")?;
    tx.execute(
        "UPDATE teams SET next_seq = $2, generation = generation + 1 WHERE id = $1",
        &[&team_id, &(seq + 1)],
    )
    .during("move a log's counter")?;
    tx.commit().during("commit erasure")?;
    Ok(Erasure {
        seq: unsigned(seq, "teams.next_seq")?,
        deleted,
    })
}

/// The batches of the team's log holding a change of `doc_id`, in log order.
pub(super) fn batches_holding(
    client: &mut impl GenericClient,
    team_id: &str,
    doc_id: &str,
) -> Result<Vec<HeldBatch>, ServerError> {
    client
        .query(
            "SELECT c.seq, c.data FROM batch_docs b
               JOIN changes c ON c.team_id = b.team_id AND c.seq = b.seq
              WHERE b.team_id = $1 AND b.doc_id = $2
              ORDER BY c.seq",
            &[&team_id, &doc_id],
        )
        .during("read the batches holding a record")?
        .iter()
        .map(|r| {
            Ok(HeldBatch {
                seq: unsigned(
                    r.try_get(0).during("read the batches holding a record")?,
                    "changes.seq",
                )?,
                data: r.try_get(1).during("read the batches holding a record")?,
            })
        })
        .collect()
}

/// Within an erasure's transaction: takes record `doc_id` out of every batch holding
/// it, by `rule`. Returns how many batches no longer hold it.
fn take_out(
    tx: &mut Transaction<'_>,
    team_id: &str,
    doc_id: &str,
    rule: HeldBatchesRule<'_>,
) -> Result<u64, ServerError> {
    let held = batches_holding(tx, team_id, doc_id)?;
    let replacements = match rule {
        HeldBatchesRule::Drop => {
            for batch in &held {
                drop_batch(tx, team_id, batch.seq)?;
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
            drop_batch(tx, team_id, batch.seq)?;
            continue;
        }
        let seq = signed(batch.seq);
        let size = i64::try_from(new.data.len()).unwrap_or(i64::MAX);
        tx.execute(
            "UPDATE changes SET data = $3, hash = $4, size = $5 WHERE team_id = $1 AND seq = $2",
            &[
                &team_id,
                &seq,
                &new.data,
                &hex::encode(Sha256::digest(&new.data)),
                &size,
            ],
        )
        .during("replace a batch")?;
        tx.execute(
            "DELETE FROM batch_docs WHERE team_id = $1 AND seq = $2",
            &[&team_id, &seq],
        )
        .during("replace a batch")?;
        tx.execute(
            "INSERT INTO batch_docs (team_id, doc_id, seq)
             SELECT $1, d, $3 FROM UNNEST($2::TEXT[]) AS u(d) ON CONFLICT DO NOTHING",
            &[&team_id, &docs, &seq],
        )
        .during("note a batch's records")?;
    }
    Ok(held.len() as u64)
}

fn drop_batch(tx: &mut Transaction<'_>, team_id: &str, seq: u64) -> Result<(), ServerError> {
    let seq = signed(seq);
    for sql in [
        "DELETE FROM changes WHERE team_id = $1 AND seq = $2",
        "DELETE FROM batch_docs WHERE team_id = $1 AND seq = $2",
    ] {
        tx.execute(sql, &[&team_id, &seq]).during("drop a batch")?;
    }
    Ok(())
}
