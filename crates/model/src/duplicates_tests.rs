//! Who is proposed as one person, and why: the cases a coordinator meets.

use super::*;

fn person(pseudonym: &str, last: Option<&str>, year: Option<i32>, commune: Option<&str>) -> Sketch {
    Sketch::new(SketchOf {
        pseudonym,
        last_name: last,
        birth_year: year,
        commune,
        ..SketchOf::default()
    })
}

fn likeness(a: &Sketch, b: &Sketch) -> Option<Likeness> {
    let ab = compare(a, b);
    assert_eq!(ab, compare(b, a), "the order of a pair does not matter");
    ab
}

#[test]
fn the_same_young_man_under_three_spellings_is_proposed_with_reasons() {
    let stade = person("Mohamed", Some("Benali"), Some(2005), Some("Saint-Denis"));
    let snap = person("Momo", None, Some(2005), Some("Saint-Denis"));
    let forum = person("Mohammed B.", None, Some(2005), Some("Saint-Denis"));
    let l = likeness(&stade, &snap).unwrap();
    assert!(l.proposed(), "{l:?}");
    assert!(l.reasons.contains(&Reason::Nickname), "{l:?}");
    assert!(l.reasons.contains(&Reason::SameBirthYear));
    assert!(l.reasons.contains(&Reason::SameCommune));
    let l = likeness(&stade, &forum).unwrap();
    assert!(l.proposed(), "{l:?}");
    assert!(l.reasons.contains(&Reason::SoundsAlike), "{l:?}");
    assert!(l.reasons.contains(&Reason::Initial), "{l:?}");
    // Typed as one pseudonym, "Mohammed B." has no last name to have swapped.
    assert!(!l.reasons.contains(&Reason::Swapped), "{l:?}");
}

#[test]
fn swapped_names_and_accents_are_the_same_name() {
    let a = person("Éloïse", Some("Martin"), Some(2001), None);
    let b = person("MARTIN", Some("Eloise"), Some(2001), None);
    let l = likeness(&a, &b).unwrap();
    assert!(l.proposed(), "{l:?}");
    assert_eq!(l.reasons[..2], [Reason::SameName, Reason::Swapped]);
}

#[test]
fn a_typo_is_a_close_name() {
    let a = person("Fatoumata", Some("Camara"), Some(1999), Some("Bondy"));
    let b = person("Fatoumata", Some("Camarra"), Some(1999), Some("Bondy"));
    assert!(likeness(&a, &b).unwrap().proposed());
    let c = person("Fatoumta", Some("Camara"), Some(1999), Some("Bondy"));
    let l = likeness(&a, &c).unwrap();
    assert!(l.proposed(), "{l:?}");
    assert!(matches!(l.reasons[0], Reason::CloseName { percent } if percent > 85));
}

#[test]
fn the_same_name_born_five_years_apart_is_two_people() {
    let a = person("Mohamed", Some("Benali"), Some(2000), Some("Saint-Denis"));
    let b = person("Mohamed", Some("Benali"), Some(2005), Some("Saint-Denis"));
    assert_eq!(likeness(&a, &b), None);
    let c = person("Mohamed", Some("Benali"), Some(2004), Some("Saint-Denis"));
    assert!(
        !likeness(&a, &c).unwrap().proposed(),
        "four years: doubtful, not proposed"
    );
}

#[test]
fn a_shared_first_name_with_different_last_names_is_not_proposed() {
    let a = person("Mohamed", Some("Benali"), Some(2005), Some("Saint-Denis"));
    let b = person("Mohamed", Some("Diallo"), Some(2005), Some("Saint-Denis"));
    assert_eq!(likeness(&a, &b), None);
}

#[test]
fn a_name_alone_is_not_enough_but_a_phone_is() {
    let a = person("Karim", None, None, None);
    let b = person("Karim", None, None, None);
    assert!(
        !likeness(&a, &b).unwrap().proposed(),
        "two Karim, nothing else known"
    );
    let phone = |p: &str, pseudonym: &str| {
        Sketch::new(SketchOf {
            pseudonym,
            phone: Some(p),
            ..SketchOf::default()
        })
    };
    let l = likeness(
        &phone("06 12 34 56 78", "Karim"),
        &phone("+33 6 12 34 56 78", "Kader"),
    )
    .unwrap();
    assert!(l.reasons.contains(&Reason::SamePhone), "{l:?}");
    assert!(l.proposed(), "{l:?}");
}

#[test]
fn different_genders_or_age_bands_weigh_against() {
    let with = |gender, band| {
        Sketch::new(SketchOf {
            pseudonym: "Camille",
            last_name: Some("Roux"),
            gender: Some(gender),
            age_band: Some(band),
            ..SketchOf::default()
        })
    };
    let same = likeness(
        &with(Gender::Femme, AgeBand::From18To25),
        &with(Gender::Femme, AgeBand::From18To25),
    )
    .unwrap();
    let other = likeness(
        &with(Gender::Femme, AgeBand::From18To25),
        &with(Gender::Homme, AgeBand::From30To49),
    )
    .unwrap();
    assert!(same.proposed() && same.reasons.contains(&Reason::SameAgeBand));
    assert!(!other.proposed(), "{other:?}");
}

#[test]
fn blocks_put_variants_together_and_say_nothing_in_debug() {
    let a = person("Mohamed", Some("Benali"), Some(2005), Some("Saint-Denis"));
    let b = person("Benali", Some("Mohammed"), None, Some("Saint-Denis"));
    let c = person("Mohamed", Some("Benalu"), Some(2005), None);
    let shared = |x: &Sketch, y: &Sketch| {
        let ys = y.block_keys();
        x.block_keys().iter().any(|k| ys.contains(k))
    };
    assert!(shared(&a, &b), "swapped and doubled");
    assert!(
        shared(&a, &c),
        "a typo in the last name, the first name and year agree"
    );
    assert!(!format!("{a:?}").contains("benali"));
    assert!(a.lookup_keys().contains(&crate::names::phonetic("mohamed")));
}
