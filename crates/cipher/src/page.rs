//! The cryptography of a page, in safe Rust: AES-256-CBC without padding, HMAC-SHA256
//! and -SHA512 over one or two inputs, PBKDF2, each key's set-up kept in a [`Keys`]
//! between calls. The C entries in [`crate::ffi`] only turn pointers into slices and
//! call these.

use aes::Aes256;
use aes::cipher::block_padding::NoPadding;
use aes::cipher::{
    BlockDecryptMut, BlockEncryptMut, InnerIvInit, KeyInit, KeyIvInit, StreamCipher,
};
use chacha20::ChaCha20;
use hmac::{Hmac, Mac};
use sha2::{Sha256, Sha512};
use zeroize::Zeroizing;

/// SQLCipher's HMAC algorithm numbers (`SQLCIPHER_HMAC_*`, also its PBKDF2 numbers).
pub const SHA256: i32 = 1;
/// See [`SHA256`].
pub const SHA512: i32 = 2;

/// A failed call: an algorithm this provider does not offer (SHA-1, only for
/// SQLCipher 3 files) or a length that is not the cipher's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unsupported;

/// The operating system gave no random bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoRandomness;

/// One codec's kept set-up: the last AES key's schedule, the last HMAC-SHA256 key's
/// keyed state, and the generator of its pages' IVs. A codec uses one key of each for
/// its whole life, so each is made once.
#[derive(Default)]
pub struct Keys {
    /// The key and its expanded schedule (wiped on drop: `aes`'s `zeroize` feature).
    aes: Option<(Zeroizing<[u8; 32]>, Aes256)>,
    /// The key (wiped on drop) and the HMAC keyed with it. That state, the key's two
    /// padded blocks hashed once, is not wiped: `hmac` 0.12 offers no `zeroize`. It
    /// lets one forge a page's tag, not read a page, and whoever can read this
    /// process's freed memory can read the data key in SQLCipher's own codec too.
    mac: Option<(Zeroizing<Vec<u8>>, Hmac<Sha256>)>,
    /// ChaCha20's keystream under a key from the operating system, made at the first
    /// IV (wiped on drop: `chacha20`'s `zeroize` feature). Every page written takes a
    /// fresh IV, and asking the kernel each time cost a system call per page (9% of
    /// the page cipher's time in `bench store`'s creates). This is the construction of
    /// `rand_chacha` and of the kernel's own generator; an IV must be unpredictable,
    /// and it is, to whoever does not hold the key, which never leaves this struct.
    ivs: Option<ChaCha20>,
}

impl Keys {
    fn aes(&mut self, key: &[u8]) -> Result<Aes256, Unsupported> {
        let key: &[u8; 32] = key.try_into().map_err(|_| Unsupported)?;
        if let Some((kept, cipher)) = &self.aes
            && **kept == *key
        {
            return Ok(cipher.clone());
        }
        let cipher = Aes256::new(key.into());
        self.aes = Some((Zeroizing::new(*key), cipher.clone()));
        Ok(cipher)
    }

    fn mac(&mut self, key: &[u8]) -> Result<Hmac<Sha256>, Unsupported> {
        if let Some((kept, mac)) = &self.mac
            && kept.as_slice() == key
        {
            return Ok(mac.clone());
        }
        let mac = keyed::<Hmac<Sha256>>(key)?;
        self.mac = Some((Zeroizing::new(key.to_vec()), mac.clone()));
        Ok(mac)
    }

    /// Random bytes into `out`, for a page's IV. The keystream is drawn from a new
    /// key at the first call and if it ever runs out (256 GiB, some five billion
    /// pages).
    pub fn random(&mut self, out: &mut [u8]) -> Result<(), NoRandomness> {
        out.fill(0);
        if let Some(ivs) = &mut self.ivs
            && ivs.try_apply_keystream(out).is_ok()
        {
            return Ok(());
        }
        let mut seed = Zeroizing::new([0u8; 32]);
        getrandom::fill(seed.as_mut()).map_err(|_| NoRandomness)?;
        // A key used once: the nonce can be fixed.
        let mut ivs = ChaCha20::new(&(*seed).into(), &[0u8; 12].into());
        out.fill(0);
        ivs.try_apply_keystream(out).map_err(|_| NoRandomness)?;
        self.ivs = Some(ivs);
        Ok(())
    }

