//! The access log's sync on the server (see [`filrouge_model::sync::AccessPush`]):
//! every device sends its sealed entries, which must continue the chain the server
//! holds for it; coordinators' devices read the whole team's. The server never opens an
//! entry: it checks numbers and links only, and keeps entries twelve months.

use filrouge_model::access::ACCESS_LOG_MONTHS;
use filrouge_model::sync::{
    API_VERSION, AccessPage, AccessPush, AccessPushResponse, AccessQuery, MAX_ACCESS_ENTRIES,
};

use crate::TeamServer;
use crate::coordinator::coordinator;
use crate::error::ServerError;
use crate::storage::{AccessRow, Device};
use crate::validate;

/// The most bytes one sealed entry may take (a few hundred in practice).
const MAX_ACCESS_ENTRY_BYTES: usize = 4096;

const DAY_MS: i64 = 86_400_000;

impl TeamServer {
    /// Appends `device`'s access entries after checking they continue its chain.
    pub fn push_access(
        &self,
        device: &Device,
        request: &AccessPush,
    ) -> Result<AccessPushResponse, ServerError> {
        validate::check_version(request.api_version)?;
        if request.entries.len() > MAX_ACCESS_ENTRIES {
            return Err(ServerError::TooManyChanges {
                count: request.entries.len(),
                max: MAX_ACCESS_ENTRIES,
            });
        }
        let prev = match request.prev.as_str() {
            "" => None,
            text => Some(link(text, None)?),
        };
        let mut rows = Vec::with_capacity(request.entries.len());
        for (index, entry) in request.entries.iter().enumerate() {
            if entry.data.len() > MAX_ACCESS_ENTRY_BYTES {
                return Err(ServerError::BlobTooLarge {
                    index,
                    size: entry.data.len(),
                    max: MAX_ACCESS_ENTRY_BYTES,
                });
            }
            rows.push(AccessRow {
                seq: entry.seq,
                link: link(&entry.link, Some(index))?,
                data: entry.data.clone(),
            });
        }
        let now = self.now_ms();
        let keep = i64::from(ACCESS_LOG_MONTHS) * 365 / 12 * DAY_MS;
        let head = self.storage().append_access(
            &device.team_id,
            &device.id,
            prev,
            &rows,
            now,
            now - keep,
        )?;
        tracing::info!(
            device_id = %device.id,
            entries = rows.len(),
            head,
            "access entries stored"
        );
        Ok(AccessPushResponse {
            api_version: API_VERSION,
            head,
        })
    }

    /// The team's access entries after a cursor (coordinators only).
    pub fn pull_access(
        &self,
        device: &Device,
        query: &AccessQuery,
    ) -> Result<AccessPage, ServerError> {
        validate::check_version(query.api_version)?;
        coordinator(device, "the access log")?;
        let (entries, more) =
            self.storage()
                .access_after(&device.team_id, query.after, MAX_ACCESS_ENTRIES)?;
        let cursor = entries.last().map_or(query.after, |e| e.team_seq);
        Ok(AccessPage {
            api_version: API_VERSION,
            entries,
            cursor,
            more,
        })
    }
}

/// A link as 32 bytes, from its 64 lowercase hex digits.
fn link(text: &str, index: Option<usize>) -> Result<[u8; 32], ServerError> {
    let bad = || ServerError::BadHash {
        index: index.unwrap_or(0),
    };
    let bytes = hex::decode(text).map_err(|_| bad())?;
    bytes.try_into().map_err(|_| bad())
}
