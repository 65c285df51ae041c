//! The HTTP app driven without a socket (`oneshot`), on a temporary SQLite file: the
//! sync story a device lives through, plus the helpers the error tests share.

use std::error::Error;
use std::sync::Arc;

use axum::body::Body;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::{Method, Request, StatusCode};
use filrouge_model::sync::{
    API_VERSION, ChangeBlob, CodeRequest, CodeResponse, DeviceList, ERASURE_KIND, EnrolRequest,
    EnrolResponse, MAX_BLOB_BYTES, PullResponse, PushRequest, RevokeRequest, erasure_hash,
};
use http_body_util::BodyExt as _;
use serde_json::Value;
use tower::ServiceExt as _;

use crate::storage::suite::change;
use crate::{ManualClock, Role, SqliteStorage, Team, TeamServer};

pub(super) type TestResult<T = ()> = Result<T, Box<dyn Error>>;

/// A server on a temporary SQLite file with a hand-driven clock, and its team.
pub(super) struct Fixture {
    pub _dir: tempfile::TempDir,
    pub clock: Arc<ManualClock>,
    pub server: TeamServer,
    pub team: Team,
}

pub(super) const START_MS: i64 = 1_750_000_000_000;

pub(super) fn fixture() -> TestResult<Fixture> {
    let dir = tempfile::tempdir()?;
    let clock = Arc::new(ManualClock::new(START_MS));
    let storage = SqliteStorage::open(&dir.path().join("server.sqlite3"))?;
    let server = TeamServer::with_storage(Arc::new(storage), clock.clone());
    let team = server.ensure_team("Maraude de test")?;
    Ok(Fixture {
        _dir: dir,
        clock,
        server,
        team,
    })
}

/// Sends one request through the router; every answer must be JSON.
pub(super) async fn call(
    server: &TeamServer,
    method: Method,
    uri: &str,
    token: Option<&str>,
    body: Option<Vec<u8>>,
) -> TestResult<(StatusCode, Value)> {
    let mut request = Request::builder().method(method).uri(uri);
    if let Some(token) = token {
        request = request.header(AUTHORIZATION, format!("Bearer {token}"));
    }
    let body = match body {
        Some(bytes) => {
            request = request.header(CONTENT_TYPE, "application/json");
            Body::from(bytes)
        }
        None => Body::empty(),
    };
    let response = server.router().oneshot(request.body(body)?).await?;
    let status = response.status();
    let bytes = response.into_body().collect().await?.to_bytes();
    let json = serde_json::from_slice(&bytes)
        .map_err(|e| format!("status {status}: body is not JSON ({e})"))?;
    Ok((status, json))
}

/// Asserts an `ApiError` answer with this status and code.
pub(super) fn assert_api_error(answer: &(StatusCode, Value), status: StatusCode, code: &str) {
    assert_eq!(answer.0, status, "{}", answer.1);
    assert_eq!(answer.1["code"], code, "{}", answer.1);
    assert_eq!(answer.1["api_version"], API_VERSION);
    assert!(answer.1["message"].is_string());
}

pub(super) async fn try_enrol(server: &TeamServer, code: &str) -> TestResult<(StatusCode, Value)> {
    let request = EnrolRequest {
        api_version: API_VERSION,
        code: code.to_owned(),
        device_name: "Téléphone de test".to_owned(),
    };
    let body = serde_json::to_vec(&request)?;
    call(server, Method::POST, "/v1/enrol", None, Some(body)).await
}

/// Enrols a new device of `fixture`'s team and returns its credentials.
pub(super) async fn enrol(fixture: &Fixture) -> TestResult<EnrolResponse> {
    let code = fixture
        .server
        .create_enrolment_code(&fixture.team.id, Role::Intervenant)?;
    let (status, json) = try_enrol(&fixture.server, &code).await?;
    assert_eq!(status, StatusCode::OK, "{json}");
    Ok(serde_json::from_value(json)?)
}

pub(super) async fn push(
    server: &TeamServer,
    token: &str,
    changes: &[ChangeBlob],
) -> TestResult<(StatusCode, Value)> {
    let request = PushRequest {
        api_version: API_VERSION,
        changes: changes.to_vec(),
    };
    let body = serde_json::to_vec(&request)?;
    call(server, Method::POST, "/v1/push", Some(token), Some(body)).await
}

