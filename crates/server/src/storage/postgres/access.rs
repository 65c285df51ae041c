//! The access log's sync on PostgreSQL: each device's sealed entries, numbered in the
//! team's order by the team row's `next_access_seq`, and each device's head, which a
//! push must continue (the same rules as on SQLite, see
//! [`crate::storage::Storage::append_access`]). The team row's lock serialises the
//! pushes of a team, so two processes never both accept a continuation of one head.

use filrouge_model::sync::TeamAccessEntry;
use postgres::{Client, GenericClient};

use super::schema::{Counter, During, lock_team, signed, unsigned};
use crate::error::ServerError;
use crate::storage::AccessRow;

/// [`crate::storage::Storage::append_access`].
pub(super) fn append_access(
    client: &mut Client,
    team_id: &str,
    device_id: &str,
    prev: Option<[u8; 32]>,
    entries: &[AccessRow],
    now_ms: i64,
    purge_before: i64,
) -> Result<u64, ServerError> {
    let mut tx = client.transaction().during("begin access append")?;
    let mut next = lock_team(&mut tx, team_id, Counter::NextAccessSeq)?;
    let head = check_chain(&mut tx, device_id, prev, entries)?;
    let mut last = head;
    let new = entries
        .iter()
        .filter(|e| head.is_none_or(|(seq, _)| e.seq > seq));
    for entry in new {
        tx.execute(
            "INSERT INTO access_entries
             (team_id, access_seq, device_id, seq, link, data, received_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            &[
                &team_id,
                &next,
                &device_id,
                &signed(entry.seq),
                &&entry.link[..],
                &entry.data,
                &now_ms,
            ],
        )
        .during("append access entries")?;
        next += 1;
        last = Some((entry.seq, entry.link));
    }
    if let Some((seq, link)) = last {
        tx.execute(
            "INSERT INTO access_heads (device_id, team_id, seq, link) VALUES ($1, $2, $3, $4)
             ON CONFLICT (device_id) DO UPDATE SET seq = excluded.seq, link = excluded.link",
            &[&device_id, &team_id, &signed(seq), &&link[..]],
        )
        .during("move the access head")?;
    }
    tx.execute(
        "UPDATE teams SET next_access_seq = $2 WHERE id = $1",
        &[&team_id, &next],
    )
    .during("move the access counter")?;
    // Kept twelve months; the heads stay, and so does the team's newest entry.
    tx.execute(
        "DELETE FROM access_entries WHERE team_id = $1 AND received_at < $2
           AND access_seq < (SELECT MAX(access_seq) FROM access_entries WHERE team_id = $1)",
        &[&team_id, &purge_before],
    )
    .during("purge old access entries")?;
    tx.commit().during("commit access append")?;
    Ok(last.map_or(0, |(seq, _)| seq))
}

/// [`crate::storage::Storage::access_after`].
pub(super) fn access_after(
    client: &mut Client,
    team_id: &str,
    after: u64,
    max: usize,
) -> Result<(Vec<TeamAccessEntry>, bool), ServerError> {
    let limit = i64::try_from(max.saturating_add(1)).unwrap_or(i64::MAX);
    let rows = client
        .query(
            "SELECT access_seq, device_id, seq, link, data FROM access_entries
              WHERE team_id = $1 AND access_seq > $2 ORDER BY access_seq LIMIT $3",
            &[&team_id, &signed(after), &limit],
        )
        .during("read access entries")?;
    let mut entries = rows
        .iter()
        .map(|r| {
            Ok(TeamAccessEntry {
                team_seq: unsigned(
                    r.try_get(0).during("read access entries")?,
                    "access_entries.access_seq",
                )?,
                device_id: r.try_get(1).during("read access entries")?,
                seq: unsigned(
                    r.try_get(2).during("read access entries")?,
                    "access_entries.seq",
                )?,
                link: hex::encode(r.try_get::<_, Vec<u8>>(3).during("read access entries")?),
                data: r.try_get(4).during("read access entries")?,
            })
        })
        .collect::<Result<Vec<_>, ServerError>>()?;
    let more = entries.len() > max;
    entries.truncate(max);
    Ok((entries, more))
}

/// Checks that `entries` continue `device_id`'s chain; answers its head before them.
fn check_chain(
    tx: &mut impl GenericClient,
    device_id: &str,
    prev: Option<[u8; 32]>,
    entries: &[AccessRow],
) -> Result<Option<(u64, [u8; 32])>, ServerError> {
    let head = tx
        .query_opt(
            "SELECT seq, link FROM access_heads WHERE device_id = $1",
            &[&device_id],
        )
        .during("read the access head")?;
    let head = match head {
        Some(row) => {
            let seq = unsigned(
                row.try_get(0).during("read the access head")?,
                "access_heads.seq",
            )?;
            let link: Vec<u8> = row.try_get(1).during("read the access head")?;
            let link: [u8; 32] = link.try_into().map_err(|_| ServerError::Corrupt {
                what: "access_heads.link",
            })?;
            Some((seq, link))
        }
        None => None,
    };
    crate::storage::check_access_chain(head, prev, entries, |seq| {
        tx.query_opt(
            "SELECT link FROM access_entries WHERE device_id = $1 AND seq = $2",
            &[&device_id, &signed(seq)],
        )
        .during("read an access entry")?
        .map(|row| row.try_get(0))
        .transpose()
        .during("read an access entry")
    })?;
    Ok(head)
}
