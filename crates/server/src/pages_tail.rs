//! The changes of each team's unsealed block that this process has read, served to the
//! next pulls without asking the storage again.
//!
//! A device that keeps up pulls the few changes after its cursor, in the block the log's
//! head is in, which no cached block covers yet. Every other device of the team reads
//! the same changes a moment later: without this cache each read is a statement and the
//! same blobs copied out of the database once per device (on PostgreSQL, a round trip and
//! the blobs over the socket each time). Here a page's read of that block goes through
//! `BlockCache::tail_after`: the team's tail holds the block's changes up to a sequence number
//! it knows complete; a read asks the storage only for what lies past it, once, and
//! answers from memory with the same paging rule ([`PageFill`]) as
//! [`Storage::changes_after`].
//!
//! Why a tail is exact: every change up to a head read from the storage was committed
//! before that read (numbers are given under the team's lock and a head moves in the
//! transaction of its changes), and the storage's read of the changes after it is a
//! snapshot holding a prefix of the log. Whatever removes or rewrites a stored change (an
//! erasure, a history seal) moves the log's generation, read by the page before any row,
//! as the blocks are ([`super::BlockCache`]): a tail is used only under the generation it
//! was read under, and a page that read an older generation than the tail's reads the
//! storage itself.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::Arc;

use filrouge_model::sync::PulledChange;

use super::BLOCK_SEQS;
use crate::error::ServerError;
use crate::storage::{ChangePage, PageFill, Storage};

/// The changes of one team's unsealed block read so far.
#[derive(Debug)]
pub(super) struct Tail {
    /// The log's generation they were read under.
    generation: u64,
    /// The block they belong to.
    block: u64,
    /// Every change of the block up to this seq is in `changes` (the block's start
    /// when none is known yet).
    through: u64,
    /// In sequence order.
    changes: Vec<Arc<PulledChange>>,
}

/// Each team's [`Tail`], kept inside the block cache's lock.
pub(super) type Tails = HashMap<String, Tail>;

/// What a read of the tail needs from the storage, decided under the lock.
pub(super) enum Plan {
    /// The tail holds the answer: these changes after the cursor, through the head.
    Held(Vec<Arc<PulledChange>>),
    /// Read the block after `from` (where the tail ends, so that the read extends it,
    /// or the block's start); the tail's changes after the cursor come first.
    Read {
        /// Where the storage's read starts.
        from: u64,
        /// The tail's changes after the cursor, through `from`.
        held: Vec<Arc<PulledChange>>,
    },
    /// This page read an older state of the log than the tail's, or its cursor is
    /// past the block of the head it knows: the storage answers.
    Behind,
}

/// What the tail can say of the changes of block `block` after `after`, for a page that
/// read `head` under `generation` (the block is not sealed under that head).
pub(super) fn plan(
    tails: &Tails,
    team_id: &str,
    generation: u64,
    block: u64,
    head: u64,
    after: u64,
) -> Plan {
    let after_cursor = |tail: &Tail| -> Vec<Arc<PulledChange>> {
        tail.changes
            .iter()
            .filter(|c| c.seq > after)
            .cloned()
            .collect()
    };
    // A tail of an older generation, or of an earlier block, is replaced by a read of
    // the block from its start, so that it serves every cursor in it; a newer one means
    // this page read an older state of the log.
    let from_start = || Plan::Read {
        from: block * BLOCK_SEQS,
        held: Vec::new(),
    };
    // A cursor past the head's block is the device's word, not the log's: moving the
    // tail there on it would leave every page of the head's block behind the tail, each
    // reading the storage, and a cursor far past the log would do so for good.
    if block > head / BLOCK_SEQS {
        return Plan::Behind;
    }
    let Some(tail) = tails.get(team_id) else {
        return from_start();
    };
    match (tail.generation, tail.block).cmp(&(generation, block)) {
        Ordering::Equal if tail.through >= head => Plan::Held(after_cursor(tail)),
        Ordering::Equal => Plan::Read {
            from: tail.through,
            held: after_cursor(tail),
        },
        Ordering::Less => from_start(),
        Ordering::Greater => Plan::Behind,
    }
}

