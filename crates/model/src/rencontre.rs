//! The rencontre (a field contact): its vocabulary, the draft a user fills in, and the
//! row the app lists.
//!
//! A [`RencontreDraft`] comes from the UI, is validated here by [`RencontreDraft::validate`],
//! written by the core into an Automerge document, and read back as a [`Rencontre`] from
//! the projection table. Times are milliseconds since the Unix epoch, UTC; the UI shows
//! them in local time.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::check;
use crate::day::Day;
use crate::error::{Field, Problem, ValidationError, check_len};
use crate::vocab::{Action, AgeBand, Frein, Gender, vocabulary};

/// Longest place text, in characters: a street corner or a venue, not an address book.
pub const PLACE_MAX: usize = 120;
/// Longest pseudonym, in characters.
pub const PSEUDONYM_MAX: usize = 60;
/// Longest note, in characters: short and factual, the person may read it.
pub const NOTE_MAX: usize = 1000;
/// Largest anonymous headcount for one rencontre (a whole stadium is an event, not a contact).
pub const HEADCOUNT_MAX: u32 = 500;
/// Most named persons on one rencontre (a bigger group is an event with registrations).
pub const PERSONS_MAX: usize = 50;
/// Longest next-step text, in characters.
pub const NEXT_STEP_MAX: usize = 200;
/// Longest commune name, in characters.
pub const COMMUNE_MAX: usize = 80;
/// How far in the future a rencontre may be dated, to allow for a phone's clock drift.
pub const FUTURE_TOLERANCE_MS: i64 = 24 * 60 * 60 * 1000;

vocabulary! {
    /// How the worker met the people: the channels of *aller-vers* work. The default is
    /// the most common one, for a new draft.
    #[derive(Default)]
    pub enum Channel {
        /// Street patrol.
        #[default]
        Maraude = "maraude", "Maraude", "Street outreach";
        /// Door-to-door.
        PorteAPorte = "porte_a_porte", "Porte-à-porte", "Door-to-door";
        /// At the foot of the towers, in the entrance halls.
        BasDImmeuble = "bas_d_immeuble", "Bas d'immeuble", "Outside housing blocks";
        /// A sports event or sports ground.
        EvenementSportif = "evenement_sportif", "Événement sportif", "Sports event";
        /// An esport event or gaming venue.
        EvenementEsport = "evenement_esport", "Événement esport", "Esports event";
        /// A cultural event.
        EvenementCulturel = "evenement_culturel", "Événement culturel", "Cultural event";
        /// Online outreach on social networks and gaming platforms.
        MaraudeNumerique = "maraude_numerique", "Maraude numérique", "Online outreach";
        /// A drop-in session the team holds somewhere.
        Permanence = "permanence", "Permanence", "Drop-in session";
        /// Introduced by a peer or a local partner (club, shopkeeper, landlord, family).
        ParUnPair = "par_un_pair", "Par un pair ou un partenaire", "Through a peer or partner";
        /// Any other channel.
        Autre = "autre", "Autre", "Other";
    }
}

/// What a user fills in to record a rencontre, or to change one.
///
/// The fields after `note` came with the full data model; they default to empty so that
/// drafts from older clients still parse.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RencontreDraft {
    /// How the people were met.
    pub channel: Channel,
    /// Where, as short text ("city stade Pablo Picasso").
    pub place: String,
    /// When, in milliseconds since the epoch; `None` means now.
    pub occurred_at: Option<i64>,
    /// How many people were met anonymously (0 when only a named person was met).
    pub headcount: u32,
    /// The pseudonym or first name of the person met, if they gave one.
    pub pseudonym: Option<String>,
    /// A short factual note.
    #[serde(default)]
    pub note: String,
    /// Known persons met (their record ids).
    #[serde(default)]
    pub persons: BTreeSet<crate::RecordId>,
    /// Rough age split of the anonymous headcount (bands with zero may be listed).
    #[serde(default)]
    pub age_bands: BTreeMap<AgeBand, u32>,
    /// Rough gender split of the anonymous headcount.
    #[serde(default)]
    pub genders: BTreeMap<Gender, u32>,
    /// Needs expressed, in the freins vocabulary.
    #[serde(default)]
    pub needs: BTreeSet<Frein>,
    /// What was done.
    #[serde(default)]
    pub actions: BTreeSet<Action>,
    /// The commune, for counts by territory.
    #[serde(default)]
    pub commune: Option<String>,
    /// The next step agreed, if any.
    #[serde(default)]
    pub next_step: Option<String>,
    /// When the relance agreed is due, if one is planned. Stored under its first name.
    #[serde(default, rename = "follow_up")]
    pub relance_due: Option<Day>,
    /// The worker who recorded it: the device's worker name when it was first saved,
    /// for the coordinator's counts by worker. The store sets it; forms leave it empty.
    #[serde(default)]
    pub worker: Option<String>,
}

