//! `filrouge backup` and `filrouge restore`: the operator's side of the server's
//! backups, on top of [`SqliteStorage::backup_file`] and [`SqliteStorage::restore_file`].
//!
//! A running `filrouge serve` holds a lock on its data directory ([`lock`]); `restore`
//! takes the same lock, so a backup is never put back under a running server (whose
//! cached log ids and blocks would then lie). `backup` needs no lock: it reads a
//! consistent snapshot beside the running server.

use std::fs::{File, TryLockError};
use std::path::Path;

use anyhow::Context as _;
use filrouge_server::SqliteStorage;

/// The lock file in a server's data directory.
const LOCK_FILE: &str = "filrouge-server.lock";

/// Takes the data directory's lock for as long as the returned file lives; fails at
/// once, with a sentence saying why, if a server (or a restore) holds it.
pub fn lock(data: &Path) -> anyhow::Result<File> {
    let path = data.join(LOCK_FILE);
    let file = File::create(&path).with_context(|| format!("creating {}", path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(TryLockError::WouldBlock) => anyhow::bail!(
            "un serveur Fil rouge tourne déjà sur {} : arrêtez-le d'abord",
            data.display()
        ),
        Err(TryLockError::Error(e)) => {
            Err(e).with_context(|| format!("locking {}", path.display()))
        }
    }
}

/// Writes a backup of the database at `db` to `out`.
pub fn backup(db: &Path, out: &Path) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let summary = SqliteStorage::backup_file(db, out)
        .with_context(|| format!("backing {} up to {}", db.display(), out.display()))?;
    println!(
        "Sauvegarde écrite : {} ({} équipe(s), {} entrées du journal, {} octets, en {:.1?})",
        out.display(),
        summary.teams.len(),
        summary.entries,
        summary.bytes,
        started.elapsed()
    );
    println!(
        "Gardez-la en lieu sûr : elle contient les données de l'équipe. Pour la remettre en place : \
         filrouge restore --data DOSSIER {}",
        out.display()
    );
    Ok(())
}

/// Puts the backup `file` in place of the database at `db`.
pub fn restore(file: &Path, db: &Path) -> anyhow::Result<()> {
    let summary = SqliteStorage::restore_file(file, db)
        .with_context(|| format!("restoring {} into {}", file.display(), db.display()))?;
    println!(
        "Sauvegarde remise en place : {} ({} entrées du journal).",
        db.display(),
        summary.entries
    );
    let carried = summary.carried;
    if carried != Default::default() {
        println!(
            "Gardé de la base remplacée : {} appareil(s) associé(s) depuis la sauvegarde, \
             {} révocation(s), {} effacement(s).",
            carried.devices, carried.revocations, carried.erasures
        );
    }
    for (team, log_id) in &summary.teams {
        println!("Équipe {team} : nouveau journal {log_id}");
    }
    println!(
        "Au prochain envoi, chaque appareil renverra au serveur ce que la sauvegarde n'a pas."
    );
    Ok(())
}

/// After a PostgreSQL server's database is restored from a dump (`pg_restore`, with
/// every server process stopped): gives each team's log a new identity, so devices
/// send back what the dump lacks, as after [`restore`].
pub fn renew_postgres_logs(url: &str) -> anyhow::Result<()> {
    let server =
        filrouge_server::TeamServer::connect_postgres(url).context("connecting to PostgreSQL")?;
    for (team, log_id) in server.renew_log_ids()? {
        println!("Équipe {team} : nouveau journal {log_id}");
    }
    println!(
        "Au prochain envoi, chaque appareil renverra au serveur ce que la sauvegarde n'a pas."
    );
    Ok(())
}
