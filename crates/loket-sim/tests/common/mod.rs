//! Helpers shared by the loopback tests.
#![allow(dead_code, clippy::unwrap_used)]

use std::time::Duration;

use loket_sim::{RunningSim, SimConfig};

/// Starts a sandbox with test-friendly defaults (short Hacienda timings).
pub async fn start_with(f: impl FnOnce(&mut SimConfig)) -> RunningSim {
    let mut config = SimConfig {
        seed: 7,
        hacienda_processing_after: Duration::from_millis(200),
        hacienda_final_after: Duration::from_millis(600),
        ..SimConfig::default()
    };
    f(&mut config);
    loket_sim::start(config).await.unwrap()
}

pub async fn start() -> RunningSim {
    start_with(|_| {}).await
}

/// A client that never goes through a proxy.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}
