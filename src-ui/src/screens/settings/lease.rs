//! "Bail hors ligne", in the settings of a coordinator's device: the days a device of
//! the team may go without syncing before it stays shut until it syncs (a phone lost
//! in a drawer stops opening on its own). Set on the server, which tells every device
//! at its next push.

use filrouge_model::ipc::{IpcError, LockStatus, SetLease};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::Shared;
use crate::i18n::{self, use_i18n};
use crate::ipc;
use crate::lock::LockSignal;
use crate::screens::settings::invite::coordinating;

/// The leases offered, in days.
const LEASE_CHOICES: [u32; 6] = [7, 14, 30, 60, 90, 180];

/// The coordinator's choice of the team's offline lease.
#[component]
pub fn TeamLease(shared: Shared) -> impl IntoView {
    let i18n = use_i18n();
    let lock = expect_context::<LockSignal>();
    let current = Memo::new(move |_| lock.0.get().map_or(30, |s: LockStatus| s.lease_days));
    let error = RwSignal::new(None::<IpcError>);
    let saved = RwSignal::new(false);
    let on_change = move |ev: leptos::ev::Event| {
        let Ok(days) = event_target_value(&ev).parse::<u32>() else {
            return;
        };
        saved.set(false);
        spawn_local(async move {
            match ipc::call(&SetLease { days }).await {
                Ok(days) => {
                    error.set(None);
                    saved.set(true);
                    lock.0.update(|s| {
                        if let Some(s) = s {
                            s.lease_days = days;
                        }
                    });
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section id="lease" class="invite" aria-labelledby="lease-title" hidden=move || !coordinating(shared)>
            <h3 id="lease-title">{move || i18n.t(i18n::lock::LEASE_SETTING)}</h3>
            <p class="hint">{move || i18n.t(i18n::lock::LEASE_HINT)}</p>
            <select id="lease-days" aria-labelledby="lease-title" on:change=on_change prop:value=move || current.get().to_string()>
                {LEASE_CHOICES
                    .into_iter()
                    .map(|n| {
                        view! {
                            <option value=n.to_string() selected=move || current.get() == n>
                                {move || i18n::lock::days(i18n.lang(), n)}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <p id="lease-error" class="error" role="alert">
                {move || error.with(|e| e.as_ref().map(|e| i18n::error_sentence(i18n.lang(), e)))}
            </p>
            <p id="lease-saved" class="confirmation" role="status">
                {move || saved.get().then(|| i18n.t(i18n::lock::LEASE_SAVED))}
            </p>
        </section>
    }
}
