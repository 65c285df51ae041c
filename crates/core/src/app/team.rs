//! This device in its team: the sync status, enrolment, and the commands a
//! coordinator's device asks of the team server (invitations, the team's devices).
//!
//! These are the only user actions that wait on the network: the user asked for
//! something only the server can answer. They never hold the store's lock while they
//! wait, and they read and write the store each in one short unit.

use filrouge_model::ipc::{Enrol, SyncStatus};
use filrouge_model::{Field, Problem, ValidationError};

use super::Device;
use crate::CoreError;

/// The name a device gets when whoever enrols it leaves the name empty. The team's
/// coordinator reads it in the list of devices, in the team's language.
pub const DEFAULT_DEVICE_NAME: &str = "Appareil";

/// The longest server address an enrolment accepts.
const MAX_URL_CHARS: usize = 200;
/// The longest device name kept (longer ones are cut).
const MAX_NAME_CHARS: usize = 60;

/// An enrolment as the user typed it, checked: where to enrol, with which code, under
/// which name.
#[derive(Clone, PartialEq, Eq)]
pub struct EnrolTarget {
    /// The team server's address, without a trailing slash.
    pub server_url: String,
    /// The coordinator's code, trimmed.
    pub code: String,
    /// The device's name, trimmed and at most 60 characters.
    pub device_name: String,
    /// The server certificate's SHA-256 to pin, from the invitation link.
    pub pin: Option<[u8; 32]>,
    /// The invitation link's secret opening the team's keys.
    pub team_secret: Option<crate::e2e::InviteSecret>,
}

// The code is a secret until used: never in logs.
impl std::fmt::Debug for EnrolTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EnrolTarget")
            .field("server_url", &self.server_url)
            .finish_non_exhaustive()
    }
}

impl EnrolTarget {
    /// Checks what the user typed: an `http(s)://` address, a code, and a name (the
    /// default one when left empty).
    pub fn check(cmd: &Enrol) -> Result<EnrolTarget, ValidationError> {
        let server_url = cmd.server_url.trim().trim_end_matches('/');
        let has_scheme = server_url.starts_with("http://") || server_url.starts_with("https://");
        if !has_scheme || server_url.len() > MAX_URL_CHARS {
            return Err(ValidationError::new(Field::ServerUrl, Problem::Malformed));
        }
        let code = cmd.code.trim();
        if code.is_empty() {
            return Err(ValidationError::new(
                Field::EnrolmentCode,
                Problem::Required,
            ));
        }
        let device_name = match cmd.device_name.trim() {
            "" => DEFAULT_DEVICE_NAME.to_owned(),
            name => name.chars().take(MAX_NAME_CHARS).collect(),
        };
        let pin = match cmd.server_pin.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => Some(
                crate::sync::parse_pin(text)
                    .ok_or_else(|| ValidationError::new(Field::ServerUrl, Problem::Malformed))?,
            ),
        };
        let team_secret =
            match cmd.team_secret.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(text) => Some(crate::e2e::InviteSecret::from_hex(text).ok_or_else(|| {
                    ValidationError::new(Field::EnrolmentCode, Problem::Malformed)
                })?),
            };
        Ok(EnrolTarget {
            server_url: server_url.to_owned(),
            code: code.to_owned(),
            device_name,
            pin,
            team_secret,
        })
    }
}

impl Device {
    /// The sync status as stored: enrolment, changes waiting, last success. (What a
    /// running sync adds, the background worker knows.)
    pub fn sync_status(&self) -> Result<SyncStatus, CoreError> {
        self.read(|s| s.sync_status())
    }

    /// After a failed sync or server call: a device whose team revoked it (the server
    /// said so, in so many words) erases everything it holds ([`crate::Store::wipe`]).
    /// Any other failure (no network, a server error, an unknown token) erases nothing.
    /// `token` is the one the server refused: a device enrolled again meanwhile (its
    /// new token is another) is not erased. Whether it wiped.
    pub fn wipe_if_revoked(&self, error: &CoreError, token: &str) -> Result<bool, CoreError> {
        if !is_revocation(error) {
            return Ok(false);
        }
        let mut store = self.lock();
        let still = store
            .credentials()?
            .is_some_and(|(_, stored)| stored == token);
        if !still {
            return Ok(false);
        }
        store.wipe()?;
        Ok(true)
    }
}

