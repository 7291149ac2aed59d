//! Jobs: recorded runs with counts, progress events, cancel, checkpoints, never overlapping.

mod backup;
mod context;
mod einvoices;
mod expiry;
mod log_cleanup;
mod permits;

use loket_core::{
    Connection, JobInfo, JobKind, RunCounts, RunOptions, RunStatus, Schedule, SyncRun,
};
use loket_store::JobRow;
use tokio_util::sync::CancellationToken;

pub use context::JobContext;

use crate::events::EngineEvent;
use crate::{Engine, EngineError, Result};

/// A run in progress, as the engine tracks it.
pub(crate) struct RunHandle {
    run_id: i64,
    connection_id: Option<i64>,
    cancel: CancellationToken,
}

/// How a job's work ended, short of a crash.
pub(crate) enum JobEnd {
    Done(RunCounts),
    Failed { counts: RunCounts, error: String },
}

/// Adds the jobs every installation has, and those of each connection.
pub(crate) async fn ensure_builtin_jobs(engine: &Engine) -> Result<()> {
    let now = engine.now();
    for kind in JobKind::ALL
        .into_iter()
        .filter(|k| k.connection_kind().is_none())
    {
        engine
            .inner
            .store
            .ensure_job(kind, None, &kind.default_schedule(), now)
            .await?;
    }
    for connection in engine.inner.store.list_connections().await? {
        ensure_connection_jobs(engine, &connection).await?;
    }
    Ok(())
}

/// Adds the jobs a connection of this kind runs.
pub(crate) async fn ensure_connection_jobs(engine: &Engine, c: &Connection) -> Result<()> {
    let now = engine.now();
    for kind in JobKind::ALL
        .into_iter()
        .filter(|k| k.connection_kind() == Some(c.kind))
    {
        engine
            .inner
            .store
            .ensure_job(kind, Some(c.id), &kind.default_schedule(), now)
            .await?;
    }
    Ok(())
}

pub(crate) async fn is_connection_busy(engine: &Engine, connection_id: i64) -> bool {
    engine
        .inner
        .running
        .lock()
        .await
        .values()
        .any(|h| h.connection_id == Some(connection_id))
}

impl Engine {
    /// Every job with its schedule, last run and next due time.
    pub async fn list_jobs(&self) -> Result<Vec<JobInfo>> {
        let tz = self.inner.store.settings().await?.tz();
        let running: Vec<i64> = self.inner.running.lock().await.keys().copied().collect();
        let mut out = Vec::new();
        for job in self.inner.store.list_jobs().await? {
            let last_run = self.inner.store.last_run_of_job(job.id).await?;
            out.push(JobInfo {
                id: job.id,
                kind: job.kind,
                connection_id: job.connection_id,
                connection_name: job.connection_name.clone(),
                next_due_at: job
                    .enabled
                    .then(|| job.schedule.next_after(job.anchor_at, tz))
                    .flatten(),
                schedule: job.schedule,
                enabled: job.enabled,
                running: running.contains(&job.id),
                last_run,
            });
        }
        Ok(out)
    }

    /// Changes a job's schedule.
    pub async fn save_job(&self, id: i64, schedule: Schedule, enabled: bool) -> Result<JobInfo> {
        if let Err(e) = schedule.validate() {
            return Err(EngineError::Invalid(vec![loket_core::FieldError {
                field: "schedule".into(),
                message: e.to_string(),
            }]));
        }
        self.inner.store.update_job(id, &schedule, enabled).await?;
        self.changed(&["jobs"]);
        self.list_jobs()
            .await?
            .into_iter()
            .find(|j| j.id == id)
            .ok_or_else(|| EngineError::NotFound(format!("job {id}")))
    }

    /// Starts a job now; returns the run id at once while the job works in the background.
    /// A job that is already running is not started twice.
    pub async fn start_job(&self, job_id: i64, trigger: &str) -> Result<i64> {
        self.start_job_with(job_id, trigger, RunOptions::default())
            .await
    }

