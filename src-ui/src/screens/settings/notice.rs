//! "Notice d'information", in the settings of a coordinator's device: who holds the
//! data the team records, how to reach the person who answers for it (the DPO), and
//! what the team adds in its own words, in French and in English. Every consent's
//! receipt shows it, and each consent records the version in force when it was given.
//!
//! Read from the store when the settings open; saved in one command, which answers the
//! notice as kept with its new version.

use filrouge_model::NoticeDraft;
use filrouge_model::ipc::{GetNotice, IpcError, SetNotice};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::Shared;
use crate::i18n::{self, use_i18n};
use crate::ipc;
use crate::screens::settings::invite::coordinating;

/// The "Notice d'information" part of the settings.
#[component]
pub fn TeamNotice(shared: Shared) -> impl IntoView {
    let i18n = use_i18n();
    let holder = RwSignal::new(String::new());
    let dpo = RwSignal::new(String::new());
    let words_fr = RwSignal::new(String::new());
    let words_en = RwSignal::new(String::new());
    let version = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<IpcError>);
    let saved = RwSignal::new(false);

    let show = move |n: NoticeDraft| {
        holder.set(n.holder);
        dpo.set(n.dpo_contact);
        words_fr.set(n.words_fr.unwrap_or_default());
        words_en.set(n.words_en.unwrap_or_default());
        version.set(n.version);
    };
    spawn_local(async move {
        if let Ok(Some(n)) = ipc::call(&GetNotice {}).await {
            show(n);
        }
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        saved.set(false);
        let draft = NoticeDraft {
            holder: holder.get_untracked(),
            dpo_contact: dpo.get_untracked(),
            words_fr: Some(words_fr.get_untracked()),
            words_en: Some(words_en.get_untracked()),
            version: None,
        };
        spawn_local(async move {
            let result = ipc::call(&SetNotice { draft }).await;
            busy.set(false);
            match result {
                Ok(n) => {
                    error.set(None);
                    saved.set(true);
                    show(n);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };

    view! {
        <section
            id="notice"
            class="invite"
            aria-labelledby="notice-title"
            hidden=move || !coordinating(shared)
        >
            <h3 id="notice-title">{move || i18n.t(i18n::key::NOTICE_TITLE)}</h3>
            <p class="hint">{move || i18n.t(i18n::key::NOTICE_HINT)}</p>
            <form id="notice-form" on:submit=save>
                <label for="notice-holder">{move || i18n.t(i18n::key::NOTICE_HOLDER)}</label>
                <input
                    id="notice-holder"
                    type="text"
                    prop:value=move || holder.get()
                    on:input=move |ev| holder.set(event_target_value(&ev))
                />
                <label for="notice-dpo">{move || i18n.t(i18n::key::NOTICE_DPO)}</label>
                <input
                    id="notice-dpo"
                    type="text"
                    prop:value=move || dpo.get()
                    on:input=move |ev| dpo.set(event_target_value(&ev))
                />
                <label for="notice-words-fr">{move || i18n.t(i18n::key::NOTICE_WORDS_FR)}</label>
                <textarea
                    id="notice-words-fr"
                    rows="3"
                    prop:value=move || words_fr.get()
                    on:input=move |ev| words_fr.set(event_target_value(&ev))
                ></textarea>
                <label for="notice-words-en">{move || i18n.t(i18n::key::NOTICE_WORDS_EN)}</label>
                <textarea
                    id="notice-words-en"
                    rows="3"
                    lang="en"
                    prop:value=move || words_en.get()
                    on:input=move |ev| words_en.set(event_target_value(&ev))
                ></textarea>
                <button id="notice-save" type="submit" disabled=move || busy.get()>
                    {move || i18n.t(i18n::key::NOTICE_SAVE)}
                </button>
            </form>
            <p id="notice-version" class="hint" role="status">
                {move || {
                    version
                        .get()
                        .map(|v| i18n::team::notice_version(i18n.lang(), &v, saved.get()))
                }}
            </p>
            <p id="notice-error" class="error" role="alert">
                {move || error.with(|e| e.as_ref().map(|e| i18n::error_sentence(i18n.lang(), e)))}
            </p>
        </section>
    }
}
