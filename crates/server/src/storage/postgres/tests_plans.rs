//! The plan PostgreSQL may keep for the prepared page statement. Connections leave
//! `plan_cache_mode` at `auto`, so after a few runs the server may run a statement on a
//! generic plan, made without the values of its parameters: the page statement's must
//! still read the log by its primary key, in order, and stop at the count, whatever
//! the cursor (never a scan of the whole log or a sort of it).

use super::PostgresStorage;
use super::log::PAGE_SQL;
use super::testing::TestDatabase;
use crate::error::ServerError;
use crate::storage::Storage as _;
use crate::storage::suite::{change, team_and_device};

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
    let mut conn = storage.reader()?;
    conn.batch_execute("ANALYZE").expect("analyze");
    conn.batch_execute("SET plan_cache_mode = force_generic_plan")
        .expect("generic plans");
    // The parameters' types, which the driver's prepare infers, spelled out for SQL.
    let sql = PAGE_SQL
        .replace("$1", "$1::text")
        .replace("$2", "$2::bigint")
        .replace("$3", "$3::bigint");
    conn.batch_execute(&format!("PREPARE page AS {sql}"))
        .expect("prepare");
    let team = &teams[0].0;
    let plan: Vec<String> = conn
        .query(
            &format!("EXPLAIN EXECUTE page('{team}', 0, 501, 500, 1000000)"),
            &[],
        )
        .expect("explain")
        .iter()
        .map(|row| row.get::<_, String>(0).trim().to_owned())
        .collect();
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
