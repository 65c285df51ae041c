//! The C side: SQLCipher 4.20's `sqlcipher_provider` table, its entries, and
//! [`install`]. Each entry checks its pointers, makes slices of the lengths SQLCipher
//! gives, and calls [`crate::page`]; it answers `SQLITE_OK` or `SQLITE_ERROR`, never
//! unwinds into C.
#![allow(unsafe_code)]

use std::ffi::{c_char, c_int, c_void};
use std::sync::OnceLock;

use crate::CipherError;
use crate::page::{self, Keys};

const SQLITE_OK: c_int = 0;
const SQLITE_ERROR: c_int = 1;
/// `SQLCIPHER_ENCRYPT`.
const ENCRYPT: c_int = 1;

/// SQLCipher 4.20's `struct sqlcipher_provider`, field for field (`sqlcipher.c`).
#[repr(C)]
struct Provider {
    init: Option<extern "C" fn() -> c_int>,
    shutdown: Option<extern "C" fn()>,
    get_provider_name: extern "C" fn(*mut c_void) -> *const c_char,
    add_random: extern "C" fn(*mut c_void, *const c_void, c_int) -> c_int,
    random: extern "C" fn(*mut c_void, *mut c_void, c_int) -> c_int,
    #[allow(clippy::type_complexity)]
    hmac: extern "C" fn(
        *mut c_void,
        c_int,
        *const u8,
        c_int,
        *const u8,
        c_int,
        *const u8,
        c_int,
        *mut u8,
    ) -> c_int,
    #[allow(clippy::type_complexity)]
    kdf: extern "C" fn(
        *mut c_void,
        c_int,
        *const u8,
        c_int,
        *const u8,
        c_int,
        c_int,
        c_int,
        *mut u8,
    ) -> c_int,
    #[allow(clippy::type_complexity)]
    cipher: extern "C" fn(
        *mut c_void,
        c_int,
        *const u8,
        c_int,
        *const u8,
        *const u8,
        c_int,
        *mut u8,
    ) -> c_int,
    get_cipher: extern "C" fn(*mut c_void) -> *const c_char,
    get_key_sz: extern "C" fn(*mut c_void) -> c_int,
    get_iv_sz: extern "C" fn(*mut c_void) -> c_int,
    get_block_sz: extern "C" fn(*mut c_void) -> c_int,
    get_hmac_sz: extern "C" fn(*mut c_void, c_int) -> c_int,
    ctx_init: extern "C" fn(*mut *mut c_void) -> c_int,
    ctx_free: extern "C" fn(*mut *mut c_void) -> c_int,
    fips_status: extern "C" fn(*mut c_void) -> c_int,
    get_provider_version: extern "C" fn(*mut c_void) -> *const c_char,
    next: *mut Provider,
}

unsafe extern "C" {
    fn sqlcipher_register_provider(provider: *mut Provider) -> c_int;
    /// SQLCipher's allocator: it frees every registered provider with its own
    /// `sqlcipher_free` at shutdown, so the table must come from it.
    fn sqlcipher_malloc(size: u64) -> *mut c_void;
}

/// Registers this crate's provider as SQLCipher's default, once per process; later
/// calls give the first outcome. Call it before the first keyed connection: a codec
/// takes the default provider when it is made.
pub fn install() -> Result<(), &'static CipherError> {
    static DONE: OnceLock<Result<(), CipherError>> = OnceLock::new();
    DONE.get_or_init(register).as_ref().map(|_| ())
}

