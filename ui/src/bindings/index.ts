// Generated from loket-engine's command list (cargo test -p loket-engine --test bindings). Do not edit.

export type ApiErrorCode = "validation" | "not_found" | "keyring" | "remote" | "busy" | "storage" | "internal";

export type FieldError = { field: string, message: string, };

export type ApiError = { code: ApiErrorCode, message: string, fields: Array<FieldError>, 
/**
 * The outside system's own words or a technical trace, shown under "details".
 */
details: string | null, };

export type ConnectionKind = "sicantik" | "odoo" | "hacienda";

export type Environment = "staging" | "production";

export type OdooProtocol = "xmlrpc" | "jsonrpc" | "json2";

export type ConnectionStats = { requests: number, errors: number, last_sync_at: string | null, last_duration_ms: number | null, };

export type Connection = { id: number, name: string, kind: ConnectionKind, base_url: string, environment: Environment, database: string | null, username: string | null, protocol: OdooProtocol | null, timeout_ms: number, rate_limit_per_sec: number, max_concurrent: number, active: boolean, 
/**
 * Whether the keyring holds a secret for this connection (the secret itself never leaves it).
 */
has_secret: boolean, created_at: string, updated_at: string, stats: ConnectionStats, };

export type ConnectionInput = { id: number | null, name: string, kind: ConnectionKind, base_url: string, environment: Environment, database: string | null, username: string | null, protocol: OdooProtocol | null, timeout_ms: number, rate_limit_per_sec: number, max_concurrent: number, active: boolean, secret: string | null, };

export type TestStep = "dns" | "connect" | "tls" | "timeout" | "http" | "protocol" | "auth" | "database" | "secret";

export type TestOutcome = { reachable: boolean, server_version: string | null, 
/**
 * `None` when the kind needs no login.
 */
authenticated: boolean | null, latency_ms: number, 
/**
 * Where it failed, if it did.
 */
failed_step: TestStep | null, 
/**
 * A plain-language reason on failure.
 */
reason: string | null, 
/**
 * The outside system's own words or the technical error.
 */
details: string | null, };

export type ErrorCategory = "transient" | "rate_limit" | "network" | "server" | "auth" | "validation" | "unknown";

export type JobKind = "permit_types" | "new_permits" | "expiry_sync" | "log_cleanup" | "database_backup" | "mark_expired" | "reminders" | "einvoice_sign" | "einvoice_submit" | "einvoice_status" | "einvoice_poll" | "einvoice_retries" | "einvoice_response_cleanup" | "einvoice_retry_cleanup" | "einvoice_certificate_check";

export type Schedule = { "kind": "daily", at: string, } | { "kind": "every", minutes: number, } | { "kind": "manual" };

export type RunStatus = "running" | "succeeded" | "partial" | "failed" | "cancelled" | "interrupted";

export type RunCounts = { created: number, updated: number, unchanged: number, failed: number, };

export type SyncRun = { id: number, job: JobKind, connection_id: number | null, connection_name: string | null, started_at: string, finished_at: string | null, status: RunStatus, counts: RunCounts, error: string | null, 
/**
 * "manual", "schedule" or "catch_up".
 */
trigger: string, };

export type JobInfo = { id: number, kind: JobKind, connection_id: number | null, connection_name: string | null, schedule: Schedule, enabled: boolean, running: boolean, last_run: SyncRun | null, next_due_at: string | null, };

export type Progress = { run_id: number, job: JobKind, connection_id: number | null, done: number, 
/**
 * `None` while the total is not known yet.
 */
total: number | null, 
/**
 * Records per second since the run started.
 */
rate_per_sec: number, eta_seconds: number | null, 
/**
 * What the job is doing now, e.g. "issued permits, page 3".
 */
stage: string, };

export type LogEntry = { id: number, connection_id: number, at: string, method: string, endpoint: string, 
/**
 * Request parameters with secrets replaced by "***".
 */
params: string | null, status: number | null, duration_ms: number, bytes: number, error_category: ErrorCategory | null, error: string | null, };

export type LogFilter = { connection_id: number | null, only_errors: boolean, endpoint_contains: string | null, limit: number | null, };

export type RunFilter = { connection_id: number | null, job: JobKind | null, limit: number | null, };

