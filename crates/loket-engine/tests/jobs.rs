//! Jobs against the sandbox: counts, progress events, idempotent re-runs, faults, cancel and
//! resume; the scheduler with a hand-moved clock.
#![allow(clippy::unwrap_used)]

mod support;

use loket_core::{JobKind, LogFilter, RunStatus, Schedule};
use loket_engine::{EngineError, EngineEvent};
use loket_sim::{Faults, SimConfig};
use support::*;

#[tokio::test]
async fn permit_sync_counts_reports_progress_and_is_idempotent() {
    let h = harness(small_sim()).await;
    let c = permit_office(&h).await;
    let job = job_id(&h.engine, JobKind::NewPermits, Some(c.id)).await;
    let mut events = h.engine.subscribe();
    let run = h.engine.run_job_and_wait(job, "manual").await.unwrap();
    assert_eq!(run.status, RunStatus::Succeeded, "{run:?}");
    assert_eq!(run.counts.created, 270);
    assert_eq!(h.engine.store().count_permits(c.id).await.unwrap(), 270);

    let mut progress = Vec::new();
    while let Ok(e) = events.try_recv() {
        if let EngineEvent::Progress(p) = e {
            progress.push(p);
        }
    }
    assert!(progress.len() >= 2, "{progress:?}");
    assert!(progress.windows(2).all(|w| w[0].done <= w[1].done));
    let last = progress.last().unwrap();
    assert_eq!((last.done, last.total), (270, Some(270)));

    let again = h.engine.run_job_and_wait(job, "manual").await.unwrap();
    assert_eq!((again.counts.created, again.counts.unchanged), (0, 270));

    let types = job_id(&h.engine, JobKind::PermitTypes, Some(c.id)).await;
    let run = h.engine.run_job_and_wait(types, "manual").await.unwrap();
    assert_eq!(run.status, RunStatus::Succeeded);
    assert!(h.engine.store().count_permit_types(c.id).await.unwrap() > 80);
}

#[tokio::test]
async fn a_sync_under_faults_keeps_every_record_and_logs_every_failure() {
    let h = harness(SimConfig {
        faults: Faults {
            error_rate: 0.2,
            malformed_rate: 0.05,
            rate_limit_rate: 0.05,
            retry_after_secs: 1,
            ..Faults::default()
        },
        ..small_sim()
    })
    .await;
    let c = permit_office(&h).await;
    let job = job_id(&h.engine, JobKind::NewPermits, Some(c.id)).await;
    // A run that gives up on a page resumes from its checkpoint the next time.
    let mut runs = Vec::new();
    for _ in 0..5 {
        let run = h.engine.run_job_and_wait(job, "manual").await.unwrap();
        runs.push(run.status);
        if run.status == RunStatus::Succeeded {
            break;
        }
        assert!(run.error.is_some());
    }
    assert_eq!(runs.last(), Some(&RunStatus::Succeeded), "{runs:?}");
    assert_eq!(h.engine.store().count_permits(c.id).await.unwrap(), 270);
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    let errors = h
        .engine
        .list_log(&LogFilter {
            only_errors: true,
            ..LogFilter::default()
        })
        .await
        .unwrap();
    assert!(!errors.is_empty());
    assert!(errors
        .iter()
        .all(|e| e.error_category.is_some() && e.error.is_some()));
}

