//! Importing the team's existing spreadsheet: which column holds which field, what a
//! dry run finds, and what an import did.
//!
//! A coordinator picks a CSV or XLSX file; the device reads its header and first rows
//! ([`ImportPreview`], with a [`ImportMapping`] suggested from the headers' names), the
//! coordinator corrects the mapping, a dry run lists every row that would be refused
//! and why ([`ImportProblem`]), and the import writes every row or none. Rows already
//! imported (same kind, same values) are recognised and not created again.

use serde::{Deserialize, Serialize};

use crate::error::ValidationError;
use crate::views::fold_name;

/// What the rows of a file are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    /// One person per row.
    Personnes,
    /// One rencontre per row.
    Rencontres,
}

/// A field a column can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportField {
    /// A person's pseudonym or first name (required for persons); the pseudonym given
    /// at a rencontre.
    Pseudonym,
    /// A person's last name.
    LastName,
    /// A person's birth year.
    BirthYear,
    /// A person's age band (its label or code).
    AgeBand,
    /// A person's gender (its label or code).
    Gender,
    /// The commune.
    Commune,
    /// Lives in a QPV (oui / non).
    Qpv,
    /// Lives in a ZRR (oui / non).
    Zrr,
    /// Lives overseas (oui / non).
    OutreMer,
    /// Public categories, separated by commas or semicolons.
    Categories,
    /// The référent (persons) or the worker who recorded it (rencontres).
    Referent,
    /// A person's current stage.
    Stage,
    /// When a rencontre happened (a day, or a day and a time; required).
    Date,
    /// A rencontre's channel (its label or code).
    Channel,
    /// A rencontre's place.
    Place,
    /// How many people were met anonymously.
    Headcount,
    /// A rencontre's note.
    Note,
}

impl ImportField {
    /// The fields a kind of row can have, in the order the mapping screen lists them.
    pub fn of(kind: ImportKind) -> &'static [ImportField] {
        use ImportField::*;
        match kind {
            ImportKind::Personnes => &[
                Pseudonym, LastName, BirthYear, AgeBand, Gender, Commune, Qpv, Zrr, OutreMer,
                Categories, Referent, Stage,
            ],
            ImportKind::Rencontres => &[
                Date, Channel, Place, Commune, Headcount, Pseudonym, Referent, Note,
            ],
        }
    }

    /// The field's name in French, as a spreadsheet's header would say it.
    pub fn label_fr(self) -> &'static str {
        match self {
            ImportField::Pseudonym => "Pseudonyme",
            ImportField::LastName => "Nom",
            ImportField::BirthYear => "Année de naissance",
            ImportField::AgeBand => "Tranche d'âge",
            ImportField::Gender => "Genre",
            ImportField::Commune => "Commune",
            ImportField::Qpv => "QPV",
            ImportField::Zrr => "ZRR",
            ImportField::OutreMer => "Outre-mer",
            ImportField::Categories => "Publics",
            ImportField::Referent => "Référent·e / intervenant·e",
            ImportField::Stage => "Étape",
            ImportField::Date => "Date",
            ImportField::Channel => "Canal",
            ImportField::Place => "Lieu",
            ImportField::Headcount => "Personnes anonymes",
            ImportField::Note => "Note",
        }
    }

    /// The field's name in English.
    pub fn label_en(self) -> &'static str {
        match self {
            ImportField::Pseudonym => "Pseudonym",
            ImportField::LastName => "Last name",
            ImportField::BirthYear => "Birth year",
            ImportField::AgeBand => "Age band",
            ImportField::Gender => "Gender",
            ImportField::Commune => "Commune",
            ImportField::Qpv => "QPV",
            ImportField::Zrr => "ZRR",
            ImportField::OutreMer => "Overseas",
            ImportField::Categories => "Publics",
            ImportField::Referent => "Key worker / worker",
            ImportField::Stage => "Stage",
            ImportField::Date => "Date",
            ImportField::Channel => "Channel",
            ImportField::Place => "Place",
            ImportField::Headcount => "Anonymous people",
            ImportField::Note => "Note",
        }
    }

    /// Header words that name this field (folded: lowercase, no accents).
    fn aliases(self) -> &'static [&'static str] {
        match self {
            ImportField::Pseudonym => &["pseudonyme", "pseudo", "prenom", "prenom ou pseudonyme"],
            ImportField::LastName => &["nom", "nom de famille"],
            ImportField::BirthYear => &["annee de naissance", "naissance", "annee"],
            ImportField::AgeBand => &["tranche d'age", "age", "tranche"],
            ImportField::Gender => &["genre", "sexe"],
            ImportField::Commune => &["commune", "ville"],
            ImportField::Qpv => &["qpv", "quartier prioritaire"],
            ImportField::Zrr => &["zrr"],
            ImportField::OutreMer => &["outre-mer", "outre mer", "dom"],
            ImportField::Categories => &["publics", "public", "categories", "categorie"],
            ImportField::Referent => &[
                "referent",
                "referente",
                "referent·e",
                "intervenant",
                "intervenante",
                "intervenant·e",
            ],
            ImportField::Stage => &["etape", "etape actuelle", "statut"],
            ImportField::Date => &["date", "date et heure", "date et heure (utc)", "jour"],
            ImportField::Channel => &["canal", "mode"],
            ImportField::Place => &["lieu", "endroit"],
            ImportField::Headcount => &["personnes anonymes", "anonymes", "effectif", "nombre"],
            ImportField::Note => &["note", "notes", "commentaire", "observations"],
        }
    }
}

