use chrono::{DateTime, Utc};
use loket_core::{JobKind, Schedule};

use crate::{Result, Store, StoreError};

/// A job as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct JobRow {
    pub id: i64,
    pub kind: JobKind,
    pub connection_id: Option<i64>,
    pub connection_name: Option<String>,
    pub schedule: Schedule,
    pub enabled: bool,
    /// Start of the last run, or when the job was added; the next due time counts from here.
    pub anchor_at: DateTime<Utc>,
}

struct RawJob {
    id: i64,
    kind: String,
    connection_id: Option<i64>,
    connection_name: Option<String>,
    schedule: String,
    enabled: bool,
    anchor_at: DateTime<Utc>,
}

impl TryFrom<RawJob> for JobRow {
    type Error = StoreError;

    fn try_from(r: RawJob) -> Result<Self> {
        Ok(JobRow {
            id: r.id,
            kind: JobKind::parse(&r.kind)
                .ok_or_else(|| StoreError::Corrupt(format!("job {}: kind {}", r.id, r.kind)))?,
            connection_id: r.connection_id,
            connection_name: r.connection_name,
            schedule: serde_json::from_str(&r.schedule)
                .map_err(|e| StoreError::Corrupt(format!("job {}: schedule {e}", r.id)))?,
            enabled: r.enabled,
            anchor_at: r.anchor_at,
        })
    }
}

impl Store {
    /// Adds the job unless it exists; returns its id either way.
    pub async fn ensure_job(
        &self,
        kind: JobKind,
        connection_id: Option<i64>,
        schedule: &Schedule,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        let kind_name = kind.as_str();
        let schedule =
            serde_json::to_string(schedule).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        sqlx::query!(
            "INSERT INTO job (kind, connection_id, schedule, enabled, anchor_at, created_at)
             VALUES (?, ?, ?, 1, ?, ?)
             ON CONFLICT DO NOTHING",
            kind_name,
            connection_id,
            schedule,
            now,
            now
        )
        .execute(&self.pool)
        .await?;
        let id = sqlx::query_scalar!(
            r#"SELECT id AS "id!" FROM job WHERE kind = ? AND IFNULL(connection_id, 0) = IFNULL(?, 0)"#,
            kind_name,
            connection_id
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(id)
    }

    /// Every job with its connection's name, local jobs last.
    pub async fn list_jobs(&self) -> Result<Vec<JobRow>> {
        let rows = sqlx::query_as!(
            RawJob,
            r#"SELECT job.id, job.kind, job.connection_id, connection.name AS connection_name,
                      job.schedule, job.enabled AS "enabled: bool",
                      job.anchor_at AS "anchor_at: DateTime<Utc>"
               FROM job LEFT JOIN connection ON connection.id = job.connection_id
               ORDER BY job.connection_id IS NULL, connection.name, job.id"#
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(JobRow::try_from).collect()
    }

    /// One job.
    pub async fn get_job(&self, id: i64) -> Result<JobRow> {
        let row = sqlx::query_as!(
            RawJob,
            r#"SELECT job.id, job.kind, job.connection_id, connection.name AS connection_name,
                      job.schedule, job.enabled AS "enabled: bool",
                      job.anchor_at AS "anchor_at: DateTime<Utc>"
               FROM job LEFT JOIN connection ON connection.id = job.connection_id
               WHERE job.id = ?"#,
            id
        )
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound { what: "job", id })?;
        JobRow::try_from(row)
    }

    /// Changes a job's schedule and whether it runs by itself.
    pub async fn update_job(&self, id: i64, schedule: &Schedule, enabled: bool) -> Result<()> {
        let schedule =
            serde_json::to_string(schedule).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let done = sqlx::query!(
            "UPDATE job SET schedule = ?, enabled = ? WHERE id = ?",
            schedule,
            enabled,
            id
        )
        .execute(&self.pool)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound { what: "job", id });
        }
        Ok(())
    }

    /// Reads a job's resume point, if one was saved.
    pub async fn checkpoint(&self, job_id: i64) -> Result<Option<serde_json::Value>> {
        let data = sqlx::query_scalar!("SELECT data FROM job_checkpoint WHERE job_id = ?", job_id)
            .fetch_optional(&self.pool)
            .await?;
        data.map(|d| serde_json::from_str(&d).map_err(|e| StoreError::Corrupt(e.to_string())))
            .transpose()
    }

    /// Forgets a job's resume point (the job finished its pass).
    pub async fn clear_checkpoint(&self, job_id: i64) -> Result<()> {
        sqlx::query!("DELETE FROM job_checkpoint WHERE job_id = ?", job_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

/// Writes a job's resume point inside the caller's transaction, so it commits with the records.
pub(crate) async fn write_checkpoint(
    tx: &mut sqlx::SqliteConnection,
    job_id: i64,
    data: &serde_json::Value,
) -> Result<()> {
    let data = data.to_string();
    let now = Utc::now();
    sqlx::query!(
        "INSERT INTO job_checkpoint (job_id, data, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (job_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
        job_id,
        data,
        now
    )
    .execute(tx)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::temp_store;

    #[tokio::test]
    async fn ensuring_a_job_twice_keeps_one_row() {
        let (store, _dir) = temp_store().await;
        let now = Utc::now();
        let a = store
            .ensure_job(
                JobKind::LogCleanup,
                None,
                &JobKind::LogCleanup.default_schedule(),
                now,
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let b = store
            .ensure_job(JobKind::LogCleanup, None, &Schedule::Manual, now)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a, b);
        let jobs = store.list_jobs().await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(jobs.len(), 1);
        assert_eq!(jobs[0].schedule, JobKind::LogCleanup.default_schedule());

        store
            .update_job(a, &Schedule::Every { minutes: 5 }, false)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let job = store.get_job(a).await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(job.schedule, Schedule::Every { minutes: 5 });
        assert!(!job.enabled);
    }
}
