use chrono::{DateTime, Utc};
use loket_core::{
    Connection, ConnectionInput, ConnectionKind, ConnectionStats, Environment, OdooProtocol,
};

use crate::{Result, Store, StoreError};

/// A connection as stored.
#[derive(Debug)]
pub struct ConnectionRow {
    id: i64,
    name: String,
    kind: String,
    base_url: String,
    environment: String,
    database: Option<String>,
    username: Option<String>,
    protocol: Option<String>,
    timeout_ms: i64,
    rate_limit_per_sec: f64,
    max_concurrent: i64,
    active: bool,
    has_secret: bool,
    requests_total: i64,
    errors_total: i64,
    last_sync_at: Option<DateTime<Utc>>,
    last_duration_ms: Option<i64>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl TryFrom<ConnectionRow> for Connection {
    type Error = StoreError;

    fn try_from(r: ConnectionRow) -> Result<Self> {
        let corrupt =
            |what: &str, v: &str| StoreError::Corrupt(format!("connection {}: {what} {v:?}", r.id));
        Ok(Connection {
            id: r.id,
            kind: ConnectionKind::parse(&r.kind).ok_or_else(|| corrupt("kind", &r.kind))?,
            environment: Environment::parse(&r.environment)
                .ok_or_else(|| corrupt("environment", &r.environment))?,
            protocol: match r.protocol.as_deref() {
                None => None,
                Some(p) => Some(OdooProtocol::parse(p).ok_or_else(|| corrupt("protocol", p))?),
            },
            timeout_ms: u32::try_from(r.timeout_ms)
                .map_err(|_| corrupt("timeout", "out of range"))?,
            max_concurrent: u32::try_from(r.max_concurrent)
                .map_err(|_| corrupt("max_concurrent", "out of range"))?,
            name: r.name,
            base_url: r.base_url,
            database: r.database,
            username: r.username,
            rate_limit_per_sec: r.rate_limit_per_sec,
            active: r.active,
            has_secret: r.has_secret,
            created_at: r.created_at,
            updated_at: r.updated_at,
            stats: ConnectionStats {
                requests: r.requests_total,
                errors: r.errors_total,
                last_sync_at: r.last_sync_at,
                last_duration_ms: r.last_duration_ms,
            },
        })
    }
}

impl Store {
    /// Every connection, by name.
    pub async fn list_connections(&self) -> Result<Vec<Connection>> {
        let rows = sqlx::query_as!(
            ConnectionRow,
            r#"SELECT id, name, kind, base_url, environment, database, username, protocol,
                      timeout_ms, rate_limit_per_sec, max_concurrent,
                      active AS "active: bool", has_secret AS "has_secret: bool",
                      requests_total, errors_total,
                      last_sync_at AS "last_sync_at: DateTime<Utc>", last_duration_ms,
                      created_at AS "created_at: DateTime<Utc>",
                      updated_at AS "updated_at: DateTime<Utc>"
               FROM connection ORDER BY name COLLATE NOCASE"#
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(Connection::try_from).collect()
    }

    /// One connection.
    pub async fn get_connection(&self, id: i64) -> Result<Connection> {
        let row = sqlx::query_as!(
            ConnectionRow,
            r#"SELECT id, name, kind, base_url, environment, database, username, protocol,
                      timeout_ms, rate_limit_per_sec, max_concurrent,
                      active AS "active: bool", has_secret AS "has_secret: bool",
                      requests_total, errors_total,
                      last_sync_at AS "last_sync_at: DateTime<Utc>", last_duration_ms,
                      created_at AS "created_at: DateTime<Utc>",
                      updated_at AS "updated_at: DateTime<Utc>"
               FROM connection WHERE id = ?"#,
            id
        )
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound {
            what: "connection",
            id,
        })?;
        Connection::try_from(row)
    }

