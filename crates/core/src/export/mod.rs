//! Exports: the period's records as a workbook (XLSX) or a CSV file for French Excel,
//! and the funder's table as a workbook. One code path for the app and the command line.
//!
//! The store reads the rows from its projection tables ([`Store::export_tables`]) into
//! [`Table`]s of typed [`Value`]s; [`xlsx`] and [`csv`] write them. Exports are
//! pseudonymised unless the user asks otherwise: no last names, contact means, notes or
//! *freins* (contact means only where the person agreed to be contacted, as the
//! projection keeps them). Every export is written to
//! a `.part` file renamed when complete, then recorded in the device's export journal
//! (`exports` table: what, when, by whom, how many rows); a journal that cannot be
//! written removes the file. A cell that a spreadsheet would read as a formula is
//! neutralised: written as a string in XLSX, prefixed with `'` in CSV (OWASP's rule).

pub mod csv;
#[cfg(test)]
mod tests;
pub mod xlsx;

use std::path::{Path, PathBuf};

use filrouge_model::dashboard::{Period, PeriodKind};
use filrouge_model::indicators::{Cell, FunderTable};
use filrouge_model::ipc::{ExportFormat, Exported};
use filrouge_model::{AgeBand, Channel, Day, Frein, Gender, PublicCategory, Stage};
use rusqlite::params;

use crate::store::dashboard::MET;
use crate::{CoreError, Store};

/// A cell's value, typed so that a spreadsheet gets real numbers and dates.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Text.
    Text(String),
    /// A whole number.
    Number(i64),
    /// A day.
    Day(Day),
    /// An instant, in milliseconds since the epoch (written in UTC).
    Time(i64),
    /// Nothing.
    Empty,
}

/// A column: its title and what it holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The header.
    pub title: String,
    /// What it means, for the "Définitions" sheet.
    pub definition: &'static str,
}

/// A column titled `title`.
fn col(title: impl Into<String>, definition: &'static str) -> Column {
    Column {
        title: title.into(),
        definition,
    }
}

/// A table of an export: one sheet of a workbook, or one CSV file.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Its name (the sheet's).
    pub name: &'static str,
    /// Its columns.
    pub columns: Vec<Column>,
    /// Its rows, each as long as `columns`.
    pub rows: Vec<Vec<Value>>,
}

/// What an export says about itself: the "Paramètres" sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameters {
    /// What was exported ("Rencontres et personnes", "Tableau financeur").
    pub what: String,
    /// The period.
    pub period: Period,
    /// When, in milliseconds since the epoch.
    pub at: i64,
    /// By whom (the device's worker name).
    pub by: Option<String>,
    /// Whether names, contact means, notes and needs are in it.
    pub personal: bool,
}

impl Parameters {
    /// The sheet's lines: a label and a value each.
    pub fn lines(&self) -> Vec<(&'static str, Value)> {
        vec![
            ("Contenu", Value::Text(self.what.clone())),
            ("Période", Value::Text(period_label(self.period))),
            ("Du", Value::Day(self.period.start)),
            ("Au", Value::Day(self.period.end)),
            ("Filtres", Value::Text("aucun".into())),
            ("Exporté le (UTC)", Value::Time(self.at)),
            (
                "Par",
                Value::Text(self.by.clone().unwrap_or_else(|| "non renseigné".into())),
            ),
            (
                "Version de l'application",
                Value::Text(env!("CARGO_PKG_VERSION").into()),
            ),
            (
                "Données personnelles",
                Value::Text(
                    if self.personal {
                        "incluses (noms, contacts, notes, freins)"
                    } else {
                        "non : pseudonymisé (ni nom, ni contact, ni note, ni frein)"
                    }
                    .into(),
                ),
            ),
        ]
    }
}

/// A period in French words, as the screen says it: "novembre 2026", "T4 2026".
pub fn period_label(period: Period) -> String {
    const MONTHS: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    let (y, m, _) = period.start.ymd();
    let short = csv::day;
    match period.kind {
        PeriodKind::Month => format!("{} {y}", MONTHS[(m as usize - 1) % 12]),
        PeriodKind::Quarter => format!("T{} {y}", m.div_ceil(3)),
        PeriodKind::Year => y.to_string(),
        PeriodKind::Week => format!("semaine du {}", short(period.start)),
        PeriodKind::Custom => format!("du {} au {}", short(period.start), short(period.end)),
    }
}

