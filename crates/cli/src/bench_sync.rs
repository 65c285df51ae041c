//! `filrouge bench sync`: the change-log protocol on loopback, measured.
//!
//! 1. **Fresh device.** A device creates a team's records (`create_all`, in batches) and
//!    pushes them to a real team server on a free loopback port; a fresh device then
//!    pulls everything. Printed: records applied per second, and bytes on the wire (both
//!    ways, counted by a relay in front of the server) next to the floor: the same
//!    records as plain JSON (each with its id, which any sync must carry), gzip-
//!    compressed at gzip's default level.
//! 2. **Steady state.** Two devices share a team's records; then 50 new records reach
//!    the server from one and 10 are made on the other, which syncs: bytes both ways and
//!    requests each way; in clear, then again with both devices sealing their pushes
//!    end to end (batches, see `filrouge_model::sync::BATCH_KIND`).
//!
//! Everything runs in this process: the server on its own tokio runtime, devices on
//! blocking HTTP, the relay on plain threads.

use std::io::{Read as _, Write as _};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::Context as _;
use filrouge_core::sync::{self, HttpTransport, Transport, TransportError};
use filrouge_core::{Env, Store};
use filrouge_model::sync::{PullQuery, PullResponse, PushRequest, PushResponse};

use crate::generate::{self, Rng};
use crate::loopback::{self, LocalServer, RateLimit};

/// Records per `create_all` transaction while setting up.
const SETUP_BATCH: usize = 5_000;

/// Runs both parts: a fresh device pulling `records`, and the steady state on `shared`.
pub fn run(records: usize, shared: usize, dir: &Path) -> anyhow::Result<()> {
    println!("filrouge bench sync — release build expected; loopback, this machine");
    let scratch = dir.join("bench-sync");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch)?;
    let result = fresh_device(records, &scratch.join("fresh"))
        .and_then(|()| steady_state(shared, &scratch.join("steady"), false))
        .and_then(|()| steady_state(shared, &scratch.join("steady-sealed"), true));
    let _ = std::fs::remove_dir_all(&scratch);
    result
}

fn fresh_device(records: usize, dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)?;
    let server = loopback::start(dir, RateLimit::Off)?;
    let relay = Relay::start(server.address)?;
    let mut maker = device(&server, dir, "maker", &server.url)?;
    let t = Instant::now();
    let json = populate(&mut maker, records, 0xB0B)?;
    let made = t.elapsed();
    let t = Instant::now();
    let pushed = maker.sync()?.pushed;
    let push_time = t.elapsed();
    anyhow::ensure!(pushed == records, "pushed {pushed} of {records}");

    let mut fresh = device(&server, dir, "fresh", &relay.url)?;
    relay.reset();
    let t = Instant::now();
    let report = fresh.sync()?;
    let pull_time = t.elapsed();
    anyhow::ensure!(
        report.pulled == records,
        "pulled {} of {records}",
        report.pulled
    );
    let (up, down) = relay.bytes();
    let floor = gzip_len(json.as_bytes())?;

    // The same pull over HTTPS with a pinned certificate, from a second server on the
    // same database, through a relay of its own (TLS passes through it untouched).
    let (tls_server, pin) = loopback::start_tls(dir)?;
    let tls_relay = Relay::start(tls_server.address)?;
    let tls_url = tls_relay.url.replacen("http://", "https://", 1);
    let mut fresh_tls = device_with(&tls_server, dir, "fresh-tls", &tls_url, Some(pin))?;
    tls_relay.reset();
    let t = Instant::now();
    let tls_report = fresh_tls.sync()?;
    let tls_time = t.elapsed();
    anyhow::ensure!(
        tls_report.pulled == records,
        "pulled {} over TLS",
        tls_report.pulled
    );
    let (tls_up, tls_down) = tls_relay.bytes();

    println!();
    println!("fresh device, {records} records");
    println!("{:<44}{:>16}", "measure", "value");
    println!(
        "{:<44}{:>16}",
        "setup: create (records/s, batches of 5,000)",
        format!("{:.0}", records as f64 / made.as_secs_f64())
    );
    println!(
        "{:<44}{:>16}",
        "setup: push to the server (records/s)",
        format!("{:.0}", records as f64 / push_time.as_secs_f64())
    );
    println!(
        "{:<44}{:>16}   target ≥ 20,000",
        "pull + apply (records/s)",
        format!("{:.0}", records as f64 / pull_time.as_secs_f64())
    );
    println!("{:<44}{:>16}", "bytes on the wire, up", up);
    println!("{:<44}{:>16}", "bytes on the wire, down", down);
    println!(
        "{:<44}{:>16}",
        "floor: the records (id + fields) as JSON, gzip", floor
    );
    println!(
        "{:<44}{:>16}   target ≤ 1.25×",
        "wire / floor",
        format!("{:.2}×", (up + down) as f64 / floor as f64)
    );
    println!(
        "{:<44}{:>16}",
        "pull + apply over HTTPS, pinned (records/s)",
        format!("{:.0}", records as f64 / tls_time.as_secs_f64())
    );
    println!(
        "{:<44}{:>16}   target ≤ 1.10×",
        "HTTPS time / plain HTTP time",
        format!("{:.2}×", tls_time.as_secs_f64() / pull_time.as_secs_f64())
    );
    println!(
        "{:<44}{:>16}",
        "bytes on the wire over HTTPS, both ways",
        tls_up + tls_down
    );

    // The same records sealed end to end, on a server of their own (the first one holds
    // them in clear already, and keeps what it holds).
    let sealed = sealed_pull(records, &dir.join("sealed"))?;
    println!(
        "{:<44}{:>16}   target ≥ 15,000",
        "sealed end to end: pull + apply (records/s)",
        format!("{:.0}", records as f64 / sealed.time.as_secs_f64())
    );
    println!(
        "{:<44}{:>16}",
        "sealed: time / clear time",
        format!(
            "{:.2}×",
            sealed.time.as_secs_f64() / pull_time.as_secs_f64()
        )
    );
    println!(
        "{:<44}{:>16}",
        "sealed: bytes on the wire, up + down",
        sealed.up + sealed.down
    );
    println!(
        "{:<44}{:>16}   target ≤ 2×",
        "sealed: wire / floor",
        format!("{:.2}×", (sealed.up + sealed.down) as f64 / floor as f64)
    );
    Ok(())
}

