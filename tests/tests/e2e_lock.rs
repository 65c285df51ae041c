//! End-to-end through the real app window (tauri-driver + WebKitWebDriver, under Xvfb):
//! the lock as a worker meets it. First start asks for a passphrase (twice, and of the
//! right length); the app opens; locking in the middle of a rencontre and unlocking
//! brings the form back as it was; a wrong passphrase says how many attempts are left;
//! after a restart the store stays shut until the passphrase, and the form kept in the
//! store comes back; changing the passphrase in the settings works and the old one no
//! longer opens.
//!
//! Ignored by a plain `cargo test`: `scripts/test.sh` builds the app and runs it under
//! `xvfb-run`.

use std::time::Duration;

use filrouge_tests::webdriver::{Driver, PASSPHRASE, Session, app_binary, artifacts_dir, poll};

const NEW_PASSPHRASE: &str = "quatre mots bien choisis";

fn give(s: &Session, secret: &str) -> anyhow::Result<()> {
    s.fill("#lock-secret", secret)?;
    s.click_css("#lock-submit")
}

/// Waits until the rencontre being typed is kept in the (encrypted) store.
fn kept_in_store(dir: &std::path::Path) -> anyhow::Result<()> {
    let store = dir.join(filrouge_core::STORE_FILE);
    poll(
        Duration::from_secs(20),
        "the form kept in the store",
        || {
            let mut vault = filrouge_core::vault::Vault::read(&store)?
                .ok_or_else(|| anyhow::anyhow!("no key file"))?;
            let key = vault.unlock(PASSPHRASE, None, 0)?;
            let reader = filrouge_core::Store::open_encrypted(&store, &key, Default::default())?;
            let kept = reader.form_draft()?.map(|d| d.draft.note);
            Ok(kept.filter(|n| n == "Brouillon en cours").map(|_| ()))
        },
    )
}

/// Waits until the lock screen has gone.
fn unlocked(s: &Session) -> anyhow::Result<()> {
    poll(Duration::from_secs(20), "the lock screen to go", || {
        Ok(s.find_all("#lock-screen")?.is_empty().then_some(()))
    })
}

#[test]
#[ignore = "needs the built app, tauri-driver and a display: run by scripts/test.sh"]
fn the_lock_guards_the_store_and_keeps_what_was_being_typed() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let dir = data.path().join("app");
    let dir_arg = dir.to_string_lossy().into_owned();
    let shots = artifacts_dir();
    let driver = Driver::start()?;

    let s = driver.locked_session(&app_binary()?, &["--data", &dir_arg])?;
    let result = (|| {
        s.resize(360, 720)?;
        s.wait_text("#lock-title", |t| t.contains("Protégez ce carnet"))?;
        assert!(
            s.find_all("#app-root")?.is_empty(),
            "nothing of the app is drawn"
        );
        s.screenshot(&shots.join("e2e-lock-setup-360x720.png"))?;
        // Too short, then two that differ: said, nothing created.
        s.fill("#lock-secret", "court")?;
        s.fill("#lock-confirm", "court")?;
        s.click_css("#lock-submit")?;
        s.wait_text("#lock-message", |t| t.contains("au moins 12 caractères"))?;
        s.fill("#lock-secret", PASSPHRASE)?;
        s.fill("#lock-confirm", "une autre phrase encore")?;
        s.click_css("#lock-submit")?;
        s.wait_text("#lock-message", |t| t.contains("pas identiques"))?;
        assert!(!dir.join("filrouge.key").exists());
        s.open_lock()?;
        assert!(dir.join("filrouge.key").exists());

        // A rencontre half-typed, then the phone is locked from the settings.
        s.open_rencontre_form()?;
        s.click_css("[data-channel=maraude]")?;
        s.fill("#place", "Parvis de la gare")?;
        s.fill("#note", "Brouillon en cours")?;
        s.open_settings()?;
        s.click_css("#lock-now-settings")?;
        s.wait_text("#lock-title", |t| t.contains("Carnet verrouillé"))?;
        assert!(s.find_all("#lock-confirm")?.is_empty());
        give(&s, "pas la bonne phrase")?;
        s.wait_text("#lock-message", |t| t.contains("Encore 9 essais"))?;
        s.screenshot(&shots.join("e2e-lock-wrong-360x720.png"))?;
        give(&s, PASSPHRASE)?;
        unlocked(&s)?;
        s.click_css("#close-settings")?;
        let note = s.wait_for("#note")?;
        assert_eq!(s.property(&note, "value")?, "Brouillon en cours");

        // Laptop size, to see the lock screen there too.
        s.resize(1280, 800)?;
        s.open_settings()?;
        s.click_css("#lock-now-settings")?;
        s.wait_for("#lock-screen")?;
        s.screenshot(&shots.join("e2e-lock-1280x800.png"))?;
        give(&s, PASSPHRASE)?;
        unlocked(&s)?;
        // The form is kept in the store (encrypted), as the app keeps it a moment
        // after the last change: wait for it there before the restart.
        kept_in_store(&dir)?;
        Ok::<_, anyhow::Error>(())
    })();
    if result.is_err() {
        let _ = s.screenshot(&shots.join("e2e-failure-lock.png"));
    }
    s.close()?;
    result?;

    // A restart: shut until the passphrase; the kept form comes back.
    let s = driver.locked_session(&app_binary()?, &["--data", &dir_arg])?;
    let result = (|| {
        s.resize(360, 720)?;
        s.wait_text("#lock-title", |t| t.contains("Carnet verrouillé"))?;
        assert!(s.find_all("#app-root")?.is_empty());
        give(&s, PASSPHRASE)?;
        s.wait_for("#app-root")?;
        s.wait_shown("#rencontre-form", true)?;
        let note = s.wait_for("#note")?;
        assert_eq!(s.property(&note, "value")?, "Brouillon en cours");

        // A new passphrase; the old one is refused at the next unlock.
        s.open_settings()?;
        s.fill("#old-secret", PASSPHRASE)?;
        s.fill("#new-secret", NEW_PASSPHRASE)?;
        s.fill("#new-secret-confirm", NEW_PASSPHRASE)?;
        s.click_css("#change-secret")?;
        s.wait_text("#change-secret-done", |t| t.contains("Secret changé"))?;
        s.click_css("#lock-now-settings")?;
        s.wait_for("#lock-screen")?;
        give(&s, PASSPHRASE)?;
        s.wait_text("#lock-message", |t| t.contains("essais"))?;
        give(&s, NEW_PASSPHRASE)?;
        unlocked(&s)?;
        Ok::<_, anyhow::Error>(())
    })();
    if result.is_err() {
        let _ = s.screenshot(&shots.join("e2e-failure-lock-restart.png"));
    }
    s.close()?;
    result
}