/// Which column (0-based) fills which field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportMapping {
    /// What the rows are.
    pub kind: ImportKind,
    /// The column of each mapped field.
    pub columns: Vec<(ImportField, usize)>,
}

impl ImportMapping {
    /// A mapping guessed from the headers' names: each field of `kind` takes the first
    /// column whose folded header is one of its names.
    pub fn suggest(kind: ImportKind, headers: &[String]) -> ImportMapping {
        let folded: Vec<String> = headers.iter().map(|h| fold_name(h)).collect();
        let columns = ImportField::of(kind)
            .iter()
            .filter_map(|f| {
                folded
                    .iter()
                    .position(|h| f.aliases().contains(&h.as_str()))
                    .map(|i| (*f, i))
            })
            .collect();
        ImportMapping { kind, columns }
    }

    /// The column mapped to `field`, if any.
    pub fn column(&self, field: ImportField) -> Option<usize> {
        self.columns
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, c)| *c)
    }
}

/// A file's first lines, to map its columns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportPreview {
    /// The header row.
    pub headers: Vec<String>,
    /// The first data rows.
    pub sample: Vec<Vec<String>>,
    /// How many data rows the file has.
    pub rows: u64,
    /// The mapping guessed for each kind of row.
    pub suggested: Vec<ImportMapping>,
}

/// Why a row cannot be imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "issue", rename_all = "snake_case")]
pub enum ImportIssue {
    /// The record the row makes breaks a rule of the model.
    Invalid {
        /// The model's error.
        error: ValidationError,
    },
    /// A value that is not one of its vocabulary's (a channel, a stage…).
    UnknownValue {
        /// The value as written.
        value: String,
    },
    /// A date that is neither `dd/mm/yyyy` (with a time or not) nor `yyyy-mm-dd`.
    BadDate {
        /// The value as written.
        value: String,
    },
    /// A number that is not a whole number.
    BadNumber {
        /// The value as written.
        value: String,
    },
    /// A yes-or-no cell that is neither.
    BadFlag {
        /// The value as written.
        value: String,
    },
}

/// A refused row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportProblem {
    /// Its line in the spreadsheet (the header is line 1).
    pub line: u64,
    /// The column's header, when one column is the cause.
    pub column: Option<String>,
    /// What is wrong.
    pub issue: ImportIssue,
}

/// What a dry run found, or an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    /// Data rows read.
    pub rows: u64,
    /// Records created (none in a dry run, none when a row is refused).
    pub created: u64,
    /// Rows imported before (same kind, same values), left as they are.
    pub already: u64,
    /// Rows that cannot be imported: while there is one, nothing is.
    pub refused: Vec<ImportProblem>,
    /// Whether anything was written.
    pub written: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mapping_is_guessed_from_french_headers() {
        let headers: Vec<String> = [
            "Date",
            "Canal",
            "Lieu",
            "Nombre",
            "Intervenante",
            "Remarque",
        ]
        .map(String::from)
        .to_vec();
        let m = ImportMapping::suggest(ImportKind::Rencontres, &headers);
        assert_eq!(m.column(ImportField::Date), Some(0));
        assert_eq!(m.column(ImportField::Channel), Some(1));
        assert_eq!(m.column(ImportField::Headcount), Some(3));
        assert_eq!(m.column(ImportField::Referent), Some(4));
        assert_eq!(m.column(ImportField::Note), None);
        let headers: Vec<String> = [
            "Prénom",
            "NOM",
            "Année de naissance",
            "Quartier prioritaire",
        ]
        .map(String::from)
        .to_vec();
        let m = ImportMapping::suggest(ImportKind::Personnes, &headers);
        assert_eq!(m.column(ImportField::Pseudonym), Some(0));
        assert_eq!(m.column(ImportField::LastName), Some(1));
        assert_eq!(m.column(ImportField::BirthYear), Some(2));
        assert_eq!(m.column(ImportField::Qpv), Some(3));
    }
}
