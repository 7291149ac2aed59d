//! State shared by the three servers: fault knobs, clock, request counters, shutdown signal.

use std::sync::atomic::{AtomicU64, Ordering};

use tokio::sync::watch;

use crate::clock::SimClock;
use crate::faults::FaultState;
use crate::SimConfig;

/// Which imitated system a server is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum System {
    Sicantik,
    Odoo,
    Hacienda,
}

/// Request counters (admin endpoints excluded).
#[derive(Debug, Default)]
pub(crate) struct Stats {
    sicantik: AtomicU64,
    odoo: AtomicU64,
    hacienda: AtomicU64,
}

impl Stats {
    pub(crate) fn count(&self, system: System) {
        let c = match system {
            System::Sicantik => &self.sicantik,
            System::Odoo => &self.odoo,
            System::Hacienda => &self.hacienda,
        };
        c.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn get(&self, system: System) -> u64 {
        match system {
            System::Sicantik => self.sicantik.load(Ordering::Relaxed),
            System::Odoo => self.odoo.load(Ordering::Relaxed),
            System::Hacienda => self.hacienda.load(Ordering::Relaxed),
        }
    }

    pub(crate) fn total(&self) -> u64 {
        self.get(System::Sicantik) + self.get(System::Odoo) + self.get(System::Hacienda)
    }
}

/// Everything the three servers share.
pub(crate) struct Shared {
    pub(crate) faults: FaultState,
    pub(crate) clock: SimClock,
    pub(crate) stats: Stats,
    pub(crate) shutdown: watch::Receiver<bool>,
}

impl Shared {
    pub(crate) fn new(config: &SimConfig, shutdown: watch::Receiver<bool>) -> Self {
        Shared {
            faults: FaultState::new(config.faults.clone(), config.seed),
            clock: SimClock::default(),
            stats: Stats::default(),
            shutdown,
        }
    }

    /// Resolves when the sandbox is told to stop.
    pub(crate) async fn stopped(&self) {
        let mut rx = self.shutdown.clone();
        let _ = rx.wait_for(|stop| *stop).await;
    }
}
