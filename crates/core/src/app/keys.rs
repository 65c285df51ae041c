//! The team's key epochs as a device tends them around each sync: its own key pair
//! published, the keys sealed to it fetched, and, on a coordinator's device, a new
//! epoch after each revocation and the keys shared with devices that lack them.
//!
//! - **Publishing.** A device of a team that seals its log makes an X25519 key pair on
//!   first need (the secret half stays in its encrypted store, in `meta`) and publishes
//!   the public half with a proof made under the team key (`e2e::key_proof`), once.
//! - **Fetching.** When the server refuses a push as sealed under an old epoch, or a
//!   pull left changes waiting for a key, the device fetches the keys sealed to it,
//!   opens them, keeps those whose commitment checks under the key before them (the
//!   server cannot make one), and the waiting changes open
//!   ([`crate::Store::add_keys`]).
//! - **Rotating.** A coordinator's device that revokes a device owes the team a new
//!   epoch: it makes a key, seals it to every remaining device whose published key's
//!   proof checks (itself included) and to the recovery key, and asks the server to
//!   start it. Owed until the server says it started (a network gone meanwhile: the
//!   next sync does it), so the revoked device never gets a key it could read new
//!   changes with.
//! - **Sharing.** About once an hour, a coordinator's device seals the epochs it holds
//!   to each device that lacks them (a device that published its key after an epoch
//!   began), and to the recovery key.
//! - **Recovering.** A coordinator's device makes the team's recovery key: every epoch
//!   it holds sealed to it, committed under the recovery secret itself; the secret is
//!   shown once, to print. A coordinator's device enrolled when every other is lost
//!   gets the keys back with it.

use crate::e2e::DeviceSecret;
use crate::{CoreError, Store};

/// `meta`: this device's X25519 secret (hex), made on first need.
const DEVICE_SECRET: &str = "device_secret";
/// `meta`: the public key (hex) the server holds for this device.
const KEY_PUBLISHED: &str = "device_key_published";
/// `meta`: present while this coordinator's device owes the team a new key epoch.
const ROTATION_OWED: &str = "key_rotation_owed";
/// `meta`: when this coordinator's device last shared keys, ms since the Unix epoch.
const SHARED_AT: &str = "keys_shared_at";
/// How often a coordinator's device looks for devices lacking keys.
const SHARE_EVERY_MS: i64 = 60 * 60 * 1000;

impl Store {
    /// This device's X25519 secret, made and kept on first need.
    pub(crate) fn device_secret(&self) -> Result<DeviceSecret, CoreError> {
        if let Some(hex) = self.meta(DEVICE_SECRET)? {
            let bytes = zeroize::Zeroizing::new(
                hex::decode(hex).map_err(|_| CoreError::DamagedSetting { key: DEVICE_SECRET })?,
            );
            return DeviceSecret::from_slice(&bytes)
                .ok_or(CoreError::DamagedSetting { key: DEVICE_SECRET });
        }
        let secret = DeviceSecret::random()?;
        self.set_meta(DEVICE_SECRET, &hex::encode(secret.to_bytes().as_ref()))?;
        Ok(secret)
    }

    /// Forgets this device's key pair and what was published of it: a device enrolled
    /// again is another device to the team, with a key pair of its own.
    pub(crate) fn forget_device_secret(&self) -> Result<(), CoreError> {
        self.delete_meta(DEVICE_SECRET)?;
        self.delete_meta(KEY_PUBLISHED)?;
        self.delete_meta(ROTATION_OWED)
    }

    /// Notes that this coordinator's device owes the team a new key epoch.
    pub(crate) fn owe_rotation(&self) -> Result<(), CoreError> {
        self.set_meta(ROTATION_OWED, "1")
    }
}

#[cfg(feature = "http")]
mod server {
    use std::collections::BTreeSet;

    use filrouge_model::ipc::{
        CreateRecoveryKey, RecoverTeamKeys, RecoveryKey, SyncProgress, TeamKeyProblem,
    };
    use filrouge_model::sync::{
        DeviceList, EpochKeys, ErrorCode, PublishedKey, RECOVERY_RECIPIENT, Role, SealedEpochKey,
    };
    use filrouge_model::{Field, Problem, ValidationError};

