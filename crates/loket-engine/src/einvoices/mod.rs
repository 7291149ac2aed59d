//! E-invoices in the engine: the issuing company and its certificate, drafts (entered or
//! imported), and the per-document steps generate → sign → submit → poll in `pipeline`.
//! Bulk runs and the scheduled e-invoice jobs live in `jobs/einvoices.rs`.

pub(crate) mod pipeline;
mod views;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use loket_core::{ConnectionKind, EinvoiceSettings, FieldError};
use loket_einvoice::import::DocumentDraft;
use loket_einvoice::{CertificateInfo, Issuer, SigningIdentity};
use loket_store::{EinvoiceRecord, IssuerRecord, NewEinvoice, ResponseRecord, RetryRecord};

use crate::{Engine, EngineError, Result};

/// The issuing company of a Hacienda connection, as the engine takes it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct IssuerProfile {
    pub connection_id: i64,
    pub issuer: Issuer,
    /// Branch (casa matriz = 1) and terminal of the numbering.
    pub branch: u16,
    pub terminal: u32,
    /// Id number of the software provider (ProveedorSistemas).
    pub provider_id: String,
}

/// The result of adding drafts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
pub struct ImportSummary {
    #[ts(type = "number")]
    pub created: u64,
    /// Already stored from the same source under the same reference: left as they were.
    #[ts(type = "number")]
    pub skipped: u64,
}

/// The keyring entry of a connection's certificate PIN.
pub(crate) fn certificate_pin_key(connection_id: i64) -> String {
    format!("certificate-pin:{connection_id}")
}

fn invalid(field: &str, message: impl Into<String>) -> EngineError {
    EngineError::Invalid(vec![FieldError {
        field: field.into(),
        message: message.into(),
    }])
}

impl Engine {
    async fn hacienda_connection(&self, connection_id: i64) -> Result<loket_core::Connection> {
        let c = self.get_connection(connection_id).await?;
        if c.kind != ConnectionKind::Hacienda {
            return Err(invalid(
                "connection_id",
                format!("\"{}\" is not a Hacienda connection.", c.name),
            ));
        }
        Ok(c)
    }

    /// Saves the issuing company of a Hacienda connection.
    pub async fn save_issuer(&self, profile: IssuerProfile) -> Result<()> {
        self.hacienda_connection(profile.connection_id).await?;
        if let Err(e) = loket_einvoice::numbering::normalize_issuer_id(&profile.issuer.id.number) {
            return Err(invalid("issuer.id.number", e.to_string()));
        }
        if let Err(e) = loket_einvoice::Consecutivo::new(
            profile.branch,
            profile.terminal,
            loket_einvoice::DocumentType::Factura,
            1,
        ) {
            return Err(invalid("branch", e.to_string()));
        }
        let issuer = serde_json::to_string(&profile.issuer)
            .map_err(|e| EngineError::Internal(e.to_string()))?;
        self.inner
            .store
            .save_issuer(
                &IssuerRecord {
                    connection_id: profile.connection_id,
                    issuer,
                    branch: profile.branch,
                    terminal: profile.terminal,
                    provider_id: profile.provider_id,
                    certificate_file: None,
                    certificate: None,
                },
                self.now(),
            )
            .await?;
        Ok(())
    }

    /// The issuing company of a connection.
    pub async fn issuer_profile(&self, connection_id: i64) -> Result<IssuerProfile> {
        let r = self.issuer_record(connection_id).await?;
        Ok(IssuerProfile {
            connection_id,
            issuer: parse_issuer(&r)?,
            branch: r.branch,
            terminal: r.terminal,
            provider_id: r.provider_id,
        })
    }

    async fn issuer_record(&self, connection_id: i64) -> Result<IssuerRecord> {
        self.inner
            .store
            .issuer(connection_id)
            .await?
            .ok_or_else(|| {
                EngineError::NotFound(
                    "No issuing company is set up for this Hacienda connection yet.".into(),
                )
            })
    }

