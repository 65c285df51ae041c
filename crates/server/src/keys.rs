//! The key epochs of a team that seals its log end to end, as the server relays them:
//! a device publishes its public key (`POST /v1/device-key`), fetches the epoch keys
//! sealed to it (`GET /v1/keys`); a coordinator's device starts a new epoch after a
//! revocation (`POST /v1/epoch` with epoch e + 1), shares keys with a device that
//! lacks them or with a new recovery key (`POST /v1/keys`), and reads the recovery
//! key's seals (`GET /v1/recovery`).
//!
//! The server checks sizes, roles and recipients, and that a new epoch follows the
//! team's; it cannot check a proof or open a seal (it holds no team key), so the
//! devices check them. From the start of an epoch it refuses a push sealed under an
//! older one ([`check_page_epochs`]), so every device moves to the new key and
//! nothing a revoked device could read is written after its revocation.

use std::collections::BTreeSet;

use filrouge_model::sync::{
    API_VERSION, ChangeBlob, DeviceKeyRequest, ERASURE_KIND, EpochKeys, KeyEpochRequest,
    KeyEpochResponse, MAX_SEALED_EPOCH_KEY_BYTES, MAX_SEALED_EPOCH_KEYS, PublishedKey,
    RECOVERY_RECIPIENT, RecoveryKeys, SealedEpochKey, ShareKeysRequest, sealed_epoch,
};

use crate::TeamServer;
use crate::coordinator::coordinator;
use crate::error::ServerError;
use crate::storage::Device;
use crate::validate;

impl TeamServer {
    /// Keeps `device`'s published key; refuses another key once one is held.
    pub fn publish_key_for(
        &self,
        device: &Device,
        request: &DeviceKeyRequest,
    ) -> Result<EpochKeys, ServerError> {
        validate::check_version(request.api_version)?;
        let epoch = self.storage().key_epoch(&device.team_id)?;
        check_published(&request.key, epoch)?;
        if !self
            .storage()
            .publish_device_key(&device.team_id, &device.id, &request.key)?
        {
            return Err(ServerError::Forbidden {
                action: "replacing a device's published key",
            });
        }
        tracing::info!(device_id = %device.id, "device key published");
        self.epoch_keys_for_device(device)
    }

    /// The team's key epoch and the keys sealed to `device`.
    pub fn epoch_keys_for_device(&self, device: &Device) -> Result<EpochKeys, ServerError> {
        Ok(EpochKeys {
            api_version: API_VERSION,
            epoch: self.storage().key_epoch(&device.team_id)?,
            keys: self.storage().epoch_keys_for(&device.team_id, &device.id)?,
        })
    }

    /// Starts key epoch 1 on a new team (see [`TeamServer::start_key_epoch_for`]'s
    /// genesis), or epoch e + 1 after a revocation, with its key sealed to the team's
    /// remaining devices.
    pub fn start_key_epoch_for(
        &self,
        device: &Device,
        request: &KeyEpochRequest,
    ) -> Result<KeyEpochResponse, ServerError> {
        validate::check_version(request.api_version)?;
        coordinator(device, "the team's key epoch")?;
        let (started, epoch) = match request.epoch {
            0 => {
                return Err(ServerError::BadField {
                    field: "epoch",
                    max_len: 1,
                    index: None,
                });
            }
            1 if request.sealed.is_empty() => match &request.history {
                None => self
                    .storage()
                    .start_key_epoch(&device.team_id, &device.id)?,
                Some(seal) => {
                    validate::check_log_id(&seal.new_log_id)?;
                    let answer = self.storage().seal_history(&device.team_id, seal)?;
                    if answer.0 {
                        self.forget_log(&device.team_id);
                        tracing::info!(team_id = %device.team_id, "the team's history in clear was dropped; its devices heal the log sealed");
                    }
                    answer
                }
            },
            next => {
                self.check_seals(device, &request.sealed, Some(next))?;
                self.storage()
                    .rotate_key_epoch(&device.team_id, next - 1, &request.sealed)?
            }
        };
        tracing::info!(team_id = %device.team_id, started, epoch, "key epoch asked");
        Ok(KeyEpochResponse {
            api_version: API_VERSION,
            started,
            epoch,
        })
    }

