//! The HTTP layer every remote call goes through.

use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::{Duration, Instant};

use backon::{ExponentialBuilder, Retryable};
use chrono::{DateTime, Utc};
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use loket_core::redact::{redact_form, redact_json, redact_text};
use loket_core::ErrorCategory;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE, RETRY_AFTER};
use reqwest::Method;
use tokio::sync::{mpsc, Mutex, Semaphore};
use url::Url;

use crate::error::{FailureKind, RemoteError};

/// Bodies longer than this are cut in error details.
const DETAIL_LIMIT: usize = 2_000;
/// A 429 without `Retry-After` pauses the connection this long.
const DEFAULT_COOLDOWN: Duration = Duration::from_secs(1);
/// The longest `Retry-After` honoured inside one call; longer waits are left to the caller.
const MAX_INLINE_WAIT: Duration = Duration::from_secs(60);

/// How one connection's client behaves.
#[derive(Debug, Clone)]
pub struct ConnectionSettings {
    pub connection_id: i64,
    pub base_url: Url,
    pub timeout: Duration,
    /// Requests per second; `None` for no limit.
    pub rate_per_sec: Option<f64>,
    pub max_concurrent: u32,
    /// Secret values to mask wherever they might appear in a log row.
    pub secrets: Vec<String>,
    /// Retries inside one call for idempotent requests.
    pub max_retries: usize,
}

/// A finished remote call as the integration log records it (already redacted).
#[derive(Debug, Clone, PartialEq)]
pub struct CallRecord {
    pub connection_id: i64,
    pub at: DateTime<Utc>,
    pub method: String,
    pub endpoint: String,
    pub params: Option<String>,
    pub status: Option<u16>,
    pub duration_ms: i64,
    pub bytes: i64,
    pub error_category: Option<ErrorCategory>,
    pub error: Option<String>,
}

/// A request body.
#[derive(Debug, Clone)]
pub enum Body {
    Empty,
    Json(serde_json::Value),
    Form(Vec<(String, String)>),
    Xml(String),
}

/// One request, relative to the connection's base URL unless `path` is absolute.
#[derive(Debug, Clone)]
pub struct RemoteRequest {
    pub method: Method,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub body: Body,
    /// Safe to repeat (reads): transient failures are retried inside the call.
    pub idempotent: bool,
}

impl RemoteRequest {
    /// A GET of `path`.
    pub fn get(path: impl Into<String>) -> Self {
        Self {
            method: Method::GET,
            path: path.into(),
            query: Vec::new(),
            headers: Vec::new(),
            body: Body::Empty,
            idempotent: true,
        }
    }

    /// A POST of `body` to `path`; not repeated unless marked idempotent.
    pub fn post(path: impl Into<String>, body: Body) -> Self {
        Self {
            method: Method::POST,
            path: path.into(),
            query: Vec::new(),
            headers: Vec::new(),
            body,
            idempotent: false,
        }
    }

    /// Adds a query parameter.
    pub fn query(mut self, key: &str, value: impl ToString) -> Self {
        self.query.push((key.to_string(), value.to_string()));
        self
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_string(), value.into()));
        self
    }

    /// Marks the request safe to repeat.
    pub fn idempotent(mut self, yes: bool) -> Self {
        self.idempotent = yes;
        self
    }
}

/// An HTTP answer with a success status.
#[derive(Debug, Clone)]
pub struct RemoteResponse {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    pub elapsed: Duration,
}

impl RemoteResponse {
    /// The body as text (lossy: a bad byte must not lose the rest).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// A header's value as text.
    pub fn header(&self, name: &str) -> Option<String> {
        // Read as bytes: some servers send UTF-8 (accents) in headers such as X-Error-Cause.
        self.headers
            .get(name)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
    }
}

/// The client of one connection, shared by every job that uses it.
pub struct ConnectionClient {
    settings: ConnectionSettings,
    http: reqwest::Client,
    limiter: Option<DefaultDirectRateLimiter>,
    slots: Semaphore,
    paused_until: Mutex<Option<Instant>>,
    log: Option<mpsc::UnboundedSender<CallRecord>>,
}

impl std::fmt::Debug for ConnectionClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectionClient")
            .field("connection_id", &self.settings.connection_id)
            .field("base_url", &self.settings.base_url.as_str())
            .finish_non_exhaustive()
    }
}

