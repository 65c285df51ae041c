//! The "Personnes" screen: find a person by the first letters of a pseudonym or name,
//! then open their thread; before anything is typed, the worker's caseload ("Mes
//! suivis", see `caseload.rs`).
//!
//! The search is the store's FTS index (accent- and case-insensitive prefixes), asked
//! at every keystroke; [`ipc::Latest`] drops answers older than the last
//! keystroke's. At most [`HITS`] lines are shown, so the list stays short however many
//! persons the team follows: typing one more letter narrows it.

pub mod caseload;
pub mod partners;

use filrouge_model::views::PersonHit;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::Shared;
use crate::i18n::{Said, use_i18n};
use crate::nav::Screen;
use crate::screens::people::caseload::CaseloadList;
use crate::{i18n, ipc};

/// Lines shown at most.
const HITS: u32 = 50;

/// The screen. What was typed survives a visit to a person and back.
#[component]
pub fn PersonsScreen(shared: Shared) -> impl IntoView {
    let i18n = use_i18n();
    let typed = shared.person_query;
    let hits = RwSignal::new(Vec::<PersonHit>::new());
    let searched = RwSignal::new(false);
    let error = RwSignal::new(None::<Said>);
    let latest = ipc::Latest::new();
    let search = move |text: String| {
        if text.trim().is_empty() {
            latest.forget();
            hits.set(Vec::new());
            searched.set(false);
            return;
        }
        spawn_local(async move {
            let Some(found) = ipc::search_persons(latest, text, HITS).await else {
                return;
            };
            searched.set(true);
            match found {
                Ok(found) => {
                    hits.set(found);
                    error.set(None);
                }
                Err(e) => error.set(Some(Said::Error(e))),
            }
        });
    };
    search(typed.get_untracked());

    view! {
        <section class="card persons" aria-labelledby="persons-title">
            <div class="section-head">
                <h2 id="persons-title">{move || i18n.t(i18n::people::PERSONS)}</h2>
                <button
                    type="button"
                    id="open-partners"
                    class="link"
                    on:click=move |_| shared.screen.set(Screen::Partners)
                >
                    {move || i18n.t(i18n::partners::PARTNERS)}
                </button>
            </div>
            <div class="field">
                <label for="persons-search">{move || i18n.t(i18n::people::SEARCH_PERSONS)}</label>
                <input
                    id="persons-search"
                    type="search"
                    autocomplete="off"
                    enterkeyhint="search"
                    prop:value=move || typed.get()
                    on:input=move |ev| {
                        let value = event_target_value(&ev);
                        typed.set(value.clone());
                        search(value);
                    }
                />
            </div>
            <p class="error" role="alert">{move || error.get().map(|m| m.text(i18n.lang()))}</p>
            <p class="empty" hidden=move || searched.get()>{move || i18n.t(i18n::people::SEARCH_EMPTY)}</p>
            <div hidden=move || searched.get()>
                <CaseloadList shared />
            </div>
            <p class="empty" hidden=move || !searched.get() || !hits.with(Vec::is_empty)>
                {move || i18n.t(i18n::people::NO_MATCH)}
            </p>
            <ul id="persons-list" class="person-list">
                <For
                    each=move || hits.get()
                    key=|p| p.id.clone()
                    children=move |p: PersonHit| {
                        let id = p.id.clone();
                        let name = match &p.last_name {
                            Some(last) => format!("{} {last}", p.pseudonym),
                            None => p.pseudonym.clone(),
                        };
                        let stage = p.stage.map(|s| i18n::people::stage_label(i18n.lang(), s));
                        view! {
                            <li>
                                <button
                                    type="button"
                                    class="person-row"
                                    on:click=move |_| shared.screen.set(Screen::Person(id.clone()))
                                >
                                    <span class="name">{name}</span>
                                    <span class="stage">{stage}</span>
                                </button>
                            </li>
                        }
                    }
                />
            </ul>
        </section>
    }
}
