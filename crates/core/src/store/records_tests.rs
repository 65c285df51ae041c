//! Every record kind through the store: validation, queries, deletion, corrections,
//! and the rebuild that must give the same tables as incremental updates.

use super::*;
use crate::RebuildReport;
use crate::store::tests::{NOW, dump, rid, test_env};
use crate::sync::{MemoryHub, run};
use filrouge_model::{
    Channel, Day, EtapeDraft, Field, Frein, OrientationDraft, OrientationStatus, PersonDraft,
    PublicCategory, RelanceDraft, RelanceStatus, RencontreDraft, Stage,
};
use std::sync::Mutex;

fn store(dir: &tempfile::TempDir, n: u8) -> Store {
    Store::open(&dir.path().join(format!("d{n}.sqlite")), test_env(NOW, n)).unwrap()
}

fn today() -> Day {
    Day::from_epoch_ms(NOW)
}

fn day(offset: i32) -> Day {
    today().checked_add_days(offset).unwrap()
}

fn person(name: &str) -> PersonDraft {
    let mut p = PersonDraft::new(name);
    p.referent = Some("Karim".into());
    p.stage = Some(Stage::EnContact);
    p.categories.insert(PublicCategory::JeuneNeet);
    p
}

fn rencontre_with(persons: &[&str]) -> RencontreDraft {
    RencontreDraft {
        channel: Channel::Maraude,
        place: "City stade".into(),
        occurred_at: Some(NOW - 3_600_000),
        headcount: 0,
        pseudonym: None,
        note: String::new(),
        persons: persons.iter().map(|p| rid(p)).collect(),
        ..RencontreDraft::default()
    }
}

fn relance(person: &str, due: Day) -> RelanceDraft {
    RelanceDraft {
        person_id: Some(rid(person)),
        rencontre_id: None,
        referent: "Karim".into(),
        due,
        reason: "Rappeler pour le CV".into(),
        status: RelanceStatus::AFaire,
    }
}

/// Two devices that both hold one person created on the first; returns them and its id.
fn two_devices_sharing_a_person(
    dir: &tempfile::TempDir,
    hub: &MemoryHub,
    first: u8,
    second: u8,
) -> (Mutex<Store>, Mutex<Store>, filrouge_model::RecordId) {
    let (a, b) = (
        Mutex::new(store(dir, first)),
        Mutex::new(store(dir, second)),
    );
    let id = a.lock().unwrap().create(person("Yanis")).unwrap();
    exchange(hub, &[&a, &b]);
    (a, b, id)
}

/// Syncs each device in turn through the hub.
fn exchange(hub: &MemoryHub, devices: &[&Mutex<Store>]) {
    for d in devices {
        run(d, &mut hub.transport()).unwrap();
    }
}

#[test]
fn search_is_accent_and_case_insensitive_prefix_and_follows_edits() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = store(&dir, 1);
    let eloise = s.create(person("Éloïse")).unwrap();
    s.create(person("Momo")).unwrap();
    for typed in ["elo", "ELOI", "éloïse", "Eloise"] {
        let hits = s.search_persons(typed, 10).unwrap();
        assert_eq!(hits.len(), 1, "{typed}");
        assert_eq!(hits[0].id, eloise);
    }
    assert!(
        s.search_persons("loise", 10).unwrap().is_empty(),
        "prefix, not substring"
    );
    let mut renamed = person("Lina");
    renamed.last_name = Some("Benali".into());
    s.update(&eloise, renamed).unwrap();
    assert!(s.search_persons("elo", 10).unwrap().is_empty());
    assert_eq!(s.search_persons("lina ben", 10).unwrap()[0].id, eloise);
}

