//! Odoo's external API over XML-RPC, JSON-RPC or JSON-2, behind one interface.

pub mod xmlrpc;

use std::sync::Arc;

use loket_core::{ErrorCategory, OdooProtocol};
use serde_json::{json, Value};
use tokio::sync::OnceCell;

use crate::error::{FailureKind, RemoteError};
use crate::http::{Body, ConnectionClient, RemoteRequest};

/// Odoo's error kinds, from its exception names and XML-RPC fault codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OdooErrorKind {
    AccessDenied,
    AccessError,
    Validation,
    UserError,
    MissingRecord,
    SessionExpired,
    TooManyLoginFailures,
    UnknownDatabase,
    Other,
}

impl OdooErrorKind {
    /// From the exception's qualified name (JSON-RPC `data.name`, JSON-2 `name`) and message.
    pub fn from_name(name: &str, message: &str) -> Self {
        let lower = message.to_lowercase();
        if lower.contains("too many login failures") {
            return Self::TooManyLoginFailures;
        }
        match name.rsplit('.').next().unwrap_or(name) {
            "AccessDenied" => Self::AccessDenied,
            "AccessError" => Self::AccessError,
            "ValidationError" => Self::Validation,
            "UserError" | "Warning" | "RedirectWarning" => Self::UserError,
            "MissingError" => Self::MissingRecord,
            "SessionExpiredException" => Self::SessionExpired,
            "OperationalError" if lower.contains("database") => Self::UnknownDatabase,
            "KeyError" if lower.contains("database") => Self::UnknownDatabase,
            _ => Self::Other,
        }
    }

    /// From an XML-RPC fault (code 3 access denied, 4 access error, 2 user-level, 1 other).
    pub fn from_fault(code: i64, message: &str) -> Self {
        let lower = message.to_lowercase();
        if lower.contains("too many login failures") {
            Self::TooManyLoginFailures
        } else if lower.contains("database") && lower.contains("does not exist") {
            Self::UnknownDatabase
        } else {
            match code {
                3 => Self::AccessDenied,
                4 => Self::AccessError,
                2 if lower.contains("does not exist") || lower.contains("missing") => {
                    Self::MissingRecord
                }
                2 => Self::UserError,
                _ => Self::Other,
            }
        }
    }

    /// The stable name carried in `RemoteError::code`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AccessDenied => "access_denied",
            Self::AccessError => "access_error",
            Self::Validation => "validation",
            Self::UserError => "user_error",
            Self::MissingRecord => "missing_record",
            Self::SessionExpired => "session_expired",
            Self::TooManyLoginFailures => "too_many_login_failures",
            Self::UnknownDatabase => "unknown_database",
            Self::Other => "other",
        }
    }

    fn error(self, odoo_message: &str, database: &str) -> RemoteError {
        let (category, message) = match self {
            Self::AccessDenied => (
                ErrorCategory::Auth,
                "Odoo refused the login: check the user and password or API key.".to_string(),
            ),
            Self::AccessError => (
                ErrorCategory::Auth,
                "The Odoo user may not do this.".to_string(),
            ),
            Self::Validation => (
                ErrorCategory::Validation,
                "Odoo rejected the values.".to_string(),
            ),
            Self::UserError => (
                ErrorCategory::Validation,
                "Odoo refused the request.".to_string(),
            ),
            Self::MissingRecord => (
                ErrorCategory::Validation,
                "The record no longer exists in Odoo.".to_string(),
            ),
            Self::SessionExpired => (ErrorCategory::Auth, "The Odoo session expired.".to_string()),
            Self::TooManyLoginFailures => (
                ErrorCategory::Auth,
                "Odoo locked logins after too many failures; wait before trying again.".to_string(),
            ),
            Self::UnknownDatabase => (
                ErrorCategory::Validation,
                format!("Odoo has no database named \"{database}\"."),
            ),
            Self::Other => (ErrorCategory::Server, "Odoo reported an error.".to_string()),
        };
        let mut e =
            RemoteError::new(FailureKind::Refused, category, message).with_details(odoo_message);
        e.code = Some(self.as_str().to_string());
        e
    }
}

/// What `version()` reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OdooVersion {
    pub server_version: String,
}

/// Credentials for one Odoo database.
#[derive(Clone)]
pub struct OdooLogin {
    pub database: String,
    pub login: String,
    /// Password or API key.
    pub secret: String,
}

/// Client of one Odoo server.
pub struct OdooClient {
    http: Arc<ConnectionClient>,
    protocol: OdooProtocol,
    login: OdooLogin,
    uid: OnceCell<i64>,
}

impl OdooClient {
    /// Wraps the connection's HTTP client.
    pub fn new(http: Arc<ConnectionClient>, protocol: OdooProtocol, login: OdooLogin) -> Self {
        Self {
            http,
            protocol,
            login,
            uid: OnceCell::new(),
        }
    }

