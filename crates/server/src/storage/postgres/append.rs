//! Appends to the team logs on PostgreSQL, committed in groups.
//!
//! As on SQLite, pushes waiting for the writer connection are committed together
//! ([`crate::storage::group`]): one WAL flush for many pushes, a savepoint per page. The
//! transaction first locks the row of every team in the
//! group, in id order (two processes' groups never deadlock), reading each team's next
//! sequence number and key epoch (a page sealed under an older epoch fails alone); each page then costs four prepared statements whatever its size: which of
//! its records are erased, which of its hashes the log holds, the rows inserted from
//! arrays, and the records its sealed batches hold. The counters are written back
//! before the commit.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use filrouge_model::sync::{ChangeBlob, erasure_hash};
use postgres::{Statement, Transaction};

use super::schema::During;
use super::{Conn, PostgresStorage};
use crate::error::ServerError;
use crate::storage::AppendOutcome;
use crate::storage::group::Job;

impl PostgresStorage {
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
            || self.writer(),
            |conn, group| commit_group(conn, group),
        )
    }
}

/// Stores every page of `group` in one transaction; one outcome per page, in order.
fn commit_group(conn: &mut Conn, group: &[Arc<Job>]) -> Vec<Result<AppendOutcome, ServerError>> {
    let all_fail = |e: &ServerError| group.iter().map(|_| Err(copy(e))).collect();
    let statements = match Statements::prepare(conn) {
        Ok(statements) => statements,
        Err(e) => return all_fail(&e),
    };
    let mut tx = match conn.transaction().during("begin append") {
        Ok(tx) => tx,
        Err(e) => return all_fail(&e),
    };
    let teams: BTreeSet<&str> = group.iter().map(|j| j.team_id.as_str()).collect();
    // Each team's next number, read under its row's lock; a team that does not exist
    // is absent, and its pages fail alone.
    let mut next: HashMap<String, i64> = HashMap::new();
    // Each team's key epoch, read under the same lock: a seal or rotation waits for it,
    // so none commits between this check and the pages' rows.
    let mut epochs: HashMap<&str, u32> = HashMap::new();
    let mut unknown: HashSet<&str> = HashSet::new();
    for team in teams {
        let locked = tx
            .query_opt(&statements.lock, &[&team])
            .during("lock a team")
            .and_then(|row| {
                row.map(|r| {
                    Ok::<_, postgres::Error>((r.try_get::<_, i64>(0)?, r.try_get::<_, i64>(1)?))
                })
                .transpose()
                .during("lock a team")
            });
        match locked {
            Ok(Some((seq, epoch))) => {
                next.insert(team.to_owned(), seq);
                epochs.insert(team, u32::try_from(epoch).unwrap_or(u32::MAX));
            }
            Ok(None) => {
                unknown.insert(team);
            }
            Err(e) => return all_fail(&e),
        }
    }
    let first = next.clone();
    let mut outcomes = Vec::with_capacity(group.len());
    for job in group {
        if unknown.contains(job.team_id.as_str()) {
            outcomes.push(Err(ServerError::UnknownTeam {
                team_id: job.team_id.clone(),
            }));
            continue;
        }
        let epoch = epochs.get(job.team_id.as_str()).copied().unwrap_or(0);
        if let Err(e) = crate::keys::check_page_epochs(&job.changes, epoch) {
            outcomes.push(Err(e));
            continue;
        }
        let seq = next.get(&job.team_id).copied().unwrap_or(1);
        let outcome = tx
            .transaction()
            .during("begin a page")
            .and_then(|mut page| {
                let (outcome, after) = store_page(&mut page, &statements, job, seq)?;
                page.commit().during("end a page")?;
                Ok((outcome, after))
            });
        outcomes.push(outcome.map(|(outcome, after)| {
            next.insert(job.team_id.clone(), after);
            outcome
        }));
    }
    for (team, seq) in &next {
        if first.get(team) == Some(seq) {
            continue;
        }
        if let Err(e) = tx
            .execute(&statements.advance, &[team, seq])
            .during("move a log's counter")
        {
            return all_fail(&e);
        }
    }
    match tx.commit().during("commit append") {
        Ok(()) => outcomes,
        Err(e) => all_fail(&e),
    }
}

