//! The French phonetic key against a table of French pairs, and the folding and
//! nicknames it reads names through.

use super::*;

/// The pairs of `names_pairs_fr.txt`: whether they must share a key, and the two names.
fn pairs() -> Vec<(bool, &'static str, &'static str)> {
    include_str!("names_pairs_fr.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (same, rest) = if let Some(rest) = l.strip_prefix("= ") {
                (true, rest)
            } else if let Some(rest) = l.strip_prefix("≠ ") {
                (false, rest)
            } else {
                panic!("a pair line starts with = or ≠: {l}")
            };
            let (a, b) = rest.split_once(" | ").expect("two names");
            (same, a, b)
        })
        .collect()
}

fn key(name: &str) -> String {
    phonetic(&fold(name))
}

#[test]
fn french_spelling_variants_share_a_key_and_different_names_do_not() {
    let pairs = pairs();
    assert!(pairs.len() >= 70, "the table is read: {}", pairs.len());
    let wrong: Vec<String> = pairs
        .iter()
        .filter(|(same, a, b)| (key(a) == key(b)) != *same)
        .map(|(same, a, b)| {
            format!(
                "{} {a} ({}) {b} ({})",
                if *same { "=" } else { "≠" },
                key(a),
                key(b)
            )
        })
        .collect();
    assert!(
        wrong.is_empty(),
        "{} pairs wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn folding_drops_accents_case_ligatures_and_punctuation() {
    assert_eq!(fold("  Jean-Éloïse D'ARCY "), "jean eloise d arcy");
    assert_eq!(fold("Œdipe Lætitia Straße"), "oedipe laetitia strasse");
    assert_eq!(fold("Mohamed B."), "mohamed b");
    assert_eq!(fold("Ptit-Lu"), "ptit lu");
    assert_eq!(fold("Zoë 93"), "zoe 93");
    assert_eq!(fold("مريم"), "مريم", "another script is kept");
    assert_eq!(fold("--"), "");
}

#[test]
fn nicknames_stand_for_their_name_and_are_marked() {
    let w = words("Momo");
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].text, "mohamed");
    assert!(w[0].nickname);
    assert_eq!(w[0].key, key("Mohamed"));
    assert!(!words("Mohamed")[0].nickname);
    assert_eq!(
        nickname_of("sam"),
        None,
        "ambiguous short forms are not guessed"
    );
}

#[test]
fn a_word_of_another_script_is_its_own_key() {
    assert_eq!(key("مريم"), "مريم");
    assert_ne!(key("مريم"), key("Maryam"));
}

#[test]
fn word_likeness_is_exact_then_sound_then_initial_then_jaro_winkler() {
    let w = |s: &str| words(s).remove(0);
    assert_eq!(word_similarity(&w("Éloïse"), &w("eloise")), 1.0);
    assert_eq!(word_similarity(&w("Matthieu"), &w("Mathieu")), 0.97);
    assert_eq!(word_similarity(&w("B"), &w("Benali")), 0.9);
    let typo = word_similarity(&w("Benali"), &w("Benalu"));
    assert!(typo > 0.85 && typo < 0.97, "{typo}");
    assert!(word_similarity(&w("Benali"), &w("Diallo")) < 0.8);
}
