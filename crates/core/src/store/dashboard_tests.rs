//! The coordinator's figures on a store of known content, against a table computed by
//! hand (`dashboard_expected.txt`; how each figure was counted is written beside it).
//!
//! The fixture is November 2026 and the October before it: five persons, nine
//! rencontres by two named workers and one without a name, stage changes, orientations,
//! two events and four relances, each written at its own time on an injected clock, with
//! UUIDv7 ids drawn from that clock so that a record's creation time is its id's.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

use filrouge_model::dashboard::{Figure, FigureList, Figures, Period, PeriodKind};
use filrouge_model::{
    Channel, Day, EtapeDraft, EventDraft, EventKind, OrientationDraft, OrientationStatus,
    PartnerDraft, PartnerKind, PersonDraft, PublicCategory, RecordId, RegistrationDraft,
    RelanceDraft, RelanceStatus, RencontreDraft, Stage,
};

use super::tests::TestClock;
use crate::{Env, IdSource, Store};

/// UUIDv7 ids whose time is the test clock's.
struct ClockIds {
    clock: Arc<TestClock>,
    n: AtomicU64,
}

impl IdSource for ClockIds {
    fn new_id(&self) -> uuid::Uuid {
        let ms = self.clock.0.load(Ordering::SeqCst) as u64;
        let n = self.n.fetch_add(1, Ordering::SeqCst);
        let mut b = [0u8; 16];
        b[..6].copy_from_slice(&ms.to_be_bytes()[2..]);
        b[6] = 0x70 | ((n >> 8) & 0x0f) as u8;
        b[7] = n as u8;
        b[8] = 0x80;
        b[9..].copy_from_slice(&n.to_be_bytes()[1..]);
        uuid::Uuid::from_bytes(b)
    }
}

pub(crate) fn day(text: &str) -> Day {
    Day::parse(text).unwrap()
}

/// Milliseconds at `hh:mm` UTC on `date`.
pub(crate) fn at(date: &str, hh: i64, mm: i64) -> i64 {
    day(date).to_epoch_ms() + (hh * 60 + mm) * 60_000
}

const TODAY: &str = "2026-11-20";

pub(crate) struct Fixture {
    _dir: tempfile::TempDir,
    pub(crate) store: Store,
    clock: Arc<TestClock>,
    pub(crate) persons: Vec<RecordId>,
    formation: RecordId,
}

impl Fixture {
    /// Sets the clock to `ms` before the next write.
    pub(crate) fn now(&self, ms: i64) {
        self.clock.0.store(ms, Ordering::SeqCst);
    }

    pub(crate) fn person(
        &mut self,
        name: &str,
        created: &str,
        build: impl FnOnce(&mut PersonDraft),
    ) {
        self.now(at(created, 9, 0));
        let mut p = PersonDraft::new(name);
        build(&mut p);
        let id = self.store.create_person(p).unwrap();
        self.persons.push(id);
    }

    fn rencontre(
        &mut self,
        when: i64,
        channel: Channel,
        persons: &[usize],
        headcount: u32,
        worker: Option<&str>,
    ) {
        self.now(when + 3_600_000);
        self.store
            .create_rencontre(RencontreDraft {
                channel,
                place: "City stade".into(),
                occurred_at: Some(when),
                headcount,
                persons: persons.iter().map(|&i| self.persons[i].clone()).collect(),
                worker: worker.map(Into::into),
                ..Default::default()
            })
            .unwrap();
    }

    fn stage(&mut self, person: usize, stage: Stage, date: &str) -> RecordId {
        self.now(at(date, 18, 0));
        let id = self.persons[person].clone();
        self.store
            .change_stage(id.as_str(), stage, day(date), None)
            .unwrap();
        // The étape just written is the person's newest.
        self.store
            .timeline(id.as_str())
            .unwrap()
            .into_iter()
            .rev()
            .find(|e| e.what == filrouge_model::views::TimelineWhat::Etape(stage))
            .unwrap()
            .id
    }
}

