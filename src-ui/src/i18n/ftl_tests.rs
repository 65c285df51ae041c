//! Checks of the `.ftl` files themselves: they parse, French and English hold the same
//! messages and attributes with the same variables, every id the code can ask for is
//! there, and every message formats without error whatever its variables hold.
//!
//! The files are read as the app reads them (the `include_str!` texts of [`bundle`]),
//! and the ids the code asks for are found in the sources of this module tree, the
//! only place a [`Key`] can be made.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use filrouge_model::error::Field;
use filrouge_model::ipc::{IpcError, SyncFailure, SyncProgress, SyncStage, SyncStatus};
use filrouge_model::sync::ErrorCode;
use fluent_bundle::{FluentArgs, FluentValue};
use fluent_syntax::ast;
use fluent_syntax::parser;

use super::bundle::{self, problems};
use super::errors::*;
use super::errors::{AGREEMENT, field_key};
use super::sentences::*;
use super::*;
use crate::clock::LocalTime;

/// What a message (or one attribute) does with its variables.
#[derive(Debug, Default, PartialEq)]
struct Vars {
    /// Variables written out in the text.
    placed: BTreeSet<String>,
    /// Variables that choose a variant, with the keys of their variants.
    selectors: BTreeMap<String, BTreeSet<String>>,
}

impl Vars {
    fn all(&self) -> BTreeSet<String> {
        self.placed
            .iter()
            .chain(self.selectors.keys())
            .cloned()
            .collect()
    }

    fn pattern(&mut self, pattern: &ast::Pattern<&str>) {
        for element in &pattern.elements {
            if let ast::PatternElement::Placeable { expression } = element {
                self.expression(expression);
            }
        }
    }

    fn expression(&mut self, expression: &ast::Expression<&str>) {
        match expression {
            ast::Expression::Inline(inline) => self.inline(inline),
            ast::Expression::Select { selector, variants } => {
                let keys = variants.iter().map(|v| match &v.key {
                    ast::VariantKey::Identifier { name } => (*name).to_owned(),
                    ast::VariantKey::NumberLiteral { value } => (*value).to_owned(),
                });
                match selector {
                    ast::InlineExpression::VariableReference { id } => self
                        .selectors
                        .entry(id.name.to_owned())
                        .or_default()
                        .extend(keys),
                    other => self.inline(other),
                }
                for variant in variants {
                    self.pattern(&variant.value);
                }
            }
        }
    }

    fn inline(&mut self, inline: &ast::InlineExpression<&str>) {
        match inline {
            ast::InlineExpression::VariableReference { id } => {
                self.placed.insert(id.name.to_owned());
            }
            ast::InlineExpression::Placeable { expression } => self.expression(expression),
            ast::InlineExpression::FunctionReference { arguments, .. } => {
                for argument in &arguments.positional {
                    self.inline(argument);
                }
            }
            _ => {}
        }
    }
}

/// Every message, term and attribute of a file (`id`, `-term`, `id.attribute`) with
/// its variables, after checking that the file parses cleanly.
fn entries(lang: Lang) -> BTreeMap<String, Vars> {
    let resource = match parser::parse(lang.source()) {
        Ok(resource) => resource,
        Err((_, errors)) => panic!("{}.ftl does not parse: {errors:#?}", lang.code()),
    };
    let mut entries = BTreeMap::new();
    let mut add = |id: String, pattern: Option<&ast::Pattern<&str>>| {
        let mut vars = Vars::default();
        if let Some(pattern) = pattern {
            vars.pattern(pattern);
        }
        assert!(
            entries.insert(id.clone(), vars).is_none(),
            "{id} twice in {}.ftl",
            lang.code()
        );
    };
    for entry in &resource.body {
        match entry {
            ast::Entry::Message(m) => {
                add(m.id.name.to_owned(), m.value.as_ref());
                for a in &m.attributes {
                    add(format!("{}.{}", m.id.name, a.id.name), Some(&a.value));
                }
            }
            ast::Entry::Term(t) => {
                add(format!("-{}", t.id.name), Some(&t.value));
                for a in &t.attributes {
                    add(format!("-{}.{}", t.id.name, a.id.name), Some(&a.value));
                }
            }
            ast::Entry::Junk { content } => panic!("junk in {}.ftl: {content}", lang.code()),
            _ => {}
        }
    }
    entries
}

#[test]
fn both_files_parse_and_load_without_errors() {
    for lang in Lang::ALL {
        assert!(
            entries(lang).len() > 100,
            "{}.ftl looks truncated",
            lang.code()
        );
        // Building the bundle reports any parse or duplicate error.
        let _ = tr(lang, key::APP_NAME);
    }
    assert_eq!(problems(), Vec::<String>::new());
}

