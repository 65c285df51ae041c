//! The key file on disk: the sealed data key, Argon2's salt and cost, and the count of
//! failed attempts, as a small JSON object written atomically (a new file, synced, then
//! renamed over the old one), so a kill never leaves half a key file.

use std::io::Write as _;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{Cost, DataKey, Protection, derive, open, seal};
use crate::CoreError;

/// The key file format this code writes.
const VERSION: u32 = 1;

/// The key file's contents.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct KeyFile {
    version: u32,
    pub(super) protection: Protection,
    cost: Cost,
    /// Argon2's salt, hex.
    salt: String,
    /// XChaCha20's nonce, hex.
    nonce: String,
    /// The sealed data key with its tag, hex.
    sealed: String,
    /// Failed attempts in a row.
    pub(super) failed: u32,
    /// No attempt is checked before this time (ms since the epoch).
    pub(super) wait_until_ms: i64,
}

impl KeyFile {
    /// Seals `key` under `secret` with a new salt and nonce.
    pub(super) fn seal(
        protection: Protection,
        cost: Cost,
        secret: &str,
        platform: Option<&[u8]>,
        key: &DataKey,
    ) -> Result<KeyFile, CoreError> {
        let mut salt = [0u8; 16];
        let mut nonce = [0u8; 24];
        getrandom::fill(&mut salt).map_err(|_| CoreError::NoRandomness)?;
        getrandom::fill(&mut nonce).map_err(|_| CoreError::NoRandomness)?;
        let kek = derive(cost, secret, platform, &salt)?;
        let sealed = seal(&kek, &nonce, aad(protection), key)?;
        Ok(KeyFile {
            version: VERSION,
            protection,
            cost,
            salt: hex::encode(salt),
            nonce: hex::encode(nonce),
            sealed: hex::encode(sealed),
            failed: 0,
            wait_until_ms: 0,
        })
    }

    /// Checks that every field decodes and the cost makes Argon2 parameters, so that
    /// only a wrong secret can fail [`KeyFile::open`].
    pub(super) fn check(&self) -> Result<(), CoreError> {
        let decodes = hex::decode(&self.salt).is_ok()
            && hex::decode(&self.nonce).is_ok_and(|n| n.len() == 24)
            && hex::decode(&self.sealed).is_ok();
        let params = argon2::Params::new(
            self.cost.memory_kib,
            self.cost.passes,
            self.cost.lanes,
            Some(32),
        );
        if decodes && params.is_ok() {
            Ok(())
        } else {
            Err(CoreError::DamagedKeyFile)
        }
    }

    /// The data key, if `secret` (with the keystore's) is the one that sealed it.
    pub(super) fn open(&self, secret: &str, platform: Option<&[u8]>) -> Option<DataKey> {
        let salt = hex::decode(&self.salt).ok()?;
        let nonce: [u8; 24] = hex::decode(&self.nonce).ok()?.try_into().ok()?;
        let sealed = hex::decode(&self.sealed).ok()?;
        let kek = derive(self.cost, secret, platform, &salt).ok()?;
        open(&kek, &nonce, aad(self.protection), &sealed)
    }

    /// Reads the key file at `path`; `None` if there is none.
    pub(super) fn read(path: &Path) -> Result<Option<KeyFile>, CoreError> {
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        if bytes.iter().all(|b| *b == 0) {
            // A destruction cut short between overwriting and deleting: finish it.
            std::fs::remove_file(path)?;
            sync_dir(path)?;
            return Ok(None);
        }
        let file: KeyFile =
            serde_json::from_slice(&bytes).map_err(|_| CoreError::DamagedKeyFile)?;
        if file.version != VERSION {
            return Err(CoreError::DamagedKeyFile);
        }
        Ok(Some(file))
    }

    /// Writes the key file atomically: a synced new file renamed over the old one.
    pub(super) fn write(&self, path: &Path) -> Result<(), CoreError> {
        let json = serde_json::to_vec(self).map_err(|e| CoreError::Unencodable {
            what: "key file",
            reason: e.to_string(),
        })?;
        let tmp = path.with_extension("key-new");
        {
            let mut out = std::fs::File::create(&tmp)?;
            out.write_all(&json)?;
            out.sync_all()?;
        }
        std::fs::rename(&tmp, path)?;
        sync_dir(path)
    }
}

/// What the seal is bound to: this format and the kind of secret, so a file edited to
/// claim another protection does not open.
fn aad(protection: Protection) -> &'static [u8] {
    match protection {
        Protection::Pin => b"filrouge store key v1 pin",
        Protection::Passphrase => b"filrouge store key v1 passphrase",
    }
}

/// Overwrites the key file with zeros, syncs it and deletes it.
pub(super) fn destroy(path: &Path) -> Result<(), CoreError> {
    match std::fs::OpenOptions::new().write(true).open(path) {
        Ok(mut file) => {
            let len = file.metadata()?.len();
            let zeros = vec![0u8; usize::try_from(len).unwrap_or(0)];
            file.write_all(&zeros)?;
            file.sync_all()?;
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e.into()),
    }
    std::fs::remove_file(path)?;
    sync_dir(path)
}

/// Syncs the directory holding `path`, so a rename or a deletion is on disk.
pub(crate) fn sync_dir(path: &Path) -> Result<(), CoreError> {
    if let Some(dir) = path.parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::File::open(dir)?.sync_all()?;
    }
    Ok(())
}
