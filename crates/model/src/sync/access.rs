//! The access log's sync (*traçabilité*): each device sends its own hash-chained
//! entries, sealed under the team key like every change; coordinators' devices read
//! every device's, to show on a person's thread who viewed or changed the file.
//!
//! What the server may read of an entry: the device that wrote it (its token says so),
//! its number in that device's chain, and its **link**, a SHA-256 that chains the
//! device's entries (each link covers the one before it and the entry's own chain hash,
//! which stays sealed). The server keeps each device's head (last number and link) and
//! refuses a push that does not continue it: a gap, or an entry it holds sent again
//! with another link, is a break (`409 access_chain_break`). So a device cannot rewrite
//! what it already sent, and a coordinator's device, which opens the entries, checks
//! every link and every entry's own hash.

use serde::{Deserialize, Serialize};

/// `POST /v1/access`: a device's next entries, in chain order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccessPush {
    /// The client's [`super::API_VERSION`].
    pub api_version: u32,
    /// The link of the entry before the first one sent (64 hex digits; empty when the
    /// device has sent none yet).
    pub prev: String,
    /// The entries, numbers consecutive.
    pub entries: Vec<SealedAccessEntry>,
}

/// One entry as it travels to the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SealedAccessEntry {
    /// Its number in the writing device's chain.
    pub seq: u64,
    /// Its link (64 hex digits).
    pub link: String,
    /// The entry, sealed.
    #[serde(with = "super::base64_bytes")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Byte))]
    pub data: Vec<u8>,
}

/// The answer to [`AccessPush`]: the device's head the server now holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccessPushResponse {
    /// The server's [`super::API_VERSION`].
    pub api_version: u32,
    /// The number of the device's last entry the server holds.
    pub head: u64,
}

/// The query of `GET /v1/access` (coordinators' devices).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct AccessQuery {
    /// The client's [`super::API_VERSION`].
    pub api_version: u32,
    /// Entries the server numbered above this.
    pub after: u64,
}

/// A page of the team's access entries, every device's, in the order the server took
/// them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccessPage {
    /// The server's [`super::API_VERSION`].
    pub api_version: u32,
    /// The entries.
    pub entries: Vec<TeamAccessEntry>,
    /// The cursor to ask for next.
    pub cursor: u64,
    /// Whether more entries follow.
    pub more: bool,
}

/// One entry of the team's access log, as the server holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamAccessEntry {
    /// The number the server gave it in the team's access log.
    pub team_seq: u64,
    /// The device that wrote it.
    pub device_id: String,
    /// Its number in that device's chain.
    pub seq: u64,
    /// Its link (64 hex digits).
    pub link: String,
    /// The entry, sealed.
    #[serde(with = "super::base64_bytes")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Byte))]
    pub data: Vec<u8>,
}

/// The most entries one push or one page carries.
pub const MAX_ACCESS_ENTRIES: usize = 1000;

/// The `kind` an access entry is sealed under (with the writing device's id as record
/// id), so that an entry cannot pass for a change, nor for another device's entry.
pub const ACCESS_KIND: &str = "access";
