//! CSV for French Excel: fields separated by `;`, UTF-8 with a byte-order mark (so
//! Excel reads the accents), CRLF line ends, RFC 4180 quoting, days as `dd/mm/yyyy`.
//!
//! A text that a spreadsheet would read as a formula (it starts with `=`, `+`, `-`, `@`,
//! a tab, CR or LF) gets a leading `'`, as OWASP's CSV injection sheet advises: Excel
//! then shows it as text and never runs it.

use std::borrow::Cow;
use std::io::Write;
use std::path::Path;

use super::{Table, Value};
use crate::CoreError;

/// The characters a spreadsheet reads as the start of a formula.
const FORMULA_STARTS: [char; 7] = ['=', '+', '-', '@', '\t', '\r', '\n'];

/// `text`, with a leading `'` when a spreadsheet would read it as a formula.
pub fn neutralised(text: &str) -> Cow<'_, str> {
    if text.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// `field` quoted when it must be (a `;`, a quote, CR or LF), quotes doubled.
fn quoted(field: &str) -> Cow<'_, str> {
    if field.contains([';', '"', '\r', '\n']) {
        Cow::Owned(format!("\"{}\"", field.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(field)
    }
}

/// A day as French Excel reads it (and as the exports' parameters say it).
pub(super) fn day(d: filrouge_model::Day) -> String {
    let (y, m, d) = d.ymd();
    format!("{d:02}/{m:02}/{y}")
}

/// One cell's text.
fn cell(value: &Value) -> String {
    match value {
        Value::Text(t) => quoted(&neutralised(t)).into_owned(),
        Value::Number(n) => n.to_string(),
        Value::Day(d) => day(*d),
        Value::Time(ms) => {
            let minutes = ms.div_euclid(60_000).rem_euclid(24 * 60);
            format!(
                "{} {:02}:{:02}",
                day(filrouge_model::Day::from_epoch_ms(*ms)),
                minutes / 60,
                minutes % 60
            )
        }
        Value::Empty => String::new(),
    }
}

/// Writes `table` as CSV to `path`, flushed to the disk.
pub fn write(path: &Path, table: &Table) -> Result<(), CoreError> {
    let file = std::fs::File::create(path)?;
    let mut out = std::io::BufWriter::new(file);
    out.write_all("\u{feff}".as_bytes())?;
    let header: Vec<String> = table
        .columns
        .iter()
        .map(|c| quoted(&neutralised(&c.title)).into_owned())
        .collect();
    out.write_all(header.join(";").as_bytes())?;
    out.write_all(b"\r\n")?;
    for row in &table.rows {
        let line: Vec<String> = row.iter().map(cell).collect();
        out.write_all(line.join(";").as_bytes())?;
        out.write_all(b"\r\n")?;
    }
    let file = out.into_inner().map_err(|e| e.into_error())?;
    file.sync_all()?;
    Ok(())
}
