//! Demo mode: three connections pointing at the built-in sandbox, with its credentials.

use loket_core::{ConnectionInput, ConnectionKind, Environment, JobKind, OdooProtocol};

use crate::info::SandboxInfo;
use crate::{Engine, EngineError, Result};

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

/// Requests per second the demo permit office connection allows.
const DEMO_PERMIT_RATE: f64 = 50.0;

/// PIN of the demo certificate (`demo/sandbox-issuer.p12`), shown in the docs.
pub const DEMO_CERTIFICATE_PIN: &str = "1234";

/// The demo connections' names.
pub const DEMO_NAMES: [&str; 3] = [
    "Permit office (sandbox)",
    "Odoo (sandbox)",
    "Hacienda (sandbox)",
];

impl Engine {
    /// Creates the demo connections, or points existing ones at the sandbox's current ports.
    /// Returns whether they were created now (a first start in demo mode).
    pub async fn ensure_demo_connections(&self, demo: &DemoSetup) -> Result<bool> {
        let existing = self.list_connections().await?;
        let id_of = |name: &str| existing.iter().find(|c| c.name == name).map(|c| c.id);
        let first_start = id_of(DEMO_NAMES[0]).is_none();
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
        self.save_connection(ConnectionInput {
            // The sandbox is local: a faster pace lets the demo's expiry sync of some 1,200
            // permits finish in about half a minute instead of two.
            rate_limit_per_sec: DEMO_PERMIT_RATE,
            max_concurrent: 8,
            ..base(DEMO_NAMES[0], ConnectionKind::Sicantik, &demo.sicantik_url)
        })
        .await?;
        self.save_connection(ConnectionInput {
            database: Some(demo.odoo_database.clone()),
            username: Some(demo.odoo_login.clone()),
            protocol: Some(OdooProtocol::Jsonrpc),
            secret: Some(demo.odoo_password.clone()),
            ..base(DEMO_NAMES[1], ConnectionKind::Odoo, &demo.odoo_url)
        })
        .await?;
        let hacienda = self
            .save_connection(ConnectionInput {
                username: Some(demo.hacienda_username.clone()),
                secret: Some(demo.hacienda_password.clone()),
                ..base(DEMO_NAMES[2], ConnectionKind::Hacienda, &demo.hacienda_url)
            })
            .await?;
        if let Err(e) = self.ensure_demo_issuer(hacienda.id).await {
            // Permits and Odoo work without it; e-invoices will say what is missing.
            tracing::warn!(error = %e, "the demo issuer could not be set up");
        }
        Ok(first_start)
    }

    /// The demo's issuing company and its certificate: a self-signed, sandbox-only legacy .p12
    /// (PIN 1234) made with openssl like the tax authority's files, so signing works at once;
    /// and the sample documents of `docs/examples/einvoices.csv` as drafts.
    async fn ensure_demo_issuer(&self, connection_id: i64) -> Result<()> {
        if self.inner.store.issuer(connection_id).await?.is_some() {
            return Ok(());
        }
        // A morning's invoices waiting as drafts, so the e-invoice screens have work to show.
        // Imported before the issuer is saved, so a failure is tried again at the next start
        // (the import skips what it already stored).
        self.import_einvoice_bytes(
            connection_id,
            "einvoices.csv",
            include_bytes!("../../../docs/examples/einvoices.csv"),
        )
        .await?;
        let mut profile: serde_json::Value =
            serde_json::from_str(include_str!("../../../docs/examples/issuer.json"))
                .map_err(|e| EngineError::Internal(e.to_string()))?;
        profile["connection_id"] = serde_json::json!(connection_id);
        let profile: crate::einvoices::IssuerProfile =
            serde_json::from_value(profile).map_err(|e| EngineError::Internal(e.to_string()))?;
        self.save_issuer(profile).await?;
        let p12 = include_bytes!("../demo/sandbox-issuer.p12").to_vec();
        self.set_certificate(connection_id, p12, DEMO_CERTIFICATE_PIN.into())
            .await?;
        Ok(())
    }

    /// What a new user of demo mode sees happen by itself: permit types and permits arrive,
    /// their expiry dates are looked up (progress on the Sync screen), lapsed ones are marked
    /// expired, and the reminders that
    /// are due go out as desktop notifications. Runs in the background, one job after another.
    pub fn start_demo_first_sync(&self) {
        let engine = self.clone();
        tokio::spawn(async move {
            let Ok(jobs) = engine.list_jobs().await else {
                return;
            };
            let office = jobs
                .iter()
                .find(|j| j.connection_name.as_deref() == Some(DEMO_NAMES[0]))
                .and_then(|j| j.connection_id);
            for kind in [
                JobKind::PermitTypes,
                JobKind::NewPermits,
                JobKind::ExpirySync,
                JobKind::MarkExpired,
                JobKind::Reminders,
            ] {
                let connection = kind.connection_kind().and(office);
                let Some(job) = jobs
                    .iter()
                    .find(|j| j.kind == kind && j.connection_id == connection)
                else {
                    continue;
                };
                if let Err(e) = engine.run_job_and_wait(job.id, "demo").await {
                    tracing::warn!(job = kind.as_str(), error = %e, "demo first sync stopped");
                    return;
                }
            }
        });
    }
}
