//! "Clé de secours", in the settings of a coordinator's device: making the team's
//! recovery key (shown once, to print or copy out for the association's safe), and,
//! on a coordinator's device enrolled when every other was lost, getting the team's
//! keys back with it.
//!
//! Making a key replaces the previous one, so it takes two taps, the second on a
//! sentence that says so. The key is shown in large monospaced groups of five until
//! the coordinator says it is put away; it is not kept by the screen after that, nor
//! by the device. Printing marks the page so the print style sheet shows the key alone.

use filrouge_model::ipc::{CreateRecoveryKey, IpcError, RecoverTeamKeys, RecoveryKey};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::Shared;
use crate::i18n::{self, use_i18n};
use crate::ipc;
use crate::screens::settings::invite::coordinating;

/// The "Clé de secours" part of the settings.
#[component]
pub fn RecoveryKeySection(shared: Shared) -> impl IntoView {
    let i18n = use_i18n();
    let busy = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let shown = RwSignal::new(None::<RecoveryKey>);
    let error = RwSignal::new(None::<IpcError>);
    let typed = RwSignal::new(String::new());
    let recovered = RwSignal::new(None::<u32>);

    let create = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        confirming.set(false);
        spawn_local(async move {
            let result = ipc::call(&CreateRecoveryKey {}).await;
            busy.set(false);
            match result {
                Ok(key) => {
                    error.set(None);
                    shown.set(Some(key));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let recover = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let text = typed.get_untracked();
        spawn_local(async move {
            let result = ipc::call(&RecoverTeamKeys { text }).await;
            busy.set(false);
            match result {
                Ok(count) => {
                    error.set(None);
                    typed.set(String::new());
                    recovered.set(Some(count));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };

    view! {
        <section
            id="recovery"
            class="invite"
            aria-labelledby="recovery-title"
            hidden=move || !coordinating(shared)
        >
            <h3 id="recovery-title">{move || i18n.t(i18n::key::RECOVERY_TITLE)}</h3>
            <p class="hint">{move || i18n.t(i18n::key::RECOVERY_HINT)}</p>
            <Show
                when=move || shown.with(Option::is_some)
                fallback=move || {
                    view! {
                        <Show
                            when=move || confirming.get()
                            fallback=move || {
                                view! {
                                    <button
                                        id="recovery-create"
                                        type="button"
                                        disabled=move || busy.get()
                                        on:click=move |_| confirming.set(true)
                                    >
                                        {move || {
                                            i18n.t(
                                                if busy.get() {
                                                    i18n::key::RECOVERY_CREATING
                                                } else {
                                                    i18n::key::RECOVERY_CREATE
                                                },
                                            )
                                        }}
                                    </button>
                                }
                            }
                        >
                            <div class="revoke-confirm" role="group">
                                <p>{move || i18n.t(i18n::key::RECOVERY_REPLACE)}</p>
                                <button
                                    type="button"
                                    id="recovery-confirm"
                                    disabled=move || busy.get()
                                    on:click=create
                                >
                                    {move || i18n.t(i18n::key::RECOVERY_CONFIRM)}
                                </button>
                                <button
                                    type="button"
                                    id="recovery-cancel"
                                    on:click=move |_| confirming.set(false)
                                >
                                    {move || i18n.t(i18n::key::RECOVERY_CANCEL)}
                                </button>
                            </div>
                        </Show>
                    }
                }
            >
                <div id="recovery-shown" class="recovery-shown">
                    <p id="recovery-key" class="recovery-key" translate="no">
                        {move || shown.with(|k| k.as_ref().map(|k| k.text.clone()))}
                    </p>
                    <p class="hint">{move || i18n.t(i18n::key::RECOVERY_SHOWN_ONCE)}</p>
                    <button id="recovery-print" type="button" on:click=move |_| crate::screens::print_alone("recovery")>
                        {move || i18n.t(i18n::key::RECOVERY_PRINT)}
                    </button>
                    <button id="recovery-hide" type="button" on:click=move |_| shown.set(None)>
                        {move || i18n.t(i18n::key::RECOVERY_HIDE)}
                    </button>
                </div>
            </Show>
            <details id="recovery-use">
                <summary>{move || i18n.t(i18n::key::RECOVERY_USE)}</summary>
                <form on:submit=recover>
                    <label for="recovery-input">{move || i18n.t(i18n::key::RECOVERY_INPUT)}</label>
                    <input
                        id="recovery-input"
                        type="text"
                        autocomplete="off"
                        autocapitalize="characters"
                        spellcheck="false"
                        prop:value=move || typed.get()
                        on:input=move |ev| typed.set(event_target_value(&ev))
                    />
                    <button id="recovery-recover" type="submit" disabled=move || busy.get()>
                        {move || i18n.t(i18n::key::RECOVERY_RECOVER)}
                    </button>
                </form>
                <p id="recovery-recovered" class="ok" role="status">
                    {move || recovered.get().map(|n| i18n::team::recovered(i18n.lang(), n))}
                </p>
            </details>
            <p id="recovery-error" class="error" role="alert">
                {move || error.with(|e| e.as_ref().map(|e| i18n::error_sentence(i18n.lang(), e)))}
            </p>
        </section>
    }
}
