//! The request rate limits' token buckets on PostgreSQL, shared by every server
//! process on the database ([`Storage::rate_token`](crate::storage::Storage::rate_token)):
//! a device spread over several processes by a balancer gets its rate once, not once
//! per process.
//!
//! One statement per request, on an unlogged table (no WAL flush): the bucket is
//! refilled from the time it was last met and a token taken in the same `UPSERT`, under
//! the row's lock, so two processes never both take the last token. Buckets not met for
//! an hour (full again by then) are deleted now and then, so addresses that failed to
//! enrol once do not pile up.

use std::sync::atomic::{AtomicU64, Ordering};

use super::Conn;
use super::schema::During as _;
use crate::error::ServerError;
use crate::storage::RateParams;

/// One in this many token requests also deletes the buckets not met for an hour.
const PURGE_EVERY: u64 = 4096;
/// A bucket older than this is full again, so forgetting it changes nothing.
const FORGET_AFTER_MS: i64 = 60 * 60 * 1000;

static CALLS: AtomicU64 = AtomicU64::new(0);

/// Refills the bucket to `now`, then takes a token if one is there; answers whether one
/// was there, and the tokens left.
const TAKE: &str = "INSERT INTO rate_buckets AS b (key, tokens, at_ms, admitted)
     VALUES ($1::text, $2::float8 - 1, $3::int8, TRUE)
     ON CONFLICT (key) DO UPDATE SET
       admitted = LEAST($2::float8, b.tokens + GREATEST($3::int8 - b.at_ms, 0) * $4::float8) >= 1,
       tokens = LEAST($2::float8, b.tokens + GREATEST($3::int8 - b.at_ms, 0) * $4::float8)
         - CASE WHEN LEAST($2::float8, b.tokens + GREATEST($3::int8 - b.at_ms, 0) * $4::float8) >= 1
                THEN 1 ELSE 0 END,
       at_ms = GREATEST(b.at_ms, $3::int8)
     RETURNING admitted, tokens";

/// The bucket as it would be at `now`, untouched.
const CHECK: &str = "SELECT LEAST($2::float8, tokens + GREATEST($3::int8 - at_ms, 0) * $4::float8)
     FROM rate_buckets WHERE key = $1::text";

pub(super) fn rate_token(
    conn: &mut Conn,
    key: &str,
    now_ms: i64,
    limit: RateParams,
    take: bool,
) -> Result<Result<f64, f64>, ServerError> {
    if CALLS.fetch_add(1, Ordering::Relaxed) % PURGE_EVERY == PURGE_EVERY - 1 {
        conn.execute(
            "DELETE FROM rate_buckets WHERE at_ms < $1",
            &[&(now_ms - FORGET_AFTER_MS)],
        )
        .during("forget old rate buckets")?;
    }
    let args: [&(dyn postgres::types::ToSql + Sync); 4] =
        [&key, &limit.burst, &now_ms, &limit.per_ms];
    if take {
        let statement = conn.prepared(TAKE)?;
        let row = conn
            .query_one(&statement, &args)
            .during("take a rate token")?;
        let admitted: bool = row.try_get(0).during("take a rate token")?;
        let tokens: f64 = row.try_get(1).during("take a rate token")?;
        return Ok(if admitted { Ok(tokens) } else { Err(tokens) });
    }
    let statement = conn.prepared(CHECK)?;
    let row = conn
        .query_opt(&statement, &args)
        .during("check a rate bucket")?;
    let tokens = match row {
        Some(row) => row.try_get(0).during("check a rate bucket")?,
        None => limit.burst,
    };
    Ok(if tokens >= 1.0 {
        Ok(tokens)
    } else {
        Err(tokens)
    })
}
