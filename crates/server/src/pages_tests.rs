//! The page built from cached blocks is the plain page, byte for byte, whatever the log,
//! the cursor and the budget; an erasure is never served from the cache.

use std::io::Read as _;
use std::sync::Arc;

use filrouge_model::sync::{
    API_VERSION, ChangeBlob, EnrolRequest, EraseRequest, PullQuery, PushRequest,
};
use filrouge_model::wire;
use proptest::prelude::*;

use super::BLOCK_SEQS;
use crate::TeamServer;
use crate::secret::sha256_hex;
use crate::storage::{Caller, Device, Role, Storage as _};

/// A server on a scratch file, with an intervenant's and a coordinator's device.
struct Scratch {
    _dir: tempfile::TempDir,
    server: TeamServer,
    phone: Caller,
    coordinator: Device,
}

fn scratch() -> Scratch {
    let dir = tempfile::tempdir().expect("scratch dir");
    let server = TeamServer::open_sqlite(&dir.path().join("team.sqlite3")).expect("server");
    let team = server.ensure_team("Pages").expect("team");
    let device = |role, name: &str| {
        let code = server.create_enrolment_code(&team.id, role).expect("code");
        let enrolled = server
            .enrol(&EnrolRequest {
                api_version: API_VERSION,
                code,
                device_name: name.into(),
            })
            .expect("enrol");
        server.caller(&enrolled.token).expect("device")
    };
    let phone = device(Role::Intervenant, "téléphone");
    let coordinator = device(Role::Coordinateur, "portable");
    Scratch {
        _dir: dir,
        server,
        phone,
        coordinator: coordinator.device,
    }
}

/// Change `i`, of `size` bytes, in one of `docs` records.
fn change(i: usize, size: usize, docs: usize) -> ChangeBlob {
    let data: Vec<u8> = format!("change {i} ").bytes().cycle().take(size).collect();
    ChangeBlob {
        doc_id: format!("0190f3a2-7c1e-7d4b-9a1e-{:012x}", i % docs.max(1)),
        kind: if i.is_multiple_of(5) {
            "personne"
        } else {
            "rencontre"
        }
        .into(),
        hash: sha256_hex(&data),
        data,
    }
}

fn push(s: &Scratch, changes: Vec<ChangeBlob>) {
    for page in changes.chunks(500) {
        s.server
            .push(
                &s.phone,
                &PushRequest {
                    api_version: API_VERSION,
                    changes: page.to_vec(),
                },
            )
            .expect("push");
    }
}

/// Erases the record `doc_id` through the server, as a coordinator.
fn erase(s: &Scratch, doc_id: &str) {
    s.server
        .erase(
            &s.coordinator,
            &EraseRequest {
                api_version: API_VERSION,
                doc_id: doc_id.to_owned(),
                replacements: Vec::new(),
            },
        )
        .expect("erase");
}

fn unzstd(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    zstd::stream::read::Decoder::new(bytes)
        .expect("decoder")
        .read_to_end(&mut out)
        .expect("a run of zstd frames");
    out
}

/// The two pages for one query: from the cached blocks, and plain.
fn both(s: &Scratch, after: u64, max_bytes: Option<u64>) -> (Vec<u8>, Vec<u8>) {
    let query = PullQuery {
        api_version: API_VERSION,
        after,
        max_bytes,
    };
    let blocks = s.server.pull_page(&s.phone.device, &query).expect("page");
    let plain = wire::encode_pull(&s.server.pull(&s.phone.device, &query).expect("pull"));
    (unzstd(&blocks), plain)
}

/// Pulls the whole log from 0 with a budget, checking each page against the plain one.
fn walk(s: &Scratch, max_bytes: Option<u64>) -> usize {
    let (mut after, mut pages) = (0, 0);
    loop {
        let (blocks, plain) = both(s, after, max_bytes);
        assert_eq!(blocks, plain, "page after {after}, budget {max_bytes:?}");
        let page = wire::decode_pull(&blocks).expect("a page");
        pages += 1;
        after = page.cursor;
        if !page.more {
            return pages;
        }
    }
}

