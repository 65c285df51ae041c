//! The team servers `filrouge bench load` runs against: one on a scratch SQLite file,
//! or several on one scratch PostgreSQL database, with the team's devices spread over
//! them and over one or more teams.
//!
//! For PostgreSQL the bench is given a cluster (`--postgres`, else the
//! `FILROUGE_TEST_POSTGRES` that `scripts/with-postgres.sh` sets), creates a database of
//! its own there and drops it afterwards. Each server is a [`LocalServer`] with its own
//! runtime, connections, block cache and rate limits, as a separate `filrouge serve`
//! process would have; they share nothing but the database. Devices are enrolled the
//! way phones are (a code traded for a token over HTTP), device `i` at server
//! `i % servers`, the devices of one team consecutive.

use std::path::Path;

use filrouge_model::sync::EnrolResponse;
use filrouge_server::loopback::LoopbackServer;
use filrouge_server::{Role, TeamServer};

use crate::loopback::{self, LocalServer, RateLimit};

/// Where the servers keep the teams' logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Backend {
    /// One server on a SQLite file (the embedded default).
    Sqlite,
    /// Servers sharing one PostgreSQL database.
    Postgres,
}

impl std::fmt::Display for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        })
    }
}

/// The servers of one run, their teams, and the scratch database they use.
pub struct Servers {
    /// Stopped before the database is dropped (field order).
    pub servers: Vec<LocalServer>,
    /// The teams' ids; the first is the servers' own.
    pub teams: Vec<String>,
    _database: Option<ScratchDatabase>,
}

impl Servers {
    /// Starts `servers` servers on `backend` (one for SQLite, in `scratch`), holding
    /// `teams` teams. `cluster` names the PostgreSQL cluster.
    pub fn start(
        backend: Backend,
        scratch: &Path,
        servers: usize,
        teams: usize,
        cluster: Option<&str>,
    ) -> anyhow::Result<Servers> {
        let (servers, database) = match backend {
            Backend::Sqlite => (vec![loopback::start(scratch, RateLimit::Default)?], None),
            Backend::Postgres => {
                let cluster = cluster.ok_or_else(|| {
                    anyhow::anyhow!(
                        "PostgreSQL needs a cluster: --postgres 'host=… user=…', or run \
                         through scripts/with-postgres.sh"
                    )
                })?;
                let database = ScratchDatabase::create(cluster)?;
                let servers = (0..servers.max(1))
                    .map(|_| {
                        let server = TeamServer::connect_postgres(&database.url)?;
                        Ok(LoopbackServer::start(server, "Équipe de mesure")?)
                    })
                    .collect::<anyhow::Result<Vec<_>>>()?;
                (servers, Some(database))
            }
        };
        let first = &servers[0];
        let mut ids = vec![first.team_id.clone()];
        for k in 1..teams.max(1) {
            ids.push(first.server.create_team(&format!("Équipe {}", k + 1))?.id);
        }
        Ok(Servers {
            servers,
            teams: ids,
            _database: database,
        })
    }

    /// The team device `i` of `devices` belongs to (teams of consecutive devices).
    pub fn team_of(&self, i: usize, devices: usize) -> usize {
        i * self.teams.len() / devices.max(1)
    }

    /// The server device `i` talks to.
    pub fn server_of(&self, i: usize) -> &LocalServer {
        &self.servers[i % self.servers.len()]
    }

    /// Enrols a device named `name` into team `team` at `server` over HTTP, with a code
    /// the first server makes (an operator's call: any server would do).
    pub fn enrol(
        &self,
        server: &LocalServer,
        team: usize,
        name: &str,
    ) -> anyhow::Result<EnrolResponse> {
        let code = self.servers[0]
            .server
            .create_enrolment_code(&self.teams[team], Role::Intervenant)?;
        Ok(filrouge_core::sync::enrol(&server.url, &code, name, None)?)
    }
}

/// A database created on the cluster for one run, dropped afterwards.
struct ScratchDatabase {
    cluster: String,
    name: String,
    url: String,
}

impl ScratchDatabase {
    fn create(cluster: &str) -> anyhow::Result<ScratchDatabase> {
        let name = format!("filrouge_bench_{}", uuid::Uuid::now_v7().simple());
        let mut admin = postgres::Client::connect(cluster, postgres::NoTls)?;
        admin.batch_execute(&format!("CREATE DATABASE {name}"))?;
        Ok(ScratchDatabase {
            cluster: cluster.to_owned(),
            url: format!("{cluster} dbname={name}"),
            name,
        })
    }
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        if let Ok(mut admin) = postgres::Client::connect(&self.cluster, postgres::NoTls) {
            let _ = admin.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}