    /// Inserts or updates a connection (by `input.id`); the secret field is ignored here.
    pub async fn save_connection(&self, input: &ConnectionInput, has_secret: bool) -> Result<i64> {
        let now = Utc::now();
        let kind = input.kind.as_str();
        let environment = input.environment.as_str();
        let protocol = input.protocol.map(|p| p.as_str());
        let timeout = i64::from(input.timeout_ms);
        let concurrent = i64::from(input.max_concurrent);
        let result = match input.id {
            None => sqlx::query!(
                "INSERT INTO connection (name, kind, base_url, environment, database, username,
                     protocol, timeout_ms, rate_limit_per_sec, max_concurrent, active, has_secret,
                     created_at, updated_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                input.name,
                kind,
                input.base_url,
                environment,
                input.database,
                input.username,
                protocol,
                timeout,
                input.rate_limit_per_sec,
                concurrent,
                input.active,
                has_secret,
                now,
                now
            )
            .execute(&self.pool)
            .await
            .map(|r| r.last_insert_rowid()),
            Some(id) => sqlx::query!(
                "UPDATE connection SET name = ?, kind = ?, base_url = ?, environment = ?,
                     database = ?, username = ?, protocol = ?, timeout_ms = ?,
                     rate_limit_per_sec = ?, max_concurrent = ?, active = ?, has_secret = ?,
                     updated_at = ?
                 WHERE id = ?",
                input.name,
                kind,
                input.base_url,
                environment,
                input.database,
                input.username,
                protocol,
                timeout,
                input.rate_limit_per_sec,
                concurrent,
                input.active,
                has_secret,
                now,
                id
            )
            .execute(&self.pool)
            .await
            .and_then(|r| {
                if r.rows_affected() == 0 {
                    Err(sqlx::Error::RowNotFound)
                } else {
                    Ok(id)
                }
            }),
        };
        match result.map_err(StoreError::from) {
            Err(StoreError::Sqlx(sqlx::Error::RowNotFound)) => Err(StoreError::NotFound {
                what: "connection",
                id: input.id.unwrap_or_default(),
            }),
            Err(e) if e.is_unique_violation() => Err(StoreError::Conflict(format!(
                "A connection named \"{}\" already exists.",
                input.name
            ))),
            other => other,
        }
    }

    /// Records whether the keyring holds this connection's secret.
    pub async fn set_has_secret(&self, id: i64, has_secret: bool) -> Result<()> {
        sqlx::query!(
            "UPDATE connection SET has_secret = ? WHERE id = ?",
            has_secret,
            id
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Deletes a connection with its jobs, runs' links, log and synced data.
    pub async fn delete_connection(&self, id: i64) -> Result<()> {
        let done = sqlx::query!("DELETE FROM connection WHERE id = ?", id)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound {
                what: "connection",
                id,
            });
        }
        Ok(())
    }

    /// Records the end of a sync on the connection.
    pub async fn record_sync(&self, id: i64, at: DateTime<Utc>, duration_ms: i64) -> Result<()> {
        sqlx::query!(
            "UPDATE connection SET last_sync_at = ?, last_duration_ms = ? WHERE id = ?",
            at,
            duration_ms,
            id
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::temp_store;

    fn input(name: &str) -> ConnectionInput {
        ConnectionInput {
            id: None,
            name: name.into(),
            kind: ConnectionKind::Odoo,
            base_url: "http://127.0.0.1:8069".into(),
            environment: Environment::Staging,
            database: Some("db".into()),
            username: Some("admin".into()),
            protocol: Some(OdooProtocol::Xmlrpc),
            timeout_ms: 5000,
            rate_limit_per_sec: 10.0,
            max_concurrent: 4,
            active: true,
            secret: Some("never-stored".into()),
        }
    }

    #[tokio::test]
    async fn save_read_update_delete() {
        let (store, _dir) = temp_store().await;
        let id = store
            .save_connection(&input("ERP"), true)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let c = store
            .get_connection(id)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.name, "ERP");
        assert_eq!(c.protocol, Some(OdooProtocol::Xmlrpc));
        assert!(c.has_secret);

        let mut changed = input("ERP 2");
        changed.id = Some(id);
        store
            .save_connection(&changed, false)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let list = store
            .list_connections()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].name, "ERP 2");
        assert!(!list[0].has_secret);

        store
            .delete_connection(id)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(
            store.get_connection(id).await,
            Err(StoreError::NotFound { .. })
        ));
    }

    #[tokio::test]
    async fn names_are_unique_and_missing_ids_are_reported() {
        let (store, _dir) = temp_store().await;
        store
            .save_connection(&input("ERP"), false)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(
            store.save_connection(&input("ERP"), false).await,
            Err(StoreError::Conflict(_))
        ));
        let mut ghost = input("Ghost");
        ghost.id = Some(999);
        assert!(matches!(
            store.save_connection(&ghost, false).await,
            Err(StoreError::NotFound { .. })
        ));
    }

    #[tokio::test]
    async fn the_secret_never_reaches_the_database_file() {
        let (store, dir) = temp_store().await;
        store
            .save_connection(&input("ERP"), true)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        store.close().await;
        for entry in std::fs::read_dir(dir.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            let bytes = std::fs::read(entry.path()).unwrap_or_default();
            let found = bytes.windows(12).any(|w| w == b"never-stored");
            assert!(!found, "secret found in {}", entry.path().display());
        }
    }
}
