//! The HTTP transport: the sync API over blocking reqwest, for the shell's background
//! sync thread and the CLI.
//!
//! Requests carry the device token as a bearer token. Pushes and pulls travel as the
//! binary pages of [`filrouge_model::wire`], zstd-compressed both ways (a pull answered
//! in JSON, by a server that does not know the pages, is read too). Error answers are
//! the server's JSON [`ApiError`]; they are turned into [`TransportError`] so the
//! engine and the UI never see HTTP details.

use std::time::Duration;

use filrouge_model::sync::{
    API_VERSION, AccessPage, AccessPush, AccessPushResponse, BatchReplacement, CodeRequest,
    CodeResponse, DeviceKeyRequest, DeviceList, EnrolRequest, EnrolResponse, EpochKeys,
    EraseRequest, EraseResponse, HeldBatches, HistorySeal, KeyEpochRequest, KeyEpochResponse,
    LeaseRequest, PublishedKey, PullQuery, PullResponse, PushRequest, PushResponse, RecoveryKeys,
    RevokeRequest, Role, SealedEpochKey, ShareKeysRequest, TokenRequest, TokenResponse,
};
use filrouge_model::wire::{self, PAGE_MEDIA_TYPE, PUSH_MEDIA_TYPE};
use reqwest::blocking::{Client, RequestBuilder};
use reqwest::header::{ACCEPT, CONTENT_ENCODING, CONTENT_TYPE, HeaderMap};
use serde::de::DeserializeOwned;

use super::{Transport, TransportError, pages};

/// A transport to one team server with one device token.
#[derive(Debug, Clone)]
pub struct HttpTransport {
    client: Client,
    base: String,
    token: String,
    /// The server certificate's SHA-256 this device was given, if any.
    pin: Option<[u8; 32]>,
}

impl HttpTransport {
    /// A transport to `base_url` with a device token: `https` checked against the
    /// platform's roots, or `http` to this machine (see [`super::tls`]).
    pub fn new(base_url: &str, token: &str) -> Result<HttpTransport, TransportError> {
        HttpTransport::pinned(base_url, token, None)
    }

    /// A transport that accepts only the server certificate whose SHA-256 is `pin`
    /// (when there is one), as the invitation link gave it.
    pub fn pinned(
        base_url: &str,
        token: &str,
        pin: Option<[u8; 32]>,
    ) -> Result<HttpTransport, TransportError> {
        super::tls::check_url(base_url)?;
        Ok(HttpTransport {
            client: client_with(DEFAULT_TIMEOUT, pin, is_plain(base_url))?,
            base: base_url.trim_end_matches('/').to_owned(),
            token: token.to_owned(),
            pin,
        })
    }
}

impl HttpTransport {
    /// Asks the server for a single-use code enrolling a new device into this device's
    /// team with `role` (coordinators' devices only; others get `Rejected` 403), leaving
    /// with it the team's keys sealed for that device, if any.
    pub fn create_code(
        &self,
        role: Role,
        sealed_keys: Option<Vec<u8>>,
    ) -> Result<CodeResponse, TransportError> {
        let req = CodeRequest {
            api_version: API_VERSION,
            role,
            sealed_keys,
        };
        let resp: CodeResponse = json(send(
            self.client
                .post(format!("{}/v1/codes", self.base))
                .bearer_auth(&self.token)
                .json(&req),
        )?)?;
        same_version(resp.api_version)?;
        Ok(resp)
    }

    /// The team's devices (coordinators' devices only; others get `Rejected` 403).
    pub fn devices(&self) -> Result<DeviceList, TransportError> {
        let list: DeviceList = json(send(
            self.client
                .get(format!("{}/v1/devices", self.base))
                .bearer_auth(&self.token),
        )?)?;
        same_version(list.api_version)?;
        Ok(list)
    }

    /// Revokes a device of the team (coordinators' devices only); answers the team's
    /// devices after it.
    pub fn revoke(&self, device_id: &str) -> Result<DeviceList, TransportError> {
        let req = RevokeRequest {
            api_version: API_VERSION,
            device_id: device_id.to_owned(),
        };
        let list: DeviceList = json(send(
            self.client
                .post(format!("{}/v1/revoke", self.base))
                .bearer_auth(&self.token)
                .json(&req),
        )?)?;
        same_version(list.api_version)?;
        Ok(list)
    }

