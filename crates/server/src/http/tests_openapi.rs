//! The OpenAPI document: served, OpenAPI 3.1, complete (every `$ref` resolves, every
//! documented route answers), and equal to the committed `docs/openapi.json`, so a
//! change of a route or of a `model::sync` type cannot land without its description
//! changing in the same review. After a deliberate change:
//! `FILROUGE_UPDATE_OPENAPI=1 cargo test -p filrouge-server openapi` rewrites the file.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt as _;
use serde_json::Value;
use tower::ServiceExt as _;

use super::tests::{TestResult, fixture};
use super::{OPENAPI_PATH, openapi_document};

fn committed_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/openapi.json")
}

/// Every `$ref` in `value`.
fn refs<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                match (key.as_str(), inner) {
                    ("$ref", Value::String(target)) => out.push(target),
                    _ => refs(inner, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[tokio::test]
async fn the_api_is_described_completely_and_as_committed() -> TestResult {
    let f = fixture()?;
    let response = f
        .server
        .router()
        .oneshot(Request::get(OPENAPI_PATH).body(Body::empty())?)
        .await?;
    assert_eq!(response.status(), StatusCode::OK);
    let served = String::from_utf8(response.into_body().collect().await?.to_bytes().to_vec())?;
    assert_eq!(served, openapi_document());
    let doc: Value = serde_json::from_str(&served)?;
    assert_eq!(doc["openapi"], "3.1.0");

    // Every schema a route names is in the document.
    let mut targets = Vec::new();
    refs(&doc, &mut targets);
    assert!(!targets.is_empty());
    for target in targets {
        let name = target
            .strip_prefix("#/components/schemas/")
            .ok_or_else(|| format!("an unexpected reference: {target}"))?;
        assert!(
            doc["components"]["schemas"].get(name).is_some(),
            "{target} is referenced but not described"
        );
    }

    // Every documented route is served: not the unknown-route answer, not the wrong
    // method (without a token, a device's route says 401; the others, 200 or 400).
    let paths = doc["paths"].as_object().ok_or("no paths")?;
    assert!(paths.len() >= 15, "{} paths", paths.len());
    for (path, item) in paths {
        for method in item.as_object().ok_or("a path item")?.keys() {
            let request = Request::builder()
                .method(method.to_uppercase().as_str())
                .uri(path.as_str())
                .body(Body::empty())?;
            let status = f.server.router().oneshot(request).await?.status();
            assert!(
                status != StatusCode::NOT_FOUND && status != StatusCode::METHOD_NOT_ALLOWED,
                "{method} {path} is documented but answers {status}"
            );
        }
    }

    let committed = committed_path();
    if std::env::var_os("FILROUGE_UPDATE_OPENAPI").is_some() {
        std::fs::write(&committed, &served)?;
    }
    let on_file = std::fs::read_to_string(&committed).unwrap_or_default();
    assert!(
        on_file == served,
        "docs/openapi.json is not the API's description: a route or a model::sync type \
         changed. Review the change, then run \
         FILROUGE_UPDATE_OPENAPI=1 cargo test -p filrouge-server openapi"
    );
    Ok(())
}
