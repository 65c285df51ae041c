//! Helpers shared by the cross-crate tests: a real team server on a free loopback port
//! with a temporary SQLite file, and devices that are real `filrouge-core` stores on
//! temporary files enrolled in it.
//!
//! The server runs on its own tokio runtime thread so that tests can drive the blocking
//! HTTP transport from the test thread, exactly as the app's sync thread does.

#![forbid(unsafe_code)]

pub mod proxy;
pub mod webdriver;

use std::path::Path;
use std::sync::Mutex;

use filrouge_core::sync::{self, HttpTransport, Transport as _, TransportError};
use filrouge_core::{Env, Store};
use filrouge_server::loopback::LoopbackServer;
use filrouge_server::{Role, TeamServer};

/// A team server listening on 127.0.0.1 with a port chosen by the OS: the server
/// library's [`LoopbackServer`] (the one the benchmarks use), on a SQLite file; over
/// plain HTTP, or over HTTPS with its own certificate, which its devices pin.
pub struct TestServer {
    inner: LoopbackServer,
    pin: Option<[u8; 32]>,
}

impl std::ops::Deref for TestServer {
    type Target = LoopbackServer;
    fn deref(&self) -> &LoopbackServer {
        &self.inner
    }
}

impl TestServer {
    /// Starts a server over plain HTTP on a SQLite file inside `dir` (for the tests
    /// whose proxy speaks plain HTTP, and the app window's typed-in address).
    pub fn start(dir: &Path) -> anyhow::Result<TestServer> {
        let server = TeamServer::open_sqlite(&dir.join("server.sqlite"))?;
        Ok(TestServer {
            inner: LoopbackServer::start(server, "Équipe test")?,
            pin: None,
        })
    }

    /// Starts a server over HTTPS with its own certificate (made in `dir`), as
    /// `filrouge serve` does; returns it with the certificate's fingerprint.
    pub fn start_tls(dir: &Path) -> anyhow::Result<(TestServer, String)> {
        let server = TeamServer::open_sqlite(&dir.join("server.sqlite"))?;
        let identity = filrouge_server::TlsIdentity::self_made(dir)?;
        let fingerprint = identity.fingerprint.clone();
        let server = TestServer {
            inner: LoopbackServer::start_tls(server, "Équipe test", identity)?,
            pin: sync::parse_pin(&fingerprint),
        };
        Ok((server, fingerprint))
    }

    /// The certificate's SHA-256 its devices pin (none over plain HTTP).
    pub fn pin(&self) -> Option<[u8; 32]> {
        self.pin
    }

    /// A transport to this server with `token`, pinned when it speaks HTTPS.
    pub fn transport(&self, token: &str) -> anyhow::Result<HttpTransport> {
        Ok(HttpTransport::pinned(&self.url, token, self.pin)?)
    }

    /// Opens a device store in `dir/name.sqlite` and enrols it in the team.
    pub fn device(&self, dir: &Path, name: &str) -> anyhow::Result<Device> {
        self.device_with_role(dir, name, Role::Intervenant)
    }

    /// Like [`TestServer::device`], with a role (a coordinator can erase).
    pub fn device_with_role(&self, dir: &Path, name: &str, role: Role) -> anyhow::Result<Device> {
        let code = self.enrolment_code(role)?;
        let enrolment = sync::enrol(&self.url, &code, name, self.pin)?;
        let mut store = Store::open(&dir.join(format!("{name}.sqlite")), Env::default())?;
        store.save_enrolment(&self.url, &enrolment)?;
        store.save_server_pin(self.pin)?;
        Ok(Device {
            store: Mutex::new(store),
            transport: self.transport(&enrolment.token)?,
            device_id: enrolment.device_id,
        })
    }
}

/// An enrolled device: a real store and its HTTP transport.
pub struct Device {
    /// The device's store.
    pub store: Mutex<Store>,
    /// Its transport to the test server.
    pub transport: HttpTransport,
    /// Its id on the server.
    pub device_id: String,
}

