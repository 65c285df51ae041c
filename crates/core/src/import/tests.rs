//! Imports as a coordinator lives them: the team's CSV (French Excel's `;` and
//! Windows-1252) and a workbook, a dry run that lists every refused row and why, an
//! import that writes all or nothing, and the same file imported twice.

use filrouge_model::import::{ImportField, ImportIssue, ImportKind, ImportMapping};
use filrouge_model::{Channel, Field, Stage};

use super::{describe_fr, preview, read};
use crate::Store;
use crate::store::tests::{NOW, test_env};

const RENCONTRES: &str = "\u{feff}Date;Canal;Lieu;Nombre;Intervenante;Remarque\r\n\
03/09/2026 14:30;Maraude;City stade;3;Karim;trois jeunes\r\n\
04/09/2026;porte_a_porte;Résidence des Lilas;2;Léa;\r\n\
05/09/2026;Maraude numérique;Snapchat;1;;\r\n";

fn store(dir: &tempfile::TempDir) -> Store {
    Store::open(&dir.path().join("store.sqlite"), test_env(NOW, 1)).unwrap()
}

fn count(store: &Store, table: &str) -> i64 {
    store
        .conn
        .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

#[test]
fn the_teams_csv_is_previewed_mapped_and_imported_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = store(&dir);
    let sheet = read(RENCONTRES.as_bytes()).unwrap();
    let p = preview(&sheet);
    assert_eq!(p.rows, 3);
    assert_eq!(p.headers[0], "Date");
    let mut mapping = p.suggested[0].clone();
    assert_eq!(mapping.kind, ImportKind::Rencontres);
    // "Remarque" is not a name the guess knows: the coordinator maps it.
    assert_eq!(mapping.column(ImportField::Note), None);
    mapping.columns.push((ImportField::Note, 5));

    let dry = s.import_sheet(&sheet, &mapping, false).unwrap();
    assert_eq!((dry.rows, dry.created, dry.written), (3, 3, false));
    assert_eq!(count(&s, "rencontres"), 0, "a dry run writes nothing");

    let done = s.import_sheet(&sheet, &mapping, true).unwrap();
    assert_eq!((done.created, done.already, done.written), (3, 0, true));
    let rows = s.list_rencontres_since(0).unwrap();
    assert_eq!(rows.len(), 3);
    let stade = rows.iter().find(|r| r.place == "City stade").unwrap();
    assert_eq!((stade.channel, stade.headcount), (Channel::Maraude, 3));
    assert_eq!(stade.note, "trois jeunes");
    assert!(rows.iter().any(|r| r.channel == Channel::MaraudeNumerique));
    let worker: Option<String> = s
        .conn
        .query_row(
            "SELECT worker FROM rencontres WHERE id = ?1",
            [stade.id.as_str()],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(worker.as_deref(), Some("Karim"));

    // The same file again creates nothing.
    let again = s.import_sheet(&sheet, &mapping, true).unwrap();
    assert_eq!((again.created, again.already), (0, 3));
    assert_eq!(count(&s, "rencontres"), 3);
}

#[test]
fn every_refused_row_is_listed_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = store(&dir);
    let csv = "Date;Canal;Lieu;Nombre\n\
               03/09/2026;Maraude;Gare;2\n\
               31/02/2026;Maraude;Gare;2\n\
               04/09/2026;Trottinette;Gare;2\n\
               05/09/2026;Maraude;Gare;deux\n\
               06/09/2026;Maraude;Gare;0\n\
               ;Maraude;Gare;2\n";
    let sheet = read(csv.as_bytes()).unwrap();
    let mapping = ImportMapping::suggest(ImportKind::Rencontres, &sheet.headers);
    let report = s.import_sheet(&sheet, &mapping, true).unwrap();
    assert!(!report.written);
    assert_eq!(report.created, 0);
    assert_eq!(count(&s, "rencontres"), 0, "all or nothing");
    let lines: Vec<u64> = report.refused.iter().map(|p| p.line).collect();
    assert_eq!(lines, [3, 4, 5, 6, 7]);
    assert!(
        matches!(&report.refused[0].issue, ImportIssue::BadDate { value } if value == "31/02/2026")
    );
    assert_eq!(report.refused[1].column.as_deref(), Some("Canal"));
    assert!(
        matches!(&report.refused[1].issue, ImportIssue::UnknownValue { value } if value == "Trottinette")
    );
    assert!(matches!(
        &report.refused[2].issue,
        ImportIssue::BadNumber { .. }
    ));
    // Nobody met: the model's own rule.
    assert!(
        matches!(&report.refused[3].issue, ImportIssue::Invalid { error } if error.field == Field::Headcount)
    );
    assert!(
        matches!(&report.refused[4].issue, ImportIssue::Invalid { error } if error.field == Field::OccurredAt)
    );
    assert_eq!(
        describe_fr(&report.refused[1]),
        "ligne 4, colonne « Canal » : valeur inconnue « Trottinette »"
    );
}

