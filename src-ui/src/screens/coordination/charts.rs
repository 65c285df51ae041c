//! Bar charts drawn as SVG by the UI (no chart library): a title, a text alternative
//! for screen readers, and the table of the numbers one click away, where each count is
//! a button that opens the records behind it (the bars open them too, for a mouse).
//!
//! A chart is a list of [`Bar`]s; [`BarChart`] draws them as horizontal bars (labels
//! read on a laptop's width and on a phone's) or, for days, as columns.

use filrouge_model::dashboard::Figure;
use leptos::prelude::*;

use crate::app::aria_bool;
use crate::i18n::{self, coordination as words, use_i18n};

/// One bar: its label, its count, and the figure that lists its records.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// What it counts, in the screen's language.
    pub label: String,
    /// How many.
    pub value: u64,
    /// The records behind it.
    pub figure: Figure,
}

/// Width of the drawing, in its own units (it scales to its box).
const WIDTH: f64 = 600.0;
/// Room for the labels of horizontal bars.
const LABEL: f64 = 210.0;
/// Room for the count after a bar.
const VALUE: f64 = 60.0;
/// Height of one horizontal bar's row.
const ROW: f64 = 30.0;
/// Height of a column chart.
const COLUMNS: f64 = 160.0;

/// A label cut to fit its room in the drawing (the table has it whole).
fn fit(label: &str) -> String {
    const MAX: usize = 28;
    if label.chars().count() <= MAX {
        label.to_owned()
    } else {
        let cut: String = label.chars().take(MAX - 1).collect();
        format!("{cut}…")
    }
}

/// A chart with its title; `columns` draws one column per bar (days) instead of rows.
#[component]
pub fn BarChart(
    /// The element id, for tests and the print page.
    id: &'static str,
    /// The title, in the screen's language.
    #[prop(into)]
    title: Signal<String>,
    /// The bars.
    #[prop(into)]
    bars: Signal<Vec<Bar>>,
    /// Opens the records behind a bar.
    pick: Callback<Figure>,
    /// Columns rather than rows.
    #[prop(optional)]
    columns: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let table = RwSignal::new(false);
    let alt = move || {
        let pairs: Vec<(String, u64)> = bars.with(|b| {
            b.iter()
                .filter(|b| b.value > 0)
                .map(|b| (b.label.clone(), b.value))
                .collect()
        });
        words::chart_alt(i18n.lang(), &title.get(), &pairs)
    };
    let drawing = move || {
        let bars = bars.get();
        let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1) as f64;
        if columns {
            let n = bars.len().max(1) as f64;
            let step = WIDTH / n;
            let view_box = format!("0 0 {WIDTH} {}", COLUMNS + 24.0);
            // The first and last columns' labels say which days the axis runs over.
            let ends = (
                bars.first().map(|b| b.label.clone()).unwrap_or_default(),
                bars.last().map(|b| b.label.clone()).unwrap_or_default(),
            );
            let cols = bars
                .into_iter()
                .enumerate()
                .map(|(i, bar)| {
                    let h = bar.value as f64 / max * COLUMNS;
                    let figure = bar.figure.clone();
                    view! {
                        <rect
                            class="bar"
                            x=format!("{:.1}", i as f64 * step + step * 0.1)
                            y=format!("{:.1}", COLUMNS - h)
                            width=format!("{:.1}", step * 0.8)
                            height=format!("{h:.1}")
                            on:click=move |_| pick.run(figure.clone())
                        >
                            <title>{format!("{} : {}", bar.label, bar.value)}</title>
                        </rect>
                    }
                })
                .collect_view();
            view! {
                <svg class="chart-svg" viewBox=view_box role="img" aria-label=alt>
                    <line class="axis" x1="0" y1=COLUMNS x2=WIDTH y2=COLUMNS></line>
                    {cols}
                    <text class="bar-label" x="0" y=COLUMNS + 20.0>{ends.0}</text>
                    <text class="bar-label" x=WIDTH y=COLUMNS + 20.0 text-anchor="end">{ends.1}</text>
                </svg>
            }
            .into_any()
        } else {
            let height = (bars.len().max(1) as f64) * ROW;
            let view_box = format!("0 0 {WIDTH} {height}");
            let rows = bars
                .into_iter()
                .enumerate()
                .map(|(i, bar)| {
                    let y = i as f64 * ROW;
                    let w = bar.value as f64 / max * (WIDTH - LABEL - VALUE);
                    let figure = bar.figure.clone();
                    view! {
                        <g class="bar-row" on:click=move |_| pick.run(figure.clone())>
                            <text class="bar-label" x="0" y=format!("{:.1}", y + ROW * 0.65)>
                                {fit(&bar.label)}
                            </text>
                            <rect
                                class="bar"
                                x=LABEL
                                y=format!("{:.1}", y + ROW * 0.15)
                                width=format!("{w:.1}")
                                height=format!("{:.1}", ROW * 0.7)
                            ></rect>
                            <text class="bar-value" x=format!("{:.1}", LABEL + w + 6.0) y=format!("{:.1}", y + ROW * 0.65)>
                                {bar.value}
                            </text>
                        </g>
                    }
                })
                .collect_view();
            view! {
                <svg class="chart-svg" viewBox=view_box role="img" aria-label=alt>
                    {rows}
                </svg>
            }
            .into_any()
        }
    };
    let rows = move || {
        let lang = i18n.lang();
        bars.get()
            .into_iter()
            .map(|bar| {
                let figure = bar.figure.clone();
                view! {
                    <tr>
                        <th scope="row">{bar.label.clone()}</th>
                        <td>
                            <button type="button" class="link count-link" on:click=move |_| pick.run(figure.clone())>
                                {i18n::number(lang, bar.value)}
                            </button>
                        </td>
                    </tr>
                }
            })
            .collect_view()
    };
    let empty = move || bars.with(|b| b.iter().all(|b| b.value == 0));
    view! {
        <figure class="chart" id=id>
            <figcaption>
                <h3>{move || title.get()}</h3>
                <button
                    type="button"
                    class="link no-print"
                    aria-expanded=move || aria_bool(table.get())
                    on:click=move |_| table.update(|t| *t = !*t)
                >
                    {move || i18n.t(if table.get() { words::SHOW_CHART } else { words::SHOW_TABLE })}
                </button>
            </figcaption>
            <p class="empty" hidden=move || !empty()>{move || i18n.t(words::NOTHING)}</p>
            <div class="chart-drawing" hidden=move || table.get() || empty()>{drawing}</div>
            <table class="chart-table" hidden=move || !table.get()>
                <thead>
                    <tr>
                        <th scope="col">{move || title.get()}</th>
                        <th scope="col">{move || i18n.t(words::COUNT)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </figure>
    }
}
