# Fil rouge: every word of the screen, in French (the app's first language).
#
# en.ftl must have exactly the same messages and attributes, each with the same
# variables in its text: `cargo test -p filrouge-ui` fails otherwise. Numbers passed
# as numbers are written by the app (narrow no-break space between thousands); years,
# versions and codes are passed as text. The names of channels and the other
# vocabularies are not here: they come from the model (`label_fr`, `label_en`).

## Header

app-name = Fil rouge
open-settings = Réglages
close-settings = Fermer
sync-progress = Réception de l'équipe : { $done } sur { $total }
# The server was restored from a backup or replaced: this device sends it back every record it holds.
sync-heal-progress = Le serveur a perdu des fiches : renvoi de { $done } sur { $total }

## The "Nouvelle rencontre" form

new-rencontre = Nouvelle rencontre
resume-rencontre = Reprendre la rencontre en cours
close-form = Fermer
close-form-label = Fermer le formulaire (ce qui est saisi est gardé)
channel = Canal
place = Lieu
place-example = ex. city stade, gare, pied d'immeuble
headcount = Personnes (groupe anonyme)
headcount-minus = Une personne de moins
headcount-plus = Une personne de plus
note = Note courte et factuelle
note-hint = La personne peut la lire : des faits, pas d'avis.
# Shown under the note as it nears its limit; $count is how many are left.
chars-left =
    Encore { $count } { $count ->
        [one] caractère
       *[other] caractères
    }.
# $count is how many characters are over the limit.
chars-over =
    { $count } { $count ->
        [one] caractère
       *[other] caractères
    } de trop.
save = Enregistrer
saving = Enregistrement…
# $time is "14:32".
saved-at = Rencontre enregistrée à { $time }.

## Today's list

today = Aujourd'hui
today-empty = Aucune rencontre aujourd'hui. Touchez « Nouvelle rencontre » pour enregistrer la première.
today-loading = Lecture des rencontres…
rencontre-count =
    { $count ->
        [one] { $count } rencontre
       *[other] { $count } rencontres
    }
no-place = Lieu non précisé
persons =
    { $count ->
        [one] { $count } personne
       *[other] { $count } personnes
    }
# Who was met, when a pseudonym was given with a headcount: "Momo · 2 personnes".
people-named = { $name } · { $persons }
# Above the inline edit form: "14:32 · Maraude · 3 personnes".
edit-meta = { $time } · { $channel } · { $people }
edit = Modifier
edit-title = Modifier la rencontre
cancel = Annuler
# $reason is one of the error sentences below.
list-unavailable = Impossible d'afficher les rencontres. { $reason }

## When something happened ($time is "14:32", $day and $month two digits each)

moment-today = à { $time }
moment-this-year = le { $day }/{ $month } à { $time }
moment-other-year = le { $day }/{ $month }/{ $year } à { $time }
day-and-time-today = aujourd'hui à { $time }

## Settings

team = Équipe
server-url = Adresse du serveur de l'équipe
enrol-code = Code d'association
enrol-code-hint = Donné par votre coordinateur·rice ; il ne sert qu'une fois. Un lien d'invitation collé ici remplit aussi l'adresse.
device-name = Nom de cet appareil
# Also what the device is called when the name is left empty.
default-device-name = Téléphone
enrol = Associer cet appareil
enrolling = Association…
enrolled = Cet appareil est associé à l'équipe.
sync-now = Synchroniser
syncing = Synchronisation…
sync-requested = Synchronisation demandée.
status-server = Serveur
status-no-server = aucun
status-pending = Modifications en attente
status-last-sync = Dernière synchronisation
status-never = jamais
status-state = État
status-loading = Lecture de l'état de la synchronisation…
status-unavailable = État de la synchronisation indisponible
# Kept in both languages, so that someone who chose the wrong one finds the way back.
language = Langue / Language

## The status line

not-enrolled = Non associé à une équipe
offline = Hors ligne
sync-failed = Échec de la synchronisation
never-synced = Jamais synchronisé
# $moment is one of the moment-* messages.
synced = Synchronisé { $moment }
pending-changes =
    { $count ->
        [one] { $count } modification en attente
       *[other] { $count } modifications en attente
    }
status-with-pending = { $state } · { $pending }

## Why a sync failed

sync-failure-unreachable = Serveur injoignable : pas de réseau, ou adresse incorrecte.
sync-failure-unauthorized = Le serveur refuse cet appareil : il a peut-être été retiré de l'équipe. Demandez un nouveau code à votre coordinateur·rice.
sync-failure-revoked = Cet appareil a été retiré de l'équipe : ce qu'il contenait a été effacé. Pour le réutiliser, demandez une nouvelle invitation à votre coordinateur·rice.
# $outdated is "app" when the app is older than the server, "server" otherwise.
sync-failure-version-mismatch =
    L'application (version { $app }) et le serveur (version { $server }) ne sont pas compatibles : { $outdated ->
        [app] mettez à jour l'application
       *[server] le serveur doit être mis à jour
    }.
