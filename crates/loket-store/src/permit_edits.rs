//! One permit: the form's detail, the office's edits, kanban moves and permits entered by hand.

use chrono::{DateTime, NaiveDate, Utc};
use loket_core::{
    NewPermit, PermitDetail, PermitEdit, PermitEvent, PermitRow, PermitStatus, RecordLink,
    ReminderSent, ReminderState,
};
use sqlx::{QueryBuilder, Sqlite};

use crate::permit_search::FROM;
use crate::permit_views::{RawPermitRow, ROW_COLUMNS};
use crate::permits::{add_event, category_of_type, upsert_partner_by_name};
use crate::{Result, Store, StoreError};

/// How many history lines the form shows.
const HISTORY: i64 = 100;

impl Store {
    /// One permit as a view row.
    pub async fn permit_row(&self, id: i64, today: NaiveDate) -> Result<PermitRow> {
        let mut q = QueryBuilder::<Sqlite>::new(ROW_COLUMNS);
        q.push(FROM);
        q.push(" WHERE p.id = ");
        q.push_bind(id);
        let row: Option<RawPermitRow> = q.build_query_as().fetch_optional(&self.pool).await?;
        row.map(|r| r.into_row(today))
            .ok_or_else(|| StoreError::NotFound { what: "permit", id })
    }