#[test]
fn a_page_from_blocks_is_the_plain_page() {
    let s = scratch();
    let count = 3 * BLOCK_SEQS as usize + 40;
    push(&s, (0..count).map(|i| change(i, 20 + i % 90, 50)).collect());
    // Every cursor around the block boundaries, before and after they are cached.
    for _ in 0..2 {
        for after in [
            0, 1, 255, 256, 257, 511, 512, 700, 767, 768, 769, 800, 808, 900,
        ] {
            for budget in [None, Some(1), Some(3_000), Some(40_000)] {
                let (blocks, plain) = both(&s, after, budget);
                assert_eq!(blocks, plain, "after {after}, budget {budget:?}");
            }
        }
    }
    assert_eq!(walk(&s, None), 1);
    assert!(walk(&s, Some(5_000)) > 10);
}

/// The phone's team log as `storage` reads it now.
fn log_at(s: &Scratch, storage: &crate::SqliteStorage) -> super::LogAt {
    let team = &s.phone.device.team_id;
    let (head, generation) = storage.log_state(team).expect("log state");
    super::LogAt {
        head,
        generation,
        log_id: s.server.log_id(team).expect("log id"),
    }
}

/// The two pages straight from the storage, with a count limit of `max_changes`.
fn both_limited(
    s: &Scratch,
    cache: &super::BlockCache,
    after: u64,
    max_bytes: u64,
    max_changes: usize,
) -> (Vec<u8>, Vec<u8>) {
    let storage = crate::SqliteStorage::open(&s._dir.path().join("team.sqlite3")).expect("open");
    let team = &s.phone.device.team_id;
    let log = log_at(s, &storage);
    let log_id = log.log_id.clone();
    let blocks =
        super::page(&storage, cache, team, log, after, max_bytes, max_changes).expect("page");
    let page = storage
        .changes_after(team, after, max_bytes, max_changes)
        .expect("changes");
    let cursor = page.changes.last().map_or(after, |c| c.seq);
    let plain = wire::encode_pull(&filrouge_model::sync::PullResponse {
        api_version: API_VERSION,
        log_id,
        changes: page.changes,
        cursor,
        more: page.more,
        head: page.head,
    });
    (unzstd(&blocks), plain)
}

#[test]
fn a_long_catch_up_is_one_frame_of_the_plain_page() {
    let s = scratch();
    let count = super::CATCH_UP_SEQS as usize + 300;
    push(&s, (0..count).map(|i| change(i, 16, 100)).collect());
    let (blocks, plain) = both(&s, 0, None);
    assert_eq!(blocks, plain);
    let query = PullQuery {
        api_version: API_VERSION,
        after: 0,
        max_bytes: None,
    };
    let wire = s.server.pull_page(&s.phone.device, &query).expect("page");
    assert_eq!(frames(&wire), 1, "a catch-up is one frame");
    let near = PullQuery {
        after: count as u64 - 600,
        ..query
    };
    let wire = s.server.pull_page(&s.phone.device, &near).expect("page");
    assert!(frames(&wire) > 2, "a device near the head reads blocks");
}

#[test]
fn a_long_catch_up_over_cached_blocks_takes_them_and_elsewhere_one_frame() {
    let s = scratch();
    push(&s, (0..2_000).map(|i| change(i, 16, 100)).collect());
    // Pages near the head seal and cache the blocks so far, as devices keeping up do.
    walk(&s, None);
    let count = 2_000 + super::CATCH_UP_SEQS as usize + 300;
    push(&s, (2_000..count).map(|i| change(i, 16, 100)).collect());
    let page = |after| {
        let query = PullQuery {
            api_version: API_VERSION,
            after,
            max_bytes: None,
        };
        s.server.pull_page(&s.phone.device, &query).expect("page")
    };
    // A block no page has cached: one frame.
    let further = page(8 * BLOCK_SEQS);
    assert_eq!(frames(&further), 1, "a catch-up the cache does not hold");
    assert_eq!(unzstd(&further), both(&s, 8 * BLOCK_SEQS, None).1);
    // A device fallen behind the others: the blocks they cached.
    let behind = page(0);
    assert!(frames(&behind) > 2, "a catch-up over cached blocks");
    assert_eq!(unzstd(&behind), both(&s, 0, None).1);
}