/// What [`sealed_pull`] measured.
struct SealedPull {
    time: std::time::Duration,
    up: u64,
    down: u64,
}

/// A maker and a fresh device holding the same team key: the maker's records pushed
/// sealed, then pulled and opened by the fresh device through a counting relay.
fn sealed_pull(records: usize, dir: &Path) -> anyhow::Result<SealedPull> {
    std::fs::create_dir_all(dir)?;
    let server = loopback::start(dir, RateLimit::Off)?;
    let relay = Relay::start(server.address)?;
    let ring = filrouge_core::e2e::Keyring::with(1, filrouge_core::e2e::TeamKey::random()?);
    let mut maker = device(&server, dir, "maker", &server.url)?;
    lock(&maker.store).add_keys(&ring)?;
    populate(&mut maker, records, 0xB0B)?;
    let pushed = maker.sync()?.pushed;
    anyhow::ensure!(pushed == records, "sealed: pushed {pushed} of {records}");
    let mut fresh = device(&server, dir, "fresh", &relay.url)?;
    lock(&fresh.store).add_keys(&ring)?;
    relay.reset();
    let t = Instant::now();
    let report = fresh.sync()?;
    let time = t.elapsed();
    anyhow::ensure!(
        report.pulled == records && lock(&fresh.store).sync_status()?.pending_changes == 0,
        "sealed: pulled {} of {records}",
        report.pulled
    );
    let (up, down) = relay.bytes();
    Ok(SealedPull { time, up, down })
}

