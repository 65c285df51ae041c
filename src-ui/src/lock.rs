//! The lock: the first screen (choosing the secret), the lock screen, and the idle
//! timer.
//!
//! [`Root`] is what `main` mounts. It asks the shell where the lock stands. Until the
//! store is open it shows [`LockScreen`] alone: nothing of the app is drawn, and no
//! command but the lock's would answer. Once open, it mounts [`App`] and keeps it
//! mounted: an idle lock covers it with the lock screen (the app underneath is `inert`,
//! so nothing in it can be reached), and unlocking uncovers it as it was, a rencontre
//! half-typed included. A setup or a destroyed key (a revoked device that erased
//! itself, ten wrong secrets) unmounts it: what it showed is gone.
//!
//! A device past its team's offline lease shows [`LeaseScreen`] instead: it syncs, and
//! the first sync that succeeds opens the lock.
//!
//! The idle timer counts time since the last touch, click or key, and locks through the
//! shell after the worker's chosen minutes. The lock's status is shared by context
//! ([`LockSignal`]), so the settings can lock at once or change the delay.

use filrouge_model::ipc::{
    ChooseSecret, GetLockStatus, IpcError, LOCK_STATUS_EVENT, Lock, LockState, LockStatus,
    SecretKind, SyncFailure, SyncNow, Unlock,
};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::{App, aria_bool};
use crate::i18n::{self, I18n, Said, use_i18n};
use crate::ipc;

/// How often the idle timer looks at the time.
const IDLE_CHECK_MS: u32 = 10_000;

/// The lock's status, shared with the settings.
#[derive(Clone, Copy)]
pub struct LockSignal(pub RwSignal<Option<LockStatus>>);

impl LockSignal {
    /// Locks now, through the shell.
    pub fn lock_now(self) {
        spawn_local(async move {
            if let Ok(status) = ipc::call(&Lock {}).await {
                self.0.set(Some(status));
            }
        });
    }
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// The whole page: the lock screen, the app, or the app under the lock screen.
#[component]
pub fn Root() -> impl IntoView {
    I18n::provide();
    let status = RwSignal::new(None::<LockStatus>);
    let lock = LockSignal(status);
    provide_context(lock);
    let state = Memo::new(move |_| status.get().map(|s| s.state));
    let mounted = RwSignal::new(false);
    // Set only on a real change: setting a signal wakes its readers even to the same
    // value, and the app would be drawn anew, losing what was being typed.
    Effect::new(move || {
        let want = match state.get() {
            Some(LockState::Open) => true,
            Some(LockState::Setup | LockState::Destroyed) => false,
            Some(LockState::Locked | LockState::LeaseExpired) | None => return,
        };
        if mounted.get_untracked() != want {
            mounted.set(want);
        }
    });

    spawn_local(async move {
        if let Ok(found) = ipc::call(&GetLockStatus {}).await {
            status.set(Some(found));
        }
    });
    spawn_local(ipc::listen(LOCK_STATUS_EVENT, move |s: LockStatus| {
        status.set(Some(s))
    }));
    // Behind an expired lease, every finished sync may be the one that opens the lock.
    spawn_local(ipc::listen_sync_status(move |sync| {
        let waiting = status.with_untracked(|s| {
            s.as_ref()
                .is_some_and(|s| s.state == LockState::LeaseExpired)
        });
        if waiting && !sync.running {
            spawn_local(async move {
                // Only a change of state redraws the screen (and what it said).
                if let Ok(found) = ipc::call(&GetLockStatus {}).await
                    && found.state != LockState::LeaseExpired
                {
                    status.set(Some(found));
                }
            });
        }
    }));

    // The idle timer: any touch, click or key counts as presence.
    let last_seen = StoredValue::new(now_ms());
    let seen = move || last_seen.set_value(now_ms());
    let _down = window_event_listener(leptos::ev::pointerdown, move |_| seen());
    let _key = window_event_listener(leptos::ev::keydown, move |_| seen());
    let _touch = window_event_listener(leptos::ev::touchstart, move |_| seen());
    let timer = set_interval_with_handle(
        move || {
            let Some(open) = status
                .get_untracked()
                .filter(|s| s.state == LockState::Open)
            else {
                return;
            };
            let idle_ms = f64::from(open.idle_minutes) * 60_000.0;
            if now_ms() - last_seen.get_value() >= idle_ms {
                lock.lock_now();
            }
        },
        std::time::Duration::from_millis(u64::from(IDLE_CHECK_MS)),
    );
    on_cleanup(move || {
        if let Ok(handle) = timer {
            handle.clear();
        }
    });

    let covered = move || state.get() != Some(LockState::Open);
    view! {
        {move || {
            mounted
                .get()
                .then(|| {
                    view! {
                        <div id="app-root" inert=covered aria-hidden=move || aria_bool(covered())>
                            <App />
                        </div>
                    }
                })
        }}
        {move || {
            status
                .get()
                .filter(|s| s.state != LockState::Open)
                .map(|s| view! { <LockScreen status=s lock on_seen=seen /> })
        }}
    }
}

/// The lock screen: choose the secret (first start, or after a destroyed key), or give
/// it.
#[component]
fn LockScreen(
    status: LockStatus,
    lock: LockSignal,
    on_seen: impl Fn() + Copy + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let choosing = matches!(status.state, LockState::Setup | LockState::Destroyed);
    let secret = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    // What the last attempt said; before any, what the count on disk says (as the
    // errors an attempt would have given, so it is written in the language shown).
    let on_disk = if choosing {
        None
    } else if status.wait_ms > 0 {
        Some(IpcError::TooSoon {
            wait_ms: status.wait_ms,
        })
    } else if status.failed > 0 {
        Some(IpcError::WrongSecret {
            attempts_left: status.attempts_left,
        })
    } else {
        None
    };
    let said = RwSignal::new(on_disk.map(Said::Error));
    let kind = status.kind;
    let min_len = status.min_len;
    if status.state == LockState::LeaseExpired {
        return view! { <LeaseScreen days=status.lease_days /> }.into_any();
    }
    let title = match status.state {
        LockState::Destroyed => i18n::lock::DESTROYED_TITLE,
        LockState::Setup => i18n::lock::SETUP_TITLE,
        LockState::Locked | LockState::Open | LockState::LeaseExpired => i18n::lock::LOCKED_TITLE,
    };
    let help = {
        let status = status.clone();
        move || match status.state {
            LockState::Destroyed => Some(i18n.t(i18n::lock::DESTROYED_TEXT)),
            LockState::Setup => Some(i18n::lock::setup_help(i18n.lang(), &status)),
            LockState::Locked | LockState::Open | LockState::LeaseExpired => None,
        }
    };
    let wiped = status.wiped_at.is_some() && status.state == LockState::Setup;

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        on_seen();
        if busy.get_untracked() {
            return;
        }
        let typed = secret.get_untracked();
        if choosing && typed != confirm.get_untracked() {
            said.set(Some(Said::Message(i18n::lock::MISMATCH)));
            return;
        }
        busy.set(true);
        said.set(None);
        spawn_local(async move {
            let result = if choosing {
                ipc::call(&ChooseSecret { secret: typed }).await
            } else {
                ipc::call(&Unlock { secret: typed }).await
            };
            busy.set(false);
            secret.set(String::new());
            confirm.set(String::new());
            match result {
                Ok(opened) => {
                    on_seen();
                    lock.0.set(Some(opened));
                }
                Err(e) => {
                    said.set(Some(Said::Error(e)));
                    // The count and the wait, as the shell now has them; a destroyed
                    // key turns this screen into the one that says so.
                    if let Ok(now) = ipc::call(&GetLockStatus {}).await
                        && now.state != lock.0.get_untracked().map_or(now.state, |s| s.state)
                    {
                        lock.0.set(Some(now));
                    }
                }
            }
        });
    };

