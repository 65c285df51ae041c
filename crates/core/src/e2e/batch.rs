//! Sealing several changes together as one **batch**, so that they compress across
//! records (see [`filrouge_model::sync::BATCH_KIND`] for why, and for the clear header
//! the server reads).
//!
//! The plaintext is each change's bytes, length-prefixed, in the header's order; it is
//! compressed (zstd with a fixed dictionary, or without, whichever is smallest) and sealed with XChaCha20-Poly1305 under the epoch's
//! key. The associated data is the team and the **whole clear header** (epoch, and each
//! change's record and kind): the server can neither move a batch to another team nor
//! change what it says it holds. As for a change sealed alone, the nonce is an HMAC of
//! the associated data and the packed plaintext, so the same batch always seals to the
//! same bytes and a retried push is stored once.
//!
//! ```text
//! batch = header (model::sync::put_batch_header) packing(1) nonce(24) ciphertext tag(16)
//! ```

use std::sync::OnceLock;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use filrouge_model::sync::{BatchMember, put_batch_header, read_batch_header};
use filrouge_model::wire::{put_uint, read_uint};

use super::{Keyring, PLAIN, SealError, TeamKey, ZSTD, hmac};

/// zstd's level for a batch: larger inputs than a change, and sealing runs at push time
/// only, so a level that finds more repeats across records pays for itself on the wire.
const BATCH_ZSTD_LEVEL: i32 = 9;

/// Packed with zstd and [`DICTIONARY_V1`].
const ZSTD_DICT_V1: u8 = 2;

/// What every batch's changes share whoever wrote them (the Automerge columns' layout,
/// the record kinds' field names, the vocabulary's codes), trained once from generated
/// records (`filrouge bench dictionary`): a small batch, compressed alone, finds there
/// what a clear page finds in its other changes. It never changes: a batch names it in
/// its packing byte, and another would take another byte.
static DICTIONARY_V1: &[u8] = include_bytes!("batch-v1.dict");

fn encoder() -> &'static zstd::dict::EncoderDictionary<'static> {
    static ENCODER: OnceLock<zstd::dict::EncoderDictionary<'static>> = OnceLock::new();
    ENCODER.get_or_init(|| zstd::dict::EncoderDictionary::copy(DICTIONARY_V1, BATCH_ZSTD_LEVEL))
}

fn decoder() -> &'static zstd::dict::DecoderDictionary<'static> {
    static DECODER: OnceLock<zstd::dict::DecoderDictionary<'static>> = OnceLock::new();
    DECODER.get_or_init(|| zstd::dict::DecoderDictionary::copy(DICTIONARY_V1))
}

/// `plain` packed the smallest way: with the dictionary, plain zstd, or as it is.
fn pack(plain: &[u8]) -> (u8, Vec<u8>) {
    let with_dictionary = zstd::bulk::Compressor::with_prepared_dictionary(encoder())
        .and_then(|mut c| c.compress(plain))
        .ok();
    let without = zstd::bulk::compress(plain, BATCH_ZSTD_LEVEL).ok();
    let mut best = (PLAIN, plain.to_vec());
    for (packing, packed) in [(ZSTD_DICT_V1, with_dictionary), (ZSTD, without)] {
        if let Some(packed) = packed
            && packed.len() < best.1.len()
        {
            best = (packing, packed);
        }
    }
    best
}

fn unpack(packing: u8, body: Vec<u8>) -> Result<Vec<u8>, SealError> {
    match packing {
        ZSTD => zstd::bulk::decompress(&body, MAX_BATCH_PLAIN).map_err(|_| SealError::Unpack),
        ZSTD_DICT_V1 => zstd::bulk::Decompressor::with_prepared_dictionary(decoder())
            .and_then(|mut d| d.decompress(&body, MAX_BATCH_PLAIN))
            .map_err(|_| SealError::Unpack),
        _ => Ok(body),
    }
}

/// The most bytes a batch's changes may take together before packing: a sealed batch
/// must fit in one blob ([`filrouge_model::sync::MAX_BLOB_BYTES`]) even when it does
/// not compress.
pub const BATCH_PLAIN_BYTES: usize = 384 * 1024;

/// Largest plaintext a batch may unpack to (a forged size cannot exhaust memory).
const MAX_BATCH_PLAIN: usize = 4 * BATCH_PLAIN_BYTES;

/// One change of a batch: its record, kind and bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchChange {
    /// Its record and kind, as the clear header lists them.
    pub member: BatchMember,
    /// The change's bytes.
    pub data: Vec<u8>,
}

fn associated_data(team: &str, header: &[u8], packing: u8) -> Vec<u8> {
    let mut ad = Vec::with_capacity(32 + team.len() + header.len());
    ad.extend_from_slice(b"filrouge/batch/1");
    ad.extend_from_slice(&(team.len() as u32).to_be_bytes());
    ad.extend_from_slice(team.as_bytes());
    ad.extend_from_slice(&(header.len() as u32).to_be_bytes());
    ad.extend_from_slice(header);
    ad.push(packing);
    ad
}

