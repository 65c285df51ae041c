//! Fil rouge's screen: a Leptos (client-side rendered) app compiled to
//! `wasm32-unknown-unknown` and shown inside the Tauri shell's webview.
//!
//! The app talks to the device's store only through the typed commands of
//! [`filrouge_model::ipc`], sent by [`ipc::call`], the one module that reaches into
//! JavaScript for IPC. Everything the user reads comes from the Fluent files
//! `assets/locales/{fr,en}.ftl` through [`i18n`], in French unless the user chose
//! English in the settings. Pure helpers (sentences, times, the status line) compile
//! and are tested on the host too: `cargo test -p filrouge-ui`.
//!
//! Layout of the screen, one module each: [`app`] (header, status line, shared state),
//! [`nav`] (which screen shows, the tab bar), [`form`] ("Nouvelle rencontre", with the
//! person [`picker`]), [`list`] ("Aujourd'hui", with inline editing), [`relances`]
//! (due and overdue, done or postponed in a tap), [`persons`] (search, and [`caseload`]: "Mes suivis"), [`person`]
//! (a person's thread: stage, relance; [`person_forms`]: orientation, référent,
//! consent), [`partners`] (the
//! directory), [`events`] and [`event`] (registration mode and check-in),
//! and [`settings`] (enrolment, manual sync, language, who uses the device).
//! [`clock`] reads the device's local time.

#![forbid(unsafe_code)]

mod app;
mod caseload;
mod clock;
#[cfg(test)]
mod contrast_tests;
mod devices;
mod event;
mod events;
mod form;
mod form_more;
mod i18n;
mod invite;
mod ipc;
mod list;
mod nav;
mod partners;
mod person;
mod person_forms;
mod person_known;
mod persons;
mod picker;
mod profile;
mod relances;
mod settings;
mod today;

fn main() {
    leptos::mount::mount_to_body(app::App);
}
