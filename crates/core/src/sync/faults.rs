//! A transport that misbehaves like a bad mobile network, for tests of the sync engine.
//!
//! [`FaultyTransport`] wraps a [`MemoryTransport`] and, drawing from a seeded generator,
//! loses requests before the hub sees them, loses answers after the hub applied them,
//! sends pushes twice, holds pushes back and delivers them later, cuts pull pages short,
//! shuffles the changes inside a page and repeats some of them. Every fault is one a
//! real network or server can cause; none breaks the protocol's promises (a pull answer
//! never skips a change before its cursor). [`FaultyTransport::heal`] stops the faults
//! and delivers whatever was held back, as the network coming back does.

use filrouge_model::sync::{PullQuery, PullResponse, PushRequest, PushResponse};

use super::{MemoryHub, MemoryTransport, Transport, TransportError};

/// How often each fault happens, in percent of requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FaultRates {
    /// The request never reaches the hub.
    pub drop_request: u8,
    /// The hub applies the request but the answer is lost.
    pub drop_response: u8,
    /// A push reaches the hub twice; a pull page repeats some of its changes.
    pub duplicate: u8,
    /// A push is held back (the device sees a timeout) and reaches the hub later.
    pub hold_push: u8,
    /// A pull page is cut short (fewer changes, `more` set).
    pub short_page: u8,
    /// The changes of a pull page arrive in another order.
    pub reorder: u8,
}

impl FaultRates {
    /// No faults at all.
    pub const NONE: FaultRates = FaultRates {
        drop_request: 0,
        drop_response: 0,
        duplicate: 0,
        hold_push: 0,
        short_page: 0,
        reorder: 0,
    };

    /// Every fault, often: a basement on 2G.
    pub const HOSTILE: FaultRates = FaultRates {
        drop_request: 15,
        drop_response: 15,
        duplicate: 20,
        hold_push: 10,
        short_page: 30,
        reorder: 40,
    };
}

/// A [`Transport`] to a [`MemoryHub`] through a bad network.
#[derive(Debug)]
pub struct FaultyTransport {
    inner: MemoryTransport,
    rates: FaultRates,
    state: u64,
    held: Vec<PushRequest>,
}

impl FaultyTransport {
    /// A transport to `hub` with faults drawn from `seed`.
    pub fn new(hub: &MemoryHub, rates: FaultRates, seed: u64) -> Self {
        Self {
            inner: hub.transport(),
            rates,
            state: seed ^ 0x9E37_79B9_7F4A_7C15,
            held: Vec::new(),
        }
    }

    /// Stops every fault and delivers the pushes held back.
    pub fn heal(&mut self) -> Result<(), TransportError> {
        self.rates = FaultRates::NONE;
        for req in std::mem::take(&mut self.held) {
            self.inner.push(&req)?;
        }
        Ok(())
    }

    /// SplitMix64: small, seeded, and good enough to pick faults.
    fn next(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn roll(&mut self, percent: u8) -> bool {
        percent > 0 && self.next() % 100 < u64::from(percent)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn lost() -> TransportError {
        TransportError::Unreachable {
            detail: "connection lost (simulated)".into(),
        }
    }

    /// Sometimes delivers a held push, as a slow network finally does.
    fn maybe_release(&mut self) -> Result<(), TransportError> {
        if !self.held.is_empty() && self.roll(50) {
            let i = self.below(self.held.len());
            let req = self.held.swap_remove(i);
            self.inner.push(&req)?;
        }
        Ok(())
    }
}

impl Transport for FaultyTransport {
    fn push(&mut self, req: &PushRequest) -> Result<PushResponse, TransportError> {
        self.maybe_release()?;
        if self.roll(self.rates.drop_request) {
            return Err(Self::lost());
        }
        if self.roll(self.rates.hold_push) {
            self.held.push(req.clone());
            return Err(Self::lost());
        }
        let resp = self.inner.push(req)?;
        if self.roll(self.rates.duplicate) {
            self.inner.push(req)?;
        }
        if self.roll(self.rates.drop_response) {
            return Err(Self::lost());
        }
        Ok(resp)
    }

    fn pull(&mut self, query: &PullQuery) -> Result<PullResponse, TransportError> {
        self.maybe_release()?;
        if self.roll(self.rates.drop_request) {
            return Err(Self::lost());
        }
        let mut resp = self.inner.pull(query)?;
        if resp.changes.len() > 1 && self.roll(self.rates.short_page) {
            let keep = 1 + self.below(resp.changes.len() - 1);
            resp.changes.truncate(keep);
            resp.cursor = resp.changes.last().map_or(query.after, |c| c.seq);
            resp.more = true;
        }
        if !resp.changes.is_empty() && self.roll(self.rates.duplicate) {
            let i = self.below(resp.changes.len());
            let again = resp.changes[i].clone();
            resp.changes.push(again);
        }
        if resp.changes.len() > 1 && self.roll(self.rates.reorder) {
            // Fisher–Yates with the seeded generator.
            for i in (1..resp.changes.len()).rev() {
                let j = self.below(i + 1);
                resp.changes.swap(i, j);
            }
        }
        if self.roll(self.rates.drop_response) {
            return Err(Self::lost());
        }
        Ok(resp)
    }
}
