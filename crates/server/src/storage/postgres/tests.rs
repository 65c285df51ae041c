//! Tests of [`PostgresStorage`]: the shared storage story, each on a fresh database of
//! the test cluster, then what several processes on one database need: two storages
//! (two server processes' worth of connections) pushing to one team at once get dense
//! numbers and never show a change below a number already read.

use std::sync::{Arc, Barrier};

use filrouge_model::sync::ChangeBlob;

use super::testing::TestDatabase;
use super::*;
use crate::storage::{suite, suite_access, suite_batches, suite_history};

fn storage() -> Result<(TestDatabase, Arc<dyn Storage>), ServerError> {
    let db = TestDatabase::new();
    let storage = PostgresStorage::connect(&db.url)?;
    Ok((db, Arc::new(storage)))
}

macro_rules! suite_tests {
    ($($name:ident => $story:path),* $(,)?) => {$(
        #[test]
        fn $name() -> Result<(), ServerError> {
            let (_db, storage) = storage()?;
            $story(storage)
        }
    )*};
}

suite_tests! {
    suite_first_team_is_created_once => suite::first_team_is_created_once,
    suite_enrolment_codes_are_single_use_and_expire =>
        suite::enrolment_codes_are_single_use_and_expire,
    suite_revocation_is_recorded_once => suite::revocation_is_recorded_once,
    suite_devices_are_seen_to_the_hour => suite::devices_are_seen_to_the_hour,
    suite_tokens_are_replaced_but_not_revived => suite::tokens_are_replaced_but_not_revived,
    suite_leases_default_to_thirty_days => suite::leases_default_to_thirty_days,
    suite_key_epochs_start_only_on_a_new_team => suite::key_epochs_start_only_on_a_new_team,
    suite_key_epochs_rotate_once_and_keep_their_seals =>
        suite::key_epochs_rotate_once_and_keep_their_seals,
    suite_appends_are_idempotent_and_dense => suite::appends_are_idempotent_and_dense,
    suite_teams_have_separate_logs => suite::teams_have_separate_logs,
    suite_erasure_deletes_refuses_and_never_lowers_the_log =>
        suite::erasure_deletes_refuses_and_never_lowers_the_log,
    suite_batches_are_noted_refused_and_replaced =>
        suite_batches::batches_are_noted_refused_and_replaced,
    suite_access_chains_continue_or_are_refused =>
        suite_access::access_chains_continue_or_are_refused,
    suite_history_in_clear_is_dropped_under_a_new_log_id =>
        suite_history::history_in_clear_is_dropped_under_a_new_log_id,
    suite_log_ids_are_kept_and_renewed => suite::log_ids_are_kept_and_renewed,
    suite_paging_returns_every_change_once => suite::paging_returns_every_change_once,
    suite_runs_whole_on_one_database => suite::run_all,
}

#[test]
fn a_second_connection_finds_the_schema_and_a_newer_one_is_refused() -> Result<(), ServerError> {
    let db = TestDatabase::new();
    drop(PostgresStorage::connect(&db.url)?);
    // Connecting again applies nothing and keeps what is stored.
    let storage = PostgresStorage::connect(&db.url)?;
    let (team, _) = suite::team_and_device(&storage)?;
    drop(storage);
    let storage = PostgresStorage::connect(&db.url)?;
    assert!(storage.team(&team)?.is_some());
    let mut admin = postgres::Client::connect(&db.url, NoTls).during("test")?;
    admin
        .execute(
            "INSERT INTO schema_migrations VALUES ($1, 0)",
            &[&(schema::MIGRATIONS.len() as i64 + 1)],
        )
        .during("test")?;
    let refused = PostgresStorage::connect(&db.url);
    assert!(
        matches!(refused, Err(ServerError::SchemaTooNew { .. })),
        "{refused:?}"
    );
    Ok(())
}

