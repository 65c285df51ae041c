//! "Partenaires": the team's directory (name, kind, contact, commune), used by
//! orientations, with a form to add one. Reached from the persons screen.
//!
//! The list is read when the screen opens and after an addition; it is the store's,
//! synced like every record, so a partner added on one phone reaches the team.

use filrouge_model::PartnerDraft;
use filrouge_model::ipc::{CreatePartner, IpcError, ListPartners};
use filrouge_model::views::PartnerRow;
use filrouge_model::vocab::PartnerKind;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::Shared;
use crate::i18n::{Said, use_i18n};
use crate::nav::Screen;
use crate::{clock, i18n, ipc};

/// Partners listed at most: a team's directory is a few dozen.
pub const LISTED: u32 = 500;

/// The team's directory, read once into a signal for a form's partner choice (empty
/// until it arrives, and if it cannot be read: the choice then only offers a name).
pub fn directory() -> RwSignal<Vec<PartnerRow>> {
    let directory = RwSignal::new(Vec::new());
    spawn_local(async move {
        if let Ok(list) = ipc::call(&ListPartners { limit: LISTED }).await {
            directory.set(list);
        }
    });
    directory
}

/// The screen.
#[component]
pub fn PartnersScreen(shared: Shared) -> impl IntoView {
    let i18n = use_i18n();
    let partners = RwSignal::new(None::<Vec<PartnerRow>>);
    let error = RwSignal::new(None::<Said>);
    let reload = move || {
        spawn_local(async move {
            match ipc::call(&ListPartners { limit: LISTED }).await {
                Ok(list) => partners.set(Some(list)),
                Err(e) => error.set(Some(Said::Error(e))),
            }
        });
    };
    reload();
    view! {
        <section class="card partners" aria-labelledby="partners-title">
            <button
                type="button"
                class="link back"
                on:click=move |_| shared.screen.set(Screen::Persons)
            >
                {move || format!("← {}", i18n.t(i18n::people::PERSONS))}
            </button>
            <h2 id="partners-title">{move || i18n.t(i18n::partners::PARTNERS)}</h2>
            <p class="error" role="alert">{move || error.get().map(|m| m.text(i18n.lang()))}</p>
            <p
                class="empty"
                hidden=move || partners.with(|p| p.as_ref().is_none_or(|p| !p.is_empty()))
            >
                {move || i18n.t(i18n::partners::NO_PARTNERS)}
            </p>
            <ul id="partners-list" class="person-list">
                {move || {
                    partners
                        .get()
                        .unwrap_or_default()
                        .into_iter()
                        .map(|p| {
                            let kind = i18n.label(p.kind);
                            let place = p.commune.clone().unwrap_or_default();
                            view! {
                                <li class="partner-row">
                                    <strong>{p.name.clone()}</strong>
                                    <span class="stage">
                                        {[kind.to_owned(), place]
                                            .into_iter()
                                            .filter(|s| !s.is_empty())
                                            .collect::<Vec<_>>()
                                            .join(" · ")}
                                    </span>
                                    <span>{p.contact.clone()}</span>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </section>
        <NewPartner on_added=move || reload() />
    }
}

/// The form that adds a partner.
#[component]
fn NewPartner(on_added: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new(PartnerKind::MissionLocale);
    let contact = RwSignal::new(String::new());
    let commune = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let message = RwSignal::new(None::<Said>);
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let draft = PartnerDraft {
            name: name.get_untracked(),
            kind: kind.get_untracked(),
            contact: Some(contact.get_untracked()),
            commune: Some(commune.get_untracked()),
        };
        if let Err(e) = draft.clone().validate(clock::now_ms()) {
            message.set(Some(Said::Error(IpcError::Validation(e))));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let result = ipc::call(&CreatePartner { draft }).await;
            busy.set(false);
            match result {
                Ok(_) => {
                    for field in [name, contact, commune] {
                        field.set(String::new());
                    }
                    message.set(Some(Said::Message(i18n::partners::ADDED)));
                    on_added();
                }
                Err(e) => message.set(Some(Said::Error(e))),
            }
        });
    };
    view! {
        <form id="partner-form" class="card" novalidate on:submit=on_submit aria-labelledby="new-partner-title">
            <h2 id="new-partner-title">{move || i18n.t(i18n::partners::NEW_PARTNER)}</h2>
            <div class="field">
                <label for="partner-name">{move || i18n.t(i18n::partners::NAME)}</label>
                <input id="partner-name" type="text" autocomplete="off" bind:value=name />
            </div>
            {crate::screens::vocab_select(i18n, "partner-kind", i18n::partners::KIND, kind)}
            <div class="row">
                <div class="field grow">
                    <label for="partner-contact">{move || i18n.t(i18n::partners::CONTACT)}</label>
                    <input id="partner-contact" type="text" autocomplete="off" bind:value=contact />
                </div>
                <div class="field">
                    <label for="partner-commune">{move || i18n.t(i18n::partners::COMMUNE)}</label>
                    <input id="partner-commune" type="text" autocomplete="off" bind:value=commune />
                </div>
            </div>
            <p id="partner-message" class="confirmation" role="status">{move || message.get().map(|m| m.text(i18n.lang()))}</p>
            <button id="add-partner" type="submit" class="primary" disabled=move || busy.get()>
                {move || i18n.t(i18n::partners::ADD)}
            </button>
        </form>
    }
}
