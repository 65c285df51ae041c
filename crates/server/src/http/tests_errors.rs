//! How the HTTP app refuses: every refusal is an `ApiError` JSON body with the status
//! and stable code the API promises, and internal failures say nothing more.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::http::{Method, StatusCode};
use filrouge_model::sync::{
    API_VERSION, ChangeBlob, HeldBatch, HistorySeal, MAX_BLOB_BYTES, MAX_BODY_BYTES,
    MAX_PUSH_CHANGES, PublishedKey, SealedEpochKey, TeamAccessEntry,
};
use serde_json::json;

use super::tests::{TestResult, assert_api_error, call, enrol, fixture, push, try_enrol};
use crate::error::ServerError;
use crate::storage::suite::change;
use crate::storage::{
    AccessRow, AppendOutcome, Caller, ChangePage, Device, Erasure, HeldBatchesRule, KeyHolder,
    NewDevice, NewEnrolmentCode, Redemption, Storage, Team,
};
use crate::{ENROLMENT_CODE_TTL_MS, ManualClock, Role, TeamServer};

const PULL: &str = "/v1/pull?api_version=3&after=0";

#[tokio::test]
async fn missing_or_wrong_token_is_401() -> TestResult {
    let f = fixture()?;
    enrol(&f).await?;
    let unknown = "ab".repeat(32);
    let body = serde_json::to_vec(&json!({ "api_version": API_VERSION, "changes": [] }))?;
    for token in [None, Some(unknown.as_str()), Some("not-a-token"), Some("")] {
        let answer = call(
            &f.server,
            Method::POST,
            "/v1/push",
            token,
            Some(body.clone()),
        )
        .await?;
        assert_api_error(&answer, StatusCode::UNAUTHORIZED, "unauthorized");
        let answer = call(&f.server, Method::GET, PULL, token, None).await?;
        assert_api_error(&answer, StatusCode::UNAUTHORIZED, "unauthorized");
    }
    Ok(())
}

#[tokio::test]
async fn revoked_device_is_401_on_push_and_pull() -> TestResult {
    let f = fixture()?;
    let device = enrol(&f).await?;
    let (status, _) = push(&f.server, &device.token, &[change("before", 4)]).await?;
    assert_eq!(status, StatusCode::OK);

    f.server.revoke_device(&device.device_id)?;
    // Said in so many words, so that the device erases what it holds; an unknown token
    // stays a plain `unauthorized`, which erases nothing.
    let answer = push(&f.server, &device.token, &[change("after", 4)]).await?;
    assert_api_error(&answer, StatusCode::UNAUTHORIZED, "revoked");
    let answer = call(&f.server, Method::GET, PULL, Some(&device.token), None).await?;
    assert_api_error(&answer, StatusCode::UNAUTHORIZED, "revoked");
    let answer = call(&f.server, Method::GET, PULL, Some(&"cd".repeat(32)), None).await?;
    assert_api_error(&answer, StatusCode::UNAUTHORIZED, "unauthorized");

    assert!(matches!(
        f.server.revoke_device("no-such-device"),
        Err(ServerError::UnknownDevice { .. })
    ));
    Ok(())
}

#[tokio::test]
async fn used_code_is_refused() -> TestResult {
    let f = fixture()?;
    let code = f
        .server
        .create_enrolment_code(&f.team.id, Role::Intervenant)?;
    let (status, _) = try_enrol(&f.server, &code).await?;
    assert_eq!(status, StatusCode::OK);
    let answer = try_enrol(&f.server, &code).await?;
    assert_api_error(&answer, StatusCode::FORBIDDEN, "invalid_enrolment_code");
    assert_eq!(f.server.devices(&f.team.id)?.len(), 1);
    Ok(())
}

#[tokio::test]
async fn expired_code_is_refused() -> TestResult {
    let f = fixture()?;
    let code = f
        .server
        .create_enrolment_code(&f.team.id, Role::Intervenant)?;
    let fresh = f
        .server
        .create_enrolment_code(&f.team.id, Role::Intervenant)?;
    f.clock.advance(ENROLMENT_CODE_TTL_MS - 1);
    let (status, _) = try_enrol(&f.server, &fresh).await?;
    assert_eq!(status, StatusCode::OK, "valid until the last millisecond");
    f.clock.advance(1);
    let answer = try_enrol(&f.server, &code).await?;
    assert_api_error(&answer, StatusCode::FORBIDDEN, "invalid_enrolment_code");
    Ok(())
}

