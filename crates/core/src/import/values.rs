//! A row's cells read as the model's values: texts trimmed, vocabulary values by code or
//! by their French or English label (accents and case aside), yes-or-no flags, whole
//! numbers, days with or without a time. Each refusal names the field and the value.

use std::collections::BTreeSet;

use calamine::Data;
use filrouge_model::import::{ImportField, ImportIssue, ImportMapping};
use filrouge_model::views::fold_name;
use filrouge_model::{Day, Problem, ValidationError, Vocab};

/// Why a cell cannot be read, and which field it was for.
pub(super) type Refusal = (Option<ImportField>, ImportIssue);

/// One row's cells, through a mapping.
pub(super) struct Cells<'a> {
    row: &'a [String],
    mapping: &'a ImportMapping,
    headers: &'a [String],
}

impl<'a> Cells<'a> {
    pub(super) fn new(
        row: &'a [String],
        mapping: &'a ImportMapping,
        headers: &'a [String],
    ) -> Self {
        Cells {
            row,
            mapping,
            headers,
        }
    }

    /// The header of the column mapped to `field`.
    pub(super) fn header(&self, field: ImportField) -> Option<String> {
        self.mapping
            .column(field)
            .and_then(|c| self.headers.get(c).cloned())
    }

    /// The cell of `field`, trimmed; `None` when unmapped or blank.
    pub(super) fn text(&self, field: ImportField) -> Option<String> {
        let cell = self.row.get(self.mapping.column(field)?)?.trim();
        (!cell.is_empty()).then(|| cell.to_owned())
    }

    pub(super) fn number(&self, field: ImportField) -> Result<Option<i64>, Refusal> {
        self.text(field)
            .map(|t| {
                t.replace([' ', '\u{a0}', '\u{202f}'], "")
                    .parse()
                    .map_err(|_| (Some(field), ImportIssue::BadNumber { value: t }))
            })
            .transpose()
    }

    pub(super) fn flag(&self, field: ImportField) -> Result<bool, Refusal> {
        let Some(t) = self.text(field) else {
            return Ok(false);
        };
        match fold_name(&t).as_str() {
            "oui" | "o" | "yes" | "y" | "1" | "x" | "vrai" | "true" => Ok(true),
            "non" | "n" | "no" | "0" | "faux" | "false" | "-" => Ok(false),
            _ => Err((Some(field), ImportIssue::BadFlag { value: t })),
        }
    }

    pub(super) fn vocab<V: Vocab>(&self, field: ImportField) -> Result<Option<V>, Refusal> {
        self.text(field).map(|t| vocab_value(field, &t)).transpose()
    }