pub(super) async fn pull(
    server: &TeamServer,
    token: &str,
    after: u64,
    max_bytes: Option<u64>,
) -> TestResult<PullResponse> {
    let mut uri = format!("/v1/pull?api_version={API_VERSION}&after={after}");
    if let Some(max) = max_bytes {
        uri.push_str(&format!("&max_bytes={max}"));
    }
    let (status, json) = call(server, Method::GET, &uri, Some(token), None).await?;
    assert_eq!(status, StatusCode::OK, "{json}");
    Ok(serde_json::from_value(json)?)
}

fn hashes(changes: &[ChangeBlob]) -> Vec<String> {
    changes.iter().map(|c| c.hash.clone()).collect()
}

#[tokio::test]
async fn health_answers_ok() -> TestResult {
    let f = fixture()?;
    let (status, json) = call(&f.server, Method::GET, "/health", None, None).await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json["status"], "ok");
    assert_eq!(json["api_version"], API_VERSION);
    Ok(())
}

#[tokio::test]
async fn enrol_push_pull_round_trip() -> TestResult {
    let f = fixture()?;
    let writer = enrol(&f).await?;
    let reader = enrol(&f).await?;
    assert_eq!(writer.team_id, f.team.id);
    assert_ne!(writer.device_id, reader.device_id);
    assert_ne!(writer.token, reader.token);

    let changes = vec![change("one", 3), change("two", 300), change("three", 0)];
    let (status, json) = push(&f.server, &writer.token, &changes).await?;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(
        json["acknowledged"],
        serde_json::to_value(hashes(&changes))?
    );

    let page = pull(&f.server, &reader.token, 0, None).await?;
    assert_eq!(page.api_version, API_VERSION);
    assert!(!page.more);
    assert_eq!(page.cursor, 3);
    let pulled: Vec<ChangeBlob> = page.changes.iter().map(|c| c.blob.clone()).collect();
    assert_eq!(pulled, changes, "bytes come back exactly as pushed");

    let empty = pull(&f.server, &reader.token, page.cursor, None).await?;
    assert!(empty.changes.is_empty());
    assert_eq!((empty.cursor, empty.more), (3, false));
    Ok(())
}

#[tokio::test]
async fn codes_are_accepted_in_lowercase_without_dashes() -> TestResult {
    let f = fixture()?;
    let code = f
        .server
        .create_enrolment_code(&f.team.id, Role::Coordinateur)?;
    let typed = format!(" {} ", code.replace('-', "").to_lowercase());
    let (status, json) = try_enrol(&f.server, &typed).await?;
    assert_eq!(status, StatusCode::OK, "{json}");
    let devices = f.server.devices(&f.team.id)?;
    assert_eq!(devices.len(), 1);
    assert_eq!(devices[0].role, Role::Coordinateur);
    Ok(())
}

#[tokio::test]
async fn a_devices_requests_tell_when_it_was_last_seen_to_the_hour() -> TestResult {
    let f = fixture()?;
    let device = enrol(&f).await?;
    let seen = || -> TestResult<Option<i64>> { Ok(f.server.devices(&f.team.id)?[0].last_seen_at) };
    assert_eq!(seen()?, Some(START_MS), "enrolment is contact");
    f.clock.advance(10 * 60 * 1000);
    pull(&f.server, &device.token, 0, None).await?;
    assert_eq!(
        seen()?,
        Some(START_MS),
        "ten minutes later: not written again"
    );
    f.clock.advance(3 * crate::storage::TOUCH_EVERY_MS);
    pull(&f.server, &device.token, 0, None).await?;
    assert_eq!(
        seen()?,
        Some(START_MS + 10 * 60 * 1000 + 3 * crate::storage::TOUCH_EVERY_MS)
    );
    Ok(())
}

