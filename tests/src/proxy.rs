//! A TCP proxy that misbehaves, between a real client and a real server on loopback.
//!
//! Each accepted connection gets a fate drawn from a seeded generator: cut after a
//! random number of bytes in either direction (a few kilobytes: mid-request or
//! mid-answer, so the server may have applied a push whose answer is lost; or tens of
//! kilobytes: a good connection that ends some time later); answered `503` without
//! reaching the server; or stalled past the client's timeout. Cuts happen
//! at byte offsets, so with keep-alive connections they also land between requests.
//! [`FaultProxy::heal`] turns the faults off, as the network coming back does.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

/// How long a stalled connection hangs before it is dropped; clients in the fault tests
/// time out well before.
const STALL: Duration = Duration::from_millis(800);

/// A faulty proxy to one upstream address.
pub struct FaultProxy {
    /// The proxy's base URL, e.g. `http://127.0.0.1:40123`.
    pub url: String,
    address: SocketAddr,
    faults: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
    /// How many connections met a fault, for the test to show faults happened.
    pub faulted: Arc<AtomicU64>,
    thread: Option<JoinHandle<()>>,
}

enum Fate {
    Relay,
    Cut { up: usize, down: usize },
    ServiceUnavailable,
    Stall,
}

impl FaultProxy {
    /// Starts a proxy on a free loopback port to `upstream`, with faults on.
    pub fn start(upstream: SocketAddr, seed: u64) -> std::io::Result<FaultProxy> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let address = listener.local_addr()?;
        let faults = Arc::new(AtomicBool::new(true));
        let stop = Arc::new(AtomicBool::new(false));
        let faulted = Arc::new(AtomicU64::new(0));
        let thread = {
            let (faults, stop, faulted) = (faults.clone(), stop.clone(), faulted.clone());
            std::thread::spawn(move || {
                let mut state = seed;
                for client in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        return;
                    }
                    let Ok(client) = client else { continue };
                    let fate = if faults.load(Ordering::SeqCst) {
                        let r = next(&mut state);
                        match r % 100 {
                            0..15 => Fate::ServiceUnavailable,
                            15..22 => Fate::Stall,
                            22..65 => Fate::Cut {
                                up: (next(&mut state) % 4000) as usize,
                                down: (next(&mut state) % 8000) as usize,
                            },
                            // Even a good connection ends after a while, so that
                            // keep-alive clients keep meeting new fates.
                            _ => Fate::Cut {
                                up: 10_000 + (next(&mut state) % 50_000) as usize,
                                down: 10_000 + (next(&mut state) % 50_000) as usize,
                            },
                        }
                    } else {
                        Fate::Relay
                    };
                    if !matches!(fate, Fate::Relay) {
                        faulted.fetch_add(1, Ordering::SeqCst);
                    }
                    let faults = faults.clone();
                    std::thread::spawn(move || handle(client, upstream, fate, faults));
                }
            })
        };
        Ok(FaultProxy {
            url: format!("http://{address}"),
            address,
            faults,
            stop,
            faulted,
            thread: Some(thread),
        })
    }

    /// Turns the faults off: open connections are no longer cut, new ones are relayed.
    pub fn heal(&self) {
        self.faults.store(false, Ordering::SeqCst);
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees `stop`.
        let _ = TcpStream::connect(self.address);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// SplitMix64.
fn next(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn handle(mut client: TcpStream, upstream: SocketAddr, fate: Fate, faults: Arc<AtomicBool>) {
    let (up, down) = match fate {
        Fate::ServiceUnavailable => {
            let mut buf = [0u8; 4096];
            let _ = client.read(&mut buf);
            let body = r#"{"code":"internal","message":"proxy says no","api_version":2}"#;
            let _ = write!(
                client,
                "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = client.shutdown(Shutdown::Both);
            return;
        }
        Fate::Stall => {
            std::thread::sleep(STALL);
            let _ = client.shutdown(Shutdown::Both);
            return;
        }
        Fate::Cut { up, down } => (up, down),
        Fate::Relay => (usize::MAX, usize::MAX),
    };
    let Ok(server) = TcpStream::connect(upstream) else {
        let _ = client.shutdown(Shutdown::Both);
        return;
    };
    let (Ok(client2), Ok(server2)) = (client.try_clone(), server.try_clone()) else {
        return;
    };
    let faults2 = faults.clone();
    let upward = std::thread::spawn(move || pump(client2, server2, up, &faults2));
    pump(server, client, down, &faults);
    let _ = upward.join();
}

/// Copies `from` to `to` until either closes or, while faults are on, `budget` bytes
/// have passed; then closes both ways on both sockets (which also ends the other
/// direction's pump). Once healed, a connection's budget no longer applies.
fn pump(mut from: TcpStream, mut to: TcpStream, budget: usize, faults: &AtomicBool) {
    let mut left = budget;
    let mut buf = [0u8; 8192];
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let faulty = faults.load(Ordering::SeqCst);
        let n = if faulty { n.min(left) } else { n };
        if to.write_all(&buf[..n]).is_err() {
            break;
        }
        left = left.saturating_sub(n);
        if faulty && left == 0 {
            break;
        }
    }
    let _ = from.shutdown(Shutdown::Both);
    let _ = to.shutdown(Shutdown::Both);
}
