//! Encrypting a store that an earlier version wrote in clear, safe against a kill at
//! any step.
//!
//! The plaintext file's WAL is first folded into it and the file switched out of WAL
//! mode, so the file alone holds everything. SQLCipher's `sqlcipher_export` then copies
//! it into a new encrypted file beside it, which is synced, checked (integrity, and the
//! same rows in every table) and renamed over the plaintext one, an atomic step. Killed
//! before the rename, the plaintext store is whole and the half-made copy is deleted at
//! the next start, which begins again; killed after it, the encrypted store is whole.
//! Either way exactly one usable store remains. [`Step`]s are reported as they end, for
//! progress and for the test that kills the process at each one.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use super::DataKey;
use super::file::sync_dir;
use crate::CoreError;

/// The steps of an encryption, each reported once done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The plaintext WAL is folded into the file.
    Folded,
    /// The encrypted copy is written and synced.
    Exported,
    /// The copy holds every row of the original.
    Verified,
    /// The copy has taken the store's name.
    Replaced,
    /// The plaintext's leftover files are gone.
    Cleaned,
}

impl Step {
    /// Every step, in order.
    pub const ALL: [Step; 5] = [
        Step::Folded,
        Step::Exported,
        Step::Verified,
        Step::Replaced,
        Step::Cleaned,
    ];
}

/// The first bytes of every unencrypted SQLite file.
const PLAINTEXT_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// Whether the file at `path` is a SQLite database in clear.
pub fn is_plaintext(path: &Path) -> Result<bool, CoreError> {
    use std::io::Read as _;
    let mut header = [0u8; 16];
    match std::fs::File::open(path) {
        Ok(mut file) => match file.read_exact(&mut header) {
            Ok(()) => Ok(&header == PLAINTEXT_HEADER),
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(false),
            Err(e) => Err(e.into()),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// The encrypted copy's name while it is being made.
fn copy_path(store: &Path) -> PathBuf {
    store.with_extension("encrypting")
}

/// A file beside `path` with `suffix` appended to its name (`-wal`, `-shm`…).
fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn remove_if_present(path: &Path) -> Result<(), CoreError> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.into()),
        _ => Ok(()),
    }
}

/// Encrypts the store at `store` with `key` if it is in clear, reporting each step to
/// `observe`; returns whether it did. A copy left by an encryption killed half-way is
/// deleted first.
pub fn encrypt_plaintext(
    store: &Path,
    key: &DataKey,
    observe: &mut dyn FnMut(Step),
) -> Result<bool, CoreError> {
    if !is_plaintext(store)? {
        return Ok(false);
    }
    // Leftovers of an encryption killed half-way exist only beside a store still in
    // clear (the copy replaces the store in one rename, its journal gone long before),
    // so an encrypted store's every open is spared looking for them.
    let copy = copy_path(store);
    remove_if_present(&copy)?;
    remove_if_present(&beside(&copy, "-journal"))?;
    tracing::info!("encrypting a store written in clear");

    // Fold the WAL into the file and leave WAL mode, so nothing lives beside it.
    {
        let plain = Connection::open(store)?;
        let busy: i64 = plain.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
        let mode: String = plain.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
        // Another connection still reads the store: its WAL is not all in the file.
        if busy != 0 || !mode.eq_ignore_ascii_case("delete") {
            return Err(CoreError::EncryptionCheck {
                what: "the store is in use by another connection".to_owned(),
            });
        }
    }
    observe(Step::Folded);

    let version: i64 = {
        let plain = Connection::open(store)?;
        let version = plain.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let literal = key.sqlcipher_literal();
        let copy_name = copy.to_string_lossy();
        // The copy is attached with the settings every keyed open uses.
        super::cipher_defaults(&plain)?;
        plain.execute(
            "ATTACH DATABASE ?1 AS encrypted KEY ?2",
            [copy_name.as_ref(), literal.as_str()],
        )?;
        plain.query_row("SELECT sqlcipher_export('encrypted')", [], |_| Ok(()))?;
        // sqlcipher_export copies tables, not the header's user_version (the schema's).
        plain.execute_batch(&format!("PRAGMA encrypted.user_version = {version}"))?;
        plain.execute_batch("DETACH DATABASE encrypted")?;
        version
    };
    std::fs::File::open(&copy)?.sync_all()?;
    observe(Step::Exported);

    verify(store, &copy, key, version)?;
    ask_for_a_new_token(&copy, key)?;
    observe(Step::Verified);

    std::fs::rename(&copy, store)?;
    sync_dir(store)?;
    observe(Step::Replaced);

    // Files of the plaintext store that must not pair with the encrypted one.
    for suffix in ["-wal", "-shm", "-journal"] {
        remove_if_present(&beside(store, suffix))?;
    }
    sync_dir(store)?;
    observe(Step::Cleaned);
    Ok(true)
}

/// The device token was in clear in the old file, whose blocks may outlive it on the
/// flash: the copy asks for a new one at the next sync (`crate::sync::rotate`). Written
/// into the copy before the rename, so the request cannot be lost between the two.
fn ask_for_a_new_token(copy: &Path, key: &DataKey) -> Result<(), CoreError> {
    let encrypted = Connection::open(copy)?;
    super::apply_key(&encrypted, key)?;
    encrypted.execute(
        "INSERT OR REPLACE INTO meta (key, value)
         SELECT ?1, '1' WHERE EXISTS (SELECT 1 FROM meta WHERE key = 'token')",
        [crate::sync::ROTATE_TOKEN],
    )?;
    drop(encrypted);
    std::fs::File::open(copy)?.sync_all()?;
    Ok(())
}

/// Checks the encrypted copy: sound, the same schema version, and every table with the
/// same number of rows as in the plaintext file.
fn verify(plain: &Path, copy: &Path, key: &DataKey, version: i64) -> Result<(), CoreError> {
    let plain = Connection::open_with_flags(plain, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let encrypted = Connection::open_with_flags(copy, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    super::apply_key(&encrypted, key)?;
    let check: String = encrypted.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    let copied_version: i64 = encrypted.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if check != "ok" || copied_version != version {
        return Err(CoreError::EncryptionCheck {
            what: "integrity and schema version".to_owned(),
        });
    }
    let tables: Vec<String> = plain
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for table in tables {
        // The names come from the file's own schema; quoted as identifiers.
        let sql = format!("SELECT count(*) FROM \"{}\"", table.replace('"', "\"\""));
        let before: i64 = plain.query_row(&sql, [], |r| r.get(0))?;
        let after: i64 = encrypted.query_row(&sql, [], |r| r.get(0))?;
        if before != after {
            return Err(CoreError::EncryptionCheck { what: table });
        }
    }
    Ok(())
}
