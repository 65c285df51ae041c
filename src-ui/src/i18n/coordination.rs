//! The words of the coordination space: the period, the figures, the charts' titles and
//! text alternatives, and the lists behind the counts.

use filrouge_model::dashboard::{Figure, Period, PeriodKind, STALE_AFTER_DAYS, StaleDevice};
use filrouge_model::import::{ImportIssue, ImportProblem, ImportReport};
use filrouge_model::vocab::Stage;

use super::people::short_date;
use super::{Key, Lang, label, number, tr, tr_args};

/// The tab, and the screen's title.
pub const COORDINATION: Key = Key("coord-coordination");
/// The tab's label on a phone's narrow tab bar.
pub const COORDINATION_SHORT: Key = Key("coord-coordination-short");
/// The dashboard's title.
pub const DASHBOARD: Key = Key("coord-dashboard");
/// Label of the period kind buttons.
pub const PERIOD: Key = Key("coord-period");
/// The period kinds.
pub const WEEK: Key = Key("coord-week");
/// A calendar month.
pub const MONTH: Key = Key("coord-month-kind");
/// A calendar quarter.
pub const QUARTER: Key = Key("coord-quarter-kind");
/// A calendar year.
pub const YEAR: Key = Key("coord-year-kind");
/// Days of one's choosing.
pub const CUSTOM: Key = Key("coord-custom");
/// The custom period's first day.
pub const FROM: Key = Key("coord-from");
/// The custom period's last day.
pub const TO: Key = Key("coord-to");
/// The button that shows the custom period.
pub const SHOW: Key = Key("coord-show");
/// The previous period button.
pub const PREVIOUS: Key = Key("coord-previous");
/// The next period button.
pub const NEXT: Key = Key("coord-next");
/// The print button.
pub const PRINT: Key = Key("coord-print");
/// While the figures are read.
pub const LOADING: Key = Key("coord-loading");

/// The rencontres card.
pub const RENCONTRES: Key = Key("coord-rencontres");
/// Named persons met, summed.
pub const NAMED: Key = Key("coord-named");
/// People met anonymously, summed.
pub const ANONYMOUS: Key = Key("coord-anonymous");
/// Named and anonymous together.
pub const PEOPLE_TOTAL: Key = Key("coord-people-total");
/// Distinct persons met.
pub const PERSONS_MET: Key = Key("coord-persons-met");
/// Persons first seen in the period.
pub const NEW_PERSONS: Key = Key("coord-new-persons");
/// The channel chart.
pub const BY_CHANNEL: Key = Key("coord-by-channel");
/// The worker chart.
pub const BY_WORKER: Key = Key("coord-by-worker");
/// The day chart.
pub const BY_DAY: Key = Key("coord-by-day");
/// Rencontres recorded by nobody named.
pub const NO_WORKER: Key = Key("coord-no-worker");
/// The parcours funnel.
pub const REACHED: Key = Key("coord-reached");
/// Where everyone is today.
pub const STAGES_NOW: Key = Key("coord-stages-now");
/// Persons without a stage.
pub const NO_STAGE: Key = Key("coord-no-stage");
/// The public categories chart.
pub const CATEGORIES: Key = Key("coord-categories");
/// The territories' title.
pub const TERRITORIES: Key = Key("coord-territories");
/// QPV.
pub const QPV: Key = Key("coord-qpv");
/// ZRR.
pub const ZRR: Key = Key("coord-zrr");
/// Overseas.
pub const OUTRE_MER: Key = Key("coord-outre-mer");
/// The orientations table.
pub const ORIENTATIONS: Key = Key("coord-orientations");
/// Its partner column.
pub const PARTNER: Key = Key("coord-partner");
/// Its status column.
pub const STATUS: Key = Key("coord-status");
/// A count column.
pub const COUNT: Key = Key("coord-count");
/// An orientation to a partner not named.
pub const NO_PARTNER: Key = Key("coord-no-partner");
/// The overdue relances table.
pub const OVERDUE: Key = Key("coord-overdue");
/// Its worker column.
pub const WORKER: Key = Key("coord-worker");
/// The events table.
pub const EVENTS: Key = Key("coord-events");
/// Its registered column.
pub const REGISTERED: Key = Key("coord-registered");
/// Its checked-in column.
pub const CHECKED_IN: Key = Key("coord-checked-in");
/// Its day column.
pub const DATE: Key = Key("coord-date");
/// A table or a chart with nothing to show.
pub const NOTHING: Key = Key("coord-nothing");
/// Shows a chart's numbers as a table.
pub const SHOW_TABLE: Key = Key("coord-show-table");
/// Shows the chart again.
pub const SHOW_CHART: Key = Key("coord-show-chart");
/// Closes the list of a figure.
pub const CLOSE_LIST: Key = Key("coord-close-list");
/// The funder's table.
pub const FUNDER_TABLE: Key = Key("coord-funder-table");
/// Its mode for a funder: small counts hidden.
pub const FUNDER_MODE: Key = Key("coord-funder-mode");
/// What the funder's mode does.
pub const FUNDER_MODE_HELP: Key = Key("coord-funder-mode-help");
/// A hidden small count.
pub const SUPPRESSED: Key = Key("coord-suppressed");
/// The indicator column.
pub const INDICATOR: Key = Key("coord-indicator");
/// The total column.
pub const TOTAL: Key = Key("coord-total");
/// The box that puts personal data into an export.
pub const EXPORT_PERSONAL: Key = Key("coord-export-personal");
/// What that box means.
pub const EXPORT_PERSONAL_WARNING: Key = Key("coord-export-personal-warning");
/// The workbook export button.
pub const EXPORT_XLSX: Key = Key("coord-export-xlsx");
/// The CSV export button.
pub const EXPORT_CSV: Key = Key("coord-export-csv");
/// The funder's table export button.
pub const EXPORT_FUNDER: Key = Key("coord-export-funder");
/// The import panel's title.
pub const IMPORT: Key = Key("coord-import");
/// What the import does.
pub const IMPORT_HINT: Key = Key("coord-import-hint");
/// The file input's label.
pub const IMPORT_FILE: Key = Key("coord-import-file");
/// The kind buttons' group.
pub const IMPORT_KIND: Key = Key("coord-import-kind");
/// Rows that are rencontres.
pub const IMPORT_RENCONTRES: Key = Key("coord-import-rencontres");
/// Rows that are persons.
pub const IMPORT_PERSONS: Key = Key("coord-import-persons");
/// A field left without a column.
pub const IMPORT_NO_COLUMN: Key = Key("coord-import-no-column");
/// The dry run button.
pub const IMPORT_CHECK: Key = Key("coord-import-check");
/// The import button.
pub const IMPORT_RUN: Key = Key("coord-import-run");
/// The list of a figure when it holds nothing.
pub const EMPTY_LIST: Key = Key("coord-empty-list");

