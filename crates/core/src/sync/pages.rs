//! Turning a binary pull page ([`filrouge_model::wire`]) back into the sync API's
//! [`PullResponse`]: the page carries no hashes, so each change's hash is computed here
//! from its own bytes, which also means a device never trusts a hash it did not compute.
//!
//! An Automerge change chunk is `magic(4) checksum(4) type(1) length body`, and its
//! hash is the SHA-256 of `type length body`, the checksum being that hash's first four
//! bytes. So the **blob** a device pushes for a change is exactly those hashed bytes,
//! uncompressed ([`blob_of`]): the magic bytes say nothing, the checksum is four random
//! bytes that no compressor can shrink (a visible share of a fresh device's download), and both come
//! back from the hash ([`chunk_of`]). Pages are compressed as a whole, where changes
//! compress far better together than one by one. Blobs pushed by earlier versions are
//! whole chunks, sometimes compressed; they are read as they are.

use automerge::{Change, ChangeHash};
use filrouge_model::sync::{ChangeBlob, PullResponse, PulledChange};
use filrouge_model::wire::PullPage;
use sha2::{Digest as _, Sha256};

const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
const CHANGE_CHUNK: u8 = 1;

/// The blob a device pushes for a change: its uncompressed chunk without the magic
/// bytes and checksum.
pub fn blob_of(change: &Change) -> Vec<u8> {
    let raw = change.raw_bytes();
    match raw.get(8..) {
        Some(hashed) if raw.starts_with(&MAGIC) => hashed.to_vec(),
        _ => raw.to_vec(),
    }
}

/// A pulled blob as a change chunk Automerge reads, with its hash; `None` when the
/// bytes are neither a blob of [`blob_of`] nor a whole, intact chunk.
pub fn chunk_of(blob: Vec<u8>) -> Option<(ChangeHash, Vec<u8>)> {
    if blob.starts_with(&MAGIC) {
        return change_hash(&blob).map(|hash| (hash, blob));
    }
    rebuild(&blob)
}

/// The whole chunk of a blob of [`blob_of`], with its hash.
fn rebuild(blob: &[u8]) -> Option<(ChangeHash, Vec<u8>)> {
    if blob.first() != Some(&CHANGE_CHUNK) || !framed(&blob[1..]) {
        return None;
    }
    let digest: [u8; 32] = Sha256::digest(blob).into();
    let mut chunk = Vec::with_capacity(blob.len() + 8);
    chunk.extend_from_slice(&MAGIC);
    chunk.extend_from_slice(&digest[..4]);
    chunk.extend_from_slice(blob);
    Some((ChangeHash(digest), chunk))
}

/// Whether `bytes` are a LEB128 length followed by exactly that many bytes.
fn framed(bytes: &[u8]) -> bool {
    leb128(bytes).is_some_and(|(len, used)| used.checked_add(len) == Some(bytes.len()))
}

/// The hash of the change in `bytes`, or `None` when they are not one whole, intact
/// change chunk (empty, cut short, damaged, another chunk type, trailing bytes).
pub fn change_hash(bytes: &[u8]) -> Option<ChangeHash> {
    if bytes.len() < 10 || bytes[..4] != MAGIC {
        return None;
    }
    if bytes[8] != CHANGE_CHUNK {
        return Change::try_from(bytes).ok().map(|c| c.hash());
    }
    // The body must end exactly where its length says.
    if !framed(&bytes[9..]) {
        return None;
    }
    let digest: [u8; 32] = Sha256::digest(&bytes[8..]).into();
    (digest[..4] == bytes[4..8]).then_some(ChangeHash(digest))
}

fn leb128(bytes: &[u8]) -> Option<(usize, usize)> {
    let mut n = 0usize;
    for (i, b) in bytes.iter().take(9).enumerate() {
        n |= usize::from(b & 0x7f).checked_shl(7 * i as u32)?;
        if b & 0x80 == 0 {
            return Some((n, i + 1));
        }
    }
    None
}

