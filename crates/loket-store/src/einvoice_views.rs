//! Reading e-invoices for the views: list pages, group counts with totals, pivot cells,
//! Hacienda's answers, the retry queue, bulk-run results and the dashboard. Grouping and
//! summing happen in SQLite, so a hundred thousand documents never cross into Rust.
//!
//! Dates are bucketed and filtered in Costa Rica's time (UTC−6 all year): the documents are
//! Costa Rican and their issue dates are printed in that time.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use loket_core::permit_view::{DateInterval, MAX_PAGE, MAX_PIVOT_CELLS};
use loket_core::{
    BulkOutcome, BulkResult, DayActivity, DocumentState, EinvoiceField, EinvoiceFilter,
    EinvoiceGroup, EinvoiceGroupBy, EinvoiceList, EinvoicePivotCell, EinvoicePivotQuery,
    EinvoicePivotResult, EinvoiceQuery, EinvoiceRow, EinvoiceSort, EinvoiceSortField,
    ErrorCategory, ErrorLineView, ResponseFilter, ResponseList, ResponseRow, RetryFilter,
    RetryList, RetryOperation, RetryRow, RetryState, RetryStateCount, StateTotal,
};
use sqlx::{QueryBuilder, Row, Sqlite};

use crate::{Result, Store};

/// Costa Rica's offset from UTC, in SQLite's modifier form and as a duration.
const CR_MODIFIER: &str = "'-6 hours'";
const CR_OFFSET_HOURS: i64 = -6;

const ROW_COLUMNS: &str = "SELECT e.id, e.connection_id, c.name AS connection_name, e.doc_type, \
     e.state, e.source, e.external_ref, e.clave, e.consecutivo, e.issued_at, e.receiver_name, \
     e.receiver_id, e.currency, e.total, e.tax, e.signed_at, e.submitted_at, e.decided_at, \
     e.last_error, e.created_at, e.updated_at";
const FROM: &str = " FROM einvoice e JOIN connection c ON c.id = e.connection_id";

