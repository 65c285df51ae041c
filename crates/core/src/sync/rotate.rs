//! A new device token after the store was encrypted.
//!
//! A store written in clear by an earlier version held the device token in clear; once
//! it is encrypted, the old file's blocks may still hold it on the flash. So the
//! encryption asks for a rotation (meta `rotate_token`), done before the next sync:
//!
//! 1. the device draws a new token and keeps it as `pending_token` (committed first);
//! 2. it sends the server the new token's SHA-256, authenticated with the old token;
//! 3. once the server agreed, the new token replaces the old one and the request is
//!    forgotten, in one transaction.
//!
//! Killed between 2 and 3, the device still holds the old token, which the server now
//! refuses: it then asks again with the pending token itself, which the server answers
//! the same (the hash is already the device's), and goes on to 3. The old token then
//! opens nothing (`401 unauthorized`, never `revoked`: nothing is erased).

use std::sync::{Mutex, PoisonError};

use sha2::{Digest as _, Sha256};

use super::{HttpTransport, TransportError};
use crate::{CoreError, Store};

use super::ROTATE_TOKEN as ASKED;
/// The meta key of the token drawn but not yet agreed by the server.
const PENDING: &str = "pending_token";

/// Rotates the device token if the store asks for it; returns whether it did.
/// `transport` sends the new token afterwards.
pub fn rotate_token_if_asked(
    store: &Mutex<Store>,
    transport: &mut HttpTransport,
) -> Result<bool, CoreError> {
    let Some(pending) = draw_pending(store)? else {
        return Ok(false);
    };
    let hash = hex::encode(Sha256::digest(pending.as_bytes()));
    match transport.rotate_token(&hash) {
        Ok(()) => {}
        // Agreed before a kill: the pending token is already the device's.
        Err(TransportError::Unauthorized) => {
            transport.use_token(&pending);
            transport.rotate_token(&hash)?;
        }
        Err(e) => return Err(e.into()),
    }
    transport.use_token(&pending);
    let mut store = store.lock().unwrap_or_else(PoisonError::into_inner);
    store.unit(|s| {
        s.set_meta("token", &pending)?;
        s.delete_meta(PENDING)?;
        s.delete_meta(ASKED)
    })?;
    tracing::info!("device token replaced after the store's encryption");
    Ok(true)
}

/// Step 1 alone: draws (or finds) the pending token if the store asks for a rotation;
/// returns whether it does. [`rotate_token_if_asked`] does it itself; the test of a
/// device killed after the server agreed uses it to copy the store at that point.
pub fn prepare_token_rotation(store: &Mutex<Store>) -> Result<bool, CoreError> {
    Ok(draw_pending(store)?.is_some())
}

/// The pending token, drawn and committed if there was none; `None` when no rotation is
/// asked for.
fn draw_pending(store: &Mutex<Store>) -> Result<Option<String>, CoreError> {
    let store = store.lock().unwrap_or_else(PoisonError::into_inner);
    if store.meta(ASKED)?.is_none() || store.meta("token")?.is_none() {
        return Ok(None);
    }
    if let Some(pending) = store.meta(PENDING)? {
        return Ok(Some(pending));
    }
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|_| CoreError::NoRandomness)?;
    let token = hex::encode(bytes);
    store.set_meta(PENDING, &token)?;
    Ok(Some(token))
}
