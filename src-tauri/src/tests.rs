//! Mock-runtime tests of the IPC boundary: every `Command::NAME` reaches its handler
//! with the `args` shape the UI sends, and errors come back as the tagged `IpcError`.

use filrouge_model::ipc::{
    ChangeSecret, ChooseSecret, Command, CreateRencontre, GetLockStatus, GetSyncStatus, IpcError,
    LastPlace, ListRencontres, Lock, LockState, SecretKind, SetIdleLock, SyncNow, Unlock,
    UpdateRencontre,
};
use filrouge_model::{Channel, Field, RecordId, RencontreDraft};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{
    INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder, mock_context, noop_assets,
};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow, WebviewWindowBuilder};

/// A record id no store holds.
const UNKNOWN: &str = "01900000-0000-7000-8000-00000000dead";

/// The passphrase the tests choose (no keystore in the shell yet).
const PASSPHRASE: &str = "une phrase de passe";

/// The app with its lock not yet opened.
fn locked_app(dir: &std::path::Path) -> (App<MockRuntime>, WebviewWindow<MockRuntime>) {
    let app = crate::with_commands(mock_builder())
        .build(mock_context(noop_assets()))
        .unwrap();
    crate::manage_state(app.handle(), dir.to_path_buf(), dir.join("exports"));
    let window = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    (app, window)
}

/// The app, its store open with the passphrase (chosen now, or given again).
fn app(dir: &std::path::Path) -> (App<MockRuntime>, WebviewWindow<MockRuntime>) {
    let (app, window) = locked_app(dir);
    let secret = PASSPHRASE.to_owned();
    let status = match call(&window, &GetLockStatus {}).unwrap().state {
        LockState::Setup => call(&window, &ChooseSecret { secret }),
        _ => call(&window, &Unlock { secret }),
    };
    assert_eq!(status.unwrap().state, LockState::Open);
    (app, window)
}

fn call<C: Command>(window: &WebviewWindow<MockRuntime>, args: &C) -> Result<C::Output, IpcError> {
    let request = InvokeRequest {
        cmd: C::NAME.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().unwrap(),
        body: InvokeBody::Json(serde_json::json!({ "args": args })),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    };
    match get_ipc_response(window, request) {
        Ok(body) => Ok(body.deserialize::<C::Output>().unwrap()),
        Err(value) => Err(serde_json::from_value(value.clone())
            .unwrap_or_else(|e| panic!("{} returned a non-IpcError {value}: {e}", C::NAME))),
    }
}

/// Today, by the system clock the shell's store uses.
fn today() -> filrouge_model::Day {
    filrouge_model::Day::from_epoch_ms(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis() as i64,
    )
}

fn draft(note: &str) -> RencontreDraft {
    RencontreDraft {
        channel: Channel::MaraudeNumerique,
        place: "Discord du club".into(),
        occurred_at: None,
        headcount: 0,
        pseudonym: Some("Neo".into()),
        note: note.into(),
        ..Default::default()
    }
}

#[test]
fn every_command_round_trips_through_the_ipc_boundary() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, w) = app(dir.path());
    assert_eq!(call(&w, &LastPlace {}).unwrap(), None);
    let created = call(
        &w,
        &CreateRencontre {
            draft: draft("premier contact"),
        },
    )
    .unwrap();
    let updated = call(
        &w,
        &UpdateRencontre {
            id: created.id.clone(),
            draft: draft("premier contact, aime le foot"),
        },
    )
    .unwrap();
    assert_eq!(
        call(&w, &ListRencontres { since: 0 }).unwrap(),
        vec![updated]
    );
    assert_eq!(
        call(&w, &LastPlace {}).unwrap().as_deref(),
        Some("Discord du club")
    );
    // A draft kept while typing is forgotten once a rencontre is saved.
    let kept = filrouge_model::views::RencontreFormDraft {
        draft: draft("à moitié tapé"),
        ..Default::default()
    };
    call(
        &w,
        &filrouge_model::ipc::SaveFormDraft {
            draft: Some(kept.clone()),
        },
    )
    .unwrap();
    assert_eq!(
        call(&w, &filrouge_model::ipc::GetFormDraft {}).unwrap(),
        Some(kept)
    );
    call(
        &w,
        &CreateRencontre {
            draft: draft("fini"),
        },
    )
    .unwrap();
    assert_eq!(
        call(&w, &filrouge_model::ipc::GetFormDraft {}).unwrap(),
        None
    );
    let status = call(&w, &GetSyncStatus {}).unwrap();
    assert_eq!(
        (status.server_url.clone(), status.pending_changes),
        (None, 3)
    );
    let now = call(&w, &SyncNow {}).unwrap();
    assert_eq!(now.pending_changes, 3);
    // Each status is newer than the last, so the UI can drop answers that arrive late.
    assert!(now.version > status.version);
}

