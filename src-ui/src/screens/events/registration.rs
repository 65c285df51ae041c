//! An event's screen: registration mode, for a phone handed across a table, and the
//! check-in list, with the live headcount of this device.
//!
//! Registration asks little, in large controls: a first name or pseudonym, an age band
//! (which sets the minor flag), and a contact only once the participant ticked the
//! consent, whose text is shown in full. "Suivant" checks the draft with the model's
//! rules, clears the form at once for the next participant, and sends it; should the
//! store refuse it, the participant's answers come back into the form with the reason.
//! Every answer of the shell is the whole event ([`EventView`]), so the headcount and
//! the list are always the store's. The check-in list filters by name as one types
//! (accents and case aside), shows the first 200 matches with how many more there are,
//! and flags look-alikes without merging them.

use filrouge_model::RegistrationDraft;
use filrouge_model::ipc::{CheckIn, GetEvent, IpcError, Register};
use filrouge_model::views::{EventView, Registration, fold_name};
use filrouge_model::vocab::AgeBand;
use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::{Shared, aria_bool};
use crate::i18n::{Said, use_i18n};
use crate::nav::Screen;
use crate::{clock, i18n, ipc};

/// Registrations the check-in list shows at most: a big event's list stays quick to
/// draw on a phone, and a few letters typed find anyone beyond.
const CHECKIN_SHOWN: usize = 200;

/// An event's screen.
#[component]
pub fn EventScreen(shared: Shared, id: filrouge_model::RecordId) -> impl IntoView {
    let i18n = use_i18n();
    let event = RwSignal::new(None::<EventView>);
    let error = RwSignal::new(None::<Said>);
    let checking_in = RwSignal::new(false);
    {
        let id = id.clone();
        spawn_local(async move {
            match ipc::call(&GetEvent { id }).await {
                Ok(v) => event.set(Some(v)),
                Err(e) => error.set(Some(Said::Error(e))),
            }
        });
    }
    let count = move || {
        event.with(|e| {
            e.as_ref().map(|e| {
                i18n::events::headcount(i18n.lang(), e.event.registered, e.event.checked_in)
            })
        })
    };
    view! {
        <section class="card event" aria-labelledby="event-title">
            <button
                type="button"
                id="event-back"
                class="link back"
                on:click=move |_| shared.screen.set(Screen::Events)
            >
                {move || format!("← {}", i18n.t(i18n::events::BACK))}
            </button>
            <h2 id="event-title">
                {move || {
                    event
                        .with(|e| e.as_ref().map(|e| e.event.name.clone()))
                        .unwrap_or_else(|| i18n.t(i18n::events::LOADING))
                }}
            </h2>
            <p id="event-count" class="headcount" aria-live="polite">{count}</p>
            <p class="error" role="alert">{move || error.get().map(|m| m.text(i18n.lang()))}</p>
            <div class="modes" role="group" aria-label=move || i18n.t(i18n::events::MODES)>
                <button
                    type="button"
                    id="mode-register"
                    class="chip"
                    aria-pressed=move || aria_bool(!checking_in.get())
                    on:click=move |_| checking_in.set(false)
                >
                    {move || i18n.t(i18n::events::MODE_REGISTER)}
                </button>
                <button
                    type="button"
                    id="mode-check-in"
                    class="chip"
                    aria-pressed=move || aria_bool(checking_in.get())
                    on:click=move |_| checking_in.set(true)
                >
                    {move || i18n.t(i18n::events::MODE_CHECK_IN)}
                </button>
            </div>
            <div hidden=move || checking_in.get()>
                <RegistrationForm event_id=id.clone() event />
            </div>
            <div hidden=move || !checking_in.get()>
                <CheckInList event_id=id event error />
            </div>
        </section>
    }
}

