//! Request rate per device: a token bucket per device id; and failed enrolments per
//! client address, the same way.
//!
//! Every authenticated request takes one token from its device's bucket; the bucket
//! refills continuously up to its capacity. An empty bucket answers 429 `rate_limited`
//! with the seconds to wait in `Retry-After`, which the device's backoff honours (a 429
//! is transient for it). The burst is large enough for a fresh device to pull a team's
//! whole log page after page; the refill rate is what a device may keep up for long.
//! Time comes from the server's injected clock, so tests need no sleeping.
//!
//! Enrolment has no device yet: there, only **failed** attempts take a token, from the
//! bucket of the client's address ([`ENROL_FAILURES_BURST`], then
//! [`ENROL_FAILURES_PER_MINUTE`]). A team enrolling thirty phones from one office is
//! never slowed; guessing codes stays hopeless on top of their 50 bits. Behind a
//! reverse proxy every client shares the proxy's address, so the limit becomes the
//! server's as a whole, which still stops guessing.
//!
//! Several server processes on one PostgreSQL database share their buckets: they live
//! in the database ([`crate::storage::Storage::rate_tokens`], an unlogged table), so a
//! balancer spreading a device over the processes does not multiply its rate. Each
//! process takes a few tokens at once ([`lease_size`]) and spends them itself. With
//! SQLite (one process) they live here.

use std::collections::HashMap;
use std::sync::Mutex;

/// Requests a device may make in a burst.
pub const DEFAULT_BURST: u32 = 240;
/// Requests per second a device may sustain.
pub const DEFAULT_PER_SECOND: u32 = 20;

/// Failed enrolments an address may make in a burst.
pub const ENROL_FAILURES_BURST: u32 = 10;
/// Failed enrolments per minute an address may sustain after the burst.
pub const ENROL_FAILURES_PER_MINUTE: u32 = 6;

/// Token buckets, one per key (a device, or a client address).
#[derive(Debug)]
pub struct RateLimiter {
    burst: f64,
    per_ms: f64,
    buckets: Mutex<HashMap<String, Bucket>>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at_ms: i64,
}

