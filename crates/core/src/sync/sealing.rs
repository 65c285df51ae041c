//! Where the sync engine meets end-to-end encryption ([`crate::e2e`]): the keys a
//! device holds, its pushed pages sealed, its pulled pages opened.
//!
//! - **Push.** A device that holds team keys seals every change of a page (outbox or
//!   heal) under the newest key just before it leaves ([`Store::seal_page`]); the store
//!   keeps its changes in clear, inside its own encrypted file.
//! - **Pull.** Each sealed blob is opened under the key of the epoch it names before
//!   the apply step reads it ([`Opener::open`], on the driver's network thread). A blob
//!   whose epoch this device holds no key for is kept, still sealed, in
//!   `sealed_waiting`, and opened when the key arrives ([`Store::add_keys`]). A blob that
//!   does not authenticate (a flipped byte, moved to another record, relabelled with
//!   another epoch), or a clear change reaching a device whose team seals everything, is
//!   **refused**: recorded in `refused_changes` (when, which record, why; never its
//!   bytes' contents applied) and never applied.

use filrouge_model::sync::{ChangeBlob, ERASURE_KIND, PulledChange, sealed_epoch};
use rusqlite::params;
use sha2::{Digest as _, Sha256};

use crate::e2e::{Binding, Keyring, SealError, TeamKey, open_change, seal_change};
use crate::{CoreError, Store};

/// What opens a pulled page: the team and the keys, read from the store when the pull
/// starts.
#[derive(Debug, Clone, Default)]
pub(crate) struct Opener {
    team: String,
    ring: Keyring,
}

/// A pulled blob set aside by [`Opener::open`].
#[derive(Debug, Clone)]
pub(crate) struct SetAside {
    pub doc_id: String,
    pub kind: String,
    pub data: Vec<u8>,
    /// `None`: waiting for its epoch's key; `Some`: refused, and why.
    pub refused: Option<&'static str>,
}

impl Opener {
    /// Opens the sealed changes of `changes` in place; returns those set aside (waiting
    /// for a key, or refused), which are taken out of the page.
    pub(crate) fn open(&self, changes: &mut Vec<PulledChange>) -> Vec<SetAside> {
        let mut aside = Vec::new();
        changes.retain_mut(|c| {
            let blob = &mut c.blob;
            if sealed_epoch(&blob.data).is_none() {
                // The server's own erasure entries are clear; any other clear change
                // reaching a device of a team that seals everything was not written by
                // a device of the team.
                if self.ring.is_empty() || blob.kind == ERASURE_KIND {
                    return true;
                }
                aside.push(set_aside(blob, Some("clear change in a sealed team")));
                return false;
            }
            let binding = Binding {
                team: &self.team,
                doc_id: &blob.doc_id,
                kind: &blob.kind,
            };
            match open_change(&self.ring, &binding, &blob.data) {
                Ok(plain) => {
                    // The hash is computed from the opened bytes, never taken on trust.
                    let (hash, data) = super::pages::normalize(String::new(), plain);
                    blob.hash = hash;
                    blob.data = data;
                    true
                }
                Err(SealError::NoKey { .. }) => {
                    aside.push(set_aside(blob, None));
                    false
                }
                Err(SealError::Forged) => {
                    aside.push(set_aside(blob, Some("does not authenticate")));
                    false
                }
                Err(SealError::Format | SealError::Unpack) => {
                    aside.push(set_aside(blob, Some("not a sealed change")));
                    false
                }
            }
        });
        aside
    }
}

fn set_aside(blob: &mut ChangeBlob, refused: Option<&'static str>) -> SetAside {
    SetAside {
        doc_id: std::mem::take(&mut blob.doc_id),
        kind: std::mem::take(&mut blob.kind),
        data: std::mem::take(&mut blob.data),
        refused,
    }
}

