//! Names as workers type them, made comparable: folded, nicknames resolved, and keyed by
//! how they sound in French.
//!
//! The duplicate finder ([`crate::duplicates`]) and the "une personne proche existe
//! déjà" check read names through here. A name is first [`fold`]ed (lower case, accents
//! and ligatures off, hyphens and apostrophes as spaces), split into [`words`] with each
//! known nickname replaced by the name it stands for ("momo" → "mohamed"), and each
//! word gets a [`phonetic`] key: two spellings a French speaker reads alike ("Mathieu",
//! "Matthieu"; "Philippe", "Filipe"; "Gautier", "Gauthier") get the same key, so that
//! they meet in the same block without comparing every pair of persons.
//!
//! The phonetic key is written here because no crate does French: Soundex and
//! Metaphone are English rules ("ph", "qu", silent final consonants, nasal vowels and
//! "-ille" all read wrong). It is a transcription into sound codes, not a spelling
//! check: it only has to give variant spellings one key and keep unlike names apart, and
//! `names_tests.rs` holds it to a table of French pairs (`names_pairs_fr.txt`).

/// Lower case, no accents or ligatures, every run of characters that are not letters or
/// digits as one space, no space at either end: "  Jean-Éloïse D'ARCY " → "jean eloise d
/// arcy". Letters of other scripts are kept as they are.
pub fn fold(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut space = false;
    for c in name.chars().flat_map(char::to_lowercase) {
        let plain: &str = match c {
            'à' | 'â' | 'ä' | 'á' | 'ã' | 'å' | 'ā' | 'ą' => "a",
            'ç' | 'ć' | 'č' => "c",
            'é' | 'è' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => "e",
            'î' | 'ï' | 'í' | 'ì' | 'ī' | 'ı' => "i",
            'ô' | 'ö' | 'ó' | 'ò' | 'õ' | 'ø' | 'ō' => "o",
            'ù' | 'û' | 'ü' | 'ú' | 'ū' | 'ů' => "u",
            'ÿ' | 'ý' => "y",
            'ñ' | 'ń' | 'ň' => "n",
            'š' | 'ś' | 'ş' => "s",
            'ž' | 'ź' | 'ż' => "z",
            'ğ' => "g",
            'ł' => "l",
            'ř' => "r",
            'œ' => "oe",
            'æ' => "ae",
            'ß' => "ss",
            c if c.is_alphanumeric() => {
                if space && !out.is_empty() {
                    out.push(' ');
                }
                space = false;
                out.push(c);
                continue;
            }
            _ => {
                space = true;
                continue;
            }
        };
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push_str(plain);
    }
    out
}

/// Nicknames and short forms in use in French teams, each with the name it stands for
/// (folded). Only unambiguous ones: "Sam" (Samir? Samuel? Samia?) is not here, since a
/// wrong guess would put two people in one block for nothing.
const NICKNAMES: &[(&str, &str)] = &[
    ("momo", "mohamed"),
    ("moha", "mohamed"),
    ("hamed", "mohamed"),
    ("nico", "nicolas"),
    ("seb", "sebastien"),
    ("alex", "alexandre"),
    ("max", "maxime"),
    ("flo", "florian"),
    ("fred", "frederic"),
    ("steph", "stephane"),
    ("manu", "emmanuel"),
    ("tom", "thomas"),
    ("benji", "benjamin"),
    ("greg", "gregory"),
    ("chris", "christophe"),
    ("vince", "vincent"),
    ("zak", "zakaria"),
    ("yass", "yassine"),
    ("isma", "ismael"),
    ("abdel", "abdelkader"),
    ("djib", "djibril"),
    ("mams", "mamadou"),
    ("fatou", "fatoumata"),
    ("lulu", "lucie"),
    ("juju", "julien"),
    ("caro", "caroline"),
    ("mimi", "michel"),
    ("dede", "andre"),
    ("jojo", "johan"),
    ("kiki", "kevin"),
    ("titou", "titouan"),
    ("bastien", "sebastien"),
    ("matt", "mathieu"),
    ("math", "mathis"),
    ("ray", "rayan"),
    ("sofi", "sofiane"),
    ("soso", "sofiane"),
    ("ibra", "ibrahim"),
    ("elo", "eloise"),
    ("ptit", "petit"),
];

/// Every known nickname with the (folded) name it stands for.
pub fn nicknames() -> impl Iterator<Item = (&'static str, &'static str)> {
    NICKNAMES.iter().copied()
}

/// The name a folded word stands for, when it is a known nickname ("momo" → "mohamed").
pub fn nickname_of(word: &str) -> Option<&'static str> {
    NICKNAMES
        .iter()
        .find(|(nick, _)| *nick == word)
        .map(|(_, full)| *full)
}