    use super::{KEY_PUBLISHED, ROTATION_OWED, SHARE_EVERY_MS, SHARED_AT};
    use crate::CoreError;
    use crate::app::Device;
    use crate::e2e::{
        DeviceSecret, Keyring, TeamKey, chain_commit, commit_eq, key_proof, open_epoch_key,
        parse_recovery_text, proof_checks, recovery_commit, recovery_text, seal_epoch_key,
    };
    use crate::sync::{self, HttpTransport, SyncReport, TransportError};

    /// How many times a rotation is tried again after another coordinator's device
    /// started an epoch first.
    const ROTATION_TRIES: usize = 3;

    /// Whether `commit` is a seal's commitment to the recovery key: under the key
    /// before (when there is one), or, for the epochs that existed when it was made,
    /// under the recovery secret. A missing key before is no candidate at all: the
    /// server could otherwise match it with any bytes it chose.
    fn recovery_commit_checks(
        secret: &DeviceSecret,
        team: &str,
        epoch: u32,
        key: &TeamKey,
        previous: Option<&TeamKey>,
        commit: &[u8; 32],
    ) -> bool {
        commit_eq(commit, &recovery_commit(secret, team, epoch, key))
            || previous.is_some_and(|p| commit_eq(commit, &chain_commit(p, team, epoch, key)))
    }

    /// A recipient whose published key's proof checks: its id and public key.
    type Recipient = (String, [u8; 32]);

    impl Device {
        /// One sync, with the team's keys tended around it (see the module doc): the
        /// background worker's sync. A device whose changes wait for a key asks for
        /// its keys after each sync, one small request, until they come.
        pub fn sync_with_keys(
            &self,
            transport: &mut HttpTransport,
            progress: &mut (dyn FnMut(SyncProgress) + Send),
        ) -> Result<SyncReport, CoreError> {
            // A history seal whose answer was lost: asked again before anything is
            // pushed in clear to a team that may seal now.
            if let Err(e) = self.finish_history_seal(transport) {
                tracing::warn!(error = %e, "the history seal is not confirmed yet");
            }
            // Not published (no network, or a server that does not know the epoch yet):
            // the sync still runs and says what is wrong; publishing waits for the next.
            if let Err(e) = self.publish_key(transport) {
                tracing::warn!(error = %e, "device key not published yet");
            }
            let report = match sync::run_with_progress(self.store(), transport, progress) {
                Err(CoreError::Transport(TransportError::Rejected {
                    code: Some(ErrorCode::StaleEpoch),
                    ..
                })) => {
                    // A coordinator started a new epoch: its key first, then again.
                    self.fetch_keys(transport)?;
                    if self.read(|s| s.keyring())?.is_empty() {
                        // The team seals now and nothing was sealed to this device: its
                        // history was sealed after it joined. Invited again, it reads.
                        return Err(CoreError::TeamKey {
                            problem: TeamKeyProblem::NoKey,
                        });
                    }
                    sync::run_with_progress(self.store(), transport, progress)?
                }
                other => other?,
            };
            if self.read(|s| s.set_aside_counts())?.0 > 0 {
                self.fetch_keys(transport)?;
            }
            // The team's keys are a coordinator's chore: a failure here (the network
            // gone since) is tried again at the next sync, and the sync itself worked.
            if let Err(e) = self.tend_team_keys(transport) {
                tracing::warn!(error = %e, "tending the team's keys failed");
            }
            // The access log goes after the records: a failure (the network gone, or a
            // chain the server refuses) is logged and tried again at the next sync.
            if let Err(e) = self.sync_access(transport) {
                tracing::warn!(error = %e, "the access log was not synced");
            }
            Ok(report)
        }

        /// Publishes this device's public key if the team seals and the server does not
        /// hold it yet; keeps the keys the answer carries.
        pub fn publish_key(&self, transport: &HttpTransport) -> Result<(), CoreError> {
            let published = self.read(|s| {
                let ring = s.keyring()?;
                let Some((epoch, key)) = ring.current() else {
                    return Ok(None);
                };
                let secret = s.device_secret()?;
                let public = secret.public();
                if s.meta(KEY_PUBLISHED)?.as_deref() == Some(hex::encode(public).as_str()) {
                    return Ok(None);
                }
                let team = s.meta("team_id")?.unwrap_or_default();
                let me = s.device_id()?.ok_or(CoreError::NotEnrolled)?;
                Ok(Some(PublishedKey {
                    public_key: public.to_vec(),
                    proof: key_proof(key, &team, &me, &public).to_vec(),
                    proof_epoch: epoch,
                }))
            })?;
            let Some(key) = published else {
                return Ok(());
            };
            let public = hex::encode(&key.public_key);
            match transport.publish_device_key(key) {
                Ok(keys) => {
                    self.take_keys(keys)?;
                }
                // Another key is held for this device id (its store was copied back
                // from an older one, say): it stays; this one is not asked again.
                Err(TransportError::Rejected {
                    code: Some(ErrorCode::Forbidden),
                    ..
                }) => tracing::warn!("the server holds another key for this device"),
                Err(e) => return Err(e.into()),
            }
            self.read(|s| s.set_meta(KEY_PUBLISHED, &public))?;
            tracing::info!("device key published");
            Ok(())
        }

