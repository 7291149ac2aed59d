//! What the e-invoice screens ask for and get back: the search shared by list, kanban, pivot
//! and graph; rows and the form; Hacienda's answers; the retry queue; bulk-run plans and
//! results; the dashboard.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::einvoice::{BatchPlan, DocumentState, PendingAge, RetryOperation, RetryState};
use crate::error_category::ErrorCategory;
use crate::job::{Batching, JobKind};
use crate::permit_view::DateInterval;

/// A field e-invoices can be grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum EinvoiceField {
    State,
    DocType,
    Receiver,
    Currency,
    Source,
    /// The issue date (generation); documents not yet generated have none.
    IssuedDate,
    CreatedDate,
}

impl EinvoiceField {
    /// Whether the field is a date (grouped by month, quarter or year).
    pub fn is_date(self) -> bool {
        matches!(self, Self::IssuedDate | Self::CreatedDate)
    }
}

/// One level of grouping; `interval` applies to date fields only (month when absent).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub struct EinvoiceGroupBy {
    pub field: EinvoiceField,
    pub interval: Option<DateInterval>,
}

/// A group chosen by the user (a pivot cell, a kanban column): its key, or `None` for
/// documents without a value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct EinvoiceGroupKey {
    pub group_by: EinvoiceGroupBy,
    pub key: Option<String>,
}

/// The search shared by every e-invoice view, and the selection of a bulk run made by filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct EinvoiceFilter {
    /// Words matched in number (consecutivo), clave, receiver name and id, and reference.
    pub search: Option<String>,
    pub state: Vec<DocumentState>,
    /// Document type codes: "01" invoice, "02" debit note, "03" credit note, "04" ticket.
    pub doc_type: Vec<String>,
    #[ts(type = "number | null")]
    pub connection_id: Option<i64>,
    /// Issued (or, before issue, created) on or after this day.
    pub from: Option<NaiveDate>,
    /// Issued (or created) on or before this day.
    pub to: Option<NaiveDate>,
    /// Documents whose answers carry this Hacienda error code.
    pub error_code: Option<String>,
    pub groups: Vec<EinvoiceGroupKey>,
}

/// Columns the list sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum EinvoiceSortField {
    Consecutivo,
    IssuedAt,
    Receiver,
    Total,
    State,
    #[default]
    CreatedAt,
    UpdatedAt,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct EinvoiceSort {
    pub field: EinvoiceSortField,
    pub descending: bool,
}

/// One page of the list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct EinvoiceQuery {
    pub filter: EinvoiceFilter,
    pub sort: EinvoiceSort,
    pub offset: u32,
    pub limit: u32,
}

/// An e-invoice as the views show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct EinvoiceRow {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub connection_id: i64,
    pub connection_name: String,
    pub doc_type: String,
    pub state: DocumentState,
    pub source: String,
    pub external_ref: Option<String>,
    pub clave: Option<String>,
    pub consecutivo: Option<String>,
    pub issued_at: Option<DateTime<Utc>>,
    pub receiver_name: Option<String>,
    pub receiver_id: Option<String>,
    pub currency: String,
    /// Exact decimal text.
    pub total: String,
    pub tax: String,
    pub signed_at: Option<DateTime<Utc>>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub decided_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// For an issued document waiting to be sent (generated or signed): its age and how it
    /// stands against the office's sending target.
    pub pending: Option<PendingAge>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct EinvoiceList {
    pub rows: Vec<EinvoiceRow>,
    #[ts(type = "number")]
    pub total: u64,
}

/// One group of documents: how many, and what they add up to (in their own currencies,
/// summed as numbers: a quick measure, not accounting).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct EinvoiceGroup {
    pub key: Option<String>,
    #[ts(type = "number")]
    pub count: u64,
    pub total: f64,
    pub tax: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct EinvoicePivotQuery {
    pub filter: EinvoiceFilter,
    pub rows: Vec<EinvoiceGroupBy>,
    pub cols: Vec<EinvoiceGroupBy>,
}

/// One cell at full depth with every measure; collapsed headers are sums of their children.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct EinvoicePivotCell {
    pub row: Vec<Option<String>>,
    pub col: Vec<Option<String>>,
    #[ts(type = "number")]
    pub count: u64,
    pub total: f64,
    pub tax: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct EinvoicePivotResult {
    pub cells: Vec<EinvoicePivotCell>,
    /// More than the pivot cell limit: `cells` is empty, choose fewer group-bys.
    pub too_many: bool,
    #[ts(type = "number")]
    pub total: u64,
}

