//! The shared HTTP layer against the sandbox: rate limit and concurrency cap shared by all
//! callers, error classification with Retry-After, retries, and one log record per request.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use loket_connect::sicantik::SicantikClient;
use loket_connect::{CallRecord, ConnectionClient, ConnectionSettings, FailureKind, RemoteRequest};
use loket_core::ErrorCategory;
use loket_sim::{Faults, SimConfig};
use tokio::sync::mpsc;

fn settings(url: &str, rate: Option<f64>, concurrent: u32) -> ConnectionSettings {
    ConnectionSettings {
        connection_id: 1,
        base_url: url::Url::parse(url).unwrap(),
        timeout: Duration::from_secs(2),
        rate_per_sec: rate,
        max_concurrent: concurrent,
        secrets: vec!["s3cr3t-value".into()],
        max_retries: 0,
    }
}

async fn sim(faults: Faults) -> loket_sim::RunningSim {
    loket_sim::start(SimConfig {
        permits_issued: 50,
        permits_in_process: 5,
        faults,
        ..SimConfig::default()
    })
    .await
    .unwrap()
}

/// Fires `n` requests from `tasks` concurrent callers through one client.
async fn fire(client: Arc<ConnectionClient>, tasks: usize, n: usize) -> Duration {
    let started = Instant::now();
    let handles: Vec<_> = (0..tasks)
        .map(|t| {
            let client = client.clone();
            tokio::spawn(async move {
                for _ in (t..n).step_by(tasks) {
                    client
                        .send(RemoteRequest::get("jumlahPerizinan"))
                        .await
                        .unwrap();
                }
            })
        })
        .collect();
    for h in handles {
        h.await.unwrap();
    }
    started.elapsed()
}

#[tokio::test]
async fn the_rate_limit_holds_across_concurrent_callers() {
    let sim = sim(Faults::default()).await;
    let client = ConnectionClient::new(settings(&sim.sicantik_url, Some(20.0), 8), None).unwrap();
    // 21 requests at 20/s, burst 1: at least 20 intervals of 50 ms, whoever sends them.
    let elapsed = fire(client, 4, 21).await;
    assert!(elapsed >= Duration::from_millis(990), "{elapsed:?}");
    assert_eq!(sim.request_count(), 21);
}

#[tokio::test]
async fn the_concurrency_cap_holds_across_callers() {
    let sim = sim(Faults {
        latency_ms: 100,
        ..Faults::default()
    })
    .await;
    let client = ConnectionClient::new(settings(&sim.sicantik_url, None, 2), None).unwrap();
    // 8 requests of 100 ms (give or take the sandbox timer's millisecond), at most 2 in
    // flight: at least 4 rounds.
    let elapsed = fire(client.clone(), 8, 8).await;
    assert!(elapsed >= Duration::from_millis(396), "{elapsed:?}");
    let wide = ConnectionClient::new(settings(&sim.sicantik_url, None, 8), None).unwrap();
    let fast = fire(wide, 8, 8).await;
    assert!(fast < elapsed, "{fast:?} vs {elapsed:?}");
}

#[tokio::test]
async fn failures_are_classified() {
    let sim = sim(Faults {
        error_rate: 1.0,
        ..Faults::default()
    })
    .await;
    let client = ConnectionClient::new(settings(&sim.sicantik_url, None, 4), None).unwrap();
    let e = client
        .send(RemoteRequest::get("jumlahPerizinan"))
        .await
        .unwrap_err();
    assert_eq!(
        (e.kind, e.category, e.status),
        (FailureKind::Status, ErrorCategory::Server, Some(500))
    );

    sim.set_faults(Faults {
        rate_limit_rate: 1.0,
        retry_after_secs: 3,
        ..Faults::default()
    });
    let e = client
        .send(RemoteRequest::get("jumlahPerizinan").idempotent(false))
        .await
        .unwrap_err();
    assert_eq!(e.category, ErrorCategory::RateLimit);
    assert_eq!(e.retry_after, Some(Duration::from_secs(3)));

    sim.set_faults(Faults {
        hang_rate: 1.0,
        ..Faults::default()
    });
    let mut quick = settings(&sim.sicantik_url, None, 4);
    quick.timeout = Duration::from_millis(300);
    let e = ConnectionClient::new(quick, None)
        .unwrap()
        .send(RemoteRequest::get("jumlahPerizinan"))
        .await
        .unwrap_err();
    assert_eq!(
        (e.kind, e.category),
        (FailureKind::Timeout, ErrorCategory::Network)
    );

    sim.set_faults(Faults {
        malformed_rate: 1.0,
        ..Faults::default()
    });
    let e = SicantikClient::new(client.clone())
        .counts()
        .await
        .unwrap_err();
    assert_eq!(e.kind, FailureKind::Malformed);

    let nothing = ConnectionClient::new(settings("http://127.0.0.1:9/", None, 1), None).unwrap();
    let e = nothing.send(RemoteRequest::get("x")).await.unwrap_err();
    assert_eq!(
        (e.kind, e.category),
        (FailureKind::Connect, ErrorCategory::Network)
    );
}

#[tokio::test]
async fn a_429_pauses_the_connection_for_retry_after_then_the_retry_succeeds() {
    let sim = sim(Faults {
        rate_limit_rate: 1.0,
        retry_after_secs: 1,
        ..Faults::default()
    })
    .await;
    let mut s = settings(&sim.sicantik_url, None, 4);
    s.max_retries = 3;
    let client = ConnectionClient::new(s, None).unwrap();
    let c2 = client.clone();
    let started = Instant::now();
    let call = tokio::spawn(async move { c2.send(RemoteRequest::get("jumlahPerizinan")).await });
    tokio::time::sleep(Duration::from_millis(300)).await;
    sim.set_faults(Faults::default());
    let reply = call.await.unwrap();
    assert!(reply.is_ok(), "{reply:?}");
    // The retry waited for Retry-After, not the much shorter backoff.
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn every_request_is_logged_once_with_secrets_masked() {
    let sim = sim(Faults::default()).await;
    let (tx, mut rx) = mpsc::unbounded_channel::<CallRecord>();
    let client = ConnectionClient::new(settings(&sim.sicantik_url, None, 4), Some(tx)).unwrap();
    client
        .send(
            RemoteRequest::get("listpermohonanterbit")
                .query("limit", 5)
                .query("offset", 0)
                .query("token", "s3cr3t-value"),
        )
        .await
        .unwrap();
    client
        .send(RemoteRequest::post(
            "jumlahPerizinan",
            loket_connect::Body::Json(
                serde_json::json!({"password": "p4ss", "note": "s3cr3t-value"}),
            ),
        ))
        .await
        .ok();
    let first = rx.recv().await.unwrap();
    assert_eq!(first.status, Some(200));
    assert!(first.endpoint.contains("limit=5"));
    assert!(
        !first.endpoint.contains("s3cr3t-value"),
        "{}",
        first.endpoint
    );
    assert!(first.bytes > 0);
    let second = rx.recv().await.unwrap();
    let params = second.params.unwrap();
    assert!(
        !params.contains("p4ss") && !params.contains("s3cr3t-value"),
        "{params}"
    );
    assert!(rx.try_recv().is_err());
}
