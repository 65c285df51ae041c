//! The sync API between devices and the team server, version [`API_VERSION`].
//!
//! Sync is a change log, not a per-document conversation: a device pushes the Automerge
//! changes in its outbox ([`PushRequest`]); the server gives each new change a per-team
//! sequence number and acknowledges it by hash (a change it already has is acknowledged
//! again, never stored twice). A device then pulls pages of changes "after cursor N"
//! ([`PullResponse`]). Change payloads are opaque to the server: it stores the bytes and
//! the metadata beside them, so that end-to-end encryption can later wrap the bytes.
//!
//! Every request and response carries the version; either side refuses a version it does
//! not speak with [`ErrorCode::VersionMismatch`].
//!
//! Each team log has an identity, its [`LogId`], new whenever the log is created,
//! restored from a backup or replaced. Sequence numbers only mean something within one
//! log: the enrolment answer and every pull page name the log, and a device that meets
//! a log it does not know (or a log whose head is below its cursor: a copy restored by
//! hand) re-uploads everything it holds before pulling the new log from zero. Version 2
//! added the log identity; a version-1 device is refused, and asked to update.

use serde::{Deserialize, Serialize};

mod access;
mod batch;
mod keys;

pub use access::{
    ACCESS_KIND, AccessPage, AccessPush, AccessPushResponse, AccessQuery, MAX_ACCESS_ENTRIES,
    SealedAccessEntry, TeamAccessEntry,
};

pub use batch::{
    BATCH_KIND, BATCH_MARK, BatchHeader, BatchMember, BatchReplacement, BatchesQuery, HeldBatch,
    HeldBatches, MAX_BATCH_CHANGES, put_batch_header, read_batch_header,
};

pub use keys::{
    DeviceKeyRequest, EpochKeys, MAX_SEALED_EPOCH_KEY_BYTES, MAX_SEALED_EPOCH_KEYS, PublishedKey,
    RECOVERY_RECIPIENT, RecoveryKeys, SealedEpochKey, ShareKeysRequest,
};

/// The version of this API. Bump on any incompatible change (2: the log identity; 3:
/// sealed batches, see [`BATCH_KIND`]).
pub const API_VERSION: u32 = 3;

/// The identity of a team log: a random UUID (lowercase, hyphenated), new whenever the
/// log is created, restored from a backup or replaced. A device keeps its cursor
/// per log id, so a cursor is never read against another log's numbers.
pub type LogId = String;

/// Largest request body the server reads, in bytes (a push page, base64 included).
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;
/// Largest single change blob, in bytes, before base64.
pub const MAX_BLOB_BYTES: usize = 512 * 1024;
/// Most changes in one push page.
pub const MAX_PUSH_CHANGES: usize = 1000;
/// Byte budget of a pull page that names none (blob bytes, before any encoding).
pub const DEFAULT_PULL_BYTES: u64 = 1024 * 1024;
/// Largest byte budget of one pull page. Devices start lower and grow the budget while
/// pages come back quickly: large pages compress better and save round trips.
pub const MAX_PULL_BYTES: u64 = 8 * 1024 * 1024;

/// Exchanges an enrolment code for a device token.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnrolRequest {
    /// The client's [`API_VERSION`].
    pub api_version: u32,
    /// The single-use code a coordinator gave.
    pub code: String,
    /// A name for the device, shown to coordinators.
    pub device_name: String,
}

/// A device's credentials, returned once at enrolment.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnrolResponse {
    /// The server's [`API_VERSION`].
    pub api_version: u32,
    /// The team the device joined.
    pub team_id: String,
    /// The device's id in that team.
    pub device_id: String,
    /// The bearer token for every later request. The server keeps only its hash.
    pub token: String,
    /// What the device may do in the team (absent from servers older than this field).
    #[serde(default)]
    pub role: Option<Role>,
    /// The identity of the team's log.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub log_id: LogId,
    /// The team's offline lease: a device that has not synced for this many days locks
    /// until it has. Absent from servers older than this field.
    #[serde(default)]
    pub lease_days: Option<u32>,
    /// The team's key epoch (0: the team does not seal its changes end to end).
    #[serde(default)]
    pub key_epoch: u32,
    /// The keys the inviting device sealed for this one ([`CodeRequest::sealed_keys`]),
    /// to open with the secret of the invitation link.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "base64_opt")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Byte))]
    pub sealed_keys: Option<Vec<u8>>,
}