/// One word of a name, ready to compare.
#[derive(Clone, PartialEq, Eq)]
pub struct Word {
    /// The folded word, nickname resolved.
    pub text: String,
    /// Its French [`phonetic`] key.
    pub key: String,
    /// Whether it was a nickname in the typed name.
    pub nickname: bool,
}

// Names are personal data: a Debug output says how long, never what.
impl std::fmt::Debug for Word {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Word")
            .field("chars", &self.text.chars().count())
            .field("nickname", &self.nickname)
            .finish()
    }
}

/// The words of a name, folded, nicknames resolved, each with its key.
pub fn words(name: &str) -> Vec<Word> {
    fold(name)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(|w| match nickname_of(w) {
            Some(full) => Word {
                text: full.to_owned(),
                key: phonetic(full),
                nickname: true,
            },
            None => Word {
                text: w.to_owned(),
                key: phonetic(w),
                nickname: false,
            },
        })
        .collect()
}

// Sound codes. Vowels: a, e (é, è, ai, ei, final -er/-ez/-et), i (i, y), o (o, au,
// eau), u (u), E (eu), w (ou, w). Nasals: 1 (in, ain, ein, un), 2 (an, en), 3 (on).
// Consonants keep their letter, with k (c, k, q, qu, ch before a consonant), s (s, ç,
// z, c before e/i/y), j (j, g before e/i/y, dj), S (ch, sh, sch), N (gn), y (the
// "yod" of -ill-).
const VOWEL_CODES: &[u8] = b"aeiouEw123";

fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
}

/// The French phonetic key of one [`fold`]ed word: its sound codes, each run of one
/// code kept once ("mathieu" and "matthieu" → "matiE"). Rules, in the order they are
/// tried at each letter: silent h; ph → f, th → t, ch → k before a consonant and S
/// otherwise (sh, sch too), qu → k, gu → g before e/i/y, gn → N, dj → j, ck → k, c → s
/// before e/i/y and k otherwise, g → j before e/i/y, x → ks, z → s, w → ou; eau, au →
/// o, ai, ei, ay, ey → e, oi, oy → wa, ou → w, eu → E; -ill- → y (i + y after a
/// consonant); an, am, en, em → 2, in, im, ain, ein, un, um, yn → 1, on, om → 3 when
/// followed by a consonant other than m or n, or by nothing, but a final -im is heard
/// (Karim); y → i; an initial joh- is "yo" (Johan). At the end: -er, -ez, -et → e; a
/// mute final e (or -es) after a consonant is dropped; otherwise a final t, d, s or x
/// after a longer stem is dropped. A word with letters outside a–z (another
/// script) is its own key.
pub fn phonetic(word: &str) -> String {
    if !word
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    {
        return word.to_owned();
    }
    let w = word.as_bytes();
    let n = w.len();
    let at = |i: usize| w.get(i).copied().unwrap_or(0);
    let starts = |i: usize, s: &[u8]| w.get(i..).is_some_and(|rest| rest.starts_with(s));
    // Whether position `i` is past the end or a consonant other than m and n: where a
    // vowel followed by m or n is nasal.
    let closes = |i: usize| i >= n || (!is_vowel(at(i)) && !matches!(at(i), b'm' | b'n' | b'h'));
    let mut out: Vec<u8> = Vec::with_capacity(n + 2);
    let mut mute_e = false;
    let mut i = 0;
    while i < n {
        let c = w[i];
        let next = at(i + 1);
        // Endings first: -er, -ez, -et sound as é; -es and a lone final e are mute after
        // a consonant.
        if i + 2 == n && c == b'e' && matches!(next, b'r' | b'z' | b't') && i > 0 {
            out.push(b'e');
            break;
        }
        if c == b'e'
            && (i + 1 == n || (i + 2 == n && next == b's'))
            && out.last().is_some_and(|l| !VOWEL_CODES.contains(l))
            && out.len() >= 2
        {
            // The consonant before a mute e is heard ("Louise", not "Louis").
            mute_e = true;
            break;
        }
        let (code, len): (&[u8], usize) = match c {
            b'h' => (b"", 1),
            // "Johan", "Johanna": read "Yo-".
            b'j' if i == 0 && starts(i, b"joh") => (b"io", 3),
            b'b' if next == b'v' => (b"", 1),
            b'p' if next == b'h' => (b"f", 2),
            b't' if next == b'h' => (b"t", 2),
            b't' if starts(i, b"tch") => (b"S", 3),
            b's' if starts(i, b"sch") => (b"S", 3),
            b's' if next == b'h' => (b"S", 2),
            b'c' if next == b'h' => {
                if i + 2 < n && !is_vowel(at(i + 2)) {
                    (b"k", 2)
                } else {
                    (b"S", 2)
                }
            }
            b'c' if next == b'k' => (b"k", 2),
            b'c' if matches!(next, b'e' | b'i' | b'y') => (b"s", 1),
            b'c' | b'k' => (b"k", 1),
            b'q' if next == b'u' => (b"k", 2),
            b'q' => (b"k", 1),
            b'g' if next == b'u' && matches!(at(i + 2), b'e' | b'i' | b'y') => (b"g", 2),
            b'g' if next == b'n' => (b"N", 2),
            b'g' if matches!(next, b'e' | b'i' | b'y') => (b"j", 1),
            b'd' if next == b'j' => (b"j", 2),
            b'x' => (b"ks", 1),
            b'z' => (b"s", 1),
            b'w' => (b"w", 1),
            b'e' if starts(i, b"eau") => (b"o", 3),
            b'a' if next == b'u' => (b"o", 2),
            b'a' | b'e' if matches!(next, b'i' | b'y') && starts(i + 1, b"ill") => {
                // "aille", "eille": the vowel then the yod.
                (if c == b'a' { b"ay" } else { b"ey" }, 4)
            }
            b'a' | b'e'
                if matches!(next, b'i' | b'y') && !(next == b'i' && closes_nasal(w, i + 1)) =>
            {
                (b"e", 2)
            }
            b'o' if matches!(next, b'i' | b'y') => (b"wa", 2),
            b'o' if next == b'u' => (b"w", 2),
            b'e' if next == b'u' => (b"E", 2),
            b'i' if starts(i, b"ill") => {
                if out.last().is_some_and(|l| VOWEL_CODES.contains(l)) {
                    (b"y", 3)
                } else {
                    (b"iy", 3)
                }
            }
            b'a' | b'e' if matches!(next, b'm' | b'n') && closes(i + 2) => {
                // "ien": i then the nasal of "in".
                if c == b'e' && out.last() == Some(&b'i') {
                    (b"1", 2)
                } else {
                    (b"2", 2)
                }
            }
            b'a' | b'e' if next == b'i' && matches!(at(i + 2), b'm' | b'n') && closes(i + 3) => {
                (b"1", 3)
            }
            // A final -im is heard whole in the names that end so (Karim, Ibrahim).
            b'i' if next == b'm' && i + 2 == n => (b"im", 2),
            b'i' | b'u' | b'y' if matches!(next, b'm' | b'n') && closes(i + 2) => (b"1", 2),
            b'o' if matches!(next, b'm' | b'n') && closes(i + 2) => (b"3", 2),
            b'y' => (b"i", 1),
            _ => (std::slice::from_ref(&w[i]), 1),
        };
        out.extend_from_slice(code);
        i += len;
    }
    // Silent final consonants, once the stem is long enough to stay recognisable.
    if !mute_e && out.len() > 3 && matches!(out.last(), Some(b't' | b'd' | b's' | b'x')) {
        out.pop();
    }
    out.dedup();
    String::from_utf8(out).unwrap_or_default()
}

