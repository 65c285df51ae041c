//! `filrouge bench coord`, duplicates part: the duplicate finder on 30,000 distinct
//! persons and 1,000 injected variants of some of them, measured for quality (recall and
//! precision against the injected pairs) and speed (the full scan, one new-person check).
//!
//! The population: every person has a first name from a list of varied first names
//! (French, Maghrebi, West African, Portuguese… each sounding unlike the others) and a
//! last name made of two syllables (kept only if it sounds unlike every other), no two
//! persons with the same pair; a birth year (70 %), an age band (20 %) or neither; one of
//! 20 communes. A variant copies one person and changes one thing, in turn: accents
//! (taken off, or one put on), a typo (a letter replaced, dropped or swapped with the
//! next), a nickname from the finder's table (the last name then dropped half the time),
//! first and last names swapped, a consonant doubled or undoubled. It keeps the birth
//! year or band and the commune 85 % of the time each. A proposed pair is right when it
//! is an injected one.

use std::collections::HashSet;
use std::path::Path;
use std::time::Instant;

use filrouge_core::{Env, STORE_FILE, Store};
use filrouge_model::ipc::FindSimilarPersons;
use filrouge_model::names::{fold, nicknames, phonetic};
use filrouge_model::{AgeBand, PersonDraft, RecordId};

use crate::generate::Rng;

/// Distinct persons.
pub const PERSONS: usize = 30_000;
/// Variants injected.
pub const VARIANTS: usize = 1_000;

const FIRST: &[&str] = &[
    "Mohamed",
    "Nicolas",
    "Sébastien",
    "Alexandre",
    "Maxime",
    "Florian",
    "Frédéric",
    "Stéphane",
    "Emmanuel",
    "Thomas",
    "Benjamin",
    "Grégory",
    "Christophe",
    "Vincent",
    "Zakaria",
    "Yassine",
    "Ismaël",
    "Djibril",
    "Mamadou",
    "Fatoumata",
    "Lucie",
    "Julien",
    "Caroline",
    "Michel",
    "André",
    "Kévin",
    "Titouan",
    "Rayan",
    "Sofiane",
    "Ibrahim",
    "Éloïse",
    "Yanis",
    "Inès",
    "Léa",
    "Aïcha",
    "Théo",
    "Chloé",
    "Sarah",
    "Nathan",
    "Maëlys",
    "Jade",
    "Océane",
    "Bilal",
    "Manon",
    "Adama",
    "Camille",
    "Anaïs",
    "Enzo",
    "Yasmine",
    "Hugo",
    "Kenza",
    "Dylan",
    "Noémie",
    "Moussa",
    "Clément",
    "Amina",
    "Jordan",
    "Lina",
    "Samir",
    "Émilie",
    "Karim",
    "Zoé",
    "Walid",
    "Hamza",
    "Ousmane",
    "Aminata",
    "Bakary",
    "Kadiatou",
    "Souleymane",
    "Mariam",
    "Youssef",
    "Nour",
    "Rania",
    "Anis",
    "Ilyes",
    "Wassim",
    "Assia",
    "Farid",
    "Nadia",
    "Rachid",
    "Leïla",
    "Tiago",
    "Joana",
    "Rui",
    "Catarina",
    "Dimitri",
    "Oksana",
    "Bogdan",
    "Ioana",
    "Kelly",
    "Steven",
    "Brandon",
    "Jessica",
    "Laetitia",
    "Aurore",
    "Gaëtan",
    "Quentin",
    "Romain",
    "Pauline",
    "Justine",
    "Mathis",
    "Lou",
    "Axel",
    "Valentin",
    "Margaux",
    "Elsa",
    "Baptiste",
    "Corentin",
    "Gwenaëlle",
    "Ludivine",
    "Perrine",
    "Yvan",
    "Sandrine",
    "Cyril",
];
const PREFIXES: &[&str] = &[
    "Ber", "Mar", "Dou", "Lef", "Gar", "Ben", "Dia", "Tra", "Cou", "Fon", "Rou", "Mer", "Bou",
    "Cha", "Gui", "Lam", "Per", "Vil", "Mon", "Sal", "Kou", "Tal", "Dju", "Ndi", "Hadj", "Oli",
    "Bel", "Car", "Des", "Jac",
];
const SUFFIXES: &[&str] = &[
    "nard", "tin", "ali", "lo", "ore", "chet", "eau", "ier", "aud", "ard", "y", "ez", "ot", "ane",
    "oumi", "ssa", "bert", "vaux", "mane", "kri", "ba", "lin", "quet", "dieu",
];
const COMMUNES: &[&str] = &[
    "Saint-Denis",
    "Aubervilliers",
    "Pantin",
    "Bobigny",
    "Montreuil",
    "Sevran",
    "Clichy-sous-Bois",
    "Villetaneuse",
    "Stains",
    "La Courneuve",
    "Bondy",
    "Aulnay-sous-Bois",
    "Épinay-sur-Seine",
    "Drancy",
    "Noisy-le-Sec",
    "Rosny-sous-Bois",
    "Villepinte",
    "Tremblay-en-France",
    "Livry-Gargan",
    "Pierrefitte-sur-Seine",
];