    /// Asks the server to erase a record from the whole team (coordinator devices only;
    /// others get `Rejected` 403 with [`filrouge_model::sync::ErrorCode::Forbidden`]), with
    /// every sealed batch holding it sealed again without it (`replacements`; a
    /// `Rejected` 409 [`filrouge_model::sync::ErrorCode::ResealNeeded`] if they are not
    /// exactly those). This device deletes its own copy when the erasure comes back
    /// through its next pull, like every device.
    pub fn erase(
        &self,
        doc_id: &str,
        replacements: Vec<BatchReplacement>,
    ) -> Result<EraseResponse, TransportError> {
        let req = EraseRequest {
            api_version: API_VERSION,
            doc_id: doc_id.to_owned(),
            replacements,
        };
        json(send(
            self.client
                .post(format!("{}/v1/erase", self.base))
                .bearer_auth(&self.token)
                .json(&req),
        )?)
    }

    /// Sends this device's next access entries (see [`AccessPush`]).
    pub fn push_access(&self, req: &AccessPush) -> Result<AccessPushResponse, TransportError> {
        let answer: AccessPushResponse = json(send(
            self.client
                .post(format!("{}/v1/access", self.base))
                .bearer_auth(&self.token)
                .json(req),
        )?)?;
        same_version(answer.api_version)?;
        Ok(answer)
    }

    /// A page of the team's access entries after `after` (coordinators' devices only).
    pub fn pull_access(&self, after: u64) -> Result<AccessPage, TransportError> {
        let answer: AccessPage = json(send(
            self.client
                .get(format!(
                    "{}/v1/access?api_version={API_VERSION}&after={after}",
                    self.base
                ))
                .bearer_auth(&self.token),
        )?)?;
        same_version(answer.api_version)?;
        Ok(answer)
    }

    /// The sealed batches of the team's log that hold a change of record `doc_id`
    /// (coordinators' devices only, before an erasure).
    pub fn held_batches(&self, doc_id: &str) -> Result<HeldBatches, TransportError> {
        let answer: HeldBatches = json(send(
            self.client
                .get(format!(
                    "{}/v1/batches?api_version={API_VERSION}&doc_id={}",
                    self.base,
                    filrouge_model::invite::percent_encode(doc_id)
                ))
                .bearer_auth(&self.token),
        )?)?;
        same_version(answer.api_version)?;
        Ok(answer)
    }

    /// Asks the server to start the team's key epoch 1, whose key this device has just
    /// made (coordinators' devices only; the server starts it on a new team only).
    pub fn start_key_epoch(&self) -> Result<KeyEpochResponse, TransportError> {
        self.new_key_epoch(1, Vec::new())
    }

    /// Asks the server to seal the history of a team whose log began in clear: key
    /// epoch 1, whose key this device has just made (see [`HistorySeal`]).
    pub fn seal_history(&self, seal: HistorySeal) -> Result<KeyEpochResponse, TransportError> {
        self.epoch_request(KeyEpochRequest {
            api_version: API_VERSION,
            epoch: 1,
            sealed: Vec::new(),
            history: Some(seal),
        })
    }

    /// Asks the server to start key epoch `epoch` (after a revocation), whose key this
    /// device has made and `sealed` to the team's other devices and recovery key.
    pub fn new_key_epoch(
        &self,
        epoch: u32,
        sealed: Vec<SealedEpochKey>,
    ) -> Result<KeyEpochResponse, TransportError> {
        self.epoch_request(KeyEpochRequest {
            api_version: API_VERSION,
            epoch,
            sealed,
            history: None,
        })
    }

    fn epoch_request(&self, req: KeyEpochRequest) -> Result<KeyEpochResponse, TransportError> {
        let answer: KeyEpochResponse = json(send(
            self.client
                .post(format!("{}/v1/epoch", self.base))
                .bearer_auth(&self.token)
                .json(&req),
        )?)?;
        same_version(answer.api_version)?;
        Ok(answer)
    }

    /// Publishes this device's public key with its proof; answers the keys sealed to it.
    pub fn publish_device_key(&self, key: PublishedKey) -> Result<EpochKeys, TransportError> {
        let req = DeviceKeyRequest {
            api_version: API_VERSION,
            key,
        };
        let answer: EpochKeys = json(send(
            self.client
                .post(format!("{}/v1/device-key", self.base))
                .bearer_auth(&self.token)
                .json(&req),
        )?)?;
        same_version(answer.api_version)?;
        Ok(answer)
    }

    /// The team's key epoch and the epoch keys sealed to this device.
    pub fn epoch_keys(&self) -> Result<EpochKeys, TransportError> {
        let answer: EpochKeys = json(send(
            self.client
                .get(format!("{}/v1/keys", self.base))
                .bearer_auth(&self.token),
        )?)?;
        same_version(answer.api_version)?;
        Ok(answer)
    }

