//! The two-year retention, on a real store with the injected clock: a person whose last
//! contact (a rencontre, a stage, a registration, or the day the record was made) is
//! two years and a day old is erased through the real erasure path, with the reason
//! "end of the retention period"; one at two years minus thirty days is warned in the
//! data-quality list and kept; a contact a year ago keeps the file; a field worker's
//! device erases nothing.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

use filrouge_model::access::AccessAction;
use filrouge_model::erasure::ErasureReason;
use filrouge_model::ipc::{GetPerson, HoldRetention, UpdatePerson};
use filrouge_model::quality::QualityRule;
use filrouge_model::{
    Channel, Day, EventDraft, EventKind, Field, PersonDraft, RecordId, RegistrationDraft,
    RencontreDraft, Stage,
};

use super::Device;
use crate::store::tests::TestClock;
use crate::{Clock as _, Env, IdSource};

fn day(text: &str) -> Day {
    Day::parse(text).unwrap()
}

/// Noon on `text`, in ms.
fn noon(text: &str) -> i64 {
    day(text).to_epoch_ms() + 12 * 3_600_000
}

/// UUIDv7 ids stamped with the test clock, as real ids carry their creation time.
struct ClockIds(Arc<TestClock>, AtomicU64);
impl IdSource for ClockIds {
    fn new_id(&self) -> uuid::Uuid {
        let ms = u64::try_from(self.0.now_ms()).unwrap();
        let n = self.1.fetch_add(1, Ordering::SeqCst);
        let ts =
            uuid::Timestamp::from_unix(uuid::NoContext, ms / 1000, (ms % 1000) as u32 * 1_000_000);
        let mut bytes = *uuid::Uuid::new_v7(ts).as_bytes();
        // Distinct within a millisecond, still sorted by time.
        bytes[8..16].copy_from_slice(&(n | 0x8000_0000_0000_0000).to_be_bytes());
        uuid::Uuid::from_bytes(bytes)
    }
}

struct Fixture {
    device: Device,
    clock: Arc<TestClock>,
    _dir: tempfile::TempDir,
}

impl Fixture {
    fn new(start: &str) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(TestClock(AtomicI64::new(noon(start))));
        let env = Env {
            clock: clock.clone(),
            ids: Arc::new(ClockIds(clock.clone(), AtomicU64::new(1))),
        };
        let device = Device::open(&dir.path().join("device.sqlite"), env).unwrap();
        Fixture {
            device,
            clock,
            _dir: dir,
        }
    }

    fn at(&self, text: &str) {
        self.clock.0.store(noon(text), Ordering::SeqCst);
    }

    fn person(&self, name: &str) -> RecordId {
        self.device
            .lock()
            .create_person(PersonDraft::new(name))
            .unwrap()
    }

    fn names(&self) -> Vec<String> {
        crate::store::tests::pseudonyms(&self.device.lock())
    }

    fn warned(&self, today: &str) -> Vec<String> {
        let quality = self.device.lock().data_quality(day(today)).unwrap();
        let check = quality
            .checks
            .into_iter()
            .find(|c| c.rule == QualityRule::Retention)
            .unwrap();
        check.items.into_iter().map(|i| i.about).collect()
    }
}

#[test]
fn a_person_unseen_for_two_years_is_erased_and_a_recent_contact_keeps_the_file() {
    let f = Fixture::new("2024-01-10");
    // Made on 10 January 2024, never seen again.
    let ancien = f.person("Ancien");
    // Met on 10 February 2024: on 11 January 2026, two years minus thirty days.
    let presque = f.person("Presque");
    f.at("2024-02-10");
    f.device
        .lock()
        .create_rencontre(RencontreDraft {
            channel: Channel::Maraude,
            place: "Gare".into(),
            occurred_at: Some(noon("2024-02-10")),
            headcount: 1,
            persons: [presque].into(),
            ..RencontreDraft::default()
        })
        .unwrap();
    // A stage a year before the check.
    let suivie = f.person("Suivie");
    f.at("2025-01-11");
    f.device
        .lock()
        .change_stage(
            suivie.as_str(),
            Stage::Accompagnement,
            day("2025-01-11"),
            None,
        )
        .unwrap();
    // Registered for an event in June 2025.
    let inscrite = f.person("Inscrite");
    f.at("2025-05-01");
    let event = f
        .device
        .lock()
        .create_event(EventDraft {
            name: "Tournoi".into(),
            kind: EventKind::TournoiSportif,
            date: day("2025-06-01"),
            place: "Stade".into(),
            partners: Vec::new(),
        })
        .unwrap();
    f.device
        .lock()
        .register(RegistrationDraft {
            event_id: event,
            first_name_or_pseudonym: "Inscrite".into(),
            age_band: None,
            minor: false,
            contact: None,
            consent_given: false,
            checked_in_at: None,
            person_id: Some(inscrite),
        })
        .unwrap();

    // Exactly two years after the record was made: kept that day.
    f.at("2026-01-10");
    assert_eq!(f.device.erase_expired().unwrap(), 0);
    // Two years and a day: erased, with the retention reason in the register.
    f.at("2026-01-11");
    assert_eq!(
        f.warned("2026-01-11"),
        ["Ancien", "Presque"],
        "both are near the limit, the oldest first"
    );
    assert_eq!(f.device.erase_expired().unwrap(), 1);
    assert_eq!(f.names(), ["Inscrite", "Presque", "Suivie"]);
    assert!(matches!(
        f.device.lock().person_view(ancien.as_str()),
        Err(crate::CoreError::NotFound { .. })
    ));
    let register = f.device.lock().erasure_register().unwrap();
    assert_eq!(register.len(), 1);
    assert_eq!(register[0].reason, ErasureReason::Conservation);
    // Two years minus thirty days: warned, and kept.
    assert_eq!(f.warned("2026-01-11"), ["Presque"]);
    // Nothing more to do the same day.
    assert_eq!(f.device.erase_expired().unwrap(), 0);

    // A field worker's device erases nothing: a coordinator's does it for the team.
    f.at("2027-12-01");
    f.device.lock().set_meta("role", "intervenant").unwrap();
    assert_eq!(f.device.erase_expired().unwrap(), 0);
    assert_eq!(f.names(), ["Inscrite", "Presque", "Suivie"]);
    // A coordinator's: everyone is now past the limit.
    f.device.lock().set_meta("role", "coordinateur").unwrap();
    assert_eq!(f.device.erase_expired().unwrap(), 3);
    assert!(f.names().is_empty());
}

