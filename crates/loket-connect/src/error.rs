use std::time::Duration;

use loket_core::ErrorCategory;

/// What went wrong on the way to, or back from, an outside system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// The host name did not resolve.
    Dns,
    /// Nothing accepted the connection.
    Connect,
    /// The TLS handshake or certificate check failed.
    Tls,
    /// No answer within the timeout.
    Timeout,
    /// The server answered with an HTTP error status.
    Status,
    /// The answer could not be read (truncated, not the expected format).
    Malformed,
    /// The outside system refused the request in its own protocol (Odoo fault, OIDC error).
    Refused,
    /// Anything else.
    Other,
}

/// A failed remote call, classified for retry decisions and explained for the user.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct RemoteError {
    pub kind: FailureKind,
    pub category: ErrorCategory,
    pub status: Option<u16>,
    /// From a `Retry-After` header, when the server sent one.
    pub retry_after: Option<Duration>,
    /// A short plain-language message.
    pub message: String,
    /// The outside system's own words or the technical cause.
    pub details: Option<String>,
    /// A protocol-specific error name, e.g. Odoo's `access_denied`.
    pub code: Option<String>,
}

impl RemoteError {
    /// An error of the given kind and category.
    pub fn new(kind: FailureKind, category: ErrorCategory, message: impl Into<String>) -> Self {
        Self {
            kind,
            category,
            status: None,
            retry_after: None,
            message: message.into(),
            details: None,
            code: None,
        }
    }

    /// A reply that could not be parsed.
    pub fn malformed(what: &str, cause: impl std::fmt::Display) -> Self {
        Self::new(
            FailureKind::Malformed,
            ErrorCategory::Transient,
            format!("The server's answer to {what} could not be read."),
        )
        .with_details(cause.to_string())
    }

    /// Adds the technical details.
    pub fn with_details(mut self, details: impl Into<String>) -> Self {
        self.details = Some(details.into());
        self
    }

    /// Whether trying again can help.
    pub fn is_retryable(&self) -> bool {
        self.category.is_retryable()
    }
}
