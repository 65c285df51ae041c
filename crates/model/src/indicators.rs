//! The funder's indicators as data: which persons an indicator counts (its population),
//! what must have happened to them (its event) and which date puts it in a period.
//!
//! A set of definitions is a versioned JSON document ([`IndicatorSet`]); the app ships
//! one for the PIC *aller-vers* programmes (`assets/indicators/pic-aller-vers.json`) and
//! a team adds its own in a file of the same shape, without a new build. The device's
//! core counts each indicator over a period and answers a [`FunderTable`]; in the
//! funder's mode, counts from 1 to 4 are shown as "< 5" ([`Cell::Suppressed`]), and the
//! table holds nothing but labels and numbers.

use serde::{Deserialize, Serialize};

use crate::dashboard::Period;
use crate::vocab::{AgeBand, ExitKind, PublicCategory, Stage};

/// The version of the definitions' format this code reads.
pub const FORMAT_VERSION: u32 = 1;

/// Counts below this, but above zero, are hidden in the funder's mode.
pub const SMALL_CELL: u64 = 5;

/// A set of indicator definitions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorSet {
    /// The format's version ([`FORMAT_VERSION`]).
    pub format: u32,
    /// What the set is for ("PIC Repérer et mobiliser les publics invisibles").
    pub name: String,
    /// Its indicators, in the order of the table.
    pub indicators: Vec<Indicator>,
}

/// One indicator: the persons of a population to whom an event happened in the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// A stable id (`jeunes-reperes`), unique in its set.
    pub id: String,
    /// Its label in the table, in French.
    pub label: String,
    /// Who is counted.
    #[serde(default)]
    pub population: Population,
    /// What must have happened.
    pub event: Event,
    /// Which date of the event puts it in a period.
    #[serde(default)]
    pub date_rule: DateRule,
    /// The indicator this one is a part of (a "dont" line: it never counts more), by
    /// id; it must come earlier in the set.
    #[serde(default)]
    pub part_of: Option<String>,
}

/// Who an indicator counts. Each list left empty means "anyone"; a person belongs
/// when they match one value of every list given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Population {
    /// Public categories, any of them.
    pub categories: Vec<PublicCategory>,
    /// Age bands, any of them: the band recorded, or the one the birth year gives at
    /// the period's last day.
    pub age_bands: Vec<AgeBand>,
    /// Territory flags, any of them.
    pub territory: Vec<TerritoryFlag>,
}

/// A territory the funders count apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TerritoryFlag {
    /// A *quartier prioritaire de la politique de la ville*.
    Qpv,
    /// A *zone de revitalisation rurale*.
    Zrr,
    /// Overseas.
    OutreMer,
}

/// What happened to the person.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Event {
    /// First seen (*repéré·e*): their record, first rencontre or first stage change,
    /// whichever came first.
    Repere,
    /// Met at a rencontre.
    Met,
    /// Reached one of these stages of the parcours (*mobilisé·e*: remobilisation;
    /// *entré·e en parcours*: accompagnement).
    Stage {
        /// The stages, any of them.
        stages: Vec<Stage>,
    },
    /// Left the parcours in one of these ways (a *sortie positive* by its kind).
    Exit {
        /// The kinds of exit, any of them.
        exits: Vec<ExitKind>,
    },
}

/// Which occurrence of the event counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateRule {
    /// The first time it ever happened to the person falls in the period (an entry
    /// counts once, in the period it happened in).
    #[default]
    First,
    /// It happened in the period, whenever it happened before.
    Any,
}

/// Why a set of definitions is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DefinitionError {
    /// Not the JSON this format describes (the parser's message names the place).
    #[error("not a set of indicators: {0}")]
    Shape(String),
    /// Written for another version of the format.
    #[error("format version {found}, this app reads {FORMAT_VERSION}")]
    Version {
        /// The version found.
        found: u32,
    },
    /// Two indicators share an id.
    #[error("indicator id {0} is used twice")]
    DuplicateId(String),
    /// An id or a label is empty.
    #[error("an indicator has no id or no label")]
    Unnamed,
    /// A "dont" line names no earlier indicator.
    #[error("indicator {0} is part of an indicator not defined before it")]
    UnknownParent(String),
    /// An event names no stage or no exit kind.
    #[error("indicator {0} counts an event of no stage or exit")]
    EmptyEvent(String),
}

impl IndicatorSet {
    /// Reads and checks a set of definitions.
    pub fn parse(json: &str) -> Result<IndicatorSet, DefinitionError> {
        let set = IndicatorSet::read(json)?;
        set.check()?;
        Ok(set)
    }