#[test]
fn errors_reach_the_ui_tagged() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, w) = app(dir.path());
    let bad = RencontreDraft {
        pseudonym: None,
        ..draft("")
    };
    match call(&w, &CreateRencontre { draft: bad }) {
        Err(IpcError::Validation(v)) => assert_eq!(v.field, Field::Headcount),
        other => panic!("expected a validation error, got {other:?}"),
    }
    let missing = call(
        &w,
        &UpdateRencontre {
            id: RecordId::parse(UNKNOWN).unwrap(),
            draft: draft("x"),
        },
    );
    assert_eq!(
        missing.unwrap_err(),
        IpcError::NotFound { id: UNKNOWN.into() }
    );
    let enrol = call(
        &w,
        &filrouge_model::ipc::Enrol {
            server_url: "pas une adresse".into(),
            code: "ABCD".into(),
            device_name: "Tel".into(),
            server_pin: None,
            team_secret: None,
        },
    );
    match enrol {
        Err(IpcError::Validation(v)) => assert_eq!(v.field, Field::ServerUrl),
        other => panic!("expected a validation error, got {other:?}"),
    }
    // An invite needs a team first; nothing is sent anywhere.
    let invite = call(
        &w,
        &filrouge_model::ipc::CreateInvite {
            role: filrouge_model::sync::Role::Intervenant,
        },
    );
    assert_eq!(invite.unwrap_err(), IpcError::NotEnrolled);
}

#[test]
fn the_persons_commands_round_trip_through_the_ipc_boundary() {
    use filrouge_model::ipc::{
        ChangeStage, CreatePerson, GetPerson, GetProfile, ListRelances, SearchPersons, SetProfile,
        SetRelanceStatus,
    };
    use filrouge_model::views::Profile;
    use filrouge_model::{PersonDraft, RelanceStatus, Stage};

    let dir = tempfile::tempdir().unwrap();
    let (_app, w) = app(dir.path());
    assert_eq!(call(&w, &GetProfile {}).unwrap(), Profile::default());
    let me = Profile {
        worker_name: Some("Karim".into()),
    };
    assert_eq!(
        call(
            &w,
            &SetProfile {
                profile: me.clone()
            }
        )
        .unwrap(),
        me
    );

    let eloise = call(
        &w,
        &CreatePerson {
            draft: PersonDraft::new("Éloïse"),
        },
    )
    .unwrap();
    let hits = call(
        &w,
        &SearchPersons {
            typed: "elo".into(),
            limit: 5,
        },
    )
    .unwrap();
    assert_eq!(hits, vec![eloise.clone()]);

    let today = today();
    let view = call(
        &w,
        &ChangeStage {
            person_id: eloise.id.clone(),
            stage: Stage::Accompagnement,
            date: today,
            note: None,
            exit: None,
        },
    )
    .unwrap();
    assert_eq!(view.person.stage, Some(Stage::Accompagnement));
    assert_eq!(view.timeline.len(), 1);
    assert_eq!(
        call(
            &w,
            &GetPerson {
                id: eloise.id.clone()
            }
        )
        .unwrap(),
        view
    );

    let mut with_relance = draft("à rappeler");
    with_relance.persons.insert(eloise.id.clone());
    with_relance.relance_due = Some(today);
    call(
        &w,
        &CreateRencontre {
            draft: with_relance,
        },
    )
    .unwrap();
    let due = call(
        &w,
        &ListRelances {
            until: today,
            limit: 10,
        },
    )
    .unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].person.as_deref(), Some("Éloïse"));
    call(
        &w,
        &SetRelanceStatus {
            id: due[0].id.clone(),
            status: RelanceStatus::Faite,
            due: None,
        },
    )
    .unwrap();
    assert!(
        call(
            &w,
            &ListRelances {
                until: today,
                limit: 10,
            }
        )
        .unwrap()
        .is_empty()
    );
    let planned = call(
        &w,
        &filrouge_model::ipc::PlanRelance {
            person_id: Some(eloise.id.clone()),
            due: today,
            reason: "Appeler la Mission locale".into(),
        },
    )
    .unwrap();
    let due = call(
        &w,
        &ListRelances {
            until: today,
            limit: 10,
        },
    )
    .unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].id, planned);

    let missing = "01890000-0000-7000-8000-000000000000".to_string();
    assert_eq!(
        call(
            &w,
            &GetPerson {
                id: RecordId::parse(&missing).unwrap()
            }
        )
        .unwrap_err(),
        IpcError::NotFound { id: missing }
    );
}

