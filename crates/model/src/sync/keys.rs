//! The key epochs of a team that seals its log end to end: what a device publishes
//! (its X25519 public key, with a proof that a holder of the team key made it), what a
//! coordinator's device uploads when it starts a new epoch at a revocation (the new
//! key sealed to each remaining device, and to the team's recovery key), and what a
//! device fetches to learn the keys sealed for it.
//!
//! The server stores and hands out these bytes; it can open none of them. A device
//! trusts a published key only when its proof checks under a team key it holds: the
//! server, which holds none, cannot slip in a key of its own.

use serde::{Deserialize, Serialize};

use super::base64_bytes;

/// The recipient name of the seals made for the team's recovery key (printed once, for
/// the association's safe), beside the device ids.
pub const RECOVERY_RECIPIENT: &str = "recovery";

/// Largest sealed epoch key, in bytes (a seal is about a hundred).
pub const MAX_SEALED_EPOCH_KEY_BYTES: usize = 512;
/// Most sealed keys in one request (a team's devices, at each epoch).
pub const MAX_SEALED_EPOCH_KEYS: usize = 2_000;

/// A device's X25519 public key, with its proof: an HMAC, under a key derived from the
/// team key of `proof_epoch`, of the team, the device id and the public key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublishedKey {
    /// The 32 bytes of the X25519 public key.
    #[serde(with = "base64_bytes")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Byte))]
    pub public_key: Vec<u8>,
    /// The proof (32 bytes).
    #[serde(with = "base64_bytes")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Byte))]
    pub proof: Vec<u8>,
    /// The epoch whose team key made the proof.
    pub proof_epoch: u32,
}

/// `POST /v1/device-key`: the asking device publishes its public key (once: the
/// server refuses to replace it by another).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeviceKeyRequest {
    /// The client's [`super::API_VERSION`].
    pub api_version: u32,
    /// The key and its proof.
    pub key: PublishedKey,
}

/// One epoch's team key, sealed to one recipient (a device id, or
/// [`RECOVERY_RECIPIENT`]).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SealedEpochKey {
    /// The epoch of the sealed key.
    pub epoch: u32,
    /// Who can open it.
    pub recipient: String,
    /// The seal (opaque to the server).
    #[serde(with = "base64_bytes")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Byte))]
    pub sealed: Vec<u8>,
}

impl std::fmt::Debug for SealedEpochKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SealedEpochKey")
            .field("epoch", &self.epoch)
            .field("recipient", &self.recipient)
            .finish_non_exhaustive()
    }
}

/// `GET /v1/keys`: the team's key epoch now, and every epoch key sealed to the asking
/// device.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EpochKeys {
    /// The server's [`super::API_VERSION`].
    pub api_version: u32,
    /// The team's key epoch now.
    pub epoch: u32,
    /// The keys sealed to the asking device, oldest epoch first.
    pub keys: Vec<SealedEpochKey>,
}

/// `POST /v1/keys` (a coordinator's device): epoch keys sealed to devices of the team
/// that lack them (a device that published its key after an epoch began), or to a
/// new recovery key. Answered with the team's [`super::DeviceList`].
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShareKeysRequest {
    /// The client's [`super::API_VERSION`].
    pub api_version: u32,
    /// The seals.
    pub keys: Vec<SealedEpochKey>,
    /// A new recovery key's public half and proof, replacing the team's earlier one (its
    /// seals are then forgotten); `None` to keep it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery: Option<PublishedKey>,
}

/// `GET /v1/recovery` (a coordinator's device): the team's recovery key and every epoch
/// key sealed to it, so a device given the printed recovery secret gets the team's keys
/// back when every device holding them is gone.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecoveryKeys {
    /// The server's [`super::API_VERSION`].
    pub api_version: u32,
    /// The recovery key's public half and proof, if the team made one.
    pub key: Option<PublishedKey>,
    /// The epoch keys sealed to it.
    pub keys: Vec<SealedEpochKey>,
}
