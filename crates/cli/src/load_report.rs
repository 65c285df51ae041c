//! The closing table of `filrouge bench load`: each backend's ingest and p99 side by
//! side, PostgreSQL's ingest over SQLite's against the targets (half of it for
//! one team, 80% for many), and sealed over clear; and the formatting both tables use.

use std::time::Duration;

use crate::bench_load::{Options, P99_TARGET};
use crate::load_servers::Backend;

/// What one run measured.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Measured {
    /// Changes ingested per second.
    pub ingest: f64,
    /// All requests' p99 latency.
    pub p99: Option<Duration>,
}

/// The backends side by side: ingest and p99 for each, PostgreSQL's ingest over
/// SQLite's, and sealed over clear.
pub(crate) fn print_summary(options: &Options, summary: &[(String, Backend, Measured)]) {
    println!();
    println!(
        "{:<42}{:>16}{:>16}   target",
        "side by side (same pages, same duration)", "changes/s", "p99"
    );
    for (what, backend, m) in summary {
        let servers = if *backend == Backend::Postgres {
            options.servers.max(1)
        } else {
            1
        };
        println!(
            "{:<42}{:>16}{:>16}   ≤ {} ms: {}",
            format!("{backend} ×{servers}, {what}, {} team(s)", options.teams),
            format!("{:.0}", m.ingest),
            ms(m.p99),
            P99_TARGET.as_millis(),
            verdict(m.p99.is_some_and(|p| p <= P99_TARGET))
        );
    }
    let find = |what: &str, backend| {
        summary
            .iter()
            .find(|(w, b, _)| w == what && *b == backend)
            .map(|(_, _, m)| m.ingest)
    };
    // The targets: half of SQLite's ingest for one team, 80% with many teams,
    // where the teams' logs no longer share one counter row.
    let target = if options.teams > 1 { 80.0 } else { 50.0 };
    for what in ["clear", "sealed"] {
        if let (Some(sqlite), Some(pg)) =
            (find(what, Backend::Sqlite), find(what, Backend::Postgres))
        {
            let ratio = 100.0 * pg / sqlite.max(1e-9);
            println!(
                "{:<42}{:>16}   ≥ {target:.0}%: {}",
                format!("PostgreSQL ÷ SQLite ingest, {what}"),
                format!("{ratio:.0}%"),
                verdict(ratio >= target)
            );
        }
    }
    for &backend in &options.backends {
        if let (Some(clear), Some(sealed)) = (find("clear", backend), find("sealed", backend)) {
            let ratio = 100.0 * sealed / clear.max(1e-9);
            println!(
                "{:<42}{:>16}   ≥ 80%: {}",
                format!("{backend}: sealed ÷ clear ingest"),
                format!("{ratio:.0}%"),
                verdict(ratio >= 80.0)
            );
        }
    }
}

pub(crate) fn ms(d: Option<Duration>) -> String {
    d.map_or_else(
        || "—".into(),
        |d| format!("{:.1} ms", d.as_secs_f64() * 1000.0),
    )
}

pub(crate) fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "MISSED" }
}
