//! Which screen is shown, and the tab bar that switches between the main ones.
//!
//! The app has no URL router: a screen is a value of [`Screen`] in the shared state,
//! set by the tabs and by links (a person's name opens their screen). The tab bar sits
//! under the thumb on phones and under the header on laptops (see `styles.css`). The
//! coordination tab shows on a coordinator's device only.

use leptos::prelude::*;

use crate::app::Shared;
use crate::i18n::{self, Key, use_i18n};

/// A screen of the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Screen {
    /// Aujourd'hui: the rencontre form, today's relances and rencontres.
    Today,
    /// Person search, to open a person's thread.
    Persons,
    /// One person's thread.
    Person(filrouge_model::RecordId),
    /// Due and overdue relances.
    Relances,
    /// The partners' directory.
    Partners,
    /// The events list and the create form.
    Events,
    /// One event: registration and check-in.
    Event(filrouge_model::RecordId),
    /// The coordination space: the team's figures over a period.
    Coordination,
}

impl Screen {
    /// The tab this screen belongs to (a person's screen is under "Personnes").
    fn tab(&self) -> Tab {
        match self {
            Screen::Today => Tab::Today,
            Screen::Persons | Screen::Person(_) | Screen::Partners => Tab::Persons,
            Screen::Relances => Tab::Relances,
            Screen::Events | Screen::Event(_) => Tab::Events,
            Screen::Coordination => Tab::Coordination,
        }
    }
}

/// A tab of the tab bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Today,
    Persons,
    Relances,
    Events,
    Coordination,
}

impl Tab {
    const ALL: [Tab; 5] = [
        Tab::Today,
        Tab::Persons,
        Tab::Relances,
        Tab::Events,
        Tab::Coordination,
    ];

    fn screen(self) -> Screen {
        match self {
            Tab::Today => Screen::Today,
            Tab::Persons => Screen::Persons,
            Tab::Relances => Screen::Relances,
            Tab::Events => Screen::Events,
            Tab::Coordination => Screen::Coordination,
        }
    }

    fn id(self) -> &'static str {
        match self {
            Tab::Today => "tab-today",
            Tab::Persons => "tab-persons",
            Tab::Relances => "tab-relances",
            Tab::Events => "tab-events",
            Tab::Coordination => "tab-coordination",
        }
    }

    fn short_label(self) -> Option<Key> {
        (self == Tab::Coordination).then_some(i18n::coordination::COORDINATION_SHORT)
    }

    fn label(self) -> Key {
        match self {
            Tab::Today => i18n::key::TODAY,
            Tab::Persons => i18n::people::PERSONS,
            Tab::Relances => i18n::people::RELANCES,
            Tab::Events => i18n::events::EVENTS,
            Tab::Coordination => i18n::coordination::COORDINATION,
        }
    }
}

/// The tab bar.
#[component]
pub fn Tabs(shared: Shared) -> impl IntoView {
    let i18n = use_i18n();
    let due = move || shared.relances.with(Vec::len);
    // The coordination space is a coordinator's.
    let coordinator = move || shared.coordinator();
    view! {
        <nav class="tabs" aria-label=move || i18n.t(i18n::people::NAVIGATION)>
            {Tab::ALL
                .into_iter()
                .map(|tab| {
                    let current = move || shared.screen.with(|s| s.tab() == tab);
                    view! {
                        <button
                            type="button"
                            id=tab.id()
                            class="tab"
                            aria-current=move || current().then_some("page")
                            hidden=move || tab == Tab::Coordination && !coordinator()
                            on:click=move |_| shared.screen.set(tab.screen())
                        >
                            {match tab.short_label() {
                                None => view! { <span>{move || i18n.t(tab.label())}</span> }.into_any(),
                                // A long word gets a short form on a phone's five tabs.
                                Some(short) => view! {
                                    <span class="tab-long">{move || i18n.t(tab.label())}</span>
                                    <span class="tab-short">{move || i18n.t(short)}</span>
                                }
                                .into_any(),
                            }}
                            {(tab == Tab::Relances)
                                .then(|| {
                                    view! {
                                        <span class="badge" aria-hidden="true" hidden=move || due() == 0>
                                            {due}
                                        </span>
                                        <span class="visually-hidden">
                                            {move || i18n::people::relances_due(i18n.lang(), due())}
                                        </span>
                                    }
                                })}
                        </button>
                    }
                })
                .collect_view()}
        </nav>
    }
}
