//! What the e-invoice screens read: list, groups, pivot, the form, answers, the retry queue,
//! bulk-run plans and results, and the dashboard; and starting a bulk run from a selection.

use chrono::{DateTime, Utc};
use loket_core::{
    BatchPlan, Batching, BulkKind, BulkPlan, BulkResult, BulkSelection, CertificateSummary,
    ConnectionKind, DocumentState, EinvoiceDashboard, EinvoiceDetail, EinvoiceFilter,
    EinvoiceGroup, EinvoiceGroupBy, EinvoiceLineView, EinvoiceList, EinvoicePivotQuery,
    EinvoicePivotResult, EinvoiceQuery, EinvoiceRow, PartyView, ResponseDetail, ResponseFilter,
    ResponseList, RetryFilter, RetryList, RunOptions, SendDeadline, SignatureView, StateCount,
};
use loket_einvoice::import::DocumentDraft;
use loket_einvoice::xml::format_decimal;
use loket_einvoice::{CertificateInfo, Issuer};

use super::{certificate_pin_key, invalid};
use crate::{Engine, EngineError, Result};

/// A typical round trip to Hacienda, for time estimates only (the sandbox is faster, the
/// real service often slower).
const TYPICAL_LATENCY_SECS: f64 = 0.25;
/// Signing time per document on one core (the sign benchmark: 2.15 s for 1,000 on two cores
/// with generation included, so about 4 ms per document per core).
const SIGN_SECS_PER_DOC_PER_CORE: f64 = 0.004;

fn certificate_summary(info: &CertificateInfo, now: DateTime<Utc>) -> CertificateSummary {
    CertificateSummary {
        subject: info.subject.clone(),
        serial: info.serial_hex.clone(),
        not_before: info.not_before,
        not_after: info.not_after,
        days_left: loket_core::einvoice::certificate_days_left(info.not_after, now),
    }
}

fn issuer_party(i: &Issuer) -> PartyView {
    PartyView {
        name: i.name.clone(),
        id_type: Some(i.id.id_type.code().to_string()),
        id_number: Some(i.id.number.clone()),
        email: i.emails.first().cloned(),
    }
}

impl Engine {
    /// One page of e-invoices.
    pub async fn list_einvoices(&self, query: EinvoiceQuery) -> Result<EinvoiceList> {
        let mut list = self.inner.store.list_einvoices(&query).await?;
        let deadline = self.einvoice_settings().await?.send_deadline();
        let now = self.now();
        for row in &mut list.rows {
            with_pending_age(row, &deadline, now);
        }
        Ok(list)
    }

    /// How many e-invoices each group holds, with totals (kanban columns, graph bars).
    pub async fn einvoice_groups(
        &self,
        filter: EinvoiceFilter,
        group_by: EinvoiceGroupBy,
    ) -> Result<Vec<EinvoiceGroup>> {
        Ok(self.inner.store.einvoice_groups(&filter, group_by).await?)
    }

    /// Pivot cells with count, total and tax.
    pub async fn einvoice_pivot(&self, query: EinvoicePivotQuery) -> Result<EinvoicePivotResult> {
        Ok(self.inner.store.einvoice_pivot(&query).await?)
    }

    /// Everything the e-invoice form shows.
    pub async fn get_einvoice(&self, id: i64) -> Result<EinvoiceDetail> {
        let record = self.inner.store.einvoice(id).await?;
        let mut row = self.inner.store.einvoice_row(id).await?;
        let settings = self.einvoice_settings().await?;
        with_pending_age(&mut row, &settings.send_deadline(), self.now());
        // A draft that no longer reads (written by a different build) still shows its row.
        let draft: Option<DocumentDraft> = serde_json::from_str(&record.draft).ok();
        let issuer = match self.inner.store.issuer(record.connection_id).await? {
            Some(r) => serde_json::from_str::<Issuer>(&r.issuer)
                .ok()
                .map(|i| issuer_party(&i)),
            None => None,
        };
        let (lines, subtotal, discount) = match &draft {
            Some(d) => {
                let totals = loket_einvoice::document::totals_of(&d.lines);
                let lines = d
                    .lines
                    .iter()
                    .enumerate()
                    .map(|(i, l)| {
                        let t = l.totals();
                        EinvoiceLineView {
                            number: u32::try_from(i + 1).unwrap_or(u32::MAX),
                            code: Some(l.cabys.clone()),
                            description: l.description.clone(),
                            quantity: format_decimal(l.quantity),
                            unit: l.unit.clone(),
                            unit_price: format_decimal(l.unit_price),
                            discount: format_decimal(t.discount),
                            tax_rate: (!l.not_subject).then(|| format_decimal(t.tax_percentage)),
                            tax: format_decimal(t.net_tax),
                            total: format_decimal(t.total),
                        }
                    })
                    .collect();
                (
                    lines,
                    format_decimal(totals.sale),
                    format_decimal(totals.discounts),
                )
            }
            None => (Vec::new(), String::new(), String::new()),
        };
        let receiver = draft
            .as_ref()
            .and_then(|d| d.receiver.as_ref())
            .map(|r| PartyView {
                name: r.name.clone(),
                id_type: r.id.as_ref().map(|id| id.id_type.code().to_string()),
                id_number: r.id.as_ref().map(|id| id.number.clone()),
                email: r.email.clone(),
            });
        Ok(EinvoiceDetail {
            issuer,
            receiver,
            lines,
            subtotal,
            discount,
            notes: draft.and_then(|d| d.notes),
            xml: record.signed_xml.clone().or(record.xml.clone()),
            signature: record.signed_xml.as_ref().map(|_| SignatureView {
                signer: record.signer.clone(),
                signed_at: record.signed_at,
            }),
            responses: self.inner.store.einvoice_response_rows(id).await?,
            retries: self
                .inner
                .store
                .einvoice_retry_rows(id, settings.max_attempts)
                .await?,
            submit_attempted: record.submit_started_at.is_some(),
            row,
        })
    }