#[test]
fn persons_come_from_a_windows_1252_csv_and_from_a_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = store(&dir);
    // French Excel's "CSV (séparateur : point-virgule)": Windows-1252.
    let mut csv: Vec<u8> = b"Pr\xe9nom;NOM;Ann\xe9e de naissance;QPV;Publics;\xc9tape\r\n".to_vec();
    csv.extend_from_slice(b"\xc9lo\xefse;Martin;2007;oui;Jeune 16\x9629 ans / NEET;En contact\r\n");
    csv.extend_from_slice(b"Momo;;;non;;\r\n");
    let sheet = read(&csv).unwrap();
    let mapping = ImportMapping::suggest(ImportKind::Personnes, &sheet.headers);
    assert_eq!(mapping.column(ImportField::Stage), Some(5));
    let report = s.import_sheet(&sheet, &mapping, true).unwrap();
    assert!(report.refused.is_empty(), "{:?}", report.refused);
    assert_eq!(report.created, 2);
    let hits = s.search_persons("elo", 5).unwrap();
    assert_eq!(hits[0].pseudonym, "Éloïse");
    assert_eq!(hits[0].stage, Some(Stage::EnContact));

    // The same persons from a workbook the export wrote: read back, recognised.
    let book = dir.path().join("personnes.xlsx");
    let table = crate::export::Table {
        name: "Personnes",
        columns: [
            "Prénom",
            "NOM",
            "Année de naissance",
            "QPV",
            "Publics",
            "Étape",
        ]
        .iter()
        .map(|t| crate::export::Column {
            title: (*t).into(),
            definition: "",
        })
        .collect(),
        rows: vec![vec![
            crate::export::Value::Text("Éloïse".into()),
            crate::export::Value::Text("Martin".into()),
            crate::export::Value::Number(2007),
            crate::export::Value::Text("oui".into()),
            crate::export::Value::Text("Jeune 16–29 ans / NEET".into()),
            crate::export::Value::Text("En contact".into()),
        ]],
    };
    let params = crate::export::Parameters {
        what: "test".into(),
        period: filrouge_model::dashboard::Period::containing(
            filrouge_model::dashboard::PeriodKind::Month,
            filrouge_model::Day::from_epoch_ms(NOW),
        ),
        at: NOW,
        by: None,
        personal: true,
    };
    crate::export::xlsx::write(&book, &[table], &params).unwrap();
    let sheet = read(&std::fs::read(&book).unwrap()).unwrap();
    let report = s.import_sheet(&sheet, &mapping, true).unwrap();
    assert_eq!((report.created, report.already), (0, 1), "{report:?}");
}

#[test]
fn a_file_that_is_no_spreadsheet_is_said() {
    assert!(matches!(
        read(b""),
        Err(crate::CoreError::Spreadsheet { .. })
    ));
    assert!(matches!(
        read(b"PK\x03\x04 not really a zip"),
        Err(crate::CoreError::Spreadsheet { .. })
    ));
}

#[test]
fn imported_persons_are_new_when_first_met_not_when_imported() {
    use filrouge_model::dashboard::{Period, PeriodKind};
    let dir = tempfile::tempdir().unwrap();
    let mut s = store(&dir);
    let csv = "Prénom;Commune\nAmine;Lille\nBinta;Roubaix\n";
    let sheet = read(csv.as_bytes()).unwrap();
    let mapping = ImportMapping::suggest(ImportKind::Personnes, &sheet.headers);
    assert_eq!(s.import_sheet(&sheet, &mapping, true).unwrap().created, 2);
    let month = Period::containing(PeriodKind::Month, filrouge_model::Day::from_epoch_ms(NOW));
    assert_eq!(
        s.figures(month).unwrap().new_persons,
        0,
        "the import is no first contact"
    );
    assert_eq!(reperes(&s, month), 0, "nor in the funder's table");
    // Amine met this month: new now.
    let amine = s.search_persons("amine", 1).unwrap()[0].id.clone();
    s.create_rencontre(filrouge_model::RencontreDraft {
        channel: Channel::Maraude,
        place: "Gare".into(),
        occurred_at: Some(NOW - 3_600_000),
        persons: [amine].into(),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(s.figures(month).unwrap().new_persons, 1);
    assert_eq!(reperes(&s, month), 1);
}

/// The funder's "repérés" total for `period`, by the default definitions.
fn reperes(s: &crate::Store, period: filrouge_model::dashboard::Period) -> u64 {
    use filrouge_model::indicators::{Cell, DEFAULT_SET, IndicatorSet};
    let set = IndicatorSet::parse(DEFAULT_SET).unwrap();
    let table = s.funder_table(&set, period, false).unwrap();
    match table.rows.iter().find(|r| r.id == "reperes").unwrap().total {
        Cell::Count(n) => n,
        Cell::Suppressed => panic!("not in the funder's mode"),
    }
}

#[test]
fn alike_rows_are_two_records_refusals_say_their_file_line_and_years_have_four_digits() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = store(&dir);
    // Two "Karim" with nothing else: two persons; a blank line before a bad row.
    let csv = "Prénom;Année de naissance\nKarim;\nKarim;\n";
    let sheet = read(csv.as_bytes()).unwrap();
    let mapping = ImportMapping::suggest(ImportKind::Personnes, &sheet.headers);
    let done = s.import_sheet(&sheet, &mapping, true).unwrap();
    assert_eq!((done.created, done.already), (2, 0));
    let again = s.import_sheet(&sheet, &mapping, true).unwrap();
    assert_eq!(
        (again.created, again.already),
        (0, 2),
        "the same file: nothing new"
    );

    let csv = "Date;Canal;Lieu;Nombre\n01/09/2026;Maraude;Gare;2\n\n03/09/26;Maraude;Gare;2\n";
    let sheet = read(csv.as_bytes()).unwrap();
    let mapping = ImportMapping::suggest(ImportKind::Rencontres, &sheet.headers);
    let report = s.import_sheet(&sheet, &mapping, false).unwrap();
    assert_eq!(report.refused.len(), 1);
    assert_eq!(
        report.refused[0].line, 4,
        "the file's own line, blank lines counted"
    );
    assert!(
        matches!(&report.refused[0].issue, ImportIssue::BadDate { value } if value == "03/09/26")
    );
}