export type RunOptions = { 
/**
 * Handle at most this many records.
 */
limit: number | null, 
/**
 * Fetch again what is already known (expiry sync: every issued permit).
 */
refresh_all: boolean, 
/**
 * The records to work on (e-invoice ids); empty means every one in a state for the job.
 */
selection: number[], 
/**
 * Batching for this run instead of the company settings (bulk submit and status).
 */
batching: Batching | null, };

export type Batching = { batch_size: number, batch_delay_seconds: number, max_concurrent_batches: number, };

export type ExpirySyncPlan = { 
/**
 * Permits the run would look up.
 */
permits: number, rate_per_sec: number, max_concurrent: number, 
/**
 * Lower bound from the rate limit: permits ÷ rate.
 */
estimated_seconds: number, };

export type PermitStatus = "draft" | "in_process" | "active" | "expired" | "renewed" | "cancelled";

export type ExpiryStatus = "expired" | "critical" | "warning" | "ok" | "unknown";

export type PermitCategory = "permit" | "certificate";

export type PermitField = "expiry_status" | "status" | "permit_type" | "category" | "connection" | "received_date" | "issue_date" | "expiry_date";

export type DateInterval = "month" | "quarter" | "year";

export type GroupBy = { field: PermitField, interval: DateInterval | null, };

export type GroupKey = { group_by: GroupBy, key: string | null, };

export type PermitFilter = { 
/**
 * Words matched in registration id, permit number, applicant, company and type.
 */
search: string | null, expiry_status: Array<ExpiryStatus>, status: Array<PermitStatus>, permit_type: Array<string>, category: PermitCategory | null, connection_id: number | null, 
/**
 * 0 to N days left (expired ones excluded).
 */
expiring_within_days: number | null, groups: Array<GroupKey>, };

export type PermitSortField = "registration_id" | "permit_number" | "applicant" | "permit_type" | "received_date" | "issue_date" | "expiry_date" | "status" | "last_synced_at";

export type PermitSort = { field: PermitSortField, descending: boolean, };

export type PermitQuery = { filter: PermitFilter, sort: PermitSort, offset: number, limit: number, };

export type PermitRow = { id: number, connection_id: number | null, connection_name: string | null, registration_id: string, permit_number: string | null, applicant: string, permit_type_name: string, category: PermitCategory, company: string | null, received_date: string | null, issue_date: string | null, expiry_date: string | null, days_left: number | null, expiry_status: ExpiryStatus, status: PermitStatus, partner_id: number | null, renewal_in_progress: boolean, snoozed_until: string | null, last_synced_at: string, };

export type PermitList = { rows: Array<PermitRow>, total: number, };

export type GroupCount = { key: string | null, count: number, };

export type PivotQuery = { filter: PermitFilter, rows: Array<GroupBy>, cols: Array<GroupBy>, };

export type PivotCell = { row: Array<string | null>, col: Array<string | null>, count: number, };

export type PivotResult = { cells: Array<PivotCell>, 
/**
 * More than [`MAX_PIVOT_CELLS`] cells: `cells` is empty, choose fewer group-bys.
 */
too_many: boolean, total: number, };

export type PermitEvent = { at: string, kind: string, message: string, };

export type ReminderState = "sent" | "passed";

export type ReminderSent = { tier: number, expiry_date: string, state: ReminderState, at: string, };

export type RecordLink = { id: number, label: string, };

export type PermitDetail = { permit: PermitRow, npwp: string | null, phone: string | null, address: string | null, notes: string, remote_status: string | null, detail_error: string | null, renewal_of: RecordLink | null, renewed_by: RecordLink | null, partner: RecordLink | null, reminders: Array<ReminderSent>, history: Array<PermitEvent>, };

export type PermitEdit = { status: PermitStatus, notes: string, expiry_date: string | null, renewal_of_id: number | null, renewal_in_progress: boolean, snoozed_until: string | null, };

export type NewPermit = { applicant: string, permit_type_name: string, permit_number: string | null, status: PermitStatus, expiry_date: string | null, };

export type PermitTypeRow = { id: number, connection_name: string | null, remote_id: string | null, name: string, code: string | null, category: PermitCategory, ladder: Array<number>, permit_count: number, };

export type PermitTypeEdit = { category: PermitCategory, ladder: Array<number>, };

