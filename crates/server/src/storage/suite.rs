//! The story every [`Storage`] backend must pass.
//!
//! Each function below exercises one promise of the trait through the trait alone, on
//! its own team, so the stories can run one after the other on one database or each on
//! a fresh one. A backend's tests call [`run_all`] (or the stories one by one, for
//! sharper failure reports) with an empty storage. The functions panic with a message
//! on a broken promise, like any test, and return storage errors as they come.

use std::sync::Arc;

use filrouge_model::sync::{
    ChangeBlob, ERASURE_KIND, PublishedKey, RECOVERY_RECIPIENT, SealedEpochKey,
};

use super::{
    Caller, HeldBatchesRule, NewDevice, NewEnrolmentCode, Redemption, Role, Storage, Team,
};
use crate::error::ServerError;
use crate::secret::sha256_hex;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// Runs every story on `storage`, which should start empty.
pub fn run_all(storage: Arc<dyn Storage>) -> Result<(), ServerError> {
    first_team_is_created_once(storage.clone())?;
    enrolment_codes_are_single_use_and_expire(storage.clone())?;
    revocation_is_recorded_once(storage.clone())?;
    devices_are_seen_to_the_hour(storage.clone())?;
    tokens_are_replaced_but_not_revived(storage.clone())?;
    leases_default_to_thirty_days(storage.clone())?;
    key_epochs_start_only_on_a_new_team(storage.clone())?;
    key_epochs_rotate_once_and_keep_their_seals(storage.clone())?;
    appends_are_idempotent_and_dense(storage.clone())?;
    teams_have_separate_logs(storage.clone())?;
    erasure_deletes_refuses_and_never_lowers_the_log(storage.clone())?;
    super::suite_batches::batches_are_noted_refused_and_replaced(storage.clone())?;
    super::suite_access::access_chains_continue_or_are_refused(storage.clone())?;
    super::suite_history::history_in_clear_is_dropped_under_a_new_log_id(storage.clone())?;
    log_ids_are_kept_and_renewed(storage.clone())?;
    paging_returns_every_change_once(storage)
}

fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// A new team, stored.
pub(super) fn new_team(storage: &dyn Storage, name: &str) -> Result<Team, ServerError> {
    let team = Team {
        id: new_id(),
        name: name.to_owned(),
        created_at: 1_000,
        log_id: new_id(),
    };
    storage.create_team(&team)?;
    Ok(team)
}

/// A device enrolled in `team` through a fresh code.
pub(super) fn new_device(
    storage: &dyn Storage,
    team: &Team,
    role: Role,
) -> Result<NewDevice, ServerError> {
    let code_hash = sha256_hex(new_id().as_bytes());
    let stored = storage.insert_enrolment_code(&NewEnrolmentCode {
        code_hash: code_hash.clone(),
        team_id: team.id.clone(),
        role,
        expires_at: 10 * DAY_MS,
        sealed_keys: None,
    })?;
    assert!(stored, "a fresh code hash must be stored");
    let device = NewDevice {
        id: new_id(),
        name: "appareil de test".to_owned(),
        token_hash: sha256_hex(new_id().as_bytes()),
    };
    let redemption = storage.redeem_enrolment_code(&code_hash, 2_000, &device)?;
    assert!(
        matches!(redemption, Redemption::Enrolled(..)),
        "{redemption:?}"
    );
    Ok(device)
}

/// A new team and a device enrolled in it, stored: their ids.
pub fn team_and_device(storage: &dyn Storage) -> Result<(String, String), ServerError> {
    let team = new_team(storage, "Équipe")?;
    let device = new_device(storage, &team, Role::Intervenant)?;
    Ok((team.id, device.id))
}

/// A change of `size` bytes whose hash derives from `seed`.
pub fn change(seed: &str, size: usize) -> ChangeBlob {
    ChangeBlob {
        doc_id: format!("doc-{}", seed.len() % 3),
        kind: "rencontre".to_owned(),
        hash: sha256_hex(seed.as_bytes()),
        data: seed.bytes().cycle().take(size).collect(),
    }
}

