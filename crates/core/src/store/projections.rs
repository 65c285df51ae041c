//! Projection: from a document's merged JSON to the plain rows every query reads.
//!
//! [`project`] is the only writer of the projection tables. It is called in the same
//! transaction as the document write (local edit, pulled change, rebuild), removes the
//! record's old rows and writes the new ones, so a rebuild from the documents gives the
//! same tables as incremental updates. A deleted record has no rows at all.
//!
//! Rows that name a person keep the person they were recorded for (`recorded_person`)
//! and the person they are shown under (`person_id`, the survivor when the person was
//! merged away: see [`crate::store::merges`]).

use filrouge_model::records::RecordKind;
use filrouge_model::{
    ConsentScope, EtapeDraft, EventDraft, MergeDraft, NotDuplicateDraft, NoticeDraft,
    OrientationDraft, PartnerDraft, PersonDraft, RegistrationDraft, RelanceDraft, RencontreDraft,
};
use std::collections::BTreeSet;

use rusqlite::{Connection, OptionalExtension, params};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value as Json};

use crate::CoreError;
use crate::store::merges::{self, Standing, shown_as};

/// What the store knows about a document beside its fields.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Meta {
    pub deleted: bool,
    pub updated_at: i64,
}

/// A record's fields in the type its projection is written from. Parsed from the merged
/// JSON without the database ([`Row::parse`]), so a rebuild parses on decoder threads.
pub(crate) enum Row {
    Rencontre(RencontreDraft),
    Personne(PersonDraft),
    Etape(EtapeDraft),
    Orientation(OrientationDraft),
    Relance(RelanceDraft),
    Evenement(EventDraft),
    Inscription(RegistrationDraft),
    Partenaire(PartnerDraft),
    NonDoublon(NotDuplicateDraft),
    Fusion(MergeDraft),
    Notice(NoticeDraft),
}

impl Row {
    /// The typed fields, or `None` when they do not parse yet: a document whose history
    /// has only partly arrived has no rows until the rest comes (the pending changes are
    /// kept by the sync layer).
    pub(crate) fn parse(kind: RecordKind, json: Map<String, Json>) -> Option<Row> {
        Some(match kind {
            RecordKind::Rencontre => {
                let r = parse::<RencontreDraft>(json)?;
                r.occurred_at?;
                Row::Rencontre(r)
            }
            RecordKind::Personne => Row::Personne(parse(json)?),
            RecordKind::Etape => Row::Etape(parse(json)?),
            RecordKind::Orientation => Row::Orientation(parse(json)?),
            RecordKind::Relance => Row::Relance(parse(json)?),
            RecordKind::Evenement => Row::Evenement(parse(json)?),
            RecordKind::Inscription => Row::Inscription(parse(json)?),
            RecordKind::Partenaire => Row::Partenaire(parse(json)?),
            RecordKind::NonDoublon => Row::NonDoublon(parse(json)?),
            RecordKind::Fusion => Row::Fusion(parse(json)?),
            RecordKind::Notice => Row::Notice(parse(json)?),
        })
    }
}