#[test]
fn a_database_beyond_this_machine_is_refused_without_tls() {
    for url in [
        "host=db.example.org user=filrouge",
        "postgresql://filrouge@10.0.0.5/filrouge",
    ] {
        let refused = PostgresStorage::connect(url);
        assert!(
            matches!(
                refused,
                Err(ServerError::Postgres {
                    operation: "check the database address",
                    ..
                })
            ),
            "{url}: {refused:?}"
        );
    }
    assert!(is_loopback("localhost"));
    assert!(is_loopback("127.0.0.1"));
    assert!(is_loopback("::1"));
    assert!(!is_loopback("192.168.1.10"));
}

/// Two storages on one database, eight threads each pushing pages to one team while a
/// reader follows the log: every change stored once, numbers dense from 1, and the
/// reader never sees a number appear below one it has already read.
#[test]
fn two_processes_push_to_one_team_with_dense_numbers_seen_in_order() -> Result<(), ServerError> {
    let db = TestDatabase::new();
    let a: Arc<dyn Storage> = Arc::new(PostgresStorage::connect(&db.url)?);
    let b: Arc<dyn Storage> = Arc::new(PostgresStorage::connect(&db.url)?);
    let (team, device) = suite::team_and_device(&*a)?;
    let threads = 8;
    let pages = 15;
    let barrier = Arc::new(Barrier::new(threads + 1));
    let pushers: Vec<_> = (0..threads)
        .map(|t| {
            let storage = if t % 2 == 0 { a.clone() } else { b.clone() };
            let (barrier, team, device) = (barrier.clone(), team.clone(), device.clone());
            std::thread::spawn(move || -> Result<usize, ServerError> {
                barrier.wait();
                let mut stored = 0;
                for p in 0..pages {
                    // Three new changes, and one pushed by the other process too.
                    let mut page: Vec<ChangeBlob> = (0..3)
                        .map(|i| suite::change(&format!("t{t}-p{p}-c{i}"), 64))
                        .collect();
                    page.push(suite::change(&format!("shared-t{}-p{p}", t / 2), 64));
                    stored += storage.append_changes(&team, &device, &page, 1)?.stored;
                }
                Ok(stored)
            })
        })
        .collect();
    let reader = {
        let (storage, team) = (b.clone(), team.clone());
        let expected = (threads * pages * 3 + threads / 2 * pages) as u64;
        let barrier = barrier.clone();
        std::thread::spawn(move || -> Result<Vec<u64>, ServerError> {
            barrier.wait();
            let mut seen = Vec::new();
            let mut cursor = 0;
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
            while cursor < expected && std::time::Instant::now() < deadline {
                let page = storage.changes_after(&team, cursor, u64::MAX, 37)?;
                for change in &page.changes {
                    seen.push(change.seq);
                    cursor = change.seq;
                }
            }
            Ok(seen)
        })
    };
    let mut stored = 0;
    for pusher in pushers {
        stored += pusher.join().expect("a pusher")?;
    }
    let expected = threads * pages * 3 + threads / 2 * pages;
    assert_eq!(stored, expected, "each change stored once");
    // Read in cursor order, a later commit never filled a gap the reader had passed.
    let seen = reader.join().expect("the reader")?;
    assert_eq!(seen, (1..=expected as u64).collect::<Vec<_>>());
    assert_eq!(a.head(&team)?, expected as u64);
    Ok(())
}

