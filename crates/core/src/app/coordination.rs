//! The coordination space: the team's figures over a period and the records behind each
//! count, read from the laptop's own store (no network, so it keeps working once the
//! server can no longer read the data).
//!
//! Only a coordinator's device shows them: a device the team server enrolled as a field
//! worker's is refused ([`CoreError::CoordinatorOnly`]). A device not enrolled yet holds
//! only its own records and may look at them.

use filrouge_model::Day;
use filrouge_model::dashboard::{Dashboard, FigureList};
use filrouge_model::import::{ImportPreview, ImportReport};
use filrouge_model::indicators::{DEFAULT_SET, FunderTable, IndicatorSet};
use filrouge_model::ipc::{
    DryRunImport, Export, ExportFormat, ExportFunderTable, Exported, GetDashboard, GetFunderTable,
    Import, ListFigure, PreviewImport,
};
use std::path::Path;

use crate::export::{self, Parameters};
use filrouge_model::sync::Role;

use super::Device;
use crate::{CoreError, Store};

/// Refuses a field worker's device; answers today's date on the device's clock.
pub(super) fn coordinator_today(store: &Store) -> Result<Day, CoreError> {
    let role = store.meta("role")?;
    if role.as_deref().and_then(Role::parse) == Some(Role::Intervenant) {
        return Err(CoreError::CoordinatorOnly);
    }
    Ok(Day::from_epoch_ms(store.env.clock.now_ms()))
}

impl Device {
    /// The team's information notice in force, if a coordinator wrote one.
    pub fn get_notice(
        &self,
        cmd: filrouge_model::ipc::GetNotice,
    ) -> Result<Option<filrouge_model::NoticeDraft>, CoreError> {
        let filrouge_model::ipc::GetNotice {} = cmd;
        Ok(self.lock().notice()?.map(|(_, n)| n))
    }

    /// Writes the team's information notice (coordinators' devices only).
    pub fn set_notice(
        &self,
        cmd: filrouge_model::ipc::SetNotice,
    ) -> Result<filrouge_model::NoticeDraft, CoreError> {
        self.unit(|s| {
            coordinator_today(s)?;
            s.set_notice(cmd.draft)
        })
    }
}

/// The file of a team's own indicators, beside the store: they follow the default ones.
pub const TEAM_INDICATORS_FILE: &str = "indicateurs.json";

/// The definitions the funder's table counts: the default set, then the team's own from
/// [`TEAM_INDICATORS_FILE`] in the store's directory, if there is one.
pub fn indicator_set(store: &Store) -> Result<IndicatorSet, CoreError> {
    let default = IndicatorSet::parse(DEFAULT_SET).map_err(|source| CoreError::Definitions {
        file: "assets/indicators/pic-aller-vers.json".into(),
        source,
    })?;
    let Some(path) = store.directory().map(|d| d.join(TEAM_INDICATORS_FILE)) else {
        return Ok(default);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(default),
        Err(e) => return Err(e.into()),
    };
    let file = TEAM_INDICATORS_FILE.to_owned();
    let team = IndicatorSet::read(&text).map_err(|source| CoreError::Definitions {
        file: file.clone(),
        source,
    })?;
    default
        .extended(team)
        .map_err(|source| CoreError::Definitions { file, source })
}

impl Device {
    /// The dashboard of a period, beside the previous one.
    pub fn get_dashboard(&self, cmd: GetDashboard) -> Result<Dashboard, CoreError> {
        self.read(|s| s.dashboard(cmd.period, coordinator_today(s)?))
    }

    /// The funder's table of a period, with the team's own indicators.
    pub fn get_funder_table(&self, cmd: GetFunderTable) -> Result<FunderTable, CoreError> {
        self.read(|s| {
            coordinator_today(s)?;
            s.funder_table(&indicator_set(s)?, cmd.period, cmd.funder_mode)
        })
    }

    /// Exports the period's records to a new file in `dir` (named after the period,
    /// never over an existing one); answers where, and how many rows.
    pub fn export(&self, cmd: Export, dir: &Path) -> Result<Exported, CoreError> {
        std::fs::create_dir_all(dir)?;
        let stem = format!("filrouge-rencontres-{}", cmd.period.slug());
        let path = export::free_path(dir, &stem, cmd.format.extension());
        self.export_to(cmd, &path)
    }

    /// [`Device::export`] to the file `path` (the command line's `--out`).
    pub fn export_to(&self, cmd: Export, path: &Path) -> Result<Exported, CoreError> {
        self.read(|s| {
            coordinator_today(s)?;
            let mut tables = s.export_tables(cmd.period, cmd.personal)?;
            let what = match cmd.format {
                ExportFormat::Xlsx => "Rencontres et personnes rencontrées",
                ExportFormat::Csv => {
                    tables.truncate(1);
                    "Rencontres"
                }
            };
            let params = Parameters {
                what: what.into(),
                period: cmd.period,
                at: s.env.clock.now_ms(),
                by: s.profile()?.worker_name,
                personal: cmd.personal,
            };
            export::write(s, path, cmd.format, &tables, &params)
        })
    }

    /// Writes the funder's table of a period, small counts hidden, to a new workbook in
    /// `dir`.
    pub fn export_funder_table(
        &self,
        cmd: ExportFunderTable,
        dir: &Path,
    ) -> Result<Exported, CoreError> {
        std::fs::create_dir_all(dir)?;
        let stem = format!("filrouge-financeur-{}", cmd.period.slug());
        self.export_funder_table_to(cmd, &export::free_path(dir, &stem, "xlsx"))
    }

    /// [`Device::export_funder_table`] to the file `path`.
    pub fn export_funder_table_to(
        &self,
        cmd: ExportFunderTable,
        path: &Path,
    ) -> Result<Exported, CoreError> {
        self.read(|s| {
            coordinator_today(s)?;
            let table = s.funder_table(&indicator_set(s)?, cmd.period, true)?;
            let params = Parameters {
                what: format!("Tableau pour le financeur : {}", table.name),
                period: table.period,
                at: s.env.clock.now_ms(),
                by: s.profile()?.worker_name,
                personal: false,
            };
            let sheet = export::funder_sheet(&table);
            export::write(s, path, ExportFormat::Xlsx, &[sheet], &params)
        })
    }

    /// A spreadsheet's header and first rows, and a mapping guessed for it.
    pub fn preview_import(&self, cmd: PreviewImport) -> Result<ImportPreview, CoreError> {
        self.read(coordinator_today)?;
        Ok(crate::import::preview(&crate::import::read(&cmd.bytes)?))
    }

    /// Checks every row of a spreadsheet; writes nothing.
    pub fn dry_run_import(&self, cmd: DryRunImport) -> Result<ImportReport, CoreError> {
        let sheet = crate::import::read(&cmd.bytes)?;
        self.read_doc(|s| {
            coordinator_today(s)?;
            s.import_sheet(&sheet, &cmd.mapping, false)
        })
    }

    /// Imports every row of a spreadsheet in one transaction, or none.
    pub fn import(&self, cmd: Import) -> Result<ImportReport, CoreError> {
        let sheet = crate::import::read(&cmd.bytes)?;
        self.unit(|s| {
            coordinator_today(s)?;
            s.import_sheet(&sheet, &cmd.mapping, true)
        })
    }

    /// The records behind one count of the dashboard.
    pub fn list_figure(&self, cmd: ListFigure) -> Result<FigureList, CoreError> {
        self.read(|s| s.figure_list(cmd.period, &cmd.figure, coordinator_today(s)?))
    }
}
