//! `filrouge bench load`: the team server under a whole team syncing at once.
//!
//! A real team server runs on a free loopback port (see `loopback.rs`) on its SQLite
//! file (or several on PostgreSQL, below), its per-device rate limit on. 200 devices (by default) are enrolled the way
//! phones are (an operator's code traded for a token over HTTP), each with its own
//! token, on its own OS thread. Devices have no store: their changes, real Automerge
//! changes with their true hashes, are made before the clock starts
//! (`load_changes.rs`), so a device costs the machine only its HTTP requests.
//!
//! Every device runs a closed loop, starting spread over the first second: push its
//! next page (mostly 1–20 changes, now and then a backlog of 200–500), then pull "after
//! my cursor" with the app's page budget until `more` is false, then again at once. A
//! 429 makes the device wait a second (the least the server's `Retry-After` ever says)
//! and try again; a connection failure or a 5xx waits 100 ms; both are counted, and any
//! other failure stops the device and fails the run. The first 5 seconds are a warm-up
//! ([`WARM_UP`]), then `seconds` (60 by default) are measured: every answered request
//! sent in them has its latency kept (waits excluded), and percentiles are exact, from
//! the sorted samples. Ingest is the changes acknowledged to pushes sent in that time,
//! over the time from its start to the last device's end (requests in flight at the end
//! finish and count).
//!
//! Pulls are the bulk of the work, on purpose. Every device receives everybody's changes,
//! so the server sends about as many changes as there are devices for each one it takes
//! in, and the faster the team pushes, the bigger each pull: in a closed loop every pull
//! carries the other devices' last pages, about a megabyte. That is what keeping 200
//! phones up to date costs, so it is measured as it is rather than trimmed (a pull budget
//! below the app's, or pulling less often than pushing, would set the result by choice of
//! a knob). The figures therefore say how much a team can push while the server keeps
//! every device current, not how fast the server alone can write.
//!
//! A phone compresses its pushes and decodes its pulls on its own processor, so the
//! simulated devices, which share the server's two cores, send push bodies made before
//! the clock starts and read only each pulled page's head (`load_device.rs`); the first
//! device syncs with the app's own transport, decoding and hashing every change, and
//! after the run a fresh device pulls the whole log that way and checks that it holds
//! every acknowledged change exactly once (`check_log`). Both the server and the
//! baseline wait on `fsync`, whose time depends on what else the disk is doing.
//!
//! `--backend sqlite,postgres` runs the same prepared pages for the same time on each
//! backend in turn, and prints them side by side; `--servers N` puts N servers on the
//! PostgreSQL database (each with its own connections, cache and limits, as separate
//! processes), the devices spread over them, and `--teams N` spreads the devices over N
//! teams (`load_servers.rs`). Each run's log check pulls every team's log through the
//! last server.
//!
//! The baseline, in the same run after the load: plain SQLite with the server storage's
//! pragmas (WAL, `synchronous=FULL`, foreign keys, secure delete), a table like the
//! server's `changes` (team, seq, hash, record id, kind, bytes; unique hash per team),
//! the pushed pages inserted again, one transaction each, single-threaded.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use filrouge_core::e2e::{Keyring, TeamKey};
use filrouge_core::sync::{HttpTransport, PushBody, Transport as _, TransportError};
use filrouge_model::sync::{
    API_VERSION, BATCH_KIND, ChangeBlob, MAX_PULL_BYTES, PullQuery, PushRequest, read_batch_header,
};
use rusqlite::{Connection, TransactionBehavior, params};
use sha2::{Digest as _, Sha256};

use crate::load_changes::{self, Page};
use crate::load_device::LightDevice;
use crate::load_report::{Measured, ms, print_summary, verdict};
use crate::load_servers::{Backend, Servers};
use crate::loopback::LocalServer;
use crate::stats::percentile;

