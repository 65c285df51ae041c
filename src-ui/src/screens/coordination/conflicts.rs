//! "Modifications en conflit" on the coordination screen: the fields set to two values
//! at once on two devices ([`ListConflicts`], read from the laptop's own store when
//! asked), each with its values, the device that wrote each and when, "Garder" on each
//! value and a field to type the right one ([`SettleConflict`]: an ordinary synced edit
//! after both). A value typed is sent with the type the record stores (a number stays a
//! number); a wrong one gets the form's own error.

use filrouge_model::conflicts::{Conflict, ConflictList};
use filrouge_model::ipc::{CONFLICTS_SHOWN, ListConflicts, SettleConflict};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value as Json;

use crate::app::Shared;
use crate::clock;
use crate::i18n::{self, Said, conflicts as words, use_i18n};
use crate::ipc;
use crate::nav::Screen;

/// A typed value, read as the type of the values in conflict.
fn typed(text: &str, like: &[Json]) -> Json {
    let text = text.trim();
    if like.iter().any(Json::is_number)
        && let Ok(n) = text.parse::<i64>()
    {
        return Json::from(n);
    }
    Json::String(text.to_owned())
}

/// The section.
#[component]
pub fn ConflictsPanel(shared: Shared) -> impl IntoView {
    let i18n = use_i18n();
    let list = RwSignal::new(None::<ConflictList>);
    let busy = RwSignal::new(false);
    let said = RwSignal::new(None::<Said>);
    let error = RwSignal::new(None::<Said>);
    let show = move || {
        busy.set(true);
        spawn_local(async move {
            let result = ipc::call(&ListConflicts {
                limit: CONFLICTS_SHOWN,
            })
            .await;
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
    let settle = move |cmd: SettleConflict| {
        spawn_local(async move {
            match ipc::call(&cmd).await {
                Ok(left) => {
                    list.set(Some(left));
                    said.set(Some(Said::Message(words::SETTLED)));
                    error.set(None);
                }
                Err(e) => error.set(Some(Said::Error(e))),
            }
        });
    };
    let item = move |c: Conflict| {
        let today = clock::local_now();
        let field = c.field.clone();
        let values = c
            .values
            .iter()
            .map(|v| {
                let cmd = SettleConflict {
                    record: c.record.clone(),
                    field: c.field.clone(),
                    value: v.value.clone(),
                };
                let (path, value, who) = (field.clone(), v.value.clone(), v.clone());
                let when = clock::local(v.at);
                view! {
                    <li class="conflict-value">
                        <span class="value">{move || words::value(i18n.lang(), &path, &value)}</span>
                        <span class="by">
                            {move || words::by(i18n.lang(), &who, i18n::moment(i18n.lang(), when, today))}
                        </span>
                        <button type="button" class="secondary keep-value" on:click=move |_| settle(cmd.clone())>
                            {move || i18n.t(words::KEEP)}
                        </button>
                    </li>
                }
            })
            .collect_view();
        let typed_text = RwSignal::new(String::new());
        let like: Vec<Json> = c.values.iter().map(|v| v.value.clone()).collect();
        let (record, person) = (c.record.clone(), c.person.clone());
        let input_id = format!(
            "conflict-{}-{}",
            c.record.as_str(),
            c.field.replace('.', "-")
        );
        let about = c.about.clone();
        let (data_record, data_field) = (c.record.as_str().to_owned(), c.field.clone());
        view! {
            <li class="conflict card" data-record=data_record data-field=data_field>
                <p class="conflict-what">
                    <strong>{about}</strong>
                    " · "
                    {move || words::field(i18n.lang(), &field)}
                </p>
                <ul class="conflict-values">{values}</ul>
                <div class="conflict-typed">
                    <label for=input_id.clone()>{move || i18n.t(words::OTHER)}</label>
                    <input
                        id=input_id
                        type="text"
                        prop:value=move || typed_text.get()
                        on:input=move |ev| typed_text.set(event_target_value(&ev))
                    />
                    <button
                        type="button"
                        class="secondary keep-typed"
                        disabled=move || typed_text.with(|t| t.trim().is_empty())
                        on:click=move |_| {
                            settle(SettleConflict {
                                record: record.clone(),
                                field: c.field.clone(),
                                value: typed(&typed_text.get_untracked(), &like),
                            })
                        }
                    >
                        {move || i18n.t(words::KEEP_TYPED)}
                    </button>
                </div>
                {person.map(|p| {
                    view! {
                        <button type="button" class="link" on:click=move |_| shared.screen.set(Screen::Person(p.clone()))>
                            {move || i18n.t(words::OPEN)}
                        </button>
                    }
                })}
            </li>
        }
    };
    view! {
        <section id="conflicts" class="card conflicts no-print" aria-labelledby="conflicts-title">
            <div class="section-head">
                <h2 id="conflicts-title">{move || i18n.t(words::TITLE)}</h2>
                <button
                    type="button"
                    id="conflicts-show"
                    class="secondary"
                    disabled=move || busy.get()
                    on:click=move |_| {
                        said.set(None);
                        show();
                    }
                >
                    {move || i18n.t(words::SHOW)}
                </button>
            </div>
            <p class="hint">{move || i18n.t(words::INTRO)}</p>
            <p class="error" role="alert">{move || error.get().map(|m| m.text(i18n.lang()))}</p>
            <p class="notice" role="status" hidden=move || said.with(Option::is_none)>
                {move || said.get().map(|m| m.text(i18n.lang()))}
            </p>
            <p id="conflicts-found" role="status" hidden=move || list.with(Option::is_none)>
                {move || list.with(|l| l.as_ref().map(|l| words::found(i18n.lang(), l.total)))}
            </p>
            <ul class="conflict-list">
                {move || list.get().map(|l| l.conflicts.into_iter().map(item).collect_view())}
            </ul>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_value_keeps_the_type_of_the_values_in_conflict() {
        assert_eq!(
            typed(" 2004 ", &[Json::from(2005), Json::from(2006)]),
            Json::from(2004)
        );
        assert_eq!(typed("2004", &[Json::from("Bondy")]), Json::from("2004"));
        assert_eq!(
            typed("deux mille", &[Json::from(2005)]),
            Json::from("deux mille")
        );
    }
}
