//! The access log as the app uses it: a coordinator reads, on a person's thread, who
//! viewed or changed the file, from every device of the team ([`GetAccessLog`]); each
//! sync sends this device's entries sealed and, on a coordinator's device, takes the
//! others' ([`Device::sync_access`]); the background worker purges the entries older
//! than twelve months once a day ([`Device::purge_access_log`]). The entries
//! themselves are appended by each action's own method, in its transaction.

use filrouge_model::access::{ACCESS_LOG_MONTHS, AccessEntry};
use filrouge_model::ipc::GetAccessLog;

use super::Device;
use super::coordination::coordinator_today;
use crate::CoreError;

impl Device {
    /// Who viewed or changed a person's file, newest first (coordinators only).
    pub fn get_access_log(&self, cmd: GetAccessLog) -> Result<Vec<AccessEntry>, CoreError> {
        self.read(|s| {
            coordinator_today(s)?;
            s.access_entries(cmd.person.as_str())
        })
    }

    /// Deletes the entries older than twelve months, leaving a `purge` entry that keeps
    /// the chain verifiable, in one transaction; returns how many went.
    pub fn purge_access_log(&self) -> Result<u64, CoreError> {
        self.unit(|s| {
            let now = s.env.clock.now_ms();
            let days = i64::from(ACCESS_LOG_MONTHS) * 365 / 12;
            s.purge_access_log(now - days * 86_400_000)
        })
    }
}

#[cfg(feature = "http")]
mod server {
    use filrouge_model::sync::{ACCESS_KIND, API_VERSION, AccessPush, SealedAccessEntry};

    use super::super::Device;
    use super::coordinator_today;
    use crate::CoreError;
    use crate::e2e::{Binding, open_change, seal_change};
    use crate::store::access_sync::SealedFields;
    use crate::sync::HttpTransport;

    /// Entries a push or a page carries at most (the server takes up to 1,000).
    const ACCESS_PAGE: usize = 500;

    impl Device {
        /// Sends this device's access entries the server has not taken, sealed under the
        /// team's newest key, then, on a coordinator's device, takes every other device's
        /// (opened, each entry's hash and link checked). A team that does not seal its log
        /// keeps its access log on its devices. Returns how many entries were sent and
        /// taken.
        pub fn sync_access(&self, transport: &HttpTransport) -> Result<(usize, usize), CoreError> {
            let (ring, team, me, coordinator) = self.read(|s| {
                Ok((
                    s.keyring()?,
                    s.meta("team_id")?.unwrap_or_default(),
                    s.device_id()?.unwrap_or_default(),
                    coordinator_today(s).is_ok(),
                ))
            })?;
            let Some((epoch, key)) = ring.current() else {
                return Ok((0, 0));
            };
            let mut sent = 0;
            loop {
                let next = self.read(|s| s.access_to_send(ACCESS_PAGE))?;
                let Some(&(last, last_link, _)) = next.entries.last() else {
                    break;
                };
                let binding = Binding {
                    team: &team,
                    doc_id: &me,
                    kind: ACCESS_KIND,
                };
                let mut entries = Vec::with_capacity(next.entries.len());
                for (seq, link, fields) in &next.entries {
                    let plain = serde_json::to_vec(fields)
                        .map_err(|_| CoreError::DamagedSetting { key: "access_log" })?;
                    entries.push(SealedAccessEntry {
                        seq: *seq,
                        link: hex::encode(link),
                        data: seal_change(key, epoch, &binding, &plain),
                    });
                }
                let count = entries.len();
                transport.push_access(&AccessPush {
                    api_version: API_VERSION,
                    prev: next.prev.map(hex::encode).unwrap_or_default(),
                    entries,
                })?;
                self.read(|s| s.access_sent(last, &last_link))?;
                sent += count;
                if count < ACCESS_PAGE {
                    break;
                }
            }
            let mut taken = 0;
            if coordinator {
                loop {
                    let page = transport.pull_access(self.read(|s| s.access_cursor())?)?;
                    let mut opened = Vec::with_capacity(page.entries.len());
                    for entry in &page.entries {
                        let binding = Binding {
                            team: &team,
                            doc_id: &entry.device_id,
                            kind: ACCESS_KIND,
                        };
                        let fields = open_change(&ring, &binding, &entry.data)
                            .ok()
                            .and_then(|plain| serde_json::from_slice::<SealedFields>(&plain).ok())
                            .filter(|f| u64::try_from(f.seq).ok() == Some(entry.seq));
                        let link = hex::decode(&entry.link)
                            .ok()
                            .and_then(|l| <[u8; 32]>::try_from(l).ok());
                        match (fields, link) {
                            (Some(fields), Some(link)) => {
                                opened.push((entry.device_id.clone(), link, fields));
                            }
                            _ => tracing::warn!(
                                device_id = %entry.device_id,
                                seq = entry.seq,
                                "an access entry does not open: left out"
                            ),
                        }
                    }
                    taken += self.lock().keep_team_access(&opened, page.cursor)?;
                    if !page.more {
                        break;
                    }
                }
            }
            Ok((sent, taken))
        }
    }
}
