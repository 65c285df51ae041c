//! "Appareils de l'équipe", in the settings of a coordinator's device: the team's
//! devices as the server knows them, and the revocation of one (a lost or stolen
//! phone), so that its token is refused from then on.
//!
//! Shown where the invitation is ([`crate::screens::settings::invite::coordinating`]). The list is read
//! from the server only when asked ("Voir les appareils"): it is the network's to
//! answer, and the screen never waits on it otherwise. Revoking takes two taps, the
//! second on a sentence that names the device and says what follows; the device
//! showing the list is marked and cannot be revoked from itself.

use filrouge_model::ipc::{IpcError, ListDevices, RevokeDevice, TeamDevice};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::Shared;
use crate::i18n::{self, use_i18n};
use crate::screens::settings::invite::coordinating;
use crate::{clock, ipc};

/// The "Appareils de l'équipe" part of the settings.
#[component]
pub fn TeamDevices(shared: Shared) -> impl IntoView {
    let i18n = use_i18n();
    let devices = RwSignal::new(None::<Vec<TeamDevice>>);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<IpcError>);
    // The device whose revocation waits for its confirmation.
    let confirming = RwSignal::new(None::<String>);

    let answer = move |result: Result<Vec<TeamDevice>, IpcError>| {
        busy.set(false);
        confirming.set(None);
        match result {
            Ok(list) => {
                error.set(None);
                devices.set(Some(list));
            }
            Err(e) => error.set(Some(e)),
        }
    };
    let load = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        spawn_local(async move { answer(ipc::call(&ListDevices {}).await) });
    };
    let revoke = move |id: String| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        spawn_local(async move { answer(ipc::call(&RevokeDevice { id }).await) });
    };

    let row = move |d: TeamDevice| {
        let today = clock::local_now();
        let lang = i18n.lang();
        let meta = i18n::team::device_meta(lang, d.role, clock::local(d.enrolled_at), today);
        let state = if d.this_device {
            view! { <span class="device-state">{i18n.t(i18n::key::THIS_DEVICE)}</span> }.into_any()
        } else if let Some(at) = d.revoked_at {
            view! {
                <span class="device-state revoked">
                    {i18n::team::device_revoked(lang, clock::local(at), today)}
                </span>
            }
            .into_any()
        } else if confirming.get().as_deref() == Some(d.id.as_str()) {
            let id = d.id.clone();
            view! {
                <div class="revoke-confirm" role="group">
                    <p>{i18n::team::revoke_question(lang, &d.name)}</p>
                    <button
                        type="button"
                        class="danger"
                        id="revoke-confirm"
                        disabled=move || busy.get()
                        on:click=move |_| revoke(id.clone())
                    >
                        {i18n.t(i18n::key::REVOKE_CONFIRM)}
                    </button>
                    <button type="button" id="revoke-cancel" on:click=move |_| confirming.set(None)>
                        {i18n.t(i18n::key::REVOKE_CANCEL)}
                    </button>
                </div>
            }
            .into_any()
        } else {
            let id = d.id.clone();
            view! {
                <button
                    type="button"
                    class="revoke"
                    on:click=move |_| confirming.set(Some(id.clone()))
                >
                    {i18n.t(i18n::key::REVOKE)}
                </button>
            }
            .into_any()
        };
        view! {
            <li class="device-row" data-device=d.id.clone()>
                <div>
                    <span class="name">{d.name.clone()}</span>
                    <span class="meta">{meta}</span>
                </div>
                {state}
            </li>
        }
    };

    view! {
        <section
            id="devices"
            class="invite"
            aria-labelledby="devices-title"
            hidden=move || !coordinating(shared)
        >
            <h3 id="devices-title">{move || i18n.t(i18n::key::DEVICES_TITLE)}</h3>
            <button id="list-devices" type="button" disabled=move || busy.get() on:click=load>
                {move || {
                    i18n.t(if busy.get() { i18n::key::DEVICES_LOADING } else { i18n::key::DEVICES_SHOW })
                }}
            </button>
            <p id="devices-error" class="error" role="alert">
                {move || error.with(|e| e.as_ref().map(|e| i18n::error_sentence(i18n.lang(), e)))}
            </p>
            <ul id="devices-list" class="devices">
                {move || devices.get().unwrap_or_default().into_iter().map(row).collect_view()}
            </ul>
        </section>
    }
}
