//! The Aujourd'hui screen: one big "Nouvelle rencontre" button, the relances due, the
//! rencontre form while it is open, and today's list.
//!
//! The form stays mounted while it is closed, so that what was typed survives closing
//! it or a look at another tab (and, through the kept draft, a restart); the button
//! then says there is a rencontre to finish. [`Composer`] is the state the button and
//! the form share: opening moves the focus to the form's title and closing it (or a
//! save) moves it back to the button, so that keyboard and screen-reader users stay
//! where they act. A save closes the form: the new line shows in today's list under
//! the confirmation, and the next contact starts again from the button.

pub mod form;
pub mod form_more;
pub mod list;
pub mod picker;

use std::time::Duration;

use leptos::html;
use leptos::prelude::*;

use crate::app::{Shared, aria_bool};
use crate::clock::LocalTime;
use crate::i18n::{self, key, use_i18n};
use crate::nav::Screen;
use crate::screens::relances::RelanceList;
use crate::screens::today::form::NewRencontre;
use crate::screens::today::list::TodayList;

/// How long the "Rencontre enregistrée" confirmation stays.
const CONFIRMATION_FOR: Duration = Duration::from_secs(5);

/// What the "Nouvelle rencontre" button and the form share. Every field is a reactive
/// handle, so the struct is `Copy`.
#[derive(Clone, Copy)]
pub struct Composer {
    /// Whether the form is shown.
    pub open: RwSignal<bool>,
    /// Whether the form holds something typed and not saved yet.
    pub pending: RwSignal<bool>,
    /// The time of the last rencontre saved, while its confirmation shows.
    saved_at: RwSignal<Option<LocalTime>>,
    /// The form's title, which takes the focus when the form opens.
    pub title: NodeRef<html::H2>,
    /// The button, which takes the focus back when the form closes.
    button: NodeRef<html::Button>,
}

impl Composer {
    fn new() -> Self {
        Self {
            open: RwSignal::new(false),
            pending: RwSignal::new(false),
            saved_at: RwSignal::new(None),
            title: NodeRef::new(),
            button: NodeRef::new(),
        }
    }

    /// Shows the form and puts the focus on its title.
    pub fn open(self) {
        self.saved_at.set(None);
        self.open.set(true);
        // The title is hidden until the screen is drawn again.
        let title = self.title;
        request_animation_frame(move || {
            if let Some(title) = title.get_untracked() {
                let _ = title.focus();
            }
        });
    }

    /// Hides the form (what it holds stays) and puts the focus back on the button.
    pub fn close(self) {
        self.open.set(false);
        let button = self.button;
        request_animation_frame(move || {
            if let Some(button) = button.get_untracked() {
                let _ = button.focus();
            }
        });
    }

    /// A rencontre was saved at `at`: closes the form and confirms for a moment.
    pub fn saved(self, at: LocalTime) {
        self.close();
        self.saved_at.set(Some(at));
        // Cleared later, unless a newer confirmation replaced it.
        set_timeout(
            move || {
                if self.saved_at.get_untracked() == Some(at) {
                    self.saved_at.set(None);
                }
            },
            CONFIRMATION_FOR,
        );
    }
}

/// The Aujourd'hui screen. Hidden, never dropped, while another screen shows.
#[component]
pub fn TodayScreen(shared: Shared) -> impl IntoView {
    let i18n = use_i18n();
    let composer = Composer::new();
    let away = Memo::new(move |_| shared.screen.with(|s| *s != Screen::Today));
    let label = move || {
        i18n.t(if composer.pending.get() {
            key::RESUME_RENCONTRE
        } else {
            key::NEW_RENCONTRE
        })
    };
    view! {
        <div id="screen-today" class:composing=move || composer.open.get() hidden=away>
            <button
                id="new-rencontre"
                type="button"
                class="primary new-rencontre"
                aria-controls="rencontre-form"
                aria-expanded=move || aria_bool(composer.open.get())
                hidden=move || composer.open.get()
                node_ref=composer.button
                on:click=move |_| composer.open()
            >
                <span aria-hidden="true" class="plus">"+"</span>
                <span>{label}</span>
            </button>
            <p id="form-confirmation" class="confirmation" role="status">
                {move || composer.saved_at.get().map(|at| i18n::saved_at(i18n.lang(), at))}
            </p>
            <RelanceList shared main_screen=true />
            <NewRencontre shared composer />
            <TodayList shared />
        </div>
    }
}
