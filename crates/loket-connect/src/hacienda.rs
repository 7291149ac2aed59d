//! Costa Rica's e-invoice API: OIDC token grants, and a session that caches one token for all
//! concurrent calls and sends and asks about documents (`recepcion`).

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

/// A token is renewed this long before it would expire, so no call carries a dying one.
const RENEW_BEFORE: chrono::Duration = chrono::Duration::seconds(30);

/// What a document submission needs (SPEC §5); the XML is sent base64-encoded.
#[derive(Debug, Clone)]
pub struct Submission {
    pub clave: String,
    /// The document's issue date-time as in its XML (RFC 3339 with offset).
    pub fecha: String,
    pub issuer_id_type: String,
    pub issuer_id: String,
    pub receiver: Option<(String, String)>,
    pub signed_xml: String,
    pub callback_url: Option<String>,
}

/// How Hacienda took a submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubmitOutcome {
    /// 202: received, to be processed.
    Received { status: u16 },
    /// 400 saying the clave was received before: nothing to resend, ask for its state.
    AlreadyReceived { cause: String },
}

/// Hacienda's answer about one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusFetch {
    /// The JSON reply, as received.
    Found { status: u16, body: String },
    /// 404: Hacienda has no document with this clave (safe to send it).
    NotReceived { cause: Option<String> },
}

/// A signed-in client of the tax authority for one connection. One token is shared by every
/// concurrent call (the lock makes a renewal happen once), renewed before it expires, and a
/// 401 renews it once and replays the call once.
pub struct HaciendaSession {
    client: HaciendaClient,
    username: String,
    password: String,
    token: tokio::sync::Mutex<Option<TokenSet>>,
    grants: std::sync::atomic::AtomicU64,
    /// Set when Hacienda refused the API user: later calls fail at once instead of trying the
    /// same password again (repeated failures lock the account). A new session (after the
    /// connection is edited) tries again.
    refused: std::sync::Mutex<Option<RemoteError>>,
}

impl std::fmt::Debug for HaciendaSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HaciendaSession")
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

impl HaciendaSession {
    /// A session for the connection's API user; nothing is requested yet.
    pub fn new(client: HaciendaClient, username: String, password: String) -> Self {
        Self {
            client,
            username,
            password,
            token: tokio::sync::Mutex::new(None),
            grants: std::sync::atomic::AtomicU64::new(0),
            refused: std::sync::Mutex::new(None),
        }
    }

