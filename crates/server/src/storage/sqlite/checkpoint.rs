//! The WAL's checkpoints, on a thread of their own, and the truncation an erasure needs.
//!
//! In WAL mode a commit appends pages to the `-wal` file, and a checkpoint copies them
//! back into the database. Left to SQLite, the commit that takes the WAL past 1,000
//! pages runs the checkpoint itself, holding the writer the whole time: under a team's
//! pushes that is every few dozen commits, and every push waiting for the writer waited
//! for it too (the slowest requests of `filrouge bench load`). Here a thread with its
//! own connection runs a `PASSIVE` checkpoint every [`PERIOD`], which copies what no
//! reader still needs without taking the writer's lock, so commits only append. The
//! writer keeps SQLite's own checkpoint as a safety net, at [`WRITER_FALLBACK_PAGES`],
//! should this thread fall far behind.
//!
//! A passive checkpoint leaves the WAL file's bytes in place, and after an erasure they
//! still hold the erased blobs' old pages. So an erasure asks for a `TRUNCATE`
//! checkpoint ([`Checkpointer::truncate`]): it waits for this thread's checkpoint in
//! progress (SQLite refuses a second checkpoint at once, without waiting) and for the
//! readers; if a reader held on past the busy timeout, this thread keeps trying a
//! truncation at every period until one succeeds.

use std::path::Path;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::Connection;

use super::schema::During;
use crate::error::ServerError;

/// How long the thread's checkpoints wait for a lock.
const BUSY: Duration = Duration::from_secs(1);
/// How often the thread checkpoints.
const PERIOD: Duration = Duration::from_millis(100);
/// The WAL size, in pages, at which a commit checkpoints by itself (SQLite's default is
/// 1,000): only if this thread fell behind.
pub(super) const WRITER_FALLBACK_PAGES: u32 = 16_000;

/// What the thread and the writer share.
#[derive(Default)]
struct Shared {
    state: Mutex<State>,
    wake: Condvar,
    /// Held while a checkpoint runs, so the thread's and the writer's never overlap.
    running: Mutex<()>,
}

#[derive(Default)]
struct State {
    stopped: bool,
    /// An erasure's truncation did not complete: the thread truncates until one does.
    truncate: bool,
}

/// The checkpointing thread; stopped and joined on drop.
pub(super) struct Checkpointer {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    /// Starts checkpointing the database at `path` (in WAL mode).
    pub(super) fn start(path: &Path) -> Result<Checkpointer, ServerError> {
        let conn = Connection::open(path).during("open the checkpointer")?;
        conn.busy_timeout(BUSY).during("set busy timeout")?;
        let shared = Arc::new(Shared::default());
        let thread_shared = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("wal-checkpoint".into())
            .spawn(move || run(&conn, &thread_shared))
            .map_err(|source| ServerError::Thread { source })?;
        Ok(Checkpointer {
            shared,
            thread: Some(thread),
        })
    }

    /// Checkpoints the whole WAL into the database and truncates it to nothing, on
    /// `conn` (the writer, outside any transaction). Returns whether it completed; if
    /// not, the thread takes it up until it does.
    pub(super) fn truncate(&self, conn: &Connection) -> bool {
        let done = {
            let _running = self
                .shared
                .running
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            truncate(conn)
        };
        if !done {
            lock(&self.shared.state).truncate = true;
        }
        done
    }
}

fn lock(state: &Mutex<State>) -> std::sync::MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A `TRUNCATE` checkpoint; whether it completed (SQLite's first column, `busy`, is 0).
fn truncate(conn: &Connection) -> bool {
    match conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |row| {
        row.get::<_, i64>(0)
    }) {
        Ok(busy) => busy == 0,
        Err(e) => {
            tracing::warn!(error = %e, "WAL truncation failed");
            false
        }
    }
}

fn run(conn: &Connection, shared: &Shared) {
    let mut state = lock(&shared.state);
    while !state.stopped {
        state = shared
            .wake
            .wait_timeout(state, PERIOD)
            .unwrap_or_else(PoisonError::into_inner)
            .0;
        if state.stopped {
            break;
        }
        let wanted = state.truncate;
        drop(state);
        {
            let _running = shared
                .running
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            if wanted {
                // Without waiting: a truncation that waits for readers holds the WAL's
                // write lock meanwhile, and a backup reading for minutes would stall
                // every push. Busy, it checkpoints what it can and tries again later.
                let _ = conn.busy_timeout(Duration::ZERO);
                if truncate(conn) {
                    lock(&shared.state).truncate = false;
                }
                let _ = conn.busy_timeout(BUSY);
            } else if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
            {
                // A busy or partial checkpoint is simply taken up again next time.
                tracing::warn!(error = %e, "WAL checkpoint failed");
            }
        }
        state = lock(&shared.state);
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        lock(&self.shared.state).stopped = true;
        self.shared.wake.notify_all();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
