//! kill -9 of the team server during a stream of pushes, at many points: every change
//! whose push the client saw acknowledged is in the log after a restart, exactly once,
//! and the server's database passes `PRAGMA integrity_check`.

use std::collections::HashSet;
use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use filrouge_core::sync::{HttpTransport, Transport};
use filrouge_model::sync::{API_VERSION, ChangeBlob, EnrolRequest, PullQuery, PushRequest};
use filrouge_server::{Role, TeamServer};

fn start(dir: &std::path::Path) -> anyhow::Result<(Child, String)> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_test-server"))
        .arg(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| anyhow::anyhow!("no stdout"))?;
    let mut url = String::new();
    BufReader::new(stdout).read_line(&mut url)?;
    anyhow::ensure!(url.starts_with("http://"), "server said {url:?}");
    Ok((child, url.trim().to_owned()))
}

/// The `n`th change: a real one, since devices compute each pulled change's hash from
/// its bytes.
fn blob(n: u64) -> anyhow::Result<ChangeBlob> {
    let mut doc = automerge::AutoCommit::new();
    automerge::transaction::Transactable::put(&mut doc, automerge::ROOT, "n", n)?;
    doc.commit();
    let change = doc
        .get_last_local_change()
        .ok_or_else(|| anyhow::anyhow!("no change after a commit"))?;
    Ok(ChangeBlob {
        doc_id: format!("doc-{}", n % 17),
        kind: "rencontre".into(),
        hash: change.hash().to_string(),
        data: filrouge_core::sync::pages::blob_of(&change),
    })
}

#[test]
fn killing_the_server_never_loses_an_acknowledged_push() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    // A team and an enrolled device, made through the library before the first start.
    let token = {
        let server = TeamServer::open_sqlite(&dir.path().join("server.sqlite"))?;
        let team = server.ensure_team("Équipe")?;
        let code = server.create_enrolment_code(&team.id, Role::Intervenant)?;
        server
            .enrol(&EnrolRequest {
                api_version: API_VERSION,
                code,
                device_name: "tel".into(),
            })?
            .token
    };
    let acknowledged: Arc<Mutex<Vec<String>>> = Arc::default();
    let mut next = 0u64;
    for round in 0..10u64 {
        let (mut child, url) = start(dir.path())?;
        let acks = Arc::new(AtomicUsize::new(0));
        // A stream of pushes of 1 to 4 changes until the server goes away.
        let pusher = {
            let (acks, acknowledged) = (Arc::clone(&acks), Arc::clone(&acknowledged));
            let mut transport = HttpTransport::new(&url, &token)?;
            let first = next;
            std::thread::spawn(move || {
                let mut n = first;
                loop {
                    let size = 1 + (n % 4);
                    let Ok(changes) = (n..n + size).map(blob).collect::<anyhow::Result<Vec<_>>>()
                    else {
                        return n;
                    };
                    n += size;
                    let req = PushRequest {
                        api_version: API_VERSION,
                        changes,
                    };
                    match transport.push(&req) {
                        Ok(resp) => {
                            let count = resp.acknowledged.len();
                            if let Ok(mut list) = acknowledged.lock() {
                                list.extend(resp.acknowledged);
                            }
                            acks.fetch_add(count, Ordering::SeqCst);
                        }
                        Err(_) => return n,
                    }
                }
            })
        };
        // Kill after a varying number of acknowledged changes: some kills land inside a
        // transaction, some between two.
        let wanted = 1 + ((round * 29 + 7) % 40) as usize;
        let deadline = Instant::now() + Duration::from_secs(30);
        while acks.load(Ordering::SeqCst) < wanted {
            anyhow::ensure!(Instant::now() < deadline, "round {round}: no progress");
            std::thread::yield_now();
        }
        child.kill()?; // SIGKILL
        child.wait()?;
        next = pusher
            .join()
            .map_err(|_| anyhow::anyhow!("pusher panicked"))?;

        let conn = rusqlite::Connection::open(dir.path().join("server.sqlite"))?;
        let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        assert_eq!(check, "ok", "round {round}");
        drop(conn);

        // After a restart, the whole log: every acknowledged change, each once.
        let (mut child, url) = start(dir.path())?;
        let mut transport = HttpTransport::new(&url, &token)?;
        let (mut seen, mut after, mut seqs) = (HashSet::new(), 0u64, Vec::new());
        loop {
            let page = transport.pull(&PullQuery {
                api_version: API_VERSION,
                after,
                max_bytes: None,
            })?;
            for c in &page.changes {
                assert!(seen.insert(c.blob.hash.clone()), "{} twice", c.blob.hash);
                seqs.push(c.seq);
            }
            after = page.cursor;
            if !page.more {
                break;
            }
        }
        child.kill()?;
        child.wait()?;
        assert!(seqs.windows(2).all(|w| w[0] < w[1]), "round {round}: order");
        let acknowledged = acknowledged
            .lock()
            .map_err(|_| anyhow::anyhow!("poisoned"))?;
        for hash in acknowledged.iter() {
            assert!(
                seen.contains(hash),
                "round {round}: acknowledged {hash} lost"
            );
        }
    }
    Ok(())
}
