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
