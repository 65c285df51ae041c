//! The story of the access log's sync every [`Storage`] backend must pass (part of
//! [`super::suite`]): a device's entries are numbered in the team's order and read back
//! in pages; a push must continue the device's chain (a gap, a wrong link before the
//! first new entry, an entry held sent again with another link are refused whole,
//! storing nothing); an entry sent again with its link is taken as held; old entries
//! are purged while the head stays.

use std::sync::Arc;

use super::suite::{new_device, new_team};
use super::{AccessRow, Role, Storage};
use crate::error::ServerError;

fn row(seq: u64, link: u8) -> AccessRow {
    AccessRow {
        seq,
        link: [link; 32],
        data: vec![seq as u8; 40],
    }
}

/// See the module's doc.
pub fn access_chains_continue_or_are_refused(storage: Arc<dyn Storage>) -> Result<(), ServerError> {
    let team = new_team(&*storage, "Traçabilité")?;
    let a = new_device(&*storage, &team, Role::Intervenant)?;
    let b = new_device(&*storage, &team, Role::Coordinateur)?;
    let far = i64::MIN;
    // A device's first entries may start anywhere, but consecutively.
    assert_eq!(
        storage.append_access(&team.id, &a.id, None, &[row(3, 3), row(4, 4)], 10, far)?,
        4
    );
    assert_eq!(
        storage.append_access(&team.id, &b.id, None, &[row(1, 1)], 11, far)?,
        1
    );
    let refused = [
        (Some([4; 32]), vec![row(6, 6)]),            // a gap
        (Some([9; 32]), vec![row(5, 5)]),            // not after the head's link
        (None, vec![row(4, 9), row(5, 5)]),          // entry 4 sent again, another link
        (Some([4; 32]), vec![row(5, 5), row(7, 7)]), // a gap inside the push
    ];
    for (prev, rows) in refused {
        let answer = storage.append_access(&team.id, &a.id, prev, &rows, 12, far);
        assert!(
            matches!(answer, Err(ServerError::AccessChainBreak { .. })),
            "{rows:?}: {answer:?}"
        );
    }
    // Entry 4 again with its link, then 5 after it: 4 is held, 5 is new.
    assert_eq!(
        storage.append_access(
            &team.id,
            &a.id,
            Some([3; 32]),
            &[row(4, 4), row(5, 5)],
            13,
            far
        )?,
        5
    );
    let (page, more) = storage.access_after(&team.id, 0, 2)?;
    assert!(more);
    let seen: Vec<(String, u64)> = page.iter().map(|e| (e.device_id.clone(), e.seq)).collect();
    assert_eq!(seen, vec![(a.id.clone(), 3), (a.id.clone(), 4)]);
    let (rest, more) = storage.access_after(&team.id, page[1].team_seq, 10)?;
    assert!(!more);
    let seen: Vec<(String, u64)> = rest.iter().map(|e| (e.device_id.clone(), e.seq)).collect();
    assert_eq!(seen, vec![(b.id.clone(), 1), (a.id.clone(), 5)]);
    assert_eq!(rest[1].link, hex::encode([5u8; 32]));
    assert_eq!(rest[1].data, vec![5u8; 40]);

    // Twelve months on, a push purges what came before; the chain still continues.
    assert_eq!(
        storage.append_access(&team.id, &a.id, Some([5; 32]), &[row(6, 6)], 100, 50)?,
        6
    );
    let (left, _) = storage.access_after(&team.id, 0, 10)?;
    assert_eq!(left.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![6]);
    Ok(())
}
