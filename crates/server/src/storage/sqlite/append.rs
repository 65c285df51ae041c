//! Appends to the team logs on SQLite, committed in groups ([`crate::storage::group`]).
//!
//! The group is stored in one `BEGIN IMMEDIATE` transaction, each page in its own
//! savepoint. A page that fails (a database error) rolls back its savepoint alone; a
//! failed commit fails every page of the group, and none of them was acknowledged.

use std::collections::HashMap;
use std::sync::Arc;

use filrouge_model::sync::{ChangeBlob, erasure_hash};
use rusqlite::{Connection, OptionalExtension as _, TransactionBehavior, params};

use super::schema::During;
use super::{SqliteStorage, next_seq};
use crate::error::ServerError;
use crate::storage::AppendOutcome;
use crate::storage::group::Job;

impl SqliteStorage {
    /// [`crate::storage::Storage::append_changes`], committed with whatever other pages
    /// are waiting.
    pub(super) fn append_in_group(
        &self,
        team_id: &str,
        device_id: &str,
        changes: &[ChangeBlob],
        now_ms: i64,
    ) -> Result<AppendOutcome, ServerError> {
        self.appends.append(
            (team_id, device_id, changes, now_ms),
            || Ok(self.conn()),
            |conn, group| commit_group(conn, group),
        )
    }
}

/// Stores every page of `group` in one transaction, a savepoint each; one outcome per
/// page, in order.
fn commit_group(
    conn: &mut Connection,
    group: &[Arc<Job>],
) -> Vec<Result<AppendOutcome, ServerError>> {
    let mut tx = match conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .during("begin append")
    {
        Ok(tx) => tx,
        Err(e) => return group.iter().map(|_| Err(copy(&e))).collect(),
    };
    // The next sequence number of each team, read once the write lock is held.
    let mut next: HashMap<String, i64> = HashMap::new();
    let mut outcomes = Vec::with_capacity(group.len());
    for job in group {
        let outcome = tx.savepoint().during("begin a page").and_then(|page| {
            let outcome = store_page(&page, &mut next, job)?;
            page.commit().during("end a page")?;
            Ok(outcome)
        });
        if outcome.is_err() {
            // The savepoint rolled back: the team's next number is read again.
            next.remove(&job.team_id);
        }
        outcomes.push(outcome);
    }
    match tx.commit().during("commit append") {
        Ok(()) => outcomes,
        Err(e) => group.iter().map(|_| Err(copy(&e))).collect(),
    }
}

