//! The wire against a hostile network: a device that pinned its server's certificate
//! refuses any other, and a man in the middle presenting its own certificate receives
//! not one byte of the device token; an enrolment is refused the same way; `http://` to
//! another machine is refused before anything is sent.

use std::io::Read as _;
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use filrouge_core::sync::{self, HttpTransport, TransportError};
use filrouge_server::TlsIdentity;
use filrouge_tests::pull_from_start;

/// A TLS server with its own certificate that records every byte it decrypts, for
/// `connections` connections.
fn recorder(identity: &TlsIdentity, connections: usize) -> anyhow::Result<(String, Recorded)> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let url = format!("https://{}", listener.local_addr()?);
    let received: Arc<Mutex<Vec<u8>>> = Arc::default();
    let config = Arc::clone(&identity.config);
    let thread = {
        let received = Arc::clone(&received);
        std::thread::spawn(move || {
            for stream in listener.incoming().take(connections) {
                let Ok(stream) = stream else { continue };
                let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
                let Ok(conn) = rustls::ServerConnection::new(Arc::clone(&config)) else {
                    continue;
                };
                let mut tls = rustls::StreamOwned::new(conn, stream);
                let mut buf = [0u8; 4096];
                // Until the client gives up (a refused handshake) or has sent its request.
                while let Ok(n) = tls.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    let mut got = received.lock().unwrap_or_else(|e| e.into_inner());
                    got.extend_from_slice(&buf[..n]);
                    if got.windows(4).any(|w| w == b"\r\n\r\n") {
                        break;
                    }
                }
            }
        })
    };
    Ok((url, Recorded { received, thread }))
}

struct Recorded {
    received: Arc<Mutex<Vec<u8>>>,
    thread: std::thread::JoinHandle<()>,
}

impl Recorded {
    fn bytes(self) -> Vec<u8> {
        let _ = self.thread.join();
        let got = self.received.lock().unwrap_or_else(|e| e.into_inner());
        got.clone()
    }
}

#[test]
fn a_pinned_device_sends_nothing_to_another_certificate() -> anyhow::Result<()> {
    let (real_dir, other_dir) = (tempfile::tempdir()?, tempfile::tempdir()?);
    let real = TlsIdentity::self_made(real_dir.path())?;
    let impostor = TlsIdentity::self_made(other_dir.path())?;
    assert_ne!(real.fingerprint, impostor.fingerprint);
    // The same server directory gives the same certificate after a restart; a key
    // without its certificate is an error, never a new pair (which every device would
    // refuse).
    assert_eq!(
        TlsIdentity::self_made(real_dir.path())?.fingerprint,
        real.fingerprint
    );
    let half = tempfile::tempdir()?;
    TlsIdentity::self_made(half.path())?;
    std::fs::remove_file(half.path().join(filrouge_server::tls::CERT_FILE))?;
    assert!(TlsIdentity::self_made(half.path()).is_err());
    assert!(!half.path().join(filrouge_server::tls::CERT_FILE).exists());
    let real_pin = sync::parse_pin(&real.fingerprint);
    let token = "f00dcafe".repeat(8);

    // A man in the middle with its own certificate: the sync and an enrolment are
    // refused, and it decrypts nothing.
    let (url, recorded) = recorder(&impostor, 2)?;
    let mut transport = HttpTransport::pinned(&url, &token, real_pin)?;
    assert_eq!(
        pull_from_start(&mut transport),
        Err(TransportError::Untrusted)
    );
    let enrolment = sync::enrol(&url, "K7PF-3MQX-W9", "Téléphone", real_pin);
    assert!(
        matches!(enrolment, Err(TransportError::Untrusted)),
        "{enrolment:?}"
    );
    assert_eq!(recorded.bytes(), Vec::<u8>::new(), "not one byte decrypted");

    // The control: pinned to that certificate, the same request goes through the
    // handshake and the recorder sees the token, so the recorder does see what is sent.
    let (url, recorded) = recorder(&impostor, 1)?;
    let mut transport =
        HttpTransport::pinned(&url, &token, sync::parse_pin(&impostor.fingerprint))?
            .with_timeout(Duration::from_secs(2))?;
    let _ = pull_from_start(&mut transport);
    let seen = recorded.bytes();
    assert!(
        seen.windows(token.len()).any(|w| w == token.as_bytes()),
        "the control request must reach the recorder"
    );

    // With no pin, a self-made certificate is not trusted by the platform's roots.
    let (url, recorded) = recorder(&impostor, 1)?;
    let mut transport = HttpTransport::new(&url, &token)?;
    assert_eq!(
        pull_from_start(&mut transport),
        Err(TransportError::Untrusted)
    );
    assert_eq!(recorded.bytes(), Vec::<u8>::new());
    Ok(())
}

