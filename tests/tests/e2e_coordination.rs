//! End-to-end through the real app window (tauri-driver + WebKitWebDriver, under Xvfb):
//! the coordination space on a laptop. The team's records are written into the store
//! before the app starts; the coordinator opens the dashboard, clicks a channel's count
//! and sees exactly that many rencontres, reads the funder's table with its small
//! counts hidden, exports the month to a workbook (read back here), opens a person met
//! from the persons' count, imports the team's spreadsheet (a refused row said, then the
//! corrected file), and reads the space in English. A field worker's device (enrolled as such by a real
//! server) does not offer the space.
//!
//! Ignored by a plain `cargo test`: `scripts/test.sh` builds the app and runs it under
//! `xvfb-run`.

use calamine::{Reader, Xlsx, open_workbook};
use filrouge_core::{Clock, Env, STORE_FILE, Store, SystemClock};
use filrouge_model::sync::Role;
use filrouge_model::{Channel, Day, PersonDraft, RencontreDraft};
use filrouge_tests::TestServer;
use filrouge_tests::webdriver::{Driver, app_binary, artifacts_dir, shot_on_failure};

/// Two persons and five rencontres of this month: three by maraude (the persons met
/// there), two anonymous groups door to door.
fn seed(dir: &std::path::Path) -> anyhow::Result<()> {
    let mut store = Store::open(&dir.join(STORE_FILE), Env::default())?;
    let now = SystemClock.now_ms();
    // A minute ago, unless that was last month.
    let month_start = {
        let (y, m, _) = Day::from_epoch_ms(now).ymd();
        Day::from_ymd(y, m, 1).map_or(now, Day::to_epoch_ms)
    };
    let at = (now - 60_000).max(month_start);
    let amine = store.create_person(PersonDraft::new("Amine"))?;
    let binta = store.create_person(PersonDraft::new("Binta"))?;
    let rencontre = |channel, persons: Vec<filrouge_model::RecordId>, headcount| RencontreDraft {
        channel,
        place: "City stade".into(),
        occurred_at: Some(at),
        headcount,
        persons: persons.into_iter().collect(),
        ..Default::default()
    };
    store.create_rencontre(rencontre(Channel::Maraude, vec![amine.clone()], 0))?;
    store.create_rencontre(rencontre(Channel::Maraude, vec![amine, binta.clone()], 1))?;
    store.create_rencontre(rencontre(Channel::Maraude, vec![binta], 0))?;
    store.create_rencontre(rencontre(Channel::PorteAPorte, Vec::new(), 2))?;
    store.create_rencontre(rencontre(Channel::PorteAPorte, Vec::new(), 2))?;
    // The team's devices as the server last listed them: Léa's phone has not synced
    // for ten days (the laptop is offline now, so the list is the one remembered).
    let day = 86_400_000;
    store.remember_team_devices(&[filrouge_model::ipc::TeamDevice {
        id: "lea".into(),
        name: "Téléphone de Léa".into(),
        role: Role::Intervenant,
        enrolled_at: now - 60 * day,
        revoked_at: None,
        last_seen_at: Some(now - 10 * day),
        this_device: false,
    }])?;
    Ok(())
}

