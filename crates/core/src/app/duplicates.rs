//! Duplicates in the application layer: the coordinator's list of persons recorded twice
//! and the decision that two are not one person (coordinator's device only), and the
//! form's check for a close known person while a new one is typed (every device);
//! merging two persons and undoing a merge (coordinator's device only).

use filrouge_model::duplicates::{DuplicateList, SimilarPerson};
use filrouge_model::ipc::{
    DismissDuplicate, FindSimilarPersons, ListDuplicates, MergePersons, UndoMerge,
};
use filrouge_model::views::PersonView;

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

    /// Merges two persons into one; the merged person as shown.
    pub fn merge_persons(&self, cmd: MergePersons) -> Result<PersonView, CoreError> {
        self.unit(|s| {
            coordinator_today(s)?;
            let by = s.profile()?.worker_name;
            s.merge_persons(cmd.survivor.clone(), cmd.absorbed, cmd.taken, by)?;
            s.person_view(cmd.survivor.as_str())
        })
    }

    /// Undoes a merge; the survivor as shown afterwards.
    pub fn undo_merge(&self, cmd: UndoMerge) -> Result<PersonView, CoreError> {
        self.unit(|s| {
            coordinator_today(s)?;
            let survivor = s.undo_merge(&cmd.merge)?;
            s.person_view(survivor.as_str())
        })
    }
}
