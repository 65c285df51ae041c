//! The funder's table on the coordination screen: each indicator of the default
//! definitions (and the team's own) counted over the period and its parts, "dont" lines
//! indented under their whole. "Pour un financeur" hides counts from 1 to 4, as the
//! table must be before it leaves the laptop.

use filrouge_model::dashboard::Period;
use filrouge_model::indicators::{Cell, FunderTable};
use filrouge_model::ipc::GetFunderTable;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::i18n::{self, Said, coordination as words, use_i18n};
use crate::ipc;

/// The table for the period shown.
#[component]
pub fn FunderTableView(period: RwSignal<Period>) -> impl IntoView {
    let i18n = use_i18n();
    let funder_mode = RwSignal::new(false);
    let table = RwSignal::new(None::<FunderTable>);
    let error = RwSignal::new(None::<Said>);
    let reads = ipc::Latest::new();
    Effect::new(move |_| {
        let asked = GetFunderTable {
            period: period.get(),
            funder_mode: funder_mode.get(),
        };
        spawn_local(async move {
            match reads.call(&asked).await {
                Some(Ok(t)) => {
                    table.set(Some(t));
                    error.set(None);
                }
                Some(Err(e)) => error.set(Some(Said::Error(e))),
                None => {}
            }
        });
    });
    let cell = move |c: Cell| match c {
        Cell::Count(n) => i18n::number(i18n.lang(), n),
        Cell::Suppressed => i18n.t(words::SUPPRESSED),
    };
    let heads = move || {
        let lang = i18n.lang();
        table.get().map(|t| {
            t.columns
                .iter()
                .map(|p| view! { <th scope="col">{words::period_label(lang, *p)}</th> })
                .collect_view()
        })
    };
    let rows = move || {
        table.get().map(|t| {
            t.rows
                .into_iter()
                .map(|r| {
                    view! {
                        <tr class:part=r.part_of.is_some() data-indicator=r.id.clone()>
                            <th scope="row">{r.label.clone()}</th>
                            {r.cells.iter().map(|c| view! { <td>{cell(*c)}</td> }).collect_view()}
                            <td class="total">{cell(r.total)}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <section class="chart funder" id="funder-table">
            <div class="section-head">
                <h3>{move || i18n.t(words::FUNDER_TABLE)}</h3>
                <label class="check no-print">
                    <input id="funder-mode" type="checkbox" bind:checked=funder_mode />
                    {move || i18n.t(words::FUNDER_MODE)}
                </label>
            </div>
            <p class="hint">{move || table.with(|t| t.as_ref().map(|t| t.name.clone()))}</p>
            <p class="error" role="alert">{move || error.get().map(|m| m.text(i18n.lang()))}</p>
            <div class="table-scroll">
                <table class="chart-table">
                    <thead>
                        <tr>
                            <th scope="col">{move || i18n.t(words::INDICATOR)}</th>
                            {heads}
                            <th scope="col">{move || i18n.t(words::TOTAL)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <p class="hint" hidden=move || !funder_mode.get()>{move || i18n.t(words::FUNDER_MODE_HELP)}</p>
        </section>
    }
}