pub(crate) fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(TestClock(AtomicI64::new(at("2026-09-01", 8, 0))));
    let env = Env {
        clock: clock.clone(),
        ids: Arc::new(ClockIds {
            clock: clock.clone(),
            n: AtomicU64::new(1),
        }),
    };
    let store = Store::open(&dir.path().join("store.sqlite"), env).unwrap();
    let mut f = Fixture {
        _dir: dir,
        store,
        clock,
        persons: Vec::new(),
        formation: RecordId::parse("00000000-0000-7000-8000-000000000000").unwrap(),
    };
    // 0 Amine: recorded and met in October, met again twice in November; QPV.
    f.person("Amine", "2026-10-05", |p| {
        p.categories.insert(PublicCategory::JeuneNeet);
        p.territory.qpv = true;
    });
    f.rencontre(
        at("2026-10-05", 10, 0),
        Channel::Maraude,
        &[0],
        0,
        Some("Karim"),
    );
    // 1 Binta: recorded in November, met three times in it; ZRR.
    f.person("Binta", "2026-11-03", |p| {
        p.categories.insert(PublicCategory::JeuneNeet);
        p.categories.insert(PublicCategory::Refugie);
        p.territory.zrr = true;
    });
    // 2 Chloé: recorded in November for a rencontre of October; overseas.
    f.person("Chloé", "2026-11-15", |p| {
        p.categories.insert(PublicCategory::Decrocheur);
        p.territory.outre_mer = true;
    });
    f.rencontre(
        at("2026-10-28", 16, 0),
        Channel::PorteAPorte,
        &[2],
        2,
        Some("Lea"),
    );
    // 3 Dylan: recorded in November, never met, spotted.
    f.person("Dylan", "2026-11-18", |_| {});
    // 4 Eva: recorded in September, enters training on November's last day.
    f.person("Eva", "2026-09-01", |_| {});

    f.rencontre(
        at("2026-11-03", 14, 0),
        Channel::Maraude,
        &[0, 1],
        3,
        Some("Karim"),
    );
    f.rencontre(
        at("2026-11-10", 15, 0),
        Channel::EvenementSportif,
        &[0],
        0,
        Some("Lea"),
    );
    f.rencontre(
        at("2026-11-12", 10, 0),
        Channel::Maraude,
        &[1],
        5,
        Some("Karim"),
    );
    f.rencontre(
        at("2026-11-12", 21, 0),
        Channel::MaraudeNumerique,
        &[1],
        0,
        None,
    );
    f.rencontre(
        at("2026-11-15", 11, 0),
        Channel::Maraude,
        &[2],
        1,
        Some("Lea"),
    );
    f.rencontre(
        at("2026-11-30", 23, 30),
        Channel::Maraude,
        &[],
        4,
        Some("Karim"),
    );
    f.rencontre(
        at("2026-12-01", 0, 10),
        Channel::Maraude,
        &[],
        2,
        Some("Karim"),
    );

    f.stage(0, Stage::EnContact, "2026-11-10");
    f.stage(1, Stage::Accompagnement, "2026-11-12");
    f.stage(3, Stage::Repere, "2026-11-18");
    f.formation = f.stage(4, Stage::Formation, "2026-11-30");

    f.now(at("2026-11-20", 12, 0));
    let partner = f
        .store
        .create_partner(PartnerDraft {
            name: "Mission locale Nord".into(),
            kind: PartnerKind::MissionLocale,
            contact: None,
            commune: None,
        })
        .unwrap()
        .id;
    let orientation = |person: &RecordId,
                       partner_id: Option<&RecordId>,
                       name: Option<&str>,
                       status,
                       date: &str| {
        OrientationDraft {
            person_id: person.clone(),
            partner_id: partner_id.cloned(),
            partner_name: name.map(Into::into),
            reason: "Garantie jeunes".into(),
            consent_given: true,
            status,
            outcome: None,
            date: day(date),
        }
    };
    let (a, b) = (f.persons[0].clone(), f.persons[1].clone());
    f.store
        .import(vec![
            orientation(
                &b,
                Some(&partner),
                None,
                OrientationStatus::Acceptee,
                "2026-11-13",
            ),
            orientation(
                &a,
                None,
                Some("CIDFF"),
                OrientationStatus::Proposee,
                "2026-11-20",
            ),
            orientation(
                &a,
                Some(&partner),
                None,
                OrientationStatus::Proposee,
                "2026-10-20",
            ),
        ])
        .unwrap();

    let event = |name: &str, date: &str| EventDraft {
        name: name.into(),
        kind: EventKind::TournoiSportif,
        date: day(date),
        place: "City stade".into(),
        partners: Vec::new(),
    };
    let ids = f
        .store
        .import(vec![
            event("Tournoi du city stade", "2026-11-21"),
            event("Forum de l'emploi", "2026-10-15"),
        ])
        .unwrap();
    let registration = |name: &str, checked_in: bool| RegistrationDraft {
        event_id: ids[0].clone(),
        first_name_or_pseudonym: name.into(),
        age_band: None,
        minor: false,
        contact: None,
        consent_given: false,
        checked_in_at: checked_in.then(|| at("2026-11-20", 11, 0)),
        person_id: None,
    };
    f.store
        .import(vec![
            registration("Yanis", true),
            registration("Sofiane", true),
            registration("Inès", false),
        ])
        .unwrap();

    let relance = |referent: &str, due: &str, status| RelanceDraft {
        person_id: Some(a.clone()),
        rencontre_id: None,
        referent: referent.into(),
        due: day(due),
        reason: "Rappeler".into(),
        status,
    };
    f.store
        .import(vec![
            relance("Karim", "2026-11-15", RelanceStatus::AFaire),
            relance("Karim", "2026-11-25", RelanceStatus::AFaire),
            relance("Lea", "2026-11-19", RelanceStatus::AFaire),
            relance("Lea", "2026-11-10", RelanceStatus::Faite),
        ])
        .unwrap();
    f
}

