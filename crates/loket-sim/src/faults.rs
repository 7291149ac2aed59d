//! Fault knobs and the middleware that applies them to every non-admin request.

use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::Duration;

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

use crate::state::{Shared, System};

/// Faults the sandbox injects; every request (admin endpoints excepted) of all three
/// systems is subject to them. Rates are fractions in `0.0..=1.0`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Faults {
    /// Delay added before every answer, in milliseconds.
    pub latency_ms: u64,
    /// Fraction of requests answered 500.
    pub error_rate: f64,
    /// Fraction of requests answered 429 with `Retry-After`.
    pub rate_limit_rate: f64,
    /// Value of the `Retry-After` header on a 429, in seconds.
    pub retry_after_secs: u64,
    /// Fraction of requests that never get an answer (the server sleeps an hour).
    pub hang_rate: f64,
    /// Fraction of requests answered 200 with a truncated or garbled body.
    pub malformed_rate: f64,
}

impl Faults {
    /// Checks that every rate is a number in `0.0..=1.0`.
    pub fn validate(&self) -> Result<(), String> {
        for (name, v) in [
            ("error_rate", self.error_rate),
            ("rate_limit_rate", self.rate_limit_rate),
            ("hang_rate", self.hang_rate),
            ("malformed_rate", self.malformed_rate),
        ] {
            if !(0.0..=1.0).contains(&v) {
                return Err(format!("{name} must be between 0 and 1, got {v}"));
            }
        }
        Ok(())
    }
}

/// What happens to one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    Normal,
    Hang,
    Error,
    RateLimit,
    Malformed,
}

/// The faults in force plus the seeded dice.
pub(crate) struct FaultState {
    faults: RwLock<Faults>,
    rng: Mutex<StdRng>,
}

impl FaultState {
    pub(crate) fn new(faults: Faults, seed: u64) -> Self {
        FaultState {
            faults: RwLock::new(faults),
            rng: Mutex::new(StdRng::seed_from_u64(seed ^ 0xFA17_5EED_0000_0001)),
        }
    }

    pub(crate) fn get(&self) -> Faults {
        self.faults
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    pub(crate) fn set(&self, f: Faults) {
        *self.faults.write().unwrap_or_else(PoisonError::into_inner) = f;
    }

    fn draw(&self, f: &Faults) -> Outcome {
        let r: f64 = self
            .rng
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .gen();
        let mut edge = 0.0;
        for (rate, outcome) in [
            (f.hang_rate, Outcome::Hang),
            (f.error_rate, Outcome::Error),
            (f.rate_limit_rate, Outcome::RateLimit),
            (f.malformed_rate, Outcome::Malformed),
        ] {
            edge += rate.clamp(0.0, 1.0);
            if r < edge {
                return outcome;
            }
        }
        Outcome::Normal
    }

    /// Spoils a body: cut it short, and sometimes append junk bytes (not valid UTF-8).
    fn spoil(&self, body: &[u8]) -> Vec<u8> {
        let mut rng = self.rng.lock().unwrap_or_else(PoisonError::into_inner);
        let len = body.len();
        let cut = if len >= 4 {
            rng.gen_range(len / 4..=(len * 3 / 4).max(len / 4))
        } else {
            0
        };
        let mut out = body.get(..cut).unwrap_or_default().to_vec();
        if len < 4 || rng.gen_bool(0.5) {
            out.extend_from_slice(b"\xff\xfe<\x00garbled \x1b[0m");
            let junk: u8 = rng.gen();
            out.push(junk | 0x80);
        }
        out
    }
}

/// State of the fault middleware: the shared state and which system it guards.
#[derive(Clone)]
pub(crate) struct FaultCtx {
    pub(crate) shared: Arc<Shared>,
    pub(crate) system: System,
}

/// How long to sleep for a stated latency. Tokio's timer rounds a deadline up to the next
/// millisecond and fires after that tick, so a 50 ms sleep lasts about 51.2 ms (measured on
/// this project's machine); one millisecond less lasts about 50.1 ms, the stated latency.
fn latency_sleep(latency_ms: u64) -> Duration {
    Duration::from_millis(latency_ms.saturating_sub(1).max(1))
}

/// Middleware: counts the request, then applies latency and the drawn fault.
pub(crate) async fn fault_layer(State(ctx): State<FaultCtx>, req: Request, next: Next) -> Response {
    if req.uri().path().starts_with("/__sim/") {
        return next.run(req).await;
    }
    ctx.shared.stats.count(ctx.system);
    let faults = ctx.shared.faults.get();
    if faults.latency_ms > 0 {
        tokio::time::sleep(latency_sleep(faults.latency_ms)).await;
    }
    match ctx.shared.faults.draw(&faults) {
        Outcome::Normal => next.run(req).await,
        Outcome::Hang => {
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_secs(3600)) => {}
                _ = ctx.shared.stopped() => {}
            }
            (StatusCode::SERVICE_UNAVAILABLE, "shutting down").into_response()
        }
        Outcome::Error => server_error(ctx.system),
        Outcome::RateLimit => {
            let mut resp = (
                StatusCode::TOO_MANY_REQUESTS,
                [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                "<html>\r\n<head><title>429 Too Many Requests</title></head>\r\n<body>\r\n<center><h1>429 Too Many Requests</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
            )
                .into_response();
            resp.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from(faults.retry_after_secs),
            );
            resp
        }
        Outcome::Malformed => {
            let resp = next.run(req).await;
            let (mut parts, body) = resp.into_parts();
            let bytes = match to_bytes(body, usize::MAX).await {
                Ok(b) => b,
                Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
            };
            let spoiled = ctx.shared.faults.spoil(&bytes);
            parts.status = StatusCode::OK;
            parts.headers.remove(header::CONTENT_LENGTH);
            if !parts.headers.contains_key(header::CONTENT_TYPE) {
                parts.headers.insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                );
            }
            Response::from_parts(parts, Body::from(spoiled))
        }
    }
}

/// A 500 as the real system's front server would send it.
fn server_error(system: System) -> Response {
    let body = match system {
        System::Sicantik => "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Database Error</title>\n</head>\n<body>\n<div id=\"container\">\n<h1>A Database Error Occurred</h1>\n<p>Error Number: 2006</p><p>MySQL server has gone away</p>\n</div>\n</body>\n</html>",
        System::Odoo => "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>\n<p>The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.</p>\n",
        System::Hacienda => "<html>\r\n<head><title>500 Internal Server Error</title></head>\r\n<body>\r\n<center><h1>500 Internal Server Error</h1></center>\r\n</body>\r\n</html>\r\n",
    };
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}
