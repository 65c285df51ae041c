//! Shared types of Fil rouge, used by every other crate and compiled for wasm32 too.
//!
//! Data flows through these types in one direction per boundary:
//! - the UI builds a [`rencontre::RencontreDraft`], sends it as an [`ipc`] command, and
//!   gets back a [`rencontre::Rencontre`] read from the device's projection table;
//! - the device's sync engine and the team server exchange [`sync`] messages, whose
//!   payloads are opaque Automerge change blobs.
//!
//! Validation lives here, next to the types, so that the UI, the core and any importer
//! apply the same rules and report the same [`error::ValidationError`]. This crate does
//! no I/O and pulls in nothing that would not build for `wasm32-unknown-unknown`.

#![forbid(unsafe_code)]

pub mod error;
pub mod ipc;
pub mod rencontre;
pub mod sync;

pub use error::{Field, Problem, ValidationError};
pub use rencontre::{Channel, Rencontre, RencontreDraft};