/// What a device may do in its team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A field worker: writes and reads the team's records.
    Intervenant,
    /// A coordinator: also enrols and revokes devices, and erases records.
    Coordinateur,
}

impl Role {
    /// Both roles, the everyday one first.
    pub const ALL: [Role; 2] = [Role::Intervenant, Role::Coordinateur];

    /// The stable text form, as stored and as typed on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Intervenant => "intervenant",
            Role::Coordinateur => "coordinateur",
        }
    }

    /// Reads [`Role::as_str`] back.
    pub fn parse(text: &str) -> Option<Role> {
        match text {
            "intervenant" => Some(Role::Intervenant),
            "coordinateur" => Some(Role::Coordinateur),
            _ => None,
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `POST /v1/codes`: a coordinator's device asks for a single-use enrolment code, to
/// enrol a new device into its own team with `role`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CodeRequest {
    /// The client's [`API_VERSION`].
    pub api_version: u32,
    /// The role the enrolled device will get.
    pub role: Role,
    /// The team's keys sealed under the invitation's one-time secret (which only the
    /// invitation link carries), for the device that redeems the code: the server keeps
    /// them with the code, hands them over once at enrolment, and cannot open them.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "base64_opt")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Byte))]
    pub sealed_keys: Option<Vec<u8>>,
}

/// Largest sealed keyring a [`CodeRequest`] may carry, in bytes.
pub const MAX_SEALED_KEYS_BYTES: usize = 16 * 1024;

/// `POST /v1/epoch` (a coordinator's device): the team starts a key epoch its device
/// has just made.
///
/// - **Epoch 1**: the team starts sealing its changes end to end. The team's first
///   device may on an empty log. A team whose history began in clear starts it with
///   `history` ([`HistorySeal`]): the server then drops the clear changes, and the
///   asking device sends the whole history back sealed.
/// - **Epoch e + 1**, after a revocation: `sealed` carries the new key sealed to each
///   remaining device (and to the recovery key). The server starts it only if the
///   team's epoch is still e, and from then on refuses changes sealed under an older
///   epoch ([`ErrorCode::StaleEpoch`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KeyEpochRequest {
    /// The client's [`API_VERSION`].
    pub api_version: u32,
    /// The epoch to start.
    pub epoch: u32,
    /// The new epoch's key sealed to its recipients (none for epoch 1).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sealed: Vec<SealedEpochKey>,
    /// Epoch 1 on a team whose log began in clear: where the asking device stands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub history: Option<HistorySeal>,
}

/// Sealing the history of a team whose log began in clear (a coordinator's device, in
/// a [`KeyEpochRequest`] for epoch 1).
///
/// The server starts epoch 1 only if the device has pulled the whole log (`log_id` is
/// the team's log and its head is at most `pulled_to`), so that the device holds every
/// change the server is about to drop. In the same transaction it deletes every change
/// but the erasure entries, and every invitation not yet redeemed (none carries a key),
/// and gives the log the identity `new_log_id`: every device then heals it, and the
/// asking device, the only one holding the key, sends back the whole history sealed.
/// The same request asked again (its answer lost) is answered `started` again: the new
/// log id, random and known only to the asker until then, says it was this one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistorySeal {
    /// The log the device pulled.
    pub log_id: LogId,
    /// The sequence number the device pulled it to.
    pub pulled_to: u64,
    /// The log's identity from now on, made by the device (a random UUID).
    pub new_log_id: LogId,
}

/// The answer to a [`KeyEpochRequest`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KeyEpochResponse {
    /// The server's [`API_VERSION`].
    pub api_version: u32,
    /// Whether this request started the epoch (else the device must not use its key).
    pub started: bool,
    /// The team's key epoch now (0: the team does not seal).
    pub epoch: u32,
}

/// The answer to a [`CodeRequest`]: the code, shown once (the server keeps its hash).
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CodeResponse {
    /// The server's [`API_VERSION`].
    pub api_version: u32,
    /// The code, e.g. `K7PF-3MQX-W9`.
    pub code: String,
    /// The role it gives.
    pub role: Role,
    /// When it stops working, in ms since the Unix epoch.
    pub expires_at: i64,
}

impl std::fmt::Debug for CodeResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CodeResponse")
            .field("role", &self.role)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for EnrolResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EnrolResponse")
            .field("team_id", &self.team_id)
            .field("device_id", &self.device_id)
            .field("log_id", &self.log_id)
            .finish_non_exhaustive()
    }
}

