//! Duplicates in the application layer: the coordinator's list of persons recorded twice
//! and the decision that two are not one person (coordinator's device only), and the
//! form's check for a close known person while a new one is typed (every device).

use filrouge_model::duplicates::{DuplicateList, SimilarPerson};
use filrouge_model::ipc::{DismissDuplicate, FindSimilarPersons, ListDuplicates};

use super::Device;
use super::coordination::coordinator_today;
use crate::CoreError;

impl Device {
    /// The pairs of persons proposed as one person, most alike first.
    pub fn list_duplicates(&self, cmd: ListDuplicates) -> Result<DuplicateList, CoreError> {
        self.read(|s| {
            coordinator_today(s)?;
            s.duplicate_candidates(cmd.limit)
        })
    }

    /// "Pas la même personne": one record, synced, and the pair is not proposed again.
    pub fn dismiss_duplicate(&self, cmd: DismissDuplicate) -> Result<(), CoreError> {
        self.unit(|s| {
            coordinator_today(s)?;
            s.dismiss_duplicate(cmd.a, cmd.b).map(drop)
        })
    }

    /// Known persons close to the one being typed, at most three.
    pub fn find_similar_persons(
        &self,
        cmd: FindSimilarPersons,
    ) -> Result<Vec<SimilarPerson>, CoreError> {
        self.read(|s| s.similar_persons(&cmd))
    }
}
