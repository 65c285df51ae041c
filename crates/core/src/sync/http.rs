//! The HTTP transport: the sync API over blocking reqwest, for the shell's background
//! sync thread and the CLI.
//!
//! Requests carry the device token as a bearer token. Error answers are the server's
//! JSON [`ApiError`]; they are turned into [`TransportError`] so the engine and the UI
//! never see HTTP details.

use std::time::Duration;

use filrouge_model::sync::{
    API_VERSION, ApiError, EnrolRequest, EnrolResponse, EraseRequest, EraseResponse, ErrorCode,
    PullQuery, PullResponse, PushRequest, PushResponse,
};
use reqwest::blocking::{Client, RequestBuilder};
use serde::de::DeserializeOwned;

use super::{Transport, TransportError};

/// A transport to one team server with one device token.
#[derive(Debug, Clone)]
pub struct HttpTransport {
    client: Client,
    base: String,
    token: String,
}

impl HttpTransport {
    /// A transport to `base_url` (e.g. `http://127.0.0.1:8787`) with a device token.
    pub fn new(base_url: &str, token: &str) -> Result<HttpTransport, TransportError> {
        Ok(HttpTransport {
            client: client()?,
            base: base_url.trim_end_matches('/').to_owned(),
            token: token.to_owned(),
        })
    }
}

impl HttpTransport {
    /// Asks the server to erase a record from the whole team (coordinator devices only;
    /// others get `Rejected { status: 403, code: "forbidden" }`). This device deletes its
    /// own copy when the erasure comes back through its next pull, like every device.
    pub fn erase(&self, doc_id: &str) -> Result<EraseResponse, TransportError> {
        let req = EraseRequest {
            api_version: API_VERSION,
            doc_id: doc_id.to_owned(),
        };
        send(
            self.client
                .post(format!("{}/v1/erase", self.base))
                .bearer_auth(&self.token)
                .json(&req),
        )
    }

    /// The same transport with another whole-request timeout (60 s by default: a page
    /// on 2G takes a while; tests of stalled networks use less).
    pub fn with_timeout(mut self, timeout: Duration) -> Result<HttpTransport, TransportError> {
        self.client = client_with(timeout)?;
        Ok(self)
    }

    /// The device token this transport sends (for tests that talk HTTP directly).
    pub fn token(&self) -> &str {
        &self.token
    }
}

impl Transport for HttpTransport {
    fn push(&mut self, req: &PushRequest) -> Result<PushResponse, TransportError> {
        let json = serde_json::to_vec(req).map_err(|e| TransportError::Protocol {
            detail: e.to_string(),
        })?;
        let builder = self
            .client
            .post(format!("{}/v1/push", self.base))
            .bearer_auth(&self.token)
            .header(reqwest::header::CONTENT_TYPE, "application/json");
        // Pushes are compressed both ways (answers by reqwest's `gzip` feature): on 2G
        // the base64 of a page of changes shrinks by a third or more.
        let builder = if json.len() >= GZIP_FROM_BYTES {
            builder
                .header(reqwest::header::CONTENT_ENCODING, "gzip")
                .body(gzip(&json)?)
        } else {
            builder.body(json)
        };
        send(builder)
    }

    fn pull(&mut self, query: &PullQuery) -> Result<PullResponse, TransportError> {
        let mut url = format!(
            "{}/v1/pull?api_version={}&after={}",
            self.base, query.api_version, query.after
        );
        if let Some(max) = query.max_bytes {
            url.push_str(&format!("&max_bytes={max}"));
        }
        send(self.client.get(url).bearer_auth(&self.token))
    }
}

/// Bodies smaller than this go uncompressed: gzip's header would eat the gain.
const GZIP_FROM_BYTES: usize = 1024;

fn gzip(bytes: &[u8]) -> Result<Vec<u8>, TransportError> {
    use std::io::Write as _;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder
        .write_all(bytes)
        .and_then(|()| encoder.finish())
        .map_err(|e| TransportError::Protocol {
            detail: e.to_string(),
        })
}

/// Exchanges an enrolment code for a device token.
pub fn enrol(
    base_url: &str,
    code: &str,
    device_name: &str,
) -> Result<EnrolResponse, TransportError> {
    let req = EnrolRequest {
        api_version: API_VERSION,
        code: code.to_owned(),
        device_name: device_name.to_owned(),
    };
    let url = format!("{}/v1/enrol", base_url.trim_end_matches('/'));
    let resp: EnrolResponse = send(client()?.post(url).json(&req))?;
    if resp.api_version != API_VERSION {
        return Err(TransportError::VersionMismatch {
            server: resp.api_version,
        });
    }
    Ok(resp)
}

fn client() -> Result<Client, TransportError> {
    client_with(Duration::from_secs(60))
}

fn client_with(timeout: Duration) -> Result<Client, TransportError> {
    Client::builder()
        .connect_timeout(Duration::from_secs(10).min(timeout))
        .timeout(timeout)
        .build()
        .map_err(|e| TransportError::Unreachable {
            detail: e.to_string(),
        })
}

fn send<T: DeserializeOwned>(builder: RequestBuilder) -> Result<T, TransportError> {
    let resp = builder.send().map_err(|e| TransportError::Unreachable {
        detail: e.without_url().to_string(),
    })?;
    let status = resp.status();
    let body = resp.bytes().map_err(|e| TransportError::Unreachable {
        detail: e.without_url().to_string(),
    })?;
    if status.is_success() {
        return serde_json::from_slice(&body).map_err(|e| TransportError::Protocol {
            detail: e.to_string(),
        });
    }
    if status == reqwest::StatusCode::UNAUTHORIZED {
        return Err(TransportError::Unauthorized);
    }
    match serde_json::from_slice::<ApiError>(&body) {
        Ok(err) if err.code == ErrorCode::VersionMismatch => Err(TransportError::VersionMismatch {
            server: err.api_version,
        }),
        Ok(err) => Err(TransportError::Rejected {
            status: status.as_u16(),
            code: serde_json::to_value(err.code)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
        }),
        Err(_) => Err(TransportError::Rejected {
            status: status.as_u16(),
            code: String::new(),
        }),
    }
}
