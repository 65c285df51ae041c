//! A writer for the crash test: records rencontres and persons into the store at
//! `argv[1]` as fast as it can, printing each id on stdout once its transaction has
//! committed (the moment the app would tell the user "saved"). The test kills it with
//! SIGKILL at a random point and checks the file.

use std::io::Write as _;

use filrouge_core::{Env, Store};
use filrouge_model::{Channel, PersonDraft, RencontreDraft};

fn main() -> anyhow::Result<()> {
    let path = std::env::args()
        .nth(1)
        .ok_or_else(|| anyhow::anyhow!("usage: crash-writer <store file>"))?;
    let mut store = Store::open(std::path::Path::new(&path), Env::default())?;
    let mut out = std::io::stdout().lock();
    for i in 0u64.. {
        let id = if i % 3 == 0 {
            store.create_person(PersonDraft::new(format!("Personne {i}")))?
        } else {
            store
                .create_rencontre(RencontreDraft {
                    channel: Channel::Maraude,
                    place: format!("Lieu {i}"),
                    headcount: 2,
                    note: "x".repeat((i % 50) as usize),
                    ..RencontreDraft::default()
                })?
                .id
        };
        writeln!(out, "{id}")?;
        out.flush()?;
    }
    Ok(())
}