fn lock(store: &Mutex<Store>) -> std::sync::MutexGuard<'_, Store> {
    store
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The steady state, in clear or with both devices sealing under one team key.
fn steady_state(shared: usize, dir: &Path, sealed: bool) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)?;
    let server = loopback::start(dir, RateLimit::Off)?;
    let relay = Relay::start(server.address)?;
    let mut other = device(&server, dir, "other", &server.url)?;
    let mut phone = device(&server, dir, "phone", &relay.url)?;
    if sealed {
        let ring = filrouge_core::e2e::Keyring::with(1, filrouge_core::e2e::TeamKey::random()?);
        lock(&other.store).add_keys(&ring)?;
        lock(&phone.store).add_keys(&ring)?;
    }
    populate(&mut other, shared, 0x5EED)?;
    other.sync()?;
    phone.sync()?;
    // 50 new on the server (from the other device), 10 new on the phone.
    populate(&mut other, 50, 0xA)?;
    other.sync()?;
    populate(&mut phone, 10, 0xB)?;
    relay.reset();
    let mut counting = Counting::new(phone.transport.clone());
    let report = sync::run(&phone.store, &mut counting)?;
    anyhow::ensure!(report.pushed == 10 && report.pulled >= 50, "{report:?}");
    let (up, down) = relay.bytes();
    println!();
    println!(
        "steady state{}: {shared} records shared, 10 new on the phone, 50 on the server",
        if sealed { ", sealed end to end" } else { "" }
    );
    println!("{:<44}{:>16}", "measure", "value");
    println!(
        "{:<44}{:>16}   target ≤ {} KB",
        "bytes both ways",
        up + down,
        if sealed { 12 } else { 10 }
    );
    println!("{:<44}{:>16}", "  up (the phone's 10 records)", up);
    println!("{:<44}{:>16}", "  down (the server's 50 records)", down);
    println!(
        "{:<44}{:>16}   target 1 each way",
        "requests: pushes / pulls",
        format!("{} / {}", counting.pushes, counting.pulls)
    );
    Ok(())
}

/// Creates `n` generated records (persons first, then rencontres, stages, relances) on
/// `device`; returns them as one JSON array of `{"id": …, fields…}` objects, for the
/// floor.
pub(crate) fn populate(device: &mut LocalDevice, n: usize, seed: u64) -> anyhow::Result<String> {
    let now = filrouge_core::Clock::now_ms(&filrouge_core::SystemClock);
    let mut rng = Rng::new(seed ^ n as u64);
    let (n_persons, n_rencontres, n_etapes, n_relances) = generate::split(n);
    let mut json = Vec::with_capacity(n);
    let mut store = device
        .store
        .lock()
        .map_err(|_| anyhow::anyhow!("poisoned"))?;
    let mut persons = Vec::with_capacity(n_persons);
    let mut left = n_persons;
    while left > 0 {
        let batch: Vec<_> = (0..left.min(SETUP_BATCH))
            .map(|_| generate::person(&mut rng))
            .collect();
        left -= batch.len();
        persons.extend(create_recorded(&mut store, batch, &mut json)?);
    }
    macro_rules! kind {
        ($count:expr, $make:path) => {{
            let mut left = $count;
            while left > 0 {
                let batch: Vec<_> = (0..left.min(SETUP_BATCH))
                    .map(|_| $make(&mut rng, &persons, now))
                    .collect();
                left -= batch.len();
                create_recorded(&mut store, batch, &mut json)?;
            }
        }};
    }
    kind!(n_rencontres, generate::rencontre);
    kind!(n_etapes, generate::etape);
    kind!(n_relances, generate::relance);
    Ok(serde_json::to_string(&json)?)
}

/// Creates `batch` in one transaction and adds the records to `json` as a plain export
/// would write them: the id, then the fields. Returns the ids.
fn create_recorded<R: filrouge_core::Record>(
    store: &mut Store,
    batch: Vec<R>,
    json: &mut Vec<serde_json::Value>,
) -> anyhow::Result<Vec<filrouge_model::RecordId>> {
    let values = batch
        .iter()
        .map(serde_json::to_value)
        .collect::<Result<Vec<_>, _>>()?;
    let ids = store.import(batch)?;
    json.extend(ids.iter().zip(values).map(|(id, value)| {
        let mut object = serde_json::Map::new();
        object.insert("id".into(), id.as_str().into());
        if let serde_json::Value::Object(fields) = value {
            object.extend(fields);
        }
        serde_json::Value::Object(object)
    }));
    Ok(ids)
}

pub(crate) fn gzip_len(bytes: &[u8]) -> anyhow::Result<u64> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes)?;
    Ok(e.finish()?.len() as u64)
}

/// A device store in `dir`, enrolled on `server`, talking to it through `url` (the
/// server's own address, or a relay in front of it).
pub(crate) fn device(
    server: &LocalServer,
    dir: &Path,
    name: &str,
    url: &str,
) -> anyhow::Result<LocalDevice> {
    device_with(server, dir, name, url, None)
}

