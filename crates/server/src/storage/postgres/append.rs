//! Appends to the team logs on PostgreSQL, committed in groups.
//!
//! As on SQLite, pushes waiting for the writer connection are committed together
//! ([`crate::storage::group`]): one WAL flush for many pushes. Every statement is a
//! round trip to PostgreSQL, so a group costs the same few statements whatever its
//! number of pages and changes: the transaction locks the row of every team in the
//! group in one statement, in id order (two processes' groups never deadlock), reading
//! each team's next sequence number and key epoch (a page sealed under an older epoch
//! fails alone, before any statement of its own); one statement says which of the
//! pages' records are erased and which of their hashes the logs hold; the numbers are
//! given here, in the pages' order; then one statement inserts every row from arrays
//! (`UNNEST`) and the records the sealed batches hold and moves the counters (a
//! statement of data-modifying `WITH` parts: one round trip, not three, while the teams
//! are locked), and the commit.
//!
//! A database error in that transaction rolls it back whole. The group is then stored
//! again page by page, each in its own savepoint, so that a page the database refuses
//! fails alone and the others are stored (`commit_apart`); an ambiguous commit is
//! harmless, since a change already stored counts as held.

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

/// One outcome per page of a group.
type Outcomes = Vec<Result<AppendOutcome, ServerError>>;

/// Stores every page of `group` in one transaction; one outcome per page, in order.
pub(super) fn commit_group(conn: &mut Conn, group: &[Arc<Job>]) -> Outcomes {
    let statements = match Statements::prepare(conn) {
        Ok(statements) => statements,
        Err(e) => return group.iter().map(|_| Err(copy(&e))).collect(),
    };
    let docs: Vec<PageDocs> = group.iter().map(|job| PageDocs::of(job)).collect();
    match commit_together(conn, &statements, group, &docs) {
        Ok(outcomes) => outcomes,
        Err(e) => {
            tracing::warn!(error = %e, pages = group.len(), "a group of pushes failed together; stored again page by page");
            commit_apart(conn, &statements, group, &docs)
        }
    }
}

/// The group in one transaction and a handful of statements; any database error fails
/// it whole (and nothing of it is stored).
fn commit_together(
    conn: &mut Conn,
    statements: &Statements,
    group: &[Arc<Job>],
    docs: &[PageDocs],
) -> Result<Outcomes, ServerError> {
    let mut tx = conn.transaction().during("begin append")?;
    let locked = Locked::take(&mut tx, statements, group)?;
    let mut check = Check::default();
    for (job, page_docs) in group.iter().zip(docs) {
        if locked.refused(job).is_none() {
            check.add(job, page_docs);
        }
    }
    let (erased, mut held) = check.run(&mut tx, statements)?;
    let mut next = locked.next.clone();
    let mut rows = Rows::default();
    let mut outcomes = Vec::with_capacity(group.len());
    for (job, page_docs) in group.iter().zip(docs) {
        if let Some(refused) = locked.refused(job) {
            outcomes.push(Err(refused));
            continue;
        }
        let team = job.team_id.as_str();
        let seq = next.get(team).copied().unwrap_or(1);
        let is_erased = |doc: &str| erased.get(team).is_some_and(|d| d.contains(doc));
        let held = held.entry(team.to_owned()).or_default();
        let (outcome, after) = plan_page(job, page_docs, is_erased, held, seq, &mut rows);
        next.insert(team.to_owned(), after);
        outcomes.push(Ok(outcome));
    }
    rows.store(&mut tx, statements, &locked.moved(&next))?;
    tx.commit().during("commit append")?;
    Ok(outcomes)
}

