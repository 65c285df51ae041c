//! The vocabularies that describe a person: who they are for the funders' programmes,
//! what holds them back, what they like and can do, and what they consented to.
//!
//! Declared with the parent module's `vocabulary!` macro, in scope here because it is
//! defined above the `mod` line.

vocabulary! {
    /// The public a person belongs to, as the funders' programmes name them.
    pub enum PublicCategory {
        /// A young person aged 16–29, not in employment, education or training.
        JeuneNeet = "jeune_neet", "Jeune 16–29 ans / NEET", "Young person 16–29 / NEET";
        /// Left school without a diploma.
        Decrocheur = "decrocheur", "Décrocheur·se", "School dropout";
        /// Job seeker for a year or more.
        DemandeurEmploiLongueDuree = "demandeur_emploi_longue_duree",
            "Demandeur·se d'emploi longue durée", "Long-term job seeker";
        /// Receives the RSA (minimum income).
        BeneficiaireRsa = "beneficiaire_rsa", "Bénéficiaire du RSA", "Minimum income recipient";
        /// An older person.
        Senior = "senior", "Senior", "Senior";
        /// A refugee or beneficiary of international protection.
        Refugie = "refugie", "Réfugié·e", "Refugee";
        /// A person with a disability.
        Handicap = "handicap", "Personne en situation de handicap", "Person with a disability";
        /// Cannot read and write, or cannot use digital services.
        Illettrisme = "illettrisme_illectronisme", "Illettrisme / illectronisme",
            "Illiteracy / digital illiteracy";
        /// Homeless.
        SansDomicile = "sans_domicile", "Sans domicile", "Homeless";
    }
}

vocabulary! {
    /// An obstacle on the person's path (*frein périphérique*). Some are sensitive data.
    pub enum Frein {
        /// Health.
        Sante = "sante", "Santé", "Health";
        /// Getting around.
        Mobilite = "mobilite", "Mobilité", "Mobility";
        /// Housing.
        Logement = "logement", "Logement", "Housing";
        /// Money.
        PrecariteFinanciere = "precarite_financiere", "Précarité financière", "Financial hardship";
        /// Being alone.
        Isolement = "isolement", "Isolement", "Isolation";
        /// Children or relatives to care for.
        ChargeDeFamille = "charge_de_famille", "Charge de famille", "Family responsibilities";
        /// French language.
        Langue = "langue", "Langue", "Language";
        /// Digital access or skills.
        Numerique = "numerique", "Numérique", "Digital";
        /// Legal proceedings, prison.
        Justice = "justice", "Justice", "Justice";
        /// Addictions.
        Addictions = "addictions", "Addictions", "Addictions";
    }
}

vocabulary! {
    /// What a person likes: a way in for remobilisation activities.
    pub enum Interest {
        /// Sport.
        Sport = "sport", "Sport", "Sport";
        /// Video games.
        JeuxVideo = "jeux_video", "Jeux vidéo", "Video games";
        /// Music.
        Musique = "musique", "Musique", "Music";
        /// Culture.
        Culture = "culture", "Culture", "Culture";
        /// Cooking.
        Cuisine = "cuisine", "Cuisine", "Cooking";
        /// Nature, outdoors.
        Nature = "nature", "Nature", "Nature";
        /// Digital, computers.
        Numerique = "numerique", "Numérique", "Digital";
        /// Something else.
        Autre = "autre", "Autre", "Other";
    }
}

vocabulary! {
    /// A skill the person revealed, often without knowing they had it.
    pub enum Skill {
        /// Perseverance.
        Perseverance = "perseverance", "Persévérance", "Perseverance";
        /// Team spirit.
        EspritDEquipe = "esprit_d_equipe", "Esprit d'équipe", "Team spirit";
        /// Leadership.
        Leadership = "leadership", "Leadership", "Leadership";
        /// Creativity.
        Creativite = "creativite", "Créativité", "Creativity";
        /// Autonomy.
        Autonomie = "autonomie", "Autonomie", "Autonomy";
        /// Communication.
        Communication = "communication", "Communication", "Communication";
        /// Reliability.
        Fiabilite = "fiabilite", "Fiabilité", "Reliability";
        /// Helping others.
        Entraide = "entraide", "Entraide", "Mutual aid";
    }
}

vocabulary! {
    /// A rough age, when the birth year is unknown or not asked.
    pub enum AgeBand {
        /// Under 16.
        Under16 = "moins_16", "Moins de 16 ans", "Under 16";
        /// 16 or 17.
        From16To17 = "16_17", "16–17 ans", "16–17";
        /// 18 to 25.
        From18To25 = "18_25", "18–25 ans", "18–25";
        /// 26 to 29.
        From26To29 = "26_29", "26–29 ans", "26–29";
        /// 30 to 49.
        From30To49 = "30_49", "30–49 ans", "30–49";
        /// 50 or more.
        From50 = "50_plus", "50 ans et plus", "50 and over";
    }
}

impl AgeBand {
    /// Whether everyone in this band is under 18.
    pub const fn is_minor(self) -> bool {
        matches!(self, AgeBand::Under16 | AgeBand::From16To17)
    }
}

vocabulary! {
    /// Gender, as the person states it; optional.
    pub enum Gender {
        /// Woman.
        Femme = "femme", "Femme", "Woman";
        /// Man.
        Homme = "homme", "Homme", "Man";
        /// Another gender.
        Autre = "autre", "Autre", "Other";
        /// Not stated.
        NonPrecise = "non_precise", "Non précisé", "Not stated";
    }
}

vocabulary! {
    /// What a person agreed to.
    pub enum ConsentScope {
        /// Being followed by the team.
        SuiviEquipe = "suivi_equipe", "Suivi par l'équipe", "Followed by the team";
        /// Sharing with a partner.
        PartagePartenaire = "partage_partenaire", "Partage avec un partenaire",
            "Sharing with a partner";
        /// Being contacted by phone or messaging; required to keep contact means.
        Contact = "contact", "Contact par téléphone ou messagerie",
            "Contact by phone or messaging";
    }
}

vocabulary! {
    /// How a consent was given.
    pub enum ConsentMethod {
        /// Said aloud.
        Oral = "oral", "Oral", "Oral";
        /// Signed on paper.
        Ecrit = "ecrit", "Écrit", "Written";
        /// Given on a screen or by message.
        Numerique = "numerique", "Numérique", "Digital";
    }
}
