//! The IPC commands of duplicates: the coordinator's list of records proposed as one
//! person, the decision that two are not, and the form's check while a new person is
//! typed. All read the device's own store.

use serde::{Deserialize, Serialize};

use super::Command;
use crate::RecordId;
use crate::duplicates::{DuplicateList, SimilarPerson};
use crate::records::MergedFields;
use crate::views::PersonView;

/// The pairs of persons proposed as one person (coordinator's device), most alike
/// first.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ListDuplicates {
    /// At most this many pairs.
    pub limit: u32,
}
impl Command for ListDuplicates {
    const NAME: &'static str = "list_duplicates";
    type Output = DuplicateList;
}

/// "Pas la même personne": the pair is never proposed again, on any device.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DismissDuplicate {
    /// One person.
    pub a: RecordId,
    /// The other.
    pub b: RecordId,
}
impl Command for DismissDuplicate {
    const NAME: &'static str = "dismiss_duplicate";
    type Output = ();
}

/// Known persons close to the one being typed (at most three, most alike first).
#[derive(Clone, Default, Serialize, Deserialize)]
pub struct FindSimilarPersons {
    /// The pseudonym typed.
    pub pseudonym: String,
    /// The last name, if typed.
    #[serde(default)]
    pub last_name: Option<String>,
    /// The birth year, if typed.
    #[serde(default)]
    pub birth_year: Option<i32>,
    /// The commune, if typed.
    #[serde(default)]
    pub commune: Option<String>,
}
impl Command for FindSimilarPersons {
    const NAME: &'static str = "find_similar_persons";
    type Output = Vec<SimilarPerson>;
}

// What is typed is personal: Debug says what is present only.
impl std::fmt::Debug for FindSimilarPersons {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FindSimilarPersons")
            .field("has_last_name", &self.last_name.is_some())
            .field("has_birth_year", &self.birth_year.is_some())
            .field("has_commune", &self.commune.is_some())
            .finish_non_exhaustive()
    }
}

/// Merges two persons into one (coordinators only): `absorbed`'s rencontres, stages,
/// orientations, relances and registrations are shown under `survivor`, with the values
/// in `taken` replacing the survivor's. Synced; undone by [`UndoMerge`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MergePersons {
    /// The person who stays.
    pub survivor: RecordId,
    /// The person merged into the survivor.
    pub absorbed: RecordId,
    /// Values taken from the absorbed person.
    #[serde(default)]
    pub taken: MergedFields,
}
impl Command for MergePersons {
    const NAME: &'static str = "merge_persons";
    /// The merged person.
    type Output = PersonView;
}

/// Undoes a merge (coordinators only): both persons are shown apart again, with
/// everything recorded for each, on every device.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UndoMerge {
    /// The merge record.
    pub merge: RecordId,
}
impl Command for UndoMerge {
    const NAME: &'static str = "undo_merge";
    /// The survivor, as shown after the undo.
    type Output = PersonView;
}
