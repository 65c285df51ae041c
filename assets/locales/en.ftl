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
# The server was restored from a backup or replaced: this device sends it back every record it holds.
sync-heal-progress = The server lost records: sending back { $done } of { $total }

## The "Nouvelle rencontre" form

new-rencontre = New contact
resume-rencontre = Resume the contact in progress
close-form = Close
close-form-label = Close the form (what you typed is kept)
channel = Channel
place = Place
place-example = e.g. sports ground, station, outside a block of flats
headcount = People (anonymous group)
headcount-minus = One person fewer
headcount-plus = One more person
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
today-empty = No contacts today. Tap “New contact” to record the first one.
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
enrol-code-hint = Given by your coordinator; it works once. An invitation link pasted here fills in the address too.
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
sync-failure-revoked = This device was removed from the team: what it held has been erased. To use it again, ask your coordinator for a new invitation.
sync-failure-version-mismatch =
    The app (version { $app }) and the server (version { $server }) do not work together: { $outdated ->
        [app] update the app
       *[server] the server needs updating
    }.
sync-failure-rate-limited = The server is receiving too many requests from this device; it will try again automatically in a moment.
sync-failure-forbidden = Only a coordinator's device can do this: ask your coordinator.
sync-failure-invalid-code = This enrolment code does not work: it was already used, it has expired, or it was mistyped. Ask your coordinator for a new one.
sync-failure-rejected = The server refused the request (error { $status }). Try again later; if it keeps happening, tell your coordinator.
sync-failure-too-large = The server refused an upload that was too large. Tell your coordinator.
sync-failure-bad-request = The server did not understand a request from the app. Update the app; if it keeps happening, tell your coordinator.
sync-failure-incompatible = The app and the server do not work together: update the app.
sync-failure-stale-epoch = The team's key changed (a device was removed) and this device has not received it yet: a coordinator's device passes it on at its next sync. What you recorded stays on this device.
sync-failure-reseal-needed = New data reached the server during the erasure, so it did not go through. Try again: nothing was half erased.
sync-failure-access-chain-break = The server refuses this device's access log: it does not follow what it already received. Tell the coordination; what you recorded stays on this device.
sync-failure-server-error = The server ran into an error; it will try again automatically in a moment.
sync-failure-protocol = The server gave an unexpected answer. Try again later.
sync-failure-untrusted = The server does not show the expected certificate: nothing was sent. If it changed its key, ask your coordinator for a new invitation.
sync-failure-insecure = Unsafe address: only an https server is accepted (http only on this very device). Nothing was sent.
sync-failure-storage = The device's storage failed during the sync.
sync-failure-no-team-key = Your team now encrypts its data and this device does not have the key: ask the coordination for a new invitation and open its link on this device, in the settings (or, if every device of the team was lost, recover its keys with the recovery key). What you recorded stays here and will leave encrypted.

## Why a command failed

error-not-found = This contact no longer exists: it may have been erased.
error-corrupt = This contact is damaged and has been set aside. Tell your coordinator.
error-storage = The device could not read or save the data. Try again; if it keeps happening, restart the app.
error-not-enrolled = This device is not enrolled in a team: enrol it first in Settings.
error-interrupted = The action stopped before it finished. Check whether it was saved, then try again.
error-locked = The notebook is locked: unlock it to go on.
error-key-destroyed = The notebook's key was destroyed after too many wrong attempts: what it held can no longer be read.
error-keystore = The device's keyring does not answer: without it the PIN cannot open the notebook. Unlock the device's session, then restart the app. No attempt was counted.
error-team-key-none = This device does not hold the team's key: invite it with an invitation link, or get the keys back with the recovery key.
error-team-key-not-the-teams = This recovery key is not the team's (a newer one may have replaced it).
error-team-key-already-sealed = The team already encrypts its data: another coordination device may have encrypted the history first. Ask it for an invitation for this device.
error-team-key-log-moving = The team's devices are still sending records: try again in a moment, once they have finished syncing.
error-coordinator-only = Only a coordinator's device can do this.
error-spreadsheet = This file does not read as a spreadsheet (CSV or XLSX): { $reason }.
error-definitions = The team's indicators file (indicateurs.json) cannot be used: { $reason }. Fix or remove it; the default indicators work without it.

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
field-period = The period
    .agreement = singular
field-worker = The worker who recorded it
    .agreement = singular
