//! End-to-end through the real app window (tauri-driver + WebKitWebDriver, under Xvfb):
//! record a rencontre with the form, see it listed, restart the app and see it again;
//! then enrol the window's device with a real server and check that a second device
//! receives the rencontre, and that the window receives the second device's contacts on
//! "Synchroniser" and when the network comes back (the webview's `online` event);
//! last, switch the screen to English in the settings, see it kept after a restart,
//! and switch back to French.
//!
//! Ignored by a plain `cargo test` because it needs the built app, `tauri-driver` and a
//! display; `scripts/test.sh` builds the app and runs it under `xvfb-run`.

use std::time::Duration;

use filrouge_tests::TestServer;
use filrouge_tests::webdriver::{Driver, Session, app_binary, artifacts_dir, poll};
use serde_json::Value;

/// Waits until `<html lang>` is `code`.
fn wait_html_lang(s: &Session, code: &str) -> anyhow::Result<()> {
    poll(
        Duration::from_secs(20),
        &format!("<html lang={code}>"),
        || {
            let lang = s.execute("return document.documentElement.lang")?;
            Ok((lang == code).then_some(()))
        },
    )
}

#[test]
#[ignore = "needs the built app, tauri-driver and a display: run by scripts/test.sh"]
fn record_a_rencontre_restart_and_sync_it() -> anyhow::Result<()> {
    let app = app_binary()?;
    let data = tempfile::tempdir()?;
    let data_dir = data.path().join("app");
    let data_arg = data_dir.to_string_lossy().into_owned();
    let shots = artifacts_dir();
    let driver = Driver::start()?;

    // 1. Record an anonymous group contact at phone size.
    let s = driver.session(&app, &["--data", &data_arg])?;
    s.resize(360, 720)?;
    s.wait_for("#new-rencontre")?;
    // No language chosen yet (the webview's storage is under the fresh data
    // directory): French, whatever the browser's own language.
    s.wait_text("#today-empty", |t| t.contains("Aucune rencontre"))?;
    wait_html_lang(&s, "fr")?;
    s.screenshot(&shots.join("e2e-empty-360x720.png"))?;
    s.open_rencontre_form()?;
    s.screenshot(&shots.join("e2e-form-360x720.png"))?;
    s.click_css("[data-channel=porte_a_porte]")?;
    s.fill("#place", "Résidence Les Tilleuls, bât. C")?;
    s.click_css("#headcount-plus")?;
    s.click_css("#headcount-plus")?;
    s.fill("#note", "3 jeunes, intéressés par le tournoi")?;
    s.click_css("#save")?;
    let items = s.wait_count("#today-list li.rencontre", 1)?;
    let text = s.text(&items[0])?;
    assert!(text.contains("Résidence Les Tilleuls"), "{text}");
    assert!(text.contains("3 personnes"), "{text}");
    assert!(text.contains("Porte-à-porte"), "{text}");
    s.screenshot(&shots.join("e2e-saved-360x720.png"))?;
    s.resize(1280, 800)?;
    s.screenshot(&shots.join("e2e-saved-1280x800.png"))?;
    // The form kept channel and place, and cleared the rest for the next contact.
    s.open_rencontre_form()?;
    s.wait_for("[data-channel=porte_a_porte][aria-pressed=true]")?;
    let note = s.wait_for("#note")?;
    assert_eq!(s.property(&note, "value")?, "");
    s.screenshot(&shots.join("e2e-form-1280x800.png"))?;
    s.close()?;

    // 2. Restart the app on the same data: the rencontre is still there, and the place
    //    is prefilled from last time.
    let s = driver.session(&app, &["--data", &data_arg])?;
    s.resize(1280, 800)?;
    let items = s.wait_count("#today-list li.rencontre", 1)?;
    assert!(s.text(&items[0])?.contains("Résidence Les Tilleuls"));
    s.open_rencontre_form()?;
    let place = s.wait_for("#place")?;
    poll(Duration::from_secs(10), "place prefill", || {
        Ok((s.property(&place, "value")? == "Résidence Les Tilleuls, bât. C").then_some(()))
    })?;

    // 3. Enrol with a real server through the settings, sync, and check a second device.
    let server = TestServer::start(data.path())?;
    let code = server
        .server
        .create_enrolment_code(&server.team_id, filrouge_server::Role::Intervenant)?;
    s.open_settings()?;
    s.fill("#server-url", &server.url)?;
    s.fill("#enrol-code", &code)?;
    s.click_css("#enrol")?;
    let status = match s.wait_text("#sync-status", |t| t.contains("Synchronisé")) {
        Ok(status) => status,
        Err(e) => {
            // Leave what the user would have seen, to tell why.
            let _ = s.screenshot(&shots.join("e2e-failure.png"));
            let said: Vec<String> = ["#settings-error", "#settings-message", "#settings-status"]
                .iter()
                .filter_map(|css| s.find_all(css).ok()?.into_iter().next())
                .filter_map(|el| s.text(&el).ok())
                .collect();
            return Err(e.context(format!("settings said: {said:?}")));
        }
    };
    s.screenshot(&shots.join("e2e-synced-1280x800.png"))?;
    assert!(!status.contains("attente"), "{status}");
    let mut other = server.device(data.path(), "tel-b")?;
    other.sync()?;
    let rows = other.store().list_rencontres_since(0)?;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].place, "Résidence Les Tilleuls, bât. C");
    assert_eq!(rows[0].headcount, 3);

    // 4. And the other way: the second device's contact appears in the window after a sync.
    other
        .store()
        .create_rencontre(filrouge_model::RencontreDraft {
            channel: filrouge_model::Channel::Maraude,
            place: "Gare routière".into(),
            occurred_at: None,
            headcount: 1,
            pseudonym: None,
            note: String::new(),
            ..Default::default()
        })?;
    other.sync()?;
    s.click_css("#sync-now")?;
    s.wait_count("#today-list li.rencontre", 2)?;

    // 5. The network comes back: the webview's `online` event starts a sync at once.
    // The worker's own next sync is a minute after the last one, well past the wait.
    other
        .store()
        .create_rencontre(filrouge_model::RencontreDraft {
            channel: filrouge_model::Channel::Maraude,
            place: "Square Marcel Pagnol".into(),
            headcount: 2,
            ..Default::default()
        })?;
    other.sync()?;
    s.execute("window.dispatchEvent(new Event('online'))")?;
    s.wait_count("#today-list li.rencontre", 3)?;

    // 6. Switching to English, in the settings (still open from step 3): every word
    //    changes at once, the vocabularies' labels too.
    if s.execute("return document.getElementById('settings').hidden")? == Value::Bool(true) {
        s.open_settings()?;
    }
    s.click_css("#lang-en")?;
    s.wait_text("#rencontre-title", |t| t == "New contact")?;
    s.wait_text("#open-settings", |t| t == "Settings")?;
    s.wait_text("#today-list", |t| {
        t.contains("Door-to-door") && t.contains("3 people")
    })?;
    let pressed =
        s.execute("return document.getElementById('lang-en').getAttribute('aria-pressed')")?;
    assert_eq!(pressed, "true");
    wait_html_lang(&s, "en")?;
    let kept = s.execute("return localStorage.getItem('filrouge.lang')")?;
    assert_eq!(kept, "en");
    // Kept with this device's data, not in the app's shared webview storage.
    let webview_dir = data_dir.join("webview");
    poll(
        Duration::from_secs(20),
        "the webview's storage in --data",
        || Ok(webview_dir.is_dir().then_some(())),
    )?;
    s.resize(360, 720)?;
    s.execute("document.getElementById('language').scrollIntoView()")?;
    s.screenshot(&shots.join("e2e-english-settings-360x720.png"))?;
    s.click_css("#close-settings")?;
    s.execute("window.scrollTo(0, 0)")?;
    s.screenshot(&shots.join("e2e-english-360x720.png"))?;
    s.close()?;

    // The choice is kept: the next start is in English. Then back to French.
    let s = driver.session(&app, &["--data", &data_arg])?;
    s.wait_text("#new-rencontre", |t| t.contains("New contact"))?;
    s.wait_count("#today-list li.rencontre", 3)?;
    s.open_settings()?;
    s.click_css("#lang-fr")?;
    s.wait_text("#new-rencontre", |t| t.contains("Nouvelle rencontre"))?;
    s.wait_text("#open-settings", |t| t == "Réglages")?;
    wait_html_lang(&s, "fr")?;
    s.close()?;
    Ok(())
}