/// The period as a title: "novembre 2026", "semaine du 16/11/2026", "4e trimestre 2026",
/// "2026", "du 10/11/2026 au 19/11/2026".
pub fn period_label(lang: Lang, period: Period) -> String {
    let (y, m, _) = period.start.ymd();
    match period.kind {
        PeriodKind::Month => tr_args(
            lang,
            Key("coord-month"),
            &[("month", m.into()), ("year", y.to_string().into())],
        ),
        PeriodKind::Week => tr_args(
            lang,
            Key("coord-week-of"),
            &[("date", short_date(period.start).into())],
        ),
        PeriodKind::Quarter => tr_args(
            lang,
            Key("coord-quarter"),
            &[
                ("quarter", m.div_ceil(3).into()),
                ("year", y.to_string().into()),
            ],
        ),
        PeriodKind::Year => y.to_string(),
        PeriodKind::Custom => tr_args(
            lang,
            Key("coord-between"),
            &[
                ("from", short_date(period.start).into()),
                ("to", short_date(period.end).into()),
            ],
        ),
    }
}

/// How a figure compares with the previous period: "Période précédente : 12 (+3)".
pub fn compared(lang: Lang, now: u64, before: u64) -> String {
    let delta = i64::try_from(now).unwrap_or(i64::MAX) - i64::try_from(before).unwrap_or(0);
    let sign = if delta > 0 { "+" } else { "" };
    tr_args(
        lang,
        Key("coord-compared"),
        &[
            ("before", number(lang, before).into()),
            ("delta", format!("{sign}{delta}").into()),
        ],
    )
}

/// Where an export was written: "Fichier écrit : … (12 lignes)."
pub fn exported(lang: Lang, file: &str, rows: u64) -> String {
    tr_args(
        lang,
        Key("coord-exported"),
        &[("file", file.into()), ("rows", rows.into())],
    )
}

