//! The whole screen and the state its parts share.
//!
//! [`App`] lays out the header (name, sync status line, settings button), the tabs,
//! the settings panel and the screen shown (Aujourd'hui stays mounted underneath); it
//! is mounted by [`crate::lock::Root`] once the store is open, and reads the screen's
//! language ([`crate::i18n::I18n`]) that `Root` provides. [`Shared`] holds what more than one part reads
//! (today's rencontres, the sync status) and knows how to refresh it from the shell: on
//! load, after a save, and whenever the shell announces a new sync status (a finished
//! sync may have brought other devices' rencontres). It keeps data, never sentences:
//! they are written when shown, in the language of the moment.

use filrouge_model::Rencontre;
use filrouge_model::ipc::{
    GetSyncStatus, IpcError, ListRelances, ListRencontres, SyncNow, SyncStatus,
};
use filrouge_model::views::DueRelance;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::i18n::{self, Lang, key, use_i18n};
use crate::nav::{Screen, Tabs};
use crate::screens::coordination::CoordinationScreen;
use crate::screens::events::EventsScreen;
use crate::screens::events::registration::EventScreen;
use crate::screens::people::PersonsScreen;
use crate::screens::people::partners::PartnersScreen;
use crate::screens::person::PersonScreen;
use crate::screens::relances::RelanceList;
use crate::screens::settings::Settings;
use crate::screens::today::TodayScreen;
use crate::{clock, ipc};

/// Relances listed at most, the oldest first: a long backlog stays one short screen,
/// and what is done makes room for the next.
pub const RELANCES_SHOWN: u32 = 100;

/// What more than one part of the screen reads. Every field is a reactive handle, so
/// the struct is `Copy` and each component gets its own.
#[derive(Clone, Copy)]
pub struct Shared {
    /// Today's rencontres, newest first.
    pub today: RwSignal<Vec<Rencontre>>,
    /// Whether today's list is being read.
    pub list_loading: RwSignal<bool>,
    /// Why today's list could not be read.
    pub list_error: RwSignal<Option<IpcError>>,
    /// The last sync status the shell gave.
    pub status: RwSignal<Option<SyncStatus>>,
    /// Whether the status could not be read.
    pub status_unavailable: RwSignal<bool>,
    /// List reads: a slow, older answer never replaces a newer one.
    list_read: ipc::Latest,
    /// The screen shown.
    pub screen: RwSignal<Screen>,
    /// Open relances due today or before, oldest first.
    pub relances: RwSignal<Vec<DueRelance>>,
    /// What was typed in the persons search, kept while a person's screen is open.
    pub person_query: RwSignal<String>,
    /// Relance reads, like `list_read`.
    relances_read: ipc::Latest,
}

impl Shared {
    fn new() -> Self {
        Self {
            today: RwSignal::new(Vec::new()),
            list_loading: RwSignal::new(true),
            list_error: RwSignal::new(None),
            status: RwSignal::new(None),
            status_unavailable: RwSignal::new(false),
            list_read: ipc::Latest::new(),
            screen: RwSignal::new(Screen::Today),
            relances: RwSignal::new(Vec::new()),
            person_query: RwSignal::new(String::new()),
            relances_read: ipc::Latest::new(),
        }
    }

    /// Whether this device acts as a coordinator's (reactive): what the server said at
    /// enrolment, or a device not enrolled yet, which holds only its own records. The
    /// core refuses a field worker's device anyway; this only hides what it would refuse.
    pub fn coordinator(self) -> bool {
        self.status.with(|s| {
            s.as_ref().is_some_and(|s| {
                s.server_url.is_none() || s.role == Some(filrouge_model::sync::Role::Coordinateur)
            })
        })
    }

    /// Reads the lists and the status again.
    pub fn refresh(self) {
        self.refresh_list();
        self.refresh_relances();
        self.refresh_status();
    }