/// The labels of vocabulary codes kept as a list, joined for one cell.
fn labels<V: filrouge_model::Vocab>(codes: Option<String>) -> Value {
    let text = codes
        .unwrap_or_default()
        .split(',')
        .filter_map(V::from_code)
        .map(|v| v.label_fr())
        .collect::<Vec<_>>()
        .join(", ");
    text_or_empty(Some(text))
}

fn text_or_empty(text: Option<String>) -> Value {
    match text {
        Some(t) if !t.is_empty() => Value::Text(t),
        _ => Value::Empty,
    }
}

fn yes_no(flag: bool) -> Value {
    Value::Text(if flag { "oui" } else { "non" }.into())
}

fn label_of<V: filrouge_model::Vocab>(code: Option<String>) -> Value {
    match code.as_deref().and_then(V::from_code) {
        Some(v) => Value::Text(v.label_fr().into()),
        None => Value::Empty,
    }
}

impl Store {
    /// The period's rencontres, and the persons met in it, as tables; `personal` adds
    /// last names, pseudonyms given at a rencontre, notes and *freins*.
    pub fn export_tables(&self, period: Period, personal: bool) -> Result<Vec<Table>, CoreError> {
        let period = period.validate()?;
        Ok(vec![
            self.rencontres_table(period, personal)?,
            self.persons_table(period, personal)?,
        ])
    }

    fn rencontres_table(&self, period: Period, personal: bool) -> Result<Table, CoreError> {
        let (from, to) = period.bounds_ms();
        let mut columns = vec![
            col(
                "Identifiant",
                "Identifiant de la rencontre (stable, ne dit rien de la personne).",
            ),
            col(
                "Date et heure (UTC)",
                "Quand la rencontre a eu lieu, en temps universel.",
            ),
            col("Canal", "Comment les personnes ont été rencontrées."),
            col("Lieu", "Le lieu, tel que saisi."),
            col("Commune", "La commune de la rencontre."),
            col(
                "Personnes anonymes",
                "Personnes rencontrées sans être nommées.",
            ),
            col(
                "Personnes nommées",
                "Personnes suivies rencontrées (fiches liées).",
            ),
            col("Total", "Personnes anonymes et nommées."),
            col("Intervenant·e", "Qui a saisi la rencontre."),
            col(
                "Relance prévue",
                "Le jour de la relance convenue, s'il y en a une.",
            ),
            col(
                "Personnes (identifiants)",
                "Identifiants des fiches des personnes nommées.",
            ),
        ];
        if personal {
            columns.push(col(
                "Pseudonyme",
                "Le prénom ou pseudonyme donné à la rencontre.",
            ));
            columns.push(col("Note", "La note factuelle de l'intervenant·e."));
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT r.id, r.occurred_at, r.channel, r.place, r.commune, r.headcount,
                    r.person_count, r.worker, r.follow_up, r.pseudonym, r.note,
                    (SELECT group_concat(person_id, ', ') FROM rencontre_persons
                      WHERE rencontre_id = r.id)
               FROM rencontres r WHERE r.occurred_at >= ?1 AND r.occurred_at < ?2
              ORDER BY r.occurred_at, r.id",
        )?;
        let mut rows = Vec::new();
        let mut result = stmt.query(params![from, to])?;
        while let Some(r) = result.next()? {
            let (anonymous, named): (i64, i64) = (r.get(5)?, r.get(6)?);
            let mut row = vec![
                Value::Text(r.get(0)?),
                Value::Time(r.get(1)?),
                label_of::<Channel>(r.get(2)?),
                text_or_empty(r.get(3)?),
                text_or_empty(r.get(4)?),
                Value::Number(anonymous),
                Value::Number(named),
                Value::Number(anonymous + named),
                text_or_empty(r.get(7)?),
                r.get::<_, Option<String>>(8)?
                    .and_then(|d| Day::parse(&d).ok())
                    .map_or(Value::Empty, Value::Day),
                text_or_empty(r.get(11)?),
            ];
            if personal {
                row.push(text_or_empty(r.get(9)?));
                row.push(text_or_empty(r.get(10)?));
            }
            rows.push(row);
        }
        Ok(Table {
            name: "Rencontres",
            columns,
            rows,
        })
    }