/// How many zstd frames a body holds.
fn frames(mut body: &[u8]) -> usize {
    let mut n = 0;
    while !body.is_empty() {
        let size = zstd::zstd_safe::find_frame_compressed_size(body).expect("a frame");
        body = &body[size..];
        n += 1;
    }
    n
}

#[test]
fn the_count_limit_cuts_pages_alike() {
    let s = scratch();
    let count = 3 * BLOCK_SEQS as usize + 7;
    push(&s, (0..count).map(|i| change(i, 30, 20)).collect());
    let cache = super::BlockCache::default();
    for max_changes in [1, 2, 100, 255, 256, 257, 300, 512, 600, 10_000] {
        for after in [0, 1, 255, 256, 300, 512, 700, 770] {
            let (blocks, plain) = both_limited(&s, &cache, after, u64::MAX, max_changes);
            assert_eq!(blocks, plain, "after {after}, max {max_changes}");
        }
    }
}

#[test]
fn a_stale_head_uses_the_blocks_a_fresher_page_or_the_tail_saw_sealed() {
    let s = scratch();
    let count = 3 * BLOCK_SEQS as usize + 10;
    push(&s, (0..count).map(|i| change(i, 40, 30)).collect());
    let storage = crate::SqliteStorage::open(&s._dir.path().join("team.sqlite3")).expect("open");
    let team = &s.phone.device.team_id;
    let (head, generation) = storage.log_state(team).expect("log state");
    let log_id = s.server.log_id(team).expect("log id");
    let page = |cache: &super::BlockCache, head: u64| {
        let log = super::LogAt {
            head,
            generation,
            log_id: log_id.clone(),
        };
        super::page(&storage, cache, team, log, 0, u64::MAX, 10_000).expect("page")
    };
    // A head read before the first block sealed: alone, it takes every block for
    // unsealed and reads each for its page: the head's frame, the first block from the
    // tail (kept for the next pages: its seq delta's frame, then its own), then a frame
    // for each of the others.
    let stale = BLOCK_SEQS - 1;
    let lone = super::BlockCache::default();
    let alone = page(&lone, stale);
    assert_eq!(frames(&alone), 1 + 2 + 3);
    // After a page that read the true head, the same stale head serves the blocks: the
    // head's frame, then a delta frame and a block for each of the three, and the same
    // for the tail after them, kept by the first page.
    let cache = super::BlockCache::default();
    let fresh = page(&cache, head);
    let late = page(&cache, stale);
    assert_eq!(
        frames(&late),
        1 + 3 * 2 + 2,
        "the sealed blocks, then the rest"
    );
    assert_eq!(late, fresh);
    // That first page read on past its head, so its tail proves the three blocks
    // sealed: a second page given the same stale head takes them as such (before, each
    // was read from the storage and compressed for that page: one frame each).
    assert_eq!(page(&lone, stale), fresh, "the blocks the tail passed");
    let entries = |bytes: &[u8]| wire::decode_pull(&unzstd(bytes)).expect("page").entries;
    assert_eq!(
        entries(&late),
        entries(&alone),
        "the same entries either way"
    );
}

