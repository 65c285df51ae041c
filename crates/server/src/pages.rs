//! Binary pull pages assembled from cached, compressed blocks of the team log.
//!
//! Every device of a team pulls every change of the team, so the same stretch of the log
//! is read and compressed once per device. Here the log is cut into blocks of
//! [`BLOCK_SEQS`] sequence numbers (block `b` holds seqs `b·N+1 ..= (b+1)·N`); once the
//! log's head has passed a block's end, no new change can enter it, and the block's
//! entries are compressed once, kept in a [`BlockCache`], and copied into every page that
//! covers it. A page is a run of zstd frames, which a zstd reader takes as one stream
//! (RFC 8878, §3.1): the page's head, then for each stretch of the log either a cached
//! block (preceded by the few bytes of its first entry's seq delta, which depends on the
//! entry before it in the page) or a stretch compressed for this page alone: the part
//! of a sealed block after the device's cursor or before the byte budget's cut, taken
//! from the block's own frame (`pages_block.rs`), and the entries of the block the head
//! is in, which every device of the team reads a moment apart, from the team's tail
//! that the process keeps (`pages_tail.rs`). When the head passes a block's end, one
//! page builds the block, mostly from that tail, while the others that need it wait.
//! The two stretches compressed for a page, the rest of a block after its cursor and
//! the tail, repeat from page to page (the cursors are a handful of heads, and the
//! pages between two commits end at the same head): one taken whole is kept for the
//! next pages that start where it does (`pages_shared.rs`).
//!
//! Blocks compressed apart lose what one frame would share between them (a long
//! catch-up takes markedly more bytes in blocks than in one frame: `filrouge bench sync`
//! measures both, and ARCHITECTURE keeps the figures). So a device more
//! than [`CATCH_UP_SEQS`] behind the head gets its page as one frame
//! ([`compress_whole`]): the blocks serve the devices that keep up, who read the same
//! recent stretch of the log again and again, and a long catch-up, rare, costs the phone
//! few bytes. Unless the cache holds the block the catch-up starts in
//! ([`BlockCache::holds`]): then the device has only fallen behind the others (a slow
//! network, a busy server), its blocks cost the server nothing to send, and a frame
//! would cost a read and a compression of a whole page (a few hundred milliseconds
//! under load, on one of the server's turns).
//!
//! The decompressed page is byte for byte the page [`wire::encode_pull`] makes of
//! [`TeamServer::pull`](crate::TeamServer::pull)'s answer (a test holds it to that): the
//! same entries, cut at the same place by the same budget, so nothing about paging
//! changes for a device. An erasure deletes changes from sealed blocks, and moves the
//! log's erasure generation in its transaction ([`Storage::generation`]): a page reads
//! the generation before any row and uses only blocks cached under it, so a block read
//! before an erasure is never served after it, even by another server process on the
//! same PostgreSQL database. The process that erased also drops the team's blocks at
//! once ([`BlockCache::forget_team`]).

use std::cell::RefCell;
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};

use filrouge_model::sync::{API_VERSION, PulledChange};
use filrouge_model::wire::{self, PageHeader};

use crate::error::ServerError;
use crate::storage::{ChangePage, Storage};

#[path = "pages_block.rs"]
mod block;
#[path = "pages_shared.rs"]
mod shared;
#[path = "pages_tail.rs"]
mod tail;

use block::Block;
use shared::Stretch;

/// Sequence numbers per block: about 60 KB of typical records, big enough to compress
/// well on its own, small enough that the pieces of a page made for it alone (before a
/// device's cursor reaches a block boundary, after the head) stay a small part of a
/// page.
pub const BLOCK_SEQS: u64 = 256;
/// A device further than this behind the log's head gets its page as one frame.
pub const CATCH_UP_SEQS: u64 = 32 * BLOCK_SEQS;
/// zstd level of a cached block: paid once, read by every device of the team.
const BLOCK_LEVEL: i32 = 9;
/// zstd level of the pieces made for one page.
const PIECE_LEVEL: i32 = 3;
/// Compressed bytes the cache keeps, all teams together (about 1.5 million typical
/// changes); past it the oldest blocks are dropped.
const CACHE_BYTES: usize = 128 * 1024 * 1024;

/// Compressed sealed blocks of every team's log, shared by all pulls.
#[derive(Debug, Default)]
pub struct BlockCache {
    inner: Mutex<Inner>,
    /// Signalled when a block's build ends (built or failed), for the pages waiting
    /// for it ([`BlockCache::block`]).
    built: Condvar,
}

