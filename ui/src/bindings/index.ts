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

export type JobKind = "permit_types" | "new_permits" | "expiry_sync" | "log_cleanup" | "database_backup";

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
refresh_all: boolean, };

export type ExpirySyncPlan = { 
/**
 * Permits the run would look up.
 */
permits: number, rate_per_sec: number, max_concurrent: number, 
/**
 * Lower bound from the rate limit: permits ÷ rate.
 */
estimated_seconds: number, };

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
  cancel_run: { args: { run_id: number }, result: null },
  list_runs: { args: { filter: RunFilter }, result: Array<SyncRun> },
  list_log: { args: { filter: LogFilter }, result: Array<LogEntry> },
  get_settings: { args: {  }, result: Settings },
  save_settings: { args: { settings: Settings }, result: Settings },
  list_timezones: { args: {  }, result: Array<string> },
  send_test_notification: { args: {  }, result: null },
};

export type Events = {
  progress: Progress,
  run_finished: SyncRun,
  changed: { topics: Array<string> },
  notify: { title: string, body: string },
};
