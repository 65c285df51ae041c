//! The access log across a team, through a real server over TLS: a field worker's
//! phone opens and changes a person's file; after a sync the coordinator's laptop shows,
//! on her thread, the phone's entries beside its own, with the worker's name, while the
//! server's files hold no worker's name (entries travel sealed). The server checks each
//! device's chain: an entry sent again with another link, or a gap, is refused whole.

use filrouge_core::sync::TransportError;
use filrouge_model::PersonDraft;
use filrouge_model::access::AccessAction;
use filrouge_model::ipc::{CreatePerson, GetAccessLog, GetPerson, SetProfile};
use filrouge_model::sync::{API_VERSION, AccessPush, ErrorCode, SealedAccessEntry};
use filrouge_model::views::Profile;
use filrouge_tests::{
    TestServer, app_first_coordinator as first_coordinator, app_invited as invited,
    app_store as lock, app_sync as sync, app_transport as transport, server_files_hold,
};

const WORKER: &str = "Maëlys-Travailleuse-Q7";

#[test]
fn a_coordinator_sees_who_opened_a_file_on_every_device() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let (server, fingerprint) = TestServer::start_tls(dir.path())?;
    let laptop = first_coordinator(&server, dir.path(), &fingerprint)?;
    let phone = invited(&laptop, dir.path(), "phone")?;
    phone.set_profile(SetProfile {
        profile: Profile {
            worker_name: Some(WORKER.into()),
        },
    })?;
    let her = phone
        .create_person(CreatePerson {
            draft: PersonDraft::new("Zéphyrine"),
        })?
        .id;
    phone.get_person(GetPerson { id: her.clone() })?;
    sync(&phone)?;
    sync(&laptop)?;
    laptop.get_person(GetPerson { id: her.clone() })?;

    let log = laptop.get_access_log(GetAccessLog {
        person: her.clone(),
    })?;
    let phone_entries: Vec<AccessAction> = log
        .iter()
        .filter(|e| e.worker.as_deref() == Some(WORKER))
        .map(|e| e.action)
        .collect();
    assert_eq!(
        phone_entries,
        vec![AccessAction::Consulte, AccessAction::Cree],
        "{log:?}"
    );
    assert_eq!(log.len(), 3, "the laptop's own look too: {log:?}");
    assert_eq!(log[0].action, AccessAction::Consulte, "newest first");
    lock(&laptop)?.checkpoint()?;
    assert!(
        !server_files_hold(dir.path(), WORKER)?,
        "entries travel sealed"
    );

    // Synced again, nothing is sent or taken twice.
    sync(&phone)?;
    sync(&laptop)?;
    let again = laptop.get_access_log(GetAccessLog {
        person: her.clone(),
    })?;
    assert_eq!(again.len(), 3);

    // The server holds the phone's entries 1 and 2: sent again with another link, or
    // with a gap after them, the push is refused whole.
    let entry = |seq: u64, link: &str| SealedAccessEntry {
        seq,
        link: link.to_owned(),
        data: vec![0xF1; 80],
    };
    let other = "ab".repeat(32);
    let head = lock(&phone)?.access_to_send(10)?.prev.map(hex::encode);
    let head = head.unwrap_or_default();
    for push in [
        AccessPush {
            api_version: API_VERSION,
            prev: String::new(),
            entries: vec![entry(1, &other)],
        },
        AccessPush {
            api_version: API_VERSION,
            prev: head.clone(),
            entries: vec![entry(4, &other)],
        },
        AccessPush {
            api_version: API_VERSION,
            prev: other.clone(),
            entries: vec![entry(3, &other)],
        },
    ] {
        let refused = transport(&phone)?.push_access(&push);
        assert!(
            matches!(
                refused,
                Err(TransportError::Rejected {
                    status: 409,
                    code: Some(ErrorCode::AccessChainBreak)
                })
            ),
            "{push:?}: {refused:?}"
        );
    }
    // What continues the chain is taken.
    let taken = transport(&phone)?.push_access(&AccessPush {
        api_version: API_VERSION,
        prev: head,
        entries: vec![entry(3, &other)],
    })?;
    assert_eq!(taken.head, 3);
    Ok(())
}