        /// Fetches the epoch keys sealed to this device and keeps the new ones; the
        /// changes waiting for them open. Returns how many keys were new.
        pub fn fetch_keys(&self, transport: &HttpTransport) -> Result<usize, CoreError> {
            let keys = transport.epoch_keys()?;
            self.take_keys(keys)
        }

        fn take_keys(&self, keys: EpochKeys) -> Result<usize, CoreError> {
            let (secret, team, me, ring) = self.read(|s| {
                Ok((
                    s.device_secret()?,
                    s.meta("team_id")?.unwrap_or_default(),
                    s.device_id()?.unwrap_or_default(),
                    s.keyring()?,
                ))
            })?;
            let mut known = ring.clone();
            let mut new = Keyring::default();
            let mut seals: Vec<_> = keys
                .keys
                .iter()
                .filter(|k| ring.get(k.epoch).is_none())
                .collect();
            seals.sort_by_key(|k| k.epoch);
            for sealed in seals {
                let epoch = sealed.epoch;
                // Kept only if committed to under the key before it (see `e2e`): a key
                // the server sealed itself never is.
                let Some(previous) = epoch.checked_sub(1).and_then(|e| known.get(e)).cloned()
                else {
                    tracing::warn!(epoch, "epoch key refused: no key before it here");
                    continue;
                };
                match open_epoch_key(&secret, epoch, &team, &me, &sealed.sealed) {
                    Ok((key, commit))
                        if commit_eq(&commit, &chain_commit(&previous, &team, epoch, &key)) =>
                    {
                        known.insert(epoch, key.clone());
                        new.insert(epoch, key);
                    }
                    Ok(_) => tracing::warn!(epoch, "epoch key refused: its commitment fails"),
                    Err(e) => tracing::warn!(epoch, error = %e, "epoch key refused"),
                }
            }
            let count = new.iter().count();
            if count > 0 {
                let opened = self.lock().add_keys(&new)?;
                tracing::info!(keys = count, opened, "team keys received");
            }
            Ok(count)
        }

        /// Makes the team's recovery key (see [`CreateRecoveryKey`]): every epoch this
        /// device holds is sealed to it, committed under the recovery secret, and the
        /// server replaces the team's earlier recovery key with it. The secret is
        /// answered, never kept.
        pub fn create_recovery_key(
            &self,
            cmd: CreateRecoveryKey,
        ) -> Result<RecoveryKey, CoreError> {
            let CreateRecoveryKey {} = cmd;
            let (ring, team) = self.read(|s| {
                crate::app::coordination::coordinator_today(s)?;
                Ok((s.keyring()?, s.meta("team_id")?.unwrap_or_default()))
            })?;
            let Some((epoch, current)) = ring.current() else {
                return Err(CoreError::TeamKey {
                    problem: TeamKeyProblem::NoKey,
                });
            };
            let recovery = DeviceSecret::random()?;
            let public = recovery.public();
            let mut sealed = Vec::new();
            for (e, key) in ring.iter() {
                let commit = recovery_commit(&recovery, &team, e, key);
                sealed.push(SealedEpochKey {
                    epoch: e,
                    recipient: RECOVERY_RECIPIENT.to_owned(),
                    sealed: seal_epoch_key(key, &commit, e, &team, RECOVERY_RECIPIENT, &public)?,
                });
            }
            let published = PublishedKey {
                public_key: public.to_vec(),
                proof: key_proof(current, &team, RECOVERY_RECIPIENT, &public).to_vec(),
                proof_epoch: epoch,
            };
            self.transport()?.share_keys(sealed, Some(published))?;
            tracing::info!("recovery key made");
            Ok(RecoveryKey {
                text: recovery_text(&recovery).to_string(),
            })
        }