export type PartnerRow = { id: number, name: string, company: string | null, 
/**
 * As the permit office gave it.
 */
phone: string | null, 
/**
 * E.164, when the number could be normalised.
 */
whatsapp: string | null, 
/**
 * Why the number could not be used for WhatsApp.
 */
whatsapp_problem: string | null, opt_in: boolean, opt_changed_at: string | null, permit_count: number, };

export type PartnerEdit = { name: string, whatsapp: string | null, opt_in: boolean, };

export type ReminderItem = { id: number, permit_id: number, permit_number: string | null, applicant: string, permit_type_name: string, tier: number, expiry_date: string, days_left: number, sent_at: string, read: boolean, };

export type ExpiryCount = { status: ExpiryStatus, count: number, };

export type LastSync = { connection_id: number, connection_name: string, at: string | null, status: RunStatus | null, };

export type PermitDashboard = { by_expiry: Array<ExpiryCount>, expiring_soon: Array<PermitRow>, expiring_soon_count: number, last_sync: Array<LastSync>, unread_reminders: number, };

export type PermitFailure = { permit_id: number, permit_number: string | null, reason: string, };

export type ExportFormat = "csv" | "xlsx";

export type ExportCell = number | string | null;

export type ExportRequest = { 
/**
 * The file's name without folder; the extension is added when missing.
 */
file_name: string, format: ExportFormat, columns: Array<string>, rows: Array<Array<ExportCell>>, };

export type DocumentState = "draft" | "generated" | "signed" | "submitted" | "processing" | "accepted" | "rejected" | "error";

export type RetryOperation = "sign" | "submit" | "poll";

export type RetryState = "pending" | "processing" | "done" | "failed" | "cancelled";

export type EinvoiceSettings = { 
/**
 * Poll submitted documents for Hacienda's answer automatically.
 */
auto_poll: boolean, 
/**
 * Minutes between polling runs.
 */
poll_every_minutes: number, 
/**
 * Stop polling a document this many hours after it was submitted.
 */
poll_max_age_hours: number, 
/**
 * Documents asked about per polling run.
 */
poll_batch: number, 
/**
 * Documents per submit batch.
 */
batch_size: number, 
/**
 * Seconds between submit batches.
 */
batch_delay_seconds: number, 
/**
 * Submit batches running at once.
 */
max_concurrent_batches: number, 
/**
 * Retry failed operations automatically.
 */
auto_retry: boolean, 
/**
 * Attempts in all before an operation fails.
 */
max_attempts: number, 
/**
 * Keep every answer from Hacienda.
 */
store_responses: boolean, 
/**
 * Days a stored answer is kept.
 */
response_retention_days: number, 
/**
 * Hours after issue by which a document should have been sent: the office's own target
 * (the reference states no legal deadline), after which a waiting document shows as late.
 */
send_late_after_hours: number, 
/**
 * Hours before that target from which a waiting document shows a warning.
 */
send_warn_before_hours: number, };

export type BatchPlan = { documents: number, batches: number, 
/**
 * The lower bound set by the batch delay (SPEC §9): (batches ÷ concurrent − 1) × delay,
 * never below zero.
 */
delay_bound_secs: number, 
/**
 * The lower bound set by the rate limit (SPEC §9): requests ÷ rate + one latency.
 */
rate_bound_secs: number | null, 
/**
 * The lower bound set by latency: requests × latency ÷ batches in flight.
 */
latency_bound_secs: number, 
/**
 * The largest of the bounds: no run can be faster (the benchmark's bound).
 */
bound_secs: number, 
/**
 * The expected duration: the bound, plus sending the last batch after the last delay
 * when the delay dominates.
 */
estimated_secs: number, };

export type SendUrgency = "on_time" | "due_soon" | "late";

export type PendingAge = { 
/**
 * Seconds since the document was issued (0 if the issue time is in the future).
 */
age_seconds: number, urgency: SendUrgency, 
/**
 * When it would be late.
 */
late_at: string, };

export type EinvoiceField = "state" | "doc_type" | "receiver" | "currency" | "source" | "issued_date" | "created_date";

export type EinvoiceGroupBy = { field: EinvoiceField, interval: DateInterval | null, };

export type EinvoiceGroupKey = { group_by: EinvoiceGroupBy, key: string | null, };

