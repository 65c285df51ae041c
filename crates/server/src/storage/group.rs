//! Group commit, shared by the backends: pushes waiting for the writer are stored
//! together and committed once.
//!
//! Every acknowledged push must be durable, so each commit waits for the disk, and the
//! writer connection is busy for that whole wait: with many devices pushing at once,
//! one commit per push makes the disk, not the cores, set how many pushes the server
//! takes. So a push leaves its page in the [`AppendQueue`] and either becomes the
//! group's leader (no other leader at work) or waits. The leader takes the writer, then
//! every page waiting, stores them in one transaction (the backend's `commit`, a
//! savepoint per page), commits once, hands each page its outcome and wakes the
//! waiters: a push stored by another's group returns at once, and the first page left
//! waiting leads the next group.
//!
//! Why not leave the waiting to the writer's mutex, as this module did: a push taken
//! along had to get the writer in turn only to read its outcome, and a mutex lets a
//! newcomer barge ahead, so a push already stored could wait behind several later
//! groups' commits (each a disk sync). Under `bench load` that wait made the pushes'
//! longest latencies.

use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};

use filrouge_model::sync::ChangeBlob;

use super::AppendOutcome;
use crate::error::ServerError;

/// Pages of changes waiting for the writer, and whether a group's leader is at work.
#[derive(Debug, Default)]
pub(crate) struct AppendQueue {
    state: Mutex<State>,
    /// Signalled when a leader is done: its pages have their outcomes, and another may
    /// lead.
    done: Condvar,
}

#[derive(Debug, Default)]
struct State {
    waiting: Vec<Arc<Job>>,
    leading: bool,
}

/// One push's page and, once committed, what became of it.
#[derive(Debug)]
pub(crate) struct Job {
    /// The team whose log the page goes to.
    pub team_id: String,
    /// The device that pushed it.
    pub device_id: String,
    /// Its changes, in the device's order.
    pub changes: Vec<ChangeBlob>,
    /// When it arrived.
    pub now_ms: i64,
    outcome: Mutex<Option<Result<AppendOutcome, ServerError>>>,
}

impl Job {
    /// A page as a push queues it, its outcome still to come.
    pub(crate) fn new(team_id: &str, device_id: &str, changes: &[ChangeBlob], now_ms: i64) -> Job {
        Job {
            team_id: team_id.to_owned(),
            device_id: device_id.to_owned(),
            changes: changes.to_vec(),
            now_ms,
            outcome: Mutex::new(None),
        }
    }

    fn outcome(&self) -> MutexGuard<'_, Option<Result<AppendOutcome, ServerError>>> {
        self.outcome.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl AppendQueue {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// [`crate::storage::Storage::append_changes`] of one page: queued, then stored by
    /// this push's group or by an earlier leader's. `writer` waits for the writer
    /// connection (held until the commit); `commit` stores a group, one outcome per
    /// page in order.
    pub(crate) fn append<W>(
        &self,
        page: (&str, &str, &[ChangeBlob], i64),
        writer: impl FnOnce() -> Result<W, ServerError>,
        commit: impl FnOnce(&mut W, &[Arc<Job>]) -> Vec<Result<AppendOutcome, ServerError>>,
    ) -> Result<AppendOutcome, ServerError> {
        let (team_id, device_id, changes, now_ms) = page;
        let job = Arc::new(Job::new(team_id, device_id, changes, now_ms));
        {
            let mut state = self.state();
            state.waiting.push(Arc::clone(&job));
            loop {
                if let Some(outcome) = job.outcome().take() {
                    return outcome;
                }
                if !state.leading {
                    state.leading = true;
                    break;
                }
                state = self
                    .done
                    .wait(state)
                    .unwrap_or_else(PoisonError::into_inner);
            }
        }
        // This push leads: whatever happens below, the lead is given back (`Lead`'s drop).
        let mut lead = Lead {
            queue: self,
            group: Vec::new(),
        };
        let mut writer = match writer() {
            Ok(writer) => writer,
            Err(e) => {
                // Not stored, and not to be stored by a later group; the others wait
                // for the next leader.
                self.state().waiting.retain(|j| !Arc::ptr_eq(j, &job));
                return Err(e);
            }
        };
        lead.group = std::mem::take(&mut self.state().waiting);
        let outcomes = commit(&mut writer, &lead.group);
        drop(writer);
        for (other, outcome) in lead.group.iter().zip(outcomes) {
            *other.outcome() = Some(outcome);
        }
        drop(lead);
        job.outcome().take().unwrap_or(Err(ServerError::Corrupt {
            what: "an append's outcome",
        }))
    }

    /// Pages waiting, for tests that need a group formed.
    #[cfg(test)]
    fn waiting(&self) -> usize {
        self.state().waiting.len()
    }
}

/// The lead of one group, given back when dropped, also when `commit` panicked: the
/// group's pages left without an outcome wait again for the next leader, and the
/// waiters are woken.
struct Lead<'a> {
    queue: &'a AppendQueue,
    group: Vec<Arc<Job>>,
}

