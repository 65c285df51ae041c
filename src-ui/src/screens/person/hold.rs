//! "Conservation" on a person's thread (coordinators only): the two-year rule in a
//! sentence, and the coordination's decision to keep the file longer, with its written
//! reason ([`HoldRetention`]); a standing hold says since when, by whom and why, and can
//! be lifted. A field worker's device shows none of it (the store refuses it too). An
//! error (a blank reason) is said under the form, which keeps what was typed.

use filrouge_model::RetentionHold;
use filrouge_model::ipc::HoldRetention;
use filrouge_model::views::PersonView;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::Shared;
use crate::i18n::{Said, people as words, use_i18n};
use crate::ipc;

/// The section, drawn again with the thread when the store answers.
#[component]
pub fn HoldSection(
    shared: Shared,
    view_of: RwSignal<Option<PersonView>>,
    notice: RwSignal<Option<Said>>,
    person: filrouge_model::RecordId,
    hold: Option<RetentionHold>,
) -> impl IntoView {
    let i18n = use_i18n();
    let coordinator = move || shared.coordinator();
    let person = StoredValue::new(person);
    let held = hold.is_some();
    let hold = StoredValue::new(hold);
    let open = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let said = RwSignal::new(None::<Said>);
    let send = move |reason: Option<String>| {
        let done = if reason.is_some() {
            words::HOLD_SAVED
        } else {
            words::HOLD_LIFTED
        };
        let cmd = HoldRetention {
            person: person.get_value(),
            reason,
        };
        busy.set(true);
        spawn_local(async move {
            let result = ipc::call(&cmd).await;
            busy.set(false);
            match result {
                // The thread is drawn again: the standing hold (or its absence) shows
                // here, and the screen's status line says it for a screen reader.
                Ok(v) => {
                    notice.set(Some(Said::Message(done)));
                    view_of.set(Some(v));
                }
                Err(e) => said.set(Some(Said::Error(e))),
            }
        });
    };
    let shown = move || hold.with_value(|h| h.as_ref().map(|h| words::hold_shown(i18n.lang(), h)));
    view! {
        <section id="hold" class="hold no-print" hidden=move || !coordinator() aria-labelledby="hold-title">
            <h3 id="hold-title">{move || i18n.t(words::HOLD_TITLE)}</h3>
            <p class="hint">{move || i18n.t(words::HOLD_RULE)}</p>
            <p id="hold-standing" class="hold-standing" hidden=!held>{shown}</p>
            <button
                type="button"
                id="hold-lift"
                class="secondary"
                hidden=!held
                disabled=move || busy.get()
                on:click=move |_| send(None)
            >
                {move || i18n.t(words::HOLD_LIFT)}
            </button>
            <button
                type="button"
                id="hold-open"
                class="secondary"
                hidden=move || held || open.get()
                on:click=move |_| open.set(true)
            >
                {move || i18n.t(words::HOLD_BUTTON)}
            </button>
            <Show when=move || open.get() && !held>
                <div class="field">
                    <label for="hold-reason">{move || i18n.t(words::HOLD_REASON)}</label>
                    <textarea id="hold-reason" rows="2" maxlength="300" bind:value=reason></textarea>
                </div>
                <div class="actions">
                    <button
                        type="button"
                        id="hold-confirm"
                        disabled=move || busy.get()
                        on:click=move |_| send(Some(reason.get_untracked()))
                    >
                        {move || i18n.t(words::HOLD_CONFIRM)}
                    </button>
                    <button type="button" class="secondary" on:click=move |_| open.set(false)>
                        {move || i18n.t(words::ERASE_CANCEL)}
                    </button>
                </div>
            </Show>
            <p id="hold-said" class="confirmation" role="status">{move || said.get().map(|m| m.text(i18n.lang()))}</p>
        </section>
    }
}
