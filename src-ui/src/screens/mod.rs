//! The screens, one module each, grouped as the tab bar groups them: what a worker
//! sees under each tab, and the settings.

pub mod events;
pub mod people;
pub mod person;
pub mod relances;
pub mod settings;
pub mod today;