impl ConnectionClient {
    /// Builds the client; `log` receives one record per request.
    pub fn new(
        settings: ConnectionSettings,
        log: Option<mpsc::UnboundedSender<CallRecord>>,
    ) -> Result<Arc<Self>, RemoteError> {
        let http = reqwest::Client::builder()
            .timeout(settings.timeout)
            .connect_timeout(settings.timeout.min(Duration::from_secs(10)))
            .user_agent(concat!("Loket/", env!("CARGO_PKG_VERSION")))
            .pool_max_idle_per_host(settings.max_concurrent.max(1) as usize)
            .build()
            .map_err(|e| {
                RemoteError::new(
                    FailureKind::Other,
                    ErrorCategory::Unknown,
                    "The HTTP client could not be set up.",
                )
                .with_details(e.to_string())
            })?;
        let limiter = settings.rate_per_sec.and_then(rate_limiter);
        Ok(Arc::new(Self {
            slots: Semaphore::new(settings.max_concurrent.max(1) as usize),
            settings,
            http,
            limiter,
            paused_until: Mutex::new(None),
            log,
        }))
    }

    /// The connection's settings.
    pub fn settings(&self) -> &ConnectionSettings {
        &self.settings
    }

    /// Resolves `path` against the base URL (absolute URLs pass through).
    pub fn url(&self, path: &str) -> Result<Url, RemoteError> {
        if path.starts_with("http://") || path.starts_with("https://") {
            return Url::parse(path).map_err(|e| bad_url(path, e));
        }
        self.settings
            .base_url
            .join(path)
            .map_err(|e| bad_url(path, e))
    }

    /// Sends a request within the rate limit and concurrency cap; an HTTP error status becomes
    /// a classified `RemoteError`. Idempotent requests are retried on transient failures.
    pub async fn send(&self, request: RemoteRequest) -> Result<RemoteResponse, RemoteError> {
        if !request.idempotent || self.settings.max_retries == 0 {
            return self.send_once(&request).await;
        }
        let backoff = ExponentialBuilder::default()
            .with_min_delay(Duration::from_millis(200))
            .with_max_delay(Duration::from_secs(10))
            .with_max_times(self.settings.max_retries)
            .with_jitter();
        (|| self.send_once(&request))
            .retry(backoff)
            .when(|e: &RemoteError| {
                e.is_retryable() && e.retry_after.is_none_or(|d| d <= MAX_INLINE_WAIT)
            })
            .adjust(|e: &RemoteError, planned| planned.map(|p| e.retry_after.unwrap_or(p)))
            .await
    }

    async fn send_once(&self, request: &RemoteRequest) -> Result<RemoteResponse, RemoteError> {
        let url = self.url(&request.path)?;
        let _slot = self.slots.acquire().await.map_err(|_| {
            RemoteError::new(
                FailureKind::Other,
                ErrorCategory::Unknown,
                "The client is closed.",
            )
        })?;
        self.wait_for_cooldown().await;
        if let Some(limiter) = &self.limiter {
            limiter.until_ready().await;
        }

        let mut builder = self.http.request(request.method.clone(), url.clone());
        if !request.query.is_empty() {
            builder = builder.query(&request.query);
        }
        for (name, value) in &request.headers {
            let name = HeaderName::from_bytes(name.as_bytes());
            let value = HeaderValue::from_str(value);
            if let (Ok(name), Ok(value)) = (name, value) {
                builder = builder.header(name, value);
            }
        }
        builder = match &request.body {
            Body::Empty => builder,
            Body::Json(v) => builder.json(v),
            Body::Form(pairs) => builder.form(pairs),
            Body::Xml(xml) => builder
                .header(CONTENT_TYPE, "text/xml; charset=utf-8")
                .body(xml.clone()),
        };

        let at = Utc::now();
        let started = Instant::now();
        let outcome = match builder.send().await {
            Ok(response) => {
                let status = response.status().as_u16();
                let headers = response.headers().clone();
                match response.bytes().await {
                    Ok(bytes) => Ok(RemoteResponse {
                        status,
                        headers,
                        body: bytes.to_vec(),
                        elapsed: started.elapsed(),
                    }),
                    Err(e) => Err(classify_transport(&e, self.settings.timeout)),
                }
            }
            Err(e) => Err(classify_transport(&e, self.settings.timeout)),
        };
        if let Ok(r) = &outcome {
            if let Some(wait) = exhausted_quota_wait(&r.headers) {
                self.pause(wait).await;
            }
        }
        let outcome = outcome.and_then(|r| self.check_status(r));
        if let Err(e) = &outcome {
            if e.category == ErrorCategory::RateLimit {
                self.pause(e.retry_after.unwrap_or(DEFAULT_COOLDOWN)).await;
            }
        }
        self.record(request, &url, at, started.elapsed(), &outcome);
        outcome
    }

