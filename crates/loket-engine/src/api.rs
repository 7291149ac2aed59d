//! The command surface shared by the desktop shell (Tauri `invoke`), the browser bridge
//! (`POST /api`) and tests: one list of commands, from which the TypeScript bindings are made.

use loket_core::{
    ApiError, ApiErrorCode, Connection, ConnectionInput, ExportRequest, GroupBy, GroupCount,
    JobInfo, JobKind, LogEntry, LogFilter, NewPermit, PartnerEdit, PartnerRow, PermitDashboard,
    PermitDetail, PermitEdit, PermitFailure, PermitFilter, PermitList, PermitQuery, PermitRow,
    PermitStatus, PermitTypeEdit, PermitTypeRow, PivotQuery, PivotResult, ReminderItem, RunOptions,
    Schedule, Settings, SyncRun, TestOutcome,
};
use loket_core::{
    Batching, BulkKind, BulkPlan, BulkResult, BulkSelection, EinvoiceDashboard, EinvoiceDetail,
    EinvoiceFilter, EinvoiceGroup, EinvoiceGroupBy, EinvoiceList, EinvoicePivotQuery,
    EinvoicePivotResult, EinvoiceQuery, EinvoiceSettings, ResponseDetail, ResponseFilter,
    ResponseList, RetryFilter, RetryList,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::einvoices::ImportSummary;
use crate::events::EngineEvent;
use crate::info::AppInfo;
use crate::{Engine, EngineError};

/// Which runs to list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct RunFilter {
    #[ts(type = "number | null")]
    pub connection_id: Option<i64>,
    pub job: Option<JobKind>,
    pub limit: Option<u32>,
}

/// What the expiry sync wizard shows before it runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ExpirySyncPlan {
    /// Permits the run would look up.
    pub permits: u32,
    pub rate_per_sec: f64,
    pub max_concurrent: u32,
    /// Lower bound from the rate limit: permits ÷ rate.
    pub estimated_seconds: f64,
}

/// A plain message for an error (for run records and logs).
pub fn user_message(e: EngineError) -> String {
    let api: ApiError = e.into();
    match api.details {
        Some(d) if matches!(api.code, ApiErrorCode::Remote | ApiErrorCode::Storage) => {
            format!("{} ({d})", api.message)
        }
        _ => api.message,
    }
}

/// TypeScript name of a Rust type, with 64-bit integers as `number` (ids fit in 2^53).
fn ts_name<T: TS>() -> String {
    T::name().replace("bigint", "number")
}

