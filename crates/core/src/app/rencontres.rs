//! The rencontre form and today's list: record, correct, list, and the form kept while
//! it is typed.

use filrouge_model::Rencontre;
use filrouge_model::ipc::{
    CreateRencontre, EditRencontre, GetFormDraft, LastPlace, ListRencontres, SaveFormDraft,
    UpdateRencontre,
};
use filrouge_model::views::RencontreFormDraft;

use super::Device;
use crate::CoreError;

impl Device {
    /// Records a rencontre (and the relance its date plans), forgets the form kept while
    /// it was typed and remembers its place for the next form: one transaction, so a
    /// crash never leaves the saved rencontre's draft to be saved again.
    pub fn create_rencontre(&self, cmd: CreateRencontre) -> Result<Rencontre, CoreError> {
        self.unit(|s| {
            let persons = cmd.draft.persons.clone();
            let row = s.create_rencontre(cmd.draft)?;
            log_rencontre(s, &persons)?;
            s.set_form_draft(None)?;
            Ok(row)
        })
    }

    /// Changes a rencontre; only the fields that differ are written.
    pub fn update_rencontre(&self, cmd: UpdateRencontre) -> Result<Rencontre, CoreError> {
        self.unit(|s| {
            let persons = cmd.draft.persons.clone();
            let row = s.update_rencontre(cmd.id.as_str(), cmd.draft)?;
            log_rencontre(s, &persons)?;
            Ok(row)
        })
    }

    /// Changes a rencontre's place and note (the list's inline edit).
    pub fn edit_rencontre(&self, cmd: EditRencontre) -> Result<Rencontre, CoreError> {
        self.unit(|s| s.edit_rencontre_text(cmd.id.as_str(), cmd.place, cmd.note))
    }

    /// The rencontres since the start of the day the UI asks about, newest first.
    pub fn list_rencontres(&self, cmd: ListRencontres) -> Result<Vec<Rencontre>, CoreError> {
        self.read(|s| s.list_rencontres_since(cmd.since))
    }

    /// The place of the last rencontre recorded here, to prefill the form.
    pub fn last_place(&self, cmd: LastPlace) -> Result<Option<String>, CoreError> {
        let LastPlace {} = cmd;
        self.read(|s| s.last_place())
    }

    /// The form being typed when the app last stopped.
    pub fn get_form_draft(
        &self,
        cmd: GetFormDraft,
    ) -> Result<Option<RencontreFormDraft>, CoreError> {
        let GetFormDraft {} = cmd;
        self.read(|s| s.form_draft())
    }

    /// Keeps the form being typed, or forgets it.
    pub fn save_form_draft(&self, cmd: SaveFormDraft) -> Result<(), CoreError> {
        self.unit(|s| s.set_form_draft(cmd.draft.as_ref()))
    }
}

/// A rencontre recorded or changed is a change to the file of each person it names.
fn log_rencontre(
    s: &crate::Store,
    persons: &std::collections::BTreeSet<filrouge_model::RecordId>,
) -> Result<(), CoreError> {
    for person in persons {
        s.log_access(
            filrouge_model::access::AccessAction::Modifie,
            Some(person.as_str()),
            &[filrouge_model::access::FieldGroup::Rencontre],
        )?;
    }
    Ok(())
}