/// The banner of provisional figures: "Chiffres provisoires : 2 appareils n'ont pas
/// synchronisé depuis plus de 7 jours (Téléphone de Karim, le 12/11/2026 ; …)."
pub fn provisional(lang: Lang, stale: &[StaleDevice]) -> String {
    let names: Vec<String> = stale
        .iter()
        .map(|d| match d.last_seen_at {
            Some(ms) => tr_args(
                lang,
                Key("coord-stale-since"),
                &[
                    ("name", d.name.clone().into()),
                    (
                        "date",
                        short_date(filrouge_model::Day::from_epoch_ms(ms)).into(),
                    ),
                ],
            ),
            None => tr_args(
                lang,
                Key("coord-stale-never"),
                &[("name", d.name.clone().into())],
            ),
        })
        .collect();
    tr_args(
        lang,
        Key("coord-provisional"),
        &[
            ("count", (stale.len() as u64).into()),
            ("days", STALE_AFTER_DAYS.into()),
            ("devices", names.join(" ; ").into()),
        ],
    )
}

/// The banner when the team's devices were never listed.
pub const DEVICES_UNKNOWN: Key = Key("coord-devices-unknown");

/// How many data rows a file has.
pub fn import_rows(lang: Lang, rows: u64) -> String {
    tr_args(lang, Key("coord-import-rows"), &[("rows", rows.into())])
}

/// What a dry run found or an import did.
pub fn import_summary(lang: Lang, r: &ImportReport) -> String {
    let key = if !r.refused.is_empty() {
        Key("coord-import-refused")
    } else if r.written {
        Key("coord-import-done")
    } else {
        Key("coord-import-ready")
    };
    tr_args(
        lang,
        key,
        &[
            ("rows", r.rows.into()),
            ("created", r.created.into()),
            ("already", r.already.into()),
            ("refused", (r.refused.len() as u64).into()),
        ],
    )
}

/// A refused row: its line, its column, and why.
pub fn import_problem(lang: Lang, p: &ImportProblem) -> String {
    let (key, value) = match &p.issue {
        ImportIssue::Invalid { error } => (None, super::validation_sentence(lang, error)),
        ImportIssue::UnknownValue { value } => (Some(Key("coord-import-unknown")), value.clone()),
        ImportIssue::BadDate { value } => (Some(Key("coord-import-bad-date")), value.clone()),
        ImportIssue::BadNumber { value } => (Some(Key("coord-import-bad-number")), value.clone()),
        ImportIssue::BadFlag { value } => (Some(Key("coord-import-bad-flag")), value.clone()),
    };
    // The other refusals quote the value as written.
    let why = match key {
        Some(key) => tr_args(lang, key, &[("value", value.into())]),
        None => value,
    };
    match &p.column {
        Some(column) => tr_args(
            lang,
            Key("coord-import-line-column"),
            &[
                ("line", p.line.into()),
                ("column", column.clone().into()),
                ("why", why.into()),
            ],
        ),
        None => tr_args(
            lang,
            Key("coord-import-line"),
            &[("line", p.line.into()), ("why", why.into())],
        ),
    }
}

/// A share of the persons met: "33 %" / "33%".
pub fn share(lang: Lang, part: u64, whole: u64) -> String {
    let pct = (part * 100).checked_div(whole).unwrap_or(0);
    match lang {
        Lang::Fr => format!("{pct}\u{202f}%"),
        Lang::En => format!("{pct}%"),
    }
}

/// A chart's text alternative: its title, then each label with its count.
pub fn chart_alt(lang: Lang, title: &str, bars: &[(String, u64)]) -> String {
    if bars.is_empty() {
        return format!("{title} : {}", tr(lang, NOTHING));
    }
    let items: Vec<String> = bars
        .iter()
        .map(|(label, n)| format!("{label} {}", number(lang, *n)))
        .collect();
    match lang {
        Lang::Fr => format!("{title} : {}.", items.join(", ")),
        Lang::En => format!("{title}: {}.", items.join(", ")),
    }
}

/// A stage's name, or "Sans étape".
pub fn stage_or_none(lang: Lang, stage: Option<Stage>) -> String {
    stage.map_or_else(|| tr(lang, NO_STAGE), |s| label(s, lang).to_owned())
}

/// A worker's name, or "Non renseigné".
pub fn worker_or_none(lang: Lang, worker: Option<&str>) -> String {
    worker.map_or_else(|| tr(lang, NO_WORKER), str::to_owned)
}

