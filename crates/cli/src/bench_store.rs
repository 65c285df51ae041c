//! `filrouge bench store`: the local store's speed at 1,000 to 100,000 records, next to
//! plain SQLite doing the same rows in the same run.
//!
//! For each size, generated records (see `generate.rs`) are created one user action per
//! transaction in a real store file, and the same records as plain JSON rows in a plain
//! SQLite file with the same durability pragmas. Then edits, searches, today's relances,
//! a month's grouped counts, timelines, cold opens and a full rebuild are timed on the
//! store, and the file sizes compared. Everything prints as one table per size.

use filrouge_model::RecordId;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use filrouge_core::{Env, Store};
use filrouge_model::{Day, Stage};
use rusqlite::{Connection, params};

use crate::generate::{self, REFERENTS, Rng};
use crate::stats;

/// Samples taken for each latency figure.
const SAMPLES: usize = 300;

/// Runs the benchmark for each size in `sizes`, in a scratch directory under `dir`
/// (kept afterwards when `keep`, to inspect the files).
pub fn run(sizes: &[usize], dir: &Path, keep: bool) -> anyhow::Result<()> {
    println!("filrouge bench store — release build expected; times are wall clock on this machine");
    for &n in sizes {
        let scratch = dir.join(format!("bench-store-{n}"));
        let _ = std::fs::remove_dir_all(&scratch);
        std::fs::create_dir_all(&scratch)?;
        one_size(n, &scratch).with_context(|| format!("benchmark at {n} records"))?;
        if !keep {
            let _ = std::fs::remove_dir_all(&scratch);
        }
    }
    Ok(())
}

struct Row {
    what: &'static str,
    ours: String,
    plain: String,
    ratio: String,
    target: &'static str,
}

fn row(
    what: &'static str,
    ours: String,
    plain: Option<String>,
    ratio: Option<f64>,
    target: &'static str,
) -> Row {
    Row {
        what,
        ours,
        plain: plain.unwrap_or_else(|| "—".into()),
        ratio: ratio.map_or_else(|| "—".into(), |r| format!("{r:.2}×")),
        target,
    }
}