export type EinvoiceFilter = { 
/**
 * Words matched in number (consecutivo), clave, receiver name and id, and reference.
 */
search: string | null, state: Array<DocumentState>, 
/**
 * Document type codes: "01" invoice, "02" debit note, "03" credit note, "04" ticket.
 */
doc_type: Array<string>, connection_id: number | null, 
/**
 * Issued (or, before issue, created) on or after this day.
 */
from: string | null, 
/**
 * Issued (or created) on or before this day.
 */
to: string | null, 
/**
 * Documents whose answers carry this Hacienda error code.
 */
error_code: string | null, groups: Array<EinvoiceGroupKey>, };

export type EinvoiceSortField = "consecutivo" | "issued_at" | "receiver" | "total" | "state" | "created_at" | "updated_at";

export type EinvoiceSort = { field: EinvoiceSortField, descending: boolean, };

export type EinvoiceQuery = { filter: EinvoiceFilter, sort: EinvoiceSort, offset: number, limit: number, };

export type EinvoiceRow = { id: number, connection_id: number, connection_name: string, doc_type: string, state: DocumentState, source: string, external_ref: string | null, clave: string | null, consecutivo: string | null, issued_at: string | null, receiver_name: string | null, receiver_id: string | null, currency: string, 
/**
 * Exact decimal text.
 */
total: string, tax: string, signed_at: string | null, submitted_at: string | null, decided_at: string | null, last_error: string | null, created_at: string, updated_at: string, 
/**
 * For an issued document waiting to be sent (generated or signed): its age and how it
 * stands against the office's sending target.
 */
pending: PendingAge | null, };

export type EinvoiceList = { rows: Array<EinvoiceRow>, total: number, };

export type EinvoiceGroup = { key: string | null, count: number, total: number, tax: number, };

export type EinvoicePivotQuery = { filter: EinvoiceFilter, rows: Array<EinvoiceGroupBy>, cols: Array<EinvoiceGroupBy>, };

export type EinvoicePivotCell = { row: Array<string | null>, col: Array<string | null>, count: number, total: number, tax: number, };

export type EinvoicePivotResult = { cells: Array<EinvoicePivotCell>, 
/**
 * More than the pivot cell limit: `cells` is empty, choose fewer group-bys.
 */
too_many: boolean, total: number, };

export type EinvoiceLineView = { number: number, code: string | null, description: string, quantity: string, unit: string, unit_price: string, discount: string, tax_rate: string | null, tax: string, total: string, };

export type PartyView = { name: string, id_type: string | null, id_number: string | null, email: string | null, };

export type ErrorLineView = { code: string, message: string, row: number | null, column: number | null, };

export type ResponseRow = { id: number, einvoice_id: number, clave: string | null, consecutivo: string | null, receiver_name: string | null, received_at: string, http_status: number | null, 
/**
 * Hacienda's `ind-estado` as given (recibido, procesando, aceptado, rechazado, error), or
 * what the engine made of an unreadable answer.
 */
state: string, 
/**
 * MensajeHacienda's type: 1 accepted, 2 partially accepted, 3 rejected.
 */
message_type: number | null, detail: string | null, error_codes: Array<ErrorLineView>, };

export type ResponseDetail = { response: ResponseRow, raw_json: string | null, mensaje_xml: string | null, };

export type ResponseFilter = { state: string | null, from: string | null, to: string | null, message_type: number | null, error_code: string | null, einvoice_id: number | null, offset: number, limit: number, };

export type ResponseList = { rows: Array<ResponseRow>, total: number, };

export type RetryRow = { id: number, einvoice_id: number, consecutivo: string | null, clave: string | null, receiver_name: string | null, operation: RetryOperation, category: ErrorCategory, attempts: number, max_attempts: number, next_retry_at: string, priority: number, state: RetryState, last_error: string | null, created_at: string, updated_at: string, };

export type RetryFilter = { state: Array<RetryState>, category: ErrorCategory | null, operation: RetryOperation | null, limit: number, };

export type RetryStateCount = { state: RetryState, count: number, };

export type RetryList = { rows: Array<RetryRow>, 
/**
 * Counts per state over the category and operation filter (every state listed).
 */
counts: Array<RetryStateCount>, };

export type SignatureView = { signer: string | null, signed_at: string | null, };

