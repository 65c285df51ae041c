//! The HTTP face of the team server: routes, handlers and [`serve`].
//!
//! A request goes through the trace layer (method, path, status and latency; never
//! bodies, queries or headers), compression (zstd or gzip request bodies are inflated,
//! answers compressed in what the client accepts, zstd first), the body limit, then an
//! extractor ([`extract`]) that authenticates the device and parses the body into the
//! `model::sync` types. The handler moves the [`TeamServer`] call onto a blocking
//! thread, since SQLite blocks, and answers JSON, or the binary page of
//! [`filrouge_model::wire`] to a pull that asks for it (zstd-compressed from the log's
//! cached blocks when the client takes zstd, see `pages.rs`). Every failure is a
//! [`ServerError`], answered as an `ApiError` body.
//!
//! | route | auth | body / query | answer |
//! |---|---|---|---|
//! | `GET /health` | none | none | `Health` |
//! | `POST /v1/enrol` | none | `EnrolRequest` | `EnrolResponse` |
//! | `POST /v1/push` | bearer | `PushRequest` (JSON or binary push page) | `PushResponse` |
//! | `GET /v1/pull` | bearer | `PullQuery` | `PullResponse` (JSON or binary page) |
//! | `POST /v1/erase` | bearer, coordinator | `EraseRequest` | `EraseResponse` |
//! | `GET /v1/batches` | bearer, coordinator | `BatchesQuery` | `HeldBatches` |
//! | `POST /v1/access` | bearer | `AccessPush` | `AccessPushResponse` |
//! | `GET /v1/access` | bearer, coordinator | `AccessQuery` | `AccessPage` |
//! | `POST /v1/codes` | bearer, coordinator | `CodeRequest` | `CodeResponse` |
//! | `GET /v1/devices` | bearer, coordinator | none | `DeviceList` |
//! | `POST /v1/revoke` | bearer, coordinator | `RevokeRequest` | `DeviceList` |
//! | `POST /v1/epoch` | bearer, coordinator | `KeyEpochRequest` | `KeyEpochResponse` |
//! | `POST /v1/device-key` | bearer | `DeviceKeyRequest` | `EpochKeys` |
//! | `GET /v1/keys` | bearer | none | `EpochKeys` |
//! | `POST /v1/keys` | bearer, coordinator | `ShareKeysRequest` | `DeviceList` |
//! | `GET /v1/recovery` | bearer, coordinator | none | `RecoveryKeys` |
//! | `GET /v1/openapi.json` | none | none | this table as OpenAPI 3.1 (`handlers.rs`) |

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::Request;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse as _, Response};
use axum::routing::get;
use filrouge_model::sync::{API_VERSION, MAX_BODY_BYTES};
use tower_http::LatencyUnit;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::decompression::RequestDecompressionLayer;
use tower_http::timeout::RequestBodyTimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::TeamServer;
use crate::error::ServerError;

pub mod extract;
mod handlers;

/// Where the OpenAPI 3.1 document of the device-facing routes is served.
pub const OPENAPI_PATH: &str = "/v1/openapi.json";

/// The OpenAPI 3.1 document of the device-facing routes, as served at [`OPENAPI_PATH`].
pub fn openapi_document() -> String {
    let (_, api) = handlers::api_router().split_for_parts();
    api.to_pretty_json().unwrap_or_default()
}

/// The compression level of JSON answers (gzip or zstd, by the layer).
const ANSWER_COMPRESSION: i32 = 6;
impl TeamServer {
    /// The whole HTTP app. Tests drive it without a socket (`tower::ServiceExt::oneshot`);
    /// [`serve`] puts it on a listener.
    pub fn router(&self) -> Router {
        let (routes, api) = handlers::api_router().split_for_parts();
        // Rendered once: the document only changes with the code.
        let document = api.to_pretty_json().unwrap_or_else(|e| {
            tracing::error!(error = %e, "the OpenAPI document could not be written");
            String::new()
        });
        routes
            .route(
                OPENAPI_PATH,
                get(move || async move { ([(CONTENT_TYPE, "application/json")], document) }),
            )
            .fallback(no_such_route)
            .method_not_allowed_fallback(method_not_allowed)
            .layer(axum::middleware::from_fn_with_state(
                self.clone(),
                crate::metrics::observe,
            ))
            // The limit counts the body as the handler reads it, after decompression: a
            // small gzip that inflates past it is refused like a large plain body.
            .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
            .layer(RequestDecompressionLayer::new().gzip(true).zstd(true))
            // Outside the decompression: it times the bytes as they arrive.
            .layer(RequestBodyTimeoutLayer::new(self.body_idle))
            .layer(axum::middleware::from_fn_with_state(
                self.clone(),
                request_deadline,
            ))
            .layer(
                CompressionLayer::new()
                    .gzip(true)
                    .zstd(true)
                    .quality(CompressionLevel::Precise(ANSWER_COMPRESSION)),
            )
            .layer(
                TraceLayer::new_for_http()
                    // Path only: the query and headers are left out on principle.
                    .make_span_with(|request: &Request<Body>| {
                        tracing::info_span!(
                            "request",
                            method = %request.method(),
                            path = %request.uri().path(),
                        )
                    })
                    .on_response(
                        DefaultOnResponse::new()
                            .level(Level::INFO)
                            .latency_unit(LatencyUnit::Millis),
                    ),
            )
            .with_state(self.clone())
    }
}

