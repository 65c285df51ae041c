//! Importing the team's spreadsheet on the coordination screen: pick a CSV or XLSX
//! file, say what its rows are and which column holds which field (guessed from the
//! headers), check every row (each refused one listed with its reason), then import
//! them all at once. The file's bytes go to the shell with each step; nothing is kept.

use filrouge_model::import::{ImportField, ImportKind, ImportMapping, ImportPreview, ImportReport};
use filrouge_model::ipc::{DryRunImport, Import, PreviewImport};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::app::{Shared, aria_bool};
use crate::i18n::{self, Said, coordination as words, use_i18n};
use crate::ipc;

/// Reads the file picked in `input`, as bytes.
async fn file_bytes(input: web_sys::HtmlInputElement) -> Option<Vec<u8>> {
    let file = input.files()?.get(0)?;
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .ok()?;
    Some(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// The import panel.
#[component]
pub fn ImportPanel(shared: Shared) -> impl IntoView {
    let i18n = use_i18n();
    let bytes = StoredValue::new(Vec::<u8>::new());
    let preview = RwSignal::new(None::<ImportPreview>);
    let mapping = RwSignal::new(None::<ImportMapping>);
    let report = RwSignal::new(None::<ImportReport>);
    let error = RwSignal::new(None::<Said>);
    let busy = RwSignal::new(false);

    let on_file = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        report.set(None);
        spawn_local(async move {
            let Some(read) = file_bytes(input).await else {
                return;
            };
            bytes.set_value(read.clone());
            match ipc::call(&PreviewImport { bytes: read }).await {
                Ok(p) => {
                    mapping.set(p.suggested.first().cloned());
                    preview.set(Some(p));
                    error.set(None);
                }
                Err(e) => {
                    preview.set(None);
                    error.set(Some(Said::Error(e)));
                }
            }
        });
    };
    let set_kind = move |kind: ImportKind| {
        let suggested = preview.with_untracked(|p| {
            p.as_ref()
                .and_then(|p| p.suggested.iter().find(|m| m.kind == kind).cloned())
        });
        mapping.set(suggested);
        report.set(None);
    };
    let set_column = move |field: ImportField, column: Option<usize>| {
        mapping.update(|m| {
            if let Some(m) = m {
                m.columns.retain(|(f, _)| *f != field);
                if let Some(c) = column {
                    m.columns.push((field, c));
                }
            }
        });
        report.set(None);
    };
    let check = move |write: bool| {
        let Some(mapping) = mapping.get_untracked() else {
            return;
        };
        busy.set(true);
        let bytes = bytes.get_value();
        spawn_local(async move {
            let result = if write {
                ipc::call(&Import { bytes, mapping }).await
            } else {
                ipc::call(&DryRunImport { bytes, mapping }).await
            };
            busy.set(false);
            match result {
                Ok(r) => {
                    if r.written {
                        shared.refresh();
                    }
                    report.set(Some(r));
                    error.set(None);
                }
                Err(e) => error.set(Some(Said::Error(e))),
            }
        });
    };

    let kind_buttons = move || {
        let current = mapping.with(|m| m.as_ref().map(|m| m.kind));
        [
            (ImportKind::Rencontres, words::IMPORT_RENCONTRES),
            (ImportKind::Personnes, words::IMPORT_PERSONS),
        ]
        .into_iter()
        .map(|(kind, key)| {
            view! {
                <button
                    type="button"
                    class="chip"
                    data-kind=format!("{kind:?}").to_lowercase()
                    aria-pressed=aria_bool(current == Some(kind))
                    on:click=move |_| set_kind(kind)
                >
                    {move || i18n.t(key)}
                </button>
            }
        })
        .collect_view()
    };
    let selects = move || {
        let lang = i18n.lang();
        let headers = preview.with(|p| p.as_ref().map(|p| p.headers.clone()).unwrap_or_default());
        let Some(m) = mapping.get() else {
            return ().into_any();
        };
        ImportField::of(m.kind)
            .iter()
            .map(|&field| {
                let chosen = m.column(field);
                let id = format!("import-field-{field:?}").to_lowercase();
                let label = match lang {
                    i18n::Lang::Fr => field.label_fr(),
                    i18n::Lang::En => field.label_en(),
                };
                view! {
                    <div class="field">
                        <label for=id.clone()>{label}</label>
                        <select
                            id=id
                            on:change=move |ev| set_column(field, event_target_value(&ev).parse().ok())
                        >
                            <option value="" selected=chosen.is_none()>{i18n::tr(lang, words::IMPORT_NO_COLUMN)}</option>
                            {headers
                                .iter()
                                .enumerate()
                                .map(|(i, h)| {
                                    view! { <option value=i.to_string() selected=chosen == Some(i)>{h.clone()}</option> }
                                })
                                .collect_view()}
                        </select>
                    </div>
                }
            })
            .collect_view()
            .into_any()
    };
    let sample = move || {
        preview.get().map(|p| {
            view! {
                <div class="table-scroll">
                    <table class="chart-table" id="import-sample">
                        <thead>
                            <tr>{p.headers.iter().map(|h| view! { <th scope="col">{h.clone()}</th> }).collect_view()}</tr>
                        </thead>
                        <tbody>
                            {p.sample
                                .iter()
                                .map(|row| view! { <tr>{row.iter().map(|c| view! { <td>{c.clone()}</td> }).collect_view()}</tr> })
                                .collect_view()}
                        </tbody>
                    </table>
                </div>
            }
        })
    };
    let outcome = move || {
        let lang = i18n.lang();
        report.get().map(|r| {
            view! {
                <p id="import-summary" role="status">{words::import_summary(lang, &r)}</p>
                <ul id="import-problems" class="figure-rows">
                    {r.refused
                        .iter()
                        .map(|p| view! { <li class="figure-row error">{words::import_problem(lang, p)}</li> })
                        .collect_view()}
                </ul>
            }
        })
    };
    let ready = move || {
        report.with(|r| {
            r.as_ref()
                .is_some_and(|r| r.refused.is_empty() && !r.written)
        })
    };
    view! {
        <details class="card no-print" id="import">
            <summary>{move || i18n.t(words::IMPORT)}</summary>
            <p class="hint">{move || i18n.t(words::IMPORT_HINT)}</p>
            <div class="field">
                <label for="import-file">{move || i18n.t(words::IMPORT_FILE)}</label>
                <input id="import-file" type="file" accept=".csv,.xlsx,text/csv" on:change=on_file />
            </div>
            <p class="error" role="alert">{move || error.get().map(|m| m.text(i18n.lang()))}</p>
            <div hidden=move || preview.with(Option::is_none)>
                <p>{move || preview.with(|p| p.as_ref().map(|p| words::import_rows(i18n.lang(), p.rows)))}</p>
                <div class="row" role="group" aria-label=move || i18n.t(words::IMPORT_KIND)>{kind_buttons}</div>
                <div class="import-mapping">{selects}</div>
                {sample}
                <div class="row">
                    <button id="import-check" type="button" class="secondary" disabled=move || busy.get() on:click=move |_| check(false)>
                        {move || i18n.t(words::IMPORT_CHECK)}
                    </button>
                    <button id="import-run" type="button" class="secondary" disabled=move || busy.get() || !ready() on:click=move |_| check(true)>
                        {move || i18n.t(words::IMPORT_RUN)}
                    </button>
                </div>
                {outcome}
            </div>
        </details>
    }
}
