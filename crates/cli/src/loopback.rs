//! The benchmarks' team server: the server library's [`LoopbackServer`] on a scratch
//! SQLite file, with or without the per-device rate limit, and devices enrolled over
//! HTTP the way a phone enrols.

use std::path::Path;

use filrouge_model::sync::EnrolResponse;
use filrouge_server::loopback::LoopbackServer;
use filrouge_server::{Role, TeamServer};

/// The per-device request limit the benchmark server applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateLimit {
    /// None: one bench device may stand for a whole team's traffic.
    Off,
    /// The server's default, as every real device meets it.
    Default,
}

/// A team server on a free loopback port, stopped on drop.
pub type LocalServer = LoopbackServer;

/// Starts a server on `dir/server.sqlite` (created if missing).
pub fn start(dir: &Path, rate: RateLimit) -> anyhow::Result<LocalServer> {
    let server = TeamServer::open_sqlite(&dir.join("server.sqlite"))?;
    let server = match rate {
        RateLimit::Off => server.with_rate_limit(u32::MAX, u32::MAX),
        RateLimit::Default => server,
    };
    Ok(LoopbackServer::start(server, "Équipe de mesure")?)
}

/// Enrols a new intervenant device named `name` over HTTP; returns its credentials.
pub fn enrol(server: &LocalServer, name: &str) -> anyhow::Result<EnrolResponse> {
    let code = server.enrolment_code(Role::Intervenant)?;
    Ok(filrouge_core::sync::enrol(&server.url, &code, name, None)?)
}