field-recovery-key = The recovery key
    .agreement = singular
field-exit = The kind of exit
    .agreement = singular

## Persons, relances, caseload

people-navigation = Screens
people-persons = People
people-relances = Follow-ups
people-add-person = Add a person
people-add-person-hint = Type a nickname: pick the person, or create them. Optional for a group.
people-added-persons = People met
people-search-persons = Find a person
people-search-empty = Type the first letters of a nickname or a name.
people-no-match = Nobody matches. Check the spelling, or create the person from a contact.
people-more-details = Needs, actions, time, next step
people-needs = Needs expressed
people-actions = What was done
people-next-step = Next step agreed
people-follow-up = Follow up on
people-my-follow-ups = My caseload
people-say-who-you-are = Give your first name in Settings to see the people you are the key worker of.
people-no-follow-ups = Nobody has you as key worker yet.
people-back = Back
people-person-loading = Reading the record…
people-stage = Stage of the path
people-no-stage = No stage yet
people-referent = Key worker
people-no-referent = Nobody yet
people-consent = Consent
people-no-consent = Not given: no contact details can be kept.
people-change-stage = Change stage
people-new-stage = New stage
people-exit-kind = Kind of exit
people-bad-date = Enter a full date: day, month and year.
people-date = Date
people-save-stage = Save the stage
people-plan-relance = Plan a follow-up
people-relance-reason = What to do
people-save-relance = Plan
people-timeline = Contacts and stages
people-timeline-empty = Nothing yet. Add this person to a contact, or change their stage.
people-stage-saved = Stage saved.
people-relance-saved = Follow-up planned.
people-relances-today = To follow up
people-relances-empty = No follow-up due today.
people-done = Done
people-postpone = In 7 days
people-group = Group
people-worker-name = Your first name (key worker of follow-ups)
people-worker-name-hint = Your follow-ups are under this name. Without a name, you see the whole team's.
people-save-worker-name = Save the name
people-worker-name-saved = Name saved.

## Events

events-events = Events
events-no-events = No event yet. Create the first one below.
events-new-event = New event
events-name = Name
events-name-example = e.g. Five-a-side tournament
events-kind = Type
events-place = Place
events-create = Create the event
events-back = Events
events-loading = Reading the event…
events-mode-register = Registration
events-mode-check-in = Check-in
events-modes = Mode
events-first-name = First name or nickname
events-age-band = Age
events-minor = Under 18 (parental consent)
events-consent = I agree that the team keeps this contact to offer me other activities. I can ask for it to be erased at any time.
events-contact = Phone or social media handle (if agreed)
events-next = Next
events-registered = Registered. Next please!
events-search = Find a participant
events-no-registrations = Nobody registered yet.
events-arrived = Arrived
events-possible-duplicate = Possible duplicate
events-more-registrations = { $count ->
    [one] And { $count } more: type the first letters of a name to find them.
   *[other] And { $count } more: type the first letters of a name to find them.
}

## Partners, orientations, consent

partners-partners = Partners
partners-no-partners = No partner yet. Add those the team refers people to.
partners-new-partner = Add a partner
partners-name = Organisation name
partners-kind = Type
partners-contact = Contact (phone, email, person)
partners-commune = Town
partners-add = Add
partners-added = Partner added.
partners-orient = Refer to a partner
partners-partner = Partner
partners-other-partner = Other (type the name)
partners-partner-name = Partner's name
partners-reason = What for
partners-orient-consent = The person agrees to this referral and to what will be told to the partner.
partners-save-orientation = Refer
partners-oriented = Referral saved.
partners-record-consent = Record consent
partners-scopes = The person agrees to
partners-method = Given
partners-save-consent = Save the consent
partners-consent-saved = Consent saved.
people-create-person = New person: “{ $name }”
people-remove-person = Remove { $name }
people-never-seen = Never met
# $days is a whole number of days.
people-seen-days = { $days ->
    [0] Seen today
    [1] Seen yesterday
   *[other] Seen { $days } days ago
}
# $date is "12/11/2026".
people-consent-given = Given on { $date }
people-relances-due = { $count } to do
people-due-today = Today
people-due-late = Overdue since { $date }
people-due-on = On { $date }
# $kind is the record kind's code, $what the status, stage or channel, already in words.
people-timeline-line = { $kind ->
    [rencontre] Contact
    [etape] Stage
    [orientation] Referral
   *[relance] Follow-up
} · { $what }
events-headcount = { $registered ->
    [0] Nobody registered
   *[other] { $registered } registered
} · { $arrived } arrived
people-time = Time, if not just now
people-split-age = Ages in the group (roughly)
people-split-gender = Genders in the group (roughly)
people-save-referent = Change key worker
people-referent-saved = Key worker saved.
people-freins = Barriers
events-partners = Partners taking part
people-known = What we know about them
people-last-name = Surname (optional)
people-birth-year = Year of birth
people-age-band = Age band
people-unknown = Not given
people-gender = Gender
people-commune = Town
people-qpv = Priority neighbourhood (QPV)
people-zrr = Rural revitalisation zone (ZRR)
people-outre-mer = Overseas territory
people-categories = Groups
people-interests = What they enjoy
people-skills = Skills they showed
people-contact = How to reach them
people-phone = Phone
people-handle = Social media account
people-contact-needs-consent = To note a phone number or a social media account, first record the person's consent to be contacted (below).
people-save-known = Save what we know
people-known-saved = Saved.
people-commune-shown = Town