/// The registration form.
#[component]
fn RegistrationForm(
    event_id: filrouge_model::RecordId,
    event: RwSignal<Option<EventView>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let name = RwSignal::new(String::new());
    let band = RwSignal::new(None::<AgeBand>);
    let minor = RwSignal::new(false);
    let consent = RwSignal::new(false);
    let contact = RwSignal::new(String::new());
    let message = RwSignal::new(None::<Said>);
    let error = RwSignal::new(None::<Said>);
    let name_ref = NodeRef::<html::Input>::new();
    let event_id = StoredValue::new(event_id);

    let draft = move || RegistrationDraft {
        event_id: event_id.get_value(),
        first_name_or_pseudonym: name.get_untracked(),
        age_band: band.get_untracked(),
        minor: minor.get_untracked(),
        contact: Some(contact.get_untracked()).filter(|_| consent.get_untracked()),
        consent_given: consent.get_untracked(),
        checked_in_at: None,
        person_id: None,
    };
    let fill = move |d: &RegistrationDraft| {
        name.set(d.first_name_or_pseudonym.clone());
        band.set(d.age_band);
        minor.set(d.minor);
        consent.set(d.consent_given);
        contact.set(d.contact.clone().unwrap_or_default());
    };
    let focus_name = move || {
        if let Some(el) = name_ref.get_untracked() {
            let _ = el.focus();
        }
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let typed = draft();
        let checked = match typed.clone().validate(clock::now_ms()) {
            Ok(d) => d,
            Err(e) => {
                error.set(Some(Said::Error(IpcError::Validation(e))));
                focus_name();
                return;
            }
        };
        // The next participant is already at the table: clear now, send after.
        fill(&RegistrationDraft {
            first_name_or_pseudonym: String::new(),
            age_band: None,
            minor: false,
            consent_given: false,
            contact: None,
            ..typed.clone()
        });
        error.set(None);
        message.set(None);
        focus_name();
        spawn_local(async move {
            match ipc::call(&Register { draft: checked }).await {
                Ok(v) => {
                    event.set(Some(v));
                    message.set(Some(Said::Message(i18n::events::REGISTERED)));
                }
                Err(e) => {
                    // Nothing given is lost: the answers come back to be corrected.
                    fill(&typed);
                    error.set(Some(Said::Error(e)));
                }
            }
        });
    };
    view! {
        <form id="registration-form" class="registration" novalidate on:submit=on_submit>
            <div class="field">
                <label for="reg-name">{move || i18n.t(i18n::events::FIRST_NAME)}</label>
                <input
                    id="reg-name"
                    class="large"
                    type="text"
                    autocomplete="off"
                    enterkeyhint="next"
                    node_ref=name_ref
                    bind:value=name
                />
            </div>
            <fieldset class="chips-set">
                <legend>{move || i18n.t(i18n::events::AGE_BAND)}</legend>
                <div class="chips">
                    {AgeBand::ALL
                        .into_iter()
                        .map(|b| {
                            view! {
                                <button
                                    type="button"
                                    class="chip"
                                    data-band=b.code()
                                    aria-pressed=move || aria_bool(band.get() == Some(b))
                                    on:click=move |_| {
                                        band.set(Some(b));
                                        minor.set(b.is_minor());
                                    }
                                >
                                    {move || i18n.label(b)}
                                </button>
                            }
                        })
                        .collect_view()}
                </div>
            </fieldset>
            <label class="check">
                <input id="reg-minor" type="checkbox" bind:checked=minor />
                <span>{move || i18n.t(i18n::events::MINOR)}</span>
            </label>
            <label class="check consent">
                <input id="reg-consent" type="checkbox" bind:checked=consent />
                <span>{move || i18n.t(i18n::events::CONSENT)}</span>
            </label>
            <div class="field" hidden=move || !consent.get()>
                <label for="reg-contact">{move || i18n.t(i18n::events::CONTACT)}</label>
                <input id="reg-contact" type="text" autocomplete="off" bind:value=contact />
            </div>
            <p id="reg-error" class="error" role="alert">{move || error.get().map(|m| m.text(i18n.lang()))}</p>
            <p id="reg-message" class="confirmation" role="status">{move || message.get().map(|m| m.text(i18n.lang()))}</p>
            <button id="reg-next" type="submit" class="primary">
                {move || i18n.t(i18n::events::NEXT)}
            </button>
        </form>
    }
}

/// The check-in list.
#[component]
fn CheckInList(
    event_id: filrouge_model::RecordId,
    event: RwSignal<Option<EventView>>,
    error: RwSignal<Option<Said>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let typed = RwSignal::new(String::new());
    let event_id = StoredValue::new(event_id);
    // The registrations whose name matches what is typed, the first CHECKIN_SHOWN of
    // them, and how many more match.
    let matches = Memo::new(move |_| {
        let wanted = fold_name(&typed.get());
        event.with(|e| {
            let Some(e) = e.as_ref() else {
                return (Vec::new(), 0);
            };
            let mut all = e.registrations.iter().filter(|r| {
                let name = fold_name(&r.name);
                name.starts_with(&wanted) || name.split(' ').any(|w| w.starts_with(&wanted))
            });
            let shown: Vec<Registration> = all.by_ref().take(CHECKIN_SHOWN).cloned().collect();
            (shown, all.count())
        })
    });
    let shown = move || matches.with(|(shown, _)| shown.clone());
    let more = move || matches.with(|(_, more)| *more);
    let toggle = move |r: Registration| {
        spawn_local(async move {
            let args = CheckIn {
                id: r.id,
                event_id: event_id.get_value(),
                arrived: !r.checked_in,
            };
            match ipc::call(&args).await {
                Ok(v) => event.set(Some(v)),
                Err(e) => error.set(Some(Said::Error(e))),
            }
        });
    };
    view! {
        <div class="field">
            <label for="checkin-search">{move || i18n.t(i18n::events::SEARCH)}</label>
            <input
                id="checkin-search"
                type="search"
                autocomplete="off"
                prop:value=move || typed.get()
                on:input=move |ev| typed.set(event_target_value(&ev))
            />
        </div>
        <p class="empty" hidden=move || event.with(|e| e.as_ref().is_none_or(|e| !e.registrations.is_empty()))>
            {move || i18n.t(i18n::events::NO_REGISTRATIONS)}
        </p>
        <p id="checkin-more" class="hint" hidden=move || more() == 0>
            {move || i18n::events::more_registrations(i18n.lang(), more())}
        </p>
        <ul id="checkin-list" class="relance-list">
            <For
                each=shown
                key=|r| (r.id.clone(), r.checked_in, r.possible_duplicate)
                children=move |r: Registration| {
                    let code = r.age_band;
                    let band = move || code.map(|b| i18n.label(b)).unwrap_or_default();
                    let arrived = r.checked_in;
                    let duplicate = r.possible_duplicate;
                    let name = r.name.clone();
                    let label = {
                        let name = name.clone();
                        move || format!("{name} — {}", i18n.t(i18n::events::ARRIVED))
                    };
                    view! {
                        <li class="registration-row relance">
                            <div class="relance-text">
                                <strong class="name">{name}</strong>
                                <span class="due">{band}</span>
                                {duplicate
                                    .then(|| {
                                        view! {
                                            <span class="duplicate">{move || i18n.t(i18n::events::POSSIBLE_DUPLICATE)}</span>
                                        }
                                    })}
                            </div>
                            <button
                                type="button"
                                class="chip checkin"
                                aria-pressed=aria_bool(arrived)
                                aria-label=label
                                on:click=move |_| toggle(r.clone())
                            >
                                {move || i18n.t(i18n::events::ARRIVED)}
                            </button>
                        </li>
                    }
                }
            />
        </ul>
    }
}
