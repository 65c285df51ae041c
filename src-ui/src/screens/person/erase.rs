//! "Effacer définitivement" at the foot of a person's thread (coordinators only): a
//! confirmation that names the person and asks why (the person asked, the retention
//! period is over, recorded by mistake), then [`ErasePerson`]: the person and every
//! record about them leave every device and the server; their rencontres stay counted
//! anonymously. The screen then goes back to the list of persons.

use filrouge_model::erasure::ErasureReason;
use filrouge_model::ipc::ErasePerson;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::Shared;
use crate::i18n::{Said, people as words, use_i18n};
use crate::ipc;
use crate::nav::Screen;

/// The button and its confirmation.
#[component]
pub fn EraseSection(
    shared: Shared,
    person: filrouge_model::RecordId,
    name: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let coordinator = move || shared.coordinator();
    // Stored, so the closures below are Copy and the confirmation can be drawn again.
    let (person, name) = (StoredValue::new(person), StoredValue::new(name));
    let open = RwSignal::new(false);
    let reason = RwSignal::new(None::<ErasureReason>);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<Said>);
    let erase = move || {
        let Some(reason) = reason.get_untracked() else {
            error.set(Some(Said::Message(words::ERASE_REASON_NEEDED)));
            return;
        };
        let cmd = ErasePerson {
            person: person.get_value(),
            reason,
        };
        busy.set(true);
        spawn_local(async move {
            let result = ipc::call(&cmd).await;
            busy.set(false);
            match result {
                Ok(_) => shared.screen.set(Screen::Persons),
                Err(e) => error.set(Some(Said::Error(e))),
            }
        });
    };
    let question = move || name.with_value(|n| words::erase_question(i18n.lang(), n));
    view! {
        <section class="erase no-print" hidden=move || !coordinator()>
            <button
                type="button"
                id="erase-person"
                class="danger"
                hidden=move || open.get()
                on:click=move |_| open.set(true)
            >
                {move || i18n.t(words::ERASE_BUTTON)}
            </button>
            <Show when=move || open.get()>
                <div class="erase-confirm" role="alertdialog" aria-labelledby="erase-question">
                    <p id="erase-question"><strong>{question}</strong></p>
                    <p>{move || i18n.t(words::ERASE_WHAT)}</p>
                    <fieldset class="erase-reasons">
                        <legend>{move || i18n.t(words::ERASE_WHY)}</legend>
                        {ErasureReason::ALL
                            .into_iter()
                            .map(|r| {
                                view! {
                                    <label class="choice erase-reason" data-reason=r.code()>
                                        <input
                                            type="radio"
                                            name="erase-reason"
                                            prop:checked=move || reason.get() == Some(r)
                                            on:change=move |_| {
                                                reason.set(Some(r));
                                                error.set(None);
                                            }
                                        />
                                        <span>{move || i18n.label(r)}</span>
                                    </label>
                                }
                            })
                            .collect_view()}
                    </fieldset>
                    <p class="error" role="alert">{move || error.get().map(|m| m.text(i18n.lang()))}</p>
                    <div class="actions">
                        <button
                            type="button"
                            id="confirm-erase"
                            class="danger"
                            disabled=move || busy.get()
                            on:click=move |_| erase()
                        >
                            {move || i18n.t(words::ERASE_CONFIRM)}
                        </button>
                        <button type="button" class="secondary" on:click=move |_| open.set(false)>
                            {move || i18n.t(words::ERASE_CANCEL)}
                        </button>
                    </div>
                </div>
            </Show>
        </section>
    }
}
