# Fil rouge: every word of the screen, in English.
#
# The same messages and attributes as fr.ftl, the reference; see its header. Written
# for outreach workers who read British or international English: a "rencontre" is a
# contact, a "relance" a follow-up.

## Header

app-name = Fil rouge
open-settings = Settings
close-settings = Close
sync-progress = Receiving the team's records: { $done } of { $total }

## The "Nouvelle rencontre" form

new-rencontre = New contact
channel = Channel
place = Place
place-example = e.g. sports ground, station, outside a block of flats
headcount = People (anonymous group)
headcount-minus = One person fewer
headcount-plus = One more person
pseudonym = Nickname or first name (optional)
pseudonym-hint = One person on their own: the count goes to 0.
note = Short, factual note
note-hint = The person may read it: facts, not opinions.
chars-left =
    { $count } { $count ->
        [one] character
       *[other] characters
    } left.
chars-over =
    { $count } { $count ->
        [one] character
       *[other] characters
    } too many.
save = Save
saving = Saving…
saved-at = Contact saved at { $time }.

## Today's list

today = Today
today-empty = No contacts today. Record the first one above.
today-loading = Reading today's contacts…
rencontre-count =
    { $count ->
        [one] { $count } contact
       *[other] { $count } contacts
    }
no-place = Place not given
persons =
    { $count ->
        [one] { $count } person
       *[other] { $count } people
    }
people-named = { $name } · { $persons }
edit-meta = { $time } · { $channel } · { $people }
edit = Edit
edit-title = Edit the contact
cancel = Cancel
list-unavailable = Today's contacts cannot be shown. { $reason }

## When something happened (day before month, as in the UK)

moment-today = at { $time }
moment-this-year = on { $day }/{ $month } at { $time }
moment-other-year = on { $day }/{ $month }/{ $year } at { $time }
day-and-time-today = today at { $time }

## Settings

team = Team
server-url = Team server address
enrol-code = Enrolment code
enrol-code-hint = Given by your coordinator; it works only once.
device-name = Name of this device
default-device-name = Phone
enrol = Enrol this device
enrolling = Enrolling…
enrolled = This device is now enrolled in the team.
sync-now = Sync now
syncing = Syncing…
sync-requested = Sync requested.
status-server = Server
status-no-server = none
status-pending = Changes waiting
status-last-sync = Last sync
status-never = never
status-state = Status
status-loading = Reading the sync status…
status-unavailable = Sync status unavailable
language = Language / Langue

## The status line

not-enrolled = Not enrolled in a team
offline = Offline
sync-failed = Sync failed
never-synced = Never synced
synced = Synced { $moment }
pending-changes =
    { $count ->
        [one] { $count } change waiting
       *[other] { $count } changes waiting
    }
status-with-pending = { $state } · { $pending }

## Why a sync failed

sync-failure-unreachable = Server unreachable: no network, or a wrong address.
sync-failure-unauthorized = The server refuses this device: it may have been removed from the team. Ask your coordinator for a new code.
sync-failure-version-mismatch =
    The app (version { $app }) and the server (version { $server }) do not work together: { $outdated ->
        [app] update the app
       *[server] the server needs updating
    }.
sync-failure-rate-limited = The server is receiving too many requests from this device; it will try again automatically in a moment.
sync-failure-rejected = The server refused the upload (error { $status }, “{ $code }”).
sync-failure-protocol = The server gave an unexpected answer. Try again later.
sync-failure-storage = The device's storage failed during the sync.

## Why a command failed

error-not-found = This contact no longer exists: it may have been erased.
error-corrupt = This contact is damaged and has been set aside. Tell your coordinator.
error-storage = The device could not read or save the data. Try again; if it keeps happening, restart the app.
error-not-enrolled = This device is not enrolled in a team: enrol it first in Settings.

## Rejected values
##
## $agreement is singular or plural here: English words agree in number only.