#[tokio::test]
async fn unknown_and_impossible_codes_are_refused() -> TestResult {
    let f = fixture()?;
    for code in ["ABCD-EFGH-JK", "", "0000-0000-00", "ABCD-EFGH-JKM"] {
        let answer = try_enrol(&f.server, code).await?;
        assert_api_error(&answer, StatusCode::FORBIDDEN, "invalid_enrolment_code");
    }
    Ok(())
}

#[test]
fn failed_enrolments_are_limited_per_address_and_successes_are_not() -> TestResult {
    let f = fixture()?;
    let request = |code: &str| filrouge_model::sync::EnrolRequest {
        api_version: API_VERSION,
        code: code.to_owned(),
        device_name: "Téléphone".to_owned(),
    };
    // A team enrolling many phones from one address is never held back.
    for _ in 0..30 {
        let code = f
            .server
            .create_enrolment_code(&f.team.id, Role::Intervenant)?;
        f.server.enrol_from("10.0.0.1", &request(&code))?;
    }
    // Guessing: ten wrong codes, then even a right one waits.
    for _ in 0..crate::rate::ENROL_FAILURES_BURST {
        let refused = f.server.enrol_from("10.0.0.2", &request("ABCD-EFGH-JK"));
        assert!(matches!(refused, Err(ServerError::InvalidEnrolmentCode)));
    }
    let code = f
        .server
        .create_enrolment_code(&f.team.id, Role::Intervenant)?;
    let limited = f.server.enrol_from("10.0.0.2", &request(&code));
    assert!(
        matches!(
            limited,
            Err(ServerError::RateLimited {
                retry_after_secs: 10
            })
        ),
        "{limited:?}"
    );
    // Another address is not affected, and the code was not used up by the refusal.
    f.server.enrol_from("10.0.0.3", &request(&code))?;
    f.clock.advance(10_000);
    let code = f
        .server
        .create_enrolment_code(&f.team.id, Role::Intervenant)?;
    f.server.enrol_from("10.0.0.2", &request(&code))?;
    Ok(())
}

#[tokio::test]
async fn oversized_body_is_413_json() -> TestResult {
    let f = fixture()?;
    let device = enrol(&f).await?;
    let body = vec![b' '; MAX_BODY_BYTES + 1];
    let answer = call(
        &f.server,
        Method::POST,
        "/v1/push",
        Some(&device.token),
        Some(body.clone()),
    )
    .await?;
    assert_api_error(&answer, StatusCode::PAYLOAD_TOO_LARGE, "too_large");
    let answer = call(&f.server, Method::POST, "/v1/enrol", None, Some(body)).await?;
    assert_api_error(&answer, StatusCode::PAYLOAD_TOO_LARGE, "too_large");
    Ok(())
}

#[tokio::test]
async fn oversized_blob_or_page_is_413_json() -> TestResult {
    let f = fixture()?;
    let device = enrol(&f).await?;
    let answer = push(
        &f.server,
        &device.token,
        &[change("big", MAX_BLOB_BYTES + 1)],
    )
    .await?;
    assert_api_error(&answer, StatusCode::PAYLOAD_TOO_LARGE, "too_large");
    let many: Vec<ChangeBlob> = (0..=MAX_PUSH_CHANGES)
        .map(|i| change(&i.to_string(), 0))
        .collect();
    let answer = push(&f.server, &device.token, &many).await?;
    assert_api_error(&answer, StatusCode::PAYLOAD_TOO_LARGE, "too_large");
    Ok(())
}

