//! A real team server on a free loopback port, for the benchmarks that talk HTTP to it.
//!
//! [`LocalServer::start`] opens the server's SQLite file in a scratch directory, makes
//! sure a team exists, and serves it on `127.0.0.1:0` from its own two-thread tokio
//! runtime on a thread of its own, so the benchmark's devices can be plain blocking
//! code. [`LocalServer::enrol`] enrols a device the way a phone does: a code made by the
//! operator's call, traded for a token over HTTP. Dropping the server stops it and waits
//! for requests in flight.

use std::net::SocketAddr;
use std::path::Path;

use filrouge_model::sync::EnrolResponse;
use filrouge_server::{Role, TeamServer};

/// The per-device request limit the benchmark server applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateLimit {
    /// None: one bench device may stand for a whole team's traffic.
    Off,
    /// The server's default, as every real device meets it.
    Default,
}

/// A team server on a free loopback port, on its own runtime; stopped on drop.
pub struct LocalServer {
    /// `http://127.0.0.1:<port>`.
    pub url: String,
    /// The address it listens on.
    pub address: SocketAddr,
    /// The server itself, for operator calls (enrolment codes).
    pub server: TeamServer,
    /// The team every enrolled device joins.
    pub team_id: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl LocalServer {
    /// Starts a server on `dir/server.sqlite` (created if missing).
    pub fn start(dir: &Path, rate: RateLimit) -> anyhow::Result<LocalServer> {
        let server = TeamServer::open_sqlite(&dir.join("server.sqlite"))?;
        let server = match rate {
            RateLimit::Off => server.with_rate_limit(u32::MAX, u32::MAX),
            RateLimit::Default => server,
        };
        let team = server.ensure_team("Équipe de mesure")?;
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let address = listener.local_addr()?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let handle = server.clone();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()?;
        let thread = std::thread::spawn(move || {
            runtime.block_on(async move {
                let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
                    return;
                };
                let shutdown = async {
                    let _ = stopped.await;
                };
                if let Err(e) = filrouge_server::serve(listener, handle, shutdown).await {
                    tracing::error!(error = %e, "bench server stopped");
                }
            });
        });
        Ok(LocalServer {
            url: format!("http://{address}"),
            address,
            server,
            team_id: team.id,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// Enrols a new intervenant device named `name` over HTTP; returns its credentials.
    pub fn enrol(&self, name: &str) -> anyhow::Result<EnrolResponse> {
        let code = self
            .server
            .create_enrolment_code(&self.team_id, Role::Intervenant)?;
        Ok(filrouge_core::sync::enrol(&self.url, &code, name)?)
    }
}

impl Drop for LocalServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
