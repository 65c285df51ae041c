//! `GET /metrics`: what an operator's Prometheus scrapes, in its text format.
//!
//! Every answer is counted by route (the route's pattern, never the path a client
//! typed) and status, with its latency in a histogram; the middleware (`observe`)
//! wraps every route. At scrape time the storage is asked for each team's log head and
//! size and how recently its devices were seen. Teams appear by id only, devices only
//! as counts: no name, no record id, nothing a record says. The page has a listener of
//! its own (`filrouge serve --metrics-listen 127.0.0.1:9187`), never the devices'
//! address: behind a proxy on the same machine every client would look local.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::TeamServer;
use crate::error::ServerError;

/// Latency buckets (seconds): a phone on 2G waits up to seconds, a push on loopback
/// milliseconds.
const BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

const DAY_MS: i64 = 86_400_000;

/// The server's counters.
#[derive(Debug, Default)]
pub struct Metrics {
    routes: Mutex<BTreeMap<(String, u16), RouteStats>>,
    refused_changes: AtomicU64,
}

#[derive(Debug, Default, Clone)]
struct RouteStats {
    count: u64,
    seconds: f64,
    /// Answers at or under each of [`BUCKETS`].
    buckets: [u64; BUCKETS.len()],
}

impl Metrics {
    /// Counts one answer.
    fn observe(&self, route: &str, status: u16, seconds: f64) {
        let mut routes = self.routes.lock().unwrap_or_else(PoisonError::into_inner);
        let stats = routes.entry((route.to_owned(), status)).or_default();
        stats.count += 1;
        stats.seconds += seconds;
        for (bucket, le) in stats.buckets.iter_mut().zip(BUCKETS) {
            if seconds <= le {
                *bucket += 1;
            }
        }
    }

    /// Counts changes a push was refused for good (their record was erased).
    pub(crate) fn refused(&self, changes: usize) {
        self.refused_changes
            .fetch_add(changes as u64, Ordering::Relaxed);
    }
}

/// The middleware counting every answer of the router.
pub(crate) async fn observe(
    State(server): State<TeamServer>,
    request: Request,
    next: Next,
) -> Response {
    // Unmatched paths share one label, so a scanner cannot grow the page.
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let started = Instant::now();
    let response = next.run(request).await;
    server.metrics().observe(
        &route,
        response.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    response
}

impl TeamServer {
    /// The metrics page, in Prometheus's text format 0.0.4.
    pub fn metrics_text(&self) -> Result<String, ServerError> {
        let metrics = self.metrics();
        let routes = metrics
            .routes
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        let mut out = String::with_capacity(4096);
        // Writing to a String cannot fail.
        let mut line = |text: std::fmt::Arguments<'_>| {
            let _ = out.write_fmt(text);
            out.push('\n');
        };
        line(format_args!(
            "# HELP filrouge_requests_total Answers, by route and status."
        ));
        line(format_args!("# TYPE filrouge_requests_total counter"));
        for ((route, status), stats) in &routes {
            line(format_args!(
                "filrouge_requests_total{{route=\"{route}\",status=\"{status}\"}} {}",
                stats.count
            ));
        }
        line(format_args!(
            "# HELP filrouge_request_duration_seconds Time to answer, by route and status."
        ));
        line(format_args!(
            "# TYPE filrouge_request_duration_seconds histogram"
        ));
        for ((route, status), stats) in &routes {
            let labels = format!("route=\"{route}\",status=\"{status}\"");
            for (le, count) in BUCKETS.iter().zip(stats.buckets) {
                line(format_args!(
                    "filrouge_request_duration_seconds_bucket{{{labels},le=\"{le}\"}} {count}"
                ));
            }
            line(format_args!(
                "filrouge_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                stats.count
            ));
            line(format_args!(
                "filrouge_request_duration_seconds_sum{{{labels}}} {}",
                stats.seconds
            ));
            line(format_args!(
                "filrouge_request_duration_seconds_count{{{labels}}} {}",
                stats.count
            ));
        }
        let limited: u64 = routes
            .iter()
            .filter(|((_, status), _)| *status == 429)
            .map(|(_, s)| s.count)
            .sum();
        line(format_args!(
            "# HELP filrouge_rate_limited_total Answers 429 (rate limited)."
        ));
        line(format_args!("# TYPE filrouge_rate_limited_total counter"));
        line(format_args!("filrouge_rate_limited_total {limited}"));
        line(format_args!(
            "# HELP filrouge_refused_changes_total Pushed changes refused for good (erased records)."
        ));
        line(format_args!(
            "# TYPE filrouge_refused_changes_total counter"
        ));
        line(format_args!(
            "filrouge_refused_changes_total {}",
            metrics.refused_changes.load(Ordering::Relaxed)
        ));

        let teams = self.storage().teams()?;
        let now = self.now_ms();
        let mut heads = Vec::with_capacity(teams.len());
        for team in &teams {
            let head = self.storage().head(&team.id)?;
            let bytes = self.storage().log_bytes(&team.id)?;
            let seen = self.storage().devices(&team.id)?;
            let mut by_age = [0u64; 4];
            for device in seen.iter().filter(|d| d.revoked_at.is_none()) {
                let slot = match device.last_seen_at {
                    Some(at) if now - at <= DAY_MS => 0,
                    Some(at) if now - at <= 7 * DAY_MS => 1,
                    Some(_) => 2,
                    None => 3,
                };
                by_age[slot] += 1;
            }
            heads.push((team.id.clone(), head, bytes, by_age));
        }
        line(format_args!(
            "# HELP filrouge_log_head The highest sequence number of each team's log."
        ));
        line(format_args!("# TYPE filrouge_log_head gauge"));
        for (team, head, _, _) in &heads {
            line(format_args!("filrouge_log_head{{team=\"{team}\"}} {head}"));
        }
        line(format_args!(
            "# HELP filrouge_log_bytes The bytes of each team's stored changes."
        ));
        line(format_args!("# TYPE filrouge_log_bytes gauge"));
        for (team, _, bytes, _) in &heads {
            line(format_args!(
                "filrouge_log_bytes{{team=\"{team}\"}} {bytes}"
            ));
        }
        line(format_args!(
            "# HELP filrouge_devices Devices not revoked, by when the server last saw them."
        ));
        line(format_args!("# TYPE filrouge_devices gauge"));
        for (team, _, _, by_age) in &heads {
            for (seen, count) in ["day", "week", "older", "never"].iter().zip(by_age) {
                line(format_args!(
                    "filrouge_devices{{team=\"{team}\",last_seen=\"{seen}\"}} {count}"
                ));
            }
        }
        Ok(out)
    }
}
