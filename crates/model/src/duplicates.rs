//! One person recorded twice: how two person records are compared, why they are
//! proposed as the same person, and which blocks they are compared in.
//!
//! The store reads each person's [`Sketch`] from its projection row (names, birth year
//! or age band, gender, commune, contact means), puts it in the blocks named by
//! [`Sketch::block_keys`] (a name's sound with the birth year, with the commune, or
//! with another name of the person; a phone; a handle), and [`compare`]s the pairs that
//! share a block. A pair is proposed when its score reaches [`PROPOSE_AT`]; the
//! [`Reason`]s say why, in the coordinator's words. Everything here is pure, so the
//! phone's "une personne proche existe déjà" check and the laptop's scan apply the same
//! rules.
//!
//! The score, out of 100: 70 for the names (each word of the shorter name matched with
//! its most alike word of the other, in any order, so swapped first and last names
//! match; a name of one word, which says little of who someone is, counts 60 %; a pair
//! of words that are clearly different, when both sides have a full name, takes 30 %
//! off; a full name written or sounding the same on both sides gets 10 more), then +30
//! for the same birth year (+10 a year apart), +10 for the same age band, +15 for the
//! same commune, +50 for the same phone or handle; −20 for another commune, −30 for
//! birth years 2 to 4 apart, −15 for different age bands or stated genders. Birth years
//! 5 or more apart are never the same person. Names less alike than [`NAME_FLOOR`] are
//! not compared further unless a phone or a handle agrees. So the same full name is
//! proposed unless something contradicts it, a name with a typo needs a year or a
//! commune in common, and a first name alone needs both.
//!
//! `filrouge bench coord` measures these rules on 30,000 persons with 1,000 injected
//! variants: the weights were set there (recall 0.97, precision 0.86 in session 11).

use serde::{Deserialize, Serialize};

use crate::names::{Word, fold, word_similarity, words};
use crate::vocab::{AgeBand, Gender, Stage};
use crate::{Day, RecordId};

/// The score from which a pair is proposed.
pub const PROPOSE_AT: u8 = 75;
/// The score from which a known person is suggested while a new one is typed: lower
/// than [`PROPOSE_AT`], since the form has only a name yet and the worker decides.
pub const SUGGEST_AT: u8 = 40;
/// Below this name likeness (0–1) a pair is not the same person, unless contact means
/// agree.
pub const NAME_FLOOR: f64 = 0.8;
/// Two words less alike than this, when both persons have a full name, contradict.
const WORD_CONTRADICTS: f64 = 0.9;

/// What is compared of a person.
#[derive(Clone, Default, PartialEq)]
pub struct Sketch {
    /// The words of the pseudonym, then of the last name.
    pub names: Vec<Word>,
    /// How many of [`names`](Self::names) come from the pseudonym.
    pub pseudonym_words: usize,
    /// Birth year.
    pub birth_year: Option<i32>,
    /// Age band, when the year is not known.
    pub age_band: Option<AgeBand>,
    /// Gender, as stated.
    pub gender: Option<Gender>,
    /// The folded commune.
    pub commune: Option<String>,
    /// The phone's last nine digits (the French number without its 0 or +33).
    pub phone: Option<String>,
    /// The folded handle, without spaces or a leading "@".
    pub handle: Option<String>,
}

// Sketches hold names and contact means: a Debug output says what is present only.
impl std::fmt::Debug for Sketch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sketch")
            .field("names", &self.names.len())
            .field("has_birth_year", &self.birth_year.is_some())
            .field("has_commune", &self.commune.is_some())
            .field("has_phone", &self.phone.is_some())
            .field("has_handle", &self.handle.is_some())
            .finish_non_exhaustive()
    }
}

/// The fields of a person a [`Sketch`] is made from, as the projection keeps them.
#[derive(Clone, Copy, Default)]
pub struct SketchOf<'a> {
    /// Pseudonym.
    pub pseudonym: &'a str,
    /// Last name.
    pub last_name: Option<&'a str>,
    /// Birth year.
    pub birth_year: Option<i32>,
    /// Age band.
    pub age_band: Option<AgeBand>,
    /// Gender.
    pub gender: Option<Gender>,
    /// Commune.
    pub commune: Option<&'a str>,
    /// Phone, as typed.
    pub phone: Option<&'a str>,
    /// Handle, as typed.
    pub handle: Option<&'a str>,
}

impl Sketch {
    /// The sketch of a person's fields.
    pub fn new(of: SketchOf<'_>) -> Sketch {
        let mut names = words(of.pseudonym);
        let pseudonym_words = names.len();
        names.extend(of.last_name.map(words).unwrap_or_default());
        let phone = of.phone.and_then(|p| {
            let digits: String = p.chars().filter(char::is_ascii_digit).collect();
            (digits.len() >= 6).then(|| digits[digits.len().saturating_sub(9)..].to_owned())
        });
        let handle = of.handle.and_then(|h| {
            let folded: String = fold(h).chars().filter(|c| *c != ' ').collect();
            (!folded.is_empty()).then_some(folded)
        });
        Sketch {
            names,
            pseudonym_words,
            birth_year: of.birth_year,
            age_band: of.age_band,
            gender: of.gender.filter(|g| *g != Gender::NonPrecise),
            commune: of.commune.map(fold).filter(|c| !c.is_empty()),
            phone,
            handle,
        }
    }

