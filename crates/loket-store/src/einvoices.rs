//! E-invoices: the issuing company, numbering, documents through their states, Hacienda's
//! answers and the retry queue. Documents and answers are kept as the engine hands them over
//! (JSON and XML text); this module knows states and numbers, not the XML.

use chrono::{DateTime, Utc};

use crate::{Result, Store, StoreError};

/// The issuing company of a Hacienda connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuerRecord {
    pub connection_id: i64,
    /// The issuer as JSON (the e-invoice library's `Issuer`).
    pub issuer: String,
    pub branch: u16,
    pub terminal: u32,
    pub provider_id: String,
    /// The .p12 file's path inside the data folder.
    pub certificate_file: Option<String>,
    /// What the certificate says (subject, validity), as JSON.
    pub certificate: Option<String>,
}

/// A document to store as a draft.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEinvoice {
    pub doc_type: String,
    pub source: String,
    pub external_ref: Option<String>,
    /// The draft as JSON.
    pub draft: String,
    pub receiver_name: Option<String>,
    pub receiver_id: Option<String>,
    pub currency: String,
    pub total: String,
    pub total_value: f64,
    pub tax: String,
}

/// What generating a document produced, stored with the number it was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    pub clave: String,
    pub consecutivo: String,
    pub issued_at: DateTime<Utc>,
    pub xml: String,
}

/// One stored e-invoice.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct EinvoiceRecord {
    pub id: i64,
    pub connection_id: i64,
    pub doc_type: String,
    pub state: String,
    pub source: String,
    pub external_ref: Option<String>,
    pub draft: String,
    pub clave: Option<String>,
    pub consecutivo: Option<String>,
    pub issued_at: Option<DateTime<Utc>>,
    pub receiver_name: Option<String>,
    pub receiver_id: Option<String>,
    pub currency: String,
    pub total: String,
    pub tax: String,
    pub xml: Option<String>,
    pub signed_xml: Option<String>,
    pub signer: Option<String>,
    pub signed_at: Option<DateTime<Utc>>,
    pub submit_started_at: Option<DateTime<Utc>>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub decided_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One answer of Hacienda about a document, decoded by the engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewResponse {
    pub received_at: DateTime<Utc>,
    pub http_status: Option<u16>,
    pub state: String,
    pub raw_json: Option<String>,
    pub mensaje_xml: Option<String>,
    pub message_type: Option<u8>,
    pub detail: Option<String>,
    /// Parsed error lines as JSON.
    pub error_codes: String,
}

/// What an answer does to its document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerEffect {
    /// The document takes the answer's state; `decided` stamps the decision time.
    Moves { decided: bool },
    /// The answer is kept, but says nothing usable (unreadable): the document stays as it was.
    Informs,
}

/// A stored answer.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ResponseRecord {
    pub id: i64,
    pub einvoice_id: i64,
    pub clave: Option<String>,
    pub received_at: DateTime<Utc>,
    pub http_status: Option<i64>,
    pub state: String,
    pub raw_json: Option<String>,
    pub mensaje_xml: Option<String>,
    pub message_type: Option<i64>,
    pub detail: Option<String>,
    pub error_codes: String,
}

/// An entry of the retry queue.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RetryRecord {
    pub id: i64,
    pub einvoice_id: i64,
    pub clave: Option<String>,
    pub operation: String,
    pub category: String,
    pub attempts: i64,
    pub next_retry_at: DateTime<Utc>,
    pub priority: i64,
    pub state: String,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A failure to put on (or move along) the retry queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryEntry {
    pub einvoice_id: i64,
    pub operation: String,
    pub category: String,
    pub attempts: u32,
    /// `None`: attempts are used up, the entry is failed.
    pub next_retry_at: Option<DateTime<Utc>>,
    pub priority: i64,
    pub last_error: String,
}

const EINVOICE_COLUMNS: &str = "SELECT id, connection_id, doc_type, state, source, external_ref, \
     draft, clave, consecutivo, issued_at, receiver_name, receiver_id, currency, total, tax, xml, \
     signed_xml, signer, signed_at, submit_started_at, submitted_at, decided_at, last_error, \
     created_at, updated_at FROM einvoice";

