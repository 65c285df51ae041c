//! The SQLite side of the access log's sync: each device's sealed entries in
//! `access_entries` (numbered in the team's order by `access_seq`), and its head in
//! `access_heads`, which every push must continue (see
//! [`crate::storage::Storage::append_access`]).

use filrouge_model::sync::TeamAccessEntry;
use rusqlite::{Connection, OptionalExtension as _, TransactionBehavior, params};

use super::SqliteStorage;
use super::schema::During;
use crate::error::ServerError;
use crate::storage::AccessRow;

impl SqliteStorage {
    /// [`crate::storage::Storage::append_access`].
    pub(super) fn append_access_rows(
        &self,
        team_id: &str,
        device_id: &str,
        prev: Option<[u8; 32]>,
        entries: &[AccessRow],
        now_ms: i64,
        purge_before: i64,
    ) -> Result<u64, ServerError> {
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .during("begin access append")?;
        let head = check_chain(&tx, device_id, prev, entries)?;
        let next: i64 = tx
            .query_row(
                "SELECT COALESCE(MAX(access_seq), 0) + 1 FROM access_entries WHERE team_id = ?1",
                [team_id],
                |r| r.get(0),
            )
            .during("number access entries")?;
        let mut last = head;
        let new = entries
            .iter()
            .filter(|e| head.is_none_or(|(seq, _)| e.seq > seq));
        for (access_seq, entry) in (next..).zip(new) {
            let seq = i64::try_from(entry.seq).unwrap_or(i64::MAX);
            tx.prepare_cached(
                "INSERT INTO access_entries
                 (team_id, access_seq, device_id, seq, link, data, received_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )
            .during("append access entries")?
            .execute(params![
                team_id,
                access_seq,
                device_id,
                seq,
                &entry.link[..],
                entry.data,
                now_ms
            ])
            .during("append access entries")?;
            last = Some((entry.seq, entry.link));
        }
        if let Some((seq, link)) = last {
            tx.execute(
                "INSERT INTO access_heads (device_id, team_id, seq, link) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (device_id) DO UPDATE SET seq = excluded.seq, link = excluded.link",
                params![
                    device_id,
                    team_id,
                    i64::try_from(seq).unwrap_or(i64::MAX),
                    &link[..]
                ],
            )
            .during("move the access head")?;
        }
        // Kept twelve months, as on the devices; the heads stay, so chains still check,
        // and so does the team's newest entry, so its numbers never go back.
        tx.execute(
            "DELETE FROM access_entries WHERE team_id = ?1 AND received_at < ?2
               AND access_seq < (SELECT MAX(access_seq) FROM access_entries WHERE team_id = ?1)",
            params![team_id, purge_before],
        )
        .during("purge old access entries")?;
        tx.commit().during("commit access append")?;
        Ok(last.map_or(0, |(seq, _)| seq))
    }

    /// [`crate::storage::Storage::access_after`].
    pub(super) fn access_rows_after(
        &self,
        team_id: &str,
        after: u64,
        max: usize,
    ) -> Result<(Vec<TeamAccessEntry>, bool), ServerError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached(
                "SELECT access_seq, device_id, seq, link, data FROM access_entries
                  WHERE team_id = ?1 AND access_seq > ?2 ORDER BY access_seq LIMIT ?3",
            )
            .during("read access entries")?;
        let limit = i64::try_from(max.saturating_add(1)).unwrap_or(i64::MAX);
        let after = i64::try_from(after).unwrap_or(i64::MAX);
        let rows = stmt
            .query_map(params![team_id, after, limit], |r| {
                Ok(TeamAccessEntry {
                    team_seq: r.get::<_, i64>(0)?.try_into().unwrap_or(0),
                    device_id: r.get(1)?,
                    seq: r.get::<_, i64>(2)?.try_into().unwrap_or(0),
                    link: hex::encode(r.get::<_, Vec<u8>>(3)?),
                    data: r.get(4)?,
                })
            })
            .during("read access entries")?;
        let mut entries: Vec<TeamAccessEntry> = rows
            .collect::<Result<_, _>>()
            .during("read access entries")?;
        let more = entries.len() > max;
        entries.truncate(max);
        Ok((entries, more))
    }
}

/// Checks that `entries` continue `device_id`'s chain; answers its head before them.
fn check_chain(
    tx: &Connection,
    device_id: &str,
    prev: Option<[u8; 32]>,
    entries: &[AccessRow],
) -> Result<Option<(u64, [u8; 32])>, ServerError> {
    let head: Option<(i64, Vec<u8>)> = tx
        .query_row(
            "SELECT seq, link FROM access_heads WHERE device_id = ?1",
            [device_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()
        .during("read the access head")?;
    let head = head.map(|(seq, link)| {
        let mut fixed = [0u8; 32];
        if link.len() == 32 {
            fixed.copy_from_slice(&link);
        }
        (u64::try_from(seq).unwrap_or(0), fixed)
    });
    crate::storage::check_access_chain(head, prev, entries, |seq| {
        tx.prepare_cached("SELECT link FROM access_entries WHERE device_id = ?1 AND seq = ?2")
            .during("read an access entry")?
            .query_row(
                params![device_id, i64::try_from(seq).unwrap_or(i64::MAX)],
                |r| r.get(0),
            )
            .optional()
            .during("read an access entry")
    })?;
    Ok(head)
}
