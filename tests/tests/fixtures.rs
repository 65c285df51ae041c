//! Every schema version's store file must still open with the current code.
//!
//! `tests/fixtures/store-v{N}.sqlite` was written by the code of schema version N (run
//! `FILROUGE_WRITE_FIXTURE=1 cargo test -p filrouge-tests --test fixtures -- --ignored`
//! when a migration is appended, to add the next one; never rewrite an old one). The
//! test opens a copy, reads the known records, and edits one.

use std::path::{Path, PathBuf};

use filrouge_core::{Env, Store};
use filrouge_model::{Channel, RencontreDraft};

fn fixture(version: u32) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("fixtures/store-v{version}.sqlite"))
}

fn known_drafts() -> Vec<RencontreDraft> {
    vec![
        RencontreDraft {
            channel: Channel::Maraude,
            place: "Gare du Nord, parvis".into(),
            occurred_at: Some(1_767_225_600_000), // 2026-01-01T00:00:00Z
            headcount: 3,
            pseudonym: None,
            note: "Trois jeunes, échange sur le tournoi.".into(),
        },
        RencontreDraft {
            channel: Channel::MaraudeNumerique,
            place: "Serveur Discord du club".into(),
            occurred_at: Some(1_767_312_000_000),
            headcount: 0,
            pseudonym: Some("Éloïse".into()),
            note: String::new(),
        },
    ]
}

#[test]
fn store_v1_still_opens_reads_and_edits() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let copy = dir.path().join("store.sqlite");
    std::fs::copy(fixture(1), &copy)?;
    let mut store = Store::open(&copy, Env::default())?;
    let rows = store.list_rencontres_since(0)?;
    assert_eq!(rows.len(), 2);
    let expected = known_drafts();
    // Newest first.
    assert_eq!(rows[0].pseudonym.as_deref(), Some("Éloïse"));
    assert_eq!(rows[1].note, expected[0].note);
    assert_eq!(rows[1].place, expected[0].place);
    let edited = store.update_rencontre(
        &rows[1].id,
        RencontreDraft {
            note: "Trois jeunes, inscrits au tournoi.".into(),
            ..expected[0].clone()
        },
    )?;
    assert_eq!(edited.note, "Trois jeunes, inscrits au tournoi.");
    assert_eq!(store.quarantined()?, Vec::<String>::new());
    Ok(())
}

#[test]
#[ignore = "writes a fixture file; run by hand when a migration is appended"]
fn write_fixture() -> anyhow::Result<()> {
    if std::env::var_os("FILROUGE_WRITE_FIXTURE").is_none() {
        return Ok(());
    }
    let path = fixture(1);
    anyhow::ensure!(!path.exists(), "never rewrite an existing fixture");
    let mut store = Store::open(&path, Env::default())?;
    for d in known_drafts() {
        store.create_rencontre(d)?;
    }
    // Closing the last connection folds the WAL into the file: one self-contained file.
    drop(store);
    anyhow::ensure!(!path.with_extension("sqlite-wal").exists());
    Ok(())
}
