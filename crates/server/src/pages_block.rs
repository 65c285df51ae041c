//! One sealed block of a team's log as the cache keeps it: its entries compressed in one
//! zstd frame, and where each entry ends, so that a page that takes only part of the
//! block takes it from the frame instead of the storage.
//!
//! A page takes part of a block when the device's cursor is inside it (at almost every
//! pull: a cursor is wherever the last page ended) or when the byte budget ends inside
//! it (at almost every page of a device far behind). Both parts used to be read from
//! the storage for each page: under `bench load` with one team on PostgreSQL, the page
//! statement was the database's largest cost, the blobs of up to a block copied out of
//! it each time. Here [`Block::part`] decompresses the frame (with the thread's context)
//! and cuts it after the cursor and after the last entry the page admits, with the
//! page's rule (the page's first entry always, then while the budget and the count
//! allow), so the page is the same as from the storage. The rest of the block after a
//! cursor, when a page takes it whole, comes from [`Block::rest`] and
//! [`Block::rest_bodies`], compressed once for the pages that share the cursor
//! (`pages_shared.rs`).

use std::cell::RefCell;
use std::ops::Range;

use filrouge_model::sync::PulledChange;
use filrouge_model::wire;

use super::{BLOCK_LEVEL, compress};
use crate::error::ServerError;

/// One sealed block of a team's log, compressed.
#[derive(Debug)]
pub(super) struct Block {
    /// Entries (0 if every change in it was erased).
    pub(super) count: usize,
    /// Blob bytes of its entries, as the page budget counts them.
    pub(super) data_bytes: u64,
    pub(super) first_seq: u64,
    pub(super) last_seq: u64,
    /// The log's erasure generation when it was read (`Storage::generation`).
    pub(super) generation: u64,
    /// A zstd frame of its entries, without the first entry's seq delta.
    pub(super) frame: Vec<u8>,
    /// Per entry, in order: where it ends in the decompressed frame, its blob's bytes
    /// and its seq. Empty if the entries do not fit these numbers (never, with the
    /// API's body limit): pages then read a cut block from the storage.
    marks: Vec<Mark>,
}

/// Where an entry of a block ends, what it weighs, and its seq, in 12 bytes (a block
/// keeps 256 of them beside a frame of some 20 KB).
#[derive(Debug, Clone, Copy)]
struct Mark {
    end: u32,
    size: u32,
    /// The seq, from the block's first entry's.
    after_first: u8,
}

/// What a page holds so far, and its limits.
#[derive(Debug, Clone, Copy)]
pub(super) struct Limits {
    /// Entries in the page so far.
    pub(super) count: usize,
    /// Their blob bytes.
    pub(super) bytes: u64,
    pub(super) max_bytes: u64,
    pub(super) max_changes: usize,
}

/// The entries of a block that a page takes.
pub(super) struct Part {
    /// The entries, uncompressed, the first with its seq delta from the page's entry
    /// before it.
    pub(super) entries: Vec<u8>,
    pub(super) count: usize,
    pub(super) data_bytes: u64,
    pub(super) last_seq: u64,
    /// The byte budget stopped it: the page ends here with more to come.
    pub(super) budget_cut: bool,
}

thread_local! {
    /// Each thread's zstd decompression context, kept between pages.
    static DECOMPRESSOR: RefCell<Option<zstd::bulk::Decompressor<'static>>> =
        const { RefCell::new(None) };
}

impl Block {
    /// The block of `changes` (its entries, in order, at most
    /// [`BLOCK_SEQS`](super::BLOCK_SEQS)) as read under `generation`.
    pub(super) fn build(changes: &[&PulledChange], generation: u64) -> Result<Block, ServerError> {
        let first_seq = changes.first().map_or(0, |c| c.seq);
        let mut entries = Vec::new();
        let mut marks = Vec::with_capacity(changes.len());
        for (i, change) in changes.iter().enumerate() {
            if i > 0 {
                wire::put_seq_delta(&mut entries, changes[i - 1].seq, change.seq);
            }
            wire::put_entry_body(&mut entries, change);
            let mark = (
                u32::try_from(entries.len()),
                u32::try_from(change.blob.data.len()),
                u8::try_from(change.seq.wrapping_sub(first_seq)),
            );
            if let (Ok(end), Ok(size), Ok(after_first)) = mark {
                marks.push(Mark {
                    end,
                    size,
                    after_first,
                });
            }
        }
        if marks.len() != changes.len() {
            marks = Vec::new();
        }
        // The buffer was sized for the entries; the cache counts the frame's bytes.
        let mut frame = compress(&entries, BLOCK_LEVEL)?;
        frame.shrink_to_fit();
        Ok(Block {
            count: changes.len(),
            data_bytes: changes.iter().map(|c| c.blob.data.len() as u64).sum(),
            first_seq,
            last_seq: changes.last().map_or(0, |c| c.seq),
            generation,
            frame,
            marks,
        })
    }

