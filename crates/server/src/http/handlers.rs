//! The device-facing handlers, each described for OpenAPI where it is declared.
//!
//! Every handler carries its `#[utoipa::path]`: method, path, body or query, answers.
//! [`api_router`] registers them through `utoipa_axum::routes!`, which builds the
//! routes and the OpenAPI document from the same declarations, so a route cannot be
//! served without being described; the document is served at `/v1/openapi.json`, and a
//! test compares it with `docs/openapi.json`, so a change of a route or a type shows in
//! review. The request and answer types are the `model::sync` ones.

use axum::Json;
use axum::extract::State;
use axum::http::header::{CONTENT_ENCODING, CONTENT_TYPE};
use axum::response::{IntoResponse as _, Response};
use filrouge_model::sync::{
    API_VERSION, AccessPage, AccessPush, AccessPushResponse, AccessQuery, ApiError, BatchesQuery,
    CodeRequest, CodeResponse, DeviceKeyRequest, DeviceList, EnrolRequest, EnrolResponse,
    EpochKeys, EraseRequest, EraseResponse, Health, HeldBatches, KeyEpochRequest, KeyEpochResponse,
    LeaseRequest, PullQuery, PullResponse, PushRequest, PushResponse, RecoveryKeys, RevokeRequest,
    ShareKeysRequest, TokenRequest, TokenResponse,
};
use filrouge_model::wire::{self, PAGE_MEDIA_TYPE};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::{
    AcceptsZstd, ApiJson, ApiQuery, AuthedCaller, AuthedDevice, ClientAddress, PushBody, WantsPage,
};
use super::{PlainHttp, blocking};
use crate::TeamServer;
use crate::error::ServerError;

/// A binary page of `filrouge_model::wire` (a push page, or a pull page), described
/// as bytes: its layout is the wire module's, not JSON's.
pub(super) struct WirePage;

impl utoipa::PartialSchema for WirePage {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type};
        Schema::Object(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
                .description(Some("A binary page (filrouge_model::wire)"))
                .build(),
        )
        .into()
    }
}

impl utoipa::ToSchema for WirePage {}

/// The document's frame: title, version, the bearer scheme.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Fil rouge team server",
        description = "The sync API between Fil rouge devices and their team server. \
            Change payloads are opaque (sealed end to end for teams that seal).",
        license(name = "AGPL-3.0-or-later")
    ),
    modifiers(&DeviceToken)
)]
struct ApiDoc;

/// Adds the device token's bearer scheme.
struct DeviceToken;

impl Modify for DeviceToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        openapi.info.version = API_VERSION.to_string();
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "device_token",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

/// Every device-facing route, with its OpenAPI description.
pub(super) fn api_router() -> OpenApiRouter<TeamServer> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(health))
        .routes(routes!(enrol))
        .routes(routes!(push))
        .routes(routes!(pull))
        .routes(routes!(erase))
        .routes(routes!(held_batches))
        .routes(routes!(pull_access, push_access))
        .routes(routes!(codes))
        .routes(routes!(devices))
        .routes(routes!(revoke))
        .routes(routes!(token))
        .routes(routes!(lease))
        .routes(routes!(epoch))
        .routes(routes!(device_key))
        .routes(routes!(epoch_keys, share_keys))
        .routes(routes!(recovery))
}

/// The server is up, and which API version it speaks.
#[utoipa::path(
    get,
    path = "/health",
    tag = "server",
    responses(
        (status = 200, body = Health),
    ),
)]
pub(super) async fn health(plain: Option<axum::Extension<PlainHttp>>) -> Json<Health> {
    Json(Health {
        status: "ok".to_owned(),
        api_version: API_VERSION,
        insecure_http: plain.is_some(),
    })
}

/// Trades a single-use enrolment code for the device's token (returned once).
#[utoipa::path(
    post,
    path = "/v1/enrol",
    tag = "devices",
    request_body = EnrolRequest,
    responses(
        (status = 200, body = EnrolResponse),
        (status = "4XX", description = "Refused; `code` says why", body = ApiError),
        (status = "5XX", description = "The server failed (`internal`)", body = ApiError),
    ),
)]
pub(super) async fn enrol(
    State(server): State<TeamServer>,
    address: ClientAddress,
    ApiJson(request): ApiJson<EnrolRequest>,
) -> Result<Json<EnrolResponse>, ServerError> {
    let response = blocking(server.turns(), move || {
        server.enrol_from(&address.0, &request)
    })
    .await?;
    Ok(Json(response))
}

