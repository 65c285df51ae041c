//! The "Nouvelle rencontre" form: record a contact in a few taps, with one thumb.
//!
//! The channel and the place stay from one rencontre to the next (a maraude meets many
//! people in one spot); the place starts from the last one recorded on this device.
//! Who was met is an anonymous headcount (1 by default) and/or a pseudonym: typing a
//! pseudonym while the count is untouched sets the count to 0, so that a named person
//! met alone is not also counted as anonymous. The draft is checked here with the
//! model's own rules before it is sent, so mistakes are explained at once, offline;
//! the shell checks again. After a save, what changes from one person to the next
//! (count, pseudonym, note) is cleared; after an error, nothing typed is lost.

use filrouge_model::error::{Field, ValidationError};
use filrouge_model::ipc::{CreateRencontre, IpcError, LastPlace};
use filrouge_model::rencontre::{Channel, HEADCOUNT_MAX, NOTE_MAX, RencontreDraft};
use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::time::Duration;

use crate::app::{Shared, aria_bool};
use crate::clock::LocalTime;
use crate::i18n::{self, key, use_i18n};
use crate::{clock, ipc};

/// How long the "Rencontre enregistrée" confirmation stays.
const CONFIRMATION_FOR: Duration = Duration::from_secs(5);

/// The form's fields: each a reactive handle, so the struct is `Copy`.
#[derive(Clone, Copy)]
struct Fields {
    channel: RwSignal<Channel>,
    place: RwSignal<String>,
    headcount: RwSignal<u32>,
    /// Whether the user changed the count since the last save.
    headcount_touched: RwSignal<bool>,
    pseudonym: RwSignal<String>,
    note: RwSignal<String>,
}

impl Fields {
    fn draft(self) -> RencontreDraft {
        RencontreDraft {
            channel: self.channel.get_untracked(),
            place: self.place.get_untracked(),
            occurred_at: None,
            headcount: self.headcount.get_untracked(),
            pseudonym: Some(self.pseudonym.get_untracked()),
            note: self.note.get_untracked(),
            ..Default::default()
        }
    }

    /// Clears what changes from one person to the next; keeps channel and place.
    fn reset_person(self) {
        self.headcount.set(1);
        self.headcount_touched.set(false);
        self.pseudonym.set(String::new());
        self.note.set(String::new());
    }

    fn step(self, up: bool) {
        self.headcount_touched.set(true);
        self.headcount.update(|n| {
            *n = if up {
                (*n + 1).min(HEADCOUNT_MAX)
            } else {
                n.saturating_sub(1)
            }
        });
    }
}

/// The headcount to show after the pseudonym changed, unless the user set it: 0 when
/// someone is named (a person met alone), back to the default 1 when the name is erased.
fn headcount_for_pseudonym(touched: bool, pseudonym: &str) -> Option<u32> {
    match (touched, pseudonym.trim().is_empty()) {
        (true, _) => None,
        (false, true) => Some(1),
        (false, false) => Some(0),
    }
}

