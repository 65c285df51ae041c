//! Every schema version's store file must still open with the current code.
//!
//! `tests/fixtures/store-v{N}.sqlite` was written by the code of schema version N with
//! `cargo run -p filrouge-tests --example write-fixture -- N` (run it when a migration is
//! appended, to add the next one; never rewrite an old one). The test opens a copy,
//! reads the known records, and edits one.

use std::path::{Path, PathBuf};

use filrouge_core::{Env, Store};
use filrouge_model::RencontreDraft;
use filrouge_tests::fixture_drafts as known_drafts;

fn fixture(version: u32) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("fixtures/store-v{version}.sqlite"))
}

#[test]
fn there_is_a_fixture_for_every_schema_version() {
    for v in 1..=filrouge_core::SCHEMA_VERSION {
        assert!(
            fixture(v as u32).is_file(),
            "missing tests/fixtures/store-v{v}.sqlite"
        );
    }
}

#[test]
fn store_v1_still_opens_reads_and_edits() -> anyhow::Result<()> {
    check_rencontres(1)
}

#[test]
fn store_v2_still_opens_reads_and_edits() -> anyhow::Result<()> {
    check_rencontres(2)?;
    let dir = tempfile::tempdir()?;
    let copy = dir.path().join("store.sqlite");
    std::fs::copy(fixture(2), &copy)?;
    let mut store = Store::open(&copy, Env::default())?;
    let hits = store.search_persons("elo", 5)?;
    assert_eq!(hits.len(), 1);
    let person: filrouge_model::PersonneDraft = store.get(&hits[0].id)?;
    assert_eq!(person, filrouge_tests::fixture_person());
    assert_eq!(store.rebuild_projections()?.quarantined, 0);
    Ok(())
}

fn check_rencontres(version: u32) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let copy = dir.path().join("store.sqlite");
    std::fs::copy(fixture(version), &copy)?;
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
