//! Every French word the screen shows, in one place, so that a Fluent bundle can
//! replace this module later without touching the components.
//!
//! Fixed labels are constants; anything built from data (an error, a count, a time,
//! the status line) is a plain function of model types, tested on the host. Error
//! sentences name the field and the rule, never the rejected value, and tell the
//! user what to do next.

pub mod events;
pub mod partners;
pub mod people;

use filrouge_model::error::{Field, Problem, ValidationError};
use filrouge_model::ipc::{IpcError, SyncFailure, SyncStatus};
use filrouge_model::rencontre::Channel;

use crate::clock::LocalTime;

/// The app's name, in the header.
pub const APP_NAME: &str = "Fil rouge";
/// The settings button.
pub const OPEN_SETTINGS: &str = "Réglages";
/// Closes the settings panel.
pub const CLOSE_SETTINGS: &str = "Fermer";

/// Title of the form.
pub const NEW_RENCONTRE: &str = "Nouvelle rencontre";
/// Legend of the channel chips.
pub const CHANNEL: &str = "Canal";
/// Label of the place input.
pub const PLACE: &str = "Lieu";
/// Example shown in the empty place input.
pub const PLACE_EXAMPLE: &str = "ex. city stade, gare, pied d'immeuble";
/// Label of the headcount stepper.
pub const HEADCOUNT: &str = "Personnes (groupe anonyme)";
/// Accessible name of the minus button.
pub const HEADCOUNT_MINUS: &str = "Une personne de moins";
/// Accessible name of the plus button.
pub const HEADCOUNT_PLUS: &str = "Une personne de plus";
/// Label of the note.
pub const NOTE: &str = "Note courte et factuelle";
/// Help under the note.
pub const NOTE_HINT: &str = "La personne peut la lire : des faits, pas d'avis.";
/// The save button.
pub const SAVE: &str = "Enregistrer";
/// The save button while saving.
pub const SAVING: &str = "Enregistrement…";

/// Title of today's list.
pub const TODAY: &str = "Aujourd'hui";
/// Today's list when it is empty.
pub const TODAY_EMPTY: &str = "Aucune rencontre aujourd'hui. Enregistrez la première ci-dessus.";
/// Today's list while it is being read.
pub const TODAY_LOADING: &str = "Lecture des rencontres…";
/// Shown for a rencontre recorded without a place.
pub const NO_PLACE: &str = "Lieu non précisé";
/// The visible invitation to edit a row.
pub const EDIT: &str = "Modifier";
/// Accessible name of the inline edit form.
pub const EDIT_TITLE: &str = "Modifier la rencontre";
/// Leaves an edit without saving.
pub const CANCEL: &str = "Annuler";

/// Title of the team part of the settings.
pub const TEAM: &str = "Équipe";
/// Label of the server address input.
pub const SERVER_URL: &str = "Adresse du serveur de l'équipe";
/// Example of a server address.
pub const SERVER_URL_EXAMPLE: &str = "http://192.168.1.20:8787";
/// Label of the enrolment code input.
pub const ENROL_CODE: &str = "Code d'association";
/// Help under the enrolment code.
pub const ENROL_CODE_HINT: &str = "Donné par votre coordinateur·rice ; il ne sert qu'une fois.";
/// Label of the device name input.
pub const DEVICE_NAME: &str = "Nom de cet appareil";
/// The device name proposed by default.
pub const DEFAULT_DEVICE_NAME: &str = "Téléphone";
/// The enrol button.
pub const ENROL: &str = "Associer cet appareil";
/// The enrol button while enrolling.
pub const ENROLLING: &str = "Association…";
/// Confirmation after enrolling.
pub const ENROLLED: &str = "Cet appareil est associé à l'équipe.";
/// The sync button.
pub const SYNC_NOW: &str = "Synchroniser";
/// The sync button, and the status line, while a sync runs.
pub const SYNCING: &str = "Synchronisation…";
/// Confirmation after asking for a sync.
pub const SYNC_REQUESTED: &str = "Synchronisation demandée.";
/// Term for the server in the settings summary.
pub const STATUS_SERVER: &str = "Serveur";
/// Value when there is no server.
pub const STATUS_NO_SERVER: &str = "aucun";
/// Term for the waiting changes in the settings summary.
pub const STATUS_PENDING: &str = "Modifications en attente";
/// Term for the last sync in the settings summary.
pub const STATUS_LAST_SYNC: &str = "Dernière synchronisation";
/// Value when no sync ever succeeded.
pub const STATUS_NEVER: &str = "jamais";
/// Term for the current state in the settings summary.
pub const STATUS_STATE: &str = "État";
/// Status line before the status is known.
pub const STATUS_LOADING: &str = "Lecture de l'état de la synchronisation…";
/// Status line when the status cannot be read.
pub const STATUS_UNAVAILABLE: &str = "État de la synchronisation indisponible";
/// A device not enrolled in a team.
pub const NOT_ENROLLED: &str = "Non associé à une équipe";
/// Could not reach the server.
pub const OFFLINE: &str = "Hors ligne";
/// The last sync failed for another reason.
pub const SYNC_FAILED: &str = "Échec de la synchronisation";
/// Enrolled but never synced.
pub const NEVER_SYNCED: &str = "Jamais synchronisé";