#[test]
fn an_erased_record_is_not_served_from_a_cached_block() {
    let s = scratch();
    let count = 2 * BLOCK_SEQS as usize + 10;
    let changes: Vec<ChangeBlob> = (0..count).map(|i| change(i, 64, 40)).collect();
    let victim = changes[3].doc_id.clone();
    let marker = changes[3].data.clone();
    push(&s, changes);
    // Both sealed blocks are cached by this walk.
    walk(&s, None);
    let before = both(&s, 0, None).0;
    assert!(contains(&before, &marker), "the record is there before");

    erase(&s, &victim);
    let (blocks, plain) = both(&s, 0, None);
    assert_eq!(blocks, plain);
    assert!(!contains(&blocks, &marker), "an erased change was served");
    let page = wire::decode_pull(&blocks).expect("page");
    let tombstone = page.entries.last().expect("entries");
    assert_eq!(tombstone.doc_id, victim);
    assert_eq!(tombstone.kind, filrouge_model::sync::ERASURE_KIND);
    walk(&s, Some(2_000));
}

#[test]
fn the_page_head_is_a_raw_frame_any_zstd_reader_takes() {
    let mut out = Vec::new();
    super::raw_frame(&mut out, b"FRPG head").expect("frame");
    super::raw_frame(&mut out, b"").expect("empty frame");
    assert_eq!(out.len(), 9 + 9 + 9);
    assert_eq!(
        zstd::stream::decode_all(&out[..]).expect("decode"),
        b"FRPG head"
    );
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Logs with erasures, any cursor and budget: the two pages agree.
    #[test]
    fn pages_agree_on_any_log(
        sizes in prop::collection::vec(0usize..300, 1..700),
        erased in prop::collection::vec(0usize..30, 0..4),
        queries in prop::collection::vec((0u64..800, prop::option::of(0u64..20_000)), 1..12),
    ) {
        let s = scratch();
        let changes: Vec<ChangeBlob> =
            sizes.iter().enumerate().map(|(i, size)| change(i, *size, 30)).collect();
        let (first, rest) = changes.split_at(changes.len() / 2);
        push(&s, first.to_vec());
        // Cache what is sealed so far, so the erasures must drop blocks.
        walk(&s, None);
        for doc in &erased {
            erase(&s, &change(*doc, 0, 30).doc_id);
        }
        push(&s, rest.iter().filter(|c| {
            !erased.iter().any(|d| change(*d, 0, 30).doc_id == c.doc_id)
        }).cloned().collect());
        for (after, budget) in queries {
            let (blocks, plain) = both(&s, after, budget);
            prop_assert_eq!(blocks, plain, "after {}, budget {:?}", after, budget);
        }
        walk(&s, Some(4_000));
    }
}

/// A page of `storage`'s log for `team` after `after`, through `cache`, under the log's
/// state as `storage` reads it now.
fn page_with(
    s: &Scratch,
    storage: &crate::SqliteStorage,
    cache: &super::BlockCache,
    after: u64,
) -> wire::PullPage {
    let team = &s.phone.device.team_id;
    let log = log_at(s, storage);
    let bytes = super::page(storage, cache, team, log, after, u64::MAX, 10_000).expect("page");
    wire::decode_pull(&unzstd(&bytes)).expect("page")
}

/// A copy of the scratch log without its change `seq` (in a directory kept alive with
/// it): a page read from it that holds `seq` came from memory.
fn copy_without(s: &Scratch, seq: u64) -> (tempfile::TempDir, crate::SqliteStorage) {
    let copy = tempfile::tempdir().expect("dir");
    let path = copy.path().join("copy.sqlite3");
    let conn = rusqlite::Connection::open(s._dir.path().join("team.sqlite3")).expect("open");
    conn.execute("VACUUM INTO ?1", [path.to_str().expect("utf-8 path")])
        .expect("copy");
    drop(conn);
    let conn = rusqlite::Connection::open(&path).expect("open copy");
    conn.execute("DELETE FROM changes WHERE seq = ?1", [seq as i64])
        .expect("delete");
    drop(conn);
    let storage = crate::SqliteStorage::open(&path).expect("open copy");
    (copy, storage)
}