    /// [`Engine::start_job`] with limits for this one run.
    pub async fn start_job_with(
        &self,
        job_id: i64,
        trigger: &str,
        options: RunOptions,
    ) -> Result<i64> {
        let job = self.inner.store.get_job(job_id).await?;
        let connection = match job.connection_id {
            Some(id) => Some(self.inner.store.get_connection(id).await?),
            None => None,
        };
        let mut running = self.inner.running.lock().await;
        if running.contains_key(&job_id) {
            return Err(EngineError::Busy(format!(
                "{} is already running.",
                job.kind.as_str()
            )));
        }
        let now = self.now();
        let run_id = self
            .inner
            .store
            .start_run(job.id, job.kind, job.connection_id, trigger, now)
            .await?;
        let cancel = CancellationToken::new();
        running.insert(
            job_id,
            RunHandle {
                run_id,
                connection_id: job.connection_id,
                cancel: cancel.clone(),
            },
        );
        drop(running);
        self.changed(&["jobs", "runs"]);

        let engine = self.clone();
        let manual = trigger == "manual";
        tokio::spawn(async move {
            engine
                .execute(job, connection, run_id, cancel, options, manual)
                .await;
        });
        Ok(run_id)
    }

    /// Runs a job and waits for it to end (the CLI and tests).
    pub async fn run_job_and_wait(&self, job_id: i64, trigger: &str) -> Result<SyncRun> {
        self.run_job_with_and_wait(job_id, trigger, RunOptions::default())
            .await
    }

    /// [`Engine::run_job_and_wait`] with limits for this one run.
    pub async fn run_job_with_and_wait(
        &self,
        job_id: i64,
        trigger: &str,
        options: RunOptions,
    ) -> Result<SyncRun> {
        let mut events = self.subscribe();
        let run_id = self.start_job_with(job_id, trigger, options).await?;
        loop {
            match events.recv().await {
                Ok(EngineEvent::RunFinished(run)) if run.id == run_id => return Ok(run),
                Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                Err(tokio::sync::broadcast::error::RecvError::Closed) => {
                    return Ok(self.inner.store.get_run(run_id).await?);
                }
            }
        }
    }

    /// Asks a running job to stop; it stops at the next safe point (after a committed page).
    pub async fn cancel_run(&self, run_id: i64) -> Result<()> {
        let running = self.inner.running.lock().await;
        match running.values().find(|h| h.run_id == run_id) {
            Some(h) => {
                h.cancel.cancel();
                Ok(())
            }
            None => Err(EngineError::NotFound(format!(
                "Run {run_id} is not running."
            ))),
        }
    }

    /// Recent runs.
    pub async fn list_runs(
        &self,
        connection_id: Option<i64>,
        job: Option<JobKind>,
        limit: u32,
    ) -> Result<Vec<SyncRun>> {
        Ok(self
            .inner
            .store
            .list_runs(connection_id, job, limit.clamp(1, 1000))
            .await?)
    }

