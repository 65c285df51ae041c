//! The request rate limits' token buckets on PostgreSQL, shared by every server
//! process on the database ([`Storage::rate_tokens`](crate::storage::Storage::rate_tokens)):
//! a device spread over several processes by a balancer gets its rate once, not once
//! per process.
//!
//! One statement, on an unlogged table (no WAL flush): the bucket is refilled from the
//! time it was last met and tokens taken in the same `UPSERT`, under the row's lock, so
//! two processes never both take the last token. A process takes up to a sixteenth of
//! the burst at once and spends it itself ([`crate::TeamServer::admit`]), so a device
//! that keeps to one process costs one statement every few requests. Buckets not met for
//! an hour (full again by then) are deleted now and then, so addresses that failed to
//! enrol once do not pile up.

use std::sync::atomic::{AtomicU64, Ordering};

use super::Conn;
use super::schema::During as _;
use crate::error::ServerError;
use crate::storage::{RateAnswer, RateParams};

/// One in this many token requests also deletes the buckets not met for an hour.
const PURGE_EVERY: u64 = 4096;
/// A bucket older than this is full again, so forgetting it changes nothing.
const FORGET_AFTER_MS: i64 = 60 * 60 * 1000;

static CALLS: AtomicU64 = AtomicU64::new(0);

/// Refills the bucket to `now`, then takes up to `$5` whole tokens; answers how many it
/// took and the tokens left.
const TAKE: &str = "INSERT INTO rate_buckets AS b (key, tokens, at_ms, admitted, taken)
     VALUES ($1::text, $2::float8 - LEAST($5::int4, FLOOR($2::float8)), $3::int8,
             $2::float8 >= 1, LEAST($5::int4, FLOOR($2::float8))::int4)
     ON CONFLICT (key) DO UPDATE SET
       taken = LEAST($5::int4,
         FLOOR(LEAST($2::float8, b.tokens + GREATEST($3::int8 - b.at_ms, 0) * $4::float8)))::int4,
       admitted = LEAST($2::float8, b.tokens + GREATEST($3::int8 - b.at_ms, 0) * $4::float8) >= 1,
       tokens = LEAST($2::float8, b.tokens + GREATEST($3::int8 - b.at_ms, 0) * $4::float8)
         - LEAST($5::int4,
             FLOOR(LEAST($2::float8, b.tokens + GREATEST($3::int8 - b.at_ms, 0) * $4::float8))),
       at_ms = GREATEST(b.at_ms, $3::int8)
     RETURNING taken, tokens";

/// The bucket as it would be at `now`, untouched.
const CHECK: &str = "SELECT LEAST($2::float8, tokens + GREATEST($3::int8 - at_ms, 0) * $4::float8)
     FROM rate_buckets WHERE key = $1::text";

pub(super) fn rate_tokens(
    conn: &mut Conn,
    key: &str,
    now_ms: i64,
    limit: RateParams,
    want: u32,
) -> Result<RateAnswer, ServerError> {
    if CALLS.fetch_add(1, Ordering::Relaxed) % PURGE_EVERY == PURGE_EVERY - 1 {
        conn.execute(
            "DELETE FROM rate_buckets WHERE at_ms < $1",
            &[&(now_ms - FORGET_AFTER_MS)],
        )
        .during("forget old rate buckets")?;
    }
    if want > 0 {
        let want = i32::try_from(want).unwrap_or(i32::MAX);
        let statement = conn.prepared(TAKE)?;
        let row = conn
            .query_one(
                &statement,
                &[&key, &limit.burst, &now_ms, &limit.per_ms, &want],
            )
            .during("take rate tokens")?;
        let taken: i32 = row.try_get(0).during("take rate tokens")?;
        return Ok(RateAnswer {
            taken: u32::try_from(taken).unwrap_or(0),
            tokens: row.try_get(1).during("take rate tokens")?,
        });
    }
    let statement = conn.prepared(CHECK)?;
    let row = conn
        .query_opt(&statement, &[&key, &limit.burst, &now_ms, &limit.per_ms])
        .during("check a rate bucket")?;
    let tokens = match row {
        Some(row) => row.try_get(0).during("check a rate bucket")?,
        None => limit.burst,
    };
    Ok(RateAnswer { taken: 0, tokens })
}