/// [`device`] for a server whose certificate's SHA-256 is `pin`.
fn device_with(
    server: &LocalServer,
    dir: &Path,
    name: &str,
    url: &str,
    pin: Option<[u8; 32]>,
) -> anyhow::Result<LocalDevice> {
    let enrolment = loopback::enrol_pinned(server, name, pin)?;
    let mut store = Store::open(&dir.join(format!("{name}.sqlite")), Env::default())?;
    store.save_enrolment(url, &enrolment)?;
    Ok(LocalDevice {
        store: Mutex::new(store),
        transport: HttpTransport::pinned(url, &enrolment.token, pin)?,
    })
}

pub(crate) struct LocalDevice {
    pub(crate) store: Mutex<Store>,
    pub(crate) transport: HttpTransport,
}

impl LocalDevice {
    pub(crate) fn sync(&mut self) -> anyhow::Result<sync::SyncReport> {
        sync::run(&self.store, &mut self.transport).context("sync")
    }
}

/// Counts the requests a sync makes, and the time spent in pushes (encoding, the
/// round trip and the server's work) as against the device's own.
pub(crate) struct Counting {
    pub(crate) inner: HttpTransport,
    pub(crate) pushes: usize,
    pub(crate) pulls: usize,
    pub(crate) pushing: std::time::Duration,
}

impl Counting {
    pub(crate) fn new(inner: HttpTransport) -> Counting {
        Counting {
            inner,
            pushes: 0,
            pulls: 0,
            pushing: std::time::Duration::ZERO,
        }
    }
}

impl Transport for Counting {
    fn push(&mut self, req: &PushRequest) -> Result<PushResponse, TransportError> {
        self.pushes += 1;
        let t = Instant::now();
        let answer = self.inner.push(req);
        self.pushing += t.elapsed();
        answer
    }
    fn pull(&mut self, query: &PullQuery) -> Result<PullResponse, TransportError> {
        self.pulls += 1;
        self.inner.pull(query)
    }
}

/// A TCP relay in front of the server that counts the bytes each way: what a phone's
/// radio would carry (HTTP headers, JSON, compression and all).
pub(crate) struct Relay {
    pub(crate) url: String,
    address: SocketAddr,
    up: Arc<AtomicU64>,
    down: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Relay {
    pub(crate) fn start(upstream: SocketAddr) -> anyhow::Result<Relay> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let address = listener.local_addr()?;
        let (up, down) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (up, down, stop) = (up.clone(), down.clone(), stop.clone());
            std::thread::spawn(move || {
                for client in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        return;
                    }
                    let (Ok(client), Ok(server)) = (client, TcpStream::connect(upstream)) else {
                        continue;
                    };
                    // Without this, a request whose last bytes wait for an ACK stalls
                    // 40 ms (Nagle's algorithm against delayed ACKs), which no phone's
                    // direct connection would pay.
                    let _ = (client.set_nodelay(true), server.set_nodelay(true));
                    let (up, down) = (up.clone(), down.clone());
                    std::thread::spawn(move || {
                        let (Ok(c2), Ok(s2)) = (client.try_clone(), server.try_clone()) else {
                            return;
                        };
                        let upward = std::thread::spawn(move || pump(c2, s2, &up));
                        pump(server, client, &down);
                        let _ = upward.join();
                    });
                }
            })
        };
        Ok(Relay {
            url: format!("http://{address}"),
            address,
            up,
            down,
            stop,
            thread: Some(thread),
        })
    }

    pub(crate) fn reset(&self) {
        self.up.store(0, Ordering::SeqCst);
        self.down.store(0, Ordering::SeqCst);
    }

    /// Bytes counted (up, down) since the last reset. Bytes are counted before they
    /// are passed on, so whatever a client has received is already counted.
    pub(crate) fn bytes(&self) -> (u64, u64) {
        (
            self.up.load(Ordering::SeqCst),
            self.down.load(Ordering::SeqCst),
        )
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.address);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn pump(mut from: TcpStream, mut to: TcpStream, count: &AtomicU64) {
    let mut buf = [0u8; 16 * 1024];
    while let Ok(n) = from.read(&mut buf) {
        if n == 0 {
            break;
        }
        count.fetch_add(n as u64, Ordering::SeqCst);
        if to.write_all(&buf[..n]).is_err() {
            break;
        }
    }
    let _ = from.shutdown(Shutdown::Both);
    let _ = to.shutdown(Shutdown::Both);
}
