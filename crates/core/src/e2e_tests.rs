//! Sealing and opening changes and keyrings: what the server could do to the bytes, and
//! what a device then sees.

use proptest::prelude::*;

use super::*;

const B: Binding<'static> = Binding {
    team: "team-1",
    doc_id: "0190a1b2-0000-7000-8000-000000000001",
    kind: "personne",
};

fn key() -> TeamKey {
    TeamKey::random().unwrap()
}

#[test]
fn a_sealed_change_opens_to_its_bytes_and_hides_them() {
    let key = key();
    let plain = b"Mohamed Benali, rencontre au stade; Mohamed Benali again".repeat(4);
    let sealed = seal_change(&key, 1, &B, &plain);
    assert!(
        !sealed.windows(7).any(|w| w == b"Mohamed"),
        "the name is not in the sealed bytes"
    );
    assert!(
        sealed.len() < plain.len(),
        "compressed before it was sealed"
    );
    assert_eq!(
        open_change(&Keyring::with(1, key), &B, &sealed).unwrap(),
        plain
    );
}

#[test]
fn the_same_change_seals_to_the_same_bytes_and_another_to_others() {
    let key = key();
    let a = seal_change(&key, 1, &B, b"change a");
    assert_eq!(a, seal_change(&key, 1, &B, b"change a"));
    assert_ne!(a, seal_change(&key, 1, &B, b"change b"));
    // The same bytes for another record or under another key are other bytes.
    let other = Binding { doc_id: "x", ..B };
    assert_ne!(a[6..30], seal_change(&key, 1, &other, b"change a")[6..30]);
    assert_ne!(
        a,
        seal_change(&TeamKey::random().unwrap(), 1, &B, b"change a")
    );
}

#[test]
fn a_blob_moved_relabelled_or_opened_with_another_key_is_refused() {
    let key = key();
    let mut ring = Keyring::with(2, key.clone());
    let sealed = seal_change(&key, 2, &B, b"a change of a person");
    for moved in [
        Binding {
            team: "team-2",
            ..B
        },
        Binding {
            doc_id: "another-record",
            ..B
        },
        Binding {
            kind: "rencontre",
            ..B
        },
    ] {
        assert_eq!(
            open_change(&ring, &moved, &sealed),
            Err(SealError::Forged),
            "{moved:?}"
        );
    }
    // Relabelled with another epoch whose key the device holds.
    ring.insert(1, key.clone());
    let mut relabelled = sealed.clone();
    relabelled[1..5].copy_from_slice(&1u32.to_be_bytes());
    assert_eq!(open_change(&ring, &B, &relabelled), Err(SealError::Forged));
    // An epoch the device was not given: kept for later, not refused.
    relabelled[1..5].copy_from_slice(&9u32.to_be_bytes());
    assert_eq!(
        open_change(&ring, &B, &relabelled),
        Err(SealError::NoKey { epoch: 9 })
    );
    let stranger = Keyring::with(2, TeamKey::random().unwrap());
    assert_eq!(open_change(&stranger, &B, &sealed), Err(SealError::Forged));
    assert_eq!(
        open_change(&ring, &B, &sealed[..20]),
        Err(SealError::Format)
    );
    assert_eq!(open_change(&ring, &B, b""), Err(SealError::Format));
    assert_eq!(
        open_change(&ring, &B, b"\x01clear change"),
        Err(SealError::Format)
    );
}

#[test]
fn a_keyring_opens_only_with_its_secret_for_its_team() {
    let mut ring = Keyring::with(1, key());
    ring.insert(2, key());
    let secret = InviteSecret::random().unwrap();
    let sealed = seal_keyring(&secret, "team-1", &ring).unwrap();
    let opened = open_keyring(&secret, "team-1", &sealed).unwrap();
    assert_eq!(opened.current().map(|(e, _)| e), Some(2));
    for (epoch, key) in ring.iter() {
        assert_eq!(
            opened.get(epoch).map(TeamKey::as_bytes),
            Some(key.as_bytes())
        );
    }
    let again = InviteSecret::from_hex(&secret.to_hex()).unwrap();
    assert!(
        open_keyring(&again, "team-1", &sealed).is_ok(),
        "the link's hex form"
    );
    let other = InviteSecret::random().unwrap();
    assert_eq!(
        open_keyring(&other, "team-1", &sealed).err(),
        Some(SealError::Forged)
    );
    assert_eq!(
        open_keyring(&secret, "team-2", &sealed).err(),
        Some(SealError::Forged)
    );
    let mut flipped = sealed.clone();
    flipped[30] ^= 1;
    assert_eq!(
        open_keyring(&secret, "team-1", &flipped).err(),
        Some(SealError::Forged)
    );
    assert!(InviteSecret::from_hex("abc").is_none());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Whatever the change, it opens to itself, and no single flipped bit anywhere in
    /// the sealed bytes gets through.
    #[test]
    fn every_change_round_trips_and_every_flipped_bit_is_refused(
        plain in proptest::collection::vec(any::<u8>(), 0..600),
        repeat in 1usize..4,
        epoch in 1u32..5,
        bit in any::<proptest::sample::Index>(),
    ) {
        let plain = plain.repeat(repeat);
        let key = TeamKey::from_slice(&[7u8; 32]).unwrap();
        let ring = Keyring::with(epoch, key.clone());
        let sealed = seal_change(&key, epoch, &B, &plain);
        prop_assert_eq!(&open_change(&ring, &B, &sealed).unwrap(), &plain);
        let i = bit.index(sealed.len() * 8);
        let mut flipped = sealed.clone();
        flipped[i / 8] ^= 1 << (i % 8);
        prop_assert!(open_change(&ring, &B, &flipped).is_err());
    }
}
