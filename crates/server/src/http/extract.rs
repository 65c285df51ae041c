//! Request extractors that fail with the API's own JSON errors.
//!
//! axum's `Json` and `Query` answer a bad request with plain text and their own status
//! codes (422 for a missing field, for instance). The wrappers here run them and turn
//! any rejection into a [`ServerError`], so every failure a client sees is an
//! `ApiError` body: an over-limit body becomes `too_large`, anything else `bad_request`.
//! [`AuthedDevice`] reads the bearer token and asks the [`TeamServer`] who it belongs
//! to, on a blocking thread since that is a database lookup ([`AuthedCaller`] keeps
//! the team's settings read with it). [`PushBody`] and
//! [`WantsPage`] choose between JSON and the binary pages of [`filrouge_model::wire`]
//! from the `Content-Type` and `Accept` headers.

use axum::Json;
use axum::body::Bytes;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Query, Request};
use axum::http::header::{ACCEPT, ACCEPT_ENCODING, AUTHORIZATION, CONTENT_TYPE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderName, StatusCode};
use filrouge_model::sync::{MAX_BODY_BYTES, PushRequest};
use filrouge_model::wire::{self, PAGE_MEDIA_TYPE, PUSH_MEDIA_TYPE};
use serde::de::DeserializeOwned;

use super::blocking;
use crate::TeamServer;
use crate::error::ServerError;
use crate::storage::{Caller, Device};

/// A JSON body, or a JSON error.
#[derive(Debug, Clone)]
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ServerError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(request, state).await {
            Ok(Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(body_rejection(rejection.status(), rejection.body_text())),
        }
    }
}

fn body_rejection(status: StatusCode, reason: String) -> ServerError {
    // The body limit (`DefaultBodyLimit`) surfaces as a rejection with status 413,
    // whether the client announced the length or streamed past the limit.
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        ServerError::BodyTooLarge {
            limit: MAX_BODY_BYTES,
        }
    } else {
        ServerError::MalformedRequest { reason }
    }
}

/// A push page: binary when the body is [`PUSH_MEDIA_TYPE`], JSON otherwise.
#[derive(Debug, Clone)]
pub struct PushBody(pub PushRequest);

impl<S: Send + Sync> FromRequest<S> for PushBody {
    type Rejection = ServerError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let binary = request
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim_start().starts_with(PUSH_MEDIA_TYPE));
        if !binary {
            let ApiJson(request) = ApiJson::from_request(request, state).await?;
            return Ok(PushBody(request));
        }
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| body_rejection(rejection.status(), rejection.body_text()))?;
        wire::decode_push(&bytes)
            .map(PushBody)
            .map_err(|e| ServerError::MalformedRequest {
                reason: e.to_string(),
            })
    }
}

/// Whether the client accepts zstd answers (`Accept-Encoding`, without `q=0`).
#[derive(Debug, Clone, Copy)]
pub struct AcceptsZstd(pub bool);

impl<S: Send + Sync> FromRequestParts<S> for AcceptsZstd {
    type Rejection = ServerError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(AcceptsZstd(header_lists(
            &parts.headers,
            ACCEPT_ENCODING,
            "zstd",
        )))
    }
}

/// Whether any `header` line (`Accept`, `Accept-Encoding`) lists `name` with a weight
/// above zero.
fn header_lists(headers: &HeaderMap, header: HeaderName, name: &str) -> bool {
    headers
        .get_all(header)
        .iter()
        .any(|v| v.to_str().is_ok_and(|v| lists(v, name)))
}

/// Whether one `Accept`-style value lists `name` with a weight above zero.
fn lists(value: &str, name: &str) -> bool {
    value.split(',').any(|coding| {
        let mut parts = coding.split(';').map(str::trim);
        parts.next().is_some_and(|c| c.eq_ignore_ascii_case(name))
            && parts.all(|p| match p.strip_prefix("q=") {
                Some(q) => q.parse::<f32>().is_ok_and(|q| q > 0.0),
                None => true,
            })
    })
}

/// The client's IP address, as the connection shows it (empty when the app runs
/// without a socket, as in tests that call the router directly).
#[derive(Debug, Clone)]
pub struct ClientAddress(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = ServerError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let address = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(a)| a.ip().to_string())
            .unwrap_or_default();
        Ok(ClientAddress(address))
    }
}

/// Whether the client asked for the binary pull page ([`PAGE_MEDIA_TYPE`] in `Accept`).
#[derive(Debug, Clone, Copy)]
pub struct WantsPage(pub bool);

impl<S: Send + Sync> FromRequestParts<S> for WantsPage {
    type Rejection = ServerError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(WantsPage(header_lists(
            &parts.headers,
            ACCEPT,
            PAGE_MEDIA_TYPE,
        )))
    }
}

/// A query string, or a JSON error.
#[derive(Debug, Clone)]
pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ServerError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(value)) => Ok(ApiQuery(value)),
            Err(rejection) => Err(ServerError::MalformedRequest {
                reason: rejection.body_text(),
            }),
        }
    }
}

/// The active device whose token is in `Authorization: Bearer …`.
#[derive(Debug, Clone)]
pub struct AuthedDevice(pub Device);

impl FromRequestParts<TeamServer> for AuthedDevice {
    type Rejection = ServerError;

    async fn from_request_parts(
        parts: &mut Parts,
        server: &TeamServer,
    ) -> Result<Self, Self::Rejection> {
        Ok(AuthedDevice(caller(parts, server).await?.device))
    }
}

/// [`AuthedDevice`] with its team's settings, read in the same statement (a push needs
/// them).
#[derive(Debug, Clone)]
pub struct AuthedCaller(pub Caller);

impl FromRequestParts<TeamServer> for AuthedCaller {
    type Rejection = ServerError;

    async fn from_request_parts(
        parts: &mut Parts,
        server: &TeamServer,
    ) -> Result<Self, Self::Rejection> {
        Ok(AuthedCaller(caller(parts, server).await?))
    }
}

/// The active device of the bearer token, admitted by its rate limit.
async fn caller(parts: &Parts, server: &TeamServer) -> Result<Caller, ServerError> {
    let token = bearer_token(&parts.headers)
        .ok_or(ServerError::Unauthorized)?
        .to_owned();
    let server = server.clone();
    blocking(server.turns(), move || {
        let caller = server.caller(&token)?;
        // Counted per device once it is known: unknown tokens cost a lookup, not a
        // slot. On a blocking thread: with PostgreSQL the buckets are in the database.
        server.admit(&caller.device.id)?;
        Ok(caller)
    })
    .await
}

/// The token of an `Authorization: Bearer <token>` header (scheme in any case).
fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn headers(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn zstd_is_accepted_unless_weighted_zero() {
        assert!(lists("gzip, zstd", "zstd"));
        assert!(lists("ZSTD;q=0.5", "zstd"));
        assert!(!lists("gzip, zstd;q=0", "zstd"));
        assert!(!lists("zstd; q=0.0", "zstd"));
        assert!(!lists("gzip, br", "zstd"));
    }

    #[test]
    fn bearer_tokens_are_read_in_any_scheme_case() {
        assert_eq!(bearer_token(&headers("Bearer abc")), Some("abc"));
        assert_eq!(bearer_token(&headers("bearer  abc ")), Some("abc"));
        assert_eq!(bearer_token(&headers("Basic abc")), None);
        assert_eq!(bearer_token(&headers("Bearer")), None);
        assert_eq!(bearer_token(&HeaderMap::new()), None);
    }
}
