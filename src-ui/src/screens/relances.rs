//! Relances due today and overdue, each done or postponed in one tap.
//!
//! The list lives in [`Shared::relances`], read from the shell on load, after every
//! save and after every sync; the main screen shows it above the form and the
//! "Relances" tab shows it alone. A tap sends [`SetRelanceStatus`] and takes the line
//! out at once; if the store refuses, the line comes back with the reason.

use filrouge_model::Day;
use filrouge_model::ipc::SetRelanceStatus;
use filrouge_model::views::DueRelance;
use filrouge_model::vocab::RelanceStatus;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::Shared;
use crate::i18n::{Said, use_i18n};
use crate::nav::Screen;
use crate::{clock, i18n, ipc};

/// How far a "postpone" tap moves a relance.
const POSTPONE_DAYS: i32 = 7;

/// The due relances, with a title; nothing at all on the main screen when none is due.
#[component]
pub fn RelanceList(shared: Shared, #[prop(optional)] main_screen: bool) -> impl IntoView {
    let i18n = use_i18n();
    let error = RwSignal::new(None::<Said>);
    let act = move |relance: DueRelance, status: RelanceStatus, due: Option<Day>| {
        let id = relance.id.clone();
        shared
            .relances
            .update(|list| list.retain(|r| r.id != relance.id));
        spawn_local(async move {
            match ipc::call(&SetRelanceStatus { id, status, due }).await {
                Ok(()) => error.set(None),
                Err(e) => error.set(Some(Said::Error(e))),
            }
            // Either way the list is read again: it is the store's word that counts.
            shared.refresh_relances();
        });
    };
    let hidden =
        move || main_screen && shared.relances.with(Vec::is_empty) && error.get().is_none();
    let title_id = if main_screen {
        "relances-today-title"
    } else {
        "relances-title"
    };
    view! {
        <section
            class="card relances"
            id=if main_screen { "relances-today" } else { "relances" }
            aria-labelledby=title_id
            hidden=hidden
        >
            <h2 id=title_id>
                {move || {
                    i18n
                        .t(
                            if main_screen {
                                i18n::people::RELANCES_TODAY
                            } else {
                                i18n::people::RELANCES
                            },
                        )
                }}
            </h2>
            <p class="error" role="alert">{move || error.get().map(|m| m.text(i18n.lang()))}</p>
            <p class="empty" hidden=move || !shared.relances.with(Vec::is_empty)>
                {move || i18n.t(i18n::people::RELANCES_EMPTY)}
            </p>
            <ul class="relance-list">
                <For
                    each=move || shared.relances.get()
                    key=|r| r.id.clone()
                    children=move |r: DueRelance| {
                        let today = clock::today();
                        let due = Some(r.due);
                        let named = r.person.clone();
                        let who = move || {
                            named.clone().unwrap_or_else(|| i18n.t(i18n::people::GROUP))
                        };
                        let person_id = r.person_id.clone();
                        let (done, later) = (r.clone(), r.clone());
                        view! {
                            <li class="relance" class:overdue=due.is_some_and(|d| d < today)>
                                <div class="relance-text">
                                    {match person_id {
                                        Some(id) => {
                                            view! {
                                                <button
                                                    type="button"
                                                    class="link person-link"
                                                    on:click=move |_| shared.screen.set(Screen::Person(id.clone()))
                                                >
                                                    {who}
                                                </button>
                                            }
                                                .into_any()
                                        }
                                        None => view! { <strong>{who}</strong> }.into_any(),
                                    }}
                                    <span class="due">
                                        {move || {
                                            due.map(|d| i18n::people::due(i18n.lang(), d, today))
                                                .unwrap_or_default()
                                        }}
                                    </span>
                                    <span class="reason">{r.reason.clone()}</span>
                                </div>
                                <div class="relance-actions">
                                    <button
                                        type="button"
                                        class="relance-done"
                                        on:click=move |_| act(done.clone(), RelanceStatus::Faite, None)
                                    >
                                        {move || i18n.t(i18n::people::DONE)}
                                    </button>
                                    <button
                                        type="button"
                                        class="relance-postpone"
                                        on:click=move |_| {
                                            let due = today.checked_add_days(POSTPONE_DAYS);
                                            act(later.clone(), RelanceStatus::AFaire, due)
                                        }
                                    >
                                        {move || i18n.t(i18n::people::POSTPONE)}
                                    </button>
                                </div>
                            </li>
                        }
                    }
                />
            </ul>
        </section>
    }
}