#[derive(Debug, Default)]
struct Inner {
    blocks: HashMap<(String, u64), Arc<Block>>,
    /// Insertion order, for eviction.
    order: VecDeque<(String, u64)>,
    bytes: usize,
    /// Each team's highest head a page of this process has read, with the generation
    /// it was read under ([`BlockCache::freshest_head`]).
    heads: HashMap<String, (u64, u64)>,
    /// Each team's changes of its unsealed block read so far ([`BlockCache::tail_after`]).
    tails: tail::Tails,
    /// Blocks a page is building now: another page that needs one waits for it.
    building: HashSet<(String, u64)>,
    /// Pages waiting for a block another page is building.
    waiting: usize,
    /// Stretches compressed for a page and kept for the next that take them whole.
    stretches: shared::Stretches,
}

impl BlockCache {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Drops every cached block of `team_id`. Called after an erasure commits, to free
    /// them at once; the generation would keep them from being served anyway.
    pub fn forget_team(&self, team_id: &str) {
        let mut inner = self.lock();
        let gone: Vec<(String, u64)> = inner
            .blocks
            .keys()
            .filter(|(team, _)| team == team_id)
            .cloned()
            .collect();
        for key in gone {
            if let Some(block) = inner.blocks.remove(&key) {
                inner.bytes -= block.cached_bytes();
            }
        }
        inner.order.retain(|(team, _)| team != team_id);
        inner.heads.remove(team_id);
        inner.tails.remove(team_id);
        inner.stretches.forget_team(team_id);
    }

    /// Whether the team's block `index` is cached under `generation`.
    pub(crate) fn holds(&self, team_id: &str, generation: u64, index: u64) -> bool {
        self.lock()
            .blocks
            .get(&(team_id.to_owned(), index))
            .is_some_and(|block| block.generation == generation)
    }

    /// The highest head of the team's log known under `generation`: `head`, read by
    /// the caller, or a higher one another page read earlier under the same generation.
    /// A request's head may be a little old (read with its token, before it waited for
    /// its turn), and every block it takes for unsealed is read and compressed for that
    /// page alone; a head read earlier under the same generation is still a lower bound
    /// of the log's (a head only grows, and an erasure or a seal moves the generation),
    /// so the blocks below it are sealed. The team's tail counts too: a page reads on
    /// past its own head to the block's end and into the next, so the tail runs ahead
    /// of every head read with a token, and a page given an older head took each block
    /// in between for unsealed, read it from the storage and compressed it for itself
    /// (under `bench load`, one team, about one such block per page).
    fn freshest_head(&self, team_id: &str, generation: u64, head: u64) -> u64 {
        let mut inner = self.lock();
        let head = head.max(tail::last_seq(&inner.tails, team_id, generation).unwrap_or(0));
        match inner.heads.get_mut(team_id) {
            Some((known_generation, known)) if *known_generation == generation => {
                *known = (*known).max(head);
                *known
            }
            Some((known_generation, _)) if *known_generation > generation => head,
            _ => {
                inner.heads.insert(team_id.to_owned(), (generation, head));
                head
            }
        }
    }

    /// Sealed block `index` of the team's log, read and compressed if not cached under
    /// `generation`, which the caller read from the storage before any of the log's
    /// rows: a block is kept under the generation read before its rows, so one read
    /// before an erasure (by this process or another) is never served after it.
    ///
    /// One page builds a block while the others that need it wait for it. When the
    /// log's head passes a block's end, every device of the team needs that block at
    /// its next pull, and each page in its turn used to read the block's rows and
    /// compress them at [`BLOCK_LEVEL`] for itself (`bench load`, one team: 43% of the
    /// builds were of a block another page was building). The rows mostly come from the
    /// team's tail, which the pages near the head have read already: only those past it
    /// are read.
    fn block(
        &self,
        storage: &dyn Storage,
        team_id: &str,
        index: u64,
        generation: u64,
    ) -> Result<Arc<Block>, ServerError> {
        let key = (team_id.to_owned(), index);
        let held = {
            let mut inner = self.lock();
            loop {
                if let Some(block) = inner.blocks.get(&key)
                    && block.generation == generation
                {
                    return Ok(Arc::clone(block));
                }
                if !inner.building.contains(&key) {
                    break;
                }
                inner.waiting += 1;
                inner = self
                    .built
                    .wait(inner)
                    .unwrap_or_else(PoisonError::into_inner);
                inner.waiting -= 1;
            }
            inner.building.insert(key.clone());
            tail::held(&inner.tails, team_id, generation, index)
        };
        // Given back however the build ends, so that a waiting page builds the block
        // itself if this one failed.
        let _building = Building {
            cache: self,
            key: &key,
        };
        // Read and compressed outside the lock.
        let start = index * BLOCK_SEQS;
        let end = start + BLOCK_SEQS;
        let (mut changes, through) = held.unwrap_or((Vec::new(), start));
        if through < end {
            let wanted = usize::try_from(end - through).unwrap_or(usize::MAX);
            let read = storage.changes_after(team_id, through, u64::MAX, wanted)?;
            changes.extend(read.changes.into_iter().map(Arc::new));
        }
        let changes: Vec<&PulledChange> = changes
            .iter()
            .map(Arc::as_ref)
            .filter(|c| c.seq <= end)
            .collect();
        let block = Arc::new(Block::build(&changes, generation)?);
        self.keep(key.clone(), &block);
        Ok(block)
    }

