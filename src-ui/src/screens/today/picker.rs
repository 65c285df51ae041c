//! "Ajouter une personne": search-as-you-type over the persons this device knows, or a
//! new pseudonym created in place, for the rencontre form.
//!
//! Every keystroke asks the shell's FTS index ([`SearchPersons`](filrouge_model::ipc::SearchPersons), accent- and
//! case-insensitive prefixes); [`ipc::Latest`] drops answers that arrive after a
//! newer keystroke's. Choosing a hit, or creating the person ([`CreatePerson`], a
//! record with only a pseudonym: the least the team needs), adds a chip to `chosen`
//! and clears the input for the next name. The form owns `chosen` and sends the ids.
//!
//! Beside the prefix search, each keystroke asks for known persons close to the name
//! typed ([`FindSimilarPersons`]: "Momo" finds "Mohamed Benali"); one the search does
//! not already list is offered above "Créer…" ("Une personne proche existe déjà : … —
//! c'est elle ?"), without stopping the worker from creating the new person.

use filrouge_model::PersonDraft;
use filrouge_model::duplicates::SimilarPerson;
use filrouge_model::ipc::{CreatePerson, FindSimilarPersons, IpcError};
use filrouge_model::views::PersonHit;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::i18n::{self, use_i18n};
use crate::ipc;

/// How many hits the picker shows: a short list under the thumb.
const HITS: u32 = 6;

/// The picker. `chosen` is the form's list of persons met; `error` its error line.
#[component]
pub fn PersonPicker(
    chosen: RwSignal<Vec<PersonHit>>,
    error: RwSignal<Option<IpcError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let typed = RwSignal::new(String::new());
    let hits = RwSignal::new(Vec::<PersonHit>::new());
    let similar = RwSignal::new(Vec::<SimilarPerson>::new());
    let latest = ipc::Latest::new();
    let latest_similar = ipc::Latest::new();
    let busy = RwSignal::new(false);
    let input = NodeRef::<html::Input>::new();

    let search = move |text: String| {
        if text.trim().is_empty() {
            latest.forget();
            latest_similar.forget();
            hits.set(Vec::new());
            similar.set(Vec::new());
            return;
        }
        let typed_now = FindSimilarPersons {
            pseudonym: text.clone(),
            ..FindSimilarPersons::default()
        };
        spawn_local(async move {
            match latest_similar.call(&typed_now).await {
                Some(Ok(found)) => similar.set(found),
                // The check is a help: when it fails, the picker works without it.
                Some(Err(_)) => similar.set(Vec::new()),
                None => {}
            }
        });
        spawn_local(async move {
            let Some(found) = ipc::search_persons(latest, text, HITS).await else {
                return;
            };
            match found {
                Ok(found) => hits.set(found),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let choose = move |hit: PersonHit| {
        chosen.update(|list| {
            if !list.iter().any(|p| p.id == hit.id) {
                list.push(hit);
            }
        });
        typed.set(String::new());
        search(String::new());
        if let Some(el) = input.get_untracked() {
            let _ = el.focus();
        }
    };
    let create = move |_| {
        let pseudonym = typed.get_untracked();
        if busy.get_untracked() || pseudonym.trim().is_empty() {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let result = ipc::call(&CreatePerson {
                draft: PersonDraft::new(pseudonym),
            })
            .await;
            busy.set(false);
            match result {
                Ok(hit) => {
                    error.set(None);
                    choose(hit);
                }
                // What was typed stays, to correct.
                Err(e) => error.set(Some(e)),
            }
        });
    };
    // Close known persons the search does not list already.
    let close = move || {
        let listed: Vec<_> = hits.with(|h| h.iter().map(|p| p.id.clone()).collect());
        let picked: Vec<_> = chosen.with(|c| c.iter().map(|p| p.id.clone()).collect());
        similar.with(|s| {
            s.iter()
                .filter(|p| !listed.contains(&p.person.id) && !picked.contains(&p.person.id))
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    // Offer to create the person unless the name typed is exactly a hit's.
    let can_create = move || {
        let t = typed.get();
        let t = t.trim();
        !t.is_empty()
            && hits.with(|h| {
                !h.iter()
                    .any(|p| p.pseudonym.to_lowercase() == t.to_lowercase())
            })
    };

    view! {
        <div class="field picker">
            <label for="person-search">{move || i18n.t(i18n::people::ADD_PERSON)}</label>
            <ul class="chips chosen" aria-label=move || i18n.t(i18n::people::ADDED_PERSONS) hidden=move || chosen.with(Vec::is_empty)>
                <For
                    each=move || chosen.get()
                    key=|p| p.id.clone()
                    children=move |p: PersonHit| {
                        let id = p.id.clone();
                        let name = p.pseudonym.clone();
                        view! {
                            <li class="chip person-chip">
                                <span>{p.pseudonym.clone()}</span>
                                <button
                                    type="button"
                                    class="remove"
                                    aria-label=move || i18n::people::remove_person(i18n.lang(), &name)
                                    on:click=move |_| chosen.update(|l| l.retain(|x| x.id != id))
                                >
                                    "×"
                                </button>
                            </li>
                        }
                    }
                />
            </ul>
            <input
                id="person-search"
                type="search"
                autocomplete="off"
                enterkeyhint="search"
                aria-describedby="person-search-hint"
                aria-controls="person-hits"
                node_ref=input
                prop:value=move || typed.get()
                on:input=move |ev| {
                    let value = event_target_value(&ev);
                    typed.set(value.clone());
                    search(value);
                }
            />
            <p class="hint" id="person-search-hint">{move || i18n.t(i18n::people::ADD_PERSON_HINT)}</p>
            <div class="similar-persons" role="status">
                {move || {
                    close()
                        .into_iter()
                        .map(|p| {
                            let side = p.person.clone();
                            let notice = side.clone();
                            let button = side.clone();
                            let hit = PersonHit {
                                id: side.id.clone(),
                                pseudonym: side.pseudonym.clone(),
                                last_name: side.last_name.clone(),
                                stage: side.stage,
                            };
                            view! {
                                <div class="similar-person">
                                    <p>{move || i18n::duplicates::similar(i18n.lang(), &notice)}</p>
                                    <button
                                        type="button"
                                        class="secondary choose-similar"
                                        on:click=move |_| choose(hit.clone())
                                    >
                                        {move || i18n::duplicates::choose(i18n.lang(), &button)}
                                    </button>
                                </div>
                            }
                        })
                        .collect_view()
                }}
            </div>
            <ul id="person-hits" class="hits">
                <For
                    each=move || hits.get()
                    key=|p| p.id.clone()
                    children=move |p: PersonHit| {
                        let label = match &p.last_name {
                            Some(last) => format!("{} {last}", p.pseudonym),
                            None => p.pseudonym.clone(),
                        };
                        view! {
                            <li>
                                <button
                                    type="button"
                                    class="hit"
                                    on:click=move |_| choose(p.clone())
                                >
                                    {label}
                                </button>
                            </li>
                        }
                    }
                />
                <li hidden=move || !can_create()>
                    <button
                        type="button"
                        id="person-create"
                        class="hit create"
                        disabled=move || busy.get()
                        on:click=create
                    >
                        {move || i18n::people::create_person(i18n.lang(), &typed.get())}
                    </button>
                </li>
            </ul>
        </div>
    }
}
