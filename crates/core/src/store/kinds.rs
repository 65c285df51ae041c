//! The record kinds the store keeps, and how each merges.
//!
//! A kind is a draft type from `filrouge-model` that implements [`Record`]: its code,
//! which of its fields are texts and sets (see [`crate::record`]), and its validation.
//! The store writes every kind through the same generic path; only the projection rows
//! differ, and those live in `projections.rs`.

use filrouge_model::records::RecordKind;
use filrouge_model::{
    EtapeDraft, EventDraft, MergeDraft, NotDuplicateDraft, NoticeDraft, OrientationDraft,
    PartnerDraft, PersonDraft, RegistrationDraft, RelanceDraft, RencontreDraft, ValidationError,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::store::record::Schema;

/// A record kind the store can keep as an Automerge document.
pub trait Record: Serialize + DeserializeOwned + Clone {
    /// The kind's stable code.
    const KIND: RecordKind;
    /// Which fields merge as text or as sets.
    const SCHEMA: Schema;
    /// Normalises and checks a draft before anything is written.
    fn validated(self, now: i64) -> Result<Self, ValidationError>;
}

macro_rules! record_kind {
    ($draft:ty, $kind:ident, texts: $texts:expr, sets: $sets:expr) => {
        impl Record for $draft {
            const KIND: RecordKind = RecordKind::$kind;
            const SCHEMA: Schema = Schema {
                texts: $texts,
                sets: $sets,
            };
            fn validated(self, now: i64) -> Result<Self, ValidationError> {
                self.validate(now)
            }
        }
    };
}

record_kind!(RencontreDraft, Rencontre, texts: &["note"], sets: &["persons", "needs", "actions"]);
record_kind!(PersonDraft, Personne, texts: &[], sets: &[
    "categories", "freins", "interests", "skills", "consent.scopes"
]);
record_kind!(EtapeDraft, Etape, texts: &["note"], sets: &[]);
record_kind!(OrientationDraft, Orientation, texts: &["outcome"], sets: &[]);
record_kind!(RelanceDraft, Relance, texts: &[], sets: &[]);
record_kind!(EventDraft, Evenement, texts: &[], sets: &["partners"]);
record_kind!(RegistrationDraft, Inscription, texts: &[], sets: &[]);
record_kind!(PartnerDraft, Partenaire, texts: &[], sets: &[]);
record_kind!(NotDuplicateDraft, NonDoublon, texts: &[], sets: &[]);
record_kind!(MergeDraft, Fusion, texts: &[], sets: &[]);
record_kind!(NoticeDraft, Notice, texts: &["words_fr", "words_en"], sets: &[]);

/// The merge schema of a kind known only by its code (documents pulled from the log).
pub(crate) fn schema_of(kind: &str) -> Option<Schema> {
    Some(match RecordKind::from_code(kind)? {
        RecordKind::Rencontre => RencontreDraft::SCHEMA,
        RecordKind::Personne => PersonDraft::SCHEMA,
        RecordKind::Etape => EtapeDraft::SCHEMA,
        RecordKind::Orientation => OrientationDraft::SCHEMA,
        RecordKind::Relance => RelanceDraft::SCHEMA,
        RecordKind::Evenement => EventDraft::SCHEMA,
        RecordKind::Inscription => RegistrationDraft::SCHEMA,
        RecordKind::Partenaire => PartnerDraft::SCHEMA,
        RecordKind::NonDoublon => NotDuplicateDraft::SCHEMA,
        RecordKind::Fusion => MergeDraft::SCHEMA,
        RecordKind::Notice => NoticeDraft::SCHEMA,
    })
}
