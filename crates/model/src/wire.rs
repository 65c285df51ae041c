//! The binary form of the two big sync messages: a pushed page of changes and a pulled
//! page of the team log.
//!
//! JSON with base64 payloads is readable but costs a phone dearly: base64 hides the
//! bytes from the HTTP compressor, each change's 64-character hash is random and does
//! not compress, and every field name is repeated. Devices therefore send and ask for
//! these binary pages (the media types [`PUSH_MEDIA_TYPE`] and [`PAGE_MEDIA_TYPE`]); the
//! server still answers plain JSON to a client that does not ask, so the API keeps one
//! version and stays easy to explore by hand. Both forms carry the same messages of
//! [`crate::sync`].
//!
//! Layout (all integers unsigned LEB128):
//!
//! ```text
//! push page  = "FRPU" api_version count { doc_id kind hash data }*count
//! pull page  = "FRPG" api_version log_id cursor head more(0|1) count { seq_delta doc_id kind data }*count
//! doc_id     = 0x00 <16 bytes of a UUID>  |  0x01 len <utf-8>      (any other id)
//! log_id     = as doc_id (the identity of the team log, see `crate::sync::LogId`)
//! hash       = 0x00 <32 bytes>            |  0x01 len <utf-8>      (any other text)
//! kind, text = len <utf-8>
//! data       = len <bytes>
//! seq_delta  = seq − previous seq in the page (the first: seq − 0), wrapping
//! ```
//!
//! A pulled page carries **no hashes**: a change's hash is the SHA-256 of its own bytes,
//! which the device computes (and so checks) itself, saving 32 random bytes a change.
//! [`decode_pull`] therefore returns [`PageEntry`]s, not [`crate::sync::PulledChange`]s.
//! Ids are written as 16 bytes only when they are canonical lowercase hyphenated UUIDs,
//! so every id, canonical or not, decodes to exactly the string that was encoded.

use crate::sync::{ChangeBlob, PullResponse, PulledChange, PushRequest};

/// Media type of a binary push page (request body of `POST /v1/push`).
pub const PUSH_MEDIA_TYPE: &str = "application/vnd.filrouge.push";
/// Media type of a binary pull page (asked with `Accept` on `GET /v1/pull`).
pub const PAGE_MEDIA_TYPE: &str = "application/vnd.filrouge.page";

const PUSH_MAGIC: &[u8; 4] = b"FRPU";
const PAGE_MAGIC: &[u8; 4] = b"FRPG";
const TAG_PACKED: u8 = 0;
const TAG_TEXT: u8 = 1;

/// Why a binary page could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    /// The body does not start with the page's magic bytes.
    #[error("not a {expected} page")]
    BadMagic {
        /// Which page was expected.
        expected: &'static str,
    },
    /// The body ends in the middle of a field.
    #[error("page cut short at byte {at}")]
    Truncated {
        /// Where the missing field starts.
        at: usize,
    },
    /// A number does not fit in 64 bits.
    #[error("number too large at byte {at}")]
    Overflow {
        /// Where the number starts.
        at: usize,
    },
    /// A text field is not UTF-8.
    #[error("text field at byte {at} is not UTF-8")]
    NotUtf8 {
        /// Where the field starts.
        at: usize,
    },
    /// A tag or flag byte has a value this version does not know.
    #[error("unknown tag {tag} at byte {at}")]
    UnknownTag {
        /// The byte.
        tag: u8,
        /// Where it is.
        at: usize,
    },
    /// A field is longer than its limit.
    #[error("field at byte {at} is too long")]
    TooLong {
        /// Where the field starts.
        at: usize,
    },
    /// Bytes are left after the last entry.
    #[error("{extra} unexpected bytes after the page")]
    TrailingBytes {
        /// How many.
        extra: usize,
    },
}

/// One entry of a pulled page: a change (or an erasure) without its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageEntry {
    /// The per-team sequence number.
    pub seq: u64,
    /// The record (document) it belongs to.
    pub doc_id: String,
    /// The record kind's code, or [`crate::sync::ERASURE_KIND`].
    pub kind: String,
    /// The change bytes (empty for an erasure).
    pub data: Vec<u8>,
}