impl TeamServer {
    /// The operator's metrics alone (`GET /metrics`, see [`crate::metrics`]), for a
    /// listener of their own ([`serve_metrics`]): never on the devices' address, where
    /// a proxy would make every client look local.
    pub fn metrics_router(&self) -> Router {
        Router::new()
            .route("/metrics", get(metrics))
            .fallback(no_such_route)
            .with_state(self.clone())
    }
}

/// Serves the operator's metrics ([`TeamServer::metrics_router`]) over plain HTTP on
/// `listener` (normally a loopback address) until the process ends.
pub async fn serve_metrics(
    listener: tokio::net::TcpListener,
    server: TeamServer,
) -> std::io::Result<()> {
    let address = listener.local_addr()?;
    tracing::info!(%address, "metrics listening");
    axum::serve(listener, server.metrics_router()).await
}

/// Serves `server` over **plain HTTP** on `listener` until `shutdown` completes, then
/// lets requests in flight finish. For loopback (tests, benchmarks) and for a server
/// started with `--insecure-http`, which `/health` then says; a team server on a
/// network uses [`crate::serve_tls`].
pub async fn serve(
    listener: tokio::net::TcpListener,
    server: TeamServer,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let address = listener.local_addr()?;
    tracing::info!(%address, api_version = API_VERSION, "team server listening");
    // The peer address reaches handlers (enrolment failures are counted per address).
    tracing::warn!("plain HTTP: device tokens and records travel in clear");
    let app = server
        .router()
        .layer(axum::Extension(PlainHttp))
        .into_make_service_with_connect_info::<std::net::SocketAddr>();
    // Answers go out as soon as they are written: with Nagle's algorithm a small last
    // segment can wait 40 ms for the peer's delayed ACK. The benchmarks' byte-counting
    // relay had exactly that stall (a push page's round trip took twice as long); the
    // device's client (reqwest) already sets it on its side.
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!(error = %e, "TCP_NODELAY not set");
        }
    });
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await?;
    tracing::info!("team server stopped");
    Ok(())
}

/// Storage work running at once, per server. Requests beyond it wait their turn in
/// arrival order (tokio's semaphore is first-come, first-served): left to the
/// connections' locks, which are not fair, a few requests waited seconds under load while
/// most took milliseconds (`filrouge bench load`). Each [`TeamServer`] holds its own
/// turns, as each server process holds its own connections (the benchmark runs several
/// servers in one process).
pub(crate) const STORAGE_WORK_AT_ONCE: usize = 4;

/// Runs blocking storage work off the async threads, in turn (`turns`: the server's,
/// [`TeamServer::turns`]).
pub(crate) async fn blocking<T, F>(
    turns: Arc<tokio::sync::Semaphore>,
    work: F,
) -> Result<T, ServerError>
where
    F: FnOnce() -> Result<T, ServerError> + Send + 'static,
    T: Send + 'static,
{
    // The semaphore is never closed, so acquiring cannot fail; if it did, the work
    // would simply run without waiting its turn.
    let _turn = turns.acquire_owned().await.ok();
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|source| ServerError::TaskFailed { source })?
}

/// Marks requests served over plain HTTP (see [`serve`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct PlainHttp;

async fn metrics(State(server): State<TeamServer>) -> Result<Response, ServerError> {
    let text = blocking(server.turns(), move || server.metrics_text()).await?;
    Ok((
        [(CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
        text,
    )
        .into_response())
}

/// Answers `408` when a request (its body's arrival included) outlasts the server's
/// deadline: a body trickled in a byte at a time is cut off, whatever its pace.
async fn request_deadline(
    State(server): State<TeamServer>,
    request: Request<Body>,
    next: axum::middleware::Next,
) -> axum::response::Response {
    match tokio::time::timeout(server.request_deadline, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ServerError::RequestTimeout {
            seconds: server.request_deadline.as_secs(),
        }
        .into_response(),
    }
}

async fn no_such_route() -> ServerError {
    ServerError::NoSuchRoute
}

async fn method_not_allowed() -> ServerError {
    ServerError::MethodNotAllowed
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_errors;
#[cfg(test)]
mod tests_openapi;
#[cfg(test)]
mod tests_wire;
