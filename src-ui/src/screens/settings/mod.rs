//! The settings panel: enrol this device in a team (a pasted invitation link fills the
//! server's address and the code), start a sync, see where sync stands, invite another
//! device from a coordinator's ([`InviteDevice`]), choose the language of the screen.
//!
//! Hidden until the header's "Réglages" button opens it; it then takes the focus, and
//! gives it back to that button when it closes. Enrolling sends [`Enrol`] with the
//! server address, the coordinator's one-time code and a name for this device; the
//! code is cleared once it has been used. Both buttons show a busy state and never
//! block the rest of the screen. The language choice ("Français", "English") switches
//! every word at once and is kept for the next start ([`I18n::set_lang`]).

pub mod devices;
pub mod invite;
pub mod lease;
pub mod locking;
pub mod notice;
pub mod profile;
pub mod recovery;
pub mod seal;

use filrouge_model::error::{Field, Problem, ValidationError};
use filrouge_model::invite::parse_invite_link;
use filrouge_model::ipc::{Enrol, IpcError, SyncNow};
use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::{Shared, aria_bool};
use crate::i18n::{self, I18n, Key, Lang, key, use_i18n};
use crate::screens::settings::devices::TeamDevices;
use crate::screens::settings::invite::InviteDevice;
use crate::screens::settings::lease::TeamLease;
use crate::screens::settings::locking::LockSettings;
use crate::screens::settings::notice::TeamNotice;
use crate::screens::settings::profile::WhoAmI;
use crate::screens::settings::recovery::RecoveryKeySection;
use crate::screens::settings::seal::SealHistorySection;
use crate::{clock, ipc};

/// The enrolment fields, checked before anything is sent. An empty device name
/// becomes `default_name`.
fn enrolment(
    server_url: &str,
    code: &str,
    device_name: &str,
    default_name: &str,
    server_pin: Option<String>,
    team_secret: Option<String>,
) -> Result<Enrol, ValidationError> {
    let required = |field| ValidationError::new(field, Problem::Required);
    let server_url = server_url.trim();
    if server_url.is_empty() {
        return Err(required(Field::ServerUrl));
    }
    if !(server_url.starts_with("http://") || server_url.starts_with("https://")) {
        return Err(ValidationError::new(Field::ServerUrl, Problem::Malformed));
    }
    let code = code.trim();
    if code.is_empty() {
        return Err(required(Field::EnrolmentCode));
    }
    let device_name = match device_name.trim() {
        "" => default_name,
        name => name,
    };
    Ok(Enrol {
        server_url: server_url.to_owned(),
        code: code.to_owned(),
        device_name: device_name.to_owned(),
        server_pin,
        team_secret,
    })
}