    /// Hacienda's answers, filtered, newest first.
    pub async fn list_responses(&self, filter: ResponseFilter) -> Result<ResponseList> {
        Ok(self.inner.store.list_responses(&filter).await?)
    }

    /// One answer in full, its MensajeHacienda pretty-printed.
    pub async fn get_response(&self, id: i64) -> Result<ResponseDetail> {
        let (response, raw_json, mensaje_xml) = self.inner.store.response_detail(id).await?;
        Ok(ResponseDetail {
            response,
            raw_json: raw_json.map(|j| pretty_json(&j)),
            mensaje_xml: mensaje_xml.map(|x| loket_einvoice::pretty_xml(&x)),
        })
    }

    /// The retry queue, filtered, with counts per state.
    pub async fn list_retry_queue(&self, filter: RetryFilter) -> Result<RetryList> {
        let settings = self.einvoice_settings().await?;
        Ok(self
            .inner
            .store
            .list_retry_rows(&filter, settings.max_attempts)
            .await?)
    }

    /// The document ids a selection names.
    async fn selection_ids(&self, selection: &BulkSelection) -> Result<Vec<i64>> {
        match selection {
            BulkSelection::Ids { ids } => Ok(ids.clone()),
            BulkSelection::Filter { filter } => {
                Ok(self.inner.store.einvoice_ids_matching(filter).await?)
            }
        }
    }

    /// What a bulk run over `selection` would do: counts per state, the documents it would
    /// work on, the batching and a time estimate.
    pub async fn bulk_plan(&self, kind: BulkKind, selection: BulkSelection) -> Result<BulkPlan> {
        let ids = self.selection_ids(&selection).await?;
        let states = self.inner.store.selection_states(&ids).await?;
        let eligible_states = kind.eligible_states();
        let is_eligible = |s: &str| eligible_states.iter().any(|e| e.as_str() == s);

        // One run works on one connection: the one holding most of the work.
        let mut per_connection: Vec<(i64, u64)> = Vec::new();
        for (c, s, n) in &states {
            if !is_eligible(s) {
                continue;
            }
            match per_connection.iter_mut().find(|(id, _)| id == c) {
                Some(slot) => slot.1 += n,
                None => per_connection.push((*c, *n)),
            }
        }
        per_connection.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let chosen = per_connection.first().map(|(c, _)| *c);

        let mut by_state: Vec<StateCount> = Vec::new();
        let (mut eligible, mut skipped, mut other) = (0u64, 0u64, 0u64);
        for (c, s, n) in &states {
            if chosen.is_some_and(|id| id != *c) {
                other += n;
                continue;
            }
            let Some(state) = DocumentState::parse(s) else {
                continue;
            };
            match by_state.iter_mut().find(|x| x.state == state) {
                Some(slot) => slot.count += n,
                None => by_state.push(StateCount { state, count: *n }),
            }
            if is_eligible(s) {
                eligible += n;
            } else {
                skipped += n;
            }
        }
        by_state.sort_by_key(|x| DocumentState::ALL.iter().position(|s| *s == x.state));

        let settings = self.einvoice_settings().await?;
        let batching = Batching {
            batch_size: settings.batch_size,
            batch_delay_seconds: if kind == BulkKind::Status {
                0
            } else {
                settings.batch_delay_seconds
            },
            max_concurrent_batches: settings.max_concurrent_batches,
        };
        let connection = match chosen {
            Some(id) => Some(self.get_connection(id).await?),
            None => None,
        };
        let estimate = match kind {
            BulkKind::Sign => {
                let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
                let secs = eligible as f64 * SIGN_SECS_PER_DOC_PER_CORE / cores;
                BatchPlan::new(eligible, u32::MAX, 0.0, 1, None, 0.0).with_estimate(secs)
            }
            _ => BatchPlan::new(
                eligible,
                batching.batch_size,
                f64::from(batching.batch_delay_seconds),
                batching.max_concurrent_batches,
                connection.as_ref().map(|c| c.rate_limit_per_sec),
                TYPICAL_LATENCY_SECS,
            ),
        };
        let (pin_stored, certificate) = match (&connection, kind) {
            (Some(c), BulkKind::Sign) => {
                let key = certificate_pin_key(c.id);
                let secrets = self.inner.secrets.clone();
                let stored = tokio::task::spawn_blocking(move || secrets.get(&key))
                    .await
                    .map_err(|e| EngineError::Internal(e.to_string()))?
                    .map(|p| p.is_some())
                    .unwrap_or(false);
                let now = self.now();
                let cert = self
                    .certificate_info(c.id)
                    .await
                    .ok()
                    .flatten()
                    .map(|i| certificate_summary(&i, now));
                (stored, cert)
            }
            _ => (false, None),
        };
        Ok(BulkPlan {
            kind,
            connection_id: connection.as_ref().map(|c| c.id),
            connection_name: connection.map(|c| c.name),
            by_state,
            eligible,
            skipped,
            other_connections: other,
            batching,
            estimate,
            pin_stored,
            certificate,
        })
    }

