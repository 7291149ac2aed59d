use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::api_error::FieldError;

/// UI language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    En,
    Id,
    Es,
}

/// UI theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    Light,
    Dark,
    System,
}

/// Office-wide settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Settings {
    /// IANA zone name in which dates and schedules are reckoned, e.g. "Asia/Jakarta".
    pub office_timezone: String,
    pub language: Language,
    pub theme: Theme,
    /// Days an integration-log row is kept.
    pub log_retention_days: u32,
    /// Close to the tray instead of quitting, keeping the scheduler running.
    pub close_to_tray: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            office_timezone: "Asia/Jakarta".into(),
            language: Language::En,
            theme: Theme::System,
            log_retention_days: 30,
            close_to_tray: true,
        }
    }
}

impl Settings {
    /// The office time zone, falling back to UTC when the stored name is unknown.
    pub fn tz(&self) -> chrono_tz::Tz {
        self.office_timezone.parse().unwrap_or(chrono_tz::UTC)
    }

    /// Checks every field.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if self.office_timezone.parse::<chrono_tz::Tz>().is_err() {
            errors.push(FieldError {
                field: "office_timezone".into(),
                message: "Choose a time zone from the list, e.g. Asia/Jakarta.".into(),
            });
        }
        if !(1..=3650).contains(&self.log_retention_days) {
            errors.push(FieldError {
                field: "log_retention_days".into(),
                message: "Keep log rows between 1 and 3650 days.".into(),
            });
        }
        errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_zone_and_zero_retention_are_rejected() {
        let s = Settings {
            office_timezone: "Mars/Olympus".into(),
            log_retention_days: 0,
            ..Settings::default()
        };
        let fields: Vec<_> = s.validate().into_iter().map(|f| f.field).collect();
        assert_eq!(fields, ["office_timezone", "log_retention_days"]);
        assert_eq!(s.tz(), chrono_tz::UTC);
        assert!(Settings::default().validate().is_empty());
    }
}
