//! A team whose log began in clear has its history sealed, through a real server over
//! TLS. The field worker's phone joined first (so the team never got a key at its
//! start) and recorded in clear; the coordinator's laptop seals the history: the server
//! drops every change it held in clear, the laptop sends the history back sealed, and
//! a phone invited afterwards reads all of it. The first phone, holding no key, has
//! what it records refused and kept in its outbox, and is told why; invited again, it
//! reads the team's data and sends its outbox sealed, without sending the history back
//! a second time. The server's files never hold the team's words again.

use filrouge_core::CoreError;
use filrouge_model::ipc::{SealTeamHistory, TeamKeyProblem};
use filrouge_model::sync::Role;
use filrouge_tests::{
    TestServer, app_enrol_invited, app_invited, app_operator_enrolled, app_places as places,
    app_record, app_store as lock, app_sync, server_files_hold,
};

const MARKER: &str = "Marqueur-H1ST-recit-en-clair";
const AFTER: &str = "Marqueur-H1ST-apres-le-scellement";

#[test]
fn a_history_in_clear_is_sealed_and_the_team_keeps_all_of_it() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let (server, fingerprint) = TestServer::start_tls(dir.path())?;

    // The phone joins first, with an operator's code: the team gets no key, and what
    // the phone records reaches the server in clear.
    let phone = app_operator_enrolled(
        &server,
        dir.path(),
        "phone",
        Role::Intervenant,
        &fingerprint,
    )?;
    app_record(&phone, "Gare du Nord", MARKER)?;
    app_sync(&phone)?;
    let laptop = app_operator_enrolled(
        &server,
        dir.path(),
        "laptop",
        Role::Coordinateur,
        &fingerprint,
    )?;
    assert!(
        lock(&laptop)?.keyring()?.is_empty(),
        "a team begun in clear"
    );
    app_record(&laptop, "Square Villemin", "Noté par la coordination")?;
    app_sync(&laptop)?;
    assert!(!lock(&laptop)?.sync_status()?.sealed);
    assert!(
        server_files_hold(dir.path(), MARKER)?,
        "the history is in clear on the server before the seal"
    );

    // A field worker's device may not seal the team's history.
    let refused = phone.seal_team_history(SealTeamHistory {});
    assert!(
        matches!(refused, Err(CoreError::CoordinatorOnly)),
        "{refused:?}"
    );

    // The coordinator's laptop seals it: the server drops its copies in clear at once.
    laptop.seal_team_history(SealTeamHistory {})?;
    assert!(lock(&laptop)?.sync_status()?.sealed);
    assert_eq!(
        lock(&laptop)?.keyring()?.current().map(|(epoch, _)| epoch),
        Some(1)
    );
    assert!(
        !server_files_hold(dir.path(), MARKER)?,
        "dropped with the seal"
    );
    let again = laptop.seal_team_history(SealTeamHistory {});
    assert!(
        matches!(
            again,
            Err(CoreError::TeamKey {
                problem: TeamKeyProblem::AlreadySealed
            })
        ),
        "{again:?}"
    );

    // Its next sync sends the whole history back, sealed.
    let healed = app_sync(&laptop)?;
    assert!(healed.healed >= 2, "{healed:?}");
    assert!(!server_files_hold(dir.path(), MARKER)?, "sent back sealed");

    // A phone invited now reads the whole history from the sealed log.
    let newcomer = app_invited(&laptop, dir.path(), "newcomer")?;
    app_sync(&newcomer)?;
    assert_eq!(places(&newcomer)?, ["Gare du Nord", "Square Villemin"]);

    // The first phone holds no key: what it records now is refused by the server and
    // kept; the sync says it must be invited again.
    app_record(&phone, "Parc de Belleville", AFTER)?;
    let keyless = app_sync(&phone);
    assert!(
        matches!(
            keyless,
            Err(CoreError::TeamKey {
                problem: TeamKeyProblem::NoKey
            })
        ),
        "{keyless:?}"
    );
    assert!(
        lock(&phone)?.sync_status()?.pending_changes > 0,
        "kept in its outbox"
    );
    assert!(!server_files_hold(dir.path(), AFTER)?);

    // Invited again, it follows the sealed log without sending the history back, and
    // what it kept leaves sealed.
    app_enrol_invited(&laptop, &phone, "Téléphone de Lina")?;
    let report = app_sync(&phone)?;
    assert_eq!(report.healed, 0, "the history is not sent a second time");
    assert_eq!(lock(&phone)?.sync_status()?.pending_changes, 0);
    app_sync(&laptop)?;
    assert_eq!(
        places(&laptop)?,
        ["Gare du Nord", "Parc de Belleville", "Square Villemin"]
    );
    app_sync(&newcomer)?;
    assert_eq!(places(&newcomer)?.len(), 3);
    assert!(!server_files_hold(dir.path(), MARKER)?);
    assert!(!server_files_hold(dir.path(), AFTER)?);
    Ok(())
}
