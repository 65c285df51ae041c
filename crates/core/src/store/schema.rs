//! Opening the device's SQLite file: durability pragmas and append-only migrations.
//!
//! [`open`] sets WAL mode with `synchronous=FULL` (an acknowledged contact survives a
//! power cut) and `secure_delete=ON` (erased bytes are overwritten, not left in free
//! pages), then applies every migration the file has not seen yet, each in its own
//! transaction. Migrations are only ever appended to [`MIGRATIONS`]; the file's version
//! is `PRAGMA user_version`.

use std::path::Path;

use rusqlite::Connection;

use crate::CoreError;
use crate::vault::DataKey;

/// Schema migrations, in order. Never edit or remove one: append a new one.
const MIGRATIONS: &[&str] = &[
    // 1: documents as snapshot + appended chunks, the outbox, sync state, rencontres.
    r#"
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) STRICT;

    -- One Automerge document per record. `snapshot` is a full save; `doc_chunks` holds
    -- the incremental saves appended after it, compacted into a new snapshot now and then.
    CREATE TABLE documents (
        id          TEXT PRIMARY KEY,
        kind        TEXT NOT NULL,
        snapshot    BLOB NOT NULL,
        chunk_count INTEGER NOT NULL DEFAULT 0,
        heads       TEXT NOT NULL
    ) STRICT;

    CREATE TABLE doc_chunks (
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        n      INTEGER NOT NULL,
        data   BLOB NOT NULL,
        PRIMARY KEY (doc_id, n)
    ) STRICT;

    -- Local changes the server has not acknowledged yet, in the order they were made.
    CREATE TABLE outbox (
        n      INTEGER PRIMARY KEY AUTOINCREMENT,
        hash   TEXT NOT NULL UNIQUE,
        doc_id TEXT NOT NULL,
        kind   TEXT NOT NULL,
        data   BLOB NOT NULL
    ) STRICT;

    -- Pulled changes that could not be applied yet (missing dependencies, or their
    -- document is quarantined). Kept so nothing pulled is ever lost.
    CREATE TABLE pending_changes (
        hash   TEXT PRIMARY KEY,
        doc_id TEXT NOT NULL,
        kind   TEXT NOT NULL,
        data   BLOB NOT NULL
    ) STRICT;

    -- Documents that failed to load, set aside so the rest of the store keeps working.
    CREATE TABLE quarantine (
        doc_id TEXT PRIMARY KEY,
        reason TEXT NOT NULL,
        at     INTEGER NOT NULL
    ) STRICT;

    -- Projection: one row per rencontre, rebuilt from its document on every change.
    CREATE TABLE rencontres (
        id          TEXT PRIMARY KEY,
        channel     TEXT NOT NULL,
        place       TEXT NOT NULL,
        occurred_at INTEGER NOT NULL,
        headcount   INTEGER NOT NULL,
        pseudonym   TEXT,
        note        TEXT NOT NULL,
        updated_at  INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX rencontres_by_time ON rencontres (occurred_at DESC);
    "#,
    // 2: every record kind of the outreach work, person search, deletion.
    r#"
    -- Rencontres gain the fields of the full model; the list columns stay as they were.
    ALTER TABLE rencontres ADD COLUMN commune TEXT;
    ALTER TABLE rencontres ADD COLUMN follow_up TEXT;
    CREATE INDEX rencontres_by_channel ON rencontres (channel, occurred_at);
    CREATE INDEX rencontres_by_commune ON rencontres (commune, occurred_at);

    CREATE TABLE rencontre_persons (
        rencontre_id TEXT NOT NULL,
        person_id    TEXT NOT NULL,
        occurred_at  INTEGER NOT NULL,
        PRIMARY KEY (rencontre_id, person_id)
    ) STRICT;
    CREATE INDEX rencontre_persons_by_person ON rencontre_persons (person_id, occurred_at);

    -- A person; `json` is the whole record for the person's screen.
    CREATE TABLE personnes (
        id              TEXT PRIMARY KEY,
        pseudonym       TEXT NOT NULL,
        last_name       TEXT,
        commune         TEXT,
        referent        TEXT,
        stage           TEXT,

        updated_at      INTEGER NOT NULL,
        json            TEXT NOT NULL
    ) STRICT;
    CREATE INDEX personnes_by_referent ON personnes (referent, stage);

    -- Accent- and case-insensitive prefix search over names ("Éloïse" finds "elo").
    CREATE VIRTUAL TABLE personnes_fts USING fts5(
        names,
        content = '',
        contentless_delete = 1,
        tokenize = 'unicode61 remove_diacritics 2',
        prefix = '1 2 3'
    );

    -- Fixed-vocabulary tags of persons, for grouped counts.
    CREATE TABLE person_tags (
        person_id TEXT NOT NULL,
        vocab     TEXT NOT NULL,
        code      TEXT NOT NULL,
        PRIMARY KEY (person_id, vocab, code)
    ) STRICT;
    CREATE INDEX person_tags_by_code ON person_tags (vocab, code);

    CREATE TABLE etapes (
        id        TEXT PRIMARY KEY,
        person_id TEXT NOT NULL,
        stage     TEXT NOT NULL,
        date      TEXT NOT NULL,
        note      TEXT
    ) STRICT;
    CREATE INDEX etapes_by_person ON etapes (person_id, date);
    CREATE INDEX etapes_by_date ON etapes (date, stage);

    CREATE TABLE orientations (
        id           TEXT PRIMARY KEY,
        person_id    TEXT NOT NULL,
        partner_id   TEXT,
        partner_name TEXT,
        reason       TEXT NOT NULL,
        status       TEXT NOT NULL,
        outcome      TEXT,
        date         TEXT NOT NULL
    ) STRICT;
    CREATE INDEX orientations_by_person ON orientations (person_id, date);

    CREATE TABLE relances (
        id           TEXT PRIMARY KEY,
        person_id    TEXT,
        rencontre_id TEXT,
        referent     TEXT NOT NULL,
        due          TEXT NOT NULL,
        reason       TEXT NOT NULL,
        status       TEXT NOT NULL
    ) STRICT;
    CREATE INDEX relances_open_by_referent ON relances (referent, status, due);
    CREATE INDEX relances_by_person ON relances (person_id, due);

    CREATE TABLE evenements (
        id    TEXT PRIMARY KEY,
        name  TEXT NOT NULL,
        kind  TEXT NOT NULL,
        date  TEXT NOT NULL,
        place TEXT NOT NULL
    ) STRICT;
    CREATE INDEX evenements_by_date ON evenements (date);

    CREATE TABLE inscriptions (
        id            TEXT PRIMARY KEY,
        event_id      TEXT NOT NULL,
        name          TEXT NOT NULL,
        age_band      TEXT,
        minor         INTEGER NOT NULL,
        person_id     TEXT,
        checked_in_at INTEGER
    ) STRICT;
    CREATE INDEX inscriptions_by_event ON inscriptions (event_id, name);

    CREATE TABLE partenaires (
        id      TEXT PRIMARY KEY,
        name    TEXT NOT NULL,
        kind    TEXT NOT NULL,
        contact TEXT,
        commune TEXT
    ) STRICT;
    CREATE INDEX partenaires_by_name ON partenaires (name);

    -- Concurrent values of a field, for a coordinator to choose from.
    CREATE TABLE conflicts (
        doc_id TEXT NOT NULL,
        field  TEXT NOT NULL,
        json   TEXT NOT NULL,
        PRIMARY KEY (doc_id, field)
    ) STRICT;

    -- Which documents are deleted: every projection row of theirs is gone.
    ALTER TABLE documents ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
    "#,
    // 3: the outbox no longer copies change bytes (they are read from the document at
    // push time; rows from before keep theirs), and counts by period get their columns.
    r#"
    CREATE TABLE outbox_v3 (
        n      INTEGER PRIMARY KEY AUTOINCREMENT,
        hash   TEXT NOT NULL UNIQUE,
        doc_id TEXT NOT NULL,
        kind   TEXT NOT NULL,
        data   BLOB
    ) STRICT;
    INSERT INTO outbox_v3 (n, hash, doc_id, kind, data)
        SELECT n, hash, doc_id, kind, data FROM outbox;
    DROP TABLE outbox;
    ALTER TABLE outbox_v3 RENAME TO outbox;

    ALTER TABLE rencontres ADD COLUMN person_count INTEGER NOT NULL DEFAULT 0;
    UPDATE rencontres SET person_count =
        (SELECT COUNT(*) FROM rencontre_persons rp WHERE rp.rencontre_id = rencontres.id);
    CREATE INDEX rencontre_persons_by_time ON rencontre_persons (occurred_at);
    "#,
    // 4: smaller files. Tables keyed by text lose their separate rowid b-tree, heads are
    // stored as bytes, and the copy of a person's JSON goes (the edit form loads the
    // document). Runs with foreign keys off (see `open`), so dropping the old documents
    // table does not cascade to its chunks.
    r#"
    CREATE TABLE documents_v4 (
        id          TEXT PRIMARY KEY,
        kind        TEXT NOT NULL,
        snapshot    BLOB NOT NULL,
        chunk_count INTEGER NOT NULL DEFAULT 0,
        heads       BLOB NOT NULL,
        deleted     INTEGER NOT NULL DEFAULT 0
    ) STRICT, WITHOUT ROWID;
    INSERT INTO documents_v4 (id, kind, snapshot, chunk_count, heads, deleted)
        SELECT id, kind, snapshot, chunk_count, unhex(replace(heads, ',', '')), deleted
        FROM documents;
    DROP TABLE documents;
    ALTER TABLE documents_v4 RENAME TO documents;

    CREATE TABLE rencontre_persons_v4 (
        rencontre_id TEXT NOT NULL,
        person_id    TEXT NOT NULL,
        occurred_at  INTEGER NOT NULL,
        PRIMARY KEY (rencontre_id, person_id)
    ) STRICT, WITHOUT ROWID;
    INSERT INTO rencontre_persons_v4 SELECT rencontre_id, person_id, occurred_at
        FROM rencontre_persons;
    DROP TABLE rencontre_persons;
    ALTER TABLE rencontre_persons_v4 RENAME TO rencontre_persons;
    CREATE INDEX rencontre_persons_by_person ON rencontre_persons (person_id, occurred_at);
    CREATE INDEX rencontre_persons_by_time ON rencontre_persons (occurred_at);

    CREATE TABLE person_tags_v4 (
        person_id TEXT NOT NULL,
        vocab     TEXT NOT NULL,
        code      TEXT NOT NULL,
        PRIMARY KEY (person_id, vocab, code)
    ) STRICT, WITHOUT ROWID;
    INSERT INTO person_tags_v4 SELECT person_id, vocab, code FROM person_tags;
    DROP TABLE person_tags;
    ALTER TABLE person_tags_v4 RENAME TO person_tags;
    CREATE INDEX person_tags_by_code ON person_tags (vocab, code);

    ALTER TABLE personnes DROP COLUMN json;
    "#,
    // 5: a smaller outbox. Hashes as their 32 bytes instead of 64 hex characters (in the
    // table and in its unique index), and no copy of the record kind, which the push
    // reads from `documents`.
    r#"
    CREATE TABLE outbox_v5 (
        n      INTEGER PRIMARY KEY AUTOINCREMENT,
        hash   BLOB NOT NULL UNIQUE,
        doc_id TEXT NOT NULL,
        data   BLOB
    ) STRICT;
    INSERT INTO outbox_v5 (n, hash, doc_id, data)
        SELECT n, unhex(hash), doc_id, data FROM outbox;
    DROP TABLE outbox;
    ALTER TABLE outbox_v5 RENAME TO outbox;
    "#,
    // 6: erasure. The ids of records erased by a coordinator (ids are random and say
    // nothing of the person), so a late change for one is never applied again.
    r#"
    CREATE TABLE erased (
        doc_id    TEXT PRIMARY KEY,
        erased_at INTEGER NOT NULL
    ) STRICT, WITHOUT ROWID;
    "#,
    // 7: no copy of each document's heads (32 bytes a record): nothing but diagnostics
    // read them, and those load the document.
    r#"
    ALTER TABLE documents DROP COLUMN heads;
    "#,
    // 8: the log identity. Sequence numbers mean something only within one team log,
    // which the server names (its log id, new when a log is restored or replaced), so
    // the pull cursor is kept per log; `meta.log_id` names the log this device follows.
    // The single cursor of earlier versions (`meta.cursor`) is taken over by the first
    // log met, unless that log's head is below it.
    r#"
    CREATE TABLE logs (
        log_id TEXT PRIMARY KEY,
        cursor INTEGER NOT NULL
    ) STRICT, WITHOUT ROWID;
    "#,
    // 9: a period's counts read its rencontres from one index holding the columns they
    // group and sum, with no lookup of each row in the table (2.5 ms to 0.85 ms for a
    // month at 100,000 records). It serves the time order of today's list too, so the
    // index it replaces goes: one index to write per rencontre, as before.
    r#"
    DROP INDEX rencontres_by_time;
    CREATE INDEX rencontres_by_period
        ON rencontres (occurred_at, channel, commune, headcount, person_count);
    "#,
    // 10: the coordinator's figures. Persons keep what the funders count them by (age,
    // gender, territory flags) and when their record was made; rencontres keep who
    // recorded them. The columns are filled by the projection rebuild that follows
    // (`PROJECTIONS` in `store/mod.rs`).
    r#"
    ALTER TABLE personnes ADD COLUMN birth_year INTEGER;
    ALTER TABLE personnes ADD COLUMN age_band TEXT;
    ALTER TABLE personnes ADD COLUMN gender TEXT;
    ALTER TABLE personnes ADD COLUMN qpv INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE personnes ADD COLUMN zrr INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE personnes ADD COLUMN outre_mer INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE personnes ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX personnes_by_created ON personnes (created_at);
    ALTER TABLE rencontres ADD COLUMN worker TEXT;
    CREATE INDEX orientations_by_date ON orientations (date);
    "#,
    // 11: the kind of a *sortie* (emploi, formation…), which the funders' positive exits
    // are counted by.
    r#"
    ALTER TABLE etapes ADD COLUMN exit_kind TEXT;
    "#,
    // 12: the export journal: every file the device wrote with the team's records
    // (when, by whom, what, how many rows, whether personal data was in it). It stays
    // on this device.
    r#"
    CREATE TABLE exports (
        at       INTEGER NOT NULL,
        who      TEXT,
        what     TEXT NOT NULL,
        format   TEXT NOT NULL,
        period   TEXT NOT NULL,
        rows     INTEGER NOT NULL,
        personal INTEGER NOT NULL
    ) STRICT;
    "#,
    // 13: rows imported from a spreadsheet, by the SHA-256 of their kind and the draft
    // they made, so that importing the same file again creates nothing.
    r#"
    CREATE TABLE imported (
        hash      BLOB PRIMARY KEY,
        record_id TEXT NOT NULL
    ) STRICT, WITHOUT ROWID;
    "#,
    // 14: a person's contact means, for the coordinator's personal export and the
    // duplicate finder. Projected only while the person's consent covers being
    // contacted; filled by the projection rebuild that follows.
    r#"
    ALTER TABLE personnes ADD COLUMN phone TEXT;
    ALTER TABLE personnes ADD COLUMN handle TEXT;
    "#,
    // 15: duplicates. Each person's lookup keys (the sound of each word of the name,
    // the phone, the handle: `filrouge_model::duplicates::Sketch::lookup_keys`), so the
    // form finds a close known person as a name is typed without reading every person;
    // and the pairs a coordinator said are two people ("pas la même personne" records).
    r#"
    CREATE TABLE person_keys (
        key       TEXT NOT NULL,
        person_id TEXT NOT NULL,
        PRIMARY KEY (key, person_id)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX person_keys_by_person ON person_keys (person_id);
    CREATE TABLE non_doublons (
        id TEXT PRIMARY KEY,
        a  TEXT NOT NULL,
        b  TEXT NOT NULL
    ) STRICT;
    CREATE INDEX non_doublons_by_pair ON non_doublons (a, b);
    "#,
    // 16: merges. The merge records (`fusions`), the person each absorbed person is shown
    // as once every merge is settled (`person_merged`, with the absorbed person's consent
    // for the merged consent), and beside each row that names a person, the person it
    // was recorded for (`recorded_person`): `person_id` is the person it is shown under,
    // so every query follows merges without knowing of them, and an undo puts `person_id`
    // back. The partial indexes hold only the rows a merge redirected.
    r#"
    CREATE TABLE fusions (
        id         TEXT PRIMARY KEY,
        survivor   TEXT NOT NULL,
        absorbed   TEXT NOT NULL,
        pseudonym  TEXT NOT NULL,
        taken      TEXT NOT NULL,
        decided_by TEXT,
        undone     INTEGER NOT NULL,
        at         INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE person_merged (
        absorbed TEXT PRIMARY KEY,
        survivor TEXT NOT NULL,
        fusion   TEXT NOT NULL,
        scopes   TEXT
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX person_merged_by_survivor ON person_merged (survivor);

    CREATE TABLE rencontre_persons_v16 (
        rencontre_id    TEXT NOT NULL,
        recorded_person TEXT NOT NULL,
        person_id       TEXT NOT NULL,
        occurred_at     INTEGER NOT NULL,
        PRIMARY KEY (rencontre_id, recorded_person)
    ) STRICT, WITHOUT ROWID;
    INSERT INTO rencontre_persons_v16
        SELECT rencontre_id, person_id, person_id, occurred_at FROM rencontre_persons;
    DROP TABLE rencontre_persons;
    ALTER TABLE rencontre_persons_v16 RENAME TO rencontre_persons;
    CREATE INDEX rencontre_persons_by_person ON rencontre_persons (person_id, occurred_at);
    CREATE INDEX rencontre_persons_by_time ON rencontre_persons (occurred_at);
    CREATE INDEX rencontre_persons_redirected ON rencontre_persons (recorded_person)
        WHERE recorded_person IS NOT person_id;

    ALTER TABLE etapes ADD COLUMN recorded_person TEXT;
    UPDATE etapes SET recorded_person = person_id;
    CREATE INDEX etapes_redirected ON etapes (recorded_person)
        WHERE recorded_person IS NOT person_id;
    ALTER TABLE orientations ADD COLUMN recorded_person TEXT;
    UPDATE orientations SET recorded_person = person_id;
    CREATE INDEX orientations_redirected ON orientations (recorded_person)
        WHERE recorded_person IS NOT person_id;
    ALTER TABLE relances ADD COLUMN recorded_person TEXT;
    UPDATE relances SET recorded_person = person_id;
    CREATE INDEX relances_redirected ON relances (recorded_person)
        WHERE recorded_person IS NOT person_id;
    ALTER TABLE inscriptions ADD COLUMN recorded_person TEXT;
    UPDATE inscriptions SET recorded_person = person_id;
    CREATE INDEX inscriptions_by_person ON inscriptions (person_id) WHERE person_id IS NOT NULL;
    CREATE INDEX inscriptions_redirected ON inscriptions (recorded_person)
        WHERE recorded_person IS NOT person_id;
    "#,
    // 17: fewer pages written per save, each of which the encrypted store encrypts and
    // authenticates. The outbox loses AUTOINCREMENT, whose `sqlite_sequence` row was one
    // more page in every commit: only the order of the rows waiting matters, and a plain
    // rowid keeps it (a new row takes the largest + 1). The appended chunks are keyed by
    // (document, n) alone, without a rowid b-tree beside that key: one page less in
    // every edit.
    r#"
    CREATE TABLE outbox_v17 (
        n      INTEGER PRIMARY KEY,
        hash   BLOB NOT NULL UNIQUE,
        doc_id TEXT NOT NULL,
        data   BLOB
    ) STRICT;
    INSERT INTO outbox_v17 (n, hash, doc_id, data) SELECT n, hash, doc_id, data FROM outbox;
    DROP TABLE outbox;
    ALTER TABLE outbox_v17 RENAME TO outbox;

    CREATE TABLE doc_chunks_v17 (
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        n      INTEGER NOT NULL,
        data   BLOB NOT NULL,
        PRIMARY KEY (doc_id, n)
    ) STRICT, WITHOUT ROWID;
    INSERT INTO doc_chunks_v17 (doc_id, n, data) SELECT doc_id, n, data FROM doc_chunks;
    DROP TABLE doc_chunks;
    ALTER TABLE doc_chunks_v17 RENAME TO doc_chunks;
    "#,
    // 18: end-to-end encryption (`crate::e2e`). The team keys this device holds, by
    // epoch (only ever in this encrypted store); sealed changes pulled before their
    // epoch's key arrived, kept sealed until it does; and pulled changes refused because
    // they did not authenticate, kept as evidence (when, which record, why), never
    // applied. Both keyed by the SHA-256 of the sealed bytes: a page pulled twice adds
    // nothing.
    r#"
    CREATE TABLE team_keys (
        epoch INTEGER PRIMARY KEY,
        key   BLOB NOT NULL
    ) STRICT;
    CREATE TABLE sealed_waiting (
        digest BLOB PRIMARY KEY,
        doc_id TEXT NOT NULL,
        kind   TEXT NOT NULL,
        data   BLOB NOT NULL
    ) STRICT, WITHOUT ROWID;
    CREATE TABLE refused_changes (
        digest BLOB PRIMARY KEY,
        doc_id TEXT NOT NULL,
        kind   TEXT NOT NULL,
        reason TEXT NOT NULL,
        at     INTEGER NOT NULL
    ) STRICT, WITHOUT ROWID;
    "#,
    // 19: the two-year retention (`store::retention`). Whether a coordinator keeps a
    // person's file past it (`PersonDraft::retention_hold`). No person had a hold
    // before this version, so 0 is right for every row and nothing is rebuilt.
    r#"
    ALTER TABLE personnes ADD COLUMN held INTEGER NOT NULL DEFAULT 0;
    "#,
    // 20: the access log (`store::access`): one hash-chained entry per action on a
    // person's file; its state keeps the head and the base (the last purged entry).
    // Raw SQL may not change or remove an entry: only a purge, flagged in the state,
    // deletes, and verification catches a dropped trigger's work.
    r#"
    CREATE TABLE access_log (
        seq    INTEGER PRIMARY KEY,
        at     INTEGER NOT NULL,
        worker TEXT,
        action TEXT NOT NULL,
        record TEXT,
        detail TEXT,
        prev   BLOB NOT NULL,
        hash   BLOB NOT NULL
    ) STRICT;
    CREATE INDEX access_log_by_record ON access_log (record, seq) WHERE record IS NOT NULL;
    CREATE TABLE access_log_state (
        id        INTEGER PRIMARY KEY CHECK (id = 1),
        head_seq  INTEGER NOT NULL,
        head_hash BLOB NOT NULL,
        base_seq  INTEGER NOT NULL,
        base_hash BLOB NOT NULL,
        purging   INTEGER NOT NULL
    ) STRICT;
    INSERT INTO access_log_state VALUES (1, 0, zeroblob(32), 0, zeroblob(32), 0);
    CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
    BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
    CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
    WHEN (SELECT purging FROM access_log_state WHERE id = 1) = 0
    BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
    "#,
    // 21: the team's information notice (`store::notice`), a record kind of its own:
    // one row per notice record (normally one per team; the newest is the one shown).
    r#"
    CREATE TABLE notices (
        id          TEXT PRIMARY KEY,
        holder      TEXT NOT NULL,
        dpo_contact TEXT NOT NULL,
        words_fr    TEXT,
        words_en    TEXT,
        version     TEXT,
        updated_at  INTEGER NOT NULL
    ) STRICT;
    "#,
    // 22: the other devices' access entries, as a coordinator's device pulls them
    // (`store::access_sync`), opened and checked; append-only like this device's own.
    r#"
    CREATE TABLE team_access (
        device_id TEXT NOT NULL,
        seq       INTEGER NOT NULL,
        at        INTEGER NOT NULL,
        worker    TEXT,
        action    TEXT NOT NULL,
        record    TEXT,
        detail    TEXT,
        hash      BLOB NOT NULL,
        link      BLOB NOT NULL,
        PRIMARY KEY (device_id, seq)
    ) STRICT;
    CREATE INDEX team_access_by_record ON team_access (record, at) WHERE record IS NOT NULL;
    CREATE TRIGGER team_access_no_update BEFORE UPDATE ON team_access
    BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
    "#,
    // 23: the persons met in a period, read from the time index alone. Since 16 the
    // table is keyed by (rencontre, recorded person), so the person shown was one more
    // b-tree lookup per row of the period: a month's dashboard reads a few thousand.
    // The same one index, one entry per row, so a save writes no more pages.
    r#"
    DROP INDEX rencontre_persons_by_time;
    CREATE INDEX rencontre_persons_by_time ON rencontre_persons (occurred_at, person_id);
    "#,
    // 24: rencontres are stored in time order (a table keyed by time, without a rowid).
    // Rows went to the end of a rowid table in the order they arrived, so a day's
    // rencontres recorded or synced out of order lay on as many pages as rows, and the
    // first screen (today's list) read each of them: 62 rows on ~60 pages at 100,000
    // records, every one decrypted and checked in an encrypted store. Keyed by
    // (occurred_at, id), a day is a few consecutive pages, and a period's counts read
    // the table itself, so the index that held their columns goes. The indexes by
    // channel and by commune go too (no query asks for a channel or a commune outside
    // a period): a rencontre saved writes 3 b-trees instead of 5. The id stays unique
    // through a constraint, whose index the projection rebuild keeps.
    r#"
    CREATE TABLE rencontres_by_time (
        id           TEXT NOT NULL,
        channel      TEXT NOT NULL,
        place        TEXT NOT NULL,
        occurred_at  INTEGER NOT NULL,
        headcount    INTEGER NOT NULL,
        pseudonym    TEXT,
        note         TEXT NOT NULL,
        updated_at   INTEGER NOT NULL,
        commune      TEXT,
        follow_up    TEXT,
        person_count INTEGER NOT NULL DEFAULT 0,
        worker       TEXT,
        PRIMARY KEY (occurred_at, id),
        UNIQUE (id)
    ) STRICT, WITHOUT ROWID;
    INSERT INTO rencontres_by_time
        (id, channel, place, occurred_at, headcount, pseudonym, note, updated_at, commune,
         follow_up, person_count, worker)
        SELECT id, channel, place, occurred_at, headcount, pseudonym, note, updated_at,
               commune, follow_up, person_count, worker
          FROM rencontres;
    DROP TABLE rencontres;
    ALTER TABLE rencontres_by_time RENAME TO rencontres;
    "#,
    // 25: the outbox loses its unique index on the change hash: every save of every
    // record wrote a page of it at a random place (1.2 to 1.5 pages a commit, counted in
    // the WAL), and an encrypted page costs its encryption and HMAC. Local changes are
    // new by construction, so nothing needs the check; the acknowledgements find their
    // rows at the outbox's start, where the pushes take them (`Store::acknowledge`).
    r#"
    CREATE TABLE outbox_v25 (
        n      INTEGER PRIMARY KEY,
        hash   BLOB NOT NULL,
        doc_id TEXT NOT NULL,
        data   BLOB
    ) STRICT;
    INSERT INTO outbox_v25 (n, hash, doc_id, data) SELECT n, hash, doc_id, data FROM outbox;
    DROP TABLE outbox;
    ALTER TABLE outbox_v25 RENAME TO outbox;
    "#,
];

/// The schema version this code writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Opens (creating if needed) the store file and brings its schema up to date.
///
/// Checkpoints are the app's background job ([`crate::Store::checkpoint`]): SQLite's own
/// automatic checkpoint runs inside whichever commit fills the WAL, which made one user
/// edit in a few hundred wait several milliseconds. The automatic one stays as a safety
/// net at 10,000 pages (40 MB) in case the background job does not run.
///
/// With a `key`, the file is SQLCipher-encrypted with it (raw key: no derivation at
/// open); a key that does not open the file, or a key missing for an encrypted file, is
/// [`CoreError::WrongKey`], and the file is left untouched.
pub(crate) fn open(path: &Path, key: Option<&DataKey>) -> Result<Connection, CoreError> {
    if let Some(dir) = path.parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir)?;
    }
    let mut conn = Connection::open(path)?;
    if let Some(key) = key {
        crate::vault::apply_key(&conn, key)?;
    }
    // The first read of the file tells whether the key opens it.
    if let Err(e) = conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(())) {
        return Err(match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase) => CoreError::WrongKey,
            _ => e.into(),
        });
    }
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    // journal_mode returns a row, so it is read rather than executed.
    let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    // A page cache of up to 128 MiB: an encrypted page is decrypted and its HMAC checked
    // each time it enters the cache, so the default 2 MiB made every query over a large
    // store pay for it again (search 5.8× slower than in clear at 100,000 records), and
    // 32 MiB still held only a quarter of such a store (a month's counts 1.40×). SQLite
    // takes the cache's memory page by page as pages are read, so a phone's store of
    // 10,000 records (12 MB) never holds more than its file. Temporary tables and
    // indices stay in memory: no sort spills into a file beside the store.
    conn.execute_batch(
        "PRAGMA synchronous = FULL;
         PRAGMA secure_delete = ON;
         PRAGMA wal_autocheckpoint = 10000;
         PRAGMA cache_size = -131072;
         PRAGMA temp_store = MEMORY;
         PRAGMA foreign_keys = OFF;",
    )?;
    // Migrations rebuild tables; with foreign keys on, dropping a parent table would
    // delete its children. The pragma is a no-op inside a transaction, hence here.
    migrate(&mut conn)?;
    conn.execute_batch("PRAGMA foreign_keys = ON;")?;
    Ok(conn)
}

fn migrate(conn: &mut Connection) -> Result<(), CoreError> {
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(CoreError::SchemaTooNew {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        // user_version cannot be bound as a parameter; the value is our own integer.
        tx.execute_batch(&format!("PRAGMA user_version = {}", i + 1))?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_file_gets_every_migration_and_durable_pragmas() {
        let dir = tempfile::tempdir().unwrap();
        let conn = open(&dir.path().join("sub/store.sqlite"), None).unwrap();
        let v: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION);
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let sync: i64 = conn
            .query_row("PRAGMA synchronous", [], |r| r.get(0))
            .unwrap();
        assert_eq!(sync, 2, "FULL");
        let secure: i64 = conn
            .query_row("PRAGMA secure_delete", [], |r| r.get(0))
            .unwrap();
        assert_eq!(secure, 1);
    }

    #[test]
    fn reopening_is_idempotent_and_newer_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store.sqlite");
        drop(open(&path, None).unwrap());
        drop(open(&path, None).unwrap());
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(&format!("PRAGMA user_version = {}", SCHEMA_VERSION + 1))
            .unwrap();
        drop(conn);
        assert!(matches!(
            open(&path, None),
            Err(CoreError::SchemaTooNew { .. })
        ));
    }
}
