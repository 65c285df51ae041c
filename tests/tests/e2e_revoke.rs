//! End-to-end through the real app window (tauri-driver + WebKitWebDriver, under Xvfb):
//! a phone enrolled with an invitation link records a contact and syncs it; the
//! contact shows in the list but no file of the phone's data directory holds it in
//! clear (the store is encrypted; the webview keeps nothing of it). A coordinator then
//! revokes the phone, and at its next sync the app erases everything it holds: its key
//! is destroyed, the webview's own storage is empty, and the screen says why.
//!
//! Ignored by a plain `cargo test`: `scripts/test.sh` builds the app and runs it under
//! `xvfb-run`.

use std::path::Path;
use std::time::Duration;

use filrouge_model::invite::invite_link;
use filrouge_model::sync::Role;
use filrouge_tests::TestServer;
use filrouge_tests::webdriver::{Driver, app_binary, artifacts_dir, poll};

const MARKER: &str = "Marqueur-e2e-4TQW-perdu";

/// Whether any file under `dir` (the webview's directories included) holds `needle`.
fn any_file_holds(dir: &Path, needle: &str) -> anyhow::Result<bool> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            if any_file_holds(&path, needle)? {
                return Ok(true);
            }
        } else if let Ok(bytes) = std::fs::read(&path)
            && bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
        {
            return Ok(true);
        }
    }
    Ok(false)
}

#[test]
#[ignore = "needs the built app, tauri-driver and a display: run by scripts/test.sh"]
fn a_revoked_phone_erases_everything_it_holds() -> anyhow::Result<()> {
    let tmp = tempfile::tempdir()?;
    let (server, fingerprint) = TestServer::start_tls(tmp.path())?;
    let data_dir = tmp.path().join("phone");
    let driver = Driver::start()?;
    let s = driver.session(&app_binary()?, &["--data", &data_dir.to_string_lossy()])?;
    s.resize(360, 720)?;
    let shots = artifacts_dir();
    let result = (|| {
        let code = server.enrolment_code(Role::Intervenant)?;
        s.open_settings()?;
        s.paste(
            "#enrol-code",
            &invite_link(&server.url, &code, Some(&fingerprint), None),
        )?;
        s.click_css("#enrol")?;
        s.wait_text("#sync-status", |t| t.contains("Synchronisé"))?;
        s.click_css("#close-settings")?;

        s.open_rencontre_form()?;
        s.click_css("[data-channel=maraude]")?;
        s.fill("#place", "Gare du Nord")?;
        s.fill("#note", MARKER)?;
        s.click_css("#save")?;
        s.wait_count("#today-list li.rencontre", 1)?;
        s.execute("window.localStorage.setItem('essai', 'x')")?;
        s.open_settings()?;
        s.click_css("#sync-now")?;
        s.wait_text("#sync-status", |t| t.contains("Synchronisé"))?;
        // On the phone, and readable only through the lock: the list shows it, but no
        // file of the data directory holds it in clear (store, WAL, key file, the
        // webview's storage and caches).
        s.click_css("#close-settings")?;
        s.wait_text("#today-list", |t| t.contains(MARKER))?;
        assert!(
            !any_file_holds(&data_dir, MARKER)?,
            "the contact is in no file of the phone in clear"
        );
        assert!(data_dir.join("filrouge.key").exists());
        // Nor in the places a desktop app keeps its caches and settings.
        if let Some(home) = std::env::var_os("HOME") {
            for place in [".cache", ".local/share", ".config"] {
                let dir = std::path::Path::new(&home)
                    .join(place)
                    .join("fr.filrouge.desktop");
                if dir.exists() {
                    assert!(!any_file_holds(&dir, MARKER)?, "in {}", dir.display());
                }
            }
        }
        s.open_settings()?;

        let phone = server.server.devices(&server.team_id)?;
        server.server.revoke_device(&phone[0].id)?;
        s.click_css("#sync-now")?;
        // The store closes with its key destroyed; the first screen says why.
        s.wait_text("#lock-wiped", |t| t.contains("retiré de l'équipe"))?;
        assert!(
            !data_dir.join("filrouge.key").exists(),
            "the key is destroyed"
        );
        poll(
            Duration::from_secs(10),
            "the webview's storage cleared",
            || {
                let left = s.execute("return window.localStorage.length")?;
                Ok((left == 0).then_some(()))
            },
        )?;
        s.execute("window.scrollTo(0, 0)")?;
        s.screenshot(&shots.join("e2e-revoked-360x720.png"))?;
        assert!(
            !any_file_holds(&data_dir, MARKER)?,
            "nothing of the contact is left on the phone"
        );
        Ok::<_, anyhow::Error>(())
    })();
    if result.is_err() {
        let _ = s.screenshot(&shots.join("e2e-failure-revoke.png"));
    }
    s.close()?;
    result
}