    /// The server's version.
    pub async fn version(&self) -> Result<OdooVersion, RemoteError> {
        let value = match self.protocol {
            OdooProtocol::Xmlrpc => self.xmlrpc("xmlrpc/2/common", "version", vec![]).await?,
            OdooProtocol::Jsonrpc => self.jsonrpc("common", "version", vec![]).await?,
            OdooProtocol::Json2 => {
                let response = self.http.send(RemoteRequest::get("web/version")).await?;
                serde_json::from_slice(&response.body)
                    .map_err(|e| RemoteError::malformed("the version request", e))?
            }
        };
        let server_version = value
            .get("server_version")
            .or_else(|| value.get("version"))
            .and_then(Value::as_str)
            .ok_or_else(|| {
                RemoteError::new(
                    FailureKind::Malformed,
                    ErrorCategory::Validation,
                    "This address answered, but not like an Odoo server (no version).",
                )
            })?;
        Ok(OdooVersion {
            server_version: server_version.to_string(),
        })
    }

    /// Logs in once and keeps the uid; later calls reuse it.
    pub async fn authenticate(&self) -> Result<i64, RemoteError> {
        self.uid
            .get_or_try_init(|| self.login_once())
            .await
            .copied()
    }

    async fn login_once(&self) -> Result<i64, RemoteError> {
        let l = &self.login;
        let params = vec![
            json!(l.database),
            json!(l.login),
            json!(l.secret),
            json!({}),
        ];
        let value = match self.protocol {
            OdooProtocol::Xmlrpc => {
                self.xmlrpc("xmlrpc/2/common", "authenticate", params)
                    .await?
            }
            OdooProtocol::Jsonrpc => self.jsonrpc("common", "authenticate", params).await?,
            OdooProtocol::Json2 => {
                // JSON-2 has no login call: the API key authenticates each request.
                self.json2("res.users", "search_count", json!({"domain": []}))
                    .await?;
                return Ok(0);
            }
        };
        match value {
            Value::Number(n) => n
                .as_i64()
                .ok_or_else(|| RemoteError::malformed("the login", n)),
            Value::Bool(false) => {
                Err(OdooErrorKind::AccessDenied.error("authenticate returned false", &l.database))
            }
            other => Err(RemoteError::malformed("the login", other)),
        }
    }

    /// `execute_kw(model, method, args, kwargs)` after logging in.
    pub async fn execute_kw(
        &self,
        model: &str,
        method: &str,
        args: Value,
        kwargs: Value,
    ) -> Result<Value, RemoteError> {
        if self.protocol == OdooProtocol::Json2 {
            // JSON-2 takes named arguments: name the positional ones by the method's signature.
            let mut body = match kwargs {
                Value::Object(map) => map,
                _ => serde_json::Map::new(),
            };
            let positional = match args {
                Value::Array(items) => items,
                Value::Null => Vec::new(),
                other => vec![other],
            };
            for (name, value) in json2_argument_names(method).iter().zip(positional) {
                body.insert((*name).to_string(), value);
            }
            let body = Value::Object(body);
            return self.json2(model, method, body).await;
        }
        let uid = self.authenticate().await?;
        let l = &self.login;
        let params = vec![
            json!(l.database),
            json!(uid),
            json!(l.secret),
            json!(model),
            json!(method),
            args,
            kwargs,
        ];
        match self.protocol {
            OdooProtocol::Xmlrpc => self.xmlrpc("xmlrpc/2/object", "execute_kw", params).await,
            _ => self.jsonrpc("object", "execute_kw", params).await,
        }
    }

    async fn xmlrpc(
        &self,
        path: &str,
        method: &str,
        params: Vec<Value>,
    ) -> Result<Value, RemoteError> {
        let body = xmlrpc::method_call(method, &params);
        let request = RemoteRequest::post(path, Body::Xml(body)).idempotent(method == "version");
        let response = self.http.send(request).await?;
        match xmlrpc::parse_response(&response.text())
            .map_err(|e| RemoteError::malformed("the XML-RPC call", e))?
        {
            xmlrpc::MethodResponse::Value(v) => Ok(v),
            xmlrpc::MethodResponse::Fault { code, message } => {
                Err(OdooErrorKind::from_fault(code, &message).error(&message, &self.login.database))
            }
        }
    }

