//! The storage suite's story of a team whose log began in clear and has its history
//! sealed ([`Storage::seal_history`]): see [`super::suite`] for how the stories run.

use std::sync::Arc;

use filrouge_model::sync::HistorySeal;

use super::suite::{change, new_device, new_team, sealed_change};
use super::{HeldBatchesRule, NewDevice, NewEnrolmentCode, Redemption, Role, Storage};
use crate::error::ServerError;
use crate::secret::sha256_hex;

/// The history seal starts epoch 1 only for a device that pulled the whole log, keeps
/// only the erasure entries, forgets the invitations that carry no key, renames the
/// log and moves its generation; asked again with the same new identity it answers
/// that it started, and with another it starts nothing.
pub fn history_in_clear_is_dropped_under_a_new_log_id(
    storage: Arc<dyn Storage>,
) -> Result<(), ServerError> {
    let team = new_team(&*storage, "Historique en clair")?;
    let laptop = new_device(&*storage, &team, Role::Coordinateur)?;
    let phone = new_device(&*storage, &team, Role::Intervenant)?;
    storage.append_changes(&team.id, &phone.id, &[change("en clair", 40)], 3_000)?;
    let erased = change("effacé", 40);
    storage.append_changes(&team.id, &phone.id, std::slice::from_ref(&erased), 3_000)?;
    storage.erase_document(
        &team.id,
        &erased.doc_id,
        &laptop.id,
        4_000,
        HeldBatchesRule::Replace(&[]),
    )?;
    storage.append_changes(&team.id, &phone.id, &[change("après", 40)], 5_000)?;
    let head = storage.head(&team.id)?;
    let generation = storage.generation(&team.id)?;
    // An unused invitation without keys, and one sealed under the coming key.
    let code = |sealed_keys: Option<Vec<u8>>| -> Result<String, ServerError> {
        let code_hash = sha256_hex(uuid::Uuid::now_v7().to_string().as_bytes());
        storage.insert_enrolment_code(&NewEnrolmentCode {
            code_hash: code_hash.clone(),
            team_id: team.id.clone(),
            role: Role::Intervenant,
            expires_at: i64::MAX,
            sealed_keys,
        })?;
        Ok(code_hash)
    };
    let (keyless, sealed) = (code(None)?, code(Some(vec![7; 64]))?);

    let seal = |log_id: &str, pulled_to: u64, new_log_id: &str| HistorySeal {
        log_id: log_id.to_owned(),
        pulled_to,
        new_log_id: new_log_id.to_owned(),
    };
    let new_log_id = uuid::Uuid::now_v7().to_string();
    // A device behind the head, or on another log, holds less than the server drops.
    assert_eq!(
        storage.seal_history(&team.id, &seal(&team.log_id, head - 1, &new_log_id))?,
        (false, 0)
    );
    let elsewhere = uuid::Uuid::now_v7().to_string();
    assert_eq!(
        storage.seal_history(&team.id, &seal(&elsewhere, head, &new_log_id))?,
        (false, 0)
    );
    assert_eq!(storage.key_epoch(&team.id)?, 0);
    assert_eq!(
        storage
            .changes_after(&team.id, 0, u64::MAX, 100)?
            .changes
            .len(),
        3
    );

    let asked = seal(&team.log_id, head, &new_log_id);
    assert_eq!(storage.seal_history(&team.id, &asked)?, (true, 1));
    assert_eq!(storage.key_epoch(&team.id)?, 1);
    let stored = storage.team(&team.id)?.map(|t| t.log_id);
    assert_eq!(
        stored,
        Some(new_log_id.clone()),
        "the log has a new identity"
    );
    assert!(
        storage.generation(&team.id)? > generation,
        "the generation moved"
    );
    let left = storage.changes_after(&team.id, 0, u64::MAX, 100)?.changes;
    assert_eq!(left.len(), 1, "only the erasure entry stays: {left:?}");
    assert_eq!(left[0].blob.kind, filrouge_model::sync::ERASURE_KIND);
    assert_eq!(storage.log_bytes(&team.id)?, 0);

    // The same request again (its answer lost) says it started; another does not.
    assert_eq!(storage.seal_history(&team.id, &asked)?, (true, 1));
    let other = seal(&new_log_id, 0, &uuid::Uuid::now_v7().to_string());
    assert_eq!(storage.seal_history(&team.id, &other)?, (false, 1));

    // The invitation without keys is gone; the one carrying keys still enrols.
    let device = || NewDevice {
        id: uuid::Uuid::now_v7().to_string(),
        name: "appareil invité".to_owned(),
        token_hash: sha256_hex(uuid::Uuid::now_v7().to_string().as_bytes()),
    };
    assert!(matches!(
        storage.redeem_enrolment_code(&keyless, 6_000, &device())?,
        Redemption::Unknown
    ));
    assert!(matches!(
        storage.redeem_enrolment_code(&sealed, 6_000, &device())?,
        Redemption::Enrolled(_, Some(_))
    ));

    // The log goes on: the devices send the history back, sealed, and it is stored; a
    // page in clear is refused by the append itself, whatever epoch its push read.
    let outcome = storage.append_changes(
        &team.id,
        &laptop.id,
        &[sealed_change("sceau", 1, 40)],
        7_000,
    )?;
    assert_eq!(outcome.stored, 1);
    assert!(matches!(
        storage.append_changes(&team.id, &phone.id, &[change("en retard", 40)], 7_000),
        Err(ServerError::StaleEpoch {
            index: 0,
            sealed: 0,
            current: 1
        })
    ));
    assert!(storage.seal_history("no-such-team", &asked).is_err());
    Ok(())
}
