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
//! copies it to a temporary file, brings its schema up to date, **carries over from the
//! database it replaces** (when there is one: a bad upgrade, a damaged log, rather than a
//! lost disk) what must not go back in time: devices enrolled since the backup, and
//! revocations (a lost phone must stay cut off), key epochs and the keys published and
//! sealed since (a revoked device's epoch must not come back), used enrolment codes (a
//! code must stay single-use), and erasures (an erased person must stay erased: their changes are
//! deleted from the copy and the erasure entry appended). It then gives **every team log
//! a new identity**, and copies the result into the server's database, again with the
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
use crate::storage::{HeldBatchesRule, Storage};

/// What a backup or a restore holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupSummary {
    /// Teams, with their log id (after a restore: the new one).
    pub teams: Vec<(String, String)>,
    /// Entries in all the team logs (changes and erasures).
    pub entries: u64,
    /// Size of the file written, in bytes.
    pub bytes: u64,
    /// What a restore carried over from the database it replaced.
    pub carried: Carried,
}

/// What a restore kept from the database it replaced.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Carried {
    /// Devices enrolled after the backup was taken.
    pub devices: u64,
    /// Revocations made after it.
    pub revocations: u64,
    /// Erasures made after it.
    pub erasures: u64,
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
        let summary = self_contained(&partial, None, false)?;
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
        let live = db.is_file()
            && Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY)
                .map(|c| is_server_database(&c))
                .unwrap_or(false);
        let summary = self_contained(&staged, live.then_some(db), true)?;
        let staged_conn = Connection::open_with_flags(&staged, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .during("open the staged restore")?;
        copy(&staged_conn, db)?;
        drop(staged_conn);
        remove_if_present(&staged)?;
        sync_parent(db)?;
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

/// Makes the copy at `path` one file with no WAL, up to date, checked; carries over from
/// the database at `live`, if given; with `renew`, gives every team a new log id.
/// Returns what it holds.
fn self_contained(
    path: &Path,
    live: Option<&Path>,
    renew: bool,
) -> Result<BackupSummary, ServerError> {
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
    let carried = match live {
        Some(live) => carry_over(&storage, live)?,
        None => Carried::default(),
    };
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
        carried,
    })
}

