//! The folded part of the rencontre form: when it happened (if not just now), the rough
//! age and gender split of an anonymous group, needs, what was done, and the next step
//! with its relance date. Off the quick path (channel, count, save), which stays on one
//! phone screen; everything here is optional.

use std::collections::{BTreeMap, BTreeSet};

use filrouge_model::vocab::Vocab;
use filrouge_model::{Action, AgeBand, Frein, Gender};
use leptos::prelude::*;

use crate::app::aria_bool;
use crate::i18n::{self, I18n, use_i18n};
use crate::screens::today::form::Fields;

/// Needs, what was done, and the next step with its relance: folded, so that the
/// quick path (channel, count, save) stays on one phone screen.
#[component]
pub(crate) fn MoreDetails(fields: Fields) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <details id="more-details" class="more">
            <summary>{move || i18n.t(i18n::people::MORE_DETAILS)}</summary>
            <fieldset class="chips-set">
                <legend>{move || i18n.t(i18n::people::NEEDS)}</legend>
                <div class="chips">
                    {Frein::ALL
                        .into_iter()
                        .map(|f| chip(i18n, fields.needs, f))
                        .collect_view()}
                </div>
            </fieldset>
            <fieldset class="chips-set">
                <legend>{move || i18n.t(i18n::people::ACTIONS)}</legend>
                <div class="chips">
                    {Action::ALL
                        .into_iter()
                        .map(|a| chip(i18n, fields.actions, a))
                        .collect_view()}
                </div>
            </fieldset>
            <div class="field">
                <label for="occurred-time">{move || i18n.t(i18n::people::TIME)}</label>
                <input id="occurred-time" type="time" bind:value=fields.time />
            </div>
            <fieldset class="chips-set split">
                <legend>{move || i18n.t(i18n::people::SPLIT_AGE)}</legend>
                <div class="split-grid">
                    {AgeBand::ALL.into_iter().map(|b| count(i18n, "band", fields.age_bands, b)).collect_view()}
                </div>
            </fieldset>
            <fieldset class="chips-set split">
                <legend>{move || i18n.t(i18n::people::SPLIT_GENDER)}</legend>
                <div class="split-grid">
                    {Gender::ALL.into_iter().map(|g| count(i18n, "gender", fields.genders, g)).collect_view()}
                </div>
            </fieldset>
            <div class="row">
                <div class="field grow">
                    <label for="next-step">{move || i18n.t(i18n::people::NEXT_STEP)}</label>
                    <input id="next-step" type="text" autocomplete="off" bind:value=fields.next_step />
                </div>
                <div class="field">
                    <label for="follow-up">{move || i18n.t(i18n::people::RELANCE_DUE)}</label>
                    <input id="follow-up" type="date" bind:value=fields.relance_due />
                </div>
            </div>
        </details>
    }
}

/// A chip that toggles the vocabulary value `value` in `set`.
pub(crate) fn chip<T: Vocab + Ord + Copy + Send + Sync + 'static>(
    i18n: I18n,
    set: RwSignal<BTreeSet<T>>,
    value: T,
) -> impl IntoView {
    view! {
        <button
            type="button"
            class="chip small"
            data-code=value.code()
            aria-pressed=move || aria_bool(set.with(|s| s.contains(&value)))
            on:click=move |_| {
                set.update(|s| {
                    if !s.remove(&value) {
                        s.insert(value);
                    }
                })
            }
        >
            {move || i18n.label(value)}
        </button>
    }
}

/// A number input for one value of a split: empty or 0 takes it out of the map.
fn count<T: Vocab + Ord + Copy + Send + Sync + 'static>(
    i18n: I18n,
    prefix: &'static str,
    split: RwSignal<BTreeMap<T, u32>>,
    value: T,
) -> impl IntoView {
    let id = format!("{prefix}-{}", value.code());
    let for_id = id.clone();
    view! {
        <label class="split-count" for=for_id>
            <span>{move || i18n.label(value)}</span>
            <input
                id=id
                type="number"
                inputmode="numeric"
                min="0"
                prop:value=move || {
                    split.with(|s| s.get(&value).map(u32::to_string).unwrap_or_default())
                }
                on:input=move |ev| {
                    let n = event_target_value(&ev).trim().parse::<u32>().unwrap_or(0);
                    split
                        .update(|s| {
                            if n == 0 {
                                s.remove(&value);
                            } else {
                                s.insert(value, n);
                            }
                        })
                }
            />
        </label>
    }
}