/// A change sealed under key `epoch`: the envelope's mark and epoch, then `size` opaque
/// bytes (all the server reads of it is that header).
pub fn sealed_change(seed: &str, epoch: u32, size: usize) -> ChangeBlob {
    let mut blob = change(seed, size);
    let mut data = vec![filrouge_model::sync::SEALED_MARK];
    data.extend_from_slice(&epoch.to_be_bytes());
    data.extend_from_slice(&blob.data);
    blob.data = data;
    blob
}

/// `ensure_team` creates the first team once, then always returns it.
pub fn first_team_is_created_once(storage: Arc<dyn Storage>) -> Result<(), ServerError> {
    let a = Team {
        id: new_id(),
        name: "Maraude Nord".to_owned(),
        created_at: 1,
        log_id: new_id(),
    };
    let b = Team {
        id: new_id(),
        name: "Autre".to_owned(),
        created_at: 2,
        log_id: new_id(),
    };
    let first = storage.ensure_team(&a)?;
    assert_eq!(storage.ensure_team(&b)?, first);
    assert_eq!(storage.team(&first.id)?, Some(first.clone()));
    assert_eq!(
        storage.team(&b.id)?,
        None,
        "a second team must not be created"
    );
    assert_eq!(storage.team("no-such-team")?, None);
    Ok(())
}

/// A code enrols one device, with the code's team and role, until it expires.
pub fn enrolment_codes_are_single_use_and_expire(
    storage: Arc<dyn Storage>,
) -> Result<(), ServerError> {
    let team = new_team(&*storage, "Codes")?;
    let code = NewEnrolmentCode {
        code_hash: sha256_hex(new_id().as_bytes()),
        team_id: team.id.clone(),
        role: Role::Coordinateur,
        expires_at: 5_000,
        sealed_keys: Some(b"sealed keyring".to_vec()),
    };
    assert!(storage.insert_enrolment_code(&code)?);
    assert!(!storage.insert_enrolment_code(&code)?, "hash already taken");

    let device = NewDevice {
        id: new_id(),
        name: "Téléphone 1".to_owned(),
        token_hash: sha256_hex(b"token 1"),
    };
    let unknown = storage.redeem_enrolment_code(&sha256_hex(b"nope"), 1_000, &device)?;
    assert_eq!(unknown, Redemption::Unknown);

    let Redemption::Enrolled(enrolled, sealed) =
        storage.redeem_enrolment_code(&code.code_hash, 1_000, &device)?
    else {
        panic!("a fresh code must enrol");
    };
    assert_eq!(
        sealed.as_deref(),
        Some(&b"sealed keyring"[..]),
        "handed over once"
    );
    assert_eq!(enrolled.team_id, team.id);
    assert_eq!(enrolled.role, Role::Coordinateur);
    assert_eq!(enrolled.revoked_at, None);
    let found = storage.device_by_token_hash(&device.token_hash)?;
    assert_eq!(
        found,
        Some(Caller {
            device: enrolled.clone(),
            key_epoch: 0,
            lease_days: 30,
            log_state: storage.log_state(&team.id)?,
        }),
        "with the team's settings"
    );

    let again = NewDevice {
        id: new_id(),
        name: "Téléphone 2".to_owned(),
        token_hash: sha256_hex(b"token 2"),
    };
    let used = storage.redeem_enrolment_code(&code.code_hash, 1_500, &again)?;
    assert_eq!(used, Redemption::AlreadyUsed);
    assert_eq!(storage.device_by_token_hash(&again.token_hash)?, None);

    let late = NewEnrolmentCode {
        code_hash: sha256_hex(new_id().as_bytes()),
        expires_at: 3_000,
        ..code
    };
    assert!(storage.insert_enrolment_code(&late)?);
    let expired = storage.redeem_enrolment_code(&late.code_hash, 3_000, &again)?;
    assert_eq!(
        expired,
        Redemption::Expired,
        "a code is dead at its expiry time"
    );
    assert_eq!(storage.device_by_token_hash(&again.token_hash)?, None);

    assert_eq!(storage.devices(&team.id)?, vec![enrolled]);
    Ok(())
}

