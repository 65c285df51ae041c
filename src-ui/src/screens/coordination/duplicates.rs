//! "Doublons possibles" on the coordination screen: the pairs of person records the
//! duplicate finder proposes ([`ListDuplicates`], read from the laptop's own store when
//! asked), each with both persons side by side, the likeness and its reasons, a button
//! to each thread, and "Pas la même personne" ([`DismissDuplicate`]: a synced record;
//! the pair leaves the list here and on every device), or "Fusionner…" (the choice of
//! [`super::merge`]).

use filrouge_model::duplicates::{DuplicateList, DuplicatePair, PersonSide};
use filrouge_model::ipc::{DismissDuplicate, ListDuplicates};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::Shared;
use crate::i18n::{Said, duplicates as words, use_i18n};
use crate::ipc;
use crate::nav::Screen;

/// How many pairs are listed at once: the closest first; a dismissed one makes room.
const SHOWN: u32 = 50;

/// The section.
#[component]
pub fn DuplicatesPanel(shared: Shared) -> impl IntoView {
    let i18n = use_i18n();
    let list = RwSignal::new(None::<DuplicateList>);
    let busy = RwSignal::new(false);
    let said = RwSignal::new(None::<Said>);
    let error = RwSignal::new(None::<Said>);
    let search = move || {
        busy.set(true);
        spawn_local(async move {
            let result = ipc::call(&ListDuplicates { limit: SHOWN }).await;
            busy.set(false);
            match result {
                Ok(found) => {
                    list.set(Some(found));
                    error.set(None);
                }
                Err(e) => error.set(Some(Said::Error(e))),
            }
        });
    };
    let dismiss = move |pair: &DuplicatePair| {
        let cmd = DismissDuplicate {
            a: pair.a.id.clone(),
            b: pair.b.id.clone(),
        };
        spawn_local(async move {
            match ipc::call(&cmd).await {
                Ok(()) => {
                    said.set(Some(Said::Message(words::DISMISSED)));
                    error.set(None);
                    search();
                }
                Err(e) => error.set(Some(Said::Error(e))),
            }
        });
    };
    let side = move |person: PersonSide| {
        let id = person.id.clone();
        let facts = person.clone();
        view! {
            <div class="duplicate-side">
                <p class="duplicate-name">{words::name(&person)}</p>
                <p class="duplicate-facts">{move || words::facts(i18n.lang(), &facts)}</p>
                <button
                    type="button"
                    class="link"
                    on:click=move |_| shared.screen.set(Screen::Person(id.clone()))
                >
                    {move || i18n.t(words::OPEN)}
                </button>
            </div>
        }
    };
    let pairs = move || {
        list.get().map(|l| {
            l.pairs
                .into_iter()
                .map(|pair| {
                    let reasons = pair.likeness.reasons.clone();
                    let score = pair.likeness.score;
                    let key = format!("{}-{}", pair.a.id.as_str(), pair.b.id.as_str());
                    let for_dismiss = pair.clone();
                    let for_merge = pair.clone();
                    let merging = RwSignal::new(false);
                    view! {
                        <li class="duplicate-pair card" data-pair=key>
                            <p class="duplicate-score">{move || words::score(i18n.lang(), score)}</p>
                            <div class="duplicate-sides">
                                {side(pair.a.clone())}
                                {side(pair.b.clone())}
                            </div>
                            <p class="duplicate-reasons">
                                <span class="visually-hidden">{move || i18n.t(words::WHY)} " : "</span>
                                {move || words::reasons(i18n.lang(), &reasons)}
                            </p>
                            <div class="actions" hidden=move || merging.get()>
                                <button
                                    type="button"
                                    class="secondary merge-pair"
                                    on:click=move |_| merging.set(true)
                                >
                                    {move || i18n.t(words::MERGE)}
                                </button>
                                <button
                                    type="button"
                                    class="secondary not-same"
                                    on:click=move |_| dismiss(&for_dismiss)
                                >
                                    {move || i18n.t(words::NOT_SAME)}
                                </button>
                            </div>
                            <Show when=move || merging.get()>
                                <super::merge::MergeChoice
                                    shared
                                    pair=for_merge.clone()
                                    close=Callback::new(move |()| merging.set(false))
                                />
                            </Show>
                        </li>
                    }
                })
                .collect_view()
        })
    };

    view! {
        <section id="duplicates" class="card duplicates no-print" aria-labelledby="duplicates-title">
            <div class="section-head">
                <h2 id="duplicates-title">{move || i18n.t(words::TITLE)}</h2>
                <button
                    type="button"
                    id="duplicates-search"
                    class="secondary"
                    disabled=move || busy.get()
                    on:click=move |_| {
                        said.set(None);
                        search();
                    }
                >
                    {move || i18n.t(if busy.get() { words::SEARCHING } else { words::SEARCH })}
                </button>
            </div>
            <p class="hint">{move || i18n.t(words::INTRO)}</p>
            <p class="error" role="alert">{move || error.get().map(|m| m.text(i18n.lang()))}</p>
            <p class="notice" role="status" hidden=move || said.with(Option::is_none)>
                {move || said.get().map(|m| m.text(i18n.lang()))}
            </p>
            <p id="duplicates-found" role="status" hidden=move || list.with(Option::is_none)>
                {move || list.with(|l| l.as_ref().map(|l| words::found(i18n.lang(), l.total, l.persons)))}
            </p>
            <ul class="duplicate-pairs">{pairs}</ul>
        </section>
    }
}
