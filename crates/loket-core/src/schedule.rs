//! When a job is due: daily at a local time or every N minutes, in the office time zone.

use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A job's schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Schedule {
    /// Once a day at `at` ("HH:MM", office time).
    Daily { at: String },
    /// Every `minutes` minutes.
    Every { minutes: u32 },
    /// Only when started by hand.
    Manual,
}

/// Why a schedule cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    #[error("time of day must look like 09:30")]
    BadTime,
    #[error("interval must be between 1 and 10080 minutes")]
    BadInterval,
}

impl Schedule {
    /// Checks the schedule's values.
    pub fn validate(&self) -> Result<(), ScheduleError> {
        match self {
            Self::Daily { at } => parse_time(at).map(|_| ()),
            Self::Every { minutes } if (1..=10_080).contains(minutes) => Ok(()),
            Self::Every { .. } => Err(ScheduleError::BadInterval),
            Self::Manual => Ok(()),
        }
    }

    /// The first moment strictly after `after` at which the schedule fires.
    pub fn next_after(&self, after: DateTime<Utc>, tz: Tz) -> Option<DateTime<Utc>> {
        match self {
            Self::Manual => None,
            Self::Every { minutes } => Some(after + Duration::minutes(i64::from(*minutes.max(&1)))),
            Self::Daily { at } => {
                let time = parse_time(at).ok()?;
                let local_day = after.with_timezone(&tz).date_naive();
                // Today's slot if still ahead, else tomorrow's (the day after, across a DST gap).
                (0..3).find_map(|offset| {
                    let day = local_day + Duration::days(offset);
                    let at = local_instant(tz, day.and_time(time))?;
                    (at > after).then_some(at)
                })
            }
        }
    }

    /// Whether a job last run (or first registered) at `anchor` is due at `now`.
    /// However many slots were missed while the app was closed, this only says "due": the
    /// caller runs once and re-anchors at the start of that run, so missed runs never pile up.
    pub fn is_due(&self, anchor: DateTime<Utc>, now: DateTime<Utc>, tz: Tz) -> bool {
        self.next_after(anchor, tz).is_some_and(|next| next <= now)
    }
}

fn parse_time(s: &str) -> Result<NaiveTime, ScheduleError> {
    let (h, m) = s.split_once(':').ok_or(ScheduleError::BadTime)?;
    if h.len() != 2 || m.len() != 2 {
        return Err(ScheduleError::BadTime);
    }
    let h: u32 = h.parse().map_err(|_| ScheduleError::BadTime)?;
    let m: u32 = m.parse().map_err(|_| ScheduleError::BadTime)?;
    NaiveTime::from_hms_opt(h, m, 0).ok_or(ScheduleError::BadTime)
}

/// A local wall-clock time as an instant; inside a DST gap, the first valid moment after it.
fn local_instant(tz: Tz, local: chrono::NaiveDateTime) -> Option<DateTime<Utc>> {
    (0..=2).find_map(|h| {
        tz.from_local_datetime(&(local + Duration::hours(h)))
            .earliest()
            .map(|t| t.with_timezone(&Utc))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .map(|d| d.with_timezone(&Utc))
            .unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    const JAKARTA: Tz = chrono_tz::Asia::Jakarta;

    #[test]
    fn daily_fires_at_local_time() {
        let s = Schedule::Daily { at: "09:00".into() };
        // 01:00 UTC is 08:00 in Jakarta (UTC+7): today's 09:00 local is 02:00 UTC.
        assert_eq!(
            s.next_after(utc("2026-03-10T01:00:00Z"), JAKARTA),
            Some(utc("2026-03-10T02:00:00Z"))
        );
        // Exactly at the slot: the next one is tomorrow.
        assert_eq!(
            s.next_after(utc("2026-03-10T02:00:00Z"), JAKARTA),
            Some(utc("2026-03-11T02:00:00Z"))
        );
    }

    #[test]
    fn daily_midnight_is_the_local_midnight() {
        let s = Schedule::Daily { at: "00:00".into() };
        assert_eq!(
            s.next_after(utc("2026-03-10T12:00:00Z"), JAKARTA),
            Some(utc("2026-03-10T17:00:00Z"))
        );
    }

    #[test]
    fn daily_inside_a_dst_gap_fires_after_it() {
        // 02:30 does not exist in New York on 2026-03-08.
        let tz = chrono_tz::America::New_York;
        let s = Schedule::Daily { at: "02:30".into() };
        let next = s.next_after(utc("2026-03-08T05:00:00Z"), tz);
        assert_eq!(next, Some(utc("2026-03-08T07:30:00Z")));
    }

    #[test]
    fn every_n_minutes_counts_from_the_anchor() {
        let s = Schedule::Every { minutes: 15 };
        let anchor = utc("2026-03-10T01:00:00Z");
        assert!(!s.is_due(anchor, utc("2026-03-10T01:14:59Z"), JAKARTA));
        assert!(s.is_due(anchor, utc("2026-03-10T01:15:00Z"), JAKARTA));
    }

    #[test]
    fn a_missed_day_is_due_once_and_not_again_after_rerunning() {
        let s = Schedule::Daily { at: "09:00".into() };
        let last = utc("2026-03-01T02:00:00Z");
        let now = utc("2026-03-10T05:00:00Z");
        assert!(s.is_due(last, now, JAKARTA));
        // Re-anchored at the catch-up run: not due again until tomorrow 09:00.
        assert!(!s.is_due(now, utc("2026-03-10T23:00:00Z"), JAKARTA));
        assert!(s.is_due(now, utc("2026-03-11T02:00:00Z"), JAKARTA));
    }

    #[test]
    fn bad_values_are_rejected() {
        for bad in ["9:00", "24:00", "12:60", "noon", ""] {
            assert_eq!(
                Schedule::Daily { at: bad.into() }.validate(),
                Err(ScheduleError::BadTime),
                "{bad}"
            );
        }
        assert!(Schedule::Every { minutes: 0 }.validate().is_err());
        assert!(Schedule::Manual.next_after(Utc::now(), JAKARTA).is_none());
    }
}
