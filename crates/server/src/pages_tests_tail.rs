//! The team's tail against a cursor past the log: no cursor moves the tail on its word
//! alone.

use filrouge_model::wire;

use super::super::{BLOCK_SEQS, BlockCache, LogAt, page};
use super::{change, copy_without, page_with, push, scratch, unzstd};
use crate::storage::Storage as _;

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
