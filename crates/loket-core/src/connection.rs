use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::api_error::FieldError;

/// Which outside system a connection talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ConnectionKind {
    Sicantik,
    Odoo,
    Hacienda,
}

impl ConnectionKind {
    /// The stable name stored in SQLite.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sicantik => "sicantik",
            Self::Odoo => "odoo",
            Self::Hacienda => "hacienda",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "sicantik" => Some(Self::Sicantik),
            "odoo" => Some(Self::Odoo),
            "hacienda" => Some(Self::Hacienda),
            _ => None,
        }
    }

    /// Whether this kind cannot work without a secret.
    pub fn requires_secret(self) -> bool {
        !matches!(self, Self::Sicantik)
    }
}

/// Staging or production endpoints of the outside system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Environment {
    Staging,
    Production,
}

impl Environment {
    /// The stable name stored in SQLite.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Staging => "staging",
            Self::Production => "production",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "staging" => Some(Self::Staging),
            "production" => Some(Self::Production),
            _ => None,
        }
    }
}

/// Wire protocol used to talk to Odoo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum OdooProtocol {
    Xmlrpc,
    Jsonrpc,
    Json2,
}

impl OdooProtocol {
    /// The stable name stored in SQLite.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Xmlrpc => "xmlrpc",
            Self::Jsonrpc => "jsonrpc",
            Self::Json2 => "json2",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "xmlrpc" => Some(Self::Xmlrpc),
            "jsonrpc" => Some(Self::Jsonrpc),
            "json2" => Some(Self::Json2),
            _ => None,
        }
    }
}

/// Request and error figures for one connection.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct ConnectionStats {
    #[ts(type = "number")]
    pub requests: i64,
    #[ts(type = "number")]
    pub errors: i64,
    pub last_sync_at: Option<DateTime<Utc>>,
    #[ts(type = "number | null")]
    pub last_duration_ms: Option<i64>,
}

/// A configured link to an outside system. Its secret lives in the OS keyring only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Connection {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub kind: ConnectionKind,
    pub base_url: String,
    pub environment: Environment,
    pub database: Option<String>,
    pub username: Option<String>,
    pub protocol: Option<OdooProtocol>,
    pub timeout_ms: u32,
    pub rate_limit_per_sec: f64,
    pub max_concurrent: u32,
    pub active: bool,
    /// Whether the keyring holds a secret for this connection (the secret itself never leaves it).
    pub has_secret: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub stats: ConnectionStats,
}

/// What the connection form submits. `secret`: `None` keeps the stored one, `Some("")` removes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ConnectionInput {
    #[ts(type = "number | null")]
    pub id: Option<i64>,
    pub name: String,
    pub kind: ConnectionKind,
    pub base_url: String,
    pub environment: Environment,
    pub database: Option<String>,
    pub username: Option<String>,
    pub protocol: Option<OdooProtocol>,
    pub timeout_ms: u32,
    pub rate_limit_per_sec: f64,
    pub max_concurrent: u32,
    pub active: bool,
    pub secret: Option<String>,
}

impl ConnectionInput {
    /// Default timeout for a remote call.
    pub const DEFAULT_TIMEOUT_MS: u32 = 30_000;
    /// Default rate limit (SPEC §1).
    pub const DEFAULT_RATE: f64 = 10.0;
    /// Default cap on requests in flight.
    pub const DEFAULT_CONCURRENCY: u32 = 4;

    /// Trims text fields and drops fields that do not apply to the kind.
    pub fn normalized(mut self) -> Self {
        self.name = self.name.trim().to_string();
        self.base_url = self.base_url.trim().to_string();
        let clean = |v: Option<String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        self.database = clean(self.database);
        self.username = clean(self.username);
        match self.kind {
            ConnectionKind::Odoo => {
                self.protocol.get_or_insert(OdooProtocol::Jsonrpc);
            }
            ConnectionKind::Sicantik => {
                self.database = None;
                self.protocol = None;
            }
            ConnectionKind::Hacienda => {
                self.database = None;
                self.protocol = None;
            }
        }
        self
    }

