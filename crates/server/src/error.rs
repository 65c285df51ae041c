//! The server's one error type, and how each variant becomes an HTTP answer.
//!
//! Storage, validation and the HTTP extractors all return [`ServerError`]. The HTTP layer
//! turns it into a status and an [`ApiError`] body with a stable [`ErrorCode`]
//! ([`ServerError::status_and_code`]). Client mistakes are explained to the client;
//! server failures are logged here, once, by variant and source only (never request
//! data, which may be about the people the team follows) and answered with a bare
//! `internal`.

use axum::Json;
use axum::http::header::RETRY_AFTER;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use filrouge_model::sync::{API_VERSION, ApiError, ErrorCode};

/// What went wrong in the team server.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The token is missing, malformed or unknown (a revoked device's is [`Self::Revoked`]).
    #[error("missing or unknown device token")]
    Unauthorized,
    /// The token is a device's that a coordinator revoked.
    #[error("this device was revoked")]
    Revoked,
    /// The enrolment code is unknown, already used or expired.
    #[error("unknown, used or expired enrolment code")]
    InvalidEnrolmentCode,
    /// The client speaks another version of the sync API.
    #[error("API version {client} is not supported; this server speaks {server}")]
    VersionMismatch {
        /// The version the client sent.
        client: u32,
        /// The version this server speaks.
        server: u32,
    },
    /// A push page holds more changes than one page may.
    #[error("a push page holds {count} changes; at most {max} are accepted")]
    TooManyChanges {
        /// Changes in the page.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// One change blob is larger than allowed.
    #[error("change #{index} has {size} bytes; at most {max} are accepted")]
    BlobTooLarge {
        /// Position of the change in the page.
        index: usize,
        /// Its size in bytes.
        size: usize,
        /// The limit.
        max: usize,
    },
    /// A change's hash is not 64 lowercase hex characters.
    #[error("change #{index} has a hash that is not 64 lowercase hex characters")]
    BadHash {
        /// Position of the change in the page.
        index: usize,
    },
    /// A text field is empty, too long or holds control characters.
    #[error("`{field}` must be 1 to {max_len} bytes without control characters")]
    BadField {
        /// The field's name in the API.
        field: &'static str,
        /// Its largest allowed length in bytes.
        max_len: usize,
        /// Position of the change in a push page, when the field belongs to one.
        index: Option<usize>,
    },
    /// The request body is larger than the server reads.
    #[error("the request body is larger than {limit} bytes")]
    BodyTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// The request could not be read: bad JSON, missing field, bad query string.
    #[error("malformed request: {reason}")]
    MalformedRequest {
        /// What the parser said; sent back to the client, never logged.
        reason: String,
    },
    /// The device's role does not allow the request.
    #[error("this device's role does not allow {action}")]
    Forbidden {
        /// What was refused.
        action: &'static str,
    },
    /// The device made more requests than its rate allows.
    #[error("too many requests; retry after {retry_after_secs} s")]
    RateLimited {
        /// Seconds until the next request is admitted.
        retry_after_secs: u64,
    },
    /// The request, its body's arrival included, outlasted the server's deadline.
    #[error("the request took longer than {seconds} s")]
    RequestTimeout {
        /// The deadline, in seconds.
        seconds: u64,
    },
    /// No route has this path.
    #[error("no such route")]
    NoSuchRoute,
    /// The route exists but not with this HTTP method.
    #[error("method not allowed on this route")]
    MethodNotAllowed,
    /// A pushed change is sealed under a key epoch older than the team's.
    #[error("change #{index} is sealed under key epoch {sealed}; the team is at epoch {current}")]
    StaleEpoch {
        /// Position of the change in the page.
        index: usize,
        /// The epoch it names.
        sealed: u32,
        /// The team's epoch.
        current: u32,
    },
    /// An erasure's replacement batches are not exactly those holding the record now,
    /// or one of them does not list the same changes but the record's.
    #[error("the erasure's replacement batches do not match the log: {reason}")]
    ResealNeeded {
        /// What did not match (sequence numbers and counts only).
        reason: String,
    },
    /// An access log push does not continue the device's chain.
    #[error("the access log push breaks the device's chain at entry {seq}")]
    AccessChainBreak {
        /// The first entry that does not continue it.
        seq: u64,
    },
    /// No team has this id.
    #[error("no team has id {team_id}")]
    UnknownTeam {
        /// The id asked for.
        team_id: String,
    },
    /// No device has this id.
    #[error("no device has id {device_id}")]
    UnknownDevice {
        /// The id asked for.
        device_id: String,
    },
    /// The operating system could not provide random bytes.
    #[error("no randomness available")]
    Random {
        /// The OS error.
        #[source]
        source: getrandom::Error,
    },
    /// An SQLite call failed.
    #[error("SQLite failed while trying to {operation}")]
    Sqlite {
        /// What the server was doing, e.g. `append changes`.
        operation: &'static str,
        /// The driver's error.
        #[source]
        source: rusqlite::Error,
    },
    /// A PostgreSQL call failed.
    #[error("PostgreSQL failed while trying to {operation}: {reason}")]
    Postgres {
        /// What the server was doing, e.g. `append changes`.
        operation: &'static str,
        /// The SQLSTATE and primary message (never the detail, which can quote values).
        reason: String,
    },
    /// The database was written by a newer server, whose schema this one does not know.
    #[error("the database schema is at version {found}; this server knows up to {known}")]
    SchemaTooNew {
        /// The schema version recorded in the database.
        found: i64,
        /// The latest version this server knows.
        known: i64,
    },
    /// A stored value cannot be read back (e.g. an unknown role or a negative number).
    #[error("stored data is corrupt: {what}")]
    Corrupt {
        /// Which column or value, never its content.
        what: &'static str,
    },
    /// A pull page could not be compressed.
    #[error("compressing a page failed")]
    Compression {
        /// zstd's error.
        #[source]
        source: std::io::Error,
    },
    /// A thread of the server could not be started.
    #[error("could not start a server thread")]
    Thread {
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// A file of a backup or a restore could not be written, moved or removed.
    #[error("could not {operation} {path}")]
    File {
        /// What was being done, e.g. `write the backup`.
        operation: &'static str,
        /// The file (an operator's path, not personal data).
        path: std::path::PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The server's certificate or key could not be made or read.
    #[error("TLS: {reason}")]
    Tls {
        /// What went wrong (paths, never key material).
        reason: String,
    },
    /// The file given to restore is not a Fil rouge server database.
    #[error("{path} is not a Fil rouge server backup")]
    NotABackup {
        /// The file.
        path: std::path::PathBuf,
    },
    /// A blocking storage task panicked or was cancelled.
    #[error("a background storage task failed")]
    TaskFailed {
        /// Tokio's error.
        #[source]
        source: tokio::task::JoinError,
    },
}

impl ServerError {
    /// The HTTP status and the stable API code this error is answered with.
    pub fn status_and_code(&self) -> (StatusCode, ErrorCode) {
        use ServerError as E;
        match self {
            E::Unauthorized => (StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized),
            E::Revoked => (StatusCode::UNAUTHORIZED, ErrorCode::Revoked),
            E::InvalidEnrolmentCode => (StatusCode::FORBIDDEN, ErrorCode::InvalidEnrolmentCode),
            E::VersionMismatch { .. } => (StatusCode::BAD_REQUEST, ErrorCode::VersionMismatch),
            // Too much in one page: the client can retry with smaller pages, so these
            // share `too_large` with an oversized body rather than `bad_request`.
            E::TooManyChanges { .. } | E::BlobTooLarge { .. } | E::BodyTooLarge { .. } => {
                (StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::TooLarge)
            }
            E::BadHash { .. } | E::BadField { .. } | E::MalformedRequest { .. } => {
                (StatusCode::BAD_REQUEST, ErrorCode::BadRequest)
            }
            E::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, ErrorCode::BadRequest),
            // 408: the device retries later (a slow link now, a better one then).
            E::RequestTimeout { .. } => (StatusCode::REQUEST_TIMEOUT, ErrorCode::BadRequest),
            E::RateLimited { .. } => (StatusCode::TOO_MANY_REQUESTS, ErrorCode::RateLimited),
            E::Forbidden { .. } => (StatusCode::FORBIDDEN, ErrorCode::Forbidden),
            E::StaleEpoch { .. } => (StatusCode::CONFLICT, ErrorCode::StaleEpoch),
            E::ResealNeeded { .. } => (StatusCode::CONFLICT, ErrorCode::ResealNeeded),
            E::AccessChainBreak { .. } => (StatusCode::CONFLICT, ErrorCode::AccessChainBreak),
            E::NoSuchRoute | E::UnknownTeam { .. } | E::UnknownDevice { .. } => {
                (StatusCode::NOT_FOUND, ErrorCode::BadRequest)
            }
            E::Random { .. }
            | E::Sqlite { .. }
            | E::Postgres { .. }
            | E::SchemaTooNew { .. }
            | E::Corrupt { .. }
            | E::Compression { .. }
            | E::Thread { .. }
            | E::File { .. }
            | E::Tls { .. }
            | E::NotABackup { .. }
            | E::TaskFailed { .. } => (StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal),
        }
    }
}

impl IntoResponse for ServerError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        let message = if code == ErrorCode::Internal {
            // The variant and its source chain name the failing operation and the
            // driver's message; neither carries request data. Clients learn nothing.
            tracing::error!(error = %self, source = ?std::error::Error::source(&self), "request failed");
            "internal server error".to_owned()
        } else {
            tracing::debug!(?code, status = status.as_u16(), "request refused");
            self.to_string()
        };
        let body = ApiError {
            code,
            message,
            api_version: API_VERSION,
        };
        let mut response = (status, Json(body)).into_response();
        if let ServerError::RateLimited { retry_after_secs } = self {
            response
                .headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from(retry_after_secs));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_hide_their_details() {
        let error = ServerError::Corrupt {
            what: "devices.role",
        };
        let response = error.into_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }

    #[test]
    fn client_errors_map_to_stable_codes() {
        let cases = [
            (
                ServerError::Unauthorized,
                StatusCode::UNAUTHORIZED,
                ErrorCode::Unauthorized,
            ),
            (
                ServerError::Revoked,
                StatusCode::UNAUTHORIZED,
                ErrorCode::Revoked,
            ),
            (
                ServerError::InvalidEnrolmentCode,
                StatusCode::FORBIDDEN,
                ErrorCode::InvalidEnrolmentCode,
            ),
            (
                ServerError::VersionMismatch {
                    client: 9,
                    server: API_VERSION,
                },
                StatusCode::BAD_REQUEST,
                ErrorCode::VersionMismatch,
            ),
            (
                ServerError::BodyTooLarge { limit: 1 },
                StatusCode::PAYLOAD_TOO_LARGE,
                ErrorCode::TooLarge,
            ),
            (
                ServerError::BadHash { index: 0 },
                StatusCode::BAD_REQUEST,
                ErrorCode::BadRequest,
            ),
            (
                ServerError::StaleEpoch {
                    index: 0,
                    sealed: 1,
                    current: 2,
                },
                StatusCode::CONFLICT,
                ErrorCode::StaleEpoch,
            ),
            (
                ServerError::AccessChainBreak { seq: 4 },
                StatusCode::CONFLICT,
                ErrorCode::AccessChainBreak,
            ),
            (
                ServerError::ResealNeeded {
                    reason: "batch 3 missing".into(),
                },
                StatusCode::CONFLICT,
                ErrorCode::ResealNeeded,
            ),
        ];
        for (error, status, code) in cases {
            assert_eq!(error.status_and_code(), (status, code));
        }
    }
}