## Invite a device (Settings of a coordinator's device)

team-invite-title = Invite a device
team-invite-hint = For a new phone or computer of the team: a code that works once, for 24 hours.
team-invite-role = Role of the new device
team-role-intervenant = Field worker
team-role-coordinateur = Coordinator
team-create-invite = Create a code
team-creating-invite = Creating the code…
team-invite-qr = QR code of the invitation link
team-invite-how = On the new device: Settings, then the server's address and this code. Or scan the QR code and paste the link into the code field: the address fills itself in.
team-invite-how-sealed = On the new device: scan the QR code, or copy the link below, and paste it into Settings, in the code field. The link carries the team's key: with the code alone, the device joins the team but cannot read its data.
team-invite-valid-until =
    { $role ->
        [coordinateur] For a coordinator
       *[intervenant] For a field worker
    }, once only. Expires { $until }.

team-notice-title = Information notice
team-notice-hint = What every consent receipt says about the team: who holds the data, who answers people's requests (the data protection officer), and your own words. Each consent keeps the version in force on the day it is given.
team-notice-holder = Who holds the data (the association's name and address)
team-notice-dpo = Contact for people's rights (DPO: address, e-mail, phone)
team-notice-words-fr = Your own words, in French (optional)
team-notice-words-en = Your own words, in English (optional)
team-notice-save = Save the notice
team-notice-version = Version in force: { $version }
team-notice-saved = Notice saved. Version in force: { $version }
team-seal-title = Encrypt the team's history
team-seal-hint = This team's data began on the server before end-to-end encryption: the server can still read it. Encrypting the history sends it back encrypted with a key only your devices hold, and the server deletes its readable copies.
team-seal-warning = Afterwards, every other device of the team must be invited again, with one invitation link per device; then remove the old one. Until then they receive nothing and keep what they record. This device must stay online while it sends everything back. Continue?
team-seal-start = Encrypt the history
team-seal-confirm = Yes, encrypt the history
team-seal-cancel = Cancel
team-seal-sealing = Encrypting…
team-seal-done = The history is encrypted: it goes back to the server during the next syncs. Now invite the team's other devices again.
team-recovery-title = Recovery key
team-recovery-hint = The server cannot read the team's data. If every one of its devices were lost, only the recovery key could get it back: make it once, print it or copy it out, and keep it in the association's safe. Without a device and without this key, the data is lost.
team-recovery-create = Make the recovery key
team-recovery-creating = Making it…
team-recovery-replace = A new key replaces the previous one, which will no longer work. Go on?
team-recovery-confirm = Yes, make a new key
team-recovery-cancel = Cancel
team-recovery-shown-once = Copy it out or print it now: it will never be shown again, and it is kept nowhere on this device.
team-recovery-print = Print the key
team-recovery-hide = I have put the key away
team-recovery-use = Get the team's keys back with the recovery key
team-recovery-input = Recovery key
team-recovery-recover = Get the keys back
team-recovery-recovered = { $count ->
    [one] One team key recovered: the team's data opens again.
   *[other] { $count } team keys recovered: the team's data opens again.
}
team-devices-title = Team devices
team-devices-show = Show the devices
team-devices-loading = Reading the devices…
team-device-this = This device
team-device-meta = { $role } · enrolled { $when }
team-device-revoked = Removed { $when }
team-device-revoke = Remove
team-device-revoke-question = Remove “{ $name }” from the team? It will no longer sync; what it has not sent yet stays on it.
team-device-revoke-confirm = Confirm the removal
team-device-revoke-cancel = Cancel

## The lock
##
## $min is the shortest secret accepted; $left the attempts left before the store's key
## is destroyed; $seconds a wait in whole seconds; $n a number of minutes.

lock-setup-title = Protect this notebook
lock-setup-pin-help = Choose a PIN of at least { $min } digits. It encrypts everything this device keeps: without it, nobody can read it. After 10 wrong PINs, everything is erased.
lock-setup-passphrase-help = Choose a passphrase of at least { $min } characters, for instance four words. It encrypts everything this device keeps: without it, nobody can read it. After 10 wrong attempts, everything is erased.
lock-locked-title = Notebook locked
lock-destroyed-title = Notebook erased
lock-destroyed-text = After 10 wrong attempts the notebook's key was destroyed: what it held can no longer be read, and what was not synced is lost. Choose a new secret, then ask your coordinator for an invitation.
lock-pin-label = PIN
lock-passphrase-label = Passphrase
lock-confirm-label = Once more
lock-mismatch = The two are not the same.
lock-choose = Protect the notebook
lock-unlock = Unlock
lock-opening = Opening…
lock-now = Lock
lock-weak-pin = The PIN needs at least { $min } digits, and nothing else.
lock-weak-passphrase = The passphrase needs at least { $min } characters.
lock-wrong = That is not the right secret. { $left } attempts left.
lock-wrong-last = That is not the right secret. Careful: after { $left ->
    [one] one more wrong attempt
   *[other] { $left } more wrong attempts
}, everything in the notebook will be erased, including what is not synced yet.
lock-wait = Too many wrong attempts: try again in { $seconds } s.
lock-settings-title = Locking
lock-old-label = Current secret
lock-change = Change the secret
lock-changed = Secret changed. The notebook was not rewritten: only its key is sealed differently.
lock-idle-label = Lock after
lock-minutes = { $n } min
lock-lease-title = Sync needed
lock-lease-text = This device has not synced for more than { $days } days: for safety it stays shut until its next sync. Connect it to a network, then tap "Sync".
lock-lease-sync = Sync
lock-lease-syncing = Sync requested: the notebook opens as soon as it succeeds.
lock-lease-setting = The team's offline lease
lock-lease-hint = A device that has not synced for this long stays shut until its next sync: a phone forgotten in a drawer no longer opens.
lock-lease-saved = Lease saved: each device learns it at its next sync.
lock-days = { $n } days
lock-new-pin-label = New PIN
lock-new-passphrase-label = New passphrase

## Coordination: the team's figures over a period.

coord-coordination = Coordination
coord-coordination-short = Coord.
coord-dashboard = Dashboard
coord-period = Period
coord-week = Week
coord-month-kind = Month
coord-quarter-kind = Quarter
coord-year-kind = Year
coord-custom = Custom
coord-from = From
coord-to = To
coord-show = Show
coord-previous = Previous period
coord-next = Next period
coord-print = Print
coord-loading = Reading the figures…
coord-rencontres = Rencontres
coord-named = Named persons
coord-anonymous = Anonymous people
coord-people-total = People met in all
coord-persons-met = Distinct persons met
coord-new-persons = New persons spotted
coord-by-channel = Rencontres by channel
coord-by-worker = Rencontres by worker
coord-by-day = Rencontres by day
coord-no-worker = Not recorded
coord-reached = Stages reached in the period
coord-stages-now = Where everyone stands today
coord-no-stage = No stage
coord-categories = Publics of the persons met
coord-territories = Territories of the persons met
coord-qpv = QPV
coord-zrr = ZRR
coord-outre-mer = Overseas
coord-orientations = Orientations
coord-partner = Partner
coord-status = Status
coord-count = Count
coord-no-partner = Partner not given
coord-overdue = Overdue relances
coord-worker = Worker
coord-events = Events
coord-registered = Registered
coord-checked-in = Present
coord-date = Date
coord-nothing = nothing in the period
coord-show-table = Show the table
coord-show-chart = Show the chart
coord-close-list = Close the list
coord-empty-list = No records.
coord-month = { $month ->
    [1] January
    [2] February
    [3] March
    [4] April
    [5] May
    [6] June
    [7] July
    [8] August
    [9] September
    [10] October
    [11] November
   *[12] December
} { $year }
coord-week-of = week of { $date }
coord-quarter = Q{ $quarter } { $year }
coord-between = from { $from } to { $to }
coord-compared = Previous period: { $before } ({ $delta })
coord-funder-table = Table for the funder
coord-funder-mode = For a funder
coord-funder-mode-help = Counts from 1 to 4 read “< 5”, and a second count too when the first could be worked out by subtraction: nobody must be recognisable.
coord-suppressed = < 5
coord-indicator = Indicator
coord-total = Total
coord-export-personal = Include names, contact means, notes and needs
coord-export-personal-warning = The file will hold personal and sensitive data: keep it on this computer or send it by a safe means, only to whoever needs it. The export is written to the export journal.
coord-export-xlsx = Export to XLSX
coord-export-csv = Export to CSV
coord-export-funder = Export the funder's table
coord-exported = File written: { $file } ({ $rows ->
    [one] { $rows } row
   *[other] { $rows } rows
}).
coord-import = Import a spreadsheet (CSV or XLSX)
coord-import-hint = The persons or rencontres of the team's spreadsheet. Every row is checked with the app's rules; while one row is refused, nothing is imported. Importing the same file twice creates nothing the second time.
coord-import-file = File
coord-import-kind = Each row is
coord-import-rencontres = A rencontre
coord-import-persons = A person
coord-import-no-column = — no column —
coord-import-check = Check
coord-import-run = Import
coord-import-rows = { $rows ->
    [one] { $rows } data row.
   *[other] { $rows } data rows.
}
coord-import-ready = { $rows } rows checked: { $created } to create, { $already } imported before.
coord-import-done = Import done: { $created } records created, { $already } imported before.
coord-import-refused = { $refused } rows refused out of { $rows }: nothing will be imported while they are.
coord-import-line = Row { $line }: { $why }
coord-import-line-column = Row { $line }, column “{ $column }”: { $why }
coord-import-unknown = unknown value “{ $value }”
coord-import-bad-date = “{ $value }” is not a date (dd/mm/yyyy or yyyy-mm-dd)
coord-import-bad-number = “{ $value }” is not a whole number
coord-import-bad-flag = “{ $value }” is neither yes nor no
coord-provisional = Provisional figures: { $count ->
    [one] one device of the team has not synced
   *[other] { $count } devices of the team have not synced
} for more than { $days } days ({ $devices }).
coord-stale-since = { $name }, last synced on { $date }
coord-stale-never = { $name }, never synced
coord-devices-unknown = Provisional figures: the team's devices could not be listed yet (no network since this device was enrolled); others' records may be missing.

## Duplicates: the coordinator's list, and the form's check.
dup-title = Possible duplicates
dup-intro = Records that could be the same person, closest first, with what brings them together. Check before deciding: nothing changes without you.
dup-search = Look for duplicates
dup-searching = Reading the records…
dup-found =
    { $count ->
        [0] No possible duplicate among { $persons } persons.
        [one] One possible pair among { $persons } persons.
       *[other] { $total } possible pairs among { $persons } persons.
    }
dup-score = Likeness: { $score } / 100
dup-why = What brings them together
dup-not-same = Not the same person
dup-dismissed = Noted: these two records will not be proposed again, on any of the team's devices.
dup-open = Open the thread
dup-born = born in { $year }
dup-referent = followed by { $name }
dup-rencontres =
    { $count ->
        [0] no encounter
        [one] 1 encounter, on { $date }
       *[other] { $count } encounters, the last on { $date }
    }
dup-reason-same-name = same name
dup-reason-sounds-alike = names that sound the same in French
dup-reason-close-name = close names ({ $percent } %)
dup-reason-nickname = a nickname of the other first name
dup-reason-swapped = first and last names swapped
dup-reason-initial = an initial for the last name
dup-reason-same-birth-year = same birth year
dup-reason-near-birth-year = birth years a year apart
dup-reason-same-age-band = same age band
dup-reason-same-commune = same commune
dup-reason-same-phone = same phone
dup-reason-same-handle = same social handle
dup-similar = A close person is already known: { $name } ({ $facts }) — is it them?
dup-similar-choose = Yes, choose { $name }

dup-merge = Merge…
dup-merge-intro = The contacts, stages, referrals, follow-ups and registrations of both records will be shown on the record kept. Nothing is deleted: the merge can be undone from the person's thread.
dup-merge-keep = Record to keep
dup-merge-pseudonym = Nickname
dup-merge-last-name = Last name
dup-merge-birth-year = Year of birth
dup-merge-commune = Town
dup-merge-confirm = Merge the two records
dup-merge-cancel = Cancel
dup-undo-merge = Undo the merge
dup-merge-undone = Merge undone: the two records are apart again, on every device of the team.
dup-merged-note = This record also holds “{ $name }” (merged on { $date }{ $by }).
dup-merged-by = , by { $name }

conflict-title = Conflicting edits
conflict-intro = One field changed at the same time on two devices that had not seen each other yet. Keep one of the values, or type the right one: the choice applies on every device of the team.
conflict-show = Show the conflicts
conflict-found =
    { $count ->
        [0] No conflict to settle.
        [one] One conflict to settle.
       *[other] { $count } conflicts to settle.
    }
conflict-keep = Keep
conflict-other = Another value
conflict-keep-typed = Keep this value
conflict-settled = Settled: the value kept applies on every device of the team.
conflict-open = Open the thread
conflict-empty = (empty)
conflict-yes = yes
conflict-no = no
conflict-this-device = this device
conflict-unknown-device = a device of the team
conflict-by = { $device }, { $when }
conflict-field-pseudonym = Nickname
conflict-field-last-name = Last name
conflict-field-birth-year = Year of birth
conflict-field-age-band = Age band
conflict-field-gender = Gender
conflict-field-commune = Town
conflict-field-referent = Key worker
conflict-field-stage = Path stage
conflict-field-phone = Phone
conflict-field-handle = Social network or messaging
conflict-field-place = Place
conflict-field-channel = Channel
conflict-field-headcount = Number of people
conflict-field-status = Status
conflict-field-due = Due
conflict-field-date = Date
conflict-field-name = Name

erase-button = Erase for good
erase-question = Erase “{ $name }” for good?
erase-what = Their record, stages, referrals, follow-ups and registrations, and the records merged with theirs, will be erased from every device of the team and from the server. The contacts stay counted, with nothing that points to them. This cannot be undone.
erase-why = Why
erase-reason-needed = Choose why the person is erased: it goes in the erasure register, without their name.
erase-confirm = Erase for good
erase-cancel = Cancel
receipt-show = Receipt for the person
receipt-title = Consent receipt
receipt-agreed = { $name } agreed on { $date } to:
receipt-purpose = Why: to be supported by the team towards training, work and their rights. This information is kept 2 years after the last contact, then erased.
receipt-holder = Who holds the data: { $holder }.
receipt-rights = To see this information, have it corrected or erased, or for any question: { $contact }. You can also complain to the CNIL (cnil.fr).
receipt-by = Recorded by { $by } ({ $method } consent). Information notice, version { $notice }.
receipt-by-team = the team
receipt-withdraw = You can withdraw your consent at any time, with no need to give a reason: tell the team. Your contact details are then erased at once.
receipt-print = Print
receipt-sms = Send by text message
consent-withdraw = Withdraw the consent
consent-withdrawn = Consent withdrawn: their contact details are erased.
access-title = Who viewed or changed this file
access-hint = From the log of every device of the team, received as they sync: each view and each change, with nothing of their content. Entries older than 12 months are purged.
access-unnamed = unnamed worker
hold-title = Retention
hold-rule = The file of a person not in contact for 2 years is erased automatically. The coordination can keep it longer, for a written reason (an ongoing procedure, a legal obligation).
hold-button = Keep beyond 2 years
hold-reason = Reason (required)
hold-confirm = Keep the file
hold-lift = Lift the hold
hold-saved = The file will be kept beyond 2 years.
hold-lifted = The file follows the 2-year rule again.
hold-by-unknown = the coordination
hold-shown = Kept beyond 2 years since { $date }, by { $by }. Reason: { $reason }

quality-title = Data quality
quality-intro = Rules over the team's records, with what each finds: to fix from the person's thread. Nothing is blocked or changed from here.
quality-check = Check
quality-open = Open the thread

quality-erasures = This device's erasure register
quality-erasure =
    { $date } · { $reason } · { $count ->
        [one] 1 record
       *[other] { $count } records
    }
