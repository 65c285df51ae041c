//! A revocation rotates the team key, through a real server over TLS: the coordinator's
//! laptop revokes a stolen phone and starts key epoch 2, sealed to every remaining
//! device's own public key; from then on the server refuses changes sealed under epoch
//! 1, and what the team writes is sealed under a key the stolen phone was never given
//! (its copy of the keys opens nothing new). A phone that was offline during the
//! rotation catches up by itself: its push is refused as stale, it fetches its key and
//! pushes again. A key the server seals to a device on its own is never kept. A device
//! invited afterwards reads the whole history. When every device is lost, the printed
//! recovery key gives a new coordinator's device every epoch back.

use std::path::Path;

use anyhow::Context as _;
use filrouge_core::CoreError;
use filrouge_core::app::Device;
use filrouge_core::e2e::{Binding, DeviceSecret, SealError, TeamKey, open_change, seal_epoch_key};
use filrouge_core::sync::{HttpTransport, SyncReport, Transport as _, TransportError};
use filrouge_model::invite::{invite_link, parse_invite_link};
use filrouge_model::ipc::{
    CreateInvite, CreateRecoveryKey, Enrol, RecoverTeamKeys, RevokeDevice, TeamKeyProblem,
};
use filrouge_model::sync::{
    API_VERSION, ChangeBlob, ErrorCode, PullQuery, PushRequest, Role, sealed_epoch,
};
use filrouge_model::{Channel, RecordId, RencontreDraft};
use filrouge_tests::{
    TestServer, app_places as places, app_store as lock, open_app_device as open_device,
};

fn transport(device: &Device) -> anyhow::Result<HttpTransport> {
    let conn = lock(device)?.connection()?.context("enrolled")?;
    Ok(HttpTransport::pinned(&conn.url, &conn.token, conn.pin)?)
}

/// One sync as the background worker runs it: keys tended around it.
fn sync(device: &Device) -> Result<SyncReport, CoreError> {
    let conn = device
        .store()
        .lock()
        .map_err(|_| CoreError::Locked)?
        .connection()?
        .ok_or(CoreError::NotEnrolled)?;
    let mut transport = HttpTransport::pinned(&conn.url, &conn.token, conn.pin)?;
    device.sync_with_keys(&mut transport, &mut |_| {})
}

fn record(device: &Device, place: &str) -> anyhow::Result<RecordId> {
    let id = lock(device)?.create_rencontre(RencontreDraft {
        channel: Channel::Maraude,
        place: place.into(),
        note: "noté".into(),
        occurred_at: Some(1_790_000_000_000),
        headcount: 1,
        ..RencontreDraft::default()
    })?;
    Ok(id.id)
}

/// A device enrolled through an invitation link the laptop made.
fn invited(laptop: &Device, dir: &Path, name: &str) -> anyhow::Result<Device> {
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
    let device = open_device(dir, name)?;
    device.enrol(Enrol {
        server_url: parsed.server,
        code: parsed.code,
        device_name: name.into(),
        server_pin: parsed.pin,
        team_secret: parsed.key,
    })?;
    Ok(device)
}

/// Every blob of record `id` in the server's log, as the laptop pulls them raw.
fn blobs_of(laptop: &Device, id: &RecordId) -> anyhow::Result<Vec<ChangeBlob>> {
    let page = transport(laptop)?.pull(&PullQuery {
        api_version: API_VERSION,
        after: 0,
        max_bytes: Some(8 * 1024 * 1024),
    })?;
    Ok(page
        .changes
        .into_iter()
        .map(|c| c.blob)
        .filter(|b| b.doc_id == id.as_str())
        .collect())
}

