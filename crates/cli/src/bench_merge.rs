//! Merging a person met 500 times, and undoing it, on the duplicate benchmark's store
//! (30,000 persons): the time of one merge and one undo as the coordinator's click
//! waits for them, beside plain SQLite moving the same 500 links in one transaction.

use std::path::Path;
use std::time::Instant;

use filrouge_core::{Clock, Store, SystemClock};
use filrouge_model::{Channel, MergedFields, RecordId, RencontreDraft};

/// Rencontres of the absorbed person.
pub const RENCONTRES: usize = 500;
/// Merges (each followed by its undo) measured.
const ROUNDS: usize = 7;

/// What was measured, in milliseconds.
#[derive(Debug, Clone, Default)]
pub struct Figures {
    pub merge_p50_ms: f64,
    pub merge_max_ms: f64,
    pub undo_p50_ms: f64,
    pub undo_max_ms: f64,
    pub plain_ms: f64,
}

/// Gives `absorbed` [`RENCONTRES`] rencontres, then merges it into `survivor` and undoes
/// the merge [`ROUNDS`] times. `scratch` holds the plain SQLite baseline's file.
pub fn measure(
    store: &mut Store,
    scratch: &Path,
    survivor: &RecordId,
    absorbed: &RecordId,
) -> anyhow::Result<Figures> {
    let now = SystemClock.now_ms();
    let rencontres: Vec<RencontreDraft> = (0..RENCONTRES)
        .map(|i| RencontreDraft {
            channel: Channel::Maraude,
            place: "Gare".into(),
            persons: [absorbed.clone()].into(),
            occurred_at: Some(now - i as i64 * 3_600_000),
            ..RencontreDraft::default()
        })
        .collect();
    store.import(rencontres)?;
    // The app folds the WAL into the file in the background after its writes (the sync
    // worker's checkpoint); without it, the first merge paid for SQLite's automatic
    // checkpoint of the whole set-up's WAL (10,000 pages, ~140 ms).
    store.checkpoint()?;
    let (mut merges, mut undos) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        let taken = MergedFields {
            last_name: Some("Benali".into()),
            ..MergedFields::default()
        };
        let t = Instant::now();
        let merge = store.merge_persons(survivor.clone(), absorbed.clone(), taken, None)?;
        merges.push(t.elapsed().as_secs_f64() * 1000.0);
        anyhow::ensure!(
            store.timeline(survivor.as_str())?.len() >= RENCONTRES,
            "the merged thread holds the absorbed person's rencontres"
        );
        let t = Instant::now();
        store.undo_merge(&merge)?;
        undos.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    merges.sort_by(f64::total_cmp);
    undos.sort_by(f64::total_cmp);

    // Plain SQLite: the same 500 links moved to another person and back, indexed.
    let conn = rusqlite::Connection::open(scratch.join("plain-merge.sqlite"))?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         CREATE TABLE links (rencontre INTEGER, person TEXT, PRIMARY KEY (rencontre, person));
         CREATE INDEX links_by_person ON links (person);",
    )?;
    {
        let tx = conn.unchecked_transaction()?;
        for i in 0..RENCONTRES {
            tx.execute("INSERT INTO links VALUES (?1, 'a')", [i as i64])?;
        }
        tx.commit()?;
    }
    let mut plain = Vec::new();
    for round in 0..ROUNDS {
        let (from, to) = if round % 2 == 0 {
            ("a", "b")
        } else {
            ("b", "a")
        };
        let t = Instant::now();
        let tx = conn.unchecked_transaction()?;
        tx.execute("UPDATE links SET person = ?2 WHERE person = ?1", [from, to])?;
        tx.commit()?;
        plain.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    plain.sort_by(f64::total_cmp);
    Ok(Figures {
        merge_p50_ms: merges[ROUNDS / 2],
        merge_max_ms: merges[ROUNDS - 1],
        undo_p50_ms: undos[ROUNDS / 2],
        undo_max_ms: undos[ROUNDS - 1],
        plain_ms: plain[ROUNDS / 2],
    })
}
