//! End-to-end through the real app window (tauri-driver + WebKitWebDriver, under Xvfb),
//! over HTTPS: a coordinator's laptop joins a team whose log began in clear (a field
//! worker's phone joined first and recorded), finds "Chiffrer l'historique de l'équipe"
//! in its settings, reads what it asks of the other devices, and seals the history in
//! two taps. The server's files lose the phone's words at once, the laptop sends the
//! history back sealed in the background, and the phone, holding no key, is refused.
//!
//! Ignored by a plain `cargo test`: `scripts/test.sh` builds the app and runs it under
//! `xvfb-run`.

use std::time::Duration;

use filrouge_core::CoreError;
use filrouge_core::sync::TransportError;
use filrouge_model::invite::invite_link;
use filrouge_model::sync::{ErrorCode, Role};
use filrouge_model::{Channel, RencontreDraft};
use filrouge_tests::webdriver::{Driver, app_binary, artifacts_dir, poll};
use filrouge_tests::{TestServer, server_files_hold};

const MARKER: &str = "Marqueur-E2E-H1ST-en-clair";

#[test]
#[ignore = "needs the built app, tauri-driver and a display: run by scripts/test.sh"]
fn a_coordinator_seals_a_history_begun_in_clear_from_the_settings() -> anyhow::Result<()> {
    let shots = artifacts_dir();
    let data = tempfile::tempdir()?;
    let (server, pin) = TestServer::start_tls(data.path())?;

    // The phone joined first: the team has no key, its words reach the server in clear.
    let mut phone = server.device(data.path(), "phone")?;
    phone.store().create_rencontre(RencontreDraft {
        channel: Channel::Maraude,
        place: "Gare du Nord".into(),
        note: MARKER.into(),
        occurred_at: Some(1_790_000_000_000),
        headcount: 1,
        ..RencontreDraft::default()
    })?;
    phone.sync()?;
    assert!(server_files_hold(data.path(), MARKER)?);

    let driver = Driver::start()?;
    let dir = data.path().join("laptop");
    let s = driver.session(&app_binary()?, &["--data", &dir.to_string_lossy()])?;
    s.resize(360, 720)?;
    let result = (|| {
        let code = server
            .server
            .create_enrolment_code(&server.team_id, Role::Coordinateur)?;
        s.open_settings()?;
        s.paste(
            "#enrol-code",
            &invite_link(&server.url, &code, Some(&pin), None),
        )?;
        s.click_css("#enrol")?;
        s.wait_text("#sync-status", |t| t.contains("Synchronisé"))?;

        // A coordinator's device holding no key: the seal is offered, in two taps.
        s.wait_for("#seal-history:not([hidden])")?;
        s.click_css("#seal-start")?;
        s.wait_text("#seal-warning", |t| t.contains("invité à nouveau"))?;
        s.execute("document.getElementById('seal-history').scrollIntoView()")?;
        s.screenshot(&shots.join("e2e-seal-360x720.png"))?;
        // Tap targets of 44 px at least, on a phone.
        let smallest = s.execute(
            "return Math.min(...['seal-confirm', 'seal-cancel'].map(id => \
             document.getElementById(id).getBoundingClientRect().height))",
        )?;
        assert!(smallest.as_f64().unwrap_or(0.0) >= 44.0, "{smallest}");
        s.click_css("#seal-confirm")?;
        s.wait_text("#seal-done", |t| t.contains("L'historique est chiffré"))?;
        // Still said once the status shows the team sealing (the section stays).
        s.resize(1280, 800)?;
        s.wait_shown("#seal-done", true)?;
        s.execute("document.getElementById('seal-history').scrollIntoView({block: 'center'})")?;
        s.screenshot(&shots.join("e2e-seal-1280x800.png"))?;
        Ok::<_, anyhow::Error>(())
    })();
    if result.is_err() {
        let _ = s.screenshot(&shots.join("e2e-failure-seal.png"));
    }
    result?;

    // The server dropped what it held in clear; the laptop's worker sends the history
    // back sealed: a device enrolled now without the key pulls it, and cannot open it.
    assert!(!server_files_hold(data.path(), MARKER)?);
    let mut reader = server.device(data.path(), "sans-cle")?;
    poll(
        Duration::from_secs(30),
        "the history sent back sealed",
        || {
            reader.sync()?;
            let (waiting, _) = reader.store().set_aside_counts()?;
            Ok((waiting > 0).then_some(()))
        },
    )?;
    assert!(reader.store().list_rencontres_since(0)?.is_empty());
    assert!(!server_files_hold(data.path(), MARKER)?);

    // The phone holds no key: its heal of the renamed log is refused, not stored.
    match phone.sync() {
        Err(CoreError::Transport(TransportError::Rejected {
            code: Some(ErrorCode::StaleEpoch),
            ..
        })) => {}
        other => anyhow::bail!("a keyless phone's clear writes must be refused, got {other:?}"),
    }
    s.close()?;
    Ok(())
}
