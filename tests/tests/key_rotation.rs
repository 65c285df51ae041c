//! A revocation rotates the team key, through a real server over TLS: the coordinator's
//! laptop revokes a stolen phone and starts key epoch 2, sealed to every remaining
//! device's own public key; from then on the server refuses changes sealed under epoch
//! 1, and what the team writes is sealed under a key the stolen phone was never given
//! (its copy of the keys opens nothing new). A phone that was offline during the
//! rotation catches up by itself: its push is refused as stale, it fetches its key and
//! pushes again. A key the server seals to a device on its own is never kept. A device
//! invited afterwards reads the whole history. When every device is lost, the printed
//! recovery key gives a new coordinator's device every epoch back.

use anyhow::Context as _;
use filrouge_core::CoreError;
use filrouge_core::app::Device;
use filrouge_core::e2e::{
    BatchChange, DeviceSecret, SealError, TeamKey, open_batch, seal_batch, seal_epoch_key,
};
use filrouge_core::sync::{Transport as _, TransportError};
use filrouge_model::ipc::{
    CreateRecoveryKey, Enrol, RecoverTeamKeys, RevokeDevice, TeamKeyProblem,
};
use filrouge_model::sync::{
    API_VERSION, BatchMember, ChangeBlob, ErrorCode, PullQuery, PushRequest, Role,
    read_batch_header, sealed_epoch,
};
use filrouge_model::{Channel, RecordId, RencontreDraft};
use filrouge_tests::{
    TestServer, app_first_coordinator as first_coordinator, app_invited as invited,
    app_places as places, app_store as lock, app_sync as sync, app_transport as transport,
    open_app_device as open_device,
};
use sha2::Digest as _;

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
        .filter(|b| read_batch_header(&b.data).is_ok_and(|h| h.holds(id.as_str())))
        .collect())
}

#[test]
fn revoking_a_phone_starts_a_key_epoch_it_can_never_read() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let (server, fingerprint) = TestServer::start_tls(dir.path())?;
    let laptop = first_coordinator(&server, dir.path(), &fingerprint)?;
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
        assert_eq!(
            open_batch(&stolen_keys, &team_id, &blob.data),
            Err(SealError::NoKey { epoch: 2 })
        );
    }

    // The server refuses a change sealed under the old epoch, whoever sends it.
    let stale = blobs_of(&laptop, &after)?
        .into_iter()
        .next()
        .context("a blob")?;
    let (_, old_key) = stolen_keys.current().context("epoch 1")?;
    let data = seal_batch(
        old_key,
        1,
        &team_id,
        &[BatchChange {
            member: BatchMember {
                doc_id: after.as_str().to_owned(),
                kind: "personne".into(),
            },
            data: b"old epoch".to_vec(),
        }],
    );
    let resealed = ChangeBlob {
        hash: hex::encode(sha2::Sha256::digest(&data)),
        data,
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
    let laptop = first_coordinator(&server, dir.path(), &fingerprint)?;
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
