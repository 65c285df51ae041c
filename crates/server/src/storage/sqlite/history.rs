//! Sealing the history of a team whose log began in clear, on SQLite
//! ([`Storage::seal_history`](crate::storage::Storage::seal_history)): the clear changes
//! leave the file in the transaction that starts key epoch 1, and the WAL that still
//! holds their pages is truncated right after, as for an erasure.

use filrouge_model::sync::{ERASURE_KIND, HistorySeal};
use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::schema::During as _;
use super::{SqliteStorage, TeamNumber, read_head, team_number};
use crate::error::ServerError;

impl SqliteStorage {
    pub(super) fn seal_history_rows(
        &self,
        team_id: &str,
        seal: &HistorySeal,
    ) -> Result<(bool, u32), ServerError> {
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .during("begin a history seal")?;
        let epoch = team_number(&tx, team_id, TeamNumber::KeyEpoch)?;
        let log_id: Option<String> = tx
            .query_row("SELECT log_id FROM teams WHERE id = ?1", [team_id], |r| {
                r.get(0)
            })
            .optional()
            .during("read the log id")?;
        if epoch != 0 {
            let again = epoch == 1 && log_id.as_deref() == Some(seal.new_log_id.as_str());
            return Ok((again, epoch));
        }
        if log_id.as_deref() != Some(seal.log_id.as_str())
            || read_head(&tx, team_id)? > seal.pulled_to
        {
            return Ok((false, 0));
        }
        tx.execute(
            "DELETE FROM changes WHERE team_id = ?1 AND kind <> ?2",
            params![team_id, ERASURE_KIND],
        )
        .during("delete the changes in clear")?;
        tx.execute("DELETE FROM batch_docs WHERE team_id = ?1", [team_id])
            .during("delete the batch index")?;
        tx.execute(
            "DELETE FROM enrolment_codes
             WHERE team_id = ?1 AND used_at IS NULL AND sealed_keys IS NULL",
            [team_id],
        )
        .during("delete the invitations without keys")?;
        tx.execute(
            "UPDATE teams SET key_epoch = 1, log_id = ?2 WHERE id = ?1",
            params![team_id, seal.new_log_id],
        )
        .during("start key epoch 1")?;
        tx.commit().during("commit a history seal")?;
        if let Some(checkpointer) = &self.checkpointer
            && !checkpointer.truncate(&conn)
        {
            tracing::warn!("WAL not yet truncated after a history seal: retried in the background");
        }
        Ok((true, 1))
    }
}
