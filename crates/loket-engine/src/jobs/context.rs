use std::time::{Duration, Instant};

use loket_core::{JobKind, Progress, ProgressMeter, RunCounts, RunOptions};
use loket_store::JobRow;
use tokio_util::sync::CancellationToken;

use crate::events::EngineEvent;
use crate::Engine;

/// Progress events are sent at most this often (the last one always goes out).
const PROGRESS_INTERVAL: Duration = Duration::from_millis(100);

/// "Permits changed" is sent at most this often during a run.
const CHANGED_INTERVAL: Duration = Duration::from_secs(1);

/// What a running job uses to report, check for cancel and read its job.
pub struct JobContext {
    pub(crate) engine: Engine,
    pub(crate) job_id: i64,
    kind: JobKind,
    connection_id: Option<i64>,
    run_id: i64,
    cancel: CancellationToken,
    started: Instant,
    last_sent: Option<Instant>,
    last_changed: Option<Instant>,
    counts: RunCounts,
    pub(crate) options: RunOptions,
    /// Started by hand (Run now, Retry now), not by the schedule.
    pub(crate) manual: bool,
}

impl JobContext {
    pub(crate) fn new(
        engine: Engine,
        job: &JobRow,
        run_id: i64,
        cancel: CancellationToken,
        options: RunOptions,
        manual: bool,
    ) -> Self {
        Self {
            engine,
            job_id: job.id,
            kind: job.kind,
            connection_id: job.connection_id,
            run_id,
            cancel,
            started: Instant::now(),
            last_sent: None,
            last_changed: None,
            counts: RunCounts::default(),
            options,
            manual,
        }
    }

    /// The run's id.
    pub(crate) fn run_id(&self) -> i64 {
        self.run_id
    }

    /// Whether the user asked the run to stop.
    pub fn is_cancelled(&self) -> bool {
        self.cancel.is_cancelled()
    }

    /// The run's cancel signal, for work that runs in parallel.
    pub(crate) fn cancel_token(&self) -> CancellationToken {
        self.cancel.clone()
    }

    /// Counts so far.
    pub fn counts(&self) -> RunCounts {
        self.counts
    }

    /// Adds a page's counts and stores the running totals, so a crash still shows them.
    /// Open permit views refresh at most once a second while records arrive.
    pub async fn add_counts(&mut self, page: RunCounts) {
        self.counts.add(page);
        let now = Instant::now();
        if page.created + page.updated > 0
            && self
                .last_changed
                .is_none_or(|t| now - t >= CHANGED_INTERVAL)
        {
            self.last_changed = Some(now);
            self.engine.changed(&["permits"]);
        }
        let _ = self
            .engine
            .inner
            .store
            .update_run_counts(self.run_id, self.counts)
            .await;
    }

    /// Reports progress; throttled unless `force`.
    pub fn progress(
        &mut self,
        done: u64,
        total: Option<u64>,
        stage: impl Into<String>,
        force: bool,
    ) {
        let now = Instant::now();
        if !force && self.last_sent.is_some_and(|t| now - t < PROGRESS_INTERVAL) {
            return;
        }
        self.last_sent = Some(now);
        let (rate_per_sec, eta_seconds) =
            ProgressMeter::rate_and_eta(done, total, self.started.elapsed().as_secs_f64());
        self.engine.emit(EngineEvent::Progress(Progress {
            run_id: self.run_id,
            job: self.kind,
            connection_id: self.connection_id,
            done,
            total,
            rate_per_sec,
            eta_seconds,
            stage: stage.into(),
        }));
    }
}
