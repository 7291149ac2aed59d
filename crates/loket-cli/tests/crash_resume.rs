//! A permit sync killed with SIGKILL at random moments, then restarted, ends with exactly the
//! records of an undisturbed run: each page commits with its checkpoint, upserts are keyed on
//! the registration id, and the next run resumes where the last commit left off.
#![allow(clippy::unwrap_used)]

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use loket_core::{ConnectionInput, ConnectionKind, Environment, RunStatus};
use loket_engine::{Engine, EngineConfig, MemorySecretStore, SystemClock};
use loket_store::Store;
use rand::{Rng, SeedableRng};

/// Permits the sandbox lists (issued and in process).
const TOTAL: usize = 5000;

async fn engine(dir: &std::path::Path) -> Engine {
    Engine::start(EngineConfig {
        store: Store::open(&dir.join("loket.db")).await.unwrap(),
        secrets: Arc::new(MemorySecretStore::default()),
        clock: Arc::new(SystemClock),
        data_dir: dir.to_path_buf(),
        demo: false,
        sandbox: None,
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_at_random_moments_loses_and_duplicates_nothing() {
    let sim = loket_sim::start(loket_sim::SimConfig {
        permits_issued: TOTAL - 500,
        permits_in_process: 500,
        faults: loket_sim::Faults {
            latency_ms: 40,
            ..Default::default()
        },
        ..Default::default()
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    {
        let e = engine(dir.path()).await;
        e.save_connection(ConnectionInput {
            id: None,
            name: "Permits".into(),
            kind: ConnectionKind::Sicantik,
            base_url: sim.sicantik_url.clone(),
            environment: Environment::Production,
            database: None,
            username: None,
            protocol: None,
            timeout_ms: 5_000,
            // About two seconds a run (20 pages at 10/s): every kill lands mid-sync.
            rate_limit_per_sec: 10.0,
            max_concurrent: 4,
            active: true,
            secret: None,
        })
        .await
        .unwrap();
        e.store().close().await;
    }

    let loket = env!("CARGO_BIN_EXE_loket");
    let run = || {
        Command::new(loket)
            .args([
                "--data-dir",
                dir.path().to_str().unwrap(),
                "run",
                "new_permits",
                "--connection",
                "Permits",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    for _ in 0..5 {
        let mut child = run();
        tokio::time::sleep(Duration::from_millis(rng.gen_range(150..900))).await;
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
    }
    let status = run().wait().unwrap();
    assert!(status.success());

    let e = engine(dir.path()).await;
    let connection = e.list_connections().await.unwrap().remove(0);
    assert_eq!(
        e.store().count_permits(connection.id).await.unwrap(),
        TOTAL as i64
    );
    let runs = e.list_runs(None, None, 50).await.unwrap();
    assert_eq!(runs.first().map(|r| r.status), Some(RunStatus::Succeeded));
    // Every killed run was found "running" at the next start and marked interrupted.
    assert!(
        runs.iter()
            .skip(1)
            .all(|r| r.status == RunStatus::Interrupted || r.status == RunStatus::Succeeded),
        "{runs:?}"
    );
    assert!(runs.iter().any(|r| r.status == RunStatus::Interrupted));
    // The records created across all runs add up to the total: nothing was created twice.
    let created: u32 = runs.iter().map(|r| r.counts.created).sum();
    assert!(created as usize <= TOTAL, "{created}");
    let dup: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT registration_id FROM permit GROUP BY registration_id HAVING COUNT(*) > 1)",
    )
    .fetch_one(e.store().pool())
    .await
    .unwrap();
    assert_eq!(dup, 0);
}