#[test]
fn a_person_timeline_caseload_and_due_relances() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = store(&dir, 1);
    let p = s.create(person("Yanis")).unwrap();
    let other = s.create(person("Inès")).unwrap();
    s.create(rencontre_with(&[&p, &other])).unwrap();
    s.create(EtapeDraft {
        person_id: p.clone(),
        stage: Stage::Remobilisation,
        date: day(0),
        note: None,
        exit: None,
    })
    .unwrap();
    s.create(OrientationDraft {
        person_id: p.clone(),
        partner_id: None,
        partner_name: Some("Mission locale Nord".into()),
        reason: "Garantie jeunes".into(),
        consent_given: true,
        status: OrientationStatus::Proposee,
        outcome: None,
        date: day(-1),
    })
    .unwrap();
    let overdue = s.create(relance(&p, day(-2))).unwrap();
    let due_today = s.create(relance(&p, day(0))).unwrap();
    s.create(relance(&p, day(3))).unwrap();

    let kinds: Vec<String> = s
        .timeline(&p)
        .unwrap()
        .into_iter()
        .map(|e| e.what.kind().code().to_owned())
        .collect();
    // By date; on the same day, in the order they were recorded (by id: UUIDv7, the
    // same on every device).
    assert_eq!(
        kinds,
        [
            "relance",
            "orientation",
            "rencontre",
            "etape",
            "relance",
            "relance"
        ]
    );
    let due: Vec<String> = s
        .relances_due("Karim", today())
        .unwrap()
        .into_iter()
        .map(|r| r.id.to_string())
        .collect();
    assert_eq!(due, [overdue.clone(), due_today.clone()]);
    // Done disappears from the list.
    let mut done = relance(&p, day(-2));
    done.status = RelanceStatus::Faite;
    s.update(&overdue, done).unwrap();
    assert_eq!(s.relances_due("Karim", today()).unwrap().len(), 1);
    let caseload = s.caseload("Karim").unwrap();
    assert_eq!(caseload.len(), 1);
    assert_eq!(
        (caseload[0].stage.as_deref(), caseload[0].count),
        (Some("en_contact"), 2)
    );
    let counts = s.period_counts(NOW - 86_400_000, NOW + 1).unwrap();
    assert_eq!(counts.by_channel, vec![("maraude".to_string(), 1, 2)]);
    assert_eq!(counts.by_category, vec![("jeune_neet".to_string(), 2)]);
}

#[test]
fn bad_input_names_the_field_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = store(&dir, 1);
    let id = s.create(person("Yanis")).unwrap();
    let before = s.get::<PersonDraft>(&id).unwrap();
    let mut bad = person("");
    bad.last_name = Some("X".into());
    match s.update(&id, bad) {
        Err(CoreError::Validation(v)) => assert_eq!(v.field, Field::Pseudonym),
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert_eq!(s.get::<PersonDraft>(&id).unwrap(), before);
    assert_eq!(s.search_persons("yan", 5).unwrap().len(), 1);
}

#[test]
fn a_deletion_survives_a_concurrent_edit_and_leaves_every_query() {
    let dir = tempfile::tempdir().unwrap();
    let hub = MemoryHub::new();
    let (a, b, id) = two_devices_sharing_a_person(&dir, &hub, 1, 2);
    a.lock().unwrap().delete(&id).unwrap();
    let mut edit = person("Yanis");
    edit.stage = Some(Stage::Accompagnement);
    b.lock().unwrap().update(&id, edit).unwrap();
    exchange(&hub, &[&a, &b, &a]);
    for d in [&a, &b] {
        let s = d.lock().unwrap();
        assert!(s.search_persons("yan", 5).unwrap().is_empty());
        assert!(s.caseload("Karim").unwrap().is_empty());
    }
    assert!(matches!(
        a.lock().unwrap().get::<PersonDraft>(&id),
        Err(CoreError::NotFound { .. })
    ));
}

#[test]
fn a_coordinator_correction_wins_over_a_concurrent_edit_whatever_the_actors() {
    // Both orders of actor ids: the correction must win either way.
    for (coord, worker) in [(1u8, 2u8), (2, 1)] {
        let dir = tempfile::tempdir().unwrap();
        let hub = MemoryHub::new();
        let (w, c, id) = two_devices_sharing_a_person(&dir, &hub, worker, coord);
        c.lock()
            .unwrap()
            .correct(&id, "last_name", serde_json::json!(null))
            .unwrap();
        let mut edit = person("Yanis");
        edit.last_name = Some("Nom à retirer".into());
        w.lock().unwrap().update(&id, edit).unwrap();
        exchange(&hub, &[&c, &w, &c]);
        for d in [&c, &w] {
            assert_eq!(
                d.lock().unwrap().get::<PersonDraft>(&id).unwrap().last_name,
                None
            );
        }
    }
}

