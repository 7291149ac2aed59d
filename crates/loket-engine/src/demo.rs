//! Demo mode: three connections pointing at the built-in sandbox, with its credentials.

use loket_core::{ConnectionInput, ConnectionKind, Environment, OdooProtocol};

use crate::info::SandboxInfo;
use crate::{Engine, Result};

/// The built-in sandbox, running, with what demo mode needs to know about it.
pub struct Sandbox {
    pub running: loket_sim::RunningSim,
    pub info: SandboxInfo,
    pub setup: DemoSetup,
}

/// The sandbox as demo mode runs it: answers take a realistic 120 ms, so progress is visible.
pub fn demo_sim_config() -> loket_sim::SimConfig {
    loket_sim::SimConfig {
        faults: loket_sim::Faults {
            latency_ms: 120,
            ..Default::default()
        },
        ..Default::default()
    }
}

/// Starts the sandbox on loopback ports.
pub async fn start_sandbox(
    config: loket_sim::SimConfig,
) -> std::result::Result<Sandbox, loket_sim::SimError> {
    let running = loket_sim::start(config).await?;
    let info = SandboxInfo {
        sicantik_url: running.sicantik_url.clone(),
        odoo_url: running.odoo_url.clone(),
        hacienda_url: running.hacienda_url.clone(),
    };
    let setup = DemoSetup {
        sicantik_url: running.sicantik_url.clone(),
        odoo_url: running.odoo_url.clone(),
        odoo_database: loket_sim::ODOO_DB.into(),
        odoo_login: loket_sim::ODOO_LOGIN.into(),
        odoo_password: loket_sim::ODOO_PASSWORD.into(),
        hacienda_url: running.hacienda_url.clone(),
        hacienda_username: loket_sim::HACIENDA_USERNAME.into(),
        hacienda_password: loket_sim::HACIENDA_PASSWORD.into(),
    };
    Ok(Sandbox {
        running,
        info,
        setup,
    })
}

/// Where the sandbox listens and what it accepts.
#[derive(Debug, Clone)]
pub struct DemoSetup {
    pub sicantik_url: String,
    pub odoo_url: String,
    pub odoo_database: String,
    pub odoo_login: String,
    pub odoo_password: String,
    pub hacienda_url: String,
    pub hacienda_username: String,
    pub hacienda_password: String,
}

/// The demo connections' names.
pub const DEMO_NAMES: [&str; 3] = [
    "Permit office (sandbox)",
    "Odoo (sandbox)",
    "Hacienda (sandbox)",
];

impl Engine {
    /// Creates the demo connections, or points existing ones at the sandbox's current ports.
    pub async fn ensure_demo_connections(&self, demo: &DemoSetup) -> Result<()> {
        let existing = self.list_connections().await?;
        let id_of = |name: &str| existing.iter().find(|c| c.name == name).map(|c| c.id);
        let base = |name: &str, kind, url: &str| ConnectionInput {
            id: id_of(name),
            name: name.into(),
            kind,
            base_url: url.into(),
            environment: Environment::Staging,
            database: None,
            username: None,
            protocol: None,
            timeout_ms: 15_000,
            rate_limit_per_sec: ConnectionInput::DEFAULT_RATE,
            max_concurrent: ConnectionInput::DEFAULT_CONCURRENCY,
            active: true,
            secret: None,
        };
        self.save_connection(base(
            DEMO_NAMES[0],
            ConnectionKind::Sicantik,
            &demo.sicantik_url,
        ))
        .await?;
        self.save_connection(ConnectionInput {
            database: Some(demo.odoo_database.clone()),
            username: Some(demo.odoo_login.clone()),
            protocol: Some(OdooProtocol::Jsonrpc),
            secret: Some(demo.odoo_password.clone()),
            ..base(DEMO_NAMES[1], ConnectionKind::Odoo, &demo.odoo_url)
        })
        .await?;
        self.save_connection(ConnectionInput {
            username: Some(demo.hacienda_username.clone()),
            secret: Some(demo.hacienda_password.clone()),
            ..base(DEMO_NAMES[2], ConnectionKind::Hacienda, &demo.hacienda_url)
        })
        .await?;
        Ok(())
    }
}
