//! Expiry reminders by *crossing*: each run sends, per permit, the latest tier that is due and
//! not yet sent, once, and marks the earlier tiers as passed. A permit first seen at 5 days gets
//! one 7-day reminder, not four.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The days-before-expiry at which reminders go out, e.g. 90 / 60 / 30 / 7.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReminderLadder(pub Vec<u32>);

impl Default for ReminderLadder {
    fn default() -> Self {
        Self(vec![90, 60, 30, 7])
    }
}

/// Why a ladder cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LadderError {
    #[error("a reminder ladder needs at least one tier")]
    Empty,
    #[error("reminder tiers must be between 0 and 3650 days")]
    OutOfRange,
}

impl ReminderLadder {
    /// The tiers, largest first, without duplicates.
    pub fn normalized(&self) -> Result<Self, LadderError> {
        let mut tiers = self.0.clone();
        if tiers.is_empty() {
            return Err(LadderError::Empty);
        }
        if tiers.iter().any(|t| *t > 3650) {
            return Err(LadderError::OutOfRange);
        }
        tiers.sort_unstable_by(|a, b| b.cmp(a));
        tiers.dedup();
        Ok(Self(tiers))
    }
}

/// What one reminder run decides for one permit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderDecision {
    /// The tier to send now.
    pub send: u32,
    /// Earlier tiers never sent, recorded as passed so they are never sent late.
    pub passed: Vec<u32>,
}

/// Decides the reminder for a permit `days_left` days before expiry, given the tiers already
/// sent (or passed) for its current expiry date. `None`: nothing to send.
/// Expired permits get no tier reminder: they are shown as expired instead.
pub fn decide(days_left: i64, ladder: &ReminderLadder, done: &[u32]) -> Option<ReminderDecision> {
    if days_left < 0 {
        return None;
    }
    let due: Vec<u32> = ladder
        .0
        .iter()
        .copied()
        .filter(|t| days_left <= i64::from(*t))
        .collect();
    let latest = *due.iter().min()?;
    if done.contains(&latest) {
        return None;
    }
    let passed = due
        .into_iter()
        .filter(|t| *t != latest && !done.contains(t))
        .collect();
    Some(ReminderDecision {
        send: latest,
        passed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ladder() -> ReminderLadder {
        ReminderLadder::default()
    }

    /// Days left, tiers already done, and the expected (send, passed).
    type Case = (i64, &'static [u32], Option<(u32, &'static [u32])>);

    #[test]
    fn crossing_table() {
        let cases: [Case; 10] = [
            (120, &[], None),
            (91, &[], None),
            (90, &[], Some((90, &[]))),
            (75, &[90], None),
            (60, &[90], Some((60, &[]))),
            (5, &[], Some((7, &[90, 60, 30]))),
            (5, &[90, 60, 30, 7], None),
            (29, &[90], Some((30, &[60]))),
            (0, &[90, 60, 30], Some((7, &[]))),
            (-1, &[], None),
        ];
        for (days, done, want) in cases {
            let got = decide(days, &ladder(), done).map(|d| (d.send, d.passed));
            let want = want.map(|(s, p)| (s, p.to_vec()));
            assert_eq!(got, want, "days {days}, done {done:?}");
        }
    }

    #[test]
    fn a_daily_run_over_a_year_sends_each_tier_exactly_once() {
        let mut done: Vec<u32> = Vec::new();
        let mut sent = Vec::new();
        for days in (-5..=400).rev() {
            if let Some(d) = decide(days, &ladder(), &done) {
                sent.push(d.send);
                done.push(d.send);
                done.extend(d.passed);
            }
        }
        assert_eq!(sent, [90, 60, 30, 7]);
    }

    #[test]
    fn ladders_are_sorted_and_checked() {
        assert_eq!(
            ReminderLadder(vec![7, 30, 30, 90]).normalized(),
            Ok(ReminderLadder(vec![90, 30, 7]))
        );
        assert_eq!(ReminderLadder(vec![]).normalized(), Err(LadderError::Empty));
        assert_eq!(
            ReminderLadder(vec![4000]).normalized(),
            Err(LadderError::OutOfRange)
        );
    }
}
