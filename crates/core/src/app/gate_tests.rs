//! The lock's story as the shell drives it: a secret chosen, the store opened and
//! encrypted, the screen locked while the sync goes on, a restart that needs the
//! secret, ten wrong secrets that lose the store, and a store from an earlier version
//! encrypted when the secret is chosen.

use filrouge_model::PersonDraft;
use filrouge_model::ipc::{
    ChangeSecret, ChooseSecret, LockState, SearchPersons, SecretKind, SetIdleLock, Unlock,
};

use super::gate::{DEFAULT_IDLE_MINUTES, Gate};
use crate::store::tests::{NOW, TestClock};
use crate::vault::{MAX_ATTEMPTS, migrate};
use crate::{CoreError, Env, Store};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

const KEYSTORE: &[u8] = b"the keystore's secret";
const PIN: &str = "482913";
const MARKER: &str = "Zorglubine Verrou-6464";

fn gate(dir: &tempfile::TempDir) -> Gate {
    Gate::new(
        &dir.path().join("filrouge.sqlite"),
        Env::default(),
        Some(KEYSTORE.to_vec()),
    )
}

fn choose(secret: &str) -> ChooseSecret {
    ChooseSecret {
        secret: secret.into(),
    }
}

fn unlock(secret: &str) -> Unlock {
    Unlock {
        secret: secret.into(),
    }
}

fn hits(gate: &Gate) -> usize {
    gate.device()
        .unwrap()
        .search_persons(SearchPersons {
            typed: "zorglub".into(),
            limit: 5,
        })
        .unwrap()
        .len()
}

#[test]
fn a_chosen_pin_opens_the_store_and_a_restart_or_an_idle_lock_needs_it_again() {
    let dir = tempfile::tempdir().unwrap();
    let gate = gate(&dir);
    let status = gate.lock_status().unwrap();
    assert_eq!(
        (status.state, status.kind, status.min_len),
        (LockState::Setup, SecretKind::Pin, 6)
    );
    assert!(matches!(gate.device(), Err(CoreError::Locked)));
    assert!(matches!(
        gate.choose_secret(choose("1234")),
        Err(CoreError::WeakSecret { min_len: 6, .. })
    ));
    assert_eq!(
        gate.choose_secret(choose(PIN)).unwrap().state,
        LockState::Open
    );
    assert_eq!(
        gate.lock_status().unwrap().idle_minutes,
        DEFAULT_IDLE_MINUTES
    );
    gate.device()
        .unwrap()
        .lock()
        .create_person(PersonDraft::new(MARKER))
        .unwrap();
    assert!(matches!(
        gate.choose_secret(choose(PIN)),
        Err(CoreError::KeyExists)
    ));

    // Idle: the screens are refused, the sync still has the store.
    assert_eq!(gate.lock().unwrap().state, LockState::Locked);
    assert!(matches!(gate.device(), Err(CoreError::Locked)));
    assert!(gate.opened().is_some());
    assert!(matches!(
        gate.unlock(unlock("000000")),
        Err(CoreError::WrongSecret { attempts_left }) if attempts_left == MAX_ATTEMPTS - 1
    ));
    assert_eq!(gate.lock_status().unwrap().failed, 1);
    assert_eq!(gate.unlock(unlock(PIN)).unwrap().state, LockState::Open);
    assert_eq!(hits(&gate), 1);
    assert_eq!(
        gate.set_idle_lock(SetIdleLock { minutes: 500 })
            .unwrap()
            .idle_minutes,
        60
    );

    // A restart: the key is not in memory, the store stays shut until the PIN.
    drop(gate);
    let gate = self::gate(&dir);
    assert_eq!(gate.lock_status().unwrap().state, LockState::Locked);
    assert!(gate.opened().is_none());
    assert!(matches!(
        Store::open(&dir.path().join("filrouge.sqlite"), Env::default()),
        Err(CoreError::WrongKey)
    ));
    gate.unlock(unlock(PIN)).unwrap();
    assert_eq!(hits(&gate), 1);
    assert_eq!(gate.lock_status().unwrap().idle_minutes, 60);

    // A new PIN; the old one no longer opens.
    gate.change_secret(ChangeSecret {
        old: PIN.into(),
        new: "90210777".into(),
    })
    .unwrap();
    drop(gate);
    let gate = self::gate(&dir);
    assert!(gate.unlock(unlock(PIN)).is_err());
    gate.unlock(unlock("90210777")).unwrap();
    assert_eq!(hits(&gate), 1);
}