impl RateLimiter {
    /// A limiter allowing `burst` requests at once and `per_second` sustained.
    pub fn new(burst: u32, per_second: u32) -> RateLimiter {
        RateLimiter {
            burst: f64::from(burst.max(1)),
            per_ms: f64::from(per_second.max(1)) / 1000.0,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// A limiter allowing `burst` at once and `per_minute` sustained.
    pub fn per_minute(burst: u32, per_minute: u32) -> RateLimiter {
        RateLimiter {
            burst: f64::from(burst.max(1)),
            per_ms: f64::from(per_minute.max(1)) / 60_000.0,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Whether `key` has a token at `now_ms`, without taking it; `Err(seconds)` to wait.
    pub fn check(&self, key: &str, now_ms: i64) -> Result<(), u64> {
        self.with_bucket(key, now_ms, false)
    }

    /// Takes a token for `key` at `now_ms`; `Err(seconds)` to wait when there is none.
    pub fn admit(&self, key: &str, now_ms: i64) -> Result<(), u64> {
        self.with_bucket(key, now_ms, true)
    }

    fn with_bucket(&self, key: &str, now_ms: i64, take: bool) -> Result<(), u64> {
        // A poisoned lock only means another request panicked mid-update of a number.
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let bucket = buckets.entry(key.to_owned()).or_insert(Bucket {
            tokens: self.burst,
            at_ms: now_ms,
        });
        // A clock going backwards refills nothing (and takes nothing away).
        let elapsed = (now_ms - bucket.at_ms).max(0) as f64;
        bucket.tokens = (bucket.tokens + elapsed * self.per_ms).min(self.burst);
        bucket.at_ms = bucket.at_ms.max(now_ms);
        if bucket.tokens >= 1.0 {
            if take {
                bucket.tokens -= 1.0;
            }
            Ok(())
        } else {
            Err(self.wait_secs(bucket.tokens))
        }
    }
}

impl RateLimiter {
    /// The buckets' shape, for a storage that keeps them ([`crate::storage::Storage::rate_tokens`]).
    pub fn params(&self) -> crate::storage::RateParams {
        crate::storage::RateParams {
            burst: self.burst,
            per_ms: self.per_ms,
        }
    }

    /// Whether this limiter never refuses (a benchmark's server, `with_rate_limit(u32::MAX, …)`).
    pub fn is_unlimited(&self) -> bool {
        self.burst >= f64::from(u32::MAX)
    }

    /// The seconds to wait for a token when the bucket holds `tokens` (fewer than one).
    pub fn wait_secs(&self, tokens: f64) -> u64 {
        let wait_ms = (1.0 - tokens).max(0.0) / self.per_ms;
        (wait_ms / 1000.0).ceil().max(1.0) as u64
    }
}

/// How many tokens a server process takes at once from a bucket shared by several
/// processes (and then spends itself): a sixteenth of the burst, so a device keeps to
/// its rate within a sixteenth of its burst per process, and one that keeps to one
/// process costs a statement every few requests; a single token for a small burst.
pub fn lease_size(burst: f64) -> u32 {
    ((burst / 16.0).floor() as u32).clamp(1, 16)
}

/// Tokens a process took ahead from shared buckets, by bucket.
#[derive(Debug, Default)]
pub struct Leases {
    left: Mutex<HashMap<String, u32>>,
}

impl Leases {
    /// Spends one token taken ahead for `key`, if one is left.
    pub fn take_one(&self, key: &str) -> bool {
        let mut left = self
            .left
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match left.get_mut(key) {
            Some(n) if *n > 1 => {
                *n -= 1;
                true
            }
            Some(_) => {
                left.remove(key);
                true
            }
            None => false,
        }
    }

    /// Keeps `count` tokens taken ahead for `key`.
    pub fn keep(&self, key: String, count: u32) {
        let mut left = self
            .left
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *left.entry(key).or_insert(0) += count;
    }
}

impl Default for RateLimiter {
    fn default() -> Self {
        RateLimiter::new(DEFAULT_BURST, DEFAULT_PER_SECOND)
    }
}

impl RateLimiter {
    /// The limiter of failed enrolments.
    pub fn enrolments() -> RateLimiter {
        RateLimiter::per_minute(ENROL_FAILURES_BURST, ENROL_FAILURES_PER_MINUTE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checking_takes_nothing_and_minutes_refill_slowly() {
        let limiter = RateLimiter::per_minute(2, 6);
        for _ in 0..5 {
            assert_eq!(limiter.check("ip", 0), Ok(()));
        }
        assert_eq!(limiter.admit("ip", 0), Ok(()));
        assert_eq!(limiter.admit("ip", 0), Ok(()));
        assert_eq!(limiter.check("ip", 0), Err(10), "one every 10 s");
        assert_eq!(limiter.check("ip", 9_999), Err(1));
        assert_eq!(limiter.check("ip", 10_000), Ok(()));
    }

    #[test]
    fn a_burst_passes_then_waits_then_refills_per_device() {
        let limiter = RateLimiter::new(3, 2);
        for _ in 0..3 {
            assert_eq!(limiter.admit("a", 0), Ok(()));
        }
        assert_eq!(limiter.admit("a", 0), Err(1));
        assert_eq!(
            limiter.admit("b", 0),
            Ok(()),
            "another device has its own bucket"
        );
        assert_eq!(
            limiter.admit("a", 499),
            Err(1),
            "half a token is not enough"
        );
        assert_eq!(
            limiter.admit("a", 500),
            Ok(()),
            "one token after 500 ms at 2/s"
        );
        assert_eq!(
            limiter.admit("a", -10_000),
            Err(1),
            "a clock going back refills nothing"
        );
        assert_eq!(limiter.admit("a", 60_000), Ok(()));
        assert_eq!(limiter.admit("a", 60_000), Ok(()));
        assert_eq!(limiter.admit("a", 60_000), Ok(()));
        assert_eq!(
            limiter.admit("a", 60_000),
            Err(1),
            "never more than the burst"
        );
    }
}
