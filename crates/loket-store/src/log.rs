use chrono::{DateTime, Utc};
use loket_core::{ErrorCategory, LogEntry, LogFilter};

use crate::{Result, Store};

/// A remote call to record (parameters already redacted by the caller).
#[derive(Debug, Clone, PartialEq)]
pub struct NewLogEntry {
    pub connection_id: i64,
    pub at: DateTime<Utc>,
    pub method: String,
    pub endpoint: String,
    pub params: Option<String>,
    pub status: Option<u16>,
    pub duration_ms: i64,
    pub bytes: i64,
    pub error_category: Option<ErrorCategory>,
    pub error: Option<String>,
}

struct RawLog {
    id: i64,
    connection_id: i64,
    at: DateTime<Utc>,
    method: String,
    endpoint: String,
    params: Option<String>,
    status: Option<i64>,
    duration_ms: i64,
    bytes: i64,
    error_category: Option<String>,
    error: Option<String>,
}

fn category(name: &str) -> ErrorCategory {
    serde_json::from_value(serde_json::Value::String(name.to_string()))
        .unwrap_or(ErrorCategory::Unknown)
}

impl From<RawLog> for LogEntry {
    fn from(r: RawLog) -> Self {
        LogEntry {
            id: r.id,
            connection_id: r.connection_id,
            at: r.at,
            method: r.method,
            endpoint: r.endpoint,
            params: r.params,
            status: r.status.and_then(|s| u16::try_from(s).ok()),
            duration_ms: r.duration_ms,
            bytes: r.bytes,
            error_category: r.error_category.as_deref().map(category),
            error: r.error,
        }
    }
}

impl Store {
    /// Writes a batch of log rows and bumps each connection's request and error counters,
    /// in one transaction (the HTTP layer batches so a busy sync costs few commits).
    pub async fn append_log(&self, entries: &[NewLogEntry]) -> Result<()> {
        if entries.is_empty() {
            return Ok(());
        }
        let mut tx = self.write_transaction().await?;
        for e in entries {
            let status = e.status.map(i64::from);
            let category = e.error_category.map(|c| c.as_str());
            sqlx::query!(
                "INSERT INTO integration_log (connection_id, at, method, endpoint, params, status,
                     duration_ms, bytes, error_category, error)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                e.connection_id,
                e.at,
                e.method,
                e.endpoint,
                e.params,
                status,
                e.duration_ms,
                e.bytes,
                category,
                e.error
            )
            .execute(&mut *tx)
            .await?;
            let failed = i64::from(e.error_category.is_some());
            sqlx::query!(
                "UPDATE connection SET requests_total = requests_total + 1,
                     errors_total = errors_total + ? WHERE id = ?",
                failed,
                e.connection_id
            )
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Log rows, newest first.
    pub async fn list_log(&self, filter: &LogFilter) -> Result<Vec<LogEntry>> {
        let limit = i64::from(filter.limit.unwrap_or(500).min(5000));
        let pattern = filter
            .endpoint_contains
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(|s| format!("%{}%", s.trim()));
        let rows = sqlx::query_as!(
            RawLog,
            r#"SELECT id, connection_id, at AS "at: DateTime<Utc>", method, endpoint, params,
                      status, duration_ms, bytes, error_category, error
               FROM integration_log
               WHERE (?1 IS NULL OR connection_id = ?1)
                 AND (?2 = 0 OR error_category IS NOT NULL)
                 AND (?3 IS NULL OR endpoint LIKE ?3)
               ORDER BY id DESC LIMIT ?4"#,
            filter.connection_id,
            filter.only_errors,
            pattern,
            limit
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(LogEntry::from).collect())
    }

    /// Deletes log rows older than `before`; returns how many.
    pub async fn delete_log_before(&self, before: DateTime<Utc>) -> Result<u64> {
        let done = sqlx::query!("DELETE FROM integration_log WHERE at < ?", before)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{permit_office, temp_store};

    #[tokio::test]
    async fn log_rows_count_per_connection_filter_and_expire() {
        let (store, _dir) = temp_store().await;
        let conn = permit_office(&store).await;
        let old = Utc::now() - chrono::Duration::days(40);
        let entry = |at, endpoint: &str, cat| NewLogEntry {
            connection_id: conn,
            at,
            method: "GET".into(),
            endpoint: endpoint.into(),
            params: None,
            status: Some(200),
            duration_ms: 12,
            bytes: 100,
            error_category: cat,
            error: None,
        };
        store
            .append_log(&[
                entry(old, "jumlahPerizinan", None),
                entry(
                    Utc::now(),
                    "listpermohonanterbit",
                    Some(ErrorCategory::Server),
                ),
                entry(Utc::now(), "jenisperizinanlist", None),
            ])
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let c = store
            .get_connection(conn)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((c.stats.requests, c.stats.errors), (3, 1));

        let errors = store
            .list_log(&LogFilter {
                only_errors: true,
                ..LogFilter::default()
            })
            .await
            .unwrap_or_default();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].error_category, Some(ErrorCategory::Server));
        let by_endpoint = store
            .list_log(&LogFilter {
                endpoint_contains: Some("jenis".into()),
                ..LogFilter::default()
            })
            .await
            .unwrap_or_default();
        assert_eq!(by_endpoint.len(), 1);

        let cutoff = Utc::now() - chrono::Duration::days(30);
        assert_eq!(store.delete_log_before(cutoff).await.ok(), Some(1));
    }
}