#[test]
fn french_and_english_have_the_same_messages_and_attributes() {
    let fr = entries(Lang::Fr);
    let en = entries(Lang::En);
    let missing_in_en: Vec<&String> = fr.keys().filter(|id| !en.contains_key(*id)).collect();
    let missing_in_fr: Vec<&String> = en.keys().filter(|id| !fr.contains_key(*id)).collect();
    assert!(
        missing_in_en.is_empty() && missing_in_fr.is_empty(),
        "missing in en.ftl: {missing_in_en:?}; missing in fr.ftl: {missing_in_fr:?}"
    );
}

/// The variables written in the text must be the same: a language that drops one
/// loses information ("3 caractères" without the 3). A variable that only chooses a
/// form may be used by one language only: French agrees in gender, English does not.
#[test]
fn each_message_writes_the_same_variables_in_both_languages() {
    let fr = entries(Lang::Fr);
    let en = entries(Lang::En);
    let differ: Vec<String> = fr
        .iter()
        .filter_map(|(id, vars)| {
            let other = en.get(id)?;
            (vars.placed != other.placed).then(|| {
                format!(
                    "{id}: fr writes {:?}, en writes {:?}",
                    vars.placed, other.placed
                )
            })
        })
        .collect();
    assert!(differ.is_empty(), "{differ:#?}");
}

/// Every `Key("…")` written in the sources of `crate::i18n` (tests aside).
fn ids_in_sources() -> BTreeSet<String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files: Vec<PathBuf> = vec![src.join("i18n.rs")];
    let dir = std::fs::read_dir(src.join("i18n")).expect("src/i18n is readable");
    for entry in dir {
        let path = entry.expect("a directory entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if name.ends_with(".rs") && !name.contains("tests") {
            files.push(path);
        }
    }
    let mut ids = BTreeSet::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("a readable source");
        for (at, _) in text.match_indices("Key(") {
            let rest = &text[at + "Key(".len()..];
            if rest.starts_with("&'static str)") {
                continue; // The type's own definition.
            }
            // An id made any other way (from a variable) would escape this test.
            let id = rest
                .strip_prefix('"')
                .and_then(|r| r.split_once('"'))
                .map(|(id, _)| id)
                .unwrap_or_else(|| panic!("{}: a Key( without a literal id", file.display()));
            ids.insert(id.to_owned());
        }
    }
    ids
}

#[test]
fn every_id_the_code_asks_for_is_in_both_files() {
    let ids = ids_in_sources();
    assert!(ids.contains("new-rencontre") && ids.contains("field-place"));
    assert!(ids.len() > 100, "only {} ids found", ids.len());
    for lang in Lang::ALL {
        let entries = entries(lang);
        let missing: Vec<&String> = ids.iter().filter(|id| !entries.contains_key(*id)).collect();
        assert!(
            missing.is_empty(),
            "missing in {}.ftl: {missing:?}",
            lang.code()
        );
    }
}

#[test]
fn every_field_says_what_its_words_agree_with() {
    for (lang, allowed) in [
        (
            Lang::Fr,
            &[
                "masculine",
                "feminine",
                "masculine-plural",
                "feminine-plural",
            ][..],
        ),
        (Lang::En, &["singular", "plural"][..]),
    ] {
        for field in Field::ALL {
            let value = bundle::attribute(lang, field_key(field), AGREEMENT);
            assert!(
                allowed.contains(&value.as_str()),
                "{field:?} in {lang:?}: {value}"
            );
        }
    }
    assert_eq!(problems(), Vec::<String>::new());
}

/// Values to try for a variable: numbers around the plural boundaries, a text, and
/// every variant key of the selectors that read it.
fn samples(name: &str, fr: &Vars, en: &Vars) -> Vec<FluentValue<'static>> {
    let mut values: Vec<FluentValue<'static>> = vec![
        0.into(),
        1.into(),
        2.into(),
        1000.into(),
        format!("«{name}»").into(),
    ];
    for vars in [fr, en] {
        for key in vars.selectors.get(name).into_iter().flatten() {
            values.push(match key.parse::<f64>() {
                Ok(n) => n.into(),
                Err(_) => key.clone().into(),
            });
        }
    }
    values
}