/// Whether `error` is the server's explicit word that this device was revoked.
fn is_revocation(error: &CoreError) -> bool {
    matches!(
        error,
        CoreError::Transport(crate::sync::TransportError::Revoked)
    )
}

#[cfg(feature = "http")]
mod server {
    use filrouge_model::ipc::{
        CreateInvite, Enrol, Invite, ListDevices, RevokeDevice, SetLease, TeamDevice,
    };
    use filrouge_model::sync::{DeviceList, ErrorCode, Role};
    use filrouge_model::{Field, Problem, ValidationError};

    use super::EnrolTarget;
    use crate::CoreError;
    use crate::app::Device;
    use crate::e2e::{InviteSecret, Keyring, TeamKey, open_keyring, seal_keyring};
    use crate::sync::{self, HttpTransport, TransportError};

    impl Device {
        /// Enrols this device in a team with a coordinator's code (blocks on the
        /// network), and keeps the credentials with the team's keys: opened with the
        /// invitation link's secret, or, for the first coordinator's device of a new
        /// team, made here (the server then starts the team's key epoch 1).
        pub fn enrol(&self, cmd: Enrol) -> Result<(), CoreError> {
            let target = EnrolTarget::check(&cmd)?;
            let enrolment = sync::enrol(
                &target.server_url,
                &target.code,
                &target.device_name,
                target.pin,
            )?;
            let given = match (&target.team_secret, &enrolment.sealed_keys) {
                (Some(secret), Some(sealed)) => Some(
                    open_keyring(secret, &enrolment.team_id, sealed).map_err(|_| {
                        ValidationError::new(Field::EnrolmentCode, Problem::Malformed)
                    })?,
                ),
                _ => None,
            };
            let made = (given.is_none()
                && enrolment.key_epoch == 0
                && enrolment.role == Some(Role::Coordinateur))
            .then(TeamKey::random)
            .transpose()?
            .map(|key| Keyring::with(1, key));
            self.unit(|s| {
                // Keys of another team (a device moving teams, or a team started again
                // on a new server) would shadow this team's epochs: they go.
                let same_team = s.meta("team_id")?.as_deref() == Some(enrolment.team_id.as_str());
                if !same_team {
                    s.forget_keys()?;
                }
                // A device of the team that held no key, invited again since its team's
                // history was sealed.
                if same_team && given.is_some() && s.keyring()?.is_empty() {
                    s.rejoined_sealed_log(&enrolment.log_id)?;
                }
                // A new device to the team: a key pair of its own.
                s.forget_device_secret()?;
                s.save_enrolment(&target.server_url, &enrolment)?;
                s.save_server_pin(target.pin)?;
                match given.as_ref().or(made.as_ref()) {
                    Some(ring) => s.keep_keys(ring),
                    None => Ok(()),
                }
            })?;
            tracing::info!(device_id = %enrolment.device_id, "device enrolled");
            if given.is_some() {
                // Changes pulled before, by a device enrolled again, open now.
                self.lock().open_waiting()?;
            }
            let transport =
                HttpTransport::pinned(&target.server_url, &enrolment.token, target.pin)?;
            if given.is_some()
                && let Err(e) = self.publish_key(&transport)
            {
                // The next sync publishes it.
                tracing::warn!(error = %e, "device key not published yet");
            }
            if made.is_some() {
                match transport.start_key_epoch() {
                    Ok(answer) if answer.started => {
                        tracing::info!("the team seals its changes end to end from now on");
                        if let Err(e) = self.publish_key(&transport) {
                            tracing::warn!(error = %e, "device key not published yet");
                        }
                    }
                    // Not a new team (another device, or a history in clear): the key
                    // made here is nobody's.
                    Ok(_) => self.read(|s| s.forget_keys())?,
                    // The team is new and this device its only one: the key stays, and
                    // the invitations this device makes carry it.
                    Err(e) => tracing::warn!(error = %e, "key epoch not confirmed"),
                }
            }
            Ok(())
        }

