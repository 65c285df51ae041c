//! End-to-end through the real app window (tauri-driver + WebKitWebDriver, under Xvfb):
//! the conflicts queue. Two phones (enrolled stores meeting the laptop through an
//! in-memory hub) give one young woman two communes at once; the laptop's coordination
//! space shows both values with the names of the workers and phones that wrote them
//! ("Sophie (Téléphone 1)"), "Garder" keeps one, and once the laptop has synced both
//! phones show it settled. The data-quality checks beside it list their rules with
//! their counts.
//!
//! Ignored by a plain `cargo test`: `scripts/test.sh` builds the app and runs it under
//! `xvfb-run`.

use std::sync::Mutex;

use filrouge_core::sync::{MemoryHub, run};
use filrouge_core::{Env, STORE_FILE, Store};
use filrouge_model::PersonDraft;
use filrouge_model::ipc::TeamDevice;
use filrouge_model::sync::{API_VERSION, EnrolResponse, Role};
use filrouge_tests::webdriver::{Driver, app_binary, artifacts_dir, shot_on_failure};

/// Each phone's device id, name in the team's list, and the worker using it.
const PHONES: [(&str, &str, &str); 2] = [
    (
        "01930000-0000-7000-8000-00000000a001",
        "Téléphone 1",
        "Sophie",
    ),
    (
        "01930000-0000-7000-8000-00000000b002",
        "Téléphone 2",
        "Karim",
    ),
];

fn sync(hub: &MemoryHub, stores: &[&Mutex<Store>]) -> anyhow::Result<()> {
    for _ in 0..2 {
        for s in stores {
            run(s, &mut hub.transport())?;
        }
    }
    Ok(())
}

fn set_commune(store: &Mutex<Store>, id: &str, commune: &str) -> anyhow::Result<()> {
    let mut s = store.lock().map_err(|_| anyhow::anyhow!("poisoned"))?;
    let mut p = s.person_view(id)?.person;
    p.territory.commune = Some(commune.into());
    s.update_person(id, p)?;
    Ok(())
}

#[test]
#[ignore = "needs the built app, tauri-driver and a display: run by scripts/test.sh"]
fn a_conflict_made_on_two_phones_is_settled_on_the_laptop_and_shows_settled_on_both()
-> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let dir = data.path().join("app");
    std::fs::create_dir_all(&dir)?;
    let hub = MemoryHub::new();
    let phones: Vec<Mutex<Store>> = PHONES
        .iter()
        .enumerate()
        .map(|(i, (id, _, worker))| -> anyhow::Result<Mutex<Store>> {
            let mut s = Store::open(
                &data.path().join(format!("phone{i}.sqlite")),
                Env::default(),
            )?;
            s.save_enrolment(
                "http://127.0.0.1:1",
                &EnrolResponse {
                    api_version: API_VERSION,
                    team_id: "equipe".into(),
                    device_id: (*id).into(),
                    token: "t".into(),
                    role: Some(Role::Intervenant),
                    log_id: hub.log_id(),
                    lease_days: None,
                    key_epoch: 0,
                    sealed_keys: None,
                },
            )?;
            s.set_profile(filrouge_model::views::Profile {
                worker_name: Some((*worker).into()),
            })?;
            Ok(Mutex::new(s))
        })
        .collect::<Result<_, _>>()?;
    let lina = {
        let laptop = Mutex::new(Store::open(&dir.join(STORE_FILE), Env::default())?);
        laptop
            .lock()
            .map_err(|_| anyhow::anyhow!("poisoned"))?
            .remember_team_devices(
                &PHONES
                    .iter()
                    .map(|(id, name, _)| TeamDevice {
                        id: (*id).into(),
                        name: (*name).into(),
                        role: Role::Intervenant,
                        enrolled_at: 0,
                        revoked_at: None,
                        last_seen_at: None,
                        this_device: false,
                    })
                    .collect::<Vec<_>>(),
            )?;
        let mut p = PersonDraft::new("Lina");
        p.territory.commune = Some("Bondy".into());
        let lina = phones[0]
            .lock()
            .map_err(|_| anyhow::anyhow!("poisoned"))?
            .create_person(p)?;
        sync(&hub, &[&phones[0], &phones[1], &laptop])?;
        set_commune(&phones[0], lina.as_str(), "Pantin")?;
        set_commune(&phones[1], lina.as_str(), "Bobigny")?;
        sync(&hub, &[&phones[0], &phones[1], &laptop])?;
        lina
    };

    let driver = Driver::start()?;
    let s = driver.session(&app_binary()?, &["--data", &dir.to_string_lossy()])?;
    s.resize(1280, 800)?;
    let result = shot_on_failure(&s, "conflicts", || {
        s.click_css("#tab-coordination")?;
        s.click_css("#conflicts-show")?;
        s.wait_text("#conflicts-found", |t| t == "Un conflit à régler.")?;
        let shown = s.wait_text(".conflict", |t| t.contains("Lina"))?;
        for part in [
            "Lina · Commune",
            "Pantin",
            "Sophie (Téléphone 1)",
            "Bobigny",
            "Karim (Téléphone 2)",
        ] {
            assert!(shown.contains(part), "{part} in {shown}");
        }
        s.execute("document.getElementById('conflicts').scrollIntoView()")?;
        s.screenshot(&artifacts_dir().join("e2e-conflicts-1280x800.png"))?;
        // Each value's line has its own "Garder", in the same order.
        let lines = s.find_all(".conflict-value")?;
        let keeps = s.find_all(".conflict-value .keep-value")?;
        assert_eq!(lines.len(), keeps.len());
        let mut kept = false;
        for (line, keep) in lines.iter().zip(&keeps) {
            if s.text(line)?.contains("Pantin") {
                s.click(keep)?;
                kept = true;
                break;
            }
        }
        assert!(kept, "a value reads Pantin");
        s.wait_text("#conflicts-found", |t| t == "Aucun conflit à régler.")?;
        s.wait_count(".conflict", 0)?;
        // The data-quality checks, beside: five rules, each with its count.
        s.click_css("#quality-check")?;
        s.wait_count(".quality-rule[data-rule]", 5)?;
        let first = s.wait_text(".quality-rule summary", |t| !t.is_empty())?;
        assert!(
            first.starts_with("Relances en retard de plus de 14 jours"),
            "{first}"
        );
        s.execute("document.getElementById('quality').scrollIntoView()")?;
        s.screenshot(&artifacts_dir().join("e2e-quality-1280x800.png"))?;
        Ok(())
    });
    s.close()?;
    result?;

    // The laptop syncs; both phones then hold the value kept, with no conflict.
    // The app encrypted its store at start: opened with the key its passphrase unseals.
    let path = dir.join(STORE_FILE);
    let mut vault =
        filrouge_core::vault::Vault::read(&path)?.ok_or_else(|| anyhow::anyhow!("no key file"))?;
    let key = vault.unlock(filrouge_tests::webdriver::PASSPHRASE, None, 0)?;
    let laptop = Mutex::new(Store::open_encrypted(&path, &key, Env::default())?);
    sync(&hub, &[&laptop, &phones[0], &phones[1]])?;
    for phone in &phones {
        let mut p = phone.lock().map_err(|_| anyhow::anyhow!("poisoned"))?;
        assert_eq!(p.list_conflicts(10)?.total, 0);
        let shown = p.person_view(lina.as_str())?.person.territory.commune;
        assert_eq!(shown.as_deref(), Some("Pantin"));
    }
    Ok(())
}
