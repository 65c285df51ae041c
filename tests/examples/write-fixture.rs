//! Writes `tests/fixtures/store-v{N}.sqlite` with the current code: run once when a
//! migration is appended (`cargo run -p filrouge-tests --example write-fixture -- N`).
//! Refuses to overwrite an existing fixture, which older code wrote.

use std::path::Path;

use filrouge_core::{Env, Store};

fn main() -> anyhow::Result<()> {
    let version: u32 = std::env::args()
        .nth(1)
        .ok_or_else(|| anyhow::anyhow!("usage: write-fixture <schema version>"))?
        .parse()?;
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("fixtures/store-v{version}.sqlite"));
    anyhow::ensure!(
        !path.exists(),
        "{} exists: never rewrite a fixture",
        path.display()
    );
    let mut store = Store::open(&path, Env::default())?;
    anyhow::ensure!(
        i64::from(version) == filrouge_core::SCHEMA_VERSION,
        "this code writes schema version {}",
        filrouge_core::SCHEMA_VERSION
    );
    for draft in filrouge_tests::fixture_drafts() {
        store.create_rencontre(draft)?;
    }
    if version >= 2 {
        // Schema 2 brought persons and the other kinds.
        store.create_person(filrouge_tests::fixture_person())?;
    }
    // Closing the last connection folds the WAL into the file: one self-contained file.
    drop(store);
    println!("wrote {}", path.display());
    Ok(())
}
