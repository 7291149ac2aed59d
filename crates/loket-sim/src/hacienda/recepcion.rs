//! `POST recepcion` and `GET recepcion/{clave}`: bearer-protected, time-driven states
//! recibido → procesando → aceptado | rechazado.

use std::sync::{Arc, PoisonError};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine as _;
use chrono::{DateTime, TimeDelta, Utc};
use serde_json::{json, Map, Value};

use super::mensaje::{mensaje_xml, verdict};
use super::token::authorized;
use super::{callback, Doc, HaciendaState, Settings};

const X_ERROR_CAUSE: &str = "x-error-cause";

fn with_cause(status: StatusCode, cause: &str) -> Response {
    let mut resp = status.into_response();
    // Hacienda sends the cause as UTF-8 bytes (accents included).
    if let Ok(v) = HeaderValue::from_bytes(cause.as_bytes()) {
        resp.headers_mut()
            .insert(HeaderName::from_static(X_ERROR_CAUSE), v);
    }
    resp
}

fn unauthorized() -> Response {
    let mut resp = with_cause(StatusCode::UNAUTHORIZED, "Token inválido o expirado");
    resp.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer error=\"invalid_token\""),
    );
    resp
}

/// Applies the optional per-minute limit: the `X-Ratelimit-*` headers, or a 429.
fn rate_limit(state: &HaciendaState) -> Result<Vec<(&'static str, String)>, Box<Response>> {
    let limit = state.settings.rate_limit_per_minute;
    if limit == 0 {
        return Ok(Vec::new());
    }
    let now = state.shared.clock.now();
    let mut w = state.window.lock().unwrap_or_else(PoisonError::into_inner);
    if now - w.0 >= TimeDelta::seconds(60) {
        *w = (now, 0);
    }
    w.1 += 1;
    let reset = (60 - (now - w.0).num_seconds()).max(1);
    let headers = vec![
        ("x-ratelimit-limit", limit.to_string()),
        (
            "x-ratelimit-remaining",
            limit.saturating_sub(w.1).to_string(),
        ),
        ("x-ratelimit-reset", reset.to_string()),
    ];
    if w.1 > limit {
        let mut resp = StatusCode::TOO_MANY_REQUESTS.into_response();
        add_headers(&mut resp, &headers);
        resp.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(reset));
        return Err(Box::new(resp));
    }
    Ok(headers)
}

fn add_headers(resp: &mut Response, headers: &[(&'static str, String)]) {
    for (k, v) in headers {
        if let Ok(v) = HeaderValue::from_str(v) {
            resp.headers_mut().insert(HeaderName::from_static(k), v);
        }
    }
}

fn auth_header(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
}

fn id_pair(v: Option<&Value>, who: &str) -> Result<Option<(String, String)>, String> {
    let Some(v) = v.filter(|v| !v.is_null()) else {
        return Ok(None);
    };
    let tipo = v
        .get("tipoIdentificacion")
        .and_then(Value::as_str)
        .filter(|t| matches!(*t, "01" | "02" | "03" | "04" | "05" | "06"))
        .ok_or_else(|| format!("El tipo de identificación del {who} no es válido."))?;
    let numero = v
        .get("numeroIdentificacion")
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty() && n.len() <= 20 && n.bytes().all(|b| b.is_ascii_alphanumeric()))
        .ok_or_else(|| format!("El número de identificación del {who} no es válido."))?;
    if who == "emisor" && (numero.len() > 12 || !numero.bytes().all(|b| b.is_ascii_digit())) {
        return Err(format!(
            "El número de identificación del {who} no es válido."
        ));
    }
    Ok(Some((tipo.to_string(), numero.to_string())))
}

/// Checks the submitted JSON; the error is the `X-Error-Cause` text.
fn validate(body: &[u8], now: DateTime<Utc>) -> Result<(Doc, Option<String>), String> {
    let v: Map<String, Value> = match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => m,
        _ => return Err("El cuerpo de la solicitud no es un JSON válido.".into()),
    };
    let clave = v
        .get("clave")
        .and_then(Value::as_str)
        .filter(|c| c.len() == 50 && c.bytes().all(|b| b.is_ascii_digit()))
        .ok_or("La clave del comprobante debe tener 50 dígitos.")?;
    let fecha = v
        .get("fecha")
        .and_then(Value::as_str)
        .filter(|f| DateTime::parse_from_rfc3339(f).is_ok())
        .ok_or("El campo fecha no tiene el formato correcto (RFC 3339 con zona horaria).")?;
    let emisor = id_pair(v.get("emisor"), "emisor")?.ok_or("El emisor es requerido.")?;
    let receptor = id_pair(v.get("receptor"), "receptor")?;
    let xml_b64 = v
        .get("comprobanteXml")
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
        .ok_or("El comprobante XML es requerido.")?;
    let compact: String = xml_b64.split_whitespace().collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .map_err(|_| "El comprobante XML no está codificado en base64.".to_string())?;
    let xml = String::from_utf8(bytes)
        .map_err(|_| "El comprobante XML debe estar codificado en UTF-8.".to_string())?;
    let callback = match v.get("callbackUrl") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.is_empty() => None,
        Some(Value::String(s)) if s.starts_with("http://") || s.starts_with("https://") => {
            Some(s.clone())
        }
        Some(_) => return Err("El callbackUrl no es válido.".into()),
    };
    Ok((
        Doc {
            clave: clave.to_string(),
            fecha: fecha.to_string(),
            received: now,
            emisor,
            receptor,
            xml: xml.trim_start_matches('\u{feff}').to_string(),
        },
        callback,
    ))
}

