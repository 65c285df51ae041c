//! The invitation link: a team server's address, a single-use enrolment code, the
//! server certificate's fingerprint and the one-time secret that opens the team's keys,
//! in one line, `filrouge://enrol?server=…&code=…&pin=…&key=…`.
//!
//! A coordinator's app shows it as a QR code and as text beside the code itself; the
//! new device's camera (or a message) carries it over, and pasting it into the code
//! field of the enrolment form fills both the server's address and the code, so that
//! nobody types a URL on a phone. The fingerprint (`pin`, the SHA-256 of the server's own
//! certificate) is what lets the new device refuse anyone standing in for the server.
//! The secret (`key`) opens the team's keys, which the inviting device left sealed with
//! the server for the code; the server never sees it, so it cannot open them. Only
//! these values travel: nothing about the team or the people in it.

/// What every invitation link starts with.
pub const INVITE_PREFIX: &str = "filrouge://enrol?";

/// What an invitation link carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InviteLink {
    /// The team server's address.
    pub server: String,
    /// The single-use enrolment code.
    pub code: String,
    /// The SHA-256 (hex) of the server's certificate, when it has its own.
    pub pin: Option<String>,
    /// The one-time secret (hex) opening the team's keys, when the team seals its
    /// changes end to end.
    pub key: Option<String>,
}

/// The link for `server_url`, `code`, the server certificate's fingerprint `pin` and
/// the secret `key` opening the team's keys.
pub fn invite_link(server_url: &str, code: &str, pin: Option<&str>, key: Option<&str>) -> String {
    let mut link = format!(
        "{INVITE_PREFIX}server={}&code={}",
        percent_encode(server_url),
        percent_encode(code)
    );
    if let Some(pin) = pin {
        link.push_str("&pin=");
        link.push_str(&percent_encode(pin));
    }
    if let Some(key) = key {
        link.push_str("&key=");
        link.push_str(&percent_encode(key));
    }
    link
}

/// What a pasted link carries (spaces around it ignored), or `None` when `text` is not
/// an invitation link (a bare code, say).
pub fn parse_invite_link(text: &str) -> Option<InviteLink> {
    let query = text.trim().strip_prefix(INVITE_PREFIX)?;
    let (mut server, mut code, mut pin, mut key) = (None, None, None, None);
    for pair in query.split('&') {
        let (name, value) = pair.split_once('=')?;
        match name {
            "server" => server = Some(decode(value)?),
            "code" => code = Some(decode(value)?),
            "pin" => pin = Some(decode(value)?).filter(|p| !p.is_empty()),
            "key" => key = Some(decode(value)?).filter(|k| !k.is_empty()),
            _ => {}
        }
    }
    let (server, code) = (server?, code?);
    (!server.is_empty() && !code.is_empty()).then_some(InviteLink {
        server,
        code,
        pin,
        key,
    })
}

/// Percent-encodes every byte but the URL-safe unreserved ones (RFC 3986).
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Reads [`percent_encode`] back; `None` for a broken escape or bytes that are not UTF-8.
fn decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_carries_the_address_and_the_code_back() {
        let link = invite_link(
            "http://192.168.1.20:8787/équipe",
            "K7PF-3MQX-W9",
            None,
            None,
        );
        assert_eq!(
            link,
            "filrouge://enrol?server=http%3A%2F%2F192.168.1.20%3A8787%2F%C3%A9quipe&code=K7PF-3MQX-W9"
        );
        assert_eq!(
            parse_invite_link(&format!("  {link}\n")),
            Some(InviteLink {
                server: "http://192.168.1.20:8787/équipe".to_owned(),
                code: "K7PF-3MQX-W9".to_owned(),
                pin: None,
                key: None,
            })
        );
        let pin = "ab".repeat(32);
        let pinned = invite_link(
            "https://equipe.example.org",
            "K7PF-3MQX-W9",
            Some(&pin),
            None,
        );
        assert!(pinned.ends_with(&format!("&pin={pin}")), "{pinned}");
        assert_eq!(
            parse_invite_link(&pinned).and_then(|l| l.pin),
            Some(pin.clone())
        );
        let key = "cd".repeat(32);
        let keyed = invite_link("https://equipe.example.org", "K7PF", Some(&pin), Some(&key));
        assert!(keyed.ends_with(&format!("&pin={pin}&key={key}")), "{keyed}");
        assert_eq!(parse_invite_link(&keyed).and_then(|l| l.key), Some(key));
    }

    #[test]
    fn anything_else_is_not_a_link() {
        for text in [
            "K7PF-3MQX-W9",
            "filrouge://enrol?code=K7PF",
            "filrouge://enrol?server=&code=K7PF",
            "filrouge://enrol?server=http%3&code=K7PF",
            "filrouge://enrol?server=%FF&code=K7PF",
            "https://example.org/?server=a&code=b",
        ] {
            assert_eq!(parse_invite_link(text), None, "{text}");
        }
    }
}
