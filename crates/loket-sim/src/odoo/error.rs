//! Odoo's exceptions as the three transports report them.

use serde_json::{json, Value};

/// The Python exception class an error imitates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    AccessDenied,
    AccessError,
    UserError,
    ValidationError,
    MissingError,
    ValueError,
    TypeError,
    AttributeError,
    OperationalError,
    Unauthorized,
    Exception,
}

/// An error raised while serving an RPC call.
#[derive(Clone, Debug, thiserror::Error)]
#[error("{message}")]
pub(crate) struct OdooError {
    pub(crate) kind: Kind,
    pub(crate) message: String,
}

impl OdooError {
    pub(crate) fn new(kind: Kind, message: impl Into<String>) -> Self {
        OdooError {
            kind,
            message: message.into(),
        }
    }

    pub(crate) fn access_denied() -> Self {
        Self::new(Kind::AccessDenied, "Access Denied")
    }

    pub(crate) fn value(message: impl Into<String>) -> Self {
        Self::new(Kind::ValueError, message)
    }

    pub(crate) fn type_error(message: impl Into<String>) -> Self {
        Self::new(Kind::TypeError, message)
    }

    pub(crate) fn user(message: impl Into<String>) -> Self {
        Self::new(Kind::UserError, message)
    }

    pub(crate) fn missing(model: &str, ids: &[i64], uid: i64) -> Self {
        let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
        Self::new(
            Kind::MissingError,
            format!(
                "Record does not exist or has been deleted.\n(Record: {model}({},), User: {uid})",
                ids.join(", ")
            ),
        )
    }

    pub(crate) fn unknown_db(db: &str) -> Self {
        Self::new(
            Kind::OperationalError,
            format!(
                "connection to server on socket \"/var/run/postgresql/.s.PGSQL.5432\" failed: FATAL:  database \"{db}\" does not exist\n"
            ),
        )
    }

    /// Fully qualified exception name (`data.name` in JSON-RPC).
    pub(crate) fn name(&self) -> &'static str {
        match self.kind {
            Kind::AccessDenied => "odoo.exceptions.AccessDenied",
            Kind::AccessError => "odoo.exceptions.AccessError",
            Kind::UserError => "odoo.exceptions.UserError",
            Kind::ValidationError => "odoo.exceptions.ValidationError",
            Kind::MissingError => "odoo.exceptions.MissingError",
            Kind::ValueError => "builtins.ValueError",
            Kind::TypeError => "builtins.TypeError",
            Kind::AttributeError => "builtins.AttributeError",
            Kind::OperationalError => "psycopg2.OperationalError",
            Kind::Unauthorized => "werkzeug.exceptions.Unauthorized",
            Kind::Exception => "builtins.Exception",
        }
    }

    /// Integer fault code on `/xmlrpc/2`: 1 application error, 2 warning / user error,
    /// 3 access denied, 4 access error.
    pub(crate) fn fault_code(&self) -> i64 {
        match self.kind {
            Kind::AccessDenied | Kind::Unauthorized => 3,
            Kind::AccessError => 4,
            Kind::UserError | Kind::ValidationError | Kind::MissingError => 2,
            _ => 1,
        }
    }

    /// HTTP status of a JSON-2 error.
    pub(crate) fn http_status(&self) -> u16 {
        match self.kind {
            Kind::AccessDenied | Kind::Unauthorized => 401,
            Kind::AccessError => 403,
            Kind::MissingError | Kind::AttributeError => 404,
            Kind::UserError | Kind::ValidationError | Kind::ValueError | Kind::TypeError => 422,
            Kind::OperationalError | Kind::Exception => 500,
        }
    }

    /// A Python-looking traceback ending in the exception line.
    pub(crate) fn traceback(&self) -> String {
        let short = self.name().strip_prefix("builtins.").unwrap_or(self.name());
        format!(
            "Traceback (most recent call last):\n  File \"/usr/lib/python3/dist-packages/odoo/http.py\", line 1784, in _serve_db\n    return service_model.retrying(self._serve_ir_http, self.env)\n  File \"/usr/lib/python3/dist-packages/odoo/service/model.py\", line 133, in retrying\n    result = func()\n  File \"/usr/lib/python3/dist-packages/odoo/service/model.py\", line 62, in execute_kw\n    return execute(db, uid, obj, method, *args, **kw or {{}})\n{short}: {}\n",
            self.message
        )
    }

    /// XML-RPC `faultString`: the message for Odoo's own exceptions, a traceback otherwise.
    pub(crate) fn fault_string(&self) -> String {
        match self.fault_code() {
            1 => self.traceback(),
            _ => self.message.clone(),
        }
    }

    /// The `{name, message, arguments, context, debug}` object of JSON-RPC and JSON-2.
    pub(crate) fn data(&self) -> Value {
        let arguments = match self.kind {
            Kind::Unauthorized => json!([self.message, 401]),
            _ => json!([self.message]),
        };
        json!({
            "name": self.name(),
            "message": self.message,
            "arguments": arguments,
            "context": {},
            "debug": self.traceback(),
        })
    }
}
