//! HTTPS for the team server: its certificate, and the accept loop that serves the
//! router over TLS.
//!
//! A team server sits on the internet, so it speaks HTTPS by itself ([`serve_tls`],
//! rustls with the `ring` provider). By default it uses **its own certificate**, made on
//! first start and kept in its data directory ([`TlsIdentity::self_made`]): devices do
//! not check it against any authority but **pin** its SHA-256 fingerprint, which the
//! invitation link carries, so nobody in between can stand in for the server. A team
//! behind its own domain can use a certificate from a public CA instead
//! ([`TlsIdentity::from_pem`]); devices then check it against the platform's roots.
//!
//! Each accepted connection gets a TLS handshake (bounded in time) and is then served by
//! hyper with the same router as plain HTTP, the peer address attached for the
//! enrolment limits. Shutdown stops accepting and waits (a while) for open requests.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::Extension;
use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use rustls::ServerConfig;
use rustls_pki_types::pem::PemObject as _;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use sha2::{Digest as _, Sha256};

use crate::error::ServerError;
use crate::service::TeamServer;

/// The self-made certificate's file in the data directory.
pub const CERT_FILE: &str = "tls-cert.pem";
/// Its private key's file (readable by the server's user only).
pub const KEY_FILE: &str = "tls-key.pem";
/// How long a client may take over the TLS handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(15);
/// How long a client may take to send a request's headers (and to start the next one
/// on a kept-alive connection).
const HEADER_TIMEOUT: Duration = Duration::from_secs(30);
/// How long shutdown waits for open requests.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(10);

/// The server's certificate and key, ready to serve.
#[derive(Clone)]
pub struct TlsIdentity {
    /// The rustls configuration.
    pub config: Arc<ServerConfig>,
    /// The SHA-256 of the certificate (DER), lowercase hex: what devices pin.
    pub fingerprint: String,
}

impl std::fmt::Debug for TlsIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsIdentity")
            .field("fingerprint", &self.fingerprint)
            .finish_non_exhaustive()
    }
}

impl TlsIdentity {
    /// The server's own certificate in `dir`: made on first start, then read back, so
    /// the fingerprint devices pinned stays valid across restarts.
    pub fn self_made(dir: &Path) -> Result<TlsIdentity, ServerError> {
        let (cert_path, key_path) = (dir.join(CERT_FILE), dir.join(KEY_FILE));
        match (cert_path.is_file(), key_path.is_file()) {
            (true, true) => {}
            (false, false) => make_certificate(&cert_path, &key_path)?,
            // Making a new pair would change the fingerprint every device pinned.
            _ => {
                return Err(ServerError::Tls {
                    reason: format!(
                        "{} and {} go together; one is missing (restore it, or move both \
                         away to make a new certificate and invite every device again)",
                        cert_path.display(),
                        key_path.display()
                    ),
                });
            }
        }
        TlsIdentity::from_pem(&cert_path, &key_path)
    }

    /// A certificate chain and its key from PEM files (a CA's certificate, or the
    /// self-made one).
    pub fn from_pem(cert: &Path, key: &Path) -> Result<TlsIdentity, ServerError> {
        let chain = CertificateDer::pem_file_iter(cert)
            .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
            .map_err(|e| bad_file(cert, &e))?;
        let first = chain.first().ok_or_else(|| ServerError::Tls {
            reason: format!("no certificate in {}", cert.display()),
        })?;
        let fingerprint = fingerprint(first);
        let key = PrivateKeyDer::from_pem_file(key).map_err(|e| bad_file(key, &e))?;
        let mut config =
            ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
                .with_safe_default_protocol_versions()
                .map_err(tls_error)?
                .with_no_client_auth()
                .with_single_cert(chain, key)
                .map_err(tls_error)?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(TlsIdentity {
            config: Arc::new(config),
            fingerprint,
        })
    }
}

/// The SHA-256 of a certificate, lowercase hex.
pub fn fingerprint(cert: &CertificateDer<'_>) -> String {
    hex::encode(Sha256::digest(cert.as_ref()))
}

/// Makes a self-signed certificate and its key in PEM files, the key readable by its
/// owner only, each written whole before it is renamed into place.
fn make_certificate(cert_path: &Path, key_path: &Path) -> Result<(), ServerError> {
    // The name is never checked: devices pin the certificate itself.
    let made =
        rcgen::generate_simple_self_signed(vec!["filrouge.invalid".to_owned()]).map_err(|e| {
            ServerError::Tls {
                reason: format!("making a certificate: {e}"),
            }
        })?;
    write_new(key_path, made.signing_key.serialize_pem().as_bytes(), true)?;
    write_new(cert_path, made.cert.pem().as_bytes(), false)?;
    tracing::info!("made the server's own TLS certificate");
    Ok(())
}

