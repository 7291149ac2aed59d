//! Odoo 19's JSON-2 API: `POST /json/2/<model>/<method>` with a bearer API key; 200 with
//! the bare result, 4xx/5xx with `{name, message, arguments, context, debug}`.
//! On 17 the path does not exist (404); on 18 it redirects (303).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

use super::error::{Kind, OdooError};
use super::service::{api_key_uid, is_record_method};
use super::OdooState;
use crate::ODOO_DB;

fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n",
    )
        .into_response()
}

fn error(status: u16, err: &OdooError) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, Json(err.data())).into_response()
}

fn werkzeug(status: u16, name: &str, message: &str) -> Response {
    let err = OdooError::new(Kind::Exception, message);
    let mut data = err.data();
    data["name"] = json!(name);
    data["arguments"] = json!([message, status]);
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, Json(data)).into_response()
}

/// `GET /web/version` (Odoo 19).
pub(crate) async fn web_version(State(state): State<Arc<OdooState>>) -> Response {
    let v = state.server.version;
    if v < 19 {
        return not_found();
    }
    Json(json!({"version": format!("{v}.0"), "version_info": [v, 0, 0, "final", 0, ""]}))
        .into_response()
}

/// `POST /json/2/{model}/{method}`.
pub(crate) async fn handle(
    State(state): State<Arc<OdooState>>,
    method: Method,
    Path((model, name)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match state.server.version {
        ..=17 => return not_found(),
        18 => {
            let target = format!("/web/login?redirect=%2Fjson%2F2%2F{model}%2F{name}");
            return (StatusCode::SEE_OTHER, [(header::LOCATION, target)], "").into_response();
        }
        _ => {}
    }
    if method != Method::POST {
        return werkzeug(
            405,
            "werkzeug.exceptions.MethodNotAllowed",
            "405 Method Not Allowed: The method is not allowed for the requested URL.",
        );
    }
    let key = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, key) = v.trim().split_once(' ')?;
            scheme
                .eq_ignore_ascii_case("bearer")
                .then(|| key.trim().to_string())
        });
    let Some(uid) = key.as_deref().and_then(api_key_uid) else {
        return error(401, &OdooError::new(Kind::Unauthorized, "Invalid apikey"));
    };
    if let Some(db) = headers.get("x-odoo-database").and_then(|v| v.to_str().ok()) {
        if db != ODOO_DB {
            return werkzeug(
                404,
                "werkzeug.exceptions.NotFound",
                &format!("404 Not Found: database {db:?} not found"),
            );
        }
    }
    let params: Map<String, Value> = if body.is_empty() {
        Map::new()
    } else {
        match serde_json::from_slice::<Value>(&body) {
            Ok(Value::Object(m)) => m,
            Ok(_) => {
                return werkzeug(
                    400,
                    "werkzeug.exceptions.BadRequest",
                    "400 Bad Request: the body must be a JSON object",
                )
            }
            Err(e) => {
                return werkzeug(
                    400,
                    "werkzeug.exceptions.BadRequest",
                    &format!("400 Bad Request: invalid JSON: {e}"),
                )
            }
        }
    };
    let mut kwargs = params;
    let ids = kwargs.remove("ids").unwrap_or(Value::Null);
    let args = if is_record_method(&name) {
        vec![ids]
    } else {
        Vec::new()
    };
    let now = state.shared.clock.now();
    match state.server.call(now, uid, &model, &name, &args, &kwargs) {
        Ok(v) => Json(v).into_response(),
        Err(e) => error(e.http_status(), &e),
    }
}
