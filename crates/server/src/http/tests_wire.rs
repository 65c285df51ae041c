//! The binary pages of `filrouge_model::wire` through the router: a zstd-compressed
//! binary push, a binary pull answered compressed, and bad binary bodies.

use axum::body::Body;
use axum::http::header::{ACCEPT, ACCEPT_ENCODING, AUTHORIZATION, CONTENT_ENCODING, CONTENT_TYPE};
use axum::http::{Method, Request, StatusCode};
use filrouge_model::sync::{API_VERSION, PushRequest};
use filrouge_model::wire::{self, PAGE_MEDIA_TYPE, PUSH_MEDIA_TYPE};
use http_body_util::BodyExt as _;
use tower::ServiceExt as _;

use super::tests::{TestResult, assert_api_error, enrol, fixture};
use crate::storage::suite::change;

#[tokio::test]
async fn a_compressed_binary_push_then_a_compressed_binary_pull() -> TestResult {
    let f = fixture()?;
    let device = enrol(&f).await?;
    let changes = vec![change("one", 3), change("two", 3_000), change("three", 0)];
    let page = wire::encode_push(&PushRequest {
        api_version: API_VERSION,
        changes: changes.clone(),
    });
    let request = Request::builder()
        .method(Method::POST)
        .uri("/v1/push")
        .header(AUTHORIZATION, format!("Bearer {}", device.token))
        .header(CONTENT_TYPE, PUSH_MEDIA_TYPE)
        .header(CONTENT_ENCODING, "zstd")
        .body(Body::from(zstd::bulk::compress(&page, 3)?))?;
    let response = f.server.router().oneshot(request).await?;
    assert_eq!(response.status(), StatusCode::OK);
    let body = response.into_body().collect().await?.to_bytes();
    let json: serde_json::Value = serde_json::from_slice(&body)?;
    assert_eq!(json["acknowledged"].as_array().map(Vec::len), Some(3));

    let request = Request::builder()
        .uri(format!("/v1/pull?api_version={API_VERSION}&after=0"))
        .header(AUTHORIZATION, format!("Bearer {}", device.token))
        .header(ACCEPT, PAGE_MEDIA_TYPE)
        .header(ACCEPT_ENCODING, "gzip, zstd")
        .body(Body::empty())?;
    let response = f.server.router().oneshot(request).await?;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[CONTENT_TYPE], PAGE_MEDIA_TYPE);
    assert_eq!(response.headers()[CONTENT_ENCODING], "zstd");
    let body = response.into_body().collect().await?.to_bytes();
    let page = wire::decode_pull(&zstd::stream::decode_all(&body[..])?)?;
    assert_eq!((page.cursor, page.head, page.more), (3, 3, false));
    assert_eq!(page.log_id, f.team.log_id, "every page names its log");
    assert_eq!(device.log_id, f.team.log_id);
    assert_eq!(json["log_id"], f.team.log_id);
    let pulled: Vec<_> = page
        .entries
        .iter()
        .map(|e| (e.doc_id.clone(), e.kind.clone(), e.data.clone()))
        .collect();
    let pushed: Vec<_> = changes
        .iter()
        .map(|c| (c.doc_id.clone(), c.kind.clone(), c.data.clone()))
        .collect();
    assert_eq!(pulled, pushed, "bytes come back exactly as pushed");
    Ok(())
}

#[tokio::test]
async fn a_bad_binary_push_is_a_400_and_stores_nothing() -> TestResult {
    let f = fixture()?;
    let device = enrol(&f).await?;
    let mut page = wire::encode_push(&PushRequest {
        api_version: API_VERSION,
        changes: vec![change("one", 3), change("two", 40)],
    });
    page.truncate(page.len() - 5);
    let request = Request::builder()
        .method(Method::POST)
        .uri("/v1/push")
        .header(AUTHORIZATION, format!("Bearer {}", device.token))
        .header(CONTENT_TYPE, PUSH_MEDIA_TYPE)
        .body(Body::from(page))?;
    let response = f.server.router().oneshot(request).await?;
    let status = response.status();
    let body = response.into_body().collect().await?.to_bytes();
    assert_api_error(
        &(status, serde_json::from_slice(&body)?),
        StatusCode::BAD_REQUEST,
        "bad_request",
    );
    let page = super::tests::pull(&f.server, &device.token, 0, None).await?;
    assert!(page.changes.is_empty(), "nothing half-written");
    Ok(())
}