#[tokio::test]
async fn malformed_json_is_400_json() -> TestResult {
    let f = fixture()?;
    let device = enrol(&f).await?;
    let bodies: [&[u8]; 4] = [
        b"{not json",
        br#"{"api_version":3}"#,
        br#"{"api_version":3,"changes":[{"doc_id":"d","kind":"k","hash":"h","data":"***"}]}"#,
        br#"{"api_version":"one","changes":[]}"#,
    ];
    for body in bodies {
        let answer = call(
            &f.server,
            Method::POST,
            "/v1/push",
            Some(&device.token),
            Some(body.to_vec()),
        )
        .await?;
        assert_api_error(&answer, StatusCode::BAD_REQUEST, "bad_request");
    }
    let answer = call(
        &f.server,
        Method::POST,
        "/v1/enrol",
        None,
        Some(b"[]".to_vec()),
    )
    .await?;
    assert_api_error(&answer, StatusCode::BAD_REQUEST, "bad_request");
    for uri in [
        "/v1/pull",
        "/v1/pull?after=0",
        "/v1/pull?api_version=3&after=-1",
    ] {
        let answer = call(&f.server, Method::GET, uri, Some(&device.token), None).await?;
        assert_api_error(&answer, StatusCode::BAD_REQUEST, "bad_request");
    }
    Ok(())
}

#[tokio::test]
async fn invalid_changes_are_400() -> TestResult {
    let f = fixture()?;
    let device = enrol(&f).await?;
    let mut bad_hash = change("x", 1);
    bad_hash.hash = "ABC".to_owned();
    let mut no_doc = change("y", 1);
    no_doc.doc_id = String::new();
    for bad in [bad_hash, no_doc] {
        let answer = push(&f.server, &device.token, &[change("ok", 1), bad]).await?;
        assert_api_error(&answer, StatusCode::BAD_REQUEST, "bad_request");
    }
    let log = super::tests::pull(&f.server, &device.token, 0, None).await?;
    assert!(log.changes.is_empty(), "a refused page stores nothing");
    Ok(())
}

