//! Erasing everything a device holds, when its team revoked it (a lost or stolen phone).
//!
//! The server says so explicitly (`ErrorCode::Revoked`, never a timeout, a server error
//! or an unknown token); the app then calls [`Store::wipe`]: the store's connection is
//! closed, its files (database, WAL, shared memory) are deleted, and a new, empty store
//! takes their place, which keeps only when the wipe happened, so that the screen can
//! say "Cet appareil a été retiré de l'équipe". An encrypted store's key file is destroyed
//! first, so what the flash keeps of the deleted files is unreadable. The empty store
//! left holds nothing personal and is opened in clear: the app asks for a new PIN before
//! the device is used again, which encrypts it under a new key.

use std::path::PathBuf;

use rusqlite::Connection;

use crate::{CoreError, Store};

impl Store {
    /// Deletes this store's files and replaces it with an empty, unenrolled store that
    /// remembers only when it was wiped.
    pub fn wipe(&mut self) -> Result<(), CoreError> {
        let path = match self.conn.path() {
            Some(path) if !path.is_empty() => PathBuf::from(path),
            _ => {
                return Err(CoreError::Io(std::io::Error::other(
                    "an in-memory store has no files to wipe",
                )));
            }
        };
        let now = self.env.clock.now_ms();
        // The key first, before anything can fail: once it is gone, whatever the flash
        // keeps of the encrypted files is unreadable.
        let destroyed = crate::vault::Vault::destroy(&path);
        let old = std::mem::replace(&mut self.conn, Connection::open_in_memory()?);
        let deleted = destroyed.and_then(|()| match old.close() {
            Ok(()) => delete_files(&path),
            Err((_, e)) => Err(CoreError::Sqlite(e)),
        });
        // Whatever happened, the store is reopened at its path: emptied (in clear: it
        // holds nothing but the wipe's time), or (when the files could not be deleted)
        // as it was, with the key still in memory, so that the app keeps working and
        // the wipe is tried again at the next refusal rather than reported done.
        let key = if deleted.is_ok() {
            None
        } else {
            self.key.take()
        };
        *self = Store::open_keyed(
            &path,
            self.env.clone(),
            self.options().clone(),
            key.as_ref(),
        )?;
        deleted?;
        self.set_meta("wiped_at", &now.to_string())?;
        tracing::warn!("this device was revoked by its team: its store was erased");
        Ok(())
    }

    /// When this store was wiped, if it was.
    pub(crate) fn wiped_at(&self) -> Result<Option<i64>, CoreError> {
        Ok(self.meta("wiped_at")?.and_then(|s| s.parse().ok()))
    }
}

/// Deletes the store's files at `path` and makes the deletion durable.
pub(crate) fn delete_files(path: &std::path::Path) -> Result<(), CoreError> {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut file = path.to_path_buf().into_os_string();
        file.push(suffix);
        match std::fs::remove_file(&file) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(CoreError::Io(e)),
            _ => {}
        }
    }
    // A power cut must not bring the files back.
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::File::open(dir)?.sync_all()?;
    }
    Ok(())
}
