//! The store's data key and the worker's secret that wraps it: the key file beside the
//! store.
//!
//! A random 256-bit data key encrypts the store (SQLCipher with a raw key, so opening
//! costs no key derivation). The key is never written in clear: the key file
//! (`filrouge.key` beside `filrouge.sqlite`) holds it sealed with XChaCha20-Poly1305
//! under a key that Argon2id derives from the worker's secret. With a platform keystore
//! the secret is a PIN of six digits or more and the keystore's own secret enters
//! Argon2 as its secret input, so a copied key file cannot be attacked without the
//! keystore; with none, the secret must be a passphrase of twelve characters or more and
//! Argon2 costs more ([`Protection`]).
//!
//! The key file also counts failed attempts, so the count survives a restart: an attempt
//! is counted on disk before it is checked; after [`FREE_ATTEMPTS`] failures each next
//! attempt waits longer; the [`MAX_ATTEMPTS`]th failure destroys the key (the file is
//! overwritten, synced and deleted) and the store can never be read again. Changing the
//! secret re-seals the same data key: the store is not re-encrypted.
//!
//! [`migrate`] turns a store written in clear by an earlier version into an encrypted
//! one, safe against a kill at any step.

mod file;
pub mod migrate;

use std::path::{Path, PathBuf};

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::CoreError;
use file::KeyFile;

/// Failed attempts allowed before each next one must wait.
pub const FREE_ATTEMPTS: u32 = 5;
/// The failed attempt that destroys the key.
pub const MAX_ATTEMPTS: u32 = 10;
/// The wait after the first failure past [`FREE_ATTEMPTS`]; it doubles at each next one.
pub const FIRST_WAIT_MS: i64 = 30_000;

/// What the worker's secret is, which sets its rules and Argon2's cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Protection {
    /// A PIN of at least six digits, with a platform keystore's secret.
    Pin,
    /// A passphrase of at least twelve characters, with no keystore.
    Passphrase,
}

impl Protection {
    /// The shortest secret accepted, in characters.
    pub fn min_len(self) -> usize {
        match self {
            Protection::Pin => 6,
            Protection::Passphrase => 12,
        }
    }

    /// Argon2id's cost: at least OWASP's (19 MiB, 2 passes) for a PIN, whose strength
    /// rests on the keystore too; four times the memory for a passphrase, which stands
    /// alone.
    pub fn cost(self) -> Cost {
        match self {
            Protection::Pin => Cost {
                memory_kib: 46 * 1024,
                passes: 2,
                lanes: 1,
            },
            Protection::Passphrase => Cost {
                memory_kib: 192 * 1024,
                passes: 3,
                lanes: 1,
            },
        }
    }

    /// The kind of secret, as the screen knows it.
    pub fn kind(self) -> filrouge_model::ipc::SecretKind {
        match self {
            Protection::Pin => filrouge_model::ipc::SecretKind::Pin,
            Protection::Passphrase => filrouge_model::ipc::SecretKind::Passphrase,
        }
    }

    /// Checks a new secret against the rules.
    pub fn check(self, secret: &str) -> Result<(), CoreError> {
        let long_enough = secret.chars().count() >= self.min_len();
        let shaped = match self {
            Protection::Pin => secret.chars().all(|c| c.is_ascii_digit()),
            Protection::Passphrase => !secret.trim().is_empty(),
        };
        if long_enough && shaped {
            Ok(())
        } else {
            Err(CoreError::WeakSecret {
                protection: self,
                min_len: self.min_len(),
            })
        }
    }
}

/// Argon2id's parameters, kept in the key file so that a later version may raise them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cost {
    /// Memory, in KiB.
    pub memory_kib: u32,
    /// Passes over the memory.
    pub passes: u32,
    /// Parallel lanes.
    pub lanes: u32,
}

/// The store's 256-bit data key; wiped from memory when dropped.
#[derive(Clone)]
pub struct DataKey(Zeroizing<[u8; 32]>);

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(…)")
    }
}

impl DataKey {
    /// A new random key from the operating system.
    pub fn random() -> Result<DataKey, CoreError> {
        let mut bytes = Zeroizing::new([0u8; 32]);
        getrandom::fill(bytes.as_mut()).map_err(|_| CoreError::NoRandomness)?;
        Ok(DataKey(bytes))
    }

    /// A key from its bytes (tests, tools).
    pub fn from_bytes(bytes: [u8; 32]) -> DataKey {
        DataKey(Zeroizing::new(bytes))
    }

    /// The key as SQLCipher's raw-key literal, `x'…'`: no key derivation at open. The
    /// hex digits are written straight into the wiped string, never into a temporary
    /// `String` that would leave the key in freed memory.
    pub(crate) fn sqlcipher_literal(&self) -> Zeroizing<String> {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut literal = Zeroizing::new(String::with_capacity(3 + 2 * self.0.len()));
        literal.push_str("x'");
        for byte in self.0.iter() {
            literal.push(char::from(DIGITS[usize::from(byte >> 4)]));
            literal.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
        }
        literal.push('\'');
        literal
    }
}