#[test]
fn the_events_commands_round_trip_through_the_ipc_boundary() {
    use filrouge_model::ipc::{CheckIn, CreateEvent, GetEvent, ListEvents, Register};
    use filrouge_model::{AgeBand, EventDraft, EventKind, RegistrationDraft};

    let dir = tempfile::tempdir().unwrap();
    let (_app, w) = app(dir.path());
    let today = today();
    let event = call(
        &w,
        &CreateEvent {
            draft: EventDraft {
                name: "Tournoi esport".into(),
                kind: EventKind::Esport,
                date: today,
                place: "Médiathèque".into(),
                partners: Vec::new(),
            },
        },
    )
    .unwrap();
    assert_eq!(
        call(&w, &ListEvents { limit: 10 }).unwrap(),
        vec![event.clone()]
    );
    let registered = call(
        &w,
        &Register {
            draft: RegistrationDraft {
                event_id: event.id.clone(),
                first_name_or_pseudonym: "Neo".into(),
                age_band: Some(AgeBand::From16To17),
                minor: true,
                contact: None,
                consent_given: false,
                checked_in_at: None,
                person_id: None,
            },
        },
    )
    .unwrap();
    assert_eq!(registered.event.registered, 1);
    let arrived = call(
        &w,
        &CheckIn {
            id: registered.registrations[0].id.clone(),
            event_id: event.id.clone(),
            arrived: true,
        },
    )
    .unwrap();
    assert_eq!(arrived.event.checked_in, 1);
    assert_eq!(call(&w, &GetEvent { id: event.id }).unwrap(), arrived);
}

#[test]
fn the_partners_commands_round_trip_through_the_ipc_boundary() {
    use filrouge_model::PersonDraft;
    use filrouge_model::ipc::{CreatePartner, CreatePerson, ListPartners, Orient};
    use filrouge_model::{OrientationDraft, OrientationStatus, PartnerDraft, PartnerKind};

    let dir = tempfile::tempdir().unwrap();
    let (_app, w) = app(dir.path());
    let partner = call(
        &w,
        &CreatePartner {
            draft: PartnerDraft {
                name: "France Travail Bobigny".into(),
                kind: PartnerKind::FranceTravail,
                contact: None,
                commune: Some("Bobigny".into()),
            },
        },
    )
    .unwrap();
    assert_eq!(
        call(&w, &ListPartners { limit: 10 }).unwrap(),
        vec![partner.clone()]
    );
    let person = call(
        &w,
        &CreatePerson {
            draft: PersonDraft::new("Samir"),
        },
    )
    .unwrap();
    let today = today();
    let mut draft = OrientationDraft {
        person_id: person.id.clone(),
        partner_id: Some(partner.id.clone()),
        partner_name: None,
        reason: "Inscription".into(),
        consent_given: false,
        status: OrientationStatus::Proposee,
        outcome: None,
        date: today,
    };
    match call(
        &w,
        &Orient {
            draft: draft.clone(),
        },
    ) {
        Err(IpcError::Validation(v)) => assert_eq!(v.field, Field::ConsentGiven),
        other => panic!("expected the consent to be required, got {other:?}"),
    }
    draft.consent_given = true;
    let view = call(&w, &Orient { draft }).unwrap();
    assert_eq!(view.timeline.len(), 1);
    assert_eq!(view.timeline[0].what.kind().code(), "orientation");
}

#[test]
fn the_lock_commands_open_and_shut_every_other_command() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, w) = locked_app(dir.path());
    let status = call(&w, &GetLockStatus {}).unwrap();
    assert_eq!(
        (status.state, status.kind, status.min_len, status.wiped_at),
        (LockState::Setup, SecretKind::Passphrase, 12, None)
    );
    assert_eq!(call(&w, &LastPlace {}), Err(IpcError::Locked));
    assert_eq!(
        call(&w, &GetSyncStatus {}).map(|_| ()),
        Err(IpcError::Locked)
    );
    assert_eq!(
        call(
            &w,
            &ChooseSecret {
                secret: "court".into()
            }
        ),
        Err(IpcError::WeakSecret {
            secret: SecretKind::Passphrase,
            min_len: 12
        })
    );
    let chosen = call(
        &w,
        &ChooseSecret {
            secret: PASSPHRASE.into(),
        },
    )
    .unwrap();
    assert_eq!(chosen.state, LockState::Open);
    assert_eq!(call(&w, &LastPlace {}), Ok(None));

    assert_eq!(call(&w, &Lock {}).unwrap().state, LockState::Locked);
    assert_eq!(call(&w, &LastPlace {}), Err(IpcError::Locked));
    assert_eq!(
        call(
            &w,
            &Unlock {
                secret: "pas la bonne phrase".into()
            }
        ),
        Err(IpcError::WrongSecret { attempts_left: 9 })
    );
    assert_eq!(call(&w, &GetLockStatus {}).unwrap().failed, 1);
    assert_eq!(
        call(
            &w,
            &Unlock {
                secret: PASSPHRASE.into()
            }
        )
        .unwrap()
        .state,
        LockState::Open
    );
    assert_eq!(
        call(&w, &SetIdleLock { minutes: 2 }).unwrap().idle_minutes,
        2
    );
    call(
        &w,
        &ChangeSecret {
            old: PASSPHRASE.into(),
            new: "une autre phrase de passe".into(),
        },
    )
    .unwrap();
    assert_eq!(call(&w, &LastPlace {}), Ok(None));
}
