//! Key epochs after the first: each device's own X25519 key pair, the proof that ties
//! its public key to the team, and an epoch key sealed to one recipient.
//!
//! A revocation starts a new epoch: the coordinator's device makes a new team key and
//! seals it to each remaining device's public key ([`seal_epoch_key`]), and to the
//! team's recovery key; the server stores the seals, and each device opens its own
//! ([`open_epoch_key`]) with the secret half that never leaves its encrypted store.
//! The revoked device gets no seal, so it can read nothing written from then on.
//!
//! The server hands out the public keys, so it could offer one of its own in place of
//! a device's. It cannot make the **proof** that goes with each one: an HMAC of the
//! team, the recipient and the public key under a key derived from a team key
//! ([`key_proof`]), which the server never holds. A device seals only to keys whose
//! proof checks ([`proof_checks`]).
//!
//! Anyone who knows a public key can seal to it, the server included: a seal alone
//! would let the server hand every device a "new epoch" key of its own making, under
//! which the devices would then write. So each sealed key carries a **commitment**: an
//! HMAC of the team, the epoch and the key under a subkey of the previous epoch's key
//! ([`chain_commit`]), which only a holder of the team's keys can make; a device keeps
//! a key only when the commitment checks under the key before it. Epoch 1 has no key
//! before it: it reaches devices only inside an invitation, and the recovery key with
//! a commitment under the recovery secret itself ([`recovery_commit`]).
//!
//! A seal is ephemeral-static X25519 (a fresh key pair per seal), the shared secret
//! hashed with both public keys into an XChaCha20-Poly1305 key, and associated data
//! binding team, recipient and epoch: `format (1), ephemeral public key (32), nonce
//! (24), ciphertext and tag (64 + 16)`, 137 bytes.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use x25519_dalek::{PublicKey, StaticSecret};
use zeroize::Zeroizing;

use super::{SealError, TeamKey, derive, hmac};
use crate::CoreError;

const SEAL_FORMAT: u8 = 1;
const SEAL_LEN: usize = 1 + 32 + 24 + 64 + 16;

/// A device's (or the recovery key's) X25519 secret; wiped from memory when dropped.
#[derive(Clone)]
pub struct DeviceSecret(StaticSecret);

impl DeviceSecret {
    /// A new random secret.
    pub fn random() -> Result<DeviceSecret, CoreError> {
        let mut bytes = Zeroizing::new([0u8; 32]);
        getrandom::fill(bytes.as_mut()).map_err(|_| CoreError::NoRandomness)?;
        Ok(DeviceSecret(StaticSecret::from(*bytes)))
    }

    /// A secret from its 32 bytes; `None` for any other length.
    pub fn from_slice(bytes: &[u8]) -> Option<DeviceSecret> {
        let bytes: [u8; 32] = bytes.try_into().ok()?;
        Some(DeviceSecret(StaticSecret::from(bytes)))
    }

    /// Its bytes, to keep in the encrypted store (or print, for the recovery key).
    pub fn to_bytes(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(self.0.to_bytes())
    }

    /// Its public half.
    pub fn public(&self) -> [u8; 32] {
        PublicKey::from(&self.0).to_bytes()
    }
}

impl std::fmt::Debug for DeviceSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DeviceSecret(…)")
    }
}

/// The proof that `public` is `recipient`'s key in `team`, made with the team key of
/// some epoch.
pub fn key_proof(key: &TeamKey, team: &str, recipient: &str, public: &[u8]) -> [u8; 32] {
    let proof_key = key.derive(b"filrouge device key proof 1");
    hmac(
        proof_key.as_ref(),
        &[&framed(team), &framed(recipient), public],
    )
}

/// Whether `proof` is [`key_proof`] of `public` under `key`, compared in constant time.
pub fn proof_checks(
    key: &TeamKey,
    team: &str,
    recipient: &str,
    public: &[u8],
    proof: &[u8],
) -> bool {
    use hmac::Mac as _;
    let proof_key = key.derive(b"filrouge device key proof 1");
    let Ok(mut mac) = <super::HmacSha256 as hmac::Mac>::new_from_slice(proof_key.as_ref()) else {
        return false;
    };
    for part in [&framed(team)[..], &framed(recipient), public] {
        mac.update(part);
    }
    mac.verify_slice(proof).is_ok()
}

/// The commitment to epoch `epoch`'s `key` under the key of the epoch before it.
pub fn chain_commit(previous: &TeamKey, team: &str, epoch: u32, key: &TeamKey) -> [u8; 32] {
    let commit_key = previous.derive(b"filrouge epoch chain 1");
    hmac(
        commit_key.as_ref(),
        &[&framed(team), &epoch.to_be_bytes(), key.as_bytes()],
    )
}