/// Revoking records the first revocation time; the device stays findable.
pub fn revocation_is_recorded_once(storage: Arc<dyn Storage>) -> Result<(), ServerError> {
    let team = new_team(&*storage, "Révocation")?;
    let device = new_device(&*storage, &team, Role::Intervenant)?;
    let revoked = storage.revoke_device(&device.id, 7_000)?;
    assert_eq!(revoked.map(|d| d.revoked_at), Some(Some(7_000)));
    let again = storage.revoke_device(&device.id, 9_000)?;
    assert_eq!(again.map(|d| d.revoked_at), Some(Some(7_000)));
    let found = storage.device_by_token_hash(&device.token_hash)?;
    assert_eq!(found.and_then(|d| d.device.revoked_at), Some(7_000));
    assert_eq!(storage.revoke_device("no-such-device", 1)?, None);
    Ok(())
}

/// A device's last contact is kept, written again only once it is an hour old.
pub fn devices_are_seen_to_the_hour(storage: Arc<dyn Storage>) -> Result<(), ServerError> {
    let team = new_team(&*storage, "Vus")?;
    let device = new_device(&*storage, &team, Role::Intervenant)?;
    let seen = |storage: &dyn Storage| -> Result<Option<i64>, ServerError> {
        Ok(storage
            .device_by_token_hash(&device.token_hash)?
            .and_then(|d| d.device.last_seen_at))
    };
    let base = 10 * DAY_MS;
    storage.touch_device(&device.id, base)?;
    assert_eq!(seen(&*storage)?, Some(base));
    storage.touch_device(&device.id, base + super::TOUCH_EVERY_MS - 1)?;
    assert_eq!(
        seen(&*storage)?,
        Some(base),
        "less than an hour later: not written"
    );
    storage.touch_device(&device.id, base + super::TOUCH_EVERY_MS)?;
    assert_eq!(seen(&*storage)?, Some(base + super::TOUCH_EVERY_MS));
    let listed = storage.devices(&team.id)?;
    assert_eq!(listed[0].last_seen_at, Some(base + super::TOUCH_EVERY_MS));
    Ok(())
}

/// A device's token is replaced: the old hash finds nothing, the new one the device;
/// a revoked device's is not.
pub fn tokens_are_replaced_but_not_revived(storage: Arc<dyn Storage>) -> Result<(), ServerError> {
    let team = new_team(&*storage, "Jetons")?;
    let device = new_device(&*storage, &team, Role::Intervenant)?;
    let new_hash = sha256_hex(b"le nouveau jeton");
    assert!(storage.replace_token_hash(&device.id, &new_hash)?);
    assert!(
        storage.replace_token_hash(&device.id, &new_hash)?,
        "again: the same"
    );
    assert_eq!(storage.device_by_token_hash(&device.token_hash)?, None);
    let found = storage.device_by_token_hash(&new_hash)?;
    assert_eq!(found.map(|d| d.device.id), Some(device.id.clone()));
    storage.revoke_device(&device.id, 7_000)?;
    assert!(!storage.replace_token_hash(&device.id, &sha256_hex(b"encore un"))?);
    assert!(!storage.replace_token_hash("no-such-device", &sha256_hex(b"x"))?);
    Ok(())
}

/// A team's lease is 30 days until its coordinators choose another, within 1 to 365.
pub fn leases_default_to_thirty_days(storage: Arc<dyn Storage>) -> Result<(), ServerError> {
    let team = new_team(&*storage, "Bail")?;
    assert_eq!(storage.lease_days(&team.id)?, 30);
    storage.set_lease_days(&team.id, 7)?;
    assert_eq!(storage.lease_days(&team.id)?, 7);
    assert!(storage.lease_days("no-such-team").is_err());
    assert!(storage.set_lease_days("no-such-team", 7).is_err());
    Ok(())
}

