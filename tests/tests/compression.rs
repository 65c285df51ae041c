//! HTTP compression both ways against a real server on port 0: devices push binary pages
//! compressed with zstd and pull binary pages answered in zstd; a JSON client asking for
//! gzip gets gzip; a small gzip or zstd body that inflates past the body limit is
//! refused as `too_large`.

use std::io::{Read as _, Write as _};

use filrouge_model::sync::{API_VERSION, MAX_BODY_BYTES};
use filrouge_model::wire::{self, PAGE_MEDIA_TYPE, PUSH_MEDIA_TYPE};
use filrouge_model::{Channel, RencontreDraft};
use filrouge_tests::TestServer;

fn gzip(bytes: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes)?;
    Ok(e.finish()?)
}

#[test]
fn pushes_and_pulls_are_compressed_and_a_gzip_bomb_is_refused() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let (server, _) = TestServer::start_tls(dir.path())?;
    let mut a = server.device(dir.path(), "tel-a")?;
    let mut b = server.device(dir.path(), "tel-b")?;
    for i in 0..40 {
        a.store().create_rencontre(RencontreDraft {
            channel: Channel::Maraude,
            place: format!("Gare, quai {i}"),
            headcount: 2,
            note: "Deux personnes orientées vers l'accueil de jour.".into(),
            ..Default::default()
        })?;
    }
    // One push page of 40 changes is well over the compression threshold.
    assert_eq!(a.sync()?.pushed, 40);
    assert_eq!(b.sync()?.pulled, 40);
    assert_eq!(b.store().list_rencontres_since(0)?.len(), 40);

    // The same pull as raw HTTP, asking for gzip and not inflating automatically.
    let token = server.device(dir.path(), "tel-raw")?;
    filrouge_core::sync::tls::install_provider();
    let pin = server
        .pin()
        .ok_or_else(|| anyhow::anyhow!("an HTTPS server"))?;
    let raw = reqwest::blocking::Client::builder()
        .no_gzip()
        .no_zstd()
        .tls_backend_preconfigured(filrouge_core::sync::tls::pinned_config(pin)?)
        .build()?;
    let url = format!("{}/v1/pull?api_version={API_VERSION}&after=0", server.url);
    let resp = raw
        .get(&url)
        .bearer_auth(token.transport.token())
        .header("accept-encoding", "gzip")
        .send()?;
    assert!(resp.status().is_success());
    assert_eq!(
        resp.headers()
            .get("content-encoding")
            .and_then(|v| v.to_str().ok()),
        Some("gzip")
    );
    let wire = resp.bytes()?;
    let mut plain = Vec::new();
    flate2::read::GzDecoder::new(&wire[..]).read_to_end(&mut plain)?;
    let page: serde_json::Value = serde_json::from_slice(&plain)?;
    assert_eq!(page["changes"].as_array().map(Vec::len), Some(40));
    println!(
        "pull of 40 changes: {} bytes as JSON, {} on the wire ({:.0}%)",
        plain.len(),
        wire.len(),
        100.0 * wire.len() as f64 / plain.len() as f64
    );
    // gzip takes back at least the base64 and JSON overhead.
    assert!(wire.len() * 4 < plain.len() * 3, "gzip takes a quarter off");

    // What a device asks for: the binary page, in zstd, far smaller than the JSON.
    let resp = raw
        .get(&url)
        .bearer_auth(token.transport.token())
        .header("accept", PAGE_MEDIA_TYPE)
        .header("accept-encoding", "zstd, gzip")
        .send()?;
    assert!(resp.status().is_success());
    assert_eq!(
        resp.headers()
            .get("content-encoding")
            .and_then(|v| v.to_str().ok()),
        Some("zstd")
    );
    let binary = resp.bytes()?;
    let page = wire::decode_pull(&zstd::stream::decode_all(&binary[..])?)?;
    assert_eq!(page.entries.len(), 40);
    println!("the same page as a device gets it: {} bytes", binary.len());
    assert!(
        binary.len() * 2 < wire.len(),
        "half the gzipped JSON at most"
    );

    // A zstd bomb in a binary push: refused like the gzip one below.
    let zbomb = zstd::bulk::compress(&vec![0u8; MAX_BODY_BYTES + 1024], 3)?;
    let resp = raw
        .post(format!("{}/v1/push", server.url))
        .bearer_auth(token.transport.token())
        .header("content-type", PUSH_MEDIA_TYPE)
        .header("content-encoding", "zstd")
        .body(zbomb)
        .send()?;
    assert_eq!(resp.status().as_u16(), 413);
    let err: serde_json::Value = resp.json()?;
    assert_eq!(err["code"], "too_large");

    // A bomb: a few kilobytes that inflate past the body limit.
    let mut huge = br#"{"api_version":2,"changes":[],"pad":""#.to_vec();
    huge.extend(std::iter::repeat_n(b' ', MAX_BODY_BYTES + 1024));
    huge.extend(br#""}"#);
    let bomb = gzip(&huge)?;
    assert!(bomb.len() < 64 * 1024);
    let resp = raw
        .post(format!("{}/v1/push", server.url))
        .bearer_auth(token.transport.token())
        .header("content-type", "application/json")
        .header("content-encoding", "gzip")
        .body(bomb)
        .send()?;
    assert_eq!(resp.status().as_u16(), 413);
    let err: serde_json::Value = resp.json()?;
    assert_eq!(err["code"], "too_large");
    Ok(())
}