/// Writes the projection rows of record `id`. With `replace`, its old rows go first (a
/// rebuild, starting from empty tables, passes `false`). `row` is `None` for a deleted
/// record or one whose fields do not parse yet. Conflicts are the caller's: they are
/// removed here and written after. Returns whether the record is a merge or a merged
/// person, whose merges then need settling ([`merges::settle`]).
pub(crate) fn project(
    tx: &Connection,
    kind: RecordKind,
    id: &str,
    row: Option<&Row>,
    meta: Meta,
    replace: bool,
) -> Result<bool, CoreError> {
    // Only when it changes: rewriting a row that holds the document's bytes is not free.
    tx.prepare_cached("UPDATE documents SET deleted = ?2 WHERE id = ?1 AND deleted != ?2")?
        .execute(params![id, meta.deleted])?;
    // A person still shown is updated in place (see `personne`); the rest is rewritten.
    let in_place = replace && matches!(row, Some(Row::Personne(_))) && !meta.deleted;
    if in_place {
        tx.prepare_cached("DELETE FROM conflicts WHERE doc_id = ?1")?
            .execute([id])?;
    } else if replace {
        unproject(tx, kind, id)?;
    }
    let Some(row) = row.filter(|_| !meta.deleted) else {
        // A merge undone by deletion, or a merged person deleted, moves persons too.
        return Ok(match kind {
            RecordKind::Fusion => true,
            RecordKind::Personne => merges::standing(tx, id)? != Standing::Alone,
            _ => false,
        });
    };
    match row {
        Row::Rencontre(r) => rencontre(tx, id, r, meta)?,
        Row::Personne(p) => return personne(tx, id, p, meta),
        Row::Etape(e) => {
            tx.prepare_cached(
                "INSERT INTO etapes (id, person_id, stage, date, note, exit_kind, recorded_person)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                id,
                shown_as(tx, e.person_id.as_str())?,
                e.stage.code(),
                e.date.to_string(),
                e.note,
                e.exit.map(|x| x.code()),
                e.person_id.as_str(),
            ])?;
        }
        Row::Orientation(o) => {
            tx.prepare_cached("INSERT INTO orientations (id, person_id, partner_id, partner_name, reason, status, outcome, date, recorded_person)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")?.execute(params![id, shown_as(tx, o.person_id.as_str())?, o.partner_id.as_deref(), o.partner_name, o.reason, o.status.code(), o.outcome, o.date.to_string(), o.person_id.as_str()],
            )?;
        }
        Row::Relance(r) => {
            tx.prepare_cached(
                "INSERT INTO relances (id, person_id, rencontre_id, referent, due, reason, status,
                                       recorded_person)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                id,
                r.person_id
                    .as_deref()
                    .map(|p| shown_as(tx, p))
                    .transpose()?,
                r.rencontre_id.as_deref(),
                r.referent,
                r.due.to_string(),
                r.reason,
                r.status.code(),
                r.person_id.as_deref(),
            ])?;
        }
        Row::Evenement(e) => {
            tx.prepare_cached(
                "INSERT INTO evenements (id, name, kind, date, place) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![
                id,
                e.name,
                e.kind.code(),
                e.date.to_string(),
                e.place
            ])?;
        }
        Row::Inscription(i) => {
            tx.prepare_cached("INSERT INTO inscriptions (id, event_id, name, age_band, minor, person_id, checked_in_at, recorded_person)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")?.execute(params![id, i.event_id.as_str(), i.first_name_or_pseudonym, i.age_band.map(|a| a.code()), i.minor, i.person_id.as_deref().map(|p| shown_as(tx, p)).transpose()?, i.checked_in_at, i.person_id.as_deref()],
            )?;
        }
        Row::Partenaire(p) => {
            tx.prepare_cached("INSERT INTO partenaires (id, name, kind, contact, commune) VALUES (?1, ?2, ?3, ?4, ?5)")?.execute(params![id, p.name, p.kind.code(), p.contact, p.commune],
            )?;
        }
        Row::NonDoublon(n) => {
            tx.prepare_cached("INSERT INTO non_doublons (id, a, b) VALUES (?1, ?2, ?3)")?
                .execute(params![id, n.a.as_str(), n.b.as_str()])?;
        }
        Row::Fusion(m) => {
            merges::project_merge(tx, id, m, created_at(id).unwrap_or(meta.updated_at))?;
            return Ok(true);
        }
        Row::Notice(n) => {
            tx.prepare_cached(
                "INSERT INTO notices (id, holder, dpo_contact, words_fr, words_en, version,
                                      updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                id,
                n.holder,
                n.dpo_contact,
                n.words_fr,
                n.words_en,
                n.version,
                meta.updated_at
            ])?;
        }
    }
    Ok(false)
}

fn parse<T: DeserializeOwned>(json: Map<String, Json>) -> Option<T> {
    match serde_json::from_value(Json::Object(json)) {
        Ok(v) => Some(v),
        Err(e) => {
            // Field names only: the error text never carries values.
            tracing::debug!(error = %e, "record not projected yet");
            None
        }
    }
}

fn rencontre(tx: &Connection, id: &str, r: &RencontreDraft, meta: Meta) -> Result<(), CoreError> {
    let at = r.occurred_at.unwrap_or(0);
    tx.prepare_cached(
        "INSERT INTO rencontres
         (id, channel, place, occurred_at, headcount, pseudonym, note, updated_at, commune,
          follow_up, person_count, worker)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        id,
        r.channel.code(),
        r.place,
        at,
        r.headcount,
        r.pseudonym,
        r.note,
        meta.updated_at,
        r.commune,
        r.relance_due.map(|d| d.to_string()),
        r.persons.len() as i64,
        r.worker,
    ])?;
    let mut link = tx.prepare_cached(
        "INSERT OR IGNORE INTO rencontre_persons (rencontre_id, recorded_person, person_id, occurred_at)
         VALUES (?1, ?2, ?3, ?4)",
    )?;
    for person in &r.persons {
        link.execute(params![
            id,
            person.as_str(),
            shown_as(tx, person.as_str())?,
            at
        ])?;
    }
    Ok(())
}