/// A pulled page as read from its binary form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullPage {
    /// The server's API version.
    pub api_version: u32,
    /// The identity of the log the page comes from.
    pub log_id: String,
    /// The entries, in log order.
    pub entries: Vec<PageEntry>,
    /// The cursor to ask for next.
    pub cursor: u64,
    /// Whether more entries wait after this page.
    pub more: bool,
    /// The log's highest sequence number when the page was read.
    pub head: u64,
}

/// Writes a pull response as a binary page (hashes left out, see the module doc).
pub fn encode_pull(page: &PullResponse) -> Vec<u8> {
    let payload: usize = page.changes.iter().map(|c| c.blob.data.len() + 24).sum();
    let mut out = Vec::with_capacity(payload + PAGE_HEADER_MAX_BYTES);
    put_page_header(
        &mut out,
        &PageHeader {
            api_version: page.api_version,
            log_id: page.log_id.clone(),
            cursor: page.cursor,
            head: page.head,
            more: page.more,
            count: page.changes.len(),
        },
    );
    let mut previous = 0u64;
    for c in &page.changes {
        put_seq_delta(&mut out, previous, c.seq);
        previous = c.seq;
        put_entry_body(&mut out, c);
    }
    out
}

/// Writes a page's head. With [`put_seq_delta`] and [`put_entry_body`] it lets a server
/// build a page from pieces made at different times (see the server's `pages` module):
/// the page is the head, then for each entry its delta and its body.
pub fn put_page_header(out: &mut Vec<u8>, header: &PageHeader) {
    out.extend_from_slice(PAGE_MAGIC);
    put_uint(out, u64::from(header.api_version));
    put_doc_id(out, &header.log_id);
    put_uint(out, header.cursor);
    put_uint(out, header.head);
    out.push(u8::from(header.more));
    put_uint(out, header.count as u64);
}

/// Writes an entry's sequence number as the delta from the entry before it in the page
/// (`previous` is 0 for the first).
pub fn put_seq_delta(out: &mut Vec<u8>, previous: u64, seq: u64) {
    put_uint(out, seq.wrapping_sub(previous));
}

/// Writes the rest of an entry: record id, kind and bytes.
pub fn put_entry_body(out: &mut Vec<u8>, change: &PulledChange) {
    put_doc_id(out, &change.blob.doc_id);
    put_bytes(out, change.blob.kind.as_bytes());
    put_bytes(out, &change.blob.data);
}

/// The head of a pulled page: everything it says before its entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageHeader {
    /// The server's API version.
    pub api_version: u32,
    /// The identity of the log the page comes from.
    pub log_id: String,
    /// The cursor to ask for next.
    pub cursor: u64,
    /// The log's highest sequence number when the page was read.
    pub head: u64,
    /// Whether more entries wait after this page.
    pub more: bool,
    /// How many entries follow.
    pub count: usize,
}

/// Reads the head of a binary pull page; `bytes` may be any prefix that holds it (at
/// most [`PAGE_HEADER_MAX_BYTES`]), so a reader that only wants the cursor need not
/// decompress the whole page.
pub fn decode_pull_header(bytes: &[u8]) -> Result<PageHeader, WireError> {
    read_header(&mut Reader::new(bytes))
}

/// The most bytes a page's head can take: the magic, the version, a log id (a UUID's
/// 16 bytes, or a text of at most [`MAX_LOG_ID_TEXT`] bytes), two numbers, the flag
/// and the count.
pub const PAGE_HEADER_MAX_BYTES: usize = 4 + 5 + (2 + MAX_LOG_ID_TEXT) + 10 + 10 + 1 + 10;

/// The longest log id a page may carry as text (servers make UUIDs, 16 bytes packed).
pub const MAX_LOG_ID_TEXT: usize = 64;

