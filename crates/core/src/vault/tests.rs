//! The key file's story: a secret seals the key, wrong attempts count down across
//! restarts and end in a destroyed key, a changed secret re-seals the same key, and the
//! store opens only with its key.

use super::*;
use crate::{Env, Store};
use filrouge_model::PersonDraft;

const PLATFORM: &[u8] = b"secret held by the keystore";
const MARKER: &str = "Zorglubine Chiffree-7373";

fn store_path(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("filrouge.sqlite")
}

/// Whether any file in `dir` holds `needle` as raw bytes.
fn any_file_holds(dir: &Path, needle: &[u8]) -> bool {
    std::fs::read_dir(dir).unwrap().any(|entry| {
        std::fs::read(entry.unwrap().path())
            .is_ok_and(|bytes| bytes.windows(needle.len()).any(|w| w == needle))
    })
}

#[test]
fn the_secret_unseals_the_key_that_opens_the_store_and_nothing_is_in_clear() {
    let dir = tempfile::tempdir().unwrap();
    let path = store_path(&dir);
    let (_vault, key) = Vault::create(&path, Protection::Pin, "482913", Some(PLATFORM)).unwrap();
    {
        let mut store = Store::open_encrypted(&path, &key, Env::default()).unwrap();
        store.create_person(PersonDraft::new(MARKER)).unwrap();
        store.checkpoint().unwrap();
        assert!(!any_file_holds(dir.path(), MARKER.as_bytes()));
        assert!(!any_file_holds(
            dir.path(),
            hex::encode(key.0.as_ref()).as_bytes()
        ));
    }
    let mut vault = Vault::read(&path).unwrap().unwrap();
    let again = vault.unlock("482913", Some(PLATFORM), 0).unwrap();
    let store = Store::open_encrypted(&path, &again, Env::default()).unwrap();
    assert_eq!(store.search_persons("zorglubine", 5).unwrap().len(), 1);
}

#[test]
fn a_wrong_key_or_no_key_is_a_clear_error_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = store_path(&dir);
    let key = DataKey::random().unwrap();
    drop(Store::open_encrypted(&path, &key, Env::default()).unwrap());
    let before = std::fs::read(&path).unwrap();
    let other = DataKey::random().unwrap();
    assert!(matches!(
        Store::open_encrypted(&path, &other, Env::default()),
        Err(CoreError::WrongKey)
    ));
    assert!(matches!(
        Store::open(&path, Env::default()),
        Err(CoreError::WrongKey)
    ));
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "never a new empty store"
    );
    assert!(Store::open_encrypted(&path, &key, Env::default()).is_ok());
}

#[test]
fn wrong_attempts_wait_then_destroy_the_key_and_the_count_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = store_path(&dir);
    let (_, key) = Vault::create(&path, Protection::Pin, "482913", Some(PLATFORM)).unwrap();
    drop(Store::open_encrypted(&path, &key, Env::default()).unwrap());
    let mut now = 1_000_000;
    for failed in 1..FREE_ATTEMPTS - 1 {
        // Read again each time: the count is on disk, not in memory.
        let mut vault = Vault::read(&path).unwrap().unwrap();
        match vault.unlock("000000", Some(PLATFORM), now) {
            Err(CoreError::WrongSecret { attempts_left }) => {
                assert_eq!(attempts_left, MAX_ATTEMPTS - failed)
            }
            other => panic!("expected a wrong secret, got {other:?}"),
        }
    }
    // The right PIN from another keystore is wrong; from the one that sealed it, it
    // clears the count.
    let mut vault = Vault::read(&path).unwrap().unwrap();
    assert!(matches!(
        vault.unlock("482913", Some(b"another keystore"), now),
        Err(CoreError::WrongSecret { attempts_left }) if attempts_left == MAX_ATTEMPTS + 1 - FREE_ATTEMPTS
    ));
    vault.unlock("482913", Some(PLATFORM), now).unwrap();
    assert_eq!(Vault::read(&path).unwrap().unwrap().attempts(now).failed, 0);

    let mut waits = Vec::new();
    for failed in 1..MAX_ATTEMPTS {
        let mut vault = Vault::read(&path).unwrap().unwrap();
        vault.unlock("111111", Some(PLATFORM), now).unwrap_err();
        let attempts = Vault::read(&path).unwrap().unwrap().attempts(now);
        assert_eq!(
            (attempts.failed, attempts.left),
            (failed, MAX_ATTEMPTS - failed)
        );
        if attempts.wait_ms > 0 {
            // Even the right PIN waits.
            assert!(matches!(
                vault.unlock("482913", Some(PLATFORM), now),
                Err(CoreError::TooSoon { .. })
            ));
            waits.push(attempts.wait_ms);
            now += attempts.wait_ms;
        }
    }
    assert_eq!(waits.len() as u32, MAX_ATTEMPTS - FREE_ATTEMPTS);
    assert!(waits.windows(2).all(|w| w[1] > w[0]), "{waits:?} grows");
    let mut vault = Vault::read(&path).unwrap().unwrap();
    assert!(matches!(
        vault.unlock("111111", Some(PLATFORM), now),
        Err(CoreError::KeyDestroyed)
    ));
    assert!(
        Vault::read(&path).unwrap().is_none(),
        "the key file is gone"
    );
    // The store is still there, and unreadable by anyone.
    assert!(path.exists());
    assert!(matches!(
        Store::open(&path, Env::default()),
        Err(CoreError::WrongKey)
    ));
}

