use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::job::JobKind;

/// A progress report of a running job, sent to the UI as an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Progress {
    #[ts(type = "number")]
    pub run_id: i64,
    pub job: JobKind,
    #[ts(type = "number | null")]
    pub connection_id: Option<i64>,
    pub done: u64,
    /// `None` while the total is not known yet.
    pub total: Option<u64>,
    /// Records per second since the run started.
    pub rate_per_sec: f64,
    pub eta_seconds: Option<f64>,
    /// What the job is doing now, e.g. "issued permits, page 3".
    pub stage: String,
}

/// Computes rate and ETA from the work done and the time elapsed.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProgressMeter;

impl ProgressMeter {
    /// Rate and ETA for `done` of `total` after `elapsed_secs`.
    pub fn rate_and_eta(done: u64, total: Option<u64>, elapsed_secs: f64) -> (f64, Option<f64>) {
        if elapsed_secs <= 0.0 || done == 0 {
            return (0.0, None);
        }
        let rate = done as f64 / elapsed_secs;
        let eta = total.map(|t| t.saturating_sub(done) as f64 / rate);
        (rate, eta)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_and_eta_follow_done_and_elapsed() {
        assert_eq!(ProgressMeter::rate_and_eta(0, Some(10), 1.0), (0.0, None));
        assert_eq!(
            ProgressMeter::rate_and_eta(50, Some(200), 5.0),
            (10.0, Some(15.0))
        );
        assert_eq!(ProgressMeter::rate_and_eta(50, None, 5.0), (10.0, None));
        assert_eq!(
            ProgressMeter::rate_and_eta(300, Some(200), 5.0),
            (60.0, Some(0.0))
        );
    }
}
