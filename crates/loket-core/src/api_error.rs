use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What kind of failure the user is looking at; the UI picks wording and actions from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ApiErrorCode {
    Validation,
    NotFound,
    Keyring,
    Remote,
    Busy,
    Storage,
    Internal,
}

/// One invalid form field and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// An error as the UI receives it: a plain message, per-field problems, and details on demand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, thiserror::Error)]
#[error("{message}")]
pub struct ApiError {
    pub code: ApiErrorCode,
    pub message: String,
    pub fields: Vec<FieldError>,
    /// The outside system's own words or a technical trace, shown under "details".
    pub details: Option<String>,
}

impl ApiError {
    /// An error with a code and message and nothing else.
    pub fn new(code: ApiErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            fields: Vec::new(),
            details: None,
        }
    }

    /// A validation error listing the fields at fault.
    pub fn validation(fields: Vec<FieldError>) -> Self {
        let message = match fields.as_slice() {
            [one] => one.message.clone(),
            _ => format!("{} fields need attention", fields.len()),
        };
        Self {
            code: ApiErrorCode::Validation,
            message,
            fields,
            details: None,
        }
    }

    /// Adds technical details shown on demand.
    pub fn with_details(mut self, details: impl Into<String>) -> Self {
        self.details = Some(details.into());
        self
    }
}
