//! A sealed **batch**: several changes of a push page compressed and sealed together,
//! so that the page compresses across its records as a clear page does.
//!
//! A change sealed alone cannot be compressed with its neighbours, and its envelope (a
//! nonce and a tag) weighs about what a small record weighs: a fresh device pulling a
//! sealed log received ten times the bytes of a clear one. A device holding team keys
//! therefore seals a push page as batches. What the server may read of a batch is this
//! module's clear header, the same for every backend:
//!
//! ```text
//! batch = 0xF2 epoch(4, big-endian) count { doc_id kind }*count body
//! ```
//!
//! (`doc_id` and `kind` as in [`crate::wire`]; `body` is the device's business: a nonce,
//! the ciphertext and its tag.) The header lists each change's record and kind, in
//! order, so that the server can refuse a batch touching an erased record and find
//! every batch holding a record it must erase; the device binds the header to the
//! ciphertext, so the server cannot alter it unnoticed. A batch travels as one
//! [`ChangeBlob`](super::ChangeBlob) of kind [`BATCH_KIND`], record id [`BATCH_KIND`]
//! and hash the SHA-256 of its bytes: pushing the same batch twice stores it once.
//!
//! Erasure must remove a record's bytes from the server, and the server cannot cut them
//! out of a batch: the erasing coordinator's device fetches the batches holding the
//! record ([`HeldBatches`]), seals each again without it, and sends the replacements
//! with the erasure ([`BatchReplacement`]); the server swaps them in, in the erasure's
//! transaction, after checking each lists exactly the same changes but the erased
//! record's.

use serde::{Deserialize, Serialize};

use crate::wire::{Reader, WireError, put_doc_id, put_uint};

/// The first byte of a sealed batch (a change sealed alone starts with
/// [`super::SEALED_MARK`]).
pub const BATCH_MARK: u8 = 0xF2;

/// The `kind` (and record id) of a [`ChangeBlob`](super::ChangeBlob) holding a batch.
pub const BATCH_KIND: &str = "batch";

/// The most changes a batch may list.
pub const MAX_BATCH_CHANGES: usize = super::MAX_PUSH_CHANGES;

/// One change listed in a batch's clear header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchMember {
    /// Its record.
    pub doc_id: String,
    /// Its record's kind.
    pub kind: String,
}

/// What a batch's clear header says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchHeader {
    /// The key epoch it is sealed under.
    pub epoch: u32,
    /// Its changes' records and kinds, in order.
    pub members: Vec<BatchMember>,
    /// Where the sealed body starts (the header's length).
    pub body_at: usize,
}

impl BatchHeader {
    /// Whether it lists a change of record `doc_id`.
    pub fn holds(&self, doc_id: &str) -> bool {
        self.members.iter().any(|m| m.doc_id == doc_id)
    }
}

/// Writes a batch's clear header; the device appends the sealed body.
pub fn put_batch_header(out: &mut Vec<u8>, epoch: u32, members: &[BatchMember]) {
    out.push(BATCH_MARK);
    out.extend_from_slice(&epoch.to_be_bytes());
    put_uint(out, members.len() as u64);
    for m in members {
        put_doc_id(out, &m.doc_id);
        crate::wire::put_bytes(out, m.kind.as_bytes());
    }
}

/// Reads a batch's clear header; an error for any blob that is not a batch.
pub fn read_batch_header(data: &[u8]) -> Result<BatchHeader, WireError> {
    let mut r = Reader::new(data);
    if r.byte()? != BATCH_MARK {
        return Err(WireError::BadMagic { expected: "batch" });
    }
    let epoch = u32::from_be_bytes(
        r.take(4)?
            .try_into()
            .map_err(|_| WireError::Truncated { at: 1 })?,
    );
    let at = r.position();
    let count = r.count()?;
    if count > MAX_BATCH_CHANGES {
        return Err(WireError::TooLong { at });
    }
    let mut members = Vec::with_capacity(r.room(count));
    for _ in 0..count {
        let doc_id = r.packed_text(16)?;
        let kind = r.text()?;
        members.push(BatchMember { doc_id, kind });
    }
    Ok(BatchHeader {
        epoch,
        members,
        body_at: r.position(),
    })
}

/// `GET /v1/batches?doc_id=…` (a coordinator's device, before an erasure): the batches
/// of the team's log that hold a change of the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HeldBatches {
    /// The server's [`super::API_VERSION`].
    pub api_version: u32,
    /// The batches, in log order.
    pub batches: Vec<HeldBatch>,
}

/// One batch of the log, as [`HeldBatches`] lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HeldBatch {
    /// Its sequence number in the team's log.
    pub seq: u64,
    /// Its bytes.
    #[serde(with = "super::base64_bytes")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Byte))]
    pub data: Vec<u8>,
}

/// A batch sealed again without an erased record's changes, sent with the erasure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BatchReplacement {
    /// The sequence number of the batch it replaces.
    pub seq: u64,
    /// The new batch's bytes; empty when the batch held nothing else.
    #[serde(with = "super::base64_bytes")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Byte))]
    pub data: Vec<u8>,
}

/// The query of `GET /v1/batches`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct BatchesQuery {
    /// The client's [`super::API_VERSION`].
    pub api_version: u32,
    /// The record.
    pub doc_id: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn members() -> Vec<BatchMember> {
        vec![
            BatchMember {
                doc_id: "01890a5d-ac96-774b-bcce-b302099a8057".into(),
                kind: "personne".into(),
            },
            BatchMember {
                doc_id: "not-a-uuid".into(),
                kind: "rencontre".into(),
            },
        ]
    }

    #[test]
    fn a_header_reads_back_with_where_the_body_starts() {
        let mut data = Vec::new();
        put_batch_header(&mut data, 7, &members());
        let body_at = data.len();
        data.extend_from_slice(b"sealed body");
        let header = read_batch_header(&data).expect("header");
        assert_eq!(header.epoch, 7);
        assert_eq!(header.members, members());
        assert_eq!(header.body_at, body_at);
        assert!(header.holds("not-a-uuid"));
        assert!(!header.holds("other"));
    }

    #[test]
    fn anything_else_is_not_a_batch() {
        assert!(read_batch_header(&[]).is_err());
        assert!(read_batch_header(&[super::super::SEALED_MARK, 0, 0, 0, 1, 0]).is_err());
        let mut data = Vec::new();
        put_batch_header(&mut data, 1, &members());
        for cut in 0..data.len() {
            assert!(read_batch_header(&data[..cut]).is_err(), "cut at {cut}");
        }
        // A count beyond the limit is refused before anything is allocated for it.
        let mut forged = vec![BATCH_MARK, 0, 0, 0, 1];
        put_uint(&mut forged, u64::MAX >> 1);
        assert!(read_batch_header(&forged).is_err());
    }
}
