//! The "Nouvelle rencontre" form: record a contact in a few taps, with one thumb.
//!
//! The channel and the place stay from one rencontre to the next (a maraude meets many
//! people in one spot); the place starts from the last one recorded on this device.
//! Who was met is an anonymous headcount (1 by default) and/or known persons, chosen or
//! created in place with the [`PersonPicker`]: naming someone while the count is
//! untouched sets the count to 0, so that a named person met alone is not also counted
//! as anonymous. Needs, what was done and the next step with a relance date are folded
//! under one summary, off the quick path. The draft is checked here with the
//! model's own rules before it is sent, so mistakes are explained at once, offline;
//! the shell checks again. After a save, what changes from one person to the next
//! (count, persons, note, needs, next step) is cleared; after an error, nothing typed is lost.

use std::collections::{BTreeMap, BTreeSet};

use filrouge_model::error::{Field, ValidationError};
use filrouge_model::ipc::{CreateRencontre, GetFormDraft, IpcError, LastPlace, SaveFormDraft};
use filrouge_model::rencontre::{Channel, HEADCOUNT_MAX, NOTE_MAX, RencontreDraft};
use filrouge_model::views::{PersonHit, RencontreFormDraft};
use filrouge_model::{Action, AgeBand, Day, Frein, Gender};
use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::time::Duration;

use crate::app::{Shared, aria_bool};
use crate::i18n::{self, key, use_i18n};
use crate::screens::today::Composer;
use crate::screens::today::form_more::MoreDetails;
use crate::screens::today::picker::PersonPicker;
use crate::{clock, ipc};

/// How long after the last keystroke the form is kept for a restart: often enough to
/// lose at most a word, rarely enough to write the store once per pause.
const KEEP_AFTER: Duration = Duration::from_millis(700);

/// The form's fields: each a reactive handle, so the struct is `Copy`.
#[derive(Clone, Copy)]
pub(crate) struct Fields {
    pub(crate) channel: RwSignal<Channel>,
    pub(crate) place: RwSignal<String>,
    pub(crate) headcount: RwSignal<u32>,
    /// Whether the user changed the count since the last save.
    pub(crate) headcount_touched: RwSignal<bool>,
    /// Known persons met, chosen or created with the picker.
    pub(crate) persons: RwSignal<Vec<PersonHit>>,
    pub(crate) note: RwSignal<String>,
    pub(crate) needs: RwSignal<BTreeSet<Frein>>,
    pub(crate) actions: RwSignal<BTreeSet<Action>>,
    pub(crate) next_step: RwSignal<String>,
    /// The relance date as the date input holds it (`YYYY-MM-DD`), empty for none.
    pub(crate) relance_due: RwSignal<String>,
    /// The time it happened today as the time input holds it (`HH:MM`), empty for now.
    pub(crate) time: RwSignal<String>,
    /// Rough age split of the anonymous group.
    pub(crate) age_bands: RwSignal<BTreeMap<AgeBand, u32>>,
    /// Rough gender split of the anonymous group.
    pub(crate) genders: RwSignal<BTreeMap<Gender, u32>>,
}

impl Fields {
    fn draft(self) -> RencontreDraft {
        RencontreDraft {
            channel: self.channel.get_untracked(),
            place: self.place.get_untracked(),
            occurred_at: clock::today_at(&self.time.get_untracked()),
            headcount: self.headcount.get_untracked(),
            pseudonym: None,
            note: self.note.get_untracked(),
            persons: self
                .persons
                .with_untracked(|p| p.iter().map(|p| p.id.clone()).collect()),
            needs: self.needs.get_untracked(),
            actions: self.actions.get_untracked(),
            next_step: Some(self.next_step.get_untracked()).filter(|s| !s.trim().is_empty()),
            relance_due: Day::parse(&self.relance_due.get_untracked()).ok(),
            age_bands: self.age_bands.get_untracked(),
            genders: self.genders.get_untracked(),
            ..Default::default()
        }
    }

    /// The form as kept for a restart.
    fn kept(self) -> RencontreFormDraft {
        RencontreFormDraft {
            draft: self.draft(),
            persons: self.persons.get_untracked(),
            relance_due: self.relance_due.get_untracked(),
        }
    }

