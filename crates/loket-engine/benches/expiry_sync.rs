//! Expiry sync against the sandbox with 50 ms added per request (SPEC §9), printing each figure
//! beside the bound it is judged against:
//!   cargo bench -p loket-engine --bench expiry_sync            (both cases)
//!   cargo bench -p loket-engine --bench expiry_sync -- rated   (500 permits at 10/s only)
#![allow(clippy::unwrap_used, clippy::print_stdout)]

mod support;

use std::time::Instant;

use loket_core::{ConnectionInput, ConnectionKind, Environment, JobKind, RunStatus};

const LATENCY_MS: u64 = 50;

async fn case(
    sandbox: &tokio::runtime::Handle,
    label: &str,
    permits: usize,
    rate: f64,
    concurrent: u32,
) {
    let sim = support::start_sandbox(
        sandbox,
        loket_sim::SimConfig {
            permits_issued: permits,
            permits_in_process: 0,
            ..Default::default()
        },
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let engine = support::engine(dir.path()).await;
    let c = engine
        .save_connection(ConnectionInput {
            id: None,
            name: "Bench".into(),
            kind: ConnectionKind::Sicantik,
            base_url: sim.sicantik_url.clone(),
            environment: Environment::Production,
            database: None,
            username: None,
            protocol: None,
            timeout_ms: 30_000,
            rate_limit_per_sec: 0.0,
            max_concurrent: 16,
            active: true,
            secret: None,
        })
        .await
        .unwrap();
    let jobs = engine.list_jobs().await.unwrap();
    let id = |k| jobs.iter().find(|j| j.kind == k).unwrap().id;
    engine
        .run_job_and_wait(id(JobKind::NewPermits), "manual")
        .await
        .unwrap();

    // Now the measured settings, with latency on.
    let mut input: ConnectionInput = ConnectionInput {
        id: Some(c.id),
        name: c.name.clone(),
        kind: c.kind,
        base_url: c.base_url.clone(),
        environment: c.environment,
        database: None,
        username: None,
        protocol: None,
        timeout_ms: c.timeout_ms,
        rate_limit_per_sec: rate,
        max_concurrent: concurrent,
        active: true,
        secret: None,
    };
    input.rate_limit_per_sec = rate;
    engine.save_connection(input).await.unwrap();
    sim.set_faults(loket_sim::Faults {
        latency_ms: LATENCY_MS,
        ..Default::default()
    });

    let started = Instant::now();
    let run = engine
        .run_job_and_wait(id(JobKind::ExpirySync), "manual")
        .await
        .unwrap();
    let secs = started.elapsed().as_secs_f64();
    assert_eq!(run.status, RunStatus::Succeeded, "{run:?}");
    assert_eq!(run.counts.updated as usize, permits);
    let latency = LATENCY_MS as f64 / 1000.0;
    let rate_bound = if rate > 0.0 {
        (permits as f64 - 1.0) / rate + latency
    } else {
        0.0
    };
    let concurrency_bound = permits as f64 * latency / f64::from(concurrent);
    let bound = rate_bound.max(concurrency_bound);
    let rate_text = if rate > 0.0 {
        format!("rate {rate}/s")
    } else {
        "no rate limit".to_string()
    };
    println!(
        "{label}: {permits} look-ups in {secs:.2} s; bound {bound:.2} s ({rate_text}, {concurrent} in flight, {LATENCY_MS} ms latency); {:+.1}% over the bound",
        (secs / bound - 1.0) * 100.0
    );
}

fn main() {
    let only = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let sandbox = support::sandbox_runtime();
    let sandbox = sandbox.handle();
    runtime.block_on(async {
        if only.as_deref().is_none_or(|o| o == "rated") {
            case(sandbox, "expiry sync, rate limit 10/s", 500, 10.0, 16).await;
        }
        if only.as_deref().is_none_or(|o| o == "unlimited") {
            case(
                sandbox,
                "expiry sync, no rate limit, 16 in flight",
                10_000,
                0.0,
                16,
            )
            .await;
        }
    });
}
