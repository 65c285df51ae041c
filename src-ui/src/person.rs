//! A person's screen ("Personne"): who they are, where their path stands, and the
//! thread of everything recorded with them; a stage change or a relance from here.
//!
//! The screen reads [`GetPersonne`] when it opens. A stage change ([`ChangeStage`])
//! answers with the whole screen again, so the new stage and its timeline line appear
//! together, from the store. Dates default to today and can be changed; an error keeps
//! what was typed and says what to do.

use filrouge_model::Day;
use filrouge_model::ipc::{ChangeStage, GetPersonne, PlanRelance};
use filrouge_model::views::PersonneView;
use filrouge_model::vocab::Stage;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::Shared;
use crate::nav::Screen;
use crate::{clock, i18n, ipc};

/// A person's screen.
#[component]
pub fn PersonScreen(shared: Shared, id: String) -> impl IntoView {
    let view_of = RwSignal::new(None::<PersonneView>);
    let error = RwSignal::new(None::<String>);
    // Outlives the details, which are drawn again when a stage change answers.
    let notice = RwSignal::new(None::<String>);
    {
        let id = id.clone();
        spawn_local(async move {
            match ipc::call(&GetPersonne { id }).await {
                Ok(v) => view_of.set(Some(v)),
                Err(e) => error.set(Some(i18n::error_sentence(&e))),
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
                {format!("← {}", i18n::people::BACK)}
            </button>
            <p class="error" role="alert">{move || error.get()}</p>
            <p id="person-notice" class="confirmation" role="status">{move || notice.get()}</p>
            {move || match view_of.get() {
                None => view! { <p class="empty">{i18n::people::PERSON_LOADING}</p> }.into_any(),
                Some(v) => view! { <PersonDetails shared view_of notice v /> }.into_any(),
            }}
        </section>
    }
}

/// The loaded screen.
#[component]
fn PersonDetails(
    shared: Shared,
    view_of: RwSignal<Option<PersonneView>>,
    notice: RwSignal<Option<String>>,
    v: PersonneView,
) -> impl IntoView {
    let p = &v.person;
    let name = match &p.last_name {
        Some(last) => format!("{} {last}", p.pseudonym),
        None => p.pseudonym.clone(),
    };
    let stage = p
        .stage
        .map_or(i18n::people::NO_STAGE, i18n::people::stage_label);
    let referent = p
        .referent
        .clone()
        .unwrap_or_else(|| i18n::people::NO_REFERENT.to_owned());
    let consent = p.consent.as_ref().map_or_else(
        || i18n::people::NO_CONSENT.to_owned(),
        |c| i18n::people::consent_given(c.date),
    );
    let timeline = v.timeline.clone();
    let empty = timeline.is_empty();
    view! {
        <h2 id="person-name">{name}</h2>
        <dl class="facts">
            <dt>{i18n::people::STAGE}</dt>
            <dd id="person-stage">{stage}</dd>
            <dt>{i18n::people::REFERENT}</dt>
            <dd>{referent}</dd>
            <dt>{i18n::people::CONSENT}</dt>
            <dd>{consent}</dd>
        </dl>
        <StageForm shared view_of notice id=v.id.clone() current=p.stage />
        <RelanceForm shared notice id=v.id.clone() />
        <h3 id="timeline-title">{i18n::people::TIMELINE}</h3>
        <p class="empty" hidden=!empty>{i18n::people::TIMELINE_EMPTY}</p>
        <ol id="timeline" class="timeline" aria-labelledby="timeline-title">
            {timeline
                .into_iter()
                .rev()
                .map(|e| {
                    let date = Day::parse(&e.date)
                        .map(i18n::people::short_date)
                        .unwrap_or_else(|_| e.date.clone());
                    view! {
                        <li class="timeline-entry" data-kind=e.kind.clone()>
                            <span class="date">{date}</span>
                            <span class="what">{i18n::people::timeline_line(&e)}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}

/// The stage change form.
#[component]
fn StageForm(
    shared: Shared,
    view_of: RwSignal<Option<PersonneView>>,
    notice: RwSignal<Option<String>>,
    id: String,
    current: Option<Stage>,
) -> impl IntoView {
    // Propose the stage after the current one: the usual next step of a path.
    let proposed = current
        .and_then(|s| Stage::ALL.iter().position(|x| *x == s))
        .and_then(|i| Stage::ALL.get(i + 1).copied())
        .unwrap_or(Stage::EnContact);
    let stage = RwSignal::new(proposed);
    let date = RwSignal::new(clock::today().to_string());
    let busy = RwSignal::new(false);
    let message = notice;
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let Ok(day) = Day::parse(&date.get_untracked()) else {
            message.set(Some(i18n::people::BAD_DATE.to_owned()));
            return;
        };
        busy.set(true);
        let args = ChangeStage {
            person_id: id.clone(),
            stage: stage.get_untracked(),
            date: day,
            note: None,
        };
        spawn_local(async move {
            let result = ipc::call(&args).await;
            busy.set(false);
            match result {
                Ok(v) => {
                    message.set(Some(i18n::people::STAGE_SAVED.to_owned()));
                    view_of.set(Some(v));
                    shared.refresh_relances();
                }
                Err(e) => message.set(Some(i18n::error_sentence(&e))),
            }
        });
    };
    view! {
        <form id="stage-form" class="inline-form" on:submit=on_submit novalidate>
            <h3>{i18n::people::CHANGE_STAGE}</h3>
            <div class="row">
                <div class="field">
                    <label for="stage-select">{i18n::people::NEW_STAGE}</label>
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
                                        {i18n::people::stage_label(s)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="stage-date">{i18n::people::DATE}</label>
                    <input id="stage-date" type="date" bind:value=date />
                </div>
            </div>
            <button id="stage-save" type="submit" class="secondary" disabled=move || busy.get()>
                {i18n::people::SAVE_STAGE}
            </button>
        </form>
    }
}

/// The relance form of a person's screen.
#[component]
fn RelanceForm(shared: Shared, notice: RwSignal<Option<String>>, id: String) -> impl IntoView {
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
            message.set(Some(i18n::people::BAD_DATE.to_owned()));
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
                    message.set(Some(i18n::people::RELANCE_SAVED.to_owned()));
                    shared.refresh_relances();
                }
                Err(e) => message.set(Some(i18n::error_sentence(&e))),
            }
        });
    };
    view! {
        <form id="relance-form" class="inline-form" on:submit=on_submit novalidate>
            <h3>{i18n::people::PLAN_RELANCE}</h3>
            <div class="row">
                <div class="field">
                    <label for="relance-due">{i18n::people::DATE}</label>
                    <input id="relance-due" type="date" bind:value=due />
                </div>
                <div class="field grow">
                    <label for="relance-reason">{i18n::people::RELANCE_REASON}</label>
                    <input id="relance-reason" type="text" autocomplete="off" bind:value=reason />
                </div>
            </div>
            <button id="relance-save" type="submit" class="secondary" disabled=move || busy.get()>
                {i18n::people::SAVE_RELANCE}
            </button>
        </form>
    }
}