fn delta(d: std::time::Duration) -> TimeDelta {
    TimeDelta::from_std(d).unwrap_or(TimeDelta::MAX)
}

/// The status answer of a document at `now`, and whether it is final.
pub(crate) fn status_json(settings: &Settings, doc: &Doc, now: DateTime<Utc>) -> (Value, bool) {
    let elapsed = now - doc.received;
    let mut out = json!({"clave": doc.clave, "fecha": doc.fecha});
    let state = if elapsed < delta(settings.processing_after) {
        "recibido"
    } else if elapsed < delta(settings.final_after) {
        "procesando"
    } else {
        let v = verdict(doc);
        let decided = doc.received + delta(settings.final_after);
        let xml = mensaje_xml(doc, &v, decided);
        out["respuesta-xml"] =
            json!(base64::engine::general_purpose::STANDARD.encode(xml.as_bytes()));
        if v.accepted {
            "aceptado"
        } else {
            "rechazado"
        }
    };
    out["ind-estado"] = json!(state);
    let is_final = out.get("respuesta-xml").is_some();
    (out, is_final)
}

/// `POST {base}recepcion` → 202.
pub(crate) async fn submit(
    State(state): State<Arc<HaciendaState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let limit_headers = match rate_limit(&state) {
        Ok(h) => h,
        Err(resp) => return *resp,
    };
    let mut resp = submit_inner(&state, &headers, &body);
    add_headers(&mut resp, &limit_headers);
    resp
}

fn submit_inner(state: &Arc<HaciendaState>, headers: &HeaderMap, body: &[u8]) -> Response {
    if !authorized(state, auth_header(headers)) {
        return unauthorized();
    }
    let now = state.shared.clock.now();
    let (doc, callback_url) = match validate(body, now) {
        Ok(d) => d,
        Err(cause) => return with_cause(StatusCode::BAD_REQUEST, &cause),
    };
    let clave = doc.clave.clone();
    {
        let mut docs = state.docs.lock().unwrap_or_else(PoisonError::into_inner);
        if docs.contains_key(&clave) {
            return with_cause(
                StatusCode::BAD_REQUEST,
                &format!("El comprobante [{clave}] ya fue recibido anteriormente."),
            );
        }
        docs.insert(clave.clone(), doc);
    }
    if let Some(url) = callback_url {
        callback::spawn(Arc::clone(state), clave.clone(), url);
    }
    let mut resp = StatusCode::ACCEPTED.into_response();
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    if let Ok(v) = HeaderValue::from_str(&format!("http://{host}/recepcion/v1/recepcion/{clave}")) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    resp
}

/// `GET {base}recepcion/{clave}`.
pub(crate) async fn status(
    State(state): State<Arc<HaciendaState>>,
    Path(clave): Path<String>,
    headers: HeaderMap,
) -> Response {
    let limit_headers = match rate_limit(&state) {
        Ok(h) => h,
        Err(resp) => return *resp,
    };
    let mut resp = if !authorized(&state, auth_header(&headers)) {
        unauthorized()
    } else {
        let doc = state
            .docs
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&clave)
            .cloned();
        match doc {
            Some(doc) => {
                let (body, _) = status_json(&state.settings, &doc, state.shared.clock.now());
                Json(body).into_response()
            }
            None => with_cause(
                StatusCode::NOT_FOUND,
                &format!("El comprobante [{clave}] no ha sido recibido."),
            ),
        }
    };
    add_headers(&mut resp, &limit_headers);
    resp
}