export type EinvoiceDetail = { row: EinvoiceRow, issuer: PartyView | null, receiver: PartyView | null, lines: Array<EinvoiceLineView>, subtotal: string, discount: string, notes: string | null, 
/**
 * The signed XML when signed, else the generated one.
 */
xml: string | null, signature: SignatureView | null, responses: Array<ResponseRow>, retries: Array<RetryRow>, 
/**
 * Whether a submission was started (then it is only ever asked about, never resent).
 */
submit_attempted: boolean, };

export type ImportSummary = { created: number, 
/**
 * Already stored from the same source under the same reference: left as they were.
 */
skipped: number, };

export type BulkKind = "sign" | "submit" | "status";

export type BulkSelection = { "by": "ids", ids: number[], } | { "by": "filter", filter: EinvoiceFilter, };

export type StateCount = { state: DocumentState, count: number, };

export type CertificateSummary = { subject: string, serial: string, not_before: string, not_after: string, 
/**
 * Days until it expires (negative when expired).
 */
days_left: number, };

export type BulkPlan = { kind: BulkKind, 
/**
 * The Hacienda connection the documents belong to (one per run).
 */
connection_id: number | null, connection_name: string | null, 
/**
 * Selected documents per state.
 */
by_state: Array<StateCount>, 
/**
 * Documents the run will work on.
 */
eligible: number, 
/**
 * Selected documents the run will leave alone (wrong state).
 */
skipped: number, 
/**
 * Selected documents of other connections than `connection_id`: a run works on one.
 */
other_connections: number, 
/**
 * The batching the run will use unless changed (from the settings).
 */
batching: Batching, 
/**
 * The time estimate for `eligible` documents with `batching`.
 */
estimate: BatchPlan, 
/**
 * Signing: whether the certificate's PIN is in the keyring (else the wizard asks for it).
 */
pin_stored: boolean, 
/**
 * Signing: the certificate, if any, and whether it is valid now.
 */
certificate: CertificateSummary | null, };

export type BulkOutcome = "done" | "skipped" | "retrying" | "failed";

export type BulkResult = { einvoice_id: number, consecutivo: string | null, clave: string | null, receiver_name: string | null, outcome: BulkOutcome, 
/**
 * The document's state after the step.
 */
state: DocumentState, message: string | null, 
/**
 * For a rejection: its error lines.
 */
error_codes: Array<ErrorLineView>, };

export type StateTotal = { state: DocumentState, count: number, total: number, };

export type DayActivity = { day: string, signed: number, submitted: number, accepted: number, rejected: number, };

export type EinvoiceDashboard = { by_state: Array<StateTotal>, 
/**
 * Accepted ÷ decided (accepted + rejected) over the last 30 days; `None` when none.
 */
acceptance_rate: number | null, 
/**
 * Mean seconds from submission to acceptance over the last 30 days.
 */
avg_accept_seconds: number | null, 
/**
 * Today (office time zone) and the 13 days before, oldest first.
 */
days: Array<DayActivity>, 
/**
 * Documents not yet sent (draft, generated, signed).
 */
pending_submission: number, 
/**
 * The oldest issued document still waiting to be sent.
 */
oldest_pending_issued_at: string | null, 
/**
 * The oldest waiting document's age against the sending target.
 */
oldest_pending: PendingAge | null, 
/**
 * Issued documents waiting to be sent past the office's sending target.
 */
pending_late: number, 
/**
 * Open entries of the retry queue (pending + processing) and finally failed ones.
 */
retry_open: number, retry_failed: number, 
/**
 * The signing certificate closest to expiry, when one is set.
 */
certificate: CertificateSummary | null, };

export type Language = "en" | "id" | "es";

export type Theme = "light" | "dark" | "system";

export type Settings = { 
/**
 * IANA zone name in which dates and schedules are reckoned, e.g. "Asia/Jakarta".
 */
office_timezone: string, language: Language, theme: Theme, 
/**
 * Days an integration-log row is kept.
 */
log_retention_days: number, 
/**
 * Close to the tray instead of quitting, keeping the scheduler running.
 */
close_to_tray: boolean, };

export type KeyringStatus = { ok: boolean, backend: string, problem: string | null, advice: string | null, };

export type SandboxInfo = { sicantik_url: string, odoo_url: string, hacienda_url: string, };

export type AppInfo = { version: string, data_dir: string, demo: boolean, keyring: KeyringStatus, sandbox: SandboxInfo | null, };

