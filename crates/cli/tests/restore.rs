//! Backups, restores and a replaced server, as an operator lives them: real
//! `filrouge serve` processes on a free port, `filrouge backup` while one runs,
//! `filrouge restore` once it is stopped, and devices that are real stores syncing
//! over HTTP. Nothing a device ever held may be lost, and erased records stay erased.

use std::collections::BTreeSet;
use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::Mutex;

use filrouge_core::sync::{self, HttpTransport, SyncReport};
use filrouge_core::{Env, Store};
use filrouge_model::invite::{InviteLink, parse_invite_link};
use filrouge_model::sync::Role;
use filrouge_model::{Channel, RecordId, RencontreDraft};

const BIN: &str = env!("CARGO_BIN_EXE_filrouge");

/// A running `filrouge serve`.
struct Server {
    child: Child,
    url: String,
    /// The invitation it printed: its address, the coordinator's code, its certificate.
    link: InviteLink,
}

impl Server {
    /// Starts `filrouge serve` on `data`, on a free port or on `listen`.
    fn start(data: &Path, listen: &str) -> anyhow::Result<Server> {
        let mut child = Command::new(BIN)
            .args(["serve", "--listen", listen, "--data"])
            .arg(data)
            .env("FILROUGE_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| anyhow::anyhow!("no stdout"))?;
        let mut link = None;
        for line in BufReader::new(stdout).lines().take(8) {
            let line = line?;
            if let Some(at) = line.find("filrouge://") {
                link = parse_invite_link(&line[at..]);
                break;
            }
        }
        match link {
            Some(link) => Ok(Server {
                child,
                url: link.server.clone(),
                link,
            }),
            None => {
                let _ = child.kill();
                anyhow::bail!("filrouge serve did not print its invitation link")
            }
        }
    }

    /// The `host:port` it listens on, to start its successor at the same address.
    fn address(&self) -> &str {
        self.url.trim_start_matches("https://")
    }

    /// Stops it as a crash or a power cut would.
    fn kill(mut self) -> anyhow::Result<()> {
        self.child.kill()?;
        self.child.wait()?;
        Ok(())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn cli(args: &[&str], data: &Path) -> anyhow::Result<Output> {
    Ok(Command::new(BIN)
        .args(args)
        .arg("--data")
        .arg(data)
        .env("FILROUGE_LOG", "warn")
        .output()?)
}

/// A server on a free port with its data in `dir/server`, and its coordinator's device
/// `name`, enrolled with the code the server printed.
fn server_and_coordinator(dir: &Path, name: &str) -> anyhow::Result<(PathBuf, Server, Device)> {
    let data = dir.join("server");
    let server = Server::start(&data, "127.0.0.1:0")?;
    let coordinator = Device::enrol(dir, name, &server.link)?;
    Ok((data, server, coordinator))
}

/// [`cli`], which must succeed.
fn succeeds(args: &[&str], data: &Path) -> anyhow::Result<Output> {
    let out = cli(args, data)?;
    anyhow::ensure!(
        out.status.success(),
        "filrouge {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(out)
}

/// A device: a real store on a file, enrolled over HTTPS with the server's certificate
/// pinned.
struct Device {
    store: Mutex<Store>,
    transport: HttpTransport,
    pin: Option<[u8; 32]>,
}

impl Device {
    /// A device enrolled with an invitation (a fresh store, or the one at its path again).
    fn enrol(dir: &Path, name: &str, link: &InviteLink) -> anyhow::Result<Device> {
        let path = dir.join(format!("{name}.sqlite"));
        let pin = link.pin.as_deref().and_then(sync::parse_pin);
        let enrolment = sync::enrol(&link.server, &link.code, name, pin)?;
        let mut store = Store::open(&path, Env::default())?;
        store.save_enrolment(&link.server, &enrolment)?;
        store.save_server_pin(pin)?;
        Ok(Device {
            store: Mutex::new(store),
            transport: HttpTransport::pinned(&link.server, &enrolment.token, pin)?,
            pin,
        })
    }

    /// Another device enrolled by this coordinator's device.
    fn invite(&self, dir: &Path, name: &str, url: &str) -> anyhow::Result<Device> {
        let link = InviteLink {
            server: url.to_owned(),
            code: self.transport.create_code(Role::Intervenant, None)?.code,
            pin: self
                .pin
                .map(|pin| pin.iter().map(|b| format!("{b:02x}")).collect()),
            // These devices enrol below the app layer, with no team key: the
            // restore story is about the server's log, which is the same sealed.
            key: None,
        };
        Device::enrol(dir, name, &link)
    }

    fn sync(&mut self) -> anyhow::Result<SyncReport> {
        Ok(sync::run(&self.store, &mut self.transport)?)
    }

    fn record(&self, place: &str) -> anyhow::Result<RecordId> {
        let draft = RencontreDraft {
            channel: Channel::Maraude,
            place: place.into(),
            occurred_at: Some(1_790_000_000_000),
            headcount: 1,
            ..RencontreDraft::default()
        };
        let mut store = self.store.lock().map_err(|_| anyhow::anyhow!("poisoned"))?;
        Ok(store.create_rencontre(draft)?.id)
    }

    fn places(&self) -> anyhow::Result<BTreeSet<String>> {
        let store = self.store.lock().map_err(|_| anyhow::anyhow!("poisoned"))?;
        Ok(store
            .list_rencontres_since(0)?
            .into_iter()
            .map(|r| r.place)
            .collect())
    }
}

fn places(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix} {i}")).collect()
}

/// The changes in the server's log: each hash once, and how many.
fn log_entries(data: &Path) -> anyhow::Result<(i64, i64)> {
    let conn = rusqlite::Connection::open(data.join("filrouge-server.sqlite"))?;
    Ok(conn.query_row(
        "SELECT COUNT(*), COUNT(DISTINCT hash) FROM changes WHERE kind <> 'erasure'",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}

/// The scenario: 3 devices, 10 records synced, a backup taken while the server
/// runs, 5 more records, the server restored from the backup, 2 new records. After one
/// sync of each device every device holds the 17, a fresh device pulls exactly 17, and
/// the log holds each change once.
#[test]
fn a_restored_backup_loses_nothing() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let (data, server, mut a) = server_and_coordinator(dir.path(), "a")?;
    let url = server.url.clone();
    let mut b = a.invite(dir.path(), "b", &url)?;
    let mut c = a.invite(dir.path(), "c", &url)?;
    let before = places("avant", 10);
    for (i, place) in before.iter().enumerate() {
        [&a, &b, &c][i % 3].record(place)?;
    }
    for _ in 0..2 {
        for d in [&mut a, &mut b, &mut c] {
            d.sync()?;
        }
    }

    let backup = dir.path().join("sauvegarde.sqlite");
    let out = succeeds(
        &["backup", "--out", backup.to_str().unwrap_or_default()],
        &data,
    )?;
    assert!(String::from_utf8_lossy(&out.stdout).contains("Sauvegarde écrite"));

    let after = places("après", 5);
    for place in &after {
        a.record(place)?;
    }
    a.sync()?;
    b.sync()?;
    // Since the backup: a phone joined the team, and a lost one was cut off.
    let mut joined = a.invite(dir.path(), "joined", &url)?;
    let mut lost = a.invite(dir.path(), "lost", &url)?;
    lost.sync()?;
    let lost_id = lost
        .store
        .lock()
        .map_err(|_| anyhow::anyhow!("poisoned"))?
        .device_id()?
        .ok_or_else(|| anyhow::anyhow!("enrolled"))?;
    a.transport.revoke(&lost_id)?;

    // A restore refuses to run under a live server; stopped, it goes through.
    let refused = cli(&["restore", backup.to_str().unwrap_or_default()], &data)?;
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("tourne déjà"));
    let address = server.address().to_owned();
    server.kill()?;
    let out = succeeds(&["restore", backup.to_str().unwrap_or_default()], &data)?;
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("nouveau journal"), "{said}");
    assert!(
        said.contains("2 appareil(s) associé(s) depuis la sauvegarde"),
        "{said}"
    );
    let server = Server::start(&data, &address)?;
    assert_eq!(server.url, url, "the same address");

    let new = places("nouveau", 2);
    for place in &new {
        c.record(place)?;
    }
    for d in [&mut c, &mut a, &mut b] {
        let report = d.sync()?;
        assert!(report.healed > 0, "{report:?}");
    }
    // C healed before A sent back the 5 the backup lacked: its next sync brings them.
    c.sync()?;
    // The restore kept the phone that joined after the backup, and the lost one out.
    assert_eq!(joined.sync()?.pulled, 17);
    let Err(refused) = lost.sync() else {
        anyhow::bail!("a revoked phone must stay cut off after the restore");
    };
    assert!(
        matches!(
            refused.downcast_ref::<filrouge_core::CoreError>(),
            Some(filrouge_core::CoreError::Transport(
                sync::TransportError::Revoked
            ))
        ),
        "{refused:#}"
    );
    let all: BTreeSet<String> = before.into_iter().chain(after).chain(new).collect();
    for d in [&a, &b, &c] {
        assert_eq!(d.places()?, all);
    }
    let mut fresh = a.invite(dir.path(), "fresh", &url)?;
    let report = fresh.sync()?;
    assert_eq!((report.pulled, report.healed), (17, 0));
    assert_eq!(fresh.places()?, all);
    assert_eq!(log_entries(&data)?, (17, 17), "each change once");
    drop(server);
    Ok(())
}

/// The data directory deleted outright and a new, empty server started at the same
/// address: the coordinator enrols again with the new server's code and re-enrols the
/// others; their next syncs put the team's data back.
#[test]
fn a_replaced_server_is_filled_again_by_the_devices() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let (data, server, mut a) = server_and_coordinator(dir.path(), "a")?;
    let url = server.url.clone();
    let mut b = a.invite(dir.path(), "b", &url)?;
    let all: BTreeSet<String> = places("fiche", 12).into_iter().collect();
    for (i, place) in all.iter().enumerate() {
        [&a, &b][i % 2].record(place)?;
    }
    for _ in 0..2 {
        for d in [&mut a, &mut b] {
            d.sync()?;
        }
    }
    let address = server.address().to_owned();
    server.kill()?;
    std::fs::remove_dir_all(&data)?;

    // The same phones, their stores kept, enrolled again by the coordinator.
    drop((a, b));
    let server = Server::start(&data, &address)?;
    assert_eq!(server.url, url, "the same address");
    let mut a = Device::enrol(dir.path(), "a", &server.link)?;
    let mut b = a.invite(dir.path(), "b", &url)?;
    assert_eq!(a.sync()?.healed, 12);
    b.sync()?;
    assert_eq!(log_entries(&data)?, (12, 12));
    let mut fresh = a.invite(dir.path(), "fresh", &url)?;
    assert_eq!(fresh.sync()?.pulled, 12);
    for d in [&a, &b, &fresh] {
        assert_eq!(d.places()?, all);
    }
    Ok(())
}

/// An erasure made before the backup and one made after it, and the backup restored on
/// a new machine (the old database is gone, so nothing is carried over from it): after
/// the devices' heal, neither record is on any device, and the server holds none of
/// their bytes.
#[test]
fn erasures_survive_a_restore() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let (data, server, mut coordinator) = server_and_coordinator(dir.path(), "coord")?;
    let url = server.url.clone();
    let mut worker = coordinator.invite(dir.path(), "worker", &url)?;
    let early = worker.record("effacé avant la sauvegarde")?;
    let late = worker.record("effacé après la sauvegarde")?;
    worker.record("gardé")?;
    worker.sync()?;
    coordinator.sync()?;
    coordinator.transport.erase(&early, Vec::new())?;
    for d in [&mut worker, &mut coordinator] {
        d.sync()?;
    }
    let backup = dir.path().join("sauvegarde.sqlite");
    succeeds(
        &["backup", "--out", backup.to_str().unwrap_or_default()],
        &data,
    )?;
    coordinator.transport.erase(&late, Vec::new())?;
    for d in [&mut worker, &mut coordinator] {
        d.sync()?;
    }
    let address = server.address().to_owned();
    server.kill()?;
    // The new machine gets the backup and the server's certificate and key, which the
    // devices pinned (without them, every device would need a new invitation).
    let new_machine = dir.path().join("new-machine");
    std::fs::create_dir_all(&new_machine)?;
    for file in ["tls-cert.pem", "tls-key.pem"] {
        std::fs::copy(data.join(file), new_machine.join(file))?;
    }
    std::fs::remove_dir_all(&data)?;
    let data = new_machine;
    succeeds(&["restore", backup.to_str().unwrap_or_default()], &data)?;
    let _server = Server::start(&data, &address)?;

