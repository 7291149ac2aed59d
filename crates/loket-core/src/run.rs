use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::job::JobKind;

/// Where a job run stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    Running,
    Succeeded,
    /// Finished, but some records failed.
    Partial,
    Failed,
    Cancelled,
    /// The app stopped while it ran; its checkpoint lets the next run resume.
    Interrupted,
}

impl RunStatus {
    /// The stable name stored in SQLite.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Running => "running",
            Self::Succeeded => "succeeded",
            Self::Partial => "partial",
            Self::Failed => "failed",
            Self::Cancelled => "cancelled",
            Self::Interrupted => "interrupted",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "running" => Self::Running,
            "succeeded" => Self::Succeeded,
            "partial" => Self::Partial,
            "failed" => Self::Failed,
            "cancelled" => Self::Cancelled,
            "interrupted" => Self::Interrupted,
            _ => return None,
        })
    }
}

/// Per-record outcome counts of a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RunCounts {
    pub created: u32,
    pub updated: u32,
    pub unchanged: u32,
    pub failed: u32,
}

impl RunCounts {
    /// Adds another count set to this one.
    pub fn add(&mut self, other: RunCounts) {
        self.created += other.created;
        self.updated += other.updated;
        self.unchanged += other.unchanged;
        self.failed += other.failed;
    }

    /// Records handled so far.
    pub fn total(&self) -> u32 {
        self.created + self.updated + self.unchanged + self.failed
    }
}

/// One recorded run of a job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SyncRun {
    #[ts(type = "number")]
    pub id: i64,
    pub job: JobKind,
    #[ts(type = "number | null")]
    pub connection_id: Option<i64>,
    pub connection_name: Option<String>,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub status: RunStatus,
    pub counts: RunCounts,
    pub error: Option<String>,
    /// "manual", "schedule" or "catch_up".
    pub trigger: String,
}
