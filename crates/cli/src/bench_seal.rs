//! `filrouge bench seal`: what sealing the history of a team begun in clear costs.
//!
//! A field worker's device makes `records` records and uploads them in clear; a
//! coordinator's device, enrolled after it, pulls them. The coordinator then seals the
//! team's history (timed: its catch-up and the server dropping the clear log), and its
//! next sync sends the whole history back sealed. A device invited afterwards pulls the
//! sealed history. Every exchange goes through a relay that counts the bytes. The
//! same-run baselines are the clear upload (records per second, bytes up) for the
//! sealed heal, and the coordinator's clear pull for the invited device's sealed pull;
//! each is printed as a ratio. Every change of the history must go back and reach the
//! invited device.

use std::path::Path;
use std::time::{Duration, Instant};

use filrouge_core::app::Device;
use filrouge_core::sync::{self, HttpTransport};
use filrouge_core::{Env, STORE_FILE};
use filrouge_model::ipc::{CreateInvite, Enrol, SealTeamHistory, SyncStage};
use filrouge_server::Role;

use crate::bench_sync::{Relay, device, populate};
use crate::loopback::{self, RateLimit};

/// Runs the benchmark in a scratch directory under `dir`.
pub fn run(records: usize, dir: &Path) -> anyhow::Result<()> {
    anyhow::ensure!(records >= 1, "at least one record");
    println!("filrouge bench seal — release build expected; loopback, this machine");
    let scratch = dir.join("bench-seal");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch)?;
    let result = seal(records, &scratch);
    let _ = std::fs::remove_dir_all(&scratch);
    result
}

/// An app-layer device in `dir/name`, enrolled through `url` with `code`.
fn app_device(
    dir: &Path,
    name: &str,
    url: &str,
    code: String,
    team_secret: Option<String>,
) -> anyhow::Result<Device> {
    let dir = dir.join(name);
    std::fs::create_dir_all(&dir)?;
    let device = Device::open(&dir.join(STORE_FILE), Env::default())?;
    device.enrol(Enrol {
        server_url: url.to_owned(),
        code,
        device_name: name.to_owned(),
        server_pin: None,
        team_secret,
    })?;
    Ok(device)
}

/// One sync of an app-layer device as its background worker runs it; answers the
/// report and how long the heal took, if it healed.
fn sync_app(device: &Device) -> anyhow::Result<(sync::SyncReport, Option<Duration>)> {
    let conn = device
        .store()
        .lock()
        .map_err(|_| anyhow::anyhow!("poisoned"))?
        .connection()?
        .ok_or_else(|| anyhow::anyhow!("not enrolled"))?;
    let mut transport = HttpTransport::new(&conn.url, &conn.token)?;
    let t = Instant::now();
    let mut healed = None;
    let report = device.sync_with_keys(&mut transport, &mut |p| {
        if p.stage == SyncStage::Healing && p.done == p.total {
            healed = Some(t.elapsed());
        }
    })?;
    Ok((report, healed))
}

fn rate(count: usize, took: Duration) -> f64 {
    count as f64 / took.as_secs_f64().max(f64::EPSILON)
}

fn seal(records: usize, dir: &Path) -> anyhow::Result<()> {
    let server = loopback::start(dir, RateLimit::Off)?;
    let relay = Relay::start(server.address)?;

    // The history, made in clear by a field worker's phone that joined first.
    let mut phone = device(&server, dir, "phone", &relay.url)?;
    populate(&mut phone, records, 0x5EA1)?;
    relay.reset();
    let t = Instant::now();
    let uploaded = phone.sync()?.pushed;
    let upload = t.elapsed();
    let (clear_up, _) = relay.bytes();

    // The coordinator's laptop joins after it: the team stays in clear.
    let code = server.enrolment_code(Role::Coordinateur)?;
    let laptop = app_device(dir, "laptop", &relay.url, code, None)?;
    relay.reset();
    let t = Instant::now();
    let (pulled, _) = sync_app(&laptop)?;
    let clear_pull = t.elapsed();
    let (_, clear_down) = relay.bytes();
    anyhow::ensure!(
        !laptop
            .store()
            .lock()
            .map_err(|_| anyhow::anyhow!("poisoned"))?
            .sync_status()?
            .sealed,
        "the team must begin in clear"
    );

    // The seal, then the history back, sealed.
    let t = Instant::now();
    laptop.seal_team_history(SealTeamHistory {})?;
    let sealing = t.elapsed();
    relay.reset();
    let t = Instant::now();
    let (heal, heal_took) = sync_app(&laptop)?;
    let heal_took = heal_took.unwrap_or_else(|| t.elapsed());
    let (sealed_up, _) = relay.bytes();

    // A device invited now pulls the sealed history.
    let invite = laptop.create_invite(CreateInvite {
        role: Role::Intervenant,
    })?;
    relay.reset();
    let newcomer = app_device(dir, "newcomer", &relay.url, invite.code, invite.team_secret)?;
    let t = Instant::now();
    let (fresh, _) = sync_app(&newcomer)?;
    let sealed_pull = t.elapsed();
    let (_, sealed_down) = relay.bytes();

    println!("{records} records made in clear by one phone, pulled by the coordinator");
    println!(
        "{:<34}{:>10}{:>10}{:>14}{:>14}",
        "", "changes", "s", "changes/s", "bytes"
    );
    let row = |what: &str, count: usize, took: Duration, bytes: u64| {
        println!(
            "{what:<34}{count:>10}{:>10.2}{:>14.0}{bytes:>14}",
            took.as_secs_f64(),
            rate(count, took)
        );
    };
    row("upload in clear (baseline)", uploaded, upload, clear_up);
    row(
        "history sent back sealed",
        heal.healed,
        heal_took,
        sealed_up,
    );
    row(
        "coordinator's pull in clear (base)",
        pulled.pulled,
        clear_pull,
        clear_down,
    );
    row(
        "invited device's sealed pull",
        fresh.pulled,
        sealed_pull,
        sealed_down,
    );
    println!(
        "seal request (catch-up + the server's drop): {:.1} ms",
        sealing.as_secs_f64() * 1000.0
    );
    println!(
        "sealed heal vs clear upload: {:.2}× the rate, {:.2}× the bytes; sealed pull vs clear pull: {:.2}× the time, {:.2}× the bytes",
        rate(heal.healed, heal_took) / rate(uploaded, upload),
        sealed_up as f64 / clear_up.max(1) as f64,
        sealed_pull.as_secs_f64() / clear_pull.as_secs_f64().max(f64::EPSILON),
        sealed_down as f64 / clear_down.max(1) as f64,
    );
    anyhow::ensure!(
        fresh.pulled >= uploaded && heal.healed >= uploaded,
        "the history must go back and reach the invited device whole"
    );
    println!("check: every change of the history went back sealed and reached the invited device");
    Ok(())
}