/// The figures as the lines of the expected table.
fn render(name: &str, f: &Figures) -> Vec<String> {
    let mut out = vec![
        format!("{name} rencontres = {}", f.rencontres),
        format!("{name} named = {}", f.named),
        format!("{name} anonymous = {}", f.anonymous),
        format!("{name} persons_met = {}", f.persons_met),
        format!("{name} new_persons = {}", f.new_persons),
        format!("{name} qpv = {}", f.qpv),
        format!("{name} zrr = {}", f.zrr),
        format!("{name} outre_mer = {}", f.outre_mer),
    ];
    out.extend(
        f.by_channel
            .iter()
            .map(|c| format!("{name} channel {} = {}", c.key.code(), c.count)),
    );
    out.extend(f.by_worker.iter().map(|c| {
        format!(
            "{name} worker {} = {}",
            c.key.as_deref().unwrap_or("-"),
            c.count
        )
    }));
    out.extend(
        f.by_day
            .iter()
            .map(|c| format!("{name} day {} = {}", c.key, c.count)),
    );
    out.extend(
        f.reached
            .iter()
            .map(|c| format!("{name} reached {} = {}", c.key.code(), c.count)),
    );
    out.extend(
        f.categories
            .iter()
            .map(|c| format!("{name} category {} = {}", c.key.code(), c.count)),
    );
    out.extend(f.orientations.iter().map(|o| {
        format!(
            "{name} orientation {} {} = {}",
            o.partner.as_deref().unwrap_or("-"),
            o.status.code(),
            o.count
        )
    }));
    out.extend(f.events.iter().map(|e| {
        format!(
            "{name} event {} {} = {} / {}",
            e.date, e.name, e.registered, e.checked_in
        )
    }));
    out
}

fn november() -> Period {
    Period::containing(PeriodKind::Month, day("2026-11-18"))
}

