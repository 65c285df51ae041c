//! Workbooks (rust_xlsxwriter): a sheet per table with its header in bold, frozen and
//! filtered, real numbers and dates; then "Paramètres" (what, which period, when, by
//! whom, which version) and "Définitions" (what each column means).
//!
//! Every text is written as a string, never as a formula, whatever it starts with. The
//! data sheets use rust_xlsxwriter's constant-memory mode, so a year of rows does not
//! take hundreds of MiB: each row goes to a temporary file as it is written. That file
//! has no name (`tempfile_in`: unlinked at once, gone with the process) and lives in the
//! export's own folder, beside the file the user asked for, never in `/tmp`.

use std::path::Path;

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use super::{Parameters, Table, Value};
use crate::CoreError;

fn failed(e: XlsxError) -> CoreError {
    CoreError::Unencodable {
        what: "the export workbook",
        reason: e.to_string(),
    }
}

/// The cell formats of a workbook.
struct Formats {
    header: Format,
    day: Format,
    time: Format,
}

fn put(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    value: &Value,
    f: &Formats,
) -> Result<(), XlsxError> {
    match value {
        // A string cell: a leading '=' stays text.
        Value::Text(t) => sheet.write_string(row, col, t.as_str()).map(|_| ()),
        // Counts are far below 2^53: exact as a spreadsheet's numbers.
        Value::Number(n) => sheet.write_number(row, col, *n as f64).map(|_| ()),
        Value::Day(d) => {
            let (y, m, day) = d.ymd();
            let date = ExcelDateTime::from_ymd(
                u16::try_from(y).unwrap_or(1900),
                u8::try_from(m).unwrap_or(1),
                u8::try_from(day).unwrap_or(1),
            )?;
            sheet
                .write_date_with_format(row, col, &date, &f.day)
                .map(|_| ())
        }
        Value::Time(ms) => {
            let time = ExcelDateTime::from_timestamp(ms.div_euclid(1000))?;
            sheet
                .write_datetime_with_format(row, col, &time, &f.time)
                .map(|_| ())
        }
        Value::Empty => Ok(()),
    }
}

/// Writes one table as a sheet: header, rows, frozen header, filter, widths.
fn sheet(workbook: &mut Workbook, table: &Table, f: &Formats) -> Result<(), XlsxError> {
    let sheet = workbook.add_worksheet_with_constant_memory()?;
    sheet.set_name(table.name)?;
    for (c, column) in table.columns.iter().enumerate() {
        let c = u16::try_from(c).unwrap_or(u16::MAX);
        sheet.write_string_with_format(0, c, column.title.as_str(), &f.header)?;
        let width = column.title.chars().count().clamp(10, 40) as f64 + 2.0;
        sheet.set_column_width(c, width)?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
        for (c, value) in row.iter().enumerate() {
            put(sheet, r, u16::try_from(c).unwrap_or(u16::MAX), value, f)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    let last_col = u16::try_from(table.columns.len().saturating_sub(1)).unwrap_or(0);
    let last_row = u32::try_from(table.rows.len()).unwrap_or(u32::MAX);
    sheet.autofilter(0, 0, last_row, last_col)?;
    Ok(())
}

fn build(path: &Path, tables: &[Table], params: &Parameters) -> Result<(), XlsxError> {
    let f = Formats {
        header: Format::new().set_bold(),
        day: Format::new().set_num_format("dd/mm/yyyy"),
        time: Format::new().set_num_format("dd/mm/yyyy hh:mm"),
    };
    let mut workbook = Workbook::new();
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        workbook.set_tempdir(dir)?;
    }
    for table in tables {
        sheet(&mut workbook, table, &f)?;
    }
    let info = workbook.add_worksheet();
    info.set_name("Paramètres")?;
    info.set_column_width(0, 28)?;
    info.set_column_width(1, 60)?;
    for (r, (label, value)) in params.lines().iter().enumerate() {
        let r = u32::try_from(r).unwrap_or(u32::MAX);
        info.write_string_with_format(r, 0, *label, &f.header)?;
        put(info, r, 1, value, &f)?;
    }
    let defs = workbook.add_worksheet();
    defs.set_name("Définitions")?;
    for (c, title) in ["Feuille", "Colonne", "Définition"].iter().enumerate() {
        defs.write_string_with_format(0, c as u16, *title, &f.header)?;
    }
    defs.set_column_width(0, 14)?;
    defs.set_column_width(1, 28)?;
    defs.set_column_width(2, 80)?;
    let mut r = 1;
    for table in tables {
        for column in &table.columns {
            defs.write_string(r, 0, table.name)?;
            defs.write_string(r, 1, column.title.as_str())?;
            defs.write_string(r, 2, column.definition)?;
            r += 1;
        }
    }
    workbook.save(path)
}

/// Writes `tables` and the export's parameters as a workbook at `path`.
pub fn write(path: &Path, tables: &[Table], params: &Parameters) -> Result<(), CoreError> {
    build(path, tables, params).map_err(failed)?;
    // The file is the user's, and a half-written one must not pass for complete.
    std::fs::File::open(path)?.sync_all()?;
    Ok(())
}
