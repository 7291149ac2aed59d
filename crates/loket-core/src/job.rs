use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::connection::ConnectionKind;
use crate::run::SyncRun;
use crate::schedule::Schedule;

/// The jobs Loket knows how to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    /// Pull permit types from a permit office.
    PermitTypes,
    /// Pull issued and in-process permits from a permit office.
    NewPermits,
    /// Fetch each issued permit's detail (expiry date) from a permit office: the second step.
    ExpirySync,
    /// Delete integration-log rows past their retention.
    LogCleanup,
    /// Copy the database to the backups folder, keeping the last few copies.
    DatabaseBackup,
    /// Mark active permits past their expiry date as expired.
    MarkExpired,
    /// Send expiry reminders by tier crossing, grouped per tier as desktop notifications.
    Reminders,
}

impl JobKind {
    /// Every job, in menu order.
    pub const ALL: [JobKind; 7] = [
        Self::PermitTypes,
        Self::NewPermits,
        Self::ExpirySync,
        Self::MarkExpired,
        Self::Reminders,
        Self::LogCleanup,
        Self::DatabaseBackup,
    ];

    /// The stable name stored in SQLite.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PermitTypes => "permit_types",
            Self::NewPermits => "new_permits",
            Self::ExpirySync => "expiry_sync",
            Self::LogCleanup => "log_cleanup",
            Self::DatabaseBackup => "database_backup",
            Self::MarkExpired => "mark_expired",
            Self::Reminders => "reminders",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The kind of connection the job runs against; `None` for local jobs.
    pub fn connection_kind(self) -> Option<ConnectionKind> {
        match self {
            Self::PermitTypes | Self::NewPermits | Self::ExpirySync => {
                Some(ConnectionKind::Sicantik)
            }
            Self::LogCleanup | Self::DatabaseBackup | Self::MarkExpired | Self::Reminders => None,
        }
    }

    /// The schedule a new installation starts with (SPEC §3).
    pub fn default_schedule(self) -> Schedule {
        match self {
            Self::PermitTypes => Schedule::Daily { at: "01:00".into() },
            Self::NewPermits => Schedule::Every { minutes: 15 },
            Self::ExpirySync => Schedule::Daily { at: "02:00".into() },
            Self::LogCleanup => Schedule::Daily { at: "03:30".into() },
            Self::DatabaseBackup => Schedule::Daily { at: "02:30".into() },
            Self::MarkExpired => Schedule::Daily { at: "00:00".into() },
            Self::Reminders => Schedule::Daily { at: "09:00".into() },
        }
    }
}

/// How one run of a job is limited (the expiry sync wizard's "test with 10 permits", "all").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RunOptions {
    /// Handle at most this many records.
    pub limit: Option<u32>,
    /// Fetch again what is already known (expiry sync: every issued permit).
    pub refresh_all: bool,
}

/// A job as the Sync screen shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct JobInfo {
    #[ts(type = "number")]
    pub id: i64,
    pub kind: JobKind,
    #[ts(type = "number | null")]
    pub connection_id: Option<i64>,
    pub connection_name: Option<String>,
    pub schedule: Schedule,
    pub enabled: bool,
    pub running: bool,
    pub last_run: Option<SyncRun>,
    pub next_due_at: Option<DateTime<Utc>>,
}