fn read_header(r: &mut Reader<'_>) -> Result<PageHeader, WireError> {
    r.magic(PAGE_MAGIC, "pull")?;
    let api_version = r.u32()?;
    let at = r.at;
    let log_id = r.packed_text(16)?;
    if log_id.len() > MAX_LOG_ID_TEXT {
        return Err(WireError::TooLong { at });
    }
    let cursor = r.uint()?;
    let head = r.uint()?;
    let at = r.at;
    let more = match r.byte()? {
        0 => false,
        1 => true,
        tag => return Err(WireError::UnknownTag { tag, at }),
    };
    let count = r.count()?;
    Ok(PageHeader {
        api_version,
        log_id,
        cursor,
        head,
        more,
        count,
    })
}

/// Reads a binary pull page.
pub fn decode_pull(bytes: &[u8]) -> Result<PullPage, WireError> {
    let mut r = Reader::new(bytes);
    let header = read_header(&mut r)?;
    let mut entries = Vec::with_capacity(r.room(header.count));
    let mut seq = 0u64;
    for _ in 0..header.count {
        seq = seq.wrapping_add(r.uint()?);
        entries.push(PageEntry {
            seq,
            doc_id: r.packed_text(16)?,
            kind: r.text()?,
            data: r.bytes()?.to_vec(),
        });
    }
    r.finish()?;
    Ok(PullPage {
        api_version: header.api_version,
        log_id: header.log_id,
        entries,
        cursor: header.cursor,
        more: header.more,
        head: header.head,
    })
}

/// Writes a push request as a binary page.
pub fn encode_push(req: &PushRequest) -> Vec<u8> {
    let payload: usize = req.changes.iter().map(|c| c.data.len() + 64).sum();
    let mut out = Vec::with_capacity(payload + 16);
    out.extend_from_slice(PUSH_MAGIC);
    put_uint(&mut out, u64::from(req.api_version));
    put_uint(&mut out, req.changes.len() as u64);
    for c in &req.changes {
        put_doc_id(&mut out, &c.doc_id);
        put_bytes(&mut out, c.kind.as_bytes());
        match packed_hash(&c.hash) {
            Some(raw) => {
                out.push(TAG_PACKED);
                out.extend_from_slice(&raw);
            }
            None => {
                out.push(TAG_TEXT);
                put_bytes(&mut out, c.hash.as_bytes());
            }
        }
        put_bytes(&mut out, &c.data);
    }
    out
}

/// Reads a binary push page.
pub fn decode_push(bytes: &[u8]) -> Result<PushRequest, WireError> {
    let mut r = Reader::new(bytes);
    r.magic(PUSH_MAGIC, "push")?;
    let api_version = r.u32()?;
    let count = r.count()?;
    let mut changes = Vec::with_capacity(r.room(count));
    for _ in 0..count {
        let doc_id = r.packed_text(16)?;
        let kind = r.text()?;
        let hash = r.packed_text(32)?;
        changes.push(ChangeBlob {
            doc_id,
            kind,
            hash,
            data: r.bytes()?.to_vec(),
        });
    }
    r.finish()?;
    Ok(PushRequest {
        api_version,
        changes,
    })
}

/// Writes `n` as an unsigned LEB128 number (the pages' integers).
pub fn put_uint(out: &mut Vec<u8>, mut n: u64) {
    loop {
        let low = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(low);
            return;
        }
        out.push(low | 0x80);
    }
}

/// Reads an unsigned LEB128 number at the start of `bytes`: its value and how many
/// bytes it took.
pub fn read_uint(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut r = Reader::new(bytes);
    let n = r.uint().ok()?;
    Some((n, r.position()))
}

pub(crate) fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    put_uint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

pub(crate) fn put_doc_id(out: &mut Vec<u8>, id: &str) {
    match packed_uuid(id) {
        Some(raw) => {
            out.push(TAG_PACKED);
            out.extend_from_slice(&raw);
        }
        None => {
            out.push(TAG_TEXT);
            put_bytes(out, id.as_bytes());
        }
    }
}

/// The 16 bytes of a canonical (lowercase, hyphenated) UUID; `None` for anything else,
/// which then travels as text so that it decodes to the same string.
fn packed_uuid(id: &str) -> Option<[u8; 16]> {
    let b = id.as_bytes();
    if b.len() != 36 || [8, 13, 18, 23].iter().any(|&i| b[i] != b'-') {
        return None;
    }
    let hex: Vec<u8> = b.iter().copied().filter(|&c| c != b'-').collect();
    unhex::<16>(&hex)
}

