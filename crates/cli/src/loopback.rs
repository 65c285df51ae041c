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

/// A server on the same SQLite file in `dir` as [`start`]'s, over HTTPS with its own
/// certificate (made in `dir`, as `filrouge serve` does), without rate limit; returns
/// it with the certificate's SHA-256, which its devices pin.
pub fn start_tls(dir: &Path) -> anyhow::Result<(LocalServer, [u8; 32])> {
    let server =
        TeamServer::open_sqlite(&dir.join("server.sqlite"))?.with_rate_limit(u32::MAX, u32::MAX);
    let identity = filrouge_server::TlsIdentity::self_made(dir)?;
    let pin = filrouge_core::sync::parse_pin(&identity.fingerprint)
        .ok_or_else(|| anyhow::anyhow!("a fingerprint is 64 hex digits"))?;
    Ok((
        LoopbackServer::start_tls(server, "Équipe de mesure", identity)?,
        pin,
    ))
}

/// Enrols a new intervenant device named `name` over HTTP; returns its credentials.
pub fn enrol(server: &LocalServer, name: &str) -> anyhow::Result<EnrolResponse> {
    enrol_pinned(server, name, None)
}

/// [`enrol`] at a server whose certificate's SHA-256 is `pin`.
pub fn enrol_pinned(
    server: &LocalServer,
    name: &str,
    pin: Option<[u8; 32]>,
) -> anyhow::Result<EnrolResponse> {
    let code = server.enrolment_code(Role::Intervenant)?;
    Ok(filrouge_core::sync::enrol(&server.url, &code, name, pin)?)
}