    /// Keeps `block` as the team's block `key`, unless one read under a later
    /// generation is kept already; drops the oldest blocks past [`CACHE_BYTES`].
    fn keep(&self, key: (String, u64), block: &Arc<Block>) {
        let mut inner = self.lock();
        let stale = inner
            .blocks
            .get(&key)
            .map(|cached| cached.generation < block.generation);
        if stale == Some(false) {
            return;
        }
        if let Some(old) = inner.blocks.insert(key.clone(), Arc::clone(block)) {
            inner.bytes -= old.cached_bytes();
            inner.order.retain(|k| k != &key);
        }
        inner.bytes += block.cached_bytes();
        inner.order.push_back(key);
        while inner.bytes > CACHE_BYTES {
            let Some(old) = inner.order.pop_front() else {
                break;
            };
            if let Some(gone) = inner.blocks.remove(&old) {
                inner.bytes -= gone.cached_bytes();
            }
        }
    }

    /// The team's kept stretch after seq `after`, read under `generation`
    /// (`pages_shared.rs`).
    fn stretch(&self, team_id: &str, generation: u64, after: u64) -> Option<Arc<Stretch>> {
        self.lock().stretches.get(team_id, generation, after)
    }

    /// Keeps `stretch` as the team's stretch after seq `after` (unless a longer one or
    /// one of a later generation is kept), and hands it back for the page.
    fn keep_stretch(&self, team_id: &str, after: u64, stretch: Stretch) -> Arc<Stretch> {
        let stretch = Arc::new(stretch);
        self.lock().stretches.keep(team_id, after, &stretch);
        stretch
    }

    /// The changes after `after` (in a block not sealed under `head`) as
    /// [`Storage::changes_after`] would page them within `max_bytes` and `max_changes`,
    /// from the team's tail (see `pages_tail.rs`): the storage is asked only for what
    /// lies past the tail, and the tail keeps it. `None` when this page read an older
    /// state of the log than the tail's: the storage answers it.
    #[allow(clippy::too_many_arguments)]
    fn tail_after(
        &self,
        storage: &dyn Storage,
        team_id: &str,
        generation: u64,
        head: u64,
        after: u64,
        max_bytes: u64,
        max_changes: usize,
    ) -> Result<Option<ChangePage>, ServerError> {
        let block = after / BLOCK_SEQS;
        let plan = tail::plan(&self.lock().tails, team_id, generation, block, head, after);
        let changes = match plan {
            tail::Plan::Behind => return Ok(None),
            tail::Plan::Held(changes) => changes,
            tail::Plan::Read { from, mut held } => {
                // Read outside the lock, as a block is.
                let (read, through) = tail::read(storage, team_id, block, head, from)?;
                let kept = tail::Kept {
                    generation,
                    block,
                    from,
                    through,
                };
                tail::keep(&mut self.lock().tails, team_id, &kept, &read);
                held.extend(read.into_iter().filter(|c| c.seq > after));
                held
            }
        };
        Ok(Some(tail::page(&changes, max_bytes, max_changes)))
    }
}

/// A block being built ([`BlockCache::block`]): on drop, built or not, it is no longer
/// being built, and the pages waiting for it are woken.
struct Building<'a> {
    cache: &'a BlockCache,
    key: &'a (String, u64),
}

impl Drop for Building<'_> {
    fn drop(&mut self) {
        self.cache.lock().building.remove(self.key);
        self.cache.built.notify_all();
    }
}

