//! "Mes suivis": the worker's caseload on the persons screen, grouped by stage, the
//! longest unseen first within a stage, so that who has dropped out of sight shows.
//!
//! Read once when the screen opens ([`MyCaseload`], the store's projection rows). A
//! worker who has not said who they are in Réglages is asked to, since a caseload is
//! someone's.

use filrouge_model::ipc::MyCaseload;
use filrouge_model::views::{Caseload, CaseloadEntry};
use filrouge_model::vocab::Stage;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::Shared;
use crate::i18n::{Said, use_i18n};
use crate::nav::Screen;
use crate::{clock, i18n, ipc};

/// Persons shown at most: beyond, the search finds them.
const SHOWN: u32 = 300;
/// Unseen for this many days, a person is flagged.
pub const LONG_UNSEEN_DAYS: i64 = 30;

/// The caseload.
#[component]
pub fn CaseloadList(shared: Shared) -> impl IntoView {
    let i18n = use_i18n();
    let caseload = RwSignal::new(None::<Caseload>);
    let error = RwSignal::new(None::<Said>);
    spawn_local(async move {
        match ipc::call(&MyCaseload { limit: SHOWN }).await {
            Ok(c) => caseload.set(Some(c)),
            Err(e) => error.set(Some(Said::Error(e))),
        }
    });
    let groups = move || {
        let lang = i18n.lang();
        let now = clock::now_ms();
        let mut groups: Vec<(Option<Stage>, Vec<CaseloadEntry>)> = Vec::new();
        for p in caseload.get().map(|c| c.persons).unwrap_or_default() {
            match groups.last_mut() {
                Some((stage, list)) if *stage == p.stage => list.push(p),
                _ => groups.push((p.stage, vec![p])),
            }
        }
        groups
            .into_iter()
            .map(|(stage, people)| {
                let title = stage.map_or_else(
                        || i18n::tr(lang, i18n::people::NO_STAGE),
                        |s| i18n::people::stage_label(lang, s).to_owned(),
                    );
                view! {
                    <li class="stage-group">
                        <h3>{format!("{title} ({})", people.len())}</h3>
                        <ul class="person-list">
                            {people
                                .into_iter()
                                .map(|p| {
                                    let days = p.last_seen.map(|t| (now - t).max(0) / 86_400_000);
                                    let long = days.is_none_or(|d| d >= LONG_UNSEEN_DAYS);
                                    let id = p.id.clone();
                                    view! {
                                        <li>
                                            <button
                                                type="button"
                                                class="person-row"
                                                class:unseen=long
                                                on:click=move |_| shared.screen.set(Screen::Person(id.clone()))
                                            >
                                                <span class="name">{p.pseudonym.clone()}</span>
                                                <span class="stage">{i18n::people::last_seen(lang, days)}</span>
                                            </button>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <section class="caseload" aria-labelledby="caseload-title">
            <h3 id="caseload-title">{move || i18n.t(i18n::people::MY_CASELOAD)}</h3>
            <p class="error" role="alert">{move || error.get().map(|m| m.text(i18n.lang()))}</p>
            <p
                class="empty"
                hidden=move || caseload.with(|c| c.as_ref().is_none_or(|c| c.worker_name.is_some()))
            >
                {move || i18n.t(i18n::people::SAY_WHO_YOU_ARE)}
            </p>
            <p
                class="empty"
                hidden=move || {
                    caseload
                        .with(|c| {
                            c.as_ref().is_none_or(|c| c.worker_name.is_none() || !c.persons.is_empty())
                        })
                }
            >
                {move || i18n.t(i18n::people::NO_FOLLOW_UPS)}
            </p>
            <ul id="caseload" class="stage-groups">{groups}</ul>
        </section>
    }
}