        /// Gives this device the team's keys with the recovery key (see
        /// [`RecoverTeamKeys`]); answers how many epochs it got.
        pub fn recover_team_keys(&self, cmd: RecoverTeamKeys) -> Result<u32, CoreError> {
            let secret = parse_recovery_text(&cmd.text)
                .ok_or_else(|| ValidationError::new(Field::RecoveryKey, Problem::Malformed))?;
            let team = self.read(|s| {
                crate::app::coordination::coordinator_today(s)?;
                Ok(s.meta("team_id")?.unwrap_or_default())
            })?;
            let transport = self.transport()?;
            let answer = transport.recovery_keys()?;
            let held = answer.key.as_ref().map(|k| k.public_key.as_slice());
            if held != Some(secret.public().as_slice()) {
                return Err(CoreError::TeamKey {
                    problem: TeamKeyProblem::NotTheTeams,
                });
            }
            let mut seals = answer.keys;
            seals.sort_by_key(|k| k.epoch);
            let mut ring = Keyring::default();
            for sealed in &seals {
                let epoch = sealed.epoch;
                let previous = epoch.checked_sub(1).and_then(|e| ring.get(e)).cloned();
                match open_epoch_key(&secret, epoch, &team, RECOVERY_RECIPIENT, &sealed.sealed) {
                    Ok((key, commit))
                        if recovery_commit_checks(
                            &secret,
                            &team,
                            epoch,
                            &key,
                            previous.as_ref(),
                            &commit,
                        ) =>
                    {
                        ring.insert(epoch, key);
                    }
                    _ => tracing::warn!(epoch, "recovered epoch key refused"),
                }
            }
            let count = ring.iter().count();
            let opened = self.lock().add_keys(&ring)?;
            tracing::info!(keys = count, opened, "team keys recovered");
            // A device that holds the keys now publishes its own, so the next epochs
            // reach it; a failure here is made good by the next sync.
            if let Err(e) = self.publish_key(&transport) {
                tracing::warn!(error = %e, "device key not published yet");
            }
            Ok(u32::try_from(count).unwrap_or(u32::MAX))
        }

        /// On a coordinator's device of a team that seals: the epoch owed after a
        /// revocation, and, about once an hour, the keys shared with devices lacking
        /// them.
        fn tend_team_keys(&self, transport: &HttpTransport) -> Result<(), CoreError> {
            let (role, sealing, owed, shared_at, now) = self.read(|s| {
                Ok((
                    s.meta("role")?,
                    !s.keyring()?.is_empty(),
                    s.meta(ROTATION_OWED)?.is_some(),
                    s.meta(SHARED_AT)?.and_then(|t| t.parse::<i64>().ok()),
                    s.env.clock.now_ms(),
                ))
            })?;
            if !sealing || role.as_deref().and_then(Role::parse) != Some(Role::Coordinateur) {
                return Ok(());
            }
            if !owed && shared_at.is_some_and(|t| (t..t + SHARE_EVERY_MS).contains(&now)) {
                return Ok(());
            }
            let mut list = transport.devices()?;
            if owed {
                list = self.rotate_key(transport, list)?;
            }
            self.share_keys(transport, &list)?;
            self.read(|s| s.set_meta(SHARED_AT, &now.to_string()))
        }

        /// Starts the team's next key epoch (see the module doc); answers the team's
        /// devices as they are after it.
        pub(crate) fn rotate_key(
            &self,
            transport: &HttpTransport,
            mut list: DeviceList,
        ) -> Result<DeviceList, CoreError> {
            for _ in 0..ROTATION_TRIES {
                let (ring, team) =
                    self.read(|s| Ok((s.keyring()?, s.meta("team_id")?.unwrap_or_default())))?;
                let Some((epoch, current)) = ring.current() else {
                    self.read(|s| s.delete_meta(ROTATION_OWED))?;
                    return Ok(list);
                };
                let next = epoch + 1;
                let key = TeamKey::random()?;
                let commit = chain_commit(current, &team, next, &key);
                let mut sealed = Vec::new();
                for (recipient, public) in recipients(&ring, &team, &list) {
                    sealed.push(SealedEpochKey {
                        epoch: next,
                        sealed: seal_epoch_key(&key, &commit, next, &team, &recipient, &public)?,
                        recipient,
                    });
                }
                let answer = transport.new_key_epoch(next, sealed)?;
                if answer.started {
                    self.unit(|s| {
                        s.keep_keys(&Keyring::with(next, key))?;
                        s.delete_meta(ROTATION_OWED)
                    })?;
                    tracing::info!(epoch = next, "new key epoch started after a revocation");
                    return Ok(transport.devices()?);
                }
                // Another coordinator's device started an epoch first: its key, then
                // this device's rotation on top (the revocation may be newer than it).
                self.fetch_keys(transport)?;
                list = transport.devices()?;
            }
            Err(CoreError::Transport(TransportError::Protocol {
                detail: "the team's key epoch keeps moving".into(),
            }))
        }

