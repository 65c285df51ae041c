//! The platform keystore's secret, with which a PIN is enough to seal the store's key.
//!
//! On a Linux desktop the keystore is the Secret Service (GNOME Keyring, KWallet),
//! reached over D-Bus by the `keyring` crate: it keeps one random 32-byte secret per
//! data directory, made when the worker first chooses a PIN. Argon2 mixes it into the
//! key that seals the store's key ([`filrouge_core::vault`]), so a copy of the data
//! directory alone cannot be attacked by trying every PIN. Where no keystore answers
//! (no Secret Service, a locked collection, a server without a desktop), there is no
//! secret and the worker chooses a passphrase instead. Android's path (a Tauri plugin
//! over the Android Keystore) is described in ARCHITECTURE.
//!
//! Nothing here is logged but the failure's kind: the secret never leaves this module
//! but to the [`filrouge_core::Gate`].

use std::path::Path;

/// The service name the secrets are kept under.
const SERVICE: &str = "fr.filrouge.app";
/// A secret's length.
const SECRET_BYTES: usize = 32;

/// The secret the keystore keeps for the data directory `dir`; with `create`, made and
/// kept when there is none. `None` when no keystore answers, or it lost the secret.
pub fn platform_secret(dir: &Path, create: bool) -> Option<Vec<u8>> {
    let entry = match keyring::Entry::new(SERVICE, &dir.to_string_lossy()) {
        Ok(entry) => entry,
        Err(e) => {
            tracing::info!(error = %e, "no platform keystore");
            return None;
        }
    };
    match entry.get_secret() {
        Ok(secret) if secret.len() == SECRET_BYTES => Some(secret),
        Ok(_) => {
            tracing::warn!("the keystore's secret has the wrong length");
            None
        }
        Err(keyring::Error::NoEntry) if create => {
            let mut secret = vec![0u8; SECRET_BYTES];
            getrandom::fill(&mut secret).ok()?;
            if let Err(e) = entry.set_secret(&secret) {
                tracing::info!(error = %e, "the keystore keeps no secret");
                return None;
            }
            // A keystore that takes a secret but does not give it back is none.
            match entry.get_secret() {
                Ok(kept) if kept == secret => Some(secret),
                _ => None,
            }
        }
        Err(e) => {
            tracing::info!(error = %e, "no secret from the platform keystore");
            None
        }
    }
}

/// Forgets the secret of `dir` (tests; a device erased for good).
#[cfg(test)]
fn forget(dir: &Path) {
    if let Ok(entry) = keyring::Entry::new(SERVICE, &dir.to_string_lossy()) {
        let _ = entry.delete_credential();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use filrouge_core::{CoreError, Env, Gate};
    use filrouge_model::ipc::{ChooseSecret, LockState, SecretKind, Unlock};

    #[test]
    #[ignore = "needs a Secret Service: scripts/test.sh runs it under dbus-run-session with gnome-keyring"]
    fn needs_secret_service_a_pin_with_the_keystore_opens_the_store_and_a_copy_alone_does_not() {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let secret = platform_secret(a.path(), true).expect("a Secret Service answers");
        assert_eq!(secret.len(), SECRET_BYTES);
        assert_eq!(
            platform_secret(a.path(), false),
            Some(secret.clone()),
            "kept"
        );
        assert_eq!(
            platform_secret(b.path(), false),
            None,
            "one per data directory"
        );

        let store = a.path().join(filrouge_core::STORE_FILE);
        let gate = Gate::new(&store, Env::default(), Some(secret.clone()));
        let status = gate.lock_status().unwrap();
        assert_eq!((status.kind, status.min_len), (SecretKind::Pin, 6));
        gate.choose_secret(ChooseSecret {
            secret: "482913".into(),
        })
        .unwrap();
        drop(gate);

        // A restart, the keystore's secret read again: the PIN opens.
        let again = platform_secret(a.path(), false);
        let gate = Gate::new(&store, Env::default(), again);
        let opened = gate.unlock(Unlock {
            secret: "482913".into(),
        });
        assert_eq!(opened.unwrap().state, LockState::Open);
        drop(gate);

        // The data directory copied elsewhere, without the keystore: the right PIN is
        // wrong there, and without any secret the lock says the keystore is missing
        // rather than counting attempts.
        let other = platform_secret(b.path(), true).expect("a second secret");
        let gate = Gate::new(&store, Env::default(), Some(other));
        assert!(matches!(
            gate.unlock(Unlock {
                secret: "482913".into()
            }),
            Err(CoreError::WrongSecret { .. })
        ));
        let gate = Gate::new(&store, Env::default(), None);
        assert!(matches!(
            gate.unlock(Unlock {
                secret: "482913".into()
            }),
            Err(CoreError::KeystoreUnavailable)
        ));
        forget(a.path());
        forget(b.path());
        assert_eq!(platform_secret(a.path(), false), None);
    }
}
