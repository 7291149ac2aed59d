//! "Test connection": reachable, server version, authenticated, latency, and a plain reason.

use std::sync::Arc;
use std::time::Instant;

use loket_core::{Connection, ConnectionKind, OdooProtocol, TestOutcome, TestStep};

use crate::error::{FailureKind, RemoteError};
use crate::hacienda::HaciendaClient;
use crate::http::ConnectionClient;
use crate::odoo::{OdooClient, OdooLogin};
use crate::sicantik::SicantikClient;

/// Probes the outside system behind `connection` with `secret` (if it needs one).
pub async fn test_connection(
    connection: &Connection,
    http: Arc<ConnectionClient>,
    secret: Option<&str>,
) -> TestOutcome {
    let started = Instant::now();
    let mut outcome = match connection.kind {
        ConnectionKind::Sicantik => probe_sicantik(http, secret).await,
        ConnectionKind::Odoo => probe_odoo(connection, http, secret).await,
        ConnectionKind::Hacienda => probe_hacienda(connection, http, secret).await,
    };
    outcome.latency_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
    outcome
}

fn blank() -> TestOutcome {
    TestOutcome {
        reachable: false,
        server_version: None,
        authenticated: None,
        latency_ms: 0,
        failed_step: None,
        reason: None,
        details: None,
    }
}

/// Fills the outcome from a failure: which step, a reason a person can act on, the details.
fn failed(mut outcome: TestOutcome, e: &RemoteError) -> TestOutcome {
    let step = match e.kind {
        FailureKind::Dns => TestStep::Dns,
        FailureKind::Connect => TestStep::Connect,
        FailureKind::Tls => TestStep::Tls,
        FailureKind::Timeout => TestStep::Timeout,
        FailureKind::Status if matches!(e.status, Some(401 | 403)) => TestStep::Auth,
        FailureKind::Status => TestStep::Http,
        FailureKind::Refused if e.code.as_deref() == Some("unknown_database") => TestStep::Database,
        FailureKind::Refused => TestStep::Auth,
        FailureKind::Malformed | FailureKind::Other => TestStep::Protocol,
    };
    // Anything past the transport layer means something answered.
    outcome.reachable = !matches!(
        step,
        TestStep::Dns | TestStep::Connect | TestStep::Tls | TestStep::Timeout
    );
    // A refused login or an unknown database both mean: not logged in.
    if matches!(step, TestStep::Auth | TestStep::Database) {
        outcome.authenticated = Some(false);
    }
    outcome.failed_step = Some(step);
    outcome.reason = Some(e.message.clone());
    outcome.details = e.details.clone();
    outcome
}

fn missing_secret(mut outcome: TestOutcome, what: &str) -> TestOutcome {
    outcome.authenticated = Some(false);
    outcome.failed_step = Some(TestStep::Secret);
    outcome.reason = Some(format!(
        "No {what} is stored for this connection: enter it in the form."
    ));
    outcome
}

async fn probe_sicantik(http: Arc<ConnectionClient>, api_key: Option<&str>) -> TestOutcome {
    let outcome = blank();
    match SicantikClient::new(http)
        .with_api_key(api_key)
        .counts()
        .await
    {
        Ok(counts) => TestOutcome {
            reachable: true,
            // The permit API has no version call; its total proves it answered as SICANTIK.
            server_version: Some(format!("SICANTIK · {}", counts.total)),
            ..outcome
        },
        Err(e) => failed(outcome, &e),
    }
}

async fn probe_odoo(
    connection: &Connection,
    http: Arc<ConnectionClient>,
    secret: Option<&str>,
) -> TestOutcome {
    let mut outcome = blank();
    let protocol = connection.protocol.unwrap_or(OdooProtocol::Jsonrpc);
    let client = OdooClient::new(
        http,
        protocol,
        OdooLogin {
            database: connection.database.clone().unwrap_or_default(),
            login: connection.username.clone().unwrap_or_default(),
            secret: secret.unwrap_or_default().to_string(),
        },
    );
    match client.version().await {
        Ok(v) => {
            outcome.reachable = true;
            outcome.server_version = Some(format!("Odoo {}", v.server_version));
        }
        Err(e) => return failed(outcome, &e),
    }
    if secret.is_none_or(str::is_empty) {
        let what = if protocol == OdooProtocol::Json2 {
            "API key"
        } else {
            "password or API key"
        };
        return missing_secret(outcome, what);
    }
    match client.authenticate().await {
        Ok(_) => TestOutcome {
            authenticated: Some(true),
            ..outcome
        },
        Err(e) => failed(outcome, &e),
    }
}

async fn probe_hacienda(
    connection: &Connection,
    http: Arc<ConnectionClient>,
    secret: Option<&str>,
) -> TestOutcome {
    let outcome = blank();
    let Some(secret) = secret.filter(|s| !s.is_empty()) else {
        return missing_secret(outcome, "password");
    };
    let client = HaciendaClient::new(http, connection.environment);
    match client
        .password_grant(connection.username.as_deref().unwrap_or_default(), secret)
        .await
    {
        Ok(token) => TestOutcome {
            reachable: true,
            authenticated: Some(true),
            server_version: Some(format!(
                "Hacienda · {} · token {} min",
                connection.environment.as_str(),
                (token.expires_at - chrono::Utc::now()).num_minutes().max(0) + 1
            )),
            ..outcome
        },
        Err(e) => failed(outcome, &e),
    }
}
