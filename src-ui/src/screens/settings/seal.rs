//! "Chiffrer l'historique de l'équipe", in the settings of a coordinator's device whose
//! team began in clear (it holds no team key): sealing the team's history
//! ([`SealTeamHistory`]).
//!
//! It takes two taps, the second under a sentence saying what it asks of the team's
//! other devices (each invited again). Once the server has started, the section says
//! so and stays until the panel closes; the sync status then shows the history going
//! back, as for a restored server.

use filrouge_model::ipc::{IpcError, SealTeamHistory};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::Shared;
use crate::i18n::{self, key, use_i18n};
use crate::ipc;
use crate::screens::settings::invite::coordinating;

/// Whether this coordinator's device holds no team key: its team's log is in clear.
fn in_clear(shared: Shared) -> bool {
    coordinating(shared)
        && shared
            .status
            .with(|s| s.as_ref().is_some_and(|s| !s.sealed))
}

/// The "Chiffrer l'historique" part of the settings.
#[component]
pub fn SealHistorySection(shared: Shared) -> impl IntoView {
    let i18n = use_i18n();
    let busy = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let done = RwSignal::new(false);
    let error = RwSignal::new(None::<IpcError>);

    let seal = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        confirming.set(false);
        spawn_local(async move {
            let result = ipc::call(&SealTeamHistory {}).await;
            busy.set(false);
            match result {
                Ok(()) => {
                    error.set(None);
                    done.set(true);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };

    view! {
        <section
            id="seal-history"
            class="invite"
            aria-labelledby="seal-title"
            hidden=move || !(done.get() || in_clear(shared))
        >
            <h3 id="seal-title">{move || i18n.t(key::SEAL_TITLE)}</h3>
            <Show
                when=move || done.get()
                fallback=move || {
                    view! {
                        <p class="hint">{move || i18n.t(key::SEAL_HINT)}</p>
                        <Show
                            when=move || confirming.get()
                            fallback=move || {
                                view! {
                                    <button
                                        id="seal-start"
                                        type="button"
                                        disabled=move || busy.get()
                                        on:click=move |_| confirming.set(true)
                                    >
                                        {move || {
                                            i18n.t(
                                                if busy.get() {
                                                    key::SEAL_SEALING
                                                } else {
                                                    key::SEAL_START
                                                },
                                            )
                                        }}
                                    </button>
                                }
                            }
                        >
                            <div class="revoke-confirm" role="group">
                                <p id="seal-warning">{move || i18n.t(key::SEAL_WARNING)}</p>
                                <button
                                    type="button"
                                    id="seal-confirm"
                                    disabled=move || busy.get()
                                    on:click=seal
                                >
                                    {move || i18n.t(key::SEAL_CONFIRM)}
                                </button>
                                <button
                                    type="button"
                                    id="seal-cancel"
                                    on:click=move |_| confirming.set(false)
                                >
                                    {move || i18n.t(key::SEAL_CANCEL)}
                                </button>
                            </div>
                        </Show>
                    }
                }
            >
                <p id="seal-done" class="ok" role="status">{move || i18n.t(key::SEAL_DONE)}</p>
            </Show>
            <p id="seal-error" class="error" role="alert">
                {move || error.with(|e| e.as_ref().map(|e| i18n::error_sentence(i18n.lang(), e)))}
            </p>
        </section>
    }
}