#[test]
fn ten_wrong_pins_lose_the_store_and_a_new_pin_starts_an_empty_one() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(TestClock(AtomicI64::new(NOW)));
    let env = Env {
        clock: clock.clone(),
        ..Env::default()
    };
    let path = dir.path().join("filrouge.sqlite");
    let gate = Gate::new(&path, env.clone(), Some(KEYSTORE.to_vec()));
    gate.choose_secret(choose(PIN)).unwrap();
    gate.device()
        .unwrap()
        .lock()
        .create_person(PersonDraft::new(MARKER))
        .unwrap();
    gate.lock().unwrap();
    for failed in 1..MAX_ATTEMPTS {
        // Behind an idle lock, then after restarts: the count is the same one.
        let restarted;
        let gate = if failed % 3 == 0 {
            restarted = Gate::new(&path, env.clone(), Some(KEYSTORE.to_vec()));
            &restarted
        } else {
            &gate
        };
        let wait = gate.lock_status().unwrap().wait_ms;
        if wait > 0 {
            assert!(matches!(
                gate.unlock(unlock(PIN)),
                Err(CoreError::TooSoon { .. })
            ));
            clock.0.fetch_add(wait, Ordering::SeqCst);
        }
        assert!(matches!(
            gate.unlock(unlock("000000")),
            Err(CoreError::WrongSecret { attempts_left }) if attempts_left == MAX_ATTEMPTS - failed
        ));
    }
    let wait = gate.lock_status().unwrap().wait_ms;
    clock.0.fetch_add(wait, Ordering::SeqCst);
    assert!(matches!(
        gate.unlock(unlock("000000")),
        Err(CoreError::KeyDestroyed)
    ));
    assert!(
        gate.opened().is_none(),
        "the open store closed with its key"
    );
    assert_eq!(gate.lock_status().unwrap().state, LockState::Destroyed);
    assert!(matches!(
        gate.unlock(unlock(PIN)),
        Err(CoreError::KeyDestroyed)
    ));

    // A new PIN starts an empty store, which a coordinator enrols again.
    assert_eq!(
        gate.choose_secret(choose("7395012")).unwrap().state,
        LockState::Open
    );
    assert_eq!(hits(&gate), 0);
}

#[test]
fn a_store_from_an_earlier_version_is_encrypted_when_the_secret_is_chosen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("filrouge.sqlite");
    {
        let mut store = Store::open(&path, Env::default()).unwrap();
        store.create_person(PersonDraft::new(MARKER)).unwrap();
    }
    let gate = Gate::new(&path, Env::default(), None);
    let status = gate.lock_status().unwrap();
    assert_eq!(
        (status.state, status.kind, status.min_len),
        (LockState::Setup, SecretKind::Passphrase, 12)
    );
    gate.choose_secret(choose("une phrase assez longue"))
        .unwrap();
    assert_eq!(hits(&gate), 1);
    assert!(!migrate::is_plaintext(&path).unwrap());
}

#[test]
fn a_device_past_its_offline_lease_stays_shut_until_it_syncs() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(TestClock(AtomicI64::new(NOW)));
    let env = Env {
        clock: clock.clone(),
        ..Env::default()
    };
    let gate = Gate::new(
        &dir.path().join("filrouge.sqlite"),
        env,
        Some(KEYSTORE.to_vec()),
    );
    gate.choose_secret(choose(PIN)).unwrap();
    let day = 86_400_000;
    // Not enrolled: no lease, however long.
    clock.0.fetch_add(400 * day, Ordering::SeqCst);
    assert_eq!(gate.lock_status().unwrap().state, LockState::Open);

    let now = clock.0.load(Ordering::SeqCst);
    {
        let device = gate.device().unwrap();
        let mut store = device.lock();
        store
            .save_enrolment(
                "https://equipe.example.org",
                &filrouge_model::sync::EnrolResponse {
                    api_version: filrouge_model::sync::API_VERSION,
                    team_id: "equipe".into(),
                    device_id: "tel".into(),
                    token: "f00d".repeat(16),
                    role: None,
                    log_id: "journal".into(),
                    lease_days: Some(7),
                    key_epoch: 0,
                    sealed_keys: None,
                },
            )
            .unwrap();
        store.set_meta("last_success_at", &now.to_string()).unwrap();
    }
    clock.0.fetch_add(6 * day, Ordering::SeqCst);
    assert!(gate.device().is_ok());
    clock.0.fetch_add(2 * day, Ordering::SeqCst);
    assert!(matches!(
        gate.device(),
        Err(CoreError::LeaseExpired { days: 7 })
    ));
    let status = gate.lock_status().unwrap();
    assert_eq!(
        (status.state, status.lease_days),
        (LockState::LeaseExpired, 7)
    );
    // The sync still has the store, and the form being typed is still kept.
    let device = gate.opened().unwrap();
    assert!(
        gate.save_form_draft(filrouge_model::ipc::SaveFormDraft { draft: None })
            .is_ok()
    );
    // The secret is not even tried before a sync (no attempt counted).
    assert!(matches!(
        gate.unlock(unlock(PIN)),
        Err(CoreError::LeaseExpired { days: 7 })
    ));
    assert_eq!(gate.lock_status().unwrap().failed, 0);
    // A successful sync renews the lease; the lock then asks for the secret again, so
    // a phone taken from the lease screen and put online does not open by itself.
    let synced = clock.0.load(Ordering::SeqCst);
    device
        .lock()
        .set_meta("last_success_at", &synced.to_string())
        .unwrap();
    assert_eq!(gate.lock_status().unwrap().state, LockState::Locked);
    assert!(matches!(gate.device(), Err(CoreError::Locked)));
    assert_eq!(gate.unlock(unlock(PIN)).unwrap().state, LockState::Open);
    assert!(gate.device().is_ok());

    // After a restart past the lease: the secret opens the store (the lease is inside
    // it), which then shows the lease.
    clock.0.fetch_add(8 * day, Ordering::SeqCst);
    drop(gate);
    let gate = Gate::new(
        &dir.path().join("filrouge.sqlite"),
        Env {
            clock: clock.clone(),
            ..Env::default()
        },
        Some(KEYSTORE.to_vec()),
    );
    assert_eq!(
        gate.unlock(unlock(PIN)).unwrap().state,
        LockState::LeaseExpired
    );
    assert!(gate.opened().is_some(), "open for the sync");
}