/// One line of an e-invoice, as the form shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct EinvoiceLineView {
    pub number: u32,
    pub code: Option<String>,
    pub description: String,
    pub quantity: String,
    pub unit: String,
    pub unit_price: String,
    pub discount: String,
    pub tax_rate: Option<String>,
    pub tax: String,
    pub total: String,
}

/// The party a document is made out to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PartyView {
    pub name: String,
    pub id_type: Option<String>,
    pub id_number: Option<String>,
    pub email: Option<String>,
}

/// One parsed line of a rejection: `[ codigo, mensaje, fila, columna ]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ErrorLineView {
    pub code: String,
    pub message: String,
    pub row: Option<u32>,
    pub column: Option<u32>,
}

/// One answer of Hacienda, as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ResponseRow {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub einvoice_id: i64,
    pub clave: Option<String>,
    pub consecutivo: Option<String>,
    pub receiver_name: Option<String>,
    pub received_at: DateTime<Utc>,
    pub http_status: Option<u16>,
    /// Hacienda's `ind-estado` as given (recibido, procesando, aceptado, rechazado, error), or
    /// what the engine made of an unreadable answer.
    pub state: String,
    /// MensajeHacienda's type: 1 accepted, 2 partially accepted, 3 rejected.
    pub message_type: Option<u8>,
    pub detail: Option<String>,
    pub error_codes: Vec<ErrorLineView>,
}

/// One answer in full: the raw JSON and the decoded MensajeHacienda, pretty-printed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ResponseDetail {
    pub response: ResponseRow,
    pub raw_json: Option<String>,
    pub mensaje_xml: Option<String>,
}

/// Which answers to list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ResponseFilter {
    pub state: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub message_type: Option<u8>,
    pub error_code: Option<String>,
    #[ts(type = "number | null")]
    pub einvoice_id: Option<i64>,
    pub offset: u32,
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ResponseList {
    pub rows: Vec<ResponseRow>,
    #[ts(type = "number")]
    pub total: u64,
}

/// An entry of the retry queue, as the queue screens show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RetryRow {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub einvoice_id: i64,
    pub consecutivo: Option<String>,
    pub clave: Option<String>,
    pub receiver_name: Option<String>,
    pub operation: RetryOperation,
    pub category: ErrorCategory,
    pub attempts: u32,
    pub max_attempts: u32,
    pub next_retry_at: DateTime<Utc>,
    #[ts(type = "number")]
    pub priority: i64,
    pub state: RetryState,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Which queue entries to list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RetryFilter {
    pub state: Vec<RetryState>,
    pub category: Option<ErrorCategory>,
    pub operation: Option<RetryOperation>,
    pub limit: u32,
}

/// How many queue entries are in a state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RetryStateCount {
    pub state: RetryState,
    #[ts(type = "number")]
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RetryList {
    pub rows: Vec<RetryRow>,
    /// Counts per state over the category and operation filter (every state listed).
    pub counts: Vec<RetryStateCount>,
}

/// The signature of a signed document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SignatureView {
    pub signer: Option<String>,
    pub signed_at: Option<DateTime<Utc>>,
}

/// Everything the e-invoice form shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct EinvoiceDetail {
    pub row: EinvoiceRow,
    pub issuer: Option<PartyView>,
    pub receiver: Option<PartyView>,
    pub lines: Vec<EinvoiceLineView>,
    pub subtotal: String,
    pub discount: String,
    pub notes: Option<String>,
    /// The signed XML when signed, else the generated one.
    pub xml: Option<String>,
    pub signature: Option<SignatureView>,
    pub responses: Vec<ResponseRow>,
    pub retries: Vec<RetryRow>,
    /// Whether a submission was started (then it is only ever asked about, never resent).
    pub submit_attempted: bool,
}

/// The bulk runs the wizards start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BulkKind {
    Sign,
    Submit,
    Status,
}

impl BulkKind {
    /// The job that carries out the run.
    pub fn job(self) -> JobKind {
        match self {
            Self::Sign => JobKind::EinvoiceSign,
            Self::Submit => JobKind::EinvoiceSubmit,
            Self::Status => JobKind::EinvoiceStatus,
        }
    }

    /// The states a document must be in for the run to work on it.
    pub fn eligible_states(self) -> &'static [DocumentState] {
        match self {
            Self::Sign => &[DocumentState::Draft, DocumentState::Generated],
            Self::Submit => &[DocumentState::Signed],
            Self::Status => &[DocumentState::Submitted, DocumentState::Processing],
        }
    }
}

