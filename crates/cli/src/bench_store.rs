//! `filrouge bench store`: the local store's speed at 1,000 to 100,000 records, next to
//! plain SQLite doing the same rows in the same run.
//!
//! For each size, generated records (see `generate.rs`) are created one user action per
//! transaction in a real store file, and the same records as plain JSON rows in a plain
//! SQLite file with the same durability pragmas. Then edits, searches, today's relances,
//! a month's grouped counts, timelines, cold opens and a full rebuild are timed on the
//! store, and the file sizes compared. The whole measure runs twice, on a store in clear
//! and on a SQLCipher-encrypted one, so the encryption's overhead is a ratio within the
//! run; last come the times to unseal the data key with a PIN and with a passphrase.
//! Everything prints as one table per size.

use filrouge_model::RecordId;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use filrouge_core::vault::{DataKey, Protection, Vault};
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
    /// The store's figure as a cost (seconds, or bytes): larger is worse, so that the
    /// encrypted store's overhead is a ratio of two of them.
    cost: f64,
    plain: String,
    ratio: String,
    target: &'static str,
}

fn row(
    what: &'static str,
    ours: String,
    cost: f64,
    plain: Option<String>,
    ratio: Option<f64>,
    target: &'static str,
) -> Row {
    Row {
        what,
        ours,
        cost,
        plain: plain.unwrap_or_else(|| "—".into()),
        ratio: ratio.map_or_else(|| "—".into(), |r| format!("{r:.2}×")),
        target,
    }
}

/// One size: the store in clear and the same records in an encrypted store, then the
/// cost of unsealing the key.
fn one_size(n: usize, dir: &Path) -> anyhow::Result<()> {
    let clear = pass(n, &dir.join("clear"), None)?;
    let key = DataKey::random()?;
    let encrypted = pass(n, &dir.join("encrypted"), Some(&key))?;
    print_table(n, &clear, &encrypted);
    print_unlock(dir)
}

/// Opens the store at `path`, encrypted with `key` if there is one.
fn open(path: &Path, key: Option<&DataKey>) -> anyhow::Result<Store> {
    Ok(match key {
        Some(key) => Store::open_encrypted(path, key, Env::default())?,
        None => Store::open(path, Env::default())?,
    })
}

/// The whole measure on one store, beside plain SQLite.
fn pass(n: usize, dir: &Path, key: Option<&DataKey>) -> anyhow::Result<Vec<Row>> {
    std::fs::create_dir_all(dir)?;
    let now = filrouge_core::Clock::now_ms(&filrouge_core::SystemClock);
    let mut rng = Rng::new(0x5EED ^ n as u64);
    let (n_persons, n_rencontres, n_etapes, n_relances) = generate::split(n);
    let store_path = dir.join(filrouge_core::STORE_FILE);
    let plain_path = dir.join("plain.sqlite");
    let mut store = open(&store_path, key)?;
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
        ours_t.as_secs_f64(),
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
        checkpoint.as_secs_f64(),
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
        let s = open(&store_path, key)?;
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

    let mut store = open(&store_path, key)?;
    let t = Instant::now();
    let report = store.rebuild_projections()?;
    let rebuild = t.elapsed();
    rows.push(row(
        "full projection rebuild",
        format!("{:.2} s ({} docs)", rebuild.as_secs_f64(), report.documents),
        rebuild.as_secs_f64(),
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
        ours_bytes as f64,
        Some(format!("{:.0}", plain_bytes as f64 / n as f64)),
        Some(ours_bytes as f64 / plain_bytes as f64),
        "≤ 2.5× plain",
    ));

    Ok(rows)
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
    let d = percentile(lat, p);
    row(what, ms(d), d.as_secs_f64(), None, None, target)
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
        o.as_secs_f64(),
        Some(ms(b)),
        Some(o.as_secs_f64() / b.as_secs_f64().max(1e-9)),
        target,
    )
}

fn print_table(n: usize, clear: &[Row], encrypted: &[Row]) {
    println!();
    println!("N = {n} records");
    println!(
        "{:<30} {:>22} {:>22} {:>9} {:>16} {:>9}  target (100k)",
        "measure", "store in clear", "encrypted store", "enc/clr", "plain SQLite", "clr/pln"
    );
    for (r, e) in clear.iter().zip(encrypted) {
        let overhead = if r.cost > 0.0 {
            format!("{:.2}×", e.cost / r.cost)
        } else {
            "—".into()
        };
        println!(
            "{:<30} {:>22} {:>22} {:>9} {:>16} {:>9}  {}",
            r.what, r.ours, e.ours, overhead, r.plain, r.ratio, r.target
        );
    }
    println!(
        "(enc/clr: the encrypted store's cost over the same run's store in clear; target ≤ 1.15×)"
    );
}

/// Unsealing the data key with a PIN and with a passphrase, at the app's Argon2 costs.
fn print_unlock(dir: &Path) -> anyhow::Result<()> {
    for (protection, secret, platform) in [
        (Protection::Pin, "482913", Some(&b"keystore secret"[..])),
        (
            Protection::Passphrase,
            "une phrase de passe assez longue",
            None,
        ),
    ] {
        let store = dir.join(format!("unlock-{protection:?}.sqlite"));
        let (mut vault, _key) = Vault::create(&store, protection, secret, platform)?;
        let mut lat = Vec::new();
        for _ in 0..5 {
            let t = Instant::now();
            std::hint::black_box(vault.unlock(secret, platform, 0)?);
            lat.push(t.elapsed());
        }
        let cost = protection.cost();
        let target = match protection {
            Protection::Pin => "target ≤ 300 ms",
            Protection::Passphrase => "stronger by design: it stands without a keystore",
        };
        println!(
            "{protection:?} unlock (Argon2id m={} MiB, t={}, p={}): median {}  {target}",
            cost.memory_kib / 1024,
            cost.passes,
            cost.lanes,
            ms(percentile(&mut lat, 50)),
        );
    }
    Ok(())
}

/// The one id of a one-record import.
fn one(ids: Vec<RecordId>) -> anyhow::Result<RecordId> {
    ids.into_iter()
        .next()
        .ok_or_else(|| anyhow::anyhow!("an import of one record returned no id"))
}
