//! The IPC commands of the team's keys: the recovery key, made once by a coordinator's
//! device and printed for the association's safe, typed into a coordinator's device
//! enrolled anew when every device holding the team's keys is gone (the key never
//! appears in `Debug`); and the sealing of a history that began in clear.

use serde::{Deserialize, Serialize};

use super::Command;

/// Makes the team's recovery key (coordinators' devices of a team that seals its log),
/// replacing any earlier one: every key epoch this device holds is sealed to it on the
/// server. Answers the key, to print or copy by hand: it is shown this once and kept
/// nowhere on the device.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CreateRecoveryKey {}
impl Command for CreateRecoveryKey {
    const NAME: &'static str = "create_recovery_key";
    type Output = RecoveryKey;
}

/// The team's recovery key, in the printed form: 55 letters and digits in groups of
/// five, the last ones a checksum that catches a mistyped character.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveryKey {
    /// The key.
    pub text: String,
}

impl std::fmt::Debug for RecoveryKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecoveryKey(…)")
    }
}

/// Gives this coordinator's device the team's keys with the recovery key (when every
/// device that held them is lost): the keys sealed to the recovery key are fetched and
/// opened, and what was waiting for them opens. Answers how many key epochs it got.
#[derive(Clone, Serialize, Deserialize)]
pub struct RecoverTeamKeys {
    /// The recovery key as typed (spaces, dashes and case do not matter).
    pub text: String,
}
impl Command for RecoverTeamKeys {
    const NAME: &'static str = "recover_team_keys";
    type Output = u32;
}

impl std::fmt::Debug for RecoverTeamKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecoverTeamKeys(…)")
    }
}

/// Seals the history of a team whose log began in clear (a coordinator's device of
/// such a team): the device sends what it holds, pulls the whole log, makes the team's
/// first key and asks the server to start sealing; the server then drops every change
/// it held in clear, and the device's next syncs send the whole history back sealed.
/// The team's other devices are invited again (their links carry the key); until then
/// what they record stays on them.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SealTeamHistory {}
impl Command for SealTeamHistory {
    const NAME: &'static str = "seal_team_history";
    type Output = ();
}

/// Why a team-key command could not be done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TeamKeyProblem {
    /// This device holds no team key (its team does not seal its log, or it was
    /// enrolled without the invitation link's key).
    NoKey,
    /// The recovery key typed is well formed but is not the team's current one.
    NotTheTeams,
    /// The team already seals its log (this device holds its key, or another
    /// coordinator's device sealed the history first: this one is invited again).
    AlreadySealed,
    /// The team's log kept growing while this device caught up with it: try again
    /// when the team's devices are quieter.
    LogMoving,
}
