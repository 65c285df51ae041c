//! A lost or stolen phone: once a coordinator revokes it, its next sync erases what it
//! holds (the store's files, WAL included), and it says why. Nothing else erases a
//! device: not an unknown token (a server restored from an older backup), not a server
//! error, not a network failure.

use std::path::Path;

use filrouge_core::app::Device;
use filrouge_core::sync::{self, TransportError};
use filrouge_core::{CoreError, Env, Store};
use filrouge_model::ipc::SyncFailure;
use filrouge_model::sync::Role;
use filrouge_model::{Channel, RencontreDraft};
use filrouge_tests::TestServer;

const MARKER: &str = "Marqueur-7Q2Z-personne-perdue";

/// Whether any file in `dir` holds `needle`.
fn any_file_holds(dir: &Path, needle: &str) -> anyhow::Result<bool> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_file() {
            let bytes = std::fs::read(&path)?;
            if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

#[test]
fn a_revoked_phone_erases_what_it_holds_and_nothing_else_erases_it() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let (server, _) = TestServer::start_tls(dir.path())?;
    let coordinator = server.device_with_role(dir.path(), "coord", Role::Coordinateur)?;
    let phone_dir = dir.path().join("phone");
    std::fs::create_dir_all(&phone_dir)?;
    let path = phone_dir.join(filrouge_core::STORE_FILE);
    let code = server.enrolment_code(Role::Intervenant)?;
    let enrolment = sync::enrol(&server.url, &code, "Téléphone perdu", server.pin())?;
    let device = Device::open(&path, Env::default())?;
    let store = device.store();
    {
        let mut store = store.lock().map_err(|_| anyhow::anyhow!("poisoned"))?;
        store.save_enrolment(&server.url, &enrolment)?;
        store.save_server_pin(server.pin())?;
        store.create_rencontre(RencontreDraft {
            channel: Channel::Maraude,
            place: "Gare".into(),
            note: MARKER.into(),
            occurred_at: Some(1_790_000_000_000),
            headcount: 1,
            ..RencontreDraft::default()
        })?;
    }
    let mut transport = server.transport(&enrolment.token)?;
    sync::run(store, &mut transport)?;
    assert!(
        any_file_holds(&phone_dir, MARKER)?,
        "the marker is on the phone"
    );

    // Failures that are not a revocation erase nothing.
    for error in [
        TransportError::Unauthorized,
        TransportError::Unreachable {
            detail: "no network".into(),
        },
        TransportError::Rejected {
            status: 503,
            code: None,
        },
    ] {
        assert!(!device.wipe_if_revoked(&CoreError::Transport(error), &enrolment.token)?);
    }
    let mut stranger = server.transport(&"ab".repeat(32))?;
    let unknown = sync::run(store, &mut stranger).expect_err("an unknown token is refused");
    assert!(
        !device.wipe_if_revoked(&unknown, &"ab".repeat(32))?,
        "{unknown}"
    );
    assert!(any_file_holds(&phone_dir, MARKER)?);

    // The coordinator revokes the phone; its next sync is told so, and it erases.
    coordinator.transport.revoke(&enrolment.device_id)?;
    let revoked = sync::run(store, &mut transport).expect_err("a revoked phone is refused");
    assert!(
        matches!(revoked, CoreError::Transport(TransportError::Revoked)),
        "{revoked}"
    );
    // A revocation of a token this device no longer holds (it was enrolled again
    // meanwhile) erases nothing; of the one it holds, everything.
    assert!(!device.wipe_if_revoked(&revoked, "un-ancien-jeton")?);
    assert!(any_file_holds(&phone_dir, MARKER)?);
    assert!(device.wipe_if_revoked(&revoked, &enrolment.token)?);
    assert!(
        !any_file_holds(&phone_dir, MARKER)?,
        "nothing of it is left"
    );
    let status = device.sync_status()?;
    assert_eq!(status.server_url, None, "no longer enrolled");
    assert!(status.wiped_at.is_some());
    assert_eq!(
        filrouge_model::ipc::IpcError::from(revoked),
        filrouge_model::ipc::IpcError::Sync(SyncFailure::Revoked)
    );
    let store = Store::open(&path, Env::default())?;
    assert!(store.list_rencontres_since(0)?.is_empty());
    Ok(())
}
