//! What the permit screens ask for and get back: the search (filters, group-bys, sort), rows,
//! groups, pivot cells, the form, permit types, partners and the reminder inbox.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::api_error::FieldError;
use crate::permit::{ExpiryStatus, PermitStatus};
use crate::run::RunStatus;

/// Whether a permit type is a permit or a product certificate (halal, BPOM, PIRT, SNI).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PermitCategory {
    Permit,
    Certificate,
}

impl PermitCategory {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Permit => "permit",
            Self::Certificate => "certificate",
        }
    }

    /// Parses the stored name; anything unknown is a permit.
    pub fn parse(s: &str) -> Self {
        if s == "certificate" {
            Self::Certificate
        } else {
            Self::Permit
        }
    }

    /// The category a permit type starts with, guessed from its name: the product
    /// certificates offices track are named after their schemes.
    pub fn guess(type_name: &str) -> Self {
        let name = type_name.to_lowercase();
        let words: Vec<&str> = name
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        let certificate = ["halal", "bpom", "pirt", "sni", "sertifikat", "certificate"]
            .iter()
            .any(|k| words.contains(k));
        if certificate {
            Self::Certificate
        } else {
            Self::Permit
        }
    }
}

impl PermitStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::InProcess => "in_process",
            Self::Active => "active",
            Self::Expired => "expired",
            Self::Renewed => "renewed",
            Self::Cancelled => "cancelled",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Draft,
            Self::InProcess,
            Self::Active,
            Self::Expired,
            Self::Renewed,
            Self::Cancelled,
        ]
        .into_iter()
        .find(|v| v.as_str() == s)
    }
}

impl ExpiryStatus {
    /// The name used in group keys and filters.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Expired => "expired",
            Self::Critical => "critical",
            Self::Warning => "warning",
            Self::Ok => "ok",
            Self::Unknown => "unknown",
        }
    }
}

/// A field permits can be grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PermitField {
    ExpiryStatus,
    Status,
    PermitType,
    Category,
    Connection,
    ReceivedDate,
    IssueDate,
    ExpiryDate,
}

impl PermitField {
    /// Whether the field is a date (grouped by month, quarter or year).
    pub fn is_date(self) -> bool {
        matches!(
            self,
            Self::ReceivedDate | Self::IssueDate | Self::ExpiryDate
        )
    }
}

/// How dates are bucketed when grouping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DateInterval {
    #[default]
    Month,
    Quarter,
    Year,
}

impl DateInterval {
    /// A date's bucket key: `2026-03`, `2026-Q1` or `2026`.
    pub fn key(self, date: NaiveDate) -> String {
        match self {
            Self::Month => format!("{:04}-{:02}", date.year(), date.month()),
            Self::Quarter => format!("{:04}-Q{}", date.year(), (date.month() - 1) / 3 + 1),
            Self::Year => format!("{:04}", date.year()),
        }
    }
}

/// One level of grouping; `interval` applies to date fields only (month when absent).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub struct GroupBy {
    pub field: PermitField,
    pub interval: Option<DateInterval>,
}

/// A group chosen by the user (a pivot cell, a kanban column, a list group): its key, or
/// `None` for records without a value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct GroupKey {
    pub group_by: GroupBy,
    pub key: Option<String>,
}

/// The search shared by every permit view.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PermitFilter {
    /// Words matched in registration id, permit number, applicant, company and type.
    pub search: Option<String>,
    pub expiry_status: Vec<ExpiryStatus>,
    pub status: Vec<PermitStatus>,
    pub permit_type: Vec<String>,
    pub category: Option<PermitCategory>,
    #[ts(type = "number | null")]
    pub connection_id: Option<i64>,
    /// 0 to N days left (expired ones excluded).
    pub expiring_within_days: Option<u32>,
    pub groups: Vec<GroupKey>,
}

/// Columns the list sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PermitSortField {
    RegistrationId,
    PermitNumber,
    Applicant,
    PermitType,
    ReceivedDate,
    IssueDate,
    #[default]
    ExpiryDate,
    Status,
    LastSyncedAt,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct PermitSort {
    pub field: PermitSortField,
    pub descending: bool,
}

/// One page of the list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PermitQuery {
    pub filter: PermitFilter,
    pub sort: PermitSort,
    pub offset: u32,
    pub limit: u32,
}