#[tokio::test]
async fn version_mismatch_is_400() -> TestResult {
    let f = fixture()?;
    let device = enrol(&f).await?;
    let other = API_VERSION + 1;
    let push_body = serde_json::to_vec(&json!({ "api_version": other, "changes": [] }))?;
    let answer = call(
        &f.server,
        Method::POST,
        "/v1/push",
        Some(&device.token),
        Some(push_body),
    )
    .await?;
    assert_api_error(&answer, StatusCode::BAD_REQUEST, "version_mismatch");

    // A newer device, and a device of version 1, which knows no log identity: both are
    // told the server's version, which the app words as "update the app" (or the server).
    for other in [API_VERSION + 1, 1] {
        let uri = format!("/v1/pull?api_version={other}&after=0");
        let answer = call(&f.server, Method::GET, &uri, Some(&device.token), None).await?;
        assert_api_error(&answer, StatusCode::BAD_REQUEST, "version_mismatch");
        assert_eq!(answer.1["api_version"], API_VERSION);
    }

    let code = f
        .server
        .create_enrolment_code(&f.team.id, Role::Intervenant)?;
    let enrol_body = serde_json::to_vec(
        &json!({ "api_version": other, "code": code, "device_name": "Téléphone" }),
    )?;
    let answer = call(&f.server, Method::POST, "/v1/enrol", None, Some(enrol_body)).await?;
    assert_api_error(&answer, StatusCode::BAD_REQUEST, "version_mismatch");
    let (status, _) = try_enrol(&f.server, &code).await?;
    assert_eq!(
        status,
        StatusCode::OK,
        "a refused attempt does not use the code"
    );
    Ok(())
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_json() -> TestResult {
    let f = fixture()?;
    let answer = call(&f.server, Method::GET, "/v2/nothing", None, None).await?;
    assert_api_error(&answer, StatusCode::NOT_FOUND, "bad_request");
    let answer = call(&f.server, Method::GET, "/v1/push", None, None).await?;
    assert_api_error(&answer, StatusCode::METHOD_NOT_ALLOWED, "bad_request");
    Ok(())
}

/// A storage whose every call fails, as a full disk or a corrupt file would.
struct BrokenStorage;

fn broken<T>() -> Result<T, ServerError> {
    Err(ServerError::Corrupt {
        what: "secret detail",
    })
}

impl Storage for BrokenStorage {
    fn create_team(&self, _: &Team) -> Result<(), ServerError> {
        broken()
    }
    fn ensure_team(&self, _: &Team) -> Result<Team, ServerError> {
        broken()
    }
    fn team(&self, _: &str) -> Result<Option<Team>, ServerError> {
        broken()
    }
    fn insert_enrolment_code(&self, _: &NewEnrolmentCode) -> Result<bool, ServerError> {
        broken()
    }
    fn redeem_enrolment_code(
        &self,
        _: &str,
        _: i64,
        _: &NewDevice,
    ) -> Result<Redemption, ServerError> {
        broken()
    }
    fn device_by_token_hash(&self, _: &str) -> Result<Option<Caller>, ServerError> {
        broken()
    }
    fn devices(&self, _: &str) -> Result<Vec<Device>, ServerError> {
        broken()
    }
    fn head(&self, _: &str) -> Result<u64, ServerError> {
        broken()
    }
    fn generation(&self, _: &str) -> Result<u64, ServerError> {
        broken()
    }
    fn revoke_device(&self, _: &str, _: i64) -> Result<Option<Device>, ServerError> {
        broken()
    }
    fn touch_device(&self, _: &str, _: i64) -> Result<(), ServerError> {
        broken()
    }
    fn replace_token_hash(&self, _: &str, _: &str) -> Result<bool, ServerError> {
        broken()
    }
    fn lease_days(&self, _: &str) -> Result<u32, ServerError> {
        broken()
    }
    fn set_lease_days(&self, _: &str, _: u32) -> Result<(), ServerError> {
        broken()
    }
    fn key_epoch(&self, _: &str) -> Result<u32, ServerError> {
        broken()
    }
    fn start_key_epoch(&self, _: &str, _: &str) -> Result<(bool, u32), ServerError> {
        broken()
    }
    fn seal_history(&self, _: &str, _: &HistorySeal) -> Result<(bool, u32), ServerError> {
        broken()
    }
    fn publish_device_key(&self, _: &str, _: &str, _: &PublishedKey) -> Result<bool, ServerError> {
        broken()
    }
    fn key_holders(&self, _: &str) -> Result<BTreeMap<String, KeyHolder>, ServerError> {
        broken()
    }
    fn rotate_key_epoch(
        &self,
        _: &str,
        _: u32,
        _: &[SealedEpochKey],
    ) -> Result<(bool, u32), ServerError> {
        broken()
    }
    fn share_epoch_keys(
        &self,
        _: &str,
        _: &[SealedEpochKey],
        _: Option<&PublishedKey>,
    ) -> Result<(), ServerError> {
        broken()
    }
    fn epoch_keys_for(&self, _: &str, _: &str) -> Result<Vec<SealedEpochKey>, ServerError> {
        broken()
    }
    fn append_changes(
        &self,
        _: &str,
        _: &str,
        _: &[ChangeBlob],
        _: i64,
    ) -> Result<AppendOutcome, ServerError> {
        broken()
    }
    fn changes_after(&self, _: &str, _: u64, _: u64, _: usize) -> Result<ChangePage, ServerError> {
        broken()
    }
    fn append_access(
        &self,
        _: &str,
        _: &str,
        _: Option<[u8; 32]>,
        _: &[AccessRow],
        _: i64,
        _: i64,
    ) -> Result<u64, ServerError> {
        broken()
    }

    fn access_after(
        &self,
        _: &str,
        _: u64,
        _: usize,
    ) -> Result<(Vec<TeamAccessEntry>, bool), ServerError> {
        broken()
    }

    fn log_bytes(&self, _: &str) -> Result<u64, ServerError> {
        broken()
    }

    fn batches_holding(&self, _: &str, _: &str) -> Result<Vec<HeldBatch>, ServerError> {
        broken()
    }

    fn erase_document(
        &self,
        _: &str,
        _: &str,
        _: &str,
        _: i64,
        _: HeldBatchesRule<'_>,
    ) -> Result<Erasure, ServerError> {
        broken()
    }
    fn set_log_id(&self, _: &str, _: &str) -> Result<bool, ServerError> {
        broken()
    }
    fn teams(&self) -> Result<Vec<Team>, ServerError> {
        broken()
    }
}

#[tokio::test]
async fn internal_errors_are_500_without_details() -> TestResult {
    let server = TeamServer::with_storage(Arc::new(BrokenStorage), Arc::new(ManualClock::new(0)));
    let token = "ab".repeat(32);
    let answers = [
        call(&server, Method::GET, PULL, Some(&token), None).await?,
        try_enrol(&server, "ABCD-EFGH-JK").await?,
    ];
    for answer in answers {
        assert_api_error(&answer, StatusCode::INTERNAL_SERVER_ERROR, "internal");
        assert!(
            !answer.1.to_string().contains("secret detail"),
            "{}",
            answer.1
        );
    }
    Ok(())
}

#[tokio::test]
async fn a_device_over_its_rate_gets_429_with_retry_after_and_others_do_not() -> TestResult {
    let mut f = fixture()?;
    f.server = f.server.clone().with_rate_limit(3, 1);
    let (a, b) = (enrol(&f).await?, enrol(&f).await?);
    for _ in 0..3 {
        let (status, json) = call(&f.server, Method::GET, PULL, Some(&a.token), None).await?;
        assert_eq!(status, StatusCode::OK, "{json}");
    }
    let refused = call(&f.server, Method::GET, PULL, Some(&a.token), None).await?;
    assert_api_error(&refused, StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    // The header, which the JSON helper does not show.
    let response = tower::ServiceExt::oneshot(
        f.server.router(),
        axum::http::Request::get(PULL)
            .header("authorization", format!("Bearer {}", a.token))
            .body(axum::body::Body::empty())?,
    )
    .await?;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        response.headers().get("retry-after").map(|v| v.as_bytes()),
        Some(&b"1"[..])
    );
    let other = call(&f.server, Method::GET, PULL, Some(&b.token), None).await?;
    assert_eq!(other.0, StatusCode::OK, "another device is not slowed down");
    f.clock.advance(1_000);
    let again = call(&f.server, Method::GET, PULL, Some(&a.token), None).await?;
    assert_eq!(again.0, StatusCode::OK, "a second later, one more");
    Ok(())
}

/// A request body that sends its headers, then never another byte.
struct Stalled;

impl http_body::Body for Stalled {
    type Data = axum::body::Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        std::task::Poll::Pending
    }
}

