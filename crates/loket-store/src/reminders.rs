//! Expiry bookkeeping: marking expired permits, the reminder log by permit, tier and expiry
//! date (so a restart never sends a tier twice and a renewal starts a fresh ladder), and the
//! reminder inbox.

use chrono::{DateTime, Days, NaiveDate, Utc};
use loket_core::permit::days_until;
use loket_core::ReminderItem;

use crate::permits::add_event;
use crate::{Result, Store};

/// A permit that may be due a reminder, with the tiers already done for its expiry date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderCandidate {
    pub permit_id: i64,
    pub permit_number: Option<String>,
    pub applicant: String,
    pub permit_type_name: String,
    pub expiry_date: NaiveDate,
    pub done: Vec<u32>,
}

/// What one reminder run decided for one permit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderToRecord {
    pub permit_id: i64,
    pub expiry_date: NaiveDate,
    pub send: u32,
    pub passed: Vec<u32>,
}

impl Store {
    /// Marks active permits past their expiry date as expired, and expired ones whose expiry
    /// date moved into the future (a renewal) as active again. Returns both counts.
    pub async fn mark_expired(&self, today: NaiveDate, now: DateTime<Utc>) -> Result<(u64, u64)> {
        let mut tx = self.write_transaction().await?;
        let expired = sqlx::query_scalar!(
            r#"UPDATE permit SET status = 'expired'
               WHERE status = 'active' AND expiry_date < ? RETURNING id AS "id!""#,
            today
        )
        .fetch_all(&mut *tx)
        .await?;
        for id in &expired {
            add_event(&mut tx, *id, now, "status", "expired").await?;
        }
        let revived = sqlx::query_scalar!(
            r#"UPDATE permit SET status = 'active'
               WHERE status = 'expired' AND expiry_date >= ? RETURNING id AS "id!""#,
            today
        )
        .fetch_all(&mut *tx)
        .await?;
        for id in &revived {
            add_event(&mut tx, *id, now, "status", "active").await?;
        }
        tx.commit().await?;
        Ok((expired.len() as u64, revived.len() as u64))
    }

    /// Active permits expiring within `horizon_days`, not being renewed and not snoozed, with
    /// the tiers already done for their current expiry date.
    pub async fn reminder_candidates(
        &self,
        today: NaiveDate,
        horizon_days: u32,
    ) -> Result<Vec<ReminderCandidate>> {
        let until = today
            .checked_add_days(Days::new(u64::from(horizon_days)))
            .unwrap_or(NaiveDate::MAX);
        let rows = sqlx::query!(
            r#"SELECT p.id AS "id!", p.permit_number, p.applicant, p.permit_type_name,
                      p.expiry_date AS "expiry_date!: NaiveDate",
                      (SELECT group_concat(r.tier) FROM permit_reminder r
                        WHERE r.permit_id = p.id AND r.expiry_date = p.expiry_date) AS "done: String"
               FROM permit p
               WHERE p.status = 'active' AND p.renewal_in_progress = 0
                 AND p.expiry_date BETWEEN ?1 AND ?2
                 AND (p.snoozed_until IS NULL OR p.snoozed_until < ?1)
               ORDER BY p.expiry_date, p.id"#,
            today,
            until
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| ReminderCandidate {
                permit_id: r.id,
                permit_number: r.permit_number,
                applicant: r.applicant,
                permit_type_name: r.permit_type_name,
                expiry_date: r.expiry_date,
                done: r
                    .done
                    .unwrap_or_default()
                    .split(',')
                    .filter_map(|t| t.trim().parse().ok())
                    .collect(),
            })
            .collect())
    }

    /// Records a run's decisions in one transaction. A tier already recorded (another run got
    /// there first) is left alone; returns the reminders this call actually recorded as sent.
    pub async fn record_reminders(
        &self,
        decisions: &[ReminderToRecord],
        now: DateTime<Utc>,
    ) -> Result<Vec<ReminderToRecord>> {
        let mut tx = self.write_transaction().await?;
        let mut recorded = Vec::new();
        for d in decisions {
            let sent = i64::from(d.send);
            let inserted = sqlx::query!(
                "INSERT INTO permit_reminder (permit_id, tier, expiry_date, state, at)
                 VALUES (?, ?, ?, 'sent', ?) ON CONFLICT DO NOTHING",
                d.permit_id,
                sent,
                d.expiry_date,
                now
            )
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if inserted == 0 {
                continue;
            }
            for tier in &d.passed {
                let tier = i64::from(*tier);
                sqlx::query!(
                    "INSERT INTO permit_reminder (permit_id, tier, expiry_date, state, at, read_at)
                     VALUES (?, ?, ?, 'passed', ?, ?) ON CONFLICT DO NOTHING",
                    d.permit_id,
                    tier,
                    d.expiry_date,
                    now,
                    now
                )
                .execute(&mut *tx)
                .await?;
            }
            add_event(&mut tx, d.permit_id, now, "reminder", &d.send.to_string()).await?;
            recorded.push(d.clone());
        }
        tx.commit().await?;
        Ok(recorded)
    }

    /// The reminder inbox, newest first.
    pub async fn list_reminders(
        &self,
        unread_only: bool,
        today: NaiveDate,
    ) -> Result<Vec<ReminderItem>> {
        let rows = sqlx::query!(
            r#"SELECT r.id AS "id!", r.permit_id, p.permit_number, p.applicant, p.permit_type_name, r.tier,
                      r.expiry_date AS "expiry_date: NaiveDate", r.at AS "at: DateTime<Utc>",
                      r.read_at IS NOT NULL AS "read!: bool"
               FROM permit_reminder r JOIN permit p ON p.id = r.permit_id
               WHERE r.state = 'sent' AND (NOT ?1 OR r.read_at IS NULL)
               ORDER BY r.at DESC, r.tier, p.expiry_date LIMIT 2000"#,
            unread_only
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| ReminderItem {
                id: r.id,
                permit_id: r.permit_id,
                permit_number: r.permit_number,
                applicant: r.applicant,
                permit_type_name: r.permit_type_name,
                tier: u32::try_from(r.tier).unwrap_or(0),
                expiry_date: r.expiry_date,
                days_left: days_until(r.expiry_date, today),
                sent_at: r.at,
                read: r.read,
            })
            .collect())
    }

    /// Marks inbox items read.
    pub async fn mark_reminders_read(&self, ids: &[i64], now: DateTime<Utc>) -> Result<()> {
        let mut tx = self.write_transaction().await?;
        for id in ids {
            sqlx::query!(
                "UPDATE permit_reminder SET read_at = ? WHERE id = ? AND read_at IS NULL",
                now,
                id
            )
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Permits whose detail lookup failed at or after `since` (an expiry sync run's failures).
    pub async fn permit_failures_since(
        &self,
        connection_id: i64,
        since: DateTime<Utc>,
    ) -> Result<Vec<loket_core::PermitFailure>> {
        let rows = sqlx::query!(
            r#"SELECT id AS "id!", permit_number, detail_error AS "detail_error!" FROM permit
               WHERE connection_id = ? AND detail_error IS NOT NULL AND detail_synced_at >= ?
               ORDER BY id"#,
            connection_id,
            since
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| loket_core::PermitFailure {
                permit_id: r.id,
                permit_number: r.permit_number,
                reason: r.detail_error,
            })
            .collect())
    }
}
