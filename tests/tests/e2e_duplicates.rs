//! End-to-end through the real app window (tauri-driver + WebKitWebDriver, under Xvfb):
//! duplicates. On a phone-sized window, typing "Momo" for a new person in the rencontre
//! form offers the known "Mohamed Benali" instead ("Une personne proche existe déjà"),
//! and choosing him adds him. On a laptop, the coordination space lists the two records
//! of one young man ("Mohamed Benali", "Mohammed B.") side by side with their reasons,
//! and "Pas la même personne" takes the pair off the list for good; or "Fusionner…"
//! joins their threads, and "Annuler la fusion" parts them again.
//!
//! Ignored by a plain `cargo test`: `scripts/test.sh` builds the app and runs it under
//! `xvfb-run`.

use filrouge_core::{Env, STORE_FILE, Store};
use filrouge_model::{Channel, PersonDraft, RencontreDraft};
use filrouge_tests::webdriver::{Driver, app_binary, artifacts_dir, shot_on_failure};

fn person(pseudonym: &str, last: Option<&str>, year: i32) -> PersonDraft {
    let mut p = PersonDraft::new(pseudonym);
    p.last_name = last.map(Into::into);
    p.birth_year = Some(year);
    p.territory.commune = Some("Saint-Denis".into());
    p
}

#[test]
#[ignore = "needs the built app, tauri-driver and a display: run by scripts/test.sh"]
fn a_close_person_is_offered_and_a_pair_is_dismissed() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let dir = data.path().join("app");
    std::fs::create_dir_all(&dir)?;
    {
        let mut store = Store::open(&dir.join(STORE_FILE), Env::default())?;
        store.create_person(person("Mohamed", Some("Benali"), 2005))?;
        store.create_person(person("Mohammed B.", None, 2005))?;
        store.create_person(person("Yanis", None, 1999))?;
    }
    let driver = Driver::start()?;
    let s = driver.session(&app_binary()?, &["--data", &dir.to_string_lossy()])?;
    s.resize(360, 720)?;
    let result = shot_on_failure(&s, "duplicates", || {
        // The form offers the known person for a nickname, and does not stop a new one.
        s.open_rencontre_form()?;
        s.paste("#person-search", "Momo")?;
        let said = s.wait_text(".similar-person", |t| t.contains("Mohamed Benali"))?;
        assert!(
            said.starts_with(
                "Une personne proche existe déjà : Mohamed Benali (née ou né en 2005 · Saint-Denis"
            ),
            "{said}"
        );
        s.wait_shown("#person-create", true)?;
        s.execute("document.querySelector('.similar-person').scrollIntoView({block: 'center'})")?;
        s.screenshot(&artifacts_dir().join("e2e-duplicates-form-360x720.png"))?;
        let buttons = s.find_all(".choose-similar")?;
        let mut chose = false;
        for b in &buttons {
            if s.text(b)?.contains("Mohamed Benali") {
                s.click(b)?;
                chose = true;
                break;
            }
        }
        assert!(chose, "a button chooses Mohamed Benali");
        s.wait_text(".person-chip", |t| t.contains("Mohamed"))?;
        s.click_css("#close-form")?;

        // The laptop's list: one pair, side by side, with why.
        s.resize(1280, 800)?;
        s.click_css("#tab-coordination")?;
        s.click_css("#duplicates-search")?;
        s.wait_text("#duplicates-found", |t| {
            t == "Une paire possible parmi 3 personnes."
        })?;
        let pair = s.wait_text(".duplicate-pair", |t| t.contains("Mohamed Benali"))?;
        assert!(pair.contains("Mohammed B."), "{pair}");
        assert!(pair.contains("même année de naissance"), "{pair}");
        assert!(pair.contains("même commune"), "{pair}");
        assert!(!pair.contains("inversés"), "{pair}");
        s.execute("document.getElementById('duplicates').scrollIntoView()")?;
        s.screenshot(&artifacts_dir().join("e2e-duplicates-1280x800.png"))?;
        s.click_css(".duplicate-pair .not-same")?;
        s.wait_text("#duplicates-found", |t| {
            t == "Aucun doublon possible parmi 3 personnes."
        })?;
        s.wait_count(".duplicate-pair", 0)?;
        // Looked for again, it stays away.
        s.click_css("#duplicates-search")?;
        s.wait_text("#duplicates-found", |t| t.starts_with("Aucun doublon"))?;
        Ok(())
    });
    s.close()?;
    result
}

