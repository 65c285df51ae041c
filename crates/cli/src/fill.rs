//! `filrouge generate`: fills a device store with a team's worth of made-up records, to
//! try the app at scale or to measure it (`scripts/bench-ui.sh`).
//!
//! The records are the benchmarks' (see `generate.rs`): 30% persons, 45% rencontres
//! spread over two years, 15% stage changes and 10% relances due within two months
//! either side of today. They are written in batches of 5,000, each one transaction
//! through the store's own `create_all`, so the file is exactly what the app writes.

use std::path::Path;
use std::time::Instant;

use filrouge_core::{Env, Store};

use crate::generate::{self, Rng};

/// Records per transaction.
const BATCH: usize = 5_000;

/// Adds `n` records to the store in `data` (created if missing); prints what it did.
pub fn run(n: usize, data: &Path, seed: u64) -> anyhow::Result<()> {
    let started = Instant::now();
    let now = filrouge_core::Clock::now_ms(&filrouge_core::SystemClock);
    let mut rng = Rng::new(seed);
    let (n_persons, n_rencontres, n_etapes, n_relances) = generate::split(n);
    let mut store = Store::open(&data.join(filrouge_core::STORE_FILE), Env::default())?;
    let mut persons = Vec::with_capacity(n_persons);
    for chunk in chunks(n_persons) {
        let drafts = (0..chunk).map(|_| generate::person(&mut rng)).collect();
        persons.extend(store.import(drafts)?);
    }
    anyhow::ensure!(
        !persons.is_empty() || n_rencontres + n_etapes + n_relances == 0,
        "too few records to name anybody: ask for at least 4"
    );
    for chunk in chunks(n_rencontres) {
        let drafts = (0..chunk)
            .map(|_| {
                let mut r = generate::rencontre(&mut rng, &persons, now);
                r.occurred_at.get_or_insert(now);
                r
            })
            .collect();
        store.import(drafts)?;
    }
    for chunk in chunks(n_etapes) {
        let drafts = (0..chunk)
            .map(|_| generate::etape(&mut rng, &persons, now))
            .collect();
        store.import(drafts)?;
    }
    for chunk in chunks(n_relances) {
        let drafts = (0..chunk)
            .map(|_| generate::relance(&mut rng, &persons, now))
            .collect();
        store.import(drafts)?;
    }
    store.checkpoint()?;
    println!(
        "{n} enregistrements ajoutés à {} en {:.1?} ({n_persons} personnes, {n_rencontres} rencontres, {n_etapes} étapes, {n_relances} relances)",
        data.display(),
        started.elapsed()
    );
    Ok(())
}

/// Batch sizes that add up to `n`.
fn chunks(n: usize) -> impl Iterator<Item = usize> {
    (0..n.div_ceil(BATCH)).map(move |i| BATCH.min(n - i * BATCH))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_add_up() {
        assert_eq!(chunks(12_001).collect::<Vec<_>>(), [5_000, 5_000, 2_001]);
        assert_eq!(chunks(0).count(), 0);
    }

    #[test]
    fn a_generated_store_opens_and_answers() {
        let dir = tempfile::tempdir().unwrap();
        run(200, dir.path(), 7).unwrap();
        let store =
            Store::open(&dir.path().join(filrouge_core::STORE_FILE), Env::default()).unwrap();
        assert_eq!(store.doc_infos().unwrap().len(), 200);
        assert!(!store.list_rencontres_since(0).unwrap().is_empty());
    }
}
