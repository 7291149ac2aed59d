//! The Hacienda session against the sandbox: one token for concurrent calls, renewed ahead of
//! its expiry, a 401 renews and replays once, a duplicate is "already received", an unknown
//! clave is "not received".
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::Duration;

use loket_connect::hacienda::{
    HaciendaClient, HaciendaSession, StatusFetch, Submission, SubmitOutcome,
};
use loket_connect::{ConnectionClient, ConnectionSettings};
use loket_core::{Environment, ErrorCategory};

async fn session(sim: &loket_sim::RunningSim, password: &str) -> Arc<HaciendaSession> {
    let http = ConnectionClient::new(
        ConnectionSettings {
            connection_id: 1,
            base_url: url::Url::parse(&sim.hacienda_url).unwrap(),
            timeout: Duration::from_secs(5),
            rate_per_sec: None,
            max_concurrent: 8,
            secrets: vec![password.into()],
            max_retries: 0,
        },
        None,
    )
    .unwrap();
    Arc::new(HaciendaSession::new(
        HaciendaClient::new(http, Environment::Staging),
        loket_sim::HACIENDA_USERNAME.into(),
        password.into(),
    ))
}

fn submission(n: u32) -> Submission {
    Submission {
        clave: format!("5060101260031012345670010000101{n:010}199999999"),
        fecha: "2026-01-01T10:00:00-06:00".into(),
        issuer_id_type: "02".into(),
        issuer_id: "3101234567".into(),
        receiver: Some(("01".into(), "114480790".into())),
        signed_xml: "<FacturaElectronica/>".into(),
        callback_url: None,
    }
}

#[tokio::test]
async fn concurrent_calls_share_one_token_and_a_401_renews_once() {
    let sim = loket_sim::start(loket_sim::SimConfig::default())
        .await
        .unwrap();
    let s = session(&sim, loket_sim::HACIENDA_PASSWORD).await;
    assert_eq!(submission(1).clave.len(), 50);

    let sends: Vec<_> = (0..20)
        .map(|n| {
            let s = Arc::clone(&s);
            tokio::spawn(async move { s.submit(&submission(n)).await })
        })
        .collect();
    for h in sends {
        assert!(matches!(
            h.await.unwrap().unwrap(),
            SubmitOutcome::Received { status: 202 }
        ));
    }
    assert_eq!(s.token_requests(), 1, "one token for twenty calls");

    // The server's clock passes the token's life: the next call gets a 401, renews, replays.
    sim.advance_clock(Duration::from_secs(3 * 3600));
    match s.status(&submission(3).clave).await.unwrap() {
        StatusFetch::Found { status, body } => {
            assert_eq!(status, 200);
            assert!(body.contains(&submission(3).clave), "{body}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(s.token_requests(), 2, "one renewal for the 401");

    // Sending the same clave again is "already received", not a failure.
    match s.submit(&submission(3)).await.unwrap() {
        SubmitOutcome::AlreadyReceived { cause } => assert!(cause.contains("ya fue recibido")),
        other => panic!("{other:?}"),
    }
    // A clave never sent is "not received": safe to send.
    assert!(matches!(
        s.status(&submission(999).clave).await.unwrap(),
        StatusFetch::NotReceived { .. }
    ));
}

#[tokio::test]
async fn a_bad_password_and_a_bad_document_are_refused_with_hacienda_words() {
    let sim = loket_sim::start(loket_sim::SimConfig::default())
        .await
        .unwrap();
    let wrong = session(&sim, "not-the-password").await;
    let e = wrong.submit(&submission(1)).await.unwrap_err();
    assert_eq!(e.category, ErrorCategory::Auth);
    // The refusal is remembered: the same password is not tried again (lock-out risk).
    let again = wrong.submit(&submission(2)).await.unwrap_err();
    assert_eq!(again.category, ErrorCategory::Auth);
    assert_eq!(wrong.token_requests(), 1);

    let s = session(&sim, loket_sim::HACIENDA_PASSWORD).await;
    let mut bad = submission(2);
    bad.clave = "123".into();
    let e = s.submit(&bad).await.unwrap_err();
    assert_eq!(e.category, ErrorCategory::Validation);
    assert_eq!(e.status, Some(400));
    assert!(e.details.unwrap_or_default().contains("50 dígitos"));
}

#[tokio::test]
async fn a_token_close_to_expiry_is_renewed_before_it_is_refused() {
    // Tokens live 32 s: after 2.5 s fewer than the 30 s of margin are left, though the server
    // would still take it.
    let sim = loket_sim::start(loket_sim::SimConfig {
        hacienda_token_ttl: Duration::from_secs(32),
        ..loket_sim::SimConfig::default()
    })
    .await
    .unwrap();
    let s = session(&sim, loket_sim::HACIENDA_PASSWORD).await;
    s.submit(&submission(1)).await.unwrap();
    s.status(&submission(1).clave).await.unwrap();
    assert_eq!(s.token_requests(), 1, "a fresh token is reused");
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    s.status(&submission(1).clave).await.unwrap();
    assert_eq!(s.token_requests(), 2, "renewed ahead of its expiry");
    s.status(&submission(1).clave).await.unwrap();
    assert_eq!(s.token_requests(), 2, "the renewed token is reused");
}
