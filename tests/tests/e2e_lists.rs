//! End-to-end through the real app window (tauri-driver + WebKitWebDriver, under Xvfb):
//! a list that grows with the data stays short on the phone. A big event's check-in
//! list (450 registrations, written into the device's store before the app starts)
//! shows the first 200 and says how many more there are and how to find them; typing a
//! few letters finds a participant beyond the first 200, who checks in with one tap.
//!
//! Ignored by a plain `cargo test`: `scripts/test.sh` builds the app and runs it under
//! `xvfb-run`.

use filrouge_core::{Env, STORE_FILE, Store};
use filrouge_model::{AgeBand, Day, EventDraft, EventKind, RegistrationDraft};
use filrouge_tests::webdriver::{Driver, app_binary, artifacts_dir};

/// Registrations written before the app starts.
const REGISTERED: usize = 450;

#[test]
#[ignore = "needs the built app, tauri-driver and a display: run by scripts/test.sh"]
fn a_big_events_check_in_list_shows_two_hundred_and_finds_the_rest() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let dir = data.path().join("app");
    std::fs::create_dir_all(&dir)?;
    {
        let mut store = Store::open(&dir.join(STORE_FILE), Env::default())?;
        let today = Day::from_epoch_ms(filrouge_core::Clock::now_ms(&filrouge_core::SystemClock));
        let event = store.create_event(EventDraft {
            name: "Grand tournoi inter-quartiers".into(),
            kind: EventKind::TournoiSportif,
            date: today,
            place: "Gymnase".into(),
            partners: Vec::new(),
        })?;
        for n in 0..REGISTERED {
            store.register(RegistrationDraft {
                event_id: event.clone(),
                first_name_or_pseudonym: format!("Joueur {n:03}"),
                age_band: Some(AgeBand::From18To25),
                minor: false,
                contact: None,
                consent_given: false,
                checked_in_at: None,
                person_id: None,
            })?;
        }
    }
    let driver = Driver::start()?;
    let s = driver.session(&app_binary()?, &["--data", &dir.to_string_lossy()])?;
    s.resize(360, 720)?;
    let result = (|| {
        s.click_css("#tab-events")?;
        s.click_css("#events-list li button, #events-list li a")?;
        s.wait_text("#event-count", |t| t.starts_with("450 inscrits"))?;
        s.click_css("#mode-check-in")?;
        s.wait_count("#checkin-list li", 200)?;
        s.wait_text("#checkin-more", |t| t.starts_with("Et 250 autres"))?;
        // In name order, "Joueur 449" is past the first 200: a few letters find it.
        s.paste("#checkin-search", "joueur 449")?;
        let rows = s.wait_count("#checkin-list li", 1)?;
        assert!(s.text(&rows[0])?.contains("Joueur 449"));
        s.wait_text("#checkin-more", |t| t.is_empty())?;
        s.click_css("#checkin-list li button")?;
        s.wait_text("#event-count", |t| t.contains("1 arrivé"))?;
        s.screenshot(&artifacts_dir().join("e2e-event-big-360x720.png"))?;
        Ok::<_, anyhow::Error>(())
    })();
    if result.is_err() {
        let _ = s.screenshot(&artifacts_dir().join("e2e-failure-big-event.png"));
    }
    s.close()?;
    result
}
