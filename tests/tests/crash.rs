//! A crash at any point leaves either the whole action or none of it: a writer process
//! is killed with SIGKILL at random points; after each kill the file passes
//! `PRAGMA integrity_check`, and every record the writer reported as saved is there, in
//! its document and in its projection, and the store still takes writes.

use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};

use filrouge_core::{Env, Store};

#[test]
fn killing_the_writer_never_loses_an_acknowledged_record() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("store.sqlite");
    let mut acknowledged: Vec<String> = Vec::new();
    // Kill points vary: after 1 to ~60 acknowledged writes, so some kills land
    // mid-transaction and some between transactions.
    for round in 0..12u64 {
        let wanted = 1 + ((round * 37 + 11) % 60) as usize;
        let mut child = Command::new(env!("CARGO_BIN_EXE_crash-writer"))
            .arg(&path)
            .stdout(Stdio::piped())
            .spawn()?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| anyhow::anyhow!("no stdout"))?;
        let mut lines = BufReader::new(stdout).lines();
        for _ in 0..wanted {
            match lines.next() {
                Some(line) => acknowledged.push(line?),
                None => anyhow::bail!("writer stopped early"),
            }
        }
        child.kill()?; // SIGKILL: no destructor, no checkpoint.
        // Ids printed after the kill was sent also committed before being printed.
        for line in lines.map_while(Result::ok) {
            acknowledged.push(line);
        }
        child.wait()?;

        let conn = rusqlite::Connection::open(&path)?;
        let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        assert_eq!(check, "ok", "round {round}");
        // Document and projection row are written together or not at all.
        let (docs, rows): (i64, i64) = conn.query_row(
            "SELECT (SELECT COUNT(*) FROM documents),
                    (SELECT COUNT(*) FROM rencontres) + (SELECT COUNT(*) FROM personnes)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        assert_eq!(docs, rows, "round {round}");
        drop(conn);
        let mut store = Store::open(&path, Env::default())?;
        let present = store.doc_infos()?;
        for id in &acknowledged {
            assert!(
                present.iter().any(|(d, _)| d == id),
                "round {round}: {id} lost"
            );
        }
        // Every document is complete enough to project: rebuilding finds no damage.
        assert_eq!(store.rebuild_projections()?.quarantined, 0, "round {round}");
    }
    assert!(acknowledged.len() >= 12);
    Ok(())
}