    /// Starts a bulk run over the documents of `selection` it can work on. `batching` replaces
    /// the settings' for this run; `pin` opens the certificate for this run only.
    pub async fn start_bulk_run(
        &self,
        kind: BulkKind,
        selection: BulkSelection,
        batching: Option<Batching>,
        pin: Option<String>,
    ) -> Result<i64> {
        let plan = self.bulk_plan(kind, selection.clone()).await?;
        let (Some(connection_id), true) = (plan.connection_id, plan.eligible > 0) else {
            return Err(invalid(
                "selection",
                match kind {
                    BulkKind::Sign => {
                        "None of the chosen documents can be signed: only drafts can."
                    }
                    BulkKind::Submit => {
                        "None of the chosen documents can be sent: only signed ones can."
                    }
                    BulkKind::Status => "None of the chosen documents awaits Hacienda's answer.",
                },
            ));
        };
        let ids = self.selection_ids(&selection).await?;
        let eligible = self
            .inner
            .store
            .eligible_of(&ids, connection_id, kind.eligible_states())
            .await?;
        let options = RunOptions {
            selection: eligible,
            batching: Some(batching.unwrap_or(plan.batching)),
            ..RunOptions::default()
        };
        self.start_einvoice_run(
            connection_id,
            kind.job(),
            options,
            pin.filter(|p| !p.is_empty()),
        )
        .await
    }

    /// A bulk run's per-document results.
    pub async fn bulk_results(&self, run_id: i64) -> Result<Vec<BulkResult>> {
        Ok(self.inner.store.run_results(run_id).await?)
    }

    /// The dashboard's e-invoice cards.
    pub async fn einvoice_dashboard(&self) -> Result<EinvoiceDashboard> {
        let now = self.now();
        let deadline = self.einvoice_settings().await?.send_deadline();
        let late_before = now - deadline.late_after;
        let f = self.inner.store.einvoice_figures(now, late_before).await?;
        let decided = f.accepted_recently + f.rejected_recently;
        let mut certificate: Option<CertificateSummary> = None;
        for c in self.list_connections().await? {
            if c.kind != ConnectionKind::Hacienda {
                continue;
            }
            if let Ok(Some(info)) = self.certificate_info(c.id).await {
                let s = certificate_summary(&info, now);
                if certificate
                    .as_ref()
                    .is_none_or(|best| s.not_after < best.not_after)
                {
                    certificate = Some(s);
                }
            }
        }
        Ok(EinvoiceDashboard {
            by_state: f.by_state,
            acceptance_rate: (decided > 0).then(|| f.accepted_recently as f64 / decided as f64),
            avg_accept_seconds: f.avg_accept_seconds,
            days: f.days,
            pending_submission: f.pending_submission,
            oldest_pending_issued_at: f.oldest_pending_issued_at,
            oldest_pending: f
                .oldest_pending_issued_at
                .map(|at| deadline.pending_age(at, now)),
            pending_late: f.pending_late,
            retry_open: f.retry_open,
            retry_failed: f.retry_failed,
            certificate,
        })
    }
}

/// Sets the age of an issued document waiting to be sent.
fn with_pending_age(row: &mut EinvoiceRow, deadline: &SendDeadline, now: DateTime<Utc>) {
    let waiting = matches!(row.state, DocumentState::Generated | DocumentState::Signed);
    row.pending = row
        .issued_at
        .filter(|_| waiting)
        .map(|at| deadline.pending_age(at, now));
}

/// JSON re-indented for reading; text that is not JSON is returned as it was.
fn pretty_json(text: &str) -> String {
    serde_json::from_str::<serde_json::Value>(text)
        .and_then(|v| serde_json::to_string_pretty(&v))
        .unwrap_or_else(|_| text.to_string())
}