sync-failure-rate-limited = Le serveur reçoit trop de demandes de cet appareil ; nouvel essai automatique dans un moment.
sync-failure-forbidden = Seul un appareil de la coordination peut faire cela : demandez à votre coordinateur·rice.
sync-failure-invalid-code = Ce code d'association ne fonctionne pas : il a déjà servi, il a expiré, ou il a été mal recopié. Demandez-en un nouveau à votre coordinateur·rice.
# $status is the HTTP status of an answer that carried no error code this app knows.
sync-failure-rejected = Le serveur a refusé la demande (erreur { $status }). Réessayez plus tard ; si cela continue, prévenez votre coordinateur·rice.
sync-failure-too-large = Le serveur a refusé un envoi trop volumineux. Prévenez votre coordinateur·rice.
sync-failure-bad-request = Le serveur n'a pas compris une demande de l'application. Mettez l'application à jour ; si cela continue, prévenez votre coordinateur·rice.
sync-failure-incompatible = L'application et le serveur ne sont pas compatibles : mettez l'application à jour.
sync-failure-stale-epoch = La clé de l'équipe a changé (un appareil a été retiré) et cet appareil ne l'a pas encore reçue : un appareil de la coordination la lui transmet à sa prochaine synchronisation. Vos saisies restent sur cet appareil.
sync-failure-reseal-needed = Des données sont arrivées au serveur pendant l'effacement : il n'a pas abouti. Réessayez ; rien n'a été effacé à moitié.
sync-failure-access-chain-break = Le serveur refuse le journal des accès de cet appareil : il ne suit pas ce qu'il en a déjà reçu. Prévenez la coordination ; vos saisies restent sur cet appareil.
sync-failure-server-error = Le serveur a rencontré une erreur ; nouvel essai automatique dans un moment.
sync-failure-protocol = Le serveur a répondu de façon inattendue. Réessayez plus tard.
sync-failure-untrusted = Le serveur ne présente pas le certificat attendu : rien n'a été envoyé. S'il a changé de clé, demandez une nouvelle invitation à votre coordinateur·rice.
sync-failure-insecure = Adresse non sécurisée : seul un serveur en https est accepté (http seulement sur cet appareil même). Rien n'a été envoyé.
sync-failure-storage = Le stockage de l'appareil a échoué pendant la synchronisation.
sync-failure-no-team-key = Votre équipe chiffre désormais ses données et cet appareil n'en a pas la clé : demandez à la coordination une nouvelle invitation et ouvrez son lien sur cet appareil, dans les réglages (ou, si tous les appareils de l'équipe ont été perdus, retrouvez ses clés avec la clé de secours). Vos saisies restent ici et partiront chiffrées.

## Why a command failed

