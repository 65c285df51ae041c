//! A deterministic generator of realistic outreach data for benchmarks: French first
//! names and nicknames, communes, places and référents, with plausible proportions
//! (persons, rencontres with one to three persons, stage changes, relances).
//!
//! It uses its own small PRNG (splitmix64) seeded by the caller, so two runs generate
//! the same records and a benchmark compares like with like.

use filrouge_model::RecordId;
use std::collections::BTreeSet;

use filrouge_model::{
    Channel, Day, EtapeDraft, ExitKind, Frein, PersonDraft, PublicCategory, RelanceDraft,
    RelanceStatus, RencontreDraft, Stage,
};

const NAMES: &[&str] = &[
    "Éloïse",
    "Yanis",
    "Inès",
    "Mohamed",
    "Léa",
    "Kevin",
    "Aïcha",
    "Lucas",
    "Fatoumata",
    "Théo",
    "Chloé",
    "Mamadou",
    "Sarah",
    "Nathan",
    "Maëlys",
    "Ibrahim",
    "Jade",
    "Rayan",
    "Océane",
    "Bilal",
    "Manon",
    "Adama",
    "Camille",
    "Sofiane",
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
    "Momo",
    "Titi",
    "Dédé",
    "Lolo",
    "Nono",
    "Ptit Lu",
];
const LAST_NAMES: &[&str] = &[
    "Martin", "Bernard", "Diallo", "Benali", "Nguyen", "Petit", "Traoré", "Moreau", "Lefèvre",
    "Haddad", "Garcia", "Roux", "Camara", "Fournier", "Mercier", "Bouaziz",
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
];
const PLACES: &[&str] = &[
    "City stade",
    "Gare RER",
    "Pied de la tour B",
    "Parvis de la mairie",
    "Centre commercial",
    "Gymnase",
    "Médiathèque",
    "Marché",
    "Discord du club",
    "Local jeunes",
];
/// The team's référents.
pub const REFERENTS: &[&str] = &[
    "Karim", "Sophie", "Nadia", "Julien", "Awa", "Paul", "Leïla", "Marc",
];

/// A splitmix64 generator.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// One item of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// How many records of each kind make `n` records in all.
pub fn split(n: usize) -> (usize, usize, usize, usize) {
    let persons = n * 30 / 100;
    let rencontres = n * 45 / 100;
    let etapes = n * 15 / 100;
    (
        persons,
        rencontres,
        etapes,
        n - persons - rencontres - etapes,
    )
}

/// A person.
pub fn person(rng: &mut Rng) -> PersonDraft {
    let mut p = PersonDraft::new(*rng.pick(NAMES));
    if rng.chance(40) {
        p.last_name = Some(rng.pick(LAST_NAMES).to_string());
    }
    p.territory.commune = Some(rng.pick(COMMUNES).to_string());
    p.territory.qpv = rng.chance(60);
    p.referent = Some(rng.pick(REFERENTS).to_string());
    p.stage = Some(*rng.pick(&Stage::ALL));
    p.categories = BTreeSet::from([*rng.pick(&PublicCategory::ALL)]);
    if rng.chance(50) {
        p.freins.insert(*rng.pick(&Frein::ALL));
        p.freins.insert(*rng.pick(&Frein::ALL));
    }
    p
}

/// A rencontre with one to three of `persons` (or an anonymous group), within the last
/// two years before `now`.
pub fn rencontre(rng: &mut Rng, persons: &[RecordId], now: i64) -> RencontreDraft {
    let two_years = 730 * 86_400_000_i64;
    let at = now - (rng.next_u64() % two_years as u64) as i64;
    let mut r = RencontreDraft {
        channel: *rng.pick(&Channel::ALL),
        place: rng.pick(PLACES).to_string(),
        occurred_at: Some(at),
        commune: Some(rng.pick(COMMUNES).to_string()),
        ..RencontreDraft::default()
    };
    if persons.is_empty() || rng.chance(20) {
        r.headcount = 1 + rng.below(6) as u32;
    } else {
        for _ in 0..1 + rng.below(3) {
            r.persons.insert(rng.pick(persons).clone());
        }
    }
    if rng.chance(50) {
        r.note = "Échange sur le tournoi, intéressé par une formation".into();
    }
    r
}

/// A stage change of one of `persons`.
pub fn etape(rng: &mut Rng, persons: &[RecordId], now: i64) -> EtapeDraft {
    let stage = *rng.pick(&Stage::ALL);
    EtapeDraft {
        person_id: rng.pick(persons).clone(),
        stage,
        date: Day::from_epoch_ms(now - (rng.next_u64() % (700 * 86_400_000)) as i64),
        note: None,
        // A sortie says how the person left.
        exit: (stage == Stage::Sortie).then(|| *rng.pick(&ExitKind::ALL)),
    }
}

/// A relance due within ±60 days of `now`.
pub fn relance(rng: &mut Rng, persons: &[RecordId], now: i64) -> RelanceDraft {
    let offset = rng.below(120) as i32 - 60;
    let today = Day::from_epoch_ms(now);
    RelanceDraft {
        person_id: Some(rng.pick(persons).clone()),
        rencontre_id: None,
        referent: rng.pick(REFERENTS).to_string(),
        due: today.checked_add_days(offset).unwrap_or(today),
        reason: "Rappeler pour le rendez-vous Mission locale".into(),
        status: if rng.chance(70) {
            RelanceStatus::AFaire
        } else {
            RelanceStatus::Faite
        },
    }
}
