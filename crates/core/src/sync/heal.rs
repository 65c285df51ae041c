//! Healing a team server that lost what this device knows: everything the device holds
//! goes back to it, in push pages, before the device pulls the server's log from zero.
//!
//! A server restored from a backup, or replaced by an empty one, has a log this device
//! does not know ([`super::logs`]). What the device pushed since the backup was
//! acknowledged, so it left the outbox: only a re-upload of **every change of every
//! record it holds** gives the server back what it lost. Pushes are idempotent by hash,
//! so what the server still has costs bytes, never a duplicate. The order is fixed and
//! resumable, so a heal cut by the network or an app restart goes on where it stopped
//! (the position is in `meta.heal`, written with each acknowledged page):
//!
//! 1. the **erasures** this device remembers (`erased`), as erasure entries, so that the
//!    records stay erased: the server erases them again (a coordinator's device) or
//!    keeps them out (any device, for a record the restored log holds nothing of);
//! 2. each **document**, in id order, every one of its changes (a document too large
//!    for one page is split: the position keeps how many of its changes went);
//! 3. the **pending changes** (pulled changes still waiting for their dependencies).
//!
//! Then the device follows the new log from cursor 0, and the pull skips what it has.

use automerge::ChangeHash;
use filrouge_model::sync::{ChangeBlob, ERASURE_KIND, MAX_BLOB_BYTES, erasure_hash};
use rusqlite::OptionalExtension;

use super::logs::follow;
use super::pages;
use crate::store::set_meta_tx;
use crate::{CoreError, Store};

/// Where a heal stands: which log it heals, and the next thing to send. Kept in
/// `meta.heal` as `log_id stage skip done total after`, separated by tabs (no id holds
/// one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Heal {
    /// The log being healed.
    pub log_id: String,
    /// What is being sent.
    pub stage: Stage,
    /// The last erasure or document id sent whole (empty at a stage's start), or the
    /// last pending change's hash.
    pub after: String,
    /// Changes of the document after `after` already sent (a document split across pages).
    pub skip: usize,
    /// Documents sent whole, for the progress bar.
    pub done: u64,
    /// Documents this device held when the heal began.
    pub total: u64,
}

/// The three things a heal sends, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stage {
    Erasures,
    Documents,
    Pending,
}