/// The group in one transaction, each page in its own savepoint: a page the database
/// refuses fails alone.
fn commit_apart(
    conn: &mut Conn,
    statements: &Statements,
    group: &[Arc<Job>],
    docs: &[PageDocs],
) -> Outcomes {
    let all_fail = |e: &ServerError| group.iter().map(|_| Err(copy(e))).collect();
    let mut tx = match conn.transaction().during("begin append") {
        Ok(tx) => tx,
        Err(e) => return all_fail(&e),
    };
    let locked = match Locked::take(&mut tx, statements, group) {
        Ok(locked) => locked,
        Err(e) => return all_fail(&e),
    };
    let mut next = locked.next.clone();
    let mut outcomes = Vec::with_capacity(group.len());
    for (job, page_docs) in group.iter().zip(docs) {
        if let Some(refused) = locked.refused(job) {
            outcomes.push(Err(refused));
            continue;
        }
        let team = job.team_id.as_str();
        let seq = next.get(team).copied().unwrap_or(1);
        let stored = tx
            .transaction()
            .during("begin a page")
            .and_then(|mut page| {
                let mut check = Check::default();
                check.add(job, page_docs);
                // Earlier pages of the group are in the log by now: the check sees them.
                let (erased, mut held) = check.run(&mut page, statements)?;
                let is_erased = |doc: &str| erased.get(team).is_some_and(|d| d.contains(doc));
                let held = held.entry(team.to_owned()).or_default();
                let mut rows = Rows::default();
                let planned = plan_page(job, page_docs, is_erased, held, seq, &mut rows);
                rows.store(&mut page, statements, &Moved::default())?;
                page.commit().during("end a page")?;
                Ok(planned)
            });
        outcomes.push(stored.map(|(outcome, after)| {
            next.insert(team.to_owned(), after);
            outcome
        }));
    }
    if let Err(e) = Rows::default().store(&mut tx, statements, &locked.moved(&next)) {
        return all_fail(&e);
    }
    match tx.commit().during("commit append") {
        Ok(()) => outcomes,
        Err(e) => all_fail(&e),
    }
}

/// The group's teams, locked: each one's next sequence number and key epoch.
struct Locked {
    next: HashMap<String, i64>,
    epochs: HashMap<String, u32>,
}

impl Locked {
    /// Locks the row of every team of `group`, in id order, for the transaction. A team
    /// that does not exist is absent, and its pages fail alone.
    fn take(
        tx: &mut Transaction<'_>,
        statements: &Statements,
        group: &[Arc<Job>],
    ) -> Result<Locked, ServerError> {
        let teams: Vec<&str> = group
            .iter()
            .map(|j| j.team_id.as_str())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut locked = Locked {
            next: HashMap::new(),
            epochs: HashMap::new(),
        };
        for row in tx.query(&statements.lock, &[&teams]).during("lock teams")? {
            let team: String = row.try_get(0).during("lock teams")?;
            let next: i64 = row.try_get(1).during("lock teams")?;
            let epoch: i64 = row.try_get(2).during("lock teams")?;
            let epoch = u32::try_from(epoch).map_err(|_| ServerError::Corrupt {
                what: "teams.key_epoch",
            })?;
            locked.next.insert(team.clone(), next);
            locked.epochs.insert(team, epoch);
        }
        Ok(locked)
    }

    /// Why `job` is refused before anything of it is read: an unknown team, or a change
    /// sealed under an epoch older than the team's (read under the lock, so no seal or
    /// rotation commits between this check and the page's rows).
    fn refused(&self, job: &Job) -> Option<ServerError> {
        match self.epochs.get(&job.team_id) {
            None => Some(ServerError::UnknownTeam {
                team_id: job.team_id.clone(),
            }),
            Some(&epoch) => crate::keys::check_page_epochs(&job.changes, epoch).err(),
        }
    }

    /// The counters that moved, to write back.
    fn moved<'a>(&self, next: &'a HashMap<String, i64>) -> Moved<'a> {
        let (teams, seqs) = next
            .iter()
            .filter(|(team, seq)| self.next.get(*team) != Some(seq))
            .map(|(team, seq)| (team.as_str(), *seq))
            .unzip();
        Moved { teams, seqs }
    }
}

/// Teams whose next sequence number moved, and where to.
#[derive(Default)]
struct Moved<'a> {
    teams: Vec<&'a str>,
    seqs: Vec<i64>,
}

/// The records a page names: each change's own, and those its sealed batches hold.
struct PageDocs {
    /// Per change, the records of a batch (none for a single change).
    batches: Vec<Option<BTreeSet<String>>>,
    /// Every record the page names, once.
    all: Vec<String>,
}