/// The settings panel.
#[component]
pub fn Settings(
    shared: Shared,
    open: RwSignal<bool>,
    opener: NodeRef<html::Button>,
) -> impl IntoView {
    let i18n = use_i18n();
    let server_url = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    // The server certificate's fingerprint, from a pasted invitation link.
    let server_pin = RwSignal::new(None::<String>);
    // The link's one-time secret opening the team's keys: never shown, never typed.
    let team_secret = RwSignal::new(None::<String>);
    let device_name = RwSignal::new(i18n::tr(i18n.lang_untracked(), key::DEFAULT_DEVICE_NAME));
    let enrolling = RwSignal::new(false);
    let syncing = RwSignal::new(false);
    // What happened, not its sentence: the sentence follows the language.
    let error = RwSignal::new(None::<IpcError>);
    let message = RwSignal::new(None::<Key>);
    let first_input = NodeRef::<html::Input>::new();

    // Show the address this device is enrolled with, unless the user is typing one.
    Effect::new(move |_| {
        let known = shared
            .status
            .with(|s| s.as_ref().and_then(|s| s.server_url.clone()));
        if let Some(url) = known
            && server_url.with_untracked(String::is_empty)
        {
            server_url.set(url);
        }
    });

    // A pasted invitation link fills the server's address and the code at once.
    Effect::new(move |_| {
        if let Some(link) = code.with(|c| parse_invite_link(c)) {
            server_url.set(link.server);
            server_pin.set(link.pin);
            team_secret.set(link.key);
            code.set(link.code);
        }
    });

    // The proposed device name follows the language, until the user changes it.
    Effect::new(move |was: Option<Lang>| {
        let lang = i18n.lang();
        if let Some(was) = was
            && device_name.with_untracked(|n| *n == i18n::tr(was, key::DEFAULT_DEVICE_NAME))
        {
            device_name.set(i18n::tr(lang, key::DEFAULT_DEVICE_NAME));
        }
        lang
    });

    // Move the focus in when the panel opens, and back to the opener when it closes.
    Effect::new(move |was_open: Option<bool>| {
        let is_open = open.get();
        if was_open.is_some() {
            request_animation_frame(move || {
                let _ = if is_open {
                    first_input.get_untracked().map(|el| el.focus())
                } else {
                    opener.get_untracked().map(|el| el.focus())
                };
            });
        }
        is_open
    });

    let fail = move |e: IpcError| {
        message.set(None);
        error.set(Some(e));
    };
    let succeed = move |what: Key| {
        error.set(None);
        message.set(Some(what));
    };

    let on_enrol = move |ev: SubmitEvent| {
        ev.prevent_default();
        if enrolling.get_untracked() {
            return;
        }
        let args = match enrolment(
            &server_url.get_untracked(),
            &code.get_untracked(),
            &device_name.get_untracked(),
            &i18n::tr(i18n.lang_untracked(), key::DEFAULT_DEVICE_NAME),
            server_pin.get_untracked(),
            team_secret.get_untracked(),
        ) {
            Ok(args) => args,
            Err(e) => return fail(IpcError::Validation(e)),
        };
        enrolling.set(true);
        error.set(None);
        spawn_local(async move {
            let result = ipc::call(&args).await;
            enrolling.set(false);
            match result {
                Ok(status) => {
                    code.set(String::new());
                    team_secret.set(None);
                    shared.set_status(status);
                    succeed(key::ENROLLED);
                    shared.refresh_list();
                }
                Err(e) => fail(e),
            }
        });
    };

    let on_sync = move |_| {
        if syncing.get_untracked() {
            return;
        }
        syncing.set(true);
        error.set(None);
        spawn_local(async move {
            let result = ipc::call(&SyncNow {}).await;
            syncing.set(false);
            match result {
                Ok(status) => {
                    shared.set_status(status);
                    succeed(key::SYNC_REQUESTED);
                }
                Err(e) => fail(e),
            }
        });
    };

    let running = move || {
        syncing.get()
            || shared
                .status
                .with(|s| s.as_ref().is_some_and(|s| s.running))
    };
    let status_rows = move || {
        let lang = i18n.lang();
        let today = clock::local_now();
        shared.status.with(|status| {
            let status = status.as_ref()?;
            let last = match status.last_success_at {
                Some(ms) => i18n::day_and_time(lang, clock::local(ms), today),
                None => i18n::tr(lang, key::STATUS_NEVER),
            };
            let server = match &status.server_url {
                Some(url) => url.clone(),
                None => i18n::tr(lang, key::STATUS_NO_SERVER),
            };
            Some(view! {
                <dt>{i18n::tr(lang, key::STATUS_SERVER)}</dt>
                <dd class="url">{server}</dd>
                <dt>{i18n::tr(lang, key::STATUS_PENDING)}</dt>
                <dd>{i18n::number(lang, status.pending_changes)}</dd>
                <dt>{i18n::tr(lang, key::STATUS_LAST_SYNC)}</dt>
                <dd>{last}</dd>
            })
        })
    };

    view! {
        <section
            id="settings"
            class="card settings"
            aria-labelledby="settings-title"
            hidden=move || !open.get()
        >
            <div class="section-head">
                <h2 id="settings-title">{move || i18n.t(key::OPEN_SETTINGS)}</h2>
                <button id="close-settings" type="button" on:click=move |_| open.set(false)>
                    {move || i18n.t(key::CLOSE_SETTINGS)}
                </button>
            </div>
            <dl id="settings-status">
                <dt>{move || i18n.t(key::STATUS_STATE)}</dt>
                <dd>{move || shared.status_line(i18n.lang()).summary}</dd>
                {status_rows}
            </dl>
            <WhoAmI shared />
            <LockSettings />
            <form id="enrol-form" novalidate on:submit=on_enrol aria-labelledby="team-title">
                <h3 id="team-title">{move || i18n.t(key::TEAM)}</h3>
                <div class="field">
                    <label for="server-url">{move || i18n.t(key::SERVER_URL)}</label>
                    <input
                        id="server-url"
                        type="url"
                        inputmode="url"
                        autocomplete="off"
                        autocapitalize="none"
                        spellcheck="false"
                        placeholder=i18n::SERVER_URL_EXAMPLE
                        node_ref=first_input
                        bind:value=server_url
                    />
                </div>
                <div class="field">
                    <label for="enrol-code">{move || i18n.t(key::ENROL_CODE)}</label>
                    <input
                        id="enrol-code"
                        type="text"
                        autocomplete="one-time-code"
                        autocapitalize="characters"
                        spellcheck="false"
                        aria-describedby="enrol-code-hint"
                        bind:value=code
                    />
                    <p class="hint" id="enrol-code-hint">{move || i18n.t(key::ENROL_CODE_HINT)}</p>
                </div>
                <div class="field">
                    <label for="device-name">{move || i18n.t(key::DEVICE_NAME)}</label>
                    <input id="device-name" type="text" autocomplete="off" bind:value=device_name />
                </div>
                <button id="enrol" type="submit" disabled=move || enrolling.get()>
                    {move || i18n.t(if enrolling.get() { key::ENROLLING } else { key::ENROL })}
                </button>
            </form>
            <button
                id="sync-now"
                type="button"
                class="primary"
                aria-busy=move || aria_bool(running())
                disabled=move || syncing.get()
                on:click=on_sync
            >
                {move || i18n.t(if running() { key::SYNCING } else { key::SYNC_NOW })}
            </button>
            <p id="settings-error" class="error" role="alert">
                {move || error.with(|e| e.as_ref().map(|e| i18n::error_sentence(i18n.lang(), e)))}
            </p>
            <p id="settings-message" class="confirmation" role="status">
                {move || message.get().map(|what| i18n.t(what))}
            </p>
            <InviteDevice shared />
            <TeamDevices shared />
            <SealHistorySection shared />
            <RecoveryKeySection shared />
            <TeamNotice shared />
            <TeamLease shared />
            <LanguageChoice i18n />
        </section>
    }
}