/// Keeps what [`Opener::open`] set aside, in the pulled page's transaction.
pub(crate) fn keep_aside(
    tx: &rusqlite::Connection,
    aside: &[SetAside],
    now: i64,
) -> Result<(), CoreError> {
    for a in aside {
        let digest: [u8; 32] = Sha256::digest(&a.data).into();
        match a.refused {
            None => {
                tx.prepare_cached(
                    "INSERT OR IGNORE INTO sealed_waiting (digest, doc_id, kind, data)
                     VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute(params![&digest[..], a.doc_id, a.kind, a.data])?;
            }
            Some(reason) => {
                tracing::warn!(doc_id = %a.doc_id, reason, "pulled change refused");
                tx.prepare_cached(
                    "INSERT OR IGNORE INTO refused_changes (digest, doc_id, kind, reason, at)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )?
                .execute(params![&digest[..], a.doc_id, a.kind, reason, now])?;
            }
        }
    }
    Ok(())
}

impl Store {
    /// Every team key this device holds.
    pub fn keyring(&self) -> Result<Keyring, CoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT epoch, key FROM team_keys ORDER BY epoch")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, u32>(0)?, r.get::<_, Vec<u8>>(1)?)))?;
        let mut ring = Keyring::default();
        for row in rows {
            let (epoch, bytes) = row?;
            let key = TeamKey::from_slice(&bytes)
                .ok_or(CoreError::DamagedSetting { key: "team_keys" })?;
            ring.insert(epoch, key);
        }
        Ok(ring)
    }

    /// Keeps the keys of `ring` (an epoch's key, once given, never changes), then
    /// opens and applies what was waiting for them. Returns how many documents the
    /// waiting changes changed.
    pub fn add_keys(&mut self, ring: &Keyring) -> Result<usize, CoreError> {
        self.keep_keys(ring)?;
        self.open_waiting()
    }

    /// Keeps the keys of `ring`, in the caller's transaction if there is one.
    pub(crate) fn keep_keys(&mut self, ring: &Keyring) -> Result<(), CoreError> {
        let tx = self.conn.savepoint()?;
        for (epoch, key) in ring.iter() {
            tx.prepare_cached("INSERT OR IGNORE INTO team_keys (epoch, key) VALUES (?1, ?2)")?
                .execute(params![epoch, &key.as_bytes()[..]])?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Forgets every team key (the team did not adopt the one this device made, or the
    /// device joins another team).
    pub(crate) fn forget_keys(&self) -> Result<(), CoreError> {
        self.conn.execute("DELETE FROM team_keys", [])?;
        Ok(())
    }

    /// How many pulled changes this device holds aside: still sealed, waiting for
    /// their epoch's key; and refused (they did not authenticate, or came in clear to
    /// a team that seals everything).
    pub fn set_aside_counts(&self) -> Result<(i64, i64), CoreError> {
        Ok(self.conn.query_row(
            "SELECT (SELECT COUNT(*) FROM sealed_waiting), (SELECT COUNT(*) FROM refused_changes)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    }

    /// What opens pulled pages for this device.
    pub(crate) fn opener(&self) -> Result<Opener, CoreError> {
        Ok(Opener {
            team: self.meta("team_id")?.unwrap_or_default(),
            ring: self.keyring()?,
        })
    }

    /// Seals a page of changes about to be pushed, if this device holds team keys.
    pub(crate) fn seal_page(
        &self,
        mut page: Vec<ChangeBlob>,
    ) -> Result<Vec<ChangeBlob>, CoreError> {
        let ring = self.keyring()?;
        let Some((epoch, key)) = ring.current() else {
            return Ok(page);
        };
        let team = self.meta("team_id")?.unwrap_or_default();
        // The remembered erasures a heal sends back are the server's own clear entries.
        for blob in page.iter_mut().filter(|b| b.kind != ERASURE_KIND) {
            let binding = Binding {
                team: &team,
                doc_id: &blob.doc_id,
                kind: &blob.kind,
            };
            blob.data = seal_change(key, epoch, &binding, &blob.data);
        }
        Ok(page)
    }

    /// Opens and applies the sealed changes whose key has now arrived, in one
    /// transaction with their removal from `sealed_waiting`.
    pub(crate) fn open_waiting(&mut self) -> Result<usize, CoreError> {
        let waiting: Vec<(Vec<u8>, String, String, Vec<u8>)> = {
            let mut stmt = self
                .conn
                .prepare("SELECT digest, doc_id, kind, data FROM sealed_waiting")?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
            rows.collect::<Result<_, _>>()?
        };
        if waiting.is_empty() {
            return Ok(0);
        }
        let mut changes: Vec<PulledChange> = waiting
            .into_iter()
            .map(|(_, doc_id, kind, data)| PulledChange {
                seq: 0,
                blob: ChangeBlob {
                    doc_id,
                    kind,
                    hash: String::new(),
                    data,
                },
            })
            .collect();
        let aside = self.opener()?.open(&mut changes);
        let mut page = super::apply::prepare(changes, self.options().max_doc_ops);
        page.aside = aside;
        page.reopened = true;
        // Applied where the cursor already is: these changes were pulled before.
        self.apply_prepared(page, None)
    }
}