fn cipher(key: &TeamKey) -> XChaCha20Poly1305 {
    XChaCha20Poly1305::new(key.derive(b"filrouge batch key 1").as_ref().into())
}

/// Seals `changes` (in order) as one batch under `key` of `epoch`, bound to `team`.
/// Deterministic: the same inputs always give the same bytes.
pub fn seal_batch(key: &TeamKey, epoch: u32, team: &str, changes: &[BatchChange]) -> Vec<u8> {
    let members: Vec<BatchMember> = changes.iter().map(|c| c.member.clone()).collect();
    let mut out = Vec::new();
    put_batch_header(&mut out, epoch, &members);
    let mut plain = Vec::with_capacity(changes.iter().map(|c| c.data.len() + 3).sum());
    for c in changes {
        put_uint(&mut plain, c.data.len() as u64);
        plain.extend_from_slice(&c.data);
    }
    let (packing, body) = pack(&plain);
    let body = body.as_slice();
    let ad = associated_data(team, &out, packing);
    let nonce_key = key.derive(b"filrouge batch nonce 1");
    let synthetic = hmac(nonce_key.as_ref(), &[&ad, body]);
    let nonce = XNonce::from_slice(&synthetic[..24]);
    // XChaCha20-Poly1305 encrypts any input under 256 GiB: this cannot fail.
    let sealed = cipher(key)
        .encrypt(
            nonce,
            Payload {
                msg: body,
                aad: &ad,
            },
        )
        .unwrap_or_else(|_| unreachable!());
    out.push(packing);
    out.extend_from_slice(nonce);
    out.extend_from_slice(&sealed);
    out
}

/// Opens a batch sealed by [`seal_batch`] with the key of the epoch it names, checking
/// it is bound to `team`; returns its changes in order.
pub fn open_batch(
    ring: &Keyring,
    team: &str,
    sealed: &[u8],
) -> Result<Vec<BatchChange>, SealError> {
    let header = read_batch_header(sealed).map_err(|_| SealError::Format)?;
    let rest = &sealed[header.body_at..];
    if rest.len() < 1 + 24 + 16 {
        return Err(SealError::Format);
    }
    let key = ring.get(header.epoch).ok_or(SealError::NoKey {
        epoch: header.epoch,
    })?;
    let packing = rest[0];
    if ![PLAIN, ZSTD, ZSTD_DICT_V1].contains(&packing) {
        return Err(SealError::Format);
    }
    let ad = associated_data(team, &sealed[..header.body_at], packing);
    let body = cipher(key)
        .decrypt(
            XNonce::from_slice(&rest[1..25]),
            Payload {
                msg: &rest[25..],
                aad: &ad,
            },
        )
        .map_err(|_| SealError::Forged)?;
    let plain = unpack(packing, body)?;
    let mut changes = Vec::with_capacity(header.members.len());
    let mut at = 0;
    for member in header.members {
        let (len, used) = read_uint(&plain[at..]).ok_or(SealError::Unpack)?;
        at += used;
        let len = usize::try_from(len).map_err(|_| SealError::Unpack)?;
        let end = at.checked_add(len).filter(|&e| e <= plain.len());
        let end = end.ok_or(SealError::Unpack)?;
        changes.push(BatchChange {
            member,
            data: plain[at..end].to_vec(),
        });
        at = end;
    }
    if at != plain.len() {
        return Err(SealError::Unpack);
    }
    Ok(changes)
}

#[cfg(test)]
mod tests {
    use filrouge_model::sync::{BATCH_MARK, sealed_epoch};
    use proptest::prelude::*;
    use sha2::Digest as _;

    use super::*;

    /// The SHA-256 of `batch-v1.dict`.
    const DICTIONARY_V1_SHA256: &str =
        "61eda8e3962eeac6d9445713162e343b5f0cf59aa2da5c09eadd6356ccdfadbc";

    fn change(doc: &str, kind: &str, data: &[u8]) -> BatchChange {
        BatchChange {
            member: BatchMember {
                doc_id: doc.into(),
                kind: kind.into(),
            },
            data: data.to_vec(),
        }
    }

    fn batch() -> Vec<BatchChange> {
        (0..40)
            .map(|i| {
                let name = format!("Mohamed Benali {i}, rencontre au stade de Bobigny");
                change(
                    &format!("0190a1b2-0000-7000-8000-0000000000{i:02}"),
                    if i % 2 == 0 { "personne" } else { "rencontre" },
                    name.as_bytes(),
                )
            })
            .collect()
    }