#[derive(sqlx::FromRow)]
struct RawRow {
    id: i64,
    connection_id: i64,
    connection_name: String,
    doc_type: String,
    state: String,
    source: String,
    external_ref: Option<String>,
    clave: Option<String>,
    consecutivo: Option<String>,
    issued_at: Option<DateTime<Utc>>,
    receiver_name: Option<String>,
    receiver_id: Option<String>,
    currency: String,
    total: String,
    tax: String,
    signed_at: Option<DateTime<Utc>>,
    submitted_at: Option<DateTime<Utc>>,
    decided_at: Option<DateTime<Utc>>,
    last_error: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<RawRow> for EinvoiceRow {
    fn from(r: RawRow) -> Self {
        Self {
            id: r.id,
            connection_id: r.connection_id,
            connection_name: r.connection_name,
            doc_type: r.doc_type,
            // The table's CHECK allows only known states.
            state: DocumentState::parse(&r.state).unwrap_or(DocumentState::Error),
            source: r.source,
            external_ref: r.external_ref,
            clave: r.clave,
            consecutivo: r.consecutivo,
            issued_at: r.issued_at,
            receiver_name: r.receiver_name,
            receiver_id: r.receiver_id,
            currency: r.currency,
            total: r.total,
            tax: r.tax,
            signed_at: r.signed_at,
            submitted_at: r.submitted_at,
            decided_at: r.decided_at,
            last_error: r.last_error,
            created_at: r.created_at,
            updated_at: r.updated_at,
            // Reckoned by the engine, which knows the office's sending target.
            pending: None,
        }
    }
}

/// The SQL expression of a group-by's key.
fn group_expr(g: EinvoiceGroupBy) -> String {
    let date = |column: &str| {
        let local = format!("datetime({column}, {CR_MODIFIER})");
        match g.interval.unwrap_or_default() {
            DateInterval::Month => format!("substr({local}, 1, 7)"),
            DateInterval::Year => format!("substr({local}, 1, 4)"),
            DateInterval::Quarter => format!(
                "(substr({local}, 1, 4) || '-Q' || ((CAST(substr({local}, 6, 2) AS INTEGER) + 2) / 3))"
            ),
        }
    };
    match g.field {
        EinvoiceField::State => "e.state".into(),
        EinvoiceField::DocType => "e.doc_type".into(),
        EinvoiceField::Receiver => "e.receiver_name".into(),
        EinvoiceField::Currency => "e.currency".into(),
        EinvoiceField::Source => "e.source".into(),
        EinvoiceField::IssuedDate => date("e.issued_at"),
        EinvoiceField::CreatedDate => date("e.created_at"),
    }
}

/// The UTC instant a Costa Rican day starts.
fn cr_day_start(day: NaiveDate) -> DateTime<Utc> {
    day.and_time(NaiveTime::MIN).and_utc() - Duration::hours(CR_OFFSET_HOURS)
}

/// The Costa Rican day an instant falls on.
pub fn cr_day(at: DateTime<Utc>) -> NaiveDate {
    (at + Duration::hours(CR_OFFSET_HOURS)).date_naive()
}

fn escape_like(word: &str) -> String {
    let mut out = String::with_capacity(word.len() + 2);
    out.push('%');
    for ch in word.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out.push('%');
    out
}

fn push_in(q: &mut QueryBuilder<'_, Sqlite>, column: &str, values: Vec<String>) {
    if values.is_empty() {
        return;
    }
    q.push(format!(" AND {column} IN ("));
    let mut list = q.separated(", ");
    for v in values {
        list.push_bind(v);
    }
    q.push(")");
}

fn push_where(q: &mut QueryBuilder<'_, Sqlite>, f: &EinvoiceFilter) {
    q.push(" WHERE 1 = 1");
    for word in f.search.as_deref().unwrap_or("").split_whitespace().take(8) {
        let pattern = escape_like(word);
        q.push(" AND (");
        for (i, column) in [
            "e.consecutivo",
            "e.clave",
            "e.receiver_name",
            "e.receiver_id",
            "e.external_ref",
        ]
        .iter()
        .enumerate()
        {
            if i > 0 {
                q.push(" OR ");
            }
            q.push(format!("{column} LIKE "));
            q.push_bind(pattern.clone());
            q.push(" ESCAPE '\\'");
        }
        q.push(")");
    }
    push_in(
        q,
        "e.state",
        f.state.iter().map(|s| s.as_str().to_string()).collect(),
    );
    push_in(q, "e.doc_type", f.doc_type.clone());
    if let Some(id) = f.connection_id {
        q.push(" AND e.connection_id = ");
        q.push_bind(id);
    }
    if let Some(from) = f.from {
        q.push(" AND COALESCE(e.issued_at, e.created_at) >= ");
        q.push_bind(cr_day_start(from));
    }
    if let Some(to) = f.to.and_then(|d| d.succ_opt()) {
        q.push(" AND COALESCE(e.issued_at, e.created_at) < ");
        q.push_bind(cr_day_start(to));
    }
    if let Some(code) = f
        .error_code
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        q.push(
            " AND EXISTS (SELECT 1 FROM einvoice_response r, json_each(r.error_codes) j \
             WHERE r.einvoice_id = e.id AND CAST(json_extract(j.value, '$.code') AS TEXT) = ",
        );
        q.push_bind(code.to_string());
        q.push(")");
    }
    for g in &f.groups {
        let expr = group_expr(g.group_by);
        match &g.key {
            Some(key) => {
                q.push(format!(" AND {expr} = "));
                q.push_bind(key.clone());
            }
            None => {
                q.push(format!(" AND {expr} IS NULL"));
            }
        }
    }
}

fn order_by(sort: EinvoiceSort) -> String {
    let column = match sort.field {
        EinvoiceSortField::Consecutivo => "e.consecutivo",
        EinvoiceSortField::IssuedAt => "e.issued_at",
        EinvoiceSortField::Receiver => "e.receiver_name COLLATE NOCASE",
        EinvoiceSortField::Total => "e.total_value",
        EinvoiceSortField::State => "e.state",
        EinvoiceSortField::CreatedAt => "e.created_at",
        EinvoiceSortField::UpdatedAt => "e.updated_at",
    };
    let dir = if sort.descending { "DESC" } else { "ASC" };
    format!(" ORDER BY {column} {dir}, e.id {dir}")
}