/// Two servers on one database: a phone enrolled through one pushes, a laptop pulls
/// binary pages through the other (caching its blocks); an erasure through the first is
/// never served from a block the second cached before it.
#[test]
fn an_erasure_through_one_server_is_never_served_from_the_others_cache() -> Result<(), ServerError>
{
    use std::io::Read as _;

    use filrouge_model::sync::{
        API_VERSION, ERASURE_KIND, EnrolRequest, EraseRequest, PullQuery, PushRequest,
    };
    use filrouge_model::wire;

    use crate::{Role, SystemClock, TeamServer};

    let db = TestDatabase::new();
    let server = |db: &TestDatabase| -> Result<TeamServer, ServerError> {
        Ok(TeamServer::with_storage(
            Arc::new(PostgresStorage::connect(&db.url)?),
            Arc::new(SystemClock),
        ))
    };
    let (a, b) = (server(&db)?, server(&db)?);
    let team = a.ensure_team("Deux serveurs")?;
    let enrol = |role, name: &str| -> Result<String, ServerError> {
        let code = a.create_enrolment_code(&team.id, role)?;
        Ok(a.enrol(&EnrolRequest {
            api_version: API_VERSION,
            code,
            device_name: name.into(),
        })?
        .token)
    };
    let phone_token = enrol(Role::Intervenant, "téléphone")?;
    let laptop_token = enrol(Role::Coordinateur, "portable")?;
    let phone = a.caller(&phone_token)?;
    // Enrolled through the first, known to the second.
    let laptop = b.authenticate(&laptop_token)?;
    let coordinator = a.authenticate(&laptop_token)?;

    let gone = "0190f3a2-7c1e-7d4b-9a1e-00000000000a";
    let changes: Vec<ChangeBlob> = (0..700)
        .map(|i| ChangeBlob {
            doc_id: if i % 7 == 0 {
                gone.to_owned()
            } else {
                format!("0190f3a2-7c1e-7d4b-9a1e-{:012x}", 100 + i % 13)
            },
            ..suite::change(&format!("two-servers-{i}"), 48)
        })
        .collect();
    for page in changes.chunks(250) {
        a.push(
            &phone,
            &PushRequest {
                api_version: API_VERSION,
                changes: page.to_vec(),
            },
        )?;
    }
    let pull_docs = |after: u64| -> Result<Vec<(String, String)>, ServerError> {
        let page = b.pull_page(
            &laptop,
            &PullQuery {
                api_version: API_VERSION,
                after,
                max_bytes: None,
            },
        )?;
        let mut plain = Vec::new();
        zstd::stream::read::Decoder::new(&page[..])
            .and_then(|mut d| d.read_to_end(&mut plain))
            .expect("a run of zstd frames");
        let page = wire::decode_pull(&plain).expect("a page");
        Ok(page
            .entries
            .into_iter()
            .map(|e| (e.doc_id, e.kind))
            .collect())
    };
    // The second server caches the sealed blocks (seqs 1 to 512) as it serves them.
    let before = pull_docs(0)?;
    assert_eq!(before.len(), 700);
    assert_eq!(pull_docs(256)?.len(), 444);

    a.erase(
        &coordinator,
        &EraseRequest {
            api_version: API_VERSION,
            doc_id: gone.to_owned(),
            replacements: Vec::new(),
        },
    )?;
    for after in [0, 256] {
        let after_erasure = pull_docs(after)?;
        assert!(
            after_erasure
                .iter()
                .all(|(doc, kind)| doc != gone || kind == ERASURE_KIND),
            "a change of the erased record came from a cached block (after {after})"
        );
        assert_eq!(
            after_erasure.last().map(|(_, k)| k.as_str()),
            Some(ERASURE_KIND)
        );
    }
    Ok(())
}

/// After a dump is restored, `filrouge restore --postgres` gives every team's log a new
/// identity, so devices send back what the dump lacked.
#[test]
fn a_restored_database_gets_new_log_identities() -> Result<(), ServerError> {
    use crate::{SystemClock, TeamServer};

    let db = TestDatabase::new();
    let server = TeamServer::with_storage(
        Arc::new(PostgresStorage::connect(&db.url)?),
        Arc::new(SystemClock),
    );
    let first = server.ensure_team("Nord")?;
    let second = server.create_team("Sud")?;
    let renewed = server.renew_log_ids()?;
    assert_eq!(renewed.len(), 2);
    // Read through another connection, as the servers started afterwards will.
    let storage = PostgresStorage::connect(&db.url)?;
    for team in [first, second] {
        let now = storage.team(&team.id)?.expect("the team").log_id;
        assert_ne!(now, team.log_id, "the log kept its identity");
        assert!(renewed.contains(&(team.id.clone(), now)));
    }
    Ok(())
}