// Debug hides what the person said or is called: drafts may end up in logs.
impl std::fmt::Debug for RencontreDraft {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RencontreDraft")
            .field("channel", &self.channel)
            .field("headcount", &self.headcount)
            .field("has_pseudonym", &self.pseudonym.is_some())
            .field("note_chars", &self.note.chars().count())
            .field("persons", &self.persons.len())
            .field("needs", &self.needs.len())
            .finish_non_exhaustive()
    }
}

impl RencontreDraft {
    /// Trims the texts, turns an empty pseudonym into `None`, and checks every rule.
    ///
    /// `now` is the device's clock in milliseconds, used to refuse dates far in the future.
    pub fn validate(mut self, now: i64) -> Result<RencontreDraft, ValidationError> {
        self.place = self.place.trim().to_owned();
        self.note = self.note.trim().to_owned();
        self.pseudonym = self
            .pseudonym
            .map(|p| p.trim().to_owned())
            .filter(|p| !p.is_empty());
        check_len(Field::Place, &self.place, PLACE_MAX)?;
        check_len(Field::Note, &self.note, NOTE_MAX)?;
        if let Some(p) = &self.pseudonym {
            check_len(Field::Pseudonym, p, PSEUDONYM_MAX)?;
        }
        if self.headcount > HEADCOUNT_MAX {
            return Err(ValidationError::new(
                Field::Headcount,
                Problem::OutOfRange {
                    min: 0,
                    max: i64::from(HEADCOUNT_MAX),
                },
            ));
        }
        if self.headcount == 0 && self.pseudonym.is_none() && self.persons.is_empty() {
            return Err(ValidationError::new(Field::Headcount, Problem::NobodyMet));
        }
        check::at_most(Field::PersonId, self.persons.len(), PERSONS_MAX)?;
        // A split describes the anonymous group: it cannot count more people than it has.
        fn split<K>(counts: &BTreeMap<K, u32>) -> i64 {
            counts.values().map(|c| i64::from(*c)).sum()
        }
        let limit = Problem::OutOfRange {
            min: 0,
            max: i64::from(self.headcount),
        };
        if split(&self.age_bands) > i64::from(self.headcount) {
            return Err(ValidationError::new(Field::AgeBand, limit));
        }
        if split(&self.genders) > i64::from(self.headcount) {
            return Err(ValidationError::new(Field::Gender, limit));
        }
        self.commune = check::optional(Field::Commune, self.commune.take(), COMMUNE_MAX)?;
        self.next_step = check::optional(Field::Reason, self.next_step.take(), NEXT_STEP_MAX)?;
        self.worker = check::optional(
            Field::Worker,
            self.worker.take(),
            crate::records::person::REFERENT_MAX,
        )?;
        if let Some(day) = self.relance_due {
            check::planned(Field::Due, day, now)?;
        }
        if let Some(at) = self.occurred_at
            && at > now.saturating_add(FUTURE_TOLERANCE_MS)
        {
            return Err(ValidationError::new(Field::OccurredAt, Problem::InFuture));
        }
        Ok(self)
    }
}

