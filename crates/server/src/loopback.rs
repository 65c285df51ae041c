//! A team server on a free loopback port, on a tokio runtime of its own: what the
//! benchmarks and the cross-crate tests talk HTTP to.
//!
//! [`LoopbackServer::start`] binds `127.0.0.1:0`, serves the given [`TeamServer`] from
//! a two-thread runtime on a thread of its own (so the callers' devices can be plain
//! blocking code, as the app's sync thread is), and makes sure a team exists.
//! [`LoopbackServer::enrolment_code`] is the operator's call for the next device.
//! Dropping the server stops it and waits for the requests in flight.
//! [`LoopbackServer::start_tls`] serves HTTPS with a given certificate, as
//! `filrouge serve` does, for the tests that go through TLS and pinning.

use std::net::SocketAddr;

use crate::{Role, ServerError, TeamServer};

/// A team server on a free loopback port, on its own runtime; stopped on drop.
pub struct LoopbackServer {
    /// `http://127.0.0.1:<port>` (`https://` with TLS).
    pub url: String,
    /// The address it listens on.
    pub address: SocketAddr,
    /// The server itself, for operator calls (codes, revocations, erasures).
    pub server: TeamServer,
    /// The team made at start, which enrolled devices join.
    pub team_id: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl std::fmt::Debug for LoopbackServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoopbackServer")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl LoopbackServer {
    /// Serves `server` on a free loopback port, with a team named `team_name`.
    pub fn start(server: TeamServer, team_name: &str) -> Result<LoopbackServer, ServerError> {
        LoopbackServer::start_with(server, team_name, None)
    }

    /// [`LoopbackServer::start`] over HTTPS with `identity`'s certificate.
    pub fn start_tls(
        server: TeamServer,
        team_name: &str,
        identity: crate::TlsIdentity,
    ) -> Result<LoopbackServer, ServerError> {
        LoopbackServer::start_with(server, team_name, Some(identity))
    }

    fn start_with(
        server: TeamServer,
        team_name: &str,
        tls: Option<crate::TlsIdentity>,
    ) -> Result<LoopbackServer, ServerError> {
        let scheme = if tls.is_some() { "https" } else { "http" };
        let team = server.ensure_team(team_name)?;
        let thread_error = |source| ServerError::Thread { source };
        let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(thread_error)?;
        listener.set_nonblocking(true).map_err(thread_error)?;
        let address = listener.local_addr().map_err(thread_error)?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(thread_error)?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let handle = server.clone();
        let thread = std::thread::Builder::new()
            .name("loopback-server".into())
            .spawn(move || {
                runtime.block_on(async move {
                    let listener = match tokio::net::TcpListener::from_std(listener) {
                        Ok(listener) => listener,
                        Err(e) => return tracing::error!(error = %e, "loopback listener"),
                    };
                    let shutdown = async {
                        let _ = stopped.await;
                    };
                    let served = match tls {
                        Some(identity) => {
                            crate::serve_tls(listener, handle, &identity, shutdown).await
                        }
                        None => crate::serve(listener, handle, shutdown).await,
                    };
                    if let Err(e) = served {
                        tracing::error!(error = %e, "loopback server stopped");
                    }
                });
            })
            .map_err(thread_error)?;
        Ok(LoopbackServer {
            url: format!("{scheme}://{address}"),
            address,
            server,
            team_id: team.id,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// A single-use code enrolling a device with `role` into the team.
    pub fn enrolment_code(&self, role: Role) -> Result<String, ServerError> {
        self.server.create_enrolment_code(&self.team_id, role)
    }
}

impl Drop for LoopbackServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