    /// AES-256-CBC of `input` into `out` (same length, a whole number of blocks):
    /// encrypts when `encrypt`, decrypts otherwise.
    pub fn cipher(
        &mut self,
        encrypt: bool,
        key: &[u8],
        iv: &[u8; 16],
        input: &[u8],
        out: &mut [u8],
    ) -> Result<(), Unsupported> {
        let aes = self.aes(key)?;
        let done = if encrypt {
            cbc::Encryptor::<Aes256>::inner_iv_init(aes, iv.into())
                .encrypt_padded_b2b_mut::<NoPadding>(input, out)
                .is_ok()
        } else {
            cbc::Decryptor::<Aes256>::inner_iv_init(aes, iv.into())
                .decrypt_padded_b2b_mut::<NoPadding>(input, out)
                .is_ok()
        };
        if done && input.len() == out.len() {
            Ok(())
        } else {
            Err(Unsupported)
        }
    }

    /// The HMAC of `first` then `second` under `key` with `algorithm`, into `out`
    /// (as long as the digest).
    pub fn hmac(
        &mut self,
        algorithm: i32,
        key: &[u8],
        first: &[u8],
        second: &[u8],
        out: &mut [u8],
    ) -> Result<(), Unsupported> {
        // The tag goes straight into `out`: this runs for every page.
        let out = out.get_mut(..hmac_size(algorithm)).ok_or(Unsupported)?;
        match algorithm {
            SHA256 => tag(self.mac(key)?, first, second, out),
            SHA512 => tag(keyed::<Hmac<Sha512>>(key)?, first, second, out),
            _ => return Err(Unsupported),
        }
        Ok(())
    }
}

/// `mac` over `first` then `second`, its tag written into `out` (as long as the tag).
fn tag<M: Mac>(mut mac: M, first: &[u8], second: &[u8], out: &mut [u8]) {
    mac.update(first);
    mac.update(second);
    out.copy_from_slice(&mac.finalize().into_bytes());
}

/// A MAC keyed with `key`. HMAC takes a key of any length (a longer one is hashed
/// first), so this never fails for it; the error is `KeyInit`'s, for fixed-size MACs.
fn keyed<M: Mac + KeyInit>(key: &[u8]) -> Result<M, Unsupported> {
    <M as KeyInit>::new_from_slice(key).map_err(|_| Unsupported)
}

/// The digest size of `algorithm`, 0 for one this provider does not offer.
pub fn hmac_size(algorithm: i32) -> usize {
    match algorithm {
        SHA256 => 32,
        SHA512 => 64,
        _ => 0,
    }
}

/// PBKDF2 with HMAC-`algorithm` (RFC 8018) of `pass` and `salt`, `rounds` times, into
/// `out`. SQLCipher runs it to derive the page HMAC's key from the data key (2 rounds:
/// the data key is a random raw key, not a passphrase).
pub fn pbkdf2(
    algorithm: i32,
    pass: &[u8],
    salt: &[u8],
    rounds: u32,
    out: &mut [u8],
) -> Result<(), Unsupported> {
    match algorithm {
        SHA256 => pbkdf2_with::<Hmac<Sha256>>(pass, salt, rounds, out),
        SHA512 => pbkdf2_with::<Hmac<Sha512>>(pass, salt, rounds, out),
        _ => Err(Unsupported),
    }
}

fn pbkdf2_with<M: Mac + KeyInit + Clone>(
    pass: &[u8],
    salt: &[u8],
    rounds: u32,
    out: &mut [u8],
) -> Result<(), Unsupported> {
    let prf = keyed::<M>(pass)?;
    let size = <M as hmac::digest::OutputSizeUser>::output_size();
    for (i, chunk) in out.chunks_mut(size).enumerate() {
        let mut mac = prf.clone();
        mac.update(salt);
        mac.update(&(i as u32 + 1).to_be_bytes());
        let mut u = Zeroizing::new(mac.finalize().into_bytes().to_vec());
        let mut t = Zeroizing::new(u.to_vec());
        for _ in 1..rounds {
            let mut mac = prf.clone();
            mac.update(&u);
            u = Zeroizing::new(mac.finalize().into_bytes().to_vec());
            t.iter_mut().zip(u.iter()).for_each(|(t, u)| *t ^= u);
        }
        chunk.copy_from_slice(&t[..chunk.len()]);
    }
    Ok(())
}

#[cfg(test)]
#[path = "page_tests.rs"]
mod tests;
