//! The ids of the fixed messages the components show, one constant each.
//!
//! A component writes `i18n.t(key::SAVE)`, never the id itself: [`Key`] can only be
//! made inside [`crate::i18n`], so every id the app can ask for is written in this
//! module tree, where a test finds them all and checks each against both `.ftl` files.
//! Messages with variables (counts, times, errors) are reached through the sentence
//! builders of [`crate::i18n`], which hold their own ids.

use super::Key;

pub use super::team::{
    CREATE_INVITE, CREATING_INVITE, DEVICES_LOADING, DEVICES_SHOW, DEVICES_TITLE, INVITE_HINT,
    INVITE_HOW, INVITE_HOW_SEALED, INVITE_QR, INVITE_ROLE, INVITE_TITLE, NOTICE_DPO, NOTICE_HINT,
    NOTICE_HOLDER, NOTICE_SAVE, NOTICE_TITLE, NOTICE_WORDS_EN, NOTICE_WORDS_FR, RECOVERY_CANCEL,
    RECOVERY_CONFIRM, RECOVERY_CREATE, RECOVERY_CREATING, RECOVERY_HIDE, RECOVERY_HINT,
    RECOVERY_INPUT, RECOVERY_PRINT, RECOVERY_RECOVER, RECOVERY_REPLACE, RECOVERY_SHOWN_ONCE,
    RECOVERY_TITLE, RECOVERY_USE, REVOKE, REVOKE_CANCEL, REVOKE_CONFIRM, SEAL_CANCEL, SEAL_CONFIRM,
    SEAL_DONE, SEAL_HINT, SEAL_SEALING, SEAL_START, SEAL_TITLE, SEAL_WARNING, THIS_DEVICE,
};

/// The app's name, in the header.
pub const APP_NAME: Key = Key("app-name");
/// The settings button, and the settings panel's title.
pub const OPEN_SETTINGS: Key = Key("open-settings");
/// Closes the settings panel.
pub const CLOSE_SETTINGS: Key = Key("close-settings");

/// Title of the form, and the big button on Aujourd'hui that opens it.
pub const NEW_RENCONTRE: Key = Key("new-rencontre");
/// The big button when the form, closed, holds a rencontre not saved yet.
pub const RESUME_RENCONTRE: Key = Key("resume-rencontre");
/// The button that closes the form, keeping what it holds.
pub const CLOSE_FORM: Key = Key("close-form");
/// Accessible name of that button: says that nothing typed is lost.
pub const CLOSE_FORM_LABEL: Key = Key("close-form-label");
/// Legend of the channel chips.
pub const CHANNEL: Key = Key("channel");
/// Label of the place input.
pub const PLACE: Key = Key("place");
/// Example shown in the empty place input.
pub const PLACE_EXAMPLE: Key = Key("place-example");
/// Label of the headcount stepper.
pub const HEADCOUNT: Key = Key("headcount");
/// Accessible name of the minus button.
pub const HEADCOUNT_MINUS: Key = Key("headcount-minus");
/// Accessible name of the plus button.
pub const HEADCOUNT_PLUS: Key = Key("headcount-plus");
/// Label of the note.
pub const NOTE: Key = Key("note");
/// Help under the note.
pub const NOTE_HINT: Key = Key("note-hint");
/// The save button.
pub const SAVE: Key = Key("save");
/// The save button while saving.
pub const SAVING: Key = Key("saving");

/// Title of today's list.
pub const TODAY: Key = Key("today");
/// Today's list when it is empty.
pub const TODAY_EMPTY: Key = Key("today-empty");
/// Today's list while it is being read.
pub const TODAY_LOADING: Key = Key("today-loading");
/// Shown for a rencontre recorded without a place.
pub const NO_PLACE: Key = Key("no-place");
/// The visible invitation to edit a row.
pub const EDIT: Key = Key("edit");
/// Accessible name of the inline edit form.
pub const EDIT_TITLE: Key = Key("edit-title");
/// Above the inline edit form: the row's time, channel and people (`t_args` with
/// `time`, `channel` and `people`).
pub const EDIT_META: Key = Key("edit-meta");
/// Leaves an edit without saving.
pub const CANCEL: Key = Key("cancel");

/// Title of the team part of the settings.
pub const TEAM: Key = Key("team");
/// Label of the server address input.
pub const SERVER_URL: Key = Key("server-url");
/// Label of the enrolment code input.
pub const ENROL_CODE: Key = Key("enrol-code");
/// Help under the enrolment code.
pub const ENROL_CODE_HINT: Key = Key("enrol-code-hint");
/// Label of the device name input.
pub const DEVICE_NAME: Key = Key("device-name");
/// The device name proposed by default, and used when the name is left empty.
pub const DEFAULT_DEVICE_NAME: Key = Key("default-device-name");
/// The enrol button.
pub const ENROL: Key = Key("enrol");
/// The enrol button while enrolling.
pub const ENROLLING: Key = Key("enrolling");
/// Confirmation after enrolling.
pub const ENROLLED: Key = Key("enrolled");
/// The sync button.
pub const SYNC_NOW: Key = Key("sync-now");
/// The sync button, and the status line, while a sync runs.
pub const SYNCING: Key = Key("syncing");
/// Confirmation after asking for a sync.
pub const SYNC_REQUESTED: Key = Key("sync-requested");
/// Term for the server in the settings summary.
pub const STATUS_SERVER: Key = Key("status-server");
/// Value when there is no server.
pub const STATUS_NO_SERVER: Key = Key("status-no-server");
/// Term for the waiting changes in the settings summary.
pub const STATUS_PENDING: Key = Key("status-pending");
/// Term for the last sync in the settings summary.
pub const STATUS_LAST_SYNC: Key = Key("status-last-sync");
/// Value when no sync ever succeeded.
pub const STATUS_NEVER: Key = Key("status-never");
/// Term for the current state in the settings summary.
pub const STATUS_STATE: Key = Key("status-state");
/// Status line before the status is known.
pub const STATUS_LOADING: Key = Key("status-loading");
/// Status line when the status cannot be read.
pub const STATUS_UNAVAILABLE: Key = Key("status-unavailable");
/// Legend of the language choice, in both languages.
pub const LANGUAGE: Key = Key("language");