error-not-found = Cette rencontre n'existe plus : elle a peut-être été effacée.
error-corrupt = Cette rencontre est endommagée et a été mise de côté. Prévenez votre coordinateur·rice.
error-storage = L'appareil n'a pas pu lire ou enregistrer les données. Réessayez ; si cela continue, redémarrez l'application.
error-not-enrolled = Cet appareil n'est associé à aucune équipe : associez-le d'abord dans les Réglages.
error-interrupted = L'action s'est interrompue avant la fin. Vérifiez si elle a été enregistrée, puis réessayez.
error-locked = Le carnet est verrouillé : déverrouillez-le pour continuer.
error-key-destroyed = La clé du carnet a été détruite après trop d'essais faux : ce qu'il contenait ne peut plus être lu.
error-keystore = Le trousseau de l'appareil ne répond pas : sans lui, le code ne peut pas ouvrir le carnet. Déverrouillez la session de l'appareil, puis redémarrez l'application. Aucun essai n'a été compté.
error-team-key-none = Cet appareil ne détient pas la clé de l'équipe : il faut l'inviter avec un lien d'invitation, ou retrouver les clés avec la clé de secours.
error-team-key-not-the-teams = Cette clé de secours n'est pas celle de l'équipe (une plus récente l'a peut-être remplacée).
error-team-key-already-sealed = L'équipe chiffre déjà ses données : un autre appareil de la coordination a peut-être chiffré l'historique avant celui-ci. Demandez-lui une invitation pour cet appareil.
error-team-key-log-moving = Les appareils de l'équipe envoient encore des saisies : réessayez dans un moment, quand ils auront fini de se synchroniser.
error-coordinator-only = Seul l'appareil d'un·e coordinateur·rice peut faire cela.
error-spreadsheet = Ce fichier ne se lit pas comme un tableur (CSV ou XLSX) : { $reason }.
error-definitions = Le fichier des indicateurs de l'équipe (indicateurs.json) ne peut pas être utilisé : { $reason }. Corrigez-le ou retirez-le ; les indicateurs par défaut restent disponibles sans lui.

## Rejected values
##
## $field is one of the field-* names below, $agreement its .agreement attribute
## (masculine, feminine, masculine-plural or feminine-plural), $other another field's
## name, lower-cased by the app.

validation-nobody-met = Indiquez au moins une personne : un nombre de personnes ou un pseudo.
validation-channel-required = Choisissez un canal.
validation-partner-name-required = Indiquez le partenaire : choisissez-le dans l'annuaire ou écrivez son nom.
validation-consent-scopes-required = Indiquez à quoi la personne a consenti.
validation-required =
    { $field } { $agreement ->
        [masculine-plural] sont obligatoires
        [feminine-plural] sont obligatoires
       *[other] est obligatoire
    }.
validation-too-long =
    { $field } { $agreement ->
        [feminine] est trop longue
        [masculine-plural] sont trop longs
        [feminine-plural] sont trop longues
       *[other] est trop long
    } ({ $max } { $max ->
        [one] caractère
       *[other] caractères
    } au plus).
# $min and $max are written as they are (they may be years).
validation-out-of-range =
    { $field } { $agreement ->
        [feminine] doit être comprise
        [masculine-plural] doivent être compris
        [feminine-plural] doivent être comprises
       *[other] doit être compris
    } entre { $min } et { $max }.
validation-in-future =
    { $field } { $agreement ->
        [masculine-plural] sont
        [feminine-plural] sont
       *[other] est
    } trop loin dans le futur.
# $example is an address such as http://192.168.1.20:8787.
validation-server-url-malformed = L'adresse du serveur n'est pas valable : elle ressemble à { $example }.
validation-enrolment-code-malformed = Le code d'association n'est pas valable : vérifiez-le auprès de votre coordinateur·rice.
validation-phone-malformed = Le numéro de téléphone n'est pas valable : de 6 à 15 chiffres, avec des espaces, des points ou des tirets si besoin.
validation-malformed =
    { $field } { $agreement ->
        [masculine-plural] n'ont
        [feminine-plural] n'ont
       *[other] n'a
    } pas la bonne forme.
validation-consent-given-required = Une orientation demande l'accord de la personne : demandez-le avant de l'orienter.
validation-consent-required =
    { $field } ne peut être { $agreement ->
        [feminine] enregistrée
        [masculine-plural] enregistrés
        [feminine-plural] enregistrées
       *[other] enregistré
    } qu'avec l'accord de la personne pour être contactée.
validation-too-many-partners = Trop de partenaires : { $max } au plus.
validation-too-many = { $field } : { $max } au plus.
validation-age-band-and-birth-year = Indiquez l'année de naissance ou la tranche d'âge, pas les deux.
validation-age-band-and-minor = La tranche d'âge ne correspond pas à la case « mineur·e ».
validation-conflict =
    { $field } ne { $agreement ->
        [masculine-plural] concordent
        [feminine-plural] concordent
       *[other] concorde
    } pas avec { $other }.

## Fields, as a sentence names them

field-channel = Le canal
    .agreement = masculine
field-place = Le lieu
    .agreement = masculine
field-headcount = Le nombre de personnes
    .agreement = masculine
field-pseudonym = Le pseudo
    .agreement = masculine
field-note = La note
    .agreement = feminine
field-occurred-at = La date
    .agreement = feminine
field-server-url = L'adresse du serveur
    .agreement = feminine
field-enrolment-code = Le code d'association
    .agreement = masculine
field-last-name = Le nom de famille
    .agreement = masculine
field-birth-year = L'année de naissance
    .agreement = feminine
field-age-band = La tranche d'âge
    .agreement = feminine
field-gender = Le genre
    .agreement = masculine
field-commune = La commune
    .agreement = feminine
field-qpv = La case « QPV »
    .agreement = feminine
field-zrr = La case « ZRR »
    .agreement = feminine
field-outre-mer = La case « outre-mer »
    .agreement = feminine
field-categories = Les catégories de public
    .agreement = feminine-plural
field-freins = Les freins
    .agreement = masculine-plural
field-interests = Les centres d'intérêt
    .agreement = masculine-plural
field-skills = Les compétences
    .agreement = feminine-plural
field-phone = Le téléphone
    .agreement = masculine
field-handle = Le compte de réseau social
    .agreement = masculine
field-referent = Le ou la référent·e
    .agreement = masculine
field-consent-date = La date du consentement
    .agreement = feminine
field-consent-scopes = L'objet du consentement
    .agreement = masculine
field-consent-method = La forme du consentement
    .agreement = feminine
field-stage = L'étape du parcours
    .agreement = feminine
field-person-id = La personne
    .agreement = feminine
field-date = La date
    .agreement = feminine
field-partner-id = Le partenaire
    .agreement = masculine
field-partner-name = Le nom du partenaire
    .agreement = masculine
field-reason = Le motif
    .agreement = masculine
field-consent-given = L'accord de la personne
    .agreement = masculine
field-status = Le statut
    .agreement = masculine
field-outcome = Le résultat
    .agreement = masculine
field-rencontre-id = La rencontre
    .agreement = feminine
field-due = L'échéance
    .agreement = feminine
field-name = Le nom
    .agreement = masculine
field-kind = Le type
    .agreement = masculine
field-partners = Les partenaires
    .agreement = masculine-plural
field-event-id = L'événement
    .agreement = masculine
field-first-name-or-pseudonym = Le prénom ou pseudo
    .agreement = masculine
field-minor = La case « mineur·e »
    .agreement = feminine
field-contact = Le contact
    .agreement = masculine
field-checked-in-at = L'heure d'arrivée
    .agreement = feminine
field-period = La période
    .agreement = feminine
field-worker = L'intervenant·e qui l'a saisie
    .agreement = masculine
field-recovery-key = La clé de secours
    .agreement = feminine
field-exit = Le type de sortie
    .agreement = masculine

## Persons, relances, caseload

people-navigation = Écrans
people-persons = Personnes
people-relances = Relances
people-add-person = Ajouter une personne
people-add-person-hint = Tapez un pseudo : choisissez la personne, ou créez-la. Facultatif pour un groupe.
people-added-persons = Personnes rencontrées
people-search-persons = Chercher une personne
people-search-empty = Tapez les premières lettres d'un pseudo ou d'un nom.
people-no-match = Personne ne correspond. Vérifiez l'orthographe, ou créez la personne depuis une rencontre.
people-more-details = Besoins, actions, heure, suite à donner
people-needs = Besoins exprimés
people-actions = Ce qui a été fait
people-next-step = Prochaine étape convenue
people-follow-up = Relancer le
people-my-follow-ups = Mes suivis
people-say-who-you-are = Indiquez votre prénom dans Réglages pour voir les personnes dont vous êtes référent·e.
people-no-follow-ups = Personne ne vous a encore pour référent·e.
people-back = Retour
people-person-loading = Lecture de la fiche…
people-stage = Étape du parcours
people-no-stage = Pas encore d'étape
people-referent = Référent·e
people-no-referent = Personne pour l'instant
people-consent = Consentement
people-no-consent = Non recueilli : aucune coordonnée ne peut être enregistrée.
people-change-stage = Changer d'étape
people-new-stage = Nouvelle étape
people-exit-kind = Type de sortie
people-bad-date = Indiquez une date complète : jour, mois et année.
people-date = Date
people-save-stage = Enregistrer l'étape
people-plan-relance = Prévoir une relance
people-relance-reason = Quoi faire
people-save-relance = Prévoir
people-timeline = Fil des rencontres et des étapes
people-timeline-empty = Rien encore. Ajoutez cette personne à une rencontre, ou changez son étape.
people-stage-saved = Étape enregistrée.
people-relance-saved = Relance prévue.
people-relances-today = À relancer
people-relances-empty = Aucune relance à faire aujourd'hui.
people-done = Fait
people-postpone = Dans 7 jours
people-group = Groupe
people-worker-name = Votre prénom (référent·e des relances)
people-worker-name-hint = Vos relances sont à ce nom. Sans nom, vous voyez celles de toute l'équipe.
people-save-worker-name = Enregistrer le nom
people-worker-name-saved = Nom enregistré.

## Events

events-events = Événements
events-no-events = Aucun événement. Créez le premier ci-dessous.
events-new-event = Nouvel événement
events-name = Nom
events-name-example = ex. Tournoi du city stade
events-kind = Type
events-place = Lieu
events-create = Créer l'événement
events-back = Événements
events-loading = Lecture de l'événement…
events-mode-register = Inscriptions
events-mode-check-in = Pointage
events-modes = Mode
events-first-name = Prénom ou pseudo
events-age-band = Âge
events-minor = Mineur·e (autorisation parentale)
events-consent = J'accepte que l'équipe garde ce contact pour me proposer d'autres activités. Je peux demander à tout moment qu'il soit effacé.
events-contact = Téléphone ou pseudo de réseau (si accord)
events-next = Suivant
events-registered = Inscription enregistrée. Au suivant !
events-search = Chercher un inscrit
events-no-registrations = Aucun inscrit pour l'instant.
events-arrived = Arrivé·e
events-possible-duplicate = Doublon possible
events-more-registrations = { $count ->
    [one] Et { $count } autre : tapez les premières lettres d'un nom pour le trouver.
   *[other] Et { $count } autres : tapez les premières lettres d'un nom pour les trouver.
}

## Partners, orientations, consent

partners-partners = Partenaires
partners-no-partners = Aucun partenaire. Ajoutez ceux vers qui l'équipe oriente.
partners-new-partner = Ajouter un partenaire
partners-name = Nom de la structure
partners-kind = Type
partners-contact = Contact (téléphone, courriel, personne)
partners-commune = Commune
partners-add = Ajouter
partners-added = Partenaire ajouté.
partners-orient = Orienter vers un partenaire
partners-partner = Partenaire
partners-other-partner = Autre (saisir le nom)
partners-partner-name = Nom du partenaire
partners-reason = Pour quoi
partners-orient-consent = La personne est d'accord pour cette orientation et pour ce qui sera dit au partenaire.
partners-save-orientation = Orienter
partners-oriented = Orientation enregistrée.
partners-record-consent = Recueillir le consentement
partners-scopes = La personne accepte
partners-method = Recueilli
partners-save-consent = Enregistrer le consentement
partners-consent-saved = Consentement enregistré.
people-create-person = Nouvelle personne : « { $name } »
people-remove-person = Retirer { $name }
people-never-seen = Jamais rencontré·e
# $days is a whole number of days.
people-seen-days = { $days ->
    [0] Vu·e aujourd'hui
    [1] Vu·e hier
   *[other] Vu·e il y a { $days } jours
}
# $date is "12/11/2026".
people-consent-given = Recueilli le { $date }
people-relances-due = { $count } à faire
people-due-today = Aujourd'hui
people-due-late = En retard depuis le { $date }
people-due-on = Le { $date }
# $kind is the record kind's code, $what the status, stage or channel, already in words.
people-timeline-line = { $kind ->
    [rencontre] Rencontre
    [etape] Étape
    [orientation] Orientation
   *[relance] Relance
} · { $what }
events-headcount = { $registered ->
    [0] Aucun inscrit
    [one] { $registered } inscrit
   *[other] { $registered } inscrits
} · { $arrived ->
    [one] { $arrived } arrivé
   *[other] { $arrived } arrivés
}
people-time = Heure, si ce n'était pas à l'instant
people-split-age = Âges dans le groupe (à peu près)
people-split-gender = Genres dans le groupe (à peu près)
people-save-referent = Changer de référent·e
people-referent-saved = Référent·e enregistré·e.
people-freins = Freins
events-partners = Partenaires présents
people-known = Ce qu'on sait de la personne
people-last-name = Nom de famille (facultatif)
people-birth-year = Année de naissance
people-age-band = Tranche d'âge
people-unknown = Non renseigné
people-gender = Genre
people-commune = Commune
people-qpv = Quartier prioritaire (QPV)
people-zrr = Zone de revitalisation rurale (ZRR)
people-outre-mer = Outre-mer
people-categories = Publics
people-interests = Ce qui lui plaît
people-skills = Compétences révélées
people-contact = Moyen de contact
people-phone = Téléphone
people-handle = Compte de réseau social
people-contact-needs-consent = Pour noter un téléphone ou un compte de réseau social, recueillez d'abord le consentement de la personne à être contactée (plus bas).
people-save-known = Enregistrer ce qu'on sait
people-known-saved = Enregistré.
people-commune-shown = Commune

## Inviter un appareil (Réglages d'un appareil de la coordination)

team-invite-title = Inviter un appareil
team-invite-hint = Pour un nouveau téléphone ou ordinateur de l'équipe : un code qui ne sert qu'une fois, pendant 24 heures.
team-invite-role = Rôle du nouvel appareil
team-role-intervenant = Intervenant·e
team-role-coordinateur = Coordination
team-create-invite = Créer un code
team-creating-invite = Création du code…
team-invite-qr = QR code du lien d'invitation
team-invite-how = Sur le nouvel appareil : Réglages, puis l'adresse du serveur et ce code. Ou scannez le QR code et collez le lien obtenu dans le champ du code : l'adresse se remplit toute seule.
team-invite-how-sealed = Sur le nouvel appareil : scannez le QR code, ou copiez le lien ci-dessous, et collez-le dans Réglages, champ du code. Le lien porte la clé de l'équipe : avec le code seul, l'appareil rejoint l'équipe mais ne peut pas lire ses données.
team-invite-valid-until =
    { $role ->
        [coordinateur] Pour la coordination
       *[intervenant] Pour un·e intervenant·e
    }, une seule fois. Expire { $until }.

team-notice-title = Notice d'information
team-notice-hint = Ce que chaque reçu de consentement dit de l'équipe : qui détient les données, qui répond aux demandes des personnes (le ou la délégué·e à la protection des données), et vos propres mots. Chaque consentement garde la version en vigueur le jour où il est recueilli.
team-notice-holder = Responsable des données (nom et adresse de l'association)
team-notice-dpo = Contact pour exercer ses droits (DPO : adresse, courriel, téléphone)
team-notice-words-fr = Vos mots, en français (facultatif)
team-notice-words-en = Vos mots, en anglais (facultatif)
team-notice-save = Enregistrer la notice
team-notice-version = Version en vigueur : { $version }
team-notice-saved = Notice enregistrée. Version en vigueur : { $version }
team-seal-title = Chiffrer l'historique de l'équipe
team-seal-hint = Les données de cette équipe ont commencé sur le serveur avant le chiffrement de bout en bout : le serveur peut encore les lire. Chiffrer l'historique les lui renvoie chiffrées avec une clé que seuls vos appareils détiennent, et il efface ses copies en clair.
team-seal-warning = Ensuite, chaque autre appareil de l'équipe doit être invité à nouveau, avec un lien d'invitation par appareil ; retirez ensuite l'ancien. D'ici là, ils ne reçoivent plus rien et gardent leurs saisies. Cet appareil doit rester connecté le temps de tout renvoyer. Continuer ?
team-seal-start = Chiffrer l'historique
team-seal-confirm = Oui, chiffrer l'historique
team-seal-cancel = Annuler
team-seal-sealing = Chiffrement…
team-seal-done = L'historique est chiffré : il repart vers le serveur pendant les prochaines synchronisations. Invitez maintenant à nouveau les autres appareils de l'équipe.
team-recovery-title = Clé de secours
team-recovery-hint = Le serveur ne peut pas lire les données de l'équipe. Si tous ses appareils étaient perdus, seule la clé de secours permettrait de les retrouver : créez-la une fois, imprimez-la ou recopiez-la, et rangez-la dans le coffre de l'association. Sans appareil et sans cette clé, les données sont perdues.
team-recovery-create = Créer la clé de secours
team-recovery-creating = Création…
team-recovery-replace = Une nouvelle clé remplace la précédente, qui ne servira plus. Continuer ?
team-recovery-confirm = Oui, créer une nouvelle clé
team-recovery-cancel = Annuler
team-recovery-shown-once = Recopiez-la ou imprimez-la maintenant : elle ne sera plus jamais affichée, et elle n'est gardée nulle part sur cet appareil.
team-recovery-print = Imprimer la clé
team-recovery-hide = J'ai rangé la clé
team-recovery-use = Retrouver les clés de l'équipe avec la clé de secours
team-recovery-input = Clé de secours
team-recovery-recover = Retrouver les clés
team-recovery-recovered = { $count ->
    [one] Une clé d'équipe retrouvée : les données de l'équipe s'ouvrent à nouveau.
   *[other] { $count } clés d'équipe retrouvées : les données de l'équipe s'ouvrent à nouveau.
}
team-devices-title = Appareils de l'équipe
team-devices-show = Voir les appareils
team-devices-loading = Lecture des appareils…
team-device-this = Cet appareil
team-device-meta = { $role } · associé { $when }
team-device-revoked = Retiré { $when }
team-device-revoke = Retirer
team-device-revoke-question = Retirer « { $name } » de l'équipe ? Il ne pourra plus synchroniser ; ce qu'il n'a pas encore envoyé restera sur lui.
team-device-revoke-confirm = Confirmer le retrait
team-device-revoke-cancel = Annuler

## The lock
##
## $min is the shortest secret accepted; $left the attempts left before the store's key
## is destroyed; $seconds a wait in whole seconds; $n a number of minutes.

lock-setup-title = Protégez ce carnet
lock-setup-pin-help = Choisissez un code d'au moins { $min } chiffres. Il chiffre tout ce que l'appareil garde : sans lui, personne ne peut le lire. Après 10 codes faux, tout est effacé.
lock-setup-passphrase-help = Choisissez une phrase de passe d'au moins { $min } caractères, par exemple quatre mots. Elle chiffre tout ce que l'appareil garde : sans elle, personne ne peut le lire. Après 10 essais faux, tout est effacé.
lock-locked-title = Carnet verrouillé
lock-destroyed-title = Carnet effacé
lock-destroyed-text = Après 10 essais faux, la clé du carnet a été détruite : ce qu'il contenait ne peut plus être lu, et ce qui n'était pas synchronisé est perdu. Choisissez un nouveau secret, puis demandez une invitation à votre coordinateur·rice.
lock-pin-label = Code
lock-passphrase-label = Phrase de passe
lock-confirm-label = Encore une fois
lock-mismatch = Les deux ne sont pas identiques.
lock-choose = Protéger le carnet
lock-unlock = Déverrouiller
lock-opening = Ouverture…
lock-now = Verrouiller
lock-weak-pin = Le code doit compter au moins { $min } chiffres, et rien d'autre.
lock-weak-passphrase = La phrase de passe doit compter au moins { $min } caractères.
lock-wrong = Ce n'est pas le bon secret. Encore { $left } essais.
lock-wrong-last = Ce n'est pas le bon secret. Attention : après { $left ->
    [one] un essai faux de plus
   *[other] { $left } essais faux de plus
}, tout ce que le carnet contient sera effacé, y compris ce qui n'est pas encore synchronisé.
lock-wait = Trop d'essais faux : réessayez dans { $seconds } s.
lock-settings-title = Verrouillage
lock-old-label = Secret actuel
lock-change = Changer le secret
lock-changed = Secret changé. Le carnet n'a pas été réécrit : seule sa clé est scellée autrement.
lock-idle-label = Verrouiller après
lock-minutes = { $n } min
lock-lease-title = Synchronisation nécessaire
lock-lease-text = Cet appareil n'a pas synchronisé depuis plus de { $days } jours : par sécurité, il reste fermé jusqu'à sa prochaine synchronisation. Connectez-le à un réseau, puis touchez « Synchroniser ».
lock-lease-sync = Synchroniser
lock-lease-syncing = Synchronisation demandée : le carnet s'ouvrira dès qu'elle aura réussi.
lock-lease-setting = Bail hors ligne de l'équipe
lock-lease-hint = Un appareil qui n'a pas synchronisé depuis ce délai reste fermé jusqu'à sa prochaine synchronisation : un téléphone oublié dans un tiroir ne s'ouvre plus.
lock-lease-saved = Bail enregistré : chaque appareil l'apprend à sa prochaine synchronisation.
lock-days = { $n } jours
lock-new-pin-label = Nouveau code
lock-new-passphrase-label = Nouvelle phrase de passe

## Coordination: the team's figures over a period.

coord-coordination = Coordination
coord-coordination-short = Coord.
coord-dashboard = Tableau de bord
coord-period = Période
coord-week = Semaine
coord-month-kind = Mois
coord-quarter-kind = Trimestre
coord-year-kind = Année
coord-custom = Personnalisée
coord-from = Du
coord-to = Au
coord-show = Afficher
coord-previous = Période précédente
coord-next = Période suivante
coord-print = Imprimer
coord-loading = Lecture des chiffres…
coord-rencontres = Rencontres
coord-named = Personnes nommées
coord-anonymous = Personnes anonymes
coord-people-total = Personnes rencontrées au total
coord-persons-met = Personnes distinctes rencontrées
coord-new-persons = Nouvelles personnes repérées
coord-by-channel = Rencontres par canal
coord-by-worker = Rencontres par intervenant·e
coord-by-day = Rencontres par jour
coord-no-worker = Non renseigné
coord-reached = Étapes atteintes dans la période
coord-stages-now = Où en est chacun aujourd'hui
coord-no-stage = Sans étape
coord-categories = Publics des personnes rencontrées
coord-territories = Territoires des personnes rencontrées
coord-qpv = QPV
coord-zrr = ZRR
coord-outre-mer = Outre-mer
coord-orientations = Orientations
coord-partner = Partenaire
coord-status = Statut
coord-count = Nombre
coord-no-partner = Partenaire non précisé
coord-overdue = Relances en retard
coord-worker = Intervenant·e
coord-events = Événements
coord-registered = Inscrits
coord-checked-in = Présents
coord-date = Date
coord-nothing = rien sur la période
coord-show-table = Voir le tableau
coord-show-chart = Voir le graphique
coord-close-list = Fermer la liste
coord-empty-list = Aucun enregistrement.
coord-month = { $month ->
    [1] janvier
    [2] février
    [3] mars
    [4] avril
    [5] mai
    [6] juin
    [7] juillet
    [8] août
    [9] septembre
    [10] octobre
    [11] novembre
   *[12] décembre
} { $year }
coord-week-of = semaine du { $date }
coord-quarter = { $quarter ->
    [1] 1er
   *[other] { $quarter }e
} trimestre { $year }
coord-between = du { $from } au { $to }
coord-compared = Période précédente : { $before } ({ $delta })
coord-funder-table = Tableau pour le financeur
coord-funder-mode = Pour un financeur
coord-funder-mode-help = Les effectifs de 1 à 4 sont remplacés par « < 5 », et un second effectif aussi quand le premier se retrouverait par soustraction : une personne ne doit pas pouvoir être reconnue.
coord-suppressed = < 5
coord-indicator = Indicateur
coord-total = Total
coord-export-personal = Inclure les noms, les contacts, les notes et les freins
coord-export-personal-warning = Le fichier contiendra des données personnelles et sensibles : gardez-le sur cet ordinateur ou transmettez-le par un moyen sûr, à qui en a besoin seulement. L'export est inscrit au journal des exports.
coord-export-xlsx = Exporter en XLSX
coord-export-csv = Exporter en CSV
coord-export-funder = Exporter le tableau financeur
coord-exported = Fichier écrit : { $file } ({ $rows ->
    [one] { $rows } ligne
   *[other] { $rows } lignes
}).
coord-import = Importer un tableur (CSV ou XLSX)
coord-import-hint = Les personnes ou les rencontres du tableur de l'équipe. Chaque ligne est vérifiée avec les règles de l'application ; tant qu'une ligne est refusée, rien n'est importé. Importer deux fois le même fichier ne crée rien la seconde fois.
coord-import-file = Fichier
coord-import-kind = Chaque ligne est
coord-import-rencontres = Une rencontre
coord-import-persons = Une personne
coord-import-no-column = — aucune colonne —
coord-import-check = Vérifier
coord-import-run = Importer
coord-import-rows = { $rows ->
    [one] { $rows } ligne de données.
   *[other] { $rows } lignes de données.
}
coord-import-ready = { $rows } lignes vérifiées : { $created } à créer, { $already } déjà importées.
coord-import-done = Import terminé : { $created } fiches créées, { $already } déjà importées.
coord-import-refused = { $refused } lignes refusées sur { $rows } : rien ne sera importé tant qu'elles le sont.
coord-import-line = Ligne { $line } : { $why }
coord-import-line-column = Ligne { $line }, colonne « { $column } » : { $why }
coord-import-unknown = valeur inconnue « { $value } »
coord-import-bad-date = « { $value } » n'est pas une date (jj/mm/aaaa ou aaaa-mm-jj)
coord-import-bad-number = « { $value } » n'est pas un nombre entier
coord-import-bad-flag = « { $value } » n'est ni oui ni non
coord-provisional = Chiffres provisoires : { $count ->
    [one] un appareil de l'équipe n'a pas synchronisé
   *[other] { $count } appareils de l'équipe n'ont pas synchronisé
} depuis plus de { $days } jours ({ $devices }).
coord-stale-since = { $name }, dernière synchronisation le { $date }
coord-stale-never = { $name }, jamais synchronisé
coord-devices-unknown = Chiffres provisoires : la liste des appareils de l'équipe n'a pas encore pu être lue (pas de réseau depuis l'association de cet appareil) ; les enregistrements des autres peuvent manquer.

## Duplicates: the coordinator's list, and the form's check.
dup-title = Doublons possibles
dup-intro = Des fiches qui pourraient être la même personne, les plus proches d'abord, avec ce qui les rapproche. Vérifiez avant de décider : rien ne change sans vous.
dup-search = Chercher les doublons
dup-searching = Recherche dans les fiches…
dup-found =
    { $count ->
        [0] Aucun doublon possible parmi { $persons } personnes.
        [one] Une paire possible parmi { $persons } personnes.
       *[other] { $total } paires possibles parmi { $persons } personnes.
    }
dup-score = Ressemblance : { $score } / 100
dup-why = Ce qui les rapproche
dup-not-same = Pas la même personne
dup-dismissed = Noté : ces deux fiches ne seront plus proposées, sur aucun appareil de l'équipe.
dup-open = Voir le fil
dup-born = née ou né en { $year }
dup-referent = suivi par { $name }
dup-rencontres =
    { $count ->
        [0] aucune rencontre
        [one] 1 rencontre, le { $date }
       *[other] { $count } rencontres, la dernière le { $date }
    }
dup-reason-same-name = même nom
dup-reason-sounds-alike = même nom à la prononciation près
dup-reason-close-name = noms proches ({ $percent } %)
dup-reason-nickname = un surnom de l'autre prénom
dup-reason-swapped = prénom et nom inversés
dup-reason-initial = une initiale pour le nom
dup-reason-same-birth-year = même année de naissance
dup-reason-near-birth-year = années de naissance voisines
dup-reason-same-age-band = même tranche d'âge
dup-reason-same-commune = même commune
dup-reason-same-phone = même téléphone
dup-reason-same-handle = même identifiant de réseau
dup-similar = Une personne proche existe déjà : { $name } ({ $facts }) — c'est elle ?
dup-similar-choose = Oui, choisir { $name }

dup-merge = Fusionner…
dup-merge-intro = Les rencontres, étapes, orientations, relances et inscriptions des deux fiches seront réunies sur la fiche gardée. Rien n'est effacé : la fusion peut être annulée depuis le fil de la personne.
dup-merge-keep = Fiche à garder
dup-merge-pseudonym = Pseudo
dup-merge-last-name = Nom
dup-merge-birth-year = Année de naissance
dup-merge-commune = Commune
dup-merge-confirm = Fusionner les deux fiches
dup-merge-cancel = Annuler
dup-undo-merge = Annuler la fusion
dup-merge-undone = Fusion annulée : les deux fiches sont de nouveau séparées, sur tous les appareils de l'équipe.
dup-merged-note = Cette fiche réunit aussi « { $name } » (fusion du { $date }{ $by }).
dup-merged-by = , par { $name }

conflict-title = Modifications en conflit
conflict-intro = Un même champ changé en même temps sur deux appareils qui ne s'étaient pas encore vus. Gardez une des valeurs, ou saisissez la bonne : le choix s'applique sur tous les appareils de l'équipe.
conflict-show = Voir les conflits
conflict-found =
    { $count ->
        [0] Aucun conflit à régler.
        [one] Un conflit à régler.
       *[other] { $count } conflits à régler.
    }
conflict-keep = Garder
conflict-other = Autre valeur
conflict-keep-typed = Garder cette valeur
conflict-settled = Réglé : la valeur gardée s'applique sur tous les appareils de l'équipe.
conflict-open = Voir le fil
conflict-empty = (vide)
conflict-yes = oui
conflict-no = non
conflict-this-device = cet appareil
conflict-unknown-device = un appareil de l'équipe
conflict-by = { $device }, { $when }
conflict-field-pseudonym = Pseudo
conflict-field-last-name = Nom
conflict-field-birth-year = Année de naissance
conflict-field-age-band = Tranche d'âge
conflict-field-gender = Genre
conflict-field-commune = Commune
conflict-field-referent = Référent·e
conflict-field-stage = Étape du parcours
conflict-field-phone = Téléphone
conflict-field-handle = Réseau ou messagerie
conflict-field-place = Lieu
conflict-field-channel = Canal
conflict-field-headcount = Nombre de personnes
conflict-field-status = Statut
conflict-field-due = Échéance
conflict-field-date = Date
conflict-field-name = Nom

erase-button = Effacer définitivement
erase-question = Effacer définitivement « { $name } » ?
erase-what = Sa fiche, ses étapes, orientations, relances et inscriptions, et les fiches fusionnées avec la sienne seront effacées de tous les appareils de l'équipe et du serveur. Les rencontres restent comptées, sans rien qui la désigne. On ne pourra pas revenir en arrière.
erase-why = Pourquoi
erase-reason-needed = Choisissez pourquoi la personne est effacée : c'est noté dans le registre des effacements, sans son nom.
erase-confirm = Effacer définitivement
erase-cancel = Annuler
receipt-show = Reçu pour la personne
receipt-title = Reçu de consentement
receipt-agreed = { $name } a donné son accord le { $date } pour :
receipt-purpose = Pourquoi : être accompagné·e par l'équipe vers la formation, l'emploi et ses droits. Ces informations sont gardées 2 ans après le dernier contact, puis effacées.
receipt-holder = Responsable des données : { $holder }.
receipt-rights = Pour voir ces informations, les faire corriger ou effacer, ou pour toute question : { $contact }. Vous pouvez aussi saisir la CNIL (cnil.fr).
receipt-by = Recueilli par { $by } (accord { $method }). Notice d'information, version { $notice }.
receipt-by-team = l'équipe
receipt-withdraw = Vous pouvez retirer votre accord à tout moment, sans avoir à vous justifier : dites-le à l'équipe. Vos moyens de contact sont alors effacés aussitôt.
receipt-print = Imprimer
receipt-sms = Envoyer par SMS
consent-withdraw = Retirer le consentement
consent-withdrawn = Consentement retiré : ses moyens de contact sont effacés.
access-title = Qui a consulté ou modifié ce dossier
access-hint = Selon le journal de chaque appareil de l'équipe, reçu à la synchronisation : chaque consultation et chaque modification, sans rien de leur contenu. Les entrées de plus de 12 mois sont purgées.
access-unnamed = intervenant·e sans nom
hold-title = Conservation
hold-rule = La fiche d'une personne sans contact depuis 2 ans est effacée automatiquement. La coordination peut la conserver plus longtemps, pour un motif écrit (une procédure en cours, une obligation légale).
hold-button = Conserver au-delà de 2 ans
hold-reason = Motif (obligatoire)
hold-confirm = Conserver la fiche
hold-lift = Lever la conservation
hold-saved = La fiche sera conservée au-delà de 2 ans.
hold-lifted = La fiche suit de nouveau la règle des 2 ans.
hold-by-unknown = la coordination
hold-shown = Conservée au-delà de 2 ans depuis le { $date }, par { $by }. Motif : { $reason }

quality-title = Qualité des données
quality-intro = Des règles sur les fiches de l'équipe, avec ce que chacune trouve : à corriger depuis le fil de la personne. Rien n'est bloqué ni changé d'ici.
quality-check = Vérifier
quality-open = Voir le fil

quality-erasures = Registre des effacements de cet appareil
quality-erasure =
    { $date } · { $reason } · { $count ->
        [one] 1 fiche
       *[other] { $count } fiches
    }