    /// Hands the server epoch keys sealed to devices lacking them, or a new recovery
    /// key with its seals (coordinators' devices only); answers the team's devices.
    pub fn share_keys(
        &self,
        keys: Vec<SealedEpochKey>,
        recovery: Option<PublishedKey>,
    ) -> Result<DeviceList, TransportError> {
        let req = ShareKeysRequest {
            api_version: API_VERSION,
            keys,
            recovery,
        };
        let list: DeviceList = json(send(
            self.client
                .post(format!("{}/v1/keys", self.base))
                .bearer_auth(&self.token)
                .json(&req),
        )?)?;
        same_version(list.api_version)?;
        Ok(list)
    }

    /// The team's recovery key and the epoch keys sealed to it (coordinators only).
    pub fn recovery_keys(&self) -> Result<RecoveryKeys, TransportError> {
        let answer: RecoveryKeys = json(send(
            self.client
                .get(format!("{}/v1/recovery", self.base))
                .bearer_auth(&self.token),
        )?)?;
        same_version(answer.api_version)?;
        Ok(answer)
    }

    /// Sets the team's offline lease (coordinator devices only); answers the days now
    /// in force.
    pub fn set_lease(&self, days: u32) -> Result<u32, TransportError> {
        let req = LeaseRequest {
            api_version: API_VERSION,
            days,
        };
        let answer: LeaseRequest = json(send(
            self.client
                .post(format!("{}/v1/lease", self.base))
                .bearer_auth(&self.token)
                .json(&req),
        )?)?;
        same_version(answer.api_version)?;
        Ok(answer.days)
    }

    /// Asks the server to replace this device's token by the one whose SHA-256 is
    /// `token_hash` (see [`crate::sync::rotate_token_if_asked`]).
    pub fn rotate_token(&self, token_hash: &str) -> Result<(), TransportError> {
        let req = TokenRequest {
            api_version: API_VERSION,
            token_hash: token_hash.to_owned(),
        };
        let _: TokenResponse = json(send(
            self.client
                .post(format!("{}/v1/token", self.base))
                .bearer_auth(&self.token)
                .json(&req),
        )?)?;
        Ok(())
    }

    /// Sends `token` from now on.
    pub fn use_token(&mut self, token: &str) {
        token.clone_into(&mut self.token);
    }

    /// The same transport with another whole-request timeout (60 s by default: a page
    /// on 2G takes a while; tests of stalled networks use less).
    pub fn with_timeout(mut self, timeout: Duration) -> Result<HttpTransport, TransportError> {
        self.client = client_with(timeout, self.pin, is_plain(&self.base))?;
        Ok(self)
    }

    /// The device token this transport sends (for tests that talk HTTP directly).
    pub fn token(&self) -> &str {
        &self.token
    }
}

impl Transport for HttpTransport {
    fn push(&mut self, req: &PushRequest) -> Result<PushResponse, TransportError> {
        let body = PushBody::of(req)?;
        let builder = self
            .client
            .post(format!("{}/v1/push", self.base))
            .bearer_auth(&self.token)
            .header(CONTENT_TYPE, PUSH_MEDIA_TYPE);
        let builder = match body.encoding {
            Some(encoding) => builder.header(CONTENT_ENCODING, encoding),
            None => builder,
        };
        json(send(builder.body(body.bytes))?)
    }

    fn pull(&mut self, query: &PullQuery) -> Result<PullResponse, TransportError> {
        let mut url = format!(
            "{}/v1/pull?api_version={}&after={}",
            self.base, query.api_version, query.after
        );
        if let Some(max) = query.max_bytes {
            url.push_str(&format!("&max_bytes={max}"));
        }
        let (headers, body) = send(
            self.client
                .get(url)
                .bearer_auth(&self.token)
                .header(ACCEPT, format!("{PAGE_MEDIA_TYPE}, application/json;q=0.5")),
        )?;
        let binary = headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with(PAGE_MEDIA_TYPE));
        if !binary {
            return json((headers, body));
        }
        let page = wire::decode_pull(&body).map_err(|e| TransportError::Protocol {
            detail: e.to_string(),
        })?;
        Ok(pages::into_response(page))
    }
}

/// The body of `POST /v1/push` as the app sends it: a binary push page, compressed
/// unless tiny. `filrouge bench load` makes its devices' bodies ahead of time with it.
#[derive(Debug, Clone)]
pub struct PushBody {
    /// The bytes on the wire.
    pub bytes: Vec<u8>,
    /// Their `Content-Encoding`, if compressed.
    pub encoding: Option<&'static str>,
}

