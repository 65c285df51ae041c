//! The personne: someone the team knows, named or by a nickname, and what the team may
//! keep about them.
//!
//! Only the pseudonym is required: the first contacts are often anonymous and the rest
//! comes with trust. Contact means are the exception to "fill in what you know": they
//! may be kept only when the person agreed to be contacted, so a [`PersonDraft`] with
//! a phone or a handle but no [`Consent`] covering [`ConsentScope::Contact`] is refused.
//! Tags (categories, *freins*, interests, skills) are sets of fixed codes; a set can hold
//! each value once, so its size is bounded by its vocabulary.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::check;
use crate::day::Day;
use crate::error::{Field, Problem, ValidationError};
use crate::rencontre::PSEUDONYM_MAX;
use crate::vocab::{
    AgeBand, ConsentMethod, ConsentScope, Frein, Gender, Interest, PublicCategory, Skill, Stage,
};

/// Longest last name, in characters.
pub const LAST_NAME_MAX: usize = 80;
/// Longest commune name, in characters ("Saint-Remy-en-Bouzemont-Saint-Genest-et-Isson" is 45).
pub const COMMUNE_MAX: usize = 80;
/// Longest phone number as typed, in characters (spaces and dots included).
pub const PHONE_MAX: usize = 30;
/// Longest social-media or messaging handle, in characters.
pub const HANDLE_MAX: usize = 80;
/// Longest referent (a worker's name or id), in characters.
pub const REFERENT_MAX: usize = 60;
/// Earliest birth year accepted; later years up to the current one.
pub const BIRTH_YEAR_MIN: i32 = 1900;
/// Longest reason for keeping a file past the retention period, in characters.
pub const HOLD_REASON_MAX: usize = 300;
/// Fewest and most digits in a phone number: a French mobile has 10, E.164 allows 15.
const PHONE_DIGITS: std::ops::RangeInclusive<usize> = 6..=15;

/// Where a person lives, as the funders' indicators need it.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Territory {
    /// The commune.
    pub commune: Option<String>,
    /// In a *quartier prioritaire de la politique de la ville*.
    pub qpv: bool,
    /// In a *zone de revitalisation rurale*.
    pub zrr: bool,
    /// Overseas (*outre-mer*).
    pub outre_mer: bool,
}

impl std::fmt::Debug for Territory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Territory")
            .field("has_commune", &self.commune.is_some())
            .field("qpv", &self.qpv)
            .field("zrr", &self.zrr)
            .field("outre_mer", &self.outre_mer)
            .finish()
    }
}

/// How to reach a person; kept only with their consent.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Contact {
    /// A phone number, as typed.
    pub phone: Option<String>,
    /// A social-media or messaging handle ("@momo93 sur Insta").
    pub handle: Option<String>,
}

impl std::fmt::Debug for Contact {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Contact")
            .field("has_phone", &self.phone.is_some())
            .field("has_handle", &self.handle.is_some())
            .finish()
    }
}

/// The record of a person's consent: when, to what, how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    /// The day it was given.
    pub date: Day,
    /// What the person agreed to; at least one scope.
    pub scopes: BTreeSet<ConsentScope>,
    /// How it was given.
    pub method: ConsentMethod,
    /// The worker who recorded it, as their device's profile names them (the store
    /// writes it when the consent changes).
    #[serde(default)]
    pub by: Option<String>,
    /// The version of the information notice the person was given
    /// ([`NOTICE_VERSION`] when it was recorded; the store writes it).
    #[serde(default)]
    pub notice: Option<String>,
}

/// The version of the information notice the app shows (`notice-*` in the locales):
/// recorded with each consent, printed on its receipt. Changes with the notice's words.
pub const NOTICE_VERSION: &str = "2026-12";

impl Consent {
    /// Whether the person agreed to `scope`.
    pub fn covers(&self, scope: ConsentScope) -> bool {
        self.scopes.contains(&scope)
    }
}

/// A coordinator's decision to keep a person's file past the two-year retention (an
/// ongoing procedure, a legal obligation), with its written reason: who decided and
/// since when are kept with it, and the record's history keeps every change of it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionHold {
    /// Why the file is kept, in the coordinator's words. Required.
    pub reason: String,
    /// The coordinator who decided, as their profile names them.
    #[serde(default)]
    pub by: Option<String>,
    /// The day it was decided.
    pub since: Day,
}

// The reason may name the person or their situation.
impl std::fmt::Debug for RetentionHold {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RetentionHold")
            .field("since", &self.since)
            .finish_non_exhaustive()
    }
}

/// What a user fills in to record a person, or to change one.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonDraft {
    /// Pseudonym or first name; may be a nickname. Required.
    pub pseudonym: String,
    /// Last name, if the person gave it.
    #[serde(default)]
    pub last_name: Option<String>,
    /// Birth year, if known; otherwise an [`age_band`](Self::age_band), not both.
    #[serde(default)]
    pub birth_year: Option<i32>,
    /// Rough age, when the birth year is not known.
    #[serde(default)]
    pub age_band: Option<AgeBand>,
    /// Gender, if the person states it.
    #[serde(default)]
    pub gender: Option<Gender>,
    /// Where the person lives.
    #[serde(default)]
    pub territory: Territory,
    /// Public categories.
    #[serde(default)]
    pub categories: BTreeSet<PublicCategory>,
    /// Obstacles on the path (some are sensitive data).
    #[serde(default)]
    pub freins: BTreeSet<Frein>,
    /// What the person likes.
    #[serde(default)]
    pub interests: BTreeSet<Interest>,
    /// Skills the person revealed.
    #[serde(default)]
    pub skills: BTreeSet<Skill>,
    /// How to reach the person; needs a consent covering [`ConsentScope::Contact`].
    #[serde(default)]
    pub contact: Option<Contact>,
    /// The worker who follows the person (*référent fil rouge*), by name or id.
    #[serde(default)]
    pub referent: Option<String>,
    /// The person's consent, once given.
    #[serde(default)]
    pub consent: Option<Consent>,
    /// The current stage of the path, if one was recorded.
    #[serde(default)]
    pub stage: Option<Stage>,
    /// Kept past the two-year retention, by a coordinator's decision (only
    /// `HoldRetention` changes it: a form's copy of it is ignored).
    #[serde(default)]
    pub retention_hold: Option<RetentionHold>,
}

