//! The access log's sync on the device (see [`filrouge_model::sync::AccessPush`]):
//! which of this device's entries go next, with the links that chain them for the
//! server; and, on a coordinator's device, the other devices' entries it pulled,
//! opened and checked, kept in `team_access` beside this device's own `access_log`.
//!
//! A link is the SHA-256 of the link before it, the entry's number and its chain hash
//! (which stays sealed): the server checks that links follow each other without ever
//! seeing a hash it could test guesses of an entry's fields against.

use filrouge_model::RecordId;
use filrouge_model::access::{AccessAction, AccessEntry, FieldGroup};
use rusqlite::params;
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use super::access::entry_hash;
use crate::{CoreError, Store};

/// Where this device's sending stands: the last entry the server took, and its link.
const SENT: &str = "access_sent";
/// The cursor in the team's access log (coordinators' devices).
const CURSOR: &str = "access_cursor";

/// An entry as it is sealed: its fields and its place in the writing device's chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedFields {
    /// Its number in the writing device's chain.
    pub seq: i64,
    /// When (ms).
    pub at: i64,
    /// The worker.
    pub worker: Option<String>,
    /// The action's code.
    pub action: String,
    /// The record.
    pub record: Option<String>,
    /// The field groups' codes.
    pub detail: Option<String>,
    /// The chain hash of the entry before it (hex).
    pub prev: String,
    /// Its own chain hash (hex).
    pub hash: String,
}

impl SealedFields {
    /// Whether its fields give its hash.
    fn checks(&self) -> bool {
        let Ok(prev) = hex::decode(&self.prev) else {
            return false;
        };
        let hash = entry_hash(
            &prev,
            self.seq,
            self.at,
            self.worker.as_deref(),
            &self.action,
            self.record.as_deref(),
            self.detail.as_deref(),
        );
        hex::encode(hash) == self.hash
    }
}

/// The link after `prev` for entry `seq` of chain hash `hash`.
pub fn access_link(prev: &[u8; 32], seq: u64, hash: &[u8]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"filrouge access link 1");
    h.update(prev);
    h.update(seq.to_be_bytes());
    h.update(hash);
    h.finalize().into()
}

/// This device's next entries to send.
#[derive(Debug, Clone, Default)]
pub struct AccessToSend {
    /// The link of the last entry the server took (`None`: none yet).
    pub prev: Option<[u8; 32]>,
    /// Each entry's number, link and fields.
    pub entries: Vec<(u64, [u8; 32], SealedFields)>,
}

impl Store {
    /// This device's entries the server has not taken yet, at most `max`, linked.
    pub fn access_to_send(&self, max: usize) -> Result<AccessToSend, CoreError> {
        let (sent, prev) = match self.meta(SENT)? {
            Some(text) => parse_sent(&text).ok_or(CoreError::DamagedSetting { key: SENT })?,
            None => (0, None),
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT seq, at, worker, action, record, detail, prev, hash FROM access_log
              WHERE seq > ?1 ORDER BY seq LIMIT ?2",
        )?;
        let rows = stmt.query_map(
            params![i64::try_from(sent).unwrap_or(i64::MAX), max as i64],
            |r| {
                Ok(SealedFields {
                    seq: r.get(0)?,
                    at: r.get(1)?,
                    worker: r.get(2)?,
                    action: r.get(3)?,
                    record: r.get(4)?,
                    detail: r.get(5)?,
                    prev: hex::encode(r.get::<_, Vec<u8>>(6)?),
                    hash: hex::encode(r.get::<_, Vec<u8>>(7)?),
                })
            },
        )?;
        let mut link = prev.unwrap_or([0; 32]);
        let mut entries = Vec::new();
        for row in rows {
            let fields = row?;
            let seq = u64::try_from(fields.seq).unwrap_or(0);
            let hash = hex::decode(&fields.hash).unwrap_or_default();
            link = access_link(&link, seq, &hash);
            entries.push((seq, link, fields));
        }
        Ok(AccessToSend { prev, entries })
    }

    /// Notes that the server took this device's entries up to `seq`, whose link is
    /// `link`.
    pub fn access_sent(&self, seq: u64, link: &[u8; 32]) -> Result<(), CoreError> {
        self.set_meta(SENT, &format!("{seq}:{}", hex::encode(link)))
    }

    /// Where this coordinator's device stands in the team's access log.
    pub fn access_cursor(&self) -> Result<u64, CoreError> {
        Ok(self.meta(CURSOR)?.and_then(|c| c.parse().ok()).unwrap_or(0))
    }