#[test]
fn a_cached_block_cut_by_the_cursor_or_the_budget_is_read_from_its_frame() {
    let s = scratch();
    let count = 2 * BLOCK_SEQS as usize + 10;
    push(&s, (0..count).map(|i| change(i, 50, 20)).collect());
    let storage = crate::SqliteStorage::open(&s._dir.path().join("team.sqlite3")).expect("open");
    let cache = super::BlockCache::default();
    // Caches both sealed blocks.
    assert_eq!(page_with(&s, &storage, &cache, 0).entries.len(), count);

    let lost = BLOCK_SEQS + 40;
    let (_copy, other) = copy_without(&s, lost);
    let team = &s.phone.device.team_id;
    // 100 entries of 50 bytes: the budget ends inside the second block.
    let bytes = super::page(
        &other,
        &cache,
        team,
        log_at(&s, &storage),
        BLOCK_SEQS,
        100 * 50,
        10_000,
    )
    .expect("page");
    let page = wire::decode_pull(&unzstd(&bytes)).expect("page");
    let seqs: Vec<u64> = page.entries.iter().map(|e| e.seq).collect();
    let expected: Vec<u64> = (BLOCK_SEQS + 1..=BLOCK_SEQS + 100).collect();
    assert_eq!(seqs, expected, "the block answered, not the storage");
    assert!(page.more);
    assert_eq!(page.cursor, BLOCK_SEQS + 100);
    // A cursor inside the block: the rest of it comes from the frame too.
    let rest = page_with(&s, &other, &cache, BLOCK_SEQS + 20);
    assert_eq!(rest.entries.len(), count - BLOCK_SEQS as usize - 20);
    assert!(rest.entries.iter().any(|e| e.seq == lost));
    // And the page is the storage's own, byte for byte, at every cursor, budget and
    // count around the cuts.
    for after in [
        BLOCK_SEQS - 1,
        BLOCK_SEQS,
        BLOCK_SEQS + 20,
        2 * BLOCK_SEQS - 1,
    ] {
        for budget in [1, 49, 50, 51, 4_999, 5_000, 5_001, 12_000] {
            let (blocks, plain) = both_limited(&s, &cache, after, budget, 10_000);
            assert_eq!(blocks, plain, "after {after}, budget {budget}");
        }
        for max_changes in [1, 7, 100] {
            let (blocks, plain) = both_limited(&s, &cache, after, 100 * 50, max_changes);
            assert_eq!(
                blocks, plain,
                "after {after}, {max_changes} changes at most"
            );
        }
    }
}

#[test]
fn the_changes_past_the_last_block_are_read_once_then_served_from_memory() {
    let s = scratch();
    let count = BLOCK_SEQS as usize + 30;
    push(&s, (0..count).map(|i| change(i, 50, 20)).collect());
    let storage = crate::SqliteStorage::open(&s._dir.path().join("team.sqlite3")).expect("open");
    let cache = super::BlockCache::default();
    let first = page_with(&s, &storage, &cache, count as u64 - 5);
    assert_eq!(first.entries.len(), 5);

    // A copy of the log that lost the last change: a page that asked the storage for
    // the tail again would miss it.
    let (_copy, other) = copy_without(&s, count as u64);
    let team = &s.phone.device.team_id;
    let log = super::LogAt {
        head: count as u64,
        generation: storage.log_state(team).expect("state").1,
        log_id: s.server.log_id(team).expect("log id"),
    };
    let bytes = super::page(
        &other,
        &cache,
        team,
        log,
        count as u64 - 20,
        u64::MAX,
        10_000,
    )
    .expect("page");
    let from_memory = wire::decode_pull(&unzstd(&bytes)).expect("page");
    assert_eq!(
        from_memory.entries.len(),
        20,
        "the tail answered, not the storage"
    );
    assert_eq!(
        from_memory.entries.last().map(|e| e.seq),
        Some(count as u64)
    );

    // Changes pushed since extend the tail: the next page holds them all, as plain.
    push(&s, (count..count + 40).map(|i| change(i, 50, 20)).collect());
    let (blocks, plain) = both(&s, count as u64 - 3, None);
    assert_eq!(blocks, plain);
    assert_eq!(
        page_with(&s, &storage, &cache, count as u64 - 3)
            .entries
            .len(),
        43
    );
}

