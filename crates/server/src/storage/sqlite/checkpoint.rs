//! The WAL's checkpoints, on a thread of their own.
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

use std::path::Path;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::Connection;

use super::schema::During;
use crate::error::ServerError;

/// How often the thread checkpoints.
const PERIOD: Duration = Duration::from_millis(100);
/// The WAL size, in pages, at which a commit checkpoints by itself (SQLite's default is
/// 1,000): only if this thread fell behind.
pub(super) const WRITER_FALLBACK_PAGES: u32 = 16_000;

/// The checkpointing thread; stopped and joined on drop.
pub(super) struct Checkpointer {
    stop: Arc<(Mutex<bool>, Condvar)>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    /// Starts checkpointing the database at `path` (in WAL mode).
    pub(super) fn start(path: &Path) -> Result<Checkpointer, ServerError> {
        let conn = Connection::open(path).during("open the checkpointer")?;
        conn.busy_timeout(Duration::from_secs(1))
            .during("set busy timeout")?;
        let stop = Arc::new((Mutex::new(false), Condvar::new()));
        let signal = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("wal-checkpoint".into())
            .spawn(move || run(&conn, &signal))
            .map_err(|source| ServerError::Thread { source })?;
        Ok(Checkpointer {
            stop,
            thread: Some(thread),
        })
    }
}

fn run(conn: &Connection, stop: &(Mutex<bool>, Condvar)) {
    let (flag, wake) = stop;
    let mut stopped = flag.lock().unwrap_or_else(PoisonError::into_inner);
    while !*stopped {
        stopped = wake
            .wait_timeout(stopped, PERIOD)
            .unwrap_or_else(PoisonError::into_inner)
            .0;
        if *stopped {
            break;
        }
        drop(stopped);
        // (busy, pages in the WAL, pages copied): a busy or partial checkpoint is simply
        // taken up again next time.
        if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
            tracing::warn!(error = %e, "WAL checkpoint failed");
        }
        stopped = flag.lock().unwrap_or_else(PoisonError::into_inner);
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        let (flag, wake) = &*self.stop;
        *flag.lock().unwrap_or_else(PoisonError::into_inner) = true;
        wake.notify_all();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
