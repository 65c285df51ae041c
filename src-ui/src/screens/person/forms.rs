//! The forms at the bottom of a person's screen that change the person or file
//! something about them with a partner: orientation, référent, consent.
//!
//! Each answers with the whole screen ([`PersonView`]) from the store, which replaces
//! the one shown, so what was saved is what the worker sees; what the screen says after
//! an action goes to the screen's notice line.

use std::collections::BTreeSet;

use filrouge_model::ipc::{IpcError, Orient, UpdatePerson};
use filrouge_model::views::{PartnerRow, PersonView};
use filrouge_model::vocab::{ConsentMethod, ConsentScope, OrientationStatus};
use filrouge_model::{Consent, OrientationDraft, PersonDraft};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::aria_bool;
use crate::i18n::{Key, Said, use_i18n};
use crate::{clock, i18n, ipc};

/// The orientation form: a partner from the directory (or a name typed), what for, and
/// the person's consent, without which the store refuses it. `partners` is the
/// directory, read once by the person's screen.
#[component]
pub(crate) fn OrientForm(
    view_of: RwSignal<Option<PersonView>>,
    notice: RwSignal<Option<Said>>,
    partners: RwSignal<Vec<PartnerRow>>,
    id: filrouge_model::RecordId,
) -> impl IntoView {
    let i18n = use_i18n();
    let partner = RwSignal::new(String::new());
    let typed_name = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let consent = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let chosen = Some(partner.get_untracked()).filter(|p| !p.is_empty());
        let draft = OrientationDraft {
            person_id: id.clone(),
            partner_name: if chosen.is_some() {
                None
            } else {
                Some(typed_name.get_untracked())
            },
            partner_id: chosen.and_then(|c| filrouge_model::RecordId::parse(&c)),
            reason: reason.get_untracked(),
            consent_given: consent.get_untracked(),
            status: OrientationStatus::Proposee,
            outcome: None,
            date: clock::today(),
        };
        if let Err(e) = draft.clone().validate(clock::now_ms()) {
            notice.set(Some(Said::Error(IpcError::Validation(e))));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let result = ipc::call(&Orient { draft }).await;
            busy.set(false);
            match result {
                Ok(v) => {
                    notice.set(Some(Said::Message(i18n::partners::ORIENTED)));
                    view_of.set(Some(v));
                }
                Err(e) => notice.set(Some(Said::Error(e))),
            }
        });
    };
    view! {
        <form id="orient-form" class="inline-form" on:submit=on_submit novalidate>
            <h3>{move || i18n.t(i18n::partners::ORIENT)}</h3>
            <div class="field">
                <label for="orient-partner">{move || i18n.t(i18n::partners::PARTNER)}</label>
                <select id="orient-partner" on:change=move |ev| partner.set(event_target_value(&ev))>
                    <option value="">{move || i18n.t(i18n::partners::OTHER_PARTNER)}</option>
                    {move || {
                        partners
                            .get()
                            .into_iter()
                            .map(|p| view! { <option value=p.id.to_string()>{p.name.clone()}</option> })
                            .collect_view()
                    }}
                </select>
            </div>
            <div class="field" hidden=move || !partner.with(String::is_empty)>
                <label for="orient-name">{move || i18n.t(i18n::partners::PARTNER_NAME)}</label>
                <input id="orient-name" type="text" autocomplete="off" bind:value=typed_name />
            </div>
            <div class="field">
                <label for="orient-reason">{move || i18n.t(i18n::partners::REASON)}</label>
                <input id="orient-reason" type="text" autocomplete="off" bind:value=reason />
            </div>
            <label class="check">
                <input id="orient-consent" type="checkbox" bind:checked=consent />
                <span>{move || i18n.t(i18n::partners::ORIENT_CONSENT)}</span>
            </label>
            <button id="orient-save" type="submit" class="secondary" disabled=move || busy.get()>
                {move || i18n.t(i18n::partners::SAVE_ORIENTATION)}
            </button>
        </form>
    }
}

