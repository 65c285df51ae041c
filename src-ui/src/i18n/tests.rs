//! Tests of the sentences: the exact wording of those the screen must show, in French
//! and in English, and the properties every other sentence must have.

use filrouge_model::error::{Field, Problem, ValidationError};
use filrouge_model::ipc::{IpcError, SyncFailure, SyncProgress, SyncStage, SyncStatus};
use filrouge_model::rencontre::Channel;

use super::Lang::{En, Fr};
use super::bundle::problems;
use super::errors::*;
use super::sentences::*;
use super::*;
use crate::clock::LocalTime;

fn at(day: u32, hour: u32, minute: u32) -> LocalTime {
    LocalTime {
        year: 2026,
        month: 11,
        day,
        hour,
        minute,
    }
}

fn enrolled() -> SyncStatus {
    SyncStatus {
        server_url: Some("http://127.0.0.1:8787".into()),
        ..SyncStatus::default()
    }
}

#[test]
fn validation_names_the_field_and_the_rule() {
    let s = |field, problem| validation_sentence(Fr, &ValidationError::new(field, problem));
    assert_eq!(
        s(Field::Place, Problem::TooLong { max: 120 }),
        "Le lieu est trop long (120 caractères au plus)."
    );
    assert_eq!(
        s(Field::Note, Problem::TooLong { max: 1000 }),
        "La note est trop longue (1\u{202f}000 caractères au plus)."
    );
    assert_eq!(
        s(Field::Headcount, Problem::NobodyMet),
        "Indiquez au moins une personne : un nombre de personnes ou un pseudo."
    );
    assert_eq!(
        s(Field::OccurredAt, Problem::InFuture),
        "La date est trop loin dans le futur."
    );
    assert_eq!(
        s(Field::Headcount, Problem::OutOfRange { min: 0, max: 500 }),
        "Le nombre de personnes doit être compris entre 0 et 500."
    );
    assert_eq!(
        s(Field::ServerUrl, Problem::Required),
        "L'adresse du serveur est obligatoire."
    );
    assert!(s(Field::ServerUrl, Problem::Malformed).contains("http://"));
}

#[test]
fn new_rules_have_their_own_sentences() {
    let s = |field, problem| validation_sentence(Fr, &ValidationError::new(field, problem));
    assert_eq!(
        s(Field::Phone, Problem::ConsentRequired),
        "Le téléphone ne peut être enregistré qu'avec l'accord de la personne pour être \
         contactée."
    );
    assert_eq!(
        s(Field::ConsentGiven, Problem::ConsentRequired),
        "Une orientation demande l'accord de la personne : demandez-le avant de l'orienter."
    );
    assert_eq!(
        s(Field::Partners, Problem::TooMany { max: 20 }),
        "Trop de partenaires : 20 au plus."
    );
    assert_eq!(
        s(
            Field::AgeBand,
            Problem::Conflict {
                with: Field::BirthYear
            }
        ),
        "Indiquez l'année de naissance ou la tranche d'âge, pas les deux."
    );
    assert_eq!(
        s(Field::Status, Problem::Conflict { with: Field::Date }),
        "Le statut ne concorde pas avec la date."
    );
    assert_eq!(
        s(
            Field::BirthYear,
            Problem::OutOfRange {
                min: 1900,
                max: 2026
            }
        ),
        "L'année de naissance doit être comprise entre 1900 et 2026."
    );
    assert_eq!(
        s(Field::Freins, Problem::Required),
        "Les freins sont obligatoires."
    );
    assert_eq!(
        s(Field::Skills, Problem::TooLong { max: 10 }),
        "Les compétences sont trop longues (10 caractères au plus)."
    );
    assert_eq!(
        s(Field::Due, Problem::InFuture),
        "L'échéance est trop loin dans le futur."
    );
    assert_eq!(s(Field::Name, Problem::Required), "Le nom est obligatoire.");
    assert!(s(Field::PartnerName, Problem::Required).contains("annuaire"));
}

#[test]
fn every_field_and_rule_makes_a_sentence() {
    let rules = [
        Problem::Required,
        Problem::TooLong { max: 1 },
        Problem::TooLong { max: 80 },
        Problem::OutOfRange { min: 0, max: 9 },
        Problem::InFuture,
        Problem::Malformed,
        Problem::NobodyMet,
        Problem::ConsentRequired,
        Problem::TooMany { max: 3 },
        Problem::Conflict { with: Field::Minor },
        Problem::Conflict {
            with: Field::BirthYear,
        },
    ];
    for lang in Lang::ALL {
        for field in Field::ALL {
            for problem in &rules {
                let error = ValidationError::new(field, problem.clone());
                let sentence = validation_sentence(lang, &error);
                assert!(sentence.ends_with('.'), "{sentence}");
                assert!(sentence.starts_with(char::is_uppercase), "{sentence}");
                assert!(
                    !sentence.contains("  ") && !sentence.contains('{'),
                    "{sentence}"
                );
            }
        }
    }
    assert_eq!(problems(), Vec::<String>::new());
}