    /// Puts a kept form back.
    fn restore(self, kept: RencontreFormDraft) {
        let d = kept.draft;
        self.channel.set(d.channel);
        if !d.place.is_empty() {
            self.place.set(d.place);
        }
        self.headcount.set(d.headcount);
        // A count that differs from what the persons imply was set by the user.
        self.headcount_touched
            .set(headcount_for_persons(false, kept.persons.len()) != Some(d.headcount));
        self.persons.set(kept.persons);
        self.note.set(d.note);
        self.needs.set(d.needs);
        self.actions.set(d.actions);
        self.next_step.set(d.next_step.unwrap_or_default());
        self.relance_due.set(kept.relance_due);
        self.time.set(
            d.occurred_at
                .map(|ms| clock::local(ms).hhmm())
                .unwrap_or_default(),
        );
        self.age_bands.set(d.age_bands);
        self.genders.set(d.genders);
    }

    /// Whether nothing worth keeping was typed since the last save (channel and place
    /// stay from one rencontre to the next, so they do not count).
    fn is_pristine(self) -> bool {
        !self.headcount_touched.get()
            && self.persons.with(Vec::is_empty)
            && self.note.with(|n| n.trim().is_empty())
            && self.needs.with(BTreeSet::is_empty)
            && self.actions.with(BTreeSet::is_empty)
            && self.next_step.with(|n| n.trim().is_empty())
            && self.relance_due.with(String::is_empty)
            && self.time.with(String::is_empty)
            && self.age_bands.with(BTreeMap::is_empty)
            && self.genders.with(BTreeMap::is_empty)
    }

    /// [`Fields::is_pristine`] without subscribing the caller.
    fn is_pristine_untracked(self) -> bool {
        untrack(|| self.is_pristine())
    }

    /// Clears what changes from one person to the next; keeps channel and place.
    fn reset_person(self) {
        self.headcount.set(1);
        self.headcount_touched.set(false);
        self.persons.set(Vec::new());
        self.note.set(String::new());
        self.needs.set(BTreeSet::new());
        self.actions.set(BTreeSet::new());
        self.next_step.set(String::new());
        self.relance_due.set(String::new());
        self.time.set(String::new());
        self.age_bands.set(BTreeMap::new());
        self.genders.set(BTreeMap::new());
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

/// The headcount to show after the persons named changed, unless the user set it: 0
/// when someone is named (a person met alone), back to the default 1 when nobody is.
fn headcount_for_persons(touched: bool, named: usize) -> Option<u32> {
    match (touched, named) {
        (true, _) => None,
        (false, 0) => Some(1),
        (false, _) => Some(0),
    }
}

/// The "Nouvelle rencontre" form, shown while `composer` says it is open.
#[component]
pub fn NewRencontre(shared: Shared, composer: Composer) -> impl IntoView {
    let i18n = use_i18n();
    let fields = Fields {
        channel: RwSignal::new(Channel::Maraude),
        place: RwSignal::new(String::new()),
        headcount: RwSignal::new(1),
        headcount_touched: RwSignal::new(false),
        persons: RwSignal::new(Vec::new()),
        note: RwSignal::new(String::new()),
        needs: RwSignal::new(BTreeSet::new()),
        actions: RwSignal::new(BTreeSet::new()),
        next_step: RwSignal::new(String::new()),
        relance_due: RwSignal::new(String::new()),
        time: RwSignal::new(String::new()),
        age_bands: RwSignal::new(BTreeMap::new()),
        genders: RwSignal::new(BTreeMap::new()),
    };
    let busy = RwSignal::new(false);
    // The error and the saved time, not their sentences: those follow the language.
    let error = RwSignal::new(None::<IpcError>);
    let invalid = RwSignal::new(None::<Field>);
    let place_ref = NodeRef::<html::Input>::new();
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
            Some(Field::Note) => note_ref.get_untracked().map(|el| el.focus()),
            Some(Field::Headcount) => plus_ref.get_untracked().map(|el| el.focus()),
            _ => None,
        };
    };