#[tokio::test]
async fn a_body_that_stops_arriving_is_dropped_not_waited_for() -> TestResult {
    use tower::ServiceExt as _;
    let f = fixture()?;
    let device = enrol(&f).await?;
    let server = f
        .server
        .clone()
        .with_body_timeout(std::time::Duration::from_millis(200));
    let request = axum::http::Request::builder()
        .method(Method::POST)
        .uri("/v1/push")
        .header("authorization", format!("Bearer {}", device.token))
        .header("content-type", "application/json")
        .body(axum::body::Body::new(Stalled))?;
    // Without the timeout this never answers; the test's own deadline says so.
    let response = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        server.router().oneshot(request),
    )
    .await
    .map_err(|_| "the stalled body was waited for")??;
    assert!(response.status().is_client_error(), "{}", response.status());
    Ok(())
}

/// A request body that sends a byte every 50 ms, forever: never idle, never done.
struct Trickle(tokio::time::Interval);

impl http_body::Body for Trickle {
    type Data = axum::body::Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        match self.0.poll_tick(cx) {
            std::task::Poll::Ready(_) => std::task::Poll::Ready(Some(Ok(http_body::Frame::data(
                axum::body::Bytes::from_static(b" "),
            )))),
            std::task::Poll::Pending => std::task::Poll::Pending,
        }
    }
}

#[tokio::test]
async fn a_body_trickled_a_byte_at_a_time_is_cut_off_at_the_deadline() -> TestResult {
    use tower::ServiceExt as _;
    let f = fixture()?;
    let device = enrol(&f).await?;
    // The body is never idle for the 60 s idle timeout: only the deadline stops it.
    let server = f
        .server
        .clone()
        .with_request_deadline(std::time::Duration::from_millis(400));
    let request = axum::http::Request::builder()
        .method(Method::POST)
        .uri("/v1/push")
        .header("authorization", format!("Bearer {}", device.token))
        .header("content-type", "application/json")
        .body(axum::body::Body::new(Trickle(tokio::time::interval(
            std::time::Duration::from_millis(50),
        ))))?;
    let response = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        server.router().oneshot(request),
    )
    .await
    .map_err(|_| "the trickled body was waited for")??;
    assert_eq!(response.status(), StatusCode::REQUEST_TIMEOUT);
    Ok(())
}