fn one_size(n: usize, dir: &Path) -> anyhow::Result<()> {
    let now = filrouge_core::Clock::now_ms(&filrouge_core::SystemClock);
    let mut rng = Rng::new(0x5EED ^ n as u64);
    let (n_persons, n_rencontres, n_etapes, n_relances) = generate::split(n);
    let store_path = dir.join(filrouge_core::STORE_FILE);
    let plain_path = dir.join("plain.sqlite");
    let mut store = Store::open(&store_path, Env::default())?;
    let plain = plain_open(&plain_path)?;
    let mut rows = Vec::new();

    // Create: the same records on both sides, one transaction per record.
    let (mut ours_t, mut plain_t) = (Duration::ZERO, Duration::ZERO);
    let mut persons = Vec::with_capacity(n_persons);
    let mut timed = |json: String,
                     kind: &str,
                     create: &mut dyn FnMut() -> anyhow::Result<RecordId>|
     -> anyhow::Result<RecordId> {
        let t = Instant::now();
        let id = create()?;
        ours_t += t.elapsed();
        let t = Instant::now();
        plain.execute(
            "INSERT INTO records (id, kind, json, updated_at) VALUES (?1, ?2, ?3, ?4)",
            params![id.as_str(), kind, json, now],
        )?;
        plain_t += t.elapsed();
        Ok(id)
    };
    for _ in 0..n_persons {
        let p = generate::person(&mut rng);
        let json = serde_json::to_string(&p)?;
        let id = timed(
            json,
            "personne",
            &mut || Ok(store.create_person(p.clone())?),
        )?;
        persons.push(id);
    }
    for _ in 0..n_rencontres {
        let r = generate::rencontre(&mut rng, &persons, now);
        let json = serde_json::to_string(&r)?;
        timed(json, "rencontre", &mut || {
            Ok(store.create_rencontre(r.clone())?.id)
        })?;
    }
    for _ in 0..n_etapes {
        let e = generate::etape(&mut rng, &persons, now);
        let json = serde_json::to_string(&e)?;
        // An étape alone, as an import writes it (the app's stage change also edits the
        // person: that is the edit measured below).
        timed(json, "etape", &mut || one(store.import(vec![e.clone()])?))?;
    }
    for _ in 0..n_relances {
        let r = generate::relance(&mut rng, &persons, now);
        let json = serde_json::to_string(&r)?;
        timed(json, "relance", &mut || one(store.import(vec![r.clone()])?))?;
    }
    let per_s = |d: Duration| n as f64 / d.as_secs_f64();
    rows.push(row(
        "create+persist (records/s)",
        format!("{:.0}", per_s(ours_t)),
        Some(format!("{:.0}", per_s(plain_t))),
        Some(ours_t.as_secs_f64() / plain_t.as_secs_f64()),
        "time ≤ 8× plain",
    ));

    // One edit + persist: change a person's stage, as the app does.
    let mut ours = Vec::new();
    let mut base = Vec::new();
    for i in 0..SAMPLES {
        let id = &persons[rng.below(persons.len())];
        let mut p = store.person_view(id)?.person;
        p.stage = Some(Stage::ALL[i % Stage::ALL.len()]);
        let json = serde_json::to_string(&p)?;
        let t = Instant::now();
        store.update_person(id, p)?;
        ours.push(t.elapsed());
        let t = Instant::now();
        plain.execute(
            "UPDATE records SET json = ?2, updated_at = ?3 WHERE id = ?1",
            params![id.as_str(), json, now],
        )?;
        base.push(t.elapsed());
    }
    // The app checkpoints the WAL in the background, not inside a user's edit.
    let t = Instant::now();
    store.checkpoint()?;
    let checkpoint = t.elapsed();
    rows.push(pair_row(
        "one edit+persist p50",
        &mut ours,
        &mut base,
        50,
        "—",
    ));
    rows.push(pair_row(
        "one edit+persist p99",
        &mut ours,
        &mut base,
        99,
        "≤ 2 ms",
    ));
    rows.push(row(
        "background WAL checkpoint",
        ms(checkpoint),
        None,
        None,
        "off the user's path",
    ));

    // Search as you type: prefixes of generated names, 1 to 4 characters.
    let mut lat = Vec::new();
    for _ in 0..SAMPLES {
        let name = generate::person(&mut rng).pseudonym;
        let len = 1 + rng.below(4);
        let prefix: String = name.chars().take(len).collect();
        let t = Instant::now();
        std::hint::black_box(store.search_persons(&prefix, 20)?);
        lat.push(t.elapsed());
    }
    rows.push(single_row("search-as-you-type p50", &mut lat, 50, "—"));
    rows.push(single_row(
        "search-as-you-type p99",
        &mut lat,
        99,
        "≤ 20 ms",
    ));

    let today = Day::from_epoch_ms(now);
    let mut lat = Vec::new();
    for i in 0..SAMPLES {
        let t = Instant::now();
        std::hint::black_box(store.relances_due(REFERENTS[i % REFERENTS.len()], today)?);
        lat.push(t.elapsed());
    }
    rows.push(single_row("today's relances p99", &mut lat, 99, "≤ 20 ms"));

    let month = 30 * 86_400_000_i64;
    let mut lat = Vec::new();
    for i in 0..SAMPLES.min(60) {
        let from = now - (i as i64 % 24 + 1) * month;
        let t = Instant::now();
        std::hint::black_box(store.period_counts(from, from + month)?);
        lat.push(t.elapsed());
    }
    rows.push(single_row(
        "a month's grouped counts p99",
        &mut lat,
        99,
        "≤ 20 ms",
    ));

    let mut lat = Vec::new();
    for _ in 0..SAMPLES {
        let id = &persons[rng.below(persons.len())];
        let t = Instant::now();
        std::hint::black_box(store.timeline(id)?);
        lat.push(t.elapsed());
    }
    rows.push(single_row("person timeline p99", &mut lat, 99, "≤ 20 ms"));

    // Cold open: open the file and answer the first screen's query.
    drop(store);
    drop(plain);
    let mut ours = Vec::new();
    let mut base = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let s = Store::open(&store_path, Env::default())?;
        std::hint::black_box(s.list_rencontres_since(now - 86_400_000)?);
        ours.push(t.elapsed());
        drop(s);
        let t = Instant::now();
        let c = plain_open(&plain_path)?;
        let _: i64 = c.query_row(
            "SELECT COUNT(*) FROM records WHERE updated_at >= ?1",
            [now],
            |r| r.get(0),
        )?;
        base.push(t.elapsed());
    }
    rows.push(pair_row(
        "cold open (median)",
        &mut ours,
        &mut base,
        50,
        "≤ 300 ms",
    ));

    let mut store = Store::open(&store_path, Env::default())?;
    let t = Instant::now();
    let report = store.rebuild_projections()?;
    let rebuild = t.elapsed();
    rows.push(row(
        "full projection rebuild",
        format!("{:.2} s ({} docs)", rebuild.as_secs_f64(), report.documents),
        None,
        None,
        "≤ 5 s",
    ));
    drop(store);

    let ours_bytes = file_bytes(&store_path);
    let plain_bytes = file_bytes(&plain_path);
    rows.push(row(
        "bytes on disk per record",
        format!("{:.0}", ours_bytes as f64 / n as f64),
        Some(format!("{:.0}", plain_bytes as f64 / n as f64)),
        Some(ours_bytes as f64 / plain_bytes as f64),
        "≤ 2.5× plain",
    ));

    print_table(n, &rows);
    Ok(())
}