/// What the duplicates part measured.
pub struct Figures {
    pub persons: u32,
    pub comparisons: u64,
    pub proposed: usize,
    pub recall: f64,
    pub precision: f64,
    pub scan_p50_ms: f64,
    pub scan_max_ms: f64,
    pub plain_read_ms: f64,
    pub check_p50_ms: f64,
    pub check_p99_ms: f64,
    pub search_p50_ms: f64,
    /// Merging a person met 500 times, and its undo.
    pub merge: crate::bench_merge::Figures,
}

/// Last names that neither sound alike (by the finder's own key) nor are one typo from
/// each other: two such names would be one name spelt twice, and no one could say
/// whether two records with them are two people.
fn last_names() -> Vec<String> {
    let mut keys = HashSet::new();
    let mut names: Vec<String> = Vec::new();
    for p in PREFIXES {
        for s in SUFFIXES {
            let name = format!("{p}{s}");
            let folded = fold(&name);
            if names
                .iter()
                .any(|n| strsim::osa_distance(&fold(n), &folded) < 2)
            {
                continue;
            }
            if keys.insert(phonetic(&folded)) {
                names.push(name);
            }
        }
    }
    names
}

/// A copy of `base` with one thing changed, by `kind` (0 to 4).
fn variant(rng: &mut Rng, base: &PersonDraft, kind: usize) -> PersonDraft {
    let mut v = base.clone();
    let last = base.last_name.clone().unwrap_or_default();
    match kind {
        0 => {
            let folded_first = capitalised(&fold(&base.pseudonym));
            if folded_first != base.pseudonym {
                v.pseudonym = folded_first;
            } else if let Some(i) = base.pseudonym.find('e') {
                v.pseudonym.replace_range(i..i + 1, "é");
            } else {
                v.pseudonym = base.pseudonym.to_uppercase();
            }
        }
        1 => {
            let in_last = rng.chance(60);
            let word = if in_last { &last } else { &base.pseudonym };
            let typo = typo(rng, word);
            if in_last {
                v.last_name = Some(typo);
            } else {
                v.pseudonym = typo;
            }
        }
        2 => {
            let first = fold(&base.pseudonym);
            if let Some((nick, _)) = nicknames().find(|(_, full)| *full == first) {
                v.pseudonym = capitalised(nick);
                if rng.chance(50) {
                    v.last_name = None;
                }
            } else {
                // No nickname known: the initial of the last name instead ("Mohamed B.").
                v.pseudonym = format!("{} {}.", base.pseudonym, &last[..1]);
                v.last_name = None;
            }
        }
        3 => {
            v.pseudonym = last.clone();
            v.last_name = Some(base.pseudonym.clone());
        }
        _ => {
            let in_last = rng.chance(50);
            let word = if in_last { &last } else { &base.pseudonym };
            let doubled = doubled(word);
            if in_last {
                v.last_name = Some(doubled);
            } else {
                v.pseudonym = doubled;
            }
        }
    }
    if rng.chance(15) {
        v.birth_year = None;
        v.age_band = None;
    }
    if rng.chance(15) {
        v.territory.commune = None;
    }
    v
}