    /// Reads the relances due again. A failure keeps the lines shown: the relances
    /// screen says so when the user acts on one.
    pub fn refresh_relances(self) {
        spawn_local(async move {
            let due = ListRelances {
                until: clock::today(),
                limit: RELANCES_SHOWN,
            };
            if let Some(Ok(rows)) = self.relances_read.call(&due).await {
                self.relances.set(rows);
            }
        });
    }

    /// Puts a rencontre the store has just saved into today's list at once, if it
    /// happened today, in the list's order (newest first, then by id, as the store
    /// sorts). The row is the store's own projection row, as `CreateRencontre` returns
    /// it; the list's next read, which follows every save, confirms it.
    pub fn show_saved(self, saved: Rencontre) {
        if saved.occurred_at < clock::start_of_today_ms() {
            return;
        }
        self.today.update(|rows| insert_newest_first(rows, saved));
    }

    /// Reads today's rencontres again (today starts at local midnight).
    pub fn refresh_list(self) {
        self.list_loading.set(true);
        spawn_local(async move {
            let since = clock::start_of_today_ms();
            let Some(result) = self.list_read.call(&ListRencontres { since }).await else {
                return;
            };
            self.list_loading.set(false);
            match result {
                Ok(rows) => {
                    self.today.set(rows);
                    self.list_error.set(None);
                }
                // Rows already shown stay: they are still true.
                Err(e) => self.list_error.set(Some(e)),
            }
        });
    }

    /// Reads the sync status again.
    pub fn refresh_status(self) {
        spawn_local(async move {
            match ipc::call(&GetSyncStatus {}).await {
                Ok(status) => self.set_status(status),
                Err(_) => self.status_unavailable.set(true),
            }
        });
    }

    /// Records a status the shell gave.
    pub fn set_status(self, status: SyncStatus) {
        // A command's answer can arrive after a newer event: keep the newest status.
        if self
            .status
            .with_untracked(|s| s.as_ref().is_some_and(|old| old.version > status.version))
        {
            return;
        }
        self.status.set(Some(status));
        self.status_unavailable.set(false);
    }

    /// The header's status line for the current status, in `lang`.
    pub fn status_line(self, lang: Lang) -> i18n::StatusLine {
        self.status.with(|status| match status {
            Some(status) => i18n::status_line(
                lang,
                status,
                status.last_success_at.map(clock::local),
                clock::local_now(),
            ),
            None => i18n::StatusLine {
                summary: i18n::tr(
                    lang,
                    if self.status_unavailable.get() {
                        key::STATUS_UNAVAILABLE
                    } else {
                        key::STATUS_LOADING
                    },
                ),
                detail: None,
            },
        })
    }
}

/// Puts `saved` into `rows` (newest first, then by id, descending: the store's order),
/// in place of any row with its id.
fn insert_newest_first(rows: &mut Vec<Rencontre>, saved: Rencontre) {
    rows.retain(|r| r.id != saved.id);
    let at = rows.partition_point(|r| {
        (r.occurred_at, r.id.as_str()) > (saved.occurred_at, saved.id.as_str())
    });
    rows.insert(at, saved);
}

/// `"true"` or `"false"`, for `aria-pressed` and `aria-expanded`.
pub fn aria_bool(value: bool) -> &'static str {
    if value { "true" } else { "false" }
}

