//! A person's screen ("Personne"): who they are, where their path stands, and the
//! thread of everything recorded with them, newest first; then what a worker does from
//! here: change the stage, plan a relance, orient to a partner, record the consent.
//!
//! The screen reads [`GetPerson`] when it opens. A stage change ([`ChangeStage`])
//! answers with the whole screen again, so the new stage and its timeline line appear
//! together, from the store. Dates default to today and can be changed; an error keeps
//! what was typed and says what to do.

pub mod access;
pub mod erase;
pub mod forms;
pub mod hold;
pub mod known;
pub mod merged;
pub mod receipt;

use filrouge_model::Day;
use filrouge_model::ipc::{ChangeStage, GetPerson, PlanRelance};
use filrouge_model::views::{PartnerRow, PersonView};
use filrouge_model::vocab::{ExitKind, Stage};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::Shared;
use crate::i18n::{Said, use_i18n};
use crate::nav::Screen;
use crate::screens::person::forms::{ConsentForm, OrientForm, ReferentForm};
use crate::screens::person::known::KnownForm;
use crate::{clock, i18n, ipc};

/// A person's screen.
#[component]
pub fn PersonScreen(shared: Shared, id: filrouge_model::RecordId) -> impl IntoView {
    let i18n = use_i18n();
    let view_of = RwSignal::new(None::<PersonView>);
    let error = RwSignal::new(None::<Said>);
    // Both outlive the details, which are drawn again when a stage change answers.
    let notice = RwSignal::new(None::<Said>);
    let partners = crate::screens::people::partners::directory();
    // Whether "Ce qu'on sait" is open: kept while the details are drawn again, so a
    // worker who records the consent below finds the fold as they left it.
    let known_open = RwSignal::new(false);
    {
        let id = id.clone();
        spawn_local(async move {
            match ipc::call(&GetPerson { id }).await {
                Ok(v) => view_of.set(Some(v)),
                Err(e) => error.set(Some(Said::Error(e))),
            }
        });
    }

    view! {
        <section class="card person" aria-labelledby="person-name">
            <button
                type="button"
                id="person-back"
                class="link back"
                on:click=move |_| shared.screen.set(Screen::Persons)
            >
                {move || format!("← {}", i18n.t(i18n::people::BACK))}
            </button>
            <p class="error" role="alert">{move || error.get().map(|m| m.text(i18n.lang()))}</p>
            <p id="person-notice" class="confirmation" role="status">{move || notice.get().map(|m| m.text(i18n.lang()))}</p>
            {move || match view_of.get() {
                None => view! { <p class="empty">{move || i18n.t(i18n::people::PERSON_LOADING)}</p> }.into_any(),
                Some(v) => view! { <PersonDetails shared view_of notice partners known_open v /> }.into_any(),
            }}
        </section>
    }
}

