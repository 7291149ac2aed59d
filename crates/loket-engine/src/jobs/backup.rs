//! The daily copy of the database (SPEC §8), keeping the most recent few.

use loket_core::RunCounts;

use super::{JobContext, JobEnd};
use crate::Result;

/// Daily copies kept; older ones are deleted.
const KEEP: usize = 7;
const LABEL: &str = "daily";

pub(crate) async fn run(ctx: &mut JobContext) -> Result<JobEnd> {
    let store = &ctx.engine.inner.store;
    let target = store.backup_path(LABEL);
    store.backup_to(&target).await?;
    let mut removed = 0u32;
    if let Some(dir) = target.parent() {
        let mut copies: Vec<_> = std::fs::read_dir(dir)
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        copies.retain(|p| p.to_string_lossy().ends_with(&format!("-{LABEL}.db")));
        // Names start with the UTC time stamp, so name order is age order.
        copies.sort();
        let excess = copies.len().saturating_sub(KEEP);
        for old in copies.into_iter().take(excess) {
            if std::fs::remove_file(&old).is_ok() {
                removed += 1;
            }
        }
    }
    ctx.progress(1, Some(1), format!("copied to {}", target.display()), true);
    Ok(JobEnd::Done(RunCounts {
        created: 1,
        updated: removed,
        ..RunCounts::default()
    }))
}
