//! The field app's use cases through a real store file: what a worker does, what the
//! screens then read, and that a refused input writes nothing at all.

use super::*;
use crate::store::tests::{NOW, dump, rid, test_env};
use filrouge_model::{Channel, Field, Problem, RecordId};

fn open(dir: &tempfile::TempDir) -> Store {
    Store::open(&dir.path().join("device.sqlite"), test_env(NOW, 1)).unwrap()
}

fn today() -> Day {
    Day::from_epoch_ms(NOW)
}

fn day(offset: i32) -> Day {
    today().checked_add_days(offset).unwrap()
}

fn rencontre(persons: &[&str], relance_due: Option<Day>) -> RencontreDraft {
    RencontreDraft {
        channel: Channel::BasDImmeuble,
        place: "Tour 12".into(),
        // An anonymous group when nobody is named.
        headcount: if persons.is_empty() { 2 } else { 0 },
        persons: persons.iter().map(|p| rid(p)).collect(),
        next_step: Some("Rappeler pour la Mission locale".into()),
        relance_due,
        ..RencontreDraft::default()
    }
}

/// Every row of every projection table and of the outbox: what a failed use case must
/// leave exactly as it was.
fn everything(s: &Store) -> (Vec<String>, i64) {
    let outbox: i64 = s
        .conn
        .query_row("SELECT COUNT(*) FROM outbox", [], |r| r.get(0))
        .unwrap();
    (dump(s), outbox)
}

#[test]
fn a_rencontre_with_a_relance_date_plans_the_workers_relance() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = open(&dir);
    s.set_profile(Profile {
        worker_name: Some("  Karim ".into()),
    })
    .unwrap();
    let lina = s.create(PersonDraft::new("Lina")).unwrap();
    let r = s
        .create_rencontre(rencontre(&[&lina], Some(day(2))))
        .unwrap();
    // Not due yet; due on the day, with the person's pseudonym and the next step.
    assert!(
        s.open_relances(Some("Karim"), day(1), 50)
            .unwrap()
            .is_empty()
    );
    let due = s.open_relances(Some("Karim"), day(2), 50).unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].person.as_deref(), Some("Lina"));
    assert_eq!(due[0].person_id.as_deref(), Some(lina.as_str()));
    assert_eq!(due[0].reason, "Rappeler pour la Mission locale");
    let relance: RelanceDraft = s.get(&due[0].id).unwrap();
    assert_eq!(relance.rencontre_id.as_deref(), Some(r.id.as_str()));
    // It is on the person's timeline, after the rencontre.
    let kinds: Vec<String> = s
        .timeline(&lina)
        .unwrap()
        .into_iter()
        .map(|e| e.what.kind().code().to_owned())
        .collect();
    assert_eq!(kinds, ["rencontre", "relance"]);

    // Another worker's list does not show it; the team's does.
    assert!(
        s.open_relances(Some("Inès"), day(9), 50)
            .unwrap()
            .is_empty()
    );
    assert_eq!(s.open_relances(None, day(9), 50).unwrap().len(), 1);
}

#[test]
fn without_a_name_the_relance_is_the_teams() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = open(&dir);
    assert_eq!(s.profile().unwrap(), Profile::default());
    s.create_rencontre(rencontre(&[], Some(day(0)))).unwrap();
    let due = s.open_relances(Some(TEAM_REFERENT), day(0), 50).unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].person, None, "an anonymous group's relance");
}

#[test]
fn a_refused_relance_date_saves_neither_the_rencontre_nor_the_relance() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = open(&dir);
    let before = everything(&s);
    // Three years ahead: more than records are kept.
    let err = s
        .create_rencontre(rencontre(&[], Some(day(3 * 366))))
        .unwrap_err();
    match err {
        CoreError::Validation(e) => assert_eq!(e.field, Field::Due),
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert_eq!(everything(&s), before);
    assert_eq!(s.last_place().unwrap(), None);
}

#[test]
fn a_stage_change_is_the_current_stage_and_a_line_of_history() {
    let dir = tempfile::tempdir().unwrap();
    let lina = {
        let mut s = open(&dir);
        let mut p = PersonDraft::new("Lina");
        p.stage = Some(Stage::Repere);
        let lina = s.create(p).unwrap();
        s.change_stage(
            &lina,
            Stage::Accompagnement,
            day(-1),
            Some(" Premier RDV ".into()),
        )
        .unwrap();
        lina
    };
    // Reopened from the file, as after the app was closed.
    let mut s = open(&dir);
    let view = s.person_view(&lina).unwrap();
    assert_eq!(view.person.stage, Some(Stage::Accompagnement));
    assert_eq!(view.person.pseudonym, "Lina");
    let etapes: Vec<(String, String)> = view
        .timeline
        .iter()
        .filter(|e| e.what.kind().code() == "etape")
        .map(|e| (e.date.to_string(), timeline_code(e.what)))
        .collect();
    assert_eq!(
        etapes,
        [(day(-1).to_string(), "accompagnement".to_string())]
    );
    assert_eq!(
        s.search_persons("lin", 5).unwrap()[0]
            .stage
            .map(|s| s.code()),
        Some("accompagnement")
    );
}

