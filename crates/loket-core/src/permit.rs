//! Permits: status, and expiry reckoned as plain calendar dates in the office time zone.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Where a permit stands in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PermitStatus {
    Draft,
    InProcess,
    Active,
    Expired,
    Renewed,
    Cancelled,
}

/// How close a permit is to its expiry date (SPEC §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ExpiryStatus {
    /// Already past its expiry date.
    Expired,
    /// 0–30 days left.
    Critical,
    /// 31–60 days left.
    Warning,
    /// More than 60 days left.
    Ok,
    /// No expiry date known.
    Unknown,
}

impl ExpiryStatus {
    /// The status for a permit expiring on `expiry`, seen on `today`.
    pub fn of(expiry: Option<NaiveDate>, today: NaiveDate) -> Self {
        match expiry.map(|e| days_until(e, today)) {
            None => Self::Unknown,
            Some(d) if d < 0 => Self::Expired,
            Some(0..=30) => Self::Critical,
            Some(31..=60) => Self::Warning,
            Some(_) => Self::Ok,
        }
    }
}

/// Whole calendar days from `today` until `expiry` (negative once expired).
pub fn days_until(expiry: NaiveDate, today: NaiveDate) -> i64 {
    (expiry - today).num_days()
}

/// The office's calendar date at instant `now`.
pub fn office_today(now: DateTime<Utc>, tz: Tz) -> NaiveDate {
    now.with_timezone(&tz).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn the_boundaries_of_each_status() {
        let today = d("2026-03-01");
        let cases = [
            (None, ExpiryStatus::Unknown),
            (Some("2026-02-28"), ExpiryStatus::Expired),
            (Some("2026-03-01"), ExpiryStatus::Critical),
            (Some("2026-03-31"), ExpiryStatus::Critical),
            (Some("2026-04-01"), ExpiryStatus::Warning),
            (Some("2026-04-30"), ExpiryStatus::Warning),
            (Some("2026-05-01"), ExpiryStatus::Ok),
        ];
        for (expiry, want) in cases {
            assert_eq!(ExpiryStatus::of(expiry.map(d), today), want, "{expiry:?}");
        }
    }

    #[test]
    fn today_is_the_office_date_not_the_utc_date() {
        // 18:00 UTC on 1 March is already 2 March in Jakarta (UTC+7).
        let now = DateTime::parse_from_rfc3339("2026-03-01T18:00:00Z")
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default();
        assert_eq!(office_today(now, chrono_tz::Asia::Jakarta), d("2026-03-02"));
        assert_eq!(
            office_today(now, chrono_tz::America::Costa_Rica),
            d("2026-03-01")
        );
    }
}
