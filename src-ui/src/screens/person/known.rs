//! "Ce qu'on sait": what is known about a person, in a fold of their screen.
//!
//! Everything here is optional (minimum collection): last name, birth year or a rough
//! age, gender, commune and its flags, public categories, freins, what they like, the
//! skills they showed, and a way to reach them. The contact fields are shown only once
//! the person's consent covers being contacted; before that the fold says so, and the
//! store would refuse them anyway. Saving sends the whole record (`UpdatePerson`),
//! checked here first with the model's own validation so a mistake is named before any
//! round trip, and the answer, the screen as stored, replaces the one shown.

use std::collections::BTreeSet;

use filrouge_model::ipc::IpcError;
use filrouge_model::views::PersonView;
use filrouge_model::vocab::{ConsentScope, Vocab};
use filrouge_model::{Contact, Field, Problem, ValidationError};
use leptos::prelude::*;

use crate::i18n::{I18n, Key, Said, use_i18n};
use crate::screens::person::forms::person_submit;
use crate::screens::today::form_more::chip;
use crate::{clock, i18n};

/// The fold and its form. `v` is the screen as loaded; `open` is the fold's state,
/// which outlives the form.
#[component]
pub(crate) fn KnownForm(
    view_of: RwSignal<Option<PersonView>>,
    notice: RwSignal<Option<Said>>,
    open: RwSignal<bool>,
    v: PersonView,
) -> impl IntoView {
    let i18n = use_i18n();
    let p = &v.person;
    let text = |s: &Option<String>| RwSignal::new(s.clone().unwrap_or_default());
    let last_name = text(&p.last_name);
    let birth_year = RwSignal::new(p.birth_year.map(|y| y.to_string()).unwrap_or_default());
    let age_band = RwSignal::new(p.age_band);
    let gender = RwSignal::new(p.gender);
    let commune = text(&p.territory.commune);
    let qpv = RwSignal::new(p.territory.qpv);
    let zrr = RwSignal::new(p.territory.zrr);
    let outre_mer = RwSignal::new(p.territory.outre_mer);
    let categories = RwSignal::new(p.categories.clone());
    let freins = RwSignal::new(p.freins.clone());
    let interests = RwSignal::new(p.interests.clone());
    let skills = RwSignal::new(p.skills.clone());
    let contact = p.contact.clone().unwrap_or_default();
    let phone = text(&contact.phone);
    let handle = text(&contact.handle);
    let may_contact = p
        .consent
        .as_ref()
        .is_some_and(|c| c.scopes.contains(&ConsentScope::Contact));
    let busy = RwSignal::new(false);
    let on_submit = person_submit(
        view_of,
        notice,
        busy,
        v,
        i18n::people::KNOWN_SAVED,
        move |person| {
            let filled =
                |s: RwSignal<String>| Some(s.get_untracked()).filter(|t| !t.trim().is_empty());
            person.birth_year = match filled(birth_year) {
                None => None,
                Some(year) => Some(year.trim().parse().map_err(|_| {
                    IpcError::Validation(ValidationError::new(Field::BirthYear, Problem::Malformed))
                })?),
            };
            person.last_name = filled(last_name);
            person.age_band = age_band.get_untracked();
            person.gender = gender.get_untracked();
            person.territory.commune = filled(commune);
            person.territory.qpv = qpv.get_untracked();
            person.territory.zrr = zrr.get_untracked();
            person.territory.outre_mer = outre_mer.get_untracked();
            person.categories = categories.get_untracked();
            person.freins = freins.get_untracked();
            person.interests = interests.get_untracked();
            person.skills = skills.get_untracked();
            if may_contact {
                person.contact = Some(Contact {
                    phone: filled(phone),
                    handle: filled(handle),
                });
            }
            // Checked here with the model's rules, so a mistake is named at once.
            *person = person.clone().validate(clock::now_ms())?;
            Ok(())
        },
    );

    view! {
        <details id="known" class="more" prop:open=move || open.get()>
            // The summary toggles the state the fold is drawn from (a click, or Enter or
            // Space on the focused summary, which the browser turns into a click).
            <summary on:click=move |ev| {
                ev.prevent_default();
                open.update(|o| *o = !*o);
            }>{move || i18n.t(i18n::people::KNOWN)}</summary>
            <form id="known-form" class="inline-form" on:submit=on_submit novalidate>
                <div class="row">
                    <div class="field grow">
                        <label for="known-last-name">{move || i18n.t(i18n::people::LAST_NAME)}</label>
                        <input id="known-last-name" type="text" autocomplete="off" bind:value=last_name />
                    </div>
                    <div class="field">
                        <label for="known-birth-year">{move || i18n.t(i18n::people::BIRTH_YEAR)}</label>
                        <input
                            id="known-birth-year"
                            type="text"
                            inputmode="numeric"
                            autocomplete="off"
                            maxlength="4"
                            bind:value=birth_year
                        />
                    </div>
                </div>
                <div class="row">
                    {choice(i18n, "known-age-band", i18n::people::AGE_BAND, age_band)}
                    {choice(i18n, "known-gender", i18n::people::GENDER, gender)}
                </div>
                <div class="row">
                    <div class="field grow">
                        <label for="known-commune">{move || i18n.t(i18n::people::COMMUNE)}</label>
                        <input id="known-commune" type="text" autocomplete="off" bind:value=commune />
                    </div>
                </div>
                <div class="checks">
                    {flag(i18n, "known-qpv", i18n::people::QPV, qpv)}
                    {flag(i18n, "known-zrr", i18n::people::ZRR, zrr)}
                    {flag(i18n, "known-outre-mer", i18n::people::OUTRE_MER, outre_mer)}
                </div>
                {chips(i18n, "known-categories", i18n::people::CATEGORIES, categories)}
                {chips(i18n, "known-freins", i18n::people::FREINS, freins)}
                {chips(i18n, "known-interests", i18n::people::INTERESTS, interests)}
                {chips(i18n, "known-skills", i18n::people::SKILLS, skills)}
                <fieldset class="chips-set">
                    <legend>{move || i18n.t(i18n::people::CONTACT)}</legend>
                    <p id="known-contact-consent" class="hint" hidden=may_contact>
                        {move || i18n.t(i18n::people::CONTACT_NEEDS_CONSENT)}
                    </p>
                    <div class="row" hidden=!may_contact>
                        <div class="field grow">
                            <label for="known-phone">{move || i18n.t(i18n::people::PHONE)}</label>
                            <input id="known-phone" type="tel" autocomplete="off" bind:value=phone />
                        </div>
                        <div class="field grow">
                            <label for="known-handle">{move || i18n.t(i18n::people::HANDLE)}</label>
                            <input id="known-handle" type="text" autocomplete="off" bind:value=handle />
                        </div>
                    </div>
                </fieldset>
                <button id="known-save" type="submit" class="secondary" disabled=move || busy.get()>
                    {move || i18n.t(i18n::people::SAVE_KNOWN)}
                </button>
            </form>
        </details>
    }
}

