//! The two Fluent bundles, built once from the `.ftl` files compiled into the wasm,
//! and the lookups every other part of [`crate::i18n`] goes through.
//!
//! A lookup never panics and always returns text. When a message is missing from the
//! chosen language, the French one is shown; when French lacks it too, its id. When a
//! message formats with errors (an unknown variable), Fluent's best effort is shown.
//! Each such problem is logged once to the console and remembered, so that the tests
//! can require that none ever happens.
//!
//! Bundles do not wrap variables in Unicode isolation marks (`set_use_isolating(false)`):
//! both languages are left-to-right, and the marks would end up in the visible text, in
//! copied text and in what the end-to-end tests read. Numbers passed as Fluent numbers
//! (so that plurals can be chosen) are written by [`group_digits`]: `1 000` in French
//! (narrow no-break space), `1,000` in English.

use std::cell::RefCell;
use std::collections::BTreeSet;

use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};
use unic_langid::langid;

use super::{Key, Lang};

/// The French messages, the reference.
pub(super) const FR_FTL: &str = include_str!("../../../assets/locales/fr.ftl");
/// The English messages.
pub(super) const EN_FTL: &str = include_str!("../../../assets/locales/en.ftl");

/// The largest integer an `f64` (Fluent's number) holds exactly.
const MAX_EXACT: f64 = 9_007_199_254_740_992.0;

thread_local! {
    // The UI runs on the page's single thread; a bundle is not `Sync`, and building
    // one parses its file, so each is built once, on first use.
    static FRENCH: FluentBundle<FluentResource> = build(Lang::Fr);
    static ENGLISH: FluentBundle<FluentResource> = build(Lang::En);
    static REPORTED: RefCell<BTreeSet<String>> = const { RefCell::new(BTreeSet::new()) };
}

impl Lang {
    /// The text of this language's `.ftl` file.
    pub(super) fn source(self) -> &'static str {
        match self {
            Lang::Fr => FR_FTL,
            Lang::En => EN_FTL,
        }
    }
}

/// Parses `lang`'s file into a bundle, keeping whatever parses.
fn build(lang: Lang) -> FluentBundle<FluentResource> {
    let resource = match FluentResource::try_new(lang.source().to_owned()) {
        Ok(resource) => resource,
        Err((resource, errors)) => {
            report(format!("{}.ftl does not parse: {errors:?}", lang.code()));
            resource
        }
    };
    let locale = match lang {
        Lang::Fr => langid!("fr"),
        Lang::En => langid!("en"),
    };
    let mut bundle = FluentBundle::new(vec![locale]);
    bundle.set_use_isolating(false);
    bundle.set_formatter(Some(match lang {
        Lang::Fr => french_number,
        Lang::En => english_number,
    }));
    if let Err(errors) = bundle.add_resource(resource) {
        report(format!("{}.ftl: {errors:?}", lang.code()));
    }
    bundle
}

/// Runs `f` with `lang`'s bundle.
fn with_bundle<T>(lang: Lang, f: impl FnOnce(&FluentBundle<FluentResource>) -> T) -> T {
    match lang {
        Lang::Fr => FRENCH.with(f),
        Lang::En => ENGLISH.with(f),
    }
}

/// The message `key` in `lang`.
pub fn tr(lang: Lang, key: Key) -> String {
    lookup(lang, key, None, &[])
}

