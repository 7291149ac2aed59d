//! `loket-sim`: Loket's built-in sandbox.
//!
//! It imitates the three outside systems Loket talks to — a SICANTIK permit office API,
//! an Odoo server (XML-RPC, JSON-RPC and Odoo 19's JSON-2) and Costa Rica's Hacienda
//! e-invoice API (token and recepcion) — on loopback, with deterministic data generated
//! from a seed and runtime-switchable fault knobs (latency, 500s, 429 + Retry-After,
//! hangs, malformed bodies).
//!
//! The sandbox is written from the documented behaviour of the real systems only: it does
//! not share any parsing, serialisation or domain code with Loket's own clients.
//!
//! Every server also answers admin endpoints, exempt from faults and not counted:
//! `GET|POST /__sim/faults` (the [`Faults`] JSON; partial objects fill in defaults),
//! `GET /__sim/stats` (`{requests, sicantik, odoo, hacienda}`) and
//! `GET|POST /__sim/clock` (`{"advance_secs": N}` moves the sandbox clock forward).

mod admin;
mod clock;
mod data;
mod faults;
mod hacienda;
mod odoo;
mod sicantik;
mod state;
mod text;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use faults::Faults;

use state::{Shared, System};

/// Odoo database name the sandbox accepts.
pub const ODOO_DB: &str = "loket_demo";
/// Odoo login of the sandbox's administrator (uid 2).
pub const ODOO_LOGIN: &str = "admin";
/// Password of the sandbox's Odoo administrator.
pub const ODOO_PASSWORD: &str = "admin";
/// API key of the sandbox's Odoo administrator (works in place of the password, and as the
/// bearer key of JSON-2).
pub const ODOO_API_KEY: &str = "4c6f6b657444656d6f4b657930303030a1b2c3d4";
/// Odoo login of a restricted second user (uid 6): may read and create, may not delete.
pub const ODOO_DEMO_LOGIN: &str = "demo";
/// Password of the restricted Odoo user.
pub const ODOO_DEMO_PASSWORD: &str = "demo";
/// Hacienda (staging) user name the sandbox's token endpoint accepts.
pub const HACIENDA_USERNAME: &str = "cpf-01-1234-5678@stag.comprobanteselectronicos.go.cr";
/// Password for [`HACIENDA_USERNAME`].
pub const HACIENDA_PASSWORD: &str = "demo-password";

/// Errors starting the sandbox.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// A listening socket could not be opened.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The configuration is not usable.
    #[error("invalid sandbox configuration: {0}")]
    Config(String),
}

/// How the sandbox is started.
#[derive(Clone, Debug)]
pub struct SimConfig {
    /// Seed for the generated data and for the fault dice: the same seed gives the same run.
    pub seed: u64,
    /// Number of issued permits SICANTIK serves.
    pub permits_issued: usize,
    /// Number of in-process applications SICANTIK serves.
    pub permits_in_process: usize,
    /// Faults in force at start (switchable later).
    pub faults: Faults,
    /// Address to listen on (loopback by default).
    pub bind: IpAddr,
    /// SICANTIK port (0 = pick a free port).
    pub sicantik_port: u16,
    /// Odoo port (0 = pick a free port).
    pub odoo_port: u16,
    /// Hacienda port (0 = pick a free port).
    pub hacienda_port: u16,
    /// Odoo major version imitated: 17, 18 or 19 (JSON-2 works on 19 only).
    pub odoo_version: u8,
    /// Hacienda: time after submission at which a document goes from `recibido` to `procesando`.
    pub hacienda_processing_after: Duration,
    /// Hacienda: time after submission at which a document gets its final state.
    pub hacienda_final_after: Duration,
    /// Hacienda: lifetime of an access token (`expires_in`).
    pub hacienda_token_ttl: Duration,
    /// Hacienda: lifetime of a refresh token (`refresh_expires_in`).
    pub hacienda_refresh_ttl: Duration,
    /// Hacienda: requests allowed per minute before 429; 0 = no limit and no
    /// `X-Ratelimit-*` headers.
    pub hacienda_rate_limit_per_minute: u32,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            seed: 42,
            permits_issued: 1200,
            permits_in_process: 150,
            faults: Faults::default(),
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            sicantik_port: 0,
            odoo_port: 0,
            hacienda_port: 0,
            odoo_version: 17,
            hacienda_processing_after: Duration::from_secs(2),
            hacienda_final_after: Duration::from_secs(5),
            hacienda_token_ttl: Duration::from_secs(300),
            hacienda_refresh_ttl: Duration::from_secs(36_000),
            hacienda_rate_limit_per_minute: 0,
        }
    }
}