#[tokio::test]
async fn cancel_stops_after_a_committed_page_and_the_next_run_resumes() {
    // Many pages, so the cancel lands mid-sync.
    let total = 2200;
    let h = harness(SimConfig {
        permits_issued: 2000,
        permits_in_process: 200,
        faults: Faults {
            latency_ms: 40,
            ..Faults::default()
        },
        ..small_sim()
    })
    .await;
    let c = permit_office(&h).await;
    let job = job_id(&h.engine, JobKind::NewPermits, Some(c.id)).await;
    let mut events = h.engine.subscribe();
    let run_id = h.engine.start_job(job, "manual").await.unwrap();
    // Starting the same job again while it runs is refused: jobs never overlap themselves.
    assert!(matches!(
        h.engine.start_job(job, "manual").await,
        Err(EngineError::Busy(_))
    ));
    loop {
        if let Ok(EngineEvent::Progress(p)) = events.recv().await {
            if p.done >= 100 {
                break;
            }
        }
    }
    h.engine.cancel_run(run_id).await.unwrap();
    let cancelled = loop {
        if let Ok(EngineEvent::RunFinished(r)) = events.recv().await {
            break r;
        }
    };
    assert_eq!(cancelled.status, RunStatus::Cancelled);
    let kept = h.engine.store().count_permits(c.id).await.unwrap();
    assert!(kept > 0 && kept < total, "{kept}");
    assert!(h.engine.store().checkpoint(job).await.unwrap().is_some());

    let resumed = h.engine.run_job_and_wait(job, "manual").await.unwrap();
    assert_eq!(resumed.status, RunStatus::Succeeded);
    assert_eq!(resumed.counts.created as i64 + kept, total);
    assert_eq!(h.engine.store().count_permits(c.id).await.unwrap(), total);
}