    fn persons_table(&self, period: Period, personal: bool) -> Result<Table, CoreError> {
        let (from, to) = period.bounds_ms();
        let mut columns = vec![
            col(
                "Identifiant",
                "Identifiant de la fiche (stable, ne dit rien de la personne).",
            ),
            col("Pseudonyme", "Le prénom ou pseudonyme de la personne."),
            col("Année de naissance", "Si la personne l'a donnée."),
            col("Tranche d'âge", "Quand l'année n'est pas connue."),
            col("Genre", "Tel que la personne le dit."),
            col("Commune", "Où la personne vit."),
            col(
                "QPV",
                "Vit en quartier prioritaire de la politique de la ville.",
            ),
            col("ZRR", "Vit en zone de revitalisation rurale."),
            col("Outre-mer", "Vit en outre-mer."),
            col("Publics", "Les publics des programmes financeurs."),
            col("Référent·e", "Qui suit la personne."),
            col("Étape actuelle", "Où en est son parcours aujourd'hui."),
            col("Fiche créée le (UTC)", "Quand sa fiche a été créée."),
        ];
        if personal {
            columns.push(col("Nom", "Le nom de famille, si la personne l'a donné."));
            columns.push(col(
                "Freins",
                "Les freins périphériques (données sensibles).",
            ));
            columns.push(col(
                "Téléphone",
                "Seulement si la personne a accepté d'être contactée.",
            ));
            columns.push(col(
                "Réseau ou messagerie",
                "Son identifiant (« @… sur Insta ») ; seulement si la personne a accepté \
                 d'être contactée.",
            ));
        }
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT p.id, p.pseudonym, p.birth_year, p.age_band, p.gender, p.commune, p.qpv,
                    p.zrr, p.outre_mer,
                    (SELECT group_concat(code) FROM person_tags
                      WHERE person_id = p.id AND vocab = 'category'),
                    p.referent, p.stage, p.created_at, p.last_name,
                    (SELECT group_concat(code) FROM person_tags
                      WHERE person_id = p.id AND vocab = 'frein'),
                    p.phone, p.handle
               FROM personnes p WHERE p.id IN ({MET}) ORDER BY p.pseudonym, p.id"
        ))?;
        let mut rows = Vec::new();
        let mut result = stmt.query(params![from, to])?;
        while let Some(r) = result.next()? {
            let mut row = vec![
                Value::Text(r.get(0)?),
                Value::Text(r.get(1)?),
                r.get::<_, Option<i64>>(2)?
                    .map_or(Value::Empty, Value::Number),
                label_of::<AgeBand>(r.get(3)?),
                label_of::<Gender>(r.get(4)?),
                text_or_empty(r.get(5)?),
                yes_no(r.get(6)?),
                yes_no(r.get(7)?),
                yes_no(r.get(8)?),
                labels::<PublicCategory>(r.get(9)?),
                text_or_empty(r.get(10)?),
                label_of::<Stage>(r.get(11)?),
                Value::Time(r.get(12)?),
            ];
            if personal {
                row.push(text_or_empty(r.get(13)?));
                row.push(labels::<Frein>(r.get(14)?));
                row.push(text_or_empty(r.get(15)?));
                row.push(text_or_empty(r.get(16)?));
            }
            rows.push(row);
        }
        Ok(Table {
            name: "Personnes",
            columns,
            rows,
        })
    }

    /// Records an export in the device's journal.
    pub fn journal_export(
        &self,
        params: &Parameters,
        format: &str,
        rows: u64,
    ) -> Result<(), CoreError> {
        // The journal's line and the access log's entry together, or neither.
        self.conn.execute_batch("SAVEPOINT journal_export")?;
        let done = self.journal_lines(params, format, rows);
        match done {
            Ok(()) => self.conn.execute_batch("RELEASE journal_export")?,
            Err(_) => self
                .conn
                .execute_batch("ROLLBACK TO journal_export; RELEASE journal_export")?,
        }
        done
    }

    fn journal_lines(&self, params: &Parameters, format: &str, rows: u64) -> Result<(), CoreError> {
        crate::store::access::append(
            &self.conn,
            params.at,
            params.by.as_deref(),
            filrouge_model::access::AccessAction::Exporte,
            None,
            &[],
        )?;
        self.conn
            .prepare_cached(
                "INSERT INTO exports (at, who, what, format, period, rows, personal)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                params.at,
                params.by,
                params.what,
                format,
                period_label(params.period),
                i64::try_from(rows).unwrap_or(i64::MAX),
                params.personal
            ])?;
        Ok(())
    }

    /// The journal, newest first: when, by whom, what, format, period, rows, personal.
    pub fn export_journal(&self) -> Result<Vec<JournalEntry>, CoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT at, who, what, format, period, rows, personal FROM exports
              ORDER BY at DESC, rowid DESC",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(JournalEntry {
                at: r.get(0)?,
                by: r.get(1)?,
                what: r.get(2)?,
                format: r.get(3)?,
                period: r.get(4)?,
                rows: u64::try_from(r.get::<_, i64>(5)?).unwrap_or(0),
                personal: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// One line of the export journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalEntry {
    /// When, in milliseconds since the epoch.
    pub at: i64,
    /// By whom.
    pub by: Option<String>,
    /// What.
    pub what: String,
    /// The file format.
    pub format: String,
    /// The period, in words.
    pub period: String,
    /// Data rows written.
    pub rows: u64,
    /// Whether personal data was in it.
    pub personal: bool,
}