/// The "Nouvelle rencontre" form.
#[component]
pub fn NewRencontre(shared: Shared) -> impl IntoView {
    let i18n = use_i18n();
    let fields = Fields {
        channel: RwSignal::new(Channel::Maraude),
        place: RwSignal::new(String::new()),
        headcount: RwSignal::new(1),
        headcount_touched: RwSignal::new(false),
        pseudonym: RwSignal::new(String::new()),
        note: RwSignal::new(String::new()),
    };
    let busy = RwSignal::new(false);
    // The error and the saved time, not their sentences: those follow the language.
    let error = RwSignal::new(None::<IpcError>);
    let invalid = RwSignal::new(None::<Field>);
    let confirmation = RwSignal::new(None::<LocalTime>);
    let place_ref = NodeRef::<html::Input>::new();
    let pseudonym_ref = NodeRef::<html::Input>::new();
    let note_ref = NodeRef::<html::Textarea>::new();
    let plus_ref = NodeRef::<html::Button>::new();

    // Prefill the place, unless the user was faster.
    spawn_local(async move {
        if let Ok(Some(last)) = ipc::call(&LastPlace {}).await
            && fields.place.with_untracked(String::is_empty)
        {
            fields.place.set(last);
        }
    });

    let show_error = move |e: IpcError| {
        let field = match &e {
            IpcError::Validation(ValidationError { field, .. }) => Some(*field),
            _ => None,
        };
        error.set(Some(e));
        invalid.set(field);
        // Take the user to the field to fix.
        let _ = match field {
            Some(Field::Place) => place_ref.get_untracked().map(|el| el.focus()),
            Some(Field::Pseudonym) => pseudonym_ref.get_untracked().map(|el| el.focus()),
            Some(Field::Note) => note_ref.get_untracked().map(|el| el.focus()),
            Some(Field::Headcount) => plus_ref.get_untracked().map(|el| el.focus()),
            _ => None,
        };
    };

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        confirmation.set(None);
        let draft = match fields.draft().validate(clock::now_ms()) {
            Ok(draft) => draft,
            Err(e) => return show_error(IpcError::Validation(e)),
        };
        error.set(None);
        invalid.set(None);
        busy.set(true);
        spawn_local(async move {
            let result = ipc::call(&CreateRencontre { draft }).await;
            busy.set(false);
            match result {
                Ok(saved) => {
                    fields.reset_person();
                    let saved_at = clock::local(saved.occurred_at);
                    confirmation.set(Some(saved_at));
                    // Clear it later, unless a newer confirmation replaced it.
                    set_timeout(
                        move || {
                            if confirmation.get_untracked() == Some(saved_at) {
                                confirmation.set(None);
                            }
                        },
                        CONFIRMATION_FOR,
                    );
                    shared.refresh();
                }
                Err(e) => show_error(e),
            }
        });
    };

    let on_pseudonym = move |ev| {
        let value = event_target_value(&ev);
        if let Some(n) = headcount_for_pseudonym(fields.headcount_touched.get_untracked(), &value) {
            fields.headcount.set(n);
        }
        fields.pseudonym.set(value);
    };

    let is_invalid = move |field: Field| move || aria_bool(invalid.get() == Some(field));
    let note_help = move || {
        fields
            .note
            .with(|n| i18n::chars_left(i18n.lang(), n.chars().count(), NOTE_MAX))
    };

    view! {
        <form
            id="rencontre-form"
            class="card"
            aria-labelledby="rencontre-title"
            aria-busy=move || aria_bool(busy.get())
            novalidate
            on:submit=on_submit
        >
            <h2 id="rencontre-title">{move || i18n.t(key::NEW_RENCONTRE)}</h2>
            <fieldset class="channels">
                <legend>{move || i18n.t(key::CHANNEL)}</legend>
                <div class="chips">
                    {Channel::ALL
                        .into_iter()
                        .map(|channel| {
                            view! {
                                <button
                                    type="button"
                                    class="chip"
                                    data-channel=channel.code()
                                    aria-pressed=move || aria_bool(fields.channel.get() == channel)
                                    on:click=move |_| fields.channel.set(channel)
                                >
                                    {move || i18n.label(channel)}
                                </button>
                            }
                        })
                        .collect_view()}
                </div>
            </fieldset>
            <div class="field">
                <label for="place">{move || i18n.t(key::PLACE)}</label>
                <input
                    id="place"
                    name="place"
                    type="text"
                    autocomplete="off"
                    enterkeyhint="next"
                    placeholder=move || i18n.t(key::PLACE_EXAMPLE)
                    aria-invalid=is_invalid(Field::Place)
                    node_ref=place_ref
                    bind:value=fields.place
                />
            </div>
            <div class="who">
                <div class="field">
                    <span class="label" id="headcount-label">
                        {move || i18n.t(key::HEADCOUNT)}
                    </span>
                    <div class="stepper" role="group" aria-labelledby="headcount-label">
                        <button
                            id="headcount-minus"
                            type="button"
                            aria-label=move || i18n.t(key::HEADCOUNT_MINUS)
                            aria-disabled=move || aria_bool(fields.headcount.get() == 0)
                            on:click=move |_| fields.step(false)
                        >
                            "−"
                        </button>
                        <output
                            id="headcount-value"
                            aria-live="polite"
                            aria-labelledby="headcount-label"
                            aria-invalid=is_invalid(Field::Headcount)
                        >
                            {move || fields.headcount.get()}
                        </output>
                        <button
                            id="headcount-plus"
                            type="button"
                            aria-label=move || i18n.t(key::HEADCOUNT_PLUS)
                            aria-disabled=move || aria_bool(fields.headcount.get() >= HEADCOUNT_MAX)
                            node_ref=plus_ref
                            on:click=move |_| fields.step(true)
                        >
                            "+"
                        </button>
                    </div>
                </div>
                <div class="field">
                    <label for="pseudonym">{move || i18n.t(key::PSEUDONYM)}</label>
                    <input
                        id="pseudonym"
                        name="pseudonym"
                        type="text"
                        autocomplete="off"
                        enterkeyhint="next"
                        aria-describedby="pseudonym-hint"
                        aria-invalid=is_invalid(Field::Pseudonym)
                        node_ref=pseudonym_ref
                        prop:value=move || fields.pseudonym.get()
                        on:input=on_pseudonym
                    />
                    <p class="hint" id="pseudonym-hint">{move || i18n.t(key::PSEUDONYM_HINT)}</p>
                </div>
            </div>
            <div class="field">
                <label for="note">{move || i18n.t(key::NOTE)}</label>
                <textarea
                    id="note"
                    name="note"
                    rows="3"
                    aria-describedby="note-hint"
                    aria-invalid=is_invalid(Field::Note)
                    node_ref=note_ref
                    bind:value=fields.note
                ></textarea>
                <p class="hint" id="note-hint">
                    {move || note_help().unwrap_or_else(|| i18n.t(key::NOTE_HINT))}
                </p>
            </div>
            // Messages sit with the button, which stays under the thumb on phones.
            <div class="form-footer">
                <p id="form-error" class="error" role="alert">
                    {move || error.with(|e| e.as_ref().map(|e| i18n::error_sentence(i18n.lang(), e)))}
                </p>
                <p id="form-confirmation" class="confirmation" role="status">
                    {move || confirmation.get().map(|at| i18n::saved_at(i18n.lang(), at))}
                </p>
                <button id="save" type="submit" class="primary" disabled=move || busy.get()>
                    {move || i18n.t(if busy.get() { key::SAVING } else { key::SAVE })}
                </button>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::headcount_for_pseudonym;

    #[test]
    fn a_named_person_is_not_also_counted_unless_the_user_says_so() {
        assert_eq!(headcount_for_pseudonym(false, "Momo"), Some(0));
        assert_eq!(headcount_for_pseudonym(false, "  "), Some(1));
        assert_eq!(headcount_for_pseudonym(true, "Momo"), None);
    }
}