#[tokio::test]
async fn the_scheduler_runs_due_jobs_once_and_catches_up_once() {
    // 2026-03-10 01:00 UTC is 08:00 in Jakarta, the default office zone.
    let clock = manual_clock("2026-03-10T01:00:00Z");
    let h = harness_with(small_sim(), clock.clone()).await;
    let c = permit_office(&h).await;
    let types = job_id(&h.engine, JobKind::PermitTypes, Some(c.id)).await;
    // Only the permit-types job runs by schedule here.
    for job in h.engine.list_jobs().await.unwrap() {
        let schedule = if job.id == types {
            Schedule::Daily { at: "09:00".into() }
        } else {
            Schedule::Manual
        };
        h.engine.save_job(job.id, schedule, true).await.unwrap();
    }

    assert!(h.engine.scheduler_tick().await.unwrap().is_empty());
    clock.advance(chrono::Duration::hours(1)); // 09:00 Jakarta
    let started = h.engine.scheduler_tick().await.unwrap();
    let mut jobs = Vec::new();
    for id in &started {
        jobs.push(h.engine.store().get_run(*id).await.unwrap().job);
    }
    assert_eq!(jobs, [JobKind::PermitTypes]);
    wait_idle(&h.engine).await;
    assert!(h.engine.scheduler_tick().await.unwrap().is_empty());

    // The app is closed for three days: one catch-up run at the next start, not three.
    clock.advance(chrono::Duration::days(3));
    let started = h.engine.scheduler_tick().await.unwrap();
    assert_eq!(started.len(), 1);
    wait_idle(&h.engine).await;
    let run = h.engine.store().get_run(started[0]).await.unwrap();
    assert_eq!(run.trigger, "catch_up");
    assert!(h.engine.scheduler_tick().await.unwrap().is_empty());

    // Disabled jobs never start by themselves.
    h.engine
        .save_job(types, Schedule::Daily { at: "09:00".into() }, false)
        .await
        .unwrap();
    clock.advance(chrono::Duration::days(1));
    assert!(h.engine.scheduler_tick().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_running_job_is_not_started_again_by_the_scheduler() {
    let clock = manual_clock("2026-03-10T01:00:00Z");
    let h = harness_with(
        SimConfig {
            faults: Faults {
                latency_ms: 30,
                ..Faults::default()
            },
            ..small_sim()
        },
        clock.clone(),
    )
    .await;
    let c = permit_office(&h).await;
    let permits = job_id(&h.engine, JobKind::NewPermits, Some(c.id)).await;
    h.engine
        .save_job(permits, Schedule::Every { minutes: 1 }, true)
        .await
        .unwrap();
    let types = job_id(&h.engine, JobKind::PermitTypes, Some(c.id)).await;
    h.engine
        .save_job(types, Schedule::Manual, true)
        .await
        .unwrap();
    clock.advance(chrono::Duration::minutes(2));
    let first = h.engine.scheduler_tick().await.unwrap();
    assert_eq!(first.len(), 1);
    clock.advance(chrono::Duration::minutes(2));
    assert!(h.engine.scheduler_tick().await.unwrap().is_empty());
    wait_idle(&h.engine).await;
}

async fn wait_idle(engine: &loket_engine::Engine) {
    for _ in 0..400 {
        if !engine.any_running().await {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("jobs still running");
}

#[tokio::test]
async fn local_jobs_back_up_the_database_and_clean_the_log() {
    let h = harness(small_sim()).await;
    let backup = job_id(&h.engine, JobKind::DatabaseBackup, None).await;
    let run = h.engine.run_job_and_wait(backup, "manual").await.unwrap();
    assert_eq!(run.status, RunStatus::Succeeded, "{run:?}");
    let copies: Vec<_> = std::fs::read_dir(h.dir.path().join("backups"))
        .unwrap()
        .flatten()
        .collect();
    assert_eq!(copies.len(), 1);
    let copy = loket_store::Store::open(&copies[0].path()).await.unwrap();
    assert_eq!(
        copy.list_jobs().await.unwrap().len(),
        h.engine.list_jobs().await.unwrap().len()
    );

    let cleanup = job_id(&h.engine, JobKind::LogCleanup, None).await;
    let run = h.engine.run_job_and_wait(cleanup, "manual").await.unwrap();
    assert_eq!(run.status, RunStatus::Succeeded);
}

#[tokio::test]
async fn expiry_sync_fetches_details_tests_with_ten_and_records_failures_per_permit() {
    let h = harness(small_sim()).await;
    let c = permit_office(&h).await;
    let permits = job_id(&h.engine, JobKind::NewPermits, Some(c.id)).await;
    h.engine.run_job_and_wait(permits, "manual").await.unwrap();
    let plan = h.engine.expiry_sync_plan(c.id, false).await.unwrap();
    assert_eq!(
        plan.permits, 230,
        "issued permits lack an expiry after the list sync"
    );

    // "Test with 10 permits".
    let job = job_id(&h.engine, JobKind::ExpirySync, Some(c.id)).await;
    let ten = h
        .engine
        .run_job_with_and_wait(
            job,
            "manual",
            loket_core::RunOptions {
                limit: Some(10),
                ..loket_core::RunOptions::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        (ten.status, ten.counts.updated),
        (RunStatus::Succeeded, 10),
        "{ten:?}"
    );
    assert_eq!(
        h.engine
            .expiry_sync_plan(c.id, false)
            .await
            .unwrap()
            .permits,
        220
    );

    // All, with the server failing a fifth of the lookups: failures are recorded, the run goes on.
    h.sim.set_faults(Faults {
        error_rate: 0.2,
        ..Faults::default()
    });
    let mut events = h.engine.subscribe();
    let all = h.engine.run_job_and_wait(job, "manual").await.unwrap();
    assert_eq!(all.counts.updated + all.counts.failed, 220, "{all:?}");
    assert!(all.counts.updated > 150, "{all:?}");
    let mut last = None;
    while let Ok(e) = events.try_recv() {
        if let EngineEvent::Progress(p) = e {
            last = Some(p);
        }
    }
    assert_eq!(last.map(|p| (p.done, p.total)), Some((220, Some(220))));
    let failed: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM permit WHERE detail_error IS NOT NULL AND expiry_date IS NULL",
    )
    .fetch_one(h.engine.store().pool())
    .await
    .unwrap();
    assert_eq!(failed, i64::from(all.counts.failed));
    let fetched: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM permit WHERE detail_synced_at IS NOT NULL AND detail_error IS NULL",
    )
    .fetch_one(h.engine.store().pool())
    .await
    .unwrap();
    assert_eq!(fetched, 10 + i64::from(all.counts.updated));

    // The next run only looks up what is still missing.
    h.sim.set_faults(Faults::default());
    assert_eq!(
        h.engine
            .expiry_sync_plan(c.id, false)
            .await
            .unwrap()
            .permits,
        all.counts.failed
    );
    let rest = h.engine.run_job_and_wait(job, "manual").await.unwrap();
    assert_eq!(
        (rest.counts.updated, rest.counts.failed),
        (all.counts.failed, 0)
    );
}