impl Stage {
    fn code(self) -> &'static str {
        match self {
            Stage::Erasures => "erasures",
            Stage::Documents => "documents",
            Stage::Pending => "pending",
        }
    }

    fn parse(code: &str) -> Option<Stage> {
        [Stage::Erasures, Stage::Documents, Stage::Pending]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// A page of a heal and the position after it, once the server acknowledges it.
#[derive(Debug)]
pub(crate) struct HealPage {
    pub changes: Vec<ChangeBlob>,
    pub next: Heal,
}

impl Heal {
    fn to_text(&self) -> String {
        format!(
            "{}\t{}\t{}\t{}\t{}\t{}",
            self.log_id,
            self.stage.code(),
            self.skip,
            self.done,
            self.total,
            self.after
        )
    }

    fn parse(text: &str) -> Option<Heal> {
        let mut parts = text.splitn(6, '\t');
        Some(Heal {
            log_id: parts.next()?.to_owned(),
            stage: Stage::parse(parts.next()?)?,
            skip: parts.next()?.parse().ok()?,
            done: parts.next()?.parse().ok()?,
            total: parts.next()?.parse().ok()?,
            after: parts.next()?.to_owned(),
        })
    }

    /// Records sent back, out of those held: what the progress bar shows.
    pub(crate) fn progress(&self) -> (u64, u64) {
        match self.stage {
            Stage::Pending => (self.total, self.total),
            _ => (self.done.min(self.total), self.total),
        }
    }
}

impl Store {
    /// The heal under way, if one is.
    pub(crate) fn heal(&self) -> Result<Option<Heal>, CoreError> {
        Ok(self.meta("heal")?.as_deref().and_then(Heal::parse))
    }

    /// Starts healing `log_id` (or keeps the heal of it already under way).
    pub(crate) fn start_heal(&self, log_id: &str) -> Result<Heal, CoreError> {
        if let Some(heal) = self.heal()?
            && heal.log_id == log_id
        {
            return Ok(heal);
        }
        let total: i64 = self
            .conn
            .query_row("SELECT COUNT(*) FROM documents", [], |r| r.get(0))?;
        let heal = Heal {
            log_id: log_id.to_owned(),
            stage: Stage::Erasures,
            after: String::new(),
            skip: 0,
            done: 0,
            total: u64::try_from(total).unwrap_or(0),
        };
        self.save_heal(&heal)?;
        tracing::info!("the team server lost records this device holds: sending them back");
        Ok(heal)
    }

    /// Records where the heal stands, once a page is acknowledged.
    pub(crate) fn save_heal(&self, heal: &Heal) -> Result<(), CoreError> {
        set_meta_tx(&self.conn, "heal", &heal.to_text())
    }

    /// Ends the heal: the device follows the healed log from its start.
    pub(crate) fn finish_heal(&self, heal: &Heal) -> Result<(), CoreError> {
        // The engine reads the store through a shared reference; nothing else holds a
        // transaction open on this connection between two sync steps.
        let tx = self.conn.unchecked_transaction()?;
        follow(&tx, &heal.log_id, 0)?;
        tx.execute("DELETE FROM meta WHERE key = 'heal'", [])?;
        tx.commit()?;
        tracing::info!("team server healed; pulling its log from the start");
        Ok(())
    }

    /// The next page of the heal at `heal`, within a count and byte budget; an empty
    /// page means everything was sent.
    pub(crate) fn heal_page(
        &self,
        heal: &Heal,
        max_changes: usize,
        max_bytes: usize,
    ) -> Result<HealPage, CoreError> {
        let mut page = PageBuilder {
            changes: Vec::new(),
            bytes: 0,
            max_changes,
            max_bytes,
        };
        let mut next = heal.clone();
        if next.stage == Stage::Erasures {
            let ids: Vec<String> = self
                .conn
                .prepare("SELECT doc_id FROM erased WHERE doc_id > ?1 ORDER BY doc_id LIMIT ?2")?
                .query_map(rusqlite::params![next.after, max_changes as i64], |r| {
                    r.get(0)
                })?
                .collect::<Result<_, _>>()?;
            let whole = ids.len() < max_changes;
            for id in ids {
                page.changes.push(ChangeBlob {
                    hash: erasure_hash(&id),
                    kind: ERASURE_KIND.to_owned(),
                    data: Vec::new(),
                    doc_id: id.clone(),
                });
                next.after = id;
            }
            if !whole {
                return Ok(HealPage {
                    changes: page.changes,
                    next,
                });
            }
            next = Heal {
                stage: Stage::Documents,
                after: String::new(),
                skip: 0,
                ..next
            };
        }
        if next.stage == Stage::Documents {
            if !self.heal_documents(&mut page, &mut next)? {
                return Ok(HealPage {
                    changes: page.changes,
                    next,
                });
            }
            next = Heal {
                stage: Stage::Pending,
                after: String::new(),
                skip: 0,
                ..next
            };
        }
        self.heal_pending(&mut page, &mut next)?;
        Ok(HealPage {
            changes: page.changes,
            next,
        })
    }

    /// Adds documents' changes from `next` on; whether every document went.
    fn heal_documents(&self, page: &mut PageBuilder, next: &mut Heal) -> Result<bool, CoreError> {
        loop {
            let row: Option<(String, String, Vec<u8>, i64)> = self
                .conn
                .prepare_cached(
                    "SELECT id, kind, snapshot, chunk_count FROM documents
                     WHERE id > ?1 ORDER BY id LIMIT 1",
                )?
                .query_row([&next.after], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                })
                .optional()?;
            let Some((id, kind, snapshot, chunks)) = row else {
                return Ok(true);
            };
            // A record stored as the one change it came as (most records a device
            // received) is that change: no document to build.
            let only = (chunks == 0)
                .then(|| pages::change_hash(&snapshot))
                .flatten()
                .and_then(|_| automerge::Change::try_from(&snapshot[..]).ok());
            let changes = match only {
                Some(change) => vec![change],
                None => whole_changes(&self.conn, &id)?,
            };
            // The server refuses a blank kind, which a damaged record could have: a
            // refused page would stop every later sync here.
            let kind = if kind.is_empty() {
                "unknown".to_owned()
            } else {
                kind
            };
            for change in changes.iter().skip(next.skip) {
                let blob = ChangeBlob {
                    hash: change.hash().to_string(),
                    doc_id: id.clone(),
                    kind: kind.clone(),
                    data: pages::blob_of(change),
                };
                if !page.admit(blob) {
                    return Ok(false);
                }
                next.skip += 1;
            }
            next.after = id;
            next.skip = 0;
            next.done += 1;
        }
    }

    /// Adds the pending changes from `next` on, until the page is full or none is left.
    fn heal_pending(&self, page: &mut PageBuilder, next: &mut Heal) -> Result<(), CoreError> {
        loop {
            let rows: Vec<(String, String, String, Vec<u8>)> = self
                .conn
                .prepare_cached(
                    "SELECT hash, doc_id, kind, data FROM pending_changes WHERE hash > ?1
                     ORDER BY hash LIMIT ?2",
                )?
                .query_map(
                    rusqlite::params![next.after, page.max_changes as i64],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )?
                .collect::<Result<_, _>>()?;
            if rows.is_empty() || !self.heal_pending_rows(page, next, rows)? {
                return Ok(());
            }
        }
    }

    /// Adds these pending changes; whether the page has room for more.
    fn heal_pending_rows(
        &self,
        page: &mut PageBuilder,
        next: &mut Heal,
        rows: Vec<(String, String, String, Vec<u8>)>,
    ) -> Result<bool, CoreError> {
        for (hash, doc_id, kind, data) in rows {
            let data = match automerge::Change::try_from(&data[..]) {
                Ok(change) if hash.parse::<ChangeHash>().ok() == Some(change.hash()) => {
                    pages::blob_of(&change)
                }
                _ => {
                    next.after = hash;
                    continue; // Not a change: it could never be applied anywhere.
                }
            };
            if !page.admit(ChangeBlob {
                hash: hash.clone(),
                doc_id,
                kind,
                data,
            }) {
                return Ok(false);
            }
            next.after = hash;
        }
        Ok(page.changes.len() < page.max_changes)
    }
}

