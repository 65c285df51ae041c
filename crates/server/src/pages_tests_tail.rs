//! The team's tail against pages given older heads and cursors past the log: blocks
//! the tail proved sealed are served as sealed, and no cursor moves the tail on its
//! word alone.

use filrouge_model::wire;

use super::super::{BLOCK_SEQS, BlockCache, LogAt, page};
use super::{change, copy_without, frames, page_with, push, scratch, unzstd};
use crate::storage::Storage as _;

#[test]
fn a_page_given_a_head_older_than_the_tail_takes_the_blocks_it_passed_as_sealed() {
    let s = scratch();
    let count = 3 * BLOCK_SEQS + 10;
    push(&s, (0..count as usize).map(|i| change(i, 40, 30)).collect());
    let storage = crate::SqliteStorage::open(&s._dir.path().join("team.sqlite3")).expect("open");
    let team = &s.phone.device.team_id;
    let (head, generation) = storage.log_state(team).expect("log state");
    assert_eq!(head, count);
    let log_id = s.server.log_id(team).expect("log id");
    let at = |cache: &BlockCache, head: u64| {
        let log = LogAt {
            head,
            generation,
            log_id: log_id.clone(),
        };
        page(&storage, cache, team, log, 0, u64::MAX, 10_000).expect("page")
    };
    // Two devices whose tokens read the head before the first block sealed. The first
    // page reads on through the tail, block after block, to the log's end: the tail
    // now holds the last block's changes, past every head a token read.
    let stale = BLOCK_SEQS - 1;
    let cache = BlockCache::default();
    let first = at(&cache, stale);
    // The second takes the three blocks the tail passed as sealed (a delta frame and
    // the block's own for each; before, each was read from the storage and compressed
    // for this page: one frame each), then the tail's stretch the first page kept.
    let second = at(&cache, stale);
    assert_eq!(
        frames(&second),
        1 + 3 * 2 + 2,
        "sealed blocks, then the kept tail"
    );
    let entries = |bytes: &[u8]| wire::decode_pull(&unzstd(bytes)).expect("page").entries;
    assert_eq!(
        entries(&second),
        entries(&first),
        "the same entries either way"
    );
    assert_eq!(second, at(&cache, head), "the page a fresh head gets");
}

#[test]
fn a_cursor_past_the_log_leaves_the_tail_alone() {
    let s = scratch();
    let count = BLOCK_SEQS + 30;
    push(&s, (0..count as usize).map(|i| change(i, 50, 20)).collect());
    let storage = crate::SqliteStorage::open(&s._dir.path().join("team.sqlite3")).expect("open");
    let cache = BlockCache::default();
    assert_eq!(page_with(&s, &storage, &cache, count - 5).entries.len(), 5);
    // A device's cursor far past the log (a bug, or a device that wants to hurt): an
    // empty page, and the tail is where it was.
    let past = page_with(&s, &storage, &cache, 10 * BLOCK_SEQS);
    assert!(past.entries.is_empty());
    // The next page is still answered from the tail: the storage below lost the last
    // change, which the page holds.
    let (_copy, other) = copy_without(&s, count);
    let team = &s.phone.device.team_id;
    let log = LogAt {
        head: count,
        generation: storage.log_state(team).expect("state").1,
        log_id: s.server.log_id(team).expect("log id"),
    };
    let bytes = page(&other, &cache, team, log, count - 20, u64::MAX, 10_000).expect("page");
    let from_memory = wire::decode_pull(&unzstd(&bytes)).expect("page");
    assert_eq!(
        from_memory.entries.len(),
        20,
        "the tail answered, not the storage"
    );
    assert_eq!(from_memory.entries.last().map(|e| e.seq), Some(count));
}
