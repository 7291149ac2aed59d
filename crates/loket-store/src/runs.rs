use chrono::{DateTime, Utc};
use loket_core::{JobKind, RunCounts, RunStatus, SyncRun};

use crate::{Result, Store, StoreError};

struct RawRun {
    id: i64,
    job: String,
    connection_id: Option<i64>,
    connection_name: Option<String>,
    started_at: DateTime<Utc>,
    finished_at: Option<DateTime<Utc>>,
    status: String,
    created: i64,
    updated: i64,
    unchanged: i64,
    failed: i64,
    error: Option<String>,
    trigger: String,
}

impl TryFrom<RawRun> for SyncRun {
    type Error = StoreError;

    fn try_from(r: RawRun) -> Result<Self> {
        let count = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
        Ok(SyncRun {
            id: r.id,
            job: JobKind::parse(&r.job)
                .ok_or_else(|| StoreError::Corrupt(format!("run {}: job {}", r.id, r.job)))?,
            connection_id: r.connection_id,
            connection_name: r.connection_name,
            started_at: r.started_at,
            finished_at: r.finished_at,
            status: RunStatus::parse(&r.status)
                .ok_or_else(|| StoreError::Corrupt(format!("run {}: status {}", r.id, r.status)))?,
            counts: RunCounts {
                created: count(r.created),
                updated: count(r.updated),
                unchanged: count(r.unchanged),
                failed: count(r.failed),
            },
            error: r.error,
            trigger: r.trigger,
        })
    }
}