impl Store {
    /// Saves the issuing company of a connection (the certificate is set apart).
    pub async fn save_issuer(&self, r: &IssuerRecord, now: DateTime<Utc>) -> Result<()> {
        let branch = i64::from(r.branch);
        let terminal = i64::from(r.terminal);
        sqlx::query!(
            "INSERT INTO einvoice_issuer (connection_id, issuer, branch, terminal, provider_id,
                 updated_at) VALUES (?, ?, ?, ?, ?, ?)
             ON CONFLICT (connection_id) DO UPDATE SET issuer = excluded.issuer,
                 branch = excluded.branch, terminal = excluded.terminal,
                 provider_id = excluded.provider_id, updated_at = excluded.updated_at",
            r.connection_id,
            r.issuer,
            branch,
            terminal,
            r.provider_id,
            now
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Records the connection's signing certificate (file inside the data folder and summary).
    pub async fn set_issuer_certificate(
        &self,
        connection_id: i64,
        file: &str,
        summary: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let done = sqlx::query!(
            "UPDATE einvoice_issuer SET certificate_file = ?, certificate = ?, updated_at = ?
             WHERE connection_id = ?",
            file,
            summary,
            now,
            connection_id
        )
        .execute(&self.pool)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound {
                what: "issuer of connection",
                id: connection_id,
            });
        }
        Ok(())
    }

    /// The issuing company of a connection, if one was saved.
    pub async fn issuer(&self, connection_id: i64) -> Result<Option<IssuerRecord>> {
        let row = sqlx::query!(
            "SELECT connection_id, issuer, branch, terminal, provider_id, certificate_file,
                 certificate FROM einvoice_issuer WHERE connection_id = ?",
            connection_id
        )
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| IssuerRecord {
            connection_id: r.connection_id,
            issuer: r.issuer,
            branch: u16::try_from(r.branch).unwrap_or(1),
            terminal: u32::try_from(r.terminal).unwrap_or(1),
            provider_id: r.provider_id,
            certificate_file: r.certificate_file,
            certificate: r.certificate,
        }))
    }

    /// Stores drafts in one transaction: all or none. A draft whose source and external
    /// reference are already stored is skipped (a file imported twice adds nothing).
    /// Returns the new ids and how many were skipped.
    pub async fn insert_einvoices(
        &self,
        connection_id: i64,
        docs: &[NewEinvoice],
        now: DateTime<Utc>,
    ) -> Result<(Vec<i64>, u64)> {
        let mut tx = self.write_transaction().await?;
        let mut ids = Vec::with_capacity(docs.len());
        let mut skipped = 0;
        for d in docs {
            let id = sqlx::query_scalar!(
                r#"INSERT INTO einvoice (connection_id, doc_type, state, source, external_ref,
                       draft, receiver_name, receiver_id, currency, total, total_value, tax,
                       created_at, updated_at)
                   VALUES (?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (connection_id, source, external_ref) DO NOTHING
                   RETURNING id AS "id!""#,
                connection_id,
                d.doc_type,
                d.source,
                d.external_ref,
                d.draft,
                d.receiver_name,
                d.receiver_id,
                d.currency,
                d.total,
                d.total_value,
                d.tax,
                now,
                now
            )
            .fetch_optional(&mut *tx)
            .await;
            match id {
                Ok(Some(id)) => ids.push(id),
                Ok(None) => skipped += 1,
                Err(e) => {
                    tx.rollback().await?;
                    return Err(e.into());
                }
            }
        }
        tx.commit().await?;
        Ok((ids, skipped))
    }

    /// Gives a draft its number and stores what `build` made from it, in one transaction: if
    /// `build` fails, the number is not used (numbering has no gaps) and the draft is unchanged.
    /// A document that already has a clave keeps it (returns `Ok(Ok(false))`).
    pub async fn generate_einvoice<E>(
        &self,
        id: i64,
        now: DateTime<Utc>,
        build: impl FnOnce(u64) -> std::result::Result<Generated, E>,
    ) -> Result<std::result::Result<bool, E>> {
        let mut tx = self.write_transaction().await?;
        let doc = sqlx::query!(
            "SELECT e.connection_id, e.doc_type, e.clave, i.branch, i.terminal
             FROM einvoice e JOIN einvoice_issuer i ON i.connection_id = e.connection_id
             WHERE e.id = ?",
            id
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound {
            what: "e-invoice (or its issuer)",
            id,
        })?;
        if doc.clave.is_some() {
            tx.rollback().await?;
            return Ok(Ok(false));
        }
        let number = sqlx::query_scalar!(
            r#"INSERT INTO einvoice_sequence (connection_id, doc_type, branch, terminal,
                   last_number) VALUES (?, ?, ?, ?, 1)
               ON CONFLICT (connection_id, doc_type, branch, terminal)
                   DO UPDATE SET last_number = last_number + 1
               RETURNING last_number AS "n!: i64""#,
            doc.connection_id,
            doc.doc_type,
            doc.branch,
            doc.terminal
        )
        .fetch_one(&mut *tx)
        .await?;
        let generated = match build(u64::try_from(number).unwrap_or(0)) {
            Ok(g) => g,
            Err(e) => {
                tx.rollback().await?; // the number is given back
                return Ok(Err(e));
            }
        };
        sqlx::query!(
            "UPDATE einvoice SET state = 'generated', clave = ?, consecutivo = ?, issued_at = ?,
                 xml = ?, last_error = NULL, updated_at = ? WHERE id = ?",
            generated.clave,
            generated.consecutivo,
            generated.issued_at,
            generated.xml,
            now,
            id
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Ok(true))
    }

    /// Stores the signed XML; only a generated (or re-signed) document that was not sent.
    pub async fn mark_signed(
        &self,
        id: i64,
        signed_xml: &str,
        signer: &str,
        at: DateTime<Utc>,
    ) -> Result<bool> {
        let done = sqlx::query!(
            "UPDATE einvoice SET state = 'signed', signed_xml = ?, signer = ?, signed_at = ?,
                 last_error = NULL, updated_at = ?
             WHERE id = ? AND state IN ('generated', 'signed') AND submit_started_at IS NULL",
            signed_xml,
            signer,
            at,
            at,
            id
        )
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Notes, before sending, that a submission is about to go out. Committed first, so a run
    /// killed after this point asks Hacienda about the clave before ever sending it again.
    /// Returns whether this is the first attempt (`false`: one went out before, maybe).
    pub async fn begin_submit(&self, id: i64, at: DateTime<Utc>) -> Result<bool> {
        let first = sqlx::query_scalar!(
            r#"UPDATE einvoice SET submit_started_at = IFNULL(submit_started_at, ?), updated_at = ?
               WHERE id = ? AND state = 'signed'
               RETURNING submit_started_at = ? AS "first!: bool""#,
            at,
            at,
            id,
            at
        )
        .fetch_optional(&self.pool)
        .await?;
        first.ok_or(StoreError::Conflict(format!(
            "e-invoice {id} is not signed and waiting to be sent"
        )))
    }

    /// Hacienda has the document.
    pub async fn mark_submitted(&self, id: i64, at: DateTime<Utc>) -> Result<()> {
        sqlx::query!(
            "UPDATE einvoice SET state = 'submitted', submitted_at = IFNULL(submitted_at, ?),
                 last_error = NULL, updated_at = ?
             WHERE id = ? AND state IN ('signed', 'submitted')",
            at,
            at,
            id
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Hacienda does not have the document after all (asked after an uncertain attempt):
    /// it may be sent.
    pub async fn clear_submit_attempt(&self, id: i64, at: DateTime<Utc>) -> Result<()> {
        sqlx::query!(
            "UPDATE einvoice SET submit_started_at = NULL, updated_at = ?
             WHERE id = ? AND state = 'signed'",
            at,
            id
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Records an answer (when `keep` — the company's "store responses" setting) and applies
    /// its effect on the document.
    pub async fn record_response(
        &self,
        id: i64,
        response: &NewResponse,
        keep: bool,
        effect: AnswerEffect,
    ) -> Result<()> {
        let mut tx = self.write_transaction().await?;
        if keep {
            let status = response.http_status.map(i64::from);
            let message_type = response.message_type.map(i64::from);
            sqlx::query!(
                "INSERT INTO einvoice_response (einvoice_id, received_at, http_status, state,
                     raw_json, mensaje_xml, message_type, detail, error_codes)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                id,
                response.received_at,
                status,
                response.state,
                response.raw_json,
                response.mensaje_xml,
                message_type,
                response.detail,
                response.error_codes
            )
            .execute(&mut *tx)
            .await?;
        }
        match effect {
            AnswerEffect::Moves { decided } => {
                let decided = decided.then_some(response.received_at);
                sqlx::query!(
                    "UPDATE einvoice SET state = ?, decided_at = IFNULL(?, decided_at),
                         submitted_at = IFNULL(submitted_at, ?), updated_at = ? WHERE id = ?",
                    response.state,
                    decided,
                    response.received_at,
                    response.received_at,
                    id
                )
                .execute(&mut *tx)
                .await?;
            }
            AnswerEffect::Informs => {
                sqlx::query!(
                    "UPDATE einvoice SET last_error = ?, updated_at = ? WHERE id = ?",
                    response.detail,
                    response.received_at,
                    id
                )
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// Records a failure on the document (its state unchanged).
    pub async fn set_einvoice_error(&self, id: i64, error: &str, at: DateTime<Utc>) -> Result<()> {
        sqlx::query!(
            "UPDATE einvoice SET last_error = ?, updated_at = ? WHERE id = ?",
            error,
            at,
            id
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// One document.
    pub async fn einvoice(&self, id: i64) -> Result<EinvoiceRecord> {
        sqlx::query_as::<_, EinvoiceRecord>(&format!("{EINVOICE_COLUMNS} WHERE id = ?"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound {
                what: "e-invoice",
                id,
            })
    }

    /// Documents of a connection in the given states (all states when empty), oldest first.
    pub async fn einvoices_in_states(
        &self,
        connection_id: i64,
        states: &[&str],
        limit: u32,
    ) -> Result<Vec<EinvoiceRecord>> {
        let mut q = sqlx::QueryBuilder::<sqlx::Sqlite>::new(EINVOICE_COLUMNS);
        q.push(" WHERE connection_id = ");
        q.push_bind(connection_id);
        push_states(&mut q, " AND state", states);
        q.push(" ORDER BY id LIMIT ");
        q.push_bind(i64::from(limit));
        Ok(q.build_query_as().fetch_all(&self.pool).await?)
    }

    /// Documents to ask Hacienda about: sent, not decided, sent after `since`; the ones asked
    /// about longest ago first.
    pub async fn einvoices_to_poll(
        &self,
        connection_id: i64,
        since: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<i64>> {
        let limit = i64::from(limit);
        Ok(sqlx::query_scalar!(
            r#"SELECT id AS "id!" FROM einvoice
               WHERE connection_id = ? AND state IN ('submitted', 'processing')
                   AND submitted_at >= ?
               ORDER BY updated_at, id LIMIT ?"#,
            connection_id,
            since,
            limit
        )
        .fetch_all(&self.pool)
        .await?)
    }

    /// Answers about a document, newest first.
    pub async fn einvoice_responses(&self, id: i64) -> Result<Vec<ResponseRecord>> {
        Ok(sqlx::query_as::<_, ResponseRecord>(
            "SELECT r.id, r.einvoice_id, e.clave, r.received_at, r.http_status, r.state,
                 r.raw_json, r.mensaje_xml, r.message_type, r.detail, r.error_codes
             FROM einvoice_response r JOIN einvoice e ON e.id = r.einvoice_id
             WHERE r.einvoice_id = ? ORDER BY r.received_at DESC, r.id DESC",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Deletes answers received before `cutoff`; returns how many.
    pub async fn delete_responses_before(&self, cutoff: DateTime<Utc>) -> Result<u64> {
        let done = sqlx::query!(
            "DELETE FROM einvoice_response WHERE received_at < ?",
            cutoff
        )
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }

    /// Puts a failure on the retry queue, or moves the document's open entry for the same
    /// operation along (one open entry per document and operation).
    pub async fn enqueue_retry(&self, e: &RetryEntry, now: DateTime<Utc>) -> Result<()> {
        let attempts = i64::from(e.attempts);
        let (state, next) = match e.next_retry_at {
            Some(at) => ("pending", at),
            None => ("failed", now),
        };
        let mut tx = self.write_transaction().await?;
        let updated = sqlx::query!(
            "UPDATE einvoice_retry SET category = ?, attempts = ?, next_retry_at = ?,
                 priority = ?, state = ?, last_error = ?, updated_at = ?
             WHERE einvoice_id = ? AND operation = ? AND state IN ('pending', 'processing')",
            e.category,
            attempts,
            next,
            e.priority,
            state,
            e.last_error,
            now,
            e.einvoice_id,
            e.operation
        )
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 0 {
            sqlx::query!(
                "INSERT INTO einvoice_retry (einvoice_id, operation, category, attempts,
                     next_retry_at, priority, state, last_error, created_at, updated_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                e.einvoice_id,
                e.operation,
                e.category,
                attempts,
                next,
                e.priority,
                state,
                e.last_error,
                now,
                now
            )
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Claims a connection's due entries (pending, next attempt reached), highest priority
    /// first, marking them processing.
    pub async fn claim_due_retries(
        &self,
        connection_id: i64,
        now: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<RetryRecord>> {
        let limit = i64::from(limit);
        let mut tx = self.write_transaction().await?;
        let ids = sqlx::query_scalar!(
            r#"SELECT q.id AS "id!" FROM einvoice_retry q JOIN einvoice e ON e.id = q.einvoice_id
               WHERE q.state = 'pending' AND q.next_retry_at <= ? AND e.connection_id = ?
               ORDER BY q.priority DESC, q.next_retry_at, q.id LIMIT ?"#,
            now,
            connection_id,
            limit
        )
        .fetch_all(&mut *tx)
        .await?;
        for id in &ids {
            sqlx::query!(
                "UPDATE einvoice_retry SET state = 'processing', updated_at = ? WHERE id = ?",
                now,
                id
            )
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.push(self.retry(id).await?);
        }
        Ok(out)
    }

    /// A connection's entries left processing (by a run that ended or a process that died)
    /// go back to pending.
    pub async fn release_processing_retries(
        &self,
        connection_id: i64,
        now: DateTime<Utc>,
    ) -> Result<u64> {
        let done = sqlx::query!(
            "UPDATE einvoice_retry SET state = 'pending', updated_at = ?
             WHERE state = 'processing'
                 AND einvoice_id IN (SELECT id FROM einvoice WHERE connection_id = ?)",
            now,
            connection_id
        )
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }

    /// Closes a document's open entry for an operation (it worked, or was settled otherwise).
    pub async fn finish_retry(
        &self,
        einvoice_id: i64,
        operation: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        sqlx::query!(
            "UPDATE einvoice_retry SET state = 'done', updated_at = ?
             WHERE einvoice_id = ? AND operation = ? AND state IN ('pending', 'processing')",
            now,
            einvoice_id,
            operation
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// One entry.
    pub async fn retry(&self, id: i64) -> Result<RetryRecord> {
        sqlx::query_as::<_, RetryRecord>(&format!("{RETRY_COLUMNS} WHERE q.id = ?"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound {
                what: "retry entry",
                id,
            })
    }

    /// The queue, newest change first; `states` empty means all.
    pub async fn list_retries(&self, states: &[&str], limit: u32) -> Result<Vec<RetryRecord>> {
        let mut q = sqlx::QueryBuilder::<sqlx::Sqlite>::new(RETRY_COLUMNS);
        push_states(&mut q, " WHERE q.state", states);
        q.push(" ORDER BY q.updated_at DESC, q.id DESC LIMIT ");
        q.push_bind(i64::from(limit));
        Ok(q.build_query_as().fetch_all(&self.pool).await?)
    }

    /// The open entry (pending or processing) of a document for an operation.
    pub async fn open_retry(
        &self,
        einvoice_id: i64,
        operation: &str,
    ) -> Result<Option<RetryRecord>> {
        Ok(sqlx::query_as::<_, RetryRecord>(&format!(
            "{RETRY_COLUMNS} WHERE q.einvoice_id = ? AND q.operation = ?
                 AND q.state IN ('pending', 'processing')"
        ))
        .bind(einvoice_id)
        .bind(operation)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// "Retry now": an open entry becomes due at once.
    pub async fn retry_now(&self, id: i64, now: DateTime<Utc>) -> Result<bool> {
        let done = sqlx::query!(
            "UPDATE einvoice_retry SET next_retry_at = ?, state = 'pending', updated_at = ?
             WHERE id = ? AND state IN ('pending', 'failed')",
            now,
            now,
            id
        )
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Cancels an open entry by hand.
    pub async fn cancel_retry(&self, id: i64, now: DateTime<Utc>) -> Result<bool> {
        let done = sqlx::query!(
            "UPDATE einvoice_retry SET state = 'cancelled', updated_at = ?
             WHERE id = ? AND state = 'pending'",
            now,
            id
        )
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Deletes done and failed entries last changed before `cutoff` (SPEC §5; cancelled ones
    /// stay as the record of a decision taken by hand).
    pub async fn delete_retries_before(&self, cutoff: DateTime<Utc>) -> Result<u64> {
        let done = sqlx::query!(
            "DELETE FROM einvoice_retry
             WHERE state IN ('done', 'failed') AND updated_at < ?",
            cutoff
        )
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }
}

/// Appends `{column} IN (…)` with the states bound, unless `states` is empty (all states).
fn push_states(q: &mut sqlx::QueryBuilder<'_, sqlx::Sqlite>, column: &str, states: &[&str]) {
    if states.is_empty() {
        return;
    }
    q.push(column);
    q.push(" IN (");
    let mut list = q.separated(", ");
    for s in states {
        list.push_bind(s.to_string());
    }
    q.push(")");
}

const RETRY_COLUMNS: &str = "SELECT q.id, q.einvoice_id, e.clave, q.operation, q.category, \
     q.attempts, q.next_retry_at, q.priority, q.state, q.last_error, q.created_at, q.updated_at \
     FROM einvoice_retry q JOIN einvoice e ON e.id = q.einvoice_id";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::temp_store;

    async fn hacienda(store: &Store) -> i64 {
        let input = loket_core::ConnectionInput {
            id: None,
            name: "Hacienda".into(),
            kind: loket_core::ConnectionKind::Hacienda,
            base_url: "http://127.0.0.1/recepcion/v1/".into(),
            environment: loket_core::Environment::Staging,
            database: None,
            username: Some("cpf@stag".into()),
            protocol: None,
            timeout_ms: 5000,
            rate_limit_per_sec: 0.0,
            max_concurrent: 4,
            active: true,
            secret: None,
        };
        let id = store
            .save_connection(&input, false)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        store
            .save_issuer(
                &IssuerRecord {
                    connection_id: id,
                    issuer: "{}".into(),
                    branch: 1,
                    terminal: 1,
                    provider_id: "3101234567".into(),
                    certificate_file: None,
                    certificate: None,
                },
                Utc::now(),
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        id
    }

    fn draft(n: usize) -> NewEinvoice {
        NewEinvoice {
            doc_type: "01".into(),
            source: "csv".into(),
            external_ref: Some(format!("INV-{n}")),
            draft: "{}".into(),
            receiver_name: Some("Cliente".into()),
            receiver_id: Some("114480790".into()),
            currency: "CRC".into(),
            total: "1130.00000".into(),
            total_value: 1130.0,
            tax: "130.00000".into(),
        }
    }

    fn generated(n: u64) -> Generated {
        Generated {
            clave: format!("clave-{n}"),
            consecutivo: format!("{n:020}"),
            issued_at: Utc::now(),
            xml: "<x/>".into(),
        }
    }

    #[tokio::test]
    async fn numbers_never_repeat_across_concurrent_runs_and_failures_give_theirs_back() {
        let (store, _dir) = temp_store().await;
        let conn = hacienda(&store).await;
        let drafts: Vec<NewEinvoice> = (0..40).map(draft).collect();
        let (ids, skipped) = store
            .insert_einvoices(conn, &drafts, Utc::now())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((ids.len(), skipped), (40, 0));
        // The same file again adds nothing.
        let (again, skipped) = store
            .insert_einvoices(conn, &drafts[..5], Utc::now())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((again.len(), skipped), (0, 5));

        // A build that fails uses no number.
        let failed = store
            .generate_einvoice(ids[0], Utc::now(), |_| Err("receiver missing"))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(failed, Err("receiver missing"));

        // Two runs at once over the same documents: every document gets one number, none twice.
        let run = |store: Store, ids: Vec<i64>| {
            tokio::spawn(async move {
                for id in ids {
                    store
                        .generate_einvoice(id, Utc::now(), |n| Ok::<_, ()>(generated(n)))
                        .await
                        .unwrap_or_else(|e| panic!("{e}"))
                        .unwrap_or_else(|()| panic!("build"));
                }
            })
        };
        let a = run(store.clone(), ids.clone());
        let b = run(store.clone(), ids.iter().rev().copied().collect());
        a.await.unwrap_or_else(|e| panic!("{e}"));
        b.await.unwrap_or_else(|e| panic!("{e}"));
        let mut numbers = Vec::new();
        for id in &ids {
            let doc = store.einvoice(*id).await.unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(doc.state, "generated");
            numbers.push(doc.consecutivo.unwrap_or_default());
        }
        numbers.sort();
        let expected: Vec<String> = (1..=40u64).map(|n| format!("{n:020}")).collect();
        assert_eq!(numbers, expected, "1 to 40, no gaps, no repeats");
    }

    #[tokio::test]
    async fn a_submission_is_noted_before_it_goes_out() {
        let (store, _dir) = temp_store().await;
        let conn = hacienda(&store).await;
        let (ids, _) = store
            .insert_einvoices(conn, &[draft(1)], Utc::now())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let id = ids[0];
        assert!(
            store.begin_submit(id, Utc::now()).await.is_err(),
            "not signed yet"
        );
        let _ = store
            .generate_einvoice(id, Utc::now(), |n| Ok::<_, ()>(generated(n)))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(store
            .mark_signed(id, "<signed/>", "CN=Test", Utc::now())
            .await
            .unwrap_or(false));
        let t1 = Utc::now();
        assert!(
            store.begin_submit(id, t1).await.unwrap_or(false),
            "first attempt"
        );
        let t2 = t1 + chrono::Duration::seconds(5);
        assert!(
            !store.begin_submit(id, t2).await.unwrap_or(true),
            "in doubt: ask first"
        );
        assert!(
            !store
                .mark_signed(id, "<again/>", "CN=Test", t2)
                .await
                .unwrap_or(true),
            "a document that may have gone out is not signed again"
        );
        store
            .mark_submitted(id, t2)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            store.einvoice(id).await.map(|d| d.state).ok().as_deref(),
            Some("submitted")
        );
    }

    #[tokio::test]
    async fn the_retry_queue_keeps_one_open_entry_and_honours_priority() {
        let (store, _dir) = temp_store().await;
        let conn = hacienda(&store).await;
        let (ids, _) = store
            .insert_einvoices(conn, &[draft(1), draft(2)], Utc::now())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let now = Utc::now();
        let entry = |id, attempts, next, priority| RetryEntry {
            einvoice_id: id,
            operation: "submit".into(),
            category: "server".into(),
            attempts,
            next_retry_at: next,
            priority,
            last_error: "HTTP 503".into(),
        };
        store
            .enqueue_retry(&entry(ids[0], 1, Some(now), 0), now)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        store
            .enqueue_retry(&entry(ids[0], 2, Some(now), 0), now)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        store
            .enqueue_retry(&entry(ids[1], 1, Some(now), 5), now)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let open = store
            .list_retries(&["pending"], 10)
            .await
            .unwrap_or_default();
        assert_eq!(open.len(), 2, "one open entry per document and operation");
        let due = store
            .claim_due_retries(conn, now, 10)
            .await
            .unwrap_or_default();
        assert_eq!(
            due.iter().map(|r| r.einvoice_id).collect::<Vec<_>>(),
            vec![ids[1], ids[0]]
        );
        assert!(store
            .claim_due_retries(conn, now, 10)
            .await
            .unwrap_or_default()
            .is_empty());
        store
            .finish_retry(ids[1], "submit", now)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        // Out of attempts: failed, then retried by hand, then cancelled.
        store
            .enqueue_retry(&entry(ids[0], 5, None, 0), now)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let failed = store
            .list_retries(&["failed"], 10)
            .await
            .unwrap_or_default();
        assert_eq!(failed.len(), 1);
        assert!(store.retry_now(failed[0].id, now).await.unwrap_or(false));
        assert!(store.cancel_retry(failed[0].id, now).await.unwrap_or(false));
        let later = now + chrono::Duration::days(31);
        assert_eq!(
            store.delete_retries_before(later).await.unwrap_or(0),
            1,
            "the done one"
        );
    }
}
