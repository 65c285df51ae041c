//! Tests of the personne's rules, one per rule, each naming the field it fails on.

use super::*;
use crate::records::testing::{NOW, day, fails, hides, round_trips};

fn consent(scopes: &[ConsentScope]) -> Consent {
    Consent {
        date: day("2026-11-20"),
        scopes: scopes.iter().copied().collect(),
        method: ConsentMethod::Oral,
        by: None,
        notice: None,
    }
}

fn full() -> PersonDraft {
    PersonDraft {
        last_name: Some("  Benali ".into()),
        birth_year: Some(2004),
        gender: Some(Gender::Homme),
        territory: Territory {
            commune: Some(" Saint-Denis ".into()),
            qpv: true,
            zrr: false,
            outre_mer: false,
        },
        categories: [PublicCategory::JeuneNeet].into(),
        freins: [Frein::Justice, Frein::Mobilite].into(),
        interests: [Interest::Sport, Interest::JeuxVideo].into(),
        skills: [Skill::Leadership].into(),
        contact: Some(Contact {
            phone: Some(" 06 12 34 56 78 ".into()),
            handle: Some("".into()),
        }),
        referent: Some(" Awa ".into()),
        consent: Some(consent(&[ConsentScope::SuiviEquipe, ConsentScope::Contact])),
        stage: Some(Stage::Remobilisation),
        ..PersonDraft::new("  Momo ")
    }
}

#[test]
fn a_full_draft_passes_and_is_normalised() {
    let p = full().validate(NOW).unwrap();
    assert_eq!(p.pseudonym, "Momo");
    assert_eq!(p.last_name.as_deref(), Some("Benali"));
    assert_eq!(p.territory.commune.as_deref(), Some("Saint-Denis"));
    assert_eq!(p.referent.as_deref(), Some("Awa"));
    let contact = p.contact.unwrap();
    assert_eq!(contact.phone.as_deref(), Some("06 12 34 56 78"));
    assert_eq!(contact.handle, None, "an empty handle is dropped");
}

#[test]
fn a_pseudonym_alone_is_enough() {
    let p = PersonDraft::new("Momo").validate(NOW).unwrap();
    assert_eq!(p, PersonDraft::new("Momo"));
}

#[test]
fn empty_optional_texts_become_none() {
    let p = PersonDraft {
        last_name: Some(" ".into()),
        referent: Some("".into()),
        territory: Territory {
            commune: Some("  ".into()),
            ..Territory::default()
        },
        contact: Some(Contact {
            phone: Some(" ".into()),
            handle: None,
        }),
        ..PersonDraft::new("Momo")
    }
    .validate(NOW)
    .unwrap();
    assert_eq!(p, PersonDraft::new("Momo"));
}

#[test]
fn texts_are_required_and_bounded() {
    let too_long = |n: usize| "é".repeat(n + 1);
    fails(
        PersonDraft::new("  ").validate(NOW),
        Field::Pseudonym,
        Problem::Required,
    );
    fails(
        PersonDraft::new(too_long(PSEUDONYM_MAX)).validate(NOW),
        Field::Pseudonym,
        Problem::TooLong { max: PSEUDONYM_MAX },
    );
    let d = PersonDraft {
        last_name: Some(too_long(LAST_NAME_MAX)),
        ..full()
    };
    fails(
        d.validate(NOW),
        Field::LastName,
        Problem::TooLong { max: LAST_NAME_MAX },
    );
    let mut d = full();
    d.territory.commune = Some(too_long(COMMUNE_MAX));
    fails(
        d.validate(NOW),
        Field::Commune,
        Problem::TooLong { max: COMMUNE_MAX },
    );
    let d = PersonDraft {
        referent: Some(too_long(REFERENT_MAX)),
        ..full()
    };
    fails(
        d.validate(NOW),
        Field::Referent,
        Problem::TooLong { max: REFERENT_MAX },
    );
    let mut d = full();
    d.contact = Some(Contact {
        phone: None,
        handle: Some(too_long(HANDLE_MAX)),
    });
    fails(
        d.validate(NOW),
        Field::Handle,
        Problem::TooLong { max: HANDLE_MAX },
    );
    let mut d = full();
    d.contact = Some(Contact {
        phone: Some("0".repeat(PHONE_MAX + 1)),
        handle: None,
    });
    fails(
        d.validate(NOW),
        Field::Phone,
        Problem::TooLong { max: PHONE_MAX },
    );
}

#[test]
fn birth_year_is_between_1900_and_this_year() {
    let with_year = |y| PersonDraft {
        birth_year: Some(y),
        ..PersonDraft::new("Momo")
    };
    let range = Problem::OutOfRange {
        min: 1900,
        max: 2026,
    };
    assert!(with_year(1900).validate(NOW).is_ok());
    assert!(with_year(2026).validate(NOW).is_ok());
    fails(
        with_year(1899).validate(NOW),
        Field::BirthYear,
        range.clone(),
    );
    fails(with_year(2027).validate(NOW), Field::BirthYear, range);
}

#[test]
fn birth_year_or_age_band_not_both() {
    let band = PersonDraft {
        age_band: Some(AgeBand::From18To25),
        ..PersonDraft::new("Momo")
    };
    assert!(band.clone().validate(NOW).is_ok());
    let both = PersonDraft {
        birth_year: Some(2004),
        ..band
    };
    fails(
        both.validate(NOW),
        Field::AgeBand,
        Problem::Conflict {
            with: Field::BirthYear,
        },
    );
}

