//! Fault knobs over loopback: 429 + Retry-After, malformed bodies, error rate, latency,
//! hangs, repeatability, and the admin endpoints.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::{Duration, Instant};

use loket_sim::Faults;
use serde_json::{json, Value};

/// Statuses of `n` sequential SICANTIK requests.
async fn statuses(http: &reqwest::Client, base: &str, n: usize) -> Vec<u16> {
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let resp = http
            .get(format!("{base}jumlahPerizinan"))
            .send()
            .await
            .unwrap();
        out.push(resp.status().as_u16());
    }
    out
}

#[tokio::test]
async fn rate_limit_answers_429_with_retry_after() {
    let sim = common::start_with(|c| {
        c.faults = Faults {
            rate_limit_rate: 0.3,
            retry_after_secs: 7,
            ..Faults::default()
        };
    })
    .await;
    let http = common::client();
    let mut limited = 0;
    for _ in 0..60 {
        let resp = http
            .get(format!("{}jenisperizinanlist", sim.sicantik_url))
            .send()
            .await
            .unwrap();
        if resp.status() == 429 {
            limited += 1;
            assert_eq!(resp.headers()["retry-after"], "7");
        } else {
            assert_eq!(resp.status(), 200);
        }
    }
    assert!((5..=35).contains(&limited), "{limited}");
    // Odoo and Hacienda are subject to the same faults.
    let mut odoo_limited = 0;
    for _ in 0..40 {
        let resp = http
            .post(format!("{}/jsonrpc", sim.odoo_url))
            .json(&json!({"jsonrpc": "2.0", "method": "call", "params": {"service": "common", "method": "version", "args": []}, "id": 1}))
            .send()
            .await
            .unwrap();
        if resp.status() == 429 {
            odoo_limited += 1;
        }
    }
    assert!(odoo_limited > 0);
    sim.shutdown().await;
}

#[tokio::test]
async fn malformed_bodies_are_200_and_unparsable() {
    let sim = common::start_with(|c| {
        c.faults = Faults {
            malformed_rate: 0.5,
            ..Faults::default()
        };
    })
    .await;
    let http = common::client();
    let (mut bad, mut good) = (0, 0);
    for _ in 0..40 {
        let resp = http
            .get(format!(
                "{}listpermohonanterbit?limit=5&format=json",
                sim.sicantik_url
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        let bytes = resp.bytes().await.unwrap();
        match serde_json::from_slice::<Value>(&bytes) {
            Ok(v) => {
                assert_eq!(v.as_array().unwrap().len(), 5);
                good += 1;
            }
            Err(_) => bad += 1,
        }
    }
    assert!(bad >= 8 && good >= 8, "bad {bad} good {good}");
    sim.shutdown().await;
}

#[tokio::test]
async fn error_rate_is_close_to_configured_and_repeatable() {
    let make = || async {
        common::start_with(|c| {
            c.seed = 99;
            c.faults = Faults {
                error_rate: 0.2,
                ..Faults::default()
            };
        })
        .await
    };
    let http = common::client();
    let a = make().await;
    let sa = statuses(&http, &a.sicantik_url, 400).await;
    let errors = sa.iter().filter(|s| **s == 500).count();
    assert!((50..=110).contains(&errors), "{errors} of 400");
    assert!(sa.iter().all(|s| *s == 200 || *s == 500));
    assert_eq!(a.request_count(), 400);
    // Same seed, same sequence.
    let b = make().await;
    let sb = statuses(&http, &b.sicantik_url, 400).await;
    assert_eq!(sa, sb);
    a.shutdown().await;
    b.shutdown().await;
}

#[tokio::test]
async fn admin_endpoints_switch_faults_and_are_exempt() {
    let sim = common::start().await;
    let http = common::client();
    assert_eq!(statuses(&http, &sim.sicantik_url, 5).await, vec![200; 5]);

    // Switch through the Hacienda server's admin endpoint: it applies to all three.
    let hacienda_base = sim
        .hacienda_url
        .trim_end_matches("/recepcion/v1/")
        .to_string();
    let resp = http
        .post(format!("{hacienda_base}/__sim/faults"))
        .json(&json!({"error_rate": 1.0}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(sim.faults().error_rate, 1.0);
    assert_eq!(statuses(&http, &sim.sicantik_url, 3).await, vec![500; 3]);
    let resp = http
        .post(format!("{}/jsonrpc", sim.odoo_url))
        .json(&json!({"jsonrpc": "2.0", "method": "call", "params": {"service": "common", "method": "version", "args": []}, "id": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 500);

    // Admin endpoints still answer, and count nothing.
    let before = sim.request_count();
    let stats: Value = http
        .get(format!("{}/__sim/stats", sim.odoo_url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stats["requests"], before);
    assert_eq!(stats["sicantik"], 8);
    assert_eq!(sim.request_count(), before);

    let resp = http
        .post(format!("{}/__sim/faults", sim.odoo_url))
        .json(&json!({"error_rate": 3.0}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let resp = http
        .post(format!("{}/__sim/faults", sim.odoo_url))
        .body("nope")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);

    sim.set_faults(Faults::default());
    assert_eq!(statuses(&http, &sim.sicantik_url, 3).await, vec![200; 3]);
    sim.shutdown().await;
}

#[tokio::test]
async fn latency_and_hangs() {
    let sim = common::start_with(|c| {
        c.faults = Faults {
            latency_ms: 150,
            ..Faults::default()
        };
    })
    .await;
    let http = common::client();
    let t = Instant::now();
    statuses(&http, &sim.sicantik_url, 3).await;
    // The stated latency, give or take the timer's millisecond.
    assert!(
        t.elapsed() >= Duration::from_millis(447),
        "{:?}",
        t.elapsed()
    );

    sim.set_faults(Faults {
        hang_rate: 1.0,
        ..Faults::default()
    });
    let short = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let err = short
        .get(format!("{}jumlahPerizinan", sim.sicantik_url))
        .send()
        .await
        .unwrap_err();
    assert!(err.is_timeout());
    // A hanging request does not keep the sandbox from shutting down.
    let hung = tokio::spawn({
        let url = format!("{}/jsonrpc", sim.odoo_url);
        async move {
            common::client()
                .post(url)
                .body("{}")
                .send()
                .await
                .map(|r| r.status().as_u16())
        }
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    let t = Instant::now();
    sim.shutdown().await;
    assert!(t.elapsed() < Duration::from_secs(6));
    let _ = tokio::time::timeout(Duration::from_secs(6), hung)
        .await
        .unwrap();
}
