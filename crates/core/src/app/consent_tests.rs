//! A consent on a real store: recorded, it takes the worker and the notice's version
//! (printed on the person's receipt); saved again unchanged, it keeps them; withdrawn,
//! it goes with every contact means, in the document (so every device forgets them)
//! and in the projection, and the access log says so, without a value.

use filrouge_model::access::AccessAction;
use filrouge_model::ipc::{
    CreatePerson, GetAccessLog, GetNotice, GetPerson, SetNotice, UpdatePerson,
};
use filrouge_model::views::Profile;
use filrouge_model::vocab::{ConsentMethod, ConsentScope};
use filrouge_model::{Consent, Contact, Day, NOTICE_VERSION, NoticeDraft, PersonDraft};

use super::Device;
use crate::store::tests::{NOW, test_env};

fn as_worker(d: &Device, name: &str) {
    d.lock()
        .set_profile(Profile {
            worker_name: Some(name.into()),
        })
        .unwrap();
}

#[test]
fn a_consent_is_stamped_kept_and_withdrawn_with_the_contact_means() {
    let dir = tempfile::tempdir().unwrap();
    let d = Device::open(&dir.path().join("device.sqlite"), test_env(NOW, 1)).unwrap();
    as_worker(&d, "Awa");
    let her = d
        .create_person(CreatePerson {
            draft: PersonDraft::new("Momo"),
        })
        .unwrap()
        .id;
    let mut draft = d.get_person(GetPerson { id: her.clone() }).unwrap().person;
    let consent = Consent {
        date: Day::from_epoch_ms(NOW),
        scopes: [ConsentScope::SuiviEquipe, ConsentScope::Contact].into(),
        method: ConsentMethod::Oral,
        by: None,
        notice: None,
    };
    draft.consent = Some(consent.clone());
    draft.contact = Some(Contact {
        phone: Some("06 12 34 56 78".into()),
        handle: None,
    });
    let view = d
        .update_person(UpdatePerson {
            id: her.clone(),
            draft: draft.clone(),
        })
        .unwrap();
    let stamped = view.person.consent.clone().unwrap();
    assert_eq!(stamped.by.as_deref(), Some("Awa"));
    assert_eq!(stamped.notice.as_deref(), Some(NOTICE_VERSION));

    // Saved again as it was, by another worker's device profile: it keeps its stamp.
    as_worker(&d, "Karim");
    let view = d
        .update_person(UpdatePerson {
            id: her.clone(),
            draft: view.person.clone(),
        })
        .unwrap();
    assert_eq!(
        view.person.consent.as_ref().unwrap().by.as_deref(),
        Some("Awa")
    );

    // Withdrawn: the consent and the contact means go together.
    let mut withdrawn = view.person.clone();
    withdrawn.consent = None;
    withdrawn.contact = None;
    let view = d
        .update_person(UpdatePerson {
            id: her.clone(),
            draft: withdrawn,
        })
        .unwrap();
    assert!(view.person.consent.is_none() && view.person.contact.is_none());
    let phone: Option<String> = d
        .lock()
        .conn
        .query_row(
            "SELECT phone FROM personnes WHERE id = ?1",
            [her.as_str()],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(phone, None);
    let consents = d
        .get_access_log(GetAccessLog { person: her })
        .unwrap()
        .iter()
        .filter(|e| e.action == AccessAction::Consentement)
        .count();
    assert_eq!(consents, 2, "recorded, then withdrawn");
}

#[test]
fn a_consent_takes_the_teams_notice_version_and_only_a_coordinator_writes_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = Device::open(&dir.path().join("device.sqlite"), test_env(NOW, 1)).unwrap();
    let notice = d
        .set_notice(SetNotice {
            draft: NoticeDraft {
                holder: "Association Fil rouge, Bondy".into(),
                dpo_contact: "dpo@asso.example".into(),
                ..NoticeDraft::default()
            },
        })
        .unwrap();
    let version = notice.version.clone().unwrap();
    assert_ne!(version, NOTICE_VERSION);
    assert_eq!(d.get_notice(GetNotice {}).unwrap(), Some(notice));
    let her = d
        .create_person(CreatePerson {
            draft: PersonDraft::new("Momo"),
        })
        .unwrap()
        .id;
    let mut draft = d.get_person(GetPerson { id: her.clone() }).unwrap().person;
    draft.consent = Some(Consent {
        date: Day::from_epoch_ms(NOW),
        scopes: [ConsentScope::SuiviEquipe].into(),
        method: ConsentMethod::Ecrit,
        by: None,
        notice: None,
    });
    let view = d.update_person(UpdatePerson { id: her, draft }).unwrap();
    assert_eq!(
        view.person.consent.unwrap().notice.as_deref(),
        Some(version.as_str())
    );

    // A field worker's device reads the notice but cannot write it.
    d.lock().set_meta("role", "intervenant").unwrap();
    let refused = d.set_notice(SetNotice {
        draft: NoticeDraft {
            holder: "Autre".into(),
            dpo_contact: "x".into(),
            ..NoticeDraft::default()
        },
    });
    assert!(
        matches!(refused, Err(crate::CoreError::CoordinatorOnly)),
        "{refused:?}"
    );
    assert!(d.get_notice(GetNotice {}).unwrap().is_some());
}
