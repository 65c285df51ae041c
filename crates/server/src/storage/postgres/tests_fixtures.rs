//! Every PostgreSQL schema version's fixture, a script of the database as that version
//! left it, loads, migrates and serves its log (see `storage/fixtures.rs`).

use std::fmt::Write as _;

use super::PostgresStorage;
use super::schema::{During, MIGRATIONS};
use super::testing::TestDatabase;
use crate::error::ServerError;
use crate::storage::fixtures;

/// Writes the script of every version that has none: the first `version` steps as
/// `migrate` ran them, then a team (its counter past its three changes), a device and
/// the changes, in the columns of the first version.
#[test]
#[ignore = "writes tests/fixtures/server-postgres-v*.sql: FILROUGE_WRITE_FIXTURES=1"]
fn write_fixtures() -> Result<(), ServerError> {
    if !fixtures::writing() {
        return Ok(());
    }
    let corrupt = |_| ServerError::Corrupt { what: "fixture" };
    for version in 1..=MIGRATIONS.len() {
        let path = fixtures::path("postgres", version, "sql");
        if path.exists() {
            continue;
        }
        let mut sql = format!(
            "-- Fil rouge's PostgreSQL schema {version}, with a team, a device and three changes.\n\
             CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL);\n"
        );
        for (step, migration) in (1..).zip(&MIGRATIONS[..version]) {
            writeln!(sql, "{migration};").map_err(corrupt)?;
            writeln!(
                sql,
                "INSERT INTO schema_migrations VALUES ({step}, {});",
                fixtures::CREATED_AT
            )
            .map_err(corrupt)?;
        }
        writeln!(
            sql,
            "INSERT INTO teams (id, name, created_at, log_id, next_seq)
                 VALUES ('{}', '{}', {}, '0190f3a2-7c1e-7d4b-9a1e-000000000003', 4);
             INSERT INTO devices (id, team_id, name, role, token_hash, created_at)
                 VALUES ('{}', '{}', 'Téléphone', 'intervenant', '{}', {});",
            fixtures::TEAM,
            fixtures::TEAM_NAME,
            fixtures::CREATED_AT,
            fixtures::DEVICE,
            fixtures::TEAM,
            fixtures::token_hash(),
            fixtures::CREATED_AT
        )
        .map_err(corrupt)?;
        for (seq, change) in (1..).zip(fixtures::changes()) {
            let hex: String = change.data.iter().map(|b| format!("{b:02x}")).collect();
            writeln!(
                sql,
                "INSERT INTO changes
                     (team_id, seq, hash, doc_id, kind, device_id, size, data, received_at)
                 VALUES ('{}', {seq}, '{}', '{}', '{}', '{}', {}, '\\x{hex}', {});",
                fixtures::TEAM,
                change.hash,
                change.doc_id,
                change.kind,
                fixtures::DEVICE,
                change.data.len(),
                fixtures::CREATED_AT
            )
            .map_err(corrupt)?;
        }
        std::fs::write(&path, sql).map_err(|_| ServerError::Corrupt { what: "fixture" })?;
    }
    Ok(())
}

#[test]
fn every_schema_version_loads_and_serves_its_log() -> Result<(), ServerError> {
    for version in 1..=MIGRATIONS.len() {
        let fixture = fixtures::path("postgres", version, "sql");
        let script = std::fs::read_to_string(&fixture).unwrap_or_else(|_| {
            panic!(
                "no fixture for PostgreSQL schema {version}: run the ignored write_fixtures test"
            )
        });
        let db = TestDatabase::new();
        let mut client =
            postgres::Client::connect(&db.url, postgres::NoTls).during("load a fixture")?;
        client.batch_execute(&script).during("load a fixture")?;
        let storage = PostgresStorage::connect(&db.url)?;
        fixtures::check(&storage, version)?;
    }
    Ok(())
}