/// The commitment to epoch `epoch`'s `key` under the recovery secret, made when the
/// recovery key is made (it covers the epochs that exist then).
pub fn recovery_commit(recovery: &DeviceSecret, team: &str, epoch: u32, key: &TeamKey) -> [u8; 32] {
    let secret = recovery.to_bytes();
    let commit_key = derive(secret.as_ref(), b"filrouge recovery commit 1");
    hmac(
        commit_key.as_ref(),
        &[&framed(team), &epoch.to_be_bytes(), key.as_bytes()],
    )
}

/// Whether two commitments are equal, in time independent of where they differ.
pub fn commit_eq(a: &[u8; 32], b: &[u8; 32]) -> bool {
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Seals epoch `epoch`'s `key`, with its `commit`ment, to `recipient` (whose public key
/// is `public`) in `team`.
pub fn seal_epoch_key(
    key: &TeamKey,
    commit: &[u8; 32],
    epoch: u32,
    team: &str,
    recipient: &str,
    public: &[u8; 32],
) -> Result<Vec<u8>, CoreError> {
    let ephemeral = DeviceSecret::random()?;
    let ephemeral_public = ephemeral.public();
    let shared = Zeroizing::new(
        ephemeral
            .0
            .diffie_hellman(&PublicKey::from(*public))
            .to_bytes(),
    );
    let cipher =
        XChaCha20Poly1305::new(seal_key(&shared, &ephemeral_public, public).as_ref().into());
    let mut nonce = [0u8; 24];
    getrandom::fill(&mut nonce).map_err(|_| CoreError::NoRandomness)?;
    let mut plain = Zeroizing::new([0u8; 64]);
    plain[..32].copy_from_slice(key.as_bytes());
    plain[32..].copy_from_slice(commit);
    let sealed = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: plain.as_ref(),
                aad: &seal_ad(team, recipient, epoch),
            },
        )
        .unwrap_or_else(|_| unreachable!());
    let mut out = Vec::with_capacity(SEAL_LEN);
    out.push(SEAL_FORMAT);
    out.extend_from_slice(&ephemeral_public);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&sealed);
    Ok(out)
}

/// Opens a seal made by [`seal_epoch_key`] for `recipient`, holder of `secret`: the key
/// and its commitment, which the caller checks before keeping the key.
pub fn open_epoch_key(
    secret: &DeviceSecret,
    epoch: u32,
    team: &str,
    recipient: &str,
    sealed: &[u8],
) -> Result<(TeamKey, [u8; 32]), SealError> {
    if sealed.len() != SEAL_LEN || sealed[0] != SEAL_FORMAT {
        return Err(SealError::Format);
    }
    let mut ephemeral_public = [0u8; 32];
    ephemeral_public.copy_from_slice(&sealed[1..33]);
    let shared = Zeroizing::new(
        secret
            .0
            .diffie_hellman(&PublicKey::from(ephemeral_public))
            .to_bytes(),
    );
    let cipher = XChaCha20Poly1305::new(
        seal_key(&shared, &ephemeral_public, &secret.public())
            .as_ref()
            .into(),
    );
    let plain = Zeroizing::new(
        cipher
            .decrypt(
                XNonce::from_slice(&sealed[33..57]),
                Payload {
                    msg: &sealed[57..],
                    aad: &seal_ad(team, recipient, epoch),
                },
            )
            .map_err(|_| SealError::Forged)?,
    );
    if plain.len() != 64 {
        return Err(SealError::Format);
    }
    let key = TeamKey::from_slice(&plain[..32]).ok_or(SealError::Format)?;
    let mut commit = [0u8; 32];
    commit.copy_from_slice(&plain[32..]);
    Ok((key, commit))
}

fn seal_key(shared: &[u8; 32], ephemeral: &[u8; 32], recipient: &[u8; 32]) -> Zeroizing<[u8; 32]> {
    let mut info = Vec::with_capacity(26 + 64);
    info.extend_from_slice(b"filrouge epoch key seal 1");
    info.extend_from_slice(ephemeral);
    info.extend_from_slice(recipient);
    derive(shared, &info)
}

fn seal_ad(team: &str, recipient: &str, epoch: u32) -> Vec<u8> {
    let mut ad = b"filrouge/epoch-key/1".to_vec();
    ad.extend_from_slice(&framed(team));
    ad.extend_from_slice(&framed(recipient));
    ad.extend_from_slice(&epoch.to_be_bytes());
    ad
}

