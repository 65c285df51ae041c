//! Device tokens and enrolment codes: how they are made, read back and hashed.
//!
//! Both are secrets the server hands out once and then only recognises: it stores the
//! SHA-256 of each (hex), never the secret itself, so a copy of the database lets nobody
//! impersonate a device or enrol one. A token is 32 random bytes in lowercase hex, read by
//! machines only. An enrolment code is read aloud or typed on a phone by a person, so it
//! uses an alphabet without look-alikes (no `0 O 1 I L`), is shown grouped as
//! `ABCD-EFGH-JK`, and is accepted in any case with or without dashes and spaces:
//! [`normalize_code`] turns what was typed into the canonical form that was hashed.

use sha2::{Digest, Sha256};

use crate::error::ServerError;

/// The characters of an enrolment code: digits and capitals without `0 O 1 I L`.
pub const CODE_ALPHABET: &[u8; 31] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// How many characters an enrolment code has (about 49.5 bits of entropy).
pub const CODE_LEN: usize = 10;
/// Random bytes in a device token.
const TOKEN_BYTES: usize = 32;

/// The SHA-256 of `bytes`, as 64 lowercase hex characters.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Whether `s` is exactly 64 lowercase hex characters (a SHA-256 or a token).
pub fn is_lower_hex_64(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// A fresh device token: 32 random bytes, lowercase hex.
pub fn new_token() -> Result<String, ServerError> {
    let mut bytes = [0u8; TOKEN_BYTES];
    getrandom::fill(&mut bytes).map_err(|source| ServerError::Random { source })?;
    Ok(hex::encode(bytes))
}

/// A fresh log identity ([`filrouge_model::sync::LogId`]): a random (version 4) UUID.
pub fn new_log_id() -> Result<String, ServerError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|source| ServerError::Random { source })?;
    Ok(uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .to_string())
}

/// The stored hash of a presented token, or `None` when it cannot be a token at all
/// (which spares the database a lookup).
pub fn hash_token(token: &str) -> Option<String> {
    is_lower_hex_64(token).then(|| sha256_hex(token.as_bytes()))
}

/// A fresh enrolment code in its display form, e.g. `ABCD-EFGH-JK`.
pub fn new_enrolment_code() -> Result<String, ServerError> {
    // Rejection sampling: 248 is the largest multiple of 31 that fits in a byte, so
    // keeping only bytes below it gives every character the same chance.
    const LIMIT: u8 = 248;
    let mut chars = Vec::with_capacity(CODE_LEN);
    while chars.len() < CODE_LEN {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|source| ServerError::Random { source })?;
        for b in bytes.into_iter().filter(|b| *b < LIMIT) {
            if chars.len() == CODE_LEN {
                break;
            }
            chars.push(CODE_ALPHABET[usize::from(b % 31)]);
        }
    }
    Ok(group_code(&chars))
}

/// Inserts a dash every four characters: `ABCDEFGHJK` → `ABCD-EFGH-JK`.
fn group_code(chars: &[u8]) -> String {
    chars
        .chunks(4)
        .map(|chunk| chunk.iter().map(|&b| char::from(b)).collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// The canonical form of a typed code (capitals, no separators), or `None` when it
/// cannot be a code: wrong length or a character outside [`CODE_ALPHABET`].
pub fn normalize_code(input: &str) -> Option<String> {
    let canonical: String = input
        .chars()
        .filter(|c| *c != '-' && !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let valid = canonical.len() == CODE_LEN
        && canonical
            .bytes()
            .all(|b| b.is_ascii() && CODE_ALPHABET.contains(&b));
    valid.then_some(canonical)
}

/// The stored hash of a typed code, or `None` when it cannot be a code.
pub fn hash_code(input: &str) -> Option<String> {
    normalize_code(input).map(|canonical| sha256_hex(canonical.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_64_hex_and_distinct() -> Result<(), ServerError> {
        let a = new_token()?;
        let b = new_token()?;
        assert!(is_lower_hex_64(&a));
        assert_ne!(a, b);
        assert!(hash_token(&a).is_some());
        assert_ne!(hash_token(&a), Some(a));
        Ok(())
    }

    #[test]
    fn malformed_tokens_have_no_hash() {
        assert_eq!(hash_token(""), None);
        assert_eq!(hash_token(&"A".repeat(64)), None);
        assert_eq!(hash_token(&"a".repeat(63)), None);
    }

    #[test]
    fn codes_are_grouped_and_use_the_unambiguous_alphabet() -> Result<(), ServerError> {
        for _ in 0..200 {
            let code = new_enrolment_code()?;
            assert_eq!(code.len(), 12, "{code}");
            assert_eq!(&code[4..5], "-");
            assert_eq!(&code[9..10], "-");
            for c in code.chars().filter(|c| *c != '-') {
                assert!(!"0O1IL".contains(c), "{code}");
            }
            assert!(normalize_code(&code).is_some());
        }
        Ok(())
    }

    #[test]
    fn typed_codes_are_normalised() {
        let canonical = Some("ABCDEFGHJK".to_owned());
        assert_eq!(normalize_code("ABCD-EFGH-JK"), canonical);
        assert_eq!(normalize_code("abcd efgh jk"), canonical);
        assert_eq!(normalize_code(" abcdefghjk\n"), canonical);
        assert_eq!(hash_code("abcd-efgh-jk"), hash_code("ABCDEFGHJK"));
    }

    #[test]
    fn impossible_codes_are_refused() {
        assert_eq!(normalize_code("ABCD-EFGH-J"), None);
        assert_eq!(normalize_code("ABCD-EFGH-JKM"), None);
        assert_eq!(normalize_code("ABCD-EFGH-J0"), None);
        assert_eq!(normalize_code("ABCD-EFGH-JÉ"), None);
        assert_eq!(hash_code(""), None);
    }
}
