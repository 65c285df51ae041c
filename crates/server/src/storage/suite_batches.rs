//! The story of sealed batches every [`Storage`] backend must pass (part of
//! [`super::suite`]): a batch is stored once by its hash and noted under each record
//! its clear header lists; a batch holding an erased record is refused whole; an
//! erasure swaps in the erasing device's replacements only when they are exactly the
//! batches holding the record, each listing the same changes but the record's, or
//! drops them whole where the rule says so.

use std::sync::Arc;

use filrouge_model::sync::{
    BATCH_KIND, BatchMember, BatchReplacement, ChangeBlob, put_batch_header, read_batch_header,
};

use super::suite::{new_device, new_team};
use super::{HeldBatchesRule, Role, Storage};
use crate::error::ServerError;
use crate::secret::sha256_hex;

/// A batch under `epoch` listing `docs` (a `personne` change each), with an opaque body
/// standing for the ciphertext.
pub fn batch(epoch: u32, docs: &[&str], body: &[u8]) -> ChangeBlob {
    let members: Vec<BatchMember> = docs
        .iter()
        .map(|d| BatchMember {
            doc_id: (*d).to_owned(),
            kind: "personne".to_owned(),
        })
        .collect();
    let mut data = Vec::new();
    put_batch_header(&mut data, epoch, &members);
    data.extend_from_slice(body);
    ChangeBlob {
        doc_id: BATCH_KIND.to_owned(),
        kind: BATCH_KIND.to_owned(),
        hash: sha256_hex(&data),
        data,
    }
}

fn docs_of(data: &[u8]) -> Vec<String> {
    read_batch_header(data)
        .map(|h| h.members.into_iter().map(|m| m.doc_id).collect())
        .unwrap_or_default()
}

/// See the module's doc.
pub fn batches_are_noted_refused_and_replaced(
    storage: Arc<dyn Storage>,
) -> Result<(), ServerError> {
    let team = new_team(&*storage, "Lots")?;
    let device = new_device(&*storage, &team, Role::Coordinateur)?;
    let both = batch(1, &["her", "him"], b"sealed 1");
    let alone = batch(1, &["her"], b"sealed 2");
    let other = batch(1, &["him"], b"sealed 3");
    let page = [both.clone(), alone.clone(), other.clone(), both.clone()];
    let outcome = storage.append_changes(&team.id, &device.id, &page, 1)?;
    assert_eq!((outcome.stored, outcome.already_held), (3, 1));
    let held = storage.batches_holding(&team.id, "her")?;
    assert_eq!(
        held.iter().map(|b| b.data.clone()).collect::<Vec<_>>(),
        vec![both.data.clone(), alone.data.clone()]
    );
    let (both_seq, alone_seq) = (held[0].seq, held[1].seq);
    assert_eq!(storage.batches_holding(&team.id, "him")?.len(), 2);

    // Replacements that miss a batch, or list other changes, are refused whole.
    let him_again = batch(1, &["him"], b"resealed");
    let wrong: [&[BatchReplacement]; 4] = [
        &[BatchReplacement {
            seq: both_seq,
            data: him_again.data.clone(),
        }],
        &[
            BatchReplacement {
                seq: both_seq,
                data: batch(1, &["him", "stranger"], b"x").data,
            },
            BatchReplacement {
                seq: alone_seq,
                data: Vec::new(),
            },
        ],
        &[
            BatchReplacement {
                seq: both_seq,
                data: Vec::new(),
            },
            BatchReplacement {
                seq: alone_seq,
                data: Vec::new(),
            },
        ],
        &[
            BatchReplacement {
                seq: both_seq,
                data: batch(2, &["him"], b"x").data,
            },
            BatchReplacement {
                seq: alone_seq,
                data: Vec::new(),
            },
        ],
    ];
    for replacements in wrong {
        let refused = storage.erase_document(
            &team.id,
            "her",
            &device.id,
            2,
            HeldBatchesRule::Replace(replacements),
        );
        assert!(
            matches!(refused, Err(ServerError::ResealNeeded { .. })),
            "{refused:?}"
        );
        assert_eq!(
            storage.batches_holding(&team.id, "her")?.len(),
            2,
            "nothing erased"
        );
    }

    let right = [
        BatchReplacement {
            seq: both_seq,
            data: him_again.data.clone(),
        },
        BatchReplacement {
            seq: alone_seq,
            data: Vec::new(),
        },
    ];
    let erasure = storage.erase_document(
        &team.id,
        "her",
        &device.id,
        2,
        HeldBatchesRule::Replace(&right),
    )?;
    assert_eq!(erasure.deleted, 2);
    assert!(storage.batches_holding(&team.id, "her")?.is_empty());
    let log = storage.changes_after(&team.id, 0, u64::MAX, 100)?.changes;
    let batches: Vec<(u64, Vec<String>)> = log
        .iter()
        .filter(|c| c.blob.kind == BATCH_KIND)
        .map(|c| (c.seq, docs_of(&c.blob.data)))
        .collect();
    // The replaced batch keeps its place in the log, so no device's cursor skips it.
    assert_eq!(
        batches,
        vec![
            (both_seq, vec!["him".to_owned()]),
            (both_seq + 2, vec!["him".to_owned()])
        ]
    );
    let replaced = log
        .iter()
        .find(|c| c.seq == both_seq)
        .map(|c| c.blob.clone());
    assert_eq!(
        replaced.map(|b| (b.hash, b.data)),
        Some((him_again.hash.clone(), him_again.data.clone()))
    );

    // A batch that still holds her (a device pushing late) is refused, naming her.
    let late = storage.append_changes(
        &team.id,
        &device.id,
        &[alone.clone(), batch(1, &["him"], b"4")],
        3,
    )?;
    assert_eq!(
        late.refused,
        vec![filrouge_model::sync::erasure_hash("her")]
    );
    assert_eq!(late.refused_batches, vec![alone.hash.clone()]);
    assert_eq!(late.stored, 1);

    // Where every device sends back all it holds, the batches holding a record go whole.
    storage.erase_document(&team.id, "him", &device.id, 4, HeldBatchesRule::Drop)?;
    assert!(storage.batches_holding(&team.id, "him")?.is_empty());
    let left = storage.changes_after(&team.id, 0, u64::MAX, 100)?.changes;
    assert!(left.iter().all(|c| c.blob.kind != BATCH_KIND), "{left:?}");
    Ok(())
}
