//! Admin endpoints present on every server (exempt from faults):
//! `GET|POST /__sim/faults`, `GET /__sim/stats`, `POST /__sim/clock`.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;

use crate::faults::Faults;
use crate::state::{Shared, System};

pub(crate) fn router(shared: &Arc<Shared>) -> Router {
    Router::new()
        .route("/__sim/faults", get(get_faults).post(set_faults))
        .route("/__sim/stats", get(stats))
        .route("/__sim/clock", post(advance_clock).get(clock))
        .with_state(Arc::clone(shared))
}

fn bad_request(msg: String) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({ "error": msg }))).into_response()
}

async fn get_faults(State(shared): State<Arc<Shared>>) -> Response {
    Json(shared.faults.get()).into_response()
}

async fn set_faults(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let faults: Faults = match serde_json::from_slice(&body) {
        Ok(f) => f,
        Err(e) => return bad_request(format!("invalid faults JSON: {e}")),
    };
    if let Err(e) = faults.validate() {
        return bad_request(e);
    }
    shared.faults.set(faults.clone());
    Json(faults).into_response()
}

async fn stats(State(shared): State<Arc<Shared>>) -> Response {
    let s = &shared.stats;
    Json(json!({
        "requests": s.total(),
        "sicantik": s.get(System::Sicantik),
        "odoo": s.get(System::Odoo),
        "hacienda": s.get(System::Hacienda),
    }))
    .into_response()
}

async fn clock(State(shared): State<Arc<Shared>>) -> Response {
    Json(json!({
        "now": shared.clock.now().to_rfc3339(),
        "offset_secs": shared.clock.offset_secs(),
    }))
    .into_response()
}

/// Body `{"advance_secs": N}`: moves the sandbox clock forward by N seconds.
async fn advance_clock(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let v: serde_json::Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return bad_request(format!("invalid JSON: {e}")),
    };
    let Some(secs) = v.get("advance_secs").and_then(serde_json::Value::as_f64) else {
        return bad_request("advance_secs (a number of seconds) is required".into());
    };
    if !(0.0..=1.0e9).contains(&secs) {
        return bad_request("advance_secs must be between 0 and 1e9".into());
    }
    shared.clock.advance(Duration::from_secs_f64(secs));
    clock(State(shared)).await
}
