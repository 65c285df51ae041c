//! `filrouge bench store`: the local store's speed at 1,000 to 100,000 records, next to
//! plain SQLite doing the same rows in the same run.
//!
//! For each size, generated records (see `generate.rs`) are created one user action per
//! transaction in a real store file, and the same records as plain JSON rows in a plain
//! SQLite file with the same durability pragmas. Then edits, searches, today's relances,
//! a month's grouped counts, timelines, cold opens and a full rebuild are timed on the
//! store, and the file sizes compared. The whole measure runs on two stores side by
//! side, one in clear and one SQLCipher-encrypted, each action on one then on the other,
//! so the encryption's overhead is a ratio within the same moments of the run; last come
//! the times to unseal the data key with a PIN and with a passphrase. Everything prints
//! as one table per size.

use filrouge_model::RecordId;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use filrouge_core::vault::{DataKey, Protection, Vault};
use filrouge_core::{Env, Store};
use filrouge_model::records::RecordKind;
use filrouge_model::{Day, Stage};
use rusqlite::{Connection, params};

use crate::generate::{self, REFERENTS, Rng};
use crate::stats;

/// Samples taken for each latency figure.
const SAMPLES: usize = 300;

/// Cold opens of each store. Each takes under a millisecond, most of it the files'
/// creation and deletion (the WAL and its index) and the first reads: with 50, two
/// runs at 100,000 records put the encrypted store at 1.12× and 1.16× the store in
/// clear; the median of 500 (a few seconds, most of them plain SQLite counting rows)
/// holds still from run to run.
const COLD_OPENS: usize = 500;

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
///
/// The two stores are measured side by side, an action on one then the same action on
/// the other (creations, edits, cold opens), so that what drifts over the minutes a run
/// lasts (the disk's flushes, the machine's other work) weighs on both alike and the
/// ratio between them is the encryption's alone.
fn one_size(n: usize, dir: &Path) -> anyhow::Result<()> {
    let now = filrouge_core::Clock::now_ms(&filrouge_core::SystemClock);
    let mut sides = [
        Side::open(n, &dir.join("clear"), None)?,
        Side::open(n, &dir.join("encrypted"), Some(DataKey::random()?))?,
    ];
    create(n, now, &mut sides)?;
    edit(&mut sides, now)?;
    queries(&mut sides, now)?;
    cold_open(&mut sides, now)?;
    for side in &mut sides {
        rebuild_and_size(side, n)?;
    }
    print_table(n, &sides[0].rows, &sides[1].rows);
    print_unlock(dir)
}

/// Opens the store at `path`, encrypted with `key` if there is one.
fn open(path: &Path, key: Option<&DataKey>) -> anyhow::Result<Store> {
    Ok(match key {
        Some(key) => Store::open_encrypted(path, key, Env::default())?,
        None => Store::open(path, Env::default())?,
    })
}

/// One store under measure, with the plain SQLite file that takes the same rows. Each
/// side draws from its own generator with the same seed, so both make the same records
/// and ask the same queries, each naming its own store's persons.
struct Side {
    key: Option<DataKey>,
    store_path: PathBuf,
    plain_path: PathBuf,
    /// `None` while closed for the cold opens.
    store: Option<Store>,
    /// `None` while closed for the cold opens.
    plain: Option<Connection>,
    rng: Rng,
    persons: Vec<RecordId>,
    rows: Vec<Row>,
}

impl Side {
    fn open(n: usize, dir: &Path, key: Option<DataKey>) -> anyhow::Result<Side> {
        std::fs::create_dir_all(dir)?;
        let store_path = dir.join(filrouge_core::STORE_FILE);
        let plain_path = dir.join("plain.sqlite");
        Ok(Side {
            store: Some(open(&store_path, key.as_ref())?),
            plain: Some(plain_open(&plain_path)?),
            key,
            store_path,
            plain_path,
            rng: Rng::new(0x5EED ^ n as u64),
            persons: Vec::new(),
            rows: Vec::new(),
        })
    }

    fn store(&mut self) -> anyhow::Result<&mut Store> {
        self.store.as_mut().context("the store is closed")
    }