    /// Checks every field and returns one message per field at fault.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let mut err = |field: &str, message: &str| {
            errors.push(FieldError {
                field: field.to_string(),
                message: message.to_string(),
            })
        };
        if self.name.trim().is_empty() {
            err("name", "Give the connection a name.");
        } else if self.name.chars().count() > 80 {
            err("name", "Keep the name under 80 characters.");
        }
        match url::Url::parse(self.base_url.trim()) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => {}
            Ok(_) => err("base_url", "Use an http:// or https:// address."),
            Err(_) => err(
                "base_url",
                "Enter a full address, for example https://example.org/",
            ),
        }
        if !(1_000..=300_000).contains(&self.timeout_ms) {
            err("timeout_ms", "Timeout must be between 1 and 300 seconds.");
        }
        // 0 turns the limit off (a local server, a benchmark); the default is 10.
        if !(self.rate_limit_per_sec.is_finite()
            && (0.0..=1000.0).contains(&self.rate_limit_per_sec))
        {
            err(
                "rate_limit_per_sec",
                "Rate limit must be between 0 (no limit) and 1000 requests per second.",
            );
        }
        if !(1..=64).contains(&self.max_concurrent) {
            err(
                "max_concurrent",
                "Concurrent requests must be between 1 and 64.",
            );
        }
        let blank = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
        match self.kind {
            ConnectionKind::Odoo => {
                if blank(&self.database) && self.protocol != Some(OdooProtocol::Json2) {
                    err("database", "Odoo needs the database name.");
                }
                if blank(&self.username) && self.protocol != Some(OdooProtocol::Json2) {
                    err(
                        "username",
                        "Odoo needs the login of the user Loket acts as.",
                    );
                }
            }
            ConnectionKind::Hacienda => {
                if blank(&self.username) {
                    err(
                        "username",
                        "Hacienda needs the API user (cpf-…@comprobanteselectronicos.go.cr).",
                    );
                }
            }
            ConnectionKind::Sicantik => {}
        }
        errors
    }
}

/// One step of "Test connection" and how it went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TestStep {
    Dns,
    Connect,
    Tls,
    Timeout,
    Http,
    Protocol,
    Auth,
    Database,
    Secret,
}

/// The answer of "Test connection".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct TestOutcome {
    pub reachable: bool,
    pub server_version: Option<String>,
    /// `None` when the kind needs no login.
    pub authenticated: Option<bool>,
    #[ts(type = "number")]
    pub latency_ms: i64,
    /// Where it failed, if it did.
    pub failed_step: Option<TestStep>,
    /// A plain-language reason on failure.
    pub reason: Option<String>,
    /// The outside system's own words or the technical error.
    pub details: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(kind: ConnectionKind) -> ConnectionInput {
        ConnectionInput {
            id: None,
            name: "Office".into(),
            kind,
            base_url: "https://example.org/".into(),
            environment: Environment::Staging,
            database: Some("db".into()),
            username: Some("user".into()),
            protocol: None,
            timeout_ms: 30_000,
            rate_limit_per_sec: 10.0,
            max_concurrent: 4,
            active: true,
            secret: None,
        }
    }

    fn fields(i: &ConnectionInput) -> Vec<String> {
        i.validate().into_iter().map(|f| f.field).collect()
    }

    #[test]
    fn a_complete_input_is_valid() {
        for kind in [
            ConnectionKind::Sicantik,
            ConnectionKind::Odoo,
            ConnectionKind::Hacienda,
        ] {
            assert!(input(kind).normalized().validate().is_empty(), "{kind:?}");
        }
    }

    #[test]
    fn each_bad_field_is_named() {
        let mut i = input(ConnectionKind::Odoo);
        i.name = "  ".into();
        i.base_url = "ftp://x".into();
        i.timeout_ms = 10;
        i.rate_limit_per_sec = -1.0;
        i.max_concurrent = 0;
        i.database = None;
        assert_eq!(
            fields(&i),
            [
                "name",
                "base_url",
                "timeout_ms",
                "rate_limit_per_sec",
                "max_concurrent",
                "database"
            ]
        );
    }

    #[test]
    fn json2_needs_no_database_or_login() {
        let mut i = input(ConnectionKind::Odoo);
        i.protocol = Some(OdooProtocol::Json2);
        i.database = None;
        i.username = None;
        assert!(i.validate().is_empty());
    }

    #[test]
    fn normalizing_drops_fields_of_other_kinds() {
        let n = input(ConnectionKind::Sicantik).normalized();
        assert_eq!(n.database, None);
        let o = input(ConnectionKind::Odoo).normalized();
        assert_eq!(o.protocol, Some(OdooProtocol::Jsonrpc));
    }

    #[test]
    fn not_a_number_rate_is_rejected() {
        let mut i = input(ConnectionKind::Sicantik);
        i.rate_limit_per_sec = f64::NAN;
        assert_eq!(fields(&i), ["rate_limit_per_sec"]);
    }
}