/// Key epoch 1 starts once, for a team's only device on an empty log; a team with
/// another device or anything in its log stays in clear.
pub fn key_epochs_start_only_on_a_new_team(storage: Arc<dyn Storage>) -> Result<(), ServerError> {
    let team = new_team(&*storage, "Chiffrée")?;
    assert_eq!(storage.key_epoch(&team.id)?, 0);
    let first = new_device(&*storage, &team, Role::Coordinateur)?;
    assert_eq!(storage.start_key_epoch(&team.id, &first.id)?, (true, 1));
    assert_eq!(
        storage.start_key_epoch(&team.id, &first.id)?,
        (false, 1),
        "once"
    );
    assert_eq!(storage.key_epoch(&team.id)?, 1);

    let crowded = new_team(&*storage, "Deux appareils")?;
    let a = new_device(&*storage, &crowded, Role::Coordinateur)?;
    new_device(&*storage, &crowded, Role::Intervenant)?;
    assert_eq!(storage.start_key_epoch(&crowded.id, &a.id)?, (false, 0));

    let used = new_team(&*storage, "Historique en clair")?;
    let b = new_device(&*storage, &used, Role::Coordinateur)?;
    storage.append_changes(&used.id, &b.id, &[change("déjà là", 40)], 3_000)?;
    assert_eq!(storage.start_key_epoch(&used.id, &b.id)?, (false, 0));
    assert_eq!(storage.key_epoch(&used.id)?, 0);
    assert!(storage.key_epoch("no-such-team").is_err());
    Ok(())
}

fn published(byte: u8) -> PublishedKey {
    PublishedKey {
        public_key: vec![byte; 32],
        proof: vec![byte ^ 0xFF; 32],
        proof_epoch: 1,
    }
}

fn seal(epoch: u32, recipient: &str, byte: u8) -> SealedEpochKey {
    SealedEpochKey {
        epoch,
        recipient: recipient.to_owned(),
        sealed: vec![byte; 100],
    }
}