        /// Seals the epochs this device holds to each recipient that lacks them.
        fn share_keys(
            &self,
            transport: &HttpTransport,
            list: &DeviceList,
        ) -> Result<(), CoreError> {
            let (ring, team) =
                self.read(|s| Ok((s.keyring()?, s.meta("team_id")?.unwrap_or_default())))?;
            let held: Vec<(String, BTreeSet<u32>)> = list
                .devices
                .iter()
                .map(|d| (d.id.clone(), d.key_epochs.iter().copied().collect()))
                .chain(std::iter::once((
                    RECOVERY_RECIPIENT.to_owned(),
                    list.recovery_epochs.iter().copied().collect(),
                )))
                .collect();
            let mut sealed = Vec::new();
            for (recipient, public) in recipients(&ring, &team, list) {
                let has = held
                    .iter()
                    .find(|(id, _)| *id == recipient)
                    .map(|(_, epochs)| epochs.clone())
                    .unwrap_or_default();
                for (epoch, key) in ring.iter().filter(|(e, _)| !has.contains(e)) {
                    // Epoch 1 has no key before it to commit under: it travels inside
                    // invitations (and to a recovery key when that is made).
                    let Some(previous) = epoch.checked_sub(1).and_then(|e| ring.get(e)) else {
                        continue;
                    };
                    let commit = chain_commit(previous, &team, epoch, key);
                    sealed.push(SealedEpochKey {
                        epoch,
                        recipient: recipient.clone(),
                        sealed: seal_epoch_key(key, &commit, epoch, &team, &recipient, &public)?,
                    });
                }
            }
            if !sealed.is_empty() {
                tracing::info!(keys = sealed.len(), "team keys shared");
                transport.share_keys(sealed, None)?;
            }
            Ok(())
        }
    }

    /// The team's devices that are not revoked and whose published key's proof checks
    /// under a key of `ring`, and the recovery key likewise.
    fn recipients(ring: &Keyring, team: &str, list: &DeviceList) -> Vec<Recipient> {
        let devices = list
            .devices
            .iter()
            .filter(|d| d.revoked_at.is_none())
            .filter_map(|d| Some((d.id.as_str(), d.public_key.as_ref()?)));
        let recovery = list.recovery.as_ref().map(|k| (RECOVERY_RECIPIENT, k));
        devices
            .chain(recovery)
            .filter_map(|(id, key)| {
                let proof_key = ring.get(key.proof_epoch)?;
                let public: [u8; 32] = key.public_key.as_slice().try_into().ok()?;
                proof_checks(proof_key, team, id, &public, &key.proof)
                    .then(|| (id.to_owned(), public))
            })
            .collect()
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn a_recovery_seal_without_a_key_before_needs_the_recovery_commitment() {
            let secret = DeviceSecret::random().unwrap();
            let key = TeamKey::random().unwrap();
            let good = recovery_commit(&secret, "team", 1, &key);
            assert!(recovery_commit_checks(
                &secret, "team", 1, &key, None, &good
            ));
            // What a server could put in a seal it made itself, for epoch 1.
            for forged in [[0u8; 32], [7u8; 32]] {
                assert!(!recovery_commit_checks(
                    &secret, "team", 1, &key, None, &forged
                ));
            }
            let before = TeamKey::random().unwrap();
            let chained = chain_commit(&before, "team", 2, &key);
            assert!(recovery_commit_checks(
                &secret,
                "team",
                2,
                &key,
                Some(&before),
                &chained
            ));
            assert!(!recovery_commit_checks(
                &secret, "team", 2, &key, None, &chained
            ));
        }
    }
}
