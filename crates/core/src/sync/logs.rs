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
//! - nothing known yet: a device that holds nothing takes the log from its start; one
//!   that holds records heals it (a device of an earlier version, whose single cursor,
//!   `meta.cursor`, belongs to no known log; one that pushed but never finished a pull).
//!   A device enrolled for the first time follows its team's log from the enrolment
//!   answer, so it does not heal what it is about to push anyway.

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

    /// The cursor to pull the followed log from (0 before any log was followed).
    pub(crate) fn cursor(&self) -> Result<u64, CoreError> {
        match self.followed_log()? {
            Some(log_id) => Ok(log_cursor(&self.conn, &log_id)?.unwrap_or(0)),
            Option::None => Ok(0),
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
        if followed.is_some() || self.knows_any_log()? || self.holds_anything()? {
            // Nothing says this log holds what the device holds: a device of an earlier
            // version (its single cursor belongs to no known log), one that pushed but
            // never finished a pull, one that joined another team.
            return Ok(Verdict::Heal);
        }
        Ok(Verdict::Apply)
    }

    /// Whether this device holds any record, erasure or pulled change.
    fn holds_anything(&self) -> Result<bool, CoreError> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT 1 FROM documents UNION ALL SELECT 1 FROM erased
                 UNION ALL SELECT 1 FROM pending_changes LIMIT 1",
            )?
            .exists([])?)
    }

    /// Whether this device has a cursor in any log.
    fn knows_any_log(&self) -> Result<bool, CoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM logs LIMIT 1")?
            .exists([])?)
    }

    /// At enrolment in `log_id`: a device enrolled for the first time (`first`: it had
    /// no token, so it never sent anything anywhere) follows the log from its start,
    /// its records all being in its outbox. Any other meets the log at its first pull,
    /// and heals it then if it does not know it.
    pub(crate) fn enrolled_in_log(
        tx: &Connection,
        log_id: &str,
        first: bool,
    ) -> Result<(), CoreError> {
        let met_a_log = tx
            .prepare_cached(
                "SELECT 1 FROM logs UNION ALL SELECT 1 FROM meta WHERE key = 'cursor' LIMIT 1",
            )?
            .exists([])?;
        if first && !met_a_log {
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
