//! The coordination space: the team's figures over a period, on a coordinator's laptop.
//!
//! The screen holds a [`Period`] (this month at first); each change reads the dashboard
//! again ([`GetDashboard`], from the laptop's own store: no network). Every count is a
//! button, and every bar of a chart too: it reads the records behind it
//! ([`ListFigure`]) into the list under the period bar, where a person opens their
//! thread and an event its screen. Under the funder's table, the persons who may be
//! recorded twice (`duplicates.rs`). "Imprimer" prints the page (the stylesheet's print
//! rules keep the figures and charts on A4 and drop the controls).

mod charts;
mod conflicts;
mod duplicates;
mod export;
mod funder;
mod import;
mod list;
mod merge;
mod quality;
mod tables;

use filrouge_model::Day;
use filrouge_model::dashboard::{Dashboard, Figure, FigureList, Figures, Period, PeriodKind};
use filrouge_model::ipc::{GetDashboard, ListDevices, ListFigure};
use filrouge_model::vocab::{PublicCategory, Stage};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::{Shared, aria_bool};
use crate::i18n::{self, Key, Said, coordination as words, use_i18n};
use crate::{clock, ipc};
use charts::{Bar, BarChart};
use conflicts::ConflictsPanel;
use duplicates::DuplicatesPanel;
use export::ExportBar;
use funder::FunderTableView;
use import::ImportPanel;
use list::FigureListView;
use quality::QualityPanel;
use tables::{EventsTable, OrientationsTable, OverdueTable, Territories};

/// The period kinds offered, in the order of the buttons.
const KINDS: [(PeriodKind, Key); 5] = [
    (PeriodKind::Week, words::WEEK),
    (PeriodKind::Month, words::MONTH),
    (PeriodKind::Quarter, words::QUARTER),
    (PeriodKind::Year, words::YEAR),
    (PeriodKind::Custom, words::CUSTOM),
];

/// What the screen's parts share.
#[derive(Clone, Copy)]
struct Board {
    period: RwSignal<Period>,
    dashboard: RwSignal<Option<Dashboard>>,
    error: RwSignal<Option<Said>>,
    /// The figure listed, with its records.
    listed: RwSignal<Option<(Figure, FigureList)>>,
    reads: ipc::Latest,
    list_reads: ipc::Latest,
}

impl Board {
    fn read(self) {
        let period = self.period.get_untracked();
        spawn_local(async move {
            match self.reads.call(&GetDashboard { period }).await {
                Some(Ok(d)) => {
                    self.dashboard.set(Some(d));
                    self.error.set(None);
                }
                Some(Err(e)) => self.error.set(Some(Said::Error(e))),
                None => {}
            }
        });
    }

    /// Reads the records behind `figure` into the list.
    fn pick(self, figure: Figure) {
        let period = self.period.get_untracked();
        spawn_local(async move {
            let asked = ListFigure {
                period,
                figure: figure.clone(),
            };
            match self.list_reads.call(&asked).await {
                Some(Ok(rows)) => {
                    self.listed.set(Some((figure, rows)));
                    self.error.set(None);
                    focus_list();
                }
                Some(Err(e)) => self.error.set(Some(Said::Error(e))),
                None => {}
            }
        });
    }

    /// The current figures, or empty ones while they are read.
    fn current(self) -> Figures {
        self.dashboard
            .with(|d| d.as_ref().map(|d| d.current.clone()))
            .unwrap_or_default()
    }
}

/// Moves the focus to the list just read, so a keyboard or screen reader user lands on it.
fn focus_list() {
    request_animation_frame(|| {
        if let Some(heading) = document().get_element_by_id("figure-list-title")
            && let Ok(heading) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(heading)
        {
            let _ = heading.focus();
        }
    });
}

