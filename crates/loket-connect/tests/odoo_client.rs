//! The Odoo client over XML-RPC, JSON-RPC and JSON-2 against the sandbox's Odoo: the same calls
//! give the same answers, and Odoo's errors arrive as typed kinds with Odoo's own message.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use loket_connect::odoo::{OdooClient, OdooLogin};
use loket_connect::{ConnectionClient, ConnectionSettings};
use loket_core::OdooProtocol;
use serde_json::{json, Value};

fn client(url: &str, protocol: OdooProtocol, login: &str, secret: &str) -> OdooClient {
    let http = ConnectionClient::new(
        ConnectionSettings {
            connection_id: 1,
            base_url: url::Url::parse(&format!("{url}/")).unwrap(),
            timeout: Duration::from_secs(5),
            rate_per_sec: None,
            max_concurrent: 4,
            secrets: vec![secret.into()],
            max_retries: 0,
        },
        None,
    )
    .unwrap();
    OdooClient::new(
        http,
        protocol,
        OdooLogin {
            database: loket_sim::ODOO_DB.into(),
            login: login.into(),
            secret: secret.into(),
        },
    )
}

#[tokio::test]
async fn every_protocol_creates_reads_writes_and_deletes_alike() {
    let sim = loket_sim::start(loket_sim::SimConfig {
        odoo_version: 19,
        ..Default::default()
    })
    .await
    .unwrap();
    for (protocol, secret) in [
        (OdooProtocol::Xmlrpc, loket_sim::ODOO_PASSWORD),
        (OdooProtocol::Jsonrpc, loket_sim::ODOO_PASSWORD),
        (OdooProtocol::Json2, loket_sim::ODOO_API_KEY),
    ] {
        let odoo = client(&sim.odoo_url, protocol, loket_sim::ODOO_LOGIN, secret);
        let before = odoo
            .execute_kw("res.partner", "search_count", json!([[]]), json!({}))
            .await
            .unwrap();
        let ids = odoo
            .execute_kw(
                "res.partner",
                "create",
                json!([[{"name": "PT Loket A"}, {"name": "PT Loket B"}]]),
                json!({}),
            )
            .await
            .unwrap();
        let ids: Vec<i64> = serde_json::from_value(ids).unwrap();
        assert_eq!(ids.len(), 2, "{protocol:?}");
        odoo.execute_kw(
            "res.partner",
            "write",
            json!([[ids[0]], {"phone": "+6281234567890"}]),
            json!({}),
        )
        .await
        .unwrap();
        let rows = odoo
            .execute_kw(
                "res.partner",
                "read",
                json!([[ids[0]]]),
                json!({"fields": ["name", "phone", "parent_id"]}),
            )
            .await
            .unwrap();
        assert_eq!(rows[0]["name"], "PT Loket A", "{protocol:?}");
        assert_eq!(rows[0]["phone"], "+6281234567890", "{protocol:?}");
        assert_eq!(
            rows[0]["parent_id"],
            Value::Bool(false),
            "{protocol:?}: empty many2one is false"
        );
        odoo.execute_kw("res.partner", "unlink", json!([ids]), json!({}))
            .await
            .unwrap();
        let after = odoo
            .execute_kw("res.partner", "search_count", json!([[]]), json!({}))
            .await
            .unwrap();
        assert_eq!(before, after, "{protocol:?}");
    }
}

#[tokio::test]
async fn odoo_errors_arrive_typed_with_odoos_message() {
    let sim = loket_sim::start(loket_sim::SimConfig::default())
        .await
        .unwrap();
    for protocol in [OdooProtocol::Xmlrpc, OdooProtocol::Jsonrpc] {
        let admin = client(
            &sim.odoo_url,
            protocol,
            loket_sim::ODOO_LOGIN,
            loket_sim::ODOO_PASSWORD,
        );
        let e = admin
            .execute_kw("no.such.model", "search_count", json!([[]]), json!({}))
            .await
            .unwrap_err();
        assert!(
            e.code.is_some() && e.details.is_some(),
            "{protocol:?}: {e:?}"
        );

        let e = admin
            .execute_kw(
                "res.partner",
                "search_read",
                json!([[["no_such_field", "=", 1]]]),
                json!({}),
            )
            .await
            .unwrap_err();
        assert!(
            e.details.unwrap_or_default().contains("no_such_field"),
            "{protocol:?}"
        );

        let demo = client(
            &sim.odoo_url,
            protocol,
            loket_sim::ODOO_DEMO_LOGIN,
            loket_sim::ODOO_DEMO_PASSWORD,
        );
        let ids = demo
            .execute_kw("res.partner", "search", json!([[]]), json!({"limit": 1}))
            .await
            .unwrap();
        let e = demo
            .execute_kw("res.partner", "unlink", json!([ids]), json!({}))
            .await
            .unwrap_err();
        assert_eq!(
            e.code.as_deref(),
            Some("access_error"),
            "{protocol:?}: {e:?}"
        );

        let wrong = client(&sim.odoo_url, protocol, loket_sim::ODOO_LOGIN, "wrong");
        let e = wrong.authenticate().await.unwrap_err();
        assert_eq!(e.code.as_deref(), Some("access_denied"), "{protocol:?}");
    }
}
