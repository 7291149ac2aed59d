use std::path::Path;

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("could not apply database migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{what} {id} does not exist")]
    NotFound { what: &'static str, id: i64 },
    #[error("{0}")]
    Conflict(String),
    #[error("stored data is not readable: {0}")]
    Corrupt(String),
    #[error("another Loket is already using {0}")]
    Locked(String),
}

impl StoreError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Self {
        Self::Io {
            path: path.display().to_string(),
            source,
        }
    }

    /// Whether the disk (or the database's size limit) is full.
    pub fn is_disk_full(&self) -> bool {
        match self {
            Self::Sqlx(sqlx::Error::Database(db)) => db.code().as_deref() == Some("13"),
            Self::Io { source, .. } => source.kind() == std::io::ErrorKind::StorageFull,
            _ => false,
        }
    }

    /// Whether a UNIQUE constraint refused the write.
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, Self::Sqlx(sqlx::Error::Database(db)) if db.is_unique_violation())
    }
}
