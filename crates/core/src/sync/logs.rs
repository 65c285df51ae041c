//! Which team log this device follows, its cursor in each, and what a pulled page's log
//! identity means for the device.
//!
//! A sequence number means something only within one log, which the server names by
//! its log id (new when a log is created, restored from a backup or replaced). The
//! device keeps a cursor per log id (table `logs`) and remembers the log it follows
//! (`meta.log_id`). Before a pulled page is applied, [`Store::judge_page`] compares the
//! page's log id and head with what the device knows:
//!
//! - the log it follows, with a head at or above its cursor: apply the page;
//! - a log it has a cursor for (a hub, or a server it left): follow that one again and
//!   ask from its cursor;
//! - an unknown log, or the followed log with a head below the cursor (a copy restored
//!   by hand): the server lost what this device knows — **heal** it ([`super::heal`]);
//! - nothing known yet: a device that never synced takes the log from its start, and a
//!   device of an earlier version takes it at its old single cursor (`meta.cursor`), if
//!   the head has reached it.

use rusqlite::{Connection, OptionalExtension, params};

use crate::store::set_meta_tx;
use crate::{CoreError, Store};

/// What to do with a pulled page, given the log it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Apply it: it continues the log this device follows (or starts following).
    Apply,
    /// This device knows the log and has a cursor in it: ask again from there.
    Resume,
    /// The server does not hold what this device knows: send everything back first.
    Heal,
}

impl Store {
    /// The log this device follows, if it has met one.
    pub(crate) fn followed_log(&self) -> Result<Option<String>, CoreError> {
        self.meta("log_id")
    }

    /// The cursor to pull the followed log from: its cursor in `logs`; before any log
    /// was met, the single cursor of earlier versions.
    pub(crate) fn cursor(&self) -> Result<u64, CoreError> {
        match self.followed_log()? {
            Some(log_id) => Ok(log_cursor(&self.conn, &log_id)?.unwrap_or(0)),
            Option::None => Ok(self
                .meta("cursor")?
                .and_then(|c| c.parse().ok())
                .unwrap_or(0)),
        }
    }

    /// What a page of log `log_id` whose head is `head`, asked after `after`, means.
    /// [`Verdict::Resume`] has already switched the followed log.
    pub(crate) fn judge_page(
        &self,
        log_id: &str,
        head: u64,
        after: u64,
    ) -> Result<Verdict, CoreError> {
        let followed = self.followed_log()?;
        if followed.as_deref() == Some(log_id) {
            return Ok(if head < after {
                Verdict::Heal
            } else {
                Verdict::Apply
            });
        }
        if log_cursor(&self.conn, log_id)?.is_some() {
            set_meta_tx(&self.conn, "log_id", log_id)?;
            return Ok(Verdict::Resume);
        }
        if followed.is_some() || self.knows_any_log()? {
            return Ok(Verdict::Heal);
        }
        // No log met yet. The page was asked from the old single cursor, if any.
        if self.meta("cursor")?.is_some() {
            return Ok(if head < after {
                Verdict::Heal
            } else {
                Verdict::Apply
            });
        }
        // Synced before, yet no cursor: a device of an earlier version that joined
        // another team (its cursor was dropped). What it holds must go back.
        if self.meta("last_success_at")?.is_some() {
            return Ok(Verdict::Heal);
        }
        Ok(Verdict::Apply)
    }

    /// After log `log_id` acknowledged pushed changes: a device that follows no log
    /// (and is not of an earlier version, whose old cursor is judged at the pull)
    /// follows it from its start.
    pub(crate) fn pushed_to(&self, log_id: &str) -> Result<(), CoreError> {
        if self.followed_log()?.is_none()
            && self.meta("cursor")?.is_none()
            && !self.knows_any_log()?
        {
            follow(&self.conn, log_id, 0)?;
        }
        Ok(())
    }

    /// Whether this device has a cursor in any log.
    fn knows_any_log(&self) -> Result<bool, CoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM logs LIMIT 1")?
            .exists([])?)
    }

    /// At enrolment in `log_id`: a device that has never synced follows it from its
    /// start; one that holds another log's records meets it at its first pull, and
    /// heals it then.
    pub(crate) fn enrolled_in_log(tx: &Connection, log_id: &str) -> Result<(), CoreError> {
        let synced_before = tx
            .prepare_cached(
                "SELECT 1 FROM logs
                 UNION ALL SELECT 1 FROM meta WHERE key IN ('cursor', 'last_success_at', 'log_id')
                 LIMIT 1",
            )?
            .exists([])?;
        if !synced_before {
            follow(tx, log_id, 0)?;
        }
        Ok(())
    }
}

/// This device's cursor in `log_id`, if it has one.
fn log_cursor(conn: &Connection, log_id: &str) -> Result<Option<u64>, CoreError> {
    let cursor: Option<i64> = conn
        .prepare_cached("SELECT cursor FROM logs WHERE log_id = ?1")?
        .query_row([log_id], |r| r.get(0))
        .optional()?;
    Ok(cursor.map(|c| u64::try_from(c).unwrap_or(0)))
}

/// Follows `log_id` with `cursor` (in the caller's transaction). The single cursor of
/// earlier versions goes: it belongs to no log.
pub(crate) fn follow(conn: &Connection, log_id: &str, cursor: u64) -> Result<(), CoreError> {
    conn.prepare_cached(
        "INSERT INTO logs (log_id, cursor) VALUES (?1, ?2)
         ON CONFLICT (log_id) DO UPDATE SET cursor = excluded.cursor",
    )?
    .execute(params![log_id, i64::try_from(cursor).unwrap_or(i64::MAX)])?;
    set_meta_tx(conn, "log_id", log_id)?;
    conn.prepare_cached("DELETE FROM meta WHERE key = 'cursor'")?
        .execute([])?;
    Ok(())
}
