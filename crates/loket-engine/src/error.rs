use loket_connect::RemoteError;
use loket_core::{ApiError, ApiErrorCode, FieldError};
use loket_store::StoreError;

use crate::secrets::SecretError;

/// Why an engine call failed.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Secret(#[from] SecretError),
    #[error(transparent)]
    Remote(#[from] RemoteError),
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    #[error("{0}")]
    Busy(String),
    #[error("{0}")]
    NotFound(String),
    /// A file the user asked for (an export) could not be written.
    #[error("{path}: {source}")]
    File {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// A bug or a crashed task, not something the user can fix.
    #[error("internal error: {0}")]
    Internal(String),
}

impl EngineError {
    pub(crate) fn io(path: &std::path::Path, source: std::io::Error) -> Self {
        Self::File {
            path: path.display().to_string(),
            source,
        }
    }
}

impl From<EngineError> for ApiError {
    fn from(e: EngineError) -> Self {
        match e {
            EngineError::Invalid(fields) => ApiError::validation(fields),
            EngineError::Busy(m) => ApiError::new(ApiErrorCode::Busy, m),
            EngineError::NotFound(m) => ApiError::new(ApiErrorCode::NotFound, m),
            EngineError::Internal(m) => ApiError::new(
                ApiErrorCode::Internal,
                "Something went wrong inside Loket; nothing was lost.",
            )
            .with_details(m),
            EngineError::File { path, source } => {
                let message = if source.kind() == std::io::ErrorKind::StorageFull {
                    "The disk is full: the file was not written. Free some space and try again."
                        .to_string()
                } else {
                    format!("Could not write {path}.")
                };
                ApiError::new(ApiErrorCode::Storage, message).with_details(source.to_string())
            }
            EngineError::Secret(s) => {
                ApiError::new(ApiErrorCode::Keyring, s.to_string()).with_details(s.advice())
            }
            EngineError::Remote(r) => {
                let mut a = ApiError::new(ApiErrorCode::Remote, r.message.clone());
                a.details = r.details.clone();
                a
            }
            EngineError::Store(StoreError::NotFound { what, id }) => ApiError::new(
                ApiErrorCode::NotFound,
                format!("The {what} ({id}) no longer exists."),
            ),
            EngineError::Store(StoreError::Conflict(m)) => ApiError::validation(vec![FieldError {
                field: "name".into(),
                message: m,
            }]),
            EngineError::Store(s) if s.is_disk_full() => ApiError::new(
                ApiErrorCode::Storage,
                "The disk is full: nothing was changed. Free some space and try again.",
            )
            .with_details(s.to_string()),
            EngineError::Store(s) => ApiError::new(
                ApiErrorCode::Storage,
                "The local database could not complete the change; nothing was lost.",
            )
            .with_details(s.to_string()),
        }
    }
}
