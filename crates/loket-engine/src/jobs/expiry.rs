//! The two daily expiry jobs: marking expired permits (00:00) and sending reminders by tier
//! crossing (09:00), grouped per tier as one desktop notification each.

use std::collections::{BTreeMap, HashMap};

use loket_core::permit::{days_until, office_today};
use loket_core::reminder::decide;
use loket_core::{ReminderLadder, RunCounts};
use loket_store::{ReminderCandidate, ReminderToRecord};

use super::{JobContext, JobEnd};
use crate::events::EngineEvent;
use crate::Result;

/// Marks active permits past their expiry date as expired (and renewed ones active again).
pub(crate) async fn mark_expired(ctx: &mut JobContext) -> Result<JobEnd> {
    let engine = &ctx.engine;
    let today = engine.office_today().await?;
    let (expired, revived) = engine.inner.store.mark_expired(today, engine.now()).await?;
    let changed = expired + revived;
    ctx.add_counts(RunCounts {
        updated: u32::try_from(changed).unwrap_or(u32::MAX),
        ..RunCounts::default()
    })
    .await;
    ctx.progress(changed, Some(changed), "permits marked", true);
    Ok(JobEnd::Done(ctx.counts()))
}

/// Sends the reminders due today: per permit the latest tier crossed and not yet sent.
pub(crate) async fn reminders(ctx: &mut JobContext) -> Result<JobEnd> {
    let engine = ctx.engine.clone();
    let store = &engine.inner.store;
    let today = engine.office_today().await?;
    let ladders: HashMap<String, ReminderLadder> = store
        .ladders_by_type()
        .await?
        .into_iter()
        .rev() // the first type of a name wins
        .filter_map(|(name, tiers)| Some((name, ReminderLadder(tiers).normalized().ok()?)))
        .collect();
    let horizon = ladders
        .values()
        .chain(std::iter::once(&ReminderLadder::default()))
        .filter_map(|l| l.0.first().copied())
        .max()
        .unwrap_or(90);
    let candidates = store.reminder_candidates(today, horizon).await?;
    let default_ladder = ReminderLadder::default();
    let mut decisions = Vec::new();
    let mut by_permit: HashMap<i64, &ReminderCandidate> = HashMap::new();
    for c in &candidates {
        let ladder = ladders.get(&c.permit_type_name).unwrap_or(&default_ladder);
        if let Some(d) = decide(days_until(c.expiry_date, today), ladder, &c.done) {
            decisions.push(ReminderToRecord {
                permit_id: c.permit_id,
                expiry_date: c.expiry_date,
                send: d.send,
                passed: d.passed,
            });
            by_permit.insert(c.permit_id, c);
        }
    }
    // Recorded first, notified after: a crash in between loses a notification, never sends twice;
    // the inbox holds every reminder either way.
    let recorded = store.record_reminders(&decisions, engine.now()).await?;
    let mut by_tier: BTreeMap<std::cmp::Reverse<u32>, Vec<&ReminderCandidate>> = BTreeMap::new();
    for r in &recorded {
        if let Some(c) = by_permit.get(&r.permit_id) {
            by_tier
                .entry(std::cmp::Reverse(r.send))
                .or_default()
                .push(c);
        }
    }
    let lang = store.settings().await?.language;
    // Most urgent first: the notification shown on top is the one that matters.
    for (std::cmp::Reverse(tier), permits) in by_tier.iter().rev() {
        let first = permits
            .first()
            .map(|c| {
                let number = c.permit_number.as_deref().unwrap_or(&c.permit_type_name);
                format!("{number} ({}, {})", c.applicant, c.expiry_date)
            })
            .unwrap_or_default();
        let (title, body) =
            loket_core::messages::reminder_group(lang, *tier, permits.len(), &first);
        engine.emit(EngineEvent::Notify { title, body });
    }
    let sent = recorded.len() as u64;
    ctx.add_counts(RunCounts {
        created: u32::try_from(sent).unwrap_or(u32::MAX),
        unchanged: u32::try_from(candidates.len() as u64 - sent).unwrap_or(u32::MAX),
        ..RunCounts::default()
    })
    .await;
    ctx.progress(sent, Some(sent), "reminders sent", true);
    if sent > 0 {
        engine.changed(&["permits", "reminders"]);
    }
    Ok(JobEnd::Done(ctx.counts()))
}

impl crate::Engine {
    /// The office's calendar date now.
    pub(crate) async fn office_today(&self) -> Result<chrono::NaiveDate> {
        let tz = self.inner.store.settings().await?.tz();
        Ok(office_today(self.now(), tz))
    }
}