impl Device {
    /// Runs one full sync.
    pub fn sync(&mut self) -> Result<sync::SyncReport, filrouge_core::CoreError> {
        sync::run(&self.store, &mut self.transport)
    }

    /// The store, locked.
    pub fn store(&self) -> std::sync::MutexGuard<'_, Store> {
        self.store
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The records written into every schema-version fixture store (`tests/fixtures/`).
pub fn fixture_drafts() -> Vec<filrouge_model::RencontreDraft> {
    vec![
        filrouge_model::RencontreDraft {
            channel: filrouge_model::Channel::Maraude,
            place: "Gare du Nord, parvis".into(),
            occurred_at: Some(1_767_225_600_000), // 2026-01-01T00:00:00Z
            headcount: 3,
            pseudonym: None,
            note: "Trois jeunes, échange sur le tournoi.".into(),
            ..Default::default()
        },
        filrouge_model::RencontreDraft {
            channel: filrouge_model::Channel::MaraudeNumerique,
            place: "Serveur Discord du club".into(),
            occurred_at: Some(1_767_312_000_000),
            headcount: 0,
            pseudonym: Some("Éloïse".into()),
            note: String::new(),
            ..Default::default()
        },
    ]
}

/// The person written into fixture stores from schema version 2 on.
pub fn fixture_person() -> filrouge_model::PersonDraft {
    let mut p = filrouge_model::PersonDraft::new("Éloïse");
    p.referent = Some("Karim".into());
    p.stage = Some(filrouge_model::Stage::Remobilisation);
    p.freins.insert(filrouge_model::Frein::Mobilite);
    p
}

/// Asks for the team log from its start through `transport`: the smallest request a
/// device token opens, to see whether the server (and the certificate) take it.
pub fn pull_from_start(transport: &mut HttpTransport) -> Result<(), TransportError> {
    transport
        .pull(&filrouge_model::sync::PullQuery {
            api_version: filrouge_model::sync::API_VERSION,
            after: 0,
            max_bytes: None,
        })
        .map(|_| ())
}

/// An app-layer device on a store file of its own in `dir/name`, not enrolled.
pub fn open_app_device(dir: &Path, name: &str) -> anyhow::Result<filrouge_core::app::Device> {
    let dir = dir.join(name);
    std::fs::create_dir_all(&dir)?;
    Ok(filrouge_core::app::Device::open(
        &dir.join(filrouge_core::STORE_FILE),
        Env::default(),
    )?)
}

/// An app-layer device's store, locked.
pub fn app_store(
    device: &filrouge_core::app::Device,
) -> anyhow::Result<std::sync::MutexGuard<'_, Store>> {
    device
        .store()
        .lock()
        .map_err(|_| anyhow::anyhow!("poisoned"))
}

/// The places of every rencontre a device shows, sorted.
pub fn app_places(device: &filrouge_core::app::Device) -> anyhow::Result<Vec<String>> {
    let mut places: Vec<String> = app_store(device)?
        .list_rencontres_since(0)?
        .into_iter()
        .map(|r| r.place)
        .collect();
    places.sort();
    Ok(places)
}

/// A transport to an app-layer device's server, with its own saved credentials.
pub fn app_transport(device: &filrouge_core::app::Device) -> anyhow::Result<HttpTransport> {
    use anyhow::Context as _;
    let conn = app_store(device)?.connection()?.context("enrolled")?;
    Ok(HttpTransport::pinned(&conn.url, &conn.token, conn.pin)?)
}

/// One sync of an app-layer device as the background worker runs it: keys tended
/// around it.
pub fn app_sync(
    device: &filrouge_core::app::Device,
) -> Result<sync::SyncReport, filrouge_core::CoreError> {
    use filrouge_core::CoreError;
    let conn = device
        .store()
        .lock()
        .map_err(|_| CoreError::Locked)?
        .connection()?
        .ok_or(CoreError::NotEnrolled)?;
    let mut transport = HttpTransport::pinned(&conn.url, &conn.token, conn.pin)?;
    device.sync_with_keys(&mut transport, &mut |_| {})
}