/// Stores the page's changes the log lacks from number `seq` on; refuses changes to
/// erased records and batches holding one. Answers the outcome and the next number.
fn store_page(
    tx: &mut Transaction<'_>,
    statements: &Statements,
    job: &Job,
    mut seq: i64,
) -> Result<(AppendOutcome, i64), ServerError> {
    let team_id = job.team_id.as_str();
    let batch_docs: Vec<Option<BTreeSet<String>>> = job
        .changes
        .iter()
        .map(|c| crate::storage::batch_docs(&c.kind, &c.data))
        .collect();
    let mut docs: Vec<&str> = job.changes.iter().map(|c| c.doc_id.as_str()).collect();
    docs.extend(batch_docs.iter().flatten().flatten().map(String::as_str));
    docs.sort_unstable();
    docs.dedup();
    let erased: HashSet<String> = tx
        .query(&statements.erased, &[&team_id, &docs])
        .during("check erasures")?
        .iter()
        .map(|r| r.try_get(0))
        .collect::<Result<_, _>>()
        .during("check erasures")?;
    let hashes: Vec<&str> = job.changes.iter().map(|c| c.hash.as_str()).collect();
    let mut held: HashSet<String> = tx
        .query(&statements.held, &[&team_id, &hashes])
        .during("check held changes")?
        .iter()
        .map(|r| r.try_get(0))
        .collect::<Result<_, _>>()
        .during("check held changes")?;

    let mut outcome = AppendOutcome::default();
    let mut rows = Rows::default();
    for (change, in_batch) in job.changes.iter().zip(&batch_docs) {
        if erased.contains(&change.doc_id) {
            outcome.refused.push(change.hash.clone());
            continue;
        }
        if let Some(in_batch) = in_batch {
            let gone: Vec<&String> = in_batch.iter().filter(|d| erased.contains(*d)).collect();
            if !gone.is_empty() {
                outcome
                    .refused
                    .extend(gone.into_iter().map(|d| erasure_hash(d)));
                outcome.refused_batches.push(change.hash.clone());
                continue;
            }
        }
        // A hash seen earlier in the page counts as held, as the log's uniqueness would.
        if !held.insert(change.hash.clone()) {
            outcome.already_held += 1;
            continue;
        }
        rows.seqs.push(seq);
        rows.hashes.push(&change.hash);
        rows.docs.push(&change.doc_id);
        rows.kinds.push(&change.kind);
        rows.sizes
            .push(i64::try_from(change.data.len()).unwrap_or(i64::MAX));
        rows.data.push(&change.data);
        for doc in in_batch.iter().flatten() {
            rows.batch_docs.push(doc);
            rows.batch_seqs.push(seq);
        }
        seq += 1;
        outcome.stored += 1;
    }
    if !rows.seqs.is_empty() {
        tx.execute(
            &statements.insert,
            &[
                &team_id,
                &job.device_id,
                &job.now_ms,
                &rows.seqs,
                &rows.hashes,
                &rows.docs,
                &rows.kinds,
                &rows.sizes,
                &rows.data,
            ],
        )
        .during("append changes")?;
    }
    if !rows.batch_docs.is_empty() {
        tx.execute(
            &statements.batch_docs,
            &[&team_id, &rows.batch_docs, &rows.batch_seqs],
        )
        .during("note a batch's records")?;
    }
    Ok((outcome, seq))
}

/// The statements of an append, prepared once per connection.
struct Statements {
    lock: Statement,
    erased: Statement,
    held: Statement,
    insert: Statement,
    batch_docs: Statement,
    advance: Statement,
}

impl Statements {
    fn prepare(conn: &mut Conn) -> Result<Statements, ServerError> {
        Ok(Statements {
            lock: conn.prepared(
                "SELECT next_seq, key_epoch FROM teams WHERE id = $1 FOR NO KEY UPDATE",
            )?,
            erased: conn
                .prepared("SELECT doc_id FROM erasures WHERE team_id = $1 AND doc_id = ANY($2)")?,
            held: conn
                .prepared("SELECT hash FROM changes WHERE team_id = $1 AND hash = ANY($2)")?,
            insert: conn.prepared(
                "INSERT INTO changes
                     (team_id, seq, hash, doc_id, kind, device_id, size, data, received_at)
                 SELECT $1, s, h, d, k, $2, z, b, $3
                   FROM UNNEST($4::BIGINT[], $5::TEXT[], $6::TEXT[], $7::TEXT[], $8::BIGINT[],
                               $9::BYTEA[]) AS u(s, h, d, k, z, b)",
            )?,
            batch_docs: conn.prepared(
                "INSERT INTO batch_docs (team_id, doc_id, seq)
                 SELECT $1, d, s FROM UNNEST($2::TEXT[], $3::BIGINT[]) AS u(d, s)
                 ON CONFLICT DO NOTHING",
            )?,
            advance: conn.prepared("UPDATE teams SET next_seq = $2 WHERE id = $1")?,
        })
    }
}

/// The columns of a page's new rows, sent as arrays in one statement.
#[derive(Default)]
struct Rows<'a> {
    seqs: Vec<i64>,
    hashes: Vec<&'a str>,
    docs: Vec<&'a str>,
    kinds: Vec<&'a str>,
    sizes: Vec<i64>,
    data: Vec<&'a [u8]>,
    batch_docs: Vec<&'a str>,
    batch_seqs: Vec<i64>,
}

/// The same failure for another page of the group.
fn copy(error: &ServerError) -> ServerError {
    match error {
        ServerError::Postgres { operation, reason } => ServerError::Postgres {
            operation,
            reason: reason.clone(),
        },
        ServerError::UnknownTeam { team_id } => ServerError::UnknownTeam {
            team_id: team_id.clone(),
        },
        _ => ServerError::Corrupt {
            what: "an append's outcome",
        },
    }
}
