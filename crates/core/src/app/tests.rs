//! The application layer's promises, on real SQLite files: each user action is one
//! transaction (a commit that fails leaves every table as it was, and a success commits
//! exactly once), and the rules that used to live in the shell hold here.

use std::fmt::Debug;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use filrouge_model::ipc::{
    ChangeStage, CheckIn, CreateEvent, CreatePartner, CreatePerson, CreateRencontre, EditRencontre,
    Enrol, GetFormDraft, LastPlace, ListRelances, ListRencontres, Orient, PlanRelance, Register,
    SaveFormDraft, SetProfile, SetRelanceStatus, UpdatePerson, UpdateRencontre,
};
use filrouge_model::views::{Profile, RencontreFormDraft};
use filrouge_model::vocab::RelanceStatus;
use filrouge_model::{
    AgeBand, Day, EventDraft, EventKind, Field, OrientationDraft, OrientationStatus, PartnerDraft,
    PartnerKind, PersonDraft, Problem, RegistrationDraft, Stage, ValidationError,
};
use rusqlite::types::ValueRef;

use super::*;
use crate::store::tests::{NOW, draft, test_env};

fn device(dir: &tempfile::TempDir) -> Device {
    let env = test_env(NOW, 1);
    Device::open(&dir.path().join("device.sqlite"), env).unwrap()
}

/// Every row of every table, as text, sorted: what the device holds on disk.
fn dump(device: &Device) -> Vec<String> {
    let store = device.lock();
    let tables: Vec<String> = store
        .conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut out = Vec::new();
    for table in tables {
        let mut stmt = store
            .conn
            .prepare(&format!("SELECT * FROM \"{table}\""))
            .unwrap();
        let width = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            let cells: Vec<String> = (0..width)
                .map(|i| match row.get_ref(i).unwrap() {
                    ValueRef::Null => "NULL".to_owned(),
                    ValueRef::Integer(n) => n.to_string(),
                    ValueRef::Real(x) => x.to_string(),
                    ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                    ValueRef::Blob(b) => hex::encode(b),
                })
                .collect();
            out.push(format!("{table}: {}", cells.join(" | ")));
        }
    }
    out.sort();
    out
}

/// Runs `action` twice: first with every commit failing (the hook fires after all its
/// writes, at COMMIT), which must leave the store exactly as it was; then for real,
/// which must commit exactly once and change the store.
fn one_transaction<T: Debug>(
    device: &Device,
    action: impl Fn(&Device) -> Result<T, CoreError>,
) -> T {
    let before = dump(device);
    device.lock().conn.commit_hook(Some(|| true)).unwrap();
    let failed = action(device);
    device
        .lock()
        .conn
        .commit_hook(None::<fn() -> bool>)
        .unwrap();
    assert!(
        matches!(failed, Err(CoreError::Sqlite(_))),
        "the injected failure is reported: {failed:?}"
    );
    assert_eq!(
        dump(device),
        before,
        "a failed action leaves the store as it was"
    );

    let commits = Arc::new(AtomicUsize::new(0));
    let counter = commits.clone();
    device
        .lock()
        .conn
        .commit_hook(Some(move || {
            counter.fetch_add(1, Ordering::SeqCst);
            false
        }))
        .unwrap();
    let done = action(device);
    device
        .lock()
        .conn
        .commit_hook(None::<fn() -> bool>)
        .unwrap();
    let done = done.expect("the action succeeds without the injected failure");
    assert_eq!(
        commits.load(Ordering::SeqCst),
        1,
        "one user action, one commit"
    );
    assert_ne!(dump(device), before, "the action changed the store");
    done
}

/// A rencontre saved at "Gare", then a form at "City stade" kept while it is typed.
fn a_rencontre_at_the_station_then_a_form_being_typed(d: &Device) {
    d.create_rencontre(CreateRencontre {
        draft: draft("Gare", ""),
    })
    .unwrap();
    d.save_form_draft(SaveFormDraft {
        draft: Some(form("City stade")),
    })
    .unwrap();
}

