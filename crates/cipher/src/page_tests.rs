//! Known answers: NIST SP 800-38A (AES-256-CBC), RFC 4231 (HMAC-SHA256 and -SHA512),
//! RFC 7914 §11 (PBKDF2-HMAC-SHA256), the kept set-up never mixing two keys, and IVs
//! that never repeat.

use super::{Keys, SHA256, SHA512, pbkdf2};

fn h(s: &str) -> Vec<u8> {
    hex::decode(s.split_whitespace().collect::<String>()).expect("hex")
}

#[test]
fn aes_256_cbc_gives_nist_sp_800_38a_f_2_5_and_back() {
    let key = h("603deb1015ca71be2b73aef0857d7781 1f352c073b6108d72d9810a30914dff4");
    let iv: [u8; 16] = h("000102030405060708090a0b0c0d0e0f")
        .try_into()
        .expect("16");
    let plain = h(
        "6bc1bee22e409f96e93d7e117393172a ae2d8a571e03ac9c9eb76fac45af8e51
                   30c81c46a35ce411e5fbc1191a0a52ef f69f2445df4f9b17ad2b417be66c3710",
    );
    let expected = h(
        "f58c4c04d6e5f1ba779eabfb5f7bfbd6 9cfc4e967edb808d679f777bc6702c7d
                      39f23369a9d9bacfa530e26304231461 b2eb05e2c39be9fcda6c19078c6a9d1b",
    );
    let mut keys = Keys::default();
    let mut out = vec![0; plain.len()];
    keys.cipher(true, &key, &iv, &plain, &mut out)
        .expect("encrypt");
    assert_eq!(out, expected);
    let mut back = vec![0; plain.len()];
    keys.cipher(false, &key, &iv, &out, &mut back)
        .expect("decrypt");
    assert_eq!(back, plain);
    // Another key on the same context is not served the first one's schedule.
    let mut other = vec![0; plain.len()];
    keys.cipher(true, &[7; 32], &iv, &plain, &mut other)
        .expect("encrypt");
    assert_ne!(other, expected);
    keys.cipher(true, &key, &iv, &plain, &mut out)
        .expect("encrypt");
    assert_eq!(out, expected);
    // A partial block or a short key is refused, not padded.
    assert!(
        keys.cipher(true, &key, &iv, &plain[..20], &mut out[..20])
            .is_err()
    );
    assert!(
        keys.cipher(true, &key[..16], &iv, &plain, &mut out)
            .is_err()
    );
}

#[test]
fn hmac_gives_rfc_4231_case_2_over_one_input_or_two() {
    let key = b"Jefe";
    let data = b"what do ya want for nothing?";
    let mut keys = Keys::default();
    let mut out = [0u8; 32];
    keys.hmac(SHA256, key, data, &[], &mut out).expect("hmac");
    assert_eq!(
        out.to_vec(),
        h("5bdcc146bf60754e6a042426089575c7 5a003f089d2739839dec58b964ec3843")
    );
    let mut split = [0u8; 32];
    keys.hmac(SHA256, key, &data[..10], &data[10..], &mut split)
        .expect("hmac");
    assert_eq!(split, out);
    // A second key on the same context gets its own MAC.
    keys.hmac(SHA256, b"another", data, &[], &mut split)
        .expect("hmac");
    assert_ne!(split, out);
    let mut long = [0u8; 64];
    keys.hmac(SHA512, key, data, &[], &mut long).expect("hmac");
    assert_eq!(
        long.to_vec(),
        h(
            "164b7a7bfcf819e2e395fbe73b56e0a3 87bd64222e831fd610270cd7ea250554
           9758bf75c05a994a6d034f65f8f0e6fd caeab1a34d4a6b4b636e070a38bce737"
        )
    );
    assert!(
        keys.hmac(0, key, data, &[], &mut long).is_err(),
        "SHA-1 is not offered"
    );
}

#[test]
fn pbkdf2_gives_rfc_7914_vectors() {
    let mut out = [0u8; 64];
    pbkdf2(SHA256, b"passwd", b"salt", 1, &mut out).expect("pbkdf2");
    assert_eq!(
        out.to_vec(),
        h(
            "55ac046e56e3089fec1691c22544b605 f94185216dde0465e68b9d57c20dacbc
           49ca9cccf179b645991664b39d77ef31 7c71b845b1e30bd509112041d3a19783"
        )
    );
    let mut out = [0u8; 64];
    pbkdf2(SHA256, b"Password", b"NaCl", 80000, &mut out).expect("pbkdf2");
    assert_eq!(
        out.to_vec(),
        h(
            "4ddcd8f60b98be21830cee5ef22701f9 641a4418d04c0414aeff08876b34ab56
           a1d425a1225833549adb841b51c9b317 6a272bdebba1d078478f62b397f33c8d"
        )
    );
}

#[test]
fn ivs_never_repeat_within_a_codec_or_across_codecs() {
    // SQLCipher asks for a page's whole reserve (IV then HMAC) at each page written.
    let mut seen = std::collections::HashSet::new();
    for _ in 0..2 {
        let mut keys = Keys::default();
        for _ in 0..10_000 {
            let mut iv = [0u8; 48];
            keys.random(&mut iv).expect("random");
            assert!(seen.insert(iv), "an IV came twice");
        }
    }
    // A draw of odd length leaves the keystream mid-block; the next one goes on from it.
    let mut keys = Keys::default();
    let (mut a, mut b) = ([0u8; 5], [0u8; 59]);
    keys.random(&mut a).expect("random");
    keys.random(&mut b).expect("random");
    assert_ne!(a[..], b[..5]);
}