fn capitalised(word: &str) -> String {
    let mut c = word.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// One letter replaced, dropped or swapped with the next (never the first).
fn typo(rng: &mut Rng, word: &str) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    if chars.len() < 3 {
        chars.push('e');
        return chars.into_iter().collect();
    }
    let i = 1 + rng.below(chars.len() - 2);
    match rng.below(3) {
        0 => chars[i] = if chars[i] == 'a' { 'e' } else { 'a' },
        1 => {
            chars.remove(i);
        }
        _ => chars.swap(i, i + 1),
    }
    chars.into_iter().collect()
}

/// A doubled consonant made single, or the first single one after the first letter
/// doubled.
fn doubled(word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    if let Some(i) = (1..chars.len()).find(|&i| chars[i] == chars[i - 1]) {
        let mut out = chars.clone();
        out.remove(i);
        return out.into_iter().collect();
    }
    let consonant = |c: char| c.is_ascii_alphabetic() && !"aeiouyAEIOUY".contains(c);
    match (1..chars.len()).find(|&i| consonant(chars[i])) {
        Some(i) => {
            let mut out = chars.clone();
            out.insert(i, chars[i]);
            out.into_iter().collect()
        }
        None => format!("{word}h"),
    }
}

/// Fills a store in `dir` with [`PERSONS`] persons and [`VARIANTS`] variants and
/// measures the finder on it.
pub fn measure(dir: &Path) -> anyhow::Result<Figures> {
    measure_on(dir, PERSONS, VARIANTS)
}