    let input_mode = if kind == SecretKind::Pin {
        "numeric"
    } else {
        "text"
    };
    view! {
        <div id="lock-screen" class="lock-screen" role="dialog" aria-modal="true" aria-labelledby="lock-title">
            <form id="lock-form" class="lock-form" novalidate on:submit=on_submit>
                <h1 id="lock-title">{move || i18n.t(title)}</h1>
                {wiped.then(|| view! { <p id="lock-wiped" class="notice">{move || i18n::error_sentence(i18n.lang(), &IpcError::Sync(SyncFailure::Revoked))}</p> })}
                {move || help().map(|h| view! { <p class="hint" id="lock-help">{h}</p> })}
                <div class="field">
                    <label for="lock-secret">{move || i18n::lock::secret_label(i18n.lang(), kind)}</label>
                    <input
                        id="lock-secret"
                        type="password"
                        inputmode=input_mode
                        autocomplete=if choosing { "new-password" } else { "current-password" }
                        minlength=min_len
                        autofocus
                        bind:value=secret
                    />
                </div>
                {choosing.then(|| view! {
                    <div class="field">
                        <label for="lock-confirm">{move || i18n.t(i18n::lock::CONFIRM_LABEL)}</label>
                        <input
                            id="lock-confirm"
                            type="password"
                            inputmode=input_mode
                            autocomplete="new-password"
                            bind:value=confirm
                        />
                    </div>
                })}
                <p id="lock-message" role="alert" class="error">
                    {move || said.get().map(|s| s.text(i18n.lang()))}
                </p>
                <button id="lock-submit" type="submit" class="primary" disabled=move || busy.get()>
                    {move || {
                        i18n.t(if busy.get() {
                            i18n::lock::OPENING
                        } else if choosing {
                            i18n::lock::CHOOSE
                        } else {
                            i18n::lock::UNLOCK
                        })
                    }}
                </button>
            </form>
        </div>
    }
    .into_any()
}

/// The lock of a device that has gone longer than its team's offline lease without a
/// sync: it says so and syncs; the first sync that succeeds opens it.
#[component]
fn LeaseScreen(days: u32) -> impl IntoView {
    let i18n = use_i18n();
    let asked = RwSignal::new(false);
    let sync_now = move |_| {
        asked.set(true);
        spawn_local(async move {
            // The outcome comes back as sync statuses, which reopen the lock.
            let _ = ipc::call(&SyncNow {}).await;
        });
    };
    view! {
        <div id="lock-screen" class="lock-screen" role="dialog" aria-modal="true" aria-labelledby="lock-title">
            <div class="lock-form">
                <h1 id="lock-title">{move || i18n.t(i18n::lock::LEASE_TITLE)}</h1>
                <p class="hint" id="lock-help">{move || i18n::lock::lease_text(i18n.lang(), days)}</p>
                <p id="lock-message" role="status" class="notice">
                    {move || asked.get().then(|| i18n.t(i18n::lock::LEASE_SYNCING))}
                </p>
                <button id="lock-sync" type="button" class="primary" on:click=sync_now>
                    {move || i18n.t(i18n::lock::LEASE_SYNC)}
                </button>
            </div>
        </div>
    }
}
