//! Backing the server's SQLite file up while it runs, and restoring a backup with new
//! log identities.
//!
//! [`SqliteStorage::backup_file`] copies the database with SQLite's online backup API
//! into a temporary file beside the target, in one step (one read transaction: a
//! consistent snapshot, even while devices push; in WAL mode the server's writes go on
//! meanwhile), makes it a self-contained file (no WAL), syncs it to disk and only then
//! renames it over the target: a backup cut short never replaces a good one.
//!
//! [`SqliteStorage::restore_file`] checks that the file is a Fil rouge server database,
//! copies it to a temporary file, brings its schema up to date, gives **every team log a
//! new identity** there, and then copies that into the server's database, again with the
//! backup API, which replaces the file's content in one transaction (its WAL included):
//! a crash leaves either the old database or the restored one, never a restored one
//! with its old log ids, whose numbers devices would take for the ones they have seen.
//! The server must be stopped (the CLI holds the data directory's lock).

use std::path::{Path, PathBuf};

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

use super::SqliteStorage;
use super::schema::{During, migrate};
use crate::error::ServerError;
use crate::secret;
use crate::storage::Storage;

/// What a backup or a restore holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupSummary {
    /// Teams, with their log id (after a restore: the new one).
    pub teams: Vec<(String, String)>,
    /// Entries in all the team logs (changes and erasures).
    pub entries: u64,
    /// Size of the file written, in bytes.
    pub bytes: u64,
}

impl SqliteStorage {
    /// Copies the database at `db` to `out` (replacing it only once the copy is whole
    /// and on disk), while a server may be running on it.
    pub fn backup_file(db: &Path, out: &Path) -> Result<BackupSummary, ServerError> {
        if !db.is_file() {
            return Err(ServerError::NotABackup {
                path: db.to_path_buf(),
            });
        }
        let source = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .during("open the database to back up")?;
        source
            .busy_timeout(super::BUSY_TIMEOUT)
            .during("set busy timeout")?;
        let partial = partial_path(out);
        remove_if_present(&partial)?;
        copy(&source, &partial)?;
        let summary = self_contained(&partial, false)?;
        sync_file(&partial)?;
        std::fs::rename(&partial, out).map_err(|source| ServerError::File {
            operation: "move the finished backup to",
            path: out.to_path_buf(),
            source,
        })?;
        sync_parent(out)?;
        Ok(BackupSummary {
            bytes: file_size(out)?,
            ..summary
        })
    }

    /// Replaces the database at `db` (created if missing) by the backup at `backup`,
    /// with a new log id for every team. The server must not be running.
    pub fn restore_file(backup: &Path, db: &Path) -> Result<BackupSummary, ServerError> {
        let source = Connection::open_with_flags(backup, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(|_| ServerError::NotABackup {
                path: backup.to_path_buf(),
            })?;
        if !is_server_database(&source) {
            return Err(ServerError::NotABackup {
                path: backup.to_path_buf(),
            });
        }
        let staged = partial_path(db);
        remove_if_present(&staged)?;
        copy(&source, &staged)?;
        drop(source);
        let summary = self_contained(&staged, true)?;
        let staged_conn = Connection::open_with_flags(&staged, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .during("open the staged restore")?;
        copy(&staged_conn, db)?;
        drop(staged_conn);
        remove_if_present(&staged)?;
        Ok(BackupSummary {
            bytes: file_size(db)?,
            ..summary
        })
    }
}

/// Copies the whole database behind `source` into the file at `target`, in one step.
fn copy(source: &Connection, target: &Path) -> Result<(), ServerError> {
    let mut dest = Connection::open(target).during("open the copy")?;
    dest.busy_timeout(super::BUSY_TIMEOUT)
        .during("set busy timeout")?;
    let backup = Backup::new(source, &mut dest).during("start the copy")?;
    // All pages in one step: one read transaction on the source, so the copy is one
    // consistent moment of it.
    loop {
        match backup.step(-1).during("copy the database")? {
            StepResult::Done => break,
            // The source was busy (a checkpoint); try again.
            StepResult::Busy | StepResult::Locked => {
                std::thread::sleep(std::time::Duration::from_millis(50))
            }
            _ => {}
        }
    }
    Ok(())
}

/// Makes the copy at `path` one file with no WAL, up to date, checked; with `renew`,
/// gives every team a new log id. Returns what it holds.
fn self_contained(path: &Path, renew: bool) -> Result<BackupSummary, ServerError> {
    let mut conn = Connection::open(path).during("open the copy")?;
    migrate(&mut conn)?;
    let ok: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .during("check the copy")?;
    if ok != "ok" {
        return Err(ServerError::Corrupt {
            what: "the copied database fails its integrity check",
        });
    }
    let _: String = conn
        .query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))
        .during("make the copy one file")?;
    drop(conn);
    // Read and renew through the storage, so the same code as the server's runs.
    let storage = SqliteStorage::setup(Connection::open(path).during("open the copy")?)?;
    let mut teams = Vec::new();
    for team in storage.teams()? {
        let log_id = if renew {
            let fresh = secret::new_log_id()?;
            storage.set_log_id(&team.id, &fresh)?;
            fresh
        } else {
            team.log_id
        };
        teams.push((team.id, log_id));
    }
    let entries: i64 = storage
        .conn()
        .query_row("SELECT COUNT(*) FROM changes", [], |r| r.get(0))
        .during("count the log entries")?;
    Ok(BackupSummary {
        teams,
        entries: u64::try_from(entries).unwrap_or(0),
        bytes: 0,
    })
}

/// Whether `conn` holds a Fil rouge server database (its migrations table and log).
fn is_server_database(conn: &Connection) -> bool {
    conn.query_row(
        "SELECT COUNT(*) FROM schema_migrations, (SELECT 1 FROM changes LIMIT 1)",
        [],
        |r| r.get::<_, i64>(0),
    )
    .is_ok()
        && conn
            .query_row("SELECT COUNT(*) FROM teams", [], |r| r.get::<_, i64>(0))
            .is_ok()
}

/// The temporary file written beside `target` before it takes its place.
fn partial_path(target: &Path) -> PathBuf {
    let mut name = target.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    target.with_file_name(name)
}

fn remove_if_present(path: &Path) -> Result<(), ServerError> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(ServerError::File {
            operation: "remove",
            path: path.to_path_buf(),
            source: e,
        }),
        _ => Ok(()),
    }
}

fn sync_file(path: &Path) -> Result<(), ServerError> {
    std::fs::File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(|source| ServerError::File {
            operation: "sync",
            path: path.to_path_buf(),
            source,
        })
}

/// Makes a rename into `path`'s directory durable.
fn sync_parent(path: &Path) -> Result<(), ServerError> {
    match path.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(dir) => sync_file(dir),
        None => sync_file(Path::new(".")),
    }
}

fn file_size(path: &Path) -> Result<u64, ServerError> {
    std::fs::metadata(path)
        .map(|m| m.len())
        .map_err(|source| ServerError::File {
            operation: "read the size of",
            path: path.to_path_buf(),
            source,
        })
}