/// [`measure`] with `persons` distinct persons and `variants` variants.
fn measure_on(dir: &Path, persons: usize, variants_wanted: usize) -> anyhow::Result<Figures> {
    let mut rng = Rng::new(17);
    let lasts = last_names();
    anyhow::ensure!(
        FIRST.len() * lasts.len() >= persons * 5 / 4,
        "{} × {} names: too few for {persons} distinct persons",
        FIRST.len(),
        lasts.len()
    );
    let mut pairs_used = HashSet::new();
    let mut drafts = Vec::with_capacity(persons);
    while drafts.len() < persons {
        let (f, l) = (rng.below(FIRST.len()), rng.below(lasts.len()));
        if !pairs_used.insert((f, l)) {
            continue;
        }
        let mut p = PersonDraft::new(FIRST[f]);
        p.last_name = Some(lasts[l].clone());
        match rng.below(10) {
            0..=6 => p.birth_year = Some(1965 + rng.below(46) as i32),
            7 | 8 => p.age_band = Some(*rng.pick(&AgeBand::ALL)),
            _ => {}
        }
        p.territory.commune = Some(rng.pick(COMMUNES).to_string());
        drafts.push(p);
    }
    let mut store = Store::open(&dir.join(STORE_FILE), Env::default())?;
    let mut ids: Vec<RecordId> = Vec::with_capacity(persons + variants_wanted);
    for chunk in drafts.chunks(5_000) {
        ids.extend(store.import(chunk.to_vec())?);
    }
    // Variants of distinct persons.
    let mut truth = HashSet::new();
    let mut picked = HashSet::new();
    let mut variants = Vec::with_capacity(variants_wanted);
    let mut bases = Vec::with_capacity(variants_wanted);
    while variants.len() < variants_wanted {
        let b = rng.below(persons);
        if !picked.insert(b) {
            continue;
        }
        variants.push(variant(&mut rng, &drafts[b], variants.len() % 5));
        bases.push(b);
    }
    let variant_ids = store.import(variants)?;
    for (b, v) in bases.iter().zip(&variant_ids) {
        truth.insert(ordered(ids[*b].as_str(), v.as_str()));
    }

    let mut scans = Vec::new();
    let mut list = None;
    for _ in 0..3 {
        let t = Instant::now();
        list = Some(store.duplicate_candidates(u32::MAX)?);
        scans.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let list = list.ok_or_else(|| anyhow::anyhow!("no scan"))?;
    let proposed: HashSet<(String, String)> = list
        .pairs
        .iter()
        .map(|p| ordered(p.a.id.as_str(), p.b.id.as_str()))
        .collect();
    let right = proposed.intersection(&truth).count();
    scans.sort_by(f64::total_cmp);

    // The same rows read by plain SQLite, the scan's floor.
    let conn = rusqlite::Connection::open(dir.join(STORE_FILE))?;
    let t = Instant::now();
    let mut stmt = conn.prepare(
        "SELECT id, pseudonym, last_name, birth_year, age_band, gender, commune, phone, handle
           FROM personnes",
    )?;
    let read = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
            ))
        })?
        .count();
    let plain_read_ms = t.elapsed().as_secs_f64() * 1000.0;
    anyhow::ensure!(read == persons + variants_wanted, "read {read} rows");

    // One new person typed, 200 times over: the form's check and, beside it, the
    // person search it sits next to (FTS prefix).
    let mut checks = Vec::new();
    let mut searches = Vec::new();
    for i in 0..200 {
        let p = &drafts[(i * 149) % persons];
        let typed = FindSimilarPersons {
            pseudonym: p.pseudonym.clone(),
            birth_year: p.birth_year,
            ..FindSimilarPersons::default()
        };
        let t = Instant::now();
        store.similar_persons(&typed)?;
        checks.push(t.elapsed());
        let t = Instant::now();
        store.search_persons(&p.pseudonym, 50)?;
        searches.push(t.elapsed());
    }
    // The first injected pair: the variant is merged into its original.
    let merge = crate::bench_merge::measure(&mut store, dir, &ids[bases[0]], &variant_ids[0])?;
    let ms = |d: Option<std::time::Duration>| d.unwrap_or_default().as_secs_f64() * 1000.0;
    Ok(Figures {
        persons: list.persons,
        comparisons: list.comparisons,
        proposed: proposed.len(),
        recall: right as f64 / truth.len() as f64,
        precision: right as f64 / proposed.len().max(1) as f64,
        scan_p50_ms: scans[scans.len() / 2],
        scan_max_ms: scans[scans.len() - 1],
        plain_read_ms,
        check_p50_ms: ms(crate::stats::percentile(&mut checks, 50)),
        check_p99_ms: ms(crate::stats::percentile(&mut checks, 99)),
        search_p50_ms: ms(crate::stats::percentile(&mut searches, 50)),
        merge,
    })
}

fn ordered(x: &str, y: &str) -> (String, String) {
    if x <= y {
        (x.to_owned(), y.to_owned())
    } else {
        (y.to_owned(), x.to_owned())
    }
}

#[cfg(test)]
mod tests {
    /// The finder's quality on a tenth of the benchmark's population: the issue's
    /// targets hold (the figures at full size are the benchmark's).
    #[test]
    fn injected_variants_are_found_and_few_others_are_proposed() {
        let dir = tempfile::tempdir().unwrap();
        let f = super::measure_on(dir.path(), 3_000, 300).unwrap();
        assert!(f.recall >= 0.95, "recall {}", f.recall);
        assert!(f.precision >= 0.80, "precision {}", f.precision);
        assert!(
            f.comparisons < 3_300 * 3_299 / 2 / 20,
            "blocking: {}",
            f.comparisons
        );
    }
}
