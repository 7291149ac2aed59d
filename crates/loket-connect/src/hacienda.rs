//! Costa Rica's e-invoice API: OIDC token grant (this crate), reception and status (later).

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use loket_core::{Environment, ErrorCategory};
use serde::Deserialize;
use url::Url;

use crate::error::{FailureKind, RemoteError};
use crate::http::{Body, ConnectionClient, RemoteRequest};

const OFFICIAL_IDP: &str = "https://idp.comprobanteselectronicos.go.cr";

/// An access token and when it stops working.
#[derive(Clone)]
pub struct TokenSet {
    pub access_token: String,
    pub expires_at: DateTime<Utc>,
    pub refresh_token: Option<String>,
    pub refresh_expires_at: Option<DateTime<Utc>>,
}

impl std::fmt::Debug for TokenSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenSet")
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
struct TokenReply {
    access_token: String,
    expires_in: Option<i64>,
    refresh_token: Option<String>,
    refresh_expires_in: Option<i64>,
}

#[derive(Deserialize)]
struct OidcError {
    error: Option<String>,
    error_description: Option<String>,
}

/// The realm and client id of an environment.
fn realm_and_client(env: Environment) -> (&'static str, &'static str) {
    match env {
        Environment::Staging => ("rut-stag", "api-stag"),
        Environment::Production => ("rut", "api-prod"),
    }
}

/// The token endpoint for a reception base URL: the official identity provider for the
/// official API hosts, otherwise the same host (a sandbox or proxy serves both).
pub fn token_url(base: &Url, env: Environment) -> Result<Url, RemoteError> {
    let (realm, _) = realm_and_client(env);
    let path = format!("/auth/realms/{realm}/protocol/openid-connect/token");
    let official = base
        .host_str()
        .is_some_and(|h| h.ends_with("comprobanteselectronicos.go.cr"));
    let origin = if official {
        OFFICIAL_IDP.to_string()
    } else {
        base.origin().ascii_serialization()
    };
    Url::parse(&format!("{origin}{path}")).map_err(|e| {
        RemoteError::new(
            FailureKind::Other,
            ErrorCategory::Validation,
            "Bad token address.",
        )
        .with_details(e.to_string())
    })
}

/// Client of the tax authority for one issuer.
#[derive(Debug, Clone)]
pub struct HaciendaClient {
    http: Arc<ConnectionClient>,
    environment: Environment,
}

impl HaciendaClient {
    /// Wraps the connection's HTTP client.
    pub fn new(http: Arc<ConnectionClient>, environment: Environment) -> Self {
        Self { http, environment }
    }

    /// OIDC password grant.
    pub async fn password_grant(
        &self,
        username: &str,
        password: &str,
    ) -> Result<TokenSet, RemoteError> {
        let (_, client_id) = realm_and_client(self.environment);
        self.grant(vec![
            ("grant_type".into(), "password".into()),
            ("client_id".into(), client_id.into()),
            ("username".into(), username.into()),
            ("password".into(), password.into()),
        ])
        .await
    }

    /// OIDC refresh grant.
    pub async fn refresh_grant(&self, refresh_token: &str) -> Result<TokenSet, RemoteError> {
        let (_, client_id) = realm_and_client(self.environment);
        self.grant(vec![
            ("grant_type".into(), "refresh_token".into()),
            ("client_id".into(), client_id.into()),
            ("refresh_token".into(), refresh_token.into()),
        ])
        .await
    }

    async fn grant(&self, form: Vec<(String, String)>) -> Result<TokenSet, RemoteError> {
        let url = token_url(&self.http.settings().base_url, self.environment)?;
        let request = RemoteRequest::post(url.as_str(), Body::Form(form));
        let response = match self.http.send(request).await {
            Ok(r) => r,
            Err(mut e) if matches!(e.status, Some(400 | 401)) => {
                let oidc: Option<OidcError> = e
                    .details
                    .as_deref()
                    .and_then(|d| serde_json::from_str(d).ok());
                if let Some(OidcError {
                    error,
                    error_description,
                }) = oidc
                {
                    e.category = ErrorCategory::Auth;
                    e.message = "Hacienda refused the API user or password.".into();
                    e.code = error;
                    e.details = error_description.or(e.details);
                }
                return Err(e);
            }
            Err(e) => return Err(e),
        };
        let reply: TokenReply = serde_json::from_slice(&response.body)
            .map_err(|e| RemoteError::malformed("the token request", e))?;
        let now = Utc::now();
        let secs = |s: Option<i64>| {
            chrono::Duration::from_std(Duration::from_secs(s.unwrap_or(300).max(0) as u64))
                .unwrap_or_default()
        };
        Ok(TokenSet {
            access_token: reply.access_token,
            expires_at: now + secs(reply.expires_in),
            refresh_expires_at: reply
                .refresh_token
                .as_ref()
                .map(|_| now + secs(reply.refresh_expires_in)),
            refresh_token: reply.refresh_token,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn official_hosts_use_the_official_identity_provider() {
        let base = Url::parse("https://api-sandbox.comprobanteselectronicos.go.cr/recepcion/v1/")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            token_url(&base, Environment::Staging).map(|u| u.to_string()).ok().as_deref(),
            Some("https://idp.comprobanteselectronicos.go.cr/auth/realms/rut-stag/protocol/openid-connect/token")
        );
        let local =
            Url::parse("http://127.0.0.1:9000/recepcion/v1/").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            token_url(&local, Environment::Production)
                .map(|u| u.to_string())
                .ok()
                .as_deref(),
            Some("http://127.0.0.1:9000/auth/realms/rut/protocol/openid-connect/token")
        );
    }
}