        /// A single-use code enrolling another device into this device's team
        /// (coordinators' devices only; the server refuses others).
        pub fn create_invite(&self, cmd: CreateInvite) -> Result<Invite, CoreError> {
            let role = cmd.role;
            // The team's keys, sealed under a secret that only the link will carry.
            let (ring, team) = self.read(|s| Ok((s.keyring()?, s.meta("team_id")?)))?;
            let sealed = match (ring.is_empty(), team) {
                (false, Some(team)) => {
                    let secret = InviteSecret::random()?;
                    let sealed = seal_keyring(&secret, &team, &ring)?;
                    Some((secret, sealed))
                }
                _ => None,
            };
            let keys = sealed.as_ref().map(|(_, bytes)| bytes.clone());
            let (server_url, made) = self
                .ask_server(|server, url| Ok((url.to_owned(), server.create_code(role, keys)?)))?;
            tracing::info!(role = %made.role, "enrolment code made");
            let server_pin = self.read(|s| s.server_pin())?.map(hex::encode);
            Ok(Invite {
                server_url,
                server_pin,
                code: made.code,
                role: made.role,
                expires_at: made.expires_at,
                team_secret: sealed.map(|(secret, _)| secret.to_hex().to_string()),
            })
        }

        /// The team's devices (coordinators' devices only).
        pub fn list_devices(&self, cmd: ListDevices) -> Result<Vec<TeamDevice>, CoreError> {
            let ListDevices {} = cmd;
            let list = self.ask_server(|server, _| server.devices())?;
            self.team_devices(list)
        }

        /// Revokes a device of the team (coordinators' devices only), then, in a team
        /// that seals its log, starts a new key epoch the revoked device never gets
        /// (owed until the server has started it: the next sync tries again); answers
        /// the team's devices after it.
        pub fn revoke_device(&self, cmd: RevokeDevice) -> Result<Vec<TeamDevice>, CoreError> {
            // Owed before the server hears of it: a crash in between rotates anyway.
            let sealing = self.read(|s| {
                let sealing = !s.keyring()?.is_empty();
                if sealing {
                    s.owe_rotation()?;
                }
                Ok(sealing)
            })?;
            let mut list = self.ask_server(|server, _| server.revoke(&cmd.id))?;
            tracing::info!("device revoked by this coordinator's device");
            if sealing {
                // This device's own key first (it seals the new epoch to itself too),
                // then the list as it is now, with it.
                let rotated = self.transport().and_then(|server| {
                    self.publish_key(&server)?;
                    let now = server.devices()?;
                    self.rotate_key(&server, now)
                });
                match rotated {
                    Ok(after) => list = after,
                    Err(e) => tracing::warn!(error = %e, "new key epoch owed to the next sync"),
                }
            }
            self.team_devices(list)
        }

        /// Sets the team's offline lease (coordinators' devices only); this device keeps
        /// it too. Answers the days now in force.
        pub fn set_lease(&self, cmd: SetLease) -> Result<u32, CoreError> {
            let days = self.ask_server(|server, _| server.set_lease(cmd.days))?;
            self.read(|s| s.set_meta(crate::sync::LEASE_DAYS, &days.to_string()))?;
            Ok(days)
        }

        /// Erases a person for good (coordinators' devices only): the server erases
        /// each record of the plan for the whole team (every device deletes them at its
        /// next pull), then this device erases them and writes the anonymous counts,
        /// in one unit. A device not enrolled erases its own copy only. Interrupted
        /// (the network gone), nothing is erased here and the command can be run again:
        /// the records the server already erased come back to no device.
        pub fn erase_person(
            &self,
            cmd: filrouge_model::ipc::ErasePerson,
        ) -> Result<filrouge_model::erasure::ErasureEntry, CoreError> {
            let plan = self.read(|s| {
                crate::app::coordination::coordinator_today(s)?;
                s.erasure_plan(cmd.person.as_str())
            })?;
            if self.read(|s| s.connection())?.is_some() {
                for doc in &plan.erase {
                    self.erase_on_server(doc)?;
                }
            }
            let entry = self.unit(|s| {
                let entry = s.apply_erasure(&plan, cmd.reason)?;
                s.log_access(
                    filrouge_model::access::AccessAction::Efface,
                    Some(cmd.person.as_str()),
                    &[],
                )?;
                Ok(entry)
            })?;
            self.lock().scrub()?;
            Ok(entry)
        }