    /// Everything the permit form shows.
    pub async fn permit_detail(&self, id: i64, today: NaiveDate) -> Result<PermitDetail> {
        let permit = self.permit_row(id, today).await?;
        let extra = sqlx::query!(
            r#"SELECT p.npwp, p.phone, p.address, p.notes, p.remote_status, p.detail_error,
                      p.renewal_of_id, o.permit_number AS renewal_of_number,
                      o.registration_id AS "renewal_of_registration?",
                      pa.id AS "partner_id?", pa.name AS "partner_name?"
               FROM permit p
               LEFT JOIN permit o ON o.id = p.renewal_of_id
               LEFT JOIN partner pa ON pa.id = p.partner_id
               WHERE p.id = ?"#,
            id
        )
        .fetch_one(&self.pool)
        .await?;
        let renewed_by = sqlx::query!(
            r#"SELECT id AS "id!", permit_number, registration_id FROM permit WHERE renewal_of_id = ?
             ORDER BY id DESC LIMIT 1"#,
            id
        )
        .fetch_optional(&self.pool)
        .await?
        .map(|r| RecordLink {
            id: r.id,
            label: r.permit_number.unwrap_or(r.registration_id),
        });
        let reminders = sqlx::query!(
            r#"SELECT tier, expiry_date AS "expiry_date: NaiveDate", state,
                      at AS "at: DateTime<Utc>"
               FROM permit_reminder WHERE permit_id = ? ORDER BY at DESC, tier"#,
            id
        )
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|r| ReminderSent {
            tier: u32::try_from(r.tier).unwrap_or(0),
            expiry_date: r.expiry_date,
            state: if r.state == "sent" {
                ReminderState::Sent
            } else {
                ReminderState::Passed
            },
            at: r.at,
        })
        .collect();
        let history = sqlx::query!(
            r#"SELECT at AS "at: DateTime<Utc>", kind, message FROM permit_event
               WHERE permit_id = ? ORDER BY id DESC LIMIT ?"#,
            id,
            HISTORY
        )
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|r| PermitEvent {
            at: r.at,
            kind: r.kind,
            message: r.message,
        })
        .collect();
        Ok(PermitDetail {
            permit,
            npwp: extra.npwp,
            phone: extra.phone,
            address: extra.address,
            notes: extra.notes,
            remote_status: extra.remote_status,
            detail_error: extra.detail_error,
            renewal_of: match (extra.renewal_of_id, extra.renewal_of_registration) {
                (Some(id), Some(reg)) => Some(RecordLink {
                    id,
                    label: extra.renewal_of_number.unwrap_or(reg),
                }),
                _ => None,
            },
            renewed_by,
            partner: match (extra.partner_id, extra.partner_name) {
                (Some(id), Some(name)) => Some(RecordLink { id, label: name }),
                _ => None,
            },
            reminders,
            history,
        })
    }

    /// Saves the form. Linking a renewal marks the renewed permit as renewed.
    pub async fn save_permit(&self, id: i64, edit: &PermitEdit, now: DateTime<Utc>) -> Result<()> {
        let mut tx = self.write_transaction().await?;
        let before = sqlx::query!(
            r#"SELECT status, notes, expiry_date AS "expiry_date: NaiveDate", renewal_of_id
               FROM permit WHERE id = ?"#,
            id
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| StoreError::NotFound { what: "permit", id })?;
        if let Some(other) = edit.renewal_of_id {
            let exists = sqlx::query_scalar!("SELECT COUNT(*) FROM permit WHERE id = ?", other)
                .fetch_one(&mut *tx)
                .await?;
            if exists == 0 {
                return Err(StoreError::NotFound {
                    what: "permit",
                    id: other,
                });
            }
        }
        let status = edit.status.as_str();
        sqlx::query!(
            "UPDATE permit SET status = ?, notes = ?, expiry_date = ?, renewal_of_id = ?,
                 renewal_in_progress = ?, snoozed_until = ?
             WHERE id = ?",
            status,
            edit.notes,
            edit.expiry_date,
            edit.renewal_of_id,
            edit.renewal_in_progress,
            edit.snoozed_until,
            id
        )
        .execute(&mut *tx)
        .await?;
        if before.status != status {
            add_event(&mut tx, id, now, "status", status).await?;
        }
        if before.expiry_date != edit.expiry_date {
            let message = edit.expiry_date.map(|d| d.to_string()).unwrap_or_default();
            add_event(&mut tx, id, now, "expiry_edited", &message).await?;
        }
        if before.notes != edit.notes {
            add_event(&mut tx, id, now, "notes", "").await?;
        }
        if let Some(old) = edit
            .renewal_of_id
            .filter(|o| Some(*o) != before.renewal_of_id)
        {
            sqlx::query!(
                "UPDATE permit SET status = 'renewed', renewal_in_progress = 0 WHERE id = ?",
                old
            )
            .execute(&mut *tx)
            .await?;
            add_event(&mut tx, old, now, "renewed", &id.to_string()).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// A kanban move: the status only.
    pub async fn set_permit_status(
        &self,
        id: i64,
        status: PermitStatus,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let mut tx = self.write_transaction().await?;
        let status = status.as_str();
        let changed = sqlx::query!("UPDATE permit SET status = ? WHERE id = ?", status, id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if changed == 0 {
            return Err(StoreError::NotFound { what: "permit", id });
        }
        add_event(&mut tx, id, now, "status", status).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A bulk status change in one transaction; returns how many permits changed (ids that no
    /// longer exist are skipped).
    pub async fn set_permits_status(
        &self,
        ids: &[i64],
        status: PermitStatus,
        now: DateTime<Utc>,
    ) -> Result<u64> {
        let mut tx = self.write_transaction().await?;
        let status = status.as_str();
        let ids = serde_json::to_string(ids).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let changed = sqlx::query_scalar!(
            r#"UPDATE permit SET status = ?1
               WHERE id IN (SELECT value FROM json_each(?2)) AND status <> ?1
               RETURNING id AS "id!""#,
            status,
            ids
        )
        .fetch_all(&mut *tx)
        .await?;
        for id in &changed {
            add_event(&mut tx, *id, now, "status", status).await?;
        }
        tx.commit().await?;
        Ok(changed.len() as u64)
    }

    /// A permit entered by hand, with no permit office behind it.
    pub async fn create_permit(&self, input: &NewPermit, now: DateTime<Utc>) -> Result<i64> {
        let mut tx = self.write_transaction().await?;
        let applicant = input.applicant.trim();
        let type_name = input.permit_type_name.trim();
        let partner = upsert_partner_by_name(&mut tx, applicant, now).await?;
        let category = category_of_type(&mut tx, type_name).await?;
        let registration = format!("manual-{}", now.timestamp_micros());
        let status = input.status.as_str();
        let number = input
            .permit_number
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty());
        let id = sqlx::query_scalar!(
            r#"INSERT INTO permit (connection_id, registration_id, permit_number, applicant,
                   permit_type_name, category, status, expiry_date, partner_id, last_synced_at)
               VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id AS "id!""#,
            registration,
            number,
            applicant,
            type_name,
            category,
            status,
            input.expiry_date,
            partner,
            now
        )
        .fetch_one(&mut *tx)
        .await?;
        add_event(&mut tx, id, now, "created", "").await?;
        tx.commit().await?;
        Ok(id)
    }
}