#[test]
fn every_figure_equals_the_table_computed_by_hand() {
    let f = fixture();
    let board = f.store.dashboard(november(), day(TODAY)).unwrap();
    let mut lines = render("november", &board.current);
    lines.extend(render("october", &board.previous));
    lines.extend(
        board
            .stages_now
            .iter()
            .map(|c| format!("now {} = {}", c.key.map_or("-", |s| s.code()), c.count)),
    );
    lines.extend(
        board
            .overdue
            .iter()
            .map(|c| format!("overdue {} = {}", c.key, c.count)),
    );
    let expected: Vec<&str> = include_str!("dashboard_expected.txt")
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    assert_eq!(lines, expected);
}

/// Every count of the dashboard, as the figure that lists it.
fn figures_of(board: &filrouge_model::dashboard::Dashboard) -> Vec<(Figure, u64)> {
    let c = &board.current;
    let mut all = vec![
        (Figure::Rencontres, c.rencontres),
        (Figure::PersonsMet, c.persons_met),
        (Figure::NewPersons, c.new_persons),
        (Figure::Qpv, c.qpv),
        (Figure::Zrr, c.zrr),
        (Figure::OutreMer, c.outre_mer),
    ];
    all.extend(
        c.by_channel
            .iter()
            .map(|x| (Figure::Channel(x.key), x.count)),
    );
    all.extend(
        c.by_worker
            .iter()
            .map(|x| (Figure::Worker(x.key.clone()), x.count)),
    );
    all.extend(c.by_day.iter().map(|x| (Figure::OnDay(x.key), x.count)));
    all.extend(c.reached.iter().map(|x| (Figure::Reached(x.key), x.count)));
    all.extend(
        c.categories
            .iter()
            .map(|x| (Figure::Category(x.key), x.count)),
    );
    all.extend(c.orientations.iter().map(|o| {
        let figure = Figure::Orientations {
            partner: o.partner.clone(),
            status: o.status,
        };
        (figure, o.count)
    }));
    all.extend(
        board
            .stages_now
            .iter()
            .map(|x| (Figure::StageNow(x.key), x.count)),
    );
    all.extend(
        board
            .overdue
            .iter()
            .map(|x| (Figure::Overdue(x.key.clone()), x.count)),
    );
    all
}

#[test]
fn a_count_of_n_lists_exactly_n_records() {
    let f = fixture();
    let board = f.store.dashboard(november(), day(TODAY)).unwrap();
    let figures = figures_of(&board);
    assert!(figures.len() > 25, "every kind of figure is checked");
    for (figure, n) in figures {
        let list = f
            .store
            .figure_list(november(), &figure, day(TODAY))
            .unwrap();
        assert_eq!(list.len() as u64, n, "{figure:?}");
    }
    // The persons listed are the ones counted, by pseudonym.
    let FigureList::Persons(met) = f
        .store
        .figure_list(november(), &Figure::PersonsMet, day(TODAY))
        .unwrap()
    else {
        panic!("persons")
    };
    let names: Vec<_> = met.iter().map(|p| p.pseudonym.as_str()).collect();
    assert_eq!(names, ["Amine", "Binta", "Chloé"]);
    let FigureList::Persons(new) = f
        .store
        .figure_list(november(), &Figure::NewPersons, day(TODAY))
        .unwrap()
    else {
        panic!("persons")
    };
    let names: Vec<_> = new.iter().map(|p| p.pseudonym.as_str()).collect();
    assert_eq!(names, ["Binta", "Dylan"]);
}

#[test]
fn moving_a_stage_date_across_the_period_end_moves_exactly_one_count() {
    let mut f = fixture();
    let before = f.store.dashboard(november(), day(TODAY)).unwrap();
    // Eva's entry into training moves from 30 November to 1 December.
    f.now(at("2026-12-01", 9, 0));
    let mut draft: EtapeDraft = f.store.get(f.formation.as_str()).unwrap();
    draft.date = day("2026-12-01");
    f.store.update(f.formation.as_str(), draft).unwrap();
    let after = f.store.dashboard(november(), day(TODAY)).unwrap();
    let (b, a) = (render("m", &before.current), render("m", &after.current));
    let changed: Vec<_> = b.iter().filter(|l| !a.contains(l)).collect();
    assert_eq!(changed, ["m reached formation = 1"]);
    assert_eq!(a.len() + 1, b.len());
    let december = Period::containing(PeriodKind::Month, day("2026-12-01"));
    let dec = f.store.figures(december).unwrap();
    assert_eq!(dec.reached.len(), 1);
    assert_eq!(
        (dec.reached[0].key, dec.reached[0].count),
        (Stage::Formation, 1)
    );
}