#[test]
fn every_channel_has_a_french_label() {
    let labels: Vec<&str> = Channel::ALL.into_iter().map(|c| label(c, Fr)).collect();
    assert_eq!(labels[0], "Maraude");
    assert!(labels.contains(&"Bas d'immeuble"));
    assert!(labels.contains(&"Par un pair ou un partenaire"));
    for (i, label) in labels.iter().enumerate() {
        assert!(!labels[i + 1..].contains(label), "{label} twice");
    }
}

#[test]
fn every_error_kind_has_its_own_sentence() {
    let errors = [
        IpcError::Validation(ValidationError::new(Field::Note, Problem::Required)),
        IpcError::NotFound { id: "ID-42".into() },
        IpcError::Corrupt { id: "ID-42".into() },
        IpcError::Storage,
        IpcError::NotEnrolled,
        IpcError::Sync(SyncFailure::Unreachable),
        IpcError::Sync(SyncFailure::Unauthorized),
        IpcError::Sync(SyncFailure::Protocol),
    ];
    let sentences: Vec<String> = errors.iter().map(|e| error_sentence(Fr, e)).collect();
    for (i, a) in sentences.iter().enumerate() {
        assert!(a.ends_with('.'), "{a}");
        assert!(!a.contains("ID-42"), "ids stay out of sentences: {a}");
        for b in &sentences[i + 1..] {
            assert_ne!(a, b);
        }
    }
    let version = error_sentence(
        Fr,
        &IpcError::Sync(SyncFailure::VersionMismatch { server: 2, app: 1 }),
    );
    assert!(version.contains("mettez à jour l'application"), "{version}");
}

#[test]
fn the_progress_label_counts_in_french() {
    assert_eq!(
        sync_progress(Fr, receiving(2_500, 100_000)),
        "Réception de l'équipe : 2\u{202f}500 sur 100\u{202f}000"
    );
    assert_eq!(
        sync_progress(Fr, receiving(9, 3)),
        "Réception de l'équipe : 3 sur 3"
    );
    let healing = SyncProgress {
        stage: SyncStage::Healing,
        ..receiving(40, 1_200)
    };
    assert_eq!(
        sync_progress(Fr, healing),
        "Le serveur a perdu des fiches : renvoi de 40 sur 1\u{202f}200"
    );
    assert_eq!(
        sync_progress(En, healing),
        "The server lost records: sending back 40 of 1,200"
    );
}

#[test]
fn numbers_and_people_read_naturally() {
    assert_eq!(number(Fr, 7), "7");
    assert_eq!(number(Fr, 120), "120");
    assert_eq!(number(Fr, 1000), "1\u{202f}000");
    assert_eq!(number(Fr, 1_234_567), "1\u{202f}234\u{202f}567");
    assert_eq!(people(Fr, 1, None), "1 personne");
    assert_eq!(people(Fr, 3, None), "3 personnes");
    assert_eq!(people(Fr, 0, Some("Momo")), "Momo");
    assert_eq!(people(Fr, 2, Some("Momo")), "Momo · 2 personnes");
    assert_eq!(people(Fr, 2, Some("  ")), "2 personnes");
    assert_eq!(rencontre_count(Fr, 1), "1 rencontre");
    assert_eq!(rencontre_count(Fr, 4), "4 rencontres");
}

#[test]
fn note_help_appears_near_the_limit() {
    assert_eq!(chars_left(Fr, 10, 1000), None);
    assert_eq!(
        chars_left(Fr, 988, 1000).as_deref(),
        Some("Encore 12 caractères.")
    );
    assert_eq!(
        chars_left(Fr, 1000, 1000).as_deref(),
        Some("Encore 0 caractère.")
    );
    assert_eq!(
        chars_left(Fr, 1003, 1000).as_deref(),
        Some("3 caractères de trop.")
    );
}