/// A coordinator's device makes an enrolment code for the next device.
#[utoipa::path(
    post,
    path = "/v1/codes",
    tag = "devices",
    request_body = CodeRequest,
    security(("device_token" = [])),
    responses(
        (status = 200, body = CodeResponse),
        (status = "4XX", description = "Refused; `code` says why", body = ApiError),
        (status = "5XX", description = "The server failed (`internal`)", body = ApiError),
    ),
)]
pub(super) async fn codes(
    State(server): State<TeamServer>,
    AuthedDevice(device): AuthedDevice,
    ApiJson(request): ApiJson<CodeRequest>,
) -> Result<Json<CodeResponse>, ServerError> {
    let response = blocking(server.turns(), move || {
        server.create_code_for(&device, &request)
    })
    .await?;
    Ok(Json(response))
}

/// The team's devices (coordinators).
#[utoipa::path(
    get,
    path = "/v1/devices",
    tag = "devices",
    security(("device_token" = [])),
    responses(
        (status = 200, body = DeviceList),
        (status = "4XX", description = "Refused; `code` says why", body = ApiError),
        (status = "5XX", description = "The server failed (`internal`)", body = ApiError),
    ),
)]
pub(super) async fn devices(
    State(server): State<TeamServer>,
    AuthedDevice(device): AuthedDevice,
) -> Result<Json<DeviceList>, ServerError> {
    let response = blocking(server.turns(), move || server.devices_for(&device)).await?;
    Ok(Json(response))
}

/// Revokes a device (coordinators); the team's key then rotates.
#[utoipa::path(
    post,
    path = "/v1/revoke",
    tag = "devices",
    request_body = RevokeRequest,
    security(("device_token" = [])),
    responses(
        (status = 200, body = DeviceList),
        (status = "4XX", description = "Refused; `code` says why", body = ApiError),
        (status = "5XX", description = "The server failed (`internal`)", body = ApiError),
    ),
)]
pub(super) async fn revoke(
    State(server): State<TeamServer>,
    AuthedDevice(device): AuthedDevice,
    ApiJson(request): ApiJson<RevokeRequest>,
) -> Result<Json<DeviceList>, ServerError> {
    let response = blocking(server.turns(), move || server.revoke_for(&device, &request)).await?;
    Ok(Json(response))
}

/// Sets the team's offline lease in days (coordinators).
#[utoipa::path(
    post,
    path = "/v1/lease",
    tag = "devices",
    request_body = LeaseRequest,
    security(("device_token" = [])),
    responses(
        (status = 200, body = LeaseRequest),
        (status = "4XX", description = "Refused; `code` says why", body = ApiError),
        (status = "5XX", description = "The server failed (`internal`)", body = ApiError),
    ),
)]
pub(super) async fn lease(
    State(server): State<TeamServer>,
    AuthedDevice(device): AuthedDevice,
    ApiJson(request): ApiJson<LeaseRequest>,
) -> Result<Json<LeaseRequest>, ServerError> {
    let response = blocking(server.turns(), move || {
        server.set_lease_for(&device, &request)
    })
    .await?;
    Ok(Json(response))
}

/// Starts the team's first key epoch, or the next one after a revocation.
#[utoipa::path(
    post,
    path = "/v1/epoch",
    tag = "keys",
    request_body = KeyEpochRequest,
    security(("device_token" = [])),
    responses(
        (status = 200, body = KeyEpochResponse),
        (status = "4XX", description = "Refused; `code` says why", body = ApiError),
        (status = "5XX", description = "The server failed (`internal`)", body = ApiError),
    ),
)]
pub(super) async fn epoch(
    State(server): State<TeamServer>,
    AuthedDevice(device): AuthedDevice,
    ApiJson(request): ApiJson<KeyEpochRequest>,
) -> Result<Json<KeyEpochResponse>, ServerError> {
    let response = blocking(server.turns(), move || {
        server.start_key_epoch_for(&device, &request)
    })
    .await?;
    Ok(Json(response))
}

/// Publishes the device's public key, to which epoch keys are sealed.
#[utoipa::path(
    post,
    path = "/v1/device-key",
    tag = "keys",
    request_body = DeviceKeyRequest,
    security(("device_token" = [])),
    responses(
        (status = 200, body = EpochKeys),
        (status = "4XX", description = "Refused; `code` says why", body = ApiError),
        (status = "5XX", description = "The server failed (`internal`)", body = ApiError),
    ),
)]
pub(super) async fn device_key(
    State(server): State<TeamServer>,
    AuthedDevice(device): AuthedDevice,
    ApiJson(request): ApiJson<DeviceKeyRequest>,
) -> Result<Json<EpochKeys>, ServerError> {
    let response = blocking(server.turns(), move || {
        server.publish_key_for(&device, &request)
    })
    .await?;
    Ok(Json(response))
}

