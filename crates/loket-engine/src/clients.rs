//! One HTTP client per connection, shared by all jobs so the rate limit and concurrency cap
//! hold across them; rebuilt when the connection's settings change.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use loket_connect::hacienda::{HaciendaClient, HaciendaSession};
use loket_connect::{CallRecord, ConnectionClient, ConnectionSettings, RemoteError};
use loket_core::Connection;
use tokio::sync::{mpsc, Mutex};

pub(crate) struct ClientCache {
    clients: Mutex<HashMap<i64, (String, Arc<ConnectionClient>)>>,
    /// Hacienda sessions (their cached token) per connection, rebuilt with their client.
    sessions: Mutex<HashMap<i64, (String, Arc<HaciendaSession>)>>,
    log: mpsc::UnboundedSender<CallRecord>,
}

/// Everything that shapes a client; a change means a new client (a new secret too: it is
/// hashed, so the key held in memory does not spell it out).
fn fingerprint(c: &Connection, secret: Option<&str>) -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    secret.hash(&mut hasher);
    format!(
        "{}|{}|{}|{}|{:x}",
        c.base_url,
        c.timeout_ms,
        c.rate_limit_per_sec,
        c.max_concurrent,
        hasher.finish()
    )
}

/// The HTTP settings of a connection.
pub(crate) fn settings_for(
    c: &Connection,
    secret: Option<&str>,
) -> Result<ConnectionSettings, RemoteError> {
    let mut base = c.base_url.trim().to_string();
    if !base.ends_with('/') {
        base.push('/');
    }
    let base_url = url::Url::parse(&base).map_err(|e| {
        RemoteError::new(
            loket_connect::FailureKind::Other,
            loket_core::ErrorCategory::Validation,
            format!("\"{}\" is not a valid address.", c.base_url),
        )
        .with_details(e.to_string())
    })?;
    Ok(ConnectionSettings {
        connection_id: c.id,
        base_url,
        timeout: Duration::from_millis(u64::from(c.timeout_ms)),
        rate_per_sec: Some(c.rate_limit_per_sec),
        max_concurrent: c.max_concurrent,
        secrets: secret.map(|s| vec![s.to_string()]).unwrap_or_default(),
        max_retries: 3,
    })
}

impl ClientCache {
    pub(crate) fn new(log: mpsc::UnboundedSender<CallRecord>) -> Self {
        Self {
            clients: Mutex::new(HashMap::new()),
            sessions: Mutex::new(HashMap::new()),
            log,
        }
    }

    /// The shared client of a saved connection.
    pub(crate) async fn get(
        &self,
        c: &Connection,
        secret: Option<&str>,
    ) -> Result<Arc<ConnectionClient>, RemoteError> {
        let key = fingerprint(c, secret);
        let mut clients = self.clients.lock().await;
        if let Some((k, client)) = clients.get(&c.id) {
            if *k == key {
                return Ok(client.clone());
            }
        }
        let client = ConnectionClient::new(settings_for(c, secret)?, Some(self.log.clone()))?;
        clients.insert(c.id, (key, client.clone()));
        Ok(client)
    }

    /// The shared Hacienda session of a saved connection: one token for every job using it.
    pub(crate) async fn hacienda(
        &self,
        c: &Connection,
        secret: Option<&str>,
    ) -> Result<Arc<HaciendaSession>, RemoteError> {
        let key = format!(
            "{}|{}",
            fingerprint(c, secret),
            c.username.as_deref().unwrap_or("")
        );
        let mut sessions = self.sessions.lock().await;
        if let Some((k, session)) = sessions.get(&c.id) {
            if *k == key {
                return Ok(session.clone());
            }
        }
        let http = self.get(c, secret).await?;
        let session = Arc::new(HaciendaSession::new(
            HaciendaClient::new(http, c.environment),
            c.username.clone().unwrap_or_default(),
            secret.unwrap_or_default().to_string(),
        ));
        sessions.insert(c.id, (key, session.clone()));
        Ok(session)
    }

    /// A one-off client for an unsaved connection: nothing is logged (there is no row yet).
    pub(crate) fn detached(
        &self,
        c: &Connection,
        secret: Option<&str>,
    ) -> Result<Arc<ConnectionClient>, RemoteError> {
        let log = (c.id > 0).then(|| self.log.clone());
        ConnectionClient::new(settings_for(c, secret)?, log)
    }

    /// Drops a connection's client (after an edit or delete).
    pub(crate) async fn forget(&self, connection_id: i64) {
        self.clients.lock().await.remove(&connection_id);
        self.sessions.lock().await.remove(&connection_id);
    }
}
