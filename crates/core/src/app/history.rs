//! Sealing the history of a team whose log began in clear (on a server of an earlier
//! version, or a team whose first device was not its coordinator's): a coordinator's
//! device makes the team's first key, and the server drops what it held in clear.
//!
//! 1. The device sends its outbox and pulls the log to its head, so that it holds every
//!    change the server holds (`sync::run`).
//! 2. It makes the epoch-1 key and a new log identity, and keeps both in `meta`
//!    (`history_seal`) with the log position it reached, before asking: an answer lost
//!    on the way is asked again, with the same identity, by the next sync.
//! 3. `POST /v1/epoch` with the position ([`HistorySeal`]). The server starts epoch 1
//!    only if its log has not moved past it; in the same transaction it deletes every
//!    change but the erasure entries and gives the log the new identity. The device
//!    then keeps the key (its syncs seal from now on) and forgets the pending request.
//! 4. Its next sync meets a log it does not know and **heals** it (`sync::heal`): every
//!    change of every record it holds goes back, sealed under the new key.
//!
//! The team's other devices hold no key: the server refuses what they write in clear
//! (it stays in their outbox), and they read nothing new until a coordinator invites
//! them again, with a link that carries the key ([`Store::rejoined_sealed_log`]: they
//! follow the new log instead of sending it all back a second time).

use crate::{CoreError, Store};

/// `meta`: a history seal asked but not yet answered: `new_log_id`, the log pulled,
/// its position and the key (hex), separated by tabs.
pub(super) const HISTORY_SEAL: &str = "history_seal";

impl Store {
    /// A device of the team that held no key and is enrolled again with the team's keys
    /// (in the caller's transaction): if the log it is given (`log_id`) is new to it,
    /// its team's history was sealed since it last synced, and a coordinator's device
    /// sent that history back whole. It follows the new log from its start, and a heal
    /// it began (its clear pushes refused) is dropped: sending everything back again
    /// would only store the history a second time. Its outbox still goes, sealed.
    pub(crate) fn rejoined_sealed_log(&self, log_id: &str) -> Result<(), CoreError> {
        let knows: bool = self
            .conn
            .prepare_cached("SELECT 1 FROM logs WHERE log_id = ?1")?
            .exists([log_id])?;
        if !knows {
            crate::sync::follow_log(&self.conn, log_id, 0)?;
            self.conn
                .execute("DELETE FROM meta WHERE key = 'heal'", [])?;
        }
        Ok(())
    }
}

#[cfg(feature = "http")]
mod server {
    use filrouge_model::ipc::{SealTeamHistory, TeamKeyProblem};
    use filrouge_model::sync::{HistorySeal, KeyEpochResponse};
    use zeroize::Zeroizing;

    use super::HISTORY_SEAL;
    use crate::CoreError;
    use crate::app::Device;
    use crate::e2e::{Keyring, TeamKey};
    use crate::sync::{self, HttpTransport};

    /// How many times the device catches up with a log that moved meanwhile.
    const TRIES: usize = 3;

    /// A history seal asked and not yet answered.
    struct Pending {
        seal: HistorySeal,
        key: TeamKey,
    }

    impl Pending {
        fn to_meta(&self) -> Zeroizing<String> {
            Zeroizing::new(format!(
                "{}\t{}\t{}\t{}",
                self.seal.new_log_id,
                self.seal.log_id,
                self.seal.pulled_to,
                hex::encode(self.key.as_bytes())
            ))
        }

        fn from_meta(text: &str) -> Option<Pending> {
            let mut parts = text.split('\t');
            let new_log_id = parts.next()?.to_owned();
            let log_id = parts.next()?.to_owned();
            let pulled_to = parts.next()?.parse().ok()?;
            let bytes = Zeroizing::new(hex::decode(parts.next()?).ok()?);
            Some(Pending {
                seal: HistorySeal {
                    log_id,
                    pulled_to,
                    new_log_id,
                },
                key: TeamKey::from_slice(&bytes)?,
            })
        }
    }

