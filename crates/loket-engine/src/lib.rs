//! Loket's one API. Everything a user can do is a function here; the desktop shell, the
//! `loket` command and the tests are thin adapters over [`Engine`].

pub mod api;
mod clients;
pub mod clock;
mod connections;
pub mod demo;
pub mod einvoices;
mod error;
pub mod events;
mod export;
pub mod info;
pub mod jobs;
mod log_writer;
mod permits;
pub mod scheduler;
pub mod secrets;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use loket_store::Store;
use tokio::sync::{broadcast, Mutex};

pub use clock::{Clock, ManualClock, SystemClock};
pub use error::EngineError;
pub use events::EngineEvent;
pub use info::{AppInfo, KeyringStatus, SandboxInfo};
pub use secrets::{KeyringSecretStore, MemorySecretStore, SecretError, SecretStore};

/// Result of an engine call.
pub type Result<T, E = EngineError> = std::result::Result<T, E>;

/// How the engine is set up.
pub struct EngineConfig {
    pub store: Store,
    pub secrets: Arc<dyn SecretStore>,
    pub clock: Arc<dyn Clock>,
    pub data_dir: PathBuf,
    pub demo: bool,
    pub sandbox: Option<SandboxInfo>,
}

/// The engine; cheap to clone, shared by every caller.
#[derive(Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    secrets: Arc<dyn SecretStore>,
    clock: Arc<dyn Clock>,
    events: broadcast::Sender<EngineEvent>,
    clients: clients::ClientCache,
    running: Mutex<HashMap<i64, jobs::RunHandle>>,
    data_dir: PathBuf,
    demo: bool,
    sandbox: Option<SandboxInfo>,
    /// Signing identities opened with a PIN typed for one bulk run, per connection; taken
    /// (and so forgotten) when the run starts.
    prepared_identities: Mutex<HashMap<i64, Arc<loket_einvoice::SigningIdentity>>>,
    /// E-invoices being sent right now: two runs never send the same one at once.
    submitting: std::sync::Mutex<std::collections::HashSet<i64>>,
}

impl Engine {
    /// Starts the engine: marks runs a dead process left "running" as interrupted, makes sure
    /// the built-in jobs exist and starts the integration-log writer.
    pub async fn start(config: EngineConfig) -> Result<Self> {
        let (events, _) = broadcast::channel(1024);
        let log_tx = log_writer::spawn(config.store.clone(), events.clone());
        let engine = Self {
            inner: Arc::new(Inner {
                clients: clients::ClientCache::new(log_tx),
                store: config.store,
                secrets: config.secrets,
                clock: config.clock,
                events,
                running: Mutex::new(HashMap::new()),
                data_dir: config.data_dir,
                demo: config.demo,
                sandbox: config.sandbox,
                prepared_identities: Mutex::new(HashMap::new()),
                submitting: std::sync::Mutex::new(std::collections::HashSet::new()),
            }),
        };
        let now = engine.now();
        engine.inner.store.interrupt_stale_runs(now).await?;
        jobs::ensure_builtin_jobs(&engine).await?;
        Ok(engine)
    }

    /// Events for the UI: progress, finished runs, changed data, notifications.
    pub fn subscribe(&self) -> broadcast::Receiver<EngineEvent> {
        self.inner.events.subscribe()
    }

    /// The store (for adapters that need read access in tests and benchmarks).
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    pub(crate) fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.inner.clock.now()
    }

    pub(crate) fn emit(&self, event: EngineEvent) {
        // No subscriber is fine: the CLI may run without a UI.
        let _ = self.inner.events.send(event);
    }

    pub(crate) fn changed(&self, topics: &[&str]) {
        self.emit(EngineEvent::Changed {
            topics: topics.iter().map(|t| t.to_string()).collect(),
        });
    }
}
