#![allow(dead_code, clippy::unwrap_used)]

use std::sync::Arc;

use chrono::{DateTime, Utc};
use loket_core::{ConnectionInput, ConnectionKind, Environment, OdooProtocol};
use loket_engine::{
    Clock, Engine, EngineConfig, ManualClock, MemorySecretStore, SecretStore, SystemClock,
};
use loket_sim::{RunningSim, SimConfig};
use loket_store::Store;

pub struct Harness {
    pub engine: Engine,
    pub sim: RunningSim,
    pub secrets: Arc<MemorySecretStore>,
    pub dir: tempfile::TempDir,
}

pub async fn sim(config: SimConfig) -> RunningSim {
    loket_sim::start(config).await.unwrap()
}

pub async fn harness_with(config: SimConfig, clock: Arc<dyn Clock>) -> Harness {
    let sim = sim(config).await;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("loket.db")).await.unwrap();
    let secrets = Arc::new(MemorySecretStore::default());
    let engine = Engine::start(EngineConfig {
        store,
        secrets: secrets.clone() as Arc<dyn SecretStore>,
        clock,
        data_dir: dir.path().to_path_buf(),
        demo: false,
        sandbox: None,
    })
    .await
    .unwrap();
    Harness {
        engine,
        sim,
        secrets,
        dir,
    }
}

pub async fn harness(config: SimConfig) -> Harness {
    harness_with(config, Arc::new(SystemClock)).await
}

pub fn small_sim() -> SimConfig {
    SimConfig {
        permits_issued: 230,
        permits_in_process: 40,
        ..SimConfig::default()
    }
}

pub fn manual_clock(at: &str) -> Arc<ManualClock> {
    let t: DateTime<Utc> = DateTime::parse_from_rfc3339(at)
        .unwrap()
        .with_timezone(&Utc);
    Arc::new(ManualClock::new(t))
}

pub fn sicantik(url: &str) -> ConnectionInput {
    ConnectionInput {
        id: None,
        name: "Permits".into(),
        kind: ConnectionKind::Sicantik,
        base_url: url.into(),
        environment: Environment::Production,
        database: None,
        username: None,
        protocol: None,
        timeout_ms: 5_000,
        rate_limit_per_sec: 200.0,
        max_concurrent: 4,
        active: true,
        secret: None,
    }
}

pub fn odoo(url: &str, protocol: OdooProtocol, password: &str) -> ConnectionInput {
    ConnectionInput {
        name: format!("Odoo {}", protocol.as_str()),
        kind: ConnectionKind::Odoo,
        database: Some(loket_sim::ODOO_DB.into()),
        username: Some(loket_sim::ODOO_LOGIN.into()),
        protocol: Some(protocol),
        secret: Some(password.into()),
        ..sicantik(url)
    }
}

pub fn hacienda(url: &str, password: &str) -> ConnectionInput {
    ConnectionInput {
        name: "Hacienda".into(),
        kind: ConnectionKind::Hacienda,
        environment: Environment::Staging,
        username: Some(loket_sim::HACIENDA_USERNAME.into()),
        secret: Some(password.into()),
        ..sicantik(url)
    }
}

/// The id of a connection's job of this kind.
pub async fn job_id(engine: &Engine, kind: loket_core::JobKind, connection_id: Option<i64>) -> i64 {
    engine
        .list_jobs()
        .await
        .unwrap()
        .into_iter()
        .find(|j| j.kind == kind && j.connection_id == connection_id)
        .unwrap()
        .id
}

/// Saves a permit office connection pointing at the harness's sandbox.
pub async fn permit_office(h: &Harness) -> loket_core::Connection {
    h.engine
        .save_connection(sicantik(&h.sim.sicantik_url))
        .await
        .unwrap()
}

// E-invoices ------------------------------------------------------------------------------

use std::path::{Path, PathBuf};

use loket_einvoice::Issuer;
use loket_engine::einvoices::IssuerProfile;

/// The demo's legacy .p12 (SHA1-3DES key, RC2-40 certificate, made with openssl as the tax
/// authority makes them), PIN 1234, for the sample issuer 206920142.
pub fn legacy_p12() -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("demo/sandbox-issuer.p12")).unwrap()
}

/// The sample issuer of `docs/examples/issuer.json` (the demo's), id 206920142.
pub fn issuer() -> Issuer {
    let example: serde_json::Value =
        serde_json::from_str(include_str!("../../../../docs/examples/issuer.json")).unwrap();
    serde_json::from_value(example["issuer"].clone()).unwrap()
}

/// A Hacienda connection to the sandbox with the sample issuer (no certificate yet).
pub async fn hacienda_with_issuer(h: &Harness, password: &str) -> loket_core::Connection {
    let c = h
        .engine
        .save_connection(hacienda(&h.sim.hacienda_url, password))
        .await
        .unwrap();
    h.engine
        .save_issuer(IssuerProfile {
            connection_id: c.id,
            issuer: issuer(),
            branch: 1,
            terminal: 1,
            provider_id: "206920142".into(),
        })
        .await
        .unwrap();
    c
}

/// [`hacienda_with_issuer`] with the demo certificate loaded.
pub async fn hacienda_ready(h: &Harness, password: &str) -> loket_core::Connection {
    let c = hacienda_with_issuer(h, password).await;
    h.engine
        .set_certificate(c.id, legacy_p12(), "1234".into())
        .await
        .unwrap();
    c
}

pub fn sample_csv() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../loket-einvoice/tests/data/invoices.csv")
}