/// A stored error line (`HaciendaErrorLine` as JSON).
#[derive(serde::Deserialize)]
struct StoredErrorLine {
    code: serde_json::Value,
    #[serde(default)]
    message: String,
    #[serde(default)]
    row: Option<i64>,
    #[serde(default)]
    column: Option<i64>,
}

/// The error lines of a stored answer; unreadable JSON reads as none.
pub(crate) fn error_lines(json: &str) -> Vec<ErrorLineView> {
    serde_json::from_str::<Vec<StoredErrorLine>>(json)
        .unwrap_or_default()
        .into_iter()
        .map(|l| ErrorLineView {
            code: match l.code {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            },
            message: l.message,
            row: l.row.and_then(|r| u32::try_from(r).ok()),
            column: l.column.and_then(|c| u32::try_from(c).ok()),
        })
        .collect()
}

const RESPONSE_COLUMNS: &str = "SELECT r.id, r.einvoice_id, e.clave, e.consecutivo, \
     e.receiver_name, r.received_at, r.http_status, r.state, r.message_type, r.detail, \
     r.error_codes FROM einvoice_response r JOIN einvoice e ON e.id = r.einvoice_id";

#[derive(sqlx::FromRow)]
struct RawResponse {
    id: i64,
    einvoice_id: i64,
    clave: Option<String>,
    consecutivo: Option<String>,
    receiver_name: Option<String>,
    received_at: DateTime<Utc>,
    http_status: Option<i64>,
    state: String,
    message_type: Option<i64>,
    detail: Option<String>,
    error_codes: String,
}

impl From<RawResponse> for ResponseRow {
    fn from(r: RawResponse) -> Self {
        Self {
            id: r.id,
            einvoice_id: r.einvoice_id,
            clave: r.clave,
            consecutivo: r.consecutivo,
            receiver_name: r.receiver_name,
            received_at: r.received_at,
            http_status: r.http_status.and_then(|s| u16::try_from(s).ok()),
            state: r.state,
            message_type: r.message_type.and_then(|t| u8::try_from(t).ok()),
            detail: r.detail,
            error_codes: error_lines(&r.error_codes),
        }
    }
}

fn push_response_where(q: &mut QueryBuilder<'_, Sqlite>, f: &ResponseFilter) {
    q.push(" WHERE 1 = 1");
    if let Some(state) = f.state.as_deref().filter(|s| !s.is_empty()) {
        q.push(" AND r.state = ");
        q.push_bind(state.to_string());
    }
    if let Some(from) = f.from {
        q.push(" AND r.received_at >= ");
        q.push_bind(cr_day_start(from));
    }
    if let Some(to) = f.to.and_then(|d| d.succ_opt()) {
        q.push(" AND r.received_at < ");
        q.push_bind(cr_day_start(to));
    }
    if let Some(t) = f.message_type {
        q.push(" AND r.message_type = ");
        q.push_bind(i64::from(t));
    }
    if let Some(code) = f
        .error_code
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        q.push(
            " AND EXISTS (SELECT 1 FROM json_each(r.error_codes) j \
             WHERE CAST(json_extract(j.value, '$.code') AS TEXT) = ",
        );
        q.push_bind(code.to_string());
        q.push(")");
    }
    if let Some(id) = f.einvoice_id {
        q.push(" AND r.einvoice_id = ");
        q.push_bind(id);
    }
}

const RETRY_ROW_COLUMNS: &str = "SELECT q.id, q.einvoice_id, e.consecutivo, e.clave, \
     e.receiver_name, q.operation, q.category, q.attempts, q.next_retry_at, q.priority, q.state, \
     q.last_error, q.created_at, q.updated_at \
     FROM einvoice_retry q JOIN einvoice e ON e.id = q.einvoice_id";

