//! Sentences for what went wrong: a rejected value, a failed sync, a failed command.
//!
//! A rejected value is told as "field, then rule": the field's name is a message of its
//! own (`field-place = Le lieu`) whose `.agreement` attribute says what the rule's words
//! agree with (French: `masculine`, `feminine`, `masculine-plural`, `feminine-plural`;
//! English: `singular`, `plural`). Both go to the rule's message as `$field` and
//! `$agreement`, which picks the right form ("est trop long", "sont trop longues").
//! A few field and rule pairs have a sentence of their own.

use filrouge_model::error::{Field, Problem, ValidationError};
use filrouge_model::ipc::{IpcError, SyncFailure, TeamKeyProblem};
use filrouge_model::sync::ErrorCode;

use super::bundle::attribute;
use super::{Key, Lang, tr, tr_args};

/// An example of a team server's address, shown in the settings and in the error
/// about a malformed one. Not a word: the same in every language.
pub const SERVER_URL_EXAMPLE: &str = "http://192.168.1.20:8787";

/// The message that names `field` at the start of a sentence.
pub(super) fn field_key(field: Field) -> Key {
    match field {
        Field::Channel => Key("field-channel"),
        Field::Place => Key("field-place"),
        Field::Headcount => Key("field-headcount"),
        Field::Pseudonym => Key("field-pseudonym"),
        Field::Note => Key("field-note"),
        Field::OccurredAt => Key("field-occurred-at"),
        Field::ServerUrl => Key("field-server-url"),
        Field::EnrolmentCode => Key("field-enrolment-code"),
        Field::LastName => Key("field-last-name"),
        Field::BirthYear => Key("field-birth-year"),
        Field::AgeBand => Key("field-age-band"),
        Field::Gender => Key("field-gender"),
        Field::Commune => Key("field-commune"),
        Field::Qpv => Key("field-qpv"),
        Field::Zrr => Key("field-zrr"),
        Field::OutreMer => Key("field-outre-mer"),
        Field::Categories => Key("field-categories"),
        Field::Freins => Key("field-freins"),
        Field::Interests => Key("field-interests"),
        Field::Skills => Key("field-skills"),
        Field::Phone => Key("field-phone"),
        Field::Handle => Key("field-handle"),
        Field::Referent => Key("field-referent"),
        Field::ConsentDate => Key("field-consent-date"),
        Field::ConsentScopes => Key("field-consent-scopes"),
        Field::ConsentMethod => Key("field-consent-method"),
        Field::Stage => Key("field-stage"),
        Field::PersonId => Key("field-person-id"),
        Field::Date => Key("field-date"),
        Field::PartnerId => Key("field-partner-id"),
        Field::PartnerName => Key("field-partner-name"),
        Field::Reason => Key("field-reason"),
        Field::ConsentGiven => Key("field-consent-given"),
        Field::Status => Key("field-status"),
        Field::Outcome => Key("field-outcome"),
        Field::RencontreId => Key("field-rencontre-id"),
        Field::Due => Key("field-due"),
        Field::Name => Key("field-name"),
        Field::Kind => Key("field-kind"),
        Field::Partners => Key("field-partners"),
        Field::EventId => Key("field-event-id"),
        Field::FirstNameOrPseudonym => Key("field-first-name-or-pseudonym"),
        Field::Minor => Key("field-minor"),
        Field::Contact => Key("field-contact"),
        Field::CheckedInAt => Key("field-checked-in-at"),
        Field::Period => Key("field-period"),
        Field::Worker => Key("field-worker"),
        Field::Exit => Key("field-exit"),
        Field::RecoveryKey => Key("field-recovery-key"),
    }
}

/// The attribute of a field's message that its rule's words agree with.
pub(super) const AGREEMENT: &str = "agreement";

