//! A group of pushes committed on PostgreSQL (`append.rs`): several teams' pages in a
//! handful of statements, numbered densely in the pages' order, a hash held once across
//! the group; and a page the database refuses failing alone, the others stored.

use std::sync::Arc;

use filrouge_model::sync::ChangeBlob;

use super::PostgresStorage;
use super::append::commit_group;
use super::testing::TestDatabase;
use crate::error::ServerError;
use crate::storage::group::Job;
use crate::storage::suite::{change, team_and_device};
use crate::storage::{AppendOutcome, Storage};

/// The (seq, hash) of a team's log.
fn log(storage: &PostgresStorage, team: &str) -> Result<Vec<(u64, String)>, ServerError> {
    Ok(storage
        .changes_after(team, 0, u64::MAX, 1_000)?
        .changes
        .into_iter()
        .map(|c| (c.seq, c.blob.hash))
        .collect())
}

fn job(team: &str, device: &str, changes: &[ChangeBlob]) -> Arc<Job> {
    Arc::new(Job::new(team, device, changes, 5_000))
}

#[test]
fn a_group_of_teams_is_numbered_in_order_and_holds_each_hash_once() -> Result<(), ServerError> {
    let db = TestDatabase::new();
    let storage = PostgresStorage::connect(&db.url)?;
    let (a, phone_a) = team_and_device(&storage)?;
    let (b, phone_b) = team_and_device(&storage)?;
    storage.append_changes(&a, &phone_a, &[change("déjà là", 30)], 1_000)?;
    let (one, two, three) = (change("un", 30), change("deux", 30), change("trois", 30));
    let group = [
        job(&a, &phone_a, &[one.clone(), two.clone()]),
        job(&b, &phone_b, std::slice::from_ref(&one)),
        job(
            &a,
            &phone_a,
            &[two.clone(), three.clone(), change("déjà là", 30)],
        ),
        job("no-such-team", &phone_a, std::slice::from_ref(&one)),
    ];
    let outcomes = commit_group(&mut *storage.writer()?, &group);
    let stored: Vec<Option<(usize, usize)>> = outcomes
        .iter()
        .map(|o| o.as_ref().ok().map(|o| (o.stored, o.already_held)))
        .collect();
    assert_eq!(
        stored,
        vec![Some((2, 0)), Some((1, 0)), Some((1, 2)), None],
        "a hash held once per team, across the group"
    );
    assert!(matches!(outcomes[3], Err(ServerError::UnknownTeam { .. })));
    let a_log: Vec<u64> = log(&storage, &a)?.into_iter().map(|(s, _)| s).collect();
    assert_eq!(a_log, vec![1, 2, 3, 4], "dense, in the pages' order");
    assert_eq!(log(&storage, &a)?[3].1, three.hash);
    assert_eq!(log(&storage, &b)?, vec![(1, one.hash)]);
    assert_eq!((storage.head(&a)?, storage.head(&b)?), (4, 1));
    Ok(())
}

#[test]
fn a_page_the_database_refuses_fails_alone() -> Result<(), ServerError> {
    let db = TestDatabase::new();
    let storage = PostgresStorage::connect(&db.url)?;
    let (team, phone) = team_and_device(&storage)?;
    // PostgreSQL's text refuses a NUL byte, which the API's validation would have.
    let poisoned = ChangeBlob {
        doc_id: "doc\0".to_owned(),
        ..change("empoisonné", 30)
    };
    let group = [
        job(&team, &phone, &[change("avant", 30)]),
        job(&team, &phone, &[poisoned]),
        job(&team, &phone, &[change("après", 30)]),
    ];
    let outcomes = commit_group(&mut *storage.writer()?, &group);
    assert!(matches!(outcomes[0], Ok(AppendOutcome { stored: 1, .. })));
    assert!(matches!(outcomes[1], Err(ServerError::Postgres { .. })));
    assert!(matches!(outcomes[2], Ok(AppendOutcome { stored: 1, .. })));
    let hashes: Vec<String> = log(&storage, &team)?.into_iter().map(|(_, h)| h).collect();
    assert_eq!(
        hashes,
        vec![change("avant", 30).hash, change("après", 30).hash]
    );
    assert_eq!(
        storage.head(&team)?,
        2,
        "dense: the refused page took no number"
    );
    Ok(())
}

#[test]
fn appending_to_the_log_fires_no_trigger_per_row() -> Result<(), ServerError> {
    let db = TestDatabase::new();
    let storage = PostgresStorage::connect(&db.url)?;
    // A foreign key is a pair of triggers per inserted row (schema step 4 says why the
    // log has none); the writer's team lock and the token check stand for them.
    let triggers: Vec<String> = storage
        .reader()?
        .query(
            "SELECT tgname::TEXT FROM pg_trigger WHERE tgrelid = 'changes'::regclass",
            &[],
        )
        .expect("read the log's triggers")
        .iter()
        .map(|row| row.get(0))
        .collect();
    assert_eq!(triggers, Vec::<String>::new());
    Ok(())
}
