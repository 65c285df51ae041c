//! `filrouge bench heal`: how long a team takes to put an emptied server back.
//!
//! A team of `devices` devices, each making `records` records, syncs with a server
//! until every device holds every record. The server is then replaced by an empty one
//! (its data directory lost), and the devices, enrolled again, sync one after another:
//! each meets a log it does not know and heals it, sending back every change it holds,
//! then pulls the new log. Printed per device: changes sent back per second, bytes both
//! ways (counted by a relay in front of the server), requests each way. The same-run
//! baseline is each device's first, ordinary upload of its own records to the first
//! server, as records per second; the heal's rate is given as a ratio of it.
//! Afterwards the new server's log must hold each change exactly once, and a fresh
//! device must pull every record.

use std::path::Path;
use std::time::Instant;

use filrouge_core::sync;

use crate::bench_sync::{Counting, LocalDevice, Relay, device, populate};
use crate::loopback::{self, RateLimit};

/// Runs the benchmark in a scratch directory under `dir`.
pub fn run(devices: usize, records: usize, dir: &Path) -> anyhow::Result<()> {
    anyhow::ensure!(
        devices >= 1 && records >= 1,
        "at least one device and one record"
    );
    println!("filrouge bench heal — release build expected; loopback, this machine");
    let scratch = dir.join("bench-heal");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch)?;
    let result = heal(devices, records, &scratch);
    let _ = std::fs::remove_dir_all(&scratch);
    result
}

fn heal(devices: usize, records: usize, dir: &Path) -> anyhow::Result<()> {
    let total = devices * records;
    std::fs::create_dir_all(dir.join("first"))?;
    std::fs::create_dir_all(dir.join("second"))?;
    let first = loopback::start(&dir.join("first"), RateLimit::Off)?;
    let mut team = Vec::with_capacity(devices);
    let t = Instant::now();
    for i in 0..devices {
        let mut device = device(&first, dir, &format!("d{i}"), &first.url)?;
        populate(&mut device, records, 0x4EA1 + i as u64)?;
        team.push(device);
    }
    println!(
        "setup: {devices} devices × {records} records made in {:.1?}",
        t.elapsed()
    );
    // The baseline: each device's first upload of its own records.
    let mut uploads = Vec::with_capacity(devices);
    for device in &mut team {
        let t = Instant::now();
        let pushed = upload(device)?;
        uploads.push((pushed, t.elapsed()));
    }
    let t = Instant::now();
    for device in &mut team {
        device.sync()?;
    }
    println!(
        "setup: every device holds all {total} records ({:.1?} to pull them)",
        t.elapsed()
    );
    drop(first);

    // The server is lost; an empty one takes its place and the devices enrol again.
    let second = loopback::start(&dir.join("second"), RateLimit::Off)?;
    let relay = Relay::start(second.address)?;
    for (i, device) in team.iter_mut().enumerate() {
        let enrolment = loopback::enrol(&second, &format!("d{i}"))?;
        let mut store = device
            .store
            .lock()
            .map_err(|_| anyhow::anyhow!("poisoned"))?;
        store.save_enrolment(&relay.url, &enrolment)?;
        drop(store);
        device.transport = sync::HttpTransport::new(&relay.url, &enrolment.token)?;
    }

    println!();
    println!("healing an emptied server, device after device ({total} records in all)");
    println!(
        "{:<8}{:>10}{:>12}{:>14}{:>10}{:>12}{:>12}{:>10}{:>14}{:>8}",
        "device",
        "sent",
        "heal (s)",
        "sent/s",
        "pulled",
        "whole (s)",
        "up (B)",
        "down (B)",
        "requests",
        "ratio"
    );
    for (i, device) in team.iter_mut().enumerate() {
        relay.reset();
        let mut counting = Counting::new(device.transport.clone());
        let mut heal_done = None;
        let t = Instant::now();
        let report = sync::run_with_progress(&device.store, &mut counting, &mut |p| {
            if p.stage == filrouge_model::ipc::SyncStage::Healing && p.done == p.total {
                heal_done = Some(t.elapsed());
            }
        })?;
        let whole = t.elapsed();
        let (up, down) = relay.bytes();
        let heal = heal_done.unwrap_or(whole);
        let rate = report.healed as f64 / heal.as_secs_f64();
        let (pushed, took) = uploads[i];
        let baseline = pushed as f64 / took.as_secs_f64();
        println!(
            "{:<8}{:>10}{:>12.2}{:>14.0}{:>10}{:>12.2}{:>12}{:>10}{:>14}{:>8}",
            format!("d{i}"),
            report.healed,
            heal.as_secs_f64(),
            rate,
            report.pulled,
            whole.as_secs_f64(),
            up,
            down,
            format!("{} / {}", counting.pushes, counting.pulls),
            format!("{:.2}×", rate / baseline)
        );
        anyhow::ensure!(
            report.healed >= total,
            "d{i} sent back {} of {total}",
            report.healed
        );
    }
    println!();
    println!(
        "baseline: first ordinary upload, records/s per device: {}",
        uploads
            .iter()
            .map(|(n, t)| format!("{:.0}", *n as f64 / t.as_secs_f64()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "ratio: the heal's changes sent per second over that baseline (pushes are \
         idempotent: after the first device, the server stores nothing new)"
    );

    // Each change once in the new log, and a fresh device gets every record.
    let held = second.server.pull(
        &second
            .server
            .authenticate(&loopback::enrol(&second, "check")?.token)?,
        &filrouge_model::sync::PullQuery {
            api_version: filrouge_model::sync::API_VERSION,
            after: 0,
            max_bytes: Some(filrouge_model::sync::MAX_PULL_BYTES),
        },
    )?;
    let mut fresh = device(&second, dir, "fresh", &second.url)?;
    let pulled = fresh.sync()?.pulled;
    println!(
        "check: the new log's head is {} for {total} records; a fresh device pulled {pulled}",
        held.head
    );
    anyhow::ensure!(
        held.head == total as u64 && pulled == total,
        "the log must hold each of the {total} changes once"
    );
    Ok(())
}

/// Pushes `device`'s outbox through the sync engine, page by page, and stops where
/// the pull would start: the ordinary upload, timed alone. Returns the changes pushed.
fn upload(device: &mut LocalDevice) -> anyhow::Result<usize> {
    let mut engine = sync::SyncEngine::new();
    let mut pushed = 0;
    loop {
        let step = {
            let store = device
                .store
                .lock()
                .map_err(|_| anyhow::anyhow!("poisoned"))?;
            engine.next(&store)?
        };
        let sync::Step::Push(request) = step else {
            return Ok(pushed);
        };
        let answer = sync::Transport::push(&mut device.transport, &request)?;
        pushed += answer.acknowledged.len();
        let mut store = device
            .store
            .lock()
            .map_err(|_| anyhow::anyhow!("poisoned"))?;
        engine.on_push(&mut store, &request, answer)?;
    }
}