/// A person's rows. An existing row is updated in place, and its search entry and tags
/// are rewritten only where they changed: an edit of the stage then dirties a page or
/// two instead of a new full-text segment and every tag (the edit path's p99 at 100,000
/// records came from those writes).
///
/// A person merged away has no rows (it is shown as its survivor); a survivor is written
/// as [`merges::as_shown`] shows it. Returns whether the person is in a merge.
fn personne(tx: &Connection, id: &str, p: &PersonDraft, meta: Meta) -> Result<bool, CoreError> {
    let shown;
    let standing = merges::standing(tx, id)?;
    let p = match standing {
        Standing::Alone => p,
        Standing::Absorbed => {
            unproject_person(tx, id)?;
            merges::note_absorbed(tx, id, p)?;
            return Ok(true);
        }
        Standing::Survivor => {
            shown = merges::as_shown(tx, id, p)?;
            &shown
        }
    };
    let names = [Some(p.pseudonym.as_str()), p.last_name.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    // Merged edits may leave a phone beside a consent withdrawn on another device: the
    // consent wins, as it does on the person's screen.
    let contact = p.contact.as_ref().filter(|_| {
        p.consent
            .as_ref()
            .is_some_and(|c| c.covers(ConsentScope::Contact))
    });
    let existing: Option<(i64, String, Option<String>)> = tx
        .prepare_cached("SELECT rowid, pseudonym, last_name FROM personnes WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let values = params![
        id,
        p.pseudonym,
        p.last_name,
        p.territory.commune,
        p.referent,
        p.stage.map(|s| s.code()),
        meta.updated_at,
        p.birth_year,
        p.age_band.map(|a| a.code()),
        p.gender.map(|g| g.code()),
        p.territory.qpv,
        p.territory.zrr,
        p.territory.outre_mer,
        created_at(id).unwrap_or(meta.updated_at),
        contact.and_then(|c| c.phone.as_deref()),
        contact.and_then(|c| c.handle.as_deref()),
        p.retention_hold.is_some(),
    ];
    // A person with no row yet has no tags and no keys either (`unproject_person` drops
    // all three): nothing to read back. In a rebuild this matters most, since the
    // indexes that find a person's keys are dropped until the end, and reading them
    // would scan the whole table once per person.
    let first = existing.is_none();
    let (rowid, names_changed) = match existing {
        Some((rowid, pseudonym, last_name)) => {
            // A UUIDv7 id carries its creation time, which never changes: leaving
            // `created_at` out of the SET leaves its index alone, one page less written
            // (and, in the encrypted store, encrypted) per edit. Other ids (tests'
            // counters) date from the last change, as a rebuild dates them.
            let sql = if created_at(id).is_some() {
                "UPDATE personnes SET pseudonym = ?2, last_name = ?3, commune = ?4,
                        referent = ?5, stage = ?6, updated_at = ?7, birth_year = ?8,
                        age_band = ?9, gender = ?10, qpv = ?11, zrr = ?12, outre_mer = ?13,
                        phone = ?15, handle = ?16, held = ?17
                  WHERE id = ?1"
            } else {
                "UPDATE personnes SET pseudonym = ?2, last_name = ?3, commune = ?4,
                        referent = ?5, stage = ?6, updated_at = ?7, birth_year = ?8,
                        age_band = ?9, gender = ?10, qpv = ?11, zrr = ?12, outre_mer = ?13,
                        created_at = ?14, phone = ?15, handle = ?16, held = ?17
                  WHERE id = ?1"
            };
            tx.prepare_cached(sql)?.execute(values)?;
            let changed = pseudonym != p.pseudonym || last_name != p.last_name;
            if changed {
                tx.prepare_cached("DELETE FROM personnes_fts WHERE rowid = ?1")?
                    .execute([rowid])?;
            }
            (rowid, changed)
        }
        None => {
            tx.prepare_cached(
                "INSERT INTO personnes (id, pseudonym, last_name, commune, referent, stage,
                                        updated_at, birth_year, age_band, gender, qpv, zrr,
                                        outre_mer, created_at, phone, handle, held)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,
                         ?16, ?17)",
            )?
            .execute(values)?;
            (tx.last_insert_rowid(), true)
        }
    };
    if names_changed {
        // A survivor is found by the names of the records merged into it too ("Momo").
        let names = if standing == Standing::Survivor {
            merges::absorbed_names(tx, id)?
                .into_iter()
                .fold(names, |all, n| format!("{all} {n}"))
        } else {
            names
        };
        tx.prepare_cached("INSERT INTO personnes_fts (rowid, names) VALUES (?1, ?2)")?
            .execute(params![rowid, names])?;
    }
    let wanted: BTreeSet<(&str, &str)> = p
        .categories
        .iter()
        .map(|c| ("category", c.code()))
        .chain(p.freins.iter().map(|f| ("frein", f.code())))
        .collect();
    let have: BTreeSet<(String, String)> = if first {
        BTreeSet::new()
    } else {
        let mut stmt =
            tx.prepare_cached("SELECT vocab, code FROM person_tags WHERE person_id = ?1")?;
        let rows = stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    let mut drop_tag = tx.prepare_cached(
        "DELETE FROM person_tags WHERE person_id = ?1 AND vocab = ?2 AND code = ?3",
    )?;
    for (vocab, code) in &have {
        if !wanted.contains(&(vocab.as_str(), code.as_str())) {
            drop_tag.execute(params![id, vocab, code])?;
        }
    }
    let mut add_tag = tx.prepare_cached(
        "INSERT OR IGNORE INTO person_tags (person_id, vocab, code) VALUES (?1, ?2, ?3)",
    )?;
    for (vocab, code) in wanted {
        if !have.contains(&(vocab.to_owned(), code.to_owned())) {
            add_tag.execute(params![id, vocab, code])?;
        }
    }
    crate::store::duplicates::project_keys(tx, id, p, contact, first)?;
    Ok(standing == Standing::Survivor)
}