#[test]
fn plain_http_to_another_machine_is_refused_before_anything_is_sent() {
    // 192.0.2.1 is TEST-NET-1: nothing answers there, so only the check can fail fast.
    let refused = HttpTransport::new("http://192.0.2.1:8787", "token");
    assert!(
        matches!(refused, Err(TransportError::Insecure { .. })),
        "{refused:?}"
    );
    let enrolment = sync::enrol("http://192.0.2.1:8787", "K7PF-3MQX-W9", "Tel", None);
    assert!(
        matches!(enrolment, Err(TransportError::Insecure { .. })),
        "{enrolment:?}"
    );
    assert!(HttpTransport::new("http://127.0.0.1:8787", "token").is_ok());
}

/// A certificate authority of the test's own, and server certificates it signs.
struct TestCa {
    params: rcgen::CertificateParams,
    key: rcgen::KeyPair,
    pem: String,
}

impl TestCa {
    fn new() -> anyhow::Result<TestCa> {
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new())?;
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "Autorite de test Fil rouge");
        let key = rcgen::KeyPair::generate()?;
        let pem = params.self_signed(&key)?.pem();
        Ok(TestCa { params, key, pem })
    }

    /// A server identity for `names`, valid until `not_after`, in files under `dir`.
    fn identity(
        &self,
        dir: &std::path::Path,
        names: &[&str],
        not_after: (i32, u8, u8),
    ) -> anyhow::Result<TlsIdentity> {
        let mut params =
            rcgen::CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>())?;
        params.not_before = rcgen::date_time_ymd(2020, 1, 1);
        params.not_after = rcgen::date_time_ymd(not_after.0, not_after.1, not_after.2);
        let key = rcgen::KeyPair::generate()?;
        let issuer = rcgen::Issuer::from_params(&self.params, &self.key);
        let cert = params.signed_by(&key, &issuer)?;
        let (cert_path, key_path) = (dir.join("cert.pem"), dir.join("key.pem"));
        std::fs::write(&cert_path, cert.pem())?;
        std::fs::write(&key_path, key.serialize_pem())?;
        Ok(TlsIdentity::from_pem(&cert_path, &key_path)?)
    }
}

/// Runs a device's pull against `url` in a child process that trusts only `ca_file`,
/// and returns what it printed.
fn probe(url: &str, ca_file: &std::path::Path) -> anyhow::Result<String> {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tls-probe"))
        .arg(url)
        .env("SSL_CERT_FILE", ca_file)
        .env_remove("SSL_CERT_DIR")
        .output()?;
    anyhow::ensure!(out.status.success(), "the probe failed: {out:?}");
    Ok(String::from_utf8(out.stdout)?.trim().to_owned())
}

#[test]
fn a_ca_certificate_expired_or_for_another_host_is_refused_and_gets_nothing() -> anyhow::Result<()>
{
    let dir = tempfile::tempdir()?;
    let ca = TestCa::new()?;
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, &ca.pem)?;
    let token = "f00dcafe".repeat(8);
    for (case, names, not_after, trusted) in [
        ("valid", &["127.0.0.1"][..], (2999, 1, 1), true),
        ("expired", &["127.0.0.1"][..], (2021, 1, 1), false),
        (
            "another host",
            &["equipe.example.org"][..],
            (2999, 1, 1),
            false,
        ),
    ] {
        let case_dir = dir.path().join(case.replace(' ', "-"));
        std::fs::create_dir_all(&case_dir)?;
        let identity = ca.identity(&case_dir, names, not_after)?;
        let (url, recorded) = recorder(&identity, 1)?;
        let said = probe(&url, &ca_file)?;
        let received = recorded.bytes();
        let leaked = received.windows(token.len()).any(|w| w == token.as_bytes());
        if trusted {
            // The control: the same CA's valid certificate carries the request.
            assert!(said.starts_with("failed"), "{case}: {said}");
            assert!(leaked, "{case}: the request reached the server");
        } else {
            assert_eq!(said, "untrusted", "{case}");
            assert!(
                received.is_empty(),
                "{case}: {} bytes decrypted",
                received.len()
            );
        }
    }
    Ok(())
}

/// A TLS client's handshake with the server at `address`, given `patience` to finish.
fn handshake(
    address: std::net::SocketAddr,
    config: &Arc<rustls::ClientConfig>,
    patience: Duration,
) -> anyhow::Result<rustls::StreamOwned<rustls::ClientConnection, std::net::TcpStream>> {
    let tcp = std::net::TcpStream::connect(address)?;
    tcp.set_read_timeout(Some(patience))?;
    let name = rustls::pki_types::ServerName::try_from("filrouge.invalid")?;
    let mut tls = rustls::StreamOwned::new(
        rustls::ClientConnection::new(Arc::clone(config), name)?,
        tcp,
    );
    while tls.conn.is_handshaking() {
        tls.conn.complete_io(&mut tls.sock)?;
    }
    Ok(tls)
}

