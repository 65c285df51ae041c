//! The access log on a real store: one entry per action on a person's file, with no
//! name or free text in it; raw SQL cannot change or remove an entry; an edited byte, a
//! removed middle entry and a truncated tail are each found and named; a purge keeps the
//! chain verifiable.

use filrouge_model::access::{AccessAction as A, FieldGroup as G};
use filrouge_model::ipc::{ChangeStage, CreatePerson, GetAccessLog, GetPerson, UpdatePerson};
use filrouge_model::views::Profile;
use filrouge_model::vocab::{ConsentMethod, ConsentScope};
use filrouge_model::{Consent, Day, PersonDraft, Stage};

use super::Device;
use crate::AccessLogBreak;
use crate::store::tests::{NOW, test_env};

fn device(dir: &tempfile::TempDir) -> Device {
    let d = Device::open(&dir.path().join("device.sqlite"), test_env(NOW, 1)).unwrap();
    d.lock()
        .set_profile(Profile {
            worker_name: Some("Awa".into()),
        })
        .unwrap();
    d
}

/// Makes a person and does five things with her file; answers her id.
fn five_actions(d: &Device) -> filrouge_model::RecordId {
    let her = d
        .create_person(CreatePerson {
            draft: PersonDraft::new("Zorglubine"),
        })
        .unwrap()
        .id;
    let view = d.get_person(GetPerson { id: her.clone() }).unwrap();
    let mut draft = view.person.clone();
    draft.referent = Some("Karim".into());
    d.update_person(UpdatePerson {
        id: her.clone(),
        draft: draft.clone(),
    })
    .unwrap();
    draft.consent = Some(Consent {
        date: Day::from_epoch_ms(NOW),
        scopes: [ConsentScope::SuiviEquipe].into(),
        method: ConsentMethod::Oral,
        by: None,
        notice: None,
    });
    d.update_person(UpdatePerson {
        id: her.clone(),
        draft,
    })
    .unwrap();
    d.change_stage(ChangeStage {
        person_id: her.clone(),
        stage: Stage::EnContact,
        date: Day::from_epoch_ms(NOW),
        note: None,
        exit: None,
    })
    .unwrap();
    her
}

/// Deletes the entries matching `condition` as someone at the SQL prompt would, past
/// the trigger by raising the purge flag around it.
fn delete_by_hand(d: &Device, condition: &str) {
    d.lock()
        .conn
        .execute_batch(&format!(
            "UPDATE access_log_state SET purging = 1;
             DELETE FROM access_log WHERE {condition};
             UPDATE access_log_state SET purging = 0;"
        ))
        .unwrap();
}

fn verify(d: &Device) -> Result<crate::AccessLogCheck, AccessLogBreak> {
    d.lock().verify_access_log().unwrap()
}

#[test]
fn each_action_on_a_file_leaves_one_entry_without_a_name() {
    let dir = tempfile::tempdir().unwrap();
    let d = device(&dir);
    let her = five_actions(&d);
    let entries = d
        .get_access_log(GetAccessLog {
            person: her.clone(),
        })
        .unwrap();
    let said: Vec<(A, Vec<G>)> = entries
        .iter()
        .rev()
        .map(|e| (e.action, e.groups.clone()))
        .collect();
    assert_eq!(
        said,
        [
            (A::Cree, vec![]),
            (A::Consulte, vec![]),
            (A::Modifie, vec![G::Referent]),
            (A::Consentement, vec![]),
            (A::Modifie, vec![G::Parcours]),
        ]
    );
    assert!(entries.iter().all(|e| e.worker.as_deref() == Some("Awa")));
    assert!(entries.iter().all(|e| e.record.as_ref() == Some(&her)));
    // Nothing of her name in the log's rows.
    let store = d.lock();
    let rows: String = store
        .conn
        .query_row(
            "SELECT group_concat(coalesce(worker, '') || action || coalesce(record, '')
                                 || coalesce(detail, ''), ' ') FROM access_log",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(!rows.contains("Zorglub"), "{rows}");
    drop(store);
    assert_eq!(verify(&d).unwrap().entries, 5);

    // A field worker's device does not read the log.
    d.lock().set_meta("role", "intervenant").unwrap();
    assert!(matches!(
        d.get_access_log(GetAccessLog { person: her }),
        Err(crate::CoreError::CoordinatorOnly)
    ));
}

#[test]
fn raw_sql_cannot_rewrite_the_log_and_what_gets_past_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let d = device(&dir);
    five_actions(&d);
    {
        let store = d.lock();
        for sql in [
            "UPDATE access_log SET worker = 'Personne' WHERE seq = 2",
            "DELETE FROM access_log WHERE seq = 2",
            "DELETE FROM access_log",
        ] {
            let refused = store.conn.execute(sql, []);
            assert!(
                refused
                    .as_ref()
                    .is_err_and(|e| e.to_string().contains("append-only")),
                "{sql}: {refused:?}"
            );
        }
    }
    assert!(verify(&d).is_ok());

    // An edited byte, written by someone who dropped the trigger first.
    let dirs: Vec<_> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
    let e = device(&dirs[0]);
    five_actions(&e);
    e.lock()
        .conn
        .execute_batch(
            "DROP TRIGGER access_log_no_update;
             UPDATE access_log SET at = at + 1 WHERE seq = 3;",
        )
        .unwrap();
    assert_eq!(verify(&e), Err(AccessLogBreak::Edited { seq: 3 }));

    // A removed middle entry.
    let f = device(&dirs[1]);
    five_actions(&f);
    delete_by_hand(&f, "seq = 2");
    assert_eq!(verify(&f), Err(AccessLogBreak::Missing { seq: 3 }));

    // A truncated tail.
    let g = device(&dirs[2]);
    five_actions(&g);
    delete_by_hand(&g, "seq >= 4");
    assert_eq!(
        verify(&g),
        Err(AccessLogBreak::Truncated { found: 3, head: 5 })
    );
}

#[test]
fn a_purge_keeps_a_year_and_the_chain_verifiable() {
    let dir = tempfile::tempdir().unwrap();
    let d = device(&dir);
    five_actions(&d);
    // Thirteen months later, one more look at the file.
    let later = NOW + 395 * 86_400_000;
    {
        let store = d.lock();
        crate::store::access::append(&store.conn, later, Some("Awa"), A::Consulte, None, &[])
            .unwrap();
        assert_eq!(store.purge_access_log(later - 365 * 86_400_000).unwrap(), 5);
    }
    let check = verify(&d).unwrap();
    assert_eq!(
        (check.entries, check.base),
        (2, 5),
        "the new look and the purge"
    );
    // The entry right after the base removed: named.
    delete_by_hand(&d, "seq = 6");
    assert_eq!(verify(&d), Err(AccessLogBreak::Missing { seq: 7 }));
}