#[tokio::test]
async fn pushing_the_same_page_twice_stores_each_change_once() -> TestResult {
    let f = fixture()?;
    let device = enrol(&f).await?;
    let first: Vec<ChangeBlob> = (0..5).map(|i| change(&format!("a{i}"), 10)).collect();
    let second: Vec<ChangeBlob> = (0..3).map(|i| change(&format!("b{i}"), 10)).collect();

    for page in [&first, &first, &second, &first] {
        let (status, json) = push(&f.server, &device.token, page).await?;
        assert_eq!(status, StatusCode::OK, "{json}");
        assert_eq!(json["acknowledged"], serde_json::to_value(hashes(page))?);
    }

    let log = pull(&f.server, &device.token, 0, None).await?;
    let seqs: Vec<u64> = log.changes.iter().map(|c| c.seq).collect();
    assert_eq!(seqs, (1..=8).collect::<Vec<u64>>(), "dense, no gaps");
    let pulled: Vec<String> = log.changes.iter().map(|c| c.blob.hash.clone()).collect();
    assert_eq!(pulled, [hashes(&first), hashes(&second)].concat());
    Ok(())
}

#[tokio::test]
async fn pull_pages_by_bytes_return_every_change_once() -> TestResult {
    let f = fixture()?;
    let device = enrol(&f).await?;
    let changes: Vec<ChangeBlob> = (0..25)
        .map(|i| change(&format!("page{i}"), (i * 37) % 200))
        .collect();
    let (status, _) = push(&f.server, &device.token, &changes).await?;
    assert_eq!(status, StatusCode::OK);

    for max_bytes in [0u64, 150, 500, 10_000] {
        let mut cursor = 0;
        let mut seen = Vec::new();
        let mut pages = 0;
        loop {
            let page = pull(&f.server, &device.token, cursor, Some(max_bytes)).await?;
            let bytes: usize = page.changes.iter().map(|c| c.blob.data.len()).sum();
            assert!(page.changes.len() == 1 || bytes as u64 <= max_bytes);
            cursor = page.cursor;
            seen.extend(page.changes.into_iter().map(|c| c.blob));
            pages += 1;
            if !page.more {
                break;
            }
            assert!(pages <= changes.len(), "paging must progress");
        }
        assert_eq!(seen, changes, "max_bytes {max_bytes}");
        assert_eq!(cursor, changes.len() as u64);
    }
    Ok(())
}

#[tokio::test]
async fn data_survives_reopening_the_sqlite_file() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("team.sqlite3");
    let changes = vec![change("persisted", 64), change("also", 1)];
    let device = {
        let server = TeamServer::open_sqlite(&path)?;
        let team = server.ensure_team("Équipe")?;
        let code = server.create_enrolment_code(&team.id, Role::Intervenant)?;
        let (status, json) = try_enrol(&server, &code).await?;
        assert_eq!(status, StatusCode::OK, "{json}");
        let device: EnrolResponse = serde_json::from_value(json)?;
        let (status, _) = push(&server, &device.token, &changes).await?;
        assert_eq!(status, StatusCode::OK);
        device
    };

    let reopened = TeamServer::open_sqlite(&path)?;
    assert_eq!(reopened.ensure_team("Autre nom")?.id, device.team_id);
    let page = pull(&reopened, &device.token, 0, None).await?;
    let pulled: Vec<ChangeBlob> = page.changes.into_iter().map(|c| c.blob).collect();
    assert_eq!(pulled, changes);
    Ok(())
}

