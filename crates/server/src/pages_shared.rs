//! Stretches of a team's log compressed for one page and kept for the next pages that
//! take the same stretch whole.
//!
//! A device that keeps up pulls from wherever its last page ended to the head: the rest
//! of the sealed block its cursor is in, whole blocks from the cache, then the block
//! the head is in. The first and the last of these used to be compressed for each page
//! alone, about half a block each, and under `bench load` (one team, PostgreSQL ×2)
//! that compression took a fifth of the machine's processor time. Yet they repeat: the
//! head moves by a whole group commit at a time, so the cursors inside a block are a
//! handful of heads that some forty devices each read, and the pages that read the log
//! between two commits all end at the same head. So a stretch a page takes whole (the
//! rest of a sealed block after a cursor, or the tail after a cursor or a block's
//! start) is compressed once, kept here under the seq it starts after, and copied into
//! the next pages that start there: the rest of a sealed block is final under its
//! generation; a stretch of the tail serves a page whose head it reaches (the page may
//! then hold changes past its head, as one read from the tail may), and a longer one
//! read later replaces it.
//!
//! Like a cached block, a stretch is a zstd frame of its entries without the first
//! one's seq delta, which the page writes before it as a raw frame, since it depends on
//! the page's entry before it. The decompressed page is unchanged.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use super::{PIECE_LEVEL, compress};
use crate::error::ServerError;

/// Compressed bytes kept, all teams together; past it the oldest stretches go. The
/// stretches that repeat are those near each team's head: a few per team.
const SHARED_BYTES: usize = 16 * 1024 * 1024;

/// A stretch of the log, compressed once for the pages that take it whole.
#[derive(Debug)]
pub(super) struct Stretch {
    /// The log's erasure generation it was read under.
    pub(super) generation: u64,
    pub(super) first_seq: u64,
    pub(super) last_seq: u64,
    pub(super) count: usize,
    /// Blob bytes of its entries, as the page budget counts them.
    pub(super) data_bytes: u64,
    /// A zstd frame of its entries, without the first entry's seq delta.
    pub(super) frame: Vec<u8>,
}

impl Stretch {
    /// The stretch of `bodies`: its entries in a page's encoding without the first one's
    /// seq delta, `count` of them of `data_bytes` blob bytes, from `first_seq` to
    /// `last_seq`.
    pub(super) fn of(
        generation: u64,
        (first_seq, last_seq): (u64, u64),
        (count, data_bytes): (usize, u64),
        bodies: &[u8],
    ) -> Result<Stretch, ServerError> {
        let mut frame = compress(bodies, PIECE_LEVEL)?;
        frame.shrink_to_fit();
        Ok(Stretch {
            generation,
            first_seq,
            last_seq,
            count,
            data_bytes,
            frame,
        })
    }
}

/// Whether a page holding `count` entries of `bytes` blob bytes, within `max_bytes`
/// and `max_changes`, takes every entry of a stretch of `n` entries and `data` blob
/// bytes, with the page's rule: its first entry always, then while the budget and the
/// count allow.
pub(super) fn takes_whole(
    (count, bytes): (usize, u64),
    (max_bytes, max_changes): (u64, usize),
    (n, data): (usize, u64),
) -> bool {
    count + n <= max_changes && (bytes.saturating_add(data) <= max_bytes || (count == 0 && n == 1))
}

/// The stretches kept, by team and the seq they start after.
#[derive(Debug, Default)]
pub(super) struct Stretches {
    kept: HashMap<(String, u64), Arc<Stretch>>,
    /// Insertion order, for eviction.
    order: VecDeque<(String, u64)>,
    bytes: usize,
}

impl Stretches {
    /// The team's stretch after seq `after`, read under `generation`.
    pub(super) fn get(&self, team_id: &str, generation: u64, after: u64) -> Option<Arc<Stretch>> {
        self.kept
            .get(&(team_id.to_owned(), after))
            .filter(|stretch| stretch.generation == generation)
            .cloned()
    }

    /// Keeps `stretch` as the team's stretch after `after`, unless the one kept is of a
    /// later generation, or of the same and longer (two pages that made the same
    /// stretch at once hold the same entries: the second replaces the first).
    pub(super) fn keep(&mut self, team_id: &str, after: u64, stretch: &Arc<Stretch>) {
        let key = (team_id.to_owned(), after);
        if let Some(kept) = self.kept.get(&key)
            && (kept.generation, kept.last_seq) > (stretch.generation, stretch.last_seq)
        {
            return;
        }
        if let Some(old) = self.kept.insert(key.clone(), Arc::clone(stretch)) {
            self.bytes -= old.frame.len();
            self.order.retain(|k| k != &key);
        }
        self.bytes += stretch.frame.len();
        self.order.push_back(key);
        while self.bytes > SHARED_BYTES {
            let Some(old) = self.order.pop_front() else {
                break;
            };
            if let Some(gone) = self.kept.remove(&old) {
                self.bytes -= gone.frame.len();
            }
        }
    }

    /// Drops the team's stretches (after an erasure, as its blocks are).
    pub(super) fn forget_team(&mut self, team_id: &str) {
        let mut freed = 0;
        self.kept.retain(|(team, _), stretch| {
            let keep = team != team_id;
            if !keep {
                freed += stretch.frame.len();
            }
            keep
        });
        self.bytes -= freed;
        self.order.retain(|(team, _)| team != team_id);
    }
}