#[test]
#[ignore = "needs the built app, tauri-driver and a display: run by scripts/test.sh"]
fn a_coordinator_clicks_a_count_and_sees_its_rencontres() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let dir = data.path().join("app");
    std::fs::create_dir_all(&dir)?;
    seed(&dir)?;
    let driver = Driver::start()?;
    let s = driver.session(&app_binary()?, &["--data", &dir.to_string_lossy()])?;
    s.resize(1280, 800)?;
    let result = shot_on_failure(&s, "coordination", || {
        s.click_css("#tab-coordination")?;
        s.wait_text("#fig-rencontres .figure-value", |t| t == "5")?;
        s.wait_text("#fig-persons-met .figure-value", |t| t == "2")?;
        s.wait_text("#fig-anonymous .figure-value", |t| t == "5")?;
        s.wait_text("#coordination-title", |t| t.starts_with("Tableau de bord"))?;
        s.wait_text("#provisional", |t| {
            t.starts_with("Chiffres provisoires : un appareil de l'équipe n'a pas synchronisé depuis plus de 7 jours (Téléphone de Léa, dernière synchronisation le ")
        })?;
        s.screenshot(&artifacts_dir().join("e2e-coordination-1280x800.png"))?;
        // The funder's table: both persons are new this month; for a funder, "< 5".
        let reperes = "#funder-table tr[data-indicator='reperes'] .total";
        s.wait_text(reperes, |t| t == "2")?;
        s.click_css("#funder-mode")?;
        s.wait_text(reperes, |t| t == "< 5")?;
        s.execute("document.getElementById('funder-table').scrollIntoView()")?;
        s.screenshot(&artifacts_dir().join("e2e-coordination-funder-1280x800.png"))?;
        s.execute("window.scrollTo(0, 0)")?;
        // The month exported to a workbook, read back here.
        s.click_css("#export-xlsx")?;
        let said = s.wait_text("#export-done", |t| t.starts_with("Fichier écrit : "))?;
        let file = said
            .trim_start_matches("Fichier écrit : ")
            .rsplit_once(" (")
            .map(|(file, _)| file.to_owned())
            .ok_or_else(|| anyhow::anyhow!("no file in {said:?}"))?;
        assert!(said.ends_with("(7 lignes)."), "{said}");
        let mut book: Xlsx<_> = open_workbook(&file)?;
        let rencontres = book.worksheet_range("Rencontres")?;
        assert_eq!(rencontres.rows().count(), 6, "a header and five rencontres");
        let channels: Vec<String> = rencontres
            .rows()
            .skip(1)
            .map(|r| r[2].to_string())
            .collect();
        assert_eq!(channels.iter().filter(|c| *c == "Maraude").count(), 3);
        assert!(book.worksheet_range("Paramètres").is_ok());
        // The channel chart's table: Maraude first (the vocabulary's order), 3.
        s.click_css("#chart-channel figcaption button")?;
        let first = s.wait_text("#chart-channel tbody tr:first-child", |t| {
            t.contains("Maraude")
        })?;
        assert!(first.contains('3'), "{first}");
        s.click_css("#chart-channel tbody tr:first-child .count-link")?;
        s.wait_text("#figure-list-title", |t| t.contains("Maraude (3)"))?;
        s.wait_count("#figure-list .figure-row", 3)?;
        // The persons met open their thread.
        s.click_css("#fig-persons-met button")?;
        s.wait_text("#figure-list-title", |t| t.ends_with("(2)"))?;
        s.wait_count("#figure-list .figure-row", 2)?;
        s.click_css("#figure-list .figure-row button")?;
        s.wait_text("#person-name", |t| t == "Amine")?;
        s.click_css("#tab-coordination")?;
        // The team's spreadsheet: a refused row is said and nothing is imported; the
        // corrected file imports both rows, and the month's count follows.
        let today = Day::from_epoch_ms(SystemClock.now_ms());
        let (y, m, d) = today.ymd();
        let csv = data.path().join("equipe.csv");
        let rows = |channel: &str| {
            format!(
                "Date;Canal;Lieu;Nombre\n{d:02}/{m:02}/{y};{channel};Gare;2\n{d:02}/{m:02}/{y};Maraude;Parc;3\n"
            )
        };
        std::fs::write(&csv, rows("Vélo"))?;
        s.click_css("#import summary")?;
        s.choose_file("#import-file", &csv)?;
        s.wait_text("#import-sample", |t| t.contains("Vélo"))?;
        s.click_css("#import-check")?;
        s.wait_text("#import-problems", |t| {
            t.contains("Ligne 2, colonne « Canal » : valeur inconnue « Vélo »")
        })?;
        // Another file: picking the same path again would not be a change.
        let csv = data.path().join("equipe-corrige.csv");
        std::fs::write(&csv, rows("Porte-à-porte"))?;
        s.choose_file("#import-file", &csv)?;
        s.wait_text("#import-sample", |t| t.contains("Porte-à-porte"))?;
        s.click_css("#import-check")?;
        s.wait_text("#import-summary", |t| t.contains("2 à créer"))?;
        s.click_css("#import-run")?;
        s.wait_text("#import-summary", |t| {
            t.starts_with("Import terminé : 2 fiches créées")
        })?;
        s.click_css("#period-next")?;
        s.click_css("#period-previous")?;
        s.wait_text("#fig-rencontres .figure-value", |t| t == "7")?;
        // In English.
        s.open_settings()?;
        s.click_css("#lang-en")?;
        s.click_css("#close-settings")?;
        s.click_css("#tab-coordination")?;
        s.wait_text("#coordination-title", |t| t.starts_with("Dashboard"))?;
        s.wait_text("#fig-new-persons .figure-label", |t| {
            t == "New persons spotted"
        })?;
        s.wait_text("#chart-channel h3", |t| t == "Rencontres by channel")?;
        s.resize(360, 720)?;
        s.wait_text("#fig-rencontres .figure-value", |t| t == "7")?;
        s.screenshot(&artifacts_dir().join("e2e-coordination-360x720-en.png"))?;
        Ok(())
    });
    s.close()?;
    result
}

#[test]
#[ignore = "needs the built app, tauri-driver and a display: run by scripts/test.sh"]
fn a_field_workers_device_does_not_offer_the_space() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let dir = data.path().join("app");
    std::fs::create_dir_all(&dir)?;
    let server = TestServer::start(data.path())?;
    // Enrolled by the server as a field worker's, in the store the app opens.
    let stem = STORE_FILE.trim_end_matches(".sqlite");
    drop(server.device_with_role(&dir, stem, Role::Intervenant)?);
    let driver = Driver::start()?;
    let s = driver.session(&app_binary()?, &["--data", &dir.to_string_lossy()])?;
    s.resize(1280, 800)?;
    let result = shot_on_failure(&s, "worker-no-coordination", || {
        // The status is read (the device is enrolled): the tabs are drawn for it.
        s.open_settings()?;
        s.wait_text("#settings-status .url", |t| t == server.url)?;
        s.click_css("#close-settings")?;
        s.wait_for("#tab-events")?;
        assert!(!s.is_shown("#tab-coordination")?);
        Ok(())
    });
    s.close()?;
    result
}