#[test]
fn every_message_formats_without_error_in_both_languages() {
    let fr = entries(Lang::Fr);
    let en = entries(Lang::En);
    let mut failures = Vec::new();
    // Terms are formatted through the messages that use them.
    for (id, fr_vars) in fr.iter().filter(|(id, _)| !id.starts_with('-')) {
        let Some(en_vars) = en.get(id) else { continue };
        let names: BTreeSet<String> = fr_vars.all().union(&en_vars.all()).cloned().collect();
        let values: BTreeMap<&String, Vec<FluentValue<'static>>> = names
            .iter()
            .map(|n| (n, samples(n, fr_vars, en_vars)))
            .collect();
        let rounds = values.values().map(Vec::len).max().unwrap_or(1);
        for round in 0..rounds {
            let args: FluentArgs<'_> = values
                .iter()
                .map(|(name, vs)| (name.as_str(), vs[round % vs.len()].clone()))
                .collect();
            for lang in Lang::ALL {
                let (text, errors) = bundle::format_entry(lang, id, &args);
                if !errors.is_empty() || text.contains(['{', '}', '\u{2068}', '\u{2069}']) {
                    failures.push(format!("{id} in {}: {text:?} {errors:?}", lang.code()));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// Every builder, with every kind of data, in both languages: no lookup may fall back.
#[test]
fn every_builder_finds_its_messages_in_both_languages() {
    let now = LocalTime {
        year: 2026,
        month: 11,
        day: 26,
        hour: 15,
        minute: 0,
    };
    let earlier = [
        now,
        LocalTime { day: 2, ..now },
        LocalTime { year: 2025, ..now },
    ];
    let failures = [
        SyncFailure::Unreachable,
        SyncFailure::Unauthorized,
        SyncFailure::VersionMismatch { server: 3, app: 2 },
        SyncFailure::VersionMismatch { server: 2, app: 3 },
        SyncFailure::Rejected {
            status: 429,
            code: None,
        },
        SyncFailure::Rejected {
            status: 502,
            code: None,
        },
        SyncFailure::Rejected {
            status: 403,
            code: Some(ErrorCode::Forbidden),
        },
        SyncFailure::Rejected {
            status: 403,
            code: Some(ErrorCode::InvalidEnrolmentCode),
        },
        SyncFailure::Protocol,
        SyncFailure::NoTeamKey,
        SyncFailure::Storage,
    ];
    let errors = [
        IpcError::NotFound { id: "x".into() },
        IpcError::Corrupt { id: "x".into() },
        IpcError::Storage,
        IpcError::NotEnrolled,
        IpcError::Interrupted,
    ];
    for lang in Lang::ALL {
        for then in earlier {
            let _ = (moment(lang, then, now), day_and_time(lang, then, now));
        }
        for failure in &failures {
            let _ = sync_failure_sentence(lang, failure);
            let status = SyncStatus {
                server_url: Some("http://h".into()),
                last_failure: Some(failure.clone()),
                pending_changes: 2,
                ..SyncStatus::default()
            };
            let _ = status_line(lang, &status, None, now);
        }
        for error in &errors {
            let _ = (error_sentence(lang, error), list_unavailable(lang, error));
        }
        let states = [
            SyncStatus::default(),
            SyncStatus {
                server_url: Some("http://h".into()),
                running: true,
                ..SyncStatus::default()
            },
            SyncStatus {
                server_url: Some("http://h".into()),
                last_success_at: Some(1),
                ..SyncStatus::default()
            },
        ];
        for status in &states {
            let _ = status_line(lang, status, Some(now), now);
            let _ = status_line(lang, status, None, now);
        }
        for n in [0, 1, 2, 1000] {
            let _ = (persons(lang, n), pending_changes(lang, n));
            let receiving = super::tests::receiving(n, 5);
            let healing = SyncProgress {
                stage: SyncStage::Healing,
                ..receiving
            };
            let _ = (
                rencontre_count(lang, n as usize),
                sync_progress(lang, receiving),
            );
            let _ = sync_progress(lang, healing);
            let _ = people(lang, n as u32, Some("Momo"));
        }
        let _ = (chars_left(lang, 999, 1000), chars_left(lang, 1001, 1000));
        let _ = saved_at(lang, now);
        for role in filrouge_model::sync::Role::ALL {
            let tomorrow = LocalTime { day: 27, ..now };
            let _ = (
                crate::i18n::role_label(lang, role),
                crate::i18n::invite_valid_until(lang, tomorrow, now, role),
                crate::i18n::team::device_meta(lang, role, now, now),
            );
            let _ = crate::i18n::team::device_revoked(lang, tomorrow, now);
            let _ = crate::i18n::team::revoke_question(lang, "Téléphone de Lina");
        }
    }
    assert_eq!(problems(), Vec::<String>::new());
}

/// The server's error codes reach the user typed: each has a sentence of its own, in
/// French and in English, which is not the one said for an answer without a code.
#[test]
fn every_server_error_code_has_its_own_sentence_in_both_languages() {
    let mut by_lang = Vec::new();
    for lang in Lang::ALL {
        let rejected = |code| SyncFailure::Rejected { status: 400, code };
        let without_code = sync_failure_sentence(lang, &rejected(None));
        let sentences: BTreeSet<String> = ErrorCode::ALL
            .into_iter()
            .map(|code| {
                let said = sync_failure_sentence(lang, &rejected(Some(code)));
                assert_ne!(said, without_code, "{code:?} in {lang:?}");
                assert!(said.ends_with('.'), "{code:?} in {lang:?}: {said}");
                said
            })
            .collect();
        assert_eq!(
            sentences.len(),
            ErrorCode::ALL.len(),
            "one sentence per code"
        );
        by_lang.push(sentences);
    }
    assert!(
        by_lang[0].is_disjoint(&by_lang[1]),
        "each language its own words"
    );
    assert_eq!(problems(), Vec::<String>::new());
}