    pub(super) fn vocab_list<V: Vocab + Ord>(
        &self,
        field: ImportField,
    ) -> Result<BTreeSet<V>, Refusal> {
        let Some(t) = self.text(field) else {
            return Ok(BTreeSet::new());
        };
        t.split([',', ';', '\n'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| vocab_value(field, s))
            .collect()
    }

    /// A day (then at noon UTC, so that it stays that day in France) or a day and a
    /// time, in milliseconds.
    pub(super) fn instant(&self, field: ImportField) -> Result<Option<i64>, Refusal> {
        let Some(t) = self.text(field) else {
            return Ok(None);
        };
        parse_instant(&t)
            .map(Some)
            .ok_or((Some(field), ImportIssue::BadDate { value: t }))
    }
}

fn vocab_value<V: Vocab>(field: ImportField, text: &str) -> Result<V, Refusal> {
    let folded = fold_name(text);
    V::all()
        .iter()
        .copied()
        .find(|v| {
            v.code() == text
                || fold_name(v.label_fr()) == folded
                || fold_name(v.label_en()) == folded
        })
        .ok_or_else(|| {
            (
                Some(field),
                ImportIssue::UnknownValue {
                    value: text.to_owned(),
                },
            )
        })
}

/// `dd/mm/yyyy`, `yyyy-mm-dd`, each optionally followed by `hh:mm` (and `:ss`).
fn parse_instant(text: &str) -> Option<i64> {
    let (date, time) = match text.split_once([' ', 'T']) {
        Some((d, t)) => (d, Some(t.trim())),
        None => (text, None),
    };
    let day = if let Some((d, rest)) = date.split_once('/') {
        let (m, y) = rest.split_once('/')?;
        // Four digits: "03/11/26" is not year 26 (French Excel may write jj/mm/aa).
        if y.len() != 4 {
            return None;
        }
        Day::from_ymd(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)?
    } else {
        Day::parse(date).ok()?
    };
    if day.year() < 1900 {
        return None;
    }
    let minutes = match time {
        None => 12 * 60,
        Some(t) => {
            let mut parts = t.split(':');
            let h: i64 = parts.next()?.parse().ok()?;
            let m: i64 = parts.next().unwrap_or("0").parse().ok()?;
            if !(0..24).contains(&h) || !(0..60).contains(&m) {
                return None;
            }
            h * 60 + m
        }
    };
    Some(day.to_epoch_ms() + minutes * 60_000)
}

/// A workbook cell as text: numbers without a useless `.0`, dates as `yyyy-mm-dd hh:mm`.
pub(super) fn cell_text(cell: &Data) -> String {
    match cell {
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => if *b { "oui" } else { "non" }.to_owned(),
        Data::DateTime(dt) => {
            // Excel's serial: days since 1899-12-30; 25,569 of them before 1970.
            let serial = dt.as_f64();
            let days = serial.floor() as i64 - 25_569;
            let minutes = ((serial.fract() * 1440.0).round() as i64).min(1439);
            match Day::from_days(i32::try_from(days).unwrap_or(i32::MIN)) {
                Some(day) => format!("{day} {:02}:{:02}", minutes / 60, minutes % 60),
                None => serial.to_string(),
            }
        }
        Data::Error(e) => format!("{e:?}"),
        Data::Empty => String::new(),
    }
}

/// A file's text: UTF-8 (a BOM dropped), else Windows-1252, as French Excel saves CSV.
pub(super) fn decode_text(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => bytes.iter().map(|&b| cp1252(b)).collect(),
    }
}

/// One Windows-1252 byte as a character.
fn cp1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9f => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

/// A model's refusal in French words, for the command line.
pub(super) fn validation_fr(e: &ValidationError) -> String {
    let field = format!("{:?}", e.field);
    let rule = match &e.problem {
        Problem::Required => "obligatoire".to_owned(),
        Problem::TooLong { max } => format!("trop long (au plus {max} caractères)"),
        Problem::OutOfRange { min, max } => format!("hors des limites ({min} à {max})"),
        Problem::InFuture => "date dans le futur".to_owned(),
        Problem::Malformed => "mal formé".to_owned(),
        Problem::NobodyMet => {
            "personne rencontrée : il faut un effectif anonyme ou un pseudonyme".to_owned()
        }
        Problem::ConsentRequired => "demande le consentement de la personne".to_owned(),
        Problem::TooMany { max } => format!("trop d'éléments (au plus {max})"),
        Problem::Conflict { with } => format!("contredit le champ {with:?}"),
    };
    format!("{field} : {rule}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_in_french_and_iso_forms() {
        let noon = Day::parse("2026-11-03").unwrap().to_epoch_ms() + 12 * 3_600_000;
        assert_eq!(parse_instant("03/11/2026"), Some(noon));
        assert_eq!(parse_instant("2026-11-03"), Some(noon));
        assert_eq!(
            parse_instant("03/11/2026 09:30"),
            Some(noon - 12 * 3_600_000 + (9 * 60 + 30) * 60_000)
        );
        assert_eq!(
            parse_instant("2026-11-03 09:30:00"),
            parse_instant("03/11/2026 09:30")
        );
        for bad in [
            "31/02/2026",
            "2026/11/03",
            "demain",
            "03/11/2026 25:00",
            "03/11/26",
            "0026-11-03",
        ] {
            assert_eq!(parse_instant(bad), None, "{bad}");
        }
    }

    #[test]
    fn windows_1252_text_reads_with_its_accents() {
        assert_eq!(decode_text(b"\xc9lo\xefse \x80 \x9c"), "Éloïse € œ");
        assert_eq!(decode_text("\u{feff}Éloïse".as_bytes()), "Éloïse");
    }
}
