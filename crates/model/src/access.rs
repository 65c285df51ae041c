//! The access log (*traçabilité*, CNIL): who did what, when, on which record. Each
//! device appends one entry per action on a person's file, in the action's own
//! transaction; entries hold a worker's name, an action code, a record id and a field
//! group code, never a person's name or any free text. Entries are hash-chained on the
//! device that wrote them (see `filrouge_core::store::access`), so an edited, removed or
//! truncated entry is found and named.

use serde::{Deserialize, Serialize};

use crate::vocab::vocabulary;

/// Months an entry is kept: the CNIL asks for six to twelve.
pub const ACCESS_LOG_MONTHS: u32 = 12;

vocabulary! {
    /// What was done.
    pub enum AccessAction {
        /// Opened a person's thread.
        Consulte = "consulte", "a consulté le dossier", "viewed the file";
        /// Created a record.
        Cree = "cree", "a créé", "created";
        /// Changed a record (which field group: see [`AccessEntry::groups`]).
        Modifie = "modifie", "a modifié", "changed";
        /// Recorded, changed or withdrew a consent.
        Consentement = "consentement", "a enregistré le consentement", "recorded the consent";
        /// Exported records.
        Exporte = "exporte", "a exporté", "exported";
        /// Erased a person.
        Efface = "efface", "a effacé le dossier", "erased the file";
        /// Kept a file past the retention period.
        Conservation = "conservation", "a conservé le dossier au-delà de 2 ans",
            "kept the file beyond 2 years";
        /// Lifted that hold: the file follows the two-year rule again.
        ConservationLevee = "conservation_levee", "a levé la conservation",
            "lifted the retention hold";
        /// Entries older than [`ACCESS_LOG_MONTHS`] were purged: the checkpoint that
        /// keeps the chain verifiable.
        Purge = "purge", "a purgé les entrées de plus de 12 mois",
            "purged the entries older than 12 months";
    }
}

vocabulary! {
    /// Which part of a person's file a change touched.
    pub enum FieldGroup {
        /// Pseudonym, last name, birth year or age band, gender.
        Identite = "identite", "identité", "identity";
        /// Commune and territory.
        Territoire = "territoire", "territoire", "territory";
        /// Categories, obstacles, interests, skills.
        Situation = "situation", "situation", "situation";
        /// Phone or handle.
        Contact = "contact", "moyens de contact", "contact means";
        /// The référent.
        Referent = "referent", "référent", "referent";
        /// The path: a stage, an orientation, a relance.
        Parcours = "parcours", "parcours", "path";
        /// A rencontre.
        Rencontre = "rencontre", "rencontre", "encounter";
    }
}

/// One entry, as a coordinator reads it on a person's thread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessEntry {
    /// Its place in the writing device's chain (1, 2, …).
    pub seq: i64,
    /// When, in ms since the Unix epoch.
    pub at: i64,
    /// The worker, as the device's profile names them.
    pub worker: Option<String>,
    /// What was done.
    pub action: AccessAction,
    /// On which record.
    pub record: Option<crate::RecordId>,
    /// Which field groups a change touched.
    pub groups: Vec<FieldGroup>,
}