impl Drop for Lead<'_> {
    fn drop(&mut self) {
        let mut state = self.queue.state();
        let unstored: Vec<Arc<Job>> = self
            .group
            .drain(..)
            .filter(|job| job.outcome().is_none())
            .collect();
        state.waiting.splice(0..0, unstored);
        state.leading = false;
        drop(state);
        self.queue.done.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;
    use crate::storage::wait_for;

    fn outcome(job: &Job) -> Result<AppendOutcome, ServerError> {
        Ok(AppendOutcome {
            stored: job.changes.len(),
            ..AppendOutcome::default()
        })
    }

    fn changes(n: usize) -> Vec<ChangeBlob> {
        (0..n)
            .map(|i| ChangeBlob {
                doc_id: format!("doc-{i}"),
                kind: "rencontre".to_owned(),
                hash: format!("{i:064x}"),
                data: vec![1, 2, 3],
            })
            .collect()
    }

    #[test]
    fn a_push_stored_by_another_push_s_group_never_waits_for_the_writer() {
        let queue = AppendQueue::default();
        let writers = AtomicUsize::new(0);
        let commits = AtomicUsize::new(0);
        let (first, second) = std::thread::scope(|s| {
            let first = s.spawn(|| {
                queue.append(
                    ("team", "a", &changes(1), 0),
                    || {
                        writers.fetch_add(1, Ordering::SeqCst);
                        // The second push arrives while this one waits for the writer.
                        wait_for("the second push", || queue.waiting() == 2);
                        Ok(())
                    },
                    |_, group| {
                        commits.fetch_add(1, Ordering::SeqCst);
                        group.iter().map(|job| outcome(job)).collect()
                    },
                )
            });
            wait_for("the first push to lead", || {
                writers.load(Ordering::SeqCst) == 1
            });
            let second = s.spawn(|| {
                queue.append(
                    ("team", "b", &changes(3), 0),
                    || {
                        writers.fetch_add(1, Ordering::SeqCst);
                        Ok(())
                    },
                    |_, group| group.iter().map(|job| outcome(job)).collect(),
                )
            });
            (first.join(), second.join())
        });
        assert_eq!(first.expect("first push").expect("stored").stored, 1);
        assert_eq!(second.expect("second push").expect("stored").stored, 3);
        assert_eq!(
            writers.load(Ordering::SeqCst),
            1,
            "one writer for both pages"
        );
        assert_eq!(
            commits.load(Ordering::SeqCst),
            1,
            "one commit for both pages"
        );
    }

    #[test]
    fn many_pushes_at_once_each_get_their_own_outcome() {
        let queue = AppendQueue::default();
        let writer = Mutex::new(0usize);
        let stored: Vec<usize> = std::thread::scope(|s| {
            let handles: Vec<_> = (1..=32)
                .map(|n| {
                    let (queue, writer) = (&queue, &writer);
                    s.spawn(move || {
                        queue.append(
                            ("team", "device", &changes(n), 0),
                            || Ok(writer.lock().expect("writer")),
                            |committed, group| {
                                // Pages committed, over every group.
                                **committed += group.len();
                                group.iter().map(|job| outcome(job)).collect()
                            },
                        )
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("push").expect("stored").stored)
                .collect()
        });
        assert_eq!(stored, (1..=32).collect::<Vec<usize>>());
        assert_eq!(
            *writer.lock().expect("writer"),
            32,
            "every page committed exactly once"
        );
        assert_eq!(queue.waiting(), 0);
    }

    #[test]
    fn a_leader_that_panics_leaves_the_other_pages_to_the_next_group() {
        let queue = AppendQueue::default();
        let leading = AtomicUsize::new(0);
        let (first, second) = std::thread::scope(|s| {
            let first = s.spawn(|| {
                queue.append(
                    ("team", "a", &changes(1), 0),
                    || {
                        leading.fetch_add(1, Ordering::SeqCst);
                        wait_for("the second push", || queue.waiting() == 2);
                        Ok(())
                    },
                    |_, _| panic!("the database driver panicked"),
                )
            });
            wait_for("the first push to lead", || {
                leading.load(Ordering::SeqCst) == 1
            });
            let second = s.spawn(|| {
                queue.append(
                    ("team", "b", &changes(2), 0),
                    || Ok(()),
                    |_, group| group.iter().map(|job| outcome(job)).collect(),
                )
            });
            (first.join(), second.join())
        });
        assert!(first.is_err(), "the leader's own push fails with its panic");
        assert_eq!(second.expect("second push").expect("stored").stored, 2);
    }

    #[test]
    fn a_push_that_cannot_get_the_writer_fails_alone() {
        let queue = AppendQueue::default();
        let refused = queue.append(
            ("team", "a", &changes(1), 0),
            || -> Result<(), ServerError> {
                Err(ServerError::Corrupt {
                    what: "the writer connection",
                })
            },
            |_, group| group.iter().map(|job| outcome(job)).collect(),
        );
        assert!(refused.is_err());
        assert_eq!(queue.waiting(), 0, "its page is not left for a later group");
        let stored = queue.append(
            ("team", "b", &changes(4), 0),
            || Ok(()),
            |_, group| group.iter().map(|job| outcome(job)).collect(),
        );
        assert_eq!(stored.expect("stored").stored, 4);
    }
}