#[test]
fn connections_past_the_limit_wait_until_one_ends() -> anyhow::Result<()> {
    let limits = filrouge_server::ConnectionLimits {
        max_connections: 1,
        ..filrouge_server::ConnectionLimits::default()
    };
    let (address, config, stop, _runtime, _dir) = limited_server(limits)?;

    // One connection holds the only slot: the next is not even accepted.
    let first = handshake(address, &config, Duration::from_secs(10))?;
    let second = handshake(address, &config, Duration::from_millis(700));
    assert!(
        second.is_err(),
        "a second connection was served beside the first"
    );
    drop(second);
    // Once the first ends, a new one is served.
    drop(first);
    let third = handshake(address, &config, Duration::from_secs(10));
    assert!(third.is_ok(), "{:?}", third.err());

    let _ = stop.send(());
    Ok(())
}

/// A server within small limits on a free port; answers its address, the pinned
/// client configuration, and what stops it.
#[allow(clippy::type_complexity)]
fn limited_server(
    limits: filrouge_server::ConnectionLimits,
) -> anyhow::Result<(
    std::net::SocketAddr,
    Arc<rustls::ClientConfig>,
    tokio::sync::oneshot::Sender<()>,
    tokio::runtime::Runtime,
    tempfile::TempDir,
)> {
    let dir = tempfile::tempdir()?;
    let server = filrouge_server::TeamServer::open_sqlite(&dir.path().join("server.sqlite"))?;
    let identity = TlsIdentity::self_made(dir.path())?;
    let pin = sync::parse_pin(&identity.fingerprint).ok_or_else(|| anyhow::anyhow!("pin"))?;
    let config = Arc::new(sync::tls::pinned_config(pin)?);
    let runtime = tokio::runtime::Runtime::new()?;
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))?;
    let address = listener.local_addr()?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    runtime.spawn(async move {
        let shutdown = async {
            let _ = stopped.await;
        };
        filrouge_server::serve_tls_with(listener, server, &identity, shutdown, limits).await
    });
    Ok((address, config, stop, runtime, dir))
}

#[test]
fn one_address_cannot_take_every_connection() -> anyhow::Result<()> {
    let limits = filrouge_server::ConnectionLimits {
        per_address: 2,
        ..filrouge_server::ConnectionLimits::default()
    };
    let (address, config, stop, _runtime, _dir) = limited_server(limits)?;
    let first = handshake(address, &config, Duration::from_secs(10))?;
    let second = handshake(address, &config, Duration::from_secs(10))?;
    // A third from the same address is closed at once (not left waiting).
    let third = handshake(address, &config, Duration::from_secs(10));
    assert!(
        third.is_err(),
        "a third connection from one address was served"
    );
    drop(first);
    // One ended: the address may open another. Its slot is given back when the
    // server notices the close, so the client tries again until a deadline.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let again = loop {
        match handshake(address, &config, Duration::from_secs(10)) {
            Ok(tls) => break tls,
            Err(e) if std::time::Instant::now() > deadline => return Err(e),
            Err(_) => std::thread::yield_now(),
        }
    };
    drop((second, again));
    let _ = stop.send(());
    Ok(())
}

#[test]
fn headers_sent_a_byte_at_a_time_are_cut_off() -> anyhow::Result<()> {
    use std::io::Write as _;
    let limits = filrouge_server::ConnectionLimits {
        headers: Duration::from_millis(500),
        ..filrouge_server::ConnectionLimits::default()
    };
    let (address, config, stop, _runtime, _dir) = limited_server(limits)?;
    let mut tls = handshake(address, &config, Duration::from_secs(10))?;
    tls.sock.set_read_timeout(Some(Duration::from_millis(20)))?;
    tls.write_all(b"GET /health HTTP/1.1\r\nhost: filrouge\r\n")?;
    // A header byte every 50 ms: never idle, never done, for at most 10 s.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let mut answer = Vec::new();
    let cut = loop {
        if std::time::Instant::now() > deadline {
            break false;
        }
        if tls.write_all(b"x").and_then(|()| tls.flush()).is_err() {
            break true;
        }
        let mut buf = [0u8; 512];
        match tls.read(&mut buf) {
            // Closed, with or without a last answer before.
            Ok(0) => break true,
            Ok(n) => answer.extend_from_slice(&buf[..n]),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(_) => break true,
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(
        cut,
        "a client trickling its headers held the connection 10 s"
    );
    assert!(
        !answer.starts_with(b"HTTP/1.1 200"),
        "the trickled request was served"
    );
    let _ = stop.send(());
    Ok(())
}