    /// Reads a team's own definitions, checked once [`extended`](Self::extended) onto
    /// the set they add to (their "dont" lines may name its indicators).
    pub fn read(json: &str) -> Result<IndicatorSet, DefinitionError> {
        let set: IndicatorSet =
            serde_json::from_str(json).map_err(|e| DefinitionError::Shape(e.to_string()))?;
        if set.format != FORMAT_VERSION {
            return Err(DefinitionError::Version { found: set.format });
        }
        Ok(set)
    }

    /// This set followed by a team's own indicators (checked together: ids stay
    /// unique, and a team's "dont" line may be part of a default indicator).
    pub fn extended(mut self, team: IndicatorSet) -> Result<IndicatorSet, DefinitionError> {
        self.indicators.extend(team.indicators);
        self.check()?;
        Ok(self)
    }

    fn check(&self) -> Result<(), DefinitionError> {
        let mut seen = std::collections::BTreeSet::new();
        for i in &self.indicators {
            if i.id.trim().is_empty() || i.label.trim().is_empty() {
                return Err(DefinitionError::Unnamed);
            }
            if let Some(parent) = &i.part_of
                && !seen.contains(parent.as_str())
            {
                return Err(DefinitionError::UnknownParent(i.id.clone()));
            }
            if !seen.insert(i.id.as_str()) {
                return Err(DefinitionError::DuplicateId(i.id.clone()));
            }
            let empty = match &i.event {
                Event::Stage { stages } => stages.is_empty(),
                Event::Exit { exits } => exits.is_empty(),
                Event::Repere | Event::Met => false,
            };
            if empty {
                return Err(DefinitionError::EmptyEvent(i.id.clone()));
            }
        }
        Ok(())
    }
}

impl Population {
    /// Whether it admits anyone (every list empty).
    pub fn is_everyone(&self) -> bool {
        self.categories.is_empty() && self.age_bands.is_empty() && self.territory.is_empty()
    }

    /// Whether a person with these attributes belongs. `age_band` is the one recorded or
    /// computed by the caller.
    pub fn admits(
        &self,
        categories: &[PublicCategory],
        age_band: Option<AgeBand>,
        flags: &[TerritoryFlag],
    ) -> bool {
        (self.categories.is_empty() || self.categories.iter().any(|c| categories.contains(c)))
            && (self.age_bands.is_empty()
                || age_band.is_some_and(|band| self.age_bands.contains(&band)))
            && (self.territory.is_empty() || self.territory.iter().any(|t| flags.contains(t)))
    }
}

/// The age band of a person born in `birth_year`, on a day of `year`.
pub fn band_of(birth_year: i32, year: i32) -> AgeBand {
    match year - birth_year {
        ..=15 => AgeBand::Under16,
        16..=17 => AgeBand::From16To17,
        18..=25 => AgeBand::From18To25,
        26..=29 => AgeBand::From26To29,
        30..=49 => AgeBand::From30To49,
        _ => AgeBand::From50,
    }
}

/// One cell of the funder's table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "cell", content = "value", rename_all = "snake_case")]
pub enum Cell {
    /// A count.
    Count(u64),
    /// A count from 1 to 4, hidden in the funder's mode.
    Suppressed,
}

impl Cell {
    /// The cell for `n`, hidden when `funder` and `n` is small but not zero.
    pub fn of(n: u64, funder: bool) -> Cell {
        if funder && n > 0 && n < SMALL_CELL {
            Cell::Suppressed
        } else {
            Cell::Count(n)
        }
    }
}

/// One indicator's line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunderRow {
    /// The indicator's id.
    pub id: String,
    /// Its label.
    pub label: String,
    /// The indicator it is a part of (a "dont" line), by id.
    pub part_of: Option<String>,
    /// Its count in each column.
    pub cells: Vec<Cell>,
    /// Its count over the whole period (a person counted in two columns counts once).
    pub total: Cell,
}

/// The funder's table of a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunderTable {
    /// The definitions' name.
    pub name: String,
    /// The period.
    pub period: Period,
    /// Its parts, one column each: quarters of a year, months of a quarter, none else.
    pub columns: Vec<Period>,
    /// One line per indicator.
    pub rows: Vec<FunderRow>,
    /// Whether small counts are hidden.
    pub funder_mode: bool,
}