/// How long a device waits after a 429. The server's `Retry-After` is a whole number of
/// seconds, never less than one, and a phone honours it; the transport does not pass
/// the header on, so the bench waits the least the server ever asks.
const RATE_LIMITED_WAIT: Duration = Duration::from_secs(1);
/// How long a device waits after a transient failure (connection cut, 5xx).
const TRANSIENT_WAIT: Duration = Duration::from_millis(100);
/// Devices start spread over this, so they do not all hit the server in the same
/// millisecond (phones never do).
const STAGGER: Duration = Duration::from_secs(1);
/// The first seconds, not counted: 200 devices connecting, each catching up with what
/// the others pushed before it started, and the server's caches filling. What is
/// measured is a team syncing, not a team being switched on; the table still shows the
/// warm-up's slowest requests.
const WARM_UP: Duration = Duration::from_secs(5);
/// The latency target for all requests, p99.
pub(crate) const P99_TARGET: Duration = Duration::from_millis(500);
/// The ingest target: changes/s ingested over plain SQLite's rows/s, in percent.
const INGEST_TARGET_PERCENT: f64 = 25.0;
/// Byte budget of a pull page: what the app's sync engine asks for.
const PULL_BUDGET: Option<u64> = Some(MAX_PULL_BYTES);

/// What `filrouge bench load` runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// Devices syncing at once.
    pub devices: usize,
    /// Seconds measured, after the warm-up.
    pub seconds: u64,
    /// Runs everything again with every device sealing its changes.
    pub sealed: bool,
    /// The backends, run one after the other on the same prepared pages.
    pub backends: Vec<Backend>,
    /// Server processes' worth of servers on PostgreSQL (SQLite has one).
    pub servers: usize,
    /// Teams the devices are spread over.
    pub teams: usize,
    /// The PostgreSQL cluster to make the scratch database on.
    pub postgres: Option<String>,
    /// Where the scratch directory goes.
    pub dir: std::path::PathBuf,
}

/// Runs the benchmark: the pages prepared once, then each backend in turn on them (and
/// again sealed, with `--sealed`); the backends' figures side by side at the end.
pub fn run(options: &Options) -> anyhow::Result<()> {
    let Options {
        devices,
        seconds,
        teams,
        ..
    } = *options;
    anyhow::ensure!(
        devices > 0 && seconds > 0,
        "devices and seconds must be > 0"
    );
    anyhow::ensure!(
        (1..=devices).contains(&teams),
        "teams must be between 1 and the number of devices"
    );
    anyhow::ensure!(!options.backends.is_empty(), "no backend to run");
    println!("filrouge bench load — release build expected; loopback, this machine");
    let scratch = options.dir.join("bench-load");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch)?;
    let result = run_in(options, &scratch);
    let _ = std::fs::remove_dir_all(&scratch);
    result
}

fn run_in(options: &Options, scratch: &Path) -> anyhow::Result<()> {
    let cluster = options
        .postgres
        .clone()
        .or_else(|| std::env::var(filrouge_server::storage::postgres::CLUSTER_VAR).ok());
    let mut rings = vec![None];
    if options.sealed {
        rings.push(Some(Keyring::with(1, TeamKey::random()?)));
    }
    let mut summary: Vec<(String, Backend, Measured)> = Vec::new();
    for ring in &rings {
        let what = if ring.is_some() { "sealed" } else { "clear" };
        let plans = prepare(options.devices, options.seconds, ring.as_ref())?;
        for &backend in &options.backends {
            let servers = match backend {
                Backend::Sqlite => 1,
                Backend::Postgres => options.servers.max(1),
            };
            println!();
            println!(
                "— {backend}, {servers} server(s), {} team(s), changes in {what}",
                options.teams
            );
            let dir = scratch.join(format!("{what}-{backend}"));
            std::fs::create_dir_all(&dir)?;
            let cluster_used = cluster.as_deref().filter(|_| backend == Backend::Postgres);
            let servers = Servers::start(backend, &dir, servers, options.teams, cluster_used)?;
            let measured = measure(
                options.devices,
                options.seconds,
                &servers,
                &plans,
                &dir,
                ring.is_some(),
            )?;
            // The next backend must not pay for this one: its servers stopped and its
            // files deleted (their pages not yet written back are dropped, not written
            // to disk during the next run).
            drop(servers);
            std::fs::remove_dir_all(&dir)?;
            summary.push((what.to_owned(), backend, measured));
        }
    }
    print_summary(options, &summary);
    Ok(())
}