/// `GET /v1/devices` (a coordinator's device): the team's devices, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeviceList {
    /// The server's [`API_VERSION`].
    pub api_version: u32,
    /// Every device enrolled in the team, revoked ones included.
    pub devices: Vec<DeviceInfo>,
    /// The team's recovery key, if a coordinator made one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery: Option<PublishedKey>,
    /// The epochs whose key is sealed to the recovery key.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recovery_epochs: Vec<u32>,
}

/// One device of the team, as a coordinator sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeviceInfo {
    /// Its id.
    pub id: String,
    /// The name given at enrolment (may name a person: never logged).
    pub name: String,
    /// What it may do.
    pub role: Role,
    /// When it was enrolled, in ms since the Unix epoch.
    pub enrolled_at: i64,
    /// When it was revoked, if it was.
    pub revoked_at: Option<i64>,
    /// When it last reached the server, to the hour (servers before it kept none).
    #[serde(default)]
    pub last_seen_at: Option<i64>,
    /// The public key it published, with its proof (none yet, or a team in clear).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_key: Option<PublishedKey>,
    /// The key epochs sealed to it on the server.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub key_epochs: Vec<u32>,
}

/// `POST /v1/revoke` (a coordinator's device): cut a device of the team off, a lost
/// phone say; its token is refused from then on. Answered with the [`DeviceList`].
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RevokeRequest {
    /// The client's [`API_VERSION`].
    pub api_version: u32,
    /// The device to revoke.
    pub device_id: String,
}

/// `POST /v1/token`: replace the asking device's token by a new one, of which the device
/// sends only the SHA-256 (lowercase hex): after the store it was kept in was encrypted,
/// the old token may linger in clear on the flash, so it stops opening anything. Asking
/// again with the new token and the same hash is answered the same (a device killed
/// before it kept the new token tries that). Answered with [`TokenResponse`].
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenRequest {
    /// The client's [`API_VERSION`].
    pub api_version: u32,
    /// The SHA-256 of the new token, lowercase hex (64 characters).
    pub token_hash: String,
}

/// The answer to a [`TokenRequest`]: the new token is the device's from now on.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenResponse {
    /// The server's [`API_VERSION`].
    pub api_version: u32,
}

/// The first byte of a change sealed end to end: neither an Automerge chunk's (0x85)
/// nor a pushed change's (0x01), so sealed and clear blobs are told apart.
pub const SEALED_MARK: u8 = 0xF1;

/// The key epoch a sealed change's or batch's envelope names (its bytes 1 to 4,
/// big-endian); `None` for a blob that is not sealed. The server reads it (and a
/// batch's clear header), never anything past it.
pub fn sealed_epoch(data: &[u8]) -> Option<u32> {
    match data {
        [SEALED_MARK | BATCH_MARK, a, b, c, d, ..] => Some(u32::from_be_bytes([*a, *b, *c, *d])),
        _ => None,
    }
}

/// One Automerge change and what the server may know about it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangeBlob {
    /// The record (document) the change belongs to.
    pub doc_id: String,
    /// The record kind's stable code, e.g. `rencontre`.
    pub kind: String,
    /// The change hash, lowercase hex; the idempotency key.
    pub hash: String,
    /// The change bytes, opaque to the server.
    #[serde(with = "base64_bytes")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Byte))]
    pub data: Vec<u8>,
}

impl std::fmt::Debug for ChangeBlob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChangeBlob")
            .field("doc_id", &self.doc_id)
            .field("kind", &self.kind)
            .field("hash", &self.hash)
            .field("bytes", &self.data.len())
            .finish()
    }
}

/// A page of the device's outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushRequest {
    /// The client's [`API_VERSION`].
    pub api_version: u32,
    /// The changes, in the order they were made on the device.
    pub changes: Vec<ChangeBlob>,
}

/// What the server did with a push page.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushResponse {
    /// The server's [`API_VERSION`].
    pub api_version: u32,
    /// The identity of the log that now holds the acknowledged changes.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub log_id: LogId,
    /// Hashes now held by the server (newly stored or already there): the device may
    /// drop them from its outbox.
    pub acknowledged: Vec<String>,
    /// Hashes the server will never take: their record was erased. The device drops
    /// them from its outbox too (the erasure itself reaches it through the log).
    #[serde(default)]
    pub refused: Vec<String>,
    /// The team's offline lease in days (see [`EnrolResponse::lease_days`]), so a
    /// coordinator's change reaches every device at its next push.
    #[serde(default)]
    pub lease_days: Option<u32>,
}

