//! The funder's table of the default definitions on the coordinator's fixture (see
//! `dashboard_tests.rs`), with ages, stage changes and exits added, against counts made
//! by hand; small cells in the funder's mode; no "dont" line over its total.

use filrouge_model::dashboard::{Period, PeriodKind};
use filrouge_model::indicators::{Cell, DEFAULT_SET, FunderTable, IndicatorSet};
use filrouge_model::{AgeBand, EtapeDraft, ExitKind, PersonDraft, Stage};

use super::dashboard_tests::{Fixture, at, day, fixture};

/// The fixture, plus: Amine born in 2005 and mobilised on 5 November; Binta aged 18–25
/// and out to a job on 25 November; Chloé handed over to mainstream services on 30
/// October, then out to a job on 26 November; Eva out with no positive kind.
fn with_exits() -> Fixture {
    let mut f = fixture();
    let (a, b, c, e) = (
        f.persons[0].clone(),
        f.persons[1].clone(),
        f.persons[2].clone(),
        f.persons[4].clone(),
    );
    f.now(at("2026-11-29", 12, 0));
    let mut amine: PersonDraft = f.store.get(a.as_str()).unwrap();
    amine.birth_year = Some(2005);
    f.store.update(a.as_str(), amine).unwrap();
    let mut binta: PersonDraft = f.store.get(b.as_str()).unwrap();
    binta.age_band = Some(AgeBand::From18To25);
    f.store.update(b.as_str(), binta).unwrap();
    let stage = |person: &filrouge_model::RecordId, stage, date: &str, exit| EtapeDraft {
        person_id: person.clone(),
        stage,
        date: day(date),
        note: None,
        exit,
    };
    for etape in [
        stage(&a, Stage::Remobilisation, "2026-11-05", None),
        stage(&b, Stage::Sortie, "2026-11-25", Some(ExitKind::Emploi)),
        stage(&c, Stage::Sortie, "2026-10-30", Some(ExitKind::DroitCommun)),
        stage(&c, Stage::Sortie, "2026-11-26", Some(ExitKind::Emploi)),
        stage(&e, Stage::Sortie, "2026-11-29", Some(ExitKind::Autre)),
    ] {
        f.store.record_stage(etape).unwrap();
    }
    f
}

fn cell(c: Cell) -> String {
    match c {
        Cell::Count(n) => n.to_string(),
        Cell::Suppressed => "<5".into(),
    }
}

/// `id: columns… | total`, one line per indicator.
fn render(t: &FunderTable) -> Vec<String> {
    t.rows
        .iter()
        .map(|r| {
            let cells: Vec<String> = r.cells.iter().map(|c| cell(*c)).collect();
            let sep = if cells.is_empty() { "" } else { " " };
            format!("{}: {}{sep}| {}", r.id, cells.join(" "), cell(r.total))
        })
        .collect()
}

fn set() -> IndicatorSet {
    IndicatorSet::parse(DEFAULT_SET).unwrap()
}

#[test]
fn the_years_table_equals_the_counts_made_by_hand() {
    let f = with_exits();
    let year = Period::containing(PeriodKind::Year, day("2026-11-20"));
    let table = f.store.funder_table(&set(), year, false).unwrap();
    assert_eq!(table.columns.len(), 4);
    assert_eq!(
        render(&table),
        [
            // Eva recorded in September; Amine, Chloé (her rencontre of 28 October),
            // Binta and Dylan in the fourth quarter.
            "reperes: 0 0 1 4 | 5",
            // Amine (born 2005: 21) and Binta (18–25).
            "reperes-jeunes: 0 0 0 2 | 2",
            "reperes-neet: 0 0 0 2 | 2",
            "reperes-qpv: 0 0 0 1 | 1",
            "reperes-zrr: 0 0 0 1 | 1",
            "reperes-outre-mer: 0 0 0 1 | 1",
            "rencontrees: 0 0 0 3 | 3",
            "mobilises: 0 0 0 1 | 1",
            "entres-parcours: 0 0 0 1 | 1",
            "entres-parcours-jeunes: 0 0 0 1 | 1",
            // Chloé's first positive exit (30 October) and Binta's (25 November); Eva's
            // is not positive.
            "sorties-positives: 0 0 0 2 | 2",
            "sorties-emploi: 0 0 0 2 | 2",
            "sorties-formation: 0 0 0 0 | 0",
            "sorties-apprentissage: 0 0 0 0 | 0",
            "sorties-creation: 0 0 0 0 | 0",
            "sorties-droit-commun: 0 0 0 1 | 1",
        ]
    );
}

