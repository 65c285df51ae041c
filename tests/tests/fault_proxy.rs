//! A fault proxy between real devices and a real server on loopback, over HTTPS with the
//! server's certificate pinned (the proxy relays the encrypted bytes): connections cut
//! mid-handshake, mid-request and mid-answer, a plain-HTTP 503 where TLS was expected
//! (a broken middlebox), stalls past the client's timeout. The devices keep working
//! offline and keep trying; once the faults stop, everything converges, and the server
//! holds each change exactly once.

use std::collections::HashSet;
use std::time::Duration;

use filrouge_core::sync::{HttpTransport, Transport};
use filrouge_model::sync::{API_VERSION, PullQuery};
use filrouge_model::{Channel, RencontreDraft};
use filrouge_tests::TestServer;
use filrouge_tests::proxy::FaultProxy;

fn draft(i: usize, note: &str) -> RencontreDraft {
    RencontreDraft {
        channel: Channel::Maraude,
        place: format!("Place {i}"),
        headcount: 1,
        note: note.into(),
        ..Default::default()
    }
}

#[test]
fn everything_converges_once_the_faults_stop_and_nothing_is_stored_twice() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let (server, _) = TestServer::start_tls(dir.path())?;
    let upstream = server.url.trim_start_matches("https://").parse()?;
    let proxy = FaultProxy::start(upstream, 0xFA17)?;
    let proxy_url = proxy.url.replace("http://", "https://");
    let mut devices = Vec::new();
    for name in ["tel-a", "tel-b", "tel-c"] {
        let mut d = server.device(dir.path(), name)?;
        // Through the proxy, with a timeout the proxy's stalls exceed.
        d.transport = HttpTransport::pinned(&proxy_url, d.transport.token(), server.pin())?
            .with_timeout(Duration::from_millis(300))?;
        devices.push(d);
    }

    // Work and sync under faults: every action is one change.
    let mut changes = 0;
    let mut ids: Vec<Vec<String>> = vec![Vec::new(); devices.len()];
    let (mut ok, mut failed) = (0, 0);
    for round in 0..12 {
        for (i, d) in devices.iter_mut().enumerate() {
            for k in 0..3 {
                let r = d.store().create_rencontre(draft(round * 10 + k, "début"))?;
                ids[i].push(r.id.to_string());
                changes += 1;
            }
            if let Some(id) = ids[i].get(round) {
                d.store()
                    .update_rencontre(id, draft(round, &format!("suite {round}")))?;
                changes += 1;
            }
            match d.sync() {
                Ok(_) => ok += 1,
                Err(_) => failed += 1,
            }
        }
    }
    println!(
        "under faults: {ok} syncs succeeded, {failed} failed, {} connections faulted",
        proxy.faulted.load(std::sync::atomic::Ordering::SeqCst)
    );
    assert!(failed > 0, "the proxy did get in the way");

    proxy.heal();
    for _ in 0..2 {
        for d in devices.iter_mut() {
            // A pooled connection the proxy cut just before healing fails once, as it
            // would for the app, whose background sync simply tries again.
            let mut attempts = 0;
            while let Err(e) = d.sync() {
                attempts += 1;
                assert!(attempts < 3, "still failing after the faults stopped: {e}");
            }
        }
    }
    let first = devices[0].store().doc_infos()?;
    let rows = devices[0].store().list_rencontres_since(0)?;
    assert_eq!(first.len(), 3 * 3 * 12);
    for d in &devices[1..] {
        assert_eq!(d.store().doc_infos()?, first);
        assert_eq!(d.store().list_rencontres_since(0)?, rows);
        assert_eq!(d.store().sync_status()?.pending_changes, 0);
    }

    // The log, read straight from the server: each change once, every change there.
    let mut direct = server.transport(devices[0].transport.token())?;
    let (mut seen, mut after) = (HashSet::new(), 0);
    loop {
        let page = direct.pull(&PullQuery {
            api_version: API_VERSION,
            after,
            max_bytes: None,
        })?;
        for c in &page.changes {
            assert!(seen.insert(c.blob.hash.clone()), "stored twice");
        }
        after = page.cursor;
        if !page.more {
            break;
        }
    }
    assert_eq!(seen.len(), changes);
    Ok(())
}