/// `POST /v1/lease` (a coordinator's device): sets the team's offline lease, the days
/// a device may go without syncing before it locks until it has (1 to 365; 30 for a
/// new team). Answered with the lease now in force, as [`LeaseRequest`].
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeaseRequest {
    /// The client's (or, in an answer, the server's) [`API_VERSION`].
    pub api_version: u32,
    /// The days.
    pub days: u32,
}

/// The `kind` of a log entry that erases a record: its `doc_id` names the record, its
/// `data` is empty. A device that pulls one deletes the record for real; the server has
/// already deleted every blob of it and refuses any later upload for it.
///
/// A device healing a restored or replaced server pushes the erasures it remembers as
/// such entries ([`erasure_hash`]), so that the records stay erased. The server takes
/// one from a coordinator's device as an erasure and refuses it from any other device:
/// a field device can never erase anything (it still never applies the record again).
pub const ERASURE_KIND: &str = "erasure";

/// The hash an erasure entry of record `doc_id` carries in the log and in a push.
pub fn erasure_hash(doc_id: &str) -> String {
    format!("{ERASURE_KIND}:{doc_id}")
}

/// `POST /v1/erase`: a coordinator erases a record from the whole team.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EraseRequest {
    /// The client's [`API_VERSION`].
    pub api_version: u32,
    /// The record (document) to erase.
    pub doc_id: String,
    /// Every sealed batch of the log holding a change of the record, sealed again
    /// without it ([`HeldBatches`] lists them). The server refuses the erasure with
    /// [`ErrorCode::ResealNeeded`] unless these are exactly the batches holding it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub replacements: Vec<BatchReplacement>,
}

/// The answer to an erasure.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EraseResponse {
    /// The server's [`API_VERSION`].
    pub api_version: u32,
    /// The sequence number of the erasure in the team log.
    pub seq: u64,
    /// How many stored changes of the record were deleted.
    pub deleted: u64,
}

/// A page of the team's change log.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PullResponse {
    /// The server's [`API_VERSION`].
    pub api_version: u32,
    /// The identity of the log the page comes from: its sequence numbers, cursor and
    /// head mean something only within that log.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub log_id: LogId,
    /// Changes with a sequence number above the cursor asked for, in order.
    pub changes: Vec<PulledChange>,
    /// The cursor to ask for next (the last sequence number in this page, or the same
    /// cursor when the page is empty).
    pub cursor: u64,
    /// Whether more changes wait after this page.
    pub more: bool,
    /// The highest sequence number in the team log when the page was read, so a device
    /// pulling a long log can show how far along it is. Absent from older servers.
    #[serde(default)]
    pub head: u64,
}

/// A change from the team log with its sequence number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PulledChange {
    /// The per-team sequence number the server gave it.
    pub seq: u64,
    /// The change.
    #[serde(flatten)]
    pub blob: ChangeBlob,
}

/// The query of `GET /v1/pull`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct PullQuery {
    /// The client's [`API_VERSION`].
    pub api_version: u32,
    /// Return changes with a sequence number strictly above this.
    pub after: u64,
    /// Byte budget for the page (at least one change is always returned).
    pub max_bytes: Option<u64>,
}

/// The health probe's answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    /// Always `"ok"` when the server answers.
    pub status: String,
    /// The server's [`API_VERSION`].
    pub api_version: u32,
    /// Whether this answer came over plain HTTP (a server started with
    /// `--insecure-http`, or a test's loopback server): device tokens travel in clear.
    #[serde(default)]
    pub insecure_http: bool,
}