#[test]
fn an_erasure_by_another_process_is_never_served_from_the_tail() {
    let s = scratch();
    let changes: Vec<ChangeBlob> = (0..40).map(|i| change(i, 64, 10)).collect();
    let victim = changes[35].doc_id.clone();
    let marker = changes[35].data.clone();
    push(&s, changes);
    // This cache stands for another server process: the erasure below does not reach
    // it, only the generation it moves in the log.
    let storage = crate::SqliteStorage::open(&s._dir.path().join("team.sqlite3")).expect("open");
    let cache = super::BlockCache::default();
    let before = page_with(&s, &storage, &cache, 30);
    assert!(before.entries.iter().any(|e| e.doc_id == victim));
    erase(&s, &victim);
    let after = page_with(&s, &storage, &cache, 30);
    assert!(
        after
            .entries
            .iter()
            .all(|e| e.doc_id != victim || e.kind == filrouge_model::sync::ERASURE_KIND),
        "an erased change was served from the tail"
    );
    assert!(!after.entries.iter().any(|e| contains(&e.data, &marker)));
    let (blocks, plain) = both(&s, 30, None);
    assert_eq!(blocks, plain);
}

/// Polls `cache` until `n` pages wait for a block being built (a deadline, no sleep).
fn until_waiting(cache: &super::BlockCache, n: usize) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while cache.lock().waiting < n {
        assert!(
            std::time::Instant::now() < deadline,
            "no page waited for the block"
        );
        std::thread::yield_now();
    }
}

/// A log whose first block is sealed, its storage, team and generation.
struct Sealed {
    s: Scratch,
    storage: crate::SqliteStorage,
    team: String,
    generation: u64,
}

fn sealed() -> Sealed {
    let s = scratch();
    let count = BLOCK_SEQS as usize + 10;
    push(&s, (0..count).map(|i| change(i, 50, 20)).collect());
    let storage = crate::SqliteStorage::open(&s._dir.path().join("team.sqlite3")).expect("open");
    let team = s.phone.device.team_id.clone();
    let generation = storage.log_state(&team).expect("state").1;
    Sealed {
        s,
        storage,
        team,
        generation,
    }
}

/// Marks block `key` as being built by another page, until the guard drops.
fn building<'a>(cache: &'a super::BlockCache, key: &'a (String, u64)) -> super::Building<'a> {
    cache.lock().building.insert(key.clone());
    super::Building { cache, key }
}

#[test]
fn a_page_waits_for_the_block_another_page_is_building_and_takes_it() {
    let Sealed {
        s,
        storage,
        team,
        generation,
    } = sealed();
    // A copy of the log without change 100: a block built from it lacks that change.
    let (_copy, other) = copy_without(&s, 100);
    let cache = super::BlockCache::default();
    let key = (team.clone(), 0);
    // Another page is building block 0 (from the whole log).
    let builder = building(&cache, &key);
    std::thread::scope(|scope| {
        let waiter = scope.spawn(|| cache.block(&other, &team, 0, generation));
        until_waiting(&cache, 1);
        let read = storage
            .changes_after(&team, 0, u64::MAX, BLOCK_SEQS as usize)
            .expect("read");
        let changes: Vec<_> = read.changes.iter().collect();
        let ours = std::sync::Arc::new(super::Block::build(&changes, generation).expect("block"));
        cache.keep(key.clone(), &ours);
        drop(builder);
        let got = waiter.join().expect("waiter").expect("block");
        assert!(
            std::sync::Arc::ptr_eq(&got, &ours),
            "the waiting page built the block again instead of taking the one built"
        );
        assert_eq!(got.count, BLOCK_SEQS as usize);
    });
}