#[derive(sqlx::FromRow)]
struct RawRetry {
    id: i64,
    einvoice_id: i64,
    consecutivo: Option<String>,
    clave: Option<String>,
    receiver_name: Option<String>,
    operation: String,
    category: String,
    attempts: i64,
    next_retry_at: DateTime<Utc>,
    priority: i64,
    state: String,
    last_error: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl RawRetry {
    fn into_row(self, max_attempts: u32) -> RetryRow {
        RetryRow {
            id: self.id,
            einvoice_id: self.einvoice_id,
            consecutivo: self.consecutivo,
            clave: self.clave,
            receiver_name: self.receiver_name,
            operation: RetryOperation::parse(&self.operation).unwrap_or(RetryOperation::Poll),
            category: ErrorCategory::parse(&self.category),
            attempts: u32::try_from(self.attempts).unwrap_or(0),
            max_attempts,
            next_retry_at: self.next_retry_at,
            priority: self.priority,
            state: RetryState::parse(&self.state).unwrap_or(RetryState::Failed),
            last_error: self.last_error,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

fn push_retry_where(q: &mut QueryBuilder<'_, Sqlite>, f: &RetryFilter, with_states: bool) {
    q.push(" WHERE 1 = 1");
    if with_states {
        push_in(
            q,
            "q.state",
            f.state.iter().map(|s| s.as_str().to_string()).collect(),
        );
    }
    if let Some(c) = f.category {
        q.push(" AND q.category = ");
        q.push_bind(c.as_str());
    }
    if let Some(o) = f.operation {
        q.push(" AND q.operation = ");
        q.push_bind(o.as_str());
    }
}

/// One document's result in a bulk run, as the run's loop hands it over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRunResult {
    pub einvoice_id: i64,
    pub outcome: BulkOutcome,
    pub state: DocumentState,
    pub message: Option<String>,
}

/// The instants that split a run of Costa Rican days, for day counts.
fn day_bounds(first: NaiveDate, days: u32) -> Vec<(NaiveDate, DateTime<Utc>, DateTime<Utc>)> {
    (0..days)
        .filter_map(|i| {
            let day = first.checked_add_days(chrono::Days::new(u64::from(i)))?;
            let next = day.succ_opt()?;
            Some((day, cr_day_start(day), cr_day_start(next)))
        })
        .collect()
}

/// The dashboard's figures that come from the store.
#[derive(Debug, Clone, PartialEq)]
pub struct EinvoiceFigures {
    pub by_state: Vec<StateTotal>,
    pub accepted_recently: u64,
    pub rejected_recently: u64,
    pub avg_accept_seconds: Option<f64>,
    pub days: Vec<DayActivity>,
    pub pending_submission: u64,
    pub oldest_pending_issued_at: Option<DateTime<Utc>>,
    /// Issued documents waiting to be sent that were issued before the `late_before` given.
    pub pending_late: u64,
    pub retry_open: u64,
    pub retry_failed: u64,
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

impl Store {
    /// One page of e-invoices matching the search, and how many match in all.
    pub async fn list_einvoices(&self, query: &EinvoiceQuery) -> Result<EinvoiceList> {
        let mut c = QueryBuilder::<Sqlite>::new("SELECT COUNT(*) FROM einvoice e");
        push_where(&mut c, &query.filter);
        let total: i64 = c.build_query_scalar().fetch_one(&self.pool).await?;
        let mut q = QueryBuilder::<Sqlite>::new(ROW_COLUMNS);
        q.push(FROM);
        push_where(&mut q, &query.filter);
        q.push(order_by(query.sort));
        q.push(" LIMIT ");
        q.push_bind(i64::from(query.limit.clamp(1, MAX_PAGE)));
        q.push(" OFFSET ");
        q.push_bind(i64::from(query.offset));
        let rows: Vec<RawRow> = q.build_query_as().fetch_all(&self.pool).await?;
        Ok(EinvoiceList {
            rows: rows.into_iter().map(EinvoiceRow::from).collect(),
            total: count(total),
        })
    }

    /// The ids of every e-invoice matching the search (a bulk run's selection by filter), in
    /// creation order.
    pub async fn einvoice_ids_matching(&self, filter: &EinvoiceFilter) -> Result<Vec<i64>> {
        let mut q = QueryBuilder::<Sqlite>::new("SELECT e.id FROM einvoice e");
        push_where(&mut q, filter);
        q.push(" ORDER BY e.created_at, e.id");
        Ok(q.build_query_scalar().fetch_all(&self.pool).await?)
    }

    /// How many of the given documents each connection holds per state.
    pub async fn selection_states(&self, ids: &[i64]) -> Result<Vec<(i64, String, u64)>> {
        let ids = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
        let rows = sqlx::query!(
            r#"SELECT connection_id, state, COUNT(*) AS "n!: i64" FROM einvoice
               WHERE id IN (SELECT value FROM json_each(?)) GROUP BY connection_id, state"#,
            ids
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| (r.connection_id, r.state, count(r.n)))
            .collect())
    }

    /// Those of the given documents that belong to a connection and are in one of `states`,
    /// in creation order.
    pub async fn eligible_of(
        &self,
        ids: &[i64],
        connection_id: i64,
        states: &[DocumentState],
    ) -> Result<Vec<i64>> {
        let ids = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
        let states = serde_json::to_string(&states.iter().map(|s| s.as_str()).collect::<Vec<_>>())
            .unwrap_or_else(|_| "[]".into());
        Ok(sqlx::query_scalar!(
            r#"SELECT id AS "id!: i64" FROM einvoice
               WHERE id IN (SELECT value FROM json_each(?)) AND connection_id = ?
                 AND state IN (SELECT value FROM json_each(?))
               ORDER BY created_at, id"#,
            ids,
            connection_id,
            states
        )
        .fetch_all(&self.pool)
        .await?)
    }

    /// How many matching e-invoices each group holds, with their totals, largest first.
    pub async fn einvoice_groups(
        &self,
        filter: &EinvoiceFilter,
        group_by: EinvoiceGroupBy,
    ) -> Result<Vec<EinvoiceGroup>> {
        let expr = group_expr(group_by);
        let mut q = QueryBuilder::<Sqlite>::new(format!(
            "SELECT {expr} AS k, COUNT(*) AS n, TOTAL(e.total_value) AS total, \
             TOTAL(CAST(e.tax AS REAL)) AS tax FROM einvoice e"
        ));
        push_where(&mut q, filter);
        q.push(" GROUP BY k ORDER BY n DESC, k");
        let rows = q.build().fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                Ok(EinvoiceGroup {
                    key: r.try_get("k")?,
                    count: count(r.try_get("n")?),
                    total: r.try_get("total")?,
                    tax: r.try_get("tax")?,
                })
            })
            .collect()
    }

    /// Pivot cells at full depth: one per combination of row and column keys present.
    pub async fn einvoice_pivot(&self, query: &EinvoicePivotQuery) -> Result<EinvoicePivotResult> {
        let levels: Vec<String> = query
            .rows
            .iter()
            .chain(query.cols.iter())
            .map(|g| group_expr(*g))
            .collect();
        let mut select = String::from("SELECT COUNT(*) AS n, TOTAL(e.total_value) AS total, TOTAL(CAST(e.tax AS REAL)) AS tax");
        for (i, expr) in levels.iter().enumerate() {
            select.push_str(&format!(", {expr} AS k{i}"));
        }
        let mut q = QueryBuilder::<Sqlite>::new(select);
        q.push(" FROM einvoice e");
        push_where(&mut q, &query.filter);
        if !levels.is_empty() {
            let keys: Vec<String> = (0..levels.len()).map(|i| format!("k{i}")).collect();
            q.push(format!(" GROUP BY {}", keys.join(", ")));
        }
        q.push(" LIMIT ");
        q.push_bind(i64::try_from(MAX_PIVOT_CELLS + 1).unwrap_or(i64::MAX));
        let rows = q.build().fetch_all(&self.pool).await?;
        if rows.len() > MAX_PIVOT_CELLS {
            return Ok(EinvoicePivotResult {
                cells: Vec::new(),
                too_many: true,
                total: 0,
            });
        }
        let split = query.rows.len();
        let mut cells = Vec::with_capacity(rows.len());
        let mut total = 0u64;
        for r in &rows {
            let n = count(r.try_get("n")?);
            if n == 0 {
                continue;
            }
            let mut keys = Vec::with_capacity(levels.len());
            for i in 0..levels.len() {
                keys.push(r.try_get::<Option<String>, _>(format!("k{i}").as_str())?);
            }
            let col = keys.split_off(split);
            total += n;
            cells.push(EinvoicePivotCell {
                row: keys,
                col,
                count: n,
                total: r.try_get("total")?,
                tax: r.try_get("tax")?,
            });
        }
        Ok(EinvoicePivotResult {
            cells,
            too_many: false,
            total,
        })
    }

    /// One e-invoice as the views show it.
    pub async fn einvoice_row(&self, id: i64) -> Result<EinvoiceRow> {
        let raw: RawRow = sqlx::query_as(&format!("{ROW_COLUMNS}{FROM} WHERE e.id = ?"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(crate::StoreError::NotFound {
                what: "e-invoice",
                id,
            })?;
        Ok(raw.into())
    }

    /// Answers matching the filter, newest first, one page.
    pub async fn list_responses(&self, filter: &ResponseFilter) -> Result<ResponseList> {
        let mut c = QueryBuilder::<Sqlite>::new("SELECT COUNT(*) FROM einvoice_response r");
        push_response_where(&mut c, filter);
        let total: i64 = c.build_query_scalar().fetch_one(&self.pool).await?;
        let mut q = QueryBuilder::<Sqlite>::new(RESPONSE_COLUMNS);
        push_response_where(&mut q, filter);
        q.push(" ORDER BY r.received_at DESC, r.id DESC LIMIT ");
        q.push_bind(i64::from(filter.limit.clamp(1, MAX_PAGE)));
        q.push(" OFFSET ");
        q.push_bind(i64::from(filter.offset));
        let rows: Vec<RawResponse> = q.build_query_as().fetch_all(&self.pool).await?;
        Ok(ResponseList {
            rows: rows.into_iter().map(ResponseRow::from).collect(),
            total: count(total),
        })
    }

    /// One answer with its raw JSON and decoded message.
    pub async fn response_detail(
        &self,
        id: i64,
    ) -> Result<(ResponseRow, Option<String>, Option<String>)> {
        let raw: RawResponse = sqlx::query_as(&format!("{RESPONSE_COLUMNS} WHERE r.id = ?"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(crate::StoreError::NotFound { what: "answer", id })?;
        let extra = sqlx::query!(
            "SELECT raw_json, mensaje_xml FROM einvoice_response WHERE id = ?",
            id
        )
        .fetch_one(&self.pool)
        .await?;
        Ok((raw.into(), extra.raw_json, extra.mensaje_xml))
    }

    /// Queue entries matching the filter (next attempt first for waiting ones, newest change
    /// first otherwise), and counts per state over the filter without its states.
    pub async fn list_retry_rows(
        &self,
        filter: &RetryFilter,
        max_attempts: u32,
    ) -> Result<RetryList> {
        let mut q = QueryBuilder::<Sqlite>::new(RETRY_ROW_COLUMNS);
        push_retry_where(&mut q, filter, true);
        q.push(
            " ORDER BY CASE q.state WHEN 'pending' THEN 0 WHEN 'processing' THEN 0 ELSE 1 END, \
             CASE WHEN q.state IN ('pending', 'processing') THEN q.next_retry_at END, \
             q.updated_at DESC, q.id DESC LIMIT ",
        );
        q.push_bind(i64::from(filter.limit.clamp(1, MAX_PAGE)));
        let rows: Vec<RawRetry> = q.build_query_as().fetch_all(&self.pool).await?;
        let mut c =
            QueryBuilder::<Sqlite>::new("SELECT q.state AS s, COUNT(*) AS n FROM einvoice_retry q");
        push_retry_where(&mut c, filter, false);
        c.push(" GROUP BY q.state");
        let counted = c.build().fetch_all(&self.pool).await?;
        let mut counts: Vec<RetryStateCount> = RetryState::ALL
            .iter()
            .map(|s| RetryStateCount {
                state: *s,
                count: 0,
            })
            .collect();
        for r in &counted {
            let state: String = r.try_get("s")?;
            if let Some(slot) = counts.iter_mut().find(|c| c.state.as_str() == state) {
                slot.count = count(r.try_get("n")?);
            }
        }
        Ok(RetryList {
            rows: rows.into_iter().map(|r| r.into_row(max_attempts)).collect(),
            counts,
        })
    }

    /// Queue entries of one document, newest first.
    pub async fn einvoice_retry_rows(
        &self,
        einvoice_id: i64,
        max_attempts: u32,
    ) -> Result<Vec<RetryRow>> {
        let rows: Vec<RawRetry> = sqlx::query_as(&format!(
            "{RETRY_ROW_COLUMNS} WHERE q.einvoice_id = ? ORDER BY q.created_at DESC, q.id DESC"
        ))
        .bind(einvoice_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|r| r.into_row(max_attempts)).collect())
    }

    /// Answers about one document, newest first, as lists show them.
    pub async fn einvoice_response_rows(&self, einvoice_id: i64) -> Result<Vec<ResponseRow>> {
        let rows: Vec<RawResponse> = sqlx::query_as(&format!(
            "{RESPONSE_COLUMNS} WHERE r.einvoice_id = ? ORDER BY r.received_at DESC, r.id DESC"
        ))
        .bind(einvoice_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(ResponseRow::from).collect())
    }

    /// Records what a bulk run did to documents (a document's later result in the same run
    /// replaces its earlier one).
    pub async fn insert_run_results(&self, run_id: i64, results: &[NewRunResult]) -> Result<()> {
        if results.is_empty() {
            return Ok(());
        }
        let mut tx = self.write_transaction().await?;
        for r in results {
            let outcome = r.outcome.as_str();
            let state = r.state.as_str();
            let written = sqlx::query!(
                "INSERT OR REPLACE INTO einvoice_run_result (run_id, einvoice_id, outcome, state, message)
                 VALUES (?, ?, ?, ?, ?)",
                run_id,
                r.einvoice_id,
                outcome,
                state,
                r.message
            )
            .execute(&mut *tx)
            .await;
            if let Err(e) = written {
                tx.rollback().await?;
                return Err(e.into());
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// A bulk run's per-document results, failures first, with a rejection's error lines.
    pub async fn run_results(&self, run_id: i64) -> Result<Vec<BulkResult>> {
        let rows = sqlx::query!(
            r#"SELECT x.einvoice_id AS "einvoice_id!: i64", x.outcome, x.state, x.message,
                   e.consecutivo, e.clave, e.receiver_name,
                   (SELECT r.error_codes FROM einvoice_response r WHERE r.einvoice_id = e.id
                     ORDER BY r.received_at DESC, r.id DESC LIMIT 1) AS "error_codes?: String"
               FROM einvoice_run_result x JOIN einvoice e ON e.id = x.einvoice_id
               WHERE x.run_id = ?
               ORDER BY CASE x.outcome WHEN 'failed' THEN 0 WHEN 'retrying' THEN 1
                   WHEN 'skipped' THEN 3 ELSE 2 END, e.consecutivo, x.einvoice_id"#,
            run_id
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let state = DocumentState::parse(&r.state).unwrap_or(DocumentState::Error);
                BulkResult {
                    einvoice_id: r.einvoice_id,
                    consecutivo: r.consecutivo,
                    clave: r.clave,
                    receiver_name: r.receiver_name,
                    outcome: BulkOutcome::parse(&r.outcome).unwrap_or(BulkOutcome::Failed),
                    state,
                    message: r.message,
                    error_codes: if state == DocumentState::Rejected {
                        error_lines(r.error_codes.as_deref().unwrap_or("[]"))
                    } else {
                        Vec::new()
                    },
                }
            })
            .collect())
    }

    /// The dashboard's figures at `now`: rates over the last 30 days, activity over the 14
    /// Costa Rican days ending today.
    pub async fn einvoice_figures(
        &self,
        now: DateTime<Utc>,
        late_before: DateTime<Utc>,
    ) -> Result<EinvoiceFigures> {
        let by_state = sqlx::query!(
            r#"SELECT state, COUNT(*) AS "n!: i64", TOTAL(total_value) AS "total!: f64"
               FROM einvoice GROUP BY state"#
        )
        .fetch_all(&self.pool)
        .await?;
        let by_state = DocumentState::ALL
            .iter()
            .map(|s| {
                let found = by_state.iter().find(|r| r.state == s.as_str());
                StateTotal {
                    state: *s,
                    count: found.map_or(0, |r| count(r.n)),
                    total: found.map_or(0.0, |r| r.total),
                }
            })
            .collect::<Vec<_>>();

        let since = now - Duration::days(30);
        let decided = sqlx::query!(
            r#"SELECT COALESCE(SUM(state = 'accepted'), 0) AS "accepted!: i64",
                   COALESCE(SUM(state = 'rejected'), 0) AS "rejected!: i64",
                   AVG(CASE WHEN state = 'accepted' AND submitted_at IS NOT NULL
                       THEN (julianday(decided_at) - julianday(submitted_at)) * 86400.0 END)
                       AS "avg_seconds: f64"
               FROM einvoice INDEXED BY einvoice_decided
               WHERE decided_at IS NOT NULL AND decided_at >= ?"#,
            since
        )
        .fetch_one(&self.pool)
        .await?;

        let today = cr_day(now);
        let first = today - Duration::days(13);
        let mut days = Vec::with_capacity(14);
        for (day, lo, hi) in day_bounds(first, 14) {
            let r = sqlx::query!(
                r#"SELECT
                     (SELECT COUNT(*) FROM einvoice WHERE signed_at >= ?1 AND signed_at < ?2) AS "signed!: i64",
                     (SELECT COUNT(*) FROM einvoice WHERE submitted_at >= ?1 AND submitted_at < ?2) AS "submitted!: i64",
                     (SELECT COUNT(*) FROM einvoice INDEXED BY einvoice_decided
                        WHERE decided_at >= ?1 AND decided_at < ?2 AND state = 'accepted') AS "accepted!: i64",
                     (SELECT COUNT(*) FROM einvoice INDEXED BY einvoice_decided
                        WHERE decided_at >= ?1 AND decided_at < ?2 AND state = 'rejected') AS "rejected!: i64""#,
                lo,
                hi
            )
            .fetch_one(&self.pool)
            .await?;
            days.push(DayActivity {
                day,
                signed: count(r.signed),
                submitted: count(r.submitted),
                accepted: count(r.accepted),
                rejected: count(r.rejected),
            });
        }

        let pending = sqlx::query!(
            r#"SELECT COUNT(*) AS "n!: i64",
                   MIN(CASE WHEN state IN ('generated', 'signed') THEN issued_at END)
                       AS "oldest: DateTime<Utc>",
                   COALESCE(SUM(state IN ('generated', 'signed') AND issued_at < ?), 0)
                       AS "late!: i64"
               FROM einvoice WHERE state IN ('draft', 'generated', 'signed')"#,
            late_before
        )
        .fetch_one(&self.pool)
        .await?;
        let retries = sqlx::query!(
            r#"SELECT COALESCE(SUM(state IN ('pending', 'processing')), 0) AS "open!: i64",
                   COALESCE(SUM(state = 'failed'), 0) AS "failed!: i64"
               FROM einvoice_retry"#
        )
        .fetch_one(&self.pool)
        .await?;

        Ok(EinvoiceFigures {
            by_state,
            accepted_recently: count(decided.accepted),
            rejected_recently: count(decided.rejected),
            avg_accept_seconds: decided.avg_seconds,
            days,
            pending_submission: count(pending.n),
            oldest_pending_issued_at: pending.oldest,
            pending_late: count(pending.late),
            retry_open: count(retries.open),
            retry_failed: count(retries.failed),
        })
    }
}
