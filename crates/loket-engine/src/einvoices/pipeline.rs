//! One document through its steps: generate (number, clave, XML), sign, submit, poll. Each
//! step records what happened on the document; a failure that may pass goes to the retry
//! queue with SPEC §5's policy, one that will not (a refused document) is shown on it.

use chrono::{DateTime, Utc};
use loket_connect::hacienda::{HaciendaSession, StatusFetch, Submission, SubmitOutcome};
use loket_connect::RemoteError;
use loket_core::{DocumentState, EinvoiceSettings, ErrorCategory, RetryDecision, RetryOperation};
use loket_einvoice::import::DocumentDraft;
use loket_einvoice::{Clave, Consecutivo, SigningIdentity, Situation};
use loket_store::{AnswerEffect, Generated, NewResponse, RetryEntry};
use serde::{Deserialize, Serialize};

use super::{costa_rica_time, parse_issuer};
use crate::{Engine, EngineError, Result};

/// How one step went for one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepResult {
    pub einvoice_id: i64,
    pub clave: Option<String>,
    /// The document's state afterwards.
    pub state: DocumentState,
    pub outcome: StepOutcome,
    /// What went wrong, in plain words.
    pub error: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepOutcome {
    /// The step was done.
    Done,
    /// Nothing to do (already done, or not in a state for this step).
    Skipped,
    /// Failed for now; on the retry queue.
    Retrying,
    /// Failed; needs a person.
    Failed,
}

/// Why a bulk run must stop: the server refused our credentials twice (SPEC §5).
pub(crate) fn stops_the_batch(e: &RemoteError) -> bool {
    e.category == ErrorCategory::Auth
}

impl Engine {
    async fn step_result(
        &self,
        id: i64,
        outcome: StepOutcome,
        error: Option<String>,
    ) -> Result<StepResult> {
        let doc = self.inner.store.einvoice(id).await?;
        Ok(StepResult {
            einvoice_id: id,
            clave: doc.clave,
            state: DocumentState::parse(&doc.state).unwrap_or(DocumentState::Error),
            outcome,
            error,
        })
    }

    /// Gives a draft its number, clave and XML. Problems a clerk can fix (missing receiver,
    /// totals that do not add up…) leave the draft unchanged and are returned.
    pub async fn generate_einvoice(&self, id: i64) -> Result<StepResult> {
        let doc = self.inner.store.einvoice(id).await?;
        if doc.clave.is_some() {
            return self.step_result(id, StepOutcome::Skipped, None).await;
        }
        let issuer_record = self.issuer_record(doc.connection_id).await?;
        let issuer = parse_issuer(&issuer_record)?;
        let draft: DocumentDraft = serde_json::from_str(&doc.draft)
            .map_err(|e| EngineError::Internal(format!("the stored draft is not readable: {e}")))?;
        let now = self.now();
        let issued_at = draft.issued_at_or(costa_rica_time(now));
        let (branch, terminal, provider) = (
            issuer_record.branch,
            issuer_record.terminal,
            issuer_record.provider_id.clone(),
        );
        let built = self
            .inner
            .store
            .generate_einvoice(
                id,
                now,
                |number| -> std::result::Result<Generated, String> {
                    let security = loket_einvoice::random_security_code()
                        .ok_or("The system's random generator is not available.")?;
                    let consecutivo = Consecutivo::new(branch, terminal, draft.doc_type, number)
                        .map_err(|e| e.to_string())?;
                    let clave = Clave::new(
                        issued_at.date_naive(),
                        &issuer.id.number,
                        consecutivo,
                        Situation::Normal,
                        security,
                    )
                    .map_err(|e| e.to_string())?;
                    let document = draft.clone().into_document(
                        issuer.clone(),
                        clave.clone(),
                        provider.clone(),
                        issued_at,
                    );
                    let problems = loket_einvoice::precheck(&document);
                    if !problems.is_empty() {
                        return Err(problems
                            .iter()
                            .map(|i| format!("{}: {}", i.field, i.message))
                            .collect::<Vec<_>>()
                            .join("\n"));
                    }
                    let xml = loket_einvoice::to_xml(&document).map_err(|e| e.to_string())?;
                    Ok(Generated {
                        clave: clave.to_string(),
                        consecutivo: consecutivo.to_string(),
                        issued_at: issued_at.with_timezone(&Utc),
                        xml,
                    })
                },
            )
            .await?;
        match built {
            Ok(_) => self.step_result(id, StepOutcome::Done, None).await,
            Err(problem) => {
                self.inner
                    .store
                    .set_einvoice_error(id, &problem, now)
                    .await?;
                self.step_result(id, StepOutcome::Failed, Some(problem))
                    .await
            }
        }
    }