/// When a record was made, from its id: ids are UUIDv7, which begin with their creation
/// time in milliseconds. `None` for an id of another version.
fn created_at(id: &str) -> Option<i64> {
    let (secs, nanos) = uuid::Uuid::parse_str(id).ok()?.get_timestamp()?.to_unix();
    i64::try_from(secs)
        .ok()?
        .checked_mul(1000)?
        .checked_add(i64::from(nanos / 1_000_000))
}

/// Removes every projection row of record `id`.
pub(crate) fn unproject(tx: &Connection, kind: RecordKind, id: &str) -> Result<(), CoreError> {
    match kind {
        RecordKind::Rencontre => {
            tx.prepare_cached("DELETE FROM rencontres WHERE id = ?1")?
                .execute([id])?;
            tx.prepare_cached("DELETE FROM rencontre_persons WHERE rencontre_id = ?1")?
                .execute([id])?;
        }
        RecordKind::Personne => unproject_person(tx, id)?,
        RecordKind::Etape => {
            tx.prepare_cached("DELETE FROM etapes WHERE id = ?1")?
                .execute([id])?;
        }
        RecordKind::Orientation => {
            tx.prepare_cached("DELETE FROM orientations WHERE id = ?1")?
                .execute([id])?;
        }
        RecordKind::Relance => {
            tx.prepare_cached("DELETE FROM relances WHERE id = ?1")?
                .execute([id])?;
        }
        RecordKind::Evenement => {
            tx.prepare_cached("DELETE FROM evenements WHERE id = ?1")?
                .execute([id])?;
        }
        RecordKind::Inscription => {
            tx.prepare_cached("DELETE FROM inscriptions WHERE id = ?1")?
                .execute([id])?;
        }
        RecordKind::Partenaire => {
            tx.prepare_cached("DELETE FROM partenaires WHERE id = ?1")?
                .execute([id])?;
        }
        RecordKind::NonDoublon => {
            tx.prepare_cached("DELETE FROM non_doublons WHERE id = ?1")?
                .execute([id])?;
        }
        RecordKind::Fusion => {
            tx.prepare_cached("DELETE FROM fusions WHERE id = ?1")?
                .execute([id])?;
        }
        RecordKind::Notice => {
            tx.prepare_cached("DELETE FROM notices WHERE id = ?1")?
                .execute([id])?;
        }
    }
    tx.prepare_cached("DELETE FROM conflicts WHERE doc_id = ?1")?
        .execute([id])?;
    Ok(())
}

/// Removes a person's own rows (its search entry, tags and lookup keys with it).
fn unproject_person(tx: &Connection, id: &str) -> Result<(), CoreError> {
    let rowid: Option<i64> = tx
        .prepare_cached("SELECT rowid FROM personnes WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    if let Some(rowid) = rowid {
        tx.prepare_cached("DELETE FROM personnes_fts WHERE rowid = ?1")?
            .execute([rowid])?;
    }
    tx.prepare_cached("DELETE FROM personnes WHERE id = ?1")?
        .execute([id])?;
    tx.prepare_cached("DELETE FROM person_tags WHERE person_id = ?1")?
        .execute([id])?;
    tx.prepare_cached("DELETE FROM person_keys WHERE person_id = ?1")?
        .execute([id])?;
    Ok(())
}
