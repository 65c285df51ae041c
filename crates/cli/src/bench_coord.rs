//! `filrouge bench coord`: the coordination space at scale, on a store of `records`
//! records made by `filrouge generate` (100,000 by default).
//!
//! Measured, each beside a same-run baseline where one exists:
//! - the dashboard of last month (p50 / p99 over many reads), beside plain SQLite
//!   counting the month's rencontres by channel on the same file (the simplest figure);
//! - a year's funder table (the default indicators, quarters and total);
//! - the data-quality checks and the retention's expired persons, beside plain SQLite
//!   grouping each person's last rencontre;
//! - an XLSX export of 100,000 rows × 20 columns, beside the same rows as CSV, with the
//!   process's peak memory (`VmHWM`) taken before anything else is loaded;
//! - an import of 10,000 rencontre rows from CSV into the big store, beside plain SQLite
//!   inserting the same rows as JSON in one transaction;
//! - the duplicate finder on its own store of 30,000 persons and 1,000 injected variants
//!   (`bench_dups.rs`): recall and precision, the full scan and its pair comparisons
//!   beside plain SQLite reading the same rows, one new-person check beside the person
//!   search.

use std::path::Path;
use std::time::{Duration, Instant};

use filrouge_core::export::{Column, Parameters, Table, Value, csv, xlsx};
use filrouge_core::{Clock, Env, STORE_FILE, Store, SystemClock};
use filrouge_model::Day;
use filrouge_model::dashboard::{Period, PeriodKind};
use filrouge_model::import::{ImportKind, ImportMapping};
use filrouge_model::indicators::{DEFAULT_SET, IndicatorSet};

use crate::stats::percentile;

/// Rows × columns of the export measured.
const EXPORT_ROWS: usize = 100_000;
const EXPORT_COLUMNS: usize = 20;
/// Rows of the import measured.
const IMPORT_ROWS: usize = 10_000;

/// The process's peak resident memory so far, in MiB (Linux's `VmHWM`).
fn peak_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Runs `f` `n` times and answers its p50 and p99.
fn timed(n: usize, mut f: impl FnMut() -> anyhow::Result<()>) -> anyhow::Result<(f64, f64)> {
    let mut samples = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        f()?;
        samples.push(t.elapsed());
    }
    let p50 = percentile(&mut samples, 50).unwrap_or_default();
    let p99 = percentile(&mut samples, 99).unwrap_or_default();
    Ok((ms(p50), ms(p99)))
}

/// Runs the benchmark in a scratch directory under `dir`.
/// With `duplicates_only`, only the duplicate finder is measured.
pub fn run(records: usize, dir: &Path, duplicates_only: bool) -> anyhow::Result<()> {
    println!("filrouge bench coord — release build expected; this machine");
    let scratch = dir.join("bench-coord");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch)?;
    let result = if duplicates_only {
        crate::bench_dups::measure(&scratch).and_then(|d| {
            print_duplicates(&d);
            let conflicts = scratch.join("conflicts");
            std::fs::create_dir_all(&conflicts)?;
            print_conflicts(&crate::bench_conflicts::measure(&conflicts)?);
            Ok(())
        })
    } else {
        measure(records, &scratch)
    };
    let _ = std::fs::remove_dir_all(&scratch);
    result
}