/// The epoch keys sealed to this device.
#[utoipa::path(
    get,
    path = "/v1/keys",
    tag = "keys",
    security(("device_token" = [])),
    responses(
        (status = 200, body = EpochKeys),
        (status = "4XX", description = "Refused; `code` says why", body = ApiError),
        (status = "5XX", description = "The server failed (`internal`)", body = ApiError),
    ),
)]
pub(super) async fn epoch_keys(
    State(server): State<TeamServer>,
    AuthedDevice(device): AuthedDevice,
) -> Result<Json<EpochKeys>, ServerError> {
    let response = blocking(server.turns(), move || {
        server.epoch_keys_for_device(&device)
    })
    .await?;
    Ok(Json(response))
}

/// Keeps epoch keys sealed to devices or to the recovery key (coordinators).
#[utoipa::path(
    post,
    path = "/v1/keys",
    tag = "keys",
    request_body = ShareKeysRequest,
    security(("device_token" = [])),
    responses(
        (status = 200, body = DeviceList),
        (status = "4XX", description = "Refused; `code` says why", body = ApiError),
        (status = "5XX", description = "The server failed (`internal`)", body = ApiError),
    ),
)]
pub(super) async fn share_keys(
    State(server): State<TeamServer>,
    AuthedDevice(device): AuthedDevice,
    ApiJson(request): ApiJson<ShareKeysRequest>,
) -> Result<Json<DeviceList>, ServerError> {
    let response = blocking(server.turns(), move || {
        server.share_keys_for(&device, &request)
    })
    .await?;
    Ok(Json(response))
}

/// The epoch keys sealed to the team's recovery key (coordinators).
#[utoipa::path(
    get,
    path = "/v1/recovery",
    tag = "keys",
    security(("device_token" = [])),
    responses(
        (status = 200, body = RecoveryKeys),
        (status = "4XX", description = "Refused; `code` says why", body = ApiError),
        (status = "5XX", description = "The server failed (`internal`)", body = ApiError),
    ),
)]
pub(super) async fn recovery(
    State(server): State<TeamServer>,
    AuthedDevice(device): AuthedDevice,
) -> Result<Json<RecoveryKeys>, ServerError> {
    let response = blocking(server.turns(), move || server.recovery_for(&device)).await?;
    Ok(Json(response))
}

/// Replaces the device's token.
#[utoipa::path(
    post,
    path = "/v1/token",
    tag = "devices",
    request_body = TokenRequest,
    security(("device_token" = [])),
    responses(
        (status = 200, body = TokenResponse),
        (status = "4XX", description = "Refused; `code` says why", body = ApiError),
        (status = "5XX", description = "The server failed (`internal`)", body = ApiError),
    ),
)]
pub(super) async fn token(
    State(server): State<TeamServer>,
    AuthedDevice(device): AuthedDevice,
    ApiJson(request): ApiJson<TokenRequest>,
) -> Result<Json<TokenResponse>, ServerError> {
    let response = blocking(server.turns(), move || {
        server.rotate_token(&device, &request)
    })
    .await?;
    Ok(Json(response))
}

/// Pushes a page of the outbox; each new change gets the next sequence number of the team log, each known one is acknowledged again.
#[utoipa::path(
    post,
    path = "/v1/push",
    tag = "log",
    request_body(content(
        (PushRequest = "application/json"),
        (WirePage = "application/vnd.filrouge.push"),
    )),
    security(("device_token" = [])),
    responses(
        (status = 200, body = PushResponse),
        (status = "4XX", description = "Refused; `code` says why", body = ApiError),
        (status = "5XX", description = "The server failed (`internal`)", body = ApiError),
    ),
)]
pub(super) async fn push(
    State(server): State<TeamServer>,
    AuthedCaller(caller): AuthedCaller,
    PushBody(request): PushBody,
) -> Result<Json<PushResponse>, ServerError> {
    let response = blocking(server.turns(), move || server.push(&caller, &request)).await?;
    Ok(Json(response))
}