#[test]
fn revoking_a_phone_starts_a_key_epoch_it_can_never_read() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let (server, fingerprint) = TestServer::start_tls(dir.path())?;
    let laptop = open_device(dir.path(), "laptop")?;
    laptop.enrol(Enrol {
        server_url: server.url.clone(),
        code: server.enrolment_code(Role::Coordinateur)?,
        device_name: "Portable".into(),
        server_pin: Some(fingerprint),
        team_secret: None,
    })?;
    let kept = invited(&laptop, dir.path(), "kept")?;
    let stolen = invited(&laptop, dir.path(), "stolen")?;
    record(&laptop, "Avant la perte")?;
    for device in [&laptop, &kept, &stolen] {
        sync(device)?;
    }
    assert_eq!(places(&stolen)?, ["Avant la perte"]);
    // What a thief copies off the phone before anyone knows it is gone.
    let stolen_keys = lock(&stolen)?.keyring()?;
    // The kept phone writes offline: its change waits in its outbox, sealed at push.
    record(&kept, "Hors ligne pendant la rotation")?;

    // The laptop revokes the stolen phone: key epoch 2 starts, sealed to the laptop
    // and the kept phone, not to the stolen one.
    let stolen_id = lock(&stolen)?.device_id()?.context("enrolled")?;
    let devices = laptop.revoke_device(RevokeDevice {
        id: stolen_id.clone(),
    })?;
    assert!(
        devices
            .iter()
            .any(|d| d.id == stolen_id && d.revoked_at.is_some())
    );
    assert_eq!(lock(&laptop)?.keyring()?.current().map(|(e, _)| e), Some(2));
    let list = transport(&laptop)?.devices()?;
    let epochs_of = |id: &str| {
        list.devices
            .iter()
            .find(|d| d.id == id)
            .map(|d| d.key_epochs.clone())
            .unwrap_or_default()
    };
    let kept_id = lock(&kept)?.device_id()?.context("enrolled")?;
    assert!(epochs_of(&kept_id).contains(&2), "{list:?}");
    assert!(!epochs_of(&stolen_id).contains(&2), "{list:?}");

    // What the team writes now is sealed under epoch 2: the thief's keys open nothing.
    let after = record(&laptop, "Après la perte")?;
    sync(&laptop)?;
    let blobs = blobs_of(&laptop, &after)?;
    assert!(!blobs.is_empty());
    let team_id = server.team_id.clone();
    for blob in &blobs {
        assert_eq!(sealed_epoch(&blob.data), Some(2));
        let binding = Binding {
            team: &team_id,
            doc_id: &blob.doc_id,
            kind: &blob.kind,
        };
        assert_eq!(
            open_change(&stolen_keys, &binding, &blob.data),
            Err(SealError::NoKey { epoch: 2 })
        );
    }

    // The server refuses a change sealed under the old epoch, whoever sends it.
    let stale = blobs_of(&laptop, &after)?
        .into_iter()
        .next()
        .context("a blob")?;
    let (_, old_key) = stolen_keys.current().context("epoch 1")?;
    let resealed = ChangeBlob {
        data: filrouge_core::e2e::seal_change(
            old_key,
            1,
            &Binding {
                team: &team_id,
                doc_id: &stale.doc_id,
                kind: &stale.kind,
            },
            b"old epoch",
        ),
        hash: "ab".repeat(32),
        ..stale
    };
    let refused = transport(&kept)?.push(&PushRequest {
        api_version: API_VERSION,
        changes: vec![resealed],
    });
    assert!(
        matches!(
            refused,
            Err(TransportError::Rejected {
                status: 409,
                code: Some(ErrorCode::StaleEpoch)
            })
        ),
        "{refused:?}"
    );

    // The kept phone, offline during the rotation, catches up in one sync: its push is
    // refused as stale, it fetches its key, pushes again under epoch 2, and reads on.
    sync(&kept)?;
    assert_eq!(lock(&kept)?.keyring()?.current().map(|(e, _)| e), Some(2));
    assert_eq!(
        places(&kept)?,
        [
            "Après la perte",
            "Avant la perte",
            "Hors ligne pendant la rotation"
        ]
    );
    sync(&laptop)?;
    assert_eq!(
        places(&laptop)?,
        [
            "Après la perte",
            "Avant la perte",
            "Hors ligne pendant la rotation"
        ]
    );

    // The stolen phone is cut off: its next sync erases what it holds.
    let gone = sync(&stolen);
    assert!(
        matches!(gone, Err(CoreError::Transport(TransportError::Revoked))),
        "{gone:?}"
    );

    // The server's operator seals a key of their own to the kept phone as "epoch 3":
    // without the commitment only a holder of epoch 2 can make, the phone keeps none
    // of it, and goes on writing under epoch 2.
    let kept_key = list
        .devices
        .iter()
        .find(|d| d.id == kept_id)
        .and_then(|d| d.public_key.clone())
        .context("the kept phone published its key")?;
    let public: [u8; 32] = kept_key.public_key.as_slice().try_into()?;
    let forged = TeamKey::random()?;
    let seal = seal_epoch_key(&forged, &[7; 32], 3, &team_id, &kept_id, &public)?;
    let db = rusqlite::Connection::open(dir.path().join("server.sqlite"))?;
    db.execute(
        "INSERT INTO epoch_keys (team_id, recipient, epoch, sealed) VALUES (?1, ?2, 3, ?3)",
        rusqlite::params![team_id, kept_id, seal],
    )?;
    db.execute("UPDATE teams SET key_epoch = 3", [])?;
    assert_eq!(kept.fetch_keys(&transport(&kept)?)?, 0);
    assert_eq!(lock(&kept)?.keyring()?.current().map(|(e, _)| e), Some(2));
    db.execute("UPDATE teams SET key_epoch = 2", [])?;
    db.execute("DELETE FROM epoch_keys WHERE epoch = 3", [])?;

    // A phone invited after the rotation reads the whole history, both epochs.
    let later = invited(&laptop, dir.path(), "later")?;
    sync(&later)?;
    assert_eq!(
        places(&later)?,
        [
            "Après la perte",
            "Avant la perte",
            "Hors ligne pendant la rotation"
        ]
    );
    assert_eq!(lock(&later)?.set_aside_counts()?, (0, 0));
    Ok(())
}