    /// Signs a generated document (generating a draft first). The certificate must belong to
    /// the issuer; a failure leaves the document as it was.
    pub(crate) async fn sign_einvoice_with(
        &self,
        id: i64,
        identity: &std::sync::Arc<SigningIdentity>,
    ) -> Result<StepResult> {
        let mut doc = self.inner.store.einvoice(id).await?;
        if doc.state == DocumentState::Draft.as_str() {
            let generated = self.generate_einvoice(id).await?;
            if generated.outcome == StepOutcome::Failed {
                return Ok(generated);
            }
            doc = self.inner.store.einvoice(id).await?;
        }
        if doc.state != DocumentState::Generated.as_str() || doc.submit_started_at.is_some() {
            return self.step_result(id, StepOutcome::Skipped, None).await;
        }
        let Some(xml) = doc.xml.clone() else {
            return self.step_result(id, StepOutcome::Skipped, None).await;
        };
        let issuer = parse_issuer(&self.issuer_record(doc.connection_id).await?)?;
        let cert = identity.certificate();
        let now = self.now();
        if cert.matches_issuer_id(&issuer.id.number) == Some(false) {
            let e = loket_einvoice::SignError::CertificateNotForIssuer {
                certificate_id: cert.subject_id_number.clone().unwrap_or_default(),
                issuer_id: issuer.id.number.clone(),
            }
            .to_string();
            self.inner.store.set_einvoice_error(id, &e, now).await?;
            return self.step_result(id, StepOutcome::Failed, Some(e)).await;
        }
        let signer = cert.subject.clone();
        let identity = std::sync::Arc::clone(identity);
        let signing_time = costa_rica_time(now);
        let signed = tokio::task::spawn_blocking(move || {
            loket_einvoice::sign_xml(&xml, &identity, signing_time)
        })
        .await
        .map_err(|e| EngineError::Internal(e.to_string()))?;
        match signed {
            Ok(signed) => {
                self.inner
                    .store
                    .mark_signed(id, &signed, &signer, now)
                    .await?;
                self.inner
                    .store
                    .finish_retry(id, RetryOperation::Sign.as_str(), now)
                    .await?;
                self.step_result(id, StepOutcome::Done, None).await
            }
            Err(e) => {
                let e = e.to_string();
                self.inner.store.set_einvoice_error(id, &e, now).await?;
                self.step_result(id, StepOutcome::Failed, Some(e)).await
            }
        }
    }