/// What a bulk run works on: chosen rows, or everything a filter finds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum BulkSelection {
    Ids {
        #[ts(type = "number[]")]
        ids: Vec<i64>,
    },
    Filter {
        filter: EinvoiceFilter,
    },
}

/// How many selected documents are in a state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StateCount {
    pub state: DocumentState,
    #[ts(type = "number")]
    pub count: u64,
}

/// What the wizard's review step shows before a bulk run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct BulkPlan {
    pub kind: BulkKind,
    /// The Hacienda connection the documents belong to (one per run).
    #[ts(type = "number | null")]
    pub connection_id: Option<i64>,
    pub connection_name: Option<String>,
    /// Selected documents per state.
    pub by_state: Vec<StateCount>,
    /// Documents the run will work on.
    #[ts(type = "number")]
    pub eligible: u64,
    /// Selected documents the run will leave alone (wrong state).
    #[ts(type = "number")]
    pub skipped: u64,
    /// Selected documents of other connections than `connection_id`: a run works on one.
    #[ts(type = "number")]
    pub other_connections: u64,
    /// The batching the run will use unless changed (from the settings).
    pub batching: Batching,
    /// The time estimate for `eligible` documents with `batching`.
    pub estimate: BatchPlan,
    /// Signing: whether the certificate's PIN is in the keyring (else the wizard asks for it).
    pub pin_stored: bool,
    /// Signing: the certificate, if any, and whether it is valid now.
    pub certificate: Option<CertificateSummary>,
}

/// The signing certificate as the wizard and settings show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CertificateSummary {
    pub subject: String,
    pub serial: String,
    pub not_before: DateTime<Utc>,
    pub not_after: DateTime<Utc>,
    /// Days until it expires (negative when expired).
    #[ts(type = "number")]
    pub days_left: i64,
}

/// What a bulk run did to one document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BulkOutcome {
    Done,
    Skipped,
    Retrying,
    Failed,
}

impl BulkOutcome {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Done => "done",
            Self::Skipped => "skipped",
            Self::Retrying => "retrying",
            Self::Failed => "failed",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Done, Self::Skipped, Self::Retrying, Self::Failed]
            .into_iter()
            .find(|o| o.as_str() == s)
    }
}

/// One document's line in a bulk run's summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BulkResult {
    #[ts(type = "number")]
    pub einvoice_id: i64,
    pub consecutivo: Option<String>,
    pub clave: Option<String>,
    pub receiver_name: Option<String>,
    pub outcome: BulkOutcome,
    /// The document's state after the step.
    pub state: DocumentState,
    pub message: Option<String>,
    /// For a rejection: its error lines.
    pub error_codes: Vec<ErrorLineView>,
}

/// Counts per state with their totals, for the dashboard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct StateTotal {
    pub state: DocumentState,
    #[ts(type = "number")]
    pub count: u64,
    pub total: f64,
}

/// What happened on one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DayActivity {
    pub day: NaiveDate,
    #[ts(type = "number")]
    pub signed: u64,
    #[ts(type = "number")]
    pub submitted: u64,
    #[ts(type = "number")]
    pub accepted: u64,
    #[ts(type = "number")]
    pub rejected: u64,
}

/// The dashboard's e-invoice cards.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct EinvoiceDashboard {
    pub by_state: Vec<StateTotal>,
    /// Accepted ÷ decided (accepted + rejected) over the last 30 days; `None` when none.
    pub acceptance_rate: Option<f64>,
    /// Mean seconds from submission to acceptance over the last 30 days.
    pub avg_accept_seconds: Option<f64>,
    /// Today (office time zone) and the 13 days before, oldest first.
    pub days: Vec<DayActivity>,
    /// Documents not yet sent (draft, generated, signed).
    #[ts(type = "number")]
    pub pending_submission: u64,
    /// The oldest issued document still waiting to be sent.
    pub oldest_pending_issued_at: Option<DateTime<Utc>>,
    /// The oldest waiting document's age against the sending target.
    pub oldest_pending: Option<PendingAge>,
    /// Issued documents waiting to be sent past the office's sending target.
    #[ts(type = "number")]
    pub pending_late: u64,
    /// Open entries of the retry queue (pending + processing) and finally failed ones.
    #[ts(type = "number")]
    pub retry_open: u64,
    #[ts(type = "number")]
    pub retry_failed: u64,
    /// The signing certificate closest to expiry, when one is set.
    pub certificate: Option<CertificateSummary>,
}