#[test]
fn same_field_conflicts_are_recorded_for_the_coordinator() {
    let dir = tempfile::tempdir().unwrap();
    let hub = MemoryHub::new();
    let (a, b, id) = two_devices_sharing_a_person(&dir, &hub, 1, 2);
    let (mut pa, mut pb) = (person("Yanis"), person("Yanis"));
    pa.stage = Some(Stage::Formation);
    pb.stage = Some(Stage::Emploi);
    a.lock().unwrap().update(&id, pa).unwrap();
    b.lock().unwrap().update(&id, pb).unwrap();
    exchange(&hub, &[&a, &b, &a]);
    let ca = a.lock().unwrap().conflicts(&id).unwrap();
    assert_eq!(ca, b.lock().unwrap().conflicts(&id).unwrap());
    let stage = ca
        .iter()
        .find(|(f, _)| f == "stage")
        .expect("a stage conflict");
    assert_eq!(stage.1.as_array().unwrap().len(), 2);
}

#[test]
fn rebuild_gives_the_same_tables_as_incremental_updates() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = store(&dir, 1);
    let p = s.create(person("Éloïse")).unwrap();
    let gone = s.create(person("Sam")).unwrap();
    s.create(rencontre_with(&[&p])).unwrap();
    s.create(relance(&p, day(1))).unwrap();
    s.create(EtapeDraft {
        person_id: p.clone(),
        stage: Stage::Formation,
        date: day(0),
        note: Some("CAP".into()),
        exit: None,
    })
    .unwrap();
    s.delete(&gone).unwrap();
    // Edits update a person's rows in place: a stage alone, then tags, then the name.
    let mut edited = person("Éloïse");
    edited.stage = Some(Stage::Formation);
    s.update(&p, edited.clone()).unwrap();
    edited.categories = [PublicCategory::Refugie].into();
    edited.freins = [Frein::Logement, Frein::Mobilite].into();
    s.update(&p, edited.clone()).unwrap();
    assert_eq!(s.search_persons("elo", 5).unwrap().len(), 1);
    edited.pseudonym = "Éloïse B".into();
    s.update(&p, edited).unwrap();
    let before = dump(&s);
    assert!(
        before
            .iter()
            .any(|r| r.starts_with("person_tags:") && r.contains("refugie"))
    );
    assert!(
        !before
            .iter()
            .any(|r| r.starts_with("person_tags:") && r.contains("jeune_neet"))
    );
    let schema = |s: &Store| -> Vec<(String, Option<String>)> {
        let mut stmt = s
            .conn
            .prepare("SELECT name, sql FROM sqlite_schema ORDER BY name")
            .unwrap();
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
        rows.collect::<Result<_, _>>().unwrap()
    };
    let schema_before = schema(&s);
    let report = s.rebuild_projections().unwrap();
    assert_eq!(schema(&s), schema_before, "every index is back");
    assert_eq!(
        report,
        RebuildReport {
            documents: 5,
            quarantined: 0
        }
    );
    assert_eq!(dump(&s), before);
    assert_eq!(s.search_persons("elo", 5).unwrap().len(), 1);
    assert!(s.search_persons("sam", 5).unwrap().is_empty());
}

#[test]
fn a_rebuild_across_many_batches_gives_the_same_rows_and_quarantines_only_the_damaged() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = store(&dir, 1);
    let mut persons = Vec::new();
    for i in 0..20 {
        let p = s.create(person(&format!("Personne {i}"))).unwrap();
        s.create(rencontre_with(&[&p])).unwrap();
        persons.push(p);
    }
    s.update(&persons[3], person("Éloïse")).unwrap();
    let before = dump(&s);
    // One damaged snapshot and one over the 4 MB limit, in different batches.
    s.conn
        .execute(
            "UPDATE documents SET snapshot = X'856f4a83deadbeef' WHERE id = ?1",
            [persons[5].as_str()],
        )
        .unwrap();
    s.conn
        .execute(
            "UPDATE documents SET snapshot = zeroblob(5000000) WHERE id = ?1",
            [persons[17].as_str()],
        )
        .unwrap();
    let report = s.rebuild_projections().unwrap();
    assert_eq!(
        report,
        RebuildReport {
            documents: 38,
            quarantined: 2
        }
    );
    let mut quarantined = vec![persons[5].clone(), persons[17].clone()];
    quarantined.sort();
    assert_eq!(s.quarantined().unwrap(), quarantined);
    // Everything else is exactly as before, minus the two damaged persons' rows.
    let after = dump(&s);
    let expected: Vec<&String> = before
        .iter()
        .filter(|row| {
            !(row.starts_with("personnes:")
                || row.starts_with("person_tags:")
                || row.starts_with("person_keys:"))
                || !(row.contains(persons[5].as_str()) || row.contains(persons[17].as_str()))
        })
        .collect();
    assert_eq!(after.iter().collect::<Vec<_>>(), expected);
    assert_eq!(s.search_persons("elo", 5).unwrap().len(), 1);
    assert_eq!(s.search_persons("personne", 50).unwrap().len(), 17);
}

