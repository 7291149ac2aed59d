//! JSON-RPC transport (`POST /jsonrpc`): errors come back with HTTP 200 and
//! `error: {code: 200, message: "Odoo Server Error", data: {...}}`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::error::{Kind, OdooError};
use super::service::version_info as version_value;
use super::OdooState;

fn error_body(id: Value, code: i64, message: &str, err: &OdooError) -> Value {
    json!({
        "jsonrpc": "2.0",
        "id": id,
        "error": {"code": code, "message": message, "data": err.data()},
    })
}

fn bad_request(reason: String) -> Response {
    let err = OdooError::new(Kind::Exception, format!("400 Bad Request: {reason}"));
    let mut body = error_body(Value::Null, 400, "400: Bad Request", &err);
    body["error"]["data"]["name"] = json!("werkzeug.exceptions.BadRequest");
    (StatusCode::BAD_REQUEST, Json(body)).into_response()
}

fn parse(body: &[u8]) -> Result<Value, Box<Response>> {
    match serde_json::from_slice::<Value>(body) {
        Ok(v) if v.is_object() => Ok(v),
        Ok(_) => Err(Box::new(bad_request(
            "the request body must be a JSON object".into(),
        ))),
        Err(e) => Err(Box::new(bad_request(format!("invalid JSON data: {e}")))),
    }
}

/// `POST /jsonrpc` with `params: {service, method, args}`.
pub(crate) async fn handle(State(state): State<Arc<OdooState>>, body: Bytes) -> Response {
    let req = match parse(&body) {
        Ok(v) => v,
        Err(resp) => return *resp,
    };
    let id = req.get("id").cloned().unwrap_or(Value::Null);
    let params = req.get("params").cloned().unwrap_or(Value::Null);
    let service = params.get("service").and_then(Value::as_str);
    let method = params.get("method").and_then(Value::as_str);
    let result = match (service, method) {
        (Some(service), Some(method)) => {
            let args = match params.get("args") {
                Some(Value::Array(a)) => a.clone(),
                None | Some(Value::Null) => Vec::new(),
                Some(other) => vec![other.clone()],
            };
            let now = state.shared.clock.now();
            state.server.dispatch(now, service, method, &args)
        }
        _ => Err(OdooError::type_error(
            "dispatch_rpc() missing 'service' or 'method' in params",
        )),
    };
    let body = match result {
        Ok(v) => json!({"jsonrpc": "2.0", "id": id, "result": v}),
        Err(e) => error_body(id, 200, "Odoo Server Error", &e),
    };
    Json(body).into_response()
}

/// `POST /web/webclient/version_info` (JSON-RPC shaped, no authentication).
pub(crate) async fn version_info(State(state): State<Arc<OdooState>>, body: Bytes) -> Response {
    let id = parse(&body)
        .ok()
        .and_then(|v| v.get("id").cloned())
        .unwrap_or(Value::Null);
    Json(json!({"jsonrpc": "2.0", "id": id, "result": version_value(state.server.version)}))
        .into_response()
}