/// The consent form: what the person agrees to, and how it was given, dated today.
/// Recorded before any contact detail can be kept (the model refuses contact details
/// without it).
#[component]
pub(crate) fn ConsentForm(
    view_of: RwSignal<Option<PersonView>>,
    notice: RwSignal<Option<Said>>,
    v: PersonView,
) -> impl IntoView {
    let i18n = use_i18n();
    let current = v.person.consent.clone();
    let scopes = RwSignal::new(
        current
            .as_ref()
            .map(|c| c.scopes.clone())
            .unwrap_or_else(|| BTreeSet::from([ConsentScope::SuiviEquipe])),
    );
    let method = RwSignal::new(current.as_ref().map_or(ConsentMethod::Oral, |c| c.method));
    let busy = RwSignal::new(false);
    let on_submit = person_submit(
        view_of,
        notice,
        busy,
        v,
        i18n::partners::CONSENT_SAVED,
        move |person| {
            person.consent = Some(Consent {
                date: clock::today(),
                scopes: scopes.get_untracked(),
                method: method.get_untracked(),
                by: None,
                notice: None,
            });
            Ok(())
        },
    );
    view! {
        <form id="consent-form" class="inline-form" on:submit=on_submit novalidate>
            <h3>{move || i18n.t(i18n::partners::RECORD_CONSENT)}</h3>
            <fieldset class="chips-set">
                <legend>{move || i18n.t(i18n::partners::SCOPES)}</legend>
                <div class="chips">
                    {ConsentScope::ALL
                        .into_iter()
                        .map(|scope| {
                            view! {
                                <button
                                    type="button"
                                    class="chip small"
                                    data-scope=scope.code()
                                    aria-pressed=move || aria_bool(scopes.with(|s| s.contains(&scope)))
                                    on:click=move |_| {
                                        scopes.update(|s| {
                                            if !s.remove(&scope) {
                                                s.insert(scope);
                                            }
                                        })
                                    }
                                >
                                    {move || i18n.label(scope)}
                                </button>
                            }
                        })
                        .collect_view()}
                </div>
            </fieldset>
            {crate::screens::vocab_select(i18n, "consent-method", i18n::partners::METHOD, method)}
            <button id="consent-save" type="submit" class="secondary" disabled=move || busy.get()>
                {move || i18n.t(i18n::partners::SAVE_CONSENT)}
            </button>
        </form>
    }
}

/// Who follows the person: a name, as the team writes it (empty for nobody).
#[component]
pub(crate) fn ReferentForm(
    view_of: RwSignal<Option<PersonView>>,
    notice: RwSignal<Option<Said>>,
    v: PersonView,
) -> impl IntoView {
    let i18n = use_i18n();
    let name = RwSignal::new(v.person.referent.clone().unwrap_or_default());
    let busy = RwSignal::new(false);
    let on_submit = person_submit(
        view_of,
        notice,
        busy,
        v,
        i18n::people::REFERENT_SAVED,
        move |person| {
            person.referent = Some(name.get_untracked()).filter(|n| !n.trim().is_empty());
            Ok(())
        },
    );
    view! {
        <form id="referent-form" class="inline-form" on:submit=on_submit novalidate>
            <div class="row">
                <div class="field grow">
                    <label for="referent-name">{move || i18n.t(i18n::people::REFERENT)}</label>
                    <input id="referent-name" type="text" autocomplete="off" bind:value=name />
                </div>
            </div>
            <button id="referent-save" type="submit" class="secondary" disabled=move || busy.get()>
                {move || i18n.t(i18n::people::SAVE_REFERENT)}
            </button>
        </form>
    }
}

/// The submit handler of a form that edits the person: unless a save is running,
/// `change` edits the person as the screen last read it (`v`), and the whole record is
/// saved (`UpdatePerson`). The screen the store answers with replaces the one shown,
/// saying `saved`; an error (from `change`, which then saves nothing, or from the
/// store) is said instead, and the form keeps what was typed. `busy` is set while the
/// call runs, so the form's button is disabled meanwhile.
pub(crate) fn person_submit(
    view_of: RwSignal<Option<PersonView>>,
    notice: RwSignal<Option<Said>>,
    busy: RwSignal<bool>,
    v: PersonView,
    saved: Key,
    change: impl Fn(&mut PersonDraft) -> Result<(), IpcError> + 'static,
) -> impl Fn(SubmitEvent) + 'static {
    let stored = StoredValue::new(v);
    move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let PersonView { id, mut person, .. } = stored.get_value();
        if let Err(e) = change(&mut person) {
            notice.set(Some(Said::Error(e)));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let result = ipc::call(&UpdatePerson { id, draft: person }).await;
            busy.set(false);
            match result {
                Ok(v) => {
                    notice.set(Some(Said::Message(saved)));
                    view_of.set(Some(v));
                }
                Err(e) => notice.set(Some(Said::Error(e))),
            }
        });
    }
}