fn write_new(path: &Path, bytes: &[u8], secret: bool) -> Result<(), ServerError> {
    use std::io::Write as _;
    let partial: PathBuf = path.with_extension("partial");
    let file_error = |source| ServerError::File {
        operation: "write",
        path: path.to_path_buf(),
        source,
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    #[cfg(unix)]
    if secret {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = secret;
    // A leftover from an interrupted start could keep wider permissions: start afresh.
    match std::fs::remove_file(&partial) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(file_error(e)),
        _ => {}
    }
    options.create_new(true);
    let mut file = options.open(&partial).map_err(file_error)?;
    file.write_all(bytes).map_err(file_error)?;
    file.sync_all().map_err(file_error)?;
    std::fs::rename(&partial, path).map_err(file_error)
}

fn bad_file(path: &Path, e: &rustls_pki_types::pem::Error) -> ServerError {
    ServerError::Tls {
        reason: format!("reading {}: {e}", path.display()),
    }
}

fn tls_error(e: rustls::Error) -> ServerError {
    ServerError::Tls {
        reason: e.to_string(),
    }
}

/// Connections served at once. A team is a few hundred devices at most; past this, new
/// connections wait in the kernel's backlog until one ends, rather than each taking a
/// task and its buffers (a flood of idle handshakes cannot exhaust the server).
pub const MAX_CONNECTIONS: usize = 1024;

/// Connections served at once from one address. A phone holds one connection while it
/// syncs; a team at an event may share one mobile router's address, hence room for
/// dozens. Past it, a new connection from that address is closed at once: one client
/// cannot take the server's [`MAX_CONNECTIONS`] for itself.
pub const PER_ADDRESS_CONNECTIONS: usize = 64;

/// The limits a server on the internet puts on its connections: how many at once, in
/// all and from one address, and how long a client may take over its handshake and
/// over each request's headers. (A request's body has an idle timeout and a deadline of
/// its own, in the router: [`crate::BODY_IDLE_TIMEOUT`], [`crate::REQUEST_DEADLINE`].)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// Connections served at once, every address together.
    pub max_connections: usize,
    /// Connections served at once from one IP address.
    pub per_address: usize,
    /// How long a client may take over the TLS handshake.
    pub handshake: Duration,
    /// How long a client may take to send a request's headers (whole, however slowly
    /// the bytes come), and to start the next request on a kept-alive connection.
    pub headers: Duration,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            max_connections: MAX_CONNECTIONS,
            per_address: PER_ADDRESS_CONNECTIONS,
            handshake: HANDSHAKE_TIMEOUT,
            headers: HEADER_TIMEOUT,
        }
    }
}

/// Serves `server` over TLS on `listener` until `shutdown` completes, then waits for
/// open requests (at most ten seconds), within the default [`ConnectionLimits`].
pub async fn serve_tls(
    listener: tokio::net::TcpListener,
    server: TeamServer,
    identity: &TlsIdentity,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_tls_with(
        listener,
        server,
        identity,
        shutdown,
        ConnectionLimits::default(),
    )
    .await
}

/// [`serve_tls`] within other limits (tests use small ones).
pub async fn serve_tls_with(
    listener: tokio::net::TcpListener,
    server: TeamServer,
    identity: &TlsIdentity,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    limits: ConnectionLimits,
) -> std::io::Result<()> {
    let address = listener.local_addr()?;
    tracing::info!(
        %address,
        api_version = filrouge_model::sync::API_VERSION,
        fingerprint = %identity.fingerprint,
        "team server listening (HTTPS)"
    );
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::clone(&identity.config));
    let router = server.router();
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    let slots = Arc::new(tokio::sync::Semaphore::new(limits.max_connections.max(1)));
    let per_address = Arc::new(PerAddress::default());
    loop {
        // A free slot first: while none is, nothing more is accepted.
        let slot = tokio::select! {
            () = &mut shutdown => break,
            slot = Arc::clone(&slots).acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => break,
            },
        };
        let (tcp, peer) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors, say: wait a little rather than spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
        };
        let Some(address_slot) = per_address.take(peer.ip(), limits.per_address) else {
            // Closed at once: the client learns nothing but that it has too many.
            tracing::debug!("connection refused: too many from one address");
            continue;
        };
        let _ = tcp.set_nodelay(true);
        let acceptor = acceptor.clone();
        let service = router
            .clone()
            .layer(Extension(ConnectInfo::<SocketAddr>(peer)));
        let watcher = graceful.watcher();
        tokio::spawn(async move {
            // Held until the connection ends.
            let _slots = (slot, address_slot);
            let tls = match tokio::time::timeout(limits.handshake, acceptor.accept(tcp)).await {
                Ok(Ok(tls)) => tls,
                // A client that does not trust the certificate, or not TLS at all.
                Ok(Err(e)) => return tracing::debug!(error = %e, "TLS handshake failed"),
                Err(_) => return tracing::debug!("TLS handshake timed out"),
            };
            // A client that finished its handshake and then sends nothing (or a byte
            // now and then) is cut off, rather than holding a connection forever.
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(limits.headers)
                .serve_connection(TokioIo::new(tls), TowerToHyperService::new(service));
            if let Err(e) = watcher.watch(connection).await {
                tracing::debug!(error = %e, "connection ended with an error");
            }
        });
    }
    if tokio::time::timeout(DRAIN_TIMEOUT, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("open requests cut short at shutdown");
    }
    tracing::info!("team server stopped");
    Ok(())
}

/// The connections open from each address.
#[derive(Debug, Default)]
struct PerAddress {
    open: std::sync::Mutex<std::collections::HashMap<std::net::IpAddr, usize>>,
}

impl PerAddress {
    /// A slot for one more connection from `ip`, if it has fewer than `max` open.
    fn take(self: &Arc<Self>, ip: std::net::IpAddr, max: usize) -> Option<AddressSlot> {
        // An IPv4 client reaching a dual-stack socket is one address, however written.
        let ip = ip.to_canonical();
        let mut open = self
            .open
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let count = open.entry(ip).or_default();
        if *count >= max.max(1) {
            return None;
        }
        *count += 1;
        Some(AddressSlot {
            table: Arc::clone(self),
            ip,
        })
    }
}

/// One open connection from an address; given back on drop.
#[derive(Debug)]
struct AddressSlot {
    table: Arc<PerAddress>,
    ip: std::net::IpAddr,
}

impl Drop for AddressSlot {
    fn drop(&mut self) {
        let mut open = self
            .table
            .open
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(count) = open.get_mut(&self.ip) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                open.remove(&self.ip);
            }
        }
    }
}