/// A stretch of the page.
enum Piece {
    /// Entries read for this page, uncompressed, each with its seq delta.
    Fresh(Vec<u8>),
    /// A cached block and its first entry's seq delta.
    Cached(Arc<Block>, u64),
    /// A kept stretch and its first entry's seq delta.
    Shared(Arc<Stretch>, u64),
}

/// What a page says of its log, read before any of the page's rows: the head and the
/// generation in one read ([`Storage::log_state`]; see `BlockCache::block` for why
/// before), and the log's identity as of that generation (a history seal moves both in
/// one transaction).
#[derive(Debug, Clone)]
pub struct LogAt {
    /// The log's head.
    pub head: u64,
    /// Its generation.
    pub generation: u64,
    /// Its identity.
    pub log_id: String,
}

/// The zstd-compressed binary page of the team log after `after`, within `max_bytes`
/// blob bytes and `max_changes` changes (the first change always), as
/// [`Storage::changes_after`] pages it.
pub fn page(
    storage: &dyn Storage,
    cache: &BlockCache,
    team_id: &str,
    log: LogAt,
    after: u64,
    max_bytes: u64,
    max_changes: usize,
) -> Result<Vec<u8>, ServerError> {
    let max_changes = max_changes.max(1);
    let LogAt {
        head,
        generation,
        log_id,
    } = log;
    let mut head = cache.freshest_head(team_id, generation, head);
    let mut pieces = Vec::new();
    let (mut at, mut previous, mut count, mut bytes) = (after, 0u64, 0usize, 0u64);
    let more = loop {
        if count >= max_changes {
            // Whether anything is left after the last entry.
            let next = storage.changes_after(team_id, previous, 0, 1)?;
            break !next.changes.is_empty();
        }
        let end = (at / BLOCK_SEQS + 1) * BLOCK_SEQS;
        if end > head {
            // The tail may have moved past this block since the page began (this page's
            // own reads move it): then the block is sealed.
            head = cache.freshest_head(team_id, generation, head);
        }
        if end <= head {
            let block = cache.block(storage, team_id, at / BLOCK_SEQS, generation)?;
            let whole = at % BLOCK_SEQS == 0;
            if whole && block.count == 0 {
                at = end;
                continue;
            }
            let fits = bytes.saturating_add(block.data_bytes) <= max_bytes
                && count + block.count <= max_changes;
            if whole && fits {
                pieces.push(Piece::Cached(
                    Arc::clone(&block),
                    block.first_seq.wrapping_sub(previous),
                ));
                (at, previous) = (end, block.last_seq);
                count += block.count;
                bytes += block.data_bytes;
                continue;
            }
            // The rest of the block after the device's cursor, taken whole: kept for the
            // pages whose cursor is the same.
            if !whole
                && let Some(rest) = block.rest(at)
                && shared::takes_whole(
                    (count, bytes),
                    (max_bytes, max_changes),
                    (rest.count, rest.data_bytes),
                )
            {
                let stretch = match cache.stretch(team_id, generation, at) {
                    Some(kept) if kept.last_seq == rest.seqs.1 && kept.count == rest.count => kept,
                    _ => {
                        let bodies = block.rest_bodies(&rest)?;
                        let made = Stretch::of(
                            generation,
                            rest.seqs,
                            (rest.count, rest.data_bytes),
                            &bodies,
                        )?;
                        cache.keep_stretch(team_id, at, made)
                    }
                };
                take(
                    &mut pieces,
                    stretch,
                    (&mut previous, &mut count, &mut bytes),
                );
                if count < max_changes {
                    at = end;
                }
                continue;
            }
            // The block past the device's cursor, or as far as the budget or the count
            // admits: entries from its frame.
            let limits = block::Limits {
                count,
                bytes,
                max_bytes,
                max_changes,
            };
            if let Some(part) = block.part(at, previous, limits)? {
                if part.count > 0 {
                    pieces.push(Piece::Fresh(part.entries));
                    previous = part.last_seq;
                    count += part.count;
                    bytes += part.data_bytes;
                }
                if part.budget_cut {
                    break true;
                }
                if count < max_changes {
                    // It took the rest of the block.
                    at = end;
                }
                // Otherwise the count ran out; the loop's top says if more waits.
                continue;
            }
        }
        // The block the head is in, after the same cursor or block start as a page
        // before, as far as that page's head or further.
        if end > head
            && let Some(stretch) = cache.stretch(team_id, generation, at)
            && stretch.last_seq >= head
            && stretch.last_seq < end
            && shared::takes_whole(
                (count, bytes),
                (max_bytes, max_changes),
                (stretch.count, stretch.data_bytes),
            )
        {
            take(
                &mut pieces,
                stretch,
                (&mut previous, &mut count, &mut bytes),
            );
            if count >= max_changes {
                continue;
            }
            break false;
        }
        let wanted = usize::try_from(end - at)
            .unwrap_or(usize::MAX)
            .min(max_changes - count);
        let budget = max_bytes - bytes.min(max_bytes);
        // The block the head is in: its changes come from the tail other pages read.
        let from_tail = if end > head {
            cache.tail_after(storage, team_id, generation, head, at, budget, wanted)?
        } else {
            None
        };
        let read = match &from_tail {
            Some(read) => read,
            None => &storage.changes_after(team_id, at, budget, wanted)?,
        };
        let past_end = read.changes.iter().any(|c| c.seq > end);
        let tail_read = from_tail.is_some();
        let (previous_before, bytes_before) = (previous, bytes);
        let mut entries = Vec::new();
        // Where the first entry's body starts, after its seq delta.
        let mut bodies_at = 0;
        let mut taken = 0usize;
        // The read stopped before its count: the byte budget ran out.
        let mut budget_cut = read.more && read.changes.len() < wanted && !past_end;
        for change in read.changes.iter().filter(|c| c.seq <= end) {
            let size = change.blob.data.len() as u64;
            // The storage admits a read's first change whatever its size; the page
            // admits only its own first one so.
            if count > 0 && bytes.saturating_add(size) > max_bytes {
                budget_cut = true;
                break;
            }
            wire::put_seq_delta(&mut entries, previous, change.seq);
            if taken == 0 {
                bodies_at = entries.len();
            }
            wire::put_entry_body(&mut entries, change);
            previous = change.seq;
            count += 1;
            bytes += size;
            taken += 1;
        }
        // The tail after this cursor or block start, whole: kept for the next pages.
        let whole_tail = tail_read && !budget_cut && taken == read.changes.len() && previous < end;
        if taken > 0 && whole_tail {
            let seqs = (read.changes[0].seq, previous);
            let made = Stretch::of(
                generation,
                seqs,
                (taken, bytes - bytes_before),
                &entries[bodies_at..],
            )?;
            let stretch = cache.keep_stretch(team_id, at, made);
            pieces.push(Piece::Shared(stretch, seqs.0.wrapping_sub(previous_before)));
        } else if !entries.is_empty() {
            pieces.push(Piece::Fresh(entries));
        }
        let through_end = past_end || taken as u64 == end - at;
        if budget_cut {
            break true;
        }
        if through_end {
            at = end;
            continue;
        }
        if count >= max_changes {
            // The count ran out inside this block; the loop's top says if more waits.
            continue;
        }
        break false;
    };
    let cursor = if count > 0 { previous } else { after };
    let mut header = Vec::with_capacity(wire::PAGE_HEADER_MAX_BYTES);
    wire::put_page_header(
        &mut header,
        &PageHeader {
            api_version: API_VERSION,
            log_id,
            cursor,
            // Entries may have arrived since the head was read; never the cursor asked
            // for, which a device compares the head with (see `TeamServer::pull`).
            head: head.max(if count > 0 { previous } else { 0 }),
            more,
            count,
        },
    );
    let mut out = Vec::new();
    raw_frame(&mut out, &header)?;
    for piece in pieces {
        match piece {
            Piece::Fresh(entries) => out.extend_from_slice(&compress(&entries, PIECE_LEVEL)?),
            Piece::Cached(block, delta) => delta_then(&mut out, delta, &block.frame)?,
            Piece::Shared(stretch, delta) => delta_then(&mut out, delta, &stretch.frame)?,
        }
    }
    Ok(out)
}