#[test]
fn a_days_entries_are_on_the_timeline_in_the_order_they_were_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = open(&dir);
    let lina = s.create(PersonDraft::new("Lina")).unwrap();
    s.create_rencontre(rencontre(&[&lina], None)).unwrap();
    s.change_stage(&lina, Stage::EnContact, today(), None)
        .unwrap();
    let kinds: Vec<(String, String)> = s
        .timeline(&lina)
        .unwrap()
        .into_iter()
        .map(|e| (e.date.to_string(), e.what.kind().code().to_owned()))
        .collect();
    let today = today().to_string();
    assert_eq!(
        kinds,
        [(today.clone(), "rencontre".into()), (today, "etape".into())]
    );
}

#[test]
fn a_refused_stage_change_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = open(&dir);
    let lina = s.create(PersonDraft::new("Lina")).unwrap();
    let before = everything(&s);
    let err = s
        .change_stage(&lina, Stage::Emploi, day(30), None)
        .unwrap_err();
    assert!(
        matches!(err, CoreError::Validation(ref e) if e.field == Field::Date),
        "{err:?}"
    );
    let missing = "01890000-0000-7000-8000-000000000000";
    assert!(matches!(
        s.change_stage(missing, Stage::Emploi, day(0), None),
        Err(CoreError::NotFound { .. })
    ));
    // A relance is not a person.
    let relance = s
        .create(RelanceDraft {
            person_id: None,
            rencontre_id: None,
            referent: "Karim".into(),
            due: day(1),
            reason: String::new(),
            status: RelanceStatus::AFaire,
        })
        .unwrap();
    let before_relance = everything(&s);
    assert!(matches!(
        s.change_stage(&relance, Stage::Emploi, day(0), None),
        Err(CoreError::NotFound { .. })
    ));
    assert_eq!(everything(&s), before_relance);
    assert_ne!(before, before_relance);
}

#[test]
fn a_relance_done_leaves_the_list_and_a_postponed_one_comes_back_later() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = open(&dir);
    s.create_rencontre(rencontre(&[], Some(day(-1)))).unwrap();
    s.create_rencontre(rencontre(&[], Some(day(0)))).unwrap();
    let due = s.open_relances(None, day(0), 50).unwrap();
    assert_eq!(due.len(), 2);
    // A limit keeps the oldest.
    let oldest = s.open_relances(None, day(0), 1).unwrap();
    assert_eq!(oldest.len(), 1);
    assert_eq!(oldest[0].due.to_string(), day(-1).to_string());
    s.set_relance_status(&due[0].id, RelanceStatus::Faite, None)
        .unwrap();
    s.set_relance_status(&due[1].id, RelanceStatus::AFaire, Some(day(7)))
        .unwrap();
    assert!(s.open_relances(None, day(0), 50).unwrap().is_empty());
    let later = s.open_relances(None, day(7), 50).unwrap();
    assert_eq!(later.len(), 1);
    assert_eq!(later[0].id, due[1].id);
    assert_eq!(later[0].due.to_string(), day(7).to_string());
}

#[test]
fn the_profile_is_trimmed_checked_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut s = open(&dir);
        let stored = s
            .set_profile(Profile {
                worker_name: Some(" Inès ".into()),
            })
            .unwrap();
        assert_eq!(stored.worker_name.as_deref(), Some("Inès"));
        let err = s
            .set_profile(Profile {
                worker_name: Some("x".repeat(61)),
            })
            .unwrap_err();
        assert!(matches!(
            err,
            CoreError::Validation(ref e) if e.field == Field::Referent
                && matches!(e.problem, Problem::TooLong { .. })
        ));
    }
    let mut s = open(&dir);
    assert_eq!(s.referent().unwrap(), "Inès");
    s.set_profile(Profile {
        worker_name: Some("   ".into()),
    })
    .unwrap();
    assert_eq!(s.profile().unwrap().worker_name, None);
    assert_eq!(s.referent().unwrap(), TEAM_REFERENT);
}

