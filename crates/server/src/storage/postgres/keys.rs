//! The key epochs' storage on PostgreSQL: published keys, sealed epoch keys, and the
//! rotation of a team's epoch, with the same rules as on SQLite (a device's published
//! key is never replaced, the recovery key is replaced whole with its seals, a second
//! seal for the same team, recipient and epoch is ignored). The rotation locks the
//! team's row, so two coordinators' devices rotating at once start one epoch.

use std::collections::BTreeMap;

use filrouge_model::sync::{
    ERASURE_KIND, HistorySeal, PublishedKey, RECOVERY_RECIPIENT, SealedEpochKey,
};
use postgres::{Client, GenericClient};

use super::schema::{Counter, During, lock_team};
use crate::error::ServerError;
use crate::storage::KeyHolder;

fn epoch_of(value: i64, what: &'static str) -> Result<u32, ServerError> {
    u32::try_from(value).map_err(|_| ServerError::Corrupt { what })
}

pub(super) fn publish_device_key(
    client: &mut Client,
    team_id: &str,
    device_id: &str,
    key: &PublishedKey,
) -> Result<bool, ServerError> {
    let mut tx = client.transaction().during("begin publishing a key")?;
    tx.execute(
        "INSERT INTO published_keys (team_id, recipient, public_key, proof, proof_epoch)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
        &[
            &team_id,
            &device_id,
            &key.public_key,
            &key.proof,
            &i64::from(key.proof_epoch),
        ],
    )
    .during("publish a key")?;
    let held: Option<Vec<u8>> = tx
        .query_opt(
            "SELECT public_key FROM published_keys WHERE team_id = $1 AND recipient = $2",
            &[&team_id, &device_id],
        )
        .during("read a published key")?
        .map(|r| r.try_get(0))
        .transpose()
        .during("read a published key")?;
    tx.commit().during("commit a published key")?;
    Ok(held.as_deref() == Some(key.public_key.as_slice()))
}

pub(super) fn key_holders(
    client: &mut Client,
    team_id: &str,
) -> Result<BTreeMap<String, KeyHolder>, ServerError> {
    let mut holders: BTreeMap<String, KeyHolder> = BTreeMap::new();
    let rows = client
        .query(
            "SELECT recipient, public_key, proof, proof_epoch FROM published_keys
             WHERE team_id = $1",
            &[&team_id],
        )
        .during("read published keys")?;
    for r in rows {
        let recipient: String = r.try_get(0).during("read published keys")?;
        let key = PublishedKey {
            public_key: r.try_get(1).during("read published keys")?,
            proof: r.try_get(2).during("read published keys")?,
            proof_epoch: epoch_of(
                r.try_get(3).during("read published keys")?,
                "published_keys.proof_epoch",
            )?,
        };
        holders.entry(recipient).or_default().key = Some(key);
    }
    let rows = client
        .query(
            "SELECT recipient, epoch FROM epoch_keys WHERE team_id = $1
             ORDER BY recipient, epoch",
            &[&team_id],
        )
        .during("read sealed epochs")?;
    for r in rows {
        let recipient: String = r.try_get(0).during("read sealed epochs")?;
        let epoch = epoch_of(
            r.try_get(1).during("read sealed epochs")?,
            "epoch_keys.epoch",
        )?;
        holders.entry(recipient).or_default().epochs.push(epoch);
    }
    Ok(holders)
}

pub(super) fn rotate_key_epoch(
    client: &mut Client,
    team_id: &str,
    from: u32,
    sealed: &[SealedEpochKey],
) -> Result<(bool, u32), ServerError> {
    let mut tx = client.transaction().during("begin a new key epoch")?;
    let epoch = epoch_of(
        lock_team(&mut tx, team_id, Counter::KeyEpoch)?,
        "teams.key_epoch",
    )?;
    if epoch == 0 || epoch != from {
        return Ok((false, epoch));
    }
    let next = from + 1;
    tx.execute(
        "UPDATE teams SET key_epoch = $2 WHERE id = $1",
        &[&team_id, &i64::from(next)],
    )
    .during("start a new key epoch")?;
    keep_seals(&mut tx, team_id, sealed)?;
    tx.commit().during("commit a new key epoch")?;
    Ok((true, next))
}

