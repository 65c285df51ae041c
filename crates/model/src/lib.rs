//! Shared types of Fil rouge, used by every other crate and compiled for wasm32 too.
//!
//! Data flows through these types in one direction per boundary:
//! - the UI builds a [`rencontre::RencontreDraft`], sends it as an [`ipc`] command, and
//!   gets back a [`rencontre::Rencontre`] read from the device's projection table;
//! - the device's sync engine and the team server exchange [`sync`] messages, whose
//!   payloads are opaque Automerge change blobs.
//!
//! - every other record kind of the outreach work (a personne, a stage change, an
//!   orientation, a follow-up, an event and its registrations, a partner) has a draft in
//!   [`records`], built from the fixed [`vocab`]ularies and dated by [`day::Day`].
//!
//! Validation lives here, next to the types, so that the UI, the core and any importer
//! apply the same rules and report the same [`error::ValidationError`]. This crate does
//! no I/O and pulls in nothing that would not build for `wasm32-unknown-unknown`.

#![forbid(unsafe_code)]

pub mod access;
pub mod check;
pub mod conflicts;
pub mod dashboard;
pub mod day;
pub mod duplicates;
pub mod erasure;
pub mod error;
pub mod id;
pub mod import;
pub mod indicators;
pub mod invite;
pub mod ipc;
pub mod merges;
pub mod names;
pub mod quality;
pub mod records;
pub mod rencontre;
pub mod sync;
pub mod views;
pub mod vocab;
pub mod wire;

pub use day::Day;
pub use error::{Field, Problem, ValidationError};
pub use id::RecordId;
pub use records::{
    Consent, Contact, EtapeDraft, EventDraft, MergeDraft, MergedFields, NOTICE_VERSION,
    NotDuplicateDraft, NoticeDraft, OrientationDraft, PartnerDraft, PersonDraft, RecordKind,
    RegistrationDraft, RelanceDraft, RetentionHold, Territory,
};
pub use rencontre::{Channel, Rencontre, RencontreDraft};
pub use vocab::{
    Action, AgeBand, ConsentMethod, ConsentScope, EventKind, ExitKind, Frein, Gender, Interest,
    OrientationStatus, PartnerKind, PublicCategory, RelanceStatus, Skill, Stage, Vocab,
};