#[test]
fn changing_the_pin_reseals_the_same_key_without_touching_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let path = store_path(&dir);
    let (mut vault, key) = Vault::create(&path, Protection::Pin, "482913", Some(PLATFORM)).unwrap();
    drop(Store::open_encrypted(&path, &key, Env::default()).unwrap());
    let store_bytes = std::fs::read(&path).unwrap();
    assert!(matches!(
        vault.change_secret("482913", "12345", Some(PLATFORM), 0),
        Err(CoreError::WeakSecret { min_len: 6, .. })
    ));
    vault
        .change_secret("482913", "7395012", Some(PLATFORM), 0)
        .unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), store_bytes);
    let mut vault = Vault::read(&path).unwrap().unwrap();
    assert!(matches!(
        vault.unlock("482913", Some(PLATFORM), 0),
        Err(CoreError::WrongSecret { .. })
    ));
    let key = vault.unlock("7395012", Some(PLATFORM), 0).unwrap();
    assert!(Store::open_encrypted(&path, &key, Env::default()).is_ok());
}

#[test]
fn secrets_follow_their_rules_and_a_key_file_is_never_replaced() {
    assert!(Protection::Pin.check("123456").is_ok());
    assert!(Protection::Pin.check("12345").is_err());
    assert!(Protection::Pin.check("12345a").is_err());
    assert!(Protection::Passphrase.check("onze lettre").is_err());
    assert!(Protection::Passphrase.check("douze lettres").is_ok());
    assert!(Protection::Passphrase.check("            ").is_err());
    let pin = Protection::Pin.cost();
    assert!(
        pin.memory_kib >= 19 * 1024 && pin.passes >= 2,
        "OWASP's minimum"
    );
    assert!(Protection::Passphrase.cost().memory_kib > pin.memory_kib);

    let dir = tempfile::tempdir().unwrap();
    let path = store_path(&dir);
    let (_, _key) = Vault::create(
        &path,
        Protection::Passphrase,
        "une phrase assez longue",
        None,
    )
    .unwrap();
    assert!(matches!(
        Vault::create(
            &path,
            Protection::Passphrase,
            "une autre phrase longue",
            None
        ),
        Err(CoreError::KeyExists)
    ));
    // A file edited to claim the cheaper protection does not open.
    let text = std::fs::read_to_string(key_path(&path)).unwrap();
    std::fs::write(key_path(&path), text.replace("\"passphrase\"", "\"pin\"")).unwrap();
    let mut vault = Vault::read(&path).unwrap().unwrap();
    assert!(matches!(
        vault.unlock("une phrase assez longue", None, 0),
        Err(CoreError::WrongSecret { .. })
    ));
    std::fs::write(key_path(&path), "{not json").unwrap();
    assert!(matches!(Vault::read(&path), Err(CoreError::DamagedKeyFile)));
}