    /// Token requests made so far (grants and refreshes).
    pub fn token_requests(&self) -> u64 {
        self.grants.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// A usable access token: the cached one, a refreshed one, or a new grant.
    async fn access_token(&self) -> Result<String, RemoteError> {
        let mut cached = self.token.lock().await;
        if let Some(e) = self.refused_before() {
            return Err(e);
        }
        let now = Utc::now();
        if let Some(t) = cached.as_ref() {
            if now + RENEW_BEFORE < t.expires_at {
                return Ok(t.access_token.clone());
            }
        }
        let refresh = cached.as_ref().and_then(|t| {
            let usable = t
                .refresh_expires_at
                .is_none_or(|at| at - RENEW_BEFORE > now);
            t.refresh_token.clone().filter(|_| usable)
        });
        self.grants
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let fresh = match refresh {
            Some(r) => match self.client.refresh_grant(&r).await {
                Ok(t) => t,
                // A refused refresh token (revoked, server restarted): sign in again.
                Err(e) if e.category == ErrorCategory::Auth => self.sign_in().await?,
                Err(e) => return Err(e),
            },
            None => self.sign_in().await?,
        };
        let token = fresh.access_token.clone();
        *cached = Some(fresh);
        Ok(token)
    }

    /// The password grant; a refusal is remembered (see `refused`).
    async fn sign_in(&self) -> Result<TokenSet, RemoteError> {
        let signed_in = self
            .client
            .password_grant(&self.username, &self.password)
            .await;
        if let Err(e) = &signed_in {
            if e.category == ErrorCategory::Auth {
                *self
                    .refused
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(e.clone());
            }
        }
        signed_in
    }

    fn refused_before(&self) -> Option<RemoteError> {
        self.refused
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Forgets `failed` (a token the server refused) unless another call already renewed it.
    async fn forget(&self, failed: &str) {
        let mut cached = self.token.lock().await;
        if cached.as_ref().is_some_and(|t| t.access_token == failed) {
            if let Some(t) = cached.as_mut() {
                // Keep the refresh token; only the access token is known bad.
                t.expires_at = DateTime::<Utc>::MIN_UTC;
            }
        }
    }

    /// Sends `build(token)`; a 401 renews the token and replays once, a second 401 is final.
    async fn send_authorized(
        &self,
        build: impl Fn(&str) -> RemoteRequest,
    ) -> Result<crate::http::RemoteResponse, RemoteError> {
        let token = self.access_token().await?;
        match self.client.http.send(build(&token)).await {
            Err(e) if e.status == Some(401) => {
                self.forget(&token).await;
                let token = self.access_token().await?;
                self.client.http.send(build(&token)).await.map_err(|mut e| {
                    if e.status == Some(401) {
                        e.message =
                            "Hacienda refused a fresh token as well; check the API user.".into();
                    }
                    e
                })
            }
            other => other,
        }
    }

    /// `POST recepcion`.
    pub async fn submit(&self, doc: &Submission) -> Result<SubmitOutcome, RemoteError> {
        use base64::Engine as _;
        let id = |tipo: &str, numero: &str| serde_json::json!({"tipoIdentificacion": tipo, "numeroIdentificacion": numero});
        let mut body = serde_json::json!({
            "clave": doc.clave,
            "fecha": doc.fecha,
            "emisor": id(&doc.issuer_id_type, &doc.issuer_id),
            "comprobanteXml": base64::engine::general_purpose::STANDARD.encode(doc.signed_xml.as_bytes()),
        });
        if let Some((tipo, numero)) = &doc.receiver {
            body["receptor"] = id(tipo, numero);
        }
        if let Some(url) = &doc.callback_url {
            body["callbackUrl"] = serde_json::json!(url);
        }
        let sent = self
            .send_authorized(|token| {
                RemoteRequest::post("recepcion", Body::Json(body.clone()))
                    .header("Authorization", format!("bearer {token}"))
            })
            .await;
        match sent {
            Ok(r) => Ok(SubmitOutcome::Received { status: r.status }),
            Err(e) if e.status == Some(400) && is_duplicate(e.details.as_deref()) => {
                Ok(SubmitOutcome::AlreadyReceived {
                    cause: e.details.unwrap_or_default(),
                })
            }
            Err(mut e) => {
                if e.status == Some(400) {
                    e.message = "Hacienda refused the document.".into();
                }
                Err(e)
            }
        }
    }

    /// `GET recepcion/{clave}`.
    pub async fn status(&self, clave: &str) -> Result<StatusFetch, RemoteError> {
        let path = format!("recepcion/{clave}");
        match self
            .send_authorized(|token| {
                RemoteRequest::get(path.clone()).header("Authorization", format!("bearer {token}"))
            })
            .await
        {
            Ok(r) => Ok(StatusFetch::Found {
                status: r.status,
                body: r.text(),
            }),
            Err(e) if e.status == Some(404) => Ok(StatusFetch::NotReceived { cause: e.details }),
            Err(e) => Err(e),
        }
    }
}

/// Whether an `X-Error-Cause` says the clave was received before ("ya fue recibido").
fn is_duplicate(cause: Option<&str>) -> bool {
    cause.is_some_and(|c| {
        let c = c.to_lowercase();
        c.contains("ya fue recibido") || c.contains("ya existe") || c.contains("duplicad")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_duplicate_is_recognised_by_its_cause() {
        assert!(is_duplicate(Some(
            "El comprobante [506...] ya fue recibido anteriormente."
        )));
        assert!(!is_duplicate(Some(
            "La firma del comprobante no es válida."
        )));
        assert!(!is_duplicate(None));
    }

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