fn measure(records: usize, dir: &Path) -> anyhow::Result<()> {
    let now = SystemClock.now_ms();
    // The export first, before the store is loaded: its peak memory is its own.
    let table = synthetic(EXPORT_ROWS, EXPORT_COLUMNS, now);
    let params = Parameters {
        what: "bench".into(),
        period: Period::containing(PeriodKind::Year, Day::from_epoch_ms(now)),
        at: now,
        by: None,
        personal: false,
    };
    let before = peak_mib();
    let t = Instant::now();
    xlsx::write(
        &dir.join("export.xlsx"),
        std::slice::from_ref(&table),
        &params,
    )?;
    let xlsx_time = t.elapsed();
    let peak = peak_mib();
    let t = Instant::now();
    csv::write(&dir.join("export.csv"), &table)?;
    let csv_time = t.elapsed();
    let size = std::fs::metadata(dir.join("export.xlsx"))?.len();
    drop(table);

    let data = dir.join("store");
    std::fs::create_dir_all(&data)?;
    crate::fill::run(records, &data, 7)?;
    let mut store = Store::open(&data.join(STORE_FILE), Env::default())?;
    let today = Day::from_epoch_ms(now);
    // Last month: a whole one (this one may have just begun).
    let month = Period::containing(PeriodKind::Month, today).previous();
    let year = Period::containing(PeriodKind::Year, today);
    let month_rencontres = store.figures(month)?.rencontres;
    let (dash50, dash99) = timed(50, || {
        store.dashboard(month, today)?;
        Ok(())
    })?;
    let (from, to) = month.bounds_ms();
    let conn = rusqlite::Connection::open(data.join(STORE_FILE))?;
    let (plain50, plain99) = timed(50, || {
        let mut stmt = conn.prepare_cached(
            "SELECT channel, COUNT(*) FROM rencontres
              WHERE occurred_at >= ?1 AND occurred_at < ?2 GROUP BY channel",
        )?;
        let n: usize = stmt.query_map([from, to], |_| Ok(()))?.count();
        anyhow::ensure!(n > 0, "the month has rencontres");
        Ok(())
    })?;
    let set = IndicatorSet::parse(DEFAULT_SET)?;
    let (funder50, funder99) = timed(10, || {
        store.funder_table(&set, year, true)?;
        Ok(())
    })?;
    // The data-quality checks (the retention warning among them) and the retention's
    // expired persons, beside plain SQLite grouping each person's last rencontre.
    let (quality50, quality99) = timed(20, || {
        store.data_quality(today)?;
        Ok(())
    })?;
    let (expired50, expired99) = timed(20, || {
        store.expired_persons(today)?;
        Ok(())
    })?;
    let (last50, _) = timed(20, || {
        let mut stmt = conn.prepare_cached(
            "SELECT person_id, max(occurred_at) FROM rencontre_persons GROUP BY person_id",
        )?;
        let n: usize = stmt.query_map([], |_| Ok(()))?.count();
        anyhow::ensure!(n > 0, "persons were met");
        Ok(())
    })?;

    // The import: 10,000 rencontre rows of this year, as a team's CSV holds them.
    let mut text = String::from("Date;Canal;Lieu;Nombre;Intervenant;Note\n");
    for i in 0..IMPORT_ROWS {
        let day = Day::from_epoch_ms(now - (i as i64 % 300) * 86_400_000);
        let (y, m, d) = day.ymd();
        text.push_str(&format!(
            "{d:02}/{m:02}/{y} {:02}:{:02};Maraude;Lieu {i};{};Karim;Note de la ligne {i}\n",
            i % 24,
            i % 60,
            i % 7 + 1
        ));
    }
    let t = Instant::now();
    let sheet = filrouge_core::import::read(text.as_bytes())?;
    let mapping = ImportMapping::suggest(ImportKind::Rencontres, &sheet.headers);
    let report = store.import_sheet(&sheet, &mapping, true)?;
    let import_time = t.elapsed();
    anyhow::ensure!(
        report.created == IMPORT_ROWS as u64,
        "imported {} of {IMPORT_ROWS}: {:?}",
        report.created,
        report.refused.first()
    );
    let plain = rusqlite::Connection::open(dir.join("plain.sqlite"))?;
    plain.execute_batch("CREATE TABLE rows (id INTEGER PRIMARY KEY, json TEXT NOT NULL)")?;
    let t = Instant::now();
    let tx = plain.unchecked_transaction()?;
    for row in &sheet.rows {
        tx.execute(
            "INSERT INTO rows (json) VALUES (?1)",
            [serde_json::to_string(row)?],
        )?;
    }
    tx.commit()?;
    let plain_import = t.elapsed();
    drop(store);

    let dups_dir = dir.join("duplicates");
    std::fs::create_dir_all(&dups_dir)?;
    let dups = crate::bench_dups::measure(&dups_dir)?;
    let conflicts_dir = dir.join("conflicts");
    std::fs::create_dir_all(&conflicts_dir)?;
    let conflicts = crate::bench_conflicts::measure(&conflicts_dir)?;

    println!();
    println!("{records} records in the store; last month: {month_rencontres} rencontres");
    println!(
        "{:<44} {:>14} {:>14} {:>9}  target",
        "measure", "ours", "baseline", "ratio"
    );
    let line = |what: &str, ours: String, base: String, ratio: String, target: &str| {
        println!("{what:<44} {ours:>14} {base:>14} {ratio:>9}  {target}");
    };
    line(
        "dashboard of a month p50 / plain count",
        format!("{dash50:.1} ms"),
        format!("{plain50:.2} ms"),
        format!("{:.0}×", dash50 / plain50.max(0.001)),
        "",
    );
    line(
        "data-quality checks p50 / last rencontres",
        format!("{quality50:.1} ms"),
        format!("{last50:.1} ms"),
        format!("{:.1}×", quality50 / last50.max(0.001)),
        &format!("p99 {quality99:.1} ms"),
    );
    line(
        "retention: expired persons p50 / last rencontres",
        format!("{expired50:.1} ms"),
        format!("{last50:.1} ms"),
        format!("{:.1}×", expired50 / last50.max(0.001)),
        &format!("p99 {expired99:.1} ms"),
    );
    line(
        "dashboard of a month p99 / plain count",
        format!("{dash99:.1} ms"),
        format!("{plain99:.2} ms"),
        format!("{:.0}×", dash99 / plain99.max(0.001)),
        "≤ 100 ms",
    );
    line(
        "funder's table of a year p50",
        format!("{funder50:.1} ms"),
        "—".into(),
        "—".into(),
        "",
    );
    line(
        "funder's table of a year p99",
        format!("{funder99:.1} ms"),
        "—".into(),
        "—".into(),
        "≤ 300 ms",
    );
    line(
        &format!("XLSX export {EXPORT_ROWS} × {EXPORT_COLUMNS} / CSV"),
        format!("{:.2} s", xlsx_time.as_secs_f64()),
        format!("{:.2} s", csv_time.as_secs_f64()),
        format!(
            "{:.1}×",
            xlsx_time.as_secs_f64() / csv_time.as_secs_f64().max(1e-9)
        ),
        "≤ 5 s",
    );
    line(
        "  its peak memory (VmHWM before → after)",
        format!("{:.0} MiB", peak.unwrap_or(0.0)),
        format!("{:.0} MiB", before.unwrap_or(0.0)),
        "—".into(),
        "≤ 300 MB",
    );
    line(
        "  its file",
        format!("{:.1} MB", size as f64 / 1e6),
        "—".into(),
        "—".into(),
        "",
    );
    line(
        &format!("import of {IMPORT_ROWS} rows / plain inserts"),
        format!("{:.2} s", import_time.as_secs_f64()),
        format!("{:.3} s", plain_import.as_secs_f64()),
        format!(
            "{:.0}×",
            import_time.as_secs_f64() / plain_import.as_secs_f64().max(1e-9)
        ),
        "≤ 10 s",
    );
    print_duplicates(&dups);
    print_conflicts(&conflicts);
    Ok(())
}

