//! The key epochs' storage on SQLite: published keys, sealed epoch keys, and the
//! rotation of a team's epoch (see [`Storage::rotate_key_epoch`](super::Storage)).
//!
//! A published key is kept once per recipient and never replaced (a device's, that
//! is: the recovery key is replaced whole, its old seals with it). Seals are keyed by
//! team, recipient and epoch; a second seal for the same triple is ignored, so a
//! coordinator's device sharing again what it shared before changes nothing.

use std::collections::BTreeMap;

use filrouge_model::sync::{PublishedKey, RECOVERY_RECIPIENT, SealedEpochKey};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::schema::During;
use super::{TeamNumber, team_number};
use crate::error::ServerError;
use crate::storage::KeyHolder;

pub(super) fn publish_device_key(
    conn: &mut Connection,
    team_id: &str,
    device_id: &str,
    key: &PublishedKey,
) -> Result<bool, ServerError> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .during("begin publishing a key")?;
    tx.execute(
        "INSERT OR IGNORE INTO published_keys (team_id, recipient, public_key, proof, proof_epoch)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            team_id,
            device_id,
            key.public_key,
            key.proof,
            key.proof_epoch
        ],
    )
    .during("publish a key")?;
    let held: Option<Vec<u8>> = tx
        .query_row(
            "SELECT public_key FROM published_keys WHERE team_id = ?1 AND recipient = ?2",
            params![team_id, device_id],
            |r| r.get(0),
        )
        .optional()
        .during("read a published key")?;
    tx.commit().during("commit a published key")?;
    Ok(held.as_deref() == Some(key.public_key.as_slice()))
}

pub(super) fn key_holders(
    conn: &Connection,
    team_id: &str,
) -> Result<BTreeMap<String, KeyHolder>, ServerError> {
    let mut holders: BTreeMap<String, KeyHolder> = BTreeMap::new();
    let mut stmt = conn
        .prepare_cached(
            "SELECT recipient, public_key, proof, proof_epoch FROM published_keys
             WHERE team_id = ?1",
        )
        .during("read published keys")?;
    let rows = stmt
        .query_map([team_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                PublishedKey {
                    public_key: r.get(1)?,
                    proof: r.get(2)?,
                    proof_epoch: r.get(3)?,
                },
            ))
        })
        .during("read published keys")?;
    for row in rows {
        let (recipient, key) = row.during("read a published key")?;
        holders.entry(recipient).or_default().key = Some(key);
    }
    let mut stmt = conn
        .prepare_cached(
            "SELECT recipient, epoch FROM epoch_keys WHERE team_id = ?1
             ORDER BY recipient, epoch",
        )
        .during("read sealed epochs")?;
    let rows = stmt
        .query_map([team_id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?))
        })
        .during("read sealed epochs")?;
    for row in rows {
        let (recipient, epoch) = row.during("read a sealed epoch")?;
        holders.entry(recipient).or_default().epochs.push(epoch);
    }
    Ok(holders)
}

pub(super) fn rotate_key_epoch(
    conn: &mut Connection,
    team_id: &str,
    from: u32,
    sealed: &[SealedEpochKey],
) -> Result<(bool, u32), ServerError> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .during("begin a new key epoch")?;
    let epoch = team_number(&tx, team_id, TeamNumber::KeyEpoch)?;
    if epoch == 0 || epoch != from {
        return Ok((false, epoch));
    }
    let next = from + 1;
    tx.execute(
        "UPDATE teams SET key_epoch = ?2 WHERE id = ?1",
        params![team_id, next],
    )
    .during("start a new key epoch")?;
    keep_seals(&tx, team_id, sealed)?;
    tx.commit().during("commit a new key epoch")?;
    Ok((true, next))
}

pub(super) fn share_epoch_keys(
    conn: &mut Connection,
    team_id: &str,
    sealed: &[SealedEpochKey],
    recovery: Option<&PublishedKey>,
) -> Result<(), ServerError> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .during("begin sharing keys")?;
    if let Some(key) = recovery {
        tx.execute(
            "DELETE FROM epoch_keys WHERE team_id = ?1 AND recipient = ?2",
            params![team_id, RECOVERY_RECIPIENT],
        )
        .during("forget the old recovery key's seals")?;
        tx.execute(
            "INSERT OR REPLACE INTO published_keys
                (team_id, recipient, public_key, proof, proof_epoch)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                team_id,
                RECOVERY_RECIPIENT,
                key.public_key,
                key.proof,
                key.proof_epoch
            ],
        )
        .during("keep the recovery key")?;
    }
    keep_seals(&tx, team_id, sealed)?;
    tx.commit().during("commit shared keys")
}

fn keep_seals(
    tx: &Connection,
    team_id: &str,
    sealed: &[SealedEpochKey],
) -> Result<(), ServerError> {
    let mut stmt = tx
        .prepare_cached(
            "INSERT OR IGNORE INTO epoch_keys (team_id, recipient, epoch, sealed)
             VALUES (?1, ?2, ?3, ?4)",
        )
        .during("keep sealed keys")?;
    for seal in sealed {
        stmt.execute(params![team_id, seal.recipient, seal.epoch, seal.sealed])
            .during("keep a sealed key")?;
    }
    Ok(())
}

pub(super) fn epoch_keys_for(
    conn: &Connection,
    team_id: &str,
    recipient: &str,
) -> Result<Vec<SealedEpochKey>, ServerError> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT epoch, sealed FROM epoch_keys WHERE team_id = ?1 AND recipient = ?2
             ORDER BY epoch",
        )
        .during("read sealed keys")?;
    let rows = stmt
        .query_map(params![team_id, recipient], |r| {
            Ok(SealedEpochKey {
                epoch: r.get(0)?,
                recipient: recipient.to_owned(),
                sealed: r.get(1)?,
            })
        })
        .during("read sealed keys")?;
    rows.collect::<Result<_, _>>().during("read a sealed key")
}
