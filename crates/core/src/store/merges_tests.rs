//! Merges through real store files: the survivor's thread holds both timelines, a
//! rencontre recorded afterwards for the absorbed person follows, the merged consent
//! hides a phone one record may not keep, undo gives back every projection byte for
//! byte, and devices that merge differently offline end up showing the same persons.

use super::*;
use crate::store::tests::{NOW, dump, pseudonyms, test_env};
use crate::sync::{MemoryHub, run};
use filrouge_model::{
    Channel, Consent, ConsentMethod, Contact, Day, EtapeDraft, RencontreDraft, Stage,
};
use proptest::prelude::*;
use std::sync::Mutex;

fn open(dir: &tempfile::TempDir, n: u8) -> Store {
    Store::open(&dir.path().join(format!("d{n}.sqlite")), test_env(NOW, n)).unwrap()
}

fn person(pseudonym: &str, last: Option<&str>) -> PersonDraft {
    let mut p = PersonDraft::new(pseudonym);
    p.last_name = last.map(Into::into);
    p.birth_year = Some(2005);
    p.territory.commune = Some("Saint-Denis".into());
    p
}

fn met(s: &mut Store, who: &RecordId, place: &str) -> RecordId {
    s.create_rencontre(RencontreDraft {
        channel: Channel::EvenementSportif,
        place: place.into(),
        persons: [who.clone()].into(),
        ..RencontreDraft::default()
    })
    .unwrap()
    .id
}

/// The projection rows, without the merge records themselves.
fn rows(s: &Store) -> Vec<String> {
    dump(s)
        .into_iter()
        .filter(|r| !r.starts_with("fusions:"))
        .collect()
}

#[test]
fn a_merge_shows_one_thread_and_its_undo_gives_back_every_row() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = open(&dir, 1);
    let mohamed = s.create_person(person("Mohamed", Some("Benali"))).unwrap();
    let momo = s.create_person(person("Momo", None)).unwrap();
    met(&mut s, &mohamed, "City stade");
    let snap = met(&mut s, &momo, "Snapchat");
    s.record_stage(EtapeDraft {
        person_id: momo.clone(),
        stage: Stage::Accompagnement,
        date: Day::parse("2026-09-10").unwrap(),
        note: None,
        exit: None,
    })
    .unwrap();
    let before = rows(&s);

    let merge = s
        .merge_persons(mohamed.clone(), momo.clone(), MergedFields::default(), None)
        .unwrap();
    assert_eq!(
        pseudonyms(&s),
        ["Mohamed"],
        "the absorbed person is not listed"
    );
    let view = s.person_view(mohamed.as_str()).unwrap();
    assert_eq!(view.timeline.len(), 3, "{:?}", view.timeline);
    assert!(view.timeline.iter().any(|e| e.id == snap));
    assert_eq!(view.merges.len(), 1);
    assert_eq!(view.merges[0].pseudonym, "Momo");
    // Opened by the absorbed id (a link kept somewhere), the merged person is shown.
    assert_eq!(s.person_view(momo.as_str()).unwrap().id, mohamed);
    // Searched by the absorbed name, the merged person is found.
    let found = s.search_persons("momo", 10).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, mohamed);
    // Recorded afterwards, on a phone that still knew "Momo": it follows the merge.
    let later = met(&mut s, &momo, "Forum");
    assert!(
        s.timeline(mohamed.as_str())
            .unwrap()
            .iter()
            .any(|e| e.id == later)
    );

    s.undo_merge(&merge).unwrap();
    assert_eq!(pseudonyms(&s), ["Mohamed", "Momo"]);
    let found = s.search_persons("momo", 10).unwrap();
    assert_eq!(found.len(), 1, "only Momo again");
    assert_eq!(found[0].id, momo);
    let momo_thread = s.person_view(momo.as_str()).unwrap();
    assert_eq!(
        momo_thread.timeline.len(),
        3,
        "Snapchat, the stage, the forum"
    );
    assert!(momo_thread.merges.is_empty());
    let after: Vec<String> = rows(&s)
        .into_iter()
        .filter(|r| !r.contains(later.as_str()))
        .collect();
    assert_eq!(after, before, "undo gives back every projection row");
    // A rebuild from the documents agrees.
    let incremental = dump(&s);
    s.rebuild_projections().unwrap();
    assert_eq!(dump(&s), incremental);
}

