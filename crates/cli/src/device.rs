//! The commands that work on a device's store from the command line: `export`, `report`
//! and `import`, the same code paths as the app's buttons.
//!
//! The store is opened as the app leaves it. One sealed with a passphrase is unlocked
//! with `FILROUGE_PASSPHRASE` (a wrong one counts as an attempt, as on the lock screen);
//! one sealed with a PIN needs the desktop's keystore, so it is exported from the app.
//! A store never locked (made by `filrouge generate`) opens as it is.

use std::path::Path;

use anyhow::Context as _;
use filrouge_core::vault::{Protection, Vault};
use filrouge_core::{Clock, Device, Env, STORE_FILE, Store, SystemClock};
use filrouge_model::dashboard::{Period, PeriodKind};
use filrouge_model::import::{ImportField, ImportKind, ImportMapping};
use filrouge_model::ipc::{DryRunImport, Export, ExportFormat, ExportFunderTable, Import};

/// The environment variable holding the passphrase of a store sealed with one.
pub const PASSPHRASE_ENV: &str = "FILROUGE_PASSPHRASE";

/// Opens the device store in `data`, unlocking it if it is sealed.
pub fn open_store(data: &Path) -> anyhow::Result<Store> {
    let path = data.join(STORE_FILE);
    anyhow::ensure!(path.is_file(), "no store at {}", path.display());
    let Some(mut vault) = Vault::read(&path)? else {
        return Ok(Store::open(&path, Env::default())?);
    };
    anyhow::ensure!(
        vault.protection() == Protection::Passphrase,
        "this store is sealed with a PIN and the desktop's keystore: export it from the app"
    );
    let secret = std::env::var(PASSPHRASE_ENV)
        .with_context(|| format!("this store is sealed: put its passphrase in {PASSPHRASE_ENV}"))?;
    let key = vault.unlock(&secret, None, SystemClock.now_ms())?;
    Ok(Store::open_encrypted(&path, &key, Env::default())?)
}

/// `filrouge export`: the period's records to `out`, in the format its name or
/// `format` says.
pub fn export(
    data: &Path,
    period: &str,
    format: ExportFormat,
    personal: bool,
    out: &Path,
) -> anyhow::Result<()> {
    let period = Period::parse(period).with_context(|| {
        format!(
            "{period:?} is not a period: write 2026, 2026-T4, 2026-11 or 2026-11-01..2026-11-15"
        )
    })?;
    let device = Device::new(open_store(data)?);
    let done = device.export_to(
        Export {
            period,
            format,
            personal,
        },
        out,
    )?;
    say(&done);
    Ok(())
}

/// Says where a file was written.
fn say(done: &filrouge_model::ipc::Exported) {
    let plural = if done.rows == 1 { "" } else { "s" };
    println!(
        "Fichier écrit : {} ({} ligne{plural})",
        done.file, done.rows
    );
}

/// `filrouge report`: the funder's table of a year to the workbook `out`.
pub fn report(data: &Path, year: i32, out: &Path) -> anyhow::Result<()> {
    let first = filrouge_model::Day::from_ymd(year, 1, 1).context("no such year")?;
    let device = Device::new(open_store(data)?);
    let done = device.export_funder_table_to(
        ExportFunderTable {
            period: Period::containing(PeriodKind::Year, first),
        },
        out,
    )?;
    say(&done);
    Ok(())
}

/// `filrouge import`: a spreadsheet's rows into the store, all or none; with `dry_run`,
/// only the check. The columns are mapped by their headers' names; `kind` says what the
/// rows are (else: rencontres when a column is a date, persons otherwise).
pub fn import(
    data: &Path,
    file: &Path,
    kind: Option<ImportKind>,
    dry_run: bool,
) -> anyhow::Result<()> {
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let sheet = filrouge_core::import::read(&bytes)?;
    let kind = kind.unwrap_or_else(|| {
        let rencontres = ImportMapping::suggest(ImportKind::Rencontres, &sheet.headers);
        if rencontres.column(ImportField::Date).is_some() {
            ImportKind::Rencontres
        } else {
            ImportKind::Personnes
        }
    });
    let mapping = ImportMapping::suggest(kind, &sheet.headers);
    for (field, column) in &mapping.columns {
        println!(
            "{} ← colonne « {} »",
            field.label_fr(),
            sheet.headers.get(*column).map_or("?", String::as_str)
        );
    }
    let device = Device::new(open_store(data)?);
    let report = if dry_run {
        device.dry_run_import(DryRunImport { bytes, mapping })?
    } else {
        device.import(Import { bytes, mapping })?
    };
    for problem in &report.refused {
        println!("{}", filrouge_core::import::describe_fr(problem));
    }
    println!(
        "{} lignes lues, {} {}, {} déjà importées.",
        report.rows,
        report.created,
        if report.written {
            "créées"
        } else {
            "à créer"
        },
        report.already
    );
    anyhow::ensure!(
        report.refused.is_empty(),
        "{} lignes refusées : rien n'a été importé",
        report.refused.len()
    );
    Ok(())
}