    /// The blocks this person is compared in: each word's sound with the birth year (or
    /// the age band), with the commune, and with each other word of the name; the
    /// phone; the handle. Two persons are compared only if they share one, which keeps
    /// a scan of 30,000 persons to about a million comparisons instead of 450 million.
    pub fn block_keys(&self) -> Vec<String> {
        let mut keys = Vec::new();
        let age = self
            .birth_year
            .map(|y| format!("y{y}"))
            .or_else(|| self.age_band.map(|b| format!("b{}", b.code())));
        for (i, w) in self.names.iter().enumerate() {
            if w.text.len() < 2 {
                continue;
            }
            if let Some(age) = &age {
                keys.push(format!("{}|{age}", w.key));
            }
            if let Some(commune) = &self.commune {
                keys.push(format!("{}|c{commune}", w.key));
            }
            for other in &self.names[i + 1..] {
                if other.text.len() < 2 {
                    continue;
                }
                let (x, y) = if w.key <= other.key {
                    (&w.key, &other.key)
                } else {
                    (&other.key, &w.key)
                };
                keys.push(format!("{x}|n{y}"));
            }
        }
        if let Some(phone) = &self.phone {
            keys.push(format!("|t{phone}"));
        }
        if let Some(handle) = &self.handle {
            keys.push(format!("|h{handle}"));
        }
        keys.sort_unstable();
        keys.dedup();
        keys
    }

    /// The keys a person is found by as soon as a name is typed (the phone's check):
    /// each word's sound, the phone, the handle.
    pub fn lookup_keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self
            .names
            .iter()
            .filter(|w| w.text.len() >= 2)
            .map(|w| w.key.clone())
            .collect();
        keys.extend(self.phone.iter().map(|p| format!("|t{p}")));
        keys.extend(self.handle.iter().map(|h| format!("|h{h}")));
        keys.sort_unstable();
        keys.dedup();
        keys
    }
}

/// Why two records are proposed as one person, as the coordinator reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Reason {
    /// The names are written the same (accents and case aside).
    SameName,
    /// The names sound the same in French.
    SoundsAlike,
    /// The names are close ("Mohamed", "Mohamd"): how alike, in percent.
    CloseName {
        /// Jaro-Winkler likeness of the least alike words, in percent.
        percent: u8,
    },
    /// One name is a known nickname of the other ("Momo", "Mohamed").
    Nickname,
    /// First and last names are swapped.
    Swapped,
    /// One name is the other's initial ("B." and "Benali").
    Initial,
    /// Same birth year.
    SameBirthYear,
    /// Birth years a year apart.
    NearBirthYear,
    /// Same age band.
    SameAgeBand,
    /// Same commune.
    SameCommune,
    /// Same phone number.
    SamePhone,
    /// Same handle.
    SameHandle,
}

/// How alike two persons are, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Likeness {
    /// Out of 100.
    pub score: u8,
    /// What agrees, the names first.
    pub reasons: Vec<Reason>,
}

impl Likeness {
    /// Whether the pair is proposed to the coordinator.
    pub fn proposed(&self) -> bool {
        self.score >= PROPOSE_AT
    }
}

/// How alike the names of `a` and `b` are (0–1), and what made them alike.
/// The likeness returned is before the one-word discount, which is the second value's.
fn names(a: &Sketch, b: &Sketch, reasons: &mut Vec<Reason>) -> (f64, f64) {
    let (short, long) = if a.names.len() <= b.names.len() {
        (a, b)
    } else {
        (b, a)
    };
    if short.names.is_empty() {
        return (0.0, 0.0);
    }
    let mut used = vec![false; long.names.len()];
    // Words can only be swapped between a first and a last name when both persons have
    // both: "Mohammed B." typed as one pseudonym has no last name to swap with.
    let both_split = [short, long]
        .iter()
        .all(|s| s.pseudonym_words > 0 && s.pseudonym_words < s.names.len());
    let (mut total, mut least, mut contradictions) = (0.0, 1.0_f64, 0);
    let (mut sounds, mut close, mut nickname, mut swapped, mut initial) =
        (false, false, false, false, false);
    for (i, w) in short.names.iter().enumerate() {
        let best = long
            .names
            .iter()
            .enumerate()
            .filter(|(j, _)| !used[*j])
            .map(|(j, o)| (j, word_similarity(w, o)))
            .max_by(|x, y| x.1.total_cmp(&y.1));
        let Some((j, sim)) = best else { break };
        used[j] = true;
        let other = &long.names[j];
        total += sim;
        least = least.min(sim);
        if sim < WORD_CONTRADICTS {
            contradictions += 1;
        }
        if w.text != other.text {
            if w.text.len() == 1 || other.text.len() == 1 {
                initial = true;
            } else if w.key == other.key {
                sounds = true;
            } else {
                close = true;
            }
        }
        if w.nickname != other.nickname && w.text == other.text {
            nickname = true;
        }
        if both_split && (i < short.pseudonym_words) != (j < long.pseudonym_words) {
            swapped = true;
        }
    }
    let mut likeness = total / short.names.len() as f64;
    if contradictions > 0 && short.names.len() >= 2 {
        likeness -= 0.3;
    }
    let weighed = if short.names.len() == 1 {
        likeness * 0.6
    } else if !close && !initial && contradictions == 0 {
        // A whole name written or sounding the same is worth more than its words.
        likeness + 10.0 / 70.0
    } else {
        likeness
    };
    if !sounds && !close && !initial {
        reasons.push(Reason::SameName);
    }
    if sounds {
        reasons.push(Reason::SoundsAlike);
    }
    if close {
        reasons.push(Reason::CloseName {
            percent: (least * 100.0).round() as u8,
        });
    }
    if nickname {
        reasons.push(Reason::Nickname);
    }
    if swapped && short.names.len() >= 2 {
        reasons.push(Reason::Swapped);
    }
    if initial {
        reasons.push(Reason::Initial);
    }
    (likeness, weighed)
}

