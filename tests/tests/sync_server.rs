//! The walking skeleton's sync story against a real server on port 0, over HTTPS with
//! its own certificate pinned: a rencontre made on one device reaches another;
//! concurrent offline edits converge; a repeated push is stored once; a wrong token gets 401.

use filrouge_core::CoreError;
use filrouge_core::sync::{Transport, TransportError};
use filrouge_model::sync::{API_VERSION, ChangeBlob, ErrorCode, PullQuery, PushRequest};
use filrouge_model::{Channel, RencontreDraft};
use filrouge_tests::TestServer;

fn draft(place: &str, note: &str) -> RencontreDraft {
    RencontreDraft {
        channel: Channel::EvenementSportif,
        place: place.into(),
        occurred_at: None,
        headcount: 4,
        pseudonym: None,
        note: note.into(),
        ..Default::default()
    }
}

#[test]
fn a_contact_reaches_the_second_device_and_offline_edits_converge() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let (server, _) = TestServer::start_tls(dir.path())?;
    let mut a = server.device(dir.path(), "tel-a")?;
    let mut b = server.device(dir.path(), "tel-b")?;

    let r = a
        .store()
        .create_rencontre(draft("Tournoi futsal", "4 jeunes, 16-18 ans"))?;
    assert_eq!(a.sync()?.pushed, 1);
    let report = b.sync()?;
    assert_eq!((report.pulled, report.docs_changed), (1, 1));
    assert_eq!(b.store().rencontre(&r.id)?, r);

    // Both offline: A changes the place, B the note; then both sync (B twice to see A's).
    a.store()
        .update_rencontre(&r.id, draft("Gymnase Jean Moulin", "4 jeunes, 16-18 ans"))?;
    b.store().update_rencontre(
        &r.id,
        draft("Tournoi futsal", "4 jeunes, 16-18 ans, relance lundi"),
    )?;
    a.sync()?;
    b.sync()?;
    a.sync()?;

    let (ra, rb) = (a.store().rencontre(&r.id)?, b.store().rencontre(&r.id)?);
    assert_eq!(ra, rb);
    assert_eq!(ra.place, "Gymnase Jean Moulin");
    assert_eq!(ra.note, "4 jeunes, 16-18 ans, relance lundi");
    assert_eq!(
        a.store().doc_infos()?,
        b.store().doc_infos()?,
        "same heads on both"
    );
    assert_eq!(
        a.store().list_rencontres_since(0)?,
        b.store().list_rencontres_since(0)?
    );
    assert_eq!(a.store().sync_status()?.pending_changes, 0);
    assert_eq!(b.store().sync_status()?.pending_changes, 0);
    Ok(())
}

#[test]
fn a_push_repeated_is_stored_once() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let (server, _) = TestServer::start_tls(dir.path())?;
    let mut a = server.device(dir.path(), "tel-a")?;
    a.store()
        .create_rencontre(draft("Maraude gare", "2 personnes"))?;
    // Capture the page the engine would send, send it twice by hand, as if the first
    // answer had been lost on the network.
    let page = match filrouge_core::sync::SyncEngine::new().next(&a.store())? {
        filrouge_core::sync::Step::Push(req) => req,
        other => anyhow::bail!("expected a push, got {other:?}"),
    };
    let first = a.transport.push(&page)?;
    let second = a.transport.push(&page)?;
    assert_eq!(first.acknowledged, second.acknowledged);
    a.sync()?;
    let log = a.transport.pull(&PullQuery {
        api_version: API_VERSION,
        after: 0,
        max_bytes: None,
    })?;
    assert_eq!(
        log.changes.len(),
        page.changes.len(),
        "each change stored once"
    );
    let seqs: Vec<u64> = log.changes.iter().map(|c| c.seq).collect();
    assert_eq!(seqs, (1..=page.changes.len() as u64).collect::<Vec<_>>());
    Ok(())
}