    /// Makes one record of `kind` in the store (timed into `ours`) and as a plain row
    /// (timed into `plain`).
    fn create_one(
        &mut self,
        kind: RecordKind,
        now: i64,
        ours: &mut Duration,
        plain: &mut Duration,
    ) -> anyhow::Result<()> {
        let (rng, persons) = (&mut self.rng, &self.persons);
        let store = self.store.as_mut().context("the store is closed")?;
        let (id, json) = match kind {
            RecordKind::Personne => {
                let p = generate::person(rng);
                let json = serde_json::to_string(&p)?;
                (timed(ours, || Ok(store.create_person(p)?))?, json)
            }
            RecordKind::Rencontre => {
                let r = generate::rencontre(rng, persons, now);
                let json = serde_json::to_string(&r)?;
                (timed(ours, || Ok(store.create_rencontre(r)?.id))?, json)
            }
            // An étape or a relance alone, as an import writes it (the app's stage
            // change also edits the person: that is the edit measured below).
            RecordKind::Etape => {
                let e = generate::etape(rng, persons, now);
                let json = serde_json::to_string(&e)?;
                (timed(ours, || one(store.import(vec![e])?))?, json)
            }
            RecordKind::Relance => {
                let r = generate::relance(rng, persons, now);
                let json = serde_json::to_string(&r)?;
                (timed(ours, || one(store.import(vec![r])?))?, json)
            }
            other => anyhow::bail!("the bench makes no {} records", other.code()),
        };
        let conn = self.plain.as_ref().context("the plain file is closed")?;
        timed(plain, || {
            Ok(conn.execute(
                "INSERT INTO records (id, kind, json, updated_at) VALUES (?1, ?2, ?3, ?4)",
                params![id.as_str(), kind.code(), json, now],
            )?)
        })?;
        if kind == RecordKind::Personne {
            self.persons.push(id);
        }
        Ok(())
    }
}

/// Times `work` into `total`.
fn timed<T>(total: &mut Duration, work: impl FnOnce() -> anyhow::Result<T>) -> anyhow::Result<T> {
    let t = Instant::now();
    let value = work()?;
    *total += t.elapsed();
    Ok(value)
}

/// Create: the same records in both stores and their plain files, one transaction per
/// record, each made on one side then on the other.
fn create(n: usize, now: i64, sides: &mut [Side; 2]) -> anyhow::Result<()> {
    let (n_persons, n_rencontres, n_etapes, n_relances) = generate::split(n);
    let kinds = [
        (RecordKind::Personne, n_persons),
        (RecordKind::Rencontre, n_rencontres),
        (RecordKind::Etape, n_etapes),
        (RecordKind::Relance, n_relances),
    ];
    let mut ours = [Duration::ZERO; 2];
    let mut plain = [Duration::ZERO; 2];
    for (kind, count) in kinds {
        for _ in 0..count {
            for (s, side) in sides.iter_mut().enumerate() {
                side.create_one(kind, now, &mut ours[s], &mut plain[s])?;
            }
        }
    }
    let per_s = |d: Duration| n as f64 / d.as_secs_f64();
    for (s, side) in sides.iter_mut().enumerate() {
        side.rows.push(row(
            "create+persist (records/s)",
            format!("{:.0}", per_s(ours[s])),
            ours[s].as_secs_f64(),
            Some(format!("{:.0}", per_s(plain[s]))),
            Some(ours[s].as_secs_f64() / plain[s].as_secs_f64()),
            "time ≤ 8× plain",
        ));
    }
    Ok(())
}

/// One edit + persist: change a person's stage, as the app does, on one side then on
/// the other. The app checkpoints the WAL in the background, not inside a user's edit:
/// that comes after, timed on its own.
fn edit(sides: &mut [Side; 2], now: i64) -> anyhow::Result<()> {
    let mut ours = [Vec::new(), Vec::new()];
    let mut base = [Vec::new(), Vec::new()];
    for i in 0..SAMPLES {
        for (s, side) in sides.iter_mut().enumerate() {
            let id = side.persons[side.rng.below(side.persons.len())].clone();
            let store = side.store()?;
            let mut p = store.person_view(&id)?.person;
            p.stage = Some(Stage::ALL[i % Stage::ALL.len()]);
            let json = serde_json::to_string(&p)?;
            let t = Instant::now();
            store.update_person(&id, p)?;
            ours[s].push(t.elapsed());
            let conn = side.plain.as_ref().context("the plain file is closed")?;
            let t = Instant::now();
            conn.execute(
                "UPDATE records SET json = ?2, updated_at = ?3 WHERE id = ?1",
                params![id.as_str(), json, now],
            )?;
            base[s].push(t.elapsed());
        }
    }
    for (s, side) in sides.iter_mut().enumerate() {
        let t = Instant::now();
        side.store()?.checkpoint()?;
        let checkpoint = t.elapsed();
        side.rows.push(pair_row(
            "one edit+persist p50",
            &mut ours[s],
            &mut base[s],
            50,
            "—",
        ));
        side.rows.push(pair_row(
            "one edit+persist p99",
            &mut ours[s],
            &mut base[s],
            99,
            "≤ 2 ms",
        ));
        side.rows.push(row(
            "background WAL checkpoint",
            ms(checkpoint),
            checkpoint.as_secs_f64(),
            None,
            None,
            "off the user's path",
        ));
    }
    Ok(())
}

/// `samples` times, `query` on one store then on the other; the times of each.
/// `query(store, rng, persons, i)` prepares what it asks outside the time it returns.
fn side_by_side(
    sides: &mut [Side; 2],
    samples: usize,
    mut query: impl FnMut(&Store, &mut Rng, &[RecordId], usize) -> anyhow::Result<Duration>,
) -> anyhow::Result<[Vec<Duration>; 2]> {
    let mut lat = [Vec::new(), Vec::new()];
    for i in 0..samples {
        for (s, side) in sides.iter_mut().enumerate() {
            let store = side.store.as_ref().context("the store is closed")?;
            lat[s].push(query(store, &mut side.rng, &side.persons, i)?);
        }
    }
    Ok(lat)
}

