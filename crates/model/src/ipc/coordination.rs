//! The IPC commands of the coordination space: the dashboard of a period and the records
//! behind each of its counts. Both read the laptop's own store and never the network.

use serde::{Deserialize, Serialize};

use super::Command;
use crate::dashboard::{Dashboard, Figure, FigureList, Period};
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