#[test]
fn taken_values_and_the_merged_consent_show_on_the_survivor() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = open(&dir, 1);
    let mut with_phone = person("Mohamed", None);
    with_phone.consent = Some(Consent {
        date: Day::parse("2026-09-01").unwrap(),
        scopes: [ConsentScope::Contact, ConsentScope::SuiviEquipe].into(),
        method: ConsentMethod::Oral,
        by: None,
        notice: None,
    });
    with_phone.contact = Some(Contact {
        phone: Some("06 12 34 56 78".into()),
        handle: None,
    });
    let mohamed = s.create_person(with_phone).unwrap();
    let mut no_contact = person("Momo", Some("Benali"));
    no_contact.consent = Some(Consent {
        date: Day::parse("2026-09-02").unwrap(),
        scopes: [ConsentScope::SuiviEquipe].into(),
        method: ConsentMethod::Oral,
        by: None,
        notice: None,
    });
    let momo = s.create_person(no_contact).unwrap();
    let phone_of = |s: &Store| -> Option<String> {
        s.conn
            .query_row(
                "SELECT phone FROM personnes WHERE id = ?1",
                [mohamed.as_str()],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert!(phone_of(&s).is_some());
    let taken = MergedFields {
        last_name: Some("Benali".into()),
        ..MergedFields::default()
    };
    let merge = s
        .merge_persons(mohamed.clone(), momo.clone(), taken, None)
        .unwrap();
    let view = s.person_view(mohamed.as_str()).unwrap();
    assert_eq!(view.person.last_name.as_deref(), Some("Benali"));
    let scopes = &view.person.consent.as_ref().unwrap().scopes;
    assert_eq!(
        scopes,
        &[ConsentScope::SuiviEquipe].into(),
        "never more than both agreed to"
    );
    assert_eq!(
        phone_of(&s),
        None,
        "no contact means outside the merged consent"
    );
    // The form sends back what it shows, with a new referent: only the referent is
    // written into the survivor's own record.
    let mut edited = view.person.clone();
    edited.referent = Some("Karim".into());
    s.update_person(mohamed.as_str(), edited).unwrap();
    let own: PersonDraft = s.get(mohamed.as_str()).unwrap();
    assert_eq!(own.referent.as_deref(), Some("Karim"));
    assert_eq!(own.last_name, None, "the taken name stays the merge's");
    assert!(own.consent.as_ref().unwrap().covers(ConsentScope::Contact));
    s.undo_merge(&merge).unwrap();
    assert!(phone_of(&s).is_some());
    let view = s.person_view(mohamed.as_str()).unwrap();
    assert_eq!(view.person.last_name, None);
}

#[test]
fn a_merge_needs_two_shown_persons() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = open(&dir, 1);
    let a = s.create_person(person("Lina", None)).unwrap();
    let b = s.create_person(person("Lyna", None)).unwrap();
    let c = s.create_person(person("Lina", Some("K."))).unwrap();
    s.merge_persons(a.clone(), b.clone(), MergedFields::default(), None)
        .unwrap();
    // b is now shown as a: it cannot be merged again until the merge is undone.
    let err = s
        .merge_persons(c.clone(), b.clone(), MergedFields::default(), None)
        .unwrap_err();
    assert!(matches!(err, CoreError::NotFound { .. }), "{err:?}");
    let err = s
        .merge_persons(a.clone(), a.clone(), MergedFields::default(), None)
        .unwrap_err();
    assert!(matches!(err, CoreError::Validation(_)), "{err:?}");
}

