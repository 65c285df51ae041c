//! Erasure against a real server on port 0: a coordinator erases a person; afterwards
//! the person's name is in no file any more (the other device's store and its WAL, the
//! server's database and its WAL), a device that edited it offline has its upload
//! refused and drops it, and a worker's device may not erase.

use std::path::Path;

use filrouge_core::sync::TransportError;
use filrouge_model::PersonDraft;
use filrouge_server::Role;
use filrouge_tests::TestServer;

/// A name no other test data contains, to look for in raw file bytes.
const MARKER: &str = "Zorglubine Marqueur-4242";

/// Whether `needle` is in the database file or its WAL, as raw bytes.
fn file_contains(db: &Path, needle: &[u8]) -> bool {
    let wal = format!("{}-wal", db.display());
    [db.to_path_buf(), wal.into()].iter().any(|path| {
        std::fs::read(path).is_ok_and(|bytes| bytes.windows(needle.len()).any(|w| w == needle))
    })
}

fn contains_marker(db: &Path) -> anyhow::Result<bool> {
    Ok(file_contains(db, MARKER.as_bytes()))
}

#[test]
fn an_erased_person_leaves_every_file_and_cannot_come_back() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let (server, _) = TestServer::start_tls(dir.path())?;
    let mut a = server.device(dir.path(), "tel-a")?;
    let mut b = server.device(dir.path(), "tel-b")?;
    let mut coordinator =
        server.device_with_role(dir.path(), "portable-coord", Role::Coordinateur)?;

    let mut draft = PersonDraft::new(MARKER);
    draft.referent = Some("Karim".into());
    let id = a.store().create_person(draft.clone())?;
    a.sync()?;
    b.sync()?;
    coordinator.sync()?;
    let b_file = dir.path().join("tel-b.sqlite");
    let server_file = dir.path().join("server.sqlite");
    b.store().checkpoint()?;
    assert!(
        contains_marker(&b_file)?,
        "the marker is there before: the search can find it"
    );
    // The server holds the change as the device sent it (Automerge deflates it, so the
    // name is not readable there): look for the blob's own bytes instead.
    let blob: Vec<u8> = rusqlite::Connection::open(&server_file)?.query_row(
        "SELECT data FROM changes WHERE doc_id = ?1",
        [id.as_str()],
        |r| r.get(0),
    )?;
    let blob_slice = &blob[blob.len() / 4..blob.len() / 4 + 48];
    assert!(file_contains(&server_file, blob_slice));

    // A edits the person offline while the coordinator erases it.
    draft.stage = Some(filrouge_model::Stage::Formation);
    a.store().update_person(&id, draft)?;

    // A worker's device may not erase.
    match b.transport.erase(&id, Vec::new()) {
        Err(TransportError::Rejected { status: 403, code }) => {
            assert_eq!(code, Some(filrouge_model::sync::ErrorCode::Forbidden))
        }
        other => panic!("expected 403 forbidden, got {other:?}"),
    }
    let erased = coordinator.transport.erase(&id, Vec::new())?;
    assert!(erased.deleted >= 1);

    let report = b.sync()?;
    assert_eq!(report.docs_changed, 1);
    assert!(b.store().search_persons("zorglub", 5)?.is_empty());
    assert!(b.store().doc_infos()?.is_empty());
    assert!(
        !contains_marker(&b_file)?,
        "gone from the other device's file and WAL"
    );

    // A's offline edit is refused and leaves its outbox; its own copy goes too.
    let report = a.sync()?;
    assert_eq!((report.pushed, report.refused), (0, 1));
    assert_eq!(a.store().sync_status()?.pending_changes, 0);
    assert!(a.store().doc_infos()?.is_empty());
    assert!(!contains_marker(&dir.path().join("tel-a.sqlite"))?);

    coordinator.sync()?;
    assert!(coordinator.store().doc_infos()?.is_empty());
    assert!(
        !file_contains(&server_file, blob_slice),
        "the blob is gone from the server's file and WAL"
    );

    // A fresh device never sees it, and a second erasure changes nothing.
    let mut fresh = server.device(dir.path(), "tel-neuf")?;
    fresh.sync()?;
    assert!(fresh.store().doc_infos()?.is_empty());
    assert_eq!(coordinator.transport.erase(&id, Vec::new())?.deleted, 0);
    Ok(())
}