/// The message `key` in `lang`, with its variables: `("count", 3.into())`. Pass
/// numbers as numbers (they choose plurals and get grouped digits), and years,
/// versions and codes as text.
pub fn tr_args(lang: Lang, key: Key, args: &[(&str, FluentValue<'_>)]) -> String {
    lookup(lang, key, None, args)
}

/// The attribute `name` of the message `key` in `lang` (a field's `.agreement`).
pub(super) fn attribute(lang: Lang, key: Key, name: &str) -> String {
    lookup(lang, key, Some(name), &[])
}

/// Formats `key` (or its attribute) in `lang`, then in French, then gives up with
/// the id; see the module doc.
fn lookup(
    lang: Lang,
    key: Key,
    attribute: Option<&str>,
    args: &[(&str, FluentValue<'_>)],
) -> String {
    let args: FluentArgs<'_> = args
        .iter()
        .map(|(name, value)| (*name, value.clone()))
        .collect();
    let id = match attribute {
        Some(name) => format!("{}.{name}", key.0),
        None => key.0.to_owned(),
    };
    let tries: &[Lang] = if lang == Lang::Fr {
        &[Lang::Fr]
    } else {
        &[lang, Lang::Fr]
    };
    for &lang in tries {
        let found = with_bundle(lang, |bundle| {
            let message = bundle.get_message(key.0)?;
            let pattern = match attribute {
                Some(name) => message.get_attribute(name)?.value(),
                None => message.value()?,
            };
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, Some(&args), &mut errors);
            Some((text.into_owned(), errors))
        });
        match found {
            Some((text, errors)) => {
                if !errors.is_empty() {
                    report(format!("{id} in {}: {errors:?}", lang.code()));
                }
                return text;
            }
            None => report(format!("{id} is missing in {}", lang.code())),
        }
    }
    id
}

/// Logs `problem` to the console the first time it happens, and remembers it.
fn report(problem: String) {
    let first = REPORTED.with(|reported| reported.borrow_mut().insert(problem.clone()));
    if first {
        log(&problem);
    }
}

#[cfg(target_arch = "wasm32")]
fn log(problem: &str) {
    web_sys::console::warn_1(&format!("Fil rouge translations: {problem}").into());
}

#[cfg(not(target_arch = "wasm32"))]
fn log(_problem: &str) {
    // Host builds are the tests, which read the problems with `problems()`.
}

/// Every problem reported on this thread so far (each test runs on its own thread).
#[cfg(test)]
pub(super) fn problems() -> Vec<String> {
    REPORTED.with(|reported| reported.borrow().iter().cloned().collect())
}

/// Formats the message or attribute `entry` (`id` or `id.attribute`) of `lang`'s file
/// with `args`, returning Fluent's errors instead of reporting them.
#[cfg(test)]
pub(super) fn format_entry(
    lang: Lang,
    entry: &str,
    args: &FluentArgs<'_>,
) -> (String, Vec<fluent_bundle::FluentError>) {
    let (id, attribute) = match entry.split_once('.') {
        Some((id, name)) => (id, Some(name)),
        None => (entry, None),
    };
    with_bundle(lang, |bundle| {
        let message = bundle.get_message(id);
        let pattern = match (message, attribute) {
            (Some(m), Some(name)) => m.get_attribute(name).map(|a| a.value()),
            (Some(m), None) => m.value(),
            (None, _) => None,
        };
        let Some(pattern) = pattern else {
            return (format!("{{{entry} not in the bundle}}"), Vec::new());
        };
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(args), &mut errors);
        (text.into_owned(), errors)
    })
}

/// A whole number with its thousands separated by `separator`: `group_digits(1234, ',')`
/// is `1,234`.
pub fn group_digits(n: u64, separator: char) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

/// Writes a whole Fluent number with `separator`; anything else as Fluent would.
fn whole_number(value: &FluentValue<'_>, separator: char) -> Option<String> {
    match value {
        FluentValue::Number(n)
            if (0.0..=MAX_EXACT).contains(&n.value) && n.value.fract() == 0.0 =>
        {
            // Exact: a whole number in u64's range, checked just above.
            Some(group_digits(n.value as u64, separator))
        }
        _ => None,
    }
}

/// The French bundle's number formatter: `1 000`, with a narrow no-break space.
fn french_number<M>(value: &FluentValue<'_>, _: &M) -> Option<String> {
    whole_number(value, '\u{202f}')
}

/// The English bundle's number formatter: `1,000`.
fn english_number<M>(value: &FluentValue<'_>, _: &M) -> Option<String> {
    whole_number(value, ',')
}