/// A select of one vocabulary, with "not given" first.
fn choice<T: Vocab + Send + Sync>(
    i18n: I18n,
    id: &'static str,
    label: Key,
    value: RwSignal<Option<T>>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{move || i18n.t(label)}</label>
            <select
                id=id
                on:change=move |ev| value.set(T::from_code(&event_target_value(&ev)))
            >
                <option value="" selected=move || value.get().is_none()>
                    {move || i18n.t(i18n::people::UNKNOWN)}
                </option>
                {T::all()
                    .iter()
                    .map(|&v| {
                        view! {
                            <option value=v.code() selected=move || value.get() == Some(v)>
                                {move || i18n.label(v)}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

/// A labelled checkbox.
fn flag(i18n: I18n, id: &'static str, label: Key, value: RwSignal<bool>) -> impl IntoView {
    view! {
        <label class="check" for=id>
            <input id=id type="checkbox" bind:checked=value />
            <span>{move || i18n.t(label)}</span>
        </label>
    }
}

/// A set of chips over one vocabulary.
fn chips<T: Vocab + Send + Sync>(
    i18n: I18n,
    id: &'static str,
    legend: Key,
    set: RwSignal<BTreeSet<T>>,
) -> impl IntoView {
    view! {
        <fieldset id=id class="chips-set">
            <legend>{move || i18n.t(legend)}</legend>
            <div class="chips">
                {T::all().iter().map(|&v| chip(i18n, set, v)).collect_view()}
            </div>
        </fieldset>
    }
}