#[test]
fn a_coordinators_hold_keeps_the_file_until_lifted_and_no_form_lifts_it() {
    let f = Fixture::new("2024-01-10");
    let gardee = f.person("Gardée");
    f.person("Partie");
    f.at("2025-03-01");
    f.device
        .lock()
        .set_profile(filrouge_model::views::Profile {
            worker_name: Some("Awa".into()),
        })
        .unwrap();

    // A field worker's device may not hold a file.
    f.device.lock().set_meta("role", "intervenant").unwrap();
    let refused = f.device.hold_retention(HoldRetention {
        person: gardee.clone(),
        reason: Some("Procédure en cours".into()),
    });
    assert!(
        matches!(refused, Err(crate::CoreError::CoordinatorOnly)),
        "{refused:?}"
    );
    f.device.lock().set_meta("role", "coordinateur").unwrap();
    // A blank reason is refused, naming the field.
    let blank = f.device.hold_retention(HoldRetention {
        person: gardee.clone(),
        reason: Some("  ".into()),
    });
    assert!(
        matches!(&blank, Err(crate::CoreError::Validation(v)) if v.field == Field::Reason),
        "{blank:?}"
    );
    let view = f
        .device
        .hold_retention(HoldRetention {
            person: gardee.clone(),
            reason: Some("Procédure en cours au tribunal".into()),
        })
        .unwrap();
    let hold = view.person.retention_hold.clone().unwrap();
    assert_eq!(hold.reason, "Procédure en cours au tribunal");
    assert_eq!(hold.by.as_deref(), Some("Awa"));
    assert_eq!(hold.since, day("2025-03-01"));

    // A worker's edit of the file, from a form that read it before the hold, keeps it.
    let mut stale = view.person.clone();
    stale.retention_hold = None;
    stale.referent = Some("Awa".into());
    f.device
        .update_person(UpdatePerson {
            id: gardee.clone(),
            draft: stale,
        })
        .unwrap();

    // Past the limit: the held file stays and is not warned about; the other goes.
    f.at("2026-02-01");
    assert_eq!(
        f.warned("2026-02-01"),
        ["Partie"],
        "the held file is not warned about"
    );
    assert_eq!(f.device.erase_expired().unwrap(), 1);
    assert_eq!(f.names(), ["Gardée"]);
    let shown = f
        .device
        .get_person(GetPerson { id: gardee.clone() })
        .unwrap();
    assert!(
        shown.person.retention_hold.is_some(),
        "the edit kept the hold"
    );
    assert_eq!(shown.person.referent.as_deref(), Some("Awa"));

    // Lifted: the file follows the rule again at the next check.
    f.device
        .hold_retention(HoldRetention {
            person: gardee.clone(),
            reason: None,
        })
        .unwrap();
    assert_eq!(f.warned("2026-02-01"), ["Gardée"]);
    // The access log tells the hold from its lifting, and keeps neither's reason.
    let decisions: Vec<AccessAction> = f
        .device
        .lock()
        .access_entries(gardee.as_str())
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .filter(|a| {
            matches!(
                a,
                AccessAction::Conservation | AccessAction::ConservationLevee
            )
        })
        .collect();
    assert_eq!(
        decisions,
        [AccessAction::ConservationLevee, AccessAction::Conservation],
        "newest first"
    );
    assert_eq!(f.device.erase_expired().unwrap(), 1);
    assert!(f.names().is_empty());
}