/// Two phones each record the same young man under their own spelling (the stade's
/// "Mohamed Benali", met twice; Snapchat's "Mohammed B.") and sync with the laptop: the
/// laptop proposes them, merges them, the kept record's thread holds both timelines and
/// says whom it also holds, and "Annuler la fusion" gives two persons back.
#[test]
#[ignore = "needs the built app, tauri-driver and a display: run by scripts/test.sh"]
fn a_merge_joins_two_threads_and_its_undo_parts_them() -> anyhow::Result<()> {
    use filrouge_core::sync::{MemoryHub, run};
    use std::sync::Mutex;

    let data = tempfile::tempdir()?;
    let dir = data.path().join("app");
    std::fs::create_dir_all(&dir)?;
    {
        let hub = MemoryHub::new();
        let open = |path: std::path::PathBuf| -> anyhow::Result<Mutex<Store>> {
            Ok(Mutex::new(Store::open(&path, Env::default())?))
        };
        let stade = open(data.path().join("stade.sqlite"))?;
        let snap = open(data.path().join("snap.sqlite"))?;
        let laptop = open(dir.join(STORE_FILE))?;
        for (phone, who, places) in [
            (
                &stade,
                person("Mohamed", Some("Benali"), 2005),
                &["City stade", "Gymnase"][..],
            ),
            (&snap, person("Mohammed B.", None, 2005), &["Snapchat"][..]),
        ] {
            let mut p = phone.lock().map_err(|_| anyhow::anyhow!("poisoned"))?;
            let id = p.create_person(who)?;
            for place in places {
                p.create_rencontre(RencontreDraft {
                    channel: Channel::EvenementSportif,
                    place: (*place).into(),
                    persons: [id.clone()].into(),
                    ..RencontreDraft::default()
                })?;
            }
        }
        for d in [&stade, &snap, &laptop] {
            run(d, &mut hub.transport())?;
        }
    }
    let driver = Driver::start()?;
    let s = driver.session(&app_binary()?, &["--data", &dir.to_string_lossy()])?;
    s.resize(1280, 800)?;
    let result = shot_on_failure(&s, "merge", || {
        s.click_css("#tab-coordination")?;
        s.click_css("#duplicates-search")?;
        s.wait_text(".duplicate-pair", |t| t.contains("Mohammed B."))?;
        s.click_css(".duplicate-pair .merge-pair")?;
        // The record met twice is kept by default; the last name only it has is kept.
        let keep = s.wait_text(".merge-keep", |t| t.contains("Mohamed Benali"))?;
        assert!(keep.contains("Fiche à garder"), "{keep}");
        s.execute("document.querySelector('.merge-choice').scrollIntoView({block: 'center'})")?;
        s.screenshot(&artifacts_dir().join("e2e-merge-choice-1280x800.png"))?;
        s.click_css(".confirm-merge")?;
        s.wait_text("#person-name", |t| t == "Mohamed Benali")?;
        let note = s.wait_text(".merged-note", |t| t.contains("Mohammed B."))?;
        assert!(
            note.starts_with("Cette fiche réunit aussi « Mohammed B. » (fusion du"),
            "{note}"
        );
        s.wait_count("#timeline .timeline-entry", 3)?;
        let top: f64 = s.execute("return window.scrollY")?.as_f64().unwrap_or(-1.0);
        assert_eq!(top, 0.0, "the thread opens at its top");
        s.screenshot(&artifacts_dir().join("e2e-merged-thread-1280x800.png"))?;
        s.click_css(".undo-merge")?;
        s.wait_text("#person-notice", |t| t.starts_with("Fusion annulée"))?;
        s.wait_count("#timeline .timeline-entry", 2)?;
        s.wait_count(".merged-note", 0)?;
        // Both are persons again.
        s.click_css("#tab-persons")?;
        s.paste("#persons-search", "moh")?;
        s.wait_text("#persons-list", |t| {
            t.contains("Mohammed B.") && t.contains("Benali")
        })?;
        Ok(())
    });
    s.close()?;
    result
}
