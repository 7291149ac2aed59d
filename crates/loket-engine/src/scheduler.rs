//! Starts jobs when their schedule says so, in the office time zone. A slot missed while the
//! app was closed runs once at the next tick, and a running job is never started again.

use std::time::Duration;

use crate::{Engine, EngineError, Result};

/// How often the real-time loop looks for due jobs.
pub const TICK: Duration = Duration::from_secs(20);

impl Engine {
    /// Starts every enabled job that is due now; returns the started run ids.
    pub async fn scheduler_tick(&self) -> Result<Vec<i64>> {
        let tz = self.inner.store.settings().await?.tz();
        let now = self.now();
        let mut started = Vec::new();
        for job in self.inner.store.list_jobs().await? {
            if !job.enabled || !job.schedule.is_due(job.anchor_at, now, tz) {
                continue;
            }
            if let Some(id) = job.connection_id {
                if !self.inner.store.get_connection(id).await?.active {
                    continue;
                }
            }
            // More than one slot passed: the app was closed. Run once, marked as a catch-up.
            let missed_several = job
                .schedule
                .next_after(job.anchor_at, tz)
                .and_then(|first| job.schedule.next_after(first, tz))
                .is_some_and(|second| second <= now);
            let trigger = if missed_several {
                "catch_up"
            } else {
                "schedule"
            };
            match self.start_job(job.id, trigger).await {
                Ok(run) => started.push(run),
                Err(EngineError::Busy(_)) => {}
                Err(e) => {
                    tracing::error!(job = job.id, error = %e, "scheduled job could not start")
                }
            }
        }
        Ok(started)
    }

    /// Runs `scheduler_tick` every [`TICK`] until the returned handle is aborted.
    pub fn spawn_scheduler(&self) -> tokio::task::JoinHandle<()> {
        let engine = self.clone();
        tokio::spawn(async move {
            let mut interval = tokio::time::interval(TICK);
            interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                interval.tick().await;
                if let Err(e) = engine.scheduler_tick().await {
                    tracing::error!(error = %e, "scheduler tick failed");
                }
            }
        })
    }
}