/// A page of the team log after the cursor: JSON, or the binary page when asked for (zstd-compressed when accepted).
#[utoipa::path(
    get,
    path = "/v1/pull",
    tag = "log",
    params(PullQuery),
    security(("device_token" = [])),
    responses(
        (status = 200, description = "The page", content(
            (PullResponse = "application/json"),
            (WirePage = "application/vnd.filrouge.page"),
        )),
        (status = "4XX", description = "Refused; `code` says why", body = ApiError),
        (status = "5XX", description = "The server failed (`internal`)", body = ApiError),
    ),
)]
pub(super) async fn pull(
    State(server): State<TeamServer>,
    AuthedCaller(caller): AuthedCaller,
    WantsPage(binary): WantsPage,
    AcceptsZstd(zstd): AcceptsZstd,
    ApiQuery(query): ApiQuery<PullQuery>,
) -> Result<Response, ServerError> {
    let page = blocking(server.turns(), move || {
        if binary && zstd {
            return Ok(Ok((server.pull_page_for(&caller, &query)?, Some("zstd"))));
        }
        let response = server.pull(&caller.device, &query)?;
        if !binary {
            return Ok(Err(response));
        }
        Ok(Ok((wire::encode_pull(&response), None)))
    })
    .await?;
    Ok(match page {
        // A response with its Content-Encoding set passes the compression layer as is.
        Ok((bytes, Some(encoding))) => (
            [
                (CONTENT_TYPE, PAGE_MEDIA_TYPE),
                (CONTENT_ENCODING, encoding),
            ],
            bytes,
        )
            .into_response(),
        Ok((bytes, None)) => ([(CONTENT_TYPE, PAGE_MEDIA_TYPE)], bytes).into_response(),
        Err(json) => Json(json).into_response(),
    })
}

/// Erases a record from the team log (coordinators): its changes are deleted, later ones refused.
#[utoipa::path(
    post,
    path = "/v1/erase",
    tag = "log",
    request_body = EraseRequest,
    security(("device_token" = [])),
    responses(
        (status = 200, body = EraseResponse),
        (status = "4XX", description = "Refused; `code` says why", body = ApiError),
        (status = "5XX", description = "The server failed (`internal`)", body = ApiError),
    ),
)]
pub(super) async fn erase(
    State(server): State<TeamServer>,
    AuthedDevice(device): AuthedDevice,
    ApiJson(request): ApiJson<EraseRequest>,
) -> Result<Json<EraseResponse>, ServerError> {
    let response = blocking(server.turns(), move || server.erase(&device, &request)).await?;
    Ok(Json(response))
}

/// The sealed batches holding a record, to seal again without it before erasing it (coordinators).
#[utoipa::path(
    get,
    path = "/v1/batches",
    tag = "log",
    params(BatchesQuery),
    security(("device_token" = [])),
    responses(
        (status = 200, body = HeldBatches),
        (status = "4XX", description = "Refused; `code` says why", body = ApiError),
        (status = "5XX", description = "The server failed (`internal`)", body = ApiError),
    ),
)]
pub(super) async fn held_batches(
    State(server): State<TeamServer>,
    AuthedDevice(device): AuthedDevice,
    ApiQuery(query): ApiQuery<BatchesQuery>,
) -> Result<Json<HeldBatches>, ServerError> {
    let response = blocking(server.turns(), move || server.held_batches(&device, &query)).await?;
    Ok(Json(response))
}

/// Sends the device's sealed access log entries, which must continue its chain.
#[utoipa::path(
    post,
    path = "/v1/access",
    tag = "access",
    request_body = AccessPush,
    security(("device_token" = [])),
    responses(
        (status = 200, body = AccessPushResponse),
        (status = "4XX", description = "Refused; `code` says why", body = ApiError),
        (status = "5XX", description = "The server failed (`internal`)", body = ApiError),
    ),
)]
pub(super) async fn push_access(
    State(server): State<TeamServer>,
    AuthedDevice(device): AuthedDevice,
    ApiJson(request): ApiJson<AccessPush>,
) -> Result<Json<AccessPushResponse>, ServerError> {
    let response = blocking(server.turns(), move || {
        server.push_access(&device, &request)
    })
    .await?;
    Ok(Json(response))
}

/// Every device's sealed access entries after a number (coordinators).
#[utoipa::path(
    get,
    path = "/v1/access",
    tag = "access",
    params(AccessQuery),
    security(("device_token" = [])),
    responses(
        (status = 200, body = AccessPage),
        (status = "4XX", description = "Refused; `code` says why", body = ApiError),
        (status = "5XX", description = "The server failed (`internal`)", body = ApiError),
    ),
)]
pub(super) async fn pull_access(
    State(server): State<TeamServer>,
    AuthedDevice(device): AuthedDevice,
    ApiQuery(query): ApiQuery<AccessQuery>,
) -> Result<Json<AccessPage>, ServerError> {
    let response = blocking(server.turns(), move || server.pull_access(&device, &query)).await?;
    Ok(Json(response))
}