/// The name of a channel, as the chips and the list show it.
pub fn channel_label(channel: Channel) -> &'static str {
    channel.label_fr()
}

/// A whole number with French digit grouping ("1 000", with a narrow no-break space).
pub fn number(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    out
}

/// "1 personne", "3 personnes".
pub fn persons(n: u64) -> String {
    if n <= 1 {
        format!("{n} personne")
    } else {
        format!("{} personnes", number(n))
    }
}

/// Who was met, as one line of the list: "3 personnes", "Momo", "Momo · 2 personnes".
pub fn people(headcount: u32, pseudonym: Option<&str>) -> String {
    match (
        pseudonym.map(str::trim).filter(|p| !p.is_empty()),
        headcount,
    ) {
        (Some(name), 0) => name.to_owned(),
        (Some(name), n) => format!("{name} · {}", persons(u64::from(n))),
        (None, n) => persons(u64::from(n)),
    }
}

/// "3 modifications en attente", or nothing when there are none.
pub fn pending_changes(n: u64) -> Option<String> {
    match n {
        0 => None,
        1 => Some("1 modification en attente".to_owned()),
        n => Some(format!("{} modifications en attente", number(n))),
    }
}

/// When something happened, after a verb: "à 14:32" today, "le 24/11 à 14:32" this
/// year, "le 24/11/2025 à 14:32" before.
pub fn moment(then: LocalTime, today: LocalTime) -> String {
    if then.same_day(today) {
        format!("à {}", then.hhmm())
    } else if then.year == today.year {
        format!("le {:02}/{:02} à {}", then.day, then.month, then.hhmm())
    } else {
        format!(
            "le {:02}/{:02}/{} à {}",
            then.day,
            then.month,
            then.year,
            then.hhmm()
        )
    }
}

/// The same moment as a value of its own: "aujourd'hui à 14:32", "le 24/11 à 14:32".
pub fn day_and_time(then: LocalTime, today: LocalTime) -> String {
    if then.same_day(today) {
        format!("aujourd'hui à {}", then.hhmm())
    } else {
        moment(then, today)
    }
}

/// The confirmation after saving a rencontre.
pub fn saved_at(at: LocalTime) -> String {
    format!("Rencontre enregistrée à {}.", at.hhmm())
}

/// How many rencontres today's list holds: "1 rencontre", "4 rencontres".
pub fn rencontre_count(n: usize) -> String {
    if n <= 1 {
        format!("{n} rencontre")
    } else {
        format!("{n} rencontres")
    }
}