/// Each device's pages and the bodies the app would send for them, made before any
/// clock starts.
fn prepare(
    devices: usize,
    seconds: u64,
    ring: Option<&Keyring>,
) -> anyhow::Result<Vec<Vec<Prepared>>> {
    let t = Instant::now();
    let plans = load_changes::plans(devices, load_changes::pages_for(seconds), ring)?;
    let prepared: u64 = plans.iter().flatten().map(|page| changes_in(page)).sum();
    let plans = plans
        .into_iter()
        .map(|plan| {
            plan.into_iter()
                .map(|changes| {
                    let request = PushRequest {
                        api_version: API_VERSION,
                        changes,
                    };
                    PushBody::of(&request).map(|body| (request, body))
                })
                .collect::<Result<Vec<_>, _>>()
        })
        .collect::<Result<Vec<_>, _>>()?;
    println!(
        "{devices} devices' pages: {prepared} changes prepared in {:.1?}",
        t.elapsed()
    );
    Ok(plans)
}

/// One run on `servers`; returns what it measured.
fn measure(
    devices: usize,
    seconds: u64,
    servers: &Servers,
    plans: &[Vec<Prepared>],
    scratch: &Path,
    sealed: bool,
) -> anyhow::Result<Measured> {
    let mut transports = Vec::with_capacity(devices);
    let mut teams = Vec::with_capacity(devices);
    for i in 0..devices {
        let team = servers.team_of(i, devices);
        let server = servers.server_of(i);
        let enrolment = servers
            .enrol(server, team, &format!("Téléphone {}", i + 1))
            .with_context(|| format!("enrolling device {}", i + 1))?;
        // The first device is the app's transport; the others send ready-made pushes
        // and read only the pulled pages' heads (see `load_device.rs`).
        transports.push(if i == 0 {
            Device::App(HttpTransport::new(&server.url, &enrolment.token)?)
        } else {
            Device::Light(LightDevice::new(&server.url, &enrolment.token)?)
        });
        teams.push(team);
    }
    let load = drive(transports, plans.to_vec(), Duration::from_secs(seconds));
    let mut held = 0;
    for (team, _) in servers.teams.iter().enumerate() {
        let tallies: Vec<&Tally> = load
            .tallies
            .iter()
            .zip(&teams)
            .filter(|(_, t)| **t == team)
            .map(|(tally, _)| tally)
            .collect();
        // Read through the last server: the others wrote most of what it serves.
        let last = &servers.servers[servers.servers.len() - 1];
        held += check_log(servers, last, team, &tallies)?;
    }
    let baseline = baseline(&scratch.join("plain.sqlite"), &load.tallies)?;
    let failures: Vec<&String> = load
        .tallies
        .iter()
        .filter_map(|t| t.errors.failure.as_ref())
        .collect();
    let p99 = print_table(devices, &load, baseline);
    if sealed {
        println!("(sealed: plain SQLite inserts the same batches, a row each)");
    }
    println!(
        "log check: a fresh device per team pulled {held} entries in all, each acknowledged one once"
    );
    if let Some(first) = failures.first() {
        anyhow::bail!("{} device(s) failed; first: {first}", failures.len());
    }
    let ingested: u64 = load.tallies.iter().map(|t| t.acknowledged).sum();
    Ok(Measured {
        ingest: ingested as f64 / load.wall.as_secs_f64(),
        p99,
    })
}

/// The changes a pushed page holds: a sealed batch counts those its header lists.
fn changes_in(page: &[ChangeBlob]) -> u64 {
    page.iter()
        .map(|c| match read_batch_header(&c.data) {
            Ok(header) if c.kind == BATCH_KIND => header.members.len() as u64,
            _ => 1,
        })
        .sum()
}

/// A simulated device.
enum Device {
    /// The app's transport: every push compressed, every pulled change decoded and
    /// hashed.
    App(HttpTransport),
    /// Ready-made pushes; only the pulled pages' heads read.
    Light(LightDevice),
}

/// A page to push, with the body the app would send for it.
type Prepared = (PushRequest, PushBody);

/// What one device did.
#[derive(Default)]
struct Tally {
    push_latencies: Vec<Duration>,
    pull_latencies: Vec<Duration>,
    /// Requests sent during the warm-up (not in the figures above).
    warm_up_latencies: Vec<Duration>,
    /// The pages the server acknowledged, in order: the baseline inserts them again.
    pushed: Vec<Page>,
    /// Changes acknowledged to pushes sent after the warm-up.
    acknowledged: u64,
    pulled: u64,
    /// Compressed bytes of the pulled pages (devices reading heads only).
    pulled_wire_bytes: u64,
    errors: Errors,
    /// It pushed every page prepared for it before the end (the figures are then a
    /// lower bound: prepare more pages).
    ran_dry: bool,
}

