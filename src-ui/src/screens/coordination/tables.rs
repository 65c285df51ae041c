//! The dashboard's tables: territories of the persons met, orientations by partner and
//! status, overdue relances by worker, and the period's events. Each count is a button
//! that opens the records behind it; an event opens its own screen.

use filrouge_model::dashboard::{Dashboard, Figure, Figures};
use leptos::prelude::*;

use crate::app::Shared;
use crate::i18n::{self, Key, coordination as words, use_i18n};
use crate::nav::Screen;

/// A count that opens its records.
fn count_button(lang: i18n::Lang, n: u64, figure: Figure, pick: Callback<Figure>) -> impl IntoView {
    view! {
        <button type="button" class="link count-link" on:click=move |_| pick.run(figure.clone())>
            {i18n::number(lang, n)}
        </button>
    }
}

/// A titled table, or a line saying there is nothing in the period.
fn titled(
    id: &'static str,
    title: Key,
    heads: &'static [Key],
    empty: Signal<bool>,
    rows: impl IntoView + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="chart" id=id>
            <h3>{move || i18n.t(title)}</h3>
            <p class="empty" hidden=move || !empty.get()>{move || i18n.t(words::NOTHING)}</p>
            <table class="chart-table" hidden=move || empty.get()>
                <thead>
                    <tr>
                        {heads
                            .iter()
                            .map(|k| view! { <th scope="col">{move || i18n.t(*k)}</th> })
                            .collect_view()}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}

/// QPV, ZRR and overseas among the persons met: counts and shares.
#[component]
pub fn Territories(figures: Signal<Figures>, pick: Callback<Figure>) -> impl IntoView {
    let i18n = use_i18n();
    let rows = move || {
        let lang = i18n.lang();
        let f = figures.get();
        [
            (words::QPV, f.qpv, Figure::Qpv),
            (words::ZRR, f.zrr, Figure::Zrr),
            (words::OUTRE_MER, f.outre_mer, Figure::OutreMer),
        ]
        .into_iter()
        .map(|(key, n, figure)| {
            view! {
                <tr>
                    <th scope="row">{i18n::tr(lang, key)}</th>
                    <td>{count_button(lang, n, figure, pick)}</td>
                    <td>{words::share(lang, n, f.persons_met)}</td>
                </tr>
            }
        })
        .collect_view()
    };
    let empty = Signal::derive(move || figures.with(|f| f.persons_met == 0));
    titled(
        "table-territories",
        words::TERRITORIES,
        &[words::TERRITORIES, words::COUNT, words::PERSONS_MET],
        empty,
        rows,
    )
}

/// Orientations of the period, by partner and status.
#[component]
pub fn OrientationsTable(figures: Signal<Figures>, pick: Callback<Figure>) -> impl IntoView {
    let i18n = use_i18n();
    let rows = move || {
        let lang = i18n.lang();
        figures
            .get()
            .orientations
            .into_iter()
            .map(|o| {
                let figure = Figure::Orientations {
                    partner: o.partner.clone(),
                    status: o.status,
                };
                view! {
                    <tr>
                        <th scope="row">{o.partner.unwrap_or_else(|| i18n::tr(lang, words::NO_PARTNER))}</th>
                        <td>{i18n::label(o.status, lang)}</td>
                        <td>{count_button(lang, o.count, figure, pick)}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    let empty = Signal::derive(move || figures.with(|f| f.orientations.is_empty()));
    titled(
        "table-orientations",
        words::ORIENTATIONS,
        &[words::PARTNER, words::STATUS, words::COUNT],
        empty,
        rows,
    )
}

/// Open relances past their day, by référent (today, whatever the period).
#[component]
pub fn OverdueTable(dashboard: Signal<Option<Dashboard>>, pick: Callback<Figure>) -> impl IntoView {
    let i18n = use_i18n();
    let overdue =
        move || dashboard.with(|d| d.as_ref().map(|d| d.overdue.clone()).unwrap_or_default());
    let rows = move || {
        let lang = i18n.lang();
        overdue()
            .into_iter()
            .map(|x| {
                let figure = Figure::Overdue(x.key.clone());
                view! {
                    <tr>
                        <th scope="row">{x.key}</th>
                        <td>{count_button(lang, x.count, figure, pick)}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    let empty = Signal::derive(move || overdue().is_empty());
    titled(
        "table-overdue",
        words::OVERDUE,
        &[words::WORKER, words::COUNT],
        empty,
        rows,
    )
}

/// The period's events, registered and present; the name opens the event's screen.
#[component]
pub fn EventsTable(shared: Shared, figures: Signal<Figures>) -> impl IntoView {
    let i18n = use_i18n();
    let rows = move || {
        let lang = i18n.lang();
        figures
            .get()
            .events
            .into_iter()
            .map(|e| {
                let id = e.id.clone();
                view! {
                    <tr>
                        <th scope="row">
                            <button
                                type="button"
                                class="link"
                                on:click=move |_| shared.screen.set(Screen::Event(id.clone()))
                            >
                                {e.name.clone()}
                            </button>
                        </th>
                        <td>{i18n::people::short_date(e.date)}</td>
                        <td>{i18n::number(lang, e.registered)}</td>
                        <td>{i18n::number(lang, e.checked_in)}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    let empty = Signal::derive(move || figures.with(|f| f.events.is_empty()));
    titled(
        "table-events",
        words::EVENTS,
        &[
            words::EVENTS,
            words::DATE,
            words::REGISTERED,
            words::CHECKED_IN,
        ],
        empty,
        rows,
    )
}
