//! The simulated devices of `filrouge bench load`: the app's requests, with the phone's
//! own work done ahead of time or left out.
//!
//! A phone compresses what it pushes and decodes what it pulls on its own processor.
//! 200 simulated phones on the server's two cores would instead spend those cores
//! compressing pushes and decompressing and hashing the team's changes 199 times over,
//! and the benchmark would measure them, not the server. So a simulated device sends
//! the app's push body, made before the clock starts ([`PushBody`]), and the app's pull
//! (the same URL, budget, token, `Accept` and `Accept-Encoding`); it receives the whole
//! compressed page into a buffer it keeps, and decompresses only the page's head: the
//! cursor to ask for next and whether more waits. One device
//! in the team still pulls with the app's own transport, decoding and hashing every
//! change, and after the run a fresh device pulls the whole log that way to check that
//! it holds every acknowledged change exactly once (see `bench_load.rs`).

use std::io::Read as _;
use std::time::Duration;

use filrouge_core::sync::{PushBody, TransportError, refusal};
use filrouge_model::sync::{PullQuery, PushResponse};
use filrouge_model::wire::{self, PAGE_HEADER_MAX_BYTES, PAGE_MEDIA_TYPE, PageHeader};
use reqwest::blocking::Client;
use reqwest::header::{ACCEPT, ACCEPT_ENCODING, CONTENT_ENCODING, CONTENT_TYPE};

use filrouge_model::wire::PUSH_MEDIA_TYPE;

/// A device that sends ready-made pushes and reads only each pulled page's head.
pub struct LightDevice {
    client: Client,
    base: String,
    token: String,
    /// The last pulled body, kept to take the next one without a fresh allocation.
    body: Vec<u8>,
}

/// What one pull brought.
pub struct Pulled {
    /// The page's head.
    pub header: PageHeader,
    /// The body's size on the wire (compressed).
    pub wire_bytes: u64,
}

impl LightDevice {
    /// A device of `base_url` with a device token.
    pub fn new(base_url: &str, token: &str) -> Result<LightDevice, TransportError> {
        filrouge_core::sync::tls::install_provider();
        let client = Client::builder()
            // The body is kept compressed: only its head is decompressed, here.
            .no_zstd()
            .no_gzip()
            .timeout(Duration::from_secs(60))
            .build()
            .map_err(|e| TransportError::Unreachable {
                detail: e.to_string(),
            })?;
        Ok(LightDevice {
            client,
            base: base_url.trim_end_matches('/').to_owned(),
            token: token.to_owned(),
            body: Vec::new(),
        })
    }

    /// The app's push, with its body made beforehand.
    pub fn push(&mut self, body: &PushBody) -> Result<PushResponse, TransportError> {
        let request = self
            .client
            .post(format!("{}/v1/push", self.base))
            .bearer_auth(&self.token)
            .header(CONTENT_TYPE, PUSH_MEDIA_TYPE);
        let request = match body.encoding {
            Some(encoding) => request.header(CONTENT_ENCODING, encoding),
            None => request,
        };
        let resp = request
            .body(body.bytes.clone())
            .send()
            .map_err(unreachable)?;
        let status = resp.status();
        let answer = resp.bytes().map_err(unreachable)?;
        if !status.is_success() {
            return Err(refusal(status.as_u16(), &answer));
        }
        serde_json::from_slice(&answer).map_err(|e| TransportError::Protocol {
            detail: e.to_string(),
        })
    }

    /// The app's pull of the page after `query.after`.
    pub fn pull(&mut self, query: &PullQuery) -> Result<Pulled, TransportError> {
        let mut url = format!(
            "{}/v1/pull?api_version={}&after={}",
            self.base, query.api_version, query.after
        );
        if let Some(max) = query.max_bytes {
            url.push_str(&format!("&max_bytes={max}"));
        }
        let mut resp = self
            .client
            .get(url)
            .bearer_auth(&self.token)
            .header(ACCEPT, format!("{PAGE_MEDIA_TYPE}, application/json;q=0.5"))
            .header(ACCEPT_ENCODING, "zstd")
            .send()
            .map_err(unreachable)?;
        let status = resp.status();
        let zstd = resp
            .headers()
            .get(CONTENT_ENCODING)
            .is_some_and(|v| v.as_bytes() == b"zstd");
        let binary = resp
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with(PAGE_MEDIA_TYPE));
        self.body.clear();
        resp.read_to_end(&mut self.body)
            .map_err(|e| TransportError::Unreachable {
                detail: e.to_string(),
            })?;
        let body = &self.body;
        if !status.is_success() {
            return Err(refusal(status.as_u16(), body));
        }
        let protocol = |detail: String| TransportError::Protocol { detail };
        if !binary || !zstd {
            return Err(protocol("the server sent no compressed binary page".into()));
        }
        let mut head = Vec::with_capacity(PAGE_HEADER_MAX_BYTES);
        zstd::stream::read::Decoder::new(&body[..])
            .map_err(|e| protocol(e.to_string()))?
            .take(PAGE_HEADER_MAX_BYTES as u64)
            .read_to_end(&mut head)
            .map_err(|e| protocol(e.to_string()))?;
        let header = wire::decode_pull_header(&head).map_err(|e| protocol(e.to_string()))?;
        Ok(Pulled {
            header,
            wire_bytes: body.len() as u64,
        })
    }
}

fn unreachable(e: reqwest::Error) -> TransportError {
    TransportError::Unreachable {
        detail: e.without_url().to_string(),
    }
}