    fn check_status(&self, response: RemoteResponse) -> Result<RemoteResponse, RemoteError> {
        let Some(category) = ErrorCategory::from_status(response.status) else {
            return Ok(response);
        };
        let retry_after = response
            .header(RETRY_AFTER.as_str())
            .and_then(|v| parse_retry_after(&v));
        let cause = response.header("x-error-cause");
        let text = response.text();
        let message = match response.status {
            401 => "The server refused the credentials (HTTP 401).".to_string(),
            403 => "The server refused access (HTTP 403).".to_string(),
            404 => "The server has nothing at this address (HTTP 404).".to_string(),
            429 => "The server asks to slow down (HTTP 429).".to_string(),
            s if s >= 500 => format!("The server had a problem (HTTP {s})."),
            s => format!("The server refused the request (HTTP {s})."),
        };
        let mut error = RemoteError::new(FailureKind::Status, category, message);
        error.status = Some(response.status);
        error.retry_after = retry_after;
        error.details = cause.or_else(|| (!text.trim().is_empty()).then(|| truncate(&text)));
        Err(error)
    }

    async fn wait_for_cooldown(&self) {
        let until = *self.paused_until.lock().await;
        if let Some(until) = until {
            tokio::time::sleep_until(until.into()).await;
        }
    }

    async fn pause(&self, wait: Duration) {
        let mut paused = self.paused_until.lock().await;
        let until = Instant::now() + wait.min(MAX_INLINE_WAIT);
        if paused.is_none_or(|p| p < until) {
            *paused = Some(until);
        }
    }

    fn record(
        &self,
        request: &RemoteRequest,
        url: &Url,
        at: DateTime<Utc>,
        elapsed: Duration,
        outcome: &Result<RemoteResponse, RemoteError>,
    ) {
        let Some(log) = &self.log else { return };
        let secrets: Vec<&str> = self.settings.secrets.iter().map(String::as_str).collect();
        let mut endpoint = url.path().to_string();
        if !request.query.is_empty() {
            let query: Vec<String> = request
                .query
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            endpoint = format!("{endpoint}?{}", redact_form(&query.join("&")));
        }
        let params = match &request.body {
            Body::Empty => None,
            Body::Json(v) => {
                let mut v = v.clone();
                redact_json(&mut v);
                Some(v.to_string())
            }
            Body::Form(pairs) => {
                let joined: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
                Some(redact_form(&joined.join("&")))
            }
            Body::Xml(xml) => Some(xml.clone()),
        }
        .map(|p| redact_text(&truncate(&p), &secrets));
        let (status, bytes, category, error) = match outcome {
            Ok(r) => (Some(r.status), r.body.len() as i64, None, None),
            Err(e) => (
                e.status,
                0,
                Some(e.category),
                Some(redact_text(
                    &match &e.details {
                        Some(d) => format!("{} {}", e.message, d),
                        None => e.message.clone(),
                    },
                    &secrets,
                )),
            ),
        };
        let _ = log.send(CallRecord {
            connection_id: self.settings.connection_id,
            at,
            method: request.method.to_string(),
            endpoint: redact_text(&endpoint, &secrets),
            params,
            status,
            duration_ms: i64::try_from(elapsed.as_millis()).unwrap_or(i64::MAX),
            bytes,
            error_category: category,
            error,
        });
    }
}

fn rate_limiter(rate: f64) -> Option<DefaultDirectRateLimiter> {
    if !(rate.is_finite() && rate > 0.0) {
        return None;
    }
    // Burst of one: requests are spaced evenly, never bunched at the start of a second.
    let quota =
        Quota::with_period(Duration::from_secs_f64(1.0 / rate))?.allow_burst(NonZeroU32::MIN);
    Some(RateLimiter::direct(quota))
}