    async fn execute(
        &self,
        job: JobRow,
        connection: Option<Connection>,
        run_id: i64,
        cancel: CancellationToken,
        options: RunOptions,
        manual: bool,
    ) {
        let started = self.now();
        let mut ctx = JobContext::new(self.clone(), &job, run_id, cancel.clone(), options, manual);
        let end = match job.kind {
            JobKind::PermitTypes => permits::permit_types(&mut ctx, connection.as_ref()).await,
            JobKind::NewPermits => permits::new_permits(&mut ctx, connection.as_ref()).await,
            JobKind::ExpirySync => permits::expiry_sync(&mut ctx, connection.as_ref()).await,
            JobKind::LogCleanup => log_cleanup::run(&mut ctx).await,
            JobKind::DatabaseBackup => backup::run(&mut ctx).await,
            JobKind::MarkExpired => expiry::mark_expired(&mut ctx).await,
            JobKind::Reminders => expiry::reminders(&mut ctx).await,
            JobKind::EinvoiceSign => einvoices::sign(&mut ctx, connection.as_ref()).await,
            JobKind::EinvoiceSubmit => einvoices::submit(&mut ctx, connection.as_ref()).await,
            JobKind::EinvoiceStatus => einvoices::status(&mut ctx, connection.as_ref()).await,
            JobKind::EinvoicePoll => einvoices::poll(&mut ctx, connection.as_ref()).await,
            JobKind::EinvoiceRetries => einvoices::retries(&mut ctx, connection.as_ref()).await,
            JobKind::EinvoiceResponseCleanup => einvoices::clean_responses(&mut ctx).await,
            JobKind::EinvoiceRetryCleanup => einvoices::clean_retries(&mut ctx).await,
            JobKind::EinvoiceCertificateCheck => {
                einvoices::check_certificate(&mut ctx, connection.as_ref()).await
            }
        };
        let (status, counts, error) = match end {
            Ok(JobEnd::Done(counts)) if cancel.is_cancelled() => {
                (RunStatus::Cancelled, counts, None)
            }
            Ok(JobEnd::Done(counts)) if counts.failed > 0 => (
                RunStatus::Partial,
                counts,
                Some(format!(
                    "{} records could not be read; see the integration log.",
                    counts.failed
                )),
            ),
            Ok(JobEnd::Done(counts)) => (RunStatus::Succeeded, counts, None),
            Ok(JobEnd::Failed { counts, error }) if cancel.is_cancelled() => {
                (RunStatus::Cancelled, counts, Some(error))
            }
            Ok(JobEnd::Failed { counts, error }) => (RunStatus::Failed, counts, Some(error)),
            Err(e) => (
                RunStatus::Failed,
                ctx.counts(),
                Some(crate::api::user_message(e)),
            ),
        };
        let finished = self.now();
        let run = self
            .inner
            .store
            .finish_run(run_id, status, counts, error.as_deref(), finished)
            .await;
        if let (Some(c), RunStatus::Succeeded | RunStatus::Partial) = (&connection, status) {
            let ms = (finished - started).num_milliseconds();
            let _ = self.inner.store.record_sync(c.id, finished, ms).await;
        }
        self.inner.running.lock().await.remove(&job.id);
        match run {
            Ok(run) => {
                let bulk = matches!(
                    job.kind,
                    JobKind::EinvoiceSign | JobKind::EinvoiceSubmit | JobKind::EinvoiceStatus
                );
                if bulk {
                    // A bulk run may take many minutes: say when it ends, however it ends.
                    let lang = self
                        .inner
                        .store
                        .settings()
                        .await
                        .map(|s| s.language)
                        .unwrap_or(loket_core::Language::En);
                    let (title, body) = loket_core::messages::bulk_run_ended(
                        lang,
                        job.kind,
                        status,
                        run.counts.updated + run.counts.created,
                        run.counts.failed,
                        run.counts.unchanged,
                    );
                    self.emit(EngineEvent::Notify { title, body });
                } else if status == RunStatus::Failed {
                    let lang = self
                        .inner
                        .store
                        .settings()
                        .await
                        .map(|s| s.language)
                        .unwrap_or(loket_core::Language::En);
                    self.emit(EngineEvent::Notify {
                        title: loket_core::messages::sync_failed_title(lang).into(),
                        body: format!(
                            "{}{}: {}",
                            loket_core::messages::job_label(lang, job.kind),
                            run.connection_name
                                .as_deref()
                                .map(|n| format!(" ({n})"))
                                .unwrap_or_default(),
                            run.error.clone().unwrap_or_default()
                        ),
                    });
                }
                self.emit(EngineEvent::RunFinished(run));
            }
            Err(e) => tracing::error!(run_id, error = %e, "could not record the end of a run"),
        }
        self.changed(&["jobs", "runs", "connections", "permits"]);
    }

    /// Whether any job is running.
    pub async fn any_running(&self) -> bool {
        !self.inner.running.lock().await.is_empty()
    }
}

impl Engine {
    /// Starts every enabled job of every active connection that is not already running.
    pub async fn sync_now(&self) -> Result<Vec<i64>> {
        let mut started = Vec::new();
        for job in self.inner.store.list_jobs().await? {
            let Some(connection_id) = job.connection_id else {
                continue;
            };
            if !job.enabled || !self.inner.store.get_connection(connection_id).await?.active {
                continue;
            }
            match self.start_job(job.id, "manual").await {
                Ok(run) => started.push(run),
                Err(EngineError::Busy(_)) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(started)
    }
}