macro_rules! commands {
    ($( $(#[doc = $doc:literal])* $name:ident ( $($arg:ident : $ty:ty),* ) -> $ret:ty = $handler:expr; )*) => {
        /// One call of the command surface: `{"cmd": "...", "args": {...}}`.
        #[allow(non_camel_case_types)]
        #[derive(Debug, Deserialize)]
        #[serde(tag = "cmd", content = "args")]
        pub enum Request {
            $( $(#[doc = $doc])* $name { $($arg: $ty),* }, )*
        }

        impl Request {
            /// The command's name.
            pub fn name(&self) -> &'static str {
                match self { $( Request::$name { .. } => stringify!($name), )* }
            }
        }

        /// Runs one command and returns its result as JSON.
        pub async fn dispatch(engine: &Engine, request: Request) -> Result<serde_json::Value, ApiError> {
            match request {
                $( Request::$name { $($arg),* } => {
                    let result: Result<$ret, EngineError> = ($handler)(engine.clone(), $($arg),*).await;
                    let value = result.map_err(ApiError::from)?;
                    serde_json::to_value(value).map_err(|e| ApiError::new(ApiErrorCode::Internal, e.to_string()))
                } )*
            }
        }

        /// The TypeScript `Commands` map: command → args and result types.
        pub fn commands_ts() -> String {
            let mut out = String::from("export type Commands = {\n");
            $(
                let args: Vec<String> = vec![$( format!("{}: {}", stringify!($arg), ts_name::<$ty>()) ),*];
                out.push_str(&format!("  {}: {{ args: {{ {} }}, result: {} }},\n", stringify!($name), args.join(", "), ts_name::<$ret>()));
            )*
            out.push_str("};\n");
            out
        }
    };
}

commands! {
    /// Version, data folder, keyring health, demo mode.
    app_info() -> AppInfo = |e: Engine| async move { Ok::<_, EngineError>(e.app_info().await) };
    list_connections() -> Vec<Connection> = |e: Engine| async move { e.list_connections().await };
    save_connection(input: ConnectionInput) -> Connection = |e: Engine, input| async move { e.save_connection(input).await };
    delete_connection(id: i64) -> () = |e: Engine, id| async move { e.delete_connection(id).await };
    test_connection(id: i64) -> TestOutcome = |e: Engine, id| async move { e.test_connection(id).await };
    test_connection_draft(input: ConnectionInput) -> TestOutcome = |e: Engine, input| async move { e.test_connection_draft(input).await };
    list_jobs() -> Vec<JobInfo> = |e: Engine| async move { e.list_jobs().await };
    save_job(id: i64, schedule: Schedule, enabled: bool) -> JobInfo = |e: Engine, id, schedule, enabled| async move { e.save_job(id, schedule, enabled).await };
    run_job(id: i64) -> i64 = |e: Engine, id| async move { e.start_job(id, "manual").await };
    expiry_sync_plan(connection_id: i64, refresh_all: bool) -> ExpirySyncPlan = |e: Engine, id, all| async move { e.expiry_sync_plan(id, all).await };
    start_expiry_sync(connection_id: i64, options: RunOptions) -> i64 = |e: Engine, id, options| async move { e.start_expiry_sync(id, options).await };
    list_permit_failures(run_id: i64) -> Vec<PermitFailure> = |e: Engine, id| async move { e.list_permit_failures(id).await };
    list_permits(query: PermitQuery) -> PermitList = |e: Engine, q| async move { e.list_permits(q).await };
    permit_groups(filter: PermitFilter, group_by: GroupBy) -> Vec<GroupCount> = |e: Engine, f, g| async move { e.permit_groups(f, g).await };
    permit_pivot(query: PivotQuery) -> PivotResult = |e: Engine, q| async move { e.permit_pivot(q).await };
    get_permit(id: i64) -> PermitDetail = |e: Engine, id| async move { e.get_permit(id).await };
    save_permit(id: i64, edit: PermitEdit) -> PermitDetail = |e: Engine, id, edit| async move { e.save_permit(id, edit).await };
    set_permit_status(id: i64, status: PermitStatus) -> PermitRow = |e: Engine, id, s| async move { e.set_permit_status(id, s).await };
    set_permits_status(ids: Vec<i64>, status: PermitStatus) -> u64 = |e: Engine, ids, s| async move { e.set_permits_status(ids, s).await };
    create_permit(input: NewPermit) -> PermitRow = |e: Engine, input| async move { e.create_permit(input).await };
    list_permit_types() -> Vec<PermitTypeRow> = |e: Engine| async move { e.list_permit_types().await };
    save_permit_type(id: i64, edit: PermitTypeEdit) -> PermitTypeRow = |e: Engine, id, edit| async move { e.save_permit_type(id, edit).await };
    list_partners(search: Option<String>) -> Vec<PartnerRow> = |e: Engine, s| async move { e.list_partners(s).await };
    save_partner(id: i64, edit: PartnerEdit) -> PartnerRow = |e: Engine, id, edit| async move { e.save_partner(id, edit).await };
    list_reminders(unread_only: bool) -> Vec<ReminderItem> = |e: Engine, u| async move { e.list_reminders(u).await };
    mark_reminders_read(ids: Vec<i64>) -> () = |e: Engine, ids| async move { e.mark_reminders_read(ids).await };
    permit_dashboard() -> PermitDashboard = |e: Engine| async move { e.permit_dashboard().await };
    export_table(request: ExportRequest) -> String = |e: Engine, r| async move { e.export_table(r).await };
    cancel_run(run_id: i64) -> () = |e: Engine, run_id| async move { e.cancel_run(run_id).await };
    list_runs(filter: RunFilter) -> Vec<SyncRun> = |e: Engine, f: RunFilter| async move { e.list_runs(f.connection_id, f.job, f.limit.unwrap_or(200)).await };
    list_log(filter: LogFilter) -> Vec<LogEntry> = |e: Engine, f: LogFilter| async move { e.list_log(&f).await };
    get_settings() -> Settings = |e: Engine| async move { e.settings().await };
    save_settings(settings: Settings) -> Settings = |e: Engine, s| async move { e.save_settings(s).await };
    list_timezones() -> Vec<String> = |_e: Engine| async move { Ok::<_, EngineError>(chrono_tz::TZ_VARIANTS.iter().map(|t| t.name().to_string()).collect()) };
    list_einvoices(query: EinvoiceQuery) -> EinvoiceList = |e: Engine, q| async move { e.list_einvoices(q).await };
    einvoice_groups(filter: EinvoiceFilter, group_by: EinvoiceGroupBy) -> Vec<EinvoiceGroup> = |e: Engine, f, g| async move { e.einvoice_groups(f, g).await };
    einvoice_pivot(query: EinvoicePivotQuery) -> EinvoicePivotResult = |e: Engine, q| async move { e.einvoice_pivot(q).await };
    get_einvoice(id: i64) -> EinvoiceDetail = |e: Engine, id| async move { e.get_einvoice(id).await };
    /// Issues a rejected document again as a new draft; returns the new draft's id.
    reissue_einvoice(id: i64) -> i64 = |e: Engine, id| async move { e.reissue_einvoice(id).await };
    /// Imports a CSV or JSON file's content (by its name's extension) as drafts, all or none.
    import_einvoice_file(connection_id: i64, file_name: String, content: String) -> ImportSummary = |e: Engine, id, name: String, content: String| async move { e.import_einvoice_bytes(id, &name, content.as_bytes()).await };
    list_responses(filter: ResponseFilter) -> ResponseList = |e: Engine, f| async move { e.list_responses(f).await };
    get_response(id: i64) -> ResponseDetail = |e: Engine, id| async move { e.get_response(id).await };
    list_retry_queue(filter: RetryFilter) -> RetryList = |e: Engine, f| async move { e.list_retry_queue(f).await };
    retry_now(id: i64) -> () = |e: Engine, id| async move { e.retry_now(id).await };
    cancel_retry(id: i64) -> () = |e: Engine, id| async move { e.cancel_retry(id).await };
    get_einvoice_settings() -> EinvoiceSettings = |e: Engine| async move { e.einvoice_settings().await };
    save_einvoice_settings(settings: EinvoiceSettings) -> EinvoiceSettings = |e: Engine, s: EinvoiceSettings| async move { e.save_einvoice_settings(s.clone()).await.map(|()| s) };
    bulk_plan(kind: BulkKind, selection: BulkSelection) -> BulkPlan = |e: Engine, k, s| async move { e.bulk_plan(k, s).await };
    /// Starts a bulk sign / send / status run; `pin` opens the certificate for this run only.
    start_bulk_run(kind: BulkKind, selection: BulkSelection, batching: Option<Batching>, pin: Option<String>) -> i64 = |e: Engine, k, s, b, p| async move { e.start_bulk_run(k, s, b, p).await };
    bulk_results(run_id: i64) -> Vec<BulkResult> = |e: Engine, id| async move { e.bulk_results(id).await };
    einvoice_dashboard() -> EinvoiceDashboard = |e: Engine| async move { e.einvoice_dashboard().await };
    send_test_notification() -> () = |e: Engine| async move {
        let lang = e.settings().await?.language;
        e.emit(EngineEvent::Notify { title: "Loket".into(), body: loket_core::messages::test_notification(lang).into() });
        Ok::<_, EngineError>(())
    };
}

impl Engine {
    /// The About box.
    pub async fn app_info(&self) -> AppInfo {
        let secrets = self.inner.secrets.clone();
        let keyring = tokio::task::spawn_blocking(move || secrets.check())
            .await
            .unwrap_or_else(|e| crate::KeyringStatus {
                ok: false,
                backend: "unknown".into(),
                problem: Some(e.to_string()),
                advice: None,
            });
        AppInfo {
            version: env!("CARGO_PKG_VERSION").into(),
            data_dir: self.inner.data_dir.display().to_string(),
            demo: self.inner.demo,
            keyring,
            sandbox: self.inner.sandbox.clone(),
        }
    }

    /// The office settings.
    pub async fn settings(&self) -> crate::Result<Settings> {
        Ok(self.inner.store.settings().await?)
    }

    /// Validates and saves the office settings.
    pub async fn save_settings(&self, settings: Settings) -> crate::Result<Settings> {
        let errors = settings.validate();
        if !errors.is_empty() {
            return Err(EngineError::Invalid(errors));
        }
        self.inner.store.save_settings(&settings).await?;
        self.changed(&["settings", "jobs"]);
        Ok(settings)
    }

    /// How many permits an expiry sync would look up, and how long the rate limit makes it.
    pub async fn expiry_sync_plan(
        &self,
        connection_id: i64,
        refresh_all: bool,
    ) -> crate::Result<ExpirySyncPlan> {
        let c = self.get_connection(connection_id).await?;
        let permits = self
            .inner
            .store
            .permits_to_check(c.id, refresh_all, None)
            .await?
            .len();
        let permits = u32::try_from(permits).unwrap_or(u32::MAX);
        Ok(ExpirySyncPlan {
            permits,
            rate_per_sec: c.rate_limit_per_sec,
            max_concurrent: c.max_concurrent,
            // Without a rate limit, the concurrency cap and the server's speed set the pace.
            estimated_seconds: if c.rate_limit_per_sec > 0.0 {
                f64::from(permits) / c.rate_limit_per_sec
            } else {
                0.0
            },
        })
    }

    /// Starts the expiry sync of a permit office connection with this run's limits.
    pub async fn start_expiry_sync(
        &self,
        connection_id: i64,
        options: RunOptions,
    ) -> crate::Result<i64> {
        let job = self
            .inner
            .store
            .list_jobs()
            .await?
            .into_iter()
            .find(|j| j.kind == JobKind::ExpirySync && j.connection_id == Some(connection_id))
            .ok_or_else(|| {
                EngineError::NotFound(format!("No expiry sync for connection {connection_id}."))
            })?;
        self.start_job_with(job.id, "manual", options).await
    }

    /// Integration-log rows.
    pub async fn list_log(&self, filter: &LogFilter) -> crate::Result<Vec<LogEntry>> {
        Ok(self.inner.store.list_log(filter).await?)
    }
}

/// Every exported type's declaration, then the command map and event names: the whole
/// `ui/src/bindings/index.ts`.
pub fn typescript_bindings() -> String {
    use loket_core::*;
    let decls = [
        ApiErrorCode::decl(),
        FieldError::decl(),
        ApiError::decl(),
        ConnectionKind::decl(),
        Environment::decl(),
        OdooProtocol::decl(),
        ConnectionStats::decl(),
        Connection::decl(),
        ConnectionInput::decl(),
        TestStep::decl(),
        TestOutcome::decl(),
        ErrorCategory::decl(),
        JobKind::decl(),
        Schedule::decl(),
        RunStatus::decl(),
        RunCounts::decl(),
        SyncRun::decl(),
        JobInfo::decl(),
        Progress::decl(),
        LogEntry::decl(),
        LogFilter::decl(),
        RunFilter::decl(),
        RunOptions::decl(),
        loket_core::Batching::decl(),
        ExpirySyncPlan::decl(),
        PermitStatus::decl(),
        ExpiryStatus::decl(),
        PermitCategory::decl(),
        PermitField::decl(),
        DateInterval::decl(),
        GroupBy::decl(),
        GroupKey::decl(),
        PermitFilter::decl(),
        PermitSortField::decl(),
        PermitSort::decl(),
        PermitQuery::decl(),
        PermitRow::decl(),
        PermitList::decl(),
        GroupCount::decl(),
        PivotQuery::decl(),
        PivotCell::decl(),
        PivotResult::decl(),
        PermitEvent::decl(),
        ReminderState::decl(),
        ReminderSent::decl(),
        RecordLink::decl(),
        PermitDetail::decl(),
        PermitEdit::decl(),
        NewPermit::decl(),
        PermitTypeRow::decl(),
        PermitTypeEdit::decl(),
        PartnerRow::decl(),
        PartnerEdit::decl(),
        ReminderItem::decl(),
        ExpiryCount::decl(),
        LastSync::decl(),
        PermitDashboard::decl(),
        PermitFailure::decl(),
        ExportFormat::decl(),
        ExportCell::decl(),
        ExportRequest::decl(),
        DocumentState::decl(),
        RetryOperation::decl(),
        RetryState::decl(),
        EinvoiceSettings::decl(),
        BatchPlan::decl(),
        SendUrgency::decl(),
        PendingAge::decl(),
        EinvoiceField::decl(),
        EinvoiceGroupBy::decl(),
        EinvoiceGroupKey::decl(),
        EinvoiceFilter::decl(),
        EinvoiceSortField::decl(),
        EinvoiceSort::decl(),
        EinvoiceQuery::decl(),
        EinvoiceRow::decl(),
        EinvoiceList::decl(),
        EinvoiceGroup::decl(),
        EinvoicePivotQuery::decl(),
        EinvoicePivotCell::decl(),
        EinvoicePivotResult::decl(),
        EinvoiceLineView::decl(),
        PartyView::decl(),
        ErrorLineView::decl(),
        ResponseRow::decl(),
        ResponseDetail::decl(),
        ResponseFilter::decl(),
        ResponseList::decl(),
        RetryRow::decl(),
        RetryFilter::decl(),
        RetryStateCount::decl(),
        RetryList::decl(),
        SignatureView::decl(),
        EinvoiceDetail::decl(),
        ImportSummary::decl(),
        BulkKind::decl(),
        BulkSelection::decl(),
        StateCount::decl(),
        CertificateSummary::decl(),
        BulkPlan::decl(),
        BulkOutcome::decl(),
        BulkResult::decl(),
        StateTotal::decl(),
        DayActivity::decl(),
        EinvoiceDashboard::decl(),
        Language::decl(),
        Theme::decl(),
        Settings::decl(),
        crate::KeyringStatus::decl(),
        crate::SandboxInfo::decl(),
        AppInfo::decl(),
    ];
    let mut out = String::from("// Generated from loket-engine's command list (cargo test -p loket-engine --test bindings). Do not edit.\n\n");
    for d in decls {
        out.push_str("export ");
        out.push_str(&d.replace("bigint", "number"));
        out.push_str("\n\n");
    }
    out.push_str(&commands_ts());
    out.push_str("\nexport type Events = {\n  progress: Progress,\n  run_finished: SyncRun,\n  changed: { topics: Array<string> },\n  notify: { title: string, body: string },\n};\n");
    out
}
