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

use filrouge_core::sync::{self, HttpTransport};
use filrouge_core::{Env, Store};
use filrouge_server::{Role, TeamServer};

/// A team server listening on 127.0.0.1 with a port chosen by the OS.
pub struct TestServer {
    /// Its base URL, e.g. `http://127.0.0.1:40123`.
    pub url: String,
    /// The server library handle, to mint codes or revoke devices.
    pub server: TeamServer,
    /// The team created at start.
    pub team_id: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl TestServer {
    /// Starts a server on a SQLite file inside `dir`.
    pub fn start(dir: &Path) -> anyhow::Result<TestServer> {
        let server = TeamServer::open_sqlite(&dir.join("server.sqlite"))?;
        let team = server.ensure_team("Équipe test")?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()?;
        let std_listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        std_listener.set_nonblocking(true)?;
        let url = format!("http://{}", std_listener.local_addr()?);
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let handle = server.clone();
        let thread = std::thread::spawn(move || {
            runtime.block_on(async move {
                let listener = match tokio::net::TcpListener::from_std(std_listener) {
                    Ok(l) => l,
                    Err(e) => panic!("listener: {e}"),
                };
                let shutdown = async {
                    let _ = stopped.await;
                };
                if let Err(e) = filrouge_server::serve(listener, handle, shutdown).await {
                    panic!("server failed: {e}");
                }
            });
        });
        Ok(TestServer {
            url,
            server,
            team_id: team.id,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// Opens a device store in `dir/name.sqlite` and enrols it in the team.
    pub fn device(&self, dir: &Path, name: &str) -> anyhow::Result<Device> {
        self.device_with_role(dir, name, Role::Intervenant)
    }

    /// Like [`TestServer::device`], with a role (a coordinator can erase).
    pub fn device_with_role(&self, dir: &Path, name: &str, role: Role) -> anyhow::Result<Device> {
        let code = self.server.create_enrolment_code(&self.team_id, role)?;
        let enrolment = sync::enrol(&self.url, &code, name)?;
        let mut store = Store::open(&dir.join(format!("{name}.sqlite")), Env::default())?;
        store.save_enrolment(&self.url, &enrolment)?;
        Ok(Device {
            store: Mutex::new(store),
            transport: HttpTransport::new(&self.url, &enrolment.token)?,
            device_id: enrolment.device_id,
        })
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
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
pub fn fixture_person() -> filrouge_model::PersonneDraft {
    let mut p = filrouge_model::PersonneDraft::new("Éloïse");
    p.referent = Some("Karim".into());
    p.stage = Some(filrouge_model::Stage::Remobilisation);
    p.freins.insert(filrouge_model::Frein::Mobilite);
    p
}
