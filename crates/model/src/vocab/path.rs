//! The vocabularies of the work with a person: the stages of their path, orientations,
//! partners, events, what was done in a rencontre, and follow-up tasks.
//!
//! Declared with the parent module's `vocabulary!` macro, in scope here because it is
//! defined above the `mod` line.

vocabulary! {
    /// A stage of the person's path (*parcours*); indicators are computed from their dates.
    pub enum Stage {
        /// Spotted, not yet in contact.
        Repere = "repere", "Repéré·e", "Spotted";
        /// In contact.
        EnContact = "en_contact", "En contact", "In contact";
        /// Remobilisation activities.
        Remobilisation = "remobilisation", "Remobilisation", "Remobilisation";
        /// Followed by a referent.
        Accompagnement = "accompagnement", "Accompagnement", "Support";
        /// In training.
        Formation = "formation", "Formation", "Training";
        /// In a job.
        Emploi = "emploi", "Emploi", "Employment";
        /// Left the path (training, job, or lasting link to mainstream services).
        Sortie = "sortie", "Sortie", "Exit";
        /// Path paused.
        Suspendu = "suspendu", "Suspendu", "Suspended";
        /// Path resumed after a pause.
        Repris = "repris", "Repris", "Resumed";
        /// Contact lost.
        PerduDeVue = "perdu_de_vue", "Perdu·e de vue", "Lost contact";
    }
}

vocabulary! {
    /// How a person left the parcours (the kind of a *sortie*); every kind but `Autre`
    /// is a positive exit for the funders.
    pub enum ExitKind {
        /// Into a job.
        Emploi = "emploi", "Emploi", "Employment";
        /// Into a qualifying training.
        Formation = "formation", "Formation qualifiante", "Qualifying training";
        /// Into an apprenticeship or work-study contract.
        Apprentissage = "apprentissage", "Apprentissage / alternance", "Apprenticeship";
        /// Started their own activity.
        CreationActivite = "creation_activite", "Création d'activité", "Business start-up";
        /// Handed over to mainstream services for good.
        DroitCommun = "droit_commun", "Relais vers le droit commun",
            "Handed over to mainstream services";
        /// Any other exit.
        Autre = "autre", "Autre sortie", "Other exit";
    }
}

impl ExitKind {
    /// Whether the funders count it as a positive exit.
    pub const fn is_positive(self) -> bool {
        !matches!(self, ExitKind::Autre)
    }
}

vocabulary! {
    /// Where an orientation to a partner stands.
    pub enum OrientationStatus {
        /// Proposed to the person.
        Proposee = "proposee", "Proposée", "Proposed";
        /// Accepted by the person and the partner.
        Acceptee = "acceptee", "Acceptée", "Accepted";
        /// Done: the person went.
        Realisee = "realisee", "Réalisée", "Completed";
        /// Given up.
        Abandonnee = "abandonnee", "Abandonnée", "Abandoned";
    }
}

vocabulary! {
    /// The kind of a partner structure.
    pub enum PartnerKind {
        /// Mission locale (youth employment service).
        MissionLocale = "mission_locale", "Mission locale", "Youth employment service";
        /// France Travail (public employment service).
        FranceTravail = "france_travail", "France Travail", "Public employment service";
        /// Municipal social action centre.
        Ccas = "ccas", "CCAS", "Municipal social services";
        /// Training body.
        OrganismeFormation = "organisme_formation", "Organisme de formation", "Training provider";
        /// Health structure.
        Sante = "sante", "Santé", "Health";
        /// Housing structure.
        Logement = "logement", "Logement", "Housing";
        /// Sports club.
        ClubSportif = "club_sportif", "Club sportif", "Sports club";
        /// Employer.
        Employeur = "employeur", "Employeur", "Employer";
        /// Association.
        Association = "association", "Association", "Non-profit";
        /// Something else.
        Autre = "autre", "Autre", "Other";
    }
}

vocabulary! {
    /// The kind of an event.
    pub enum EventKind {
        /// Sports tournament.
        TournoiSportif = "tournoi_sportif", "Tournoi sportif", "Sports tournament";
        /// Esport event.
        Esport = "esport", "Esport", "Esports";
        /// Job dating.
        JobDating = "job_dating", "Job dating", "Job dating";
        /// Forum.
        Forum = "forum", "Forum", "Fair";
        /// Workshop.
        Atelier = "atelier", "Atelier", "Workshop";
        /// Cultural outing.
        SortieCulturelle = "sortie_culturelle", "Sortie culturelle", "Cultural outing";
        /// Something else.
        Autre = "autre", "Autre", "Other";
    }
}

vocabulary! {
    /// What the worker did during a rencontre.
    pub enum Action {
        /// Gave information.
        Information = "information", "Information donnée", "Information given";
        /// Immediate help (food, a bed, papers).
        AideImmediate = "aide_immediate", "Aide immédiate", "Immediate help";
        /// Oriented to a partner.
        Orientation = "orientation", "Orientation", "Referral";
        /// Went along with the person.
        AccompagnementPhysique = "accompagnement_physique", "Accompagnement physique",
            "Accompanied in person";
        /// Something else.
        Autre = "autre", "Autre", "Other";
    }
}

vocabulary! {
    /// Where a follow-up task stands.
    pub enum RelanceStatus {
        /// To do.
        AFaire = "a_faire", "À faire", "To do";
        /// Done.
        Faite = "faite", "Faite", "Done";
        /// Postponed.
        Reportee = "reportee", "Reportée", "Postponed";
        /// Cancelled.
        Annulee = "annulee", "Annulée", "Cancelled";
    }
}