pub(super) fn share_epoch_keys(
    client: &mut Client,
    team_id: &str,
    sealed: &[SealedEpochKey],
    recovery: Option<&PublishedKey>,
) -> Result<(), ServerError> {
    let mut tx = client.transaction().during("begin sharing keys")?;
    if let Some(key) = recovery {
        tx.execute(
            "DELETE FROM epoch_keys WHERE team_id = $1 AND recipient = $2",
            &[&team_id, &RECOVERY_RECIPIENT],
        )
        .during("forget the old recovery key's seals")?;
        tx.execute(
            "INSERT INTO published_keys (team_id, recipient, public_key, proof, proof_epoch)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (team_id, recipient) DO UPDATE SET public_key = excluded.public_key,
                 proof = excluded.proof, proof_epoch = excluded.proof_epoch",
            &[
                &team_id,
                &RECOVERY_RECIPIENT,
                &key.public_key,
                &key.proof,
                &i64::from(key.proof_epoch),
            ],
        )
        .during("keep the recovery key")?;
    }
    keep_seals(&mut tx, team_id, sealed)?;
    tx.commit().during("commit shared keys")
}

fn keep_seals(
    tx: &mut impl GenericClient,
    team_id: &str,
    sealed: &[SealedEpochKey],
) -> Result<(), ServerError> {
    let statement = tx
        .prepare(
            "INSERT INTO epoch_keys (team_id, recipient, epoch, sealed)
             VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        )
        .during("keep sealed keys")?;
    for seal in sealed {
        tx.execute(
            &statement,
            &[
                &team_id,
                &seal.recipient,
                &i64::from(seal.epoch),
                &seal.sealed,
            ],
        )
        .during("keep a sealed key")?;
    }
    Ok(())
}

pub(super) fn epoch_keys_for(
    client: &mut Client,
    team_id: &str,
    recipient: &str,
) -> Result<Vec<SealedEpochKey>, ServerError> {
    client
        .query(
            "SELECT epoch, sealed FROM epoch_keys WHERE team_id = $1 AND recipient = $2
             ORDER BY epoch",
            &[&team_id, &recipient],
        )
        .during("read sealed keys")?
        .iter()
        .map(|r| {
            Ok(SealedEpochKey {
                epoch: epoch_of(r.try_get(0).during("read sealed keys")?, "epoch_keys.epoch")?,
                recipient: recipient.to_owned(),
                sealed: r.try_get(1).during("read sealed keys")?,
            })
        })
        .collect()
}

/// [`Storage::seal_history`](crate::storage::Storage::seal_history) on PostgreSQL: the
/// team's row locked for the whole transaction, the generation moved in it, so a
/// block or a log identity another server process cached before is never used after.
pub(super) fn seal_history(
    client: &mut Client,
    team_id: &str,
    seal: &HistorySeal,
) -> Result<(bool, u32), ServerError> {
    let mut tx = client.transaction().during("begin a history seal")?;
    let epoch = epoch_of(
        lock_team(&mut tx, team_id, Counter::KeyEpoch)?,
        "teams.key_epoch",
    )?;
    let row = tx
        .query_one(
            "SELECT log_id, next_seq - 1 FROM teams WHERE id = $1",
            &[&team_id],
        )
        .during("read the log id")?;
    let log_id: String = row.try_get(0).during("read the log id")?;
    let head: i64 = row.try_get(1).during("read the log head")?;
    if epoch != 0 {
        return Ok((epoch == 1 && log_id == seal.new_log_id, epoch));
    }
    let pulled_to = i64::try_from(seal.pulled_to).unwrap_or(i64::MAX);
    if log_id != seal.log_id || head > pulled_to {
        return Ok((false, 0));
    }
    tx.execute(
        "DELETE FROM changes WHERE team_id = $1 AND kind <> $2",
        &[&team_id, &ERASURE_KIND],
    )
    .during("delete the changes in clear")?;
    tx.execute("DELETE FROM batch_docs WHERE team_id = $1", &[&team_id])
        .during("delete the batch index")?;
    tx.execute(
        "DELETE FROM enrolment_codes
         WHERE team_id = $1 AND used_at IS NULL AND sealed_keys IS NULL",
        &[&team_id],
    )
    .during("delete the invitations without keys")?;
    tx.execute(
        "UPDATE teams SET key_epoch = 1, log_id = $2, generation = generation + 1
         WHERE id = $1",
        &[&team_id, &seal.new_log_id],
    )
    .during("start key epoch 1")?;
    tx.commit().during("commit a history seal")?;
    Ok((true, 1))
}
