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
//! [`form`] ("Nouvelle rencontre"), [`list`] ("Aujourd'hui", with inline editing) and
//! [`settings`] (enrolment, manual sync, language). [`clock`] reads the device's local time.

#![forbid(unsafe_code)]

mod app;
mod clock;
mod form;
mod i18n;
mod ipc;
mod list;
mod settings;

fn main() {
    leptos::mount::mount_to_body(app::App);
}
