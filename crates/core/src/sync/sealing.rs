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

use std::collections::HashMap;

use filrouge_model::sync::{
    BATCH_KIND, BatchMember, BatchReplacement, ChangeBlob, ERASURE_KIND, HeldBatch,
    MAX_BATCH_CHANGES, PulledChange, sealed_epoch,
};
use rusqlite::params;
use sha2::{Digest as _, Sha256};

use crate::e2e::{
    BATCH_PLAIN_BYTES, BatchChange, Binding, Keyring, SealError, TeamKey, open_batch, open_change,
    seal_batch,
};
use crate::{CoreError, Store};

/// What opens a pulled page: the team and the keys, read from the store when the pull
/// starts.
#[derive(Debug, Clone, Default)]
pub(crate) struct Opener {
    team: String,
    ring: Keyring,
}

/// A push page as it leaves: batches sealed, and what each batch holds.
#[derive(Debug, Default)]
pub(crate) struct SealedPage {
    /// What to send.
    pub changes: Vec<ChangeBlob>,
    /// Each batch's hash, with the hashes of the changes it holds.
    pub batches: HashMap<String, Vec<String>>,
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
    /// Opens the sealed changes and batches of `changes` in place (a batch becomes its
    /// changes, each with the batch's sequence number); returns those set aside
    /// (waiting for a key, or refused), which are taken out of the page.
    pub(crate) fn open(&self, changes: &mut Vec<PulledChange>) -> Vec<SetAside> {
        let mut aside = Vec::new();
        let mut opened = Vec::with_capacity(changes.len());
        for mut c in changes.drain(..) {
            let blob = &mut c.blob;
            if sealed_epoch(&blob.data).is_none() {
                // The server's own erasure entries are clear; any other clear change
                // reaching a device of a team that seals everything was not written by
                // a device of the team.
                if self.ring.is_empty() || blob.kind == ERASURE_KIND {
                    opened.push(c);
                } else {
                    aside.push(set_aside(blob, Some("clear change in a sealed team")));
                }
                continue;
            }
            let result = if blob.kind == BATCH_KIND {
                open_batch(&self.ring, &self.team, &blob.data).map(|changes| {
                    for change in changes {
                        opened.push(PulledChange {
                            seq: c.seq,
                            blob: opened_blob(
                                change.member.doc_id,
                                change.member.kind,
                                change.data,
                            ),
                        });
                    }
                })
            } else {
                let binding = Binding {
                    team: &self.team,
                    doc_id: &blob.doc_id,
                    kind: &blob.kind,
                };
                open_change(&self.ring, &binding, &blob.data).map(|plain| {
                    let (doc_id, kind) = (
                        std::mem::take(&mut blob.doc_id),
                        std::mem::take(&mut blob.kind),
                    );
                    opened.push(PulledChange {
                        seq: c.seq,
                        blob: opened_blob(doc_id, kind, plain),
                    });
                })
            };
            match result {
                Ok(()) => {}
                Err(SealError::NoKey { .. }) => aside.push(set_aside(blob, None)),
                Err(SealError::Forged) => {
                    aside.push(set_aside(blob, Some("does not authenticate")));
                }
                Err(SealError::Format | SealError::Unpack) => {
                    aside.push(set_aside(blob, Some("not a sealed change")));
                }
            }
        }
        *changes = opened;
        aside
    }
}

