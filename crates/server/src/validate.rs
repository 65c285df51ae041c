//! Checks on what clients and operators send, before anything reaches storage.
//!
//! The HTTP layer has already parsed the JSON; these functions apply the API's limits
//! (version, page size, blob size, hash shape, text fields) and return the matching
//! [`ServerError`], which names the field and the position in the page but never echoes
//! the value. The blob itself is never looked into: it is opaque, maybe encrypted.

use filrouge_model::sync::{
    API_VERSION, BATCH_KIND, ChangeBlob, ERASURE_KIND, EraseRequest, MAX_BLOB_BYTES,
    MAX_PUSH_CHANGES, PushRequest, erasure_hash, read_batch_header,
};
use sha2::{Digest as _, Sha256};

use crate::error::ServerError;
use crate::secret::is_lower_hex_64;

/// Longest `doc_id`, in bytes (a UUID or an Automerge document id fits easily).
pub const MAX_DOC_ID_LEN: usize = 128;
/// Longest `kind`, in bytes.
pub const MAX_KIND_LEN: usize = 64;
/// Longest device or team name, in bytes.
pub const MAX_NAME_LEN: usize = 100;

/// Refuses any version but [`API_VERSION`].
pub fn check_version(client: u32) -> Result<(), ServerError> {
    if client == API_VERSION {
        Ok(())
    } else {
        Err(ServerError::VersionMismatch {
            client,
            server: API_VERSION,
        })
    }
}

/// A text field must be 1 to `max_len` bytes with no control characters, which could
/// forge lines in a terminal or a log viewer.
pub fn check_text(
    field: &'static str,
    value: &str,
    max_len: usize,
    index: Option<usize>,
) -> Result<(), ServerError> {
    let ok =
        !value.trim().is_empty() && value.len() <= max_len && !value.chars().any(char::is_control);
    if ok {
        Ok(())
    } else {
        Err(ServerError::BadField {
            field,
            max_len,
            index,
        })
    }
}

/// Checks a whole push page: version, count, then each change in order.
pub fn check_push(request: &PushRequest) -> Result<(), ServerError> {
    check_version(request.api_version)?;
    let count = request.changes.len();
    if count > MAX_PUSH_CHANGES {
        return Err(ServerError::TooManyChanges {
            count,
            max: MAX_PUSH_CHANGES,
        });
    }
    for (index, change) in request.changes.iter().enumerate() {
        if change.data.len() > MAX_BLOB_BYTES {
            return Err(ServerError::BlobTooLarge {
                index,
                size: change.data.len(),
                max: MAX_BLOB_BYTES,
            });
        }
        check_text("doc_id", &change.doc_id, MAX_DOC_ID_LEN, Some(index))?;
        check_text("kind", &change.kind, MAX_KIND_LEN, Some(index))?;
        if change.kind == ERASURE_KIND {
            // A device healing a restored server pushes the erasures it remembers: no
            // bytes, and the hash the log gives an erasure of that record.
            if !change.data.is_empty() || change.hash != erasure_hash(&change.doc_id) {
                return Err(ServerError::MalformedRequest {
                    reason: format!(
                        "change {index}: an erasure carries no bytes and the hash \"{ERASURE_KIND}:<doc_id>\""
                    ),
                });
            }
        } else if !is_lower_hex_64(&change.hash) {
            return Err(ServerError::BadHash { index });
        } else if change.kind == BATCH_KIND {
            check_batch(index, change)?;
        }
    }
    Ok(())
}

/// A batch: its record id says so, its hash is its bytes' SHA-256 (so a replay is
/// stored once), and its clear header lists well-formed records and kinds.
fn check_batch(index: usize, change: &ChangeBlob) -> Result<(), ServerError> {
    let malformed = |what: &str| ServerError::MalformedRequest {
        reason: format!("change {index}: {what}"),
    };
    if change.doc_id != BATCH_KIND {
        return Err(malformed("a batch's record id is \"batch\""));
    }
    if hex::encode(Sha256::digest(&change.data)) != change.hash {
        return Err(malformed("a batch's hash is the SHA-256 of its bytes"));
    }
    let header = read_batch_header(&change.data).map_err(|_| malformed("not a sealed batch"))?;
    for member in &header.members {
        check_text("doc_id", &member.doc_id, MAX_DOC_ID_LEN, Some(index))?;
        check_text("kind", &member.kind, MAX_KIND_LEN, Some(index))?;
        if member.kind == ERASURE_KIND || member.kind == BATCH_KIND {
            return Err(malformed("a batch holds changes only"));
        }
    }
    Ok(())
}