    /// A random log identity (a version-4 UUID): the server takes the same request
    /// asked again for the one that started, so nobody else may guess it.
    fn random_log_id() -> Result<String, CoreError> {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).map_err(|_| CoreError::NoRandomness)?;
        Ok(uuid::Builder::from_random_bytes(bytes)
            .into_uuid()
            .to_string())
    }

    /// What the server's answer to a history seal means for this device.
    enum Outcome {
        Started,
        /// The log moved past the position (or is another log): catch up and ask again.
        Moved,
        /// The team seals already: another coordinator's device sealed it first.
        SealedElsewhere,
    }

    impl Device {
        /// Seals the history of this coordinator's team, which began in clear (see
        /// [`SealTeamHistory`] and the module doc). The history goes back sealed at
        /// the next syncs, which the caller wakes.
        pub fn seal_team_history(&self, cmd: SealTeamHistory) -> Result<(), CoreError> {
            let SealTeamHistory {} = cmd;
            self.read(|s| {
                crate::app::coordination::coordinator_today(s)?;
                if s.keyring()?.is_empty() {
                    Ok(())
                } else {
                    Err(CoreError::TeamKey {
                        problem: TeamKeyProblem::AlreadySealed,
                    })
                }
            })?;
            let mut transport = self.transport()?;
            // An earlier request whose answer was lost goes first.
            if self.finish_history_seal(&transport)? {
                return Ok(());
            }
            for _ in 0..TRIES {
                sync::run(self.store(), &mut transport)?;
                let pending = self.read(|s| {
                    let log_id = s.followed_log()?.ok_or(CoreError::NotEnrolled)?;
                    Ok(Pending {
                        seal: HistorySeal {
                            log_id,
                            pulled_to: s.cursor()?,
                            new_log_id: random_log_id()?,
                        },
                        key: TeamKey::random()?,
                    })
                })?;
                self.read(|s| s.set_meta(HISTORY_SEAL, &pending.to_meta()))?;
                match self.ask(&transport, pending)? {
                    Outcome::Started => return Ok(()),
                    Outcome::Moved => continue,
                    Outcome::SealedElsewhere => {
                        return Err(CoreError::TeamKey {
                            problem: TeamKeyProblem::AlreadySealed,
                        });
                    }
                }
            }
            Err(CoreError::TeamKey {
                problem: TeamKeyProblem::LogMoving,
            })
        }

        /// Asks again for a history seal whose answer was lost, if one is pending;
        /// whether the team now seals with this device's key. Called before each sync
        /// of the background worker, which would otherwise push in clear to a team
        /// that seals.
        pub(crate) fn finish_history_seal(
            &self,
            transport: &HttpTransport,
        ) -> Result<bool, CoreError> {
            let Some(text) = self.read(|s| s.meta(HISTORY_SEAL))? else {
                return Ok(false);
            };
            let Some(pending) = Pending::from_meta(&text) else {
                self.read(|s| s.delete_meta(HISTORY_SEAL))?;
                return Err(CoreError::DamagedSetting { key: HISTORY_SEAL });
            };
            Ok(matches!(self.ask(transport, pending)?, Outcome::Started))
        }

        /// Asks the server to seal the history from `pending`'s position; keeps the key
        /// if it did, forgets the request once answered.
        fn ask(&self, transport: &HttpTransport, pending: Pending) -> Result<Outcome, CoreError> {
            let answer: KeyEpochResponse = transport.seal_history(pending.seal.clone())?;
            if answer.started {
                self.unit(|s| {
                    s.keep_keys(&Keyring::with(1, pending.key.clone()))?;
                    s.delete_meta(HISTORY_SEAL)
                })?;
                tracing::info!("the team's history is sealed from now on; it goes back sealed");
                if let Err(e) = self.publish_key(transport) {
                    tracing::warn!(error = %e, "device key not published yet");
                }
                return Ok(Outcome::Started);
            }
            self.read(|s| s.delete_meta(HISTORY_SEAL))?;
            Ok(if answer.epoch == 0 {
                Outcome::Moved
            } else {
                Outcome::SealedElsewhere
            })
        }
    }
}