/// Device clocks set ten years ahead and ten years behind: merge results do not depend
/// on them (Automerge orders by causality and actor, not by wall time). Deletions,
/// corrections and field merges come out the same on both; conflicts carry each
/// device's own clock reading, which is all a coordinator can know.
#[test]
fn device_clocks_years_apart_change_no_merge() {
    const DECADE: i64 = 10 * 365 * 86_400_000;
    let dir = tempfile::tempdir().unwrap();
    let hub = MemoryHub::new();
    let open = |n: u8, now: i64| {
        Mutex::new(Store::open(&dir.path().join(format!("c{n}.sqlite")), test_env(now, n)).unwrap())
    };
    let (ahead, behind) = (open(1, NOW + DECADE), open(2, NOW - DECADE));
    let kept = ahead.lock().unwrap().create(person("Yanis")).unwrap();
    let gone = ahead.lock().unwrap().create(person("Inès")).unwrap();
    exchange(&hub, &[&ahead, &behind]);

    // Different fields on each side, a same-field conflict, a deletion by the late clock
    // against an edit by the early one, a correction by the late clock.
    let mut a_edit = person("Yanis");
    a_edit.referent = Some("Léa".into());
    a_edit.stage = Some(Stage::Formation);
    ahead.lock().unwrap().update(&kept, a_edit).unwrap();
    let mut b_edit = person("Yanis");
    b_edit.categories.insert(PublicCategory::Refugie);
    b_edit.stage = Some(Stage::Emploi);
    behind.lock().unwrap().update(&kept, b_edit).unwrap();
    let mut a_gone = person("Inès");
    a_gone.stage = Some(Stage::Accompagnement);
    ahead.lock().unwrap().update(&gone, a_gone).unwrap();
    behind.lock().unwrap().delete(&gone).unwrap();
    behind
        .lock()
        .unwrap()
        .correct(&kept, "pseudonym", serde_json::json!("Y."))
        .unwrap();
    exchange(&hub, &[&ahead, &behind, &ahead]);

    let mut a = ahead.lock().unwrap();
    let b = behind.lock().unwrap();
    assert_eq!(dump(&a), dump(&b));
    assert_eq!(a.doc_infos().unwrap(), b.doc_infos().unwrap());
    let p: PersonDraft = a.get(&kept).unwrap();
    assert_eq!(
        p.referent.as_deref(),
        Some("Léa"),
        "the early clock's field kept"
    );
    assert!(
        p.categories.contains(&PublicCategory::Refugie),
        "the late clock's tag kept"
    );
    assert_eq!(p.pseudonym, "Y.", "the late clock's correction wins");
    assert!(matches!(
        a.get::<PersonDraft>(&gone),
        Err(CoreError::NotFound { .. })
    ));
    let conflicts = a.conflicts(&kept).unwrap();
    assert_eq!(conflicts, b.conflicts(&kept).unwrap());
    let stage = conflicts
        .iter()
        .find(|(field, _)| field == "stage")
        .expect("a stage conflict");
    let mut times: Vec<i64> = stage
        .1
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["at"].as_i64().unwrap())
        .collect();
    times.sort();
    assert_eq!(times, vec![NOW - DECADE, NOW + DECADE]);
}

#[test]
fn an_import_creates_all_records_or_none() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = store(&dir, 1);
    let mut bad = person("");
    bad.referent = None;
    let refused = s.import(vec![person("Inès"), bad, person("Sam")]);
    assert!(matches!(refused, Err(CoreError::Validation(_))));
    assert!(s.doc_infos().unwrap().is_empty(), "nothing written");
    let ids = s
        .import(vec![person("Inès"), person("Sam"), person("Éloïse")])
        .unwrap();
    assert_eq!(ids.len(), 3);
    assert_eq!(s.search_persons("elo", 5).unwrap()[0].id, ids[2]);
    assert_eq!(s.sync_status().unwrap().pending_changes, 3);
}