    /// The bytes the cache counts for this block.
    pub(super) fn cached_bytes(&self) -> usize {
        self.frame.len() + self.marks.len() * std::mem::size_of::<Mark>()
    }

    /// The block's entries after seq `after` that a page admits under `limits`, its
    /// last entry at `previous`: its first entry always, then while the budget and the
    /// count allow. `None` when the block has no marks (the storage is read instead).
    pub(super) fn part(
        &self,
        after: u64,
        previous: u64,
        limits: Limits,
    ) -> Result<Option<Part>, ServerError> {
        if self.marks.is_empty() {
            return Ok(None);
        }
        let Limits {
            count,
            bytes,
            max_bytes,
            max_changes,
        } = limits;
        let seq = |mark: &Mark| self.first_seq + u64::from(mark.after_first);
        let first = self.marks.partition_point(|mark| seq(mark) <= after);
        let (mut taken, mut taken_bytes, mut budget_cut) = (0usize, 0u64, false);
        for mark in &self.marks[first..] {
            if count + taken >= max_changes {
                break;
            }
            let size = u64::from(mark.size);
            if count + taken > 0 && (bytes + taken_bytes).saturating_add(size) > max_bytes {
                budget_cut = true;
                break;
            }
            taken += 1;
            taken_bytes += size;
        }
        let mut entries = Vec::new();
        let mut last_seq = previous;
        if taken > 0 {
            let (raw, bodies) = self.cut(first, taken)?;
            wire::put_seq_delta(&mut entries, previous, seq(&self.marks[first]));
            entries.extend_from_slice(&raw[bodies]);
            last_seq = seq(&self.marks[first + taken - 1]);
        }
        Ok(Some(Part {
            entries,
            count: taken,
            data_bytes: taken_bytes,
            last_seq,
            budget_cut,
        }))
    }

    /// The block's entries after seq `after`, to its end: `None` when none is left, or
    /// when the block has no marks.
    pub(super) fn rest(&self, after: u64) -> Option<Rest> {
        let seq = |mark: &Mark| self.first_seq + u64::from(mark.after_first);
        let first = self.marks.partition_point(|mark| seq(mark) <= after);
        let rest = self.marks.get(first..).filter(|rest| !rest.is_empty())?;
        Some(Rest {
            first,
            count: rest.len(),
            data_bytes: rest.iter().map(|mark| u64::from(mark.size)).sum(),
            seqs: (seq(&rest[0]), seq(&rest[rest.len() - 1])),
        })
    }

    /// The entries of `rest`, without the first one's seq delta.
    pub(super) fn rest_bodies(&self, rest: &Rest) -> Result<Vec<u8>, ServerError> {
        let (mut raw, bodies) = self.cut(rest.first, rest.count)?;
        raw.truncate(bodies.end);
        raw.drain(..bodies.start);
        Ok(raw)
    }

    /// The decompressed frame, and where in it the `taken` entries from mark `first`
    /// lie, without the first one's seq delta (from the block's entry before it).
    fn cut(&self, first: usize, taken: usize) -> Result<(Vec<u8>, Range<usize>), ServerError> {
        let corrupt = || ServerError::Corrupt {
            what: "a cached block's entries",
        };
        let last = self
            .marks
            .get(first + taken.max(1) - 1)
            .ok_or_else(corrupt)?;
        let raw = DECOMPRESSOR
            .with(|slot| {
                let mut slot = slot.borrow_mut();
                let decompressor = match slot.as_mut() {
                    Some(decompressor) => decompressor,
                    None => slot.insert(zstd::bulk::Decompressor::new()?),
                };
                let size = self.marks.last().map_or(0, |mark| mark.end as usize);
                decompressor.decompress(&self.frame, size)
            })
            .map_err(|source| ServerError::Compression { source })?;
        let start = match first.checked_sub(1).map(|i| self.marks[i].end as usize) {
            None => 0,
            Some(delta) => {
                let (_, len) = raw
                    .get(delta..)
                    .and_then(wire::read_uint)
                    .ok_or_else(corrupt)?;
                delta + len
            }
        };
        let end = last.end as usize;
        if start > end || end > raw.len() {
            return Err(corrupt());
        }
        Ok((raw, start..end))
    }
}

/// The entries of a sealed block after a cursor, to the block's end ([`Block::rest`]).
pub(super) struct Rest {
    first: usize,
    pub(super) count: usize,
    pub(super) data_bytes: u64,
    /// The first and last entries' seqs.
    pub(super) seqs: (u64, u64),
}