#[test]
fn no_part_exceeds_its_total() {
    let f = fixture();
    for period in [
        november(),
        november().previous(),
        Period::containing(PeriodKind::Year, day(TODAY)),
    ] {
        let c = f.store.figures(period).unwrap();
        let sum = |v: Vec<u64>| v.into_iter().sum::<u64>();
        assert_eq!(
            sum(c.by_channel.iter().map(|x| x.count).collect()),
            c.rencontres
        );
        assert_eq!(
            sum(c.by_worker.iter().map(|x| x.count).collect()),
            c.rencontres
        );
        assert_eq!(
            sum(c.by_day.iter().map(|x| x.count).collect()),
            c.rencontres
        );
        for part in [c.qpv, c.zrr, c.outre_mer] {
            assert!(part <= c.persons_met);
        }
        for cat in &c.categories {
            assert!(cat.count <= c.persons_met);
        }
    }
}

#[test]
fn a_bad_custom_period_is_refused() {
    let f = fixture();
    let bad = Period {
        kind: PeriodKind::Custom,
        start: day("2026-11-30"),
        end: day("2026-11-01"),
    };
    assert!(matches!(
        f.store.dashboard(bad, day(TODAY)),
        Err(crate::CoreError::Validation(e)) if e.field == filrouge_model::Field::Period
    ));
}

#[test]
fn devices_that_have_not_synced_for_a_week_make_the_figures_provisional() {
    use filrouge_model::ipc::TeamDevice;
    use filrouge_model::sync::Role;
    let f = fixture();
    let now = at(TODAY, 12, 0);
    f.now(now);
    let one = 86_400_000;
    let device =
        |name: &str, enrolled: i64, seen: Option<i64>, revoked: Option<i64>, me: bool| TeamDevice {
            id: name.into(),
            name: name.into(),
            role: Role::Intervenant,
            enrolled_at: enrolled,
            revoked_at: revoked,
            last_seen_at: seen,
            this_device: me,
        };
    // Nothing known of the team: nothing said, while the device is in no team...
    let board = f.store.dashboard(november(), day(TODAY)).unwrap();
    assert!(board.stale_devices.is_empty() && !board.devices_unknown);
    // ...and said once it is, until the team's devices have been listed.
    f.store
        .set_meta("server_url", "https://equipe.example")
        .unwrap();
    assert!(
        f.store
            .dashboard(november(), day(TODAY))
            .unwrap()
            .devices_unknown
    );
    f.store
        .remember_team_devices(&[
            device(
                "Portable coordination",
                now - 90 * one,
                Some(now - 20 * one),
                None,
                true,
            ),
            device(
                "Téléphone de Karim",
                now - 90 * one,
                Some(now - 2 * one),
                None,
                false,
            ),
            device(
                "Téléphone de Léa",
                now - 90 * one,
                Some(now - 10 * one),
                None,
                false,
            ),
            device(
                "Téléphone perdu",
                now - 90 * one,
                Some(now - 30 * one),
                Some(now - 29 * one),
                false,
            ),
            device("Tablette du forum", now - 30 * one, None, None, false),
            device("Téléphone neuf", now - one, None, None, false),
        ])
        .unwrap();
    let board = f.store.dashboard(november(), day(TODAY)).unwrap();
    assert!(!board.devices_unknown);
    let stale = board.stale_devices;
    let names: Vec<&str> = stale.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["Téléphone de Léa", "Tablette du forum"]);
    assert_eq!(stale[0].last_seen_at, Some(now - 10 * one));
}
