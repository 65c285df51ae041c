//! Which person each person record is, once every merge a device knows of is counted:
//! the one rule every device applies, so devices that received the same merges, in any
//! order, show the same persons.
//!
//! Merges are made offline, so two coordinators may merge the same people differently
//! ("Momo" into "Mohamed" on one laptop, "Mohamed" into "Momo" on another), or chain them.
//! [`resolve`] takes the merges not undone in the order of their ids (UUIDv7: the order
//! they were made in, the id breaking a tie) and applies each one that still joins two
//! different persons: the absorbed person's group joins the survivor's group, whose
//! survivor stays on top. A merge whose two persons are already one (the reverse of an
//! earlier merge, or one made twice) changes nothing. The result depends only on the set
//! of merges, never on the order they arrived in.

use std::collections::BTreeMap;

use crate::RecordId;

/// One merge as [`resolve`] reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeLink {
    /// The merge record's id.
    pub id: RecordId,
    /// The person who stays.
    pub survivor: RecordId,
    /// The person merged into the survivor.
    pub absorbed: RecordId,
}

/// Where one absorbed person went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Absorbed {
    /// The person shown for them (the top of their group).
    pub root: RecordId,
    /// The merge that took them in.
    pub by: RecordId,
}

/// Every absorbed person and where they went, by the rule of this module. Persons not
/// in the map are shown as themselves.
pub fn resolve(merges: &[MergeLink]) -> BTreeMap<RecordId, Absorbed> {
    let mut order: Vec<&MergeLink> = merges.iter().collect();
    order.sort_by(|x, y| x.id.cmp(&y.id));
    // parent[x] = (whom x was merged into, by which merge). Groups stay small (a few
    // records of one human), so walking up without path compression is enough.
    let mut parent: BTreeMap<&RecordId, (&RecordId, &RecordId)> = BTreeMap::new();
    fn top<'a>(
        parent: &BTreeMap<&'a RecordId, (&'a RecordId, &'a RecordId)>,
        mut x: &'a RecordId,
    ) -> &'a RecordId {
        while let Some((up, _)) = parent.get(x) {
            x = up;
        }
        x
    }
    for m in order {
        let (s, a) = (top(&parent, &m.survivor), top(&parent, &m.absorbed));
        if s != a {
            parent.insert(a, (s, &m.id));
        }
    }
    parent
        .iter()
        .map(|(x, (_, by))| {
            (
                (*x).clone(),
                Absorbed {
                    root: top(&parent, x).clone(),
                    by: (*by).clone(),
                },
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn id(n: u8) -> RecordId {
        RecordId::from_bytes([n; 16])
    }

    fn link(m: u8, survivor: u8, absorbed: u8) -> MergeLink {
        MergeLink {
            id: id(m),
            survivor: id(survivor),
            absorbed: id(absorbed),
        }
    }

    #[test]
    fn opposite_merges_made_apart_keep_the_first_made() {
        // Laptop A merged 2 into 1 (merge 10); laptop B, offline, 1 into 2 (merge 11).
        let got = resolve(&[link(11, 2, 1), link(10, 1, 2)]);
        assert_eq!(got.len(), 1);
        assert_eq!(
            got[&id(2)],
            Absorbed {
                root: id(1),
                by: id(10)
            }
        );
    }

    #[test]
    fn chained_merges_lead_to_one_person() {
        // 3 into 2, then 2 into 1: both 2 and 3 are shown as 1.
        let got = resolve(&[link(10, 2, 3), link(11, 1, 2)]);
        assert_eq!(got[&id(3)].root, id(1));
        assert_eq!(got[&id(2)].root, id(1));
        // The same person absorbed twice into two others: all three are one, and the
        // group of the first merge joined the second merge's survivor.
        let got = resolve(&[link(10, 1, 3), link(11, 2, 3)]);
        assert_eq!(got[&id(3)].root, id(2));
        assert_eq!(got[&id(1)].root, id(2));
        assert_eq!(got[&id(1)].by, id(11));
    }

    proptest! {
        #[test]
        fn the_result_does_not_depend_on_arrival_order(
            links in proptest::collection::vec((0u8..40, 0u8..6, 0u8..6), 0..12),
            seed in any::<u64>(),
        ) {
            let mut merges: Vec<MergeLink> = links
                .iter()
                .enumerate()
                .filter(|(_, (_, s, a))| s != a)
                .map(|(i, (_, s, a))| link(100 + i as u8, *s, *a))
                .collect();
            let first = resolve(&merges);
            // A deterministic shuffle.
            let mut state = seed;
            for i in (1..merges.len()).rev() {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                merges.swap(i, (state >> 33) as usize % (i + 1));
            }
            prop_assert_eq!(&resolve(&merges), &first);
            // Every root is a person nobody absorbed, and nobody is their own root.
            for (x, a) in &first {
                prop_assert!(!first.contains_key(&a.root));
                prop_assert_ne!(x, &a.root);
            }
        }
    }
}