/// The funder's table as a sheet: "< 5" for a hidden count, numbers otherwise.
pub fn funder_sheet(table: &FunderTable) -> Table {
    let mut columns = vec![col(
        "Indicateur",
        "L'indicateur, tel que défini dans le fichier des indicateurs.",
    )];
    columns.extend(table.columns.iter().map(|p| {
        col(
            period_label(*p),
            "Personnes comptées sur cette partie de la période.",
        )
    }));
    columns.push(col(
        "Total",
        "Sur toute la période : une personne y est comptée une fois.",
    ));
    let cell = |c: &Cell| match c {
        Cell::Count(n) => Value::Number(i64::try_from(*n).unwrap_or(i64::MAX)),
        Cell::Suppressed => Value::Text("< 5".into()),
    };
    let rows = table
        .rows
        .iter()
        .map(|r| {
            let label = if r.part_of.is_some() {
                format!("    {}", r.label)
            } else {
                r.label.clone()
            };
            std::iter::once(Value::Text(label))
                .chain(r.cells.iter().map(cell))
                .chain(std::iter::once(cell(&r.total)))
                .collect()
        })
        .collect();
    Table {
        name: "Indicateurs",
        columns,
        rows,
    }
}

/// A file name in `dir` that does not exist yet: `stem.ext`, then `stem-2.ext`…
pub fn free_path(dir: &Path, stem: &str, extension: &str) -> PathBuf {
    let mut n = 1;
    loop {
        let name = if n == 1 {
            format!("{stem}.{extension}")
        } else {
            format!("{stem}-{n}.{extension}")
        };
        let path = dir.join(name);
        if !path.exists() {
            return path;
        }
        n += 1;
    }
}

/// Writes `tables` to `path` in `format` (through a `.part` file renamed when complete),
/// then records the export in the journal; a journal that cannot be written removes the
/// file. CSV holds the first table only.
pub fn write(
    store: &Store,
    path: &Path,
    format: ExportFormat,
    tables: &[Table],
    params: &Parameters,
) -> Result<Exported, CoreError> {
    let part = path.with_extension(format!("{}.part", format.extension()));
    let written = match format {
        ExportFormat::Xlsx => xlsx::write(&part, tables, params),
        ExportFormat::Csv => match tables.first() {
            Some(table) => csv::write(&part, table),
            None => Ok(()),
        },
    };
    if let Err(e) = written {
        let _ = std::fs::remove_file(&part);
        return Err(e);
    }
    let rows: u64 = match format {
        ExportFormat::Xlsx => tables.iter().map(|t| t.rows.len() as u64).sum(),
        ExportFormat::Csv => tables.first().map_or(0, |t| t.rows.len() as u64),
    };
    if let Err(e) = std::fs::rename(&part, path) {
        let _ = std::fs::remove_file(&part);
        return Err(e.into());
    }
    if let Err(e) = store.journal_export(params, format.extension(), rows) {
        let _ = std::fs::remove_file(path);
        return Err(e);
    }
    Ok(Exported {
        file: path.to_string_lossy().into_owned(),
        rows,
    })
}