/// The HMAC that authenticates each page. SHA-256 rather than SQLCipher's default
/// SHA-512: CPUs hash it in hardware (x86's SHA extensions, ARMv8's crypto extensions,
/// which phones have; SHA-512 only from ARMv8.2), and every page written pays for it.
/// At 100,000 records a create went from 1.30× to 1.20× the store in clear.
pub(crate) const PAGE_HMAC: &str = "HMAC_SHA256";

/// Keys `conn` with `key`: the first statement on a new connection, after SQLCipher's
/// settings for the process ([`cipher_defaults`]).
pub(crate) fn apply_key(conn: &rusqlite::Connection, key: &DataKey) -> Result<(), CoreError> {
    cipher_defaults(conn)?;
    let literal = key.sqlcipher_literal();
    // The literal is our own hex, never user input.
    let mut statement = Zeroizing::new(String::with_capacity(literal.len() + 16));
    statement.push_str("PRAGMA key = \"");
    statement.push_str(&literal);
    statement.push_str("\";");
    conn.execute_batch(&statement)?;
    Ok(())
}

/// Makes SQLCipher's settings for the whole process, once, before the first key: our
/// page cipher ([`use_page_cipher`]), the page HMAC ([`PAGE_HMAC`]) as the default of
/// every codec made afterwards, and its log silenced (a wrong key is our error to
/// report, not a line on stderr). SQLCipher keeps both settings in globals, so a
/// connection keyed afterwards needs one statement, not three: each statement is
/// parsed at every open (with the plaintext migration's leftovers looked for only
/// beside a store in clear, a cold open at 10,000 records went from 1.15× to 1.13×
/// the store in clear, `bench store`). `conn` only carries the statements; no codec
/// is made before the defaults are in force, as the flag is set once they are.
pub(crate) fn cipher_defaults(conn: &rusqlite::Connection) -> Result<(), CoreError> {
    use std::sync::atomic::{AtomicBool, Ordering};
    static DONE: AtomicBool = AtomicBool::new(false);
    if !DONE.load(Ordering::Acquire) {
        // Two threads may both get here: each sets the same values before its own key.
        use_page_cipher();
        conn.execute_batch(&format!(
            "PRAGMA cipher_log_level = NONE; PRAGMA cipher_default_hmac_algorithm = {PAGE_HMAC};"
        ))?;
        DONE.store(true, Ordering::Release);
    }
    Ok(())
}

/// Makes SQLCipher encrypt and check pages through `filrouge-cipher` (once per
/// process, before a codec is made: a codec takes the provider in force when its key is
/// set). SQLCipher's own OpenSSL provider sets up its contexts and the AES key schedule
/// again for every page: at 10,000 records a create cost 1.22× the store in clear with
/// it and 1.17× with ours, a cold open 1.24× and 1.15× (`bench store`, same hour; at
/// 100,000 records 1.15× each with ours). Same algorithms, same file format. Should SQLCipher refuse it, its own provider serves,
/// as safe and slower, and the log says so once.
pub(crate) fn use_page_cipher() {
    static WARNED: std::sync::Once = std::sync::Once::new();
    if let Err(error) = filrouge_cipher::install() {
        WARNED.call_once(|| tracing::warn!(%error, "pages encrypted by SQLCipher's own provider"));
    }
}

/// Where a store's key file lives: beside it, named after it.
pub fn key_path(store: &Path) -> PathBuf {
    store.with_extension("key")
}

/// How the lock stands, for the lock screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attempts {
    /// Failed attempts in a row so far.
    pub failed: u32,
    /// Attempts left before the key is destroyed.
    pub left: u32,
    /// How long before the next attempt is taken, in milliseconds (0: now).
    pub wait_ms: i64,
}

/// The key file of a store, read from disk.
#[derive(Debug)]
pub struct Vault {
    path: PathBuf,
    file: KeyFile,
}

impl Vault {
    /// Makes a new data key and its key file for the store at `store`, sealed by
    /// `secret` (checked against `protection`'s rules) and the keystore's `platform`
    /// secret, if any. Refuses to replace an existing key file: that would lose the
    /// store.
    pub fn create(
        store: &Path,
        protection: Protection,
        secret: &str,
        platform: Option<&[u8]>,
    ) -> Result<(Vault, DataKey), CoreError> {
        protection.check(secret)?;
        let path = key_path(store);
        if path.exists() {
            return Err(CoreError::KeyExists);
        }
        let key = DataKey::random()?;
        let file = KeyFile::seal(protection, protection.cost(), secret, platform, &key)?;
        file.write(&path)?;
        Ok((Vault { path, file }, key))
    }

    /// Reads the key file of the store at `store`; `None` if there is none.
    pub fn read(store: &Path) -> Result<Option<Vault>, CoreError> {
        let path = key_path(store);
        Ok(KeyFile::read(&path)?.map(|file| Vault { path, file }))
    }