/// The loaded screen.
#[component]
fn PersonDetails(
    shared: Shared,
    view_of: RwSignal<Option<PersonView>>,
    notice: RwSignal<Option<Said>>,
    partners: RwSignal<Vec<PartnerRow>>,
    known_open: RwSignal<bool>,
    v: PersonView,
) -> impl IntoView {
    let i18n = use_i18n();
    let p = &v.person;
    let name = match &p.last_name {
        Some(last) => format!("{} {last}", p.pseudonym),
        None => p.pseudonym.clone(),
    };
    let stage = {
        let current = p.stage;
        move || match current {
            Some(s) => i18n::people::stage_label(i18n.lang(), s).to_owned(),
            None => i18n.t(i18n::people::NO_STAGE),
        }
    };
    let referent = {
        let referent = p.referent.clone();
        move || {
            referent
                .clone()
                .unwrap_or_else(|| i18n.t(i18n::people::NO_REFERENT))
        }
    };
    let consent = {
        let given = p.consent.as_ref().map(|c| c.date);
        move || match given {
            Some(day) => i18n::people::consent_given(i18n.lang(), day),
            None => i18n.t(i18n::people::NO_CONSENT),
        }
    };
    let no_freins = p.freins.is_empty();
    let freins = {
        let set = p.freins.clone();
        move || {
            set.iter()
                .map(|f| i18n.label(*f))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    let commune = p.territory.commune.clone();
    let no_commune = commune.is_none();
    let no_categories = p.categories.is_empty();
    let categories = {
        let set = p.categories.clone();
        move || {
            set.iter()
                .map(|c| i18n.label(*c))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    let timeline = v.timeline.clone();
    let empty = timeline.is_empty();
    let merges = v.merges.clone();
    let name_for_erase = name.clone();
    view! {
        <h2 id="person-name">{name}</h2>
        <merged::MergedNotes shared view_of notice merges />
        <dl class="facts">
            <dt>{move || i18n.t(i18n::people::STAGE)}</dt>
            <dd id="person-stage">{stage}</dd>
            <dt>{move || i18n.t(i18n::people::REFERENT)}</dt>
            <dd id="person-referent">{referent}</dd>
            <dt hidden=no_freins>{move || i18n.t(i18n::people::FREINS)}</dt>
            <dd hidden=no_freins>{freins}</dd>
            <dt hidden=no_commune>{move || i18n.t(i18n::people::COMMUNE_SHOWN)}</dt>
            <dd id="person-commune" hidden=no_commune>{commune}</dd>
            <dt hidden=no_categories>{move || i18n.t(i18n::people::CATEGORIES)}</dt>
            <dd id="person-categories" hidden=no_categories>{categories}</dd>
            <dt>{move || i18n.t(i18n::people::CONSENT)}</dt>
            <dd id="person-consent">{consent}</dd>
        </dl>
        <KnownForm view_of notice open=known_open v=v.clone() />
        <h3 id="timeline-title">{move || i18n.t(i18n::people::TIMELINE)}</h3>
        <p class="empty" hidden=!empty>{move || i18n.t(i18n::people::TIMELINE_EMPTY)}</p>
        <ol id="timeline" class="timeline" aria-labelledby="timeline-title">
            {timeline
                .into_iter()
                .rev()
                .map(|e| {
                    let kind = e.what.kind().code();
                    let date = i18n::people::short_date(e.date);
                    view! {
                        <li class="timeline-entry" data-kind=kind>
                            <span class="date">{date}</span>
                            <span class="what">{move || i18n::people::timeline_line(i18n.lang(), &e)}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
        <StageForm shared view_of notice id=v.id.clone() current=p.stage />
        <RelanceForm shared notice id=v.id.clone() />
        <OrientForm view_of notice partners id=v.id.clone() />
        <ReferentForm view_of notice v=v.clone() />
        <ConsentForm view_of notice v=v.clone() />
        <receipt::ConsentReceipt view_of notice v=v.clone() />
        <hold::HoldSection shared view_of notice person=v.id.clone() hold=p.retention_hold.clone() />
        <access::AccessSection shared person=v.id.clone() />
        <erase::EraseSection shared person=v.id.clone() name=name_for_erase />
    }
}

/// The stage change form.
#[component]
fn StageForm(
    shared: Shared,
    view_of: RwSignal<Option<PersonView>>,
    notice: RwSignal<Option<Said>>,
    id: filrouge_model::RecordId,
    current: Option<Stage>,
) -> impl IntoView {
    let i18n = use_i18n();
    // Propose the stage after the current one: the usual next step of a path.
    let proposed = current
        .and_then(|s| Stage::ALL.iter().position(|x| *x == s))
        .and_then(|i| Stage::ALL.get(i + 1).copied())
        .unwrap_or(Stage::EnContact);
    let stage = RwSignal::new(proposed);
    // How the person left, asked only for a sortie (the funders count exits by kind).
    let exit = RwSignal::new(ExitKind::Emploi);
    let date = RwSignal::new(clock::today().to_string());
    let busy = RwSignal::new(false);
    let message = notice;
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let Ok(day) = Day::parse(&date.get_untracked()) else {
            message.set(Some(Said::Message(i18n::people::BAD_DATE)));
            return;
        };
        busy.set(true);
        let stage = stage.get_untracked();
        let args = ChangeStage {
            person_id: id.clone(),
            stage,
            date: day,
            note: None,
            exit: (stage == Stage::Sortie).then(|| exit.get_untracked()),
        };
        spawn_local(async move {
            let result = ipc::call(&args).await;
            busy.set(false);
            match result {
                Ok(v) => {
                    message.set(Some(Said::Message(i18n::people::STAGE_SAVED)));
                    view_of.set(Some(v));
                    shared.refresh_relances();
                }
                Err(e) => message.set(Some(Said::Error(e))),
            }
        });
    };
    view! {
        <form id="stage-form" class="inline-form" on:submit=on_submit novalidate>
            <h3>{move || i18n.t(i18n::people::CHANGE_STAGE)}</h3>
            <div class="row">
                <div class="field">
                    <label for="stage-select">{move || i18n.t(i18n::people::NEW_STAGE)}</label>
                    <select
                        id="stage-select"
                        on:change=move |ev| {
                            if let Some(s) = Stage::from_code(&event_target_value(&ev)) {
                                stage.set(s);
                            }
                        }
                    >
                        {Stage::ALL
                            .into_iter()
                            .map(|s| {
                                view! {
                                    <option value=s.code() selected=move || stage.get() == s>
                                        {move || i18n::people::stage_label(i18n.lang(), s)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="field" hidden=move || stage.get() != Stage::Sortie>
                    <label for="exit-select">{move || i18n.t(i18n::people::EXIT_KIND)}</label>
                    <select
                        id="exit-select"
                        on:change=move |ev| {
                            if let Some(x) = ExitKind::from_code(&event_target_value(&ev)) {
                                exit.set(x);
                            }
                        }
                    >
                        {ExitKind::ALL
                            .into_iter()
                            .map(|x| {
                                view! {
                                    <option value=x.code() selected=move || exit.get() == x>
                                        {move || i18n::label(x, i18n.lang())}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="stage-date">{move || i18n.t(i18n::people::DATE)}</label>
                    <input id="stage-date" type="date" bind:value=date />
                </div>
            </div>
            <button id="stage-save" type="submit" class="secondary" disabled=move || busy.get()>
                {move || i18n.t(i18n::people::SAVE_STAGE)}
            </button>
        </form>
    }
}

/// The relance form of a person's screen.
#[component]
fn RelanceForm(
    shared: Shared,
    notice: RwSignal<Option<Said>>,
    id: filrouge_model::RecordId,
) -> impl IntoView {
    let i18n = use_i18n();
    let due = RwSignal::new(
        clock::today()
            .checked_add_days(7)
            .unwrap_or_else(clock::today)
            .to_string(),
    );
    let reason = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let message = notice;
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let Ok(day) = Day::parse(&due.get_untracked()) else {
            message.set(Some(Said::Message(i18n::people::BAD_DATE)));
            return;
        };
        busy.set(true);
        let args = PlanRelance {
            person_id: Some(id.clone()),
            due: day,
            reason: reason.get_untracked(),
        };
        spawn_local(async move {
            let result = ipc::call(&args).await;
            busy.set(false);
            match result {
                Ok(_) => {
                    reason.set(String::new());
                    message.set(Some(Said::Message(i18n::people::RELANCE_SAVED)));
                    shared.refresh_relances();
                }
                Err(e) => message.set(Some(Said::Error(e))),
            }
        });
    };
    view! {
        <form id="relance-form" class="inline-form" on:submit=on_submit novalidate>
            <h3>{move || i18n.t(i18n::people::PLAN_RELANCE)}</h3>
            <div class="row">
                <div class="field">
                    <label for="relance-due">{move || i18n.t(i18n::people::DATE)}</label>
                    <input id="relance-due" type="date" bind:value=due />
                </div>
                <div class="field grow">
                    <label for="relance-reason">{move || i18n.t(i18n::people::RELANCE_REASON)}</label>
                    <input id="relance-reason" type="text" autocomplete="off" bind:value=reason />
                </div>
            </div>
            <button id="relance-save" type="submit" class="secondary" disabled=move || busy.get()>
                {move || i18n.t(i18n::people::SAVE_RELANCE)}
            </button>
        </form>
    }
}
