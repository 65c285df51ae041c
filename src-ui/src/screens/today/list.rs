//! "Aujourd'hui": the rencontres recorded since local midnight, newest first, each
//! editable in place.
//!
//! Tapping a row turns it into a small form (place and note); saving sends
//! [`EditRencontre`], and the store changes those two fields only, keeping persons,
//! needs and the rest as stored. One row is edited at a time; when the edit
//! closes, the focus goes back to the row.

use filrouge_model::Rencontre;
use filrouge_model::ipc::{EditRencontre, IpcError};
use filrouge_model::rencontre::RencontreDraft;
use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::{Shared, aria_bool};
use crate::i18n::{self, I18n, key, use_i18n};
use crate::{clock, ipc};

/// How many characters of a note the list shows.
const EXCERPT_CHARS: usize = 90;

/// The first `max` characters of `text` on one line, with "…" when cut.
pub fn excerpt(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let cut: String = flat.chars().take(max).collect();
    format!("{}…", cut.trim_end())
}

/// Which row is open for editing, and which row gets the focus back when it closes.
#[derive(Clone, Copy)]
struct Editing {
    open: RwSignal<Option<filrouge_model::RecordId>>,
    focus_back: StoredValue<Option<String>>,
}

impl Editing {
    fn close(self, id: &str) {
        self.focus_back.set_value(Some(id.to_owned()));
        self.open.set(None);
    }
}

/// Today's list.
#[component]
pub fn TodayList(shared: Shared) -> impl IntoView {
    let i18n = use_i18n();
    let editing = Editing {
        open: RwSignal::new(None),
        focus_back: StoredValue::new(None),
    };
    let count = move || {
        shared.today.with(|rows| match rows.len() {
            0 => String::new(),
            n => i18n::rencontre_count(i18n.lang(), n),
        })
    };
    let empty = move || shared.today.with(Vec::is_empty) && !shared.list_loading.get();
    let loading_first = move || shared.today.with(Vec::is_empty) && shared.list_loading.get();

    view! {
        <section class="card today" aria-labelledby="today-title">
            <div class="section-head">
                <h2 id="today-title">{move || i18n.t(key::TODAY)}</h2>
                <span class="count">{count}</span>
            </div>
            <p id="list-error" class="notice" role="status">
                {move || {
                    shared
                        .list_error
                        .with(|e| e.as_ref().map(|e| i18n::list_unavailable(i18n.lang(), e)))
                }}
            </p>
            <ul id="today-list" aria-labelledby="today-title" aria-busy=move || aria_bool(shared.list_loading.get())>
                <For
                    each=move || shared.today.get()
                    key=|row| (row.id.clone(), row.updated_at)
                    children=move |row| view! { <Row row editing shared /> }
                />
            </ul>
            <Show when=empty>
                <p id="today-empty" class="empty">{move || i18n.t(key::TODAY_EMPTY)}</p>
            </Show>
            <Show when=loading_first>
                <p class="empty">{move || i18n.t(key::TODAY_LOADING)}</p>
            </Show>
        </section>
    }
}

/// One rencontre: its summary, or its edit form.
#[component]
fn Row(row: Rencontre, editing: Editing, shared: Shared) -> impl IntoView {
    let i18n = use_i18n();
    let id = row.id.clone();
    // A memo, so that opening another row does not redraw this one.
    let is_open = {
        let id = id.clone();
        Memo::new(move |_| {
            editing
                .open
                .with(|open| open.as_deref() == Some(id.as_str()))
        })
    };
    view! {
        <li class="rencontre" class:editing=move || is_open.get() data-id=id.to_string()>
            {move || {
                if is_open.get() {
                    view! { <EditForm row=row.clone() editing shared /> }.into_any()
                } else {
                    summary(&row, editing, i18n).into_any()
                }
            }}
        </li>
    }
}

/// A row as the list shows it: a button that opens the edit form.
fn summary(row: &Rencontre, editing: Editing, i18n: I18n) -> impl IntoView + use<> {
    let id = row.id.clone();
    let button = NodeRef::<html::Button>::new();
    if editing
        .focus_back
        .with_value(|f| f.as_deref() == Some(id.as_str()))
    {
        editing.focus_back.set_value(None);
        button.on_load(|el| {
            let _ = el.focus();
        });
    }
    let place = (!row.place.trim().is_empty()).then(|| row.place.clone());
    let (channel, headcount) = (row.channel, row.headcount + row.named);
    let pseudonym = row.pseudonym.clone();
    let note = excerpt(&row.note, EXCERPT_CHARS);
    view! {
        <button
            type="button"
            class="rencontre-open"
            node_ref=button
            on:click=move |_| editing.open.set(Some(id.clone()))
        >
            <span class="meta">
                <time>{clock::local(row.occurred_at).hhmm()}</time>
                " · "
                <span class="channel">{move || i18n.label(channel)}</span>
            </span>
            <span class="place">
                {move || place.clone().unwrap_or_else(|| i18n.t(key::NO_PLACE))}
            </span>
            <span class="people">
                {move || i18n::people(i18n.lang(), headcount, pseudonym.as_deref())}
            </span>
            {(!note.is_empty()).then(|| view! { <span class="note">{note}</span> })}
            <span class="edit-hint">{move || i18n.t(key::EDIT)}</span>
        </button>
    }
}

