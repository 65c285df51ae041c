//! Round trips and hostile input for the binary pages.

use proptest::prelude::*;

use super::*;
use crate::sync::{API_VERSION, ERASURE_KIND, PulledChange};

const UUID: &str = "01936d3e-8f2a-7c4b-9a1e-0123456789ab";
const LOG: &str = "5f0c2a9e-3b1d-4e7a-8c6f-9d2b1a0e7f43";

fn blob(doc_id: &str, kind: &str, hash: &str, data: &[u8]) -> ChangeBlob {
    ChangeBlob {
        doc_id: doc_id.into(),
        kind: kind.into(),
        hash: hash.into(),
        data: data.to_vec(),
    }
}

fn page(changes: Vec<PulledChange>, more: bool) -> PullResponse {
    PullResponse {
        api_version: API_VERSION,
        log_id: LOG.into(),
        cursor: changes.last().map_or(7, |c| c.seq),
        more,
        head: 9_000,
        changes,
    }
}

fn entries_of(resp: &PullResponse) -> Vec<PageEntry> {
    resp.changes
        .iter()
        .map(|c| PageEntry {
            seq: c.seq,
            doc_id: c.blob.doc_id.clone(),
            kind: c.blob.kind.clone(),
            data: c.blob.data.clone(),
        })
        .collect()
}

#[test]
fn a_pull_page_round_trips_without_its_hashes() {
    let resp = page(
        vec![
            PulledChange {
                seq: 3,
                blob: blob(UUID, "personne", &"ab".repeat(32), &[1, 2, 3]),
            },
            // Gaps in the log (erased changes) and an erasure entry with no bytes.
            PulledChange {
                seq: 40,
                blob: blob(UUID, ERASURE_KIND, "", &[]),
            },
            // Ids that are not canonical UUIDs come back exactly as they went.
            PulledChange {
                seq: 41,
                blob: blob(&UUID.to_uppercase(), "rencontre", "", &[0; 300]),
            },
            PulledChange {
                seq: 1 << 40,
                blob: blob("d", "relance", "", &[255]),
            },
        ],
        true,
    );
    let bytes = encode_pull(&resp);
    let back = decode_pull(&bytes).unwrap();
    assert_eq!(back.entries, entries_of(&resp));
    assert_eq!(
        (back.api_version, back.cursor, back.more, back.head),
        (API_VERSION, 1 << 40, true, 9_000)
    );
    assert_eq!(back.log_id, LOG);
    assert!(!bytes.windows(64).any(|w| w == "ab".repeat(32).as_bytes()));

    // The head alone reads from any prefix long enough to hold it.
    let head = decode_pull_header(&bytes[..PAGE_HEADER_MAX_BYTES]).unwrap();
    assert_eq!(
        (
            head.api_version,
            head.cursor,
            head.head,
            head.more,
            head.count
        ),
        (API_VERSION, 1 << 40, 9_000, true, 4)
    );
    assert_eq!(head.log_id, LOG);
    assert!(matches!(
        decode_pull_header(&bytes[..6]),
        Err(WireError::Truncated { .. })
    ));
}

#[test]
fn a_canonical_id_takes_sixteen_bytes() {
    let one = |id: &str| {
        encode_pull(&page(
            vec![PulledChange {
                seq: 1,
                blob: blob(id, "k", "", &[]),
            }],
            false,
        ))
        .len()
    };
    assert_eq!(one(UUID) + 21, one(&UUID.replace('-', "_")));
}

#[test]
fn a_push_page_round_trips_with_packed_and_odd_hashes() {
    let req = PushRequest {
        api_version: API_VERSION,
        changes: vec![
            blob(UUID, "personne", &"0f".repeat(32), &[9; 40]),
            blob("not-a-uuid", "rencontre", "NOT-HEX", &[]),
            blob(UUID, "relance", &"AB".repeat(32), &[1]),
        ],
    };
    let bytes = encode_push(&req);
    let back = decode_push(&bytes).unwrap();
    assert_eq!(back.changes, req.changes);
    assert_eq!(back.api_version, API_VERSION);
}

#[test]
fn every_cut_of_a_page_is_an_error_not_a_panic() {
    let resp = page(
        vec![PulledChange {
            seq: 5,
            blob: blob(UUID, "personne", "", &[7; 200]),
        }],
        false,
    );
    let bytes = encode_pull(&resp);
    for cut in 0..bytes.len() {
        assert!(decode_pull(&bytes[..cut]).is_err(), "cut at {cut}");
    }
    let push = encode_push(&PushRequest {
        api_version: API_VERSION,
        changes: vec![blob(UUID, "personne", &"01".repeat(32), &[7; 50])],
    });
    for cut in 0..push.len() {
        assert!(decode_push(&push[..cut]).is_err(), "cut at {cut}");
    }
}

