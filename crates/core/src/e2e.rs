//! End-to-end encryption of the change log: what a device sends the team server is
//! ciphertext under the team's key, which the server never holds.
//!
//! A team key belongs to an **epoch** (1, 2, …: a new epoch when a device is revoked);
//! a device keeps every epoch's key it was given in its encrypted store
//! ([`Keyring`]). Pushing, the sync engine seals a page's changes together under the
//! newest key, as batches ([`seal_batch`], see `batch.rs`); pulling, it opens each
//! batch (or a change sealed alone by an older version, [`open_change`]) under the key
//! of the epoch it names before Automerge ever reads it. Access-log entries are sealed
//! alone ([`seal_change`]).
//!
//! - **The same change always seals to the same bytes** under one key: the nonce is an
//!   HMAC of the associated data and the plaintext (a synthetic nonce, as in SIV
//!   modes), so a retried or re-uploaded change is byte for byte what the server already
//!   holds, and the log's idempotence by change hash survives. Two different changes
//!   never share a nonce unless HMAC-SHA256 collides.
//! - **The associated data binds** the team, the record id, its kind and the epoch: a
//!   blob the server moves to another record or team, or relabels with another epoch,
//!   fails authentication and is refused, never applied. The change hash needs no
//!   binding: pulled pages carry none, and a device computes each hash from the bytes
//!   it opened.
//! - **The envelope** is `0xF1, epoch (4 bytes, big-endian), packing, nonce (24),
//!   ciphertext and tag`: 46 bytes a change. Its first byte is neither an Automerge
//!   chunk's nor a pushed blob's, so sealed and clear blobs are told apart, and the
//!   epoch is readable without a key ([`filrouge_model::sync::sealed_epoch`]), for the
//!   server's refusal of an outdated epoch.
//! - **Compressed before it is sealed** (zstd), when that makes it smaller: ciphertext
//!   does not compress, so the server's compression of pages no longer helps.
//!
//! The keyring travels to a new device sealed under a one-time **invitation secret**
//! ([`seal_keyring`]): the secret is in the invitation link the new device scans, never
//! sent to the server, which only stores the sealed keyring with the enrolment code.
//! A later epoch's key reaches each device sealed to its own public key (`epochs`).

use std::collections::BTreeMap;

mod batch;
mod epochs;
mod recovery;

pub use batch::{BATCH_PLAIN_BYTES, BatchChange, open_batch, seal_batch};

pub use epochs::{
    DeviceSecret, chain_commit, commit_eq, key_proof, open_epoch_key, proof_checks,
    recovery_commit, seal_epoch_key,
};
pub use recovery::{parse_recovery_text, recovery_text};

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::CoreError;

type HmacSha256 = Hmac<Sha256>;

use filrouge_model::sync::{SEALED_MARK, sealed_epoch};

/// How the plaintext was packed before sealing (the envelope's sixth byte).
const PLAIN: u8 = 0;
const ZSTD: u8 = 1;
/// The header before the ciphertext: mark, epoch, packing, nonce.
const HEADER: usize = 1 + 4 + 1 + 24;
/// zstd's level for a change: small inputs, so a fast level loses nothing.
const ZSTD_LEVEL: i32 = 3;
/// Largest plaintext a sealed change may unpack to: a change blob's own limit, with room.
const MAX_PLAIN: usize = 4 * filrouge_model::sync::MAX_BLOB_BYTES;

/// The format byte of a sealed keyring.
const KEYRING_FORMAT: u8 = 1;

/// Why a sealed change or keyring did not open.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    /// No key for the epoch the blob names (the device has not been given it yet).
    #[error("no team key for epoch {epoch}")]
    NoKey {
        /// The epoch named.
        epoch: u32,
    },
    /// The bytes are not in a format this version writes.
    #[error("not a sealed blob of a known format")]
    Format,
    /// Authentication failed: the bytes, or what they are bound to, were changed.
    #[error("the sealed bytes do not authenticate")]
    Forged,
    /// The packed plaintext does not unpack.
    #[error("the sealed plaintext does not unpack")]
    Unpack,
}

/// One epoch's team key: 32 random bytes, wiped from memory when dropped.
#[derive(Clone)]
pub struct TeamKey(Zeroizing<[u8; 32]>);

impl TeamKey {
    /// A new random key.
    pub fn random() -> Result<TeamKey, CoreError> {
        let mut bytes = Zeroizing::new([0u8; 32]);
        getrandom::fill(bytes.as_mut()).map_err(|_| CoreError::NoRandomness)?;
        Ok(TeamKey(bytes))
    }

    /// A key from its 32 bytes (as stored); `None` for any other length.
    pub fn from_slice(bytes: &[u8]) -> Option<TeamKey> {
        let bytes: [u8; 32] = bytes.try_into().ok()?;
        Some(TeamKey(Zeroizing::new(bytes)))
    }