/// Adds a kept stretch to the page's pieces, and its entries to the page's last seq,
/// count and blob bytes.
fn take(
    pieces: &mut Vec<Piece>,
    stretch: Arc<Stretch>,
    (previous, count, bytes): (&mut u64, &mut usize, &mut u64),
) {
    let delta = stretch.first_seq.wrapping_sub(*previous);
    *previous = stretch.last_seq;
    *count += stretch.count;
    *bytes += stretch.data_bytes;
    pieces.push(Piece::Shared(stretch, delta));
}

/// Appends a first entry's seq `delta` as a raw frame, then `frame`, which holds the
/// entries without that delta.
fn delta_then(out: &mut Vec<u8>, delta: u64, frame: &[u8]) -> Result<(), ServerError> {
    let mut bytes = Vec::with_capacity(10);
    wire::put_seq_delta(&mut bytes, 0, delta);
    raw_frame(out, &bytes)?;
    out.extend_from_slice(frame);
    Ok(())
}

/// A whole page compressed as one frame (a long catch-up), at a level by size and
/// load. zstd 6 on a large page, not 9: 9 saves a few percent of the bytes for about
/// twice the server's time, which a fresh device waits for on each page (`filrouge
/// bench sync` measures it). When another large page is being compressed, the fast
/// level keeps everyone's latency down.
pub fn compress_whole(bytes: &[u8]) -> Result<Vec<u8>, ServerError> {
    // The slot is held until the page is compressed.
    let high = (bytes.len() >= LARGE_PAGE_BYTES)
        .then(HighLevelSlot::take)
        .flatten();
    let level = if high.is_some() {
        LARGE_PAGE_LEVEL
    } else {
        PIECE_LEVEL
    };
    compress(bytes, level)
}

