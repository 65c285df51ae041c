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
    check_persons(2)
}

#[test]
fn store_v3_still_opens_reads_and_edits() -> anyhow::Result<()> {
    check_persons(3)
}

#[test]
fn store_v4_still_opens_reads_and_edits() -> anyhow::Result<()> {
    check_persons(4)
}

#[test]
fn store_v5_still_opens_reads_and_edits() -> anyhow::Result<()> {
    check_persons(5)
}

#[test]
fn store_v6_still_opens_reads_and_edits() -> anyhow::Result<()> {
    check_persons(6)
}

#[test]
fn store_v7_still_opens_reads_and_edits() -> anyhow::Result<()> {
    check_persons(7)
}

#[test]
fn store_v8_still_opens_reads_and_edits() -> anyhow::Result<()> {
    check_persons(8)
}

#[test]
fn store_v9_still_opens_reads_and_edits() -> anyhow::Result<()> {
    check_persons(9)
}

#[test]
fn store_v10_still_opens_reads_and_edits() -> anyhow::Result<()> {
    check_persons(10)
}

#[test]
fn store_v11_still_opens_reads_and_edits() -> anyhow::Result<()> {
    check_persons(11)
}

#[test]
fn store_v12_still_opens_reads_and_edits() -> anyhow::Result<()> {
    check_persons(12)
}

#[test]
fn store_v13_still_opens_reads_and_edits() -> anyhow::Result<()> {
    check_persons(13)
}

#[test]
fn store_v14_still_opens_reads_and_edits() -> anyhow::Result<()> {
    check_persons(14)
}

#[test]
fn store_v15_still_opens_reads_and_edits() -> anyhow::Result<()> {
    check_persons(15)
}

#[test]
fn store_v16_still_opens_reads_and_edits() -> anyhow::Result<()> {
    check_persons(16)
}

#[test]
fn store_v17_still_opens_reads_and_edits() -> anyhow::Result<()> {
    check_persons(17)
}

#[test]
fn store_v18_still_opens_reads_and_edits() -> anyhow::Result<()> {
    check_persons(18)
}

#[test]
fn store_v19_still_opens_reads_and_edits() -> anyhow::Result<()> {
    check_persons(19)
}

#[test]
fn store_v20_still_opens_reads_and_edits() -> anyhow::Result<()> {
    check_persons(20)
}

#[test]
fn store_v21_still_opens_reads_and_edits() -> anyhow::Result<()> {
    check_persons(21)
}

#[test]
fn store_v22_still_opens_reads_and_edits() -> anyhow::Result<()> {
    check_persons(22)
}

#[test]
fn store_v23_still_opens_reads_and_edits() -> anyhow::Result<()> {
    check_persons(23)
}

#[test]
fn store_v24_still_opens_reads_and_edits() -> anyhow::Result<()> {
    check_persons(24)
}

#[test]
fn store_v25_still_opens_reads_and_edits() -> anyhow::Result<()> {
    check_persons(25)
}

/// Version 20 adds the access log: a store upgraded from 19 starts an empty chain,
/// which the next action begins and verification accepts.
#[test]
fn an_upgraded_store_starts_its_access_log() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let copy = dir.path().join("store.sqlite");
    std::fs::copy(fixture(19), &copy)?;
    let mut store = Store::open(&copy, Env::default())?;
    let id = store.search_persons("elo", 5)?[0].id.clone();
    assert_eq!(
        store.verify_access_log()?.map(|c| c.entries),
        Ok(0),
        "an empty chain"
    );
    store.log_access_many(&[(
        filrouge_model::access::AccessAction::Consulte,
        Some(id.as_str()),
    )])?;
    assert_eq!(store.verify_access_log()?.map(|c| c.entries), Ok(1));
    assert_eq!(store.access_entries(id.as_str())?.len(), 1);
    Ok(())
}