/// A device's published key is kept once and never replaced; a new epoch starts only
/// from the team's current one, with its seals, in one transaction; a seal already held
/// stays; a new recovery key replaces the old one and forgets its seals.
pub fn key_epochs_rotate_once_and_keep_their_seals(
    storage: Arc<dyn Storage>,
) -> Result<(), ServerError> {
    let team = new_team(&*storage, "Rotation")?;
    let a = new_device(&*storage, &team, Role::Coordinateur)?;
    assert_eq!(storage.start_key_epoch(&team.id, &a.id)?, (true, 1));
    let b = new_device(&*storage, &team, Role::Intervenant)?;
    let c = new_device(&*storage, &team, Role::Intervenant)?;

    assert!(storage.publish_device_key(&team.id, &b.id, &published(1))?);
    assert!(
        storage.publish_device_key(&team.id, &b.id, &published(1))?,
        "same"
    );
    assert!(
        !storage.publish_device_key(&team.id, &b.id, &published(2))?,
        "a published key is never replaced"
    );
    let holders = storage.key_holders(&team.id)?;
    assert_eq!(holders[&b.id].key, Some(published(1)));
    assert!(
        !holders.contains_key(&c.id),
        "nothing published, nothing sealed"
    );

    // From an epoch the team is not at: nothing changes.
    assert_eq!(
        storage.rotate_key_epoch(&team.id, 2, &[seal(3, &b.id, 7)])?,
        (false, 1)
    );
    assert!(storage.epoch_keys_for(&team.id, &b.id)?.is_empty());
    let rotation = [seal(2, &a.id, 8), seal(2, &b.id, 9)];
    assert_eq!(storage.rotate_key_epoch(&team.id, 1, &rotation)?, (true, 2));
    assert_eq!(storage.key_epoch(&team.id)?, 2);
    let caller = storage.device_by_token_hash(&b.token_hash)?;
    assert_eq!(caller.map(|c| c.key_epoch), Some(2), "read with the token");
    // The append itself refuses a page sealed under the old epoch (a push checks it
    // earlier, against the epoch read with its token: a rotation may commit between).
    let stale = [
        sealed_change("nouvelle clé", 2, 40),
        sealed_change("ancienne clé", 1, 40),
    ];
    assert!(matches!(
        storage.append_changes(&team.id, &b.id, &stale, 5_000),
        Err(ServerError::StaleEpoch {
            index: 1,
            sealed: 1,
            current: 2
        })
    ));
    assert_eq!(storage.head(&team.id)?, 0, "nothing of the page stored");
    let fresh = storage.append_changes(&team.id, &b.id, &stale[..1], 5_000)?;
    assert_eq!(fresh.stored, 1);
    assert_eq!(
        storage.rotate_key_epoch(&team.id, 1, &[seal(2, &b.id, 10)])?,
        (false, 2),
        "a second coordinator's rotation from the same epoch loses"
    );
    assert_eq!(
        storage.epoch_keys_for(&team.id, &b.id)?,
        vec![seal(2, &b.id, 9)]
    );

    // Shared later: c gets both epochs; b's seal stays the first one.
    storage.share_epoch_keys(
        &team.id,
        &[seal(1, &c.id, 11), seal(2, &c.id, 12), seal(2, &b.id, 13)],
        Some(&published(3)),
    )?;
    assert_eq!(
        storage.epoch_keys_for(&team.id, &b.id)?,
        vec![seal(2, &b.id, 9)]
    );
    assert_eq!(
        storage.epoch_keys_for(&team.id, &c.id)?,
        vec![seal(1, &c.id, 11), seal(2, &c.id, 12)]
    );
    storage.share_epoch_keys(
        &team.id,
        &[
            seal(1, RECOVERY_RECIPIENT, 14),
            seal(2, RECOVERY_RECIPIENT, 15),
        ],
        None,
    )?;
    let holders = storage.key_holders(&team.id)?;
    assert_eq!(holders[RECOVERY_RECIPIENT].key, Some(published(3)));
    assert_eq!(holders[RECOVERY_RECIPIENT].epochs, vec![1, 2]);
    assert_eq!(holders[&c.id].epochs, vec![1, 2]);
    // A new recovery key: the old one's seals go with it.
    storage.share_epoch_keys(
        &team.id,
        &[seal(2, RECOVERY_RECIPIENT, 16)],
        Some(&published(4)),
    )?;
    assert_eq!(
        storage.epoch_keys_for(&team.id, RECOVERY_RECIPIENT)?,
        vec![seal(2, RECOVERY_RECIPIENT, 16)]
    );
    assert_eq!(
        storage.key_holders(&team.id)?[RECOVERY_RECIPIENT].key,
        Some(published(4))
    );
    // Another team sees none of it.
    let other = new_team(&*storage, "Voisine")?;
    assert!(storage.key_holders(&other.id)?.is_empty());
    assert!(storage.epoch_keys_for(&other.id, &b.id)?.is_empty());
    Ok(())
}

/// A hash is stored once per team; sequence numbers are 1, 2, 3… without gaps.
pub fn appends_are_idempotent_and_dense(storage: Arc<dyn Storage>) -> Result<(), ServerError> {
    let team = new_team(&*storage, "Idempotence")?;
    let device = new_device(&*storage, &team, Role::Intervenant)?;
    let page: Vec<ChangeBlob> = ["a", "bb", "ccc"].iter().map(|s| change(s, 10)).collect();

    let first = storage.append_changes(&team.id, &device.id, &page, 3_000)?;
    assert_eq!((first.stored, first.already_held), (3, 0));

    let mut second_page = page.clone();
    second_page.push(change("dddd", 4));
    second_page.push(change("dddd", 4));
    let second = storage.append_changes(&team.id, &device.id, &second_page, 4_000)?;
    assert_eq!((second.stored, second.already_held), (1, 4));

    let log = storage.changes_after(&team.id, 0, u64::MAX, 1_000)?;
    assert!(!log.more);
    let seqs: Vec<u64> = log.changes.iter().map(|c| c.seq).collect();
    assert_eq!(seqs, vec![1, 2, 3, 4]);
    let blobs: Vec<&ChangeBlob> = log.changes.iter().map(|c| &c.blob).collect();
    assert_eq!(blobs, second_page.iter().take(4).collect::<Vec<_>>());
    Ok(())
}

