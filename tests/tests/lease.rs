//! The team's offline lease against a real server over HTTPS: 30 days for a new team,
//! told at enrolment; a coordinator's device sets it (a worker's may not, nor outside
//! 1 to 365 days), and every device learns it at its next push.

use filrouge_core::sync::TransportError;
use filrouge_model::sync::{ErrorCode, Role};
use filrouge_tests::TestServer;

#[test]
fn a_coordinator_sets_the_lease_and_each_device_learns_it_at_its_next_push() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let (server, _) = TestServer::start_tls(dir.path())?;
    let mut worker = server.device(dir.path(), "tel")?;
    let coordinator = server.device_with_role(dir.path(), "portable", Role::Coordinateur)?;
    assert_eq!(worker.store().lease_days()?, 30, "told at enrolment");

    assert_eq!(
        worker.transport.set_lease(7),
        Err(TransportError::Rejected {
            status: 403,
            code: Some(ErrorCode::Forbidden)
        })
    );
    for wrong in [0, 366] {
        assert!(matches!(
            coordinator.transport.set_lease(wrong),
            Err(TransportError::Rejected { status: 400, .. })
        ));
    }
    assert_eq!(coordinator.transport.set_lease(7)?, 7);

    // The worker learns it with its next push.
    worker
        .store()
        .create_person(filrouge_tests::fixture_person())?;
    worker.sync()?;
    assert_eq!(worker.store().lease_days()?, 7);
    Ok(())
}
