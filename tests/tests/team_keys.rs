//! A team's keys, from its first device to the next ones, through a real server over
//! TLS: the first coordinator's device of a new team makes the team key and the server
//! starts key epoch 1; from then on every change leaves sealed, so the server's files
//! never hold a person's words. An invitation seals the keys under a secret that only
//! its link carries: the phone enrolled with the link reads the team's data and writes
//! to it. A device enrolled without the key reads nothing and its clear writes are
//! refused by the server; a link whose secret was altered enrols nothing.

use anyhow::Context as _;
use filrouge_core::CoreError;
use filrouge_core::app::Device;
use filrouge_core::sync::{self, HttpTransport, SyncReport, TransportError};
use filrouge_model::invite::{invite_link, parse_invite_link};
use filrouge_model::ipc::{CreateInvite, Enrol};
use filrouge_model::sync::{ErrorCode, Role};
use filrouge_model::{Channel, RencontreDraft};
use filrouge_tests::{
    TestServer, app_places as places, app_record, app_store as lock,
    open_app_device as open_device, server_files_hold,
};

const MARKER: &str = "Marqueur-K4Y5-parole-d-une-personne";

/// Runs one sync of an app-layer device with its own saved credentials.
fn sync_app(device: &Device) -> anyhow::Result<SyncReport> {
    let conn = lock(device)?.connection()?.context("enrolled")?;
    let mut transport = HttpTransport::pinned(&conn.url, &conn.token, conn.pin)?;
    Ok(sync::run(device.store(), &mut transport)?)
}

#[test]
fn a_new_team_seals_its_log_and_only_an_invitation_link_opens_it() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let (server, fingerprint) = TestServer::start_tls(dir.path())?;

    // The operator's first code makes the team's first coordinator: its device makes
    // the team key, and the server starts epoch 1 for it.
    let laptop = open_device(dir.path(), "laptop")?;
    laptop.enrol(Enrol {
        server_url: server.url.clone(),
        code: server.enrolment_code(Role::Coordinateur)?,
        device_name: "Portable de la coordination".into(),
        server_pin: Some(fingerprint.clone()),
        team_secret: None,
    })?;
    assert_eq!(
        lock(&laptop)?.keyring()?.current().map(|(epoch, _)| epoch),
        Some(1)
    );
    app_record(&laptop, "Gare du Nord", MARKER)?;
    sync_app(&laptop)?;

    // The invitation: its secret is in the link, never in what the server keeps.
    let invite = laptop.create_invite(CreateInvite {
        role: Role::Intervenant,
    })?;
    let secret = invite
        .team_secret
        .clone()
        .context("the link carries a key")?;
    let link = invite_link(
        &invite.server_url,
        &invite.code,
        invite.server_pin.as_deref(),
        Some(&secret),
    );
    let parsed = parse_invite_link(&link).context("the link parses")?;
    assert_eq!(parsed.key.as_deref(), Some(secret.as_str()));
    assert!(!server_files_hold(dir.path(), &secret)?);

    // A link whose secret was altered enrols nothing (the code is spent, and says so
    // on a second try: the coordinator makes a new invitation).
    let mut altered = secret.clone().into_bytes();
    altered[0] = if altered[0] == b'0' { b'1' } else { b'0' };
    let stray = open_device(dir.path(), "stray")?;
    let refused = stray.enrol(Enrol {
        server_url: parsed.server.clone(),
        code: parsed.code.clone(),
        device_name: "Téléphone".into(),
        server_pin: parsed.pin.clone(),
        team_secret: Some(String::from_utf8(altered)?),
    });
    assert!(
        matches!(refused, Err(CoreError::Validation(_))),
        "{refused:?}"
    );
    assert!(lock(&stray)?.connection()?.is_none(), "nothing saved");
    assert!(lock(&stray)?.keyring()?.is_empty());

    // The phone enrolled with a good link reads the team's data and writes to it.
    let invite = laptop.create_invite(CreateInvite {
        role: Role::Intervenant,
    })?;
    let parsed = parse_invite_link(&invite_link(
        &invite.server_url,
        &invite.code,
        invite.server_pin.as_deref(),
        invite.team_secret.as_deref(),
    ))
    .context("the link parses")?;
    assert_ne!(
        parsed.key.as_deref(),
        Some(secret.as_str()),
        "one secret per link"
    );
    let phone = open_device(dir.path(), "phone")?;
    phone.enrol(Enrol {
        server_url: parsed.server,
        code: parsed.code,
        device_name: "Téléphone de Lina".into(),
        server_pin: parsed.pin,
        team_secret: parsed.key,
    })?;
    sync_app(&phone)?;
    assert_eq!(places(&phone)?, ["Gare du Nord"]);
    app_record(&phone, "Parc de la Villette", MARKER)?;
    sync_app(&phone)?;
    sync_app(&laptop)?;
    assert_eq!(places(&laptop)?, ["Gare du Nord", "Parc de la Villette"]);

    // A device enrolled without the key (a code made on the server itself) reads
    // nothing: what it pulls stays sealed, waiting for a key. What it writes in clear
    // is refused by the server (409 stale epoch: clear is epoch 0) and stays in its
    // outbox; the team's devices would refuse it too (`sealing_tests`).
    let mut keyless = server.device(dir.path(), "sans-cle")?;
    keyless.sync()?;
    assert!(keyless.store().list_rencontres_since(0)?.is_empty());
    let (waiting, _) = keyless.store().set_aside_counts()?;
    assert!(waiting >= 2, "{waiting} changes waiting for a key");
    keyless.store().create_rencontre(RencontreDraft {
        channel: Channel::Maraude,
        place: "Écrit en clair".into(),
        occurred_at: Some(1_790_000_000_000),
        headcount: 1,
        ..RencontreDraft::default()
    })?;
    let refused = keyless.sync();
    assert!(
        matches!(
            refused,
            Err(CoreError::Transport(TransportError::Rejected {
                status: 409,
                code: Some(ErrorCode::StaleEpoch)
            }))
        ),
        "{refused:?}"
    );
    assert!(keyless.store().sync_status()?.pending_changes > 0, "kept");
    sync_app(&laptop)?;
    assert_eq!(places(&laptop)?, ["Gare du Nord", "Parc de la Villette"]);
    assert!(!server_files_hold(dir.path(), "Écrit en clair")?);

    // Nothing the team's devices wrote is readable in the server's files.
    assert!(!server_files_hold(dir.path(), MARKER)?);
    assert!(!server_files_hold(dir.path(), "Parc de la Villette")?);

    // The team starts again on a new server (its data directory lost): the laptop's
    // new key replaces the old team's instead of hiding behind it.
    let old = lock(&laptop)?.keyring()?.get(1).map(|k| *k.as_bytes());
    let again = dir.path().join("new-server");
    std::fs::create_dir_all(&again)?;
    let (server2, fingerprint2) = TestServer::start_tls(&again)?;
    laptop.enrol(Enrol {
        server_url: server2.url.clone(),
        code: server2.enrolment_code(Role::Coordinateur)?,
        device_name: "Portable de la coordination".into(),
        server_pin: Some(fingerprint2),
        team_secret: None,
    })?;
    let new = lock(&laptop)?.keyring()?.get(1).map(|k| *k.as_bytes());
    assert!(new.is_some() && new != old, "a key of the new team's own");
    sync_app(&laptop)?;
    assert!(
        !server_files_hold(&again, MARKER)?,
        "the heal is sealed too"
    );
    Ok(())
}
