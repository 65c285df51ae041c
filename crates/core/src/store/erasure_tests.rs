//! Erasure from the laptop through real store files and a sync hub: a marker name
//! recorded on a phone is in no file of either device afterwards, the rencontres that
//! named only her still count anonymously, one she shared keeps the other person, and
//! the register says why and when, nothing about whom.

use super::*;
use crate::store::tests::{NOW, test_env};
use crate::sync::{MemoryHub, run};
use filrouge_model::dashboard::Period;
use filrouge_model::{Channel, EtapeDraft, PersonDraft, Stage};
use std::path::Path;
use std::sync::Mutex;

const MARKER: &str = "Zorglubine Effacée-7777";

fn file_contains(db: &Path, needle: &[u8]) -> bool {
    let wal = format!("{}-wal", db.display());
    [db.to_path_buf(), wal.into()].iter().any(|path| {
        std::fs::read(path).is_ok_and(|bytes| bytes.windows(needle.len()).any(|w| w == needle))
    })
}

fn met(s: &mut Store, persons: &[&RecordId], note: &str) -> RecordId {
    s.create_rencontre(RencontreDraft {
        channel: Channel::Maraude,
        place: "Gare du Nord".into(),
        persons: persons.iter().map(|p| (*p).clone()).collect(),
        note: note.into(),
        ..RencontreDraft::default()
    })
    .unwrap()
    .id
}

#[test]
fn an_erased_person_is_in_no_file_and_her_rencontres_still_count() {
    let dir = tempfile::tempdir().unwrap();
    let hub = MemoryHub::default();
    let path = |n: &str| dir.path().join(format!("{n}.sqlite"));
    let phone = Mutex::new(Store::open(&path("phone"), test_env(NOW, 1)).unwrap());
    let laptop = Mutex::new(Store::open(&path("laptop"), test_env(NOW, 2)).unwrap());
    let (her, yanis, shared) = {
        let mut s = phone.lock().unwrap();
        let her = s.create_person(PersonDraft::new(MARKER)).unwrap();
        let yanis = s.create_person(PersonDraft::new("Yanis")).unwrap();
        met(&mut s, &[&her], &format!("{MARKER} cherche un CAP"));
        let shared = met(&mut s, &[&her, &yanis], "Tournoi de foot");
        met(&mut s, &[&her, &yanis], "Zorglubine a marqué deux buts");
        s.record_stage(EtapeDraft {
            person_id: her.clone(),
            stage: Stage::Accompagnement,
            date: Day::from_epoch_ms(NOW),
            note: Some(format!("Suivi de {MARKER}")),
            exit: None,
        })
        .unwrap();
        s.plan_relance(
            Some(her.clone()),
            Day::from_epoch_ms(NOW),
            "Rappeler".into(),
        )
        .unwrap();
        (her, yanis, shared)
    };
    for d in [&phone, &laptop] {
        run(d, &mut hub.transport()).unwrap();
    }
    let today = Day::from_epoch_ms(NOW);
    let period = Period::custom(today, today).unwrap();
    let before = laptop.lock().unwrap().figures(period).unwrap();
    assert_eq!((before.rencontres, before.named + before.anonymous), (3, 5));

    let plan = laptop.lock().unwrap().erasure_plan(her.as_str()).unwrap();
    assert_eq!(plan.persons, [her.as_str().to_owned()]);
    assert_eq!(
        plan.erase.len(),
        6,
        "her, her three rencontres, her stage, her relance: {plan:?}"
    );
    assert!(plan.erase.contains(&shared.as_str().to_owned()));
    for doc in &plan.erase {
        hub.erase(doc);
    }
    let entry = laptop
        .lock()
        .unwrap()
        .apply_erasure(&plan, ErasureReason::Demande)
        .unwrap();
    laptop.lock().unwrap().scrub().unwrap();
    assert_eq!(
        (entry.reason, entry.records, entry.day),
        (ErasureReason::Demande, 6, today)
    );
    for _ in 0..2 {
        for d in [&laptop, &phone] {
            run(d, &mut hub.transport()).unwrap();
        }
    }
    for (name, d) in [("phone", &phone), ("laptop", &laptop)] {
        let s = d.lock().unwrap();
        assert!(s.search_persons("zorglub", 5).unwrap().is_empty());
        let after = s.figures(period).unwrap();
        assert_eq!(
            (after.rencontres, after.named + after.anonymous),
            (3, 5),
            "{name}: the anonymous counts stay"
        );
        // Yanis keeps both rencontres; the note that named her is gone, the other stays.
        let notes: Vec<String> = s
            .timeline(yanis.as_str())
            .unwrap()
            .iter()
            .map(|e| s.rencontre(e.id.as_str()).unwrap().note)
            .collect();
        assert_eq!(notes.len(), 2, "{name}");
        assert!(
            notes.contains(&"Tournoi de foot".to_owned()),
            "{name}: {notes:?}"
        );
        assert!(notes.contains(&String::new()), "{name}: {notes:?}");
        s.checkpoint().unwrap();
        drop(s);
        assert!(
            !file_contains(&path(name), MARKER.as_bytes()),
            "{name}: no file holds her name"
        );
    }
    let register = laptop.lock().unwrap().erasure_register().unwrap();
    assert_eq!(register, [entry]);
}

#[test]
fn erasing_a_merged_person_erases_every_record_of_her() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("s.sqlite"), test_env(NOW, 1)).unwrap();
    let a = s.create_person(PersonDraft::new(MARKER)).unwrap();
    let b = s.create_person(PersonDraft::new("Zorglubine")).unwrap();
    met(&mut s, &[&b], "");
    s.merge_persons(a.clone(), b.clone(), Default::default(), None)
        .unwrap();
    // Asked by either record, the plan is the whole human.
    let plan = s.erasure_plan(b.as_str()).unwrap();
    let mut persons = vec![a.as_str().to_owned(), b.as_str().to_owned()];
    persons.sort();
    assert_eq!(plan.persons, persons);
    assert_eq!(
        plan.erase.len(),
        4,
        "two persons, the merge, the rencontre: {plan:?}"
    );
    s.apply_erasure(&plan, ErasureReason::Erreur).unwrap();
    assert!(s.search_persons("zorglub", 5).unwrap().is_empty());
    let left: i64 = s
        .conn
        .query_row("SELECT COUNT(*) FROM fusions", [], |r| r.get(0))
        .unwrap();
    assert_eq!(left, 0);
    let err = s.erasure_plan(a.as_str()).unwrap_err();
    assert!(matches!(err, CoreError::NotFound { .. }), "{err:?}");
}