/// Brings into the restored copy what must not go back in time (see the module doc),
/// from the database at `live`. Reads only columns every schema version has.
fn carry_over(storage: &SqliteStorage, live: &Path) -> Result<Carried, ServerError> {
    let erasures = {
        let conn = storage.conn();
        conn.execute(
            "ATTACH DATABASE ?1 AS live",
            [live.to_string_lossy().as_ref()],
        )
        .during("open the replaced database")?;
        let counted = |sql: &str| -> Result<u64, ServerError> {
            let n = conn
                .execute(sql, [])
                .during("carry over from the replaced database")?;
            Ok(n as u64)
        };
        counted(
            "INSERT OR IGNORE INTO teams (id, name, created_at)
             SELECT id, name, created_at FROM live.teams",
        )?;
        let devices = counted(
            "INSERT OR IGNORE INTO devices (id, team_id, name, role, token_hash, created_at, revoked_at)
             SELECT id, team_id, name, role, token_hash, created_at, revoked_at FROM live.devices",
        )?;
        // A token replaced since the backup (a device's store was encrypted) must not
        // come back: the old one may linger in clear on the device's flash.
        counted(
            "UPDATE devices SET token_hash =
                 (SELECT l.token_hash FROM live.devices l WHERE l.id = devices.id)
             WHERE EXISTS (SELECT 1 FROM live.devices l
                           WHERE l.id = devices.id AND l.token_hash <> devices.token_hash)",
        )?;
        // The team's offline lease as its coordinators last set it (from schema 4).
        let has_lease: bool = live_has(&conn, "teams", Some("lease_days"))?;
        if has_lease {
            counted(
                "UPDATE teams SET lease_days =
                     (SELECT l.lease_days FROM live.teams l WHERE l.id = teams.id)
                 WHERE EXISTS (SELECT 1 FROM live.teams l WHERE l.id = teams.id)",
            )?;
        }
        // Key epochs never go back (a revoked device's epoch would be taken again), and
        // the keys sealed since the backup stay (from schema 6 and 7).
        let has_epochs: bool = live_has(&conn, "teams", Some("key_epoch"))?;
        if has_epochs {
            counted(
                "UPDATE teams SET key_epoch =
                     (SELECT l.key_epoch FROM live.teams l WHERE l.id = teams.id)
                 WHERE EXISTS (SELECT 1 FROM live.teams l
                               WHERE l.id = teams.id AND l.key_epoch > teams.key_epoch)",
            )?;
        }
        let has_keys: bool = live_has(&conn, "epoch_keys", None)?;
        if has_keys {
            counted(
                "INSERT OR REPLACE INTO published_keys
                 SELECT team_id, recipient, public_key, proof, proof_epoch FROM live.published_keys",
            )?;
            counted(
                "DELETE FROM epoch_keys WHERE recipient = 'recovery'
                 AND EXISTS (SELECT 1 FROM live.published_keys l
                             WHERE l.team_id = epoch_keys.team_id AND l.recipient = 'recovery')",
            )?;
            counted(
                "INSERT OR IGNORE INTO epoch_keys
                 SELECT team_id, recipient, epoch, sealed FROM live.epoch_keys",
            )?;
        }
        let revocations = counted(
            "UPDATE devices SET revoked_at =
                 (SELECT l.revoked_at FROM live.devices l WHERE l.id = devices.id)
             WHERE revoked_at IS NULL AND EXISTS
                 (SELECT 1 FROM live.devices l WHERE l.id = devices.id AND l.revoked_at IS NOT NULL)",
        )?;
        counted(
            "INSERT OR IGNORE INTO enrolment_codes (code_hash, team_id, role, expires_at, used_at)
             SELECT code_hash, team_id, role, expires_at, used_at FROM live.enrolment_codes",
        )?;
        counted(
            "UPDATE enrolment_codes SET used_at =
                 (SELECT l.used_at FROM live.enrolment_codes l WHERE l.code_hash = enrolment_codes.code_hash)
             WHERE used_at IS NULL AND EXISTS
                 (SELECT 1 FROM live.enrolment_codes l
                  WHERE l.code_hash = enrolment_codes.code_hash AND l.used_at IS NOT NULL)",
        )?;
        let has_erasures: bool = live_has(&conn, "erasures", None)?;
        let mut erasures: Vec<(String, String, String, i64)> = Vec::new();
        if has_erasures {
            let mut stmt = conn
                .prepare(
                    "SELECT l.team_id, l.doc_id, l.device_id, l.erased_at FROM live.erasures l
                     WHERE NOT EXISTS (SELECT 1 FROM erasures e
                                       WHERE e.team_id = l.team_id AND e.doc_id = l.doc_id)
                     ORDER BY l.seq",
                )
                .during("read the replaced database's erasures")?;
            erasures = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
                .during("read the replaced database's erasures")?
                .collect::<rusqlite::Result<_>>()
                .during("read the replaced database's erasures")?;
        }
        conn.execute("DETACH DATABASE live", [])
            .during("close the replaced database")?;
        (devices, revocations, erasures)
    };
    let (devices, revocations, erasures) = erasures;
    for (team_id, doc_id, device_id, erased_at) in &erasures {
        // Every device sends back all it holds after a restore: a batch holding the
        // record can go whole, its other changes return.
        storage.erase_document(
            team_id,
            doc_id,
            device_id,
            *erased_at,
            HeldBatchesRule::Drop,
        )?;
    }
    Ok(Carried {
        devices,
        revocations,
        erasures: erasures.len() as u64,
    })
}

/// Whether the replaced database attached as `live` has `table` (and its `column`):
/// it may be of any earlier schema version.
fn live_has(conn: &Connection, table: &str, column: Option<&str>) -> Result<bool, ServerError> {
    let found = match column {
        Some(column) => conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM pragma_table_info(?1, 'live') WHERE name = ?2)",
            [table, column],
            |r| r.get(0),
        ),
        None => conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM live.sqlite_master WHERE name = ?1)",
            [table],
            |r| r.get(0),
        ),
    };
    found.during("read the replaced database's schema")
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
