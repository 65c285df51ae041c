//! The Fil rouge team server: it enrols a team's devices and relays their changes.
//!
//! A coordinator creates the team and hands out single-use enrolment codes (from the
//! CLI, through [`TeamServer`]). A device trades a code for a bearer token at
//! `POST /v1/enrol`, then syncs: it pushes its outbox of Automerge changes to
//! `POST /v1/push`, where each new change gets the next per-team sequence number, and
//! pulls pages of the team log from `GET /v1/pull`. The server never opens a change: it
//! stores the bytes, the hash and the record id, so end-to-end encryption can come later
//! without touching it. The wire types live in [`filrouge_model::sync`].
//!
//! Inside, data flows one way: [`http`] (extractors, handlers) → [`TeamServer`]
//! (validation, secrets, clock) → [`Storage`] ([`SqliteStorage`], or [`PostgresStorage`]
//! for many teams and several server processes). Only hashes of
//! tokens and codes are stored, and logs carry ids, never names or content.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use filrouge_server::{Role, TeamServer, serve};
//!
//! let server = TeamServer::open_sqlite(std::path::Path::new("team.sqlite3"))?;
//! let team = server.ensure_team("Maraude Nord")?;
//! let code = server.create_enrolment_code(&team.id, Role::Intervenant)?;
//! println!("code d'enrôlement : {code}");
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! serve(listener, server, async { let _ = tokio::signal::ctrl_c().await; }).await?;
//! # Ok(())
//! # }
//! ```

#![forbid(unsafe_code)]

mod access;
pub mod clock;
mod coordinator;
pub mod error;
pub mod http;
mod keys;
pub mod loopback;
pub mod metrics;
mod pages;
pub mod rate;
pub mod secret;
mod service;
pub mod storage;
pub mod tls;
pub mod validate;

pub use clock::{Clock, ManualClock, SystemClock};
pub use coordinator::INVITE_CODE_TTL_MS;
pub use error::ServerError;
pub use http::{serve, serve_metrics};
pub use service::{
    BODY_IDLE_TIMEOUT, ENROLMENT_CODE_TTL_MS, MAX_PULL_CHANGES, REQUEST_DEADLINE, TeamServer,
};
pub use storage::{Device, PostgresStorage, Role, SqliteStorage, Storage, Team};
pub use tls::{ConnectionLimits, TlsIdentity, serve_tls, serve_tls_with};