#[test]
fn a_page_waiting_for_a_build_that_failed_builds_the_block_itself() {
    // The scratch directory is kept to the end: the storage reads its file.
    let Sealed {
        s: _s,
        storage,
        team,
        generation,
    } = sealed();
    let cache = super::BlockCache::default();
    let key = (team.clone(), 0);
    let builder = building(&cache, &key);
    std::thread::scope(|scope| {
        let waiters: Vec<_> = (0..2)
            .map(|_| scope.spawn(|| cache.block(&storage, &team, 0, generation)))
            .collect();
        until_waiting(&cache, 2);
        // The build fails: nothing is kept, the waiting pages are woken.
        drop(builder);
        let blocks: Vec<_> = waiters
            .into_iter()
            .map(|w| w.join().expect("waiter").expect("block"))
            .collect();
        assert!(blocks.iter().all(|b| b.count == BLOCK_SEQS as usize));
        assert!(
            std::sync::Arc::ptr_eq(&blocks[0], &blocks[1]),
            "one of the two waiting pages built the block, the other took it"
        );
    });
    assert!(cache.lock().building.is_empty());
    assert_eq!(cache.lock().waiting, 0);
}

#[test]
fn a_block_sealed_past_the_tail_is_built_from_it_and_the_rows_after() {
    let s = scratch();
    let first = BLOCK_SEQS as usize - 10;
    push(&s, (0..first).map(|i| change(i, 50, 20)).collect());
    let storage = crate::SqliteStorage::open(&s._dir.path().join("team.sqlite3")).expect("open");
    let cache = super::BlockCache::default();
    // A page near the head: the tail now holds the first block's changes so far.
    assert_eq!(
        page_with(&s, &storage, &cache, first as u64 - 5)
            .entries
            .len(),
        5
    );

    // The head passes the block's end: the block is sealed at the next page.
    let count = BLOCK_SEQS as usize + 20;
    push(&s, (first..count).map(|i| change(i, 50, 20)).collect());
    // A log that lost change 100 (held by the tail) and change 250 (past it).
    let (_copy, other) = copy_without(&s, 100);
    let conn = rusqlite::Connection::open(_copy.path().join("copy.sqlite3")).expect("copy");
    conn.execute("DELETE FROM changes WHERE seq = 250", [])
        .expect("delete");
    drop(conn);
    let near = page_with(&s, &other, &cache, first as u64 - 2);
    assert_eq!(near.entries.first().map(|e| e.seq), Some(first as u64 - 1));
    // The block came from the tail (change 100) and the storage past it (no change 250).
    let whole = page_with(&s, &other, &cache, 0);
    let seqs: Vec<u64> = whole.entries.iter().map(|e| e.seq).collect();
    assert!(
        seqs.contains(&100),
        "the sealed block read again what the tail held"
    );
    assert!(!seqs.contains(&250), "the rows past the tail were not read");
    // With the whole log, the page is the storage's own, byte for byte.
    let s2 = scratch();
    push(&s2, (0..first).map(|i| change(i, 50, 20)).collect());
    let cache2 = super::BlockCache::default();
    let storage2 = crate::SqliteStorage::open(&s2._dir.path().join("team.sqlite3")).expect("open");
    page_with(&s2, &storage2, &cache2, first as u64 - 5);
    push(&s2, (first..count).map(|i| change(i, 50, 20)).collect());
    for after in [0, 3, first as u64 - 2, BLOCK_SEQS - 1, BLOCK_SEQS + 5] {
        let (blocks, plain) = both_limited(&s2, &cache2, after, u64::MAX, 10_000);
        assert_eq!(blocks, plain, "after {after}");
    }
}

/// The team's stretch kept after `after`, with the log's generation now.
fn kept(s: &Scratch, cache: &super::BlockCache, after: u64) -> Option<Arc<super::Stretch>> {
    let storage = crate::SqliteStorage::open(&s._dir.path().join("team.sqlite3")).expect("open");
    let generation = log_at(s, &storage).generation;
    cache.stretch(&s.phone.device.team_id, generation, after)
}