    /// Loads a .p12 file with its PIN: checks that it opens, that it is valid now and that it
    /// belongs to the issuer, then keeps a copy in the data folder and the PIN in the keyring.
    /// Nothing changes when any check fails.
    pub async fn set_certificate(
        &self,
        connection_id: i64,
        p12: Vec<u8>,
        pin: String,
    ) -> Result<CertificateInfo> {
        let profile = self.issuer_profile(connection_id).await?;
        let (identity, p12, pin) = tokio::task::spawn_blocking(move || {
            SigningIdentity::from_pkcs12(&p12, &pin).map(|id| (id, p12, pin))
        })
        .await
        .map_err(|e| EngineError::Internal(e.to_string()))?
        .map_err(|e| invalid("p12", e.to_string()))?;
        let info = identity.certificate().clone();
        let now = self.now();
        if !info.is_valid_at(now) {
            return Err(invalid(
                "p12",
                format!(
                    "This certificate is valid from {} to {}; it cannot sign today.",
                    info.not_before.format("%Y-%m-%d"),
                    info.not_after.format("%Y-%m-%d")
                ),
            ));
        }
        if info.matches_issuer_id(&profile.issuer.id.number) == Some(false) {
            return Err(invalid(
                "p12",
                format!(
                    "The certificate belongs to id {}, but the issuer is {}. Load the issuer's own .p12 file.",
                    info.subject_id_number.clone().unwrap_or_default(),
                    profile.issuer.id.number
                ),
            ));
        }
        let dir = self.inner.data_dir.join("certificates");
        let file = dir.join(format!("connection-{connection_id}.p12"));
        write_atomically(&dir, &file, &p12).await?;
        let key = certificate_pin_key(connection_id);
        let secrets = self.inner.secrets.clone();
        tokio::task::spawn_blocking(move || secrets.set(&key, &pin))
            .await
            .map_err(|e| EngineError::Internal(e.to_string()))??;
        let summary =
            serde_json::to_string(&info).map_err(|e| EngineError::Internal(e.to_string()))?;
        self.inner
            .store
            .set_issuer_certificate(connection_id, &file.display().to_string(), &summary, now)
            .await?;
        Ok(info)
    }

    /// What the connection's certificate says, if one was loaded.
    pub async fn certificate_info(&self, connection_id: i64) -> Result<Option<CertificateInfo>> {
        let r = self.issuer_record(connection_id).await?;
        r.certificate
            .map(|c| serde_json::from_str(&c).map_err(|e| EngineError::Internal(e.to_string())))
            .transpose()
    }

    /// The signing identity: the stored .p12 opened with `pin`, or with the PIN in the keyring.
    pub(crate) async fn signing_identity(
        &self,
        connection_id: i64,
        pin: Option<String>,
    ) -> Result<SigningIdentity> {
        let r = self.issuer_record(connection_id).await?;
        let file = r.certificate_file.ok_or_else(|| {
            invalid(
                "p12",
                "No certificate is loaded for this issuer. Load its .p12 file first.",
            )
        })?;
        let pin = match pin {
            Some(p) => p,
            None => {
                let key = certificate_pin_key(connection_id);
                let secrets = self.inner.secrets.clone();
                tokio::task::spawn_blocking(move || secrets.get(&key))
                    .await
                    .map_err(|e| EngineError::Internal(e.to_string()))??
                    .ok_or_else(|| invalid("pin", "The certificate's PIN is needed."))?
            }
        };
        let path = PathBuf::from(file);
        let bytes = tokio::fs::read(&path)
            .await
            .map_err(|e| EngineError::io(&path, e))?;
        tokio::task::spawn_blocking(move || SigningIdentity::from_pkcs12(&bytes, &pin))
            .await
            .map_err(|e| EngineError::Internal(e.to_string()))?
            .map_err(|e| invalid("pin", e.to_string()))
    }

    /// The company's e-invoice settings.
    pub async fn einvoice_settings(&self) -> Result<EinvoiceSettings> {
        Ok(self.inner.store.einvoice_settings().await?)
    }