/// Checks an erasure request's version and record id.
pub fn check_erase(request: &EraseRequest) -> Result<(), ServerError> {
    check_version(request.api_version)?;
    check_text("doc_id", &request.doc_id, MAX_DOC_ID_LEN, None)
}

/// Checks that `log_id` is a log identity a device may propose: a UUID in its
/// lowercase hyphenated form, as the server makes them.
pub fn check_log_id(log_id: &str) -> Result<(), ServerError> {
    let bad = || ServerError::BadField {
        field: "new_log_id",
        max_len: 36,
        index: None,
    };
    let parsed = uuid::Uuid::try_parse(log_id).map_err(|_| bad())?;
    if parsed.hyphenated().to_string() != log_id {
        return Err(bad());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use filrouge_model::sync::ChangeBlob;

    use super::*;

    fn blob() -> ChangeBlob {
        ChangeBlob {
            doc_id: "doc".into(),
            kind: "rencontre".into(),
            hash: "ab".repeat(32),
            data: vec![1, 2, 3],
        }
    }

    fn push(changes: Vec<ChangeBlob>) -> PushRequest {
        PushRequest {
            api_version: API_VERSION,
            changes,
        }
    }

    #[test]
    fn a_good_page_passes() {
        assert!(check_push(&push(vec![blob(), blob()])).is_ok());
        assert!(check_push(&push(vec![])).is_ok());
    }

    #[test]
    fn each_limit_has_its_error() {
        let mut wrong_version = push(vec![]);
        wrong_version.api_version = API_VERSION + 1;
        assert!(matches!(
            check_push(&wrong_version),
            Err(ServerError::VersionMismatch { .. })
        ));

        let too_many = push(vec![blob(); MAX_PUSH_CHANGES + 1]);
        assert!(matches!(
            check_push(&too_many),
            Err(ServerError::TooManyChanges { .. })
        ));

        let mut big = blob();
        big.data = vec![0; MAX_BLOB_BYTES + 1];
        assert!(matches!(
            check_push(&push(vec![blob(), big])),
            Err(ServerError::BlobTooLarge { index: 1, .. })
        ));

        for hash in ["AB".repeat(32), "ab".repeat(31), "zz".repeat(32)] {
            let mut bad = blob();
            bad.hash = hash;
            assert!(matches!(
                check_push(&push(vec![bad])),
                Err(ServerError::BadHash { index: 0 })
            ));
        }

        let mut empty_doc = blob();
        empty_doc.doc_id = String::new();
        assert!(matches!(
            check_push(&push(vec![empty_doc])),
            Err(ServerError::BadField {
                field: "doc_id",
                ..
            })
        ));

        let mut long_kind = blob();
        long_kind.kind = "k".repeat(MAX_KIND_LEN + 1);
        assert!(matches!(
            check_push(&push(vec![long_kind])),
            Err(ServerError::BadField { field: "kind", .. })
        ));
    }

    #[test]
    fn names_refuse_blanks_and_control_characters() {
        assert!(check_text("device_name", "Téléphone 3", MAX_NAME_LEN, None).is_ok());
        assert!(check_text("device_name", "  ", MAX_NAME_LEN, None).is_err());
        assert!(check_text("device_name", "a\nb", MAX_NAME_LEN, None).is_err());
    }

    #[test]
    fn a_proposed_log_id_is_a_lowercase_hyphenated_uuid() {
        assert!(check_log_id("0192f3a4-5b6c-4d7e-8f90-a1b2c3d4e5f6").is_ok());
        for bad in [
            "",
            "0192F3A4-5B6C-4D7E-8F90-A1B2C3D4E5F6",
            "0192f3a45b6c4d7e8f90a1b2c3d4e5f6",
            "{0192f3a4-5b6c-4d7e-8f90-a1b2c3d4e5f6}",
            "pas-un-identifiant",
        ] {
            assert!(check_log_id(bad).is_err(), "{bad}");
        }
    }
}
