//! The data-quality rules on a store made over four months: each rule finds what it
//! should and nothing else, with the day that makes it found.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

use super::*;
use crate::Env;
use crate::store::tests::{CountingIds, NOW, TestClock};
use filrouge_model::{Channel, EtapeDraft, PersonDraft, RencontreDraft};

const DAY: i64 = 86_400_000;

fn day(ms: i64) -> Day {
    Day::from_epoch_ms(ms)
}

#[test]
fn each_rule_finds_what_it_should_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(TestClock(AtomicI64::new(NOW - 100 * DAY)));
    let env = Env {
        clock: clock.clone(),
        ids: Arc::new(CountingIds(AtomicU64::new(1), 1)),
    };
    let mut s = Store::open(&dir.path().join("s.sqlite"), env).unwrap();
    let lina = s.create_person(PersonDraft::new("Lina")).unwrap();
    let yanis = s.create_person(PersonDraft::new("Yanis")).unwrap();
    for (who, at, note) in [
        (&lina, NOW - 110 * DAY, "Rappeler au 06 12 34 56 78"),
        (&yanis, NOW - 115 * DAY, "Tournoi de foot"),
    ] {
        s.create_rencontre(RencontreDraft {
            channel: Channel::Maraude,
            place: "Gare".into(),
            occurred_at: Some(at),
            persons: [who.clone()].into(),
            note: note.into(),
            ..RencontreDraft::default()
        })
        .unwrap();
    }
    for (who, stage, at, note) in [
        (&lina, Stage::Accompagnement, NOW - 105 * DAY, None),
        (
            &yanis,
            Stage::Formation,
            NOW - 112 * DAY,
            Some("Suivi psychiatrique"),
        ),
        // Yanis's earlier stage is dated after the later one.
        (&yanis, Stage::Accompagnement, NOW - 108 * DAY, None),
    ] {
        s.record_stage(EtapeDraft {
            person_id: who.clone(),
            stage,
            date: day(at),
            note: note.map(Into::into),
            exit: None,
        })
        .unwrap();
    }
    let late = s
        .plan_relance(Some(lina.clone()), day(NOW - 20 * DAY), "Rappeler".into())
        .unwrap();
    s.plan_relance(Some(yanis.clone()), day(NOW - 5 * DAY), "Rappeler".into())
        .unwrap();
    // Yanis was met again lately; Lina was not.
    clock.0.store(NOW - 10 * DAY, Ordering::SeqCst);
    s.create_rencontre(RencontreDraft {
        channel: Channel::Maraude,
        place: "Gare".into(),
        persons: [yanis.clone()].into(),
        ..RencontreDraft::default()
    })
    .unwrap();
    clock.0.store(NOW, Ordering::SeqCst);

    let q = s.data_quality(day(NOW)).unwrap();
    let rules: Vec<QualityRule> = q.checks.iter().map(|c| c.rule).collect();
    assert_eq!(rules, QualityRule::ALL);
    let found = |rule: QualityRule| -> Vec<(RecordKind, Option<String>, Option<NoteFinding>)> {
        let check = q.checks.iter().find(|c| c.rule == rule).unwrap();
        assert_eq!(check.count as usize, check.items.len());
        check
            .items
            .iter()
            .map(|i| {
                (
                    i.kind,
                    i.person.as_ref().map(|p| p.as_str().to_owned()),
                    i.found,
                )
            })
            .collect()
    };
    let (lina_id, yanis_id) = (
        Some(lina.as_str().to_owned()),
        Some(yanis.as_str().to_owned()),
    );
    assert_eq!(
        found(QualityRule::LateRelance),
        [(RecordKind::Relance, lina_id.clone(), None)]
    );
    let late_item = &q.checks[0].items[0];
    assert_eq!(
        (late_item.record.clone(), late_item.day),
        (late, Some(day(NOW - 20 * DAY)))
    );
    assert_eq!(late_item.about, "Lina");
    assert_eq!(
        found(QualityRule::Unseen),
        [(RecordKind::Personne, lina_id.clone(), None)]
    );
    assert_eq!(
        found(QualityRule::StageOrder),
        [(RecordKind::Etape, yanis_id.clone(), None)]
    );
    assert_eq!(
        found(QualityRule::Note),
        [
            (RecordKind::Etape, yanis_id, Some(NoteFinding::Health)),
            (RecordKind::Rencontre, lina_id, Some(NoteFinding::Phone)),
        ]
    );
    assert!(found(QualityRule::Retention).is_empty());
    // 21 months after their last contacts, both near the retention limit; a month
    // earlier, only Lina (met 100 days before Yanis).
    let later = s.data_quality(day(NOW + 600 * DAY)).unwrap();
    assert_eq!(later.checks[4].count, 1);
    assert_eq!(later.checks[4].items[0].about, "Lina");
    let later = s.data_quality(day(NOW + 650 * DAY)).unwrap();
    assert_eq!(later.checks[4].count, 2);
}
