//! The words of the lock: choosing the PIN or passphrase, the lock screen, the count of
//! wrong attempts and its warning, a lost key, and changing the secret.

use filrouge_model::ipc::{LockStatus, SecretKind};

use super::{Key, Lang, tr, tr_args};

/// Title of the first screen, where the secret is chosen.
pub const SETUP_TITLE: Key = Key("lock-setup-title");
/// Title of the lock screen.
pub const LOCKED_TITLE: Key = Key("lock-locked-title");
/// Title after the key was destroyed.
pub const DESTROYED_TITLE: Key = Key("lock-destroyed-title");
/// What a destroyed key means, and what to do.
pub const DESTROYED_TEXT: Key = Key("lock-destroyed-text");
/// The second field of a new secret.
pub const CONFIRM_LABEL: Key = Key("lock-confirm-label");
/// The two fields differ.
pub const MISMATCH: Key = Key("lock-mismatch");
/// The button that seals the store with the new secret.
pub const CHOOSE: Key = Key("lock-choose");
/// The button that opens the lock.
pub const UNLOCK: Key = Key("lock-unlock");
/// Either button while the key is being derived.
pub const OPENING: Key = Key("lock-opening");
/// The header's button that locks at once.
pub const LOCK_NOW: Key = Key("lock-now");
/// Title of the settings' part about the lock.
pub const SETTINGS_TITLE: Key = Key("lock-settings-title");
/// The current secret, when changing it.
pub const OLD_LABEL: Key = Key("lock-old-label");
/// The button that changes it.
pub const CHANGE: Key = Key("lock-change");
/// Said once changed.
pub const CHANGED: Key = Key("lock-changed");
/// Label of the idle time's choice.
pub const IDLE_LABEL: Key = Key("lock-idle-label");
/// Title of the lock of a device past its offline lease.
pub const LEASE_TITLE: Key = Key("lock-lease-title");
/// Its button.
pub const LEASE_SYNC: Key = Key("lock-lease-sync");
/// Said once the button was pressed.
pub const LEASE_SYNCING: Key = Key("lock-lease-syncing");

/// Title of the coordinator's choice of the lease.
pub const LEASE_SETTING: Key = Key("lock-lease-setting");
/// What it does.
pub const LEASE_HINT: Key = Key("lock-lease-hint");
/// Said once the server took it.
pub const LEASE_SAVED: Key = Key("lock-lease-saved");

/// An option of the lease: "30 jours".
pub fn days(lang: Lang, n: u32) -> String {
    tr_args(lang, Key("lock-days"), &[("n", n.into())])
}

/// Why a device past its offline lease is shut, and what opens it.
pub fn lease_text(lang: Lang, days: u32) -> String {
    tr_args(lang, Key("lock-lease-text"), &[("days", days.into())])
}

/// The field's label: "Code" or "Phrase de passe".
pub fn secret_label(lang: Lang, kind: SecretKind) -> String {
    tr(
        lang,
        match kind {
            SecretKind::Pin => Key("lock-pin-label"),
            SecretKind::Passphrase => Key("lock-passphrase-label"),
        },
    )
}

/// The new secret's field, when changing it: "Nouveau code", "Nouvelle phrase de passe".
pub fn new_secret_label(lang: Lang, kind: SecretKind) -> String {
    tr(
        lang,
        match kind {
            SecretKind::Pin => Key("lock-new-pin-label"),
            SecretKind::Passphrase => Key("lock-new-passphrase-label"),
        },
    )
}

/// What the secret protects and its rule, on the first screen.
pub fn setup_help(lang: Lang, status: &LockStatus) -> String {
    let key = match status.kind {
        SecretKind::Pin => Key("lock-setup-pin-help"),
        SecretKind::Passphrase => Key("lock-setup-passphrase-help"),
    };
    tr_args(lang, key, &[("min", status.min_len.into())])
}

/// A new secret too short or not of its kind.
pub fn weak_secret(lang: Lang, kind: SecretKind, min_len: u32) -> String {
    let key = match kind {
        SecretKind::Pin => Key("lock-weak-pin"),
        SecretKind::Passphrase => Key("lock-weak-passphrase"),
    };
    tr_args(lang, key, &[("min", min_len.into())])
}

/// After a wrong secret: how many attempts are left, with the warning that the store is
/// erased at the end when few are.
pub fn wrong_secret(lang: Lang, attempts_left: u32) -> String {
    let key = if attempts_left <= 3 {
        Key("lock-wrong-last")
    } else {
        Key("lock-wrong")
    };
    tr_args(lang, key, &[("left", attempts_left.into())])
}

/// How long before the next attempt, in whole seconds rounded up.
pub fn wait(lang: Lang, wait_ms: i64) -> String {
    let seconds = (wait_ms.max(0) + 999) / 1000;
    tr_args(lang, Key("lock-wait"), &[("seconds", seconds.into())])
}

/// The idle choice's option: "5 min".
pub fn minutes(lang: Lang, n: u32) -> String {
    tr_args(lang, Key("lock-minutes"), &[("n", n.into())])
}
