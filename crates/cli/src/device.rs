//! The commands that work on a device's store from the command line: `export` and
//! `report` (and the coordinator's `import`), the same code paths as the app's buttons.
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
use filrouge_model::ipc::{Export, ExportFormat, ExportFunderTable};

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