/// A field with its length before it, so no two sequences of fields read alike.
fn framed(field: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(4 + field.len());
    out.extend_from_slice(&(field.len() as u32).to_be_bytes());
    out.extend_from_slice(field.as_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_epoch_key_opens_for_its_recipient_only() {
        let key = TeamKey::random().unwrap();
        let phone = DeviceSecret::random().unwrap();
        let other = DeviceSecret::random().unwrap();
        let before = TeamKey::random().unwrap();
        let commit = chain_commit(&before, "team", 2, &key);
        let sealed = seal_epoch_key(&key, &commit, 2, "team", "phone", &phone.public()).unwrap();
        assert_eq!(sealed.len(), SEAL_LEN);
        let (opened, opened_commit) = open_epoch_key(&phone, 2, "team", "phone", &sealed).unwrap();
        assert_eq!(opened.as_bytes(), key.as_bytes());
        assert!(commit_eq(
            &opened_commit,
            &chain_commit(&before, "team", 2, &opened)
        ));
        // Another device's secret, or the seal relabelled (epoch, recipient, team).
        assert_eq!(
            open_epoch_key(&other, 2, "team", "phone", &sealed).unwrap_err(),
            SealError::Forged
        );
        for (epoch, team, recipient) in [
            (3, "team", "phone"),
            (2, "other", "phone"),
            (2, "team", "laptop"),
        ] {
            assert_eq!(
                open_epoch_key(&phone, epoch, team, recipient, &sealed).unwrap_err(),
                SealError::Forged
            );
        }
        let mut flipped = sealed.clone();
        flipped[70] ^= 1;
        assert_eq!(
            open_epoch_key(&phone, 2, "team", "phone", &flipped).unwrap_err(),
            SealError::Forged
        );
        assert_eq!(
            open_epoch_key(&phone, 2, "team", "phone", &sealed[..50]).unwrap_err(),
            SealError::Format
        );
    }

    #[test]
    fn only_a_holder_of_the_previous_key_commits_to_the_next() {
        // The server can seal a key of its own to a device's public key; it cannot
        // commit to it under the previous epoch's key, nor under the recovery secret.
        let (before, next) = (TeamKey::random().unwrap(), TeamKey::random().unwrap());
        let forged = TeamKey::random().unwrap();
        let commit = chain_commit(&before, "team", 2, &next);
        assert!(commit_eq(&commit, &chain_commit(&before, "team", 2, &next)));
        assert!(!commit_eq(
            &commit,
            &chain_commit(&before, "team", 2, &forged)
        ));
        assert!(!commit_eq(
            &commit,
            &chain_commit(&before, "team", 3, &next)
        ));
        assert!(!commit_eq(
            &commit,
            &chain_commit(&before, "other", 2, &next)
        ));
        assert!(!commit_eq(
            &commit,
            &chain_commit(&forged, "team", 2, &next)
        ));
        let recovery = DeviceSecret::random().unwrap();
        let other = DeviceSecret::random().unwrap();
        let commit = recovery_commit(&recovery, "team", 1, &before);
        assert!(commit_eq(
            &commit,
            &recovery_commit(&recovery, "team", 1, &before)
        ));
        assert!(!commit_eq(
            &commit,
            &recovery_commit(&other, "team", 1, &before)
        ));
        assert!(!commit_eq(
            &commit,
            &recovery_commit(&recovery, "team", 1, &forged)
        ));
    }

    #[test]
    fn a_proof_ties_a_public_key_to_its_device_and_team() {
        let key = TeamKey::random().unwrap();
        let phone = DeviceSecret::random().unwrap();
        let proof = key_proof(&key, "team", "phone", &phone.public());
        assert!(proof_checks(&key, "team", "phone", &phone.public(), &proof));
        // The server's own key under the phone's name, another team, another key.
        let server = DeviceSecret::random().unwrap();
        assert!(!proof_checks(
            &key,
            "team",
            "phone",
            &server.public(),
            &proof
        ));
        assert!(!proof_checks(
            &key,
            "team",
            "laptop",
            &phone.public(),
            &proof
        ));
        assert!(!proof_checks(
            &key,
            "other",
            "phone",
            &phone.public(),
            &proof
        ));
        let stranger = TeamKey::random().unwrap();
        assert!(!proof_checks(
            &stranger,
            "team",
            "phone",
            &phone.public(),
            &proof
        ));
    }

    #[test]
    fn a_secret_round_trips_through_its_bytes() {
        let secret = DeviceSecret::random().unwrap();
        let again = DeviceSecret::from_slice(secret.to_bytes().as_ref()).unwrap();
        assert_eq!(again.public(), secret.public());
        assert!(DeviceSecret::from_slice(&[0; 31]).is_none());
    }
}
