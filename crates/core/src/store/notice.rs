//! The team's information notice (`model::records::notice`): read from the `notices`
//! projection (the newest record is the one in force, should two coordinators have
//! each made one offline), written by a coordinator's device in place, so the team
//! keeps one record that merges field by field.
//!
//! The store writes the version whenever the words change: the day and the first
//! eight hex digits of a SHA-256 of the words, so the same words keep their version and
//! any change gets a new one. A consent recorded afterwards carries it
//! ([`Store::notice_version`]).

use filrouge_model::{Day, NoticeDraft, RecordId};
use rusqlite::OptionalExtension as _;
use sha2::{Digest as _, Sha256};

use crate::{CoreError, Store};

impl Store {
    /// The notice in force, with its id, if the team wrote one.
    pub fn notice(&self) -> Result<Option<(RecordId, NoticeDraft)>, CoreError> {
        let row = self
            .conn
            .prepare_cached(
                "SELECT id, holder, dpo_contact, words_fr, words_en, version FROM notices
                  ORDER BY updated_at DESC, id DESC LIMIT 1",
            )?
            .query_row([], |r| {
                Ok((
                    crate::store::queries::id_at(r, 0)?,
                    NoticeDraft {
                        holder: r.get(1)?,
                        dpo_contact: r.get(2)?,
                        words_fr: r.get(3)?,
                        words_en: r.get(4)?,
                        version: r.get(5)?,
                    },
                ))
            })
            .optional()?;
        Ok(row)
    }

    /// The version a consent recorded now is given under: the team's notice's, or the
    /// app's own ([`filrouge_model::NOTICE_VERSION`]) when the team wrote none.
    pub fn notice_version(&self) -> Result<String, CoreError> {
        Ok(self
            .notice()?
            .and_then(|(_, n)| n.version)
            .unwrap_or_else(|| filrouge_model::NOTICE_VERSION.to_owned()))
    }

    /// Writes the team's notice (the one in force, or a first one), with a new version
    /// when its words changed; returns it as kept.
    pub fn set_notice(&mut self, draft: NoticeDraft) -> Result<NoticeDraft, CoreError> {
        let now = self.env.clock.now_ms();
        let mut draft = draft.validate(now)?;
        let current = self.notice()?;
        let digest = words_digest(&draft);
        let unchanged = current.as_ref().is_some_and(|(_, n)| {
            n.version
                .as_deref()
                .is_some_and(|v| v.ends_with(&digest) && words_digest(n) == digest)
        });
        draft.version = match (&current, unchanged) {
            (Some((_, n)), true) => n.version.clone(),
            _ => Some(format!("{}-{digest}", Day::from_epoch_ms(now))),
        };
        match current {
            Some((id, _)) => self.update(id.as_str(), draft)?,
            None => {
                self.create(draft)?;
            }
        }
        Ok(self.notice()?.map(|(_, n)| n).unwrap_or_default())
    }
}

/// The first eight hex digits of a SHA-256 of the notice's words, each length-prefixed.
fn words_digest(n: &NoticeDraft) -> String {
    let mut hash = Sha256::new();
    for part in [
        Some(n.holder.as_str()),
        Some(n.dpo_contact.as_str()),
        n.words_fr.as_deref(),
        n.words_en.as_deref(),
    ] {
        let part = part.unwrap_or_default();
        hash.update((part.len() as u64).to_be_bytes());
        hash.update(part.as_bytes());
    }
    hex::encode(&hash.finalize()[..4])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::tests::{NOW, test_env};

    fn notice(holder: &str) -> NoticeDraft {
        NoticeDraft {
            holder: holder.into(),
            dpo_contact: "dpo@asso.example, 01 48 00 00 00".into(),
            words_fr: Some("Nous ne transmettons rien sans votre accord.".into()),
            words_en: Some("We share nothing without your consent.".into()),
            version: Some("typed by hand".into()),
        }
    }

    #[test]
    fn the_notice_is_one_record_whose_version_follows_its_words() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.sqlite");
        let mut s = Store::open(&path, test_env(NOW, 1)).unwrap();
        assert_eq!(s.notice().unwrap(), None);
        assert_eq!(s.notice_version().unwrap(), filrouge_model::NOTICE_VERSION);

        let first = s
            .set_notice(notice("Association Fil rouge, Bondy"))
            .unwrap();
        let version = first.version.clone().unwrap();
        let today = Day::from_epoch_ms(NOW).to_string();
        assert!(version.starts_with(&format!("{today}-")), "{version}");
        assert_eq!(version.len(), today.len() + 9, "{version}");
        assert_ne!(version, "typed by hand", "never typed");
        assert_eq!(s.notice_version().unwrap(), version);
        // The same words again: the same version. Other words: a new one, same record.
        let (id, _) = s.notice().unwrap().unwrap();
        let again = s
            .set_notice(notice("Association Fil rouge, Bondy"))
            .unwrap();
        assert_eq!(again.version.as_deref(), Some(version.as_str()));
        let changed = s
            .set_notice(notice("Association Fil rouge, Pantin"))
            .unwrap();
        assert_ne!(changed.version.as_deref(), Some(version.as_str()));
        assert_eq!(s.notice().unwrap().unwrap().0, id);
        let count: i64 = s
            .conn
            .query_row("SELECT COUNT(*) FROM notices", [], |r| r.get(0))
            .unwrap();
        assert_eq!(count, 1);
        // Read back from the file, and after a rebuild of the projections.
        drop(s);
        let mut s = Store::open(&path, test_env(NOW, 2)).unwrap();
        assert_eq!(s.notice().unwrap().unwrap().1, changed);
        s.rebuild_projections().unwrap();
        assert_eq!(s.notice().unwrap().unwrap().1, changed);
    }
}