        /// Erases every person whose last contact is more than two years old, through
        /// [`Device::erase_person`] with the reason "end of the retention period"; on a
        /// field worker's device, does nothing (a coordinator's device does it for the
        /// team). Returns how many persons were erased. Run it after a sync, so a
        /// contact another device recorded has arrived first.
        pub fn erase_expired(&self) -> Result<usize, CoreError> {
            let expired = self.read(|s| match crate::app::coordination::coordinator_today(s) {
                Ok(today) => s.expired_persons(today),
                Err(CoreError::CoordinatorOnly) => Ok(Vec::new()),
                Err(e) => Err(e),
            })?;
            let mut erased = 0;
            for person in expired {
                let Some(person) = filrouge_model::RecordId::parse(&person) else {
                    continue;
                };
                // One erased already as part of another's merged group is gone.
                match self.erase_person(filrouge_model::ipc::ErasePerson {
                    person,
                    reason: filrouge_model::erasure::ErasureReason::Conservation,
                }) {
                    Ok(_) => erased += 1,
                    Err(CoreError::NotFound { .. }) => {}
                    Err(e) => return Err(e),
                }
            }
            if erased > 0 {
                tracing::info!(erased, "retention: persons erased after two years");
            }
            Ok(erased)
        }

        /// A transport to this device's server, with its token and pinned certificate.
        pub(crate) fn transport(&self) -> Result<HttpTransport, CoreError> {
            let sync::ServerConnection { url, token, pin } = self
                .read(|s| s.connection())?
                .ok_or(CoreError::NotEnrolled)?;
            Ok(HttpTransport::pinned(&url, &token, pin)?)
        }

        /// Runs `call` with this device's transport and the server's address, without
        /// holding the store while it waits.
        /// Erases record `doc` on the server, with every sealed batch holding it
        /// sealed again without it. A batch holding it may arrive between the listing
        /// and the erasure (the server then refuses): listed again, a few times.
        fn erase_on_server(&self, doc: &str) -> Result<(), CoreError> {
            const ATTEMPTS: usize = 4;
            for attempt in 1..=ATTEMPTS {
                let held = self.ask_server(|server, _| server.held_batches(doc))?;
                let replacements = self.read(|s| s.reseal_without(&held.batches, doc))?;
                match self.ask_server(|server, _| server.erase(doc, replacements)) {
                    Err(CoreError::Transport(TransportError::Rejected {
                        code: Some(ErrorCode::ResealNeeded),
                        ..
                    })) if attempt < ATTEMPTS => continue,
                    other => {
                        other?;
                        return Ok(());
                    }
                }
            }
            Ok(())
        }

        fn ask_server<T>(
            &self,
            call: impl FnOnce(&HttpTransport, &str) -> Result<T, TransportError>,
        ) -> Result<T, CoreError> {
            let sync::ServerConnection { url, token, pin } = self
                .read(|s| s.connection())?
                .ok_or(CoreError::NotEnrolled)?;
            Ok(call(&HttpTransport::pinned(&url, &token, pin)?, &url)?)
        }

        /// The server's list of the team's devices, this one marked.
        fn team_devices(&self, list: DeviceList) -> Result<Vec<TeamDevice>, CoreError> {
            let me = self.read(|s| s.device_id())?;
            Ok(list
                .devices
                .into_iter()
                .map(|d| TeamDevice {
                    this_device: me.as_deref() == Some(d.id.as_str()),
                    id: d.id,
                    name: d.name,
                    role: d.role,
                    enrolled_at: d.enrolled_at,
                    revoked_at: d.revoked_at,
                    last_seen_at: d.last_seen_at,
                })
                .collect::<Vec<_>>())
            .and_then(|devices| {
                // Remembered for the coordinator's figures when the network is gone.
                self.read(|s| s.remember_team_devices(&devices))?;
                Ok(devices)
            })
        }
    }
}