#[test]
fn the_rencontre_being_typed_survives_a_restart_and_goes_after_the_save() {
    use filrouge_model::views::{PersonHit, RencontreFormDraft};
    let dir = tempfile::tempdir().unwrap();
    let typed = RencontreFormDraft {
        draft: RencontreDraft {
            note: "A parlé du permis".into(),
            ..rencontre(&[], None)
        },
        persons: vec![PersonHit {
            id: RecordId::parse("01890000-0000-7000-8000-000000000001").unwrap(),
            pseudonym: "Lina".into(),
            last_name: None,
            stage: None,
        }],
        relance_due: "2026-1".into(),
    };
    {
        let mut s = open(&dir);
        assert_eq!(s.form_draft().unwrap(), None);
        s.set_form_draft(Some(&typed)).unwrap();
    }
    let mut s = open(&dir);
    assert_eq!(s.form_draft().unwrap(), Some(typed));
    s.set_form_draft(None).unwrap();
    assert_eq!(s.form_draft().unwrap(), None);
    // A draft that no longer parses never stops the form from opening.
    s.set_meta(FORM_DRAFT, "{not json").unwrap();
    assert_eq!(s.form_draft().unwrap(), None);
}

#[test]
fn the_caseload_is_the_workers_by_stage_longest_unseen_first() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = open(&dir);
    assert_eq!(s.caseload_of_worker(50).unwrap(), Default::default());
    s.set_profile(Profile {
        worker_name: Some("Karim".into()),
    })
    .unwrap();
    let person = |s: &mut Store, name: &str, referent: &str, stage: Stage| {
        let mut p = PersonDraft::new(name);
        p.referent = Some(referent.into());
        p.stage = Some(stage);
        s.create(p).unwrap()
    };
    let seen_lately = person(&mut s, "Lina", "Karim", Stage::Accompagnement);
    let seen_long_ago = person(&mut s, "Yanis", "Karim", Stage::Accompagnement);
    let never_seen = person(&mut s, "Inès", "Karim", Stage::Accompagnement);
    let other_stage = person(&mut s, "Moussa", "Karim", Stage::EnContact);
    person(&mut s, "Sarah", "Inès", Stage::Accompagnement);
    for (who, days_ago) in [(&seen_lately, 2), (&seen_long_ago, 60)] {
        s.create_rencontre(RencontreDraft {
            occurred_at: Some(NOW - days_ago * 86_400_000),
            ..rencontre(&[who], None)
        })
        .unwrap();
    }
    let c = s.caseload_of_worker(50).unwrap();
    assert_eq!(c.worker_name.as_deref(), Some("Karim"));
    let ids: Vec<&RecordId> = c.persons.iter().map(|p| &p.id).collect();
    assert_eq!(
        ids,
        [&never_seen, &seen_long_ago, &seen_lately, &other_stage]
    );
    assert_eq!(c.persons[1].last_seen, Some(NOW - 60 * 86_400_000));
    assert_eq!(s.caseload_of_worker(2).unwrap().persons.len(), 2);
    // A person the worker records is theirs unless said otherwise.
    let met = s.create_person(PersonDraft::new("Awa")).unwrap();
    let p: PersonDraft = s.get(&met).unwrap();
    assert_eq!(p.referent.as_deref(), Some("Karim"));
    assert!(
        s.caseload_of_worker(50)
            .unwrap()
            .persons
            .iter()
            .any(|p| p.id == met)
    );
}

#[test]
fn the_lists_edit_of_place_and_note_keeps_every_other_field() {
    use filrouge_model::Frein;
    let dir = tempfile::tempdir().unwrap();
    let mut s = open(&dir);
    let lina = s.create(PersonDraft::new("Lina")).unwrap();
    let mut draft = rencontre(&[&lina], Some(day(3)));
    draft.needs.insert(Frein::Logement);
    let r = s.create_rencontre(draft).unwrap();
    assert_eq!(r.named, 1);
    let edited = s
        .edit_rencontre_text(&r.id, "Gare routière".into(), "Revu avec sa sœur".into())
        .unwrap();
    assert_eq!(
        (edited.place.as_str(), edited.note.as_str()),
        ("Gare routière", "Revu avec sa sœur")
    );
    let kept: RencontreDraft = s.get(&r.id).unwrap();
    assert!(kept.persons.contains(&lina));
    assert!(kept.needs.contains(&Frein::Logement));
    assert_eq!(kept.relance_due, Some(day(3)));
}

/// The value's code of a timeline entry, as the projection stores it.
fn timeline_code(what: filrouge_model::views::TimelineWhat) -> String {
    use filrouge_model::views::TimelineWhat as W;
    match what {
        W::Rencontre(v) => v.code(),
        W::Etape(v) => v.code(),
        W::Orientation(v) => v.code(),
        W::Relance(v) => v.code(),
    }
    .to_owned()
}