    /// Its bytes, to store in the encrypted store.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// A subkey for one purpose: HMAC-SHA256 of the purpose under the key.
    fn derive(&self, purpose: &[u8]) -> Zeroizing<[u8; 32]> {
        derive(self.0.as_ref(), purpose)
    }
}

impl std::fmt::Debug for TeamKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TeamKey(…)")
    }
}

fn derive(key: &[u8], purpose: &[u8]) -> Zeroizing<[u8; 32]> {
    let mut out = Zeroizing::new([0u8; 32]);
    out.copy_from_slice(&hmac(key, &[purpose]));
    out
}

fn hmac(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    // HMAC takes keys of any length: this cannot fail.
    let mut mac = <HmacSha256 as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().into()
}

/// Every team key a device holds, by epoch.
#[derive(Debug, Clone, Default)]
pub struct Keyring {
    keys: BTreeMap<u32, TeamKey>,
}

impl Keyring {
    /// A keyring holding one key.
    pub fn with(epoch: u32, key: TeamKey) -> Keyring {
        let mut ring = Keyring::default();
        ring.insert(epoch, key);
        ring
    }

    /// Adds (or replaces) an epoch's key.
    pub fn insert(&mut self, epoch: u32, key: TeamKey) {
        self.keys.insert(epoch, key);
    }

    /// The key of `epoch`, if held.
    pub fn get(&self, epoch: u32) -> Option<&TeamKey> {
        self.keys.get(&epoch)
    }

    /// The newest epoch and its key: what new changes are sealed under.
    pub fn current(&self) -> Option<(u32, &TeamKey)> {
        self.keys.iter().next_back().map(|(e, k)| (*e, k))
    }

    /// Whether it holds no key (the team does not encrypt, or this device has not been
    /// given its keys yet).
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Every epoch and key, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = (u32, &TeamKey)> {
        self.keys.iter().map(|(e, k)| (*e, k))
    }
}

/// What a sealed change is bound to: the server can change none of it unnoticed.
#[derive(Debug, Clone, Copy)]
pub struct Binding<'a> {
    /// The team's id.
    pub team: &'a str,
    /// The record (document) id.
    pub doc_id: &'a str,
    /// The record kind's code.
    pub kind: &'a str,
}

impl Binding<'_> {
    /// The associated data: every field length-prefixed, so no two bindings read alike.
    fn associated_data(&self, epoch: u32, packing: u8) -> Vec<u8> {
        let mut ad = Vec::with_capacity(64 + self.team.len() + self.doc_id.len());
        ad.extend_from_slice(b"filrouge/change/1");
        for field in [self.team, self.doc_id, self.kind] {
            ad.extend_from_slice(&(field.len() as u32).to_be_bytes());
            ad.extend_from_slice(field.as_bytes());
        }
        ad.extend_from_slice(&epoch.to_be_bytes());
        ad.push(packing);
        ad
    }
}

/// Seals one change's bytes under `key` (of `epoch`), bound to `binding`.
/// Deterministic: the same inputs always give the same bytes.
pub fn seal_change(key: &TeamKey, epoch: u32, binding: &Binding<'_>, plain: &[u8]) -> Vec<u8> {
    let packed = zstd::bulk::compress(plain, ZSTD_LEVEL)
        .ok()
        .filter(|z| z.len() < plain.len());
    let (packing, body) = match &packed {
        Some(z) => (ZSTD, z.as_slice()),
        None => (PLAIN, plain),
    };
    let ad = binding.associated_data(epoch, packing);
    let nonce_key = key.derive(b"filrouge change nonce 1");
    let synthetic = hmac(nonce_key.as_ref(), &[&ad, body]);
    let nonce = XNonce::from_slice(&synthetic[..24]);
    let cipher = XChaCha20Poly1305::new(key.derive(b"filrouge change key 1").as_ref().into());
    // XChaCha20-Poly1305 encrypts any input under 256 GiB: this cannot fail.
    let sealed = cipher
        .encrypt(
            nonce,
            Payload {
                msg: body,
                aad: &ad,
            },
        )
        .unwrap_or_else(|_| unreachable!());
    let mut out = Vec::with_capacity(HEADER + sealed.len());
    out.push(SEALED_MARK);
    out.extend_from_slice(&epoch.to_be_bytes());
    out.push(packing);
    out.extend_from_slice(nonce);
    out.extend_from_slice(&sealed);
    out
}