/// The conflicts queue's figures.
fn print_conflicts(c: &crate::bench_conflicts::Figures) {
    println!();
    row(
        &format!("conflicts queue of {} p50 / plain read", c.listed),
        format!("{:.1} ms", c.list_p50_ms),
        format!("{:.2} ms", c.plain_ms),
        format!("{:.0}×", c.list_p50_ms / c.plain_ms.max(0.001)),
        "",
    );
    row(
        "  slowest list",
        format!("{:.1} ms", c.list_max_ms),
        "—".into(),
        "—".into(),
        "≤ 100 ms",
    );
}

/// One line of the coordination table: what, ours, the baseline, their ratio, the
/// target.
fn row(what: &str, ours: String, base: String, ratio: String, target: &str) {
    println!("{what:<52} {ours:>12} {base:>12} {ratio:>8}  {target}");
}

/// The duplicate finder's figures, as lines of the table.
fn print_duplicates(d: &crate::bench_dups::Figures) {
    println!();
    println!(
        "duplicates: {} persons ({} distinct + {} injected variants), {} pairs compared \
         (all pairs would be {}), {} proposed",
        d.persons,
        crate::bench_dups::PERSONS,
        crate::bench_dups::VARIANTS,
        d.comparisons,
        u64::from(d.persons) * u64::from(d.persons.saturating_sub(1)) / 2,
        d.proposed,
    );
    row(
        "duplicates: recall of the injected pairs",
        format!("{:.3}", d.recall),
        "—".into(),
        "—".into(),
        "≥ 0.95",
    );
    row(
        "duplicates: precision of the proposed pairs",
        format!("{:.3}", d.precision),
        "—".into(),
        "—".into(),
        "≥ 0.80",
    );
    row(
        "duplicates: pairs compared",
        format!("{}", d.comparisons),
        "—".into(),
        "—".into(),
        "≤ 3,000,000",
    );
    row(
        "duplicates: full scan (median, max of 3) / plain read",
        format!("{:.0} ms", d.scan_p50_ms),
        format!("{:.1} ms", d.plain_read_ms),
        format!("{:.0}×", d.scan_p50_ms / d.plain_read_ms.max(0.001)),
        "≤ 1,500 ms",
    );
    row(
        "  slowest scan",
        format!("{:.0} ms", d.scan_max_ms),
        "—".into(),
        "—".into(),
        "",
    );
    row(
        "one new-person check p50 / person search",
        format!("{:.2} ms", d.check_p50_ms),
        format!("{:.2} ms", d.search_p50_ms),
        format!("{:.1}×", d.check_p50_ms / d.search_p50_ms.max(0.001)),
        "",
    );
    row(
        "one new-person check p99",
        format!("{:.2} ms", d.check_p99_ms),
        "—".into(),
        "—".into(),
        "≤ 10 ms",
    );
    let m = &d.merge;
    row(
        &format!(
            "merge of a person met {} times p50 / plain update",
            crate::bench_merge::RENCONTRES
        ),
        format!("{:.1} ms", m.merge_p50_ms),
        format!("{:.2} ms", m.plain_ms),
        format!("{:.0}×", m.merge_p50_ms / m.plain_ms.max(0.001)),
        "",
    );
    row(
        "  slowest merge",
        format!("{:.1} ms", m.merge_max_ms),
        "—".into(),
        "—".into(),
        "≤ 100 ms",
    );
    row(
        "  its undo p50 (slowest)",
        format!("{:.1} ms", m.undo_p50_ms),
        format!("({:.1} ms)", m.undo_max_ms),
        "—".into(),
        "",
    );
}

/// `rows` rows of `columns` cells: texts, numbers, days and instants in turn.
fn synthetic(rows: usize, columns: usize, now: i64) -> Table {
    let columns_def = (0..columns)
        .map(|c| Column {
            title: format!("Colonne {c}"),
            definition: "colonne de mesure",
        })
        .collect();
    let rows = (0..rows)
        .map(|r| {
            (0..columns)
                .map(|c| match c % 4 {
                    0 => Value::Text(format!("Texte {r} de la colonne {c}")),
                    1 => Value::Number((r * c) as i64),
                    2 => Value::Day(Day::from_epoch_ms(now - (r as i64 % 700) * 86_400_000)),
                    _ => Value::Time(now - r as i64 * 60_000),
                })
                .collect()
        })
        .collect();
    Table {
        name: "Rencontres",
        columns: columns_def,
        rows,
    }
}