/// Whether the `i` (at `i`) of a vowel pair starts a nasal "in"/"im" ("ain", "ein").
fn closes_nasal(w: &[u8], i: usize) -> bool {
    matches!(w.get(i + 1), Some(b'm' | b'n'))
        && w.get(i + 2)
            .is_none_or(|&c| !is_vowel(c) && !matches!(c, b'm' | b'n' | b'h'))
}

/// How alike two folded words are, from 0 to 1: 1 when equal, 0.97 when they sound
/// alike (same key), 0.9 when one is the initial of the other ("b" and "benali"), at
/// least 0.92 when one typo apart (a letter replaced, added, dropped or swapped with
/// the next, in words of four letters or more), else their Jaro-Winkler similarity, at
/// most 0.85 when more than one typo apart.
pub fn word_similarity(a: &Word, b: &Word) -> f64 {
    if a.text == b.text {
        1.0
    } else if a.key == b.key {
        0.97
    } else if (a.text.len() == 1 && b.text.starts_with(&a.text))
        || (b.text.len() == 1 && a.text.starts_with(&b.text))
    {
        0.9
    } else {
        let jw = strsim::jaro_winkler(&a.text, &b.text);
        if strsim::osa_distance(&a.text, &b.text) > 1 {
            // Two slips in one name are rare; two names a letter or two apart that
            // share their start are common (Amina, Aminata): Jaro-Winkler rates those
            // high, so they are held below a typo's likeness.
            jw.min(0.85)
        } else if a.text.len().min(b.text.len()) >= 4 {
            jw.max(0.92)
        } else {
            jw
        }
    }
}

#[cfg(test)]
#[path = "names_tests.rs"]
mod tests;
