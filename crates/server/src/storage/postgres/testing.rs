//! A fresh, empty database per test on the PostgreSQL cluster named by
//! `FILROUGE_TEST_POSTGRES` (`key=value` connection settings, e.g.
//! `host=/tmp/filrouge-pg user=postgres`), which `scripts/with-postgres.sh` starts in a
//! temporary directory and stops afterwards. Each [`TestDatabase`] is created under a
//! random name and dropped with the value, so tests run in parallel on one cluster.

// Test support: a cluster that cannot be reached fails the test, loudly.
#![allow(clippy::expect_used)]

use postgres::{Client, NoTls};

pub use super::CLUSTER_VAR;

/// A database made for one test; dropped (its connections closed first) with the value.
#[derive(Debug)]
pub struct TestDatabase {
    cluster: String,
    name: String,
    /// Connection settings for the new database, for [`super::PostgresStorage::connect`].
    pub url: String,
}

impl TestDatabase {
    /// Creates an empty database on the test cluster. Panics with what to run when no
    /// cluster is named: these tests must not pass by skipping.
    pub fn new() -> TestDatabase {
        let cluster = std::env::var(CLUSTER_VAR).unwrap_or_else(|_| {
            panic!(
                "{CLUSTER_VAR} is not set: run the tests through scripts/test.sh, or \
                 `bash scripts/with-postgres.sh cargo test ...` (a throwaway cluster)"
            )
        });
        let name = format!("filrouge_test_{}", uuid::Uuid::now_v7().simple());
        let mut admin = Client::connect(&cluster, NoTls).expect("connect to the test cluster");
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create a test database");
        let url = format!("{cluster} dbname={name}");
        TestDatabase { cluster, name, url }
    }
}

impl Default for TestDatabase {
    fn default() -> Self {
        TestDatabase::new()
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        // Best effort: the cluster is thrown away after the run anyway.
        if let Ok(mut admin) = Client::connect(&self.cluster, NoTls) {
            let _ = admin.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}
