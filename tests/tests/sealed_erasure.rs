//! Erasing a person in a team whose log is sealed in batches, through a real server
//! over TLS. The server cannot cut a record's bytes out of a sealed batch: the
//! coordinator's device fetches the batches holding her, seals each again without her
//! and sends them with the erasure. Afterwards no batch on the server holds a change of
//! hers (opened with the team's keys, to be sure), the other person recorded in the
//! same batch is still there for every device, a phone invited afterwards reads him and
//! nothing of her, and an erasure that does not replace every batch is refused whole.

use filrouge_core::e2e::open_batch;
use filrouge_core::sync::{Transport as _, TransportError};
use filrouge_model::erasure::ErasureReason;
use filrouge_model::ipc::ErasePerson;
use filrouge_model::sync::{API_VERSION, BATCH_KIND, ErrorCode, PullQuery, read_batch_header};
use filrouge_model::{PersonDraft, RecordId};
use filrouge_tests::{
    TestServer, app_first_coordinator as first_coordinator, app_invited as invited,
    app_store as lock, app_sync as sync, app_transport as transport,
};

/// Every record id any change of the team's log belongs to, each batch opened with
/// `laptop`'s keys; and how many batches the log holds.
fn records_in_log(
    laptop: &filrouge_core::app::Device,
    team: &str,
) -> anyhow::Result<(Vec<String>, usize)> {
    let ring = lock(laptop)?.keyring()?;
    let page = transport(laptop)?.pull(&PullQuery {
        api_version: API_VERSION,
        after: 0,
        max_bytes: Some(8 * 1024 * 1024),
    })?;
    let (mut records, mut batches) = (Vec::new(), 0);
    for c in page.changes {
        if c.blob.kind != BATCH_KIND {
            continue;
        }
        batches += 1;
        let header = read_batch_header(&c.blob.data)?;
        let opened = open_batch(&ring, team, &c.blob.data).map_err(anyhow::Error::msg)?;
        assert_eq!(opened.len(), header.members.len());
        records.extend(opened.into_iter().map(|c| c.member.doc_id));
    }
    Ok((records, batches))
}

fn has(device: &filrouge_core::app::Device, id: &RecordId) -> anyhow::Result<bool> {
    Ok(lock(device)?.person_hit(id.as_str()).is_ok())
}

#[test]
fn erasing_a_person_reseals_every_batch_that_held_her() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let (server, fingerprint) = TestServer::start_tls(dir.path())?;
    let laptop = first_coordinator(&server, dir.path(), &fingerprint)?;
    let phone = invited(&laptop, dir.path(), "phone")?;
    // Both met on one maraude, recorded offline: one push, one batch for both.
    let her = lock(&phone)?.create_person(PersonDraft::new("Zéphyrine"))?;
    let him = lock(&phone)?.create_person(PersonDraft::new("Yanis"))?;
    sync(&phone)?;
    // She is seen again later: a second batch holds her, alone.
    lock(&phone)?.update_person(her.as_str(), PersonDraft::new("Zéphyrine B."))?;
    sync(&phone)?;
    sync(&laptop)?;
    assert!(has(&laptop, &her)? && has(&laptop, &him)?);
    let team = server.team_id.clone();
    let (records, batches) = records_in_log(&laptop, &team)?;
    assert_eq!(batches, 2, "{records:?}");
    assert!(records.contains(&her.as_str().to_owned()));
    let held = transport(&laptop)?.held_batches(her.as_str())?;
    assert_eq!(held.batches.len(), 2);

    // An erasure that replaces no batch is refused, and erases nothing.
    let refused = transport(&laptop)?.erase(her.as_str(), Vec::new());
    assert!(
        matches!(
            refused,
            Err(TransportError::Rejected {
                status: 409,
                code: Some(ErrorCode::ResealNeeded)
            })
        ),
        "{refused:?}"
    );
    assert_eq!(
        transport(&laptop)?
            .held_batches(her.as_str())?
            .batches
            .len(),
        2
    );

    // Meanwhile the phone, offline, writes about her again and meets someone new.
    lock(&phone)?.update_person(her.as_str(), PersonDraft::new("Zéphyrine C."))?;
    let other = lock(&phone)?.create_person(PersonDraft::new("Ilyès"))?;

    laptop.erase_person(ErasePerson {
        person: her.clone(),
        reason: ErasureReason::Demande,
    })?;
    assert!(
        transport(&laptop)?
            .held_batches(her.as_str())?
            .batches
            .is_empty()
    );
    let (records, batches) = records_in_log(&laptop, &team)?;
    assert_eq!(batches, 1, "the batch that held her alone is gone");
    assert_eq!(
        records,
        vec![him.as_str().to_owned()],
        "he stays, sealed again"
    );

    // The phone's push holds her: the server refuses its batch and names her; the
    // phone erases her as the log's erasure would, and its other change still goes.
    let report = sync(&phone)?;
    assert!(report.refused >= 1, "{report:?}");
    assert!(!has(&phone, &her)? && has(&phone, &him)? && has(&phone, &other)?);
    let after = sync(&laptop)?;
    assert!(has(&laptop, &other)?, "{report:?} {after:?}");
    assert!(!has(&laptop, &her)?);
    let (records, _) = records_in_log(&laptop, &team)?;
    assert!(!records.contains(&her.as_str().to_owned()), "{records:?}");

    // A phone invited afterwards reads them, and nothing of her.
    let newcomer = invited(&laptop, dir.path(), "newcomer")?;
    let report = sync(&newcomer)?;
    assert!(!has(&newcomer, &her)? && has(&newcomer, &him)? && has(&newcomer, &other)?);
    let (waiting, refused) = lock(&newcomer)?.set_aside_counts()?;
    assert_eq!((waiting, refused), (0, 0), "{report:?}");

    Ok(())
}
