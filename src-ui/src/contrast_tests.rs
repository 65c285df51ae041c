//! The stylesheet's colour pairs meet WCAG 2.2 AA: 4.5:1 for text, 3:1 for the edges
//! of controls and the focus ring (success criteria 1.4.3 and 1.4.11).
//!
//! The pairs are the ones `styles.css` puts together (text colour on the background it
//! sits on); the colours are read from the stylesheet itself, so changing a colour
//! there is checked here. A disabled control (the stepper's "−" at zero) is exempt in
//! WCAG and not listed.

use std::collections::HashMap;

const STYLES: &str = include_str!("../styles.css");

/// The `--name: #rrggbb;` variables of `:root`.
fn palette() -> HashMap<String, String> {
    let root = STYLES
        .split(":root")
        .nth(1)
        .and_then(|rest| rest.split('}').next())
        .expect("styles.css has a :root block");
    root.lines()
        .filter_map(|line| {
            let (name, value) = line.trim().split_once(':')?;
            let value = value.trim().trim_end_matches(';').trim();
            (name.starts_with("--") && value.starts_with('#'))
                .then(|| (name.to_owned(), value.to_owned()))
        })
        .collect()
}

/// A colour as written in the stylesheet: `var(--name)` or `#rrggbb`.
fn colour(palette: &HashMap<String, String>, written: &str) -> [f64; 3] {
    let hex = match written.strip_prefix("var(") {
        Some(name) => palette
            .get(name.trim_end_matches(')'))
            .unwrap_or_else(|| panic!("{written} is not in :root"))
            .as_str(),
        None => written,
    };
    assert!(
        STYLES.contains(written),
        "{written} no longer appears in styles.css: update this test"
    );
    hex_colour(hex)
}

/// `#rrggbb` as linear RGB.
fn hex_colour(hex: &str) -> [f64; 3] {
    let hex = hex.trim_start_matches('#');
    assert_eq!(hex.len(), 6, "{hex}: rrggbb expected");
    let channel = |i: usize| {
        let v = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).expect("hex")) / 255.0;
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    [channel(0), channel(2), channel(4)]
}

/// WCAG's contrast ratio of two colours.
fn ratio(a: [f64; 3], b: [f64; 3]) -> f64 {
    let luminance = |c: [f64; 3]| 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

fn check(pairs: &[(&str, &str, &str)], least: f64) {
    let palette = palette();
    let failing: Vec<String> = pairs
        .iter()
        .filter_map(|(what, fg, bg)| {
            let r = ratio(colour(&palette, fg), colour(&palette, bg));
            (r < least).then(|| format!("{what}: {fg} on {bg} is {r:.2}:1"))
        })
        .collect();
    assert!(failing.is_empty(), "below {least}:1: {failing:#?}");
}

#[test]
fn text_contrasts_at_least_four_and_a_half_to_one() {
    check(
        &[
            ("body text", "var(--ink)", "var(--page)"),
            ("text in cards and fields", "var(--ink)", "var(--card)"),
            ("secondary text on the page", "var(--muted)", "var(--page)"),
            ("secondary text in cards", "var(--muted)", "var(--card)"),
            ("placeholders", "#6b645e", "var(--card)"),
            ("header and its buttons", "#ffffff", "var(--red-dark)"),
            ("sync status in the header", "#fff4f4", "var(--red-dark)"),
            ("a pressed header button", "var(--red-dark)", "#ffffff"),
            (
                "primary buttons, chosen chips, badges",
                "#ffffff",
                "var(--red)",
            ),
            ("red text", "var(--red)", "var(--card)"),
            ("errors", "#86101a", "var(--red-soft)"),
            ("confirmations", "var(--green)", "var(--green-soft)"),
            ("notices", "var(--amber)", "var(--amber-soft)"),
            ("links", "var(--focus)", "var(--card)"),
            ("links on the page", "var(--focus)", "var(--page)"),
        ],
        4.5,
    );
}

#[test]
fn control_edges_and_the_focus_ring_contrast_at_least_three_to_one() {
    check(
        &[
            ("input and chip borders", "var(--control)", "var(--card)"),
            ("input borders on the page", "var(--control)", "var(--page)"),
            ("focus ring", "var(--focus)", "var(--card)"),
            ("focus ring on the page", "var(--focus)", "var(--page)"),
            ("focus ring in the header", "#ffffff", "var(--red-dark)"),
            ("an input in error", "var(--red)", "var(--card)"),
        ],
        3.0,
    );
}

#[test]
fn the_ratio_is_wcags() {
    // Black on white is 21:1, a colour on itself 1:1, and #777 on white 4.48:1, just
    // under the text threshold (WebAIM's figures).
    let (black, white) = ([0.0; 3], [1.0; 3]);
    assert!((ratio(black, white) - 21.0).abs() < 1e-9);
    assert!((ratio(white, white) - 1.0).abs() < 1e-9);
    let grey = hex_colour("#777777");
    assert!((ratio(grey, white) - 4.48).abs() < 0.01);
}
