//! Connections: save with validation, secrets to the keyring, delete, test.

use std::time::Duration;

use chrono::Utc;
use loket_connect::probe;
use loket_core::{Connection, ConnectionInput, ConnectionStats, TestOutcome, TestStep};

use crate::secrets::connection_key;
use crate::{jobs, Engine, EngineError, Result};

impl Engine {
    /// Every connection.
    pub async fn list_connections(&self) -> Result<Vec<Connection>> {
        Ok(self.inner.store.list_connections().await?)
    }

    /// One connection.
    pub async fn get_connection(&self, id: i64) -> Result<Connection> {
        Ok(self.inner.store.get_connection(id).await?)
    }

    /// Validates and saves a connection; its secret goes to the keyring only. When the keyring
    /// refuses, nothing is saved, so the user can fix the keyring and save the same form again.
    pub async fn save_connection(&self, input: ConnectionInput) -> Result<Connection> {
        let input = input.normalized();
        let errors = input.validate();
        if !errors.is_empty() {
            return Err(EngineError::Invalid(errors));
        }
        let secret = input.secret.clone();
        let id = match input.id {
            Some(id) => {
                let current = self.inner.store.get_connection(id).await?;
                let has_secret = match secret.as_deref() {
                    None => current.has_secret,
                    Some("") => {
                        self.delete_secret(id).await?;
                        false
                    }
                    Some(s) => {
                        self.set_secret(id, s).await?;
                        true
                    }
                };
                self.inner.store.save_connection(&input, has_secret).await?
            }
            None => {
                let id = self.inner.store.save_connection(&input, false).await?;
                if let Some(s) = secret.as_deref().filter(|s| !s.is_empty()) {
                    if let Err(e) = self.set_secret(id, s).await {
                        self.inner.store.delete_connection(id).await?;
                        return Err(e);
                    }
                    self.inner.store.set_has_secret(id, true).await?;
                }
                id
            }
        };
        self.inner.clients.forget(id).await;
        let connection = self.inner.store.get_connection(id).await?;
        jobs::ensure_connection_jobs(self, &connection).await?;
        self.changed(&["connections", "jobs"]);
        Ok(connection)
    }

    /// Deletes a connection and its keyring secret (the secret first: if the keyring refuses,
    /// the connection stays, so no orphaned secret is left behind).
    pub async fn delete_connection(&self, id: i64) -> Result<()> {
        let connection = self.inner.store.get_connection(id).await?;
        if jobs::is_connection_busy(self, id).await {
            return Err(EngineError::Busy(format!(
                "A job is running on \"{}\": cancel it or wait before deleting.",
                connection.name
            )));
        }
        self.delete_secret(id).await?;
        self.inner.store.delete_connection(id).await?;
        self.inner.clients.forget(id).await;
        self.changed(&["connections", "jobs", "runs", "log"]);
        Ok(())
    }

    /// Tests a saved connection with its stored secret.
    pub async fn test_connection(&self, id: i64) -> Result<TestOutcome> {
        let connection = self.inner.store.get_connection(id).await?;
        let secret = self.connection_secret(&connection).await?;
        let client = self
            .inner
            .clients
            .get(&connection, secret.as_deref())
            .await?;
        let outcome = within_timeout(
            &connection,
            probe::test_connection(&connection, client, secret.as_deref()),
        )
        .await;
        self.changed(&["connections", "log"]);
        Ok(outcome)
    }

    /// Tests what the form holds, before (or without) saving it.
    pub async fn test_connection_draft(&self, input: ConnectionInput) -> Result<TestOutcome> {
        let input = input.normalized();
        let errors = input.validate();
        if !errors.is_empty() {
            return Err(EngineError::Invalid(errors));
        }
        let secret = match (input.secret.clone(), input.id) {
            (Some(s), _) if !s.is_empty() => Some(s),
            (None, Some(id)) => self.secret(id).await?,
            _ => None,
        };
        let now = Utc::now();
        let connection = Connection {
            id: input.id.unwrap_or(0),
            name: input.name,
            kind: input.kind,
            base_url: input.base_url,
            environment: input.environment,
            database: input.database,
            username: input.username,
            protocol: input.protocol,
            timeout_ms: input.timeout_ms,
            rate_limit_per_sec: input.rate_limit_per_sec,
            max_concurrent: input.max_concurrent,
            active: input.active,
            has_secret: secret.is_some(),
            created_at: now,
            updated_at: now,
            stats: ConnectionStats::default(),
        };
        let client = self
            .inner
            .clients
            .detached(&connection, secret.as_deref())?;
        Ok(within_timeout(
            &connection,
            probe::test_connection(&connection, client, secret.as_deref()),
        )
        .await)
    }

    /// The stored secret of a connection, if it has one.
    pub(crate) async fn connection_secret(&self, c: &Connection) -> Result<Option<String>> {
        if !c.has_secret {
            return Ok(None);
        }
        self.secret(c.id).await
    }

    async fn secret(&self, id: i64) -> Result<Option<String>> {
        let secrets = self.inner.secrets.clone();
        let key = connection_key(id);
        Ok(blocking(move || secrets.get(&key)).await?)
    }

    async fn set_secret(&self, id: i64, secret: &str) -> Result<()> {
        let secrets = self.inner.secrets.clone();
        let key = connection_key(id);
        let secret = secret.to_string();
        Ok(blocking(move || secrets.set(&key, &secret)).await?)
    }

    async fn delete_secret(&self, id: i64) -> Result<()> {
        let secrets = self.inner.secrets.clone();
        let key = connection_key(id);
        Ok(blocking(move || secrets.delete(&key)).await?)
    }
}

/// Keyring calls block on D-Bus: keep them off the async workers.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, crate::SecretError> + Send + 'static,
) -> Result<T, crate::SecretError> {
    tokio::task::spawn_blocking(f).await.unwrap_or_else(|e| {
        Err(crate::SecretError::Unavailable {
            detail: e.to_string(),
        })
    })
}

/// The probe answers within the connection's timeout, whatever the server does.
async fn within_timeout(
    c: &Connection,
    probe: impl std::future::Future<Output = TestOutcome>,
) -> TestOutcome {
    let limit = Duration::from_millis(u64::from(c.timeout_ms));
    match tokio::time::timeout(limit, probe).await {
        Ok(outcome) => outcome,
        Err(_) => TestOutcome {
            reachable: false,
            server_version: None,
            authenticated: None,
            latency_ms: i64::try_from(limit.as_millis()).unwrap_or(i64::MAX),
            failed_step: Some(TestStep::Timeout),
            reason: Some(format!(
                "No complete answer within {} s.",
                limit.as_secs_f64()
            )),
            details: None,
        },
    }
}
