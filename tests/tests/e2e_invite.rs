//! End-to-end through the real app window (tauri-driver + WebKitWebDriver, under Xvfb),
//! over HTTPS with the server's own certificate: a coordinator's laptop joins the team
//! by pasting an invitation link (the server's address and certificate fingerprint fill
//! themselves in), then invites a phone from its settings: the code, its link (with the
//! fingerprint, and the secret opening the team key the laptop made as the new team's
//! first coordinator) and its QR code show, and a phone enrols with that link and
//! opens the team's keys. The
//! phone is then lost: the laptop lists the team's devices and revokes it, and its
//! next sync is refused. A field worker's device is never offered any of this.
//!
//! Ignored by a plain `cargo test`: `scripts/test.sh` builds the app and runs it under
//! `xvfb-run`.

use anyhow::Context as _;
use filrouge_core::e2e::{InviteSecret, open_keyring};
use filrouge_core::{Env, Store, sync};
use filrouge_model::invite::{invite_link, parse_invite_link};
use filrouge_model::sync::Role;
use filrouge_tests::TestServer;
use filrouge_tests::webdriver::{Driver, Session, app_binary, artifacts_dir};

/// Opens the settings of a fresh app and enrols it by pasting `link` into the code field.
fn enrol_by_link(s: &Session, link: &str, server_url: &str) -> anyhow::Result<()> {
    s.open_settings()?;
    assert!(
        !s.is_shown("#invite")?,
        "no invitation before joining a team"
    );
    s.paste("#enrol-code", link)?;
    let url = s.wait_for("#server-url")?;
    filrouge_tests::webdriver::poll(
        std::time::Duration::from_secs(10),
        "the address from the link",
        || Ok((s.property(&url, "value")? == server_url).then_some(())),
    )?;
    let code = s.wait_for("#enrol-code")?;
    let typed = s.property(&code, "value")?;
    assert!(
        !typed.as_str().unwrap_or_default().contains("filrouge://"),
        "{typed}"
    );
    s.click_css("#enrol")?;
    s.wait_text("#sync-status", |t| t.contains("Synchronisé"))?;
    Ok(())
}

