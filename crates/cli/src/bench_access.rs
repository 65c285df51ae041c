//! `filrouge bench access`: the access log's costs, beside plain SQLite doing the same
//! rows on the same kind of file (WAL, `synchronous = FULL`):
//! - one entry appended in a transaction of its own (p50 / p99 over 2,000), beside a
//!   plain INSERT of the same columns committed alone (target: ≤ 1 ms p99);
//! - verifying a log of 1,000,000 entries (every hash recomputed, every link checked),
//!   beside plain SQLite reading the same rows (target: ≤ 10 s).

use std::path::Path;
use std::time::{Duration, Instant};

use filrouge_core::{Env, Store};
use filrouge_model::access::AccessAction;

use crate::stats::percentile;

const APPENDS: usize = 2_000;
const ENTRIES: usize = 1_000_000;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Runs the benchmark in a scratch directory under `dir`.
pub fn run(dir: &Path) -> anyhow::Result<()> {
    println!("filrouge bench access — release build expected; this machine");
    let scratch = tempfile::tempdir_in(dir)?;
    let mut store = Store::open(&scratch.path().join("store.sqlite"), Env::default())?;
    let record = "0190f5a0-0000-7000-8000-000000000001";

    let mut ours = Vec::with_capacity(APPENDS);
    for _ in 0..APPENDS {
        let t = Instant::now();
        store.log_access_many(&[(AccessAction::Consulte, Some(record))])?;
        ours.push(t.elapsed());
    }
    let plain = rusqlite::Connection::open(scratch.path().join("plain.sqlite"))?;
    plain.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
         CREATE TABLE log (seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, worker TEXT,
                           action TEXT NOT NULL, record TEXT, detail TEXT,
                           prev BLOB NOT NULL, hash BLOB NOT NULL) STRICT;",
    )?;
    let mut base = Vec::with_capacity(APPENDS);
    for i in 0..APPENDS {
        let t = Instant::now();
        let tx = plain.unchecked_transaction()?;
        tx.execute(
            "INSERT INTO log (seq, at, worker, action, record, detail, prev, hash)
             VALUES (?1, ?2, NULL, 'consulte', ?3, NULL, ?4, ?4)",
            rusqlite::params![i as i64 + 1, i as i64, record, &[7u8; 32][..]],
        )?;
        tx.commit()?;
        base.push(t.elapsed());
    }

    // A million entries, then one verification of the whole chain.
    let batch: Vec<(AccessAction, Option<&str>)> =
        vec![(AccessAction::Modifie, Some(record)); 100_000];
    let t = Instant::now();
    for _ in 0..ENTRIES / batch.len() {
        store.log_access_many(&batch)?;
    }
    let fill = t.elapsed();
    let t = Instant::now();
    let check = store
        .verify_access_log()?
        .map_err(|e| anyhow::anyhow!("the benchmark's log does not verify: {e}"))?;
    let verify = t.elapsed();
    drop(store);
    let reader = rusqlite::Connection::open(scratch.path().join("store.sqlite"))?;
    let t = Instant::now();
    let mut stmt = reader.prepare(
        "SELECT seq, at, worker, action, record, detail, prev, hash FROM access_log ORDER BY seq",
    )?;
    let mut rows = stmt.query([])?;
    let mut read = 0u64;
    while let Some(row) = rows.next()? {
        let _: i64 = row.get(0)?;
        read += 1;
    }
    let plain_read = t.elapsed();

    let (o50, o99) = (
        percentile(&mut ours, 50).unwrap_or_default(),
        percentile(&mut ours, 99).unwrap_or_default(),
    );
    let (b50, b99) = (
        percentile(&mut base, 50).unwrap_or_default(),
        percentile(&mut base, 99).unwrap_or_default(),
    );
    println!();
    println!(
        "{:<46} {:>12} {:>12} {:>8}  target",
        "measure", "ours", "baseline", "ratio"
    );
    let row = |what: &str, a: f64, b: f64, unit: &str, target: &str| {
        println!(
            "{what:<46} {:>12} {:>12} {:>8}  {target}",
            format!("{a:.3} {unit}"),
            format!("{b:.3} {unit}"),
            format!("{:.2}×", a / b.max(1e-9))
        );
    };
    row(
        "append one entry, own transaction, p50",
        ms(o50),
        ms(b50),
        "ms",
        "",
    );
    row(
        "append one entry, own transaction, p99",
        ms(o99),
        ms(b99),
        "ms",
        "≤ 1 ms",
    );
    row(
        &format!("verify {} entries / plain read of the rows", check.entries),
        verify.as_secs_f64(),
        plain_read.as_secs_f64(),
        "s",
        "≤ 10 s",
    );
    println!(
        "(filling the {read} entries, 100,000 a transaction: {:.1} s)",
        fill.as_secs_f64()
    );
    Ok(())
}
