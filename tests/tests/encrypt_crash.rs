//! Encrypting a store written in clear, killed with SIGKILL at the end of each step:
//! afterwards exactly one usable store remains, the next open with the key finishes the
//! work, every record is there, and no file of the data directory holds a record in
//! clear.

use std::io::{BufRead as _, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use filrouge_core::vault::{DataKey, migrate};
use filrouge_core::{Env, Store};
use filrouge_model::{Channel, PersonDraft, RencontreDraft};

const MARKER: &str = "Zorglubine Migree-5151";

fn files_holding(dir: &Path, needle: &[u8]) -> anyhow::Result<Vec<String>> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if std::fs::read(&path)?
            .windows(needle.len())
            .any(|w| w == needle)
        {
            found.push(path.display().to_string());
        }
    }
    Ok(found)
}

#[test]
fn a_kill_at_any_step_of_the_encryption_leaves_one_whole_store() -> anyhow::Result<()> {
    for step in migrate::Step::ALL {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("filrouge.sqlite");
        let mut ids = Vec::new();
        {
            let mut store = Store::open(&path, Env::default())?;
            ids.push(store.create_person(PersonDraft::new(MARKER))?);
            for i in 0..200 {
                let rencontre = store.create_rencontre(RencontreDraft {
                    channel: Channel::Maraude,
                    place: format!("Lieu {i}"),
                    headcount: 1,
                    note: format!("{MARKER} {i}"),
                    ..RencontreDraft::default()
                })?;
                ids.push(rencontre.id);
            }
            // No checkpoint: part of the data is still in the WAL when the app stops.
        }
        assert!(!files_holding(dir.path(), MARKER.as_bytes())?.is_empty());

        let bytes: [u8; 32] = std::array::from_fn(|i| i as u8 ^ 0x5a);
        let mut child = Command::new(env!("CARGO_BIN_EXE_encrypt-store"))
            .args([
                path.to_str().unwrap_or_default(),
                &hex::encode(bytes),
                &format!("{step:?}"),
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| anyhow::anyhow!("no stdout"))?;
        let reached = BufReader::new(stdout).lines().next().transpose()?;
        assert_eq!(
            reached,
            Some(format!("{step:?}")),
            "the child reached {step:?}"
        );
        child.kill()?; // SIGKILL, mid-way.
        child.wait()?;

        // Exactly one store: the plaintext one before the rename, the encrypted one after.
        let plaintext = migrate::is_plaintext(&path)?;
        assert_eq!(
            plaintext,
            matches!(
                step,
                migrate::Step::Folded | migrate::Step::Exported | migrate::Step::Verified
            ),
            "{step:?}"
        );
        let key = DataKey::from_bytes(bytes);
        let store = Store::open_encrypted(&path, &key, Env::default())?;
        let present: Vec<String> = store.doc_infos()?.into_iter().map(|(id, _)| id).collect();
        for id in &ids {
            assert!(
                present.iter().any(|p| p == id.as_str()),
                "after a kill at {step:?}: {id} lost"
            );
        }
        assert_eq!(present.len(), ids.len(), "{step:?}");
        assert!(!migrate::is_plaintext(&path)?);
        drop(store);
        let left = files_holding(dir.path(), MARKER.as_bytes())?;
        assert!(
            left.is_empty(),
            "after a kill at {step:?}, in clear in {left:?}"
        );
        let names: Vec<String> = std::fs::read_dir(dir.path())?
            .map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned()))
            .collect::<Result<_, _>>()?;
        assert!(
            names.iter().all(|n| n.starts_with("filrouge.sqlite")),
            "no half-made copy remains: {names:?}"
        );
    }
    Ok(())
}