/// A field worker's app-layer device in `dir/name`, enrolled through an invitation
/// link `inviter` (a coordinator's device) made: it holds the team's keys.
pub fn app_invited(
    inviter: &filrouge_core::app::Device,
    dir: &Path,
    name: &str,
) -> anyhow::Result<filrouge_core::app::Device> {
    let device = open_app_device(dir, name)?;
    app_enrol_invited(inviter, &device, name)?;
    Ok(device)
}

/// Enrols `device` (new, or enrolled before) as `name` through an invitation link
/// `inviter` makes for a field worker; the link must carry the team's key.
pub fn app_enrol_invited(
    inviter: &filrouge_core::app::Device,
    device: &filrouge_core::app::Device,
    name: &str,
) -> anyhow::Result<()> {
    use anyhow::Context as _;
    use filrouge_model::invite::{invite_link, parse_invite_link};
    use filrouge_model::ipc::{CreateInvite, Enrol};
    let invite = inviter.create_invite(CreateInvite {
        role: Role::Intervenant,
    })?;
    let parsed = parse_invite_link(&invite_link(
        &invite.server_url,
        &invite.code,
        invite.server_pin.as_deref(),
        invite.team_secret.as_deref(),
    ))
    .context("the link parses")?;
    device.enrol(Enrol {
        server_url: parsed.server,
        code: parsed.code,
        device_name: name.into(),
        server_pin: parsed.pin,
        team_secret: parsed.key,
    })?;
    Ok(())
}

/// Records a rencontre (a maraude, one person met) at `place` with `note` on an
/// app-layer device.
pub fn app_record(
    device: &filrouge_core::app::Device,
    place: &str,
    note: &str,
) -> anyhow::Result<()> {
    app_store(device)?.create_rencontre(filrouge_model::RencontreDraft {
        channel: filrouge_model::Channel::Maraude,
        place: place.into(),
        note: note.into(),
        occurred_at: Some(1_790_000_000_000),
        headcount: 1,
        ..filrouge_model::RencontreDraft::default()
    })?;
    Ok(())
}

/// The team's first coordinator's device, `dir/laptop`, enrolled in `server` (started
/// with [`TestServer::start_tls`], whose certificate `fingerprint` it pins) with the
/// operator's first code: it makes the team's key, and its invitations carry it.
pub fn app_first_coordinator(
    server: &TestServer,
    dir: &Path,
    fingerprint: &str,
) -> anyhow::Result<filrouge_core::app::Device> {
    app_operator_enrolled(server, dir, "laptop", Role::Coordinateur, fingerprint)
}

/// An app-layer device `dir/name` enrolled in `server` with a code the operator made
/// for `role` (no invitation link: it gets no team key), pinning `fingerprint`.
pub fn app_operator_enrolled(
    server: &TestServer,
    dir: &Path,
    name: &str,
    role: Role,
    fingerprint: &str,
) -> anyhow::Result<filrouge_core::app::Device> {
    let device = open_app_device(dir, name)?;
    device.enrol(filrouge_model::ipc::Enrol {
        server_url: server.url.clone(),
        code: server.enrolment_code(role)?,
        device_name: name.into(),
        server_pin: Some(fingerprint.to_owned()),
        team_secret: None,
    })?;
    Ok(device)
}

/// Whether any of the server's files in `dir` (its database, WAL included) holds
/// `needle`.
pub fn server_files_hold(dir: &Path, needle: &str) -> anyhow::Result<bool> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_file() && name.starts_with("server.sqlite") {
            let bytes = std::fs::read(&path)?;
            if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                return Ok(true);
            }
        }
    }
    Ok(false)
}