fn form(place: &str) -> RencontreFormDraft {
    RencontreFormDraft {
        draft: draft(place, "en cours"),
        persons: Vec::new(),
        relance_due: String::new(),
    }
}

#[test]
fn saving_a_rencontre_writes_the_record_the_relance_the_draft_and_the_place_together() {
    let dir = tempfile::tempdir().unwrap();
    let d = device(&dir);
    d.set_profile(SetProfile {
        profile: Profile {
            worker_name: Some("Lina".into()),
        },
    })
    .unwrap();
    a_rencontre_at_the_station_then_a_form_being_typed(&d);

    let mut with_relance = draft("City stade", "parle de foot");
    with_relance.relance_due = Some(Day::from_epoch_ms(NOW).checked_add_days(7).unwrap());
    let cmd = CreateRencontre {
        draft: with_relance,
    };
    let row = one_transaction(&d, |d| d.create_rencontre(cmd.clone()));

    assert_eq!(row.place, "City stade");
    assert_eq!(d.get_form_draft(GetFormDraft {}).unwrap(), None);
    assert_eq!(
        d.last_place(LastPlace {}).unwrap().as_deref(),
        Some("City stade")
    );
    let listed = d.list_rencontres(ListRencontres { since: 0 }).unwrap();
    assert_eq!(listed.len(), 2);
    let relances = d
        .list_relances(ListRelances {
            until: Day::from_epoch_ms(NOW).checked_add_days(30).unwrap(),
            limit: 10,
        })
        .unwrap();
    assert_eq!(relances.len(), 1, "the rencontre's relance, for Lina");
}

#[test]
fn editing_a_rencontre_is_one_transaction() {
    let dir = tempfile::tempdir().unwrap();
    let d = device(&dir);
    let row = d
        .create_rencontre(CreateRencontre {
            draft: draft("Gare", "a"),
        })
        .unwrap();
    let update = UpdateRencontre {
        id: row.id.clone(),
        draft: draft("Gare du Nord", "b"),
    };
    let changed = one_transaction(&d, |d| d.update_rencontre(update.clone()));
    assert_eq!(changed.place, "Gare du Nord");
    let edit = EditRencontre {
        id: row.id.clone(),
        place: "Parvis".into(),
        note: "c".into(),
    };
    let edited = one_transaction(&d, |d| d.edit_rencontre(edit.clone()));
    assert_eq!(
        (edited.place.as_str(), edited.note.as_str()),
        ("Parvis", "c")
    );
}

#[test]
fn a_persons_actions_are_each_one_transaction() {
    let dir = tempfile::tempdir().unwrap();
    let d = device(&dir);
    let create = CreatePerson {
        draft: PersonDraft::new("Momo"),
    };
    let hit = one_transaction(&d, |d| d.create_person(create.clone()));
    assert_eq!(hit.pseudonym, "Momo");

    let mut known = PersonDraft::new("Momo");
    known.age_band = Some(AgeBand::From16To17);
    let update = UpdatePerson {
        id: hit.id.clone(),
        draft: known,
    };
    let view = one_transaction(&d, |d| d.update_person(update.clone()));
    assert_eq!(view.person.age_band, Some(AgeBand::From16To17));

    let stage = ChangeStage {
        person_id: hit.id.clone(),
        stage: Stage::EnContact,
        date: Day::from_epoch_ms(NOW),
        note: None,
        exit: None,
    };
    let view = one_transaction(&d, |d| d.change_stage(stage.clone()));
    assert_eq!(view.person.stage, Some(Stage::EnContact));

    let plan = PlanRelance {
        person_id: Some(hit.id.clone()),
        due: Day::from_epoch_ms(NOW),
        reason: "rappeler".into(),
    };
    let relance = one_transaction(&d, |d| d.plan_relance(plan.clone()));
    let done = SetRelanceStatus {
        id: relance,
        status: RelanceStatus::Faite,
        due: None,
    };
    one_transaction(&d, |d| d.set_relance_status(done.clone()));

    let partner = CreatePartner {
        draft: PartnerDraft {
            name: "Mission locale".into(),
            kind: PartnerKind::MissionLocale,
            contact: None,
            commune: None,
        },
    };
    let partner = one_transaction(&d, |d| d.create_partner(partner.clone()));
    let orient = Orient {
        draft: OrientationDraft {
            person_id: hit.id.clone(),
            partner_id: Some(partner.id.clone()),
            partner_name: None,
            reason: String::new(),
            consent_given: true,
            status: OrientationStatus::Proposee,
            outcome: None,
            date: Day::from_epoch_ms(NOW),
        },
    };
    let view = one_transaction(&d, |d| d.orient(orient.clone()));
    assert!(
        view.timeline
            .iter()
            .any(|e| e.what.kind().code() == "orientation")
    );
}

