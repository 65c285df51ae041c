//! "Qui a consulté ou modifié ce dossier" at the foot of a person's thread
//! (coordinators only): this device's access-log entries about the person, newest
//! first, read when the fold is opened ([`GetAccessLog`]): when, which worker, what
//! (viewed, changed which part, recorded the consent…). Never a value of the file.

use filrouge_model::access::AccessEntry;
use filrouge_model::ipc::GetAccessLog;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::Shared;
use crate::i18n::{Said, people as words, use_i18n};
use crate::{clock, i18n, ipc};

/// The fold.
#[component]
pub fn AccessSection(shared: Shared, person: filrouge_model::RecordId) -> impl IntoView {
    let i18n = use_i18n();
    let person = StoredValue::new(person);
    let entries = RwSignal::new(None::<Vec<AccessEntry>>);
    let error = RwSignal::new(None::<Said>);
    let load = move || {
        spawn_local(async move {
            match ipc::call(&GetAccessLog {
                person: person.get_value(),
            })
            .await
            {
                Ok(found) => entries.set(Some(found)),
                Err(e) => error.set(Some(Said::Error(e))),
            }
        });
    };
    let line = move |e: &AccessEntry| {
        let lang = i18n.lang();
        let when = i18n::day_and_time(lang, clock::local(e.at), clock::local_now());
        let who = e
            .worker
            .clone()
            .unwrap_or_else(|| i18n.t(words::ACCESS_UNNAMED));
        let mut what = i18n.label(e.action).to_owned();
        if !e.groups.is_empty() {
            let parts: Vec<&str> = e.groups.iter().map(|g| i18n.label(*g)).collect();
            what = format!("{what} ({})", parts.join(", "));
        }
        format!("{when} · {who} · {what}")
    };
    view! {
        <details
            id="access-log"
            class="access-log no-print"
            hidden=move || !shared.coordinator()
            on:toggle=move |_| {
                if entries.get_untracked().is_none() {
                    load();
                }
            }
        >
            <summary>{move || i18n.t(words::ACCESS_TITLE)}</summary>
            <p class="hint">{move || i18n.t(words::ACCESS_HINT)}</p>
            <p class="error" role="alert">{move || error.get().map(|m| m.text(i18n.lang()))}</p>
            <ol class="access-entries">
                {move || {
                    entries
                        .get()
                        .unwrap_or_default()
                        .iter()
                        .map(|e| {
                            let text = line(e);
                            view! { <li class="access-entry" data-action=e.action.code()>{text}</li> }
                        })
                        .collect_view()
                }}
            </ol>
        </details>
    }
}
