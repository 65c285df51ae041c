//! The words of "Inviter un appareil": a coordinator's code for a new device of the
//! team, and the roles it can give.

use filrouge_model::sync::Role;

use super::sentences::day_and_time;
use super::{Key, Lang, tr, tr_args};
use crate::clock::LocalTime;

/// Title of the part.
pub const INVITE_TITLE: Key = Key("team-invite-title");
/// What it is for.
pub const INVITE_HINT: Key = Key("team-invite-hint");
/// Legend of the role chips.
pub const INVITE_ROLE: Key = Key("team-invite-role");
/// The button.
pub const CREATE_INVITE: Key = Key("team-create-invite");
/// The button while the server is asked.
pub const CREATING_INVITE: Key = Key("team-creating-invite");
/// Accessible name of the QR code.
pub const INVITE_QR: Key = Key("team-invite-qr");
/// What to do with the code on the new device.
pub const INVITE_HOW: Key = Key("team-invite-how");
/// The same, when the link carries the team's key: the code alone opens no data.
pub const INVITE_HOW_SEALED: Key = Key("team-invite-how-sealed");

/// Title of the team's devices.
pub const DEVICES_TITLE: Key = Key("team-devices-title");
/// The button that reads them from the server.
pub const DEVICES_SHOW: Key = Key("team-devices-show");
/// That button while the server answers.
pub const DEVICES_LOADING: Key = Key("team-devices-loading");
/// The device showing the list.
pub const THIS_DEVICE: Key = Key("team-device-this");
/// The first tap of a revocation.
pub const REVOKE: Key = Key("team-device-revoke");
/// The second tap.
pub const REVOKE_CONFIRM: Key = Key("team-device-revoke-confirm");
/// Changing one's mind.
pub const REVOKE_CANCEL: Key = Key("team-device-revoke-cancel");

/// Title of the recovery key's part.
pub const RECOVERY_TITLE: Key = Key("team-recovery-title");
/// What the recovery key is for.
pub const RECOVERY_HINT: Key = Key("team-recovery-hint");
/// The button that makes it.
pub const RECOVERY_CREATE: Key = Key("team-recovery-create");
/// That button while the server is asked.
pub const RECOVERY_CREATING: Key = Key("team-recovery-creating");
/// The question before a new key replaces the old one.
pub const RECOVERY_REPLACE: Key = Key("team-recovery-replace");
/// Its yes.
pub const RECOVERY_CONFIRM: Key = Key("team-recovery-confirm");
/// Its no.
pub const RECOVERY_CANCEL: Key = Key("team-recovery-cancel");
/// Under the key shown: now or never.
pub const RECOVERY_SHOWN_ONCE: Key = Key("team-recovery-shown-once");
/// Prints the key alone.
pub const RECOVERY_PRINT: Key = Key("team-recovery-print");
/// Hides the key once put away.
pub const RECOVERY_HIDE: Key = Key("team-recovery-hide");
/// The fold that holds the recovery's input.
pub const RECOVERY_USE: Key = Key("team-recovery-use");
/// Label of the input.
pub const RECOVERY_INPUT: Key = Key("team-recovery-input");
/// The button that recovers.
pub const RECOVERY_RECOVER: Key = Key("team-recovery-recover");

/// Title of the part that seals a history begun in clear.
pub const SEAL_TITLE: Key = Key("team-seal-title");
/// What sealing does.
pub const SEAL_HINT: Key = Key("team-seal-hint");
/// What it asks of the team's other devices, said before the second tap.
pub const SEAL_WARNING: Key = Key("team-seal-warning");
/// The first tap.
pub const SEAL_START: Key = Key("team-seal-start");
/// The second.
pub const SEAL_CONFIRM: Key = Key("team-seal-confirm");
/// Changing one's mind.
pub const SEAL_CANCEL: Key = Key("team-seal-cancel");
/// The button while the device catches up and asks.
pub const SEAL_SEALING: Key = Key("team-seal-sealing");
/// Once the server started sealing.
pub const SEAL_DONE: Key = Key("team-seal-done");

/// Title of the information notice's part.
pub const NOTICE_TITLE: Key = Key("team-notice-title");
/// What it is for.
pub const NOTICE_HINT: Key = Key("team-notice-hint");
/// Label of the holder.
pub const NOTICE_HOLDER: Key = Key("team-notice-holder");
/// Label of the DPO's contact.
pub const NOTICE_DPO: Key = Key("team-notice-dpo");
/// Label of the team's own words in French.
pub const NOTICE_WORDS_FR: Key = Key("team-notice-words-fr");
/// Label of the team's own words in English.
pub const NOTICE_WORDS_EN: Key = Key("team-notice-words-en");
/// The button.
pub const NOTICE_SAVE: Key = Key("team-notice-save");

/// Under the notice: its version, "Version en vigueur : 2026-12-03-0a1b2c3d" (after a
/// save: "Enregistrée. …").
pub fn notice_version(lang: Lang, version: &str, saved: bool) -> String {
    let key = if saved {
        Key("team-notice-saved")
    } else {
        Key("team-notice-version")
    };
    tr_args(lang, key, &[("version", version.to_owned().into())])
}

/// After a recovery: "3 clés d'équipe retrouvées : …".
pub fn recovered(lang: Lang, count: u32) -> String {
    tr_args(
        lang,
        Key("team-recovery-recovered"),
        &[("count", count.into())],
    )
}

/// Under a device's name: its role and when it joined, "Intervenant·e · associé le
/// 24/11 à 14:32".
pub fn device_meta(lang: Lang, role: Role, enrolled: LocalTime, now: LocalTime) -> String {
    tr_args(
        lang,
        Key("team-device-meta"),
        &[
            ("role", role_label(lang, role).into()),
            ("when", day_and_time(lang, enrolled, now).into()),
        ],
    )
}

/// A revoked device's state: "Retiré le 24/11 à 14:32".
pub fn device_revoked(lang: Lang, at: LocalTime, now: LocalTime) -> String {
    tr_args(
        lang,
        Key("team-device-revoked"),
        &[("when", day_and_time(lang, at, now).into())],
    )
}

/// The confirmation's sentence, naming the device and what follows.
pub fn revoke_question(lang: Lang, name: &str) -> String {
    tr_args(
        lang,
        Key("team-device-revoke-question"),
        &[("name", name.to_owned().into())],
    )
}

/// A role as a chip names it: "Intervenant·e", "Coordination".
pub fn role_label(lang: Lang, role: Role) -> String {
    tr(
        lang,
        match role {
            Role::Intervenant => Key("team-role-intervenant"),
            Role::Coordinateur => Key("team-role-coordinateur"),
        },
    )
}

/// Under the code: what it gives and until when, "Pour un·e intervenant·e, une seule
/// fois, jusqu'à demain…".
pub fn invite_valid_until(lang: Lang, until: LocalTime, now: LocalTime, role: Role) -> String {
    tr_args(
        lang,
        Key("team-invite-valid-until"),
        &[
            ("role", role.as_str().into()),
            ("until", day_and_time(lang, until, now).into()),
        ],
    )
}
