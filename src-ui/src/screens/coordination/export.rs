//! The coordination screen's exports: the period's records as a workbook or CSV
//! (pseudonymised unless the coordinator ticks the box, which says what it means), and
//! the funder's table with its small counts hidden. The shell writes the file into the
//! downloads folder; the screen says where, and how many rows.

use filrouge_model::dashboard::Period;
use filrouge_model::ipc::{Export, ExportFormat, ExportFunderTable, Exported, IpcError};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::i18n::{Said, coordination as words, use_i18n};
use crate::ipc;

/// The export buttons for the period shown.
#[component]
pub fn ExportBar(period: RwSignal<Period>) -> impl IntoView {
    let i18n = use_i18n();
    let personal = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let done = RwSignal::new(None::<Exported>);
    let error = RwSignal::new(None::<Said>);
    let finish = move |result: Result<Exported, IpcError>| {
        busy.set(false);
        match result {
            Ok(e) => {
                done.set(Some(e));
                error.set(None);
            }
            Err(e) => {
                done.set(None);
                error.set(Some(Said::Error(e)));
            }
        }
    };
    let export = move |format: ExportFormat| {
        busy.set(true);
        let asked = Export {
            period: period.get_untracked(),
            format,
            personal: personal.get_untracked(),
        };
        spawn_local(async move { finish(ipc::call(&asked).await) });
    };
    let funder = move |_| {
        busy.set(true);
        let asked = ExportFunderTable {
            period: period.get_untracked(),
        };
        spawn_local(async move { finish(ipc::call(&asked).await) });
    };
    view! {
        <div class="export-bar no-print">
            <label class="check">
                <input id="export-personal" type="checkbox" bind:checked=personal />
                {move || i18n.t(words::EXPORT_PERSONAL)}
            </label>
            <p class="notice" hidden=move || !personal.get()>{move || i18n.t(words::EXPORT_PERSONAL_WARNING)}</p>
            <div class="row">
                <button id="export-xlsx" type="button" class="secondary" disabled=move || busy.get() on:click=move |_| export(ExportFormat::Xlsx)>
                    {move || i18n.t(words::EXPORT_XLSX)}
                </button>
                <button id="export-csv" type="button" class="secondary" disabled=move || busy.get() on:click=move |_| export(ExportFormat::Csv)>
                    {move || i18n.t(words::EXPORT_CSV)}
                </button>
                <button id="export-funder" type="button" class="secondary" disabled=move || busy.get() on:click=funder>
                    {move || i18n.t(words::EXPORT_FUNDER)}
                </button>
            </div>
            <p id="export-done" class="confirmation" role="status">
                {move || done.get().map(|e| words::exported(i18n.lang(), &e.file, e.rows))}
            </p>
            <p class="error" role="alert">{move || error.get().map(|m| m.text(i18n.lang()))}</p>
        </div>
    }
}
