//! "Qualité des données" on the coordination screen: each rule of
//! [`filrouge_model::quality`] with its count, opened to the records it finds (the
//! first fifty, oldest first), each with a button to its person's thread. Nothing is
//! changed from here: the coordinator fixes a record on its thread. Below, this
//! device's erasure register: each erasure's day, reason and number of records.

use filrouge_model::erasure::ErasureEntry;
use filrouge_model::ipc::{GetDataQuality, ListErasures};
use filrouge_model::quality::{DataQuality, QualityCheck};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::Shared;
use crate::i18n::{Said, coordination as words, use_i18n};
use crate::ipc;
use crate::nav::Screen;

/// The section.
#[component]
pub fn QualityPanel(shared: Shared) -> impl IntoView {
    let i18n = use_i18n();
    let report = RwSignal::new(None::<DataQuality>);
    let erasures = RwSignal::new(None::<Vec<ErasureEntry>>);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<Said>);
    let check = move || {
        busy.set(true);
        spawn_local(async move {
            let result = ipc::call(&GetDataQuality {}).await;
            let register = ipc::call(&ListErasures {}).await;
            busy.set(false);
            match result.and_then(|r| register.map(|e| (r, e))) {
                Ok((r, e)) => {
                    report.set(Some(r));
                    erasures.set(Some(e));
                    error.set(None);
                }
                Err(e) => error.set(Some(Said::Error(e))),
            }
        });
    };
    let rule = move |c: QualityCheck| {
        let (rule, count) = (c.rule, c.count);
        let items = c
            .items
            .into_iter()
            .map(|item| {
                let person = item.person.clone();
                let line = move || crate::i18n::coordination::quality_item(i18n.lang(), &item);
                view! {
                    <li class="quality-item">
                        <span>{line}</span>
                        {person.map(|p| {
                            view! {
                                <button
                                    type="button"
                                    class="link"
                                    on:click=move |_| shared.screen.set(Screen::Person(p.clone()))
                                >
                                    {move || i18n.t(words::QUALITY_OPEN)}
                                </button>
                            }
                        })}
                    </li>
                }
            })
            .collect_view();
        view! {
            <details class="quality-rule" data-rule=filrouge_model::Vocab::code(rule)>
                <summary>
                    <span class="quality-label">{move || i18n.label(rule)}</span>
                    <span class="quality-count">{count}</span>
                </summary>
                <ul class="quality-items">{items}</ul>
            </details>
        }
    };
    view! {
        <section id="quality" class="card quality no-print" aria-labelledby="quality-title">
            <div class="section-head">
                <h2 id="quality-title">{move || i18n.t(words::QUALITY_TITLE)}</h2>
                <button
                    type="button"
                    id="quality-check"
                    class="secondary"
                    disabled=move || busy.get()
                    on:click=move |_| check()
                >
                    {move || i18n.t(words::QUALITY_CHECK)}
                </button>
            </div>
            <p class="hint">{move || i18n.t(words::QUALITY_INTRO)}</p>
            <p class="error" role="alert">{move || error.get().map(|m| m.text(i18n.lang()))}</p>
            <div class="quality-rules">
                {move || report.get().map(|r| r.checks.into_iter().map(rule).collect_view())}
            </div>
            {move || {
                erasures
                    .get()
                    .map(|list| {
                        let count = list.len();
                        view! {
                            <details class="quality-rule erasures">
                                <summary>
                                    <span class="quality-label">{move || i18n.t(words::ERASURES)}</span>
                                    <span class="quality-count">{count}</span>
                                </summary>
                                <ul class="quality-items">
                                    {list
                                        .into_iter()
                                        .map(|e| {
                                            view! {
                                                <li class="quality-item erasure">
                                                    {move || words::erasure_line(i18n.lang(), &e)}
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            </details>
                        }
                    })
            }}
        </section>
    }
}
