//! The "Événements" screen: the team's events, latest first, and a form to create one
//! (name, kind, day, place). Tapping an event opens it (see `event.rs`).
//!
//! The list is read from the shell when the screen opens and after a creation; the
//! new event opens at once, since it is usually created to register people now.

pub mod registration;

use filrouge_model::ipc::{CreateEvent, IpcError, ListEvents};
use filrouge_model::views::EventSummary;
use filrouge_model::vocab::EventKind;
use filrouge_model::{Day, EventDraft};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::{Shared, aria_bool};
use crate::i18n::{Said, use_i18n};
use crate::nav::Screen;
use crate::{clock, i18n, ipc};

/// Events listed at most.
const LISTED: u32 = 100;

/// The screen.
#[component]
pub fn EventsScreen(shared: Shared) -> impl IntoView {
    let i18n = use_i18n();
    let events = RwSignal::new(None::<Vec<EventSummary>>);
    let error = RwSignal::new(None::<Said>);
    spawn_local(async move {
        match ipc::call(&ListEvents { limit: LISTED }).await {
            Ok(list) => events.set(Some(list)),
            Err(e) => error.set(Some(Said::Error(e))),
        }
    });
    view! {
        <section class="card events" aria-labelledby="events-title">
            <h2 id="events-title">{move || i18n.t(i18n::events::EVENTS)}</h2>
            <p class="error" role="alert">{move || error.get().map(|m| m.text(i18n.lang()))}</p>
            <p
                class="empty"
                hidden=move || events.with(|e| e.as_ref().is_none_or(|e| !e.is_empty()))
            >
                {move || i18n.t(i18n::events::NO_EVENTS)}
            </p>
            <ul id="events-list" class="person-list">
                {move || {
                    events
                        .get()
                        .unwrap_or_default()
                        .into_iter()
                        .map(|e| {
                            let id = e.id.clone();
                            let date = i18n::people::short_date(e.date);
                            view! {
                                <li>
                                    <button
                                        type="button"
                                        class="person-row event-row"
                                        on:click=move |_| shared.screen.set(Screen::Event(id.clone()))
                                    >
                                        <span class="name">{e.name.clone()}</span>
                                        <span class="stage">
                                            {format!(
                                                "{date} · {}",
                                                i18n::events::headcount(i18n.lang(), e.registered, e.checked_in),
                                            )}
                                        </span>
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </section>
        <NewEvent shared />
    }
}

/// The create form.
#[component]
fn NewEvent(shared: Shared) -> impl IntoView {
    let i18n = use_i18n();
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new(EventKind::TournoiSportif);
    let date = RwSignal::new(clock::today().to_string());
    let place = RwSignal::new(String::new());
    // The partners taking part, chosen from the team's directory.
    let directory = crate::screens::people::partners::directory();
    let partners = RwSignal::new(Vec::<filrouge_model::RecordId>::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<Said>);
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let Ok(day) = Day::parse(&date.get_untracked()) else {
            error.set(Some(Said::Message(i18n::people::BAD_DATE)));
            return;
        };
        let draft = EventDraft {
            name: name.get_untracked(),
            kind: kind.get_untracked(),
            date: day,
            place: place.get_untracked(),
            partners: partners.get_untracked(),
        };
        if let Err(e) = draft.clone().validate(clock::now_ms()) {
            error.set(Some(Said::Error(IpcError::Validation(e))));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let result = ipc::call(&CreateEvent { draft }).await;
            busy.set(false);
            match result {
                Ok(event) => shared.screen.set(Screen::Event(event.id)),
                Err(e) => error.set(Some(Said::Error(e))),
            }
        });
    };
    view! {
        <form id="event-form" class="card" novalidate on:submit=on_submit aria-labelledby="new-event-title">
            <h2 id="new-event-title">{move || i18n.t(i18n::events::NEW_EVENT)}</h2>
            <div class="field">
                <label for="event-name">{move || i18n.t(i18n::events::NAME)}</label>
                <input
                    id="event-name"
                    type="text"
                    autocomplete="off"
                    placeholder=move || i18n.t(i18n::events::NAME_EXAMPLE)
                    bind:value=name
                />
            </div>
            <div class="row">
                {crate::screens::vocab_select(i18n, "event-kind", i18n::events::KIND, kind)}
                <div class="field">
                    <label for="event-date">{move || i18n.t(i18n::people::DATE)}</label>
                    <input id="event-date" type="date" bind:value=date />
                </div>
            </div>
            <div class="field">
                <label for="event-place">{move || i18n.t(i18n::events::PLACE)}</label>
                <input id="event-place" type="text" autocomplete="off" bind:value=place />
            </div>
            <fieldset class="chips-set" hidden=move || directory.with(Vec::is_empty)>
                <legend>{move || i18n.t(i18n::events::PARTNERS)}</legend>
                <div class="chips">
                    {move || {
                        directory
                            .get()
                            .into_iter()
                            .map(|p| {
                                let id = p.id.clone();
                                let chosen = {
                                    let id = id.clone();
                                    move || aria_bool(partners.with(|l| l.contains(&id)))
                                };
                                view! {
                                    <button
                                        type="button"
                                        class="chip small"
                                        aria-pressed=chosen
                                        on:click=move |_| {
                                            partners
                                                .update(|l| {
                                                    if let Some(i) = l.iter().position(|x| *x == id) {
                                                        l.remove(i);
                                                    } else {
                                                        l.push(id.clone());
                                                    }
                                                })
                                        }
                                    >
                                        {p.name.clone()}
                                    </button>
                                }
                            })
                            .collect_view()
                    }}
                </div>
            </fieldset>
            <p class="error" role="alert">{move || error.get().map(|m| m.text(i18n.lang()))}</p>
            <button id="create-event" type="submit" class="primary" disabled=move || busy.get()>
                {move || i18n.t(i18n::events::CREATE)}
            </button>
        </form>
    }
}