export type Commands = {
  app_info: { args: {  }, result: AppInfo },
  list_connections: { args: {  }, result: Array<Connection> },
  save_connection: { args: { input: ConnectionInput }, result: Connection },
  delete_connection: { args: { id: number }, result: null },
  test_connection: { args: { id: number }, result: TestOutcome },
  test_connection_draft: { args: { input: ConnectionInput }, result: TestOutcome },
  list_jobs: { args: {  }, result: Array<JobInfo> },
  save_job: { args: { id: number, schedule: Schedule, enabled: boolean }, result: JobInfo },
  run_job: { args: { id: number }, result: number },
  expiry_sync_plan: { args: { connection_id: number, refresh_all: boolean }, result: ExpirySyncPlan },
  start_expiry_sync: { args: { connection_id: number, options: RunOptions }, result: number },
  list_permit_failures: { args: { run_id: number }, result: Array<PermitFailure> },
  list_permits: { args: { query: PermitQuery }, result: PermitList },
  permit_groups: { args: { filter: PermitFilter, group_by: GroupBy }, result: Array<GroupCount> },
  permit_pivot: { args: { query: PivotQuery }, result: PivotResult },
  get_permit: { args: { id: number }, result: PermitDetail },
  save_permit: { args: { id: number, edit: PermitEdit }, result: PermitDetail },
  set_permit_status: { args: { id: number, status: PermitStatus }, result: PermitRow },
  set_permits_status: { args: { ids: Array<number>, status: PermitStatus }, result: number },
  create_permit: { args: { input: NewPermit }, result: PermitRow },
  list_permit_types: { args: {  }, result: Array<PermitTypeRow> },
  save_permit_type: { args: { id: number, edit: PermitTypeEdit }, result: PermitTypeRow },
  list_partners: { args: { search: string | null }, result: Array<PartnerRow> },
  save_partner: { args: { id: number, edit: PartnerEdit }, result: PartnerRow },
  list_reminders: { args: { unread_only: boolean }, result: Array<ReminderItem> },
  mark_reminders_read: { args: { ids: Array<number> }, result: null },
  permit_dashboard: { args: {  }, result: PermitDashboard },
  export_table: { args: { request: ExportRequest }, result: string },
  cancel_run: { args: { run_id: number }, result: null },
  list_runs: { args: { filter: RunFilter }, result: Array<SyncRun> },
  list_log: { args: { filter: LogFilter }, result: Array<LogEntry> },
  get_settings: { args: {  }, result: Settings },
  save_settings: { args: { settings: Settings }, result: Settings },
  list_timezones: { args: {  }, result: Array<string> },
  list_einvoices: { args: { query: EinvoiceQuery }, result: EinvoiceList },
  einvoice_groups: { args: { filter: EinvoiceFilter, group_by: EinvoiceGroupBy }, result: Array<EinvoiceGroup> },
  einvoice_pivot: { args: { query: EinvoicePivotQuery }, result: EinvoicePivotResult },
  get_einvoice: { args: { id: number }, result: EinvoiceDetail },
  reissue_einvoice: { args: { id: number }, result: number },
  import_einvoice_file: { args: { connection_id: number, file_name: string, content: string }, result: ImportSummary },
  list_responses: { args: { filter: ResponseFilter }, result: ResponseList },
  get_response: { args: { id: number }, result: ResponseDetail },
  list_retry_queue: { args: { filter: RetryFilter }, result: RetryList },
  retry_now: { args: { id: number }, result: null },
  cancel_retry: { args: { id: number }, result: null },
  get_einvoice_settings: { args: {  }, result: EinvoiceSettings },
  save_einvoice_settings: { args: { settings: EinvoiceSettings }, result: EinvoiceSettings },
  bulk_plan: { args: { kind: BulkKind, selection: BulkSelection }, result: BulkPlan },
  start_bulk_run: { args: { kind: BulkKind, selection: BulkSelection, batching: Batching | null, pin: string | null }, result: number },
  bulk_results: { args: { run_id: number }, result: Array<BulkResult> },
  einvoice_dashboard: { args: {  }, result: EinvoiceDashboard },
  send_test_notification: { args: {  }, result: null },
};

export type Events = {
  progress: Progress,
  run_finished: SyncRun,
  changed: { topics: Array<string> },
  notify: { title: string, body: string },
};