fn plain_open(path: &Path) -> anyhow::Result<Connection> {
    let c = Connection::open(path)?;
    let _: String = c.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    c.execute_batch(
        "PRAGMA synchronous = FULL;
         CREATE TABLE IF NOT EXISTS records (
             id TEXT PRIMARY KEY, kind TEXT NOT NULL, json TEXT NOT NULL, updated_at INTEGER NOT NULL);
         CREATE INDEX IF NOT EXISTS records_by_kind ON records (kind, updated_at);",
    )?;
    Ok(c)
}

/// Main file plus WAL, after the connection closed (which checkpoints).
fn file_bytes(path: &Path) -> u64 {
    let wal = path.with_extension("sqlite-wal");
    [path.to_path_buf(), wal]
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum()
}

/// A percentile of samples that are never empty here (each figure takes dozens).
fn percentile(samples: &mut [Duration], p: usize) -> Duration {
    stats::percentile(samples, p).unwrap_or_default()
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

fn single_row(what: &'static str, lat: &mut [Duration], p: usize, target: &'static str) -> Row {
    row(what, ms(percentile(lat, p)), None, None, target)
}

fn pair_row(
    what: &'static str,
    ours: &mut [Duration],
    base: &mut [Duration],
    p: usize,
    target: &'static str,
) -> Row {
    let (o, b) = (percentile(ours, p), percentile(base, p));
    row(
        what,
        ms(o),
        Some(ms(b)),
        Some(o.as_secs_f64() / b.as_secs_f64().max(1e-9)),
        target,
    )
}

fn print_table(n: usize, rows: &[Row]) {
    println!();
    println!("N = {n} records");
    println!(
        "{:<30} {:>22} {:>16} {:>9}  target (100k)",
        "measure", "fil rouge store", "plain SQLite", "ratio"
    );
    for r in rows {
        println!(
            "{:<30} {:>22} {:>16} {:>9}  {}",
            r.what, r.ours, r.plain, r.ratio, r.target
        );
    }
}

/// The one id of a one-record import.
fn one(ids: Vec<RecordId>) -> anyhow::Result<RecordId> {
    ids.into_iter()
        .next()
        .ok_or_else(|| anyhow::anyhow!("an import of one record returned no id"))
}