validation-nobody-met = Enter at least one person: a number of people or a nickname.
validation-channel-required = Choose a channel.
validation-partner-name-required = Give the partner: choose it from the directory or type its name.
validation-consent-scopes-required = Say what the person consented to.
validation-required =
    { $field } { $agreement ->
        [plural] are
       *[other] is
    } required.
validation-too-long =
    { $field } { $agreement ->
        [plural] are
       *[other] is
    } too long ({ $max } { $max ->
        [one] character
       *[other] characters
    } at most).
validation-out-of-range = { $field } must be between { $min } and { $max }.
validation-in-future =
    { $field } { $agreement ->
        [plural] are
       *[other] is
    } too far in the future.
validation-server-url-malformed = The server address is not valid: it looks like { $example }.
validation-enrolment-code-malformed = The enrolment code is not valid: check it with your coordinator.
validation-phone-malformed = The phone number is not valid: 6 to 15 digits, with spaces, dots or dashes if needed.
validation-malformed =
    { $field } { $agreement ->
        [plural] are
       *[other] is
    } not in the right form.
validation-consent-given-required = A referral needs the person's agreement: ask for it before referring them.
validation-consent-required = { $field } can only be recorded if the person agrees to be contacted.
validation-too-many-partners = Too many partners: { $max } at most.
validation-too-many = { $field }: { $max } at most.
validation-age-band-and-birth-year = Give the year of birth or the age band, not both.
validation-age-band-and-minor = The age band does not match the “under 18” box.
validation-conflict =
    { $field } { $agreement ->
        [plural] do
       *[other] does
    } not match { $other }.

## Fields, as a sentence names them

field-channel = The channel
    .agreement = singular
field-place = The place
    .agreement = singular
field-headcount = The number of people
    .agreement = singular
field-pseudonym = The nickname
    .agreement = singular
field-note = The note
    .agreement = singular
field-occurred-at = The date
    .agreement = singular
field-server-url = The server address
    .agreement = singular
field-enrolment-code = The enrolment code
    .agreement = singular
field-last-name = The surname
    .agreement = singular
field-birth-year = The year of birth
    .agreement = singular
field-age-band = The age band
    .agreement = singular
field-gender = The gender
    .agreement = singular
field-commune = The town
    .agreement = singular
field-qpv = The “QPV” box
    .agreement = singular
field-zrr = The “ZRR” box
    .agreement = singular
field-outre-mer = The “overseas” box
    .agreement = singular
field-categories = The public categories
    .agreement = plural
field-freins = The barriers
    .agreement = plural
field-interests = The interests
    .agreement = plural
field-skills = The skills
    .agreement = plural
field-phone = The phone number
    .agreement = singular
field-handle = The social media account
    .agreement = singular
field-referent = The key worker
    .agreement = singular
field-consent-date = The date of consent
    .agreement = singular
field-consent-scopes = What the person consented to
    .agreement = singular
field-consent-method = The form of consent
    .agreement = singular
field-stage = The stage of the pathway
    .agreement = singular
field-person-id = The person
    .agreement = singular
field-date = The date
    .agreement = singular
field-partner-id = The partner
    .agreement = singular
field-partner-name = The partner's name
    .agreement = singular
field-reason = The reason
    .agreement = singular
field-consent-given = The person's agreement
    .agreement = singular
field-status = The status
    .agreement = singular
field-outcome = The outcome
    .agreement = singular
field-rencontre-id = The contact
    .agreement = singular
field-due = The due date
    .agreement = singular
field-name = The name
    .agreement = singular
field-kind = The type
    .agreement = singular
field-partners = The partners
    .agreement = plural
field-event-id = The event
    .agreement = singular
field-first-name-or-pseudonym = The first name or nickname
    .agreement = singular
field-minor = The “under 18” box
    .agreement = singular
field-contact = The contact details
    .agreement = plural
field-checked-in-at = The arrival time
    .agreement = singular