/// An erasure deletes every change of the record, leaves one erasure entry numbered
/// above everything (even when the record's changes were the last ones), refuses later
/// appends for the record, and is idempotent.
pub fn erasure_deletes_refuses_and_never_lowers_the_log(
    storage: Arc<dyn Storage>,
) -> Result<(), ServerError> {
    let team = new_team(&*storage, "Effacement")?;
    let device = new_device(&*storage, &team, Role::Coordinateur)?;
    let blob = |seed: &str, doc: &str| ChangeBlob {
        doc_id: doc.to_owned(),
        ..change(seed, 16)
    };
    let page = [blob("k1", "keep"), blob("e1", "gone"), blob("e2", "gone")];
    storage.append_changes(&team.id, &device.id, &page, 1)?;
    let generation = storage.generation(&team.id)?;

    let erasure = storage.erase_document(&team.id, "gone", &device.id, 2, HeldBatchesRule::Drop)?;
    assert_eq!(
        storage.generation(&team.id)?,
        generation + 1,
        "an erasure moves the generation cached blocks are kept under"
    );
    assert_eq!((erasure.seq, erasure.deleted), (4, 2));
    let caller = storage.device_by_token_hash(&device.token_hash)?;
    assert_eq!(
        caller.map(|c| c.log_state),
        Some((4, generation + 1)),
        "the token's check reads the log's state as log_state does"
    );
    let log = storage.changes_after(&team.id, 0, u64::MAX, 100)?;
    let entries: Vec<(u64, &str, &str)> = log
        .changes
        .iter()
        .map(|c| (c.seq, c.blob.doc_id.as_str(), c.blob.kind.as_str()))
        .collect();
    assert_eq!(
        entries,
        vec![(1, "keep", "rencontre"), (4, "gone", ERASURE_KIND)]
    );
    assert!(log.changes[1].blob.data.is_empty());
    assert_eq!(log.head, 4, "the head is the highest number");

    let again = storage.erase_document(&team.id, "gone", &device.id, 3, HeldBatchesRule::Drop)?;
    assert_eq!((again.seq, again.deleted), (4, 0), "idempotent");
    let late = storage.append_changes(
        &team.id,
        &device.id,
        &[blob("e3", "gone"), blob("k2", "keep")],
        4,
    )?;
    assert_eq!(late.refused, vec![blob("e3", "gone").hash]);
    assert_eq!(late.stored, 1);
    assert_eq!(
        storage.generation(&team.id)?,
        generation + 1,
        "neither a repeated erasure nor an append moves it"
    );
    let tail = storage.changes_after(&team.id, 4, u64::MAX, 100)?;
    assert_eq!(tail.changes.len(), 1);
    assert_eq!(
        tail.changes[0].seq, 5,
        "numbering goes on above the erasure"
    );
    Ok(())
}

/// A team's log id is kept, and replaced by [`Storage::set_log_id`] (a restore).
pub fn log_ids_are_kept_and_renewed(storage: Arc<dyn Storage>) -> Result<(), ServerError> {
    let team = new_team(&*storage, "Identité")?;
    assert_eq!(
        storage.team(&team.id)?.map(|t| t.log_id),
        Some(team.log_id.clone())
    );
    assert!(storage.teams()?.iter().any(|t| t == &team));
    let renewed = new_id();
    assert!(storage.set_log_id(&team.id, &renewed)?);
    assert_eq!(storage.team(&team.id)?.map(|t| t.log_id), Some(renewed));
    assert!(!storage.set_log_id("no-such-team", &new_id())?);
    Ok(())
}

