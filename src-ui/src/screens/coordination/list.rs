//! The records behind a count of the dashboard: its title with how many there are, then
//! one line each. A person's line opens their thread; so does the person of an
//! orientation or a relance.

use filrouge_model::RecordId;
use filrouge_model::dashboard::{Figure, FigureList};
use leptos::prelude::*;

use crate::app::Shared;
use crate::clock;
use crate::i18n::{self, coordination as words, use_i18n};
use crate::nav::Screen;

/// A button that opens a person's thread.
fn person_link(shared: Shared, id: RecordId, name: String) -> impl IntoView {
    view! {
        <button type="button" class="link" on:click=move |_| shared.screen.set(Screen::Person(id.clone()))>
            {name}
        </button>
    }
}

/// The list of the figure last opened, if any.
#[component]
pub fn FigureListView(
    shared: Shared,
    listed: RwSignal<Option<(Figure, FigureList)>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let title = move || {
        listed.with(|l| {
            l.as_ref().map(|(figure, rows)| {
                format!(
                    "{} ({})",
                    words::figure_title(i18n.lang(), figure),
                    i18n::number(i18n.lang(), rows.len() as u64)
                )
            })
        })
    };
    let rows = move || {
        let lang = i18n.lang();
        let now = clock::local_now();
        let Some((_, list)) = listed.get() else {
            return ().into_any();
        };
        match list {
            FigureList::Rencontres(rows) => rows
                .into_iter()
                .map(|r| {
                    let people = i18n::people(lang, r.headcount, r.pseudonym.as_deref());
                    let named = if r.named > 0 {
                        format!(" + {}", i18n::number(lang, u64::from(r.named)))
                    } else {
                        String::new()
                    };
                    view! {
                        <li class="figure-row">
                            <span class="when">{i18n::day_and_time(lang, clock::local(r.occurred_at), now)}</span>
                            <span>{i18n::label(r.channel, lang)}</span>
                            <span>{r.place}</span>
                            <span>{format!("{people}{named}")}</span>
                        </li>
                    }
                })
                .collect_view()
                .into_any(),
            FigureList::Persons(rows) => rows
                .into_iter()
                .map(|p| {
                    let stage = words::stage_or_none(lang, p.stage);
                    view! {
                        <li class="figure-row">
                            {person_link(shared, p.id, p.pseudonym)}
                            <span>{stage}</span>
                        </li>
                    }
                })
                .collect_view()
                .into_any(),
            FigureList::Orientations(rows) => rows
                .into_iter()
                .map(|o| {
                    let name = o.person.unwrap_or_else(|| o.person_id.as_str().to_owned());
                    view! {
                        <li class="figure-row">
                            <span class="when">{i18n::people::short_date(o.date)}</span>
                            {person_link(shared, o.person_id, name)}
                            <span>{o.partner.unwrap_or_else(|| i18n::tr(lang, words::NO_PARTNER))}</span>
                            <span>{i18n::label(o.status, lang)}</span>
                        </li>
                    }
                })
                .collect_view()
                .into_any(),
            FigureList::Relances(rows) => rows
                .into_iter()
                .map(|r| {
                    let who = match (r.person_id, r.person) {
                        (Some(id), Some(name)) => person_link(shared, id, name).into_any(),
                        _ => ().into_any(),
                    };
                    view! {
                        <li class="figure-row">
                            <span class="when">{i18n::people::short_date(r.due)}</span>
                            {who}
                            <span>{r.reason}</span>
                        </li>
                    }
                })
                .collect_view()
                .into_any(),
        }
    };
    let empty = move || listed.with(|l| l.as_ref().is_some_and(|(_, rows)| rows.is_empty()));
    view! {
        <section id="figure-list" class="card no-print" hidden=move || listed.with(Option::is_none)>
            <div class="section-head">
                <h2 id="figure-list-title" tabindex="-1">{title}</h2>
                <button type="button" class="secondary" on:click=move |_| listed.set(None)>
                    {move || i18n.t(words::CLOSE_LIST)}
                </button>
            </div>
            <p class="empty" hidden=move || !empty()>{move || i18n.t(words::EMPTY_LIST)}</p>
            <ul class="figure-rows">{rows}</ul>
        </section>
    }
}
