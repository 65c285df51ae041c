//! Erasure of a person from the coordinator's laptop: why it is done, and what the
//! register keeps of it (the reason, the day, how many records: nothing about whom).

use serde::{Deserialize, Serialize};

use crate::Day;
use crate::vocab::vocabulary;

vocabulary! {
    /// Why a person is erased.
    pub enum ErasureReason {
        /// The person asked (RGPD article 17).
        Demande = "demande", "Demande de la personne (droit à l'effacement)",
            "The person asked (right to erasure)";
        /// The retention period is over.
        Conservation = "conservation", "Fin de la durée de conservation",
            "End of the retention period";
        /// Recorded by mistake.
        Erreur = "erreur", "Saisie par erreur", "Recorded by mistake";
    }
}

/// One line of the erasure register: no name, no id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErasureEntry {
    /// When.
    pub day: Day,
    /// Why.
    pub reason: ErasureReason,
    /// How many records were erased (the person, their stages, orientations, relances,
    /// registrations, and the rencontres that named only them, counted again
    /// anonymously).
    pub records: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erasure_reason_codes_are_pinned() {
        crate::vocab::tests::check::<ErasureReason>();
        let codes: Vec<&str> = ErasureReason::ALL.iter().map(|r| r.code()).collect();
        assert_eq!(codes, ["demande", "conservation", "erreur"]);
    }
}
