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
//! Layout of the screen, one module each:
//! - the frame: [`app`] (header, status line, shared state), [`nav`] (which screen
//!   shows, the tab bar), [`clock`] (the device's local time);
//! - "Aujourd'hui": [`today`] (the big button, the relances due, the day's [`list`]
//!   with inline editing), [`form`] and [`form_more`] (the rencontre form and its fold),
//!   [`picker`] (finding or creating the persons met);
//! - "Relances": [`relances`] (due and overdue, done or postponed in a tap);
//! - "Personnes": [`persons`] (search, and [`caseload`]: "Mes suivis"), [`person`] (a
//!   person's thread), [`person_forms`] (stage, orientation, référent, consent),
//!   [`person_known`] ("Ce qu'on sait"), [`partners`] (the directory);
//! - "Événements": [`events`] (the list) and [`event`] (registration mode, check-in);
//! - "Réglages": [`settings`] (enrolment, manual sync, language), [`profile`] (who uses
//!   the device), [`invite`] and [`devices`] (a coordinator's invitations and team).

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
