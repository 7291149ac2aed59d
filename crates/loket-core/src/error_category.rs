use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// How a failed remote call is classified; drives retry delays and what the user is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCategory {
    Transient,
    RateLimit,
    Network,
    Server,
    Auth,
    Validation,
    Unknown,
}

impl ErrorCategory {
    /// Multiplier applied to the base retry delay (SPEC §5).
    pub fn delay_multiplier(self) -> f64 {
        match self {
            Self::Transient | Self::Unknown => 1.0,
            Self::RateLimit => 2.0,
            Self::Network | Self::Server => 1.5,
            Self::Auth => 3.0,
            Self::Validation => 6.0,
        }
    }

    /// Whether trying again later can help at all.
    pub fn is_retryable(self) -> bool {
        matches!(
            self,
            Self::Transient | Self::RateLimit | Self::Network | Self::Server
        )
    }

    /// Classifies an HTTP status code.
    pub fn from_status(status: u16) -> Option<Self> {
        match status {
            200..=399 => None,
            401 | 403 => Some(Self::Auth),
            408 => Some(Self::Transient),
            429 => Some(Self::RateLimit),
            400..=499 => Some(Self::Validation),
            502..=504 => Some(Self::Transient),
            _ => Some(Self::Server),
        }
    }

    /// The stable name stored in the log.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Transient => "transient",
            Self::RateLimit => "rate_limit",
            Self::Network => "network",
            Self::Server => "server",
            Self::Auth => "auth",
            Self::Validation => "validation",
            Self::Unknown => "unknown",
        }
    }

    /// Parses the stored name; anything unknown is `Unknown`.
    pub fn parse(s: &str) -> Self {
        [
            Self::Transient,
            Self::RateLimit,
            Self::Network,
            Self::Server,
            Self::Auth,
            Self::Validation,
        ]
        .into_iter()
        .find(|c| c.as_str() == s)
        .unwrap_or(Self::Unknown)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_to_categories() {
        assert_eq!(ErrorCategory::from_status(200), None);
        assert_eq!(ErrorCategory::from_status(401), Some(ErrorCategory::Auth));
        assert_eq!(ErrorCategory::from_status(403), Some(ErrorCategory::Auth));
        assert_eq!(
            ErrorCategory::from_status(429),
            Some(ErrorCategory::RateLimit)
        );
        assert_eq!(
            ErrorCategory::from_status(400),
            Some(ErrorCategory::Validation)
        );
        assert_eq!(
            ErrorCategory::from_status(503),
            Some(ErrorCategory::Transient)
        );
        assert_eq!(ErrorCategory::from_status(500), Some(ErrorCategory::Server));
    }

    #[test]
    fn only_temporary_failures_are_retryable() {
        assert!(ErrorCategory::RateLimit.is_retryable());
        assert!(!ErrorCategory::Auth.is_retryable());
        assert!(!ErrorCategory::Validation.is_retryable());
        assert_eq!(ErrorCategory::Validation.delay_multiplier(), 6.0);
    }
}