/// The 32 bytes of a lowercase hex hash; `None` for anything else.
fn packed_hash(hash: &str) -> Option<[u8; 32]> {
    unhex::<32>(hash.as_bytes())
}

fn unhex<const N: usize>(hex: &[u8]) -> Option<[u8; N]> {
    if hex.len() != 2 * N {
        return None;
    }
    let digit = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        _ => None,
    };
    let mut out = [0u8; N];
    for (i, pair) in hex.chunks_exact(2).enumerate() {
        out[i] = digit(pair[0])? << 4 | digit(pair[1])?;
    }
    Some(out)
}

/// Lowercase hex of packed bytes; a UUID gets its hyphens back.
fn unpack(raw: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(raw.len() * 2 + 4);
    for (i, b) in raw.iter().enumerate() {
        if raw.len() == 16 && matches!(i, 4 | 6 | 8 | 10) {
            s.push('-');
        }
        s.push(char::from(HEX[usize::from(b >> 4)]));
        s.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    s
}

/// A cursor over a page's bytes; every read checks the length first.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, at: 0 }
    }

    pub(crate) fn take(&mut self, n: usize) -> Result<&'a [u8], WireError> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&end| end <= self.bytes.len())
            .ok_or(WireError::Truncated { at: self.at })?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    /// How many bytes were read.
    pub(crate) fn position(&self) -> usize {
        self.at
    }

    pub(crate) fn byte(&mut self) -> Result<u8, WireError> {
        Ok(self.take(1)?[0])
    }

    fn magic(&mut self, magic: &[u8; 4], expected: &'static str) -> Result<(), WireError> {
        match self.take(4) {
            Ok(m) if m == magic => Ok(()),
            _ => Err(WireError::BadMagic { expected }),
        }
    }

    fn uint(&mut self) -> Result<u64, WireError> {
        let start = self.at;
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            let low = u64::from(b & 0x7f);
            if shift == 63 && low > 1 {
                return Err(WireError::Overflow { at: start });
            }
            n |= low << shift;
            if b & 0x80 == 0 {
                return Ok(n);
            }
        }
        Err(WireError::Overflow { at: start })
    }

    fn u32(&mut self) -> Result<u32, WireError> {
        let at = self.at;
        u32::try_from(self.uint()?).map_err(|_| WireError::Overflow { at })
    }

    pub(crate) fn count(&mut self) -> Result<usize, WireError> {
        let at = self.at;
        usize::try_from(self.uint()?).map_err(|_| WireError::Overflow { at })
    }

    /// Room to reserve for `count` entries: never more than the bytes left could fill,
    /// so a forged count cannot make the reader allocate gigabytes (the entries
    /// themselves then run out of bytes and fail as truncated).
    pub(crate) fn room(&self, count: usize) -> usize {
        count.min(self.bytes.len() - self.at)
    }

    pub(crate) fn bytes(&mut self) -> Result<&'a [u8], WireError> {
        let at = self.at;
        let len = usize::try_from(self.uint()?).map_err(|_| WireError::Overflow { at })?;
        self.take(len)
    }

    pub(crate) fn text(&mut self) -> Result<String, WireError> {
        let at = self.at;
        let raw = self.bytes()?;
        String::from_utf8(raw.to_vec()).map_err(|_| WireError::NotUtf8 { at })
    }

    pub(crate) fn packed_text(&mut self, packed_len: usize) -> Result<String, WireError> {
        let at = self.at;
        match self.byte()? {
            TAG_PACKED => Ok(unpack(self.take(packed_len)?)),
            TAG_TEXT => self.text(),
            tag => Err(WireError::UnknownTag { tag, at }),
        }
    }

    pub(crate) fn finish(&self) -> Result<(), WireError> {
        match self.bytes.len() - self.at {
            0 => Ok(()),
            extra => Err(WireError::TrailingBytes { extra }),
        }
    }
}

#[cfg(test)]
#[path = "wire_tests.rs"]
mod tests;