/// An opened change: its hash is computed from the opened bytes, never taken on trust.
fn opened_blob(doc_id: String, kind: String, plain: Vec<u8>) -> ChangeBlob {
    let (hash, data) = super::pages::normalize(String::new(), plain);
    ChangeBlob {
        doc_id,
        kind,
        hash,
        data,
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

    /// Seals a page of changes about to be pushed as batches, if this device holds team
    /// keys: consecutive changes go together until [`BATCH_PLAIN_BYTES`]; the page's
    /// order is kept. Returns the page to send and, for each batch's hash, the hashes of
    /// the changes it holds (the server acknowledges the batch).
    pub(crate) fn seal_page(&self, page: Vec<ChangeBlob>) -> Result<SealedPage, CoreError> {
        let ring = self.keyring()?;
        let Some((epoch, key)) = ring.current() else {
            return Ok(SealedPage {
                changes: page,
                batches: HashMap::new(),
            });
        };
        let team = self.meta("team_id")?.unwrap_or_default();
        let mut sealed = SealedPage {
            changes: Vec::with_capacity(1 + page.len() / 64),
            batches: HashMap::new(),
        };
        let mut batch: Vec<(String, BatchChange)> = Vec::new();
        let mut bytes = 0usize;
        let close = |batch: &mut Vec<(String, BatchChange)>, sealed: &mut SealedPage| {
            if batch.is_empty() {
                return;
            }
            let (hashes, changes): (Vec<String>, Vec<BatchChange>) =
                std::mem::take(batch).into_iter().unzip();
            let data = seal_batch(key, epoch, &team, &changes);
            let hash = hex::encode(Sha256::digest(&data));
            sealed.batches.insert(hash.clone(), hashes);
            sealed.changes.push(ChangeBlob {
                doc_id: BATCH_KIND.to_owned(),
                kind: BATCH_KIND.to_owned(),
                hash,
                data,
            });
        };
        for blob in page {
            // The remembered erasures a heal sends back are the server's own clear entries.
            if blob.kind == ERASURE_KIND {
                sealed.changes.push(blob);
                continue;
            }
            if !batch.is_empty()
                && (bytes + blob.data.len() > BATCH_PLAIN_BYTES || batch.len() >= MAX_BATCH_CHANGES)
            {
                close(&mut batch, &mut sealed);
                bytes = 0;
            }
            bytes += blob.data.len();
            batch.push((
                blob.hash,
                BatchChange {
                    member: BatchMember {
                        doc_id: blob.doc_id,
                        kind: blob.kind,
                    },
                    data: blob.data,
                },
            ));
        }
        close(&mut batch, &mut sealed);
        Ok(sealed)
    }

    /// `batches` (those of the team's log holding a change of record `doc_id`) each
    /// sealed again without it, under its own epoch's key: what the erasure sends so
    /// that no batch left on the server holds the record's bytes. A batch that held
    /// nothing else is replaced by nothing.
    pub fn reseal_without(
        &self,
        batches: &[HeldBatch],
        doc_id: &str,
    ) -> Result<Vec<BatchReplacement>, CoreError> {
        let team = self.meta("team_id")?.unwrap_or_default();
        let ring = self.keyring()?;
        let no_key = || CoreError::TeamKey {
            problem: filrouge_model::ipc::TeamKeyProblem::NoKey,
        };
        let mut out = Vec::with_capacity(batches.len());
        for held in batches {
            let epoch = sealed_epoch(&held.data).ok_or_else(no_key)?;
            let key = ring.get(epoch).ok_or_else(no_key)?;
            let mut changes = open_batch(&ring, &team, &held.data).map_err(|e| {
                tracing::warn!(seq = held.seq, error = %e, "a batch to reseal does not open");
                no_key()
            })?;
            changes.retain(|c| c.member.doc_id != doc_id);
            out.push(BatchReplacement {
                seq: held.seq,
                data: if changes.is_empty() {
                    Vec::new()
                } else {
                    seal_batch(key, epoch, &team, &changes)
                },
            });
        }
        Ok(out)
    }

    /// Erases here, as their erasure entries will, the records a push was refused for
    /// (the `erasure:<id>` entries of [`filrouge_model::sync::PushResponse::refused`]:
    /// a batch holding one of their changes); returns how many were not erased yet.
    pub(crate) fn settle_refused_erasures(
        &mut self,
        refused: &[String],
    ) -> Result<usize, CoreError> {
        let docs: Vec<&str> = refused
            .iter()
            .filter_map(|r| r.strip_prefix(ERASURE_KIND)?.strip_prefix(':'))
            .collect();
        if docs.is_empty() {
            return Ok(0);
        }
        let now = self.env.clock.now_ms();
        let tx = self.conn.transaction()?;
        let mut erased = 0;
        for doc in docs {
            let known = tx
                .prepare_cached("SELECT 1 FROM erased WHERE doc_id = ?1")?
                .exists([doc])?;
            if !known {
                super::apply::erase_local(&tx, doc, now)?;
                erased += 1;
            }
        }
        tx.commit()?;
        if erased > 0 {
            self.scrub()?;
        }
        Ok(erased)
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
