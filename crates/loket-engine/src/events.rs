use loket_core::{Progress, SyncRun};
use serde::Serialize;

/// Something the UI (or a notification) should learn about.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "event", content = "payload", rename_all = "snake_case")]
pub enum EngineEvent {
    /// A running job reports progress.
    Progress(Progress),
    /// A run ended (any status).
    RunFinished(SyncRun),
    /// Data under these topics changed: the UI refetches them.
    Changed { topics: Vec<String> },
    /// A desktop notification to show (the shell decides how).
    Notify { title: String, body: String },
}

impl EngineEvent {
    /// The event's name on the wire.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Progress(_) => "progress",
            Self::RunFinished(_) => "run_finished",
            Self::Changed { .. } => "changed",
            Self::Notify { .. } => "notify",
        }
    }

    /// The event's payload as JSON.
    pub fn payload(&self) -> serde_json::Value {
        match self {
            Self::Progress(p) => serde_json::to_value(p),
            Self::RunFinished(r) => serde_json::to_value(r),
            Self::Changed { topics } => Ok(serde_json::json!({ "topics": topics })),
            Self::Notify { title, body } => Ok(serde_json::json!({ "title": title, "body": body })),
        }
        .unwrap_or(serde_json::Value::Null)
    }
}
