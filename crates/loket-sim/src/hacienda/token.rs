//! The identity provider's token endpoint (Keycloak, OIDC password and refresh grants).

use std::sync::{Arc, PoisonError};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine as _;
use chrono::{DateTime, TimeDelta, Utc};
use rand::Rng;
use serde_json::json;

use super::HaciendaState;
use crate::{HACIENDA_PASSWORD, HACIENDA_USERNAME};

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    (
        status,
        Json(json!({"error": error, "error_description": description})),
    )
        .into_response()
}

/// The client id each realm knows.
fn client_for(realm: &str) -> Option<&'static str> {
    match realm {
        "rut-stag" => Some("api-stag"),
        "rut" => Some("api-prod"),
        _ => None,
    }
}

fn user_ok(username: &str, password: &str) -> bool {
    let prod_user = HACIENDA_USERNAME.replace("@stag.", "@");
    (username == HACIENDA_USERNAME || username == prod_user) && password == HACIENDA_PASSWORD
}

fn b64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn ttl(d: std::time::Duration) -> TimeDelta {
    TimeDelta::from_std(d).unwrap_or(TimeDelta::MAX)
}

/// A JWT-shaped token (header.payload.signature; not verifiable, like any opaque token to
/// the client).
fn jwt(
    state: &HaciendaState,
    realm: &str,
    client: &str,
    user: &str,
    kind: &str,
    now: DateTime<Utc>,
    exp: DateTime<Utc>,
) -> String {
    let mut rng = state.rng.lock().unwrap_or_else(PoisonError::into_inner);
    let jti: u128 = rng.gen();
    let sig: [u8; 32] = rng.gen();
    let header = json!({"alg": "RS256", "typ": "JWT", "kid": "loket-sim"});
    let payload = json!({
        "exp": exp.timestamp(),
        "iat": now.timestamp(),
        "jti": format!("{jti:032x}"),
        "iss": format!("https://idp.comprobanteselectronicos.go.cr/auth/realms/{realm}"),
        "sub": format!("{:x}", crate::text::fnv1a(user)),
        "typ": kind,
        "azp": client,
        "preferred_username": user,
    });
    format!(
        "{}.{}.{}",
        b64url(header.to_string().as_bytes()),
        b64url(payload.to_string().as_bytes()),
        b64url(&sig)
    )
}

/// `POST /auth/realms/{realm}/protocol/openid-connect/token`.
pub(crate) async fn token(
    State(state): State<Arc<HaciendaState>>,
    Path(realm): Path<String>,
    body: Bytes,
) -> Response {
    let Some(client) = client_for(&realm) else {
        return (
            StatusCode::NOT_FOUND,
            Json(json!({"error": "Realm does not exist"})),
        )
            .into_response();
    };
    let form: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    let get = |k: &str| {
        form.iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    };
    let Some(grant) = get("grant_type") else {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "Missing form parameter: grant_type",
        );
    };
    if get("client_id") != Some(client) {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Invalid client or Invalid client credentials",
        );
    }
    let now = state.shared.clock.now();
    let user = match grant {
        "password" => {
            let (Some(username), Some(password)) = (get("username"), get("password")) else {
                return oauth_error(
                    StatusCode::UNAUTHORIZED,
                    "invalid_grant",
                    "Invalid user credentials",
                );
            };
            if !user_ok(username, password) {
                return oauth_error(
                    StatusCode::UNAUTHORIZED,
                    "invalid_grant",
                    "Invalid user credentials",
                );
            }
            username.to_string()
        }
        "refresh_token" => {
            let Some(rt) = get("refresh_token") else {
                return oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_request",
                    "Missing parameter: refresh_token",
                );
            };
            let tokens = state.tokens.lock().unwrap_or_else(PoisonError::into_inner);
            match tokens.refresh.get(rt) {
                Some((exp, user)) if *exp > now => user.clone(),
                Some(_) => {
                    return oauth_error(
                        StatusCode::BAD_REQUEST,
                        "invalid_grant",
                        "Token is not active",
                    );
                }
                None => {
                    return oauth_error(
                        StatusCode::BAD_REQUEST,
                        "invalid_grant",
                        "Invalid refresh token",
                    );
                }
            }
        }
        _ => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                "Unsupported grant_type",
            );
        }
    };
    let access_exp = now + ttl(state.settings.token_ttl);
    let refresh_exp = now + ttl(state.settings.refresh_ttl);
    let access = jwt(&state, &realm, client, &user, "Bearer", now, access_exp);
    let refresh = jwt(&state, &realm, client, &user, "Refresh", now, refresh_exp);
    {
        let mut tokens = state.tokens.lock().unwrap_or_else(PoisonError::into_inner);
        tokens.access.retain(|_, exp| *exp > now);
        tokens.refresh.retain(|_, (exp, _)| *exp > now);
        tokens.access.insert(access.clone(), access_exp);
        tokens.refresh.insert(refresh.clone(), (refresh_exp, user));
    }
    let session: u128 = state
        .rng
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .gen();
    Json(json!({
        "access_token": access,
        "expires_in": state.settings.token_ttl.as_secs(),
        "refresh_expires_in": state.settings.refresh_ttl.as_secs(),
        "refresh_token": refresh,
        "token_type": "bearer",
        "not-before-policy": 0,
        "session_state": format!("{session:032x}"),
        "scope": "",
    }))
    .into_response()
}

/// `POST /auth/realms/{realm}/protocol/openid-connect/logout`: revokes the refresh token.
pub(crate) async fn logout(
    State(state): State<Arc<HaciendaState>>,
    Path(realm): Path<String>,
    body: Bytes,
) -> Response {
    if client_for(&realm).is_none() {
        return (
            StatusCode::NOT_FOUND,
            Json(json!({"error": "Realm does not exist"})),
        )
            .into_response();
    }
    let form: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    if let Some((_, rt)) = form.iter().find(|(k, _)| k == "refresh_token") {
        state
            .tokens
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .refresh
            .remove(rt);
    }
    StatusCode::NO_CONTENT.into_response()
}

/// Checks `Authorization: bearer <token>` against the issued, unexpired tokens.
pub(crate) fn authorized(state: &HaciendaState, auth: Option<&str>) -> bool {
    let Some((scheme, token)) = auth.and_then(|a| a.trim().split_once(' ')) else {
        return false;
    };
    if !scheme.eq_ignore_ascii_case("bearer") {
        return false;
    }
    let now = state.shared.clock.now();
    let tokens = state.tokens.lock().unwrap_or_else(PoisonError::into_inner);
    tokens
        .access
        .get(token.trim())
        .is_some_and(|exp| *exp > now)
}