    /// Sends a signed document. A document that may have gone out before (a timeout, a crash
    /// mid-way) is asked about first and never sent twice. `Err` only for a failure that must
    /// stop a batch (refused credentials) or a local one.
    pub(crate) async fn submit_einvoice_with(
        &self,
        id: i64,
        session: &HaciendaSession,
        settings: &EinvoiceSettings,
    ) -> Result<StepResult> {
        let doc = self.inner.store.einvoice(id).await?;
        if doc.state != DocumentState::Signed.as_str() {
            return self.step_result(id, StepOutcome::Skipped, None).await;
        }
        let (Some(clave), Some(signed_xml)) = (doc.clave.clone(), doc.signed_xml.clone()) else {
            return self.step_result(id, StepOutcome::Skipped, None).await;
        };
        let now = self.now();
        if doc.submit_started_at.is_some() {
            // It may have arrived: ask before sending again.
            match session.status(&clave).await {
                Ok(StatusFetch::Found { status, body }) => {
                    self.inner.store.mark_submitted(id, now).await?;
                    self.record_status(id, Some(status), &body, settings)
                        .await?;
                    self.inner
                        .store
                        .finish_retry(id, RetryOperation::Submit.as_str(), now)
                        .await?;
                    return self.step_result(id, StepOutcome::Done, None).await;
                }
                Ok(StatusFetch::NotReceived { .. }) => {
                    self.inner.store.clear_submit_attempt(id, now).await?;
                }
                Err(e) => {
                    return self
                        .remote_failure(id, RetryOperation::Submit, e, settings)
                        .await
                }
            }
        }
        match self.inner.store.begin_submit(id, now).await {
            Ok(_) => {}
            // Changed meanwhile (moved back to draft by hand…): nothing to send.
            Err(loket_store::StoreError::Conflict(_)) => {
                return self.step_result(id, StepOutcome::Skipped, None).await
            }
            Err(e) => return Err(e.into()),
        }
        let issued_at = doc
            .issued_at
            .map(costa_rica_time)
            .unwrap_or_else(|| costa_rica_time(now));
        let issuer = parse_issuer(&self.issuer_record(doc.connection_id).await?)?;
        let draft: Option<DocumentDraft> = serde_json::from_str(&doc.draft).ok();
        let receiver = draft
            .as_ref()
            .and_then(|d| d.receiver.as_ref())
            .and_then(|r| r.id.as_ref())
            .map(|id| (id.id_type.code().to_string(), id.number.clone()));
        let submission = Submission {
            clave,
            fecha: issued_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
            issuer_id_type: issuer.id.id_type.code().to_string(),
            issuer_id: issuer.id.number.clone(),
            receiver,
            signed_xml,
            callback_url: None,
        };
        match session.submit(&submission).await {
            Ok(SubmitOutcome::Received { .. } | SubmitOutcome::AlreadyReceived { .. }) => {
                self.inner.store.mark_submitted(id, now).await?;
                self.inner
                    .store
                    .finish_retry(id, RetryOperation::Submit.as_str(), now)
                    .await?;
                self.step_result(id, StepOutcome::Done, None).await
            }
            Err(e) if e.category == ErrorCategory::Validation => {
                // Refused as sent (400 with its cause): not received, and sending it again
                // unchanged would be refused again.
                self.inner.store.clear_submit_attempt(id, now).await?;
                let cause = e.details.clone().unwrap_or_else(|| e.message.clone());
                let response = NewResponse {
                    received_at: now,
                    http_status: e.status,
                    state: DocumentState::Error.as_str().into(),
                    raw_json: None,
                    mensaje_xml: None,
                    message_type: None,
                    detail: Some(cause.clone()),
                    error_codes: "[]".into(),
                };
                self.inner
                    .store
                    .record_response(
                        id,
                        &response,
                        settings.store_responses,
                        AnswerEffect::Moves { decided: true },
                    )
                    .await?;
                self.inner.store.set_einvoice_error(id, &cause, now).await?;
                self.step_result(id, StepOutcome::Failed, Some(cause)).await
            }
            Err(e) => {
                self.remote_failure(id, RetryOperation::Submit, e, settings)
                    .await
            }
        }
    }