    async fn jsonrpc(
        &self,
        service: &str,
        method: &str,
        args: Vec<Value>,
    ) -> Result<Value, RemoteError> {
        let body = json!({"jsonrpc": "2.0", "method": "call", "id": 1,
                          "params": {"service": service, "method": method, "args": args}});
        let request =
            RemoteRequest::post("jsonrpc", Body::Json(body)).idempotent(method == "version");
        let response = self.http.send(request).await?;
        let mut reply: Value = serde_json::from_slice(&response.body)
            .map_err(|e| RemoteError::malformed("the JSON-RPC call", e))?;
        if let Some(error) = reply.get("error") {
            let name = error
                .pointer("/data/name")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let message = error
                .pointer("/data/message")
                .or_else(|| error.get("message"))
                .and_then(Value::as_str)
                .unwrap_or_default();
            let kind = if error.get("code").and_then(Value::as_i64) == Some(100) {
                OdooErrorKind::SessionExpired
            } else {
                OdooErrorKind::from_name(name, message)
            };
            return Err(kind.error(message, &self.login.database));
        }
        reply
            .get_mut("result")
            .map(Value::take)
            .ok_or_else(|| RemoteError::malformed("the JSON-RPC call", "no result"))
    }

    async fn json2(&self, model: &str, method: &str, body: Value) -> Result<Value, RemoteError> {
        let mut request = RemoteRequest::post(format!("json/2/{model}/{method}"), Body::Json(body))
            .header("Authorization", format!("bearer {}", self.login.secret));
        if !self.login.database.is_empty() {
            request = request.header("X-Odoo-Database", self.login.database.clone());
        }
        match self.http.send(request).await {
            Ok(response) => serde_json::from_slice(&response.body)
                .map_err(|e| RemoteError::malformed("the JSON-2 call", e)),
            Err(e) => {
                let parsed: Option<Value> = e
                    .details
                    .as_deref()
                    .and_then(|d| serde_json::from_str(d).ok());
                match (e.status, parsed) {
                    (Some(401), _) => Err(OdooErrorKind::AccessDenied.error("invalid API key", &self.login.database)),
                    (Some(_), Some(err)) => {
                        let name = err.get("name").and_then(Value::as_str).unwrap_or_default();
                        let message = err.get("message").and_then(Value::as_str).unwrap_or_default();
                        Err(OdooErrorKind::from_name(name, message).error(message, &self.login.database))
                    }
                    (Some(404), None) | (Some(303), None) => Err(RemoteError::new(
                        FailureKind::Status, ErrorCategory::Validation,
                        "This Odoo does not offer JSON-2 (Odoo 19 or later): choose XML-RPC or JSON-RPC.",
                    )),
                    _ => Err(e),
                }
            }
        }
    }
}

/// Names of the positional arguments of the ORM methods Loket calls, as JSON-2 expects them.
fn json2_argument_names(method: &str) -> &'static [&'static str] {
    match method {
        "create" => &["vals_list"],
        "write" => &["ids", "vals"],
        "read" | "unlink" => &["ids"],
        "search" | "search_read" | "search_count" => &["domain"],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json2_names_positional_arguments_by_method() {
        assert_eq!(json2_argument_names("write"), ["ids", "vals"]);
        assert_eq!(json2_argument_names("search_read"), ["domain"]);
        assert!(json2_argument_names("action_post").is_empty());
    }

    #[test]
    fn exception_names_map_to_kinds() {
        assert_eq!(
            OdooErrorKind::from_name("odoo.exceptions.AccessDenied", "Access Denied"),
            OdooErrorKind::AccessDenied
        );
        assert_eq!(
            OdooErrorKind::from_name("odoo.exceptions.ValidationError", "x"),
            OdooErrorKind::Validation
        );
        assert_eq!(
            OdooErrorKind::from_name("odoo.exceptions.MissingError", "x"),
            OdooErrorKind::MissingRecord
        );
        assert_eq!(
            OdooErrorKind::from_name("odoo.http.SessionExpiredException", "x"),
            OdooErrorKind::SessionExpired
        );
        assert_eq!(
            OdooErrorKind::from_name("psycopg2.OperationalError", "database \"x\" does not exist"),
            OdooErrorKind::UnknownDatabase
        );
        assert_eq!(
            OdooErrorKind::from_name(
                "odoo.exceptions.AccessDenied",
                "Too many login failures, please wait a bit before trying again."
            ),
            OdooErrorKind::TooManyLoginFailures
        );
    }

    #[test]
    fn fault_codes_map_to_kinds() {
        assert_eq!(
            OdooErrorKind::from_fault(3, "Access Denied"),
            OdooErrorKind::AccessDenied
        );
        assert_eq!(
            OdooErrorKind::from_fault(4, "no access"),
            OdooErrorKind::AccessError
        );
        assert_eq!(
            OdooErrorKind::from_fault(2, "Record does not exist or has been deleted."),
            OdooErrorKind::MissingRecord
        );
        assert_eq!(
            OdooErrorKind::from_fault(1, "database \"nope\" does not exist"),
            OdooErrorKind::UnknownDatabase
        );
        assert_eq!(
            OdooErrorKind::from_fault(2, "You cannot do that"),
            OdooErrorKind::UserError
        );
    }
}
