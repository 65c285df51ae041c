//! The plans PostgreSQL may keep for the prepared statements of a pull and a push.
//! Connections leave `plan_cache_mode` at `auto`, so after a few runs the server may
//! run a statement on a generic plan, made without the values of its parameters: the
//! page statement's must still read the log by its primary key, in order, and stop at
//! the count, whatever the cursor (never a scan of the whole log or a sort of it); an
//! append's check must look each hash and record up by key, whatever the tables' sizes
//! when the plan was made.

use super::PostgresStorage;
use super::append::CHECK_SQL;
use super::log::PAGE_SQL;
use super::testing::TestDatabase;
use crate::error::ServerError;
use crate::storage::Storage as _;
use crate::storage::suite::{change, team_and_device};

/// The generic plan of `sql` (its parameters' types spelled out) run with `args`, one
/// line per node, on a connection of its own (the storage's keep their settings and
/// prepared statements).
fn generic_plan(url: &str, sql: &str, args: &str) -> Vec<String> {
    let mut conn = postgres::Client::connect(url, postgres::NoTls).expect("connect");
    conn.batch_execute("SET plan_cache_mode = force_generic_plan")
        .expect("generic plans");
    conn.batch_execute(&format!("PREPARE planned AS {sql}"))
        .expect("prepare");
    conn.query(&format!("EXPLAIN EXECUTE planned({args})"), &[])
        .expect("explain")
        .iter()
        .map(|row| row.get::<_, String>(0).trim().to_owned())
        .collect()
}

#[test]
fn the_generic_plan_of_a_page_reads_the_log_in_order_and_stops_at_the_count()
-> Result<(), ServerError> {
    let db = TestDatabase::new();
    let storage = PostgresStorage::connect(&db.url)?;
    let mut teams = Vec::new();
    for _ in 0..5 {
        teams.push(team_and_device(&storage)?);
    }
    // Enough rows in several teams that the statistics favour no plan by accident.
    for (t, (team, device)) in teams.iter().enumerate() {
        for page in 0..20 {
            let changes: Vec<_> = (0..100)
                .map(|i| change(&format!("{t}-{page}-{i}"), 200))
                .collect();
            storage.append_changes(team, device, &changes, 1_000)?;
        }
    }
    storage.reader()?.batch_execute("ANALYZE").expect("analyze");
    // The parameters' types, which the driver's prepare infers, spelled out for SQL.
    let sql = PAGE_SQL
        .replace("$1", "$1::text")
        .replace("$2", "$2::bigint")
        .replace("$3", "$3::bigint");
    let team = &teams[0].0;
    let plan = generic_plan(&db.url, &sql, &format!("'{team}', 0, 501, 500, 1000000"));
    let at = |needle: &str| plan.iter().position(|line| line.contains(needle));
    let (Some(limit), Some(scan)) = (at("Limit"), at("Index Scan using changes_pkey on changes"))
    else {
        panic!(
            "no ordered primary-key scan under a limit:\n{}",
            plan.join("\n")
        );
    };
    assert!(
        limit < scan,
        "the limit stops the scan:\n{}",
        plan.join("\n")
    );
    assert!(
        !plan.iter().any(|line| line.contains("Seq Scan on changes")),
        "a scan of the whole log:\n{}",
        plan.join("\n")
    );
    // The one sort is of the page's rows, above the limit, never of the log's.
    let sorts_below_limit = plan[limit..].iter().any(|line| line.contains("Sort"));
    assert!(
        !sorts_below_limit,
        "the log is sorted:\n{}",
        plan.join("\n")
    );
    Ok(())
}

#[test]
fn the_generic_plan_of_an_append_check_looks_each_hash_and_record_up_by_key()
-> Result<(), ServerError> {
    let db = TestDatabase::new();
    let storage = PostgresStorage::connect(&db.url)?;
    let (team, device) = team_and_device(&storage)?;
    let args = format!("'{{{team}}}', '{{doc-1}}', '{{{team},{team}}}', '{{a,b}}'");
    let check = |when: &str| {
        let plan = generic_plan(&db.url, CHECK_SQL, &args);
        let text = plan.join("\n");
        for (table, index) in [
            ("changes", "changes_team_id_hash_key"),
            ("erasures", "erasures_pkey"),
        ] {
            assert!(
                plan.iter()
                    .any(|line| line.contains(&format!("using {index} on {table}"))),
                "{when}: {table} is not looked up by its key:\n{text}"
            );
            assert!(
                !plan
                    .iter()
                    .any(|line| line.contains(&format!("Seq Scan on {table}"))),
                "{when}: {table} is read whole:\n{text}"
            );
        }
        assert!(
            !plan
                .iter()
                .any(|line| line.contains("Hash") || line.contains("Merge")),
            "{when}: a join that reads a table whole:\n{text}"
        );
    };
    // A server's first group: the plan is made while the tables are nearly empty and
    // were never analysed, and kept while the log grows.
    check("nearly empty");
    for page in 0..40 {
        let changes: Vec<_> = (0..100)
            .map(|i| change(&format!("{page}-{i}"), 200))
            .collect();
        storage.append_changes(&team, &device, &changes, 1_000)?;
    }
    // Thousands of erasures (a table of one page is rightly read whole), written
    // directly: only their number matters to the plan.
    storage
        .writer()?
        .execute(
            "INSERT INTO erasures (team_id, doc_id, seq, device_id, erased_at)
             SELECT $1, 'gone-' || i, 1, $2, 0 FROM generate_series(1, 5000) AS i",
            &[&team, &device],
        )
        .expect("erasures");
    storage.reader()?.batch_execute("ANALYZE").expect("analyze");
    check("analysed");
    Ok(())
}
