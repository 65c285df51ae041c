//! The words of the events screens: the list, creating an event, registration mode,
//! check-in.

use super::{Key, Lang, tr_args};

/// The events tab and screen title.
pub const EVENTS: Key = Key("events-events");
/// The list when there is no event.
pub const NO_EVENTS: Key = Key("events-no-events");
/// Title of the create form.
pub const NEW_EVENT: Key = Key("events-new-event");
/// Label of the event's name.
pub const NAME: Key = Key("events-name");
/// Example of a name.
pub const NAME_EXAMPLE: Key = Key("events-name-example");
/// Label of the kind select.
pub const KIND: Key = Key("events-kind");
/// Label of the place.
pub const PLACE: Key = Key("events-place");
/// Legend of the partners taking part.
pub const PARTNERS: Key = Key("events-partners");
/// The create button.
pub const CREATE: Key = Key("events-create");
/// Back to the events list.
pub const BACK: Key = Key("events-back");
/// The event screen while it loads.
pub const LOADING: Key = Key("events-loading");
/// The registration mode switch.
pub const MODE_REGISTER: Key = Key("events-mode-register");
/// The check-in mode switch.
pub const MODE_CHECK_IN: Key = Key("events-mode-check-in");
/// Accessible name of the mode switch.
pub const MODES: Key = Key("events-modes");
/// Label of the participant's name.
pub const FIRST_NAME: Key = Key("events-first-name");
/// Legend of the age bands.
pub const AGE_BAND: Key = Key("events-age-band");
/// The minor flag.
pub const MINOR: Key = Key("events-minor");
/// The consent checkbox, with the text the participant agrees to.
pub const CONSENT: Key = Key("events-consent");
/// Label of the contact input.
pub const CONTACT: Key = Key("events-contact");
/// The "next participant" button.
pub const NEXT: Key = Key("events-next");
/// Confirmation after a registration.
pub const REGISTERED: Key = Key("events-registered");
/// Label of the check-in search.
pub const SEARCH: Key = Key("events-search");
/// The check-in list when nobody is registered.
pub const NO_REGISTRATIONS: Key = Key("events-no-registrations");
/// The check-in toggle.
pub const ARRIVED: Key = Key("events-arrived");
/// The flag on look-alike registrations.
pub const POSSIBLE_DUPLICATE: Key = Key("events-possible-duplicate");

/// Under a check-in list cut short: how many more match, and how to find them.
pub fn more_registrations(lang: Lang, more: usize) -> String {
    tr_args(
        lang,
        Key("events-more-registrations"),
        &[("count", more.into())],
    )
}

/// The live headcount on this device.
pub fn headcount(lang: Lang, registered: u64, checked_in: u64) -> String {
    tr_args(
        lang,
        Key("events-headcount"),
        &[
            ("registered", registered.into()),
            ("arrived", checked_in.into()),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::headcount;
    use crate::i18n::Lang;

    #[test]
    fn the_headcount_agrees_in_number() {
        assert_eq!(headcount(Lang::Fr, 0, 0), "Aucun inscrit · 0 arrivé");
        assert_eq!(headcount(Lang::Fr, 1, 1), "1 inscrit · 1 arrivé");
        assert_eq!(headcount(Lang::Fr, 10, 3), "10 inscrits · 3 arrivés");
        assert_eq!(headcount(Lang::En, 10, 3), "10 registered · 3 arrived");
        assert_eq!(
            super::more_registrations(Lang::Fr, 1),
            "Et 1 autre : tapez les premières lettres d'un nom pour le trouver."
        );
    }
}