/// A rencontre as the app lists it, read from the projection table.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rencontre {
    /// The record's id (a UUIDv7, so ids sort by creation time).
    pub id: crate::RecordId,
    /// How the people were met.
    pub channel: Channel,
    /// Where.
    pub place: String,
    /// When, in milliseconds since the epoch.
    pub occurred_at: i64,
    /// Anonymous headcount.
    pub headcount: u32,
    /// Known persons named in it (their records are listed with the person).
    #[serde(default)]
    pub named: u32,
    /// The person's pseudonym, if any.
    pub pseudonym: Option<String>,
    /// The note.
    pub note: String,
    /// When this device last saw the record change, in milliseconds since the epoch.
    pub updated_at: i64,
}

impl std::fmt::Debug for Rencontre {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rencontre")
            .field("id", &self.id)
            .field("channel", &self.channel)
            .field("occurred_at", &self.occurred_at)
            .field("headcount", &self.headcount)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> RencontreDraft {
        RencontreDraft {
            channel: Channel::Maraude,
            place: "  Gare du Nord ".into(),
            occurred_at: None,
            headcount: 3,
            pseudonym: Some("  ".into()),
            note: "".into(),
            ..Default::default()
        }
    }

    #[test]
    fn trims_and_drops_empty_pseudonym() {
        let d = draft().validate(0).unwrap();
        assert_eq!(d.place, "Gare du Nord");
        assert_eq!(d.pseudonym, None);
    }

    #[test]
    fn nobody_met_is_refused() {
        let d = RencontreDraft {
            headcount: 0,
            ..draft()
        };
        let err = d.validate(0).unwrap_err();
        assert_eq!(err.field, Field::Headcount);
        assert_eq!(err.problem, Problem::NobodyMet);
    }

    #[test]
    fn a_named_person_alone_is_enough() {
        let d = RencontreDraft {
            headcount: 0,
            pseudonym: Some("Momo".into()),
            ..draft()
        };
        assert_eq!(d.validate(0).unwrap().pseudonym.as_deref(), Some("Momo"));
    }

    #[test]
    fn long_fields_name_the_field() {
        let d = RencontreDraft {
            note: "é".repeat(NOTE_MAX + 1),
            ..draft()
        };
        let err = d.validate(0).unwrap_err();
        assert_eq!(err.field, Field::Note);
        assert_eq!(err.problem, Problem::TooLong { max: NOTE_MAX });
        // Counted in characters, not bytes: exactly the limit passes.
        let ok = RencontreDraft {
            note: "é".repeat(NOTE_MAX),
            ..draft()
        };
        assert!(ok.validate(0).is_ok());
    }

    #[test]
    fn far_future_is_refused_but_clock_drift_is_not() {
        let now = 1_800_000_000_000;
        let drift = RencontreDraft {
            occurred_at: Some(now + 60_000),
            ..draft()
        };
        assert!(drift.validate(now).is_ok());
        let future = RencontreDraft {
            occurred_at: Some(now + 2 * FUTURE_TOLERANCE_MS),
            ..draft()
        };
        assert_eq!(future.validate(now).unwrap_err().field, Field::OccurredAt);
    }

    #[test]
    fn headcount_has_a_ceiling() {
        let d = RencontreDraft {
            headcount: HEADCOUNT_MAX + 1,
            ..draft()
        };
        assert_eq!(d.validate(0).unwrap_err().field, Field::Headcount);
    }

    #[test]
    fn channel_codes_round_trip_and_debug_hides_names() {
        crate::vocab::tests::check::<Channel>();
        // Codes already in stored documents keep their meaning.
        assert_eq!(Channel::PorteAPorte.code(), "porte_a_porte");
        assert_eq!(Channel::MaraudeNumerique.code(), "maraude_numerique");
        let d = RencontreDraft {
            pseudonym: Some("Samira".into()),
            note: "secret".into(),
            ..draft()
        };
        let shown = format!("{d:?}");
        assert!(!shown.contains("Samira") && !shown.contains("secret"));
    }
}
