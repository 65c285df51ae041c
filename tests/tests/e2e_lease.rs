//! End-to-end through the real app window (tauri-driver + WebKitWebDriver, under Xvfb):
//! a phone whose last sync is older than its team's offline lease (30 days) stays shut
//! even with the right passphrase, says why, and tries to sync when asked; nothing of
//! the app is drawn meanwhile. (The lease opening again after a successful sync is
//! proven on the core's clock, in `crates/core/src/app/gate_tests.rs`.)
//!
//! Ignored by a plain `cargo test`: `scripts/test.sh` builds the app and runs it under
//! `xvfb-run`.

use std::sync::{Arc, Mutex};

use filrouge_core::vault::{Protection, Vault};
use filrouge_core::{Clock, Env, Store, sync};
use filrouge_model::sync::Role;
use filrouge_tests::TestServer;
use filrouge_tests::webdriver::{Driver, PASSPHRASE, app_binary, artifacts_dir};

/// A clock stopped at one moment.
struct Stopped(i64);
impl Clock for Stopped {
    fn now_ms(&self) -> i64 {
        self.0
    }
}

#[test]
#[ignore = "needs the built app, tauri-driver and a display: run by scripts/test.sh"]
fn a_phone_past_its_offline_lease_stays_shut_until_it_syncs() -> anyhow::Result<()> {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path().join("app");
    std::fs::create_dir_all(&dir)?;
    let store_path = dir.join(filrouge_core::STORE_FILE);
    {
        // A phone that last synced 40 days ago, with the app's own key file.
        let server = TestServer::start_tls(tmp.path())?.0;
        let (_vault, key) = Vault::create(&store_path, Protection::Passphrase, PASSPHRASE, None)?;
        let forty_days_ago = filrouge_core::SystemClock.now_ms() - 40 * 86_400_000;
        let env = Env {
            clock: Arc::new(Stopped(forty_days_ago)),
            ..Env::default()
        };
        let mut store = Store::open_encrypted(&store_path, &key, env)?;
        let code = server.enrolment_code(Role::Intervenant)?;
        let enrolment = sync::enrol(&server.url, &code, "Téléphone de Lina", server.pin())?;
        store.save_enrolment(&server.url, &enrolment)?;
        store.save_server_pin(server.pin())?;
        assert_eq!(store.lease_days()?, 30);
        let store = Mutex::new(store);
        sync::run(&store, &mut server.transport(&enrolment.token)?)?;
        // The server is gone when the app starts: no sync can reopen the lock.
    }

    let driver = Driver::start()?;
    let s = driver.locked_session(&app_binary()?, &["--data", &dir.to_string_lossy()])?;
    let shots = artifacts_dir();
    let result = (|| {
        s.resize(360, 720)?;
        s.wait_text("#lock-title", |t| t.contains("Carnet verrouillé"))?;
        s.fill("#lock-secret", PASSPHRASE)?;
        s.click_css("#lock-submit")?;
        s.wait_text("#lock-title", |t| t.contains("Synchronisation nécessaire"))?;
        s.wait_text("#lock-help", |t| t.contains("plus de 30 jours"))?;
        assert!(
            s.find_all("#app-root")?.is_empty(),
            "nothing of the app is drawn"
        );
        s.click_css("#lock-sync")?;
        s.wait_text("#lock-message", |t| t.contains("Synchronisation demandée"))?;
        s.screenshot(&shots.join("e2e-lease-360x720.png"))?;
        // Still shut: the sync cannot reach the server.
        assert!(s.find_all("#app-root")?.is_empty());
        Ok::<_, anyhow::Error>(())
    })();
    if result.is_err() {
        let _ = s.screenshot(&shots.join("e2e-failure-lease.png"));
    }
    s.close()?;
    result
}
