//! "Verrouillage", in the settings: lock now, the idle time before the screen locks,
//! and changing the PIN or passphrase (the store's key is sealed again; the store is
//! not rewritten).

use filrouge_model::ipc::{ChangeSecret, SetIdleLock};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::i18n::{self, Said, use_i18n};
use crate::ipc;
use crate::lock::LockSignal;

/// The idle times offered, in minutes.
const IDLE_CHOICES: [u32; 6] = [1, 2, 5, 10, 15, 30];

/// The lock's part of the settings.
#[component]
pub fn LockSettings() -> impl IntoView {
    let i18n = use_i18n();
    let lock = expect_context::<LockSignal>();
    let kind = Memo::new(move |_| lock.0.get().map(|s| s.kind));
    let idle = Memo::new(move |_| lock.0.get().map_or(5, |s| s.idle_minutes));
    let old = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let said = RwSignal::new(None::<Said>);
    let changed = RwSignal::new(false);

    let on_idle = move |ev: leptos::ev::Event| {
        let Ok(minutes) = event_target_value(&ev).parse::<u32>() else {
            return;
        };
        spawn_local(async move {
            if let Ok(status) = ipc::call(&SetIdleLock { minutes }).await {
                lock.0.set(Some(status));
            }
        });
    };
    let on_change = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        changed.set(false);
        if new.get_untracked() != confirm.get_untracked() {
            said.set(Some(Said::Message(i18n::lock::MISMATCH)));
            return;
        }
        busy.set(true);
        said.set(None);
        let args = ChangeSecret {
            old: old.get_untracked(),
            new: new.get_untracked(),
        };
        spawn_local(async move {
            let result = ipc::call(&args).await;
            busy.set(false);
            match result {
                Ok(status) => {
                    for field in [old, new, confirm] {
                        field.set(String::new());
                    }
                    changed.set(true);
                    lock.0.set(Some(status));
                }
                Err(e) => said.set(Some(Said::Error(e))),
            }
        });
    };
    let label = move || {
        kind.get()
            .map(|k| i18n::lock::new_secret_label(i18n.lang(), k))
            .unwrap_or_default()
    };

    view! {
        <section class="lock-settings" aria-labelledby="lock-settings-title">
            <h3 id="lock-settings-title">{move || i18n.t(i18n::lock::SETTINGS_TITLE)}</h3>
            <button id="lock-now-settings" type="button" class="secondary" on:click=move |_| lock.lock_now()>
                {move || i18n.t(i18n::lock::LOCK_NOW)}
            </button>
            <div class="field">
                <label for="idle-lock">{move || i18n.t(i18n::lock::IDLE_LABEL)}</label>
                <select id="idle-lock" on:change=on_idle prop:value=move || idle.get().to_string()>
                    {IDLE_CHOICES
                        .into_iter()
                        .map(|n| {
                            view! {
                                <option value=n.to_string() selected=move || idle.get() == n>
                                    {move || i18n::lock::minutes(i18n.lang(), n)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <form id="change-secret-form" novalidate on:submit=on_change>
                <div class="field">
                    <label for="old-secret">{move || i18n.t(i18n::lock::OLD_LABEL)}</label>
                    <input id="old-secret" type="password" autocomplete="current-password" bind:value=old />
                </div>
                <div class="field">
                    <label for="new-secret">{label}</label>
                    <input id="new-secret" type="password" autocomplete="new-password" bind:value=new />
                </div>
                <div class="field">
                    <label for="new-secret-confirm">{move || i18n.t(i18n::lock::CONFIRM_LABEL)}</label>
                    <input id="new-secret-confirm" type="password" autocomplete="new-password" bind:value=confirm />
                </div>
                <p id="change-secret-error" class="error" role="alert">{move || said.get().map(|s| s.text(i18n.lang()))}</p>
                <p id="change-secret-done" class="confirmation" role="status">
                    {move || changed.get().then(|| i18n.t(i18n::lock::CHANGED))}
                </p>
                <button id="change-secret" type="submit" class="secondary" disabled=move || busy.get()>
                    {move || i18n.t(i18n::lock::CHANGE)}
                </button>
            </form>
        </section>
    }
}