impl PageDocs {
    fn of(job: &Job) -> PageDocs {
        let batches: Vec<Option<BTreeSet<String>>> = job
            .changes
            .iter()
            .map(|c| crate::storage::batch_docs(&c.kind, &c.data))
            .collect();
        let mut all: Vec<String> = job.changes.iter().map(|c| c.doc_id.clone()).collect();
        all.extend(batches.iter().flatten().flatten().cloned());
        all.sort_unstable();
        all.dedup();
        PageDocs { batches, all }
    }
}

/// One statement asking which records are erased and which hashes the logs hold, for
/// any number of pages and teams.
#[derive(Default)]
struct Check<'a> {
    doc_teams: Vec<&'a str>,
    docs: Vec<&'a str>,
    hash_teams: Vec<&'a str>,
    hashes: Vec<&'a str>,
}

/// Per team, the records erased or the hashes held.
type PerTeam = HashMap<String, HashSet<String>>;

impl<'a> Check<'a> {
    fn add(&mut self, job: &'a Job, docs: &'a PageDocs) {
        let team = job.team_id.as_str();
        for doc in &docs.all {
            self.doc_teams.push(team);
            self.docs.push(doc);
        }
        for change in &job.changes {
            self.hash_teams.push(team);
            self.hashes.push(&change.hash);
        }
    }

    /// The erased records and the held hashes, per team.
    fn run(
        &self,
        tx: &mut Transaction<'_>,
        statements: &Statements,
    ) -> Result<(PerTeam, PerTeam), ServerError> {
        let (mut erased, mut held) = (PerTeam::new(), PerTeam::new());
        if self.hashes.is_empty() {
            return Ok((erased, held));
        }
        let rows = tx
            .query(
                &statements.check,
                &[&self.doc_teams, &self.docs, &self.hash_teams, &self.hashes],
            )
            .during("check erasures and held changes")?;
        for row in rows {
            let is_hash: bool = row.try_get(0).during("check erasures and held changes")?;
            let team: String = row.try_get(1).during("check erasures and held changes")?;
            let value: String = row.try_get(2).during("check erasures and held changes")?;
            let into = if is_hash { &mut held } else { &mut erased };
            into.entry(team).or_default().insert(value);
        }
        Ok((erased, held))
    }
}

/// Decides what becomes of a page's changes, from number `seq` on: those the log lacks
/// become rows; changes to erased records, and batches holding one, are refused.
/// `held` is the team's hashes in the log, and grows with the page's own. Answers the
/// outcome and the next number.
fn plan_page<'a>(
    job: &'a Job,
    docs: &'a PageDocs,
    is_erased: impl Fn(&str) -> bool,
    held: &mut HashSet<String>,
    mut seq: i64,
    rows: &mut Rows<'a>,
) -> (AppendOutcome, i64) {
    let mut outcome = AppendOutcome::default();
    for (change, in_batch) in job.changes.iter().zip(&docs.batches) {
        if is_erased(&change.doc_id) {
            outcome.refused.push(change.hash.clone());
            continue;
        }
        if let Some(in_batch) = in_batch {
            let gone: Vec<&String> = in_batch.iter().filter(|d| is_erased(d)).collect();
            if !gone.is_empty() {
                outcome
                    .refused
                    .extend(gone.into_iter().map(|d| erasure_hash(d)));
                outcome.refused_batches.push(change.hash.clone());
                continue;
            }
        }
        // A hash seen earlier (in the log, this page or the group) counts as held.
        if !held.insert(change.hash.clone()) {
            outcome.already_held += 1;
            continue;
        }
        rows.teams.push(&job.team_id);
        rows.seqs.push(seq);
        rows.hashes.push(&change.hash);
        rows.docs.push(&change.doc_id);
        rows.kinds.push(&change.kind);
        rows.devices.push(&job.device_id);
        rows.sizes
            .push(i64::try_from(change.data.len()).unwrap_or(i64::MAX));
        rows.data.push(&change.data);
        rows.received.push(job.now_ms);
        for doc in in_batch.iter().flatten() {
            rows.batch_teams.push(&job.team_id);
            rows.batch_docs.push(doc);
            rows.batch_seqs.push(seq);
        }
        seq += 1;
        outcome.stored += 1;
    }
    (outcome, seq)
}