    // What is typed is kept a moment after each change (below). The shell runs commands
    // concurrently, so a keep sent just before a save could land after it and bring the
    // saved rencontre back as a draft at the next start (to be saved twice). A save
    // therefore cancels the keeps still waiting and is sent once the keeps already on
    // their way have landed.
    let keeping = StoredValue::new(0u64);
    let keeps_in_flight = StoredValue::new(0u32);
    let after_keeps = StoredValue::new_local(None::<Box<dyn FnOnce()>>);
    let keep_landed = move || {
        keeps_in_flight.update_value(|n| *n = n.saturating_sub(1));
        if keeps_in_flight.get_value() == 0
            && let Some(next) = after_keeps.try_update_value(Option::take).flatten()
        {
            next();
        }
    };

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let draft = match fields.draft().validate(clock::now_ms()) {
            Ok(draft) => draft,
            Err(e) => return show_error(IpcError::Validation(e)),
        };
        error.set(None);
        invalid.set(None);
        busy.set(true);
        keeping.update_value(|g| *g += 1);
        let save = move || {
            spawn_local(async move {
                let result = ipc::call(&CreateRencontre { draft }).await;
                busy.set(false);
                match result {
                    Ok(saved) => {
                        fields.reset_person();
                        composer.saved(clock::local(saved.occurred_at));
                        // Listed at once; the reads that follow confirm it.
                        shared.show_saved(saved);
                        shared.refresh();
                    }
                    Err(e) => show_error(e),
                }
            });
        };
        if keeps_in_flight.get_value() == 0 {
            save();
        } else {
            after_keeps.set_value(Some(Box::new(save)));
        }
    };

    // What was being typed when the app stopped comes back, unless the user was faster.
    spawn_local(async move {
        if let Ok(Some(kept)) = ipc::call(&GetFormDraft {}).await
            && fields.is_pristine()
        {
            fields.restore(kept);
            // What was being typed is in front of the user again, as they left it.
            composer.open();
        }
    });
    // Keep the form a moment after each change; an empty form forgets what was kept.
    // (The shell keeps it behind an idle lock too: the last keystrokes before the lock
    // are not lost.)
    Effect::new(move |first: Option<()>| {
        // Subscribe to every field (is_pristine stops reading at the first answer).
        fields.channel.track();
        fields.place.track();
        fields.headcount.track();
        fields.headcount_touched.track();
        fields.persons.track();
        fields.note.track();
        fields.needs.track();
        fields.actions.track();
        fields.next_step.track();
        fields.relance_due.track();
        fields.time.track();
        fields.age_bands.track();
        fields.genders.track();
        composer.pending.set(!fields.is_pristine_untracked());
        if first.is_none() {
            return;
        }
        keeping.update_value(|g| *g += 1);
        let mine = keeping.get_value();
        set_timeout(
            move || {
                if keeping.get_value() != mine {
                    return;
                }
                let draft = (!fields.is_pristine_untracked()).then(|| fields.kept());
                keeps_in_flight.update_value(|n| *n += 1);
                spawn_local(async move {
                    // A failure to keep a draft must not disturb the user: the next
                    // change tries again, and the save itself reports real trouble.
                    let _ = ipc::call(&SaveFormDraft { draft }).await;
                    keep_landed();
                });
            },
            KEEP_AFTER,
        );
    });

    // Naming someone sets the anonymous count, unless the user set it.
    Effect::new(move |_| {
        let named = fields.persons.with(Vec::len);
        if let Some(n) = headcount_for_persons(fields.headcount_touched.get_untracked(), named) {
            fields.headcount.set(n);
        }
    });

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
            hidden=move || !composer.open.get()
            novalidate
            on:submit=on_submit
            on:keydown=move |ev| {
                if ev.key() == "Escape" {
                    composer.close();
                }
            }
        >
            <div class="section-head">
                <h2 id="rencontre-title" tabindex="-1" node_ref=composer.title>
                    {move || i18n.t(key::NEW_RENCONTRE)}
                </h2>
                <button
                    id="close-form"
                    type="button"
                    aria-label=move || i18n.t(key::CLOSE_FORM_LABEL)
                    on:click=move |_| composer.close()
                >
                    {move || i18n.t(key::CLOSE_FORM)}
                </button>
            </div>
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
                <PersonPicker chosen=fields.persons error />
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
            <MoreDetails fields />
            // Messages sit with the button, which stays under the thumb on phones.
            <div class="form-footer">
                <p id="form-error" class="error" role="alert">
                    {move || error.with(|e| e.as_ref().map(|e| i18n::error_sentence(i18n.lang(), e)))}
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
    use super::headcount_for_persons;

    #[test]
    fn a_named_person_is_not_also_counted_unless_the_user_says_so() {
        assert_eq!(headcount_for_persons(false, 1), Some(0));
        assert_eq!(headcount_for_persons(false, 0), Some(1));
        assert_eq!(headcount_for_persons(true, 2), None);
    }
}
