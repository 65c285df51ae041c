//! The printed form of the team's recovery key: its 32-byte X25519 secret and a 2-byte
//! checksum (the start of the secret's SHA-256), in base32 (RFC 4648's alphabet: no
//! 0, 1 or 8 to mistake for O, I or B, and those are read as such when typed), 55
//! characters in eleven groups of five. A mistyped character fails the checksum instead
//! of yielding another key.

use sha2::{Digest as _, Sha256};
use zeroize::Zeroizing;

use super::DeviceSecret;

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
/// Characters of the printed key (34 bytes, 5 bits a character).
const CHARS: usize = 55;
const GROUP: usize = 5;

/// The recovery key's printed form.
pub fn recovery_text(secret: &DeviceSecret) -> Zeroizing<String> {
    let bytes = with_checksum(secret);
    let mut out = Zeroizing::new(String::with_capacity(CHARS + CHARS / GROUP));
    let (mut buffer, mut bits) = (0u32, 0u32);
    let mut written = 0;
    for byte in bytes.iter() {
        buffer = (buffer << 8) | u32::from(*byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            push(&mut out, &mut written, (buffer >> bits) & 31);
        }
    }
    if bits > 0 {
        push(&mut out, &mut written, (buffer << (5 - bits)) & 31);
    }
    out
}

fn push(out: &mut String, written: &mut usize, index: u32) {
    if *written > 0 && (*written).is_multiple_of(GROUP) {
        out.push('-');
    }
    out.push(char::from(ALPHABET[index as usize]));
    *written += 1;
}

/// Reads a typed recovery key back; `None` unless it has the right length and its
/// checksum checks. Spaces, dashes and case do not matter; 0, 1 and 8 read as O, I, B.
pub fn parse_recovery_text(text: &str) -> Option<DeviceSecret> {
    let mut bytes = Zeroizing::new(Vec::with_capacity(34));
    let (mut buffer, mut bits, mut count) = (0u32, 0u32, 0usize);
    for c in text.chars().filter(|c| !c.is_whitespace() && *c != '-') {
        let c = match c.to_ascii_uppercase() {
            '0' => 'O',
            '1' => 'I',
            '8' => 'B',
            c => c,
        };
        let value = ALPHABET.iter().position(|a| char::from(*a) == c)?;
        buffer = ((buffer << 5) | value as u32) & 0xFFF;
        bits += 5;
        count += 1;
        if bits >= 8 {
            bits -= 8;
            bytes.push((buffer >> bits) as u8);
        }
    }
    if count != CHARS || bytes.len() != 34 {
        return None;
    }
    let secret = DeviceSecret::from_slice(&bytes[..32])?;
    (with_checksum(&secret)[32..] == bytes[32..]).then_some(secret)
}

fn with_checksum(secret: &DeviceSecret) -> Zeroizing<Vec<u8>> {
    let raw = secret.to_bytes();
    let mut bytes = Zeroizing::new(Vec::with_capacity(34));
    bytes.extend_from_slice(raw.as_ref());
    let sum = Sha256::digest(raw.as_ref());
    bytes.extend_from_slice(&sum[..2]);
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_printed_key_reads_back_however_it_is_typed() {
        let secret = DeviceSecret::random().unwrap();
        let text = recovery_text(&secret);
        assert_eq!(text.len(), CHARS + CHARS / GROUP - 1);
        assert_eq!(text.split('-').count(), 11);
        let back = parse_recovery_text(&text).unwrap();
        assert_eq!(back.public(), secret.public());
        let typed = text.to_lowercase().replace('-', " ").replace('o', "0");
        assert_eq!(
            parse_recovery_text(&typed).unwrap().public(),
            secret.public()
        );
    }

    #[test]
    fn a_mistyped_or_short_key_is_refused() {
        // A fixed key: a 16-bit checksum lets one typo in 65,536 through, and a test
        // must give the same answer every run.
        let secret = DeviceSecret::from_slice(&[0x5A; 32]).unwrap();
        let text = recovery_text(&secret).replace('-', "");
        for i in 0..text.len() {
            let mut typo: Vec<char> = text.chars().collect();
            typo[i] = if typo[i] == 'A' { 'C' } else { 'A' };
            let typo: String = typo.into_iter().collect();
            // A slip in the three unused bits of the last character may read alike.
            if let Some(read) = parse_recovery_text(&typo) {
                assert_eq!(read.public(), secret.public(), "at {i}");
            }
        }
        assert!(parse_recovery_text(&text[..54]).is_none());
        assert!(parse_recovery_text(&format!("{text}A")).is_none());
        assert!(parse_recovery_text("").is_none());
        assert!(parse_recovery_text(&format!("{}!", &text[..54])).is_none());
    }
}
