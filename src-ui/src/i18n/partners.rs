//! The words of the partners' directory, orientations and consent.

/// The directory's title, and the link to it.
pub const PARTNERS: &str = "Partenaires";
/// The directory when empty.
pub const NO_PARTNERS: &str = "Aucun partenaire. Ajoutez ceux vers qui l'équipe oriente.";
/// Title of the add form.
pub const NEW_PARTNER: &str = "Ajouter un partenaire";
/// Label of the partner's name.
pub const NAME: &str = "Nom de la structure";
/// Label of its kind.
pub const KIND: &str = "Type";
/// Label of its contact.
pub const CONTACT: &str = "Contact (téléphone, courriel, personne)";
/// Label of its commune.
pub const COMMUNE: &str = "Commune";
/// The add button.
pub const ADD: &str = "Ajouter";
/// Confirmation.
pub const ADDED: &str = "Partenaire ajouté.";

/// Title of the orientation form.
pub const ORIENT: &str = "Orienter vers un partenaire";
/// Label of the partner select.
pub const PARTNER: &str = "Partenaire";
/// The select's first choice, when the directory lacks the partner.
pub const OTHER_PARTNER: &str = "Autre (saisir le nom)";
/// Label of a partner name typed by hand.
pub const PARTNER_NAME: &str = "Nom du partenaire";
/// Label of the reason.
pub const REASON: &str = "Pour quoi";
/// The orientation's consent checkbox.
pub const ORIENT_CONSENT: &str =
    "La personne est d'accord pour cette orientation et pour ce qui sera dit au partenaire.";
/// The orientation button.
pub const SAVE_ORIENTATION: &str = "Orienter";
/// Confirmation.
pub const ORIENTED: &str = "Orientation enregistrée.";

/// Title of the consent form.
pub const RECORD_CONSENT: &str = "Recueillir le consentement";
/// Legend of the scopes.
pub const SCOPES: &str = "La personne accepte";
/// Label of the method.
pub const METHOD: &str = "Recueilli";
/// The consent button.
pub const SAVE_CONSENT: &str = "Enregistrer le consentement";
/// Confirmation.
pub const CONSENT_SAVED: &str = "Consentement enregistré.";