/// "Effacer définitivement" from the coordinator's laptop against a real server, as
/// the app's command does it (`Device::erase_person`: the plan, the server's erasure of
/// each record, then this device's): a person recorded on a phone with a rencontre
/// that named only her, one shared with another young man, and a relance. Afterwards
/// her name is in no file of the phone, of the laptop or of the server; the figures
/// still count every rencontre and every person met, anonymously for her; the shared
/// rencontre still names the other.
#[test]
fn a_person_erased_from_the_laptop_leaves_every_file_and_her_counts_stay() -> anyhow::Result<()> {
    use filrouge_core::Clock;
    use filrouge_model::dashboard::Period;
    use filrouge_model::erasure::ErasureReason;
    use filrouge_model::{Channel, Day, RencontreDraft};

    let dir = tempfile::tempdir()?;
    let (server, _) = TestServer::start_tls(dir.path())?;
    let mut phone = server.device(dir.path(), "tel-a")?;
    let mut laptop = server.device_with_role(dir.path(), "portable-coord", Role::Coordinateur)?;
    let her = phone.store().create_person(PersonDraft::new(MARKER))?;
    let yanis = phone.store().create_person(PersonDraft::new("Yanis"))?;
    for persons in [vec![her.clone()], vec![her.clone(), yanis.clone()]] {
        phone.store().create_rencontre(RencontreDraft {
            channel: Channel::Maraude,
            place: "Gare du Nord".into(),
            persons: persons.into_iter().collect(),
            note: format!("Avec {MARKER}"),
            ..RencontreDraft::default()
        })?;
    }
    phone.store().plan_relance(
        Some(her.clone()),
        Day::from_epoch_ms(filrouge_core::SystemClock.now_ms()),
        "Rappeler".into(),
    )?;
    phone.sync()?;
    laptop.sync()?;
    let today = Day::from_epoch_ms(filrouge_core::SystemClock.now_ms());
    let period = Period::custom(today, today)?;
    let figures = |d: &filrouge_tests::Device| -> anyhow::Result<(u64, u64)> {
        let f = d.store().figures(period)?;
        Ok((f.rencontres, f.named + f.anonymous))
    };
    assert_eq!(figures(&laptop)?, (2, 3));

    let plan = laptop.store().erasure_plan(her.as_str())?;
    assert_eq!(plan.erase.len(), 4, "her, her two rencontres, her relance");
    // The server holds the changes deflated: look for each whole blob instead (a slice
    // could be shared with the anonymous copies, which are alike).
    let server_file = dir.path().join("server.sqlite");
    let mut slices = Vec::new();
    for doc in &plan.erase {
        let blob: Vec<u8> = rusqlite::Connection::open(&server_file)?.query_row(
            "SELECT data FROM changes WHERE doc_id = ?1 LIMIT 1",
            [doc],
            |r| r.get(0),
        )?;
        slices.push(blob);
    }
    laptop.store().checkpoint()?;
    assert!(
        slices.iter().all(|b| file_contains(&server_file, b)),
        "the blobs are found before: the search can find them"
    );
    for doc in &plan.erase {
        laptop.transport.erase(doc, Vec::new())?;
    }
    let entry = laptop
        .store()
        .apply_erasure(&plan, ErasureReason::Demande)?;
    laptop.store().scrub()?;
    assert_eq!(entry.records, 4);
    laptop.sync()?;
    phone.sync()?;
    laptop.sync()?;

    assert_eq!(
        figures(&laptop)?,
        (2, 3),
        "every rencontre and person met still counts"
    );
    assert_eq!(figures(&phone)?, (2, 3));
    assert!(phone.store().search_persons("zorglub", 5)?.is_empty());
    assert_eq!(phone.store().timeline(yanis.as_str())?.len(), 1);
    phone.store().checkpoint()?;
    laptop.store().checkpoint()?;
    for file in ["tel-a.sqlite", "portable-coord.sqlite", "server.sqlite"] {
        assert!(
            !contains_marker(&dir.path().join(file))?,
            "{file}: no trace of her name"
        );
    }
    for slice in &slices {
        assert!(
            !file_contains(&server_file, slice),
            "her records left the server"
        );
    }
    Ok(())
}
