//! Loket's domain: types and rules shared by every other crate, free of I/O.

pub mod api_error;
pub mod connection;
pub mod einvoice;
pub mod einvoice_view;
pub mod error_category;
pub mod export;
pub mod job;
pub mod log;
pub mod messages;
pub mod permit;
pub mod permit_view;
pub mod phone;
pub mod progress;
pub mod redact;
pub mod reminder;
pub mod run;
pub mod schedule;
pub mod settings;

pub use api_error::{ApiError, ApiErrorCode, FieldError};
pub use connection::{
    Connection, ConnectionInput, ConnectionKind, ConnectionStats, Environment, OdooProtocol,
    TestOutcome, TestStep,
};
pub use einvoice::{
    BatchPlan, DocumentState, EinvoiceSettings, MoveRefusal, PendingAge, RetryDecision,
    RetryOperation, RetryPolicy, RetryState, SendDeadline, SendUrgency,
};
pub use einvoice_view::{
    BulkKind, BulkOutcome, BulkPlan, BulkResult, BulkSelection, CertificateSummary, DayActivity,
    EinvoiceDashboard, EinvoiceDetail, EinvoiceField, EinvoiceFilter, EinvoiceGroup,
    EinvoiceGroupBy, EinvoiceGroupKey, EinvoiceLineView, EinvoiceList, EinvoicePivotCell,
    EinvoicePivotQuery, EinvoicePivotResult, EinvoiceQuery, EinvoiceRow, EinvoiceSort,
    EinvoiceSortField, ErrorLineView, PartyView, ResponseDetail, ResponseFilter, ResponseList,
    ResponseRow, RetryFilter, RetryList, RetryRow, RetryStateCount, SignatureView, StateCount,
    StateTotal,
};
pub use error_category::ErrorCategory;
pub use export::{ExportCell, ExportFormat, ExportRequest};
pub use job::{Batching, JobInfo, JobKind, RunOptions};
pub use log::{LogEntry, LogFilter};
pub use permit::{ExpiryStatus, PermitStatus};
pub use permit_view::{
    DateInterval, ExpiryCount, GroupBy, GroupCount, GroupKey, LastSync, NewPermit, PartnerEdit,
    PartnerRow, PermitCategory, PermitDashboard, PermitDetail, PermitEdit, PermitEvent,
    PermitFailure, PermitField, PermitFilter, PermitList, PermitQuery, PermitRow, PermitSort,
    PermitSortField, PermitTypeEdit, PermitTypeRow, PivotCell, PivotQuery, PivotResult, RecordLink,
    ReminderItem, ReminderSent, ReminderState,
};
pub use progress::{Progress, ProgressMeter};
pub use reminder::{ReminderDecision, ReminderLadder};
pub use run::{RunCounts, RunStatus, SyncRun};
pub use schedule::Schedule;
pub use settings::{Language, Settings, Theme};
