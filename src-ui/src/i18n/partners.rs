//! The words of the partners' directory, orientations and consent.

use super::Key;

/// The directory's title, and the link to it.
pub const PARTNERS: Key = Key("partners-partners");
/// The directory when empty.
pub const NO_PARTNERS: Key = Key("partners-no-partners");
/// Title of the add form.
pub const NEW_PARTNER: Key = Key("partners-new-partner");
/// Label of the partner's name.
pub const NAME: Key = Key("partners-name");
/// Label of its kind.
pub const KIND: Key = Key("partners-kind");
/// Label of its contact.
pub const CONTACT: Key = Key("partners-contact");
/// Label of its commune.
pub const COMMUNE: Key = Key("partners-commune");
/// The add button.
pub const ADD: Key = Key("partners-add");
/// Confirmation.
pub const ADDED: Key = Key("partners-added");

/// Title of the orientation form.
pub const ORIENT: Key = Key("partners-orient");
/// Label of the partner select.
pub const PARTNER: Key = Key("partners-partner");
/// The select's first choice, when the directory lacks the partner.
pub const OTHER_PARTNER: Key = Key("partners-other-partner");
/// Label of a partner name typed by hand.
pub const PARTNER_NAME: Key = Key("partners-partner-name");
/// Label of the reason.
pub const REASON: Key = Key("partners-reason");
/// The orientation's consent checkbox.
pub const ORIENT_CONSENT: Key = Key("partners-orient-consent");
/// The orientation button.
pub const SAVE_ORIENTATION: Key = Key("partners-save-orientation");
/// Confirmation.
pub const ORIENTED: Key = Key("partners-oriented");

/// Title of the consent form.
pub const RECORD_CONSENT: Key = Key("partners-record-consent");
/// Legend of the scopes.
pub const SCOPES: Key = Key("partners-scopes");
/// Label of the method.
pub const METHOD: Key = Key("partners-method");
/// The consent button.
pub const SAVE_CONSENT: Key = Key("partners-save-consent");
/// Confirmation.
pub const CONSENT_SAVED: Key = Key("partners-consent-saved");