    #[test]
    fn a_batch_opens_to_its_changes_in_order_and_hides_them() {
        let key = TeamKey::random().unwrap();
        let sealed = seal_batch(&key, 3, "team-1", &batch());
        assert_eq!(sealed[0], BATCH_MARK);
        assert_eq!(sealed_epoch(&sealed), Some(3));
        assert!(
            !sealed
                .windows(7)
                .any(|w| w == b"Mohamed" || w == b"Bobigny")
        );
        let plain: usize = batch().iter().map(|c| c.data.len()).sum();
        let header = read_batch_header(&sealed).unwrap().body_at;
        assert!(
            sealed.len() - header < plain / 3,
            "compressed across its changes: {} of {plain}",
            sealed.len() - header
        );
        let ring = Keyring::with(3, key);
        assert_eq!(open_batch(&ring, "team-1", &sealed).unwrap(), batch());
        // An empty change and an empty batch round-trip too.
        let odd = vec![change("a", "personne", b""), change("b", "personne", b"x")];
        let key = ring.get(3).unwrap();
        assert_eq!(
            open_batch(&ring, "t", &seal_batch(key, 3, "t", &odd)).unwrap(),
            odd
        );
        assert!(
            open_batch(&ring, "t", &seal_batch(key, 3, "t", &[]))
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn the_same_batch_seals_to_the_same_bytes() {
        let key = TeamKey::random().unwrap();
        let a = seal_batch(&key, 1, "team-1", &batch());
        assert_eq!(a, seal_batch(&key, 1, "team-1", &batch()));
        let mut fewer = batch();
        fewer.remove(5);
        assert_ne!(a, seal_batch(&key, 1, "team-1", &fewer));
    }

    #[test]
    fn a_batch_relabelled_moved_or_without_its_key_does_not_open() {
        let key = TeamKey::random().unwrap();
        let ring = Keyring::with(1, key.clone());
        let sealed = seal_batch(&key, 1, "team-1", &batch());
        assert_eq!(open_batch(&ring, "team-2", &sealed), Err(SealError::Forged));
        assert_eq!(
            open_batch(&Keyring::default(), "team-1", &sealed),
            Err(SealError::NoKey { epoch: 1 })
        );
        // The server rewrites the header: a record's id swapped for another's.
        let mut members: Vec<BatchMember> = batch().into_iter().map(|c| c.member).collect();
        members.swap(0, 1);
        let body_at = read_batch_header(&sealed).unwrap().body_at;
        let mut swapped = Vec::new();
        put_batch_header(&mut swapped, 1, &members);
        swapped.extend_from_slice(&sealed[body_at..]);
        assert_eq!(
            open_batch(&ring, "team-1", &swapped),
            Err(SealError::Forged)
        );
        assert_eq!(
            open_batch(&ring, "team-1", &sealed[..body_at + 20]),
            Err(SealError::Format)
        );
    }

    #[test]
    fn the_dictionary_never_changes_and_small_batches_use_it() {
        // Batches in the field name it by its packing byte: another file would not open
        // them. A new dictionary takes a new packing byte.
        assert_eq!(
            hex::encode(sha2::Sha256::digest(DICTIONARY_V1)),
            DICTIONARY_V1_SHA256
        );
        // Two records as a phone pushes them after meeting two people.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.sqlite");
        let mut store = crate::Store::open(&path, crate::store::tests::test_env(1, 1)).unwrap();
        for name in ["Awa", "Yanis"] {
            store
                .create_person(filrouge_model::PersonDraft::new(name))
                .unwrap();
        }
        let small: Vec<BatchChange> = store
            .outbox_page(10, 1 << 20)
            .unwrap()
            .into_iter()
            .map(|b| change(&b.doc_id, &b.kind, &b.data))
            .collect();
        let key = TeamKey::random().unwrap();
        let sealed = seal_batch(&key, 1, "team-1", &small);
        let body_at = read_batch_header(&sealed).unwrap().body_at;
        assert_eq!(sealed[body_at], ZSTD_DICT_V1, "packed with the dictionary");
        let plain: usize = small.iter().map(|c| c.data.len()).sum();
        let joined: Vec<u8> = small.iter().flat_map(|c| c.data.clone()).collect();
        let without = zstd::bulk::compress(&joined, BATCH_ZSTD_LEVEL).unwrap();
        assert!(
            sealed.len() - body_at < without.len(),
            "{} sealed, {} zstd alone, {plain} plain",
            sealed.len() - body_at,
            without.len()
        );
        let ring = Keyring::with(1, key);
        assert_eq!(open_batch(&ring, "team-1", &sealed).unwrap(), small);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Whatever byte the server flips, the batch is refused, never opened to other
        /// changes.
        #[test]
        fn any_flipped_bit_is_refused(at in 0usize..4000, bit in 0u8..8) {
            let key = TeamKey::random().unwrap();
            let ring = Keyring::with(1, key.clone());
            let mut sealed = seal_batch(&key, 1, "team-1", &batch());
            let at = at % sealed.len();
            sealed[at] ^= 1 << bit;
            prop_assert!(open_batch(&ring, "team-1", &sealed).is_err());
        }
    }
}
