//! What the benchmarks share: an engine on a fresh store, and a runtime of its own for the
//! sandbox, which stands in for a remote server (its request handling is not scheduled behind
//! the engine's tasks).
#![allow(dead_code, clippy::unwrap_used)]

use std::sync::Arc;

use loket_engine::{Engine, EngineConfig, MemorySecretStore, SystemClock};
use loket_store::Store;

/// An engine on a new store in `dir`, with secrets in memory.
pub async fn engine(dir: &std::path::Path) -> Engine {
    engine_on(Store::open(&dir.join("loket.db")).await.unwrap(), dir).await
}

/// An engine on `store` (filled beforehand), its data folder `dir`, with secrets in memory.
pub async fn engine_on(store: Store, dir: &std::path::Path) -> Engine {
    Engine::start(EngineConfig {
        store,
        secrets: Arc::new(MemorySecretStore::default()),
        clock: Arc::new(SystemClock),
        data_dir: dir.to_path_buf(),
        demo: false,
        sandbox: None,
    })
    .await
    .unwrap()
}

/// A one-thread runtime for the sandbox.
pub fn sandbox_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap()
}

/// Starts the sandbox on `runtime`.
pub async fn start_sandbox(
    runtime: &tokio::runtime::Handle,
    config: loket_sim::SimConfig,
) -> loket_sim::RunningSim {
    runtime
        .spawn(loket_sim::start(config))
        .await
        .unwrap()
        .unwrap()
}