/// The inline edit of one row: place and note.
#[component]
fn EditForm(row: Rencontre, editing: Editing, shared: Shared) -> impl IntoView {
    let i18n = use_i18n();
    let place = RwSignal::new(row.place.clone());
    let note = RwSignal::new(row.note.clone());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<IpcError>);
    let note_ref = NodeRef::<html::Textarea>::new();
    note_ref.on_load(|el| {
        let _ = el.focus();
    });

    let id = row.id.clone();
    let cancel = {
        let id = id.clone();
        move || editing.close(&id)
    };
    let cancel_on_escape = {
        let cancel = cancel.clone();
        move |ev: leptos::ev::KeyboardEvent| {
            if ev.key() == "Escape" {
                cancel();
            }
        }
    };
    let meta = {
        let row = row.clone();
        move || {
            let lang = i18n.lang();
            i18n.t_args(
                key::EDIT_META,
                &[
                    ("time", clock::local(row.occurred_at).hhmm().into()),
                    ("channel", i18n::label(row.channel, lang).into()),
                    (
                        "people",
                        i18n::people(lang, row.headcount + row.named, row.pseudonym.as_deref())
                            .into(),
                    ),
                ],
            )
        }
    };

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        // Checked here with the model's rules for the two fields edited (the count
        // stands for everyone met, named or not); the store checks the whole record.
        let draft = RencontreDraft {
            channel: row.channel,
            place: place.get_untracked(),
            occurred_at: Some(row.occurred_at),
            headcount: row.headcount + row.named,
            pseudonym: row.pseudonym.clone(),
            note: note.get_untracked(),
            ..Default::default()
        };
        let draft = match draft.validate(clock::now_ms()) {
            Ok(draft) => draft,
            Err(e) => return error.set(Some(IpcError::Validation(e))),
        };
        error.set(None);
        busy.set(true);
        let id = id.clone();
        spawn_local(async move {
            let result = ipc::call(&EditRencontre {
                id: id.clone(),
                place: draft.place,
                note: draft.note,
            })
            .await;
            busy.set(false);
            match result {
                Ok(updated) => {
                    shared.today.update(|rows| {
                        if let Some(slot) = rows.iter_mut().find(|r| r.id == updated.id) {
                            *slot = updated;
                        }
                    });
                    editing.close(&id);
                    shared.refresh_status();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };

    view! {
        <form
            class="edit-form"
            aria-label=move || i18n.t(key::EDIT_TITLE)
            aria-busy=move || aria_bool(busy.get())
            novalidate
            on:submit=on_submit
            on:keydown=cancel_on_escape
        >
            <p class="meta">{meta}</p>
            <div class="field">
                <label for="edit-place">{move || i18n.t(key::PLACE)}</label>
                <input id="edit-place" type="text" autocomplete="off" bind:value=place />
            </div>
            <div class="field">
                <label for="edit-note">{move || i18n.t(key::NOTE)}</label>
                <textarea id="edit-note" rows="4" node_ref=note_ref bind:value=note></textarea>
            </div>
            <p id="edit-error" class="error" role="alert">
                {move || error.with(|e| e.as_ref().map(|e| i18n::error_sentence(i18n.lang(), e)))}
            </p>
            <div class="actions">
                <button id="edit-cancel" type="button" on:click=move |_| cancel()>
                    {move || i18n.t(key::CANCEL)}
                </button>
                <button id="edit-save" type="submit" class="primary" disabled=move || busy.get()>
                    {move || i18n.t(if busy.get() { key::SAVING } else { key::SAVE })}
                </button>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::excerpt;

    #[test]
    fn excerpt_keeps_short_notes_and_cuts_long_ones() {
        assert_eq!(
            excerpt("Besoin d'un  lit\nce soir", 90),
            "Besoin d'un lit ce soir"
        );
        assert_eq!(excerpt("abc def ghi", 8), "abc def…");
        assert_eq!(excerpt("éééé", 3), "ééé…");
        assert_eq!(excerpt("", 3), "");
    }
}