/// What a figure's list is: "Rencontres : Maraude", "Personnes rencontrées"…
pub fn figure_title(lang: Lang, figure: &Figure) -> String {
    let with = |key: Key, what: String| format!("{} — {what}", tr(lang, key));
    match figure {
        Figure::Rencontres => tr(lang, RENCONTRES),
        Figure::Channel(c) => with(RENCONTRES, label(*c, lang).to_owned()),
        Figure::Worker(w) => with(RENCONTRES, worker_or_none(lang, w.as_deref())),
        Figure::OnDay(d) => with(RENCONTRES, short_date(*d)),
        Figure::PersonsMet => tr(lang, PERSONS_MET),
        Figure::NewPersons => tr(lang, NEW_PERSONS),
        Figure::Reached(s) => with(REACHED, label(*s, lang).to_owned()),
        Figure::Category(c) => with(PERSONS_MET, label(*c, lang).to_owned()),
        Figure::Qpv => with(PERSONS_MET, tr(lang, QPV)),
        Figure::Zrr => with(PERSONS_MET, tr(lang, ZRR)),
        Figure::OutreMer => with(PERSONS_MET, tr(lang, OUTRE_MER)),
        Figure::Orientations { partner, status } => with(
            ORIENTATIONS,
            format!(
                "{}, {}",
                partner.clone().unwrap_or_else(|| tr(lang, NO_PARTNER)),
                label(*status, lang)
            ),
        ),
        Figure::StageNow(s) => with(STAGES_NOW, stage_or_none(lang, *s)),
        Figure::Overdue(w) => with(OVERDUE, w.clone()),
    }
}

/// A record a data-quality rule found: "Lina · 13/09/2026 · un numéro de téléphone".
pub fn quality_item(lang: Lang, item: &filrouge_model::quality::QualityItem) -> String {
    let mut parts = Vec::new();
    if !item.about.is_empty() {
        parts.push(item.about.clone());
    }
    if let Some(day) = item.day {
        parts.push(super::people::short_date(day));
    }
    if let Some(found) = item.found {
        parts.push(super::label(found, lang).to_owned());
    }
    if parts.is_empty() {
        parts.push(super::label(item.kind, lang).to_owned());
    }
    parts.join(" · ")
}

/// The data-quality section's title.
pub const QUALITY_TITLE: Key = Key("quality-title");
/// What it is for.
pub const QUALITY_INTRO: Key = Key("quality-intro");
/// The button that runs the checks.
pub const QUALITY_CHECK: Key = Key("quality-check");
/// Opens a found record's thread.
pub const QUALITY_OPEN: Key = Key("quality-open");

/// The erasure register's title.
pub const ERASURES: Key = Key("quality-erasures");

/// One line of the erasure register: "03/12/2026 · Demande de la personne (droit à
/// l'effacement) · 4 fiches".
pub fn erasure_line(lang: Lang, e: &filrouge_model::erasure::ErasureEntry) -> String {
    tr_args(
        lang,
        Key("quality-erasure"),
        &[
            ("date", short_date(e.day).into()),
            ("reason", label(e.reason, lang).into()),
            ("count", u64::from(e.records).into()),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use filrouge_model::Day;

    fn day(text: &str) -> Day {
        Day::parse(text).unwrap()
    }

    #[test]
    fn periods_are_named_in_both_languages() {
        let d = day("2026-11-18");
        let month = Period::containing(PeriodKind::Month, d);
        assert_eq!(period_label(Lang::Fr, month), "novembre 2026");
        assert_eq!(period_label(Lang::En, month), "November 2026");
        let quarter = Period::containing(PeriodKind::Quarter, d);
        assert_eq!(period_label(Lang::Fr, quarter), "4e trimestre 2026");
        assert_eq!(period_label(Lang::En, quarter), "Q4 2026");
        let week = Period::containing(PeriodKind::Week, d);
        assert_eq!(period_label(Lang::Fr, week), "semaine du 16/11/2026");
        let custom = Period::custom(day("2026-11-10"), day("2026-11-19")).unwrap();
        assert_eq!(
            period_label(Lang::Fr, custom),
            "du 10/11/2026 au 19/11/2026"
        );
    }

    #[test]
    fn comparisons_and_shares_read_naturally() {
        assert_eq!(
            compared(Lang::Fr, 15, 12),
            "Période précédente\u{202f}: 12 (+3)"
        );
        assert_eq!(compared(Lang::En, 9, 12), "Previous period: 12 (-3)");
        assert_eq!(
            compared(Lang::Fr, 4, 4),
            "Période précédente\u{202f}: 4 (0)"
        );
        assert_eq!(share(Lang::Fr, 1, 3), "33\u{202f}%");
        assert_eq!(share(Lang::En, 0, 0), "0%");
        let alt = chart_alt(Lang::Fr, "Rencontres par canal", &[("Maraude".into(), 4)]);
        assert_eq!(alt, "Rencontres par canal : Maraude 4.");
    }
}