fn register() -> Result<(), CipherError> {
    // SQLCipher's own initialisation (its mutexes, its OpenSSL provider) comes first,
    // so that registering ours cannot race it.
    // SAFETY: sqlite3_initialize takes no argument and may be called any number of
    // times.
    let code = unsafe { rusqlite::ffi::sqlite3_initialize() };
    if code != SQLITE_OK {
        return Err(CipherError::Refused { code });
    }
    let table = Provider {
        init: None,
        shutdown: None,
        get_provider_name: name,
        add_random,
        random,
        hmac,
        kdf,
        cipher,
        get_cipher,
        get_key_sz: key_size,
        get_iv_sz: iv_size,
        get_block_sz: block_size,
        get_hmac_sz: hmac_size,
        ctx_init,
        ctx_free,
        fips_status,
        get_provider_version: version,
        next: std::ptr::null_mut(),
    };
    // SAFETY: sqlcipher_malloc returns null or a block of the size asked, suitably
    // aligned for any C struct.
    let block = unsafe { sqlcipher_malloc(std::mem::size_of::<Provider>() as u64) };
    if block.is_null() {
        return Err(CipherError::NoMemory);
    }
    let block = block.cast::<Provider>();
    // SAFETY: `block` is a fresh, aligned allocation of one Provider; SQLCipher owns it
    // once registered (it is never freed before the process's SQLite shuts down).
    let code = unsafe {
        block.write(table);
        sqlcipher_register_provider(block)
    };
    if code == SQLITE_OK {
        Ok(())
    } else {
        Err(CipherError::Refused { code })
    }
}

/// A slice of `len` bytes at `ptr`, empty when `ptr` is null or `len` not positive.
///
/// # Safety
/// When not null, `ptr` must point to `len` readable bytes that outlive the slice.
unsafe fn bytes<'a>(ptr: *const u8, len: c_int) -> &'a [u8] {
    match usize::try_from(len) {
        // SAFETY: the caller's promise.
        Ok(len) if !ptr.is_null() && len > 0 => unsafe { std::slice::from_raw_parts(ptr, len) },
        _ => &[],
    }
}

/// As [`bytes`], writable.
///
/// # Safety
/// When not null, `ptr` must point to `len` writable bytes that nothing else reads or
/// writes while the slice lives.
unsafe fn bytes_mut<'a>(ptr: *mut u8, len: usize) -> &'a mut [u8] {
    if ptr.is_null() || len == 0 {
        return &mut [];
    }
    // SAFETY: the caller's promise.
    unsafe { std::slice::from_raw_parts_mut(ptr, len) }
}

/// The codec's [`Keys`], or `None` for a null context.
///
/// # Safety
/// `ctx` must be null or a context made by [`ctx_init`] and not yet freed, used by one
/// thread at a time (SQLCipher calls a codec under its connection's mutex).
unsafe fn keys<'a>(ctx: *mut c_void) -> Option<&'a mut Keys> {
    // SAFETY: the caller's promise.
    unsafe { ctx.cast::<Keys>().as_mut() }
}

fn result(done: Result<(), page::Unsupported>) -> c_int {
    if done.is_ok() {
        SQLITE_OK
    } else {
        SQLITE_ERROR
    }
}

extern "C" fn name(_: *mut c_void) -> *const c_char {
    c"rustcrypto".as_ptr()
}

extern "C" fn version(_: *mut c_void) -> *const c_char {
    c"aes 0.8, cbc 0.1, chacha20 0.9, hmac 0.12, sha2 0.10".as_ptr()
}

extern "C" fn add_random(_: *mut c_void, _: *const c_void, _: c_int) -> c_int {
    // Each generator is keyed from the operating system's, which needs no seeding.
    SQLITE_OK
}

extern "C" fn random(ctx: *mut c_void, buffer: *mut c_void, length: c_int) -> c_int {
    let Ok(length) = usize::try_from(length) else {
        return SQLITE_ERROR;
    };
    // SAFETY: SQLCipher passes a buffer of `length` bytes.
    let out = unsafe { bytes_mut(buffer.cast(), length) };
    // SAFETY: `ctx` is null or the context `ctx_init` made. Without one (SQLCipher
    // seeding its own generators), the bytes come from the operating system.
    let done = match unsafe { keys(ctx) } {
        Some(keys) => keys.random(out).is_ok(),
        None => getrandom::fill(out).is_ok(),
    };
    if done { SQLITE_OK } else { SQLITE_ERROR }
}

