//! What a coordinator's device may ask of the server about its own team, beside the
//! sync itself: a code to enrol a new device (`POST /v1/codes`), the team's devices
//! (`GET /v1/devices`) and the revocation of one, a lost phone say (`POST /v1/revoke`),
//! and the team's offline lease (`POST /v1/lease`). Its key epochs are in `keys.rs`.
//!
//! A code may carry the team's keys sealed by the inviting device under the
//! invitation's secret: the server stores those bytes with the code, hands them to the
//! device that redeems it, then forgets them; it cannot open them.
//!
//! Every method takes the authenticated [`Device`] and refuses any other role with
//! `403 forbidden`; it acts on that device's team only, so a device id from another
//! team is as unknown as one that never existed. Device names may name a person: they
//! go to the coordinator, never to the logs.

use filrouge_model::sync::{
    API_VERSION, CodeRequest, CodeResponse, DeviceInfo, DeviceList, LeaseRequest,
    MAX_SEALED_KEYS_BYTES, RECOVERY_RECIPIENT, RevokeRequest, Role,
};

use crate::TeamServer;
use crate::error::ServerError;
use crate::storage::Device;
use crate::validate;

/// How long a code a coordinator makes in the app stays valid: a day, in milliseconds.
/// It is meant for a phone in the same room, or a message read the same day; a code
/// left unused in a conversation should not open the team's data a week later.
pub const INVITE_CODE_TTL_MS: i64 = 24 * 60 * 60 * 1000;

impl TeamServer {
    /// A code enrolling a new device into `device`'s team with the role asked for,
    /// valid for [`INVITE_CODE_TTL_MS`].
    pub fn create_code_for(
        &self,
        device: &Device,
        request: &CodeRequest,
    ) -> Result<CodeResponse, ServerError> {
        validate::check_version(request.api_version)?;
        coordinator(device, "enrolment codes")?;
        if let Some(sealed) = &request.sealed_keys
            && (sealed.is_empty() || sealed.len() > MAX_SEALED_KEYS_BYTES)
        {
            return Err(ServerError::BadField {
                field: "sealed_keys",
                max_len: MAX_SEALED_KEYS_BYTES,
                index: None,
            });
        }
        let (code, expires_at) = self.mint_code(
            &device.team_id,
            request.role,
            INVITE_CODE_TTL_MS,
            request.sealed_keys.clone(),
        )?;
        tracing::info!(device_id = %device.id, "enrolment code made by a coordinator's device");
        Ok(CodeResponse {
            api_version: API_VERSION,
            code,
            role: request.role,
            expires_at,
        })
    }

    /// `device`'s team's devices, oldest first, revoked ones included.
    pub fn devices_for(&self, device: &Device) -> Result<DeviceList, ServerError> {
        coordinator(device, "the list of devices")?;
        self.device_list(&device.team_id)
    }

    /// Revokes a device of `device`'s own team, then lists the team's devices. A device
    /// cannot revoke itself: the coordinator would lock themselves out.
    pub fn revoke_for(
        &self,
        device: &Device,
        request: &RevokeRequest,
    ) -> Result<DeviceList, ServerError> {
        validate::check_version(request.api_version)?;
        coordinator(device, "revocation")?;
        if request.device_id == device.id {
            return Err(ServerError::Forbidden {
                action: "revoking the device asking",
            });
        }
        let devices = self.devices(&device.team_id)?;
        if !devices.iter().any(|d| d.id == request.device_id) {
            return Err(ServerError::UnknownDevice {
                device_id: request.device_id.clone(),
            });
        }
        self.revoke_device(&request.device_id)?;
        self.device_list(&device.team_id)
    }

    /// Sets the offline lease of `device`'s team (1 to 365 days).
    pub fn set_lease_for(
        &self,
        device: &Device,
        request: &LeaseRequest,
    ) -> Result<LeaseRequest, ServerError> {
        validate::check_version(request.api_version)?;
        coordinator(device, "the offline lease")?;
        if !(1..=365).contains(&request.days) {
            return Err(ServerError::BadField {
                field: "days",
                max_len: 365,
                index: None,
            });
        }
        self.set_lease_days(&device.team_id, request.days)?;
        tracing::info!(team_id = %device.team_id, days = request.days, "offline lease set");
        Ok(LeaseRequest {
            api_version: API_VERSION,
            days: request.days,
        })
    }

    /// The team's devices as the API gives them to a coordinator, each with its
    /// published key and the epochs sealed to it, and the team's recovery key.
    fn device_list(&self, team_id: &str) -> Result<DeviceList, ServerError> {
        let devices = self.devices(team_id)?;
        let mut holders = self.storage().key_holders(team_id)?;
        let recovery = holders.remove(RECOVERY_RECIPIENT).unwrap_or_default();
        Ok(DeviceList {
            api_version: API_VERSION,
            devices: devices
                .into_iter()
                .map(|d| {
                    let keys = holders.remove(&d.id).unwrap_or_default();
                    DeviceInfo {
                        id: d.id,
                        name: d.name,
                        role: d.role,
                        enrolled_at: d.created_at,
                        revoked_at: d.revoked_at,
                        last_seen_at: d.last_seen_at,
                        public_key: keys.key,
                        key_epochs: keys.epochs,
                    }
                })
                .collect(),
            recovery: recovery.key,
            recovery_epochs: recovery.epochs,
        })
    }
}

/// Refuses `action` to a device that is not a coordinator's.
pub(crate) fn coordinator(device: &Device, action: &'static str) -> Result<(), ServerError> {
    if device.role == Role::Coordinateur {
        Ok(())
    } else {
        Err(ServerError::Forbidden { action })
    }
}
