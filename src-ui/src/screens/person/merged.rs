//! On a merged person's thread: whom the record also holds ("Cette fiche réunit aussi
//! « Momo »"), and "Annuler la fusion" for a coordinator ([`UndoMerge`], synced): both
//! persons are shown apart again, each with what was recorded for them.

use filrouge_model::Day;
use filrouge_model::ipc::UndoMerge;
use filrouge_model::views::{MergeNote, PersonView};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::Shared;
use crate::i18n::{Said, duplicates as words, use_i18n};
use crate::ipc;

/// The notes of the merges a thread holds.
#[component]
pub fn MergedNotes(
    shared: Shared,
    view_of: RwSignal<Option<PersonView>>,
    notice: RwSignal<Option<Said>>,
    merges: Vec<MergeNote>,
) -> impl IntoView {
    let i18n = use_i18n();
    let coordinator = move || shared.coordinator();
    let undo = move |merge: filrouge_model::RecordId| {
        spawn_local(async move {
            match ipc::call(&UndoMerge { merge }).await {
                Ok(v) => {
                    view_of.set(Some(v));
                    notice.set(Some(Said::Message(words::MERGE_UNDONE)));
                }
                Err(e) => notice.set(Some(Said::Error(e))),
            }
        });
    };
    merges
        .into_iter()
        .map(|m| {
            let day = Day::from_epoch_ms(m.at);
            let merge = m.merge.clone();
            view! {
                <div class="merged-note" data-merge=m.merge.as_str().to_owned()>
                    <p>
                        {move || {
                            words::merged_note(i18n.lang(), &m.pseudonym, day, m.decided_by.as_deref())
                        }}
                    </p>
                    <button
                        type="button"
                        class="secondary undo-merge"
                        hidden=move || !coordinator()
                        on:click=move |_| undo(merge.clone())
                    >
                        {move || i18n.t(words::UNDO_MERGE)}
                    </button>
                </div>
            }
        })
        .collect_view()
}