/// The most rows one page may hold.
pub const MAX_PAGE: u32 = 1000;

/// A permit as the views show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PermitRow {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number | null")]
    pub connection_id: Option<i64>,
    pub connection_name: Option<String>,
    pub registration_id: String,
    pub permit_number: Option<String>,
    pub applicant: String,
    pub permit_type_name: String,
    pub category: PermitCategory,
    pub company: Option<String>,
    pub received_date: Option<NaiveDate>,
    pub issue_date: Option<NaiveDate>,
    pub expiry_date: Option<NaiveDate>,
    #[ts(type = "number | null")]
    pub days_left: Option<i64>,
    pub expiry_status: ExpiryStatus,
    pub status: PermitStatus,
    #[ts(type = "number | null")]
    pub partner_id: Option<i64>,
    pub renewal_in_progress: bool,
    pub snoozed_until: Option<NaiveDate>,
    pub last_synced_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PermitList {
    pub rows: Vec<PermitRow>,
    #[ts(type = "number")]
    pub total: u64,
}

/// How many permits one group holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct GroupCount {
    pub key: Option<String>,
    #[ts(type = "number")]
    pub count: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PivotQuery {
    pub filter: PermitFilter,
    pub rows: Vec<GroupBy>,
    pub cols: Vec<GroupBy>,
}

/// One cell at full depth; counts add up, so collapsed headers are sums of their children.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PivotCell {
    pub row: Vec<Option<String>>,
    pub col: Vec<Option<String>>,
    #[ts(type = "number")]
    pub count: u64,
}

/// The most cells a pivot returns; more is a grouping nobody can read.
pub const MAX_PIVOT_CELLS: usize = 50_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PivotResult {
    pub cells: Vec<PivotCell>,
    /// More than [`MAX_PIVOT_CELLS`] cells: `cells` is empty, choose fewer group-bys.
    pub too_many: bool,
    #[ts(type = "number")]
    pub total: u64,
}

/// One line of a permit's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PermitEvent {
    pub at: DateTime<Utc>,
    pub kind: String,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReminderState {
    Sent,
    Passed,
}

/// A reminder tier sent (or passed over) for a permit's expiry date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReminderSent {
    pub tier: u32,
    pub expiry_date: NaiveDate,
    pub state: ReminderState,
    pub at: DateTime<Utc>,
}

/// A link to another record, with what to call it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RecordLink {
    #[ts(type = "number")]
    pub id: i64,
    pub label: String,
}

/// Everything the permit form shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PermitDetail {
    pub permit: PermitRow,
    pub npwp: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub notes: String,
    pub remote_status: Option<String>,
    pub detail_error: Option<String>,
    pub renewal_of: Option<RecordLink>,
    pub renewed_by: Option<RecordLink>,
    pub partner: Option<RecordLink>,
    pub reminders: Vec<ReminderSent>,
    pub history: Vec<PermitEvent>,
}

/// What the permit form edits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PermitEdit {
    pub status: PermitStatus,
    pub notes: String,
    pub expiry_date: Option<NaiveDate>,
    #[ts(type = "number | null")]
    pub renewal_of_id: Option<i64>,
    pub renewal_in_progress: bool,
    pub snoozed_until: Option<NaiveDate>,
}

/// The longest note kept.
const MAX_NOTES: usize = 20_000;

impl PermitEdit {
    /// Problems per field; `own_id` is the permit being edited.
    pub fn validate(&self, own_id: i64) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if self.notes.chars().count() > MAX_NOTES {
            errors.push(FieldError {
                field: "notes".into(),
                message: format!("Notes can hold at most {MAX_NOTES} characters."),
            });
        }
        if self.renewal_of_id == Some(own_id) {
            errors.push(FieldError {
                field: "renewal_of_id".into(),
                message: "A permit cannot be the renewal of itself.".into(),
            });
        }
        errors
    }
}

/// A permit entered by hand (quick create, or "New").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NewPermit {
    pub applicant: String,
    pub permit_type_name: String,
    pub permit_number: Option<String>,
    pub status: PermitStatus,
    pub expiry_date: Option<NaiveDate>,
}