/// The columns of the new rows, sent as arrays in one statement.
#[derive(Default)]
struct Rows<'a> {
    teams: Vec<&'a str>,
    seqs: Vec<i64>,
    hashes: Vec<&'a str>,
    docs: Vec<&'a str>,
    kinds: Vec<&'a str>,
    devices: Vec<&'a str>,
    sizes: Vec<i64>,
    data: Vec<&'a [u8]>,
    received: Vec<i64>,
    batch_teams: Vec<&'a str>,
    batch_docs: Vec<&'a str>,
    batch_seqs: Vec<i64>,
}

impl Rows<'_> {
    /// Inserts the rows and the batches' records, and moves the counters, in one
    /// statement: each is a round trip made while the teams' rows are locked.
    fn store(
        &self,
        tx: &mut Transaction<'_>,
        statements: &Statements,
        moved: &Moved<'_>,
    ) -> Result<(), ServerError> {
        if self.seqs.is_empty() && moved.teams.is_empty() {
            return Ok(());
        }
        tx.execute(
            &statements.write,
            &[
                &self.teams,
                &self.seqs,
                &self.hashes,
                &self.docs,
                &self.kinds,
                &self.devices,
                &self.sizes,
                &self.data,
                &self.received,
                &self.batch_teams,
                &self.batch_docs,
                &self.batch_seqs,
                &moved.teams,
                &moved.seqs,
            ],
        )
        .during("append changes")?;
        Ok(())
    }
}

/// Which of a group's records are erased (`false`, team, record) and which of its
/// hashes the logs hold (`true`, team, hash). Each element is looked up by key on its
/// own (a lateral subquery with a limit is never turned into a join), so the plan
/// PostgreSQL keeps for it never reads the log whole, whatever the sizes it was made
/// with (`tests_plans.rs`).
pub(super) const CHECK_SQL: &str = "SELECT false, u.t, u.d
       FROM UNNEST($1::TEXT[], $2::TEXT[]) AS u(t, d)
       CROSS JOIN LATERAL (SELECT FROM erasures e
                            WHERE e.team_id = u.t AND e.doc_id = u.d LIMIT 1) AS found
     UNION ALL
     SELECT true, u.t, u.h
       FROM UNNEST($3::TEXT[], $4::TEXT[]) AS u(t, h)
       CROSS JOIN LATERAL (SELECT FROM changes c
                            WHERE c.team_id = u.t AND c.hash = u.h LIMIT 1) AS found";

/// The statements of an append, prepared once per connection.
struct Statements {
    lock: Statement,
    check: Statement,
    write: Statement,
}

impl Statements {
    fn prepare(conn: &mut Conn) -> Result<Statements, ServerError> {
        Ok(Statements {
            // Rows are locked as they come out of the sort: in id order.
            lock: conn.prepared(
                "SELECT id, next_seq, key_epoch FROM teams WHERE id = ANY($1)
                  ORDER BY id FOR NO KEY UPDATE",
            )?,
            check: conn.prepared(CHECK_SQL)?,
            // Every part runs, whichever the main query reads; an empty array is a
            // part that writes nothing.
            write: conn.prepared(
                "WITH stored AS (
                     INSERT INTO changes
                         (team_id, seq, hash, doc_id, kind, device_id, size, data, received_at)
                     SELECT t, s, h, d, k, v, z, b, r
                       FROM UNNEST($1::TEXT[], $2::BIGINT[], $3::TEXT[], $4::TEXT[],
                                   $5::TEXT[], $6::TEXT[], $7::BIGINT[], $8::BYTEA[],
                                   $9::BIGINT[])
                            AS u(t, s, h, d, k, v, z, b, r)
                 ), noted AS (
                     INSERT INTO batch_docs (team_id, doc_id, seq)
                     SELECT t, d, s
                       FROM UNNEST($10::TEXT[], $11::TEXT[], $12::BIGINT[]) AS u(t, d, s)
                     ON CONFLICT DO NOTHING
                 ), moved AS (
                     UPDATE teams SET next_seq = u.s
                       FROM UNNEST($13::TEXT[], $14::BIGINT[]) AS u(t, s)
                      WHERE teams.id = u.t
                 )
                 SELECT",
            )?,
        })
    }
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