/// Opens a change sealed by [`seal_change`] with the key of the epoch it names,
/// checking it is bound to `binding`; returns the change's bytes.
pub fn open_change(
    ring: &Keyring,
    binding: &Binding<'_>,
    sealed: &[u8],
) -> Result<Vec<u8>, SealError> {
    let epoch = sealed_epoch(sealed).ok_or(SealError::Format)?;
    if sealed.len() < HEADER + 16 {
        return Err(SealError::Format);
    }
    let key = ring.get(epoch).ok_or(SealError::NoKey { epoch })?;
    let packing = sealed[5];
    if packing != PLAIN && packing != ZSTD {
        return Err(SealError::Format);
    }
    let ad = binding.associated_data(epoch, packing);
    let nonce = XNonce::from_slice(&sealed[6..HEADER]);
    let cipher = XChaCha20Poly1305::new(key.derive(b"filrouge change key 1").as_ref().into());
    let body = cipher
        .decrypt(
            nonce,
            Payload {
                msg: &sealed[HEADER..],
                aad: &ad,
            },
        )
        .map_err(|_| SealError::Forged)?;
    match packing {
        ZSTD => zstd::bulk::decompress(&body, MAX_PLAIN).map_err(|_| SealError::Unpack),
        _ => Ok(body),
    }
}

/// A one-time invitation secret: 32 random bytes, carried by the invitation link only.
#[derive(Clone, PartialEq, Eq)]
pub struct InviteSecret(Zeroizing<[u8; 32]>);

impl InviteSecret {
    /// A new random secret.
    pub fn random() -> Result<InviteSecret, CoreError> {
        let mut bytes = Zeroizing::new([0u8; 32]);
        getrandom::fill(bytes.as_mut()).map_err(|_| CoreError::NoRandomness)?;
        Ok(InviteSecret(bytes))
    }

    /// The secret as the invitation link carries it (lowercase hex).
    pub fn to_hex(&self) -> Zeroizing<String> {
        Zeroizing::new(hex::encode(self.0.as_ref()))
    }

    /// Reads [`InviteSecret::to_hex`] back; `None` unless 64 hex digits.
    pub fn from_hex(text: &str) -> Option<InviteSecret> {
        let bytes = Zeroizing::new(hex::decode(text.trim()).ok()?);
        let bytes: [u8; 32] = bytes.as_slice().try_into().ok()?;
        Some(InviteSecret(Zeroizing::new(bytes)))
    }
}

impl std::fmt::Debug for InviteSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("InviteSecret(…)")
    }
}

/// Seals `ring` under an invitation `secret`, bound to `team`: what the inviting device
/// uploads with the enrolment code. A random nonce: a keyring is sealed once per
/// invitation.
pub fn seal_keyring(
    secret: &InviteSecret,
    team: &str,
    ring: &Keyring,
) -> Result<Vec<u8>, CoreError> {
    let mut plain = Zeroizing::new(Vec::with_capacity(36 * ring.keys.len()));
    for (epoch, key) in ring.iter() {
        plain.extend_from_slice(&epoch.to_be_bytes());
        plain.extend_from_slice(key.as_bytes());
    }
    let mut nonce = [0u8; 24];
    getrandom::fill(&mut nonce).map_err(|_| CoreError::NoRandomness)?;
    let ad = keyring_ad(team);
    let cipher = XChaCha20Poly1305::new(
        derive(secret.0.as_ref(), b"filrouge keyring key 1")
            .as_ref()
            .into(),
    );
    let sealed = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: &plain,
                aad: &ad,
            },
        )
        .unwrap_or_else(|_| unreachable!());
    let mut out = Vec::with_capacity(1 + 24 + sealed.len());
    out.push(KEYRING_FORMAT);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&sealed);
    Ok(out)
}

/// Opens a keyring sealed by [`seal_keyring`] for `team`.
pub fn open_keyring(
    secret: &InviteSecret,
    team: &str,
    sealed: &[u8],
) -> Result<Keyring, SealError> {
    if sealed.len() < 1 + 24 + 16 || sealed[0] != KEYRING_FORMAT {
        return Err(SealError::Format);
    }
    let cipher = XChaCha20Poly1305::new(
        derive(secret.0.as_ref(), b"filrouge keyring key 1")
            .as_ref()
            .into(),
    );
    let plain = Zeroizing::new(
        cipher
            .decrypt(
                XNonce::from_slice(&sealed[1..25]),
                Payload {
                    msg: &sealed[25..],
                    aad: &keyring_ad(team),
                },
            )
            .map_err(|_| SealError::Forged)?,
    );
    if plain.is_empty() || plain.len() % 36 != 0 {
        return Err(SealError::Format);
    }
    let mut ring = Keyring::default();
    for entry in plain.chunks_exact(36) {
        let epoch = u32::from_be_bytes([entry[0], entry[1], entry[2], entry[3]]);
        let key = TeamKey::from_slice(&entry[4..]).ok_or(SealError::Format)?;
        ring.insert(epoch, key);
    }
    Ok(ring)
}

fn keyring_ad(team: &str) -> Vec<u8> {
    let mut ad = b"filrouge/keyring/1".to_vec();
    ad.extend_from_slice(team.as_bytes());
    ad
}

#[cfg(test)]
#[path = "e2e_tests.rs"]
mod tests;
