//! Connections against the sandbox: validation, keyring-only secrets, "Test connection" for
//! every kind and protocol, failures explained, secrets kept out of the log.
#![allow(clippy::unwrap_used)]

mod support;

use loket_core::{ApiError, ApiErrorCode, LogFilter, OdooProtocol, TestStep};
use loket_engine::secrets::connection_key;
use loket_engine::{EngineError, SecretStore};
use loket_sim::{Faults, SimConfig};
use support::*;

#[tokio::test]
async fn invalid_input_names_each_field_and_saves_nothing() {
    let h = harness(small_sim()).await;
    let mut input = sicantik("not a url");
    input.name = " ".into();
    let err = h.engine.save_connection(input).await.unwrap_err();
    let api: ApiError = err.into();
    assert_eq!(api.code, ApiErrorCode::Validation);
    let fields: Vec<_> = api.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["name", "base_url"]);
    assert!(h.engine.list_connections().await.unwrap().is_empty());
}

#[tokio::test]
async fn secrets_go_to_the_keyring_only_and_leave_with_the_connection() {
    let h = harness(small_sim()).await;
    let c = h
        .engine
        .save_connection(odoo(
            &h.sim.odoo_url,
            OdooProtocol::Jsonrpc,
            loket_sim::ODOO_PASSWORD,
        ))
        .await
        .unwrap();
    assert!(c.has_secret);
    assert_eq!(
        h.secrets.get(&connection_key(c.id)).unwrap().as_deref(),
        Some(loket_sim::ODOO_PASSWORD)
    );

    // Saving again without a secret keeps the stored one; an empty secret removes it.
    let mut edit = odoo(&h.sim.odoo_url, OdooProtocol::Jsonrpc, "");
    edit.id = Some(c.id);
    edit.secret = None;
    assert!(
        h.engine
            .save_connection(edit.clone())
            .await
            .unwrap()
            .has_secret
    );
    edit.secret = Some(String::new());
    assert!(!h.engine.save_connection(edit).await.unwrap().has_secret);
    assert_eq!(h.secrets.get(&connection_key(c.id)).unwrap(), None);

    let c2 = h
        .engine
        .save_connection(hacienda(&h.sim.hacienda_url, loket_sim::HACIENDA_PASSWORD))
        .await
        .unwrap();
    h.engine.delete_connection(c2.id).await.unwrap();
    assert_eq!(h.secrets.get(&connection_key(c2.id)).unwrap(), None);
    assert!(matches!(
        h.engine.get_connection(c2.id).await,
        Err(EngineError::Store(_))
    ));
}

#[tokio::test]
async fn every_kind_and_protocol_tests_green_against_the_sandbox() {
    let h = harness(small_sim()).await;
    let s = h
        .engine
        .save_connection(sicantik(&h.sim.sicantik_url))
        .await
        .unwrap();
    let outcome = h.engine.test_connection(s.id).await.unwrap();
    assert!(outcome.reachable, "{outcome:?}");
    assert_eq!(outcome.authenticated, None);
    assert_eq!(outcome.server_version.as_deref(), Some("SICANTIK · 270"));

    for protocol in [OdooProtocol::Xmlrpc, OdooProtocol::Jsonrpc] {
        let c = h
            .engine
            .save_connection(odoo(&h.sim.odoo_url, protocol, loket_sim::ODOO_PASSWORD))
            .await
            .unwrap();
        let outcome = h.engine.test_connection(c.id).await.unwrap();
        assert!(
            outcome.reachable && outcome.authenticated == Some(true),
            "{protocol:?}: {outcome:?}"
        );
        assert_eq!(outcome.server_version.as_deref(), Some("Odoo 17.0"));
    }

    let c = h
        .engine
        .save_connection(hacienda(&h.sim.hacienda_url, loket_sim::HACIENDA_PASSWORD))
        .await
        .unwrap();
    let outcome = h.engine.test_connection(c.id).await.unwrap();
    assert!(
        outcome.reachable && outcome.authenticated == Some(true),
        "{outcome:?}"
    );
    assert!(outcome.latency_ms >= 0);
}

#[tokio::test]
async fn json2_works_on_odoo_19_and_is_explained_on_17() {
    let h19 = harness(SimConfig {
        odoo_version: 19,
        ..small_sim()
    })
    .await;
    let mut input = odoo(
        &h19.sim.odoo_url,
        OdooProtocol::Json2,
        loket_sim::ODOO_API_KEY,
    );
    input.database = None;
    input.username = None;
    let outcome = h19
        .engine
        .test_connection_draft(input.clone())
        .await
        .unwrap();
    assert!(outcome.authenticated == Some(true), "{outcome:?}");
    assert!(outcome.server_version.unwrap().contains("19"));

    input.secret = Some("wrong-key-wrong-key".into());
    let outcome = h19.engine.test_connection_draft(input).await.unwrap();
    assert_eq!(outcome.authenticated, Some(false), "{outcome:?}");

    let h17 = harness(small_sim()).await;
    let mut input = odoo(
        &h17.sim.odoo_url,
        OdooProtocol::Json2,
        loket_sim::ODOO_API_KEY,
    );
    input.database = None;
    let outcome = h17.engine.test_connection_draft(input).await.unwrap();
    assert!(!outcome.authenticated.unwrap_or(false), "{outcome:?}");
    assert!(outcome.reason.is_some());
}