/// Compares two persons. `None` when they cannot be one person by the rules (birth
/// years 5 or more apart) or their names are too far apart with no contact means in
/// common; otherwise the score and its reasons, proposed or not.
pub fn compare(a: &Sketch, b: &Sketch) -> Option<Likeness> {
    let mut evidence = 0.0;
    let mut reasons = Vec::new();
    match (a.birth_year, b.birth_year) {
        (Some(x), Some(y)) => match (x - y).abs() {
            0 => evidence += 0.3,
            1 => evidence += 0.1,
            d if d >= 5 => return None,
            _ => evidence -= 0.3,
        },
        _ => {
            if let (Some(x), Some(y)) = (a.age_band, b.age_band) {
                evidence += if x == y { 0.1 } else { -0.15 };
            }
        }
    }
    let contact =
        (a.phone.is_some() && a.phone == b.phone) || (a.handle.is_some() && a.handle == b.handle);
    let (name, words) = names(a, b, &mut reasons);
    if name < NAME_FLOOR && !contact {
        return None;
    }
    match (a.birth_year, b.birth_year) {
        (Some(x), Some(y)) if x == y => reasons.push(Reason::SameBirthYear),
        (Some(x), Some(y)) if (x - y).abs() == 1 => reasons.push(Reason::NearBirthYear),
        (None, _) | (_, None) if a.age_band.is_some() && a.age_band == b.age_band => {
            reasons.push(Reason::SameAgeBand)
        }
        _ => {}
    }
    if let (Some(x), Some(y)) = (a.gender, b.gender)
        && x != y
    {
        evidence -= 0.15;
    }
    if let (Some(x), Some(y)) = (&a.commune, &b.commune) {
        if x == y {
            evidence += 0.15;
            reasons.push(Reason::SameCommune);
        } else {
            evidence -= 0.2;
        }
    }
    if a.phone.is_some() && a.phone == b.phone {
        evidence += 0.5;
        reasons.push(Reason::SamePhone);
    }
    if a.handle.is_some() && a.handle == b.handle {
        evidence += 0.5;
        reasons.push(Reason::SameHandle);
    }
    let score = (70.0 * words + 100.0 * evidence).clamp(0.0, 100.0).round() as u8;
    Some(Likeness { score, reasons })
}

/// A person as the duplicate screens show them, beside another.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonSide {
    /// The record.
    pub id: RecordId,
    /// Pseudonym.
    pub pseudonym: String,
    /// Last name.
    pub last_name: Option<String>,
    /// Birth year.
    pub birth_year: Option<i32>,
    /// Age band.
    pub age_band: Option<AgeBand>,
    /// Commune.
    pub commune: Option<String>,
    /// Who follows the person.
    pub referent: Option<String>,
    /// Current stage.
    pub stage: Option<Stage>,
    /// How many rencontres name the person.
    pub rencontres: u32,
    /// The day of the last of them.
    pub last_seen: Option<Day>,
}

impl std::fmt::Debug for PersonSide {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PersonSide")
            .field("id", &self.id)
            .field("rencontres", &self.rencontres)
            .finish_non_exhaustive()
    }
}

/// Two records proposed as one person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DuplicatePair {
    /// One record (the smaller id).
    pub a: PersonSide,
    /// The other.
    pub b: PersonSide,
    /// How alike, and why.
    pub likeness: Likeness,
}

/// The pairs proposed, most alike first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DuplicateList {
    /// The pairs, at most the number asked for.
    pub pairs: Vec<DuplicatePair>,
    /// How many pairs were proposed in all.
    pub total: u32,
    /// How many persons were looked at.
    pub persons: u32,
    /// How many pairs were compared (those sharing a block).
    pub comparisons: u64,
}

/// A known person close to the one being typed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimilarPerson {
    /// The known person.
    pub person: PersonSide,
    /// How alike, and why.
    pub likeness: Likeness,
}

#[cfg(test)]
#[path = "duplicates_tests.rs"]
mod tests;
