//! `filrouge bench dictionary --out FILE` (hidden): trains the zstd dictionary that
//! sealed batches are compressed with (`filrouge_core::e2e`'s `batch-v1.dict`).
//!
//! A batch is compressed alone, before it is sealed, so a small one (a phone pushes
//! after every few records) cannot use what its changes share with every other
//! batch: the Automerge columns' layout, the record kinds' field names, the
//! vocabulary's codes. A dictionary carries those. It is trained here from records the
//! benchmark generator makes up (generic first names and communes from its lists,
//! nothing anyone recorded), each change as the sync engine pushes it. The file is
//! committed and never changes: a batch names the dictionary in its packing byte, and a
//! new one would take a new packing byte, the old one staying to open old batches.

use std::path::Path;

use filrouge_core::{Env, Store};

use crate::generate::{self, Rng};

/// The dictionary's size: larger ones gained little on small batches here.
const DICTIONARY_BYTES: usize = 16 * 1024;

/// Trains the dictionary and writes it to `out`.
pub fn run(out: &Path) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let mut store = Store::open(&dir.path().join("dictionary.sqlite"), Env::default())?;
    let mut rng = Rng::new(0xD1C7_10AA);
    let now = filrouge_core::Clock::now_ms(&filrouge_core::SystemClock);
    let persons = store.import((0..600).map(|_| generate::person(&mut rng)).collect())?;
    let rencontres = store.import(
        (0..2000)
            .map(|_| generate::rencontre(&mut rng, &persons, now))
            .collect(),
    )?;
    store.import(
        (0..400)
            .map(|_| generate::etape(&mut rng, &persons, now))
            .collect(),
    )?;
    store.import(
        (0..400)
            .map(|_| generate::relance(&mut rng, &persons, now))
            .collect(),
    )?;
    // Corrections, as workers make them.
    for id in rencontres.iter().step_by(4) {
        let place = store.rencontre(id)?.place;
        store.edit_rencontre_text(id, place, "Revu, à rappeler".to_owned())?;
    }
    let samples: Vec<Vec<u8>> = crate::load_changes::drain_outbox(&mut store)?
        .into_iter()
        .map(|c| c.data)
        .collect();
    let dictionary = zstd::dict::from_samples(&samples, DICTIONARY_BYTES)?;
    std::fs::write(out, &dictionary)?;
    println!(
        "{} bytes trained from {} changes: {}",
        dictionary.len(),
        samples.len(),
        out.display()
    );
    Ok(())
}