    /// Keeps the other devices' entries a page of the team's access log brought (each
    /// with the writing device's id and link), then moves the cursor, in one
    /// transaction. An entry whose fields do not give its hash, or whose link does not
    /// follow the one before it from the same device, is left out and logged. Returns
    /// how many were kept.
    pub fn keep_team_access(
        &mut self,
        entries: &[(String, [u8; 32], SealedFields)],
        cursor: u64,
    ) -> Result<usize, CoreError> {
        let me = self.device_id()?.unwrap_or_default();
        let tx = self.conn.transaction()?;
        let mut kept = 0;
        for (device, link, fields) in entries {
            if *device == me {
                continue;
            }
            let seq = u64::try_from(fields.seq).unwrap_or(0);
            let hash = hex::decode(&fields.hash).unwrap_or_default();
            let before: Option<Vec<u8>> = rusqlite::OptionalExtension::optional(
                tx.prepare_cached(
                    "SELECT link FROM team_access WHERE device_id = ?1 AND seq = ?2",
                )?
                .query_row(params![device, fields.seq - 1], |r| r.get(0)),
            )?;
            let follows = before.is_none_or(|b| {
                <[u8; 32]>::try_from(b.as_slice())
                    .is_ok_and(|b| access_link(&b, seq, &hash) == *link)
            });
            if !fields.checks() || !follows {
                tracing::warn!(device_id = %device, seq, "an access entry does not check: left out");
                continue;
            }
            kept += tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO team_access
                     (device_id, seq, at, worker, action, record, detail, hash, link)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                )?
                .execute(params![
                    device,
                    fields.seq,
                    fields.at,
                    fields.worker,
                    fields.action,
                    fields.record,
                    fields.detail,
                    hash,
                    &link[..]
                ])?;
        }
        super::set_meta_tx(&tx, CURSOR, &cursor.to_string())?;
        tx.commit()?;
        Ok(kept)
    }

    /// The entries about `record` from this device and, on a coordinator's device,
    /// every other device of the team, newest first.
    pub fn access_entries(&self, record: &str) -> Result<Vec<AccessEntry>, CoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT seq, at, worker, action, record, detail FROM access_log WHERE record = ?1
             UNION ALL
             SELECT seq, at, worker, action, record, detail FROM team_access WHERE record = ?1
             ORDER BY 2 DESC, 1 DESC",
        )?;
        let rows = stmt.query_map([record], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<String>>(5)?,
            ))
        })?;
        let mut entries = Vec::new();
        for row in rows {
            let (seq, at, worker, action, record, detail) = row?;
            let Some(action) = AccessAction::from_code(&action) else {
                continue;
            };
            entries.push(AccessEntry {
                seq,
                at,
                worker,
                action,
                record: record.as_deref().and_then(RecordId::parse),
                groups: detail
                    .as_deref()
                    .unwrap_or_default()
                    .split(',')
                    .filter_map(FieldGroup::from_code)
                    .collect(),
            });
        }
        Ok(entries)
    }
}

fn parse_sent(text: &str) -> Option<(u64, Option<[u8; 32]>)> {
    let (seq, link) = text.split_once(':')?;
    let link: [u8; 32] = hex::decode(link).ok()?.try_into().ok()?;
    Some((seq.parse().ok()?, Some(link)))
}

#[cfg(test)]
mod tests {
    use filrouge_model::access::AccessAction as A;

    use super::*;
    use crate::store::tests::{NOW, test_env};

    fn store(dir: &tempfile::TempDir, n: u8) -> Store {
        let s = Store::open(&dir.path().join(format!("s{n}.sqlite")), test_env(NOW, n)).unwrap();
        s.set_meta("device_id", &format!("device-{n}")).unwrap();
        s
    }

    /// What another device sends: its entries, linked, as the server hands them on.
    fn sent_by(s: &Store) -> Vec<(String, [u8; 32], SealedFields)> {
        let me = s.device_id().unwrap().unwrap();
        s.access_to_send(100)
            .unwrap()
            .entries
            .into_iter()
            .map(|(_, link, f)| (me.clone(), link, f))
            .collect()
    }

    #[test]
    fn entries_go_once_linked_and_come_back_checked() {
        let dir = tempfile::tempdir().unwrap();
        let phone = store(&dir, 1);
        for action in [A::Cree, A::Consulte, A::Modifie] {
            phone.log_access(action, Some("her"), &[]).unwrap();
        }
        let mut entries = sent_by(&phone);
        let first = phone.access_to_send(2).unwrap();
        assert_eq!(first.prev, None);
        let seqs: Vec<u64> = first.entries.iter().map(|e| e.0).collect();
        assert_eq!(seqs, vec![1, 2]);
        let (_, link2, ref f2) = first.entries[1];
        let hash2 = hex::decode(&f2.hash).unwrap();
        assert_eq!(link2, access_link(&first.entries[0].1, 2, &hash2));
        phone.access_sent(2, &link2).unwrap();
        let next = phone.access_to_send(10).unwrap();
        assert_eq!(next.prev, Some(link2));
        assert_eq!(
            next.entries.iter().map(|e| e.0).collect::<Vec<_>>(),
            vec![3]
        );

        let mut laptop = store(&dir, 2);
        // An entry whose fields were changed, one whose link does not follow, and the
        // laptop's own entry coming back: none is kept.
        let mut edited = entries[1].2.clone();
        edited.action = A::Exporte.code().to_owned();
        let forged = ("device-1".to_owned(), entries[1].1, edited);
        let mut unlinked = entries[2].clone();
        unlinked.1 = [7; 32];
        let own = ("device-2".to_owned(), [1; 32], entries[0].2.clone());
        let kept = laptop
            .keep_team_access(&[entries[0].clone(), forged, own], 4)
            .unwrap();
        assert_eq!(kept, 1);
        assert_eq!(laptop.access_cursor().unwrap(), 4);
        let kept = laptop
            .keep_team_access(&[entries[1].clone(), unlinked], 6)
            .unwrap();
        assert_eq!(kept, 1, "the entry whose link does not follow is left out");
        let kept = laptop.keep_team_access(&entries.split_off(2), 7).unwrap();
        assert_eq!(kept, 1);
        let shown: Vec<A> = laptop
            .access_entries("her")
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect();
        assert_eq!(shown, vec![A::Modifie, A::Consulte, A::Cree]);
        let changed = laptop
            .conn
            .execute("UPDATE team_access SET worker = 'x'", []);
        assert!(changed.is_err(), "append-only");
    }
}