// Debug shows presence and counts only: names, contact means, age, gender, commune and
// tags (a frein may be "justice" or "addictions") are personal data.
impl std::fmt::Debug for PersonDraft {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PersonDraft")
            .field("has_last_name", &self.last_name.is_some())
            .field("has_birth_year", &self.birth_year.is_some())
            .field("has_age_band", &self.age_band.is_some())
            .field("categories", &self.categories.len())
            .field("freins", &self.freins.len())
            .field("interests", &self.interests.len())
            .field("skills", &self.skills.len())
            .field("has_contact", &self.contact.is_some())
            .field("has_referent", &self.referent.is_some())
            .field("has_consent", &self.consent.is_some())
            .field("stage", &self.stage)
            .field("held", &self.retention_hold.is_some())
            .finish_non_exhaustive()
    }
}

impl PersonDraft {
    /// A draft with only a pseudonym, everything else empty.
    pub fn new(pseudonym: impl Into<String>) -> PersonDraft {
        PersonDraft {
            pseudonym: pseudonym.into(),
            last_name: None,
            birth_year: None,
            age_band: None,
            gender: None,
            territory: Territory::default(),
            categories: BTreeSet::new(),
            freins: BTreeSet::new(),
            interests: BTreeSet::new(),
            skills: BTreeSet::new(),
            contact: None,
            referent: None,
            consent: None,
            stage: None,
            retention_hold: None,
        }
    }

    /// Trims the texts, drops empty ones, and checks every rule in the order of the form.
    ///
    /// `now_ms` is the device's clock in milliseconds since the epoch: it bounds the birth
    /// year and the consent date.
    pub fn validate(mut self, now_ms: i64) -> Result<PersonDraft, ValidationError> {
        self.pseudonym = check::required(Field::Pseudonym, self.pseudonym, PSEUDONYM_MAX)?;
        self.last_name = check::optional(Field::LastName, self.last_name, LAST_NAME_MAX)?;
        if let Some(year) = self.birth_year {
            let this_year = Day::from_epoch_ms(now_ms).year();
            if !(BIRTH_YEAR_MIN..=this_year).contains(&year) {
                return Err(ValidationError::new(
                    Field::BirthYear,
                    Problem::OutOfRange {
                        min: i64::from(BIRTH_YEAR_MIN),
                        max: i64::from(this_year),
                    },
                ));
            }
            // A band next to a year would go stale or contradict it: keep one source.
            if self.age_band.is_some() {
                return Err(ValidationError::new(
                    Field::AgeBand,
                    Problem::Conflict {
                        with: Field::BirthYear,
                    },
                ));
            }
        }
        self.territory.commune =
            check::optional(Field::Commune, self.territory.commune, COMMUNE_MAX)?;
        if let Some(consent) = &self.consent {
            check::happened(Field::ConsentDate, consent.date, now_ms)?;
            if consent.scopes.is_empty() {
                return Err(ValidationError::new(
                    Field::ConsentScopes,
                    Problem::Required,
                ));
            }
        }
        self.contact = match self.contact {
            Some(c) => validate_contact(c, self.consent.as_ref())?,
            None => None,
        };
        self.referent = check::optional(Field::Referent, self.referent, REFERENT_MAX)?;
        if let Some(mut hold) = self.retention_hold.take() {
            hold.reason = check::required(Field::Reason, hold.reason, HOLD_REASON_MAX)?;
            hold.by = check::optional(Field::Referent, hold.by, REFERENT_MAX)?;
            check::happened(Field::Date, hold.since, now_ms)?;
            self.retention_hold = Some(hold);
        }
        Ok(self)
    }
}

/// Checks contact means; `None` when nothing is left after trimming.
fn validate_contact(
    contact: Contact,
    consent: Option<&Consent>,
) -> Result<Option<Contact>, ValidationError> {
    let phone = check::optional(Field::Phone, contact.phone, PHONE_MAX)?;
    if let Some(p) = &phone {
        let allowed = p
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '.' | '-' | '(' | ')'));
        let digits = p.chars().filter(char::is_ascii_digit).count();
        if !allowed || !PHONE_DIGITS.contains(&digits) {
            return Err(ValidationError::new(Field::Phone, Problem::Malformed));
        }
    }
    let handle = check::optional(Field::Handle, contact.handle, HANDLE_MAX)?;
    let field = match (&phone, &handle) {
        (None, None) => return Ok(None),
        (Some(_), _) => Field::Phone,
        (None, Some(_)) => Field::Handle,
    };
    if !consent.is_some_and(|c| c.covers(ConsentScope::Contact)) {
        return Err(ValidationError::new(field, Problem::ConsentRequired));
    }
    Ok(Some(Contact { phone, handle }))
}

#[cfg(test)]
#[path = "person_tests.rs"]
mod tests;