/// A started sandbox. Dropping it stops the servers too; [`RunningSim::shutdown`] waits
/// for them.
pub struct RunningSim {
    /// SICANTIK API base, e.g. `http://127.0.0.1:PORT/backoffice/api/`.
    pub sicantik_url: String,
    /// Odoo server base, e.g. `http://127.0.0.1:PORT`.
    pub odoo_url: String,
    /// Hacienda recepcion base, e.g. `http://127.0.0.1:PORT/recepcion/v1/`.
    pub hacienda_url: String,
    /// Hacienda staging token endpoint (realm `rut-stag`; the `rut` realm answers too).
    pub hacienda_token_url: String,
    shared: Arc<Shared>,
    shutdown_tx: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl RunningSim {
    /// Replaces the faults in force, for all three systems.
    pub fn set_faults(&self, f: Faults) {
        self.shared.faults.set(f);
    }

    /// The faults in force.
    pub fn faults(&self) -> Faults {
        self.shared.faults.get()
    }

    /// Requests answered so far by the three systems (admin endpoints not counted).
    pub fn request_count(&self) -> u64 {
        self.shared.stats.total()
    }

    /// Moves the sandbox's clock forward (token expiry, Hacienda states, Odoo write dates).
    pub fn advance_clock(&self, by: Duration) {
        self.shared.clock.advance(by);
    }

    /// Stops the three servers and waits (briefly) for them to finish.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown_tx.send(true);
        for task in std::mem::take(&mut self.tasks) {
            let abort = task.abort_handle();
            if tokio::time::timeout(Duration::from_secs(5), task)
                .await
                .is_err()
            {
                abort.abort();
            }
        }
    }
}

impl Drop for RunningSim {
    fn drop(&mut self) {
        let _ = self.shutdown_tx.send(true);
    }
}

/// Starts the three servers and returns their addresses.
pub async fn start(config: SimConfig) -> Result<RunningSim, SimError> {
    if !matches!(config.odoo_version, 16..=19) {
        return Err(SimError::Config(format!(
            "odoo_version {} is not one of 16, 17, 18, 19",
            config.odoo_version
        )));
    }
    if config.hacienda_final_after < config.hacienda_processing_after {
        return Err(SimError::Config(
            "hacienda_final_after must not be shorter than hacienda_processing_after".into(),
        ));
    }
    let (shutdown_tx, shutdown_rx) = watch::channel(false);
    let shared = Arc::new(Shared::new(&config, shutdown_rx.clone()));

    let sicantik_listener = bind(config.bind, config.sicantik_port).await?;
    let odoo_listener = bind(config.bind, config.odoo_port).await?;
    let hacienda_listener = bind(config.bind, config.hacienda_port).await?;
    let base = |l: &TcpListener| -> Result<String, SimError> {
        let addr = l.local_addr().map_err(|source| SimError::Bind {
            addr: SocketAddr::new(config.bind, 0),
            source,
        })?;
        Ok(format!("http://{addr}"))
    };
    let sicantik_base = base(&sicantik_listener)?;
    let odoo_base = base(&odoo_listener)?;
    let hacienda_base = base(&hacienda_listener)?;

    let sicantik = sicantik::router(&config, &shared);
    let odoo = odoo::router(&config, &shared);
    let hacienda = hacienda::router(&config, &shared);

    let tasks = vec![
        spawn_server(
            sicantik_listener,
            sicantik,
            System::Sicantik,
            &shared,
            &shutdown_rx,
        ),
        spawn_server(odoo_listener, odoo, System::Odoo, &shared, &shutdown_rx),
        spawn_server(
            hacienda_listener,
            hacienda,
            System::Hacienda,
            &shared,
            &shutdown_rx,
        ),
    ];

    tracing::info!(%sicantik_base, %odoo_base, %hacienda_base, seed = config.seed, "loket-sim started");
    Ok(RunningSim {
        sicantik_url: format!("{sicantik_base}/backoffice/api/"),
        odoo_url: odoo_base,
        hacienda_url: format!("{hacienda_base}/recepcion/v1/"),
        hacienda_token_url: format!(
            "{hacienda_base}/auth/realms/rut-stag/protocol/openid-connect/token"
        ),
        shared,
        shutdown_tx,
        tasks,
    })
}

async fn bind(ip: IpAddr, port: u16) -> Result<TcpListener, SimError> {
    let addr = SocketAddr::new(ip, port);
    TcpListener::bind(addr)
        .await
        .map_err(|source| SimError::Bind { addr, source })
}

fn spawn_server(
    listener: TcpListener,
    app: Router,
    system: System,
    shared: &Arc<Shared>,
    shutdown: &watch::Receiver<bool>,
) -> JoinHandle<()> {
    let app = admin::router(shared)
        .merge(app)
        .layer(axum::middleware::from_fn_with_state(
            faults::FaultCtx {
                shared: Arc::clone(shared),
                system,
            },
            faults::fault_layer,
        ));
    let mut rx = shutdown.clone();
    tokio::spawn(async move {
        let signal = async move {
            let _ = rx.wait_for(|stop| *stop).await;
        };
        if let Err(e) = axum::serve(listener, app)
            .with_graceful_shutdown(signal)
            .await
        {
            tracing::warn!(?system, error = %e, "loket-sim server stopped with an error");
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn running_sim_can_live_in_shared_state() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<RunningSim>();
        assert_send_sync::<SimConfig>();
    }

    #[tokio::test]
    async fn rejects_bad_configuration() {
        let bad = SimConfig {
            odoo_version: 12,
            ..SimConfig::default()
        };
        assert!(matches!(start(bad).await, Err(SimError::Config(_))));
    }
}