/// Each team has its own log and numbering, even for the same change hash.
pub fn teams_have_separate_logs(storage: Arc<dyn Storage>) -> Result<(), ServerError> {
    let north = new_team(&*storage, "Nord")?;
    let south = new_team(&*storage, "Sud")?;
    let north_device = new_device(&*storage, &north, Role::Intervenant)?;
    let south_device = new_device(&*storage, &south, Role::Intervenant)?;
    let shared = change("shared", 8);
    storage.append_changes(&north.id, &north_device.id, &[change("n", 3)], 1)?;
    let outcome = storage.append_changes(
        &south.id,
        &south_device.id,
        std::slice::from_ref(&shared),
        1,
    )?;
    assert_eq!(outcome.stored, 1);
    storage.append_changes(
        &north.id,
        &north_device.id,
        std::slice::from_ref(&shared),
        1,
    )?;

    let south_log = storage.changes_after(&south.id, 0, u64::MAX, 100)?;
    assert_eq!(south_log.changes.len(), 1);
    assert_eq!(south_log.changes[0].seq, 1);
    let north_log = storage.changes_after(&north.id, 0, u64::MAX, 100)?;
    let north_seqs: Vec<u64> = north_log.changes.iter().map(|c| c.seq).collect();
    assert_eq!(north_seqs, vec![1, 2]);
    Ok(())
}

/// Paging by bytes and by count returns each change exactly once, in order, and a
/// change larger than the budget alone on its page.
pub fn paging_returns_every_change_once(storage: Arc<dyn Storage>) -> Result<(), ServerError> {
    let team = new_team(&*storage, "Pages")?;
    let device = new_device(&*storage, &team, Role::Intervenant)?;
    let sizes = [5usize, 40, 1, 0, 17, 100, 3, 3, 3, 60, 9, 0, 25];
    let all: Vec<ChangeBlob> = sizes
        .iter()
        .enumerate()
        .map(|(i, size)| change(&format!("page-{i}"), *size))
        .collect();
    storage.append_changes(&team.id, &device.id, &all, 5_000)?;

    for (budget, max_changes) in [(30u64, 1_000usize), (0, 1_000), (1_000, 4), (50, 3)] {
        let mut cursor = 0;
        let mut seen = Vec::new();
        loop {
            let page = storage.changes_after(&team.id, cursor, budget, max_changes)?;
            assert!(!page.changes.is_empty() || !page.more, "an empty page ends");
            assert!(page.changes.len() <= max_changes);
            let bytes: usize = page.changes.iter().map(|c| c.blob.data.len()).sum();
            assert!(
                page.changes.len() == 1 || bytes as u64 <= budget,
                "page of {bytes} bytes over budget {budget}"
            );
            if let Some(last) = page.changes.last() {
                cursor = last.seq;
            }
            seen.extend(page.changes);
            if !page.more {
                break;
            }
        }
        let seqs: Vec<u64> = seen.iter().map(|c| c.seq).collect();
        let expected: Vec<u64> = (1..=all.len() as u64).collect();
        assert_eq!(seqs, expected, "budget {budget}, max {max_changes}");
        let blobs: Vec<ChangeBlob> = seen.into_iter().map(|c| c.blob).collect();
        assert_eq!(blobs, all);
    }

    assert_eq!(storage.head(&team.id)?, all.len() as u64);
    assert_eq!(
        storage.head(&new_id())?,
        0,
        "an unknown team's log is empty"
    );
    let past_end = storage.changes_after(&team.id, all.len() as u64, 1_000, 10)?;
    assert_eq!((past_end.changes.len(), past_end.more), (0, false));
    let huge_cursor = storage.changes_after(&team.id, u64::MAX, 1_000, 10)?;
    assert!(huge_cursor.changes.is_empty());
    Ok(())
}