    /// Asks Hacienda about a sent document and records the answer.
    pub(crate) async fn poll_einvoice_with(
        &self,
        id: i64,
        session: &HaciendaSession,
        settings: &EinvoiceSettings,
    ) -> Result<StepResult> {
        let doc = self.inner.store.einvoice(id).await?;
        let awaiting = DocumentState::parse(&doc.state).is_some_and(DocumentState::awaits_hacienda);
        let Some(clave) = doc.clave.clone().filter(|_| awaiting) else {
            return self.step_result(id, StepOutcome::Skipped, None).await;
        };
        let now = self.now();
        match session.status(&clave).await {
            Ok(StatusFetch::Found { status, body }) => {
                self.record_status(id, Some(status), &body, settings)
                    .await?;
                self.inner
                    .store
                    .finish_retry(id, RetryOperation::Poll.as_str(), now)
                    .await?;
                self.step_result(id, StepOutcome::Done, None).await
            }
            Ok(StatusFetch::NotReceived { cause }) => {
                let e = format!(
                    "Hacienda has no record of this document{}.",
                    cause.map(|c| format!(" ({c})")).unwrap_or_default()
                );
                self.inner.store.set_einvoice_error(id, &e, now).await?;
                self.step_result(id, StepOutcome::Failed, Some(e)).await
            }
            Err(e) => {
                self.remote_failure(id, RetryOperation::Poll, e, settings)
                    .await
            }
        }
    }

    /// Stores a status reply (decoded) and moves the document to the state it reports.
    async fn record_status(
        &self,
        id: i64,
        status: Option<u16>,
        body: &str,
        settings: &EinvoiceSettings,
    ) -> Result<()> {
        let now = self.now();
        let (response, effect) = decode_status(body, status, now);
        self.inner
            .store
            .record_response(id, &response, settings.store_responses, effect)
            .await?;
        self.changed(&["einvoices"]);
        Ok(())
    }

    /// A call failed: on the retry queue by SPEC §5's policy, or failed for good when the
    /// attempts are used up (with a desktop notification). Refused credentials stop the batch.
    async fn remote_failure(
        &self,
        id: i64,
        operation: RetryOperation,
        e: RemoteError,
        settings: &EinvoiceSettings,
    ) -> Result<StepResult> {
        let now = self.now();
        let message = failure_text(&e);
        self.inner
            .store
            .set_einvoice_error(id, &message, now)
            .await?;
        let open = self.inner.store.open_retry(id, operation.as_str()).await?;
        let attempts = open.map_or(0, |r| u32::try_from(r.attempts).unwrap_or(0)) + 1;
        let retry_after = e
            .retry_after
            .and_then(|d| chrono::Duration::from_std(d).ok());
        let decision = settings
            .retry_policy()
            .decide(attempts, e.category, retry_after, now);
        let next_retry_at = match decision {
            RetryDecision::RetryAt(at) => Some(at),
            RetryDecision::GiveUp => None,
        };
        self.inner
            .store
            .enqueue_retry(
                &RetryEntry {
                    einvoice_id: id,
                    operation: operation.as_str().into(),
                    category: e.category.as_str().into(),
                    attempts,
                    next_retry_at,
                    priority: retry_priority(operation),
                    last_error: message.clone(),
                },
                now,
            )
            .await?;
        self.changed(&["einvoices"]);
        if next_retry_at.is_none() {
            let doc = self.inner.store.einvoice(id).await?;
            let lang = self.inner.store.settings().await?.language;
            let document = doc.clave.unwrap_or_else(|| format!("#{id}"));
            let (title, body) = loket_core::messages::einvoice_gave_up(
                lang, &document, operation, attempts, &message,
            );
            self.emit(crate::events::EngineEvent::Notify { title, body });
        }
        if stops_the_batch(&e) {
            return Err(EngineError::Remote(e));
        }
        let outcome = if next_retry_at.is_some() {
            StepOutcome::Retrying
        } else {
            StepOutcome::Failed
        };
        self.step_result(id, outcome, Some(message)).await
    }
}

/// A failure in one line for the document and the queue: our message, plus the server's own
/// words when they are short text (an HTML error page says nothing a clerk can use).
fn failure_text(e: &RemoteError) -> String {
    let details = e
        .details
        .as_deref()
        .map(|d| d.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|d| !d.is_empty() && !d.starts_with('<'));
    match details {
        Some(d) if d.chars().count() > 300 => {
            format!("{} {}…", e.message, d.chars().take(300).collect::<String>())
        }
        Some(d) => format!("{} {d}", e.message),
        None => e.message.clone(),
    }
}

