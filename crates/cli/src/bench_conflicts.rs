//! The coordinator's conflicts queue with 1,000 open conflicts: two devices give 1,000
//! persons a commune each at the same time and meet through an in-memory hub; the
//! laptop's list of conflicts is timed, beside plain SQLite reading the same rows.

use std::path::Path;
use std::sync::Mutex;
use std::time::Instant;

use filrouge_core::sync::{MemoryHub, run};
use filrouge_core::{Env, Store};
use filrouge_model::{PersonDraft, RecordId};

/// Conflicts made.
pub const CONFLICTS: usize = 1_000;
/// Lists measured.
const ROUNDS: usize = 9;

/// What was measured, in milliseconds.
#[derive(Debug, Clone, Default)]
pub struct Figures {
    pub listed: usize,
    pub list_p50_ms: f64,
    pub list_max_ms: f64,
    pub plain_ms: f64,
}

/// Makes [`CONFLICTS`] conflicts between two stores in `dir` and times the list.
pub fn measure(dir: &Path) -> anyhow::Result<Figures> {
    let hub = MemoryHub::default();
    let open = |name: &str| -> anyhow::Result<Mutex<Store>> {
        Ok(Mutex::new(Store::open(&dir.join(name), Env::default())?))
    };
    let (laptop, phone) = (open("laptop.sqlite")?, open("phone.sqlite")?);
    let ids: Vec<RecordId> = {
        let drafts = (0..CONFLICTS)
            .map(|i| PersonDraft::new(format!("Personne {i}")))
            .collect();
        lock(&laptop).import(drafts)?
    };
    for d in [&laptop, &phone] {
        run(d, &mut hub.transport())?;
    }
    for (d, commune) in [(&laptop, "Pantin"), (&phone, "Bobigny")] {
        let mut s = lock(d);
        for id in &ids {
            let mut p: PersonDraft = s.person_view(id.as_str())?.person;
            p.territory.commune = Some(commune.into());
            s.update_person(id.as_str(), p)?;
        }
    }
    for d in [&phone, &laptop] {
        run(d, &mut hub.transport())?;
    }
    let s = lock(&laptop);
    let mut times = Vec::new();
    let mut listed = 0;
    for _ in 0..ROUNDS {
        let t = Instant::now();
        listed = s.list_conflicts(CONFLICTS as u32)?.conflicts.len();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    anyhow::ensure!(listed == CONFLICTS, "{listed} conflicts listed");
    times.sort_by(f64::total_cmp);
    drop(s);

    let conn = rusqlite::Connection::open(dir.join("laptop.sqlite"))?;
    let mut plain = Vec::new();
    for _ in 0..ROUNDS {
        let t = Instant::now();
        let mut stmt = conn.prepare_cached("SELECT doc_id, field, json FROM conflicts")?;
        let n = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })?
            .count();
        plain.push(t.elapsed().as_secs_f64() * 1000.0);
        anyhow::ensure!(n >= CONFLICTS, "{n} rows");
    }
    plain.sort_by(f64::total_cmp);
    Ok(Figures {
        listed,
        list_p50_ms: times[ROUNDS / 2],
        list_max_ms: times[ROUNDS - 1],
        plain_ms: plain[ROUNDS / 2],
    })
}

fn lock(d: &Mutex<Store>) -> std::sync::MutexGuard<'_, Store> {
    d.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