/// Times `work`, whose answer is kept from the optimizer.
fn time<T>(work: impl FnOnce() -> Result<T, filrouge_core::CoreError>) -> anyhow::Result<Duration> {
    let t = Instant::now();
    std::hint::black_box(work()?);
    Ok(t.elapsed())
}

/// Searches, today's relances, a month's counts and timelines, asked of both stores in
/// turn.
fn queries(sides: &mut [Side; 2], now: i64) -> anyhow::Result<()> {
    // Search as you type: prefixes of generated names, 1 to 4 characters.
    let mut search = side_by_side(sides, SAMPLES, |store, rng, _, _| {
        let name = generate::person(rng).pseudonym;
        let len = 1 + rng.below(4);
        let prefix: String = name.chars().take(len).collect();
        time(|| store.search_persons(&prefix, 20))
    })?;
    let today = Day::from_epoch_ms(now);
    let mut relances = side_by_side(sides, SAMPLES, |store, _, _, i| {
        time(|| store.relances_due(REFERENTS[i % REFERENTS.len()], today))
    })?;
    let month = 30 * 86_400_000_i64;
    let mut counts = side_by_side(sides, SAMPLES.min(60), |store, _, _, i| {
        let from = now - (i as i64 % 24 + 1) * month;
        time(|| store.period_counts(from, from + month))
    })?;
    let mut timelines = side_by_side(sides, SAMPLES, |store, rng, persons, _| {
        let id = &persons[rng.below(persons.len())];
        time(|| store.timeline(id))
    })?;
    for (s, side) in sides.iter_mut().enumerate() {
        let rows = &mut side.rows;
        rows.push(single_row(
            "search-as-you-type p50",
            &mut search[s],
            50,
            "—",
        ));
        rows.push(single_row(
            "search-as-you-type p99",
            &mut search[s],
            99,
            "≤ 20 ms",
        ));
        rows.push(single_row(
            "today's relances p99",
            &mut relances[s],
            99,
            "≤ 20 ms",
        ));
        rows.push(single_row(
            "a month's grouped counts p99",
            &mut counts[s],
            99,
            "≤ 20 ms",
        ));
        rows.push(single_row(
            "person timeline p99",
            &mut timelines[s],
            99,
            "≤ 20 ms",
        ));
    }
    Ok(())
}

/// Cold open: open the file and answer the first screen's query, on one side then on
/// the other, with every connection to the files closed in between.
fn cold_open(sides: &mut [Side; 2], now: i64) -> anyhow::Result<()> {
    for side in sides.iter_mut() {
        side.store = None;
        side.plain = None;
    }
    let mut ours = [Vec::new(), Vec::new()];
    let mut base = [Vec::new(), Vec::new()];
    for _ in 0..COLD_OPENS {
        for (s, side) in sides.iter().enumerate() {
            let t = Instant::now();
            let store = open(&side.store_path, side.key.as_ref())?;
            std::hint::black_box(store.list_rencontres_since(now - 86_400_000)?);
            ours[s].push(t.elapsed());
            drop(store);
            let t = Instant::now();
            let c = plain_open(&side.plain_path)?;
            let _: i64 = c.query_row(
                "SELECT COUNT(*) FROM records WHERE updated_at >= ?1",
                [now],
                |r| r.get(0),
            )?;
            base[s].push(t.elapsed());
        }
    }
    for (s, side) in sides.iter_mut().enumerate() {
        side.rows.push(pair_row(
            "cold open (median)",
            &mut ours[s],
            &mut base[s],
            50,
            "≤ 300 ms",
        ));
    }
    Ok(())
}

/// The full projection rebuild, then the files' size.
fn rebuild_and_size(side: &mut Side, n: usize) -> anyhow::Result<()> {
    let mut store = open(&side.store_path, side.key.as_ref())?;
    let t = Instant::now();
    let report = store.rebuild_projections()?;
    let rebuild = t.elapsed();
    side.rows.push(row(
        "full projection rebuild",
        format!("{:.2} s ({} docs)", rebuild.as_secs_f64(), report.documents),
        rebuild.as_secs_f64(),
        None,
        None,
        "≤ 5 s",
    ));
    drop(store);

    let ours_bytes = file_bytes(&side.store_path);
    let plain_bytes = file_bytes(&side.plain_path);
    side.rows.push(row(
        "bytes on disk per record",
        format!("{:.0}", ours_bytes as f64 / n as f64),
        ours_bytes as f64,
        Some(format!("{:.0}", plain_bytes as f64 / n as f64)),
        Some(ours_bytes as f64 / plain_bytes as f64),
        "≤ 2.5× plain",
    ));
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