/// The page as the engine takes it, each change as a whole chunk with the hash of its
/// bytes. Bytes that are not a change (an erasure's empty ones, or damaged ones) keep
/// an empty hash; the apply step drops a damaged change as it drops any change that
/// does not match its hash.
pub fn into_response(page: PullPage) -> PullResponse {
    PullResponse {
        api_version: page.api_version,
        log_id: page.log_id,
        cursor: page.cursor,
        more: page.more,
        head: page.head,
        changes: page
            .entries
            .into_iter()
            .map(|e| {
                let (hash, data) = normalize(String::new(), e.data);
                PulledChange {
                    seq: e.seq,
                    blob: ChangeBlob {
                        hash,
                        doc_id: e.doc_id,
                        kind: e.kind,
                        data,
                    },
                }
            })
            .collect(),
    }
}

/// A pulled change's bytes as a whole chunk, and its hash in the API's spelling: the
/// one computed from the bytes when the blob was not a whole chunk already, else
/// `claimed` (checked later, on parsing); empty when there is none.
pub(crate) fn normalize(claimed: String, data: Vec<u8>) -> (String, Vec<u8>) {
    let (hash, data) = if data.is_empty() {
        (claimed.parse().ok(), data)
    } else if data.starts_with(&MAGIC) {
        let hash = claimed.parse().ok().or_else(|| change_hash(&data));
        (hash, data)
    } else {
        match rebuild(&data) {
            Some((hash, chunk)) => (Some(hash), chunk),
            None => (None, data),
        }
    };
    (
        hash.map(|h: ChangeHash| h.to_string()).unwrap_or_default(),
        data,
    )
}

#[cfg(test)]
mod tests {
    use automerge::transaction::Transactable as _;
    use automerge::{AutoCommit, ROOT};

    use super::*;

    fn change(text_len: usize) -> Change {
        let mut doc = AutoCommit::new();
        doc.put(ROOT, "note", "x".repeat(text_len)).unwrap();
        doc.commit();
        doc.get_last_local_change().unwrap()
    }

    #[test]
    fn raw_and_compressed_changes_hash_to_automerge_s_hash() {
        for len in [1, 300, 5_000] {
            let mut c = change(len);
            assert_eq!(change_hash(c.raw_bytes()), Some(c.hash()), "raw, {len}");
            assert_eq!(change_hash(&c.bytes()), Some(c.hash()), "compressed, {len}");
        }
    }

    #[test]
    fn a_pushed_blob_is_the_hashed_bytes_and_comes_back_whole() {
        for len in [1, 300, 5_000] {
            let c = change(len);
            let blob = blob_of(&c);
            assert_eq!(blob.len() + 8, c.raw_bytes().len());
            let (hash, chunk) = chunk_of(blob).unwrap();
            assert_eq!(hash, c.hash());
            assert_eq!(chunk, c.raw_bytes());
            assert_eq!(Change::try_from(&chunk[..]).unwrap().hash(), c.hash());
        }
        // Whole chunks (earlier versions' blobs) pass through, compressed or not.
        let mut c = change(1_000);
        let compressed = c.bytes().into_owned();
        assert_eq!(chunk_of(compressed.clone()), Some((c.hash(), compressed)));
        // A cut or lengthened blob is not a change.
        let blob = blob_of(&c);
        assert_eq!(chunk_of(blob[..blob.len() - 1].to_vec()), None);
        assert_eq!(chunk_of([&blob[..], &[0]].concat()), None);
        assert_eq!(chunk_of(vec![2, 0]), None);
    }

    #[test]
    fn damaged_or_partial_bytes_have_no_hash() {
        let c = change(50);
        let raw = c.raw_bytes().to_vec();
        for cut in 0..raw.len() {
            assert_eq!(change_hash(&raw[..cut]), None, "cut at {cut}");
        }
        let mut flipped = raw.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        assert_eq!(change_hash(&flipped), None);
        let mut longer = raw;
        longer.push(0);
        assert_eq!(change_hash(&longer), None);
        assert_eq!(change_hash(&[]), None);
    }
}
