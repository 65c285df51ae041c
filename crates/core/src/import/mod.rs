//! Importing persons and rencontres from the team's spreadsheet (CSV or XLSX): one code
//! path for the app's mapping screen and `filrouge import`.
//!
//! [`read`] turns the file's bytes into a [`Sheet`] of text cells (a CSV's separator is
//! found from its header line, a BOM dropped, Windows-1252 read when the bytes are not
//! UTF-8, as French Excel writes them; a workbook's first sheet, its dates as
//! `yyyy-mm-dd hh:mm`). [`Store::import_sheet`] makes a draft of each row through the
//! [`ImportMapping`], checks it with the model's own rules, and lists every refused row;
//! with one refused, nothing is written. Otherwise every row is created in one
//! transaction, except rows imported before: each imported row's SHA-256 (its kind and
//! the draft it made) is kept in `imported`, so importing a file again creates nothing.

#[cfg(test)]
mod tests;
mod values;

use std::io::Cursor;

use calamine::{Reader, Xlsx};
use filrouge_model::import::{
    ImportField, ImportIssue, ImportKind, ImportMapping, ImportPreview, ImportProblem, ImportReport,
};
use filrouge_model::{Channel, Field, PersonDraft, RencontreDraft, ValidationError};
use rusqlite::OptionalExtension;
use sha2::{Digest, Sha256};

use crate::store::records::create_in;
use crate::{CoreError, Store};
use values::{Cells, decode_text};

/// Rows shown in a preview.
const SAMPLE: usize = 5;

/// A spreadsheet's cells as text: its header row and its data rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    /// The first row.
    pub headers: Vec<String>,
    /// The other rows (blank ones left out).
    pub rows: Vec<Vec<String>>,
    /// Each row's line in the file (the header's is 1 when it comes first), for the
    /// refusals to point at the right one.
    pub lines: Vec<u64>,
}

fn unreadable(reason: impl ToString) -> CoreError {
    CoreError::Spreadsheet {
        reason: reason.to_string(),
    }
}

/// Reads a CSV or XLSX file (told apart by its bytes, whatever its name says).
pub fn read(bytes: &[u8]) -> Result<Sheet, CoreError> {
    let mut rows = if bytes.starts_with(b"PK\x03\x04") {
        read_xlsx(bytes)?
    } else {
        read_csv(bytes)?
    };
    rows.retain(|(_, r)| r.iter().any(|c| !c.trim().is_empty()));
    if rows.is_empty() {
        return Err(unreadable("the file holds no row"));
    }
    let (_, header) = rows.remove(0);
    let headers = header.into_iter().map(|h| h.trim().to_owned()).collect();
    let (lines, rows) = rows.into_iter().unzip();
    Ok(Sheet {
        headers,
        rows,
        lines,
    })
}

/// Rows with their line in the file.
type Lines = Vec<(u64, Vec<String>)>;

fn read_csv(bytes: &[u8]) -> Result<Lines, CoreError> {
    let text = decode_text(bytes);
    let first = text.lines().next().unwrap_or_default();
    // The separator the header line uses most: French Excel writes ';'.
    let delimiter = [b';', b',', b'\t']
        .into_iter()
        .max_by_key(|d| first.bytes().filter(|b| b == d).count())
        .unwrap_or(b';');
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    reader
        .records()
        .enumerate()
        .map(|(i, r)| {
            let r = r.map_err(unreadable)?;
            // The reader's position is where it started looking, before the blank lines
            // it skips: they are counted here, so the line said is the row's own.
            let line = r.position().map_or(i as u64 + 1, |p| {
                let rest = text.as_bytes().get(p.byte() as usize..).unwrap_or_default();
                let blank = rest
                    .iter()
                    .take_while(|b| matches!(b, b'\n' | b'\r'))
                    .filter(|b| **b == b'\n')
                    .count();
                p.line() + blank as u64
            });
            Ok((line, r.iter().map(str::to_owned).collect()))
        })
        .collect()
}

fn read_xlsx(bytes: &[u8]) -> Result<Lines, CoreError> {
    let mut book = Xlsx::new(Cursor::new(bytes)).map_err(unreadable)?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| unreadable("the workbook has no sheet"))?
        .map_err(unreadable)?;
    let first = range.start().map_or(0, |(row, _)| u64::from(row));
    Ok(range
        .rows()
        .enumerate()
        .map(|(i, row)| {
            (
                first + i as u64 + 1,
                row.iter().map(values::cell_text).collect(),
            )
        })
        .collect())
}

/// The file's header and first rows, with a mapping guessed for each kind of row.
pub fn preview(sheet: &Sheet) -> ImportPreview {
    ImportPreview {
        headers: sheet.headers.clone(),
        sample: sheet.rows.iter().take(SAMPLE).cloned().collect(),
        rows: sheet.rows.len() as u64,
        suggested: [ImportKind::Rencontres, ImportKind::Personnes]
            .into_iter()
            .map(|k| ImportMapping::suggest(k, &sheet.headers))
            .collect(),
    }
}

/// The record a row makes.
enum Draft {
    Person(PersonDraft),
    Rencontre(RencontreDraft),
}

impl Draft {
    /// What identifies the row once imported: its kind and the draft it made.
    fn hash(&self) -> Result<Vec<u8>, CoreError> {
        let json = match self {
            Draft::Person(p) => serde_json::to_vec(&("personne", p)),
            Draft::Rencontre(r) => serde_json::to_vec(&("rencontre", r)),
        }
        .map_err(|e| CoreError::Unencodable {
            what: "an imported row",
            reason: e.to_string(),
        })?;
        Ok(Sha256::digest(json).to_vec())
    }
}