/// Help under the note as it nears its limit: "Encore 12 caractères.", "3 caractères de trop."
pub fn chars_left(used: usize, max: usize) -> Option<String> {
    if used > max {
        let over = (used - max) as u64;
        let word = if over == 1 {
            "caractère"
        } else {
            "caractères"
        };
        Some(format!("{} {word} de trop.", number(over)))
    } else if used * 10 >= max * 9 {
        let left = (max - used) as u64;
        let word = if left <= 1 {
            "caractère"
        } else {
            "caractères"
        };
        Some(format!("Encore {} {word}.", number(left)))
    } else {
        None
    }
}

/// How a field is named at the start of a sentence, and what its words agree with.
#[derive(Debug, Clone, Copy)]
struct Subject {
    /// The noun with its article: "Le lieu", "Les freins".
    name: &'static str,
    feminine: bool,
    plural: bool,
}

impl Subject {
    /// Picks the form of a word that agrees with the subject: masculine singular,
    /// feminine singular, masculine plural, feminine plural.
    fn agree(self, forms: [&'static str; 4]) -> &'static str {
        forms[usize::from(self.feminine) + 2 * usize::from(self.plural)]
    }

    /// "est" or "sont".
    fn is(self) -> &'static str {
        if self.plural { "sont" } else { "est" }
    }

    /// The name inside a sentence: "le lieu", "l'année de naissance".
    fn inner(self) -> String {
        let mut chars = self.name.chars();
        chars
            .next()
            .map(|c| c.to_lowercase().chain(chars).collect())
            .unwrap_or_default()
    }
}

/// How each field is named.
fn subject(field: Field) -> Subject {
    // (name, feminine, plural)
    let (name, feminine, plural) = match field {
        Field::Channel => ("Le canal", false, false),
        Field::Place => ("Le lieu", false, false),
        Field::Headcount => ("Le nombre de personnes", false, false),
        Field::Pseudonym => ("Le pseudo", false, false),
        Field::Note => ("La note", true, false),
        Field::OccurredAt => ("La date", true, false),
        Field::ServerUrl => ("L'adresse du serveur", true, false),
        Field::EnrolmentCode => ("Le code d'association", false, false),
        Field::LastName => ("Le nom de famille", false, false),
        Field::BirthYear => ("L'année de naissance", true, false),
        Field::AgeBand => ("La tranche d'âge", true, false),
        Field::Gender => ("Le genre", false, false),
        Field::Commune => ("La commune", true, false),
        Field::Qpv => ("La case « QPV »", true, false),
        Field::Zrr => ("La case « ZRR »", true, false),
        Field::OutreMer => ("La case « outre-mer »", true, false),
        Field::Categories => ("Les catégories de public", true, true),
        Field::Freins => ("Les freins", false, true),
        Field::Interests => ("Les centres d'intérêt", false, true),
        Field::Skills => ("Les compétences", true, true),
        Field::Phone => ("Le téléphone", false, false),
        Field::Handle => ("Le compte de réseau social", false, false),
        Field::Referent => ("Le ou la référent·e", false, false),
        Field::ConsentDate => ("La date du consentement", true, false),
        Field::ConsentScopes => ("L'objet du consentement", false, false),
        Field::ConsentMethod => ("La forme du consentement", true, false),
        Field::Stage => ("L'étape du parcours", true, false),
        Field::PersonId => ("La personne", true, false),
        Field::Date => ("La date", true, false),
        Field::PartnerId => ("Le partenaire", false, false),
        Field::PartnerName => ("Le nom du partenaire", false, false),
        Field::Reason => ("Le motif", false, false),
        Field::ConsentGiven => ("L'accord de la personne", false, false),
        Field::Status => ("Le statut", false, false),
        Field::Outcome => ("Le résultat", false, false),
        Field::RencontreId => ("La rencontre", true, false),
        Field::Due => ("L'échéance", true, false),
        Field::Name => ("Le nom", false, false),
        Field::Kind => ("Le type", false, false),
        Field::Partners => ("Les partenaires", false, true),
        Field::EventId => ("L'événement", false, false),
        Field::FirstNameOrPseudonym => ("Le prénom ou pseudo", false, false),
        Field::Minor => ("La case « mineur·e »", true, false),
        Field::Contact => ("Le contact", false, false),
        Field::CheckedInAt => ("L'heure d'arrivée", true, false),
    };
    Subject {
        name,
        feminine,
        plural,
    }
}

/// One French sentence for a rejected value: the field, the rule, and its numbers.
pub fn validation_sentence(error: &ValidationError) -> String {
    let who = subject(error.field);
    let name = who.name;
    match (&error.problem, error.field) {
        (Problem::NobodyMet, _) => {
            "Indiquez au moins une personne : un nombre de personnes ou un pseudo.".to_owned()
        }
        (Problem::Required, Field::Channel) => "Choisissez un canal.".to_owned(),
        (Problem::Required, Field::PartnerName) => {
            "Indiquez le partenaire : choisissez-le dans l'annuaire ou écrivez son nom.".to_owned()
        }
        (Problem::Required, Field::ConsentScopes) => {
            "Indiquez à quoi la personne a consenti.".to_owned()
        }
        (Problem::Required, _) => format!(
            "{name} {} {}.",
            who.is(),
            who.agree(["obligatoire", "obligatoire", "obligatoires", "obligatoires"])
        ),
        (Problem::TooLong { max }, _) => {
            let chars = if *max == 1 { "caractère" } else { "caractères" };
            format!(
                "{name} {} trop {} ({} {chars} au plus).",
                who.is(),
                who.agree(["long", "longue", "longs", "longues"]),
                number(*max as u64)
            )
        }
        (Problem::OutOfRange { min, max }, _) => format!(
            "{name} {} être {} entre {min} et {max}.",
            if who.plural { "doivent" } else { "doit" },
            who.agree(["compris", "comprise", "compris", "comprises"])
        ),
        (Problem::InFuture, _) => format!("{name} {} trop loin dans le futur.", who.is()),
        (Problem::Malformed, Field::ServerUrl) => format!(
            "L'adresse du serveur n'est pas valable : elle ressemble à {SERVER_URL_EXAMPLE}."
        ),
        (Problem::Malformed, Field::EnrolmentCode) => {
            "Le code d'association n'est pas valable : vérifiez-le auprès de votre coordinateur·rice."
                .to_owned()
        }
        (Problem::Malformed, Field::Phone) => "Le numéro de téléphone n'est pas valable : \
             de 6 à 15 chiffres, avec des espaces, des points ou des tirets si besoin."
            .to_owned(),
        (Problem::Malformed, _) => format!(
            "{name} {} pas la bonne forme.",
            if who.plural { "n'ont" } else { "n'a" }
        ),
        (Problem::ConsentRequired, Field::ConsentGiven) => {
            "Une orientation demande l'accord de la personne : demandez-le avant de l'orienter."
                .to_owned()
        }
        (Problem::ConsentRequired, _) => format!(
            "{name} ne peut être {} qu'avec l'accord de la personne pour être contactée.",
            who.agree(["enregistré", "enregistrée", "enregistrés", "enregistrées"])
        ),
        (Problem::TooMany { max }, Field::Partners) => {
            format!("Trop de partenaires : {} au plus.", number(*max as u64))
        }
        (Problem::TooMany { max }, _) => format!("{name} : {} au plus.", number(*max as u64)),
        (Problem::Conflict { with: Field::BirthYear }, Field::AgeBand) => {
            "Indiquez l'année de naissance ou la tranche d'âge, pas les deux.".to_owned()
        }
        (Problem::Conflict { with: Field::Minor }, Field::AgeBand) => {
            "La tranche d'âge ne correspond pas à la case « mineur·e ».".to_owned()
        }
        (Problem::Conflict { with }, _) => format!(
            "{name} ne {} pas avec {}.",
            if who.plural { "concordent" } else { "concorde" },
            subject(*with).inner()
        ),
    }
}

/// Why a sync failed, in plain French, with what to do.
pub fn sync_failure_sentence(failure: &SyncFailure) -> String {
    match failure {
        SyncFailure::Unreachable => {
            "Serveur injoignable : pas de réseau, ou adresse incorrecte.".to_owned()
        }
        SyncFailure::Unauthorized => "Le serveur refuse cet appareil : il a peut-être été retiré \
             de l'équipe. Demandez un nouveau code à votre coordinateur·rice."
            .to_owned(),
        SyncFailure::VersionMismatch { server, app } => {
            let update = if app < server {
                "mettez à jour l'application"
            } else {
                "le serveur doit être mis à jour"
            };
            format!(
                "L'application (version {app}) et le serveur (version {server}) ne sont pas \
                 compatibles : {update}."
            )
        }
        SyncFailure::Rejected { status: 429, .. } => {
            "Le serveur reçoit trop de demandes de cet appareil ; nouvel essai automatique dans un moment."
                .to_owned()
        }
        SyncFailure::Rejected { status, code } => {
            format!("Le serveur a refusé l'envoi (erreur {status}, « {code} »).")
        }
        SyncFailure::Protocol => {
            "Le serveur a répondu de façon inattendue. Réessayez plus tard.".to_owned()
        }
        SyncFailure::Storage => {
            "Le stockage de l'appareil a échoué pendant la synchronisation.".to_owned()
        }
    }
}

/// One French sentence for any command's error.
pub fn error_sentence(error: &IpcError) -> String {
    match error {
        IpcError::Validation(v) => validation_sentence(v),
        IpcError::NotFound { .. } => {
            "Cette rencontre n'existe plus : elle a peut-être été effacée.".to_owned()
        }
        IpcError::Corrupt { .. } => "Cette rencontre est endommagée et a été mise de côté. \
             Prévenez votre coordinateur·rice."
            .to_owned(),
        IpcError::Storage => "L'appareil n'a pas pu lire ou enregistrer les données. Réessayez ; \
             si cela continue, redémarrez l'application."
            .to_owned(),
        IpcError::NotEnrolled => {
            "Cet appareil n'est associé à aucune équipe : associez-le d'abord dans les Réglages."
                .to_owned()
        }
        IpcError::Sync(failure) => sync_failure_sentence(failure),
    }
}

/// Why today's list could not be read.
pub fn list_unavailable(error: &IpcError) -> String {
    format!(
        "Impossible d'afficher les rencontres. {}",
        error_sentence(error)
    )
}

/// The header's status line: a short summary, and the last failure spelled out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusLine {
    /// "Hors ligne · 3 modifications en attente", "Synchronisé à 14:32"…
    pub summary: String,
    /// Why the last attempt failed, when it did.
    pub detail: Option<String>,
}

