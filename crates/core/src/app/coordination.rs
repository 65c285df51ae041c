//! The coordination space: the team's figures over a period and the records behind each
//! count, read from the laptop's own store (no network, so it keeps working once the
//! server can no longer read the data).
//!
//! Only a coordinator's device shows them: a device the team server enrolled as a field
//! worker's is refused ([`CoreError::CoordinatorOnly`]). A device not enrolled yet holds
//! only its own records and may look at them.

use filrouge_model::Day;
use filrouge_model::dashboard::{Dashboard, FigureList};
use filrouge_model::ipc::{GetDashboard, ListFigure};
use filrouge_model::sync::Role;

use super::Device;
use crate::{CoreError, Store};

/// Refuses a field worker's device; answers today's date on the device's clock.
fn coordinator_today(store: &Store) -> Result<Day, CoreError> {
    let role = store.meta("role")?;
    if role.as_deref().and_then(Role::parse) == Some(Role::Intervenant) {
        return Err(CoreError::CoordinatorOnly);
    }
    Ok(Day::from_epoch_ms(store.env.clock.now_ms()))
}

impl Device {
    /// The dashboard of a period, beside the previous one.
    pub fn get_dashboard(&self, cmd: GetDashboard) -> Result<Dashboard, CoreError> {
        self.read(|s| s.dashboard(cmd.period, coordinator_today(s)?))
    }

    /// The records behind one count of the dashboard.
    pub fn list_figure(&self, cmd: ListFigure) -> Result<FigureList, CoreError> {
        self.read(|s| s.figure_list(cmd.period, &cmd.figure, coordinator_today(s)?))
    }
}
