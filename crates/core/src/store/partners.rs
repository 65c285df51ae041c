//! The team's directory of partners, and orientations to them, for the "Partenaires"
//! screen and a person's "Orienter" form.
//!
//! The directory is read from the `partenaires` projection table, by name. An
//! orientation is its own record, about one person, with the partner's id and its name
//! as shown at the time (so it reads the same if the directory changes later); the
//! model refuses one without the person's consent.

use filrouge_model::views::PartnerRow;
use filrouge_model::{OrientationDraft, PartnerDraft};

use crate::{CoreError, Store};

/// A partner as the directory lists it, from `SELECT id, name, kind, contact, commune`.
fn partner_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<PartnerRow> {
    Ok(PartnerRow {
        id: crate::store::queries::id_at(r, 0)?,
        name: r.get(1)?,
        kind: crate::store::queries::vocab_at(r, 2)?,
        contact: r.get(3)?,
        commune: r.get(4)?,
    })
}

impl Store {
    /// The directory, by name, at most `limit`.
    pub fn list_partners(&self, limit: u32) -> Result<Vec<PartnerRow>, CoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, name, kind, contact, commune FROM partenaires
              ORDER BY name COLLATE NOCASE, id LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit], partner_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Adds a partner to the directory; returns it as listed.
    pub fn create_partner(&mut self, draft: PartnerDraft) -> Result<PartnerRow, CoreError> {
        let id = self.create(draft)?;
        let row = self.conn.query_row(
            "SELECT id, name, kind, contact, commune FROM partenaires WHERE id = ?1",
            [id.as_str()],
            partner_row,
        )?;
        Ok(row)
    }

    /// Orients a person to a partner. With a partner from the directory and no name
    /// given, the directory's name is kept with the orientation.
    pub fn orient(
        &mut self,
        mut draft: OrientationDraft,
    ) -> Result<filrouge_model::RecordId, CoreError> {
        if draft.partner_name.is_none()
            && let Some(partner) = &draft.partner_id
        {
            draft.partner_name = self
                .conn
                .query_row(
                    "SELECT name FROM partenaires WHERE id = ?1",
                    [partner.as_str()],
                    |r| r.get(0),
                )
                .ok();
        }
        self.create(draft)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::tests::{NOW, test_env};
    use filrouge_model::{Day, Field, OrientationStatus, PartnerKind, PersonDraft};

    #[test]
    fn a_partner_in_the_directory_and_an_orientation_on_the_timeline() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(&dir.path().join("d.sqlite"), test_env(NOW, 1)).unwrap();
        let ml = s
            .create_partner(PartnerDraft {
                name: " Mission locale de Bondy ".into(),
                kind: PartnerKind::MissionLocale,
                contact: Some("01 48 00 00 00".into()),
                commune: Some("Bondy".into()),
            })
            .unwrap();
        assert_eq!(ml.name, "Mission locale de Bondy");
        assert_eq!(ml.kind.code(), "mission_locale");
        assert_eq!(s.list_partners(10).unwrap(), vec![ml.clone()]);

        let lina = s.create(PersonDraft::new("Lina")).unwrap();
        let orientation = OrientationDraft {
            person_id: lina.clone(),
            partner_id: Some(ml.id.clone()),
            partner_name: None,
            reason: "Inscription Garantie jeunes".into(),
            consent_given: false,
            status: OrientationStatus::Proposee,
            outcome: None,
            date: Day::from_epoch_ms(NOW),
        };
        // Without her consent, nothing is written.
        match s.orient(orientation.clone()) {
            Err(CoreError::Validation(e)) => assert_eq!(e.field, Field::ConsentGiven),
            other => panic!("expected the consent to be required, got {other:?}"),
        }
        assert!(s.timeline(&lina).unwrap().is_empty());
        let id = s
            .orient(OrientationDraft {
                consent_given: true,
                ..orientation
            })
            .unwrap();
        let kept: OrientationDraft = s.get(&id).unwrap();
        assert_eq!(
            kept.partner_name.as_deref(),
            Some("Mission locale de Bondy")
        );
        let kinds: Vec<String> = s
            .timeline(&lina)
            .unwrap()
            .into_iter()
            .map(|e| e.what.kind().code().to_owned())
            .collect();
        assert_eq!(kinds, ["orientation"]);
    }
}