    /// Saves the company's e-invoice settings after checking every field.
    pub async fn save_einvoice_settings(&self, settings: EinvoiceSettings) -> Result<()> {
        let errors = settings.validate();
        if !errors.is_empty() {
            return Err(EngineError::Invalid(errors));
        }
        self.inner.store.save_einvoice_settings(&settings).await?;
        // The polling jobs follow the settings' interval; "auto polling off" pauses them.
        for job in self.list_jobs().await? {
            if job.kind == loket_core::JobKind::EinvoicePoll {
                let every = loket_core::Schedule::Every {
                    minutes: settings.poll_every_minutes,
                };
                self.save_job(job.id, every, settings.auto_poll).await?;
            }
        }
        self.changed(&["einvoices"]);
        Ok(())
    }

    /// Stores drafts as documents in state draft, all or none.
    pub async fn add_einvoice_drafts(
        &self,
        connection_id: i64,
        source: &str,
        drafts: Vec<DocumentDraft>,
    ) -> Result<ImportSummary> {
        self.hacienda_connection(connection_id).await?;
        let mut rows = Vec::with_capacity(drafts.len());
        for d in &drafts {
            rows.push(new_einvoice(d, source)?);
        }
        let (ids, skipped) = self
            .inner
            .store
            .insert_einvoices(connection_id, &rows, self.now())
            .await?;
        self.changed(&["einvoices"]);
        Ok(ImportSummary {
            created: ids.len() as u64,
            skipped,
        })
    }

    /// Issues a rejected document (or one Hacienda answered with an error) again as a new
    /// draft with the same content: once signed it gets its own number and clave. The old one
    /// stays as Hacienda decided it. Returns the new draft's id.
    pub async fn reissue_einvoice(&self, id: i64) -> Result<i64> {
        let record = self.inner.store.einvoice(id).await?;
        let state = loket_core::DocumentState::parse(&record.state);
        if !matches!(
            state,
            Some(loket_core::DocumentState::Rejected | loket_core::DocumentState::Error)
        ) {
            return Err(invalid(
                "state",
                "Only a rejected document, or one Hacienda answered with an error, can be issued again.",
            ));
        }
        let mut draft: DocumentDraft = serde_json::from_str(&record.draft)
            .map_err(|e| EngineError::Internal(format!("the stored draft is not readable: {e}")))?;
        draft.issued_at = None;
        let base = record
            .external_ref
            .clone()
            .unwrap_or_else(|| format!("#{id}"));
        // The reference says where the copy came from; a second copy gets the next number.
        for n in 2..100 {
            draft.external_ref = format!("{base} ({n})");
            let row = new_einvoice(&draft, "manual")?;
            let (ids, _) = self
                .inner
                .store
                .insert_einvoices(record.connection_id, &[row], self.now())
                .await?;
            if let Some(new_id) = ids.first() {
                self.changed(&["einvoices"]);
                return Ok(*new_id);
            }
        }
        Err(EngineError::Busy(
            "This document was issued again too many times already.".into(),
        ))
    }

    /// Imports a CSV or JSON file of documents (by its extension): every row is checked first,
    /// and a file with any problem imports nothing.
    pub async fn import_einvoices(&self, connection_id: i64, path: &Path) -> Result<ImportSummary> {
        let bytes = tokio::fs::read(path)
            .await
            .map_err(|e| EngineError::io(path, e))?;
        self.import_einvoice_bytes(connection_id, &path.to_string_lossy(), &bytes)
            .await
    }