#[test]
fn bad_pages_are_named() {
    assert_eq!(
        decode_pull(b"FRPU\x01\x00"),
        Err(WireError::BadMagic { expected: "pull" })
    );
    let mut bytes = encode_pull(&page(Vec::new(), false));
    bytes.push(0);
    assert_eq!(
        decode_pull(&bytes),
        Err(WireError::TrailingBytes { extra: 1 })
    );
    // `more` must be 0 or 1 (after an empty text log id, a cursor and a head).
    assert_eq!(
        decode_pull(b"FRPG\x02\x01\x00\x00\x00\x02\x00"),
        Err(WireError::UnknownTag { tag: 2, at: 9 })
    );
    // A log id tag other than packed or text.
    assert_eq!(
        decode_pull(b"FRPG\x02\x07"),
        Err(WireError::UnknownTag { tag: 7, at: 5 })
    );
    // Eleven continuation bytes: more than 64 bits.
    let mut long = b"FRPG".to_vec();
    long.extend([0xff; 11]);
    assert_eq!(decode_pull(&long), Err(WireError::Overflow { at: 4 }));
    // A count of a billion entries with no bytes behind it fails, without allocating.
    let mut forged = b"FRPU\x01".to_vec();
    put_uint(&mut forged, 1 << 30);
    assert_eq!(decode_push(&forged), Err(WireError::Truncated { at: 10 }));
    // A kind that is not UTF-8.
    let mut bad = b"FRPU\x01\x01\x01\x01d\x01\xff".to_vec();
    bad.extend([1, 0, 0]);
    assert_eq!(decode_push(&bad), Err(WireError::NotUtf8 { at: 9 }));
}

fn arb_id() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<[u8; 16]>().prop_map(|b| unpack(&b)),
        "[a-zA-Z0-9_-]{0,40}",
    ]
}

fn arb_hash() -> impl Strategy<Value = String> {
    prop_oneof![any::<[u8; 32]>().prop_map(|b| unpack(&b)), ".{0,70}"]
}

proptest! {
    #[test]
    fn any_pull_page_round_trips(
        entries in prop::collection::vec((any::<u64>(), arb_id(), ".{0,12}", prop::collection::vec(any::<u8>(), 0..64)), 0..20),
        cursor in any::<u64>(), head in any::<u64>(), more in any::<bool>(), log_id in "[0-9a-f-]{0,40}",
    ) {
        let resp = PullResponse {
            api_version: API_VERSION,
            log_id: log_id.clone(),
            changes: entries.into_iter().map(|(seq, id, kind, data)| PulledChange { seq, blob: blob(&id, &kind, "", &data) }).collect(),
            cursor, more, head,
        };
        let back = decode_pull(&encode_pull(&resp)).unwrap();
        prop_assert_eq!(back.entries, entries_of(&resp));
        prop_assert_eq!((back.cursor, back.head, back.more), (cursor, head, more));
        prop_assert_eq!(back.log_id, log_id);
    }

    #[test]
    fn any_push_page_round_trips(
        changes in prop::collection::vec((arb_id(), ".{0,12}", arb_hash(), prop::collection::vec(any::<u8>(), 0..64)), 0..20),
    ) {
        let req = PushRequest {
            api_version: API_VERSION,
            changes: changes.into_iter().map(|(id, kind, hash, data)| blob(&id, &kind, &hash, &data)).collect(),
        };
        prop_assert_eq!(decode_push(&encode_push(&req)).unwrap().changes, req.changes);
    }

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..200), push in any::<bool>()) {
        let mut body = if push { b"FRPU".to_vec() } else { b"FRPG".to_vec() };
        body.extend(bytes);
        let _ = decode_pull(&body);
        let _ = decode_push(&body);
    }
}

#[test]
fn a_log_id_takes_sixteen_bytes_and_a_long_one_is_refused() {
    let mut resp = page(Vec::new(), false);
    let packed = encode_pull(&resp).len();
    resp.log_id = "x".repeat(MAX_LOG_ID_TEXT);
    let text = encode_pull(&resp);
    assert_eq!(text.len(), packed - 16 + 1 + MAX_LOG_ID_TEXT);
    assert!(text.len() <= PAGE_HEADER_MAX_BYTES);
    assert_eq!(decode_pull(&text).unwrap().log_id, resp.log_id);
    resp.log_id.push('x');
    assert!(matches!(
        decode_pull(&encode_pull(&resp)),
        Err(WireError::TooLong { at: 5 })
    ));
}