#[test]
#[ignore = "needs the built app, tauri-driver and a display: run by scripts/test.sh"]
fn a_coordinator_invites_a_phone_from_the_settings() -> anyhow::Result<()> {
    let shots = artifacts_dir();
    let data = tempfile::tempdir()?;
    let (server, pin) = TestServer::start_tls(data.path())?;
    let pin = Some(pin.as_str());
    let driver = Driver::start()?;
    let dir = data.path().join("laptop");
    let s = driver.session(&app_binary()?, &["--data", &dir.to_string_lossy()])?;
    s.resize(1280, 800)?;
    let result = (|| {
        let code = server
            .server
            .create_enrolment_code(&server.team_id, Role::Coordinateur)?;
        enrol_by_link(&s, &invite_link(&server.url, &code, pin, None), &server.url)?;

        // A coordinator's device: the invitation is offered.
        s.wait_for("#invite:not([hidden])")?;
        s.click_css("#invite [data-role=intervenant]")?;
        s.click_css("#create-invite")?;
        let code = s.wait_text("#invite-code", |t| t.len() >= 8)?;
        s.wait_text("#invite-result", |t| t.contains("Pour un·e intervenant·e"))?;
        s.wait_for("#invite-qr svg")?;
        let link = s.wait_text("#invite-link", |t| t.starts_with("filrouge://enrol?"))?;
        // The laptop is the new team's first coordinator: it made the team key, and
        // the link carries the secret that opens it (the code and server as shown).
        let parsed = parse_invite_link(&link).context("the shown link parses")?;
        let secret = parsed
            .key
            .clone()
            .context("the link carries the team's key")?;
        assert_eq!(
            link,
            invite_link(&server.url, &code, pin, Some(secret.as_str()))
        );
        // The code alone would enrol a device that reads nothing: the words say so.
        s.wait_text("#invite-how", |t| t.contains("clé de l'équipe"))?;
        s.execute("document.getElementById('invite').scrollIntoView()")?;
        s.screenshot(&shots.join("e2e-invite-1280x800.png"))?;
        s.resize(360, 720)?;
        s.execute("document.getElementById('invite-result').scrollIntoView()")?;
        s.screenshot(&shots.join("e2e-invite-360x720.png"))?;

        // A phone enrols with the code shown and receives the team's data.
        let phone_pin = pin.and_then(sync::parse_pin);
        let enrolment = sync::enrol(&server.url, &code, "Téléphone de Lina", phone_pin)?;
        assert_eq!(enrolment.role, Some(Role::Intervenant));
        let phone = std::sync::Mutex::new(Store::open(
            &data.path().join("phone.sqlite"),
            Env::default(),
        )?);
        {
            let mut phone = phone.lock().map_err(|_| anyhow::anyhow!("poisoned"))?;
            phone.save_enrolment(&server.url, &enrolment)?;
            let sealed = enrolment.sealed_keys.as_deref().context("keys")?;
            let secret = InviteSecret::from_hex(&secret).context("the secret")?;
            phone.add_keys(&open_keyring(&secret, &enrolment.team_id, sealed)?)?;
        }
        let mut transport = sync::HttpTransport::pinned(&server.url, &enrolment.token, phone_pin)?;
        sync::run(&phone, &mut transport)?;
        let devices = server.server.devices(&server.team_id)?;
        assert_eq!(devices.len(), 2);
        assert_eq!(devices[1].role, Role::Intervenant);

        // The phone is lost: the laptop lists the team's devices and cuts it off, in
        // two taps, the second on a sentence that names it.
        s.resize(1280, 800)?;
        s.click_css("#list-devices")?;
        s.wait_count("#devices-list li.device-row", 2)?;
        s.wait_text("#devices-list", |t| {
            t.contains("Cet appareil") && t.contains("Téléphone de Lina")
        })?;
        let row = format!("#devices-list li[data-device='{}']", enrolment.device_id);
        s.click_css(&format!("{row} .revoke"))?;
        s.wait_text(".revoke-confirm", |t| t.contains("Téléphone de Lina"))?;
        s.click_css("#revoke-confirm")?;
        s.wait_text(&row, |t| t.contains("Retiré"))?;
        s.execute("document.getElementById('devices').scrollIntoView()")?;
        s.screenshot(&shots.join("e2e-devices-1280x800.png"))?;
        match sync::run(&phone, &mut transport) {
            Err(filrouge_core::CoreError::Transport(sync::TransportError::Revoked)) => {}
            other => anyhow::bail!("a revoked phone must be refused, got {other:?}"),
        }

        // The recovery key: two taps (it replaces any earlier one), then shown once,
        // in eleven groups of five, until the coordinator says it is put away.
        s.click_css("#recovery-create")?;
        s.wait_text("#recovery .revoke-confirm", |t| t.contains("remplace"))?;
        s.click_css("#recovery-confirm")?;
        let key = s.wait_text("#recovery-key", |t| t.split('-').count() == 11)?;
        assert!(filrouge_core::e2e::parse_recovery_text(&key).is_some());
        s.execute("document.getElementById('recovery').scrollIntoView()")?;
        s.screenshot(&shots.join("e2e-recovery-1280x800.png"))?;
        s.resize(360, 720)?;
        s.execute("document.getElementById('recovery-key').scrollIntoView({block: 'center'})")?;
        s.screenshot(&shots.join("e2e-recovery-360x720.png"))?;
        s.click_css("#recovery-hide")?;
        s.wait_for("#recovery-create")?;

        // The team's information notice: filled in once, saved with a version.
        s.resize(1280, 800)?;
        s.fill(
            "#notice-holder",
            "Association Fil rouge, 1 rue de la Gare, Bondy",
        )?;
        s.fill("#notice-dpo", "dpo@filrouge.example")?;
        s.fill("#notice-words-fr", "Rien n'est transmis sans votre accord.")?;
        s.click_css("#notice-save")?;
        s.wait_text("#notice-version", |t| {
            t.starts_with("Notice enregistrée. Version en vigueur : 20")
        })?;
        s.execute("document.getElementById('notice').scrollIntoView()")?;
        s.screenshot(&shots.join("e2e-notice-1280x800.png"))?;

        Ok::<_, anyhow::Error>(code)
    })();
    if result.is_err() {
        let _ = s.screenshot(&shots.join("e2e-failure-invite.png"));
    }
    s.close()?;
    let used = result?;

    // A field worker's device. The used code is refused, in words that say what to do;
    // a fresh one enrols it, and it is never offered the invitation.
    let dir = data.path().join("worker");
    let s = driver.session(&app_binary()?, &["--data", &dir.to_string_lossy()])?;
    s.resize(360, 720)?;
    s.open_settings()?;
    s.paste("#enrol-code", &invite_link(&server.url, &used, pin, None))?;
    s.click_css("#enrol")?;
    s.wait_text("#settings-error", |t| {
        t.contains("ne fonctionne pas") && t.contains("nouveau")
    })?;
    s.click_css("#close-settings")?;
    let code = server
        .server
        .create_enrolment_code(&server.team_id, Role::Intervenant)?;
    enrol_by_link(&s, &invite_link(&server.url, &code, pin, None), &server.url)?;
    assert!(!s.is_shown("#invite")?);
    s.close()?;
    Ok(())
}
