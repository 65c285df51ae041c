//! End-to-end through the real app window (tauri-driver + WebKitWebDriver, under Xvfb):
//! "Effacer définitivement" on a person's thread. The confirmation names her and asks
//! why; afterwards she is found nowhere, no file of the app's data folder holds her name
//! (the store, its WAL, the logs, anything else), and the coordinator's figures still
//! count the rencontre that named her. (The same erasure through a real server, the
//! phone's and the server's files included, is `erasure.rs`.)
//!
//! Ignored by a plain `cargo test`: `scripts/test.sh` builds the app and runs it under
//! `xvfb-run`.

use filrouge_core::{Clock, Env, STORE_FILE, Store, SystemClock};
use filrouge_model::dashboard::Period;
use filrouge_model::{Channel, Day, PersonDraft, RencontreDraft};
use filrouge_tests::webdriver::{Driver, PASSPHRASE, app_binary, artifacts_dir, shot_on_failure};

const MARKER: &str = "Zorglubine Fenêtre-5151";

/// Every file under `dir` whose bytes hold `needle`.
fn files_holding(dir: &std::path::Path, needle: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if std::fs::read(&path)
                .is_ok_and(|b| b.windows(needle.len()).any(|w| w == needle))
            {
                found.push(path.display().to_string());
            }
        }
    }
    found
}

#[test]
#[ignore = "needs the built app, tauri-driver and a display: run by scripts/test.sh"]
fn a_person_erased_from_her_thread_is_in_no_file_and_still_counted() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let dir = data.path().join("app");
    std::fs::create_dir_all(&dir)?;
    {
        let mut store = Store::open(&dir.join(STORE_FILE), Env::default())?;
        let her = store.create_person(PersonDraft::new(MARKER))?;
        store.create_rencontre(RencontreDraft {
            channel: Channel::Maraude,
            place: "Gare du Nord".into(),
            persons: [her].into(),
            note: format!("{MARKER} cherche un CAP"),
            ..RencontreDraft::default()
        })?;
    }
    let driver = Driver::start()?;
    let s = driver.session(&app_binary()?, &["--data", &dir.to_string_lossy()])?;
    s.resize(360, 720)?;
    let result = shot_on_failure(&s, "erasure", || {
        s.click_css("#tab-persons")?;
        s.paste("#persons-search", "zorglub")?;
        s.wait_text("#persons-list", |t| t.contains(MARKER))?;
        s.click_css("#persons-list .person-row")?;
        s.wait_text("#person-name", |t| t == MARKER)?;
        s.click_css("#erase-person")?;
        let question = s.wait_text("#erase-question", |t| !t.is_empty())?;
        assert_eq!(question, format!("Effacer définitivement « {MARKER} » ?"));
        // Without a reason, nothing is erased and the form says why.
        s.click_css("#confirm-erase")?;
        s.wait_text(".erase-confirm .error", |t| {
            t.starts_with("Choisissez pourquoi")
        })?;
        s.click_css(".erase-reason[data-reason='demande'] input")?;
        s.execute("document.querySelector('.erase-confirm').scrollIntoView({block: 'center'})")?;
        s.screenshot(&artifacts_dir().join("e2e-erasure-360x720.png"))?;
        s.click_css("#confirm-erase")?;
        s.wait_text("#persons-title", |t| t == "Personnes")?;
        s.paste("#persons-search", "zorglub")?;
        s.wait_count("#persons-list .person-row", 0)?;
        Ok(())
    });
    s.close()?;
    result?;

    let held = files_holding(data.path(), MARKER.as_bytes());
    assert!(held.is_empty(), "her name is still in {held:?}");
    let path = dir.join(STORE_FILE);
    let mut vault =
        filrouge_core::vault::Vault::read(&path)?.ok_or_else(|| anyhow::anyhow!("no key file"))?;
    let key = vault.unlock(PASSPHRASE, None, 0)?;
    let store = Store::open_encrypted(&path, &key, Env::default())?;
    assert!(store.search_persons("zorglub", 5)?.is_empty());
    let today = Day::from_epoch_ms(SystemClock.now_ms());
    let figures = store.figures(Period::custom(today, today)?)?;
    assert_eq!(
        (figures.rencontres, figures.named + figures.anonymous),
        (1, 1)
    );
    assert_eq!(store.erasure_register()?.len(), 1);
    Ok(())
}
