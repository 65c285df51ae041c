//! The transport trait the sync driver talks through, and its error.
//!
//! A transport carries one push page or one pull request to the team server and brings
//! back the answer. It knows nothing of the store. [`TransportError`] sorts failures
//! into what the UI can explain ([`TransportError::failure`]).

use filrouge_model::ipc::SyncFailure;
use filrouge_model::sync::{
    ApiError, ErrorCode, PullQuery, PullResponse, PushRequest, PushResponse,
};

/// Carries sync requests to a team server.
pub trait Transport {
    /// Sends a push page.
    fn push(&mut self, req: &PushRequest) -> Result<PushResponse, TransportError>;
    /// Asks for a page of the team log.
    fn pull(&mut self, query: &PullQuery) -> Result<PullResponse, TransportError>;
}

/// Why a request to the server failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    /// No answer: no network, wrong address, server down, timeout, connection cut.
    #[error("server unreachable: {detail}")]
    Unreachable {
        /// The client library's explanation (no request content).
        detail: String,
    },
    /// The server refused the device token.
    #[error("device token refused")]
    Unauthorized,
    /// The server says a coordinator revoked this device (a lost or stolen phone): it
    /// must erase what it holds.
    #[error("this device was revoked")]
    Revoked,
    /// The server speaks another API version.
    #[error("server speaks sync API version {server}")]
    VersionMismatch {
        /// The server's version.
        server: u32,
    },
    /// The server refused the request.
    #[error("server refused the request: {status} {code:?}")]
    Rejected {
        /// HTTP status.
        status: u16,
        /// The stable error code, when the answer carried one this app knows.
        code: Option<ErrorCode>,
    },
    /// The answer could not be understood.
    #[error("unexpected answer from the server: {detail}")]
    Protocol {
        /// What was wrong with it.
        detail: String,
    },
    /// The server's certificate is not the pinned one, or not trusted: the connection
    /// was closed before anything was sent.
    #[error("the server's certificate is not trusted")]
    Untrusted,
    /// The address is not safe: `http://` to another machine (nothing was sent), or a
    /// redirect answered by the pinned server (never followed).
    #[error("unsafe server address: {detail}")]
    Insecure {
        /// Why.
        detail: String,
    },
}

impl TransportError {
    /// The failure as the UI explains it.
    pub fn failure(&self) -> SyncFailure {
        match self {
            TransportError::Unreachable { .. } => SyncFailure::Unreachable,
            TransportError::Unauthorized => SyncFailure::Unauthorized,
            TransportError::Revoked => SyncFailure::Revoked,
            TransportError::VersionMismatch { server } => SyncFailure::VersionMismatch {
                server: *server,
                app: filrouge_model::sync::API_VERSION,
            },
            TransportError::Rejected { status, code } => SyncFailure::Rejected {
                status: *status,
                code: *code,
            },
            TransportError::Protocol { .. } => SyncFailure::Protocol,
            TransportError::Untrusted => SyncFailure::Untrusted,
            TransportError::Insecure { .. } => SyncFailure::Insecure,
        }
    }

    /// Whether trying again later may succeed (network and server trouble) rather than
    /// needing the user (revoked device, app too old).
    pub fn is_transient(&self) -> bool {
        match self {
            TransportError::Unreachable { .. } => true,
            // 408: the request took too long (a slow link): worth trying again later.
            TransportError::Rejected { status, .. } => {
                *status >= 500 || *status == 429 || *status == 408
            }
            _ => false,
        }
    }
}

/// The error an unsuccessful answer describes: its HTTP status and its body, the
/// server's [`ApiError`] when it is one (a proxy may answer anything).
pub fn refusal(status: u16, body: &[u8]) -> TransportError {
    let answer = serde_json::from_slice::<ApiError>(body);
    if status == 401 {
        // Only the server's own, explicit answer erases a device: never a proxy's page
        // or an unknown token (a server restored from a backup older than the device).
        return match answer {
            Ok(err) if err.code == ErrorCode::Revoked => TransportError::Revoked,
            _ => TransportError::Unauthorized,
        };
    }
    match answer {
        Ok(err) if err.code == ErrorCode::VersionMismatch => TransportError::VersionMismatch {
            server: err.api_version,
        },
        Ok(err) => TransportError::Rejected {
            status,
            code: Some(err.code),
        },
        Err(_) => TransportError::Rejected { status, code: None },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use filrouge_model::sync::API_VERSION;

    fn body(code: ErrorCode) -> Vec<u8> {
        serde_json::to_vec(&ApiError {
            code,
            message: "m".into(),
            api_version: API_VERSION + 1,
        })
        .unwrap()
    }

    #[test]
    fn a_refusal_keeps_the_servers_code_typed() {
        assert_eq!(
            refusal(403, &body(ErrorCode::Forbidden)),
            TransportError::Rejected {
                status: 403,
                code: Some(ErrorCode::Forbidden)
            }
        );
        assert_eq!(
            refusal(400, &body(ErrorCode::VersionMismatch)),
            TransportError::VersionMismatch {
                server: API_VERSION + 1
            }
        );
        assert_eq!(refusal(401, b""), TransportError::Unauthorized);
        assert_eq!(
            refusal(401, &body(ErrorCode::Unauthorized)),
            TransportError::Unauthorized
        );
        assert_eq!(
            refusal(401, &body(ErrorCode::Revoked)),
            TransportError::Revoked
        );
        // Said with another status, "revoked" erases nothing either.
        assert_eq!(
            refusal(503, &body(ErrorCode::Revoked)),
            TransportError::Rejected {
                status: 503,
                code: Some(ErrorCode::Revoked)
            }
        );
        // A proxy's page, or a code from a newer server: the status alone.
        assert_eq!(
            refusal(502, b"<html>Bad gateway</html>"),
            TransportError::Rejected {
                status: 502,
                code: None
            }
        );
        let newer = br#"{"code":"quota_exceeded","message":"m","api_version":2}"#;
        assert_eq!(
            refusal(409, newer),
            TransportError::Rejected {
                status: 409,
                code: None
            }
        );
    }
}
