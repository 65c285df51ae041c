//! A store written in clear by an earlier version held the device token in clear; once
//! it is encrypted, the device gets a new token before its next sync, against a real
//! server over HTTPS: the old token is then refused as unknown (`401`, never `revoked`,
//! so nothing is erased), the new one syncs, and a device killed after the server agreed
//! but before it kept the new token still gets there.

use std::sync::Mutex;

use filrouge_core::sync::{self, TransportError};
use filrouge_core::vault::DataKey;
use filrouge_core::{Env, Store};
use filrouge_tests::TestServer;

fn pull(server: &TestServer, token: &str) -> Result<(), TransportError> {
    let mut transport = server
        .transport(token)
        .map_err(|e| TransportError::Unreachable {
            detail: e.to_string(),
        })?;
    filrouge_tests::pull_from_start(&mut transport)
}

/// Checkpoints and closes the store at `path`, then copies its file to `to`.
fn copy_store(
    store: Mutex<Store>,
    path: &std::path::Path,
    to: &std::path::Path,
) -> anyhow::Result<()> {
    let store = store
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    store.checkpoint()?;
    drop(store);
    std::fs::copy(path, to)?;
    Ok(())
}

#[test]
fn encrypting_a_store_replaces_its_device_token_even_across_a_kill() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let (server, _) = TestServer::start_tls(dir.path())?;
    let device = server.device(dir.path(), "tel")?;
    let old_token = device.transport.token().to_owned();
    let id = device
        .store()
        .create_person(filrouge_tests::fixture_person())?;
    drop(device);
    let path = dir.path().join("tel.sqlite");
    let key = DataKey::random()?;

    // The store is encrypted: it asks for a new token. Step 1 (the new token drawn and
    // kept) happens; the store is copied there, as a kill would leave it later.
    let store = Mutex::new(Store::open_encrypted(&path, &key, Env::default())?);
    assert!(sync::prepare_token_rotation(&store)?);
    let snapshot = dir.path().join("tel-before-agreement.sqlite");
    copy_store(store, &path, &snapshot)?;

    // The whole rotation: the server agrees, the device keeps the new token.
    let store = Mutex::new(Store::open_encrypted(&path, &key, Env::default())?);
    let mut transport = server.transport(&old_token)?;
    assert!(sync::rotate_token_if_asked(&store, &mut transport)?);
    assert!(
        !sync::rotate_token_if_asked(&store, &mut transport)?,
        "done once"
    );
    let new_token = transport.token().to_owned();
    assert_ne!(new_token, old_token);
    assert_eq!(pull(&server, &old_token), Err(TransportError::Unauthorized));
    assert_eq!(pull(&server, &new_token), Ok(()));
    sync::run(&store, &mut transport)?;
    let connection = store
        .lock()
        .map_err(|_| anyhow::anyhow!("poisoned"))?
        .connection()?
        .ok_or_else(|| anyhow::anyhow!("not enrolled"))?;
    assert_eq!(connection.token, new_token, "the store keeps the new token");
    drop(store);

    // The device killed after the server agreed, before it kept the new token: it
    // holds the old token, which is refused now, and the pending one, which works.
    std::fs::copy(&snapshot, &path)?;
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let store = Mutex::new(Store::open_encrypted(&path, &key, Env::default())?);
    let mut transport = server.transport(&old_token)?;
    assert!(sync::rotate_token_if_asked(&store, &mut transport)?);
    assert_eq!(
        transport.token(),
        new_token,
        "the token the server already had"
    );
    sync::run(&store, &mut transport)?;
    assert!(
        store
            .lock()
            .map_err(|_| anyhow::anyhow!("poisoned"))?
            .person_hit(&id)
            .is_ok()
    );

    // A store that was never in clear asks for nothing.
    let fresh = dir.path().join("neuf.sqlite");
    let store = Mutex::new(Store::open_encrypted(&fresh, &key, Env::default())?);
    assert!(!sync::prepare_token_rotation(&store)?);
    Ok(())
}