/// A stable error code, part of the API: clients branch on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// Missing, unknown or revoked device token.
    Unauthorized,
    /// The enrolment code is unknown, used or expired.
    InvalidEnrolmentCode,
    /// The request body is too large.
    TooLarge,
    /// The request is malformed (bad JSON, bad hash, empty field…).
    BadRequest,
    /// The client speaks another API version.
    VersionMismatch,
    /// Too many requests from this device; wait the `Retry-After` seconds.
    RateLimited,
    /// The device's role does not allow this (erasure is for coordinators).
    Forbidden,
    /// The server failed; the request may be retried.
    Internal,
    /// This device was revoked by a coordinator (a lost or stolen phone): it must erase
    /// what it holds. Only ever said of a device the server knows and has revoked; an
    /// unknown token is [`ErrorCode::Unauthorized`], which erases nothing.
    Revoked,
    /// The push holds changes sealed under a key epoch older than the team's: a
    /// coordinator revoked a device and started a new epoch. The device fetches its
    /// keys (`GET /v1/keys`) and pushes again, sealed under the new one.
    StaleEpoch,
    /// An erasure's replacement batches are not those holding the record now (a batch
    /// holding it arrived meanwhile, or one was sealed wrongly): the device lists the
    /// batches again ([`HeldBatches`]) and retries.
    ResealNeeded,
    /// An access log push does not continue the device's chain as the server holds it
    /// (a gap, or an entry sent before now sent with another link): refused whole.
    AccessChainBreak,
}

impl ErrorCode {
    /// Every code, in declaration order: the UI's tests say each one in every language.
    pub const ALL: [ErrorCode; 12] = [
        ErrorCode::Unauthorized,
        ErrorCode::InvalidEnrolmentCode,
        ErrorCode::TooLarge,
        ErrorCode::BadRequest,
        ErrorCode::VersionMismatch,
        ErrorCode::RateLimited,
        ErrorCode::Forbidden,
        ErrorCode::Internal,
        ErrorCode::Revoked,
        ErrorCode::StaleEpoch,
        ErrorCode::ResealNeeded,
        ErrorCode::AccessChainBreak,
    ];
}

/// The JSON body of every error response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    /// The stable code.
    pub code: ErrorCode,
    /// A human-readable explanation, in English, for logs and developers.
    pub message: String,
    /// The server's [`API_VERSION`], so a client can explain a mismatch.
    pub api_version: u32,
}

pub(crate) mod base64_bytes {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;
    use serde::{Deserialize, Deserializer, Serializer, de::Error as _};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        STANDARD.decode(text).map_err(D::Error::custom)
    }
}

mod base64_opt {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;
    use serde::{Deserialize, Deserializer, Serializer, de::Error as _};

    pub fn serialize<S: Serializer>(bytes: &Option<Vec<u8>>, s: S) -> Result<S::Ok, S::Error> {
        match bytes {
            Some(bytes) => s.serialize_some(&STANDARD.encode(bytes)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<u8>>, D::Error> {
        Option::<String>::deserialize(d)?
            .map(|text| STANDARD.decode(text).map_err(D::Error::custom))
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pulled_change_round_trips_with_base64_payload() {
        let c = PulledChange {
            seq: 7,
            blob: ChangeBlob {
                doc_id: "d".into(),
                kind: "rencontre".into(),
                hash: "ab".repeat(32),
                data: vec![0, 1, 2, 255],
            },
        };
        let json = serde_json::to_value(&c).unwrap();
        assert_eq!(json["data"], "AAEC/w==");
        assert_eq!(json["seq"], 7);
        let back: PulledChange = serde_json::from_value(json).unwrap();
        assert_eq!(back, c);
    }

    #[test]
    fn bad_base64_is_an_error_not_a_panic() {
        let json = r#"{"doc_id":"d","kind":"k","hash":"h","data":"***"}"#;
        assert!(serde_json::from_str::<ChangeBlob>(json).is_err());
    }

    #[test]
    fn all_lists_every_error_code_once() {
        // No wildcard: a new code fails to compile here until it is given a place.
        let place = |code: ErrorCode| match code {
            ErrorCode::Unauthorized => 0,
            ErrorCode::InvalidEnrolmentCode => 1,
            ErrorCode::TooLarge => 2,
            ErrorCode::BadRequest => 3,
            ErrorCode::VersionMismatch => 4,
            ErrorCode::RateLimited => 5,
            ErrorCode::Forbidden => 6,
            ErrorCode::Internal => 7,
            ErrorCode::Revoked => 8,
            ErrorCode::StaleEpoch => 9,
            ErrorCode::ResealNeeded => 10,
            ErrorCode::AccessChainBreak => 11,
        };
        let places: Vec<usize> = ErrorCode::ALL.iter().map(|c| place(*c)).collect();
        assert_eq!(places, (0..ErrorCode::ALL.len()).collect::<Vec<_>>());
    }

    #[test]
    fn error_codes_are_snake_case() {
        let e = ApiError {
            code: ErrorCode::InvalidEnrolmentCode,
            message: "x".into(),
            api_version: API_VERSION,
        };
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["code"], "invalid_enrolment_code");
    }
}
