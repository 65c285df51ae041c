//! The words of the events screens: the list, creating an event, registration mode,
//! check-in.

/// The events tab and screen title.
pub const EVENTS: &str = "Événements";
/// The list when there is no event.
pub const NO_EVENTS: &str = "Aucun événement. Créez le premier ci-dessous.";
/// Title of the create form.
pub const NEW_EVENT: &str = "Nouvel événement";
/// Label of the event's name.
pub const NAME: &str = "Nom";
/// Example of a name.
pub const NAME_EXAMPLE: &str = "ex. Tournoi du city stade";
/// Label of the kind select.
pub const KIND: &str = "Type";
/// Label of the place.
pub const PLACE: &str = "Lieu";
/// The create button.
pub const CREATE: &str = "Créer l'événement";
/// Back to the events list.
pub const BACK: &str = "Événements";
/// The event screen while it loads.
pub const LOADING: &str = "Lecture de l'événement…";
/// The registration mode switch.
pub const MODE_REGISTER: &str = "Inscriptions";
/// The check-in mode switch.
pub const MODE_CHECK_IN: &str = "Pointage";
/// Accessible name of the mode switch.
pub const MODES: &str = "Mode";
/// Label of the participant's name.
pub const FIRST_NAME: &str = "Prénom ou pseudo";
/// Legend of the age bands.
pub const AGE_BAND: &str = "Âge";
/// The minor flag.
pub const MINOR: &str = "Mineur·e (autorisation parentale)";
/// The consent checkbox, with the text the participant agrees to.
pub const CONSENT: &str = "J'accepte que l'équipe garde ce contact pour me proposer d'autres activités. Je peux demander à tout moment qu'il soit effacé.";
/// Label of the contact input.
pub const CONTACT: &str = "Téléphone ou pseudo de réseau (si accord)";
/// The "next participant" button.
pub const NEXT: &str = "Suivant";
/// Confirmation after a registration.
pub const REGISTERED: &str = "Inscription enregistrée. Au suivant !";
/// Label of the check-in search.
pub const SEARCH: &str = "Chercher un inscrit";
/// The check-in list when nobody is registered.
pub const NO_REGISTRATIONS: &str = "Aucun inscrit pour l'instant.";
/// The check-in toggle.
pub const ARRIVED: &str = "Arrivé·e";
/// The flag on look-alike registrations.
pub const POSSIBLE_DUPLICATE: &str = "Doublon possible";

/// The live headcount on this device.
pub fn headcount(registered: u64, checked_in: u64) -> String {
    let r = match registered {
        0 => "Aucun inscrit".to_owned(),
        1 => "1 inscrit".to_owned(),
        n => format!("{n} inscrits"),
    };
    let c = match checked_in {
        0 | 1 => format!("{checked_in} arrivé"),
        n => format!("{n} arrivés"),
    };
    format!("{r} · {c}")
}

#[cfg(test)]
mod tests {
    use super::headcount;

    #[test]
    fn the_headcount_agrees_in_number() {
        assert_eq!(headcount(0, 0), "Aucun inscrit · 0 arrivé");
        assert_eq!(headcount(1, 1), "1 inscrit · 1 arrivé");
        assert_eq!(headcount(10, 3), "10 inscrits · 3 arrivés");
    }
}