fn bad_url(path: &str, e: url::ParseError) -> RemoteError {
    RemoteError::new(
        FailureKind::Other,
        ErrorCategory::Validation,
        format!("\"{path}\" is not a valid address."),
    )
    .with_details(e.to_string())
}

/// When a server's `X-Ratelimit-Remaining` says the quota is used up, how long until its
/// `X-Ratelimit-Reset` (seconds): the next call waits instead of earning a 429.
fn exhausted_quota_wait(headers: &HeaderMap) -> Option<Duration> {
    let value = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let remaining: u64 = value("x-ratelimit-remaining")?.trim().parse().ok()?;
    if remaining > 0 {
        return None;
    }
    let reset: u64 = value("x-ratelimit-reset")?.trim().parse().ok()?;
    Some(Duration::from_secs(reset.max(1)))
}

/// `Retry-After` as seconds or an HTTP date.
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(std::time::SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

fn truncate(text: &str) -> String {
    if text.len() <= DETAIL_LIMIT {
        return text.to_string();
    }
    let cut = (0..=DETAIL_LIMIT)
        .rev()
        .find(|i| text.is_char_boundary(*i))
        .unwrap_or(0);
    format!("{}…", &text[..cut])
}

fn classify_transport(e: &reqwest::Error, timeout: Duration) -> RemoteError {
    let mut chain = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        chain.push_str(": ");
        chain.push_str(&s.to_string());
        source = s.source();
    }
    let lower = chain.to_lowercase();
    let (kind, category, message) = if e.is_timeout() {
        (
            FailureKind::Timeout,
            ErrorCategory::Network,
            format!("No answer within {} s.", timeout.as_secs_f64()),
        )
    } else if lower.contains("dns error") || lower.contains("failed to lookup address") {
        (
            FailureKind::Dns,
            ErrorCategory::Network,
            "The server name could not be found (DNS). Check the address.".to_string(),
        )
    } else if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake")
    {
        (
            FailureKind::Tls,
            ErrorCategory::Network,
            "The secure connection failed: the server's certificate was not accepted.".to_string(),
        )
    } else if e.is_connect() {
        (
            FailureKind::Connect,
            ErrorCategory::Network,
            "Nothing answered at this address and port.".to_string(),
        )
    } else if e.is_body() || e.is_decode() {
        (
            FailureKind::Malformed,
            ErrorCategory::Transient,
            "The answer was cut off.".to_string(),
        )
    } else {
        (
            FailureKind::Other,
            ErrorCategory::Network,
            "The request failed on the way.".to_string(),
        )
    };
    RemoteError::new(kind, category, message).with_details(chain)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_used_up_quota_waits_for_its_reset() {
        let headers = |remaining: &str, reset: &str| {
            let mut h = HeaderMap::new();
            h.insert(
                "x-ratelimit-remaining",
                HeaderValue::from_str(remaining).unwrap_or_else(|e| panic!("{e}")),
            );
            h.insert(
                "x-ratelimit-reset",
                HeaderValue::from_str(reset).unwrap_or_else(|e| panic!("{e}")),
            );
            h
        };
        assert_eq!(
            exhausted_quota_wait(&headers("0", "12")),
            Some(Duration::from_secs(12))
        );
        assert_eq!(exhausted_quota_wait(&headers("3", "12")), None);
        assert_eq!(exhausted_quota_wait(&headers("0", "soon")), None);
        assert_eq!(exhausted_quota_wait(&HeaderMap::new()), None);
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        assert_eq!(parse_retry_after("7"), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon"), None);
    }

    #[test]
    fn truncation_respects_character_boundaries() {
        let s = "é".repeat(DETAIL_LIMIT);
        let t = truncate(&s);
        assert!(t.ends_with('…'));
        assert!(t.len() <= DETAIL_LIMIT + '…'.len_utf8());
    }

    #[test]
    fn zero_or_invalid_rates_mean_no_limiter() {
        assert!(rate_limiter(0.0).is_none());
        assert!(rate_limiter(f64::NAN).is_none());
        assert!(rate_limiter(10.0).is_some());
    }
}