#[test]
fn a_store_written_in_clear_is_encrypted_at_first_open_with_a_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = store_path(&dir);
    let id = {
        let mut store = Store::open(&path, Env::default()).unwrap();
        store.create_person(PersonDraft::new(MARKER)).unwrap()
    };
    assert!(
        any_file_holds(dir.path(), MARKER.as_bytes()),
        "in clear before"
    );
    let key = DataKey::random().unwrap();
    let mut steps = Vec::new();
    assert!(migrate::encrypt_plaintext(&path, &key, &mut |s| steps.push(s)).unwrap());
    assert_eq!(steps, migrate::Step::ALL);
    assert!(
        !any_file_holds(dir.path(), MARKER.as_bytes()),
        "in no file after"
    );
    let store = Store::open_encrypted(&path, &key, Env::default()).unwrap();
    assert_eq!(store.person_hit(&id).unwrap().pseudonym, MARKER);
    // Already encrypted: nothing to do.
    assert!(!migrate::encrypt_plaintext(&path, &key, &mut |_| {}).unwrap());
}

#[test]
fn a_destruction_cut_short_reads_as_destroyed_and_a_damaged_file_counts_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = store_path(&dir);
    Vault::create(&path, Protection::Pin, "482913", Some(PLATFORM)).unwrap();
    // Overwritten with zeros, not yet deleted (a power cut in `destroy`).
    let len = std::fs::metadata(key_path(&path)).unwrap().len() as usize;
    std::fs::write(key_path(&path), vec![0u8; len]).unwrap();
    assert!(Vault::read(&path).unwrap().is_none());
    assert!(!key_path(&path).exists(), "finished");

    // A key file whose salt is not hex: damaged, and no attempt is counted.
    Vault::create(&path, Protection::Pin, "482913", Some(PLATFORM)).unwrap();
    let text = std::fs::read_to_string(key_path(&path)).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let salt = json["salt"].as_str().unwrap().to_owned();
    std::fs::write(key_path(&path), text.replace(&salt, "pas-de-l-hex")).unwrap();
    let mut vault = Vault::read(&path).unwrap().unwrap();
    assert!(matches!(
        vault.unlock("482913", Some(PLATFORM), 0),
        Err(CoreError::DamagedKeyFile)
    ));
    assert_eq!(Vault::read(&path).unwrap().unwrap().attempts(0).failed, 0);
}

#[test]
fn pages_are_authenticated_with_hmac_sha256_at_every_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = store_path(&dir);
    let bytes: [u8; 32] = std::array::from_fn(|i| (i as u8).wrapping_mul(37) ^ 0xa5);
    let key = DataKey::from_bytes(bytes);
    {
        // A store written in clear, then encrypted by the migration.
        let mut store = Store::open(&path, Env::default()).unwrap();
        store.create_person(PersonDraft::new(MARKER)).unwrap();
    }
    let store = Store::open_encrypted(&path, &key, Env::default()).unwrap();
    let used: String = store
        .conn
        .query_row("PRAGMA cipher_hmac_algorithm", [], |r| r.get(0))
        .unwrap();
    assert_eq!(used, PAGE_HMAC);
    drop(store);
    // Keyed by hand with the raw key's hex and each HMAC named on the connection: the
    // key is the bytes themselves (a store an earlier version keyed opens), and
    // SQLCipher's own default (SHA-512) cannot read it: the setting is in force.
    let by_hand = |hmac: &str| {
        let other = rusqlite::Connection::open(&path).unwrap();
        other
            .execute_batch(&format!(
                "PRAGMA key = \"x'{}'\"; PRAGMA cipher_hmac_algorithm = {hmac};",
                hex::encode(bytes)
            ))
            .unwrap();
        other.query_row("SELECT count(*) FROM personnes", [], |r| r.get::<_, i64>(0))
    };
    assert_eq!(by_hand("HMAC_SHA256").unwrap(), 1);
    assert!(by_hand("HMAC_SHA512").is_err());
}