/// Version 19 adds the retention hold: in a store upgraded from 18, the person recorded
/// before follows the two-year rule, and a coordinator's hold keeps her file.
#[test]
fn an_upgraded_store_follows_the_retention_rule_and_its_hold() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let copy = dir.path().join("store.sqlite");
    std::fs::copy(fixture(18), &copy)?;
    let mut store = Store::open(&copy, Env::default())?;
    let id = store.search_persons("elo", 5)?[0].id.clone();
    let far = filrouge_model::Day::parse("2099-01-01")?;
    assert_eq!(store.expired_persons(far)?, [id.to_string()]);
    store.hold_retention(id.as_str(), Some("Procédure en cours".into()))?;
    assert!(store.expired_persons(far)?.is_empty());
    store.hold_retention(id.as_str(), None)?;
    assert_eq!(store.expired_persons(far)?, [id.to_string()]);
    Ok(())
}

/// Version 16 keeps, beside each row naming a person, the person it was recorded for:
/// in a store upgraded from 15, a person recorded before can be merged into another,
/// whose thread then holds theirs, and the undo gives it back. (The fixtures' rencontres
/// name nobody; the store is rebuilt at open, which fills the new column anyway.)
#[test]
fn an_upgraded_store_merges_a_person_recorded_before() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let copy = dir.path().join("store.sqlite");
    std::fs::copy(fixture(15), &copy)?;
    let mut store = Store::open(&copy, Env::default())?;
    let old = store.search_persons("elo", 5)?.remove(0).id;
    store.create_rencontre(RencontreDraft {
        persons: [old.clone()].into(),
        ..known_drafts()[0].clone()
    })?;
    let thread = store.timeline(old.as_str())?;
    assert_eq!(thread.len(), 1);
    let new = store.create_person(filrouge_model::PersonDraft::new("Lo"))?;
    let merge = store.merge_persons(new.clone(), old.clone(), Default::default(), None)?;
    assert_eq!(store.timeline(new.as_str())?, thread);
    // Found by the name of the record merged into it.
    let found = store.search_persons("elo", 5)?;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, new);
    store.undo_merge(&merge)?;
    assert_eq!(store.timeline(old.as_str())?, thread);
    assert!(store.timeline(new.as_str())?.is_empty());
    Ok(())
}

/// Version 15 keys persons by the sound of their names: an older store is rebuilt at
/// open, so the form finds its persons as a name is typed.
#[test]
fn an_upgraded_store_finds_its_persons_by_the_sound_of_their_names() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let copy = dir.path().join("store.sqlite");
    std::fs::copy(fixture(14), &copy)?;
    let store = Store::open(&copy, Env::default())?;
    let found = store.similar_persons(&filrouge_model::ipc::FindSimilarPersons {
        pseudonym: "Eloise".into(),
        ..Default::default()
    })?;
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].person.pseudonym, "Éloïse");
    Ok(())
}

/// Version 10 projects persons' creation time (and their age and territory) for the
/// coordinator's figures: a store of an earlier version is rebuilt once at open, so its
/// persons are counted as new in the period they were recorded in, not in 1970.
#[test]
fn an_upgraded_store_counts_its_persons_where_they_were_recorded() -> anyhow::Result<()> {
    use filrouge_model::Day;
    use filrouge_model::dashboard::{Figure, FigureList, Period};
    let dir = tempfile::tempdir()?;
    let copy = dir.path().join("store.sqlite");
    std::fs::copy(fixture(9), &copy)?;
    let store = Store::open(&copy, Env::default())?;
    let decade = Period::custom(
        Day::parse("2020-01-01").expect("a day"),
        Day::parse("2029-12-31").expect("a day"),
    )?;
    assert_eq!(store.figures(decade)?.new_persons, 1);
    let today = Day::parse("2026-12-01").expect("a day");
    let FigureList::Persons(new) = store.figure_list(decade, &Figure::NewPersons, today)? else {
        anyhow::bail!("a list of persons");
    };
    assert_eq!(new[0].pseudonym, "Éloïse");
    Ok(())
}