/// Failed requests of one device.
#[derive(Default)]
struct Errors {
    /// 429 answers (rate limited).
    rate_limited: u64,
    /// Transient failures retried: connection trouble, 5xx.
    transient: u64,
    /// A failure that stopped the device (anything else).
    failure: Option<String>,
}

/// The whole run.
struct Load {
    tallies: Vec<Tally>,
    /// From the end of the warm-up to the last device's end.
    wall: Duration,
}

/// When a device's requests count, and when it stops.
#[derive(Clone, Copy)]
struct Window {
    /// Requests sent from here on are measured.
    from: Instant,
    /// No request is sent after this.
    deadline: Instant,
}

/// Runs every device on its own thread for the warm-up then `length`; requests in
/// flight at the end finish and count.
fn drive(transports: Vec<Device>, plans: Vec<Vec<Prepared>>, length: Duration) -> Load {
    // Time to spawn every thread before the first one starts.
    let epoch = Instant::now() + Duration::from_millis(200);
    let window = Window {
        from: epoch + WARM_UP,
        deadline: epoch + WARM_UP + length,
    };
    let count = transports.len() as u32;
    let tallies = std::thread::scope(|scope| {
        let handles: Vec<_> = transports
            .into_iter()
            .zip(plans)
            .zip(0u32..)
            .map(|((transport, plan), i)| {
                let start = epoch + STAGGER * i / count;
                scope.spawn(move || play(transport, plan, start, window))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| Tally {
                    errors: Errors {
                        failure: Some("device thread panicked".into()),
                        ..Errors::default()
                    },
                    ..Tally::default()
                })
            })
            .collect()
    });
    Load {
        tallies,
        wall: window.from.elapsed(),
    }
}

/// One device's closed loop: push the next page, pull until up to date, again.
fn play(mut device: Device, plan: Vec<Prepared>, start: Instant, window: Window) -> Tally {
    let deadline = window.deadline;
    std::thread::sleep(start.saturating_duration_since(Instant::now()));
    let mut tally = Tally::default();
    let mut cursor = 0;
    let mut plan = plan.into_iter();
    'run: while Instant::now() < deadline {
        let Some((request, body)) = plan.next() else {
            tally.ran_dry = true;
            break;
        };
        let measured = Instant::now() >= window.from;
        let Some(answer) = attempt(
            &mut tally.errors,
            if measured {
                &mut tally.push_latencies
            } else {
                &mut tally.warm_up_latencies
            },
            deadline,
            || match &mut device {
                Device::App(transport) => transport.push(&request),
                Device::Light(light) => light.push(&body),
            },
        ) else {
            break;
        };
        if answer.acknowledged.len() != request.changes.len() {
            tally.errors.failure = Some(format!(
                "push of {} changes acknowledged {}",
                request.changes.len(),
                answer.acknowledged.len()
            ));
            break;
        }
        if measured {
            tally.acknowledged += changes_in(&request.changes);
        }
        tally.pushed.push(request.changes);
        loop {
            let query = PullQuery {
                api_version: API_VERSION,
                after: cursor,
                max_bytes: PULL_BUDGET,
            };
            let measured = Instant::now() >= window.from;
            let Some((count, next, more, wire)) = attempt(
                &mut tally.errors,
                if measured {
                    &mut tally.pull_latencies
                } else {
                    &mut tally.warm_up_latencies
                },
                deadline,
                || match &mut device {
                    Device::App(transport) => transport
                        .pull(&query)
                        .map(|p| (p.changes.len(), p.cursor, p.more, 0)),
                    Device::Light(light) => light
                        .pull(&query)
                        .map(|p| (p.header.count, p.header.cursor, p.header.more, p.wire_bytes)),
                },
            ) else {
                break 'run;
            };
            if measured {
                tally.pulled += count as u64;
                tally.pulled_wire_bytes += wire;
            }
            cursor = next;
            if !more {
                break;
            }
            if Instant::now() >= deadline {
                break 'run;
            }
        }
    }
    tally
}

