//! Every SQLite schema version's fixture opens, migrates and serves its log (see
//! `storage/fixtures.rs`).

use rusqlite::{Connection, params};

use super::SqliteStorage;
use super::schema::{During, MIGRATIONS};
use crate::error::ServerError;
use crate::storage::fixtures;

/// Writes the fixture of every version that has none: the first `version` steps, as
/// `migrate` ran them, then a team, a device and three changes in the columns of the
/// first version (later steps add columns with defaults).
#[test]
#[ignore = "writes tests/fixtures/server-sqlite-v*.sqlite3: FILROUGE_WRITE_FIXTURES=1"]
fn write_fixtures() -> Result<(), ServerError> {
    if !fixtures::writing() {
        return Ok(());
    }
    for version in 1..=MIGRATIONS.len() {
        let path = fixtures::path("sqlite", version, "sqlite3");
        if path.exists() {
            continue;
        }
        let conn = Connection::open(&path).during("write a fixture")?;
        conn.execute_batch(
            "CREATE TABLE schema_migrations (
                version INTEGER PRIMARY KEY NOT NULL,
                applied_at INTEGER NOT NULL
            ) STRICT",
        )
        .during("write a fixture")?;
        for (step, sql) in (1..).zip(&MIGRATIONS[..version]) {
            conn.execute_batch(sql).during("write a fixture")?;
            conn.execute(
                "INSERT INTO schema_migrations VALUES (?1, ?2)",
                params![step, fixtures::CREATED_AT],
            )
            .during("write a fixture")?;
        }
        conn.execute(
            "INSERT INTO teams (id, name, created_at) VALUES (?1, ?2, ?3)",
            params![fixtures::TEAM, fixtures::TEAM_NAME, fixtures::CREATED_AT],
        )
        .during("write a fixture")?;
        conn.execute(
            "INSERT INTO devices (id, team_id, name, role, token_hash, created_at)
             VALUES (?1, ?2, 'Téléphone', 'intervenant', ?3, ?4)",
            params![
                fixtures::DEVICE,
                fixtures::TEAM,
                fixtures::token_hash(),
                fixtures::CREATED_AT
            ],
        )
        .during("write a fixture")?;
        for (seq, change) in (1i64..).zip(fixtures::changes()) {
            conn.execute(
                "INSERT INTO changes
                 (team_id, seq, hash, doc_id, kind, device_id, size, data, received_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    fixtures::TEAM,
                    seq,
                    change.hash,
                    change.doc_id,
                    change.kind,
                    fixtures::DEVICE,
                    change.data.len() as i64,
                    change.data,
                    fixtures::CREATED_AT
                ],
            )
            .during("write a fixture")?;
        }
        conn.execute_batch("VACUUM").during("write a fixture")?;
    }
    Ok(())
}

#[test]
fn every_schema_version_opens_and_serves_its_log() -> Result<(), ServerError> {
    for version in 1..=MIGRATIONS.len() {
        let fixture = fixtures::path("sqlite", version, "sqlite3");
        assert!(
            fixture.exists(),
            "no fixture for SQLite schema {version}: run the ignored write_fixtures test"
        );
        let dir = tempfile::tempdir().map_err(|_| ServerError::Corrupt { what: "tempdir" })?;
        let db = dir.path().join("server.sqlite3");
        std::fs::copy(&fixture, &db).map_err(|_| ServerError::Corrupt { what: "fixture" })?;
        let storage = SqliteStorage::open(&db)?;
        fixtures::check(&storage, version)?;
    }
    Ok(())
}