impl Store {
    /// Records the start of a run and moves the job's schedule anchor to it, in one transaction.
    pub async fn start_run(
        &self,
        job_id: i64,
        kind: JobKind,
        connection_id: Option<i64>,
        trigger: &str,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        let mut tx = self.write_transaction().await?;
        let job = kind.as_str();
        let running = RunStatus::Running.as_str();
        let id = sqlx::query!(
            "INSERT INTO sync_run (job_id, job, connection_id, started_at, status, trigger)
             VALUES (?, ?, ?, ?, ?, ?)",
            job_id,
            job,
            connection_id,
            now,
            running,
            trigger
        )
        .execute(&mut *tx)
        .await?
        .last_insert_rowid();
        sqlx::query!("UPDATE job SET anchor_at = ? WHERE id = ?", now, job_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Stores the counts reached so far, so a crash still shows them.
    pub async fn update_run_counts(&self, run_id: i64, counts: RunCounts) -> Result<()> {
        sqlx::query!(
            "UPDATE sync_run SET created = ?, updated = ?, unchanged = ?, failed = ? WHERE id = ?",
            counts.created,
            counts.updated,
            counts.unchanged,
            counts.failed,
            run_id
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Records how a run ended.
    pub async fn finish_run(
        &self,
        run_id: i64,
        status: RunStatus,
        counts: RunCounts,
        error: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<SyncRun> {
        let status = status.as_str();
        sqlx::query!(
            "UPDATE sync_run SET finished_at = ?, status = ?, created = ?, updated = ?,
                 unchanged = ?, failed = ?, error = ?
             WHERE id = ?",
            now,
            status,
            counts.created,
            counts.updated,
            counts.unchanged,
            counts.failed,
            error,
            run_id
        )
        .execute(&self.pool)
        .await?;
        self.get_run(run_id).await
    }

    /// Marks runs left "running" by a process that died as interrupted; returns how many.
    pub async fn interrupt_stale_runs(&self, now: DateTime<Utc>) -> Result<u64> {
        let interrupted = RunStatus::Interrupted.as_str();
        let running = RunStatus::Running.as_str();
        let done = sqlx::query!(
            "UPDATE sync_run SET status = ?, finished_at = ?,
                 error = 'The app stopped while this ran; the next run resumes from its checkpoint.'
             WHERE status = ?",
            interrupted,
            now,
            running
        )
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }

    /// One run.
    pub async fn get_run(&self, id: i64) -> Result<SyncRun> {
        let row = sqlx::query_as!(
            RawRun,
            r#"SELECT r.id, r.job, r.connection_id, c.name AS connection_name,
                      r.started_at AS "started_at: DateTime<Utc>",
                      r.finished_at AS "finished_at: DateTime<Utc>",
                      r.status, r.created, r.updated, r.unchanged, r.failed, r.error, r.trigger
               FROM sync_run r LEFT JOIN connection c ON c.id = r.connection_id
               WHERE r.id = ?"#,
            id
        )
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound { what: "run", id })?;
        SyncRun::try_from(row)
    }

    /// Recent runs, newest first, optionally of one connection or job kind.
    pub async fn list_runs(
        &self,
        connection_id: Option<i64>,
        job: Option<JobKind>,
        limit: u32,
    ) -> Result<Vec<SyncRun>> {
        let job = job.map(|j| j.as_str());
        let rows = sqlx::query_as!(
            RawRun,
            r#"SELECT r.id, r.job, r.connection_id, c.name AS connection_name,
                      r.started_at AS "started_at: DateTime<Utc>",
                      r.finished_at AS "finished_at: DateTime<Utc>",
                      r.status, r.created, r.updated, r.unchanged, r.failed, r.error, r.trigger
               FROM sync_run r LEFT JOIN connection c ON c.id = r.connection_id
               WHERE (?1 IS NULL OR r.connection_id = ?1) AND (?2 IS NULL OR r.job = ?2)
               ORDER BY r.id DESC LIMIT ?3"#,
            connection_id,
            job,
            limit
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(SyncRun::try_from).collect()
    }

    /// The latest run of a job.
    pub async fn last_run_of_job(&self, job_id: i64) -> Result<Option<SyncRun>> {
        let id = sqlx::query_scalar!(
            r#"SELECT id AS "id!" FROM sync_run WHERE job_id = ? ORDER BY id DESC LIMIT 1"#,
            job_id
        )
        .fetch_optional(&self.pool)
        .await?;
        match id {
            Some(id) => self.get_run(id).await.map(Some),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::temp_store;

    #[tokio::test]
    async fn a_run_moves_the_anchor_and_finishes_with_counts() {
        let (store, _dir) = temp_store().await;
        let t0 = Utc::now() - chrono::Duration::hours(2);
        let job = store
            .ensure_job(
                JobKind::LogCleanup,
                None,
                &JobKind::LogCleanup.default_schedule(),
                t0,
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let now = Utc::now();
        let run = store
            .start_run(job, JobKind::LogCleanup, None, "manual", now)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            store.get_job(job).await.map(|j| j.anchor_at).ok(),
            Some(now)
        );
        let counts = RunCounts {
            created: 3,
            updated: 1,
            unchanged: 5,
            failed: 1,
        };
        let done = store
            .finish_run(run, RunStatus::Partial, counts, Some("1 failed"), now)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(done.status, RunStatus::Partial);
        assert_eq!(done.counts, counts);
        let listed = store
            .list_runs(None, Some(JobKind::LogCleanup), 10)
            .await
            .unwrap_or_default();
        assert_eq!(listed.len(), 1);
        assert!(store
            .list_runs(None, Some(JobKind::NewPermits), 10)
            .await
            .unwrap_or_default()
            .is_empty());
    }

    #[tokio::test]
    async fn runs_left_running_by_a_dead_process_become_interrupted() {
        let (store, _dir) = temp_store().await;
        let now = Utc::now();
        let job = store
            .ensure_job(
                JobKind::LogCleanup,
                None,
                &JobKind::LogCleanup.default_schedule(),
                now,
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let run = store
            .start_run(job, JobKind::LogCleanup, None, "manual", now)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(store.interrupt_stale_runs(now).await.ok(), Some(1));
        assert_eq!(
            store.get_run(run).await.map(|r| r.status).ok(),
            Some(RunStatus::Interrupted)
        );
    }
}