#[test]
fn an_events_actions_are_each_one_transaction() {
    let dir = tempfile::tempdir().unwrap();
    let d = device(&dir);
    let create = CreateEvent {
        draft: EventDraft {
            name: "Tournoi".into(),
            kind: EventKind::TournoiSportif,
            date: Day::from_epoch_ms(NOW),
            place: "City stade".into(),
            partners: Default::default(),
        },
    };
    let event = one_transaction(&d, |d| d.create_event(create.clone()));
    let register = Register {
        draft: RegistrationDraft {
            event_id: event.id.clone(),
            first_name_or_pseudonym: "Samir".into(),
            age_band: Some(AgeBand::From18To25),
            minor: false,
            contact: None,
            consent_given: true,
            checked_in_at: None,
            person_id: None,
        },
    };
    let view = one_transaction(&d, |d| d.register(register.clone()));
    assert_eq!(view.event.registered, 1);
    let check_in = CheckIn {
        id: view.registrations[0].id.clone(),
        event_id: event.id.clone(),
        arrived: true,
    };
    let view = one_transaction(&d, |d| d.check_in(check_in.clone()));
    assert_eq!(view.event.checked_in, 1);
}

#[test]
fn the_devices_settings_are_each_one_transaction() {
    let dir = tempfile::tempdir().unwrap();
    let d = device(&dir);
    let profile = SetProfile {
        profile: Profile {
            worker_name: Some(" Lina ".into()),
        },
    };
    let kept = one_transaction(&d, |d| d.set_profile(profile.clone()));
    assert_eq!(kept.worker_name.as_deref(), Some("Lina"));
    let keep = SaveFormDraft {
        draft: Some(form("Gare")),
    };
    one_transaction(&d, |d| d.save_form_draft(keep.clone()));
}

#[test]
fn a_refused_rencontre_keeps_the_draft_and_the_last_place() {
    let dir = tempfile::tempdir().unwrap();
    let d = device(&dir);
    a_rencontre_at_the_station_then_a_form_being_typed(&d);
    let before = dump(&d);
    let mut nobody = draft("City stade", "");
    nobody.headcount = 0;
    let refused = d.create_rencontre(CreateRencontre { draft: nobody });
    assert!(
        matches!(refused, Err(CoreError::Validation(_))),
        "{refused:?}"
    );
    assert_eq!(dump(&d), before);
    assert_eq!(
        d.get_form_draft(GetFormDraft {}).unwrap(),
        Some(form("City stade"))
    );
}

#[test]
fn relances_are_the_workers_own_once_they_said_who_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let d = device(&dir);
    let today = Day::from_epoch_ms(NOW);
    let plan = |reason: &str| PlanRelance {
        person_id: None,
        due: today,
        reason: reason.into(),
    };
    // Planned before anyone said who uses the device: the team's.
    d.plan_relance(plan("pour l'équipe")).unwrap();
    let due = ListRelances {
        until: today,
        limit: 10,
    };
    assert_eq!(d.list_relances(due.clone()).unwrap().len(), 1);
    for name in ["Lina", "Karim"] {
        d.set_profile(SetProfile {
            profile: Profile {
                worker_name: Some(name.into()),
            },
        })
        .unwrap();
        d.plan_relance(plan(name)).unwrap();
    }
    let karims: Vec<String> = d
        .list_relances(due)
        .unwrap()
        .into_iter()
        .map(|r| r.reason)
        .collect();
    assert_eq!(karims, ["Karim"]);
}