    /// Imports the content of a CSV or JSON file named `file_name` (JSON by its extension),
    /// all or none.
    pub async fn import_einvoice_bytes(
        &self,
        connection_id: i64,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<ImportSummary> {
        let is_json = Path::new(file_name)
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        let (source, parsed) = if is_json {
            ("json", loket_einvoice::import::import_json(bytes))
        } else {
            ("csv", loket_einvoice::import::import_csv(bytes))
        };
        let drafts = parsed.map_err(|e| {
            EngineError::Invalid(
                e.lines()
                    .into_iter()
                    .map(|line| FieldError {
                        field: "file".into(),
                        message: line,
                    })
                    .collect(),
            )
        })?;
        self.add_einvoice_drafts(connection_id, source, drafts)
            .await
    }

    /// One document.
    pub async fn einvoice(&self, id: i64) -> Result<EinvoiceRecord> {
        Ok(self.inner.store.einvoice(id).await?)
    }

    /// Documents of a connection in the given states (all when empty), oldest first.
    pub async fn einvoices(
        &self,
        connection_id: i64,
        states: &[loket_core::DocumentState],
        limit: u32,
    ) -> Result<Vec<EinvoiceRecord>> {
        let states: Vec<&str> = states.iter().map(|s| s.as_str()).collect();
        Ok(self
            .inner
            .store
            .einvoices_in_states(connection_id, &states, limit)
            .await?)
    }

    /// Hacienda's answers about a document, newest first.
    pub async fn einvoice_responses(&self, id: i64) -> Result<Vec<ResponseRecord>> {
        Ok(self.inner.store.einvoice_responses(id).await?)
    }

    /// The retry queue (all states when empty), newest change first.
    pub async fn retry_queue(
        &self,
        states: &[loket_core::RetryState],
        limit: u32,
    ) -> Result<Vec<RetryRecord>> {
        let states: Vec<&str> = states.iter().map(|s| s.as_str()).collect();
        Ok(self.inner.store.list_retries(&states, limit).await?)
    }

    /// "Retry now" on a pending or failed entry.
    pub async fn retry_now(&self, retry_id: i64) -> Result<()> {
        if !self.inner.store.retry_now(retry_id, self.now()).await? {
            return Err(EngineError::Busy(
                "Only a waiting or failed entry can be retried now.".into(),
            ));
        }
        self.changed(&["einvoices"]);
        // "Now" means now: work the connection's queue at once rather than at its next
        // scheduled run. A run already working it picks the entry up, or the next one does.
        let entry = self.inner.store.retry(retry_id).await?;
        let connection_id = self
            .inner
            .store
            .einvoice(entry.einvoice_id)
            .await?
            .connection_id;
        let job = self.list_jobs().await?.into_iter().find(|j| {
            j.kind == loket_core::JobKind::EinvoiceRetries && j.connection_id == Some(connection_id)
        });
        if let Some(job) = job {
            match self.start_job(job.id, "manual").await {
                Ok(_) | Err(EngineError::Busy(_)) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Cancels a waiting entry by hand.
    pub async fn cancel_retry(&self, retry_id: i64) -> Result<()> {
        if !self.inner.store.cancel_retry(retry_id, self.now()).await? {
            return Err(EngineError::Busy(
                "Only a waiting entry can be cancelled.".into(),
            ));
        }
        self.changed(&["einvoices"]);
        Ok(())
    }
}

fn parse_issuer(r: &IssuerRecord) -> Result<Issuer> {
    serde_json::from_str(&r.issuer)
        .map_err(|e| EngineError::Internal(format!("the stored issuer is not readable: {e}")))
}

/// The stored row of a draft: what lists show before the document is generated.
fn new_einvoice(d: &DocumentDraft, source: &str) -> Result<NewEinvoice> {
    let totals = loket_einvoice::document::totals_of(&d.lines);
    let draft = serde_json::to_string(d).map_err(|e| EngineError::Internal(e.to_string()))?;
    Ok(NewEinvoice {
        doc_type: d.doc_type.code().to_string(),
        source: source.to_string(),
        external_ref: Some(d.external_ref.clone()).filter(|r| !r.trim().is_empty()),
        draft,
        receiver_name: d.receiver.as_ref().map(|r| r.name.clone()),
        receiver_id: d
            .receiver
            .as_ref()
            .and_then(|r| r.id.as_ref())
            .map(|id| id.number.clone()),
        currency: d.currency.code().to_string(),
        total: loket_einvoice::xml::format_decimal(totals.total),
        total_value: totals.total.try_into().unwrap_or(0.0),
        tax: loket_einvoice::xml::format_decimal(totals.tax),
    })
}

/// Writes `bytes` to `file` through a temporary file and a rename, so a full disk or a crash
/// never leaves half a certificate behind.
async fn write_atomically(dir: &Path, file: &Path, bytes: &[u8]) -> Result<()> {
    tokio::fs::create_dir_all(dir)
        .await
        .map_err(|e| EngineError::io(dir, e))?;
    let tmp = file.with_extension("p12.partial");
    tokio::fs::write(&tmp, bytes)
        .await
        .map_err(|e| EngineError::io(&tmp, e))?;
    tokio::fs::rename(&tmp, file)
        .await
        .map_err(|e| EngineError::io(file, e))
}

/// The issue time of a new document: now, in Costa Rica's time.
pub(crate) fn costa_rica_time(at: DateTime<Utc>) -> DateTime<chrono::FixedOffset> {
    at.with_timezone(&chrono_tz::America::Costa_Rica)
        .fixed_offset()
}

/// A document being sent by one run; dropping it lets others send it again.
pub(crate) struct SubmissionClaim {
    engine: Engine,
    id: i64,
}

impl Drop for SubmissionClaim {
    fn drop(&mut self) {
        let mut sending = self
            .engine
            .inner
            .submitting
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        sending.remove(&self.id);
    }
}

impl Engine {
    /// Claims a document for sending; `None` when another run is sending it.
    pub(crate) fn claim_submission(&self, id: i64) -> Option<SubmissionClaim> {
        let mut sending = self
            .inner
            .submitting
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        sending.insert(id).then(|| SubmissionClaim {
            engine: self.clone(),
            id,
        })
    }

    /// The identity prepared for the next bulk signing of a connection, if any.
    pub(crate) async fn take_prepared_identity(
        &self,
        connection_id: i64,
    ) -> Option<std::sync::Arc<SigningIdentity>> {
        self.inner
            .prepared_identities
            .lock()
            .await
            .remove(&connection_id)
    }

    /// Starts a bulk e-invoice run (sign, submit or status check) over `options.selection`
    /// (every document in a state for it when empty). Signing opens the certificate first,
    /// with `pin` when given (used for this run only, never stored) or the keyring's, so a
    /// wrong PIN is reported before anything starts. Returns the run id.
    pub async fn start_einvoice_run(
        &self,
        connection_id: i64,
        kind: loket_core::JobKind,
        options: loket_core::RunOptions,
        pin: Option<String>,
    ) -> Result<i64> {
        use loket_core::JobKind;
        if !matches!(
            kind,
            JobKind::EinvoiceSign | JobKind::EinvoiceSubmit | JobKind::EinvoiceStatus
        ) {
            return Err(invalid("kind", "Not a bulk e-invoice run."));
        }
        self.hacienda_connection(connection_id).await?;
        if let Some(b) = &options.batching {
            let check = EinvoiceSettings {
                batch_size: b.batch_size,
                batch_delay_seconds: b.batch_delay_seconds,
                max_concurrent_batches: b.max_concurrent_batches,
                ..EinvoiceSettings::default()
            };
            let errors = check.validate();
            if !errors.is_empty() {
                return Err(EngineError::Invalid(errors));
            }
        }
        if kind == JobKind::EinvoiceSign {
            let identity = self.signing_identity(connection_id, pin).await?;
            self.inner
                .prepared_identities
                .lock()
                .await
                .insert(connection_id, std::sync::Arc::new(identity));
        }
        let job = self
            .list_jobs()
            .await?
            .into_iter()
            .find(|j| j.kind == kind && j.connection_id == Some(connection_id))
            .ok_or_else(|| EngineError::NotFound("The e-invoice job is missing.".into()))?;
        let started = self.start_job_with(job.id, "manual", options).await;
        if started.is_err() {
            self.take_prepared_identity(connection_id).await;
        }
        started
    }
}