/// The screen.
#[component]
pub fn App() -> impl IntoView {
    let i18n = use_i18n();
    let shared = Shared::new();
    let settings_open = RwSignal::new(false);
    let opener = NodeRef::<html::Button>::new();

    shared.refresh();
    spawn_local(ipc::listen_sync_status(move |status| {
        let finished = !status.running;
        shared.set_status(status);
        if finished {
            shared.refresh_list();
            shared.refresh_relances();
        }
    }));

    // The network is back (the webview hears it first): sync now rather than at the
    // next retry. The listener lives as long as the app.
    let _online = window_event_listener(leptos::ev::online, move |_| {
        spawn_local(async move {
            // A failure of the sync itself reaches the status line as an event.
            if let Ok(status) = ipc::call(&SyncNow {}).await {
                shared.set_status(status);
            }
        });
    });

    let line = Memo::new(move |_| shared.status_line(i18n.lang()));
    // Screens are drawn again only when the screen really changes.
    let screen = Memo::new(move |_| shared.screen.get());
    // A new screen opens at its top: a thread opened from the bottom of the
    // coordination space would otherwise show its last form first.
    Effect::new(move |drawn: Option<()>| {
        screen.track();
        if drawn.is_some()
            && let Some(window) = web_sys::window()
        {
            window.scroll_to_with_x_and_y(0.0, 0.0);
        }
    });

    view! {
        <header class="app-header">
            <div class="header-row">
                <h1>{move || i18n.t(key::APP_NAME)}</h1>
                <button
                    id="open-settings"
                    type="button"
                    class="header-button"
                    aria-controls="settings"
                    aria-expanded=move || aria_bool(settings_open.get())
                    node_ref=opener
                    on:click=move |_| settings_open.update(|open| *open = !*open)
                >
                    {move || i18n.t(key::OPEN_SETTINGS)}
                </button>
            </div>
            <p id="sync-status" role="status">
                <span class="summary">{move || line.get().summary}</span>
                {move || line.get().detail.map(|d| view! { <span class="detail">{d}</span> })}
            </p>
            {move || {
                shared
                    .status
                    .get()
                    .and_then(|s| s.progress)
                    .filter(|p| p.total > 0)
                    .map(|p| {
                        view! {
                            <progress
                                id="sync-progress"
                                max=p.total
                                value=p.done.min(p.total)
                                aria-label=i18n::sync_progress(i18n.lang(), p)
                            ></progress>
                        }
                    })
            }}
        </header>
        <Tabs shared />
        <main>
            <Settings shared open=settings_open opener />
            // Today stays mounted while another screen shows, so that a rencontre being
            // typed survives a look at a person's thread.
            <TodayScreen shared />
            {move || match screen.get() {
                Screen::Today => ().into_any(),
                Screen::Persons => view! { <PersonsScreen shared /> }.into_any(),
                Screen::Person(id) => view! { <PersonScreen shared id /> }.into_any(),
                Screen::Relances => view! { <RelanceList shared /> }.into_any(),
                Screen::Partners => view! { <PartnersScreen shared /> }.into_any(),
                Screen::Events => view! { <EventsScreen shared /> }.into_any(),
                Screen::Event(id) => view! { <EventScreen shared id /> }.into_any(),
                Screen::Coordination => view! { <CoordinationScreen shared /> }.into_any(),
            }}
        </main>
    }
}

#[cfg(test)]
mod tests {
    use super::insert_newest_first;
    use filrouge_model::Rencontre;

    /// A record id that sorts as the letter `name` does.
    fn id_of(name: &str) -> filrouge_model::RecordId {
        let n = name.chars().next().map_or(0, u32::from);
        filrouge_model::RecordId::parse(&format!("{n:08x}-0000-7000-8000-000000000000")).unwrap()
    }

    fn row(id: &str, at: i64) -> Rencontre {
        Rencontre {
            id: id_of(id),
            channel: filrouge_model::rencontre::Channel::Maraude,
            place: String::new(),
            occurred_at: at,
            headcount: 1,
            named: 0,
            pseudonym: None,
            note: String::new(),
            updated_at: at,
        }
    }

    #[test]
    fn a_saved_rencontre_takes_the_place_the_store_would_give_it() {
        let mut rows = vec![row("c", 30), row("b", 20), row("a", 20), row("z", 10)];
        insert_newest_first(&mut rows, row("d", 20));
        insert_newest_first(&mut rows, row("e", 40));
        // Saved again (an edit): replaced, not doubled.
        insert_newest_first(&mut rows, row("z", 5));
        let order: Vec<_> = rows.iter().map(|r| r.id.clone()).collect();
        assert_eq!(order, ["e", "c", "d", "b", "a", "z"].map(id_of));
    }
}