#[test]
fn a_wrong_token_gets_401_and_nothing() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let (server, _) = TestServer::start_tls(dir.path())?;
    let mut a = server.device(dir.path(), "tel-a")?;
    a.store()
        .create_rencontre(draft("Maraude gare", "secret"))?;
    a.sync()?;
    let mut intruder = server.transport(&"0".repeat(64))?;
    let pulled = intruder.pull(&PullQuery {
        api_version: API_VERSION,
        after: 0,
        max_bytes: None,
    });
    assert_eq!(pulled.unwrap_err(), TransportError::Unauthorized);
    let pushed = intruder.push(&PushRequest {
        api_version: API_VERSION,
        changes: vec![ChangeBlob {
            doc_id: "x".into(),
            kind: "rencontre".into(),
            hash: "a".repeat(64),
            data: vec![1, 2, 3],
        }],
    });
    assert_eq!(pushed.unwrap_err(), TransportError::Unauthorized);

    // A revoked device is refused at once, told so in so many words (the app then
    // erases it: tests/tests/revocation.rs); the sync itself erases nothing.
    server.server.revoke_device(&a.device_id)?;
    a.store()
        .create_rencontre(draft("Maraude gare", "après révocation"))?;
    assert!(matches!(
        a.sync(),
        Err(CoreError::Transport(TransportError::Revoked))
    ));
    assert_eq!(a.store().sync_status()?.pending_changes, 1);
    Ok(())
}

#[test]
fn a_used_enrolment_code_is_refused() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let (server, _) = TestServer::start_tls(dir.path())?;
    let code = server
        .server
        .create_enrolment_code(&server.team_id, filrouge_server::Role::Intervenant)?;
    filrouge_core::sync::enrol(&server.url, &code, "premier", server.pin())?;
    let again = filrouge_core::sync::enrol(&server.url, &code, "second", server.pin());
    assert!(
        matches!(
            again,
            Err(TransportError::Rejected {
                status: 403,
                code: Some(ErrorCode::InvalidEnrolmentCode)
            })
        ),
        "{again:?}"
    );
    Ok(())
}

#[test]
fn a_coordinators_device_invites_a_phone_that_then_syncs_with_the_team() -> anyhow::Result<()> {
    use filrouge_core::{Env, Store, sync};
    use filrouge_model::sync::Role;

    let dir = tempfile::tempdir()?;
    let (server, _) = TestServer::start_tls(dir.path())?;
    let mut laptop = server.device_with_role(dir.path(), "portable", Role::Coordinateur)?;
    assert_eq!(laptop.store().sync_status()?.role, Some(Role::Coordinateur));
    let r = laptop
        .store()
        .create_rencontre(draft("Local de l'équipe", ""))?;
    laptop.sync()?;

    // The laptop asks for a code; a new phone enrols with it and gets the team's data.
    let made = laptop.transport.create_code(Role::Intervenant, None)?;
    let enrolment = sync::enrol(&server.url, &made.code, "Téléphone de Lina", server.pin())?;
    assert_eq!(enrolment.role, Some(Role::Intervenant));
    let phone = std::sync::Mutex::new(Store::open(&dir.path().join("tel.sqlite"), Env::default())?);
    phone
        .lock()
        .map_err(|_| anyhow::anyhow!("poisoned"))?
        .save_enrolment(&server.url, &enrolment)?;
    let mut transport = server.transport(&enrolment.token)?;
    sync::run(&phone, &mut transport)?;
    let store = phone.lock().map_err(|_| anyhow::anyhow!("poisoned"))?;
    assert_eq!(store.rencontre(&r.id)?, r);
    assert_eq!(store.sync_status()?.role, Some(Role::Intervenant));

    // The phone cannot make codes: a worker's device is refused with 403.
    match transport.create_code(Role::Coordinateur, None) {
        Err(TransportError::Rejected { status: 403, code }) => {
            assert_eq!(code, Some(ErrorCode::Forbidden))
        }
        other => anyhow::bail!("expected a 403, got {other:?}"),
    }
    Ok(())
}