#[test]
fn an_enrolment_is_checked_before_any_request() {
    let enrol = |url: &str, code: &str, name: &str| {
        EnrolTarget::check(&Enrol {
            server_url: url.into(),
            code: code.into(),
            device_name: name.into(),
            server_pin: None,
            team_secret: None,
        })
    };
    let ok = enrol(" https://equipe.example.org/ ", " K7PF-3MQX ", "  ").unwrap();
    assert_eq!(ok.server_url, "https://equipe.example.org");
    assert_eq!(ok.code, "K7PF-3MQX");
    assert_eq!(ok.device_name, DEFAULT_DEVICE_NAME);
    let long = enrol("http://h", "c", &"é".repeat(100)).unwrap();
    assert_eq!(long.device_name.chars().count(), 60);

    let malformed = ValidationError::new(Field::ServerUrl, Problem::Malformed);
    assert_eq!(enrol("equipe.example.org", "c", ""), Err(malformed.clone()));
    assert_eq!(enrol("ftp://h", "c", ""), Err(malformed.clone()));
    let too_long = format!("http://{}", "h".repeat(200));
    assert_eq!(enrol(&too_long, "c", ""), Err(malformed));
    assert_eq!(
        enrol("http://h", "  ", ""),
        Err(ValidationError::new(
            Field::EnrolmentCode,
            Problem::Required
        ))
    );
    // The invitation's certificate fingerprint is kept, and checked.
    let pinned = |pin: &str| {
        EnrolTarget::check(&Enrol {
            server_url: "https://h".into(),
            code: "c".into(),
            device_name: String::new(),
            server_pin: Some(pin.into()),
            team_secret: None,
        })
    };
    assert_eq!(pinned(&"ab".repeat(32)).unwrap().pin, Some([0xab; 32]));
    assert_eq!(pinned(" ").unwrap().pin, None);
    assert_eq!(
        pinned("abc"),
        Err(ValidationError::new(Field::ServerUrl, Problem::Malformed))
    );
}

#[test]
fn an_enrolment_that_cannot_reach_the_server_keeps_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = device(&dir);
    let before = dump(&d);
    // Port 9 on loopback: nothing listens, the connection is refused at once.
    let failed = d.enrol(Enrol {
        server_url: "http://127.0.0.1:9".into(),
        code: "K7PF-3MQX-W9".into(),
        device_name: String::new(),
        server_pin: None,
        team_secret: None,
    });
    assert!(
        matches!(
            failed,
            Err(CoreError::Transport(
                crate::sync::TransportError::Unreachable { .. }
            ))
        ),
        "{failed:?}"
    );
    assert_eq!(dump(&d), before);
    assert_eq!(d.sync_status().unwrap().server_url, None);
}

#[test]
fn a_damaged_actor_id_is_an_error_not_an_empty_actor() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("device.sqlite");
    drop(Store::open(&path, test_env(NOW, 1)).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute("UPDATE meta SET value = 'not hex' WHERE key = 'actor'", [])
        .unwrap();
    drop(conn);
    let opened = Store::open(&path, test_env(NOW, 1));
    assert!(
        matches!(opened, Err(CoreError::DamagedSetting { key: "actor" })),
        "{opened:?}"
    );
}