/// The draft of one row, or why it cannot be made.
fn draft(
    kind: ImportKind,
    cells: &Cells<'_>,
    now: i64,
) -> Result<Draft, (Option<ImportField>, ImportIssue)> {
    let invalid = |error: ValidationError| (None, ImportIssue::Invalid { error });
    Ok(match kind {
        ImportKind::Personnes => {
            let name = cells.text(ImportField::Pseudonym).unwrap_or_default();
            let mut p = PersonDraft::new(&name);
            p.last_name = cells.text(ImportField::LastName);
            p.birth_year = cells
                .number(ImportField::BirthYear)?
                .map(|y| i32::try_from(y).unwrap_or(i32::MAX));
            p.age_band = cells.vocab(ImportField::AgeBand)?;
            p.gender = cells.vocab(ImportField::Gender)?;
            p.territory.commune = cells.text(ImportField::Commune);
            p.territory.qpv = cells.flag(ImportField::Qpv)?;
            p.territory.zrr = cells.flag(ImportField::Zrr)?;
            p.territory.outre_mer = cells.flag(ImportField::OutreMer)?;
            p.categories = cells.vocab_list(ImportField::Categories)?;
            p.referent = cells.text(ImportField::Referent);
            p.stage = cells.vocab(ImportField::Stage)?;
            Draft::Person(p.validate(now).map_err(invalid)?)
        }
        ImportKind::Rencontres => {
            let r = RencontreDraft {
                channel: cells.vocab(ImportField::Channel)?.unwrap_or(Channel::Autre),
                place: cells.text(ImportField::Place).unwrap_or_default(),
                occurred_at: cells.instant(ImportField::Date)?,
                headcount: cells
                    .number(ImportField::Headcount)?
                    .map_or(0, |n| u32::try_from(n).unwrap_or(u32::MAX)),
                pseudonym: cells.text(ImportField::Pseudonym),
                note: cells.text(ImportField::Note).unwrap_or_default(),
                commune: cells.text(ImportField::Commune),
                worker: cells.text(ImportField::Referent),
                ..Default::default()
            };
            if r.occurred_at.is_none() {
                return Err(invalid(ValidationError::new(
                    Field::OccurredAt,
                    filrouge_model::Problem::Required,
                )));
            }
            Draft::Rencontre(r.validate(now).map_err(invalid)?)
        }
    })
}

impl Store {
    /// Checks every row of `sheet` through `mapping` and, with `write` and no row
    /// refused, creates their records in one transaction (rows imported before are
    /// left as they are). Without `write`, a dry run: the same report, nothing written.
    pub fn import_sheet(
        &mut self,
        sheet: &Sheet,
        mapping: &ImportMapping,
        write: bool,
    ) -> Result<ImportReport, CoreError> {
        let now = self.env.clock.now_ms();
        let mut report = ImportReport {
            rows: sheet.rows.len() as u64,
            ..ImportReport::default()
        };
        let mut drafts = Vec::with_capacity(sheet.rows.len());
        for (i, row) in sheet.rows.iter().enumerate() {
            let cells = Cells::new(row, mapping, &sheet.headers);
            match draft(mapping.kind, &cells, now) {
                Ok(d) => drafts.push(d),
                Err((field, issue)) => report.refused.push(ImportProblem {
                    line: sheet.lines.get(i).copied().unwrap_or(i as u64 + 2),
                    column: field.and_then(|f| cells.header(f)),
                    issue,
                }),
            }
        }
        if !report.refused.is_empty() {
            return Ok(report);
        }
        let actor = self.actor().clone();
        let tx = self.conn.savepoint()?;
        // Two rows alike in one file are two records (two "Karim" with only a
        // pseudonym, two identical groups on one day): the second's hash counts it.
        let mut this_file: std::collections::HashMap<Vec<u8>, u32> = Default::default();
        for draft in drafts {
            let mut hash = draft.hash()?;
            let seen_before = this_file.entry(hash.clone()).or_default();
            if *seen_before > 0 {
                let mut again = Sha256::new();
                again.update(&hash);
                again.update(seen_before.to_be_bytes());
                hash = again.finalize().to_vec();
            }
            *seen_before += 1;
            let seen: Option<i64> = tx
                .prepare_cached("SELECT 1 FROM imported WHERE hash = ?1")?
                .query_row([&hash], |r| r.get(0))
                .optional()?;
            if seen.is_some() {
                report.already += 1;
                continue;
            }
            if !write {
                report.created += 1;
                continue;
            }
            let id = match draft {
                Draft::Person(p) => create_in(&tx, &self.env, &actor, p, now)?,
                Draft::Rencontre(r) => create_in(&tx, &self.env, &actor, r, now)?,
            };
            tx.prepare_cached("INSERT INTO imported (hash, record_id) VALUES (?1, ?2)")?
                .execute(rusqlite::params![hash, id.as_str()])?;
            report.created += 1;
        }
        if write {
            tx.commit()?;
            report.written = true;
        }
        Ok(report)
    }
}

/// A refused row in French, for the command line (the app says it in its language).
pub fn describe_fr(problem: &ImportProblem) -> String {
    let place = match &problem.column {
        Some(c) => format!("ligne {}, colonne « {c} »", problem.line),
        None => format!("ligne {}", problem.line),
    };
    let why = match &problem.issue {
        ImportIssue::Invalid { error } => values::validation_fr(error),
        ImportIssue::UnknownValue { value } => format!("valeur inconnue « {value} »"),
        ImportIssue::BadDate { value } => {
            format!("« {value} » n'est pas une date (jj/mm/aaaa ou aaaa-mm-jj)")
        }
        ImportIssue::BadNumber { value } => format!("« {value} » n'est pas un nombre entier"),
        ImportIssue::BadFlag { value } => format!("« {value} » n'est ni oui ni non"),
    };
    format!("{place} : {why}")
}