#[tokio::test]
async fn serve_answers_on_a_socket_and_shuts_down_gracefully() -> TestResult {
    use std::io::{Read as _, Write as _};

    let f = fixture()?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(crate::serve(listener, f.server.clone(), async {
        let _ = stopped.await;
    }));

    let answer = tokio::task::spawn_blocking(move || -> std::io::Result<String> {
        let mut stream = std::net::TcpStream::connect(address)?;
        stream.set_read_timeout(Some(std::time::Duration::from_secs(10)))?;
        stream.write_all(b"GET /health HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")?;
        let mut answer = String::new();
        stream.read_to_string(&mut answer)?;
        Ok(answer)
    })
    .await??;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains(r#""status":"ok""#), "{answer}");

    let _ = stop.send(());
    tokio::time::timeout(std::time::Duration::from_secs(10), task).await???;
    Ok(())
}

#[tokio::test]
async fn bodies_above_axums_default_limit_but_within_ours_are_accepted() -> TestResult {
    // axum refuses bodies over 2 MiB by default; the API promises MAX_BODY_BYTES.
    let f = fixture()?;
    let device = enrol(&f).await?;
    let changes: Vec<ChangeBlob> = (0..6)
        .map(|i| change(&format!("large{i}"), MAX_BLOB_BYTES - 1_000))
        .collect();
    let (status, json) = push(&f.server, &device.token, &changes).await?;
    assert_eq!(status, StatusCode::OK, "{json}");
    Ok(())
}

/// `POST /v1/codes` for `role`, with `token` if any.
async fn ask_code(
    server: &TeamServer,
    token: Option<&str>,
    role: Role,
) -> TestResult<(StatusCode, Value)> {
    let body = serde_json::to_vec(&CodeRequest {
        api_version: API_VERSION,
        role,
        sealed_keys: None,
    })?;
    call(server, Method::POST, "/v1/codes", token, Some(body)).await
}

#[tokio::test]
async fn a_coordinators_device_makes_codes_for_its_team_and_a_workers_cannot() -> TestResult {
    let f = fixture()?;
    let code = f
        .server
        .create_enrolment_code(&f.team.id, Role::Coordinateur)?;
    let (status, json) = try_enrol(&f.server, &code).await?;
    assert_eq!(status, StatusCode::OK, "{json}");
    let coordinator: EnrolResponse = serde_json::from_value(json)?;
    assert_eq!(coordinator.role, Some(Role::Coordinateur));

    let made = ask_code(&f.server, Some(&coordinator.token), Role::Intervenant).await?;
    assert_eq!(made.0, StatusCode::OK, "{}", made.1);
    let made: CodeResponse = serde_json::from_value(made.1)?;
    assert_eq!(made.role, Role::Intervenant);
    assert_eq!(made.expires_at, START_MS + crate::INVITE_CODE_TTL_MS);

    // The code enrols one device into the same team, with the role asked for.
    let (status, json) = try_enrol(&f.server, &made.code).await?;
    assert_eq!(status, StatusCode::OK, "{json}");
    let worker: EnrolResponse = serde_json::from_value(json)?;
    assert_eq!(worker.team_id, f.team.id);
    assert_eq!(worker.role, Some(Role::Intervenant));
    let again = try_enrol(&f.server, &made.code).await?;
    assert_api_error(&again, StatusCode::FORBIDDEN, "invalid_enrolment_code");

    // A worker's device may not make codes, nor may a request without a token.
    let refused = ask_code(&f.server, Some(&worker.token), Role::Coordinateur).await?;
    assert_api_error(&refused, StatusCode::FORBIDDEN, "forbidden");
    let anonymous = ask_code(&f.server, None, Role::Intervenant).await?;
    assert_api_error(&anonymous, StatusCode::UNAUTHORIZED, "unauthorized");

    // An app code is good for a day, not the operator's week.
    let late = ask_code(&f.server, Some(&coordinator.token), Role::Intervenant).await?;
    let late: CodeResponse = serde_json::from_value(late.1)?;
    f.clock.advance(crate::INVITE_CODE_TTL_MS + 1);
    let expired = try_enrol(&f.server, &late.code).await?;
    assert_api_error(&expired, StatusCode::FORBIDDEN, "invalid_enrolment_code");
    Ok(())
}

#[tokio::test]
async fn a_coordinators_device_lists_the_team_and_cuts_a_lost_phone_off() -> TestResult {
    let f = fixture()?;
    let code = f
        .server
        .create_enrolment_code(&f.team.id, Role::Coordinateur)?;
    let (_, json) = try_enrol(&f.server, &code).await?;
    let coordinator: EnrolResponse = serde_json::from_value(json)?;
    let phone = enrol(&f).await?;
    let revoke = |id: &str| {
        serde_json::to_vec(&RevokeRequest {
            api_version: API_VERSION,
            device_id: id.to_owned(),
        })
    };

    let (status, json) = call(
        &f.server,
        Method::GET,
        "/v1/devices",
        Some(&coordinator.token),
        None,
    )
    .await?;
    assert_eq!(status, StatusCode::OK, "{json}");
    let list: DeviceList = serde_json::from_value(json)?;
    let ids: Vec<&str> = list.devices.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(
        ids,
        [coordinator.device_id.as_str(), phone.device_id.as_str()]
    );
    assert_eq!(list.devices[1].name, "Téléphone de test");
    assert!(list.devices.iter().all(|d| d.revoked_at.is_none()));

    // A worker's device sees no list and revokes nobody.
    let (status, _) = call(
        &f.server,
        Method::GET,
        "/v1/devices",
        Some(&phone.token),
        None,
    )
    .await?;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let refused = call(
        &f.server,
        Method::POST,
        "/v1/revoke",
        Some(&phone.token),
        Some(revoke(&coordinator.device_id)?),
    )
    .await?;
    assert_api_error(&refused, StatusCode::FORBIDDEN, "forbidden");
    // The coordinator's device cannot lock itself out.
    let itself = call(
        &f.server,
        Method::POST,
        "/v1/revoke",
        Some(&coordinator.token),
        Some(revoke(&coordinator.device_id)?),
    )
    .await?;
    assert_api_error(&itself, StatusCode::FORBIDDEN, "forbidden");
    // A device the team does not have (the check is by the asking device's team).
    let (status, _) = call(
        &f.server,
        Method::POST,
        "/v1/revoke",
        Some(&coordinator.token),
        Some(revoke("0190ffff-0000-7000-8000-000000000000")?),
    )
    .await?;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The lost phone: revoked, listed so, and refused from then on.
    let (status, json) = call(
        &f.server,
        Method::POST,
        "/v1/revoke",
        Some(&coordinator.token),
        Some(revoke(&phone.device_id)?),
    )
    .await?;
    assert_eq!(status, StatusCode::OK, "{json}");
    let list: DeviceList = serde_json::from_value(json)?;
    assert_eq!(list.devices[1].revoked_at, Some(START_MS));
    assert_eq!(list.devices[0].revoked_at, None);
    let (status, _) = push(&f.server, &phone.token, &[change("après", 3)]).await?;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    Ok(())
}

/// A device enrolled with `role`.
async fn enrol_as(f: &Fixture, role: Role) -> TestResult<EnrolResponse> {
    let code = f.server.create_enrolment_code(&f.team.id, role)?;
    let (status, json) = try_enrol(&f.server, &code).await?;
    assert_eq!(status, StatusCode::OK, "{json}");
    Ok(serde_json::from_value(json)?)
}

fn erasure_of(doc_id: &str) -> ChangeBlob {
    ChangeBlob {
        doc_id: doc_id.to_owned(),
        kind: ERASURE_KIND.to_owned(),
        hash: erasure_hash(doc_id),
        data: Vec::new(),
    }
}

#[tokio::test]
async fn every_answer_names_the_log_and_the_head_is_never_raised_to_the_cursor() -> TestResult {
    let f = fixture()?;
    let device = enrol(&f).await?;
    assert_eq!(device.log_id, f.team.log_id);
    assert!(uuid::Uuid::parse_str(&f.team.log_id).is_ok());
    let (_, json) = push(&f.server, &device.token, &[change("one", 3)]).await?;
    assert_eq!(json["log_id"], f.team.log_id);
    // A device whose cursor is past the head (the log was rolled back) is told the
    // real head, which is how it notices.
    let page = pull(&f.server, &device.token, 40, None).await?;
    assert_eq!((page.head, page.cursor), (1, 40));
    assert_eq!(page.log_id, f.team.log_id);
    Ok(())
}

#[tokio::test]
async fn remembered_erasures_erase_for_a_coordinator_and_are_refused_from_a_worker() -> TestResult {
    let f = fixture()?;
    let worker = enrol_as(&f, Role::Intervenant).await?;
    let coordinator = enrol_as(&f, Role::Coordinateur).await?;
    let held = ChangeBlob {
        doc_id: "held".into(),
        ..change("h1", 10)
    };
    push(&f.server, &worker.token, std::slice::from_ref(&held)).await?;

    // A worker's device erases nothing, held or not.
    let (status, json) = push(
        &f.server,
        &worker.token,
        &[erasure_of("held"), erasure_of("never")],
    )
    .await?;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(
        json["refused"],
        serde_json::json!([erasure_hash("held"), erasure_hash("never")])
    );
    assert_eq!(json["acknowledged"], serde_json::json!([]));
    let late = ChangeBlob {
        doc_id: "never".into(),
        ..change("n1", 10)
    };
    let (_, json) = push(&f.server, &worker.token, std::slice::from_ref(&late)).await?;
    assert_eq!(json["acknowledged"], serde_json::json!([late.hash]));

    // A coordinator's device: the record is erased.
    let (_, json) = push(&f.server, &coordinator.token, &[erasure_of("held")]).await?;
    assert_eq!(
        json["acknowledged"],
        serde_json::json!([erasure_hash("held")])
    );
    let log = pull(&f.server, &worker.token, 0, None).await?;
    let entries: Vec<(&str, &str)> = log
        .changes
        .iter()
        .map(|c| (c.blob.doc_id.as_str(), c.blob.kind.as_str()))
        .collect();
    assert_eq!(
        entries,
        vec![("never", "rencontre"), ("held", ERASURE_KIND)],
        "the held record's change is gone"
    );

    // An erasure entry carrying bytes, or another hash, is malformed.
    let mut forged = erasure_of("x");
    forged.data = vec![1];
    let answer = push(&f.server, &coordinator.token, &[forged]).await?;
    assert_api_error(&answer, StatusCode::BAD_REQUEST, "bad_request");
    let mut forged = erasure_of("x");
    forged.hash = erasure_hash("y");
    let answer = push(&f.server, &coordinator.token, &[forged]).await?;
    assert_api_error(&answer, StatusCode::BAD_REQUEST, "bad_request");
    Ok(())
}

/// `GET /metrics` on `router`.
async fn scrape(router: axum::Router) -> TestResult<(StatusCode, String)> {
    let request = Request::builder()
        .method(Method::GET)
        .uri("/metrics")
        .body(Body::empty())?;
    let response = router.oneshot(request).await?;
    let status = response.status();
    let bytes = response.into_body().collect().await?.to_bytes();
    Ok((status, String::from_utf8(bytes.to_vec())?))
}

#[tokio::test]
async fn the_page_counts_answers_and_logs_and_names_no_one() -> TestResult {
    let f = fixture()?;
    let device = enrol(&f).await?;
    let (status, _) = push(&f.server, &device.token, &[change("m1", 300)]).await?;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = push(&f.server, "ab".repeat(32).as_str(), &[]).await?;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let (status, page) = scrape(f.server.metrics_router()).await?;
    assert_eq!(status, StatusCode::OK, "{page}");
    let team = &f.team.id;
    for expected in [
        "filrouge_requests_total{route=\"/v1/push\",status=\"200\"} 1".to_owned(),
        "filrouge_requests_total{route=\"/v1/push\",status=\"401\"} 1".to_owned(),
        "filrouge_requests_total{route=\"/v1/enrol\",status=\"200\"} 1".to_owned(),
        "filrouge_request_duration_seconds_count{route=\"/v1/push\",status=\"200\"} 1".to_owned(),
        "filrouge_request_duration_seconds_bucket{route=\"/v1/push\",status=\"200\",le=\"+Inf\"} 1"
            .to_owned(),
        format!("filrouge_log_head{{team=\"{team}\"}} 1"),
        format!("filrouge_log_bytes{{team=\"{team}\"}} 300"),
        format!("filrouge_devices{{team=\"{team}\",last_seen=\"day\"}} 1"),
        "filrouge_rate_limited_total 0".to_owned(),
    ] {
        assert!(page.lines().any(|l| l == expected), "{expected} in\n{page}");
    }
    // Ids only: the team's name and the device's never appear.
    assert!(!page.contains("Maraude de test"), "{page}");
    assert!(!page.contains("Téléphone"), "{page}");

    // The devices' address has no such page.
    let (status, _) = scrape(f.server.router()).await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    Ok(())
}
