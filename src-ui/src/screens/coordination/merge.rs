//! "Fusionner…" on a proposed pair: which record stays, and for each value the two
//! records give differently (pseudonym, last name, birth year, commune), which one the
//! merged person keeps. [`MergePersons`] writes a synced merge record; nothing recorded
//! is rewritten, and the merge is undone from the person's thread. Once merged, the
//! screen opens the merged person's thread.

use filrouge_model::MergedFields;
use filrouge_model::duplicates::{DuplicatePair, PersonSide};
use filrouge_model::ipc::MergePersons;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::Shared;
use crate::i18n::{Key, Said, duplicates as words, use_i18n};
use crate::ipc;
use crate::nav::Screen;

/// One value the two records give differently.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Value {
    Pseudonym,
    LastName,
    BirthYear,
    Commune,
}

impl Value {
    const ALL: [Value; 4] = [
        Value::Pseudonym,
        Value::LastName,
        Value::BirthYear,
        Value::Commune,
    ];

    fn legend(self) -> Key {
        match self {
            Value::Pseudonym => words::MERGE_PSEUDONYM,
            Value::LastName => words::MERGE_LAST_NAME,
            Value::BirthYear => words::MERGE_BIRTH_YEAR,
            Value::Commune => words::MERGE_COMMUNE,
        }
    }

    fn code(self) -> &'static str {
        match self {
            Value::Pseudonym => "pseudonym",
            Value::LastName => "last-name",
            Value::BirthYear => "birth-year",
            Value::Commune => "commune",
        }
    }

    /// The value as text, if the record has one.
    fn of(self, side: &PersonSide) -> Option<String> {
        match self {
            Value::Pseudonym => Some(side.pseudonym.clone()),
            Value::LastName => side.last_name.clone(),
            Value::BirthYear => side.birth_year.map(|y| y.to_string()),
            Value::Commune => side.commune.clone(),
        }
    }

    /// Puts `side`'s value in `taken`.
    fn take(self, side: &PersonSide, taken: &mut MergedFields) {
        match self {
            Value::Pseudonym => taken.pseudonym = Some(side.pseudonym.clone()),
            Value::LastName => taken.last_name.clone_from(&side.last_name),
            Value::BirthYear => taken.birth_year = side.birth_year,
            Value::Commune => taken.commune.clone_from(&side.commune),
        }
    }
}

/// The merge choice of one pair; `close` hides it again.
#[component]
pub fn MergeChoice(shared: Shared, pair: DuplicatePair, close: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let (a, b) = (pair.a, pair.b);
    // The record met more often stays by default.
    let keep_b = RwSignal::new(b.rencontres > a.rencontres);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<Said>);
    let group = format!("merge-{}", a.id.as_str());
    // Per differing value, whether `b`'s is kept. A value only one record has is kept.
    let choices: Vec<(Value, RwSignal<bool>)> = Value::ALL
        .into_iter()
        .filter(|v| v.of(&a) != v.of(&b))
        .map(|v| (v, RwSignal::new(v.of(&a).is_none())))
        .collect();
    let radio = {
        move |name: String, label: String, checked: Signal<bool>, pick: Callback<()>, code: &str| {
            view! {
                <label class="choice merge-option" data-value=code.to_owned()>
                    <input
                        type="radio"
                        name=name
                        prop:checked=move || checked.get()
                        on:change=move |_| pick.run(())
                    />
                    <span>{label}</span>
                </label>
            }
        }
    };
    let keep_group = format!("{group}-keep");
    let values = choices
        .iter()
        .map(|(v, from_b)| {
            let (v, from_b) = (*v, *from_b);
            let name = format!("{group}-{}", v.code());
            let none = || "—".to_owned();
            view! {
                <fieldset class="merge-value" data-field=v.code()>
                    <legend>{move || i18n.t(v.legend())}</legend>
                    {radio(
                        name.clone(),
                        v.of(&a).unwrap_or_else(none),
                        Signal::derive(move || !from_b.get()),
                        Callback::new(move |()| from_b.set(false)),
                        "a",
                    )}
                    {radio(
                        name,
                        v.of(&b).unwrap_or_else(none),
                        Signal::derive(move || from_b.get()),
                        Callback::new(move |()| from_b.set(true)),
                        "b",
                    )}
                </fieldset>
            }
        })
        .collect_view();
    let merge = {
        let (a, b) = (a.clone(), b.clone());
        move || {
            let (survivor, absorbed) = if keep_b.get_untracked() {
                (&b, &a)
            } else {
                (&a, &b)
            };
            let mut taken = MergedFields::default();
            for (v, from_b) in &choices {
                let chosen = if from_b.get_untracked() { &b } else { &a };
                if chosen.id == absorbed.id {
                    v.take(absorbed, &mut taken);
                }
            }
            let cmd = MergePersons {
                survivor: survivor.id.clone(),
                absorbed: absorbed.id.clone(),
                taken,
            };
            busy.set(true);
            spawn_local(async move {
                let result = ipc::call(&cmd).await;
                busy.set(false);
                match result {
                    // The thread says whom it now holds, with the undo beside it.
                    Ok(view) => shared.screen.set(Screen::Person(view.id)),
                    Err(e) => error.set(Some(Said::Error(e))),
                }
            });
        }
    };
    view! {
        <div class="merge-choice">
            <p class="hint">{move || i18n.t(words::MERGE_INTRO)}</p>
            <fieldset class="merge-keep">
                <legend>{move || i18n.t(words::MERGE_KEEP)}</legend>
                {radio(
                    keep_group.clone(),
                    words::name(&a),
                    Signal::derive(move || !keep_b.get()),
                    Callback::new(move |()| keep_b.set(false)),
                    "a",
                )}
                {radio(
                    keep_group,
                    words::name(&b),
                    Signal::derive(move || keep_b.get()),
                    Callback::new(move |()| keep_b.set(true)),
                    "b",
                )}
            </fieldset>
            {values}
            <p class="error" role="alert">{move || error.get().map(|m| m.text(i18n.lang()))}</p>
            <div class="actions">
                <button
                    type="button"
                    class="primary confirm-merge"
                    disabled=move || busy.get()
                    on:click=move |_| merge()
                >
                    {move || i18n.t(words::MERGE_CONFIRM)}
                </button>
                <button type="button" class="secondary" on:click=move |_| close.run(())>
                    {move || i18n.t(words::MERGE_CANCEL)}
                </button>
            </div>
        </div>
    }
}