#[test]
fn the_dashboard_is_a_coordinators_and_counts_who_recorded_what() {
    use filrouge_model::dashboard::{Figure, FigureList, Period, PeriodKind};
    use filrouge_model::ipc::{GetDashboard, ListFigure};
    let dir = tempfile::tempdir().unwrap();
    let d = device(&dir);
    d.set_profile(SetProfile {
        profile: Profile {
            worker_name: Some("Karim".into()),
        },
    })
    .unwrap();
    let saved = d
        .create_rencontre(CreateRencontre {
            draft: draft("Gare", "2 jeunes"),
        })
        .unwrap();
    // An edit from the form (which never sends the worker) keeps who recorded it.
    d.update_rencontre(UpdateRencontre {
        id: saved.id.clone(),
        draft: draft("Gare du Nord", "2 jeunes"),
    })
    .unwrap();
    let period = Period::containing(PeriodKind::Month, Day::from_epoch_ms(NOW));
    let board = d.get_dashboard(GetDashboard { period }).unwrap();
    assert_eq!(board.current.rencontres, 1);
    assert_eq!(board.current.by_worker[0].key.as_deref(), Some("Karim"));
    let list = d
        .list_figure(ListFigure {
            period,
            figure: Figure::Worker(Some("Karim".into())),
        })
        .unwrap();
    assert!(matches!(list, FigureList::Rencontres(rows) if rows[0].id == saved.id));

    // A device the server enrolled as a field worker's has no coordination space.
    d.lock().set_meta("role", "intervenant").unwrap();
    assert!(matches!(
        d.get_dashboard(GetDashboard { period }),
        Err(CoreError::CoordinatorOnly)
    ));
    assert!(matches!(
        d.list_figure(ListFigure {
            period,
            figure: Figure::Rencontres
        }),
        Err(CoreError::CoordinatorOnly)
    ));
    let csv = b"Date;Canal;Lieu;Nombre\n01/09/2026;Maraude;Gare;2\n".to_vec();
    assert!(matches!(
        d.preview_import(filrouge_model::ipc::PreviewImport { bytes: csv.clone() }),
        Err(CoreError::CoordinatorOnly)
    ));
    let mapping = filrouge_model::import::ImportMapping::suggest(
        filrouge_model::import::ImportKind::Rencontres,
        &[
            "Date".into(),
            "Canal".into(),
            "Lieu".into(),
            "Nombre".into(),
        ],
    );
    assert!(matches!(
        d.import(filrouge_model::ipc::Import {
            bytes: csv.clone(),
            mapping: mapping.clone()
        }),
        Err(CoreError::CoordinatorOnly)
    ));
    assert!(matches!(
        d.list_duplicates(filrouge_model::ipc::ListDuplicates { limit: 10 }),
        Err(CoreError::CoordinatorOnly)
    ));
    let (x, y) = (
        filrouge_model::RecordId::parse("0193a2b4-7c1d-7e2f-8a3b-4c5d6e7f8091").unwrap(),
        filrouge_model::RecordId::parse("0193a2b4-7c1d-7e2f-8a3b-4c5d6e7f8092").unwrap(),
    );
    assert!(matches!(
        d.dismiss_duplicate(filrouge_model::ipc::DismissDuplicate {
            a: x.clone(),
            b: y.clone()
        }),
        Err(CoreError::CoordinatorOnly)
    ));
    for refused in [
        d.merge_persons(filrouge_model::ipc::MergePersons {
            survivor: x.clone(),
            absorbed: y.clone(),
            taken: Default::default(),
        })
        .map(drop),
        d.undo_merge(filrouge_model::ipc::UndoMerge { merge: x.clone() })
            .map(drop),
        d.list_conflicts(filrouge_model::ipc::ListConflicts { limit: 10 })
            .map(drop),
        d.settle_conflict(filrouge_model::ipc::SettleConflict {
            record: x.clone(),
            field: "pseudonym".into(),
            value: serde_json::json!("Karim"),
        })
        .map(drop),
        d.erase_person(filrouge_model::ipc::ErasePerson {
            person: x.clone(),
            reason: filrouge_model::erasure::ErasureReason::Erreur,
        })
        .map(drop),
        d.list_erasures(filrouge_model::ipc::ListErasures {})
            .map(drop),
        d.get_data_quality(filrouge_model::ipc::GetDataQuality {})
            .map(drop),
    ] {
        assert!(
            matches!(refused, Err(CoreError::CoordinatorOnly)),
            "{refused:?}"
        );
    }
    // The form's check is every device's.
    assert!(
        d.find_similar_persons(filrouge_model::ipc::FindSimilarPersons {
            pseudonym: "Karim".into(),
            ..Default::default()
        })
        .is_ok()
    );
    d.lock().set_meta("role", "coordinateur").unwrap();
    assert!(d.get_dashboard(GetDashboard { period }).is_ok());
    // A coordinator erases a person in one unit of work (the device is not enrolled:
    // its own copy only), and the data-quality checks answer.
    let gone = d
        .lock()
        .create_person(PersonDraft::new("Zorglubine"))
        .unwrap();
    let entry = d
        .erase_person(filrouge_model::ipc::ErasePerson {
            person: gone,
            reason: filrouge_model::erasure::ErasureReason::Erreur,
        })
        .unwrap();
    assert_eq!(entry.records, 1);
    assert!(d.lock().search_persons("zorglub", 5).unwrap().is_empty());
    assert_eq!(
        d.list_erasures(filrouge_model::ipc::ListErasures {})
            .unwrap(),
        [entry]
    );
    let quality = d
        .get_data_quality(filrouge_model::ipc::GetDataQuality {})
        .unwrap();
    assert_eq!(quality.checks.len(), 5);
    // "Pas la même personne" is one transaction.
    one_transaction(&d, |d| {
        d.dismiss_duplicate(filrouge_model::ipc::DismissDuplicate {
            a: x.clone(),
            b: y.clone(),
        })
    });
    // A coordinator's import is one transaction.
    let report = one_transaction(&d, |d| {
        d.import(filrouge_model::ipc::Import {
            bytes: csv.clone(),
            mapping: mapping.clone(),
        })
    });
    assert_eq!(report.created, 1);
}