impl NewPermit {
    /// Problems per field.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if self.applicant.trim().is_empty() {
            errors.push(FieldError {
                field: "applicant".into(),
                message: "Enter the applicant's name.".into(),
            });
        }
        if self.permit_type_name.trim().is_empty() {
            errors.push(FieldError {
                field: "permit_type_name".into(),
                message: "Choose or type the permit type.".into(),
            });
        }
        errors
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PermitTypeRow {
    #[ts(type = "number")]
    pub id: i64,
    pub connection_name: Option<String>,
    pub remote_id: Option<String>,
    pub name: String,
    pub code: Option<String>,
    pub category: PermitCategory,
    pub ladder: Vec<u32>,
    #[ts(type = "number")]
    pub permit_count: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PermitTypeEdit {
    pub category: PermitCategory,
    pub ladder: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PartnerRow {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub company: Option<String>,
    /// As the permit office gave it.
    pub phone: Option<String>,
    /// E.164, when the number could be normalised.
    pub whatsapp: Option<String>,
    /// Why the number could not be used for WhatsApp.
    pub whatsapp_problem: Option<String>,
    pub opt_in: bool,
    pub opt_changed_at: Option<DateTime<Utc>>,
    #[ts(type = "number")]
    pub permit_count: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PartnerEdit {
    pub name: String,
    pub whatsapp: Option<String>,
    pub opt_in: bool,
}

/// One reminder in the inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReminderItem {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub permit_id: i64,
    pub permit_number: Option<String>,
    pub applicant: String,
    pub permit_type_name: String,
    pub tier: u32,
    pub expiry_date: NaiveDate,
    #[ts(type = "number")]
    pub days_left: i64,
    pub sent_at: DateTime<Utc>,
    pub read: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ExpiryCount {
    pub status: ExpiryStatus,
    #[ts(type = "number")]
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LastSync {
    #[ts(type = "number")]
    pub connection_id: i64,
    pub connection_name: String,
    pub at: Option<DateTime<Utc>>,
    pub status: Option<RunStatus>,
}

/// The dashboard's permit cards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PermitDashboard {
    pub by_expiry: Vec<ExpiryCount>,
    pub expiring_soon: Vec<PermitRow>,
    #[ts(type = "number")]
    pub expiring_soon_count: u64,
    pub last_sync: Vec<LastSync>,
    #[ts(type = "number")]
    pub unread_reminders: u64,
}

/// A permit whose detail lookup failed in a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PermitFailure {
    #[ts(type = "number")]
    pub permit_id: i64,
    pub permit_number: Option<String>,
    pub reason: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certificates_are_recognised_by_their_scheme_names() {
        for name in [
            "Sertifikat Halal",
            "Izin Edar BPOM",
            "SPP-IRT / PIRT",
            "SNI Produk",
        ] {
            assert_eq!(
                PermitCategory::guess(name),
                PermitCategory::Certificate,
                "{name}"
            );
        }
        for name in [
            "Izin Mendirikan Bangunan",
            "Surat Izin Usaha Perdagangan",
            "Snack shop",
        ] {
            assert_eq!(
                PermitCategory::guess(name),
                PermitCategory::Permit,
                "{name}"
            );
        }
    }

    #[test]
    fn date_buckets_are_month_quarter_and_year() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 30).expect("date");
        assert_eq!(DateInterval::Month.key(d), "2026-11");
        assert_eq!(DateInterval::Quarter.key(d), "2026-Q4");
        assert_eq!(DateInterval::Year.key(d), "2026");
        let jan = NaiveDate::from_ymd_opt(2027, 1, 1).expect("date");
        assert_eq!(DateInterval::Quarter.key(jan), "2027-Q1");
    }

    #[test]
    fn statuses_round_trip_through_their_stored_names() {
        for s in [
            "draft",
            "in_process",
            "active",
            "expired",
            "renewed",
            "cancelled",
        ] {
            assert_eq!(PermitStatus::parse(s).map(PermitStatus::as_str), Some(s));
        }
        assert_eq!(PermitStatus::parse("Active"), None);
    }

    #[test]
    fn an_edit_cannot_renew_itself() {
        let edit = PermitEdit {
            status: PermitStatus::Active,
            notes: String::new(),
            expiry_date: None,
            renewal_of_id: Some(7),
            renewal_in_progress: false,
            snoozed_until: None,
        };
        let errors = edit.validate(7);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "renewal_of_id");
        assert!(edit.validate(8).is_empty());
    }
}
