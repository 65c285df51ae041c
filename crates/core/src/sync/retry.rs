//! When the background sync runs next: the schedule a device follows between attempts.
//!
//! A healthy device syncs every [`PERIOD`] and after each local change. After a failure
//! it waits longer each time ([`RetrySchedule::delay_after`]), up to [`MAX_BACKOFF`], so a
//! server in trouble is not knocked down again by its whole team; but no network at all
//! is retried at least every [`PERIOD`], since such an attempt costs nobody anything and
//! the device must catch connectivity coming back. The jitter comes from the injected
//! clock, so tests see exact delays.

use std::sync::Arc;
use std::time::Duration;

use filrouge_model::ipc::SyncFailure;

use crate::Clock;

/// How often a healthy device syncs on its own.
pub const PERIOD: Duration = Duration::from_secs(60);
/// The longest wait between attempts while the server cannot be reached.
pub const MAX_BACKOFF: Duration = Duration::from_secs(15 * 60);
/// The first wait after a failure.
const FIRST_BACKOFF: Duration = Duration::from_secs(5);

/// The waits between sync attempts, on an injected clock.
#[derive(Clone)]
pub struct RetrySchedule {
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for RetrySchedule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RetrySchedule").finish_non_exhaustive()
    }
}

impl RetrySchedule {
    /// A schedule whose jitter reads `clock`.
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        RetrySchedule { clock }
    }

    /// How long to wait after `failures` failed syncs in a row, the last one `failure`.
    pub fn delay_after(&self, failure: &SyncFailure, failures: u32) -> Duration {
        let delay = self.backoff(failures);
        match failure {
            SyncFailure::Unreachable => delay.min(PERIOD),
            _ => delay,
        }
    }

    /// 5 s, 10 s, 20 s… up to [`MAX_BACKOFF`], each shortened by up to a quarter so that
    /// a team's phones coming back together do not all knock at once.
    fn backoff(&self, failures: u32) -> Duration {
        let doublings = failures.clamp(1, 13) - 1;
        let base = FIRST_BACKOFF
            .saturating_mul(1 << doublings)
            .min(MAX_BACKOFF);
        // The clock's milliseconds are as good a spread as randomness here: phones do
        // not fail at the same millisecond.
        let jitter = self.clock.now_ms().rem_euclid(1000);
        base - base.mul_f64(jitter as f64 / 4000.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicI64, Ordering};

    struct At(AtomicI64);
    impl Clock for At {
        fn now_ms(&self) -> i64 {
            self.0.load(Ordering::SeqCst)
        }
    }

    fn schedule_at(ms: i64) -> RetrySchedule {
        RetrySchedule::new(Arc::new(At(AtomicI64::new(ms))))
    }

    const BUSY: SyncFailure = SyncFailure::Protocol;

    #[test]
    fn the_wait_doubles_from_five_seconds_then_stops_at_fifteen_minutes() {
        // A clock on a whole second: no jitter.
        let s = schedule_at(1_790_000_000_000);
        let waits: Vec<u64> = (1..=10)
            .map(|n| s.delay_after(&BUSY, n).as_secs())
            .collect();
        assert_eq!(waits, [5, 10, 20, 40, 80, 160, 320, 640, 900, 900]);
        assert_eq!(s.delay_after(&BUSY, u32::MAX), MAX_BACKOFF);
        // Zero failures is treated as the first.
        assert_eq!(s.delay_after(&BUSY, 0), Duration::from_secs(5));
    }

    #[test]
    fn the_jitter_takes_off_at_most_a_quarter() {
        let late = schedule_at(1_790_000_000_999);
        let wait = late.delay_after(&BUSY, 1);
        assert!(wait < Duration::from_secs(5), "{wait:?}");
        assert!(wait >= Duration::from_millis(3750), "{wait:?}");
        assert!(late.delay_after(&BUSY, 40) >= MAX_BACKOFF.mul_f64(0.75));
    }

    #[test]
    fn no_network_is_retried_within_a_minute_and_server_trouble_backs_off() {
        let s = schedule_at(1_790_000_000_000);
        assert_eq!(s.delay_after(&SyncFailure::Unreachable, 40), PERIOD);
        assert_eq!(
            s.delay_after(&SyncFailure::Unreachable, 1),
            Duration::from_secs(5)
        );
        assert_eq!(s.delay_after(&SyncFailure::Unauthorized, 40), MAX_BACKOFF);
    }
}
