//! The server's schema-version fixtures: a database file (SQLite) or script
//! (PostgreSQL) of every schema version, in `tests/fixtures/`, each holding one team,
//! one device and three changes written with that version's columns. Each backend's
//! test opens every one with today's code, which must migrate it and serve it as
//! [`check`] says; a version without its fixture fails the test, so a new migration
//! comes with its file (written by the backend's ignored `write_fixtures` test, run
//! with `FILROUGE_WRITE_FIXTURES=1`; never rewrite an older version's).

use std::path::PathBuf;

use filrouge_model::sync::ChangeBlob;

use super::{HeldBatchesRule, Role, Storage};
use crate::error::ServerError;
use crate::secret::sha256_hex;

/// The fixture team's id.
pub const TEAM: &str = "0190f3a2-7c1e-7d4b-9a1e-000000000001";
/// Its name.
pub const TEAM_NAME: &str = "Maraude Nord";
/// The fixture device's id.
pub const DEVICE: &str = "0190f3a2-7c1e-7d4b-9a1e-000000000002";
/// When both were made.
pub const CREATED_AT: i64 = 1_700_000_000_000;

/// The fixture device's token hash.
pub fn token_hash() -> String {
    sha256_hex(b"fixture token")
}

/// The three changes of the fixture log, numbered 1 to 3.
pub fn changes() -> Vec<ChangeBlob> {
    (1u8..=3)
        .map(|i| ChangeBlob {
            doc_id: format!("0190f3a2-7c1e-7d4b-9a1e-0000000001{i:02}"),
            kind: "rencontre".to_owned(),
            hash: sha256_hex(&[i]),
            data: vec![i; 20 + usize::from(i)],
        })
        .collect()
}

/// Where the fixture of `backend` (`sqlite` or `postgres`) at schema `version` is.
pub fn path(backend: &str, version: usize, extension: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(format!("server-{backend}-v{version}.{extension}"))
}

/// Whether the ignored test should write the fixtures.
pub fn writing() -> bool {
    std::env::var_os("FILROUGE_WRITE_FIXTURES").is_some()
}

/// What a migrated fixture must serve: its team, device and log as written, and a log
/// that goes on (an append takes number 4, an erasure deletes and moves the generation).
pub fn check(storage: &dyn Storage, version: usize) -> Result<(), ServerError> {
    let team = storage.team(TEAM)?.map(|t| t.name);
    assert_eq!(team.as_deref(), Some(TEAM_NAME), "v{version}: the team");
    let caller = storage
        .device_by_token_hash(&token_hash())?
        .unwrap_or_else(|| panic!("v{version}: the device"));
    assert_eq!(
        (
            caller.device.id.as_str(),
            caller.device.role,
            caller.device.revoked_at
        ),
        (DEVICE, Role::Intervenant, None),
        "v{version}: the device"
    );
    assert_eq!((caller.key_epoch, caller.lease_days), (0, 30), "v{version}");
    let log = storage.changes_after(TEAM, 0, u64::MAX, 100)?;
    let held: Vec<(u64, ChangeBlob)> = log.changes.into_iter().map(|c| (c.seq, c.blob)).collect();
    let written: Vec<(u64, ChangeBlob)> = (1..).zip(changes()).collect();
    assert_eq!(held, written, "v{version}: the log as written");
    assert_eq!(storage.head(TEAM)?, 3, "v{version}");

    let next = ChangeBlob {
        hash: sha256_hex(b"after the migration"),
        ..changes()[0].clone()
    };
    let outcome = storage.append_changes(TEAM, DEVICE, &[next], CREATED_AT + 1)?;
    assert_eq!(
        (outcome.stored, storage.head(TEAM)?),
        (1, 4),
        "v{version}: appended"
    );
    let generation = storage.generation(TEAM)?;
    let doc = changes()[1].doc_id.clone();
    let erasure =
        storage.erase_document(TEAM, &doc, DEVICE, CREATED_AT + 2, HeldBatchesRule::Drop)?;
    assert_eq!((erasure.seq, erasure.deleted), (5, 1), "v{version}: erased");
    assert!(
        storage.generation(TEAM)? > generation,
        "v{version}: generation"
    );
    Ok(())
}