/// Gives each change of the page whose hash the team's log lacks the next sequence
/// number and stores it; refuses changes to erased records, and the whole page if it
/// holds a change sealed under an epoch older than the team's.
fn store_page(
    conn: &Connection,
    next: &mut HashMap<String, i64>,
    job: &Job,
) -> Result<AppendOutcome, ServerError> {
    let team_id = job.team_id.as_str();
    // Under the write lock: no seal or rotation can commit between this read and the
    // page's rows (the push checked the epoch read with its token, earlier).
    let epoch: Option<u32> = conn
        .prepare_cached("SELECT key_epoch FROM teams WHERE id = ?1")
        .and_then(|mut stmt| stmt.query_row([team_id], |r| r.get(0)).optional())
        .during("read the key epoch")?;
    if let Some(epoch) = epoch {
        crate::keys::check_page_epochs(&job.changes, epoch)?;
    }
    let seq = match next.get_mut(team_id) {
        Some(seq) => seq,
        None => {
            // The write lock is held until commit, so the number cannot race.
            let first = next_seq(conn, team_id)?;
            next.entry(team_id.to_owned()).or_insert(first)
        }
    };
    let mut outcome = AppendOutcome::default();
    let mut insert = conn
        .prepare_cached(
            "INSERT INTO changes
             (team_id, seq, hash, doc_id, kind, device_id, size, data, received_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT (team_id, hash) DO NOTHING",
        )
        .during("append changes")?;
    let mut erased = conn
        .prepare_cached("SELECT 1 FROM erasures WHERE team_id = ?1 AND doc_id = ?2")
        .during("check erasures")?;
    for change in &job.changes {
        if erased
            .exists(params![team_id, change.doc_id])
            .during("check erasures")?
        {
            outcome.refused.push(change.hash.clone());
            continue;
        }
        // A batch touching an erased record is refused whole, naming each such record.
        let docs = crate::storage::batch_docs(&change.kind, &change.data);
        if let Some(docs) = &docs {
            let mut refused = false;
            for doc in docs {
                if erased
                    .exists(params![team_id, doc])
                    .during("check erasures")?
                {
                    outcome.refused.push(erasure_hash(doc));
                    refused = true;
                }
            }
            if refused {
                outcome.refused_batches.push(change.hash.clone());
                continue;
            }
        }
        let size = i64::try_from(change.data.len()).unwrap_or(i64::MAX);
        let inserted = insert
            .execute(params![
                team_id,
                *seq,
                change.hash,
                change.doc_id,
                change.kind,
                job.device_id,
                size,
                change.data,
                job.now_ms
            ])
            .during("append changes")?;
        if inserted == 1 {
            if let Some(docs) = &docs {
                super::batches::note_batch(conn, team_id, *seq, docs)?;
            }
            *seq += 1;
            outcome.stored += 1;
        } else {
            outcome.already_held += 1;
        }
    }
    Ok(outcome)
}

/// The same failure for another page of the group (SQLite's errors are not `Clone`).
fn copy(error: &ServerError) -> ServerError {
    match error {
        ServerError::Sqlite { operation, source } => ServerError::Sqlite {
            operation,
            source: match source {
                rusqlite::Error::SqliteFailure(code, message) => {
                    rusqlite::Error::SqliteFailure(*code, message.clone())
                }
                other => rusqlite::Error::SqliteFailure(
                    rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_ERROR),
                    Some(other.to_string()),
                ),
            },
        },
        _ => ServerError::Corrupt {
            what: "an append's outcome",
        },
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Barrier;

    use super::*;
    use crate::storage::Storage as _;
    use crate::storage::suite;

    /// Many threads pushing at once: every change stored once, numbers dense, each
    /// push told exactly what became of its own page.
    #[test]
    fn concurrent_pushes_are_grouped_and_each_gets_its_outcome() {
        let dir = tempfile::tempdir().expect("dir");
        let storage = Arc::new(SqliteStorage::open(&dir.path().join("s.sqlite3")).expect("open"));
        let (team, device) = suite::team_and_device(&*storage).expect("team");
        let threads = 16;
        let barrier = Arc::new(Barrier::new(threads));
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let (storage, barrier) = (Arc::clone(&storage), Arc::clone(&barrier));
                let (team, device) = (team.clone(), device.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    (0..20)
                        .map(|p| {
                            // Three new changes, and the last of the page before.
                            let mut ids: Vec<usize> = (3 * p..3 * p + 3).collect();
                            if p > 0 {
                                ids.push(3 * p - 1);
                            }
                            let page: Vec<ChangeBlob> = ids
                                .iter()
                                .map(|i| suite::change(&format!("t{t}-c{i}"), 40))
                                .collect();
                            storage
                                .append_changes(&team, &device, &page, 1)
                                .expect("append")
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let outcomes: Vec<AppendOutcome> = handles
            .into_iter()
            .flat_map(|h| h.join().expect("thread"))
            .collect();
        let stored: usize = outcomes.iter().map(|o| o.stored).sum();
        let held: usize = outcomes.iter().map(|o| o.already_held).sum();
        // Per thread: 20 pages of 3 new changes; the 19 later ones repeat one more.
        assert_eq!(stored, threads * 20 * 3);
        assert_eq!(held, threads * 19);
        let page = storage
            .changes_after(&team, 0, u64::MAX, 100_000)
            .expect("read");
        let seqs: Vec<u64> = page.changes.iter().map(|c| c.seq).collect();
        assert_eq!(seqs, (1..=stored as u64).collect::<Vec<_>>());
    }
}