/// Migration 5 turns the outbox's hex hashes into bytes: every queued change must still
/// be there, under the same hash, and be acknowledged by it.
#[test]
fn migrating_a_v4_outbox_keeps_every_queued_change() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let copy = dir.path().join("store.sqlite");
    std::fs::copy(fixture(4), &copy)?;
    let mut before: Vec<String> = {
        let c = rusqlite::Connection::open(&copy)?;
        let mut stmt = c.prepare("SELECT hash FROM outbox")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<Result<_, _>>()?
    };
    before.sort();
    assert!(!before.is_empty());
    let store = std::sync::Mutex::new(Store::open(&copy, Env::default())?);
    let hub = filrouge_core::sync::MemoryHub::new();
    let report = filrouge_core::sync::run(&store, &mut hub.transport())?;
    assert_eq!(report.pushed, before.len());
    let mut on_server = hub.hashes();
    on_server.sort();
    assert_eq!(on_server, before);
    let store = store.lock().map_err(|_| anyhow::anyhow!("poisoned"))?;
    assert_eq!(store.sync_status()?.pending_changes, 0, "all acknowledged");
    Ok(())
}

/// Migration 4 rebuilds the documents table: no chunk may be lost on the way.
#[test]
fn migrating_a_v3_store_keeps_every_chunk_and_heads() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let copy = dir.path().join("store.sqlite");
    std::fs::copy(fixture(3), &copy)?;
    let (chunks_before, heads_before): (i64, String) = {
        let c = rusqlite::Connection::open(&copy)?;
        // Give a document an appended (empty, so still loadable) chunk in the v3 layout:
        // a cascade from the rebuilt parent table would delete it.
        c.execute_batch(
            "INSERT INTO doc_chunks (doc_id, n, data) SELECT id, 1, X'' FROM documents LIMIT 1;
             UPDATE documents SET chunk_count = 1 WHERE id IN (SELECT doc_id FROM doc_chunks);",
        )?;
        c.query_row(
            "SELECT (SELECT COUNT(*) FROM doc_chunks), (SELECT group_concat(heads, ';') FROM documents ORDER BY id)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?
    };
    let mut store = Store::open(&copy, Env::default())?;
    let infos = store.doc_infos()?;
    let heads_after: Vec<String> = infos.iter().map(|(_, d)| d.heads.join(",")).collect();
    let mut before: Vec<String> = heads_before.split(';').map(str::to_owned).collect();
    before.sort();
    let mut after = heads_after.clone();
    after.sort();
    assert_eq!(before, after);
    let c = rusqlite::Connection::open(&copy)?;
    let chunks_after: i64 = c.query_row("SELECT COUNT(*) FROM doc_chunks", [], |r| r.get(0))?;
    assert_eq!((chunks_before, chunks_after), (1, 1));
    assert_eq!(store.rebuild_projections()?.quarantined, 0);
    Ok(())
}

/// Changes queued by older versions (whose outbox rows carry their bytes) and by this
/// one (whose rows do not) all reach another device.
#[test]
fn queued_changes_of_every_version_still_sync() -> anyhow::Result<()> {
    for version in 1..=filrouge_core::SCHEMA_VERSION as u32 {
        let dir = tempfile::tempdir()?;
        let copy = dir.path().join("store.sqlite");
        std::fs::copy(fixture(version), &copy)?;
        let hub = filrouge_core::sync::MemoryHub::new();
        let old = std::sync::Mutex::new(Store::open(&copy, Env::default())?);
        let pushed = filrouge_core::sync::run(&old, &mut hub.transport())?.pushed;
        let docs = old
            .lock()
            .map_err(|_| anyhow::anyhow!("poisoned"))?
            .doc_infos()?
            .len();
        assert_eq!(pushed, docs, "v{version}: one change per record");
        let fresh = std::sync::Mutex::new(Store::open(
            &dir.path().join("fresh.sqlite"),
            Env::default(),
        )?);
        filrouge_core::sync::run(&fresh, &mut hub.transport())?;
        let fresh = fresh.lock().map_err(|_| anyhow::anyhow!("poisoned"))?;
        assert_eq!(fresh.list_rencontres_since(0)?.len(), 2, "v{version}");
    }
    Ok(())
}

fn check_persons(version: u32) -> anyhow::Result<()> {
    check_rencontres(version)?;
    let dir = tempfile::tempdir()?;
    let copy = dir.path().join("store.sqlite");
    std::fs::copy(fixture(version), &copy)?;
    let mut store = Store::open(&copy, Env::default())?;
    let hits = store.search_persons("elo", 5)?;
    assert_eq!(hits.len(), 1);
    let person: filrouge_model::PersonDraft = store.person_view(&hits[0].id)?.person;
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
