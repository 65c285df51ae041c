//! The rate limits across server processes on one PostgreSQL database: a device's
//! bucket and an address's failed enrolments are counted once, whichever process
//! meets them (each test fails with the limits kept per process).

use std::sync::Arc;

use filrouge_model::sync::{API_VERSION, EnrolRequest};

use super::PostgresStorage;
use super::testing::TestDatabase;
use crate::error::ServerError;
use crate::storage::Device;
use crate::{ManualClock, Role, TeamServer};

fn two_servers(
    db: &TestDatabase,
    clock: &Arc<ManualClock>,
) -> Result<(TeamServer, TeamServer), ServerError> {
    let server = || -> Result<TeamServer, ServerError> {
        Ok(
            TeamServer::with_storage(Arc::new(PostgresStorage::connect(&db.url)?), clock.clone())
                .with_rate_limit(4, 1),
        )
    };
    Ok((server()?, server()?))
}

/// A phone enrolled in a new team through `server`.
fn phone(server: &TeamServer) -> Result<Device, ServerError> {
    let team = server.ensure_team("Deux serveurs")?;
    let code = server.create_enrolment_code(&team.id, Role::Intervenant)?;
    let token = server
        .enrol(&EnrolRequest {
            api_version: API_VERSION,
            code,
            device_name: "téléphone".into(),
        })?
        .token;
    server.authenticate(&token)
}

#[test]
fn a_device_spread_over_two_servers_gets_its_rate_once() -> Result<(), ServerError> {
    let db = TestDatabase::new();
    let clock = Arc::new(ManualClock::new(1_000_000));
    let (a, b) = two_servers(&db, &clock)?;
    let phone = phone(&a)?;
    // The burst of four, two through each server.
    for server in [&a, &b, &a, &b] {
        server.admit(&phone.id)?;
    }
    for server in [&a, &b] {
        let refused = server.admit(&phone.id);
        assert!(
            matches!(
                refused,
                Err(ServerError::RateLimited {
                    retry_after_secs: 1
                })
            ),
            "{refused:?}"
        );
    }
    // A second later, one more request, through either.
    clock.advance(1_000);
    b.admit(&phone.id)?;
    assert!(a.admit(&phone.id).is_err());
    Ok(())
}

#[test]
fn failed_enrolments_from_one_address_count_across_servers() -> Result<(), ServerError> {
    let db = TestDatabase::new();
    let clock = Arc::new(ManualClock::new(1_000_000));
    let (a, b) = two_servers(&db, &clock)?;
    a.ensure_team("Deux serveurs")?;
    let guess = EnrolRequest {
        api_version: API_VERSION,
        code: "ABCD-EFGH-JK".into(),
        device_name: "devineur".into(),
    };
    let burst = crate::rate::ENROL_FAILURES_BURST as usize;
    for i in 0..burst {
        let server = if i % 2 == 0 { &a } else { &b };
        let failed = server.enrol_from("203.0.113.7", &guess);
        assert!(
            matches!(failed, Err(ServerError::InvalidEnrolmentCode)),
            "{failed:?}"
        );
    }
    for server in [&a, &b] {
        let waited = server.enrol_from("203.0.113.7", &guess);
        assert!(
            matches!(waited, Err(ServerError::RateLimited { .. })),
            "{waited:?}"
        );
    }
    // Another address is not slowed.
    let other = b.enrol_from("198.51.100.2", &guess);
    assert!(
        matches!(other, Err(ServerError::InvalidEnrolmentCode)),
        "{other:?}"
    );
    Ok(())
}

#[test]
fn tokens_taken_ahead_never_add_up_to_more_than_the_burst() -> Result<(), ServerError> {
    let db = TestDatabase::new();
    let clock = Arc::new(ManualClock::new(1_000_000));
    let server = || -> Result<TeamServer, ServerError> {
        Ok(
            TeamServer::with_storage(Arc::new(PostgresStorage::connect(&db.url)?), clock.clone())
                .with_rate_limit(64, 1),
        )
    };
    let (a, b) = (server()?, server()?);
    assert_eq!(crate::rate::lease_size(64.0), 4, "each takes four at once");
    let phone = phone(&a)?;
    // Two requests through one, three through the other, and so on, until both refuse.
    let mut admitted = 0;
    for i in 0..200 {
        let server = if i % 5 < 2 { &a } else { &b };
        if server.admit(&phone.id).is_ok() {
            admitted += 1;
        }
    }
    assert_eq!(admitted, 64, "the burst, whichever server took it");
    Ok(())
}
