use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error_category::ErrorCategory;

/// One remote call as recorded in the integration log (secrets already redacted).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct LogEntry {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub connection_id: i64,
    pub at: DateTime<Utc>,
    pub method: String,
    pub endpoint: String,
    /// Request parameters with secrets replaced by "***".
    pub params: Option<String>,
    pub status: Option<u16>,
    #[ts(type = "number")]
    pub duration_ms: i64,
    #[ts(type = "number")]
    pub bytes: i64,
    pub error_category: Option<ErrorCategory>,
    pub error: Option<String>,
}

/// Which log rows to show.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct LogFilter {
    #[ts(type = "number | null")]
    pub connection_id: Option<i64>,
    pub only_errors: bool,
    pub endpoint_contains: Option<String>,
    pub limit: Option<u32>,
}