/// Sending first: a document not yet with Hacienda matters more than news about one that is.
fn retry_priority(operation: RetryOperation) -> i64 {
    match operation {
        RetryOperation::Submit => 2,
        RetryOperation::Sign => 1,
        RetryOperation::Poll => 0,
    }
}

/// A status JSON as a stored answer and its effect on the document. A reply that cannot be
/// read is kept as received (state "error" on the answer) and leaves the document as it was.
pub(crate) fn decode_status(
    body: &str,
    status: Option<u16>,
    now: DateTime<Utc>,
) -> (NewResponse, AnswerEffect) {
    let mut response = NewResponse {
        received_at: now,
        http_status: status,
        state: DocumentState::Error.as_str().into(),
        raw_json: Some(body.to_string()),
        mensaje_xml: None,
        message_type: None,
        detail: None,
        error_codes: "[]".into(),
    };
    let reply = match loket_einvoice::parse_status_reply(body) {
        Ok(r) => r,
        Err(e) => {
            response.detail = Some(format!("Hacienda's answer could not be read: {e}"));
            return (response, AnswerEffect::Informs);
        }
    };
    let state = match &reply.state {
        loket_einvoice::State::Recibido => DocumentState::Submitted,
        loket_einvoice::State::Procesando => DocumentState::Processing,
        loket_einvoice::State::Aceptado => DocumentState::Accepted,
        loket_einvoice::State::Rechazado => DocumentState::Rejected,
        loket_einvoice::State::Error | loket_einvoice::State::Unknown(_) => DocumentState::Error,
    };
    response.state = state.as_str().into();
    match reply.response_xml() {
        Ok(Some(xml)) => {
            if let Ok(message) = loket_einvoice::parse_mensaje_hacienda(&xml) {
                response.message_type = Some(message.verdict.code());
                response.detail = Some(message.detail.clone());
                response.error_codes =
                    serde_json::to_string(&message.errors).unwrap_or_else(|_| "[]".into());
            }
            response.mensaje_xml = Some(xml);
        }
        Ok(None) => {}
        Err(e) => response.detail = Some(format!("The attached answer could not be read: {e}")),
    }
    (
        response,
        AnswerEffect::Moves {
            decided: state.is_final(),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use loket_connect::FailureKind;

    #[test]
    fn a_failure_keeps_short_server_words_and_drops_error_pages() {
        let e = |details: &str| {
            RemoteError::new(FailureKind::Status, ErrorCategory::Server, "HTTP 500.")
                .with_details(details.to_string())
        };
        assert_eq!(
            failure_text(&e("Servicio no\n disponible")),
            "HTTP 500. Servicio no disponible"
        );
        assert_eq!(
            failure_text(&e("<html><body>500</body></html>")),
            "HTTP 500."
        );
        assert!(failure_text(&e(&"x".repeat(400))).ends_with("…"));
    }

    #[test]
    fn status_replies_become_stored_answers_and_unreadable_ones_are_kept() {
        let now = Utc::now();
        let (r, effect) = decode_status(
            r#"{"clave":"506","ind-estado":"procesando"}"#,
            Some(200),
            now,
        );
        assert_eq!(r.state, "processing");
        assert_eq!(effect, AnswerEffect::Moves { decided: false });
        let (r, effect) =
            decode_status(r#"{"Clave":"506","IndEstado":"ACEPTADO"}"#, Some(200), now);
        assert_eq!(r.state, "accepted");
        assert_eq!(effect, AnswerEffect::Moves { decided: true });
        let (r, effect) = decode_status("<html>oops", Some(200), now);
        assert_eq!((r.state.as_str(), effect), ("error", AnswerEffect::Informs));
        assert_eq!(r.raw_json.as_deref(), Some("<html>oops"));
        assert!(r.detail.unwrap_or_default().contains("could not be read"));
    }
}
