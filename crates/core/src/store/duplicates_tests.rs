//! Duplicates through real store files: the young man recorded three times is proposed,
//! his namesake is not, a "pas la même personne" syncs to the other device and stays,
//! and the form finds a close known person as a name is typed.

use super::*;
use crate::store::tests::{NOW, test_env};
use crate::sync::{MemoryHub, run};
use filrouge_model::PersonDraft;
use filrouge_model::duplicates::Reason;
use filrouge_model::ipc::FindSimilarPersons;
use std::sync::Mutex;

fn device(dir: &tempfile::TempDir, n: u8) -> Mutex<Store> {
    Mutex::new(Store::open(&dir.path().join(format!("d{n}.sqlite")), test_env(NOW, n)).unwrap())
}

fn person(pseudonym: &str, last: Option<&str>, year: Option<i32>, commune: &str) -> PersonDraft {
    let mut p = PersonDraft::new(pseudonym);
    p.last_name = last.map(Into::into);
    p.birth_year = year;
    p.territory.commune = Some(commune.into());
    p
}

/// The pairs proposed, as pseudonym pairs in their fixed order.
fn proposed(s: &Store) -> Vec<(String, String)> {
    s.duplicate_candidates(100)
        .unwrap()
        .pairs
        .into_iter()
        .map(|p| (p.a.pseudonym, p.b.pseudonym))
        .collect()
}

fn has(pairs: &[(String, String)], x: &str, y: &str) -> bool {
    pairs
        .iter()
        .any(|(a, b)| (a == x && b == y) || (a == y && b == x))
}

#[test]
fn the_same_person_under_three_names_is_proposed_and_a_namesake_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let d = device(&dir, 1);
    let mut s = d.lock().unwrap();
    s.create_person(person("Mohamed", Some("Benali"), Some(2005), "Saint-Denis"))
        .unwrap();
    s.create_person(person("Momo", None, Some(2005), "Saint-Denis"))
        .unwrap();
    s.create_person(person("Mohammed B.", None, Some(2005), "Saint-Denis"))
        .unwrap();
    s.create_person(person("Mohamed", Some("Diallo"), Some(2005), "Bondy"))
        .unwrap();
    s.create_person(person("Mohamed", Some("Benali"), Some(1998), "Saint-Denis"))
        .unwrap();
    s.create_person(person("Inès", None, None, "Pantin"))
        .unwrap();
    let list = s.duplicate_candidates(100).unwrap();
    assert_eq!(list.persons, 6);
    assert!(list.comparisons >= 3 && list.comparisons < 15, "{list:?}");
    let pairs = proposed(&s);
    assert!(has(&pairs, "Mohamed", "Momo"), "{pairs:?}");
    assert!(has(&pairs, "Mohamed", "Mohammed B."), "{pairs:?}");
    assert!(has(&pairs, "Momo", "Mohammed B."), "{pairs:?}");
    let benali_1998 = list
        .pairs
        .iter()
        .flat_map(|p| [&p.a, &p.b])
        .filter(|side| side.birth_year == Some(1998))
        .count();
    assert_eq!(benali_1998, 0, "born 7 years apart: never the same person");
    assert!(
        list.pairs
            .iter()
            .all(|p| p.a.last_name.as_deref() != Some("Diallo")
                && p.b.last_name.as_deref() != Some("Diallo")),
        "another Mohamed, elsewhere, with another last name"
    );
    assert!(
        list.pairs
            .windows(2)
            .all(|w| w[0].likeness.score >= w[1].likeness.score)
    );
    let first = &list.pairs[0];
    assert!(first.a.id < first.b.id);
    assert!(first.likeness.reasons.contains(&Reason::SameBirthYear));
}

#[test]
fn a_dismissed_pair_stays_dismissed_after_a_sync_on_both_devices() {
    let dir = tempfile::tempdir().unwrap();
    let hub = MemoryHub::default();
    let (laptop, phone) = (device(&dir, 1), device(&dir, 2));
    {
        let mut p = phone.lock().unwrap();
        p.create_person(person("Camille", Some("Roux"), Some(2003), "Bondy"))
            .unwrap();
        p.create_person(person("Kamille", Some("Roux"), Some(2003), "Bondy"))
            .unwrap();
    }
    for d in [&phone, &laptop] {
        run(d, &mut hub.transport()).unwrap();
    }
    let list = laptop.lock().unwrap().duplicate_candidates(10).unwrap();
    assert_eq!(list.total, 1, "{list:?}");
    let (a, b) = (list.pairs[0].a.id.clone(), list.pairs[0].b.id.clone());
    // Given in either order, the decision names the pair once.
    laptop.lock().unwrap().dismiss_duplicate(b, a).unwrap();
    assert_eq!(
        laptop
            .lock()
            .unwrap()
            .duplicate_candidates(10)
            .unwrap()
            .total,
        0
    );
    for d in [&laptop, &phone] {
        run(d, &mut hub.transport()).unwrap();
    }
    assert_eq!(
        phone
            .lock()
            .unwrap()
            .duplicate_candidates(10)
            .unwrap()
            .total,
        0
    );
    // A rebuild of the projections keeps it too.
    laptop.lock().unwrap().rebuild_projections().unwrap();
    assert_eq!(
        laptop
            .lock()
            .unwrap()
            .duplicate_candidates(10)
            .unwrap()
            .total,
        0
    );
}

#[test]
fn the_form_finds_a_close_known_person_as_a_name_is_typed() {
    let dir = tempfile::tempdir().unwrap();
    let d = device(&dir, 1);
    let mut s = d.lock().unwrap();
    let benali = s
        .create_person(person("Mohamed", Some("Benali"), Some(2005), "Saint-Denis"))
        .unwrap();
    s.create_person(person("Yanis", None, None, "Pantin"))
        .unwrap();
    let typed = |pseudonym: &str| FindSimilarPersons {
        pseudonym: pseudonym.into(),
        ..FindSimilarPersons::default()
    };
    let found = s.similar_persons(&typed("Momo")).unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].person.id, benali);
    assert!(found[0].likeness.reasons.contains(&Reason::Nickname));
    assert!(s.similar_persons(&typed("Mohammed")).unwrap().len() == 1);
    assert!(s.similar_persons(&typed("Zoé")).unwrap().is_empty());
    // Born far apart: not the same person, not suggested.
    let far = FindSimilarPersons {
        birth_year: Some(1990),
        ..typed("Mohamed")
    };
    assert!(s.similar_persons(&far).unwrap().is_empty());
    // The keys follow a renamed person.
    let mut renamed = person("Rayan", Some("Benali"), Some(2005), "Saint-Denis");
    renamed.referent = None;
    s.update_person(benali.as_str(), renamed).unwrap();
    assert!(s.similar_persons(&typed("Momo")).unwrap().is_empty());
    assert_eq!(s.similar_persons(&typed("Rayan")).unwrap().len(), 1);
}