/// Keeps in `cache`, in place of `stretch`, the same entries compressed at zstd's level
/// 1: other bytes, which a page holds only if it took the kept stretch.
fn doctor(s: &Scratch, cache: &super::BlockCache, after: u64, stretch: &super::Stretch) -> Vec<u8> {
    let bodies = unzstd(&stretch.frame);
    let frame = zstd::bulk::compress(&bodies, 1).expect("compress");
    assert_ne!(frame, stretch.frame);
    let doctored = super::Stretch {
        frame: frame.clone(),
        ..*stretch
    };
    cache.keep_stretch(&s.phone.device.team_id, after, doctored);
    frame
}

/// Doctors the kept `stretch` after `cursor` ([`doctor`]), then checks that the next
/// page from that cursor holds the doctored frame, and is still `plain`.
fn takes_kept(
    s: &Scratch,
    cache: &super::BlockCache,
    cursor: u64,
    stretch: &super::Stretch,
    plain: &[u8],
) {
    let frame = doctor(s, cache, cursor, stretch);
    let storage = crate::SqliteStorage::open(&s._dir.path().join("team.sqlite3")).expect("open");
    let log = log_at(s, &storage);
    let team = &s.phone.device.team_id;
    let again = super::page(&storage, cache, team, log, cursor, u64::MAX, 10_000).expect("page");
    assert!(
        contains(&again, &frame),
        "the next page compressed the stretch again"
    );
    assert_eq!(unzstd(&again), plain);
}

#[test]
fn pages_from_one_cursor_take_the_rest_of_its_block_compressed_once() {
    let s = scratch();
    let count = 2 * BLOCK_SEQS as usize + 10;
    push(&s, (0..count).map(|i| change(i, 50, 20)).collect());
    let cache = super::BlockCache::default();
    let cursor = BLOCK_SEQS + 20;
    let (blocks, plain) = both_limited(&s, &cache, cursor, u64::MAX, 10_000);
    assert_eq!(blocks, plain);
    let stretch = kept(&s, &cache, cursor).expect("the rest of the block is kept");
    assert_eq!(
        (stretch.first_seq, stretch.last_seq, stretch.count),
        (cursor + 1, 2 * BLOCK_SEQS, BLOCK_SEQS as usize - 20)
    );

    takes_kept(&s, &cache, cursor, &stretch, &plain);
    // A budget that ends inside the rest of the block cuts it from the block's frame.
    let (blocks, plain) = both_limited(&s, &cache, cursor, 100 * 50, 10_000);
    assert_eq!(blocks, plain);
}

#[test]
fn the_tail_after_a_cursor_is_shared_up_to_its_head_never_short_of_a_later_one() {
    let s = scratch();
    let count = BLOCK_SEQS as usize + 30;
    push(&s, (0..count).map(|i| change(i, 50, 20)).collect());
    let cache = super::BlockCache::default();
    let cursor = count as u64 - 20;
    let (blocks, plain) = both_limited(&s, &cache, cursor, u64::MAX, 10_000);
    assert_eq!(blocks, plain);
    let stretch = kept(&s, &cache, cursor).expect("the tail after the cursor is kept");
    assert_eq!(
        (stretch.first_seq, stretch.last_seq),
        (cursor + 1, count as u64)
    );
    // A device behind the tail's block takes the tail from the block's start.
    let (behind, behind_plain) = both_limited(&s, &cache, 100, u64::MAX, 10_000);
    assert_eq!(behind, behind_plain);
    assert!(kept(&s, &cache, BLOCK_SEQS).is_some());

    takes_kept(&s, &cache, cursor, &stretch, &plain);

    // Once the head has moved past the kept stretch, pages hold the new changes.
    push(&s, (count..count + 10).map(|i| change(i, 50, 20)).collect());
    for after in [cursor, 100] {
        let (blocks, plain) = both_limited(&s, &cache, after, u64::MAX, 10_000);
        assert_eq!(blocks, plain, "after {after}");
        let page = wire::decode_pull(&blocks).expect("page");
        assert_eq!(page.cursor, count as u64 + 10);
    }
}

#[path = "pages_tests_tail.rs"]
mod tail;