/// Sends one request, retrying after 429s and transient failures; records the latency
/// of the answer that came back. `None` when the device stops: a failure that is not
/// transient, or the deadline passing while it waits.
fn attempt<T>(
    errors: &mut Errors,
    latencies: &mut Vec<Duration>,
    deadline: Instant,
    mut send: impl FnMut() -> Result<T, TransportError>,
) -> Option<T> {
    loop {
        let t = Instant::now();
        let wait = match send() {
            Ok(answer) => {
                latencies.push(t.elapsed());
                return Some(answer);
            }
            Err(TransportError::Rejected { status: 429, .. }) => {
                errors.rate_limited += 1;
                RATE_LIMITED_WAIT
            }
            Err(e) if e.is_transient() => {
                errors.transient += 1;
                TRANSIENT_WAIT
            }
            Err(e) => {
                errors.failure = Some(e.to_string());
                return None;
            }
        };
        if Instant::now() + wait >= deadline {
            return None;
        }
        std::thread::sleep(wait);
    }
}

/// After the run, a fresh device of team `team` pulls its whole log through `server`
/// with the app's transport (every change decoded and hashed): it must hold every
/// change acknowledged to the team's devices (`tallies`) exactly once and nothing
/// else. Returns how many it held.
fn check_log(
    servers: &Servers,
    server: &LocalServer,
    team: usize,
    tallies: &[&Tally],
) -> anyhow::Result<usize> {
    let enrolment = servers.enrol(server, team, "Vérification")?;
    let mut transport = HttpTransport::new(&server.url, &enrolment.token)?;
    let mut held = Vec::new();
    let mut after = 0;
    loop {
        let page = transport.pull(&PullQuery {
            api_version: API_VERSION,
            after,
            max_bytes: PULL_BUDGET,
        })?;
        // A sealed batch is acknowledged by the SHA-256 of its bytes.
        held.extend(page.changes.into_iter().map(|c| {
            if c.blob.kind == BATCH_KIND {
                hex::encode(Sha256::digest(&c.blob.data))
            } else {
                c.blob.hash
            }
        }));
        after = page.cursor;
        if !page.more {
            break;
        }
    }
    let count = held.len();
    held.sort_unstable();
    held.dedup();
    anyhow::ensure!(held.len() == count, "the log holds a change twice");
    let mut acknowledged: Vec<&str> = tallies
        .iter()
        .flat_map(|t| t.pushed.iter().flatten().map(|c| c.hash.as_str()))
        .collect();
    acknowledged.sort_unstable();
    anyhow::ensure!(
        held.iter()
            .map(String::as_str)
            .eq(acknowledged.iter().copied()),
        "the log holds {count} changes, {} were acknowledged: they differ",
        acknowledged.len()
    );
    Ok(count)
}

/// Plain SQLite doing the server's writes and nothing else: the pushed pages, one
/// transaction each, single-threaded, into a table like the server's `changes`, with the
/// pragmas of the server's storage. Returns (rows, time).
fn baseline(path: &Path, tallies: &[Tally]) -> anyhow::Result<(u64, Duration)> {
    let mut conn = Connection::open(path)?;
    let _: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    conn.execute_batch(
        "PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;
         PRAGMA secure_delete = ON;
         CREATE TABLE changes (
             team_id TEXT NOT NULL,
             seq INTEGER NOT NULL,
             hash TEXT NOT NULL,
             doc_id TEXT NOT NULL,
             kind TEXT NOT NULL,
             data BLOB NOT NULL,
             PRIMARY KEY (team_id, seq),
             UNIQUE (team_id, hash)
         ) STRICT;",
    )?;
    conn.busy_timeout(Duration::from_secs(5))?;
    // A team id of the server's shape (a UUID).
    let team = uuid::Uuid::now_v7().to_string();
    let started = Instant::now();
    let mut seq: i64 = 0;
    for page in tallies.iter().flat_map(|t| &t.pushed) {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO changes (team_id, seq, hash, doc_id, kind, data)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for change in page {
                seq += 1;
                insert.execute(params![
                    team,
                    seq,
                    change.hash,
                    change.doc_id,
                    change.kind,
                    change.data
                ])?;
            }
        }
        tx.commit()?;
    }
    Ok((u64::try_from(seq)?, started.elapsed()))
}

