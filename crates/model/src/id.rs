//! A record's id, typed: what the screens and the commands pass around to name a
//! rencontre, a person, a relance, an event or a partner.
//!
//! Ids are UUIDs written as text (UUIDv7 when this app makes them, so they sort by
//! creation time). [`RecordId`] holds the canonical lowercase text, checked once where
//! it enters (a projection row, a command from the UI, a pasted value), and travels as
//! that text in JSON, so the IPC and the stored documents read the same bytes as when
//! ids were plain strings. An id is not personal data: it may be logged.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

/// Length of a UUID's text: 8-4-4-4-12 hex digits.
const ID_LEN: usize = 36;

/// The id of a record, a UUID's canonical lowercase text.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RecordId(String);

impl RecordId {
    /// The id written in `text` (surrounding spaces and upper case accepted), or `None`
    /// when it is not a UUID's text.
    pub fn parse(text: &str) -> Option<RecordId> {
        let id = text.trim().to_ascii_lowercase();
        let shaped = id.len() == ID_LEN
            && id.bytes().enumerate().all(|(i, b)| match i {
                8 | 13 | 18 | 23 => b == b'-',
                _ => b.is_ascii_hexdigit(),
            });
        shaped.then_some(RecordId(id))
    }

    /// The id of a UUID given as its 16 bytes (the store makes ids this way).
    pub fn from_bytes(bytes: [u8; 16]) -> RecordId {
        let mut text = String::with_capacity(ID_LEN);
        for (i, b) in bytes.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                text.push('-');
            }
            text.push_str(&format!("{b:02x}"));
        }
        RecordId(text)
    }

    /// The id's text, as stored and as the sync API names documents.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Reads an optional link to another record, where blank text (an empty form field,
/// an import's empty cell) means no link, as it did when links were plain text.
pub(crate) fn blank_as_none<'de, D: Deserializer<'de>>(d: D) -> Result<Option<RecordId>, D::Error> {
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(text) if text.trim().is_empty() => Ok(None),
        Some(text) => RecordId::parse(&text)
            .map(Some)
            .ok_or_else(|| de::Error::invalid_value(de::Unexpected::Str(&text), &"a record id")),
    }
}

impl fmt::Display for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RecordId({})", self.0)
    }
}

impl AsRef<str> for RecordId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

// An id reads as its text wherever text is asked for (a SQL parameter, a `&str`
// argument): it is text with a checked shape, as `String` is a `str` that owns itself.
impl std::ops::Deref for RecordId {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

// Sets and maps of ids can be asked with the id's text: equality, order and hash are the
// text's own.
impl std::borrow::Borrow<str> for RecordId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl PartialEq<String> for RecordId {
    fn eq(&self, other: &String) -> bool {
        &self.0 == other
    }
}

impl PartialEq<RecordId> for String {
    fn eq(&self, other: &RecordId) -> bool {
        self == &other.0
    }
}

impl PartialEq<str> for RecordId {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for RecordId {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl Serialize for RecordId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for RecordId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        RecordId::parse(&text)
            .ok_or_else(|| de::Error::invalid_value(de::Unexpected::Str(&text), &"a record id"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_a_uuids_lowercase_text() {
        let id = RecordId::parse(" 0193A2B4-7C1D-7E2F-8A3B-4C5D6E7F8091 ").unwrap();
        assert_eq!(id.as_str(), "0193a2b4-7c1d-7e2f-8a3b-4c5d6e7f8091");
        for bad in [
            "",
            "abc",
            "0193a2b4-7c1d-7e2f-8a3b-4c5d6e7f809g",
            "0193a2b47c1d7e2f8a3b4c5d6e7f8091",
        ] {
            assert_eq!(RecordId::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn an_id_from_bytes_is_the_uuids_text() {
        let bytes = [
            0x01, 0x93, 0xa2, 0xb4, 0x7c, 0x1d, 0x7e, 0x2f, 0x8a, 0x3b, 0x4c, 0x5d, 0x6e, 0x7f,
            0x80, 0x91,
        ];
        let id = RecordId::from_bytes(bytes);
        assert_eq!(id.as_str(), "0193a2b4-7c1d-7e2f-8a3b-4c5d6e7f8091");
        assert_eq!(RecordId::parse(id.as_str()), Some(id));
    }

    #[test]
    fn an_id_travels_as_its_text() {
        let id = RecordId::parse("0193a2b4-7c1d-7e2f-8a3b-4c5d6e7f8091").unwrap();
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, "\"0193a2b4-7c1d-7e2f-8a3b-4c5d6e7f8091\"");
        assert_eq!(serde_json::from_str::<RecordId>(&json).unwrap(), id);
        assert!(serde_json::from_str::<RecordId>("\"p1\"").is_err());
    }
}