/// The progress bar's label during a long catch-up.
pub fn sync_progress(done: u64, total: u64) -> String {
    format!(
        "Réception de l'équipe : {} sur {}",
        number(done.min(total)),
        number(total)
    )
}

/// Builds the status line. `last_success` is the local reading of
/// `status.last_success_at`, `today` of now.
pub fn status_line(
    status: &SyncStatus,
    last_success: Option<LocalTime>,
    today: LocalTime,
) -> StatusLine {
    let state = if status.server_url.is_none() {
        NOT_ENROLLED.to_owned()
    } else if status.running {
        SYNCING.to_owned()
    } else if status.last_failure == Some(SyncFailure::Unreachable) {
        OFFLINE.to_owned()
    } else if status.last_failure.is_some() {
        SYNC_FAILED.to_owned()
    } else if let Some(at) = last_success {
        format!("Synchronisé {}", moment(at, today))
    } else {
        NEVER_SYNCED.to_owned()
    };
    let summary = match pending_changes(status.pending_changes) {
        Some(pending) => format!("{state} · {pending}"),
        None => state,
    };
    let detail = match (&status.last_failure, status.running) {
        (Some(failure), false) => Some(sync_failure_sentence(failure)),
        _ => None,
    };
    StatusLine { summary, detail }
}

#[cfg(test)]
mod tests;