/// Prints the run's table; returns the p99 of all requests.
fn print_table(devices: usize, load: &Load, (rows, time): (u64, Duration)) -> Option<Duration> {
    let sum = |f: &dyn Fn(&Tally) -> u64| load.tallies.iter().map(f).sum::<u64>();
    let gather = |f: &dyn Fn(&Tally) -> &Vec<Duration>| {
        load.tallies
            .iter()
            .flat_map(|t| f(t).iter().copied())
            .collect::<Vec<_>>()
    };
    let mut push = gather(&|t| &t.push_latencies);
    let mut pull = gather(&|t| &t.pull_latencies);
    let warm_up = gather(&|t| &t.warm_up_latencies);
    let mut all: Vec<Duration> = push.iter().chain(&pull).copied().collect();
    let ingested = sum(&|t| t.acknowledged);
    let ingest_rate = ingested as f64 / load.wall.as_secs_f64();
    let baseline_rate = rows as f64 / time.as_secs_f64().max(1e-9);
    let ratio = 100.0 * ingest_rate / baseline_rate.max(1e-9);
    let p99_all = percentile(&mut all, 99);
    let dry = load.tallies.iter().filter(|t| t.ran_dry).count();
    let pages = load.tallies.iter().map(|t| t.pushed.len()).sum::<usize>();
    let failed = load
        .tallies
        .iter()
        .filter(|t| t.errors.failure.is_some())
        .count();

    let rows_out: Vec<(&str, String, String)> = vec![
        ("devices", devices.to_string(), String::new()),
        (
            "warm-up, not counted: requests",
            warm_up.len().to_string(),
            String::new(),
        ),
        (
            "warm-up, not counted: slowest request",
            ms(warm_up.iter().max().copied()),
            String::new(),
        ),
        (
            "seconds measured (after the warm-up)",
            format!("{:.1}", load.wall.as_secs_f64()),
            String::new(),
        ),
        ("push requests", push.len().to_string(), String::new()),
        ("pull requests", pull.len().to_string(), String::new()),
        ("changes ingested", ingested.to_string(), String::new()),
        (
            "changes pulled (all devices)",
            sum(&|t| t.pulled).to_string(),
            String::new(),
        ),
        (
            "pulled on the wire, MB/s (head-reading devices)",
            format!(
                "{:.1}",
                sum(&|t| t.pulled_wire_bytes) as f64 / 1e6 / load.wall.as_secs_f64()
            ),
            String::new(),
        ),
        (
            "changes/s ingested (while serving pulls)",
            format!("{ingest_rate:.0}"),
            String::new(),
        ),
        (
            "push latency p50",
            ms(percentile(&mut push, 50)),
            String::new(),
        ),
        (
            "push latency p99",
            ms(percentile(&mut push, 99)),
            String::new(),
        ),
        (
            "pull latency p50",
            ms(percentile(&mut pull, 50)),
            String::new(),
        ),
        (
            "pull latency p99",
            ms(percentile(&mut pull, 99)),
            String::new(),
        ),
        (
            "all requests p50",
            ms(percentile(&mut all, 50)),
            String::new(),
        ),
        (
            "all requests p99",
            ms(p99_all),
            format!(
                "≤ {} ms: {}",
                P99_TARGET.as_millis(),
                verdict(p99_all.is_some_and(|p| p <= P99_TARGET))
            ),
        ),
        (
            "429 answers (rate limited, waited 1 s)",
            sum(&|t| t.errors.rate_limited).to_string(),
            String::new(),
        ),
        (
            "errors: transient (retried) / fatal",
            format!("{} / {failed}", sum(&|t| t.errors.transient)),
            String::new(),
        ),
        (
            "plain SQLite, same pages (rows/s)",
            format!("{baseline_rate:.0}"),
            String::new(),
        ),
        (
            // Its commits wait on fsync: this says what the disk allowed during it.
            "plain SQLite commits/s",
            format!("{:.0}", pages as f64 / time.as_secs_f64().max(1e-9)),
            String::new(),
        ),
        (
            "ingest ÷ plain SQLite",
            format!("{ratio:.1}%"),
            format!(
                "≥ {INGEST_TARGET_PERCENT}%: {}",
                verdict(ratio >= INGEST_TARGET_PERCENT && dry == 0)
            ),
        ),
    ];
    println!();
    println!("{:<42}{:>16}   target", "measure", "value");
    for (what, value, target) in rows_out {
        println!("{what:<42}{value:>16}   {target}");
    }
    if dry > 0 {
        println!(
            "{dry} device(s) pushed every page prepared for them: ingest is a lower bound, \
             not a measure (prepare more pages)"
        );
    }
    p99_all
}