const LARGE_PAGE_BYTES: usize = 256 * 1024;
const LARGE_PAGE_LEVEL: i32 = 6;
/// Compressions at the high level allowed at once.
const HIGH_LEVEL_AT_ONCE: usize = 1;
/// Pages being compressed at the high level right now.
static HIGH_LEVEL_BUSY: AtomicUsize = AtomicUsize::new(0);

/// One of the [`HIGH_LEVEL_AT_ONCE`] slots, given back on drop.
struct HighLevelSlot;

impl HighLevelSlot {
    fn take() -> Option<HighLevelSlot> {
        HIGH_LEVEL_BUSY
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |busy| {
                (busy < HIGH_LEVEL_AT_ONCE).then_some(busy + 1)
            })
            .ok()
            .map(|_| HighLevelSlot)
    }
}

impl Drop for HighLevelSlot {
    fn drop(&mut self) {
        HIGH_LEVEL_BUSY.fetch_sub(1, Ordering::SeqCst);
    }
}

thread_local! {
    /// Each thread's zstd context for blocks and the pieces of a page, kept between
    /// pages: making one per call allocated and zeroed its tables every time (a
    /// profile of `bench load` showed both).
    static COMPRESSOR: RefCell<Option<zstd::bulk::Compressor<'static>>> =
        const { RefCell::new(None) };
}

fn compress(bytes: &[u8], level: i32) -> Result<Vec<u8>, ServerError> {
    // A large page (a catch-up) gets a context of its own, so that no thread keeps
    // tables sized for it.
    if bytes.len() >= LARGE_PAGE_BYTES {
        return zstd::bulk::compress(bytes, level)
            .map_err(|source| ServerError::Compression { source });
    }
    COMPRESSOR
        .with(|slot| {
            let mut slot = slot.borrow_mut();
            let compressor = match slot.as_mut() {
                Some(compressor) => compressor,
                None => slot.insert(zstd::bulk::Compressor::new(level)?),
            };
            compressor.set_compression_level(level)?;
            compressor.compress(bytes)
        })
        .map_err(|source| ServerError::Compression { source })
}

/// Appends `content` as a zstd frame of one raw block (RFC 8878, §3.1.1): nine bytes of
/// framing and no compression context to set up, for the few bytes of a page head or a
/// seq delta. Anything longer than 255 bytes (never, in a page) is compressed instead.
fn raw_frame(out: &mut Vec<u8>, content: &[u8]) -> Result<(), ServerError> {
    const MAGIC: [u8; 4] = 0xFD2F_B528u32.to_le_bytes();
    // Single segment, a one-byte content size, no checksum, no dictionary.
    const DESCRIPTOR: u8 = 0b0010_0000;
    let Ok(size) = u8::try_from(content.len()) else {
        out.extend_from_slice(&compress(content, PIECE_LEVEL)?);
        return Ok(());
    };
    out.extend_from_slice(&MAGIC);
    out.push(DESCRIPTOR);
    out.push(size);
    // Block header: last block, raw, the size (little-endian, 21 bits after 3 flag bits).
    let block = (u32::from(size) << 3) | 1;
    out.extend_from_slice(&block.to_le_bytes()[..3]);
    out.extend_from_slice(content);
    Ok(())
}

#[cfg(test)]
#[path = "pages_tests.rs"]
mod tests;
