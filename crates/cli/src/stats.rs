//! Latency percentiles for the benchmarks, computed exactly from the recorded samples
//! (sorted, nearest rank) rather than estimated from buckets: the sample counts are small
//! enough to sort, and a tail figure such as p99 is the one a histogram blurs most.

use std::time::Duration;

/// The `p`th percentile (1 to 100) of `samples` by the nearest-rank method: the smallest
/// sample that at least `p`% of the samples are less than or equal to. Sorts `samples`;
/// `None` when there are none.
pub fn percentile(samples: &mut [Duration], p: usize) -> Option<Duration> {
    samples.sort_unstable();
    let rank = (samples.len() * p)
        .div_ceil(100)
        .clamp(1, samples.len().max(1));
    samples.get(rank - 1).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn nearest_rank_on_unsorted_samples() {
        // 1..=100 ms, shuffled by a fixed stride (37 is prime to 100).
        let mut samples: Vec<Duration> = (0..100).map(|i| ms((i * 37) % 100 + 1)).collect();
        assert_eq!(percentile(&mut samples, 50), Some(ms(50)));
        assert_eq!(percentile(&mut samples, 99), Some(ms(99)));
        assert_eq!(percentile(&mut samples, 100), Some(ms(100)));
        assert_eq!(percentile(&mut samples, 1), Some(ms(1)));
    }

    #[test]
    fn small_and_empty_sets() {
        assert_eq!(percentile(&mut [], 50), None);
        assert_eq!(percentile(&mut [ms(7)], 99), Some(ms(7)));
        // Ten samples: p99 is the largest, p50 the fifth.
        let mut ten: Vec<Duration> = (1..=10).rev().map(ms).collect();
        assert_eq!(percentile(&mut ten, 99), Some(ms(10)));
        assert_eq!(percentile(&mut ten, 50), Some(ms(5)));
    }
}