    // The worker heals first: the restored log holds the late record again, which a
    // field device may not erase, but which it never takes back either.
    worker.sync()?;
    coordinator.sync()?;
    worker.sync()?;
    let mut fresh = coordinator.invite(dir.path(), "fresh", &url)?;
    fresh.sync()?;
    let kept: BTreeSet<String> = ["gardé".to_owned()].into();
    for d in [&worker, &coordinator, &fresh] {
        assert_eq!(d.places()?, kept);
    }
    let conn = rusqlite::Connection::open(data.join("filrouge-server.sqlite"))?;
    for id in [&early, &late] {
        let (bytes, erased): (i64, i64) = conn.query_row(
            "SELECT (SELECT COUNT(*) FROM changes WHERE doc_id = ?1 AND kind <> 'erasure'),
                    (SELECT COUNT(*) FROM erasures WHERE doc_id = ?1)",
            [id.as_str()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        assert_eq!((bytes, erased), (0, 1), "{id}");
    }
    Ok(())
}

/// A file that is not a server database is refused, and the server's data is intact.
#[test]
fn restoring_something_else_is_refused_and_changes_nothing() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let data = dir.path().join("server");
    let server = Server::start(&data, "127.0.0.1:0")?;
    let mut a = Device::enrol(dir.path(), "a", &server.link)?;
    a.record("Gare")?;
    a.sync()?;
    server.kill()?;
    let junk = dir.path().join("notes.txt");
    std::fs::write(&junk, "pas une base")?;
    let device_store = dir.path().join("a.sqlite");
    for file in [&junk, &device_store] {
        let out = cli(&["restore", file.to_str().unwrap_or_default()], &data)?;
        assert!(!out.status.success());
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("not a Fil rouge server backup"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(log_entries(&data)?, (1, 1));
    Ok(())
}
