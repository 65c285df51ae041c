//! Events through real store files: registrations from two phones at one event with
//! no network, synced, each there once, with look-alikes flagged and not merged.

use super::*;
use crate::store::tests::{NOW, rid, test_env};
use crate::sync::{MemoryHub, run};
use filrouge_model::{AgeBand, Day, EventDraft, EventKind};
use std::sync::Mutex;

fn phone(dir: &tempfile::TempDir, n: u8) -> Mutex<Store> {
    Mutex::new(Store::open(&dir.path().join(format!("p{n}.sqlite")), test_env(NOW, n)).unwrap())
}

fn participant(event: &str, name: &str, band: AgeBand) -> RegistrationDraft {
    RegistrationDraft {
        event_id: rid(event),
        first_name_or_pseudonym: name.into(),
        age_band: Some(band),
        minor: band.is_minor(),
        contact: None,
        consent_given: false,
        checked_in_at: None,
        person_id: None,
    }
}

#[test]
fn two_phones_register_offline_and_every_registration_is_there_once() {
    let dir = tempfile::tempdir().unwrap();
    let hub = MemoryHub::default();
    let (a, b) = (phone(&dir, 1), phone(&dir, 2));
    let event = a
        .lock()
        .unwrap()
        .create(EventDraft {
            name: "Tournoi du city stade".into(),
            kind: EventKind::TournoiSportif,
            date: Day::from_epoch_ms(NOW),
            place: "City stade".into(),
            partners: Vec::new(),
        })
        .unwrap();
    for p in [&a, &b] {
        run(p, &mut hub.transport()).unwrap();
    }
    // Then the network goes: each phone registers on its own.
    let yanis_a = a
        .lock()
        .unwrap()
        .register(participant(&event, "Yanis", AgeBand::From18To25))
        .unwrap();
    a.lock()
        .unwrap()
        .register(participant(&event, "Inès", AgeBand::From16To17))
        .unwrap();
    let yanis_b = b
        .lock()
        .unwrap()
        .register(participant(&event, " yanis ", AgeBand::From18To25))
        .unwrap();
    b.lock()
        .unwrap()
        .register(participant(&event, "Yanis", AgeBand::From26To29))
        .unwrap();
    b.lock().unwrap().check_in(&yanis_b, true).unwrap();
    // Back online, twice round so each gets the other's.
    for _ in 0..2 {
        for p in [&a, &b] {
            run(p, &mut hub.transport()).unwrap();
        }
    }
    let (va, vb) = (
        a.lock().unwrap().event_view(&event).unwrap(),
        b.lock().unwrap().event_view(&event).unwrap(),
    );
    assert_eq!(va, vb, "both phones show the same event");
    assert_eq!((va.event.registered, va.event.checked_in), (4, 1));
    let flagged: Vec<&str> = va
        .registrations
        .iter()
        .filter(|r| r.possible_duplicate)
        .map(|r| r.id.as_str())
        .collect();
    // Same folded name and band: flagged, both kept. Another band: not flagged.
    let mut expected = vec![yanis_a.as_str(), yanis_b.as_str()];
    expected.sort_unstable();
    let mut flagged_sorted = flagged.clone();
    flagged_sorted.sort_unstable();
    assert_eq!(flagged_sorted, expected);
}

#[test]
fn a_registration_needs_a_known_event_and_check_in_keeps_the_first_time() {
    let dir = tempfile::tempdir().unwrap();
    let s = phone(&dir, 1);
    let mut s = s.lock().unwrap();
    let missing = "01890000-0000-7000-8000-000000000000";
    assert!(matches!(
        s.register(participant(missing, "Lina", AgeBand::From18To25)),
        Err(CoreError::NotFound { .. })
    ));
    let event = s
        .create(EventDraft {
            name: "Job dating".into(),
            kind: EventKind::JobDating,
            date: Day::from_epoch_ms(NOW),
            place: String::new(),
            partners: Vec::new(),
        })
        .unwrap();
    let lina = s
        .register(participant(&event, "Lina", AgeBand::From18To25))
        .unwrap();
    s.check_in(&lina, true).unwrap();
    let first: RegistrationDraft = s.get(&lina).unwrap();
    s.check_in(&lina, true).unwrap();
    let again: RegistrationDraft = s.get(&lina).unwrap();
    assert_eq!(first.checked_in_at, again.checked_in_at);
    s.check_in(&lina, false).unwrap();
    let view = s.event_view(&event).unwrap();
    assert_eq!((view.event.registered, view.event.checked_in), (1, 0));
    assert_eq!(s.list_events(10).unwrap(), vec![view.event]);
}

/// Regression: a draft field named like one of the store's own root keys (`kind`) was
/// dropped on write, so events and partners never reached their tables.
#[test]
fn events_and_partners_keep_their_own_kind() {
    use filrouge_model::{PartnerDraft, PartnerKind};
    let dir = tempfile::tempdir().unwrap();
    let s = phone(&dir, 1);
    let mut s = s.lock().unwrap();
    let event = EventDraft {
        name: "Forum de l'emploi".into(),
        kind: EventKind::Forum,
        date: Day::from_epoch_ms(NOW),
        place: "Gymnase".into(),
        partners: Vec::new(),
    };
    let id = s.create(event.clone()).unwrap();
    assert_eq!(s.get::<EventDraft>(&id).unwrap(), event);
    assert_eq!(s.list_events(5).unwrap()[0].kind.code(), "forum");
    let partner: PartnerDraft = serde_json::from_value(
        serde_json::json!({"name": "Mission locale", "partner_kind": "mission_locale"}),
    )
    .unwrap();
    assert_eq!(partner.kind, PartnerKind::MissionLocale);
    let pid = s.create(partner.clone()).unwrap();
    assert_eq!(
        s.get::<PartnerDraft>(&pid).unwrap().kind,
        PartnerKind::MissionLocale
    );
    let kind: String = s
        .conn
        .query_row(
            "SELECT kind FROM partenaires WHERE id = ?1",
            [pid.as_str()],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(kind, "mission_locale");
}