/// Reads the block's changes after `from` from the storage: the changes, and the seq
/// through which they are complete. `head` was read before, so everything up to it is
/// in the read's snapshot; the read is a prefix of the log, so it is complete up to its
/// last change too, unless its count limit cut it.
pub(super) fn read(
    storage: &dyn Storage,
    team_id: &str,
    block: u64,
    head: u64,
    from: u64,
) -> Result<(Vec<Arc<PulledChange>>, u64), ServerError> {
    let end = (block + 1) * BLOCK_SEQS;
    let wanted = usize::try_from(end.saturating_sub(from)).unwrap_or(usize::MAX);
    let read = storage.changes_after(team_id, from, u64::MAX, wanted)?;
    let last = read.changes.last().map_or(from, |c| c.seq);
    let through = if read.more { last } else { last.max(head) }.min(end);
    let changes = read
        .changes
        .into_iter()
        .filter(|c| c.seq <= end)
        .map(Arc::new)
        .collect();
    Ok((changes, through))
}

/// What the team's tail holds of `block` under `generation`: its changes from the
/// block's start, and the seq they are complete through. `None` if the tail is of
/// another block or generation. When the log's head passes the block's end, the block
/// is sealed and built from these (`BlockCache::block`), reading only the rest.
pub(super) fn held(
    tails: &Tails,
    team_id: &str,
    generation: u64,
    block: u64,
) -> Option<(Vec<Arc<PulledChange>>, u64)> {
    let tail = tails.get(team_id)?;
    ((tail.generation, tail.block) == (generation, block))
        .then(|| (tail.changes.clone(), tail.through))
}

/// The highest seq of a change the team's tail holds under `generation`: read from the
/// storage, so the log's head is at least that far (a change is visible only once
/// every change before it is), whatever head the page that read it had been given.
pub(super) fn last_seq(tails: &Tails, team_id: &str, generation: u64) -> Option<u64> {
    let tail = tails.get(team_id)?;
    (tail.generation == generation)
        .then(|| tail.changes.last().map(|c| c.seq))
        .flatten()
}

/// Where a read of the storage stands, for [`keep`].
pub(super) struct Kept {
    /// The generation the page read before any row.
    pub generation: u64,
    /// The block read.
    pub block: u64,
    /// The seq the read started after.
    pub from: u64,
    /// The seq through which the tail is complete with the read.
    pub through: u64,
}

/// Keeps what a read found in the team's tail: it extends the tail it started from, or
/// replaces a tail of an older block or generation when it read its block from the
/// start. Anything else (another page moved the tail meanwhile) is left as it is.
pub(super) fn keep(tails: &mut Tails, team_id: &str, kept: &Kept, read: &[Arc<PulledChange>]) {
    let Kept {
        generation,
        block,
        from,
        through,
    } = *kept;
    let fresh = || Tail {
        generation,
        block,
        through,
        changes: read.to_vec(),
    };
    let from_start = from == block * BLOCK_SEQS;
    match tails.get_mut(team_id) {
        Some(tail) => match (tail.generation, tail.block).cmp(&(generation, block)) {
            Ordering::Equal if tail.through == from => {
                tail.changes.extend(read.iter().cloned());
                tail.through = through;
            }
            Ordering::Less if from_start => *tail = fresh(),
            _ => {}
        },
        None if from_start => {
            tails.insert(team_id.to_owned(), fresh());
        }
        None => {}
    }
}

/// The changes after the cursor as [`Storage::changes_after`] pages them:
/// `max_changes` and `max_bytes` by [`PageFill`], `more` when one is left out.
pub(super) fn page(
    changes: &[Arc<PulledChange>],
    max_bytes: u64,
    max_changes: usize,
) -> ChangePage {
    let mut fill = PageFill::new(max_bytes, max_changes);
    let mut page = ChangePage::default();
    for change in changes {
        if !fill.admit(change.blob.data.len() as u64) {
            page.more = true;
            break;
        }
        page.changes.push(PulledChange::clone(change));
    }
    page
}