/// One step of the convergence property.
#[derive(Debug, Clone)]
enum Step {
    Merge {
        at: usize,
        survivor: usize,
        absorbed: usize,
    },
    Undo {
        at: usize,
        which: usize,
    },
    Rename {
        at: usize,
        who: usize,
        name: u8,
    },
    Meet {
        at: usize,
        who: usize,
    },
    Sync {
        at: usize,
    },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (0..3usize, 0..4usize, 0..4usize).prop_map(|(at, survivor, absorbed)| Step::Merge {
            at,
            survivor,
            absorbed
        }),
        (0..3usize, 0..6usize).prop_map(|(at, which)| Step::Undo { at, which }),
        (0..3usize, 0..4usize, 0..4u8).prop_map(|(at, who, name)| Step::Rename { at, who, name }),
        (0..3usize, 0..4usize).prop_map(|(at, who)| Step::Meet { at, who }),
        (0..3usize).prop_map(|at| Step::Sync { at }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Merges, undos and edits made offline on 3 devices, in any order, end up as the
    /// same projections everywhere once every device has synced.
    #[test]
    fn merges_undos_and_edits_on_three_devices_converge(
        steps in proptest::collection::vec(step(), 1..24),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let hub = MemoryHub::default();
        let devices: Vec<Mutex<Store>> = (1..=3).map(|n| Mutex::new(open(&dir, n))).collect();
        let persons: Vec<RecordId> = {
            let mut s = devices[0].lock().unwrap();
            ["Mohamed", "Momo", "Inès", "Ines"]
                .iter()
                .map(|n| s.create_person(person(n, None)).unwrap())
                .collect()
        };
        run(&devices[0], &mut hub.transport()).unwrap();
        for d in &devices[1..] {
            run(d, &mut hub.transport()).unwrap();
        }
        let mut merges: Vec<RecordId> = Vec::new();
        for step in &steps {
            match step {
                Step::Merge { at, survivor, absorbed } => {
                    let mut s = devices[*at].lock().unwrap();
                    // Refused when one of them is already merged away: that is fine.
                    if let Ok(id) = s.merge_persons(
                        persons[*survivor].clone(),
                        persons[*absorbed].clone(),
                        MergedFields { last_name: Some(format!("N{at}")), ..MergedFields::default() },
                        None,
                    ) {
                        merges.push(id);
                    }
                }
                Step::Undo { at, which } => {
                    if !merges.is_empty() {
                        let id = &merges[which % merges.len()];
                        // A merge this device has not received yet cannot be undone here.
                        let _ = devices[*at].lock().unwrap().undo_merge(id);
                    }
                }
                Step::Rename { at, who, name } => {
                    let mut s = devices[*at].lock().unwrap();
                    let id = persons[*who].as_str();
                    let mut p: PersonDraft = s.get(id).unwrap();
                    p.pseudonym = format!("P{name}");
                    s.update_person(id, p).unwrap();
                }
                Step::Meet { at, who } => {
                    let mut s = devices[*at].lock().unwrap();
                    met(&mut s, &persons[*who], "Maraude");
                }
                Step::Sync { at } => {
                    run(&devices[*at], &mut hub.transport()).unwrap();
                }
            }
        }
        for _ in 0..2 {
            for d in &devices {
                run(d, &mut hub.transport()).unwrap();
            }
        }
        let first = dump(&devices[0].lock().unwrap());
        for d in &devices[1..] {
            prop_assert_eq!(&dump(&d.lock().unwrap()), &first);
        }
        // And what a rebuild from the documents gives.
        let mut s = devices[0].lock().unwrap();
        s.rebuild_projections().unwrap();
        prop_assert_eq!(&dump(&s), &first);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Whatever the persons and what names them, a merge (any pair, any values taken)
    /// then its undo leave every projection row as it was.
    #[test]
    fn merge_then_undo_leaves_every_projection_byte_identical(
        links in proptest::collection::vec((0..5usize, 0..5usize), 0..12),
        pair in (0..5usize, 0..5usize),
        take_name in any::<bool>(),
        take_year in any::<bool>(),
    ) {
        prop_assume!(pair.0 != pair.1);
        let dir = tempfile::tempdir().unwrap();
        let mut s = open(&dir, 1);
        let persons: Vec<RecordId> = ["Mohamed", "Momo", "Inès", "Ines", "Lina"]
            .iter()
            .map(|n| s.create_person(person(n, None)).unwrap())
            .collect();
        for (a, b) in &links {
            s.create_rencontre(RencontreDraft {
                channel: Channel::Maraude,
                place: "Gare".into(),
                persons: [persons[*a].clone(), persons[*b].clone()].into(),
                ..RencontreDraft::default()
            })
            .unwrap();
        }
        let before = rows(&s);
        let taken = MergedFields {
            last_name: take_name.then(|| "Benali".to_owned()),
            birth_year: take_year.then_some(2004),
            ..MergedFields::default()
        };
        let merge = s
            .merge_persons(persons[pair.0].clone(), persons[pair.1].clone(), taken, None)
            .unwrap();
        s.undo_merge(&merge).unwrap();
        prop_assert_eq!(rows(&s), before);
    }
}
