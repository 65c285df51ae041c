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
//! Layout: [`lock`] (the first screen, the lock screen, the idle timer: what is mounted),
//! [`app`] (header, status line, shared state), [`nav`] (which screen shows,
//! the tab bar), [`clock`] (the device's local time), [`ipc`] and [`i18n`]; then
//! [`screens`], one folder per tab:
//! - `today`: "Aujourd'hui" (the big button, the relances due), its `form` and
//!   `form_more` (the rencontre form and its fold), `list` (the day's rencontres, with
//!   inline editing), `picker` (finding or creating the persons met);
//! - `relances`: due and overdue, done or postponed in a tap;
//! - `people`: the search, `caseload` ("Mes suivis") and `partners` (the directory);
//! - `person`: a person's thread, its `forms` (stage, orientation, référent, consent)
//!   and `known` ("Ce qu'on sait");
//! - `events`: the list, and `registration` (one event: registration mode, check-in);
//! - `settings`: enrolment, manual sync, language; `profile` (who uses the device),
//!   `invite` and `devices` (a coordinator's invitations and team).

#![forbid(unsafe_code)]

mod app;
mod clock;
#[cfg(test)]
mod contrast_tests;
mod i18n;
mod ipc;
mod lock;
mod nav;
mod screens;

fn main() {
    leptos::mount::mount_to_body(lock::Root);
}
