//! Which screen is shown, and the tab bar that switches between the main ones.
//!
//! The app has no URL router: a screen is a value of [`Screen`] in the shared state,
//! set by the tabs and by links (a person's name opens their screen). The tab bar sits
//! under the thumb on phones, each tab its icon over its label, and under the header on
//! laptops, the icon beside the label (see `styles.css`). The coordination tab shows on
//! a coordinator's device only.

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

    /// The tab's icon, one path in a 24-unit box drawn with the text's colour: on a
    /// phone's five narrow tabs the icons, not the packed labels, tell them apart.
    fn icon(self) -> &'static str {
        match self {
            // A calendar page.
            Tab::Today => {
                "M5.5 5h13a2 2 0 0 1 2 2v11.5a2 2 0 0 1-2 2h-13a2 2 0 0 1-2-2V7a2 2 0 0 1 2-2z\
                 M3.5 10h17M8 3v4M16 3v4"
            }
            // Two people.
            Tab::Persons => {
                "M9 4.75a3.25 3.25 0 1 1 0 6.5a3.25 3.25 0 1 1 0-6.5z\
                 M3 19.5c0-3.3 2.7-5.5 6-5.5s6 2.2 6 5.5M15.5 4.9a3.25 3.25 0 0 1 0 6.2\
                 M17.5 14.3c2 .7 3.5 2.6 3.5 5.2"
            }
            // A bell: what is due.
            Tab::Relances => "M6 16.5V11a6 6 0 0 1 12 0v5.5l1.5 2h-15zM10 20.5a2 2 0 0 0 4 0",
            // A flag.
            Tab::Events => "M5 21V4h11l-2 4 2 4H5",
            // Bars of a chart: the team's figures.
            Tab::Coordination => "M4 20h16M7 20v-6M12 20V8M17 20v-9",
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
                            <svg class="tab-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                                <path d=tab.icon()></path>
                            </svg>
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