    /// What the worker's secret is.
    pub fn protection(&self) -> Protection {
        self.file.protection
    }

    /// The failed attempts and the wait, at `now_ms`.
    pub fn attempts(&self, now_ms: i64) -> Attempts {
        Attempts {
            failed: self.file.failed,
            left: MAX_ATTEMPTS.saturating_sub(self.file.failed),
            wait_ms: (self.file.wait_until_ms - now_ms).max(0),
        }
    }

    /// Unseals the data key with `secret`. The attempt is counted on disk first, so a
    /// process killed during the check still counts it; a success clears the count; the
    /// last failure destroys the key.
    pub fn unlock(
        &mut self,
        secret: &str,
        platform: Option<&[u8]>,
        now_ms: i64,
    ) -> Result<DataKey, CoreError> {
        if self.file.failed >= MAX_ATTEMPTS {
            // The last failure was counted but the key not yet destroyed (a kill in
            // between): it is now, before any other try.
            file::destroy(&self.path)?;
            return Err(CoreError::KeyDestroyed);
        }
        // A file that cannot be read is damaged, not a wrong secret: checked before any
        // attempt is counted.
        self.file.check()?;
        let attempts = self.attempts(now_ms);
        if attempts.wait_ms > 0 {
            return Err(CoreError::TooSoon {
                wait_ms: attempts.wait_ms,
            });
        }
        self.file.failed += 1;
        self.file.write(&self.path)?;
        match self.file.open(secret, platform) {
            Some(key) => {
                self.file.failed = 0;
                self.file.wait_until_ms = 0;
                self.file.write(&self.path)?;
                Ok(key)
            }
            None if self.file.failed >= MAX_ATTEMPTS => {
                file::destroy(&self.path)?;
                Err(CoreError::KeyDestroyed)
            }
            None => {
                if self.file.failed >= FREE_ATTEMPTS {
                    let doublings = self.file.failed - FREE_ATTEMPTS;
                    self.file.wait_until_ms = now_ms + (FIRST_WAIT_MS << doublings.min(16));
                    self.file.write(&self.path)?;
                }
                Err(CoreError::WrongSecret {
                    attempts_left: MAX_ATTEMPTS - self.file.failed,
                })
            }
        }
    }

    /// Re-seals the data key under `new` after checking `old` (an attempt like any
    /// other). The store is not touched.
    pub fn change_secret(
        &mut self,
        old: &str,
        new: &str,
        platform: Option<&[u8]>,
        now_ms: i64,
    ) -> Result<(), CoreError> {
        let protection = self.file.protection;
        protection.check(new)?;
        let key = self.unlock(old, platform, now_ms)?;
        self.file = KeyFile::seal(protection, protection.cost(), new, platform, &key)?;
        self.file.write(&self.path)
    }

    /// Destroys the key file: the store it opened can never be read again.
    pub fn destroy(store: &Path) -> Result<(), CoreError> {
        file::destroy(&key_path(store))
    }
}

/// Argon2id of `secret` with `salt`, and the keystore's secret as Argon2's own secret.
fn derive(
    cost: Cost,
    secret: &str,
    platform: Option<&[u8]>,
    salt: &[u8],
) -> Result<Zeroizing<[u8; 32]>, CoreError> {
    let params = Params::new(cost.memory_kib, cost.passes, cost.lanes, Some(32))
        .map_err(|_| CoreError::DamagedKeyFile)?;
    let argon = match platform {
        Some(pepper) => {
            Argon2::new_with_secret(pepper, Algorithm::Argon2id, Version::V0x13, params)
                .map_err(|_| CoreError::DamagedKeyFile)?
        }
        None => Argon2::new(Algorithm::Argon2id, Version::V0x13, params),
    };
    let mut out = Zeroizing::new([0u8; 32]);
    argon
        .hash_password_into(secret.as_bytes(), salt, out.as_mut())
        .map_err(|_| CoreError::DamagedKeyFile)?;
    Ok(out)
}

/// Seals the data key under the derived key; `aad` binds the protection to it.
fn seal(kek: &[u8; 32], nonce: &[u8; 24], aad: &[u8], key: &DataKey) -> Result<Vec<u8>, CoreError> {
    XChaCha20Poly1305::new(kek.into())
        .encrypt(
            XNonce::from_slice(nonce),
            Payload {
                msg: key.0.as_ref(),
                aad,
            },
        )
        .map_err(|_| CoreError::DamagedKeyFile)
}

/// Opens a sealed data key; `None` if the derived key is not the one that sealed it.
fn open(kek: &[u8; 32], nonce: &[u8; 24], aad: &[u8], sealed: &[u8]) -> Option<DataKey> {
    let plain = Zeroizing::new(
        XChaCha20Poly1305::new(kek.into())
            .decrypt(XNonce::from_slice(nonce), Payload { msg: sealed, aad })
            .ok()?,
    );
    let bytes: [u8; 32] = plain.as_slice().try_into().ok()?;
    Some(DataKey::from_bytes(bytes))
}

#[cfg(test)]
mod tests;