/// A field's name inside a sentence: "la date", "the date". Only the first letter
/// changes, in both languages.
fn inner_name(lang: Lang, field: Field) -> String {
    let name = tr(lang, field_key(field));
    let mut chars = name.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

/// One sentence for a rejected value: the field, the rule, and its numbers.
pub fn validation_sentence(lang: Lang, error: &ValidationError) -> String {
    let field = error.field;
    let special = |key| Some(tr(lang, key));
    let own_sentence = match (&error.problem, field) {
        (Problem::NobodyMet, _) => special(Key("validation-nobody-met")),
        (Problem::Required, Field::Channel) => special(Key("validation-channel-required")),
        (Problem::Required, Field::PartnerName) => special(Key("validation-partner-name-required")),
        (Problem::Required, Field::ConsentScopes) => {
            special(Key("validation-consent-scopes-required"))
        }
        (Problem::Malformed, Field::ServerUrl) => Some(tr_args(
            lang,
            Key("validation-server-url-malformed"),
            &[("example", SERVER_URL_EXAMPLE.into())],
        )),
        (Problem::Malformed, Field::EnrolmentCode) => {
            special(Key("validation-enrolment-code-malformed"))
        }
        (Problem::Malformed, Field::Phone) => special(Key("validation-phone-malformed")),
        (Problem::ConsentRequired, Field::ConsentGiven) => {
            special(Key("validation-consent-given-required"))
        }
        (Problem::TooMany { max }, Field::Partners) => Some(tr_args(
            lang,
            Key("validation-too-many-partners"),
            &[("max", (*max).into())],
        )),
        (
            Problem::Conflict {
                with: Field::BirthYear,
            },
            Field::AgeBand,
        ) => special(Key("validation-age-band-and-birth-year")),
        (Problem::Conflict { with: Field::Minor }, Field::AgeBand) => {
            special(Key("validation-age-band-and-minor"))
        }
        _ => None,
    };
    if let Some(sentence) = own_sentence {
        return sentence;
    }

    let subject = field_key(field);
    let mut args = vec![
        ("field", tr(lang, subject).into()),
        ("agreement", attribute(lang, subject, AGREEMENT).into()),
    ];
    let rule = match &error.problem {
        Problem::Required => Key("validation-required"),
        Problem::TooLong { max } => {
            args.push(("max", (*max).into()));
            Key("validation-too-long")
        }
        Problem::OutOfRange { min, max } => {
            // As they are: a range may be years, which take no thousands separator.
            args.push(("min", min.to_string().into()));
            args.push(("max", max.to_string().into()));
            Key("validation-out-of-range")
        }
        Problem::InFuture => Key("validation-in-future"),
        Problem::Malformed => Key("validation-malformed"),
        Problem::ConsentRequired => Key("validation-consent-required"),
        Problem::TooMany { max } => {
            args.push(("max", (*max).into()));
            Key("validation-too-many")
        }
        Problem::Conflict { with } => {
            args.push(("other", inner_name(lang, *with).into()));
            Key("validation-conflict")
        }
        // Told above, whatever the field.
        Problem::NobodyMet => Key("validation-nobody-met"),
    };
    tr_args(lang, rule, &args)
}

/// Why a sync failed, in plain words, with what to do.
pub fn sync_failure_sentence(lang: Lang, failure: &SyncFailure) -> String {
    let key = match failure {
        SyncFailure::Unreachable => Key("sync-failure-unreachable"),
        SyncFailure::Unauthorized => Key("sync-failure-unauthorized"),
        SyncFailure::VersionMismatch { server, app } => {
            let outdated = if app < server { "app" } else { "server" };
            return tr_args(
                lang,
                Key("sync-failure-version-mismatch"),
                &[
                    ("app", app.to_string().into()),
                    ("server", server.to_string().into()),
                    ("outdated", outdated.into()),
                ],
            );
        }
        SyncFailure::Rejected {
            code: Some(code), ..
        } => rejection_key(*code),
        // No code this app knows (a proxy's page, a newer server): the status says it.
        SyncFailure::Rejected { status: 429, .. } => Key("sync-failure-rate-limited"),
        SyncFailure::Rejected { status, code: None } => {
            return tr_args(
                lang,
                Key("sync-failure-rejected"),
                &[("status", status.to_string().into())],
            );
        }
        SyncFailure::Protocol => Key("sync-failure-protocol"),
        SyncFailure::Untrusted => Key("sync-failure-untrusted"),
        SyncFailure::Revoked => Key("sync-failure-revoked"),
        SyncFailure::Insecure => Key("sync-failure-insecure"),
        SyncFailure::NoTeamKey => Key("sync-failure-no-team-key"),
        SyncFailure::Storage => Key("sync-failure-storage"),
    };
    tr(lang, key)
}

/// What the server's refusal means for the user. No wildcard: a new code of the sync
/// API does not compile until it is given its sentence.
pub(super) fn rejection_key(code: ErrorCode) -> Key {
    match code {
        ErrorCode::Revoked => Key("sync-failure-revoked"),
        ErrorCode::Unauthorized => Key("sync-failure-unauthorized"),
        ErrorCode::InvalidEnrolmentCode => Key("sync-failure-invalid-code"),
        ErrorCode::TooLarge => Key("sync-failure-too-large"),
        ErrorCode::BadRequest => Key("sync-failure-bad-request"),
        ErrorCode::VersionMismatch => Key("sync-failure-incompatible"),
        ErrorCode::RateLimited => Key("sync-failure-rate-limited"),
        ErrorCode::Forbidden => Key("sync-failure-forbidden"),
        ErrorCode::Internal => Key("sync-failure-server-error"),
        ErrorCode::StaleEpoch => Key("sync-failure-stale-epoch"),
        ErrorCode::ResealNeeded => Key("sync-failure-reseal-needed"),
        ErrorCode::AccessChainBreak => Key("sync-failure-access-chain-break"),
    }
}

/// One sentence for any command's error.
pub fn error_sentence(lang: Lang, error: &IpcError) -> String {
    let key = match error {
        IpcError::Validation(v) => return validation_sentence(lang, v),
        IpcError::Sync(failure) => return sync_failure_sentence(lang, failure),
        IpcError::NotFound { .. } => Key("error-not-found"),
        IpcError::Corrupt { .. } => Key("error-corrupt"),
        IpcError::Storage => Key("error-storage"),
        IpcError::NotEnrolled => Key("error-not-enrolled"),
        IpcError::Interrupted => Key("error-interrupted"),
        IpcError::Locked => Key("error-locked"),
        IpcError::KeyDestroyed => Key("error-key-destroyed"),
        IpcError::KeystoreUnavailable => Key("error-keystore"),
        IpcError::CoordinatorOnly => Key("error-coordinator-only"),
        IpcError::TeamKey {
            problem: TeamKeyProblem::NoKey,
        } => Key("error-team-key-none"),
        IpcError::TeamKey {
            problem: TeamKeyProblem::NotTheTeams,
        } => Key("error-team-key-not-the-teams"),
        IpcError::TeamKey {
            problem: TeamKeyProblem::AlreadySealed,
        } => Key("error-team-key-already-sealed"),
        IpcError::TeamKey {
            problem: TeamKeyProblem::LogMoving,
        } => Key("error-team-key-log-moving"),
        IpcError::Spreadsheet { reason } => {
            return super::tr_args(
                lang,
                Key("error-spreadsheet"),
                &[("reason", reason.clone().into())],
            );
        }
        IpcError::Definitions { reason } => {
            return super::tr_args(
                lang,
                Key("error-definitions"),
                &[("reason", reason.clone().into())],
            );
        }
        IpcError::WrongSecret { attempts_left } => {
            return super::lock::wrong_secret(lang, *attempts_left);
        }
        IpcError::TooSoon { wait_ms } => return super::lock::wait(lang, *wait_ms),
        IpcError::LeaseExpired { days } => return super::lock::lease_text(lang, *days),
        IpcError::WeakSecret { secret, min_len } => {
            return super::lock::weak_secret(lang, *secret, *min_len);
        }
    };
    tr(lang, key)
}