#[test]
fn the_funders_table_adds_the_teams_own_indicators_and_says_a_bad_file() {
    use filrouge_model::dashboard::{Period, PeriodKind};
    use filrouge_model::ipc::{GetFunderTable, IpcError};
    let dir = tempfile::tempdir().unwrap();
    let d = device(&dir);
    let period = Period::containing(PeriodKind::Year, Day::from_epoch_ms(NOW));
    let ask = || {
        d.get_funder_table(GetFunderTable {
            period,
            funder_mode: true,
        })
    };
    let default = ask().unwrap();
    assert_eq!(default.rows[0].id, "reperes");
    assert_eq!(default.columns.len(), 4);
    // The team adds a line of its own, part of a default one.
    let file = dir.path().join(TEAM_INDICATORS_FILE);
    std::fs::write(
        &file,
        r#"{"format": 1, "name": "Équipe", "indicators": [
            {"id": "reperes-refugies", "label": "dont réfugiés",
             "population": {"categories": ["refugie"]},
             "event": {"kind": "repere"}, "part_of": "reperes"}]}"#,
    )
    .unwrap();
    let table = ask().unwrap();
    assert_eq!(table.rows.len(), default.rows.len() + 1);
    assert_eq!(
        table.rows.last().unwrap().part_of.as_deref(),
        Some("reperes")
    );
    // A broken file is said, with where it breaks, and the dashboard still works.
    std::fs::write(
        &file,
        r#"{"format": 1, "name": "Équipe", "indicators": [{"id": "x"}]}"#,
    )
    .unwrap();
    let err = ask().unwrap_err();
    assert!(matches!(&err, CoreError::Definitions { .. }), "{err:?}");
    let IpcError::Definitions { reason } = IpcError::from(err) else {
        panic!("a definitions error")
    };
    assert!(reason.contains("line 1"), "{reason}");
    assert!(
        d.get_dashboard(filrouge_model::ipc::GetDashboard { period })
            .is_ok()
    );
}
