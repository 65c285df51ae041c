//! The IPC commands of the coordination space: the dashboard of a period and the records
//! behind each of its counts. Both read the laptop's own store and never the network.

use serde::{Deserialize, Serialize};

use super::Command;
use crate::dashboard::{Dashboard, Figure, FigureList, Period};
use crate::import::{ImportMapping, ImportPreview, ImportReport};
use crate::indicators::FunderTable;

/// The team's figures over a period, beside the previous period's.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GetDashboard {
    /// The period shown.
    pub period: Period,
}
impl Command for GetDashboard {
    const NAME: &'static str = "get_dashboard";
    type Output = Dashboard;
}

/// The records behind one count of the dashboard.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ListFigure {
    /// The period the count is of.
    pub period: Period,
    /// Which count.
    pub figure: Figure,
}
impl Command for ListFigure {
    const NAME: &'static str = "list_figure";
    type Output = FigureList;
}

/// The funder's table of a period: the default indicators and the team's own.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GetFunderTable {
    /// The period.
    pub period: Period,
    /// Whether counts from 1 to 4 are hidden ("pour un financeur").
    pub funder_mode: bool,
}
impl Command for GetFunderTable {
    const NAME: &'static str = "get_funder_table";
    type Output = FunderTable;
}

/// The file format of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// An Excel workbook: a sheet per table, a "Paramètres" and a "Définitions" sheet.
    Xlsx,
    /// CSV for French Excel: `;`, UTF-8 with a BOM, CRLF (the rencontres only).
    Csv,
}

impl ExportFormat {
    /// The file name's extension.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Xlsx => "xlsx",
            ExportFormat::Csv => "csv",
        }
    }
}

/// Exports the period's rencontres (and, in a workbook, the persons met) to a file on
/// this device. Pseudonymised unless `personal` says otherwise: no last names, contact
/// means, notes or needs.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Export {
    /// The period.
    pub period: Period,
    /// The file format.
    pub format: ExportFormat,
    /// Whether last names, contact means, notes and needs are included (said on the screen first).
    pub personal: bool,
}
impl Command for Export {
    const NAME: &'static str = "export";
    type Output = Exported;
}

/// Exports the funder's table of a period to a workbook, small counts hidden.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ExportFunderTable {
    /// The period.
    pub period: Period,
}
impl Command for ExportFunderTable {
    const NAME: &'static str = "export_funder_table";
    type Output = Exported;
}

/// A file written by an export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exported {
    /// Where it was written.
    pub file: String,
    /// How many data rows it holds.
    pub rows: u64,
}

/// Reads a spreadsheet to import: its header, first rows and a guessed mapping.
#[derive(Clone, Serialize, Deserialize)]
pub struct PreviewImport {
    /// The file's bytes (CSV or XLSX).
    pub bytes: Vec<u8>,
}
impl Command for PreviewImport {
    const NAME: &'static str = "preview_import";
    type Output = ImportPreview;
}

/// Checks every row of a spreadsheet through a mapping; writes nothing.
#[derive(Clone, Serialize, Deserialize)]
pub struct DryRunImport {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// Which column fills which field.
    pub mapping: ImportMapping,
}
impl Command for DryRunImport {
    const NAME: &'static str = "dry_run_import";
    type Output = ImportReport;
}

/// Imports every row of a spreadsheet, or none while one is refused; rows imported
/// before are not created again.
#[derive(Clone, Serialize, Deserialize)]
pub struct Import {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// Which column fills which field.
    pub mapping: ImportMapping,
}
impl Command for Import {
    const NAME: &'static str = "import";
    type Output = ImportReport;
}

// Debug shows the size, never the file's content.
macro_rules! debug_by_size {
    ($($t:ty),+) => {$(
        impl std::fmt::Debug for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($t))
                    .field("bytes", &self.bytes.len())
                    .finish_non_exhaustive()
            }
        }
    )+};
}
debug_by_size!(PreviewImport, DryRunImport, Import);

/// The data-quality checks (coordinators only), for today.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GetDataQuality {}
impl Command for GetDataQuality {
    const NAME: &'static str = "get_data_quality";
    type Output = crate::quality::DataQuality;
}