#[test]
fn moments_mention_the_day_only_when_needed() {
    let now = at(26, 15, 0);
    assert_eq!(moment(Fr, at(26, 14, 32), now), "à 14:32");
    assert_eq!(moment(Fr, at(24, 9, 5), now), "le 24/11 à 09:05");
    let last_year = LocalTime {
        year: 2025,
        ..at(24, 9, 5)
    };
    assert_eq!(moment(Fr, last_year, now), "le 24/11/2025 à 09:05");
    assert_eq!(day_and_time(Fr, at(26, 14, 32), now), "aujourd'hui à 14:32");
}

#[test]
fn status_line_says_what_matters_first() {
    let now = at(26, 15, 0);
    let line = |s: &SyncStatus, last| status_line(Fr, s, last, now);

    let unenrolled = SyncStatus {
        pending_changes: 2,
        ..SyncStatus::default()
    };
    assert_eq!(
        line(&unenrolled, None).summary,
        "Non associé à une équipe · 2 modifications en attente"
    );

    let offline = SyncStatus {
        pending_changes: 3,
        last_failure: Some(SyncFailure::Unreachable),
        ..enrolled()
    };
    let shown = line(&offline, Some(at(26, 9, 0)));
    assert_eq!(shown.summary, "Hors ligne · 3 modifications en attente");
    assert_eq!(
        shown.detail.as_deref(),
        Some("Serveur injoignable : pas de réseau, ou adresse incorrecte.")
    );

    let synced = SyncStatus {
        last_success_at: Some(1),
        ..enrolled()
    };
    let shown = line(&synced, Some(at(26, 14, 32)));
    assert_eq!(shown.summary, "Synchronisé à 14:32");
    assert_eq!(shown.detail, None);

    let running = SyncStatus {
        running: true,
        last_failure: Some(SyncFailure::Unauthorized),
        ..enrolled()
    };
    assert_eq!(line(&running, None).summary, "Synchronisation…");
    assert_eq!(line(&running, None).detail, None);

    let refused = SyncStatus {
        last_failure: Some(SyncFailure::Unauthorized),
        ..enrolled()
    };
    assert_eq!(line(&refused, None).summary, "Échec de la synchronisation");
    assert!(line(&refused, None).detail.is_some());

    assert_eq!(line(&enrolled(), None).summary, "Jamais synchronisé");
    let one = SyncStatus {
        pending_changes: 1,
        ..enrolled()
    };
    assert_eq!(
        line(&one, None).summary,
        "Jamais synchronisé · 1 modification en attente"
    );
}

#[test]
fn english_sentences_read_naturally() {
    let s = |field, problem| validation_sentence(En, &ValidationError::new(field, problem));
    assert_eq!(
        s(Field::Note, Problem::TooLong { max: 1000 }),
        "The note is too long (1,000 characters at most)."
    );
    assert_eq!(
        s(Field::Freins, Problem::Required),
        "The barriers are required."
    );
    assert_eq!(
        s(Field::Status, Problem::Conflict { with: Field::Date }),
        "The status does not match the date."
    );
    assert_eq!(
        s(
            Field::BirthYear,
            Problem::OutOfRange {
                min: 1900,
                max: 2026
            }
        ),
        "The year of birth must be between 1900 and 2026."
    );
    assert_eq!(
        s(Field::Headcount, Problem::NobodyMet),
        "Enter at least one person: a number of people or a nickname."
    );
    assert_eq!(
        error_sentence(En, &IpcError::Sync(SyncFailure::Unreachable)),
        "Server unreachable: no network, or a wrong address."
    );
    assert_eq!(
        error_sentence(
            En,
            &IpcError::Sync(SyncFailure::VersionMismatch { server: 2, app: 1 })
        ),
        "The app (version 1) and the server (version 2) do not work together: update the app."
    );
    assert_eq!(
        list_unavailable(En, &IpcError::Storage),
        "Today's contacts cannot be shown. The device could not read or save the data. \
         Try again; if it keeps happening, restart the app."
    );
    assert_eq!(problems(), Vec::<String>::new());
}

