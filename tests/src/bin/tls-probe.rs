//! A device's pull from the server at `argv[1]` with no pinned certificate, so that the
//! platform's roots judge it (the TLS tests point `SSL_CERT_FILE` at a CA of their own,
//! which only a child process can be given without touching the test's environment).
//! Prints `untrusted` when the certificate is refused, `ok` when the pull succeeded,
//! and `failed: …` for any other failure (the request may have left).

use filrouge_core::sync::{HttpTransport, Transport as _, TransportError};
use filrouge_model::sync::{API_VERSION, PullQuery};

fn main() -> anyhow::Result<()> {
    let url = std::env::args()
        .nth(1)
        .ok_or_else(|| anyhow::anyhow!("usage: tls-probe <server url>"))?;
    let token = "f00dcafe".repeat(8);
    let mut transport = HttpTransport::pinned(&url, &token, None)?;
    let query = PullQuery {
        api_version: API_VERSION,
        after: 0,
        max_bytes: None,
    };
    match transport.pull(&query) {
        Ok(_) => println!("ok"),
        Err(TransportError::Untrusted) => println!("untrusted"),
        Err(e) => println!("failed: {e:?}"),
    }
    Ok(())
}
