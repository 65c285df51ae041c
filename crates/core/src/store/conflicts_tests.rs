//! The conflicts queue through real store files and a sync hub: two phones set one
//! field at once, the laptop shows both values by device name, keeps one, and both
//! phones show it settled; an edit made while it was settled opens it again; a typed
//! value is checked as the form checks it.

use super::*;
use crate::store::tests::{NOW, test_env};
use crate::sync::{MemoryHub, run};
use filrouge_model::sync::Role;
use std::sync::Mutex;

/// Devices as the server would have enrolled them (their ids end differently).
const IDS: [&str; 3] = [
    "01930000-0000-7000-8000-0000000000a1",
    "01930000-0000-7000-8000-0000000000b2",
    "01930000-0000-7000-8000-0000000000c3",
];

fn devices(dir: &tempfile::TempDir) -> Vec<Mutex<Store>> {
    (0..3)
        .map(|i| {
            let s = Store::open(
                &dir.path().join(format!("d{i}.sqlite")),
                test_env(NOW, i as u8 + 1),
            )
            .unwrap();
            s.set_meta("device_id", IDS[i]).unwrap();
            s.set_meta("worker_name", ["Inès", "Sophie", "Karim"][i])
                .unwrap();
            Mutex::new(s)
        })
        .collect()
}

fn team() -> Vec<TeamDevice> {
    [
        "Portable coordination",
        "Téléphone de Sophie",
        "Téléphone de Karim",
    ]
    .iter()
    .zip(IDS)
    .map(|(name, id)| TeamDevice {
        id: id.into(),
        name: (*name).into(),
        role: Role::Coordinateur,
        enrolled_at: NOW,
        revoked_at: None,
        last_seen_at: None,
        this_device: false,
    })
    .collect()
}

fn sync_all(hub: &MemoryHub, devices: &[Mutex<Store>]) {
    for _ in 0..2 {
        for d in devices {
            run(d, &mut hub.transport()).unwrap();
        }
    }
}

fn set_commune(d: &Mutex<Store>, id: &str, commune: &str) {
    let mut s = d.lock().unwrap();
    let mut p: PersonDraft = s.get(id).unwrap();
    p.territory.commune = Some(commune.into());
    s.update_person(id, p).unwrap();
}

fn commune(d: &Mutex<Store>, id: &str) -> Option<String> {
    d.lock()
        .unwrap()
        .conn
        .query_row("SELECT commune FROM personnes WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .unwrap()
}

/// A person, known to every device, then given two communes at once by the phones.
fn conflict(hub: &MemoryHub, d: &[Mutex<Store>]) -> String {
    let mut p = PersonDraft::new("Lina");
    p.territory.commune = Some("Bondy".into());
    let id = d[1].lock().unwrap().create_person(p).unwrap();
    sync_all(hub, d);
    set_commune(&d[1], id.as_str(), "Pantin");
    set_commune(&d[2], id.as_str(), "Bobigny");
    sync_all(hub, d);
    id.as_str().to_owned()
}

#[test]
fn two_phones_conflict_the_laptop_keeps_one_and_both_phones_show_it_settled() {
    let dir = tempfile::tempdir().unwrap();
    let hub = MemoryHub::default();
    let d = devices(&dir);
    d[0].lock().unwrap().remember_team_devices(&team()).unwrap();
    let id = conflict(&hub, &d);

    let list = d[0].lock().unwrap().list_conflicts(100).unwrap();
    assert_eq!(list.total, 1, "{list:?}");
    let c = &list.conflicts[0];
    assert_eq!(
        (c.field.as_str(), c.about.as_str()),
        ("territory.commune", "Lina")
    );
    assert_eq!(c.kind, RecordKind::Personne);
    assert_eq!(c.person.as_ref().map(RecordId::as_str), Some(id.as_str()));
    let mut seen: Vec<(String, Option<String>, bool)> = c
        .values
        .iter()
        .map(|v| (v.value.to_string(), v.device.clone(), v.this_device))
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        [
            (
                "\"Bobigny\"".into(),
                Some("Téléphone de Karim".into()),
                false
            ),
            (
                "\"Pantin\"".into(),
                Some("Téléphone de Sophie".into()),
                false
            ),
        ]
    );
    assert!(c.values.iter().all(|v| v.at == NOW));

    d[0].lock()
        .unwrap()
        .settle_conflict(&id, "territory.commune", Json::String("Pantin".into()))
        .unwrap();
    assert_eq!(d[0].lock().unwrap().list_conflicts(100).unwrap().total, 0);
    sync_all(&hub, &d);
    for device in &d {
        assert_eq!(device.lock().unwrap().list_conflicts(100).unwrap().total, 0);
        assert_eq!(commune(device, &id).as_deref(), Some("Pantin"));
    }
    // A later edit applies as any edit does.
    set_commune(&d[2], &id, "Montreuil");
    sync_all(&hub, &d);
    for device in &d {
        assert_eq!(commune(device, &id).as_deref(), Some("Montreuil"));
        assert_eq!(device.lock().unwrap().list_conflicts(100).unwrap().total, 0);
    }
}

#[test]
fn an_edit_made_while_the_conflict_was_settled_opens_it_again() {
    let dir = tempfile::tempdir().unwrap();
    let hub = MemoryHub::default();
    let d = devices(&dir);
    let id = conflict(&hub, &d);
    d[0].lock()
        .unwrap()
        .settle_conflict(&id, "territory.commune", Json::String("Bobigny".into()))
        .unwrap();
    // Karim's phone, offline, had not seen the settling.
    set_commune(&d[2], &id, "Noisy-le-Sec");
    sync_all(&hub, &d);
    for device in &d {
        let list = device.lock().unwrap().list_conflicts(100).unwrap();
        assert_eq!(list.total, 1, "{list:?}");
        let mut values: Vec<String> = list.conflicts[0]
            .values
            .iter()
            .map(|v| v.value.to_string())
            .collect();
        values.sort();
        assert_eq!(values, ["\"Bobigny\"", "\"Noisy-le-Sec\""]);
    }
}

#[test]
fn a_typed_value_is_checked_as_the_form_checks_it_and_nothing_changes_when_refused() {
    let dir = tempfile::tempdir().unwrap();
    let hub = MemoryHub::default();
    let d = devices(&dir);
    let id = conflict(&hub, &d);
    let mut s = d[0].lock().unwrap();
    let before = s.list_conflicts(100).unwrap();
    let err = s
        .settle_conflict(&id, "birth_year", Json::String("deux mille".into()))
        .unwrap_err();
    assert!(
        matches!(&err, CoreError::Validation(v) if v.field == Field::BirthYear && v.problem == Problem::Malformed),
        "{err:?}"
    );
    let err = s
        .settle_conflict(&id, "pseudonym", Json::String("   ".into()))
        .unwrap_err();
    assert!(
        matches!(&err, CoreError::Validation(v) if v.field == Field::Pseudonym),
        "{err:?}"
    );
    let err = s
        .settle_conflict(&id, "updated_at", Json::from(1))
        .unwrap_err();
    assert!(matches!(err, CoreError::Validation(_)), "{err:?}");
    assert_eq!(s.list_conflicts(100).unwrap(), before);
    // A value typed by the coordinator, trimmed as the form trims it.
    s.settle_conflict(
        &id,
        "territory.commune",
        Json::String(" Rosny-sous-Bois ".into()),
    )
    .unwrap();
    assert_eq!(s.list_conflicts(100).unwrap().total, 0);
    drop(s);
    assert_eq!(commune(&d[0], &id).as_deref(), Some("Rosny-sous-Bois"));
}
