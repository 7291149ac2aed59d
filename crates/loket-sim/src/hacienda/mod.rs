//! Costa Rica Hacienda imitation: the OIDC token endpoint (realms `rut-stag` and `rut`)
//! and the recepcion API (`/recepcion/v1/`, also `/recepcion-sandbox/v1/`) with
//! time-driven document states and signed-style MensajeHacienda answers.

mod callback;
mod mensaje;
mod recepcion;
mod token;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::routing::{get, post};
use axum::Router;
use chrono::{DateTime, Utc};
use rand::rngs::StdRng;
use rand::SeedableRng;

use crate::state::Shared;
use crate::SimConfig;

/// Timings and limits of the imitation.
#[derive(Clone, Debug)]
pub(crate) struct Settings {
    pub(crate) processing_after: Duration,
    pub(crate) final_after: Duration,
    pub(crate) token_ttl: Duration,
    pub(crate) refresh_ttl: Duration,
    pub(crate) rate_limit_per_minute: u32,
}

/// One received document.
#[derive(Clone, Debug)]
pub(crate) struct Doc {
    pub(crate) clave: String,
    pub(crate) fecha: String,
    pub(crate) received: DateTime<Utc>,
    pub(crate) emisor: (String, String),
    pub(crate) receptor: Option<(String, String)>,
    pub(crate) xml: String,
}

/// Issued tokens: value → (expiry, user).
#[derive(Default)]
pub(crate) struct Tokens {
    pub(crate) access: HashMap<String, DateTime<Utc>>,
    pub(crate) refresh: HashMap<String, (DateTime<Utc>, String)>,
}

/// State of the Hacienda server.
pub(crate) struct HaciendaState {
    pub(crate) shared: Arc<Shared>,
    pub(crate) settings: Settings,
    pub(crate) tokens: Mutex<Tokens>,
    pub(crate) docs: Mutex<HashMap<String, Doc>>,
    pub(crate) rng: Mutex<StdRng>,
    /// (window start, requests in the window) for the optional rate limit.
    pub(crate) window: Mutex<(DateTime<Utc>, u32)>,
}

/// Builds the Hacienda server's routes.
pub(crate) fn router(config: &SimConfig, shared: &Arc<Shared>) -> Router {
    let state = Arc::new(HaciendaState {
        shared: Arc::clone(shared),
        settings: Settings {
            processing_after: config.hacienda_processing_after,
            final_after: config.hacienda_final_after,
            token_ttl: config.hacienda_token_ttl,
            refresh_ttl: config.hacienda_refresh_ttl,
            rate_limit_per_minute: config.hacienda_rate_limit_per_minute,
        },
        tokens: Mutex::new(Tokens::default()),
        docs: Mutex::new(HashMap::new()),
        rng: Mutex::new(StdRng::seed_from_u64(config.seed ^ 0x4AC1_E4DA_0000_0044)),
        window: Mutex::new((shared.clock.now(), 0)),
    });
    let recepcion = Router::new()
        .route("/recepcion", post(recepcion::submit))
        .route("/recepcion/", post(recepcion::submit))
        .route("/recepcion/{clave}", get(recepcion::status));
    Router::new()
        .route(
            "/auth/realms/{realm}/protocol/openid-connect/token",
            post(token::token),
        )
        .route(
            "/auth/realms/{realm}/protocol/openid-connect/logout",
            post(token::logout),
        )
        .nest("/recepcion/v1", recepcion.clone())
        .nest("/recepcion-sandbox/v1", recepcion)
        .with_state(state)
}
