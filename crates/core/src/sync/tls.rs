//! What the device accepts as a team server on the wire: `https` with the certificate it
//! was given (pinned), or one the platform trusts; `http` only to this machine itself.
//!
//! A team server makes its own certificate; the invitation link carries its SHA-256
//! fingerprint, which the device keeps at enrolment and requires at every connection
//! afterwards (a pinning verifier): the server's name is not checked, the certificate itself
//! is. A server with a public CA's certificate is enrolled with no fingerprint and
//! checked against the platform's roots (`rustls-platform-verifier`, which also works
//! on Android). Plain `http` is refused unless the address is a loopback one (tests,
//! local development), and redirects are never followed, so a device token never
//! leaves in clear. The crypto provider is rustls' `ring`.

use std::net::IpAddr;
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, SignatureScheme};
use sha2::{Digest as _, Sha256};

use super::TransportError;

/// The crypto provider every TLS connection of this app uses.
pub(crate) fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// Makes `ring` the process's default crypto provider, which reqwest needs before it
/// builds any client (its platform verifier uses it for servers with a CA's
/// certificate). Installing it twice is harmless; any code that builds its own reqwest
/// client calls this first.
pub fn install_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// Checks that `base_url` may carry a device token: `https`, or `http` to a loopback
/// address.
pub fn check_url(base_url: &str) -> Result<(), TransportError> {
    let url = reqwest::Url::parse(base_url).map_err(|e| TransportError::Insecure {
        detail: format!("not an address: {e}"),
    })?;
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(&url) => Ok(()),
        "http" => Err(TransportError::Insecure {
            detail: "http to another machine than this one".into(),
        }),
        other => Err(TransportError::Insecure {
            detail: format!("scheme {other}"),
        }),
    }
}

fn is_loopback(url: &reqwest::Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => bare.eq_ignore_ascii_case("localhost"),
    }
}

/// A client TLS configuration that accepts only the certificate whose SHA-256 is `pin`
/// (for any client that talks to a team server, such as a test's raw HTTP requests).
pub fn pinned_config(pin: [u8; 32]) -> Result<rustls::ClientConfig, TransportError> {
    let provider = provider();
    let verifier = Arc::new(Pinned {
        pin,
        algorithms: provider.signature_verification_algorithms,
    });
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| TransportError::Protocol {
            detail: e.to_string(),
        })?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// Accepts exactly one certificate, by its SHA-256; the handshake's signatures are
/// still checked against it, so only the holder of its key can complete one.
#[derive(Debug)]
struct Pinned {
    pin: [u8; 32],
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for Pinned {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let seen: [u8; 32] = Sha256::digest(end_entity.as_ref()).into();
        if seen == self.pin {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::ApplicationVerificationFailure,
            ))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// Whether a request error is a refused certificate (somewhere in its causes).
pub(crate) fn is_certificate_error(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(error);
    while let Some(e) = cause {
        if let Some(tls) = e.downcast_ref::<rustls::Error>() {
            return matches!(
                tls,
                rustls::Error::InvalidCertificate(_) | rustls::Error::NoCertificatesPresented
            );
        }
        if let Some(io) = e.downcast_ref::<std::io::Error>()
            && let Some(inner) = io.get_ref()
            && is_certificate_error(inner)
        {
            return true;
        }
        cause = e.source();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_or_loopback_http_carries_a_token() {
        for ok in [
            "https://equipe.example.org",
            "https://192.168.1.20:8787",
            "http://127.0.0.1:8787",
            "http://[::1]:8787",
            "http://localhost:8787",
        ] {
            assert_eq!(check_url(ok), Ok(()), "{ok}");
        }
        for refused in [
            "http://192.168.1.20:8787",
            "http://equipe.example.org",
            "ftp://127.0.0.1",
            "pas une adresse",
        ] {
            assert!(
                matches!(check_url(refused), Err(TransportError::Insecure { .. })),
                "{refused}"
            );
        }
    }
}