#[test]
fn english_counts_and_times() {
    let now = at(26, 15, 0);
    assert_eq!(number(En, 1_234_567), "1,234,567");
    assert_eq!(people(En, 1, None), "1 person");
    assert_eq!(people(En, 0, None), "0 people");
    assert_eq!(people(En, 2, Some("Momo")), "Momo · 2 people");
    assert_eq!(rencontre_count(En, 1), "1 contact");
    assert_eq!(rencontre_count(En, 1200), "1,200 contacts");
    assert_eq!(
        chars_left(En, 999, 1000).as_deref(),
        Some("1 character left.")
    );
    assert_eq!(
        chars_left(En, 1003, 1000).as_deref(),
        Some("3 characters too many.")
    );
    assert_eq!(
        sync_progress(En, receiving(2_500, 100_000)),
        "Receiving the team's records: 2,500 of 100,000"
    );
    assert_eq!(moment(En, at(24, 9, 5), now), "on 24/11 at 09:05");
    assert_eq!(day_and_time(En, at(26, 14, 32), now), "today at 14:32");
    assert_eq!(saved_at(En, at(26, 14, 32)), "Contact saved at 14:32.");

    let offline = SyncStatus {
        pending_changes: 3,
        last_failure: Some(SyncFailure::Unreachable),
        ..enrolled()
    };
    assert_eq!(
        status_line(En, &offline, None, now).summary,
        "Offline · 3 changes waiting"
    );
    let synced = SyncStatus {
        pending_changes: 1,
        last_success_at: Some(1),
        ..enrolled()
    };
    assert_eq!(
        status_line(En, &synced, Some(at(26, 14, 32)), now).summary,
        "Synced at 14:32 · 1 change waiting"
    );
    assert_eq!(problems(), Vec::<String>::new());
}

#[test]
fn labels_come_from_the_model_in_each_language() {
    assert_eq!(label(Channel::PorteAPorte, Fr), "Porte-à-porte");
    assert_eq!(label(Channel::PorteAPorte, En), "Door-to-door");
    assert_eq!(tr(En, key::OPEN_SETTINGS), "Settings");
    assert_eq!(tr(Fr, key::OPEN_SETTINGS), "Réglages");
    assert_eq!(tr(En, key::NEW_RENCONTRE), "New contact");
}

#[test]
fn a_missing_message_falls_back_to_french_then_to_its_id() {
    // Not in the files on purpose; made here because only `i18n` can make keys.
    let unknown = Key("no-such-message");
    assert_eq!(tr(En, unknown), "no-such-message");
    assert_eq!(
        problems(),
        vec![
            "no-such-message is missing in en".to_owned(),
            "no-such-message is missing in fr".to_owned(),
        ]
    );
    // A variable the message does not get: Fluent's best effort, reported once.
    let text = tr(Fr, Key("saved-at"));
    assert!(text.starts_with("Rencontre enregistrée à "), "{text}");
    let _ = tr(Fr, Key("saved-at"));
    assert_eq!(problems().len(), 3, "{:?}", problems());
}

#[test]
fn languages_have_codes_and_names_of_their_own() {
    assert_eq!(Lang::default(), Fr);
    for lang in Lang::ALL {
        assert_eq!(Lang::from_code(lang.code()), Some(lang));
    }
    assert_eq!(Lang::from_code("de"), None);
    assert_eq!(Fr.endonym(), "Français");
    assert_eq!(En.endonym(), "English");
}

/// A pull's progress.
pub(super) fn receiving(done: u64, total: u64) -> SyncProgress {
    SyncProgress {
        done,
        total,
        stage: SyncStage::Receiving,
    }
}

#[test]
fn a_heal_under_way_is_said_in_words() {
    let status = SyncStatus {
        server_url: Some("https://equipe.example".into()),
        running: true,
        progress: Some(SyncProgress {
            stage: SyncStage::Healing,
            ..receiving(3_500, 20_000)
        }),
        ..SyncStatus::default()
    };
    let now = at(2, 16, 40);
    let line = status_line(Fr, &status, None, now);
    assert_eq!(
        line.detail.as_deref(),
        Some("Le serveur a perdu des fiches : renvoi de 3\u{202f}500 sur 20\u{202f}000")
    );
    // A plain catch-up shows its bar only.
    let receiving = SyncStatus {
        progress: Some(receiving(3_500, 20_000)),
        ..status
    };
    assert_eq!(status_line(Fr, &receiving, None, now).detail, None);
}

#[test]
fn a_device_erased_by_its_team_says_so_until_it_is_enrolled_again() {
    let now = at(2, 16, 40);
    let wiped = SyncStatus {
        wiped_at: Some(1),
        ..SyncStatus::default()
    };
    let line = status_line(Fr, &wiped, None, now);
    assert!(
        line.detail
            .as_deref()
            .is_some_and(|d| d.contains("retiré de l'équipe")),
        "{line:?}"
    );
    let enrolled_again = SyncStatus {
        server_url: Some("https://equipe.example.org".into()),
        ..wiped
    };
    assert_eq!(status_line(Fr, &enrolled_again, None, now).detail, None);
}