#[test]
fn the_recovery_key_brings_the_team_back_when_every_device_is_lost() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let (server, fingerprint) = TestServer::start_tls(dir.path())?;
    let laptop = open_device(dir.path(), "laptop")?;
    laptop.enrol(Enrol {
        server_url: server.url.clone(),
        code: server.enrolment_code(Role::Coordinateur)?,
        device_name: "Portable".into(),
        server_pin: Some(fingerprint.clone()),
        team_secret: None,
    })?;
    let phone = invited(&laptop, dir.path(), "phone")?;
    record(&laptop, "Avant la clé")?;
    sync(&laptop)?;
    sync(&phone)?;

    // The coordinator makes the recovery key and prints it.
    let printed = laptop.create_recovery_key(CreateRecoveryKey {})?;
    assert_eq!(printed.text.split('-').count(), 11);
    assert_eq!(transport(&laptop)?.devices()?.recovery_epochs, vec![1]);

    // A revocation later: the new epoch is sealed to the recovery key too.
    let phone_id = lock(&phone)?.device_id()?.context("enrolled")?;
    laptop.revoke_device(RevokeDevice { id: phone_id })?;
    let list = transport(&laptop)?.devices()?;
    assert_eq!(list.recovery_epochs, vec![1, 2]);
    record(&laptop, "Après la révocation")?;
    sync(&laptop)?;

    // Every device is lost. The operator enrols a new coordinator's device with a code
    // made on the server: it joins, and reads nothing.
    drop(laptop);
    let fresh = open_device(dir.path(), "fresh")?;
    fresh.enrol(Enrol {
        server_url: server.url.clone(),
        code: server.enrolment_code(Role::Coordinateur)?,
        device_name: "Nouveau portable".into(),
        server_pin: Some(fingerprint),
        team_secret: None,
    })?;
    sync(&fresh)?;
    assert!(places(&fresh)?.is_empty());
    assert!(lock(&fresh)?.set_aside_counts()?.0 > 0);

    // A mistyped key, or another team's, is refused with the reason; nothing is kept.
    let mut typo = printed.text.clone().into_bytes();
    typo[3] = if typo[3] == b'A' { b'C' } else { b'A' };
    let refused = fresh.recover_team_keys(RecoverTeamKeys {
        text: String::from_utf8(typo)?,
    });
    assert!(
        matches!(refused, Err(CoreError::Validation(_))),
        "{refused:?}"
    );
    let other = filrouge_core::e2e::recovery_text(&DeviceSecret::random()?);
    let refused = fresh.recover_team_keys(RecoverTeamKeys {
        text: other.to_string(),
    });
    assert!(
        matches!(
            refused,
            Err(CoreError::TeamKey {
                problem: TeamKeyProblem::NotTheTeams
            })
        ),
        "{refused:?}"
    );
    assert!(lock(&fresh)?.keyring()?.is_empty());

    // The printed key, typed in lower case with spaces: both epochs come back, and the
    // whole history opens.
    let typed = printed.text.to_lowercase().replace('-', " ");
    assert_eq!(fresh.recover_team_keys(RecoverTeamKeys { text: typed })?, 2);
    assert_eq!(places(&fresh)?, ["Après la révocation", "Avant la clé"]);
    assert_eq!(lock(&fresh)?.set_aside_counts()?, (0, 0));
    // It writes under the newest epoch, which the server takes.
    record(&fresh, "Après la reprise")?;
    sync(&fresh)?;
    Ok(())
}
