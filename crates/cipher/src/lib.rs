//! SQLCipher's page cipher and HMAC through RustCrypto, with each key's set-up kept.
//!
//! The device store is a SQLCipher file: every page read is checked (HMAC-SHA256) and
//! decrypted (AES-256-CBC), every page written encrypted with a fresh IV and
//! authenticated. SQLCipher 4.20's OpenSSL provider sets everything up again for every
//! page: it fetches the HMAC implementation and the digest by name, makes and frees an
//! HMAC context, makes a cipher context and expands the AES key schedule, then frees
//! it. `perf` over `filrouge bench store` put that set-up at 29% of what the
//! encryption cost (2.3% of the run against 5.7% for the cipher and the hash
//! themselves), and it is most of what a cold open pays over the store in clear.
//!
//! [`install`] registers this crate's provider with SQLCipher
//! (`sqlcipher_register_provider`), once per process, before the first keyed
//! connection. SQLCipher then calls its entries with a context of its own per codec
//! (made by `ctx_init`): the context keeps the last AES key's expanded schedule and the
//! last HMAC key's keyed state, so a page costs the cipher and the hash alone. The
//! algorithms and the file format are SQLCipher's own (AES-256-CBC, HMAC-SHA256 or
//! -SHA512, PBKDF2), so a file written through either provider opens through the other
//! (`tests/compat.rs`). RustCrypto's `aes` and `sha2` use the processor's AES and SHA
//! instructions where it has them (x86's AES-NI and SHA extensions, ARMv8's crypto
//! extensions on phones).
//!
//! This is the one crate of the workspace with `unsafe` code: the C entries SQLCipher
//! calls receive raw pointers and lengths, turned into slices at the boundary
//! ([`ffi`]); the cryptography itself is safe Rust ([`page`]).

pub mod ffi;
pub mod page;

pub use ffi::install;

/// Why the provider could not be installed (the store then stays on SQLCipher's own).
#[derive(Debug, thiserror::Error)]
pub enum CipherError {
    /// SQLCipher's allocator had no memory for the provider's table.
    #[error("SQLCipher could not allocate the provider's table")]
    NoMemory,
    /// SQLCipher refused the provider (its result code).
    #[error("SQLCipher refused the provider (code {code})")]
    Refused {
        /// SQLite's result code.
        code: i32,
    },
}