#[tokio::test]
async fn failures_are_explained_in_plain_words() {
    let h = harness(small_sim()).await;
    // Wrong password, both protocols.
    for protocol in [OdooProtocol::Xmlrpc, OdooProtocol::Jsonrpc] {
        let outcome = h
            .engine
            .test_connection_draft(odoo(&h.sim.odoo_url, protocol, "wrong-password"))
            .await
            .unwrap();
        assert!(outcome.reachable, "{outcome:?}");
        assert_eq!(outcome.authenticated, Some(false));
        assert_eq!(outcome.failed_step, Some(TestStep::Auth));
    }
    // Unknown database.
    let mut input = odoo(
        &h.sim.odoo_url,
        OdooProtocol::Jsonrpc,
        loket_sim::ODOO_PASSWORD,
    );
    input.database = Some("no_such_db".into());
    let outcome = h.engine.test_connection_draft(input).await.unwrap();
    assert_eq!(outcome.failed_step, Some(TestStep::Database), "{outcome:?}");
    assert_eq!(outcome.authenticated, Some(false));
    assert!(outcome.reason.unwrap().contains("no_such_db"));
    // Wrong Hacienda password.
    let outcome = h
        .engine
        .test_connection_draft(hacienda(&h.sim.hacienda_url, "nope-nope"))
        .await
        .unwrap();
    assert_eq!(outcome.authenticated, Some(false), "{outcome:?}");
    // Nothing listening.
    let outcome = h
        .engine
        .test_connection_draft(sicantik("http://127.0.0.1:9/backoffice/api/"))
        .await
        .unwrap();
    assert!(!outcome.reachable);
    assert_eq!(outcome.failed_step, Some(TestStep::Connect));
    // A name that does not resolve.
    let outcome = h
        .engine
        .test_connection_draft(sicantik("http://no-such-host.invalid/"))
        .await
        .unwrap();
    assert!(!outcome.reachable);
    assert!(
        matches!(outcome.failed_step, Some(TestStep::Dns | TestStep::Connect)),
        "{outcome:?}"
    );
    // An address that answers, but is not a permit API.
    let outcome = h
        .engine
        .test_connection_draft(sicantik(&format!("{}/web/", h.sim.odoo_url)))
        .await
        .unwrap();
    assert!(
        outcome.reachable && outcome.failed_step.is_some(),
        "{outcome:?}"
    );
    // Missing secret.
    let outcome = h
        .engine
        .test_connection_draft(odoo(&h.sim.odoo_url, OdooProtocol::Xmlrpc, ""))
        .await
        .unwrap();
    assert_eq!(outcome.failed_step, Some(TestStep::Secret));
}

#[tokio::test]
async fn a_hanging_server_is_reported_within_the_timeout() {
    let h = harness(small_sim()).await;
    h.sim.set_faults(Faults {
        hang_rate: 1.0,
        ..Faults::default()
    });
    let mut input = sicantik(&h.sim.sicantik_url);
    input.timeout_ms = 1_000;
    let started = std::time::Instant::now();
    let outcome = h.engine.test_connection_draft(input).await.unwrap();
    assert!(started.elapsed() < std::time::Duration::from_secs(3));
    assert_eq!(outcome.failed_step, Some(TestStep::Timeout), "{outcome:?}");
}

#[tokio::test]
async fn the_log_records_calls_without_secrets() {
    let h = harness(small_sim()).await;
    let c = h
        .engine
        .save_connection(odoo(
            &h.sim.odoo_url,
            OdooProtocol::Xmlrpc,
            loket_sim::ODOO_PASSWORD,
        ))
        .await
        .unwrap();
    h.engine.test_connection(c.id).await.unwrap();
    let k = h
        .engine
        .save_connection(hacienda(&h.sim.hacienda_url, loket_sim::HACIENDA_PASSWORD))
        .await
        .unwrap();
    h.engine.test_connection(k.id).await.unwrap();
    // The writer batches; give it a moment.
    let mut rows = Vec::new();
    for _ in 0..50 {
        rows = h.engine.list_log(&LogFilter::default()).await.unwrap();
        if rows.len() >= 3 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(rows.len() >= 3, "{rows:?}");
    for row in &rows {
        let text = format!("{row:?}");
        assert!(!text.contains(loket_sim::HACIENDA_PASSWORD), "{text}");
        assert!(
            !text.contains("<string>admin</string><string>admin</string>"),
            "{text}"
        );
    }
    let auth = rows
        .iter()
        .find(|r| {
            r.params
                .as_deref()
                .is_some_and(|p| p.contains("authenticate"))
        })
        .unwrap();
    assert!(auth.params.as_deref().unwrap().contains("***"));
    let c = h.engine.get_connection(c.id).await.unwrap();
    assert!(c.stats.requests >= 2);
}