impl PushBody {
    /// The body for a push request.
    pub fn of(req: &PushRequest) -> Result<PushBody, TransportError> {
        let page = wire::encode_push(req);
        // A push of a few changes still halves once compressed: the changes of one
        // device share their actor, field names and vocabulary.
        Ok(if page.len() >= COMPRESS_FROM_BYTES {
            PushBody {
                bytes: compress(&page)?,
                encoding: Some("zstd"),
            }
        } else {
            PushBody {
                bytes: page,
                encoding: None,
            }
        })
    }
}

/// Bodies smaller than this go uncompressed: the frame header would eat the gain.
const COMPRESS_FROM_BYTES: usize = 256;
/// zstd level of pushed pages: a phone pushes rarely and little, so a high level costs
/// it little time for fewer bytes on its (often poor) network.
const PUSH_COMPRESSION: i32 = 9;

fn compress(bytes: &[u8]) -> Result<Vec<u8>, TransportError> {
    zstd::bulk::compress(bytes, PUSH_COMPRESSION).map_err(|e| TransportError::Protocol {
        detail: e.to_string(),
    })
}

/// Exchanges an enrolment code for a device token, at a server whose certificate's
/// SHA-256 is `pin` when the invitation gave one.
pub fn enrol(
    base_url: &str,
    code: &str,
    device_name: &str,
    pin: Option<[u8; 32]>,
) -> Result<EnrolResponse, TransportError> {
    super::tls::check_url(base_url)?;
    let req = EnrolRequest {
        api_version: API_VERSION,
        code: code.to_owned(),
        device_name: device_name.to_owned(),
    };
    let url = format!("{}/v1/enrol", base_url.trim_end_matches('/'));
    let client = client_with(DEFAULT_TIMEOUT, pin, is_plain(base_url))?;
    let resp: EnrolResponse = json(send(client.post(url).json(&req))?)?;
    same_version(resp.api_version)?;
    Ok(resp)
}

/// Refuses an answer in another API version than this client's.
fn same_version(server: u32) -> Result<(), TransportError> {
    if server == API_VERSION {
        Ok(())
    } else {
        Err(TransportError::VersionMismatch { server })
    }
}

/// A whole request's time limit: a page on 2G takes a while.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// Whether `base_url` is plain `http` (only ever to this machine, see `check_url`).
fn is_plain(base_url: &str) -> bool {
    base_url
        .get(..7)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("http://"))
}

/// A client that never follows a redirect and, with a `pin`, accepts only that
/// certificate (else the platform's roots). A `plain` one (`http` to this machine)
/// ignores the system's proxy settings, which would carry the token in clear to
/// another machine; over HTTPS a proxy only tunnels, and the certificate still holds.
fn client_with(
    timeout: Duration,
    pin: Option<[u8; 32]>,
    plain: bool,
) -> Result<Client, TransportError> {
    // reqwest asks for the process's provider while it builds any client.
    super::tls::install_provider();
    let builder = Client::builder()
        .connect_timeout(Duration::from_secs(10).min(timeout))
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::none());
    let builder = if plain { builder.no_proxy() } else { builder };
    let builder = match pin {
        Some(pin) => builder.tls_backend_preconfigured(super::tls::pinned_config(pin)?),
        None => builder,
    };
    builder.build().map_err(|e| TransportError::Unreachable {
        detail: e.to_string(),
    })
}

/// A JSON answer's value.
fn json<T: DeserializeOwned>((_, body): (HeaderMap, Vec<u8>)) -> Result<T, TransportError> {
    serde_json::from_slice(&body).map_err(|e| TransportError::Protocol {
        detail: e.to_string(),
    })
}

/// Sends a request; a successful answer's headers and (decompressed) body, or the
/// error the server's `ApiError` describes.
fn send(builder: RequestBuilder) -> Result<(HeaderMap, Vec<u8>), TransportError> {
    let resp = builder.send().map_err(|e| {
        if super::tls::is_certificate_error(&e) {
            TransportError::Untrusted
        } else {
            TransportError::Unreachable {
                detail: e.without_url().to_string(),
            }
        }
    })?;
    let status = resp.status();
    if status.is_redirection() {
        // Never followed: it could lead the token to `http` or to another host.
        return Err(TransportError::Insecure {
            detail: format!("redirect ({status})"),
        });
    }
    let headers = resp.headers().clone();
    let body = resp.bytes().map_err(|e| TransportError::Unreachable {
        detail: e.without_url().to_string(),
    })?;
    if status.is_success() {
        return Ok((headers, body.to_vec()));
    }
    Err(super::refusal(status.as_u16(), &body))
}