#[allow(clippy::too_many_arguments)]
extern "C" fn hmac(
    ctx: *mut c_void,
    algorithm: c_int,
    key: *const u8,
    key_size: c_int,
    first: *const u8,
    first_size: c_int,
    second: *const u8,
    second_size: c_int,
    out: *mut u8,
) -> c_int {
    if first.is_null() {
        return SQLITE_ERROR;
    }
    // SAFETY: SQLCipher passes its codec's context, inputs of the sizes it gives, and
    // an output as long as `get_hmac_sz` said.
    let (Some(keys), key, first, second, out) = (unsafe {
        (
            keys(ctx),
            bytes(key, key_size),
            bytes(first, first_size),
            bytes(second, second_size),
            bytes_mut(out, page::hmac_size(algorithm)),
        )
    }) else {
        return SQLITE_ERROR;
    };
    result(keys.hmac(algorithm, key, first, second, out))
}

#[allow(clippy::too_many_arguments)]
extern "C" fn kdf(
    _: *mut c_void,
    algorithm: c_int,
    pass: *const u8,
    pass_size: c_int,
    salt: *const u8,
    salt_size: c_int,
    rounds: c_int,
    key_size: c_int,
    key: *mut u8,
) -> c_int {
    let (Ok(rounds), Ok(key_size)) = (u32::try_from(rounds), usize::try_from(key_size)) else {
        return SQLITE_ERROR;
    };
    // SAFETY: SQLCipher passes inputs of the sizes it gives and a key buffer of
    // `key_size` bytes.
    let (pass, salt, key) = unsafe {
        (
            bytes(pass, pass_size),
            bytes(salt, salt_size),
            bytes_mut(key, key_size),
        )
    };
    result(page::pbkdf2(algorithm, pass, salt, rounds.max(1), key))
}

#[allow(clippy::too_many_arguments)]
extern "C" fn cipher(
    ctx: *mut c_void,
    mode: c_int,
    key: *const u8,
    key_size: c_int,
    iv: *const u8,
    input: *const u8,
    size: c_int,
    out: *mut u8,
) -> c_int {
    let Ok(length) = usize::try_from(size) else {
        return SQLITE_ERROR;
    };
    if iv.is_null() || input.is_null() || out.is_null() {
        return SQLITE_ERROR;
    }
    // SAFETY: SQLCipher passes its codec's context, a key of `key_size` bytes, an IV
    // of `get_iv_sz` (16) bytes, and input and output buffers of `size` bytes that do
    // not overlap.
    let (Some(keys), key, iv, input, out) = (unsafe {
        (
            keys(ctx),
            bytes(key, key_size),
            &*iv.cast::<[u8; 16]>(),
            bytes(input, size),
            bytes_mut(out, length),
        )
    }) else {
        return SQLITE_ERROR;
    };
    result(keys.cipher(mode == ENCRYPT, key, iv, input, out))
}

extern "C" fn get_cipher(_: *mut c_void) -> *const c_char {
    c"aes-256-cbc".as_ptr()
}

extern "C" fn key_size(_: *mut c_void) -> c_int {
    32
}

extern "C" fn iv_size(_: *mut c_void) -> c_int {
    16
}

extern "C" fn block_size(_: *mut c_void) -> c_int {
    16
}

extern "C" fn hmac_size(_: *mut c_void, algorithm: c_int) -> c_int {
    c_int::try_from(page::hmac_size(algorithm)).unwrap_or(0)
}

extern "C" fn ctx_init(ctx: *mut *mut c_void) -> c_int {
    if ctx.is_null() {
        return SQLITE_ERROR;
    }
    let keys = Box::into_raw(Box::<Keys>::default());
    // SAFETY: SQLCipher passes where to store its codec's context.
    unsafe { ctx.write(keys.cast()) };
    SQLITE_OK
}

extern "C" fn ctx_free(ctx: *mut *mut c_void) -> c_int {
    if ctx.is_null() {
        return SQLITE_OK;
    }
    // SAFETY: SQLCipher passes the context `ctx_init` stored, once; it is dropped
    // (its keys wiped) and the pointer cleared.
    unsafe {
        let keys = ctx.read().cast::<Keys>();
        if !keys.is_null() {
            drop(Box::from_raw(keys));
        }
        ctx.write(std::ptr::null_mut());
    }
    SQLITE_OK
}

extern "C" fn fips_status(_: *mut c_void) -> c_int {
    0
}