#[test]
fn phone_must_look_like_a_phone() {
    for (phone, ok) in [
        ("06 12 34 56 78", true),
        ("+33 6.12.34.56.78", true),
        ("(0590) 12-34-56", true),
        ("06 12 3", false),
        ("appeler sa sœur", false),
        ("0612345678 ext 2", false),
        ("+33 6 12 34 56 78 90 12 34", false),
    ] {
        let mut d = full();
        d.contact = Some(Contact {
            phone: Some(phone.into()),
            handle: None,
        });
        match d.validate(NOW) {
            Ok(_) => assert!(ok, "{phone} passed"),
            Err(e) => {
                assert!(!ok, "{phone} refused");
                assert_eq!((e.field, e.problem), (Field::Phone, Problem::Malformed));
            }
        }
    }
}

#[test]
fn contact_needs_a_consent_to_be_contacted() {
    let handle_only = Some(Contact {
        phone: None,
        handle: Some("@momo93".into()),
    });
    let no_consent = PersonDraft {
        contact: handle_only.clone(),
        ..PersonDraft::new("Momo")
    };
    fails(
        no_consent.validate(NOW),
        Field::Handle,
        Problem::ConsentRequired,
    );
    let other_scope = PersonDraft {
        consent: Some(consent(&[ConsentScope::SuiviEquipe])),
        ..full()
    };
    fails(
        other_scope.validate(NOW),
        Field::Phone,
        Problem::ConsentRequired,
    );
    let with_scope = PersonDraft {
        contact: handle_only,
        consent: Some(consent(&[ConsentScope::Contact])),
        ..PersonDraft::new("Momo")
    };
    assert!(with_scope.validate(NOW).is_ok());
    // A consent without contact means is fine: the phone may come later.
    let consent_only = PersonDraft {
        contact: None,
        ..full()
    };
    assert!(consent_only.validate(NOW).is_ok());
}

#[test]
fn consent_is_dated_in_the_past_and_covers_something() {
    let mut d = full();
    if let Some(c) = &mut d.consent {
        c.date = day("2026-11-26");
    }
    fails(d.validate(NOW), Field::ConsentDate, Problem::InFuture);
    let mut d = full();
    if let Some(c) = &mut d.consent {
        c.date = day("2026-11-25"); // tomorrow in UTC: clock drift or a time zone
    }
    assert!(d.validate(NOW).is_ok());
    let d = PersonDraft {
        contact: None,
        consent: Some(consent(&[])),
        ..full()
    };
    fails(d.validate(NOW), Field::ConsentScopes, Problem::Required);
}

#[test]
fn debug_hides_personal_data() {
    let mut d = full();
    d.contact = Some(Contact {
        phone: Some("0612345678".into()),
        handle: Some("@momo93".into()),
    });
    let shown = format!("{d:?} {:?} {:?}", d.territory, d.contact);
    hides(
        &shown,
        &[
            "Momo",
            "Benali",
            "Saint-Denis",
            "0612345678",
            "@momo93",
            "Awa",
            "2004",
            "Justice",
            "Homme",
        ],
    );
    assert!(shown.contains("Remobilisation"), "{shown}");
}

#[test]
fn serde_round_trips_with_codes_and_defaults() {
    let d = full().validate(NOW).unwrap();
    round_trips(&d);
    let json = serde_json::to_value(&d).unwrap();
    assert_eq!(json["freins"], serde_json::json!(["mobilite", "justice"]));
    assert_eq!(json["consent"]["date"], "2026-11-20");
    assert_eq!(
        json["consent"]["scopes"],
        serde_json::json!(["suivi_equipe", "contact"])
    );
    assert_eq!(json["stage"], "remobilisation");
    // Only the pseudonym is needed on the wire; the rest defaults to empty.
    let minimal: PersonDraft = serde_json::from_str(r#"{"pseudonym":"Momo"}"#).unwrap();
    assert_eq!(minimal, PersonDraft::new("Momo"));
}

#[test]
fn a_retention_hold_needs_a_reason_of_bounded_length_and_a_past_day() {
    let held = |reason: &str, since: &str| PersonDraft {
        retention_hold: Some(RetentionHold {
            reason: reason.into(),
            by: Some(" Awa ".into()),
            since: day(since),
        }),
        ..PersonDraft::new("Momo")
    };
    let ok = held("  Procédure en cours au tribunal  ", "2026-11-20")
        .validate(NOW)
        .unwrap()
        .retention_hold
        .unwrap();
    assert_eq!(ok.reason, "Procédure en cours au tribunal");
    assert_eq!(ok.by.as_deref(), Some("Awa"));
    fails(
        held("   ", "2026-11-20").validate(NOW),
        Field::Reason,
        Problem::Required,
    );
    let max = HOLD_REASON_MAX;
    fails(
        held(&"x".repeat(max + 1), "2026-11-20").validate(NOW),
        Field::Reason,
        Problem::TooLong { max },
    );
    assert!(
        held("Motif", "2099-01-01").validate(NOW).is_err(),
        "a day to come"
    );
    // The reason is not in Debug output.
    let shown = format!("{:?}", held("Procédure en cours", "2026-11-20"));
    assert!(!shown.contains("Procédure"), "{shown}");
}
