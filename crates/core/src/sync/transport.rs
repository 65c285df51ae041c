//! The transport trait the sync driver talks through, and its error.
//!
//! A transport carries one push page or one pull request to the team server and brings
//! back the answer. It knows nothing of the store. [`TransportError`] sorts failures
//! into what the UI can explain ([`TransportError::failure`]).

use filrouge_model::ipc::SyncFailure;
use filrouge_model::sync::{PullQuery, PullResponse, PushRequest, PushResponse};

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
    /// The server speaks another API version.
    #[error("server speaks sync API version {server}")]
    VersionMismatch {
        /// The server's version.
        server: u32,
    },
    /// The server refused the request with a stable error code.
    #[error("server refused the request: {status} {code}")]
    Rejected {
        /// HTTP status.
        status: u16,
        /// The stable error code.
        code: String,
    },
    /// The answer could not be understood.
    #[error("unexpected answer from the server: {detail}")]
    Protocol {
        /// What was wrong with it.
        detail: String,
    },
}

impl TransportError {
    /// The failure as the UI explains it.
    pub fn failure(&self) -> SyncFailure {
        match self {
            TransportError::Unreachable { .. } => SyncFailure::Unreachable,
            TransportError::Unauthorized => SyncFailure::Unauthorized,
            TransportError::VersionMismatch { server } => SyncFailure::VersionMismatch {
                server: *server,
                app: filrouge_model::sync::API_VERSION,
            },
            TransportError::Rejected { status, code } => SyncFailure::Rejected {
                status: *status,
                code: code.clone(),
            },
            TransportError::Protocol { .. } => SyncFailure::Protocol,
        }
    }

    /// Whether trying again later may succeed (network and server trouble) rather than
    /// needing the user (revoked device, app too old).
    pub fn is_transient(&self) -> bool {
        match self {
            TransportError::Unreachable { .. } => true,
            TransportError::Rejected { status, .. } => *status >= 500 || *status == 429,
            _ => false,
        }
    }
}