/// "Langue / Language": one button per language, each named in its own language
/// (and marked so, for screen readers), the current one pressed.
#[component]
fn LanguageChoice(i18n: I18n) -> impl IntoView {
    view! {
        <fieldset id="language" class="language">
            <legend>{move || i18n.t(key::LANGUAGE)}</legend>
            <div class="chips">
                {Lang::ALL
                    .into_iter()
                    .map(|lang| {
                        view! {
                            <button
                                id=format!("lang-{}", lang.code())
                                type="button"
                                class="chip"
                                lang=lang.code()
                                aria-pressed=move || aria_bool(i18n.lang() == lang)
                                on:click=move |_| i18n.set_lang(lang)
                            >
                                {lang.endonym()}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enrolment_checks_each_field_in_order() {
        let field = |url, code| {
            enrolment(url, code, "", "Téléphone", None, None)
                .err()
                .map(|e| e.field)
        };
        assert_eq!(field(" ", "ABC"), Some(Field::ServerUrl));
        assert_eq!(field("192.168.1.20:8787", "ABC"), Some(Field::ServerUrl));
        assert_eq!(
            field("http://192.168.1.20:8787", " "),
            Some(Field::EnrolmentCode)
        );
        let ok = enrolment(" http://h:8787 ", " ABC ", "  ", "Téléphone", None, None)
            .map_err(|e| e.field);
        let ok = ok
            .as_ref()
            .map(|e| (&*e.server_url, &*e.code, &*e.device_name));
        assert_eq!(ok, Ok(("http://h:8787", "ABC", "Téléphone")));
    }
}
