use chrono::Duration;
use loket_core::RunCounts;

use super::{JobContext, JobEnd};
use crate::Result;

/// Deletes integration-log rows older than the configured retention.
pub(crate) async fn run(ctx: &mut JobContext) -> Result<JobEnd> {
    let store = &ctx.engine.inner.store;
    let days = store.settings().await?.log_retention_days;
    let cutoff = ctx.engine.now() - Duration::days(i64::from(days));
    let deleted = store.delete_log_before(cutoff).await?;
    let counts = RunCounts {
        updated: u32::try_from(deleted).unwrap_or(u32::MAX),
        ..RunCounts::default()
    };
    ctx.progress(deleted, Some(deleted), "integration log cleaned", true);
    Ok(JobEnd::Done(counts))
}