    /// Keeps epoch keys a coordinator's device sealed to devices of its team (or to a
    /// new recovery key), then lists the team's devices.
    pub fn share_keys_for(
        &self,
        device: &Device,
        request: &ShareKeysRequest,
    ) -> Result<filrouge_model::sync::DeviceList, ServerError> {
        validate::check_version(request.api_version)?;
        coordinator(device, "sharing the team's keys")?;
        let epoch = self.storage().key_epoch(&device.team_id)?;
        if let Some(key) = &request.recovery {
            check_published(key, epoch)?;
        }
        self.check_seals(device, &request.keys, None)?;
        if request.keys.iter().any(|k| k.epoch > epoch) {
            return Err(ServerError::BadField {
                field: "epoch",
                max_len: epoch as usize,
                index: None,
            });
        }
        self.storage().share_epoch_keys(
            &device.team_id,
            &request.keys,
            request.recovery.as_ref(),
        )?;
        tracing::info!(
            team_id = %device.team_id,
            keys = request.keys.len(),
            recovery = request.recovery.is_some(),
            "team keys shared"
        );
        self.devices_for(device)
    }

    /// The team's recovery key and the epoch keys sealed to it (coordinators only).
    pub fn recovery_for(&self, device: &Device) -> Result<RecoveryKeys, ServerError> {
        coordinator(device, "the recovery key")?;
        let mut holders = self.storage().key_holders(&device.team_id)?;
        Ok(RecoveryKeys {
            api_version: API_VERSION,
            key: holders.remove(RECOVERY_RECIPIENT).and_then(|h| h.key),
            keys: self
                .storage()
                .epoch_keys_for(&device.team_id, RECOVERY_RECIPIENT)?,
        })
    }

    /// Checks the seals' sizes, epochs (all `epoch`, when given) and recipients: a
    /// device of the team that is not revoked, or the recovery key.
    fn check_seals(
        &self,
        device: &Device,
        seals: &[SealedEpochKey],
        epoch: Option<u32>,
    ) -> Result<(), ServerError> {
        if seals.len() > MAX_SEALED_EPOCH_KEYS || (epoch.is_some() && seals.is_empty()) {
            return Err(ServerError::BadField {
                field: "sealed",
                max_len: MAX_SEALED_EPOCH_KEYS,
                index: None,
            });
        }
        let active: BTreeSet<String> = self
            .devices(&device.team_id)?
            .into_iter()
            .filter(|d| d.revoked_at.is_none())
            .map(|d| d.id)
            .collect();
        for (index, seal) in seals.iter().enumerate() {
            if seal.sealed.is_empty() || seal.sealed.len() > MAX_SEALED_EPOCH_KEY_BYTES {
                return Err(ServerError::BadField {
                    field: "sealed",
                    max_len: MAX_SEALED_EPOCH_KEY_BYTES,
                    index: Some(index),
                });
            }
            if seal.epoch == 0 || epoch.is_some_and(|e| e != seal.epoch) {
                return Err(ServerError::BadField {
                    field: "epoch",
                    max_len: epoch.unwrap_or_default() as usize,
                    index: Some(index),
                });
            }
            if seal.recipient != RECOVERY_RECIPIENT && !active.contains(&seal.recipient) {
                return Err(ServerError::UnknownDevice {
                    device_id: seal.recipient.clone(),
                });
            }
        }
        Ok(())
    }
}

/// A published key: 32 bytes of public key, 32 of proof, made under an epoch the team
/// has (a team in clear has no use for one).
fn check_published(key: &PublishedKey, epoch: u32) -> Result<(), ServerError> {
    let field = if key.public_key.len() != 32 {
        Some("public_key")
    } else if key.proof.len() != 32 {
        Some("proof")
    } else if key.proof_epoch == 0 || key.proof_epoch > epoch {
        Some("proof_epoch")
    } else {
        None
    };
    match field {
        Some(field) => Err(ServerError::BadField {
            field,
            max_len: 32,
            index: None,
        }),
        None => Ok(()),
    }
}

/// Refuses a push holding a change sealed under an epoch older than the team's
/// (`current`), or a change in clear (epoch 0 here) once the team seals: a device
/// without the key keeps it in its outbox until it is invited again, instead of writing
/// what the team's devices would refuse. The server's own erasure entries are clear and
/// pass. Reads each blob's seal header only; the error names the first change sealed
/// under the oldest epoch.
///
/// A push checks it against the epoch read with its token, to refuse early, and the
/// storage again against the epoch read under the team's lock in the append's
/// transaction: a seal or a rotation committed while the page was on its way cannot
/// let it in.
pub(crate) fn check_page_epochs(changes: &[ChangeBlob], current: u32) -> Result<(), ServerError> {
    let epochs = changes
        .iter()
        .enumerate()
        .filter_map(|(i, c)| match sealed_epoch(&c.data) {
            Some(e) => Some((i, e)),
            None => (c.kind != ERASURE_KIND).then_some((i, 0)),
        });
    match epochs.min_by_key(|(_, e)| *e) {
        Some((index, sealed)) if sealed < current => Err(ServerError::StaleEpoch {
            index,
            sealed,
            current,
        }),
        _ => Ok(()),
    }
}
