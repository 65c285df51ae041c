//! "Who uses this device", in the settings: the worker's name, under which the relances
//! they plan are filed and the relances screen is filtered.
//!
//! The name is a local setting of the device's store ([`GetProfile`] / [`SetProfile`]);
//! it never syncs. Saving it reads the relances again, as the list depends on it.

use filrouge_model::ipc::{GetProfile, SetProfile};
use filrouge_model::views::Profile;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::Shared;
use crate::i18n::{Said, use_i18n};
use crate::{i18n, ipc};

/// The worker's name form.
#[component]
pub fn WhoAmI(shared: Shared) -> impl IntoView {
    let i18n = use_i18n();
    let name = RwSignal::new(String::new());
    let message = RwSignal::new(None::<Said>);
    let busy = RwSignal::new(false);
    spawn_local(async move {
        if let Ok(Profile {
            worker_name: Some(n),
        }) = ipc::call(&GetProfile {}).await
            && name.with_untracked(String::is_empty)
        {
            name.set(n);
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let profile = Profile {
            worker_name: Some(name.get_untracked()),
        };
        spawn_local(async move {
            let result = ipc::call(&SetProfile { profile }).await;
            busy.set(false);
            match result {
                Ok(stored) => {
                    name.set(stored.worker_name.unwrap_or_default());
                    message.set(Some(Said::Message(i18n::people::WORKER_NAME_SAVED)));
                    shared.refresh_relances();
                }
                // What was typed stays, to correct.
                Err(e) => message.set(Some(Said::Error(e))),
            }
        });
    };
    view! {
        <form id="profile-form" novalidate on:submit=on_submit>
            <div class="field">
                <label for="worker-name">{move || i18n.t(i18n::people::WORKER_NAME)}</label>
                <input
                    id="worker-name"
                    type="text"
                    autocomplete="given-name"
                    aria-describedby="worker-name-hint"
                    bind:value=name
                />
                <p class="hint" id="worker-name-hint">{move || i18n.t(i18n::people::WORKER_NAME_HINT)}</p>
            </div>
            <p id="profile-message" class="confirmation" role="status">{move || message.get().map(|m| m.text(i18n.lang()))}</p>
            <button id="save-profile" type="submit" class="secondary" disabled=move || busy.get()>
                {move || i18n.t(i18n::people::SAVE_WORKER_NAME)}
            </button>
        </form>
    }
}