#[test]
fn a_month_counts_first_events_once_and_parts_within_their_whole() {
    let f = with_exits();
    let november = Period::containing(PeriodKind::Month, day("2026-11-20"));
    let table = f.store.funder_table(&set(), november, false).unwrap();
    assert!(table.columns.is_empty());
    let lines = render(&table);
    // Chloé's first positive exit was in October: her job in November is not a new
    // positive exit, so it is no part of November's either (a part never exceeds it).
    assert!(
        lines.contains(&"sorties-positives: | 1".to_owned()),
        "{lines:?}"
    );
    assert!(
        lines.contains(&"sorties-emploi: | 1".to_owned()),
        "{lines:?}"
    );
    // Binta, met three times, counts once.
    assert!(lines.contains(&"rencontrees: | 3".to_owned()), "{lines:?}");
    assert!(lines.contains(&"reperes: | 2".to_owned()), "{lines:?}");
    for period in [
        november,
        november.previous(),
        Period::containing(PeriodKind::Year, day("2026-01-01")),
    ] {
        let t = f.store.funder_table(&set(), period, false).unwrap();
        for (row, def) in t.rows.iter().zip(&set().indicators) {
            let Some(parent) = &def.part_of else { continue };
            let whole = t.rows.iter().find(|r| &r.id == parent).unwrap();
            let n = |c: Cell| match c {
                Cell::Count(n) => n,
                Cell::Suppressed => unreachable!("not in the funder's mode"),
            };
            assert!(n(row.total) <= n(whole.total), "{} over {parent}", row.id);
            for (part, all) in row.cells.iter().zip(&whole.cells) {
                assert!(n(*part) <= n(*all), "{} over {parent}", row.id);
            }
        }
    }
}

#[test]
fn the_funders_mode_hides_small_cells_and_keeps_zeros() {
    let f = with_exits();
    let year = Period::containing(PeriodKind::Year, day("2026-11-20"));
    let table = f.store.funder_table(&set(), year, true).unwrap();
    let lines = render(&table);
    assert_eq!(lines[0], "reperes: 0 0 <5 <5 | 5");
    assert_eq!(lines[12], "sorties-formation: 0 0 0 0 | 0");
    assert!(table.funder_mode);
}

#[test]
fn an_exit_kind_belongs_to_a_sortie_only() {
    let mut f = fixture();
    let a = f.persons[0].clone();
    f.now(at("2026-11-29", 12, 0));
    let err = f
        .store
        .record_stage(EtapeDraft {
            person_id: a,
            stage: Stage::Formation,
            date: day("2026-11-28"),
            note: None,
            exit: Some(ExitKind::Formation),
        })
        .unwrap_err();
    assert!(
        matches!(err, crate::CoreError::Validation(e) if e.field == filrouge_model::Field::Exit)
    );
}

#[test]
fn a_lone_hidden_cell_takes_another_with_it() {
    let set = IndicatorSet::parse(
        r#"{"format": 1, "name": "t", "indicators": [
            {"id": "p", "label": "Sorties positives", "event": {"kind": "exit", "exits": ["emploi", "formation"]}},
            {"id": "a", "label": "dont emploi", "event": {"kind": "exit", "exits": ["emploi"]}, "part_of": "p"},
            {"id": "b", "label": "dont formation", "event": {"kind": "exit", "exits": ["formation"]}, "part_of": "p"}]}"#,
    )
    .unwrap();
    // Quarters add up to the total: with Q3 hidden alone, 33 - 10 - 12 - 8 would tell it.
    let hide = super::funder::suppressed(&[vec![10, 12, 3, 8, 33], vec![0; 5], vec![0; 5]], &set);
    assert_eq!(hide[0], [false, false, true, true, false]);
    // Parts add up to their whole: with "formation" hidden alone, 20 - 17 would tell it.
    let hide = super::funder::suppressed(&[vec![20], vec![17], vec![3]], &set);
    assert_eq!(hide, [[false], [true], [true]]);
    // Nothing to work out: nothing more hidden.
    let hide = super::funder::suppressed(&[vec![20], vec![20], vec![0]], &set);
    assert_eq!(hide, [[false], [false], [false]]);
}

#[test]
fn the_tables_reperes_are_the_dashboards_new_persons_in_every_period() {
    // The table reads when each person was first seen in one pass for all its columns,
    // the dashboard asks `NEW` for its one period: the same persons either way. Fanta,
    // recorded on 1 December, had a stage change on 10 March: first seen in March.
    let mut f = with_exits();
    f.person("Fanta", "2026-12-01", |_| {});
    let fanta = f.persons.last().unwrap().clone();
    f.store
        .record_stage(EtapeDraft {
            person_id: fanta,
            stage: Stage::Remobilisation,
            date: day("2026-03-10"),
            note: None,
            exit: None,
        })
        .unwrap();
    let year = Period::containing(PeriodKind::Year, day("2026-11-20"));
    let mut periods = vec![year];
    for kind in [PeriodKind::Quarter, PeriodKind::Month] {
        let mut p = Period::containing(kind, year.start);
        while p.start <= year.end {
            periods.push(p);
            p = p.next();
        }
    }
    let mut seen = 0;
    for period in periods {
        let table = f.store.funder_table(&set(), period, false).unwrap();
        let reperes = table.rows.iter().find(|r| r.id == "reperes").unwrap();
        let new = f.store.figures(period).unwrap().new_persons;
        assert_eq!(reperes.total, Cell::Count(new), "{period:?}");
        seen += new;
    }
    assert_eq!(
        seen,
        6 * 3,
        "each person once in the year, its quarter and its month"
    );
}