/// The coordination screen.
#[component]
pub fn CoordinationScreen(shared: Shared) -> impl IntoView {
    let i18n = use_i18n();
    let board = Board {
        period: RwSignal::new(Period::containing(PeriodKind::Month, clock::today())),
        dashboard: RwSignal::new(None),
        error: RwSignal::new(None),
        listed: RwSignal::new(None),
        reads: ipc::Latest::new(),
        list_reads: ipc::Latest::new(),
    };
    Effect::new(move |_| {
        board.period.track();
        board.listed.set(None);
        board.read();
    });
    // The team's devices, when the network allows: who has not synced lately makes the
    // figures provisional. The store remembers the list for when it does not.
    spawn_local(async move {
        if ipc::call(&ListDevices {}).await.is_ok() {
            board.read();
        }
    });
    let provisional = move || {
        let lang = i18n.lang();
        board.dashboard.with(|d| {
            d.as_ref().and_then(|d| {
                if !d.stale_devices.is_empty() {
                    Some(words::provisional(lang, &d.stale_devices))
                } else if d.devices_unknown {
                    Some(i18n::tr(lang, words::DEVICES_UNKNOWN))
                } else {
                    None
                }
            })
        })
    };
    // A finished sync may have brought the team's records: read again.
    Effect::new(move |first: Option<()>| {
        let running = shared
            .status
            .with(|s| s.as_ref().is_some_and(|s| s.running));
        if first.is_some() && !running {
            board.read();
        }
    });
    let pick = Callback::new(move |figure: Figure| board.pick(figure));
    let c = move || board.current();
    let previous = move || {
        board
            .dashboard
            .with(|d| d.as_ref().map(|d| d.previous.clone()))
            .unwrap_or_default()
    };

    let channel_bars = Signal::derive(move || {
        let lang = i18n.lang();
        c().by_channel
            .into_iter()
            .map(|x| Bar {
                label: i18n::label(x.key, lang).to_owned(),
                value: x.count,
                figure: Figure::Channel(x.key),
            })
            .collect::<Vec<_>>()
    });
    let worker_bars = Signal::derive(move || {
        let lang = i18n.lang();
        c().by_worker
            .into_iter()
            .map(|x| Bar {
                label: words::worker_or_none(lang, x.key.as_deref()),
                value: x.count,
                figure: Figure::Worker(x.key),
            })
            .collect::<Vec<_>>()
    });
    let day_bars = Signal::derive(move || {
        let period = board.period.get();
        let counts = c().by_day;
        (period.start.days()..=period.end.days())
            .filter_map(Day::from_days)
            .map(|d| Bar {
                label: i18n::people::short_date(d),
                value: counts.iter().find(|x| x.key == d).map_or(0, |x| x.count),
                figure: Figure::OnDay(d),
            })
            .collect::<Vec<_>>()
    });
    let reached_bars = Signal::derive(move || {
        let lang = i18n.lang();
        let reached = c().reached;
        Stage::ALL
            .into_iter()
            .map(|s| Bar {
                label: i18n::label(s, lang).to_owned(),
                value: reached.iter().find(|x| x.key == s).map_or(0, |x| x.count),
                figure: Figure::Reached(s),
            })
            .collect::<Vec<_>>()
    });
    let now_bars = Signal::derive(move || {
        let lang = i18n.lang();
        let now = board
            .dashboard
            .with(|d| d.as_ref().map(|d| d.stages_now.clone()))
            .unwrap_or_default();
        std::iter::once(None)
            .chain(Stage::ALL.into_iter().map(Some))
            .map(|s| Bar {
                label: words::stage_or_none(lang, s),
                value: now.iter().find(|x| x.key == s).map_or(0, |x| x.count),
                figure: Figure::StageNow(s),
            })
            .collect::<Vec<_>>()
    });
    let category_bars = Signal::derive(move || {
        let lang = i18n.lang();
        let cats = c().categories;
        PublicCategory::ALL
            .into_iter()
            .map(|cat| Bar {
                label: i18n::label(cat, lang).to_owned(),
                value: cats.iter().find(|x| x.key == cat).map_or(0, |x| x.count),
                figure: Figure::Category(cat),
            })
            .collect::<Vec<_>>()
    });

    // The big figures: each opens its list; the previous period's value under it.
    let card = move |id: &'static str, label: Key, now: fn(&Figures) -> u64, figure: Figure| {
        let value = move || now(&c());
        let before = move || now(&previous());
        view! {
            <li class="figure-card" id=id>
                <button
                    type="button"
                    class="figure-button"
                    on:click=move |_| board.pick(figure.clone())
                >
                    <span class="figure-value">{move || i18n::number(i18n.lang(), value())}</span>
                    <span class="figure-label">{move || i18n.t(label)}</span>
                </button>
                <span class="figure-compare">{move || words::compared(i18n.lang(), value(), before())}</span>
            </li>
        }
    };

    let set_kind = move |kind: PeriodKind| {
        let start = board.period.get_untracked().start;
        board.period.set(Period::containing(kind, start));
    };
    let custom_from = RwSignal::new(String::new());
    let custom_to = RwSignal::new(String::new());
    let custom_error = RwSignal::new(None::<Said>);
    let show_custom = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Ok(from), Ok(to)) = (
            Day::parse(&custom_from.get_untracked()),
            Day::parse(&custom_to.get_untracked()),
        ) else {
            custom_error.set(Some(Said::Message(i18n::people::BAD_DATE)));
            return;
        };
        match Period::custom(from, to) {
            Ok(p) => {
                custom_error.set(None);
                board.period.set(p);
            }
            Err(e) => custom_error.set(Some(Said::Error(e.into()))),
        }
    };
    let is_custom = move || board.period.with(|p| p.kind == PeriodKind::Custom);

    view! {
        <section class="coordination" aria-labelledby="coordination-title">
            <div class="card period-bar no-print-controls">
                <div class="section-head">
                    <h2 id="coordination-title">
                        {move || i18n.t(words::DASHBOARD)}
                        " — "
                        <span id="period-label">{move || words::period_label(i18n.lang(), board.period.get())}</span>
                    </h2>
                    <button type="button" id="print" class="secondary no-print" on:click=move |_| {
                        let _ = window().print();
                    }>
                        {move || i18n.t(words::PRINT)}
                    </button>
                </div>
                <div class="period-controls no-print">
                    <div class="period-step">
                        <button
                            type="button"
                            id="period-previous"
                            class="secondary"
                            aria-label=move || i18n.t(words::PREVIOUS)
                            on:click=move |_| board.period.update(|p| *p = p.previous())
                        >
                            "‹"
                        </button>
                        <button
                            type="button"
                            id="period-next"
                            class="secondary"
                            aria-label=move || i18n.t(words::NEXT)
                            on:click=move |_| board.period.update(|p| *p = p.next())
                        >
                            "›"
                        </button>
                    </div>
                    <div class="period-kinds" role="group" aria-label=move || i18n.t(words::PERIOD)>
                        {KINDS
                            .into_iter()
                            .map(|(kind, key)| {
                                view! {
                                    <button
                                        type="button"
                                        class="chip"
                                        data-kind=format!("{kind:?}").to_lowercase()
                                        aria-pressed=move || aria_bool(board.period.with(|p| p.kind == kind))
                                        on:click=move |_| set_kind(kind)
                                    >
                                        {move || i18n.t(key)}
                                    </button>
                                }
                            })
                            .collect_view()}
                    </div>
                </div>
                <form class="custom-period no-print" hidden=move || !is_custom() on:submit=show_custom novalidate>
                    <label>{move || i18n.t(words::FROM)} <input id="period-from" type="date" bind:value=custom_from /></label>
                    <label>{move || i18n.t(words::TO)} <input id="period-to" type="date" bind:value=custom_to /></label>
                    <button type="submit" class="secondary">{move || i18n.t(words::SHOW)}</button>
                    <p class="error" role="alert">{move || custom_error.get().map(|m| m.text(i18n.lang()))}</p>
                </form>
                <ExportBar period=board.period />
                <p class="error" role="alert">{move || board.error.get().map(|m| m.text(i18n.lang()))}</p>
                <p class="empty" hidden=move || board.dashboard.with(Option::is_some)>{move || i18n.t(words::LOADING)}</p>
            </div>
            <p id="provisional" class="notice" role="status" hidden=move || provisional().is_none()>
                {provisional}
            </p>
            <FigureListView shared listed=board.listed />
            // The period of the figures drawn (not of the one asked for), for the benchmark.
            <ul
                class="figure-cards"
                aria-label=move || i18n.t(words::DASHBOARD)
                data-period=move || board.dashboard.with(|d| d.as_ref().map(|d| d.period.start.to_string()))
            >
                {card("fig-rencontres", words::RENCONTRES, |f| f.rencontres, Figure::Rencontres)}
                {card("fig-named", words::NAMED, |f| f.named, Figure::Rencontres)}
                {card("fig-anonymous", words::ANONYMOUS, |f| f.anonymous, Figure::Rencontres)}
                {card("fig-people", words::PEOPLE_TOTAL, |f| f.named + f.anonymous, Figure::Rencontres)}
                {card("fig-persons-met", words::PERSONS_MET, |f| f.persons_met, Figure::PersonsMet)}
                {card("fig-new-persons", words::NEW_PERSONS, |f| f.new_persons, Figure::NewPersons)}
            </ul>
            <div class="charts">
                <BarChart id="chart-channel" title=Signal::derive(move || i18n.t(words::BY_CHANNEL)) bars=channel_bars pick />
                <BarChart id="chart-worker" title=Signal::derive(move || i18n.t(words::BY_WORKER)) bars=worker_bars pick />
                <BarChart id="chart-day" title=Signal::derive(move || i18n.t(words::BY_DAY)) bars=day_bars pick columns=true />
                <BarChart id="chart-reached" title=Signal::derive(move || i18n.t(words::REACHED)) bars=reached_bars pick />
                <BarChart id="chart-now" title=Signal::derive(move || i18n.t(words::STAGES_NOW)) bars=now_bars pick />
                <BarChart id="chart-categories" title=Signal::derive(move || i18n.t(words::CATEGORIES)) bars=category_bars pick />
                <Territories figures=Signal::derive(c) pick />
                <OrientationsTable figures=Signal::derive(c) pick />
                <OverdueTable dashboard=board.dashboard.into() pick />
                <EventsTable shared figures=Signal::derive(c) />
            </div>
            <FunderTableView period=board.period />
            <DuplicatesPanel shared />
            <ConflictsPanel shared />
            <QualityPanel shared />
            <ImportPanel shared />
        </section>
    }
}
