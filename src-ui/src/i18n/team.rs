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
