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
    /// Sign a selection of e-invoices (generating drafts first); started from the wizard.
    EinvoiceSign,
    /// Send a selection of signed e-invoices in batches; started from the wizard.
    EinvoiceSubmit,
    /// Ask Hacienda about a selection of sent e-invoices; started from the wizard.
    EinvoiceStatus,
    /// Ask Hacienda about sent e-invoices awaiting a decision.
    EinvoicePoll,
    /// Work through the e-invoice retry queue.
    EinvoiceRetries,
    /// Delete Hacienda answers past their retention.
    EinvoiceResponseCleanup,
    /// Delete done and failed retry-queue entries after 30 days.
    EinvoiceRetryCleanup,
    /// Warn ahead of a signing certificate's expiry (30, 7 and 1 days before, and once expired).
    EinvoiceCertificateCheck,
}

impl JobKind {
    /// Every job, in menu order.
    pub const ALL: [JobKind; 15] = [
        Self::PermitTypes,
        Self::NewPermits,
        Self::ExpirySync,
        Self::MarkExpired,
        Self::Reminders,
        Self::EinvoiceSign,
        Self::EinvoiceSubmit,
        Self::EinvoiceStatus,
        Self::EinvoicePoll,
        Self::EinvoiceRetries,
        Self::EinvoiceResponseCleanup,
        Self::EinvoiceRetryCleanup,
        Self::EinvoiceCertificateCheck,
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
            Self::EinvoiceSign => "einvoice_sign",
            Self::EinvoiceSubmit => "einvoice_submit",
            Self::EinvoiceStatus => "einvoice_status",
            Self::EinvoicePoll => "einvoice_poll",
            Self::EinvoiceRetries => "einvoice_retries",
            Self::EinvoiceResponseCleanup => "einvoice_response_cleanup",
            Self::EinvoiceRetryCleanup => "einvoice_retry_cleanup",
            Self::EinvoiceCertificateCheck => "einvoice_certificate_check",
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
            Self::EinvoiceSign
            | Self::EinvoiceSubmit
            | Self::EinvoiceStatus
            | Self::EinvoicePoll
            | Self::EinvoiceRetries
            | Self::EinvoiceCertificateCheck => Some(ConnectionKind::Hacienda),
            Self::LogCleanup
            | Self::DatabaseBackup
            | Self::MarkExpired
            | Self::Reminders
            | Self::EinvoiceResponseCleanup
            | Self::EinvoiceRetryCleanup => None,
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
            Self::EinvoiceSign | Self::EinvoiceSubmit | Self::EinvoiceStatus => Schedule::Manual,
            Self::EinvoicePoll => Schedule::Every { minutes: 15 },
            Self::EinvoiceRetries => Schedule::Every { minutes: 5 },
            Self::EinvoiceResponseCleanup => Schedule::Daily { at: "02:00".into() },
            Self::EinvoiceRetryCleanup => Schedule::Daily { at: "03:00".into() },
            Self::EinvoiceCertificateCheck => Schedule::Daily { at: "09:00".into() },
        }
    }
}

/// How one run of a job is limited (the expiry sync wizard's "test with 10 permits", "all";
/// the e-invoice wizards' selection and batching).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RunOptions {
    /// Handle at most this many records.
    pub limit: Option<u32>,
    /// Fetch again what is already known (expiry sync: every issued permit).
    pub refresh_all: bool,
    /// The records to work on (e-invoice ids); empty means every one in a state for the job.
    #[serde(default)]
    #[ts(type = "number[]")]
    pub selection: Vec<i64>,
    /// Batching for this run instead of the company settings (bulk submit and status).
    #[serde(default)]
    pub batching: Option<Batching>,
}

/// How a bulk run sends: documents per batch, seconds between batches, batches at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Batching {
    pub batch_size: u32,
    pub batch_delay_seconds: u32,
    pub max_concurrent_batches: u32,
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
