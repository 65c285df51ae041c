//! The backends' reader connections, lent first come, first served.
//!
//! Pulls and token checks read on a few connections beside the writer. When every one
//! is busy, a request waits for the next one given back, in the order the requests
//! came: a connection given back goes straight to the longest waiter. The backends used
//! to try each connection's mutex and then wait on the first one's: a request waited
//! for that one connection even when another came free, and a mutex lets a newcomer
//! barge ahead, so under load a few requests waited many turns (the longest pull
//! latencies of `bench load`).
//!
//! Each connection stays in its own mutex: the pool hands out the index of a free one,
//! and a [`Lease`] holds its guard. The guard is what reaches the connection, so no
//! connection is ever moved out of the pool or missing from it.

use std::collections::VecDeque;
use std::sync::mpsc::{SyncSender, sync_channel};
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::error::ServerError;

/// Connections lent in turn.
pub(crate) struct Pool<C> {
    conns: Vec<Mutex<C>>,
    turns: Mutex<Turns>,
}

struct Turns {
    /// Indexes of the connections nobody holds.
    free: Vec<usize>,
    /// Each waiting request's channel, the longest waiting first.
    waiters: VecDeque<SyncSender<usize>>,
}

/// A connection lent by a [`Pool`], given back when dropped.
pub(crate) struct Lease<'a, C> {
    pool: &'a Pool<C>,
    index: usize,
    conn: MutexGuard<'a, C>,
}

impl<C> Pool<C> {
    /// A pool of `conns`.
    pub(crate) fn new(conns: Vec<C>) -> Pool<C> {
        Pool {
            turns: Mutex::new(Turns {
                free: (0..conns.len()).rev().collect(),
                waiters: VecDeque::new(),
            }),
            conns: conns.into_iter().map(Mutex::new).collect(),
        }
    }

    /// Whether the pool has no connection (every `get` would wait forever).
    pub(crate) fn is_empty(&self) -> bool {
        self.conns.is_empty()
    }

    fn turns(&self) -> MutexGuard<'_, Turns> {
        // A list and a queue, sound after any panic.
        self.turns.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A free connection, or the next one given back after every request that waited
    /// before this one got theirs.
    pub(crate) fn get(&self) -> Result<Lease<'_, C>, ServerError> {
        let receiver = {
            let mut turns = self.turns();
            match turns.free.pop() {
                Some(index) => return Ok(self.lease(index)),
                None if self.conns.is_empty() => {
                    return Err(ServerError::Corrupt {
                        what: "an empty pool of connections",
                    });
                }
                None => {
                    let (sender, receiver) = sync_channel(1);
                    turns.waiters.push_back(sender);
                    receiver
                }
            }
        };
        match receiver.recv() {
            Ok(index) => Ok(self.lease(index)),
            // Only if the pool dropped the channel unanswered, which it never does.
            Err(_) => Err(ServerError::Corrupt {
                what: "the queue for a connection",
            }),
        }
    }

    fn lease(&self, index: usize) -> Lease<'_, C> {
        // The index was free, so nobody else holds this mutex (but for the instant a
        // lease given back takes to drop its guard). A panic while a connection was
        // held dropped its open transaction, which rolls it back: the connection is
        // still sound.
        let conn = self.conns[index]
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        Lease {
            pool: self,
            index,
            conn,
        }
    }

    fn give_back(&self, index: usize) {
        let mut turns = self.turns();
        while let Some(waiter) = turns.waiters.pop_front() {
            // A waiter's channel is gone only if its thread ended while waiting: the next.
            if waiter.try_send(index).is_ok() {
                return;
            }
        }
        turns.free.push(index);
    }

    /// Requests waiting for a connection, for tests that need a queue formed.
    #[cfg(test)]
    fn waiting(&self) -> usize {
        self.turns().waiters.len()
    }
}

impl<C> std::ops::Deref for Lease<'_, C> {
    type Target = C;
    fn deref(&self) -> &C {
        &self.conn
    }
}

impl<C> std::ops::DerefMut for Lease<'_, C> {
    fn deref_mut(&mut self) -> &mut C {
        &mut self.conn
    }
}

impl<C> Drop for Lease<'_, C> {
    fn drop(&mut self) {
        // The guard is dropped just after: the next holder's lock waits only for that.
        self.pool.give_back(self.index);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::storage::wait_for;

    #[test]
    fn a_waiting_request_gets_whichever_connection_comes_free() {
        let pool = Pool::new(vec!["first", "second"]);
        let first = pool.get().expect("a free connection");
        let second = pool.get().expect("the other free connection");
        assert_ne!(*first, *second);
        let second_name = *second;
        std::thread::scope(|s| {
            let waiter = s.spawn(|| *pool.get().expect("a connection given back"));
            wait_for("the request to queue", || pool.waiting() == 1);
            // The connection other than the first comes free; the first stays held.
            drop(second);
            assert_eq!(waiter.join().expect("waiter"), second_name);
        });
        drop(first);
    }

    #[test]
    fn waiting_requests_are_served_in_the_order_they_came() {
        let pool = Pool::new(vec![0u32]);
        let served = Arc::new(Mutex::new(Vec::new()));
        let held = pool.get().expect("the free connection");
        std::thread::scope(|s| {
            for n in 0..5 {
                let (pool, served) = (&pool, Arc::clone(&served));
                s.spawn(move || {
                    let mut conn = pool.get().expect("a turn");
                    *conn += 1;
                    served.lock().expect("served").push(n);
                });
                wait_for("the request to queue", || pool.waiting() == n + 1);
            }
            drop(held);
        });
        assert_eq!(*served.lock().expect("served"), vec![0, 1, 2, 3, 4]);
        assert_eq!(*pool.get().expect("free again"), 5);
    }

    #[test]
    fn an_empty_pool_refuses_instead_of_waiting_forever() {
        let pool: Pool<()> = Pool::new(Vec::new());
        assert!(pool.is_empty());
        assert!(pool.get().is_err());
    }
}