/// The default definitions: the PIC *aller-vers* indicators.
pub const DEFAULT_SET: &str = include_str!("../../../assets/indicators/pic-aller-vers.json");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_set_parses_and_covers_the_programme() {
        let set = IndicatorSet::parse(DEFAULT_SET).unwrap();
        let ids: Vec<&str> = set.indicators.iter().map(|i| i.id.as_str()).collect();
        for needed in [
            "reperes",
            "mobilises",
            "entres-parcours",
            "sorties-positives",
        ] {
            assert!(ids.contains(&needed), "{needed} in {ids:?}");
        }
        let exits = set.indicators.iter().filter_map(|i| match &i.event {
            Event::Exit { exits } => Some(exits.clone()),
            _ => None,
        });
        let kinds: std::collections::BTreeSet<ExitKind> = exits.flatten().collect();
        assert!(kinds.len() >= 5, "every kind of positive exit: {kinds:?}");
    }

    #[test]
    fn a_bad_set_is_refused_with_its_reason() {
        assert!(matches!(
            IndicatorSet::parse("{"),
            Err(DefinitionError::Shape(_))
        ));
        let v2 = r#"{"format": 2, "name": "x", "indicators": []}"#;
        assert_eq!(
            IndicatorSet::parse(v2),
            Err(DefinitionError::Version { found: 2 })
        );
        let twice = r#"{"format": 1, "name": "x", "indicators": [
            {"id": "a", "label": "A", "event": {"kind": "met"}},
            {"id": "a", "label": "B", "event": {"kind": "repere"}}]}"#;
        assert_eq!(
            IndicatorSet::parse(twice),
            Err(DefinitionError::DuplicateId("a".into()))
        );
        let empty = r#"{"format": 1, "name": "x", "indicators": [
            {"id": "a", "label": "A", "event": {"kind": "stage", "stages": []}}]}"#;
        assert_eq!(
            IndicatorSet::parse(empty),
            Err(DefinitionError::EmptyEvent("a".into()))
        );
        let unknown = r#"{"format": 1, "name": "x", "indicators": [
            {"id": "a", "label": "A", "event": {"kind": "met"}, "colour": "red"}]}"#;
        assert!(matches!(
            IndicatorSet::parse(unknown),
            Err(DefinitionError::Shape(_))
        ));
    }

    #[test]
    fn a_teams_own_indicators_follow_the_default_ones() {
        let team = IndicatorSet::parse(
            r#"{"format": 1, "name": "Équipe", "indicators": [
                {"id": "reperes-refugies", "label": "dont réfugiés",
                 "population": {"categories": ["refugie"]},
                 "event": {"kind": "repere"}, "part_of": "reperes"}]}"#,
        )
        .unwrap_err();
        // Alone, its "dont" line has no parent...
        assert_eq!(
            team,
            DefinitionError::UnknownParent("reperes-refugies".into())
        );
        let team = IndicatorSet::read(
            r#"{"format": 1, "name": "Équipe", "indicators": [
                {"id": "reperes-refugies", "label": "dont réfugiés",
                 "population": {"categories": ["refugie"]},
                 "event": {"kind": "repere"}, "part_of": "reperes"}]}"#,
        )
        .unwrap();
        // ...after the default set, it has.
        let set = IndicatorSet::parse(DEFAULT_SET)
            .unwrap()
            .extended(team.clone())
            .unwrap();
        assert_eq!(set.indicators.last().unwrap().id, "reperes-refugies");
        let again = set.clone().extended(team);
        assert_eq!(
            again,
            Err(DefinitionError::DuplicateId("reperes-refugies".into()))
        );
    }

    #[test]
    fn populations_and_small_cells() {
        let p = Population {
            categories: vec![PublicCategory::JeuneNeet],
            age_bands: vec![AgeBand::From18To25],
            territory: vec![],
        };
        assert!(p.admits(&[PublicCategory::JeuneNeet], Some(AgeBand::From18To25), &[]));
        assert!(!p.admits(&[PublicCategory::JeuneNeet], None, &[]));
        assert!(!p.admits(&[], Some(AgeBand::From18To25), &[]));
        assert!(Population::default().admits(&[], None, &[]));
        assert_eq!(band_of(2008, 2026), AgeBand::From18To25);
        assert_eq!(band_of(2010, 2026), AgeBand::From16To17);
        assert_eq!(Cell::of(3, true), Cell::Suppressed);
        assert_eq!(Cell::of(0, true), Cell::Count(0));
        assert_eq!(Cell::of(5, true), Cell::Count(5));
        assert_eq!(Cell::of(3, false), Cell::Count(3));
    }
}