/// Every change of document `id`, read without the size and complexity limits that
/// protect the screens: a record too large to open is still the team's, and goes back.
/// A document that cannot be read at all (damaged, quarantined) has nothing to send.
fn whole_changes(
    conn: &rusqlite::Connection,
    id: &str,
) -> Result<Vec<automerge::Change>, CoreError> {
    let Some(bytes) = crate::store::read_doc_bytes(conn, id, usize::MAX)? else {
        return Ok(Vec::new());
    };
    match crate::store::decode_doc(id, &bytes, u64::MAX) {
        Ok(mut doc) => Ok(doc.get_changes(&[])),
        Err(_) => {
            tracing::warn!(doc_id = %id, "document not sent back: it does not load");
            Ok(Vec::new())
        }
    }
}

/// A heal page being filled: at least one change, then within the budget.
struct PageBuilder {
    changes: Vec<ChangeBlob>,
    bytes: usize,
    max_changes: usize,
    max_bytes: usize,
}

impl PageBuilder {
    /// Adds `blob` if the page has room; `false` if the page is full. A change too
    /// large for the server is passed over (as the outbox does), counted as sent.
    fn admit(&mut self, blob: ChangeBlob) -> bool {
        if blob.data.len() > MAX_BLOB_BYTES {
            tracing::warn!(hash = %blob.hash, size = blob.data.len(), "change too large to send back");
            return true;
        }
        let full =
            self.changes.len() >= self.max_changes || self.bytes + blob.data.len() > self.max_bytes;
        if !self.changes.is_empty() && full {
            return false;
        }
        self.bytes += blob.data.len();
        self.changes.push(blob);
        true
    }
}
