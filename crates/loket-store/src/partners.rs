//! Permit types (category, reminder ladder) and partners (applicants, WhatsApp, opt-in).

use chrono::{DateTime, Utc};
use loket_core::{
    PartnerEdit, PartnerRow, PermitCategory, PermitTypeEdit, PermitTypeRow, ReminderLadder,
};

use crate::{Result, Store, StoreError};

/// A stored ladder, or the default one when the stored text is unreadable.
pub(crate) fn parse_ladder(text: &str) -> Vec<u32> {
    serde_json::from_str(text).unwrap_or_else(|_| ReminderLadder::default().0)
}

impl Store {
    /// Every permit type with how many permits it has.
    pub async fn list_permit_types(&self) -> Result<Vec<PermitTypeRow>> {
        let rows = sqlx::query!(
            r#"SELECT t.id AS "id!", c.name AS "connection_name?", t.remote_id, t.name, t.code,
                      t.category, t.ladder,
                      (SELECT COUNT(*) FROM permit p WHERE p.permit_type_name = t.name) AS "permit_count!: i64"
               FROM permit_type t LEFT JOIN connection c ON c.id = t.connection_id
               ORDER BY t.name, t.id"#
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| PermitTypeRow {
                id: r.id,
                connection_name: r.connection_name,
                remote_id: Some(r.remote_id),
                name: r.name,
                code: r.code,
                category: PermitCategory::parse(&r.category),
                ladder: parse_ladder(&r.ladder),
                permit_count: u64::try_from(r.permit_count).unwrap_or(0),
            })
            .collect())
    }

    /// Saves a type's category (carried to its permits) and its reminder ladder.
    pub async fn save_permit_type(&self, id: i64, edit: &PermitTypeEdit) -> Result<()> {
        let mut tx = self.write_transaction().await?;
        let name = sqlx::query_scalar!("SELECT name FROM permit_type WHERE id = ?", id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound {
                what: "permit type",
                id,
            })?;
        let ladder =
            serde_json::to_string(&edit.ladder).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let category = edit.category.as_str();
        sqlx::query!(
            "UPDATE permit_type SET category = ?, ladder = ? WHERE id = ?",
            category,
            ladder,
            id
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!(
            "UPDATE permit SET category = ? WHERE permit_type_name = ?",
            category,
            name
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// One permit type.
    pub async fn permit_type(&self, id: i64) -> Result<PermitTypeRow> {
        self.list_permit_types()
            .await?
            .into_iter()
            .find(|t| t.id == id)
            .ok_or(StoreError::NotFound {
                what: "permit type",
                id,
            })
    }

    /// Ladders by permit type name (the first type of a name wins, as for categories).
    pub async fn ladders_by_type(&self) -> Result<Vec<(String, Vec<u32>)>> {
        let rows = sqlx::query!("SELECT name, ladder FROM permit_type ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| (r.name, parse_ladder(&r.ladder)))
            .collect())
    }

    /// Partners whose name, company or number contains `search`.
    pub async fn list_partners(&self, search: Option<&str>) -> Result<Vec<PartnerRow>> {
        let pattern = format!("%{}%", search.unwrap_or("").trim());
        let rows = sqlx::query!(
            r#"SELECT pa.id AS "id!", pa.name, pa.company, pa.phone, pa.whatsapp, pa.whatsapp_problem,
                      pa.opt_in AS "opt_in: bool", pa.opt_changed_at AS "opt_changed_at: DateTime<Utc>",
                      (SELECT COUNT(*) FROM permit p WHERE p.partner_id = pa.id) AS "permit_count!: i64"
               FROM partner pa
               WHERE pa.name LIKE ?1 OR IFNULL(pa.company, '') LIKE ?1
                  OR IFNULL(pa.phone, '') LIKE ?1 OR IFNULL(pa.whatsapp, '') LIKE ?1
               ORDER BY pa.name, pa.id LIMIT 5000"#,
            pattern
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| PartnerRow {
                id: r.id,
                name: r.name,
                company: r.company,
                phone: r.phone,
                whatsapp: r.whatsapp,
                whatsapp_problem: r.whatsapp_problem,
                opt_in: r.opt_in,
                opt_changed_at: r.opt_changed_at,
                permit_count: u64::try_from(r.permit_count).unwrap_or(0),
            })
            .collect())
    }

    /// One partner.
    pub async fn partner(&self, id: i64) -> Result<PartnerRow> {
        let name = sqlx::query_scalar!("SELECT name FROM partner WHERE id = ?", id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound {
                what: "partner",
                id,
            })?;
        self.list_partners(Some(&name))
            .await?
            .into_iter()
            .find(|p| p.id == id)
            .ok_or(StoreError::NotFound {
                what: "partner",
                id,
            })
    }

    /// Saves a partner; `whatsapp` is already normalised to E.164. Opting in or out is dated.
    pub async fn save_partner(
        &self,
        id: i64,
        edit: &PartnerEdit,
        whatsapp: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let mut tx = self.write_transaction().await?;
        let opt_in = sqlx::query_scalar!(
            r#"SELECT opt_in AS "opt_in: bool" FROM partner WHERE id = ?"#,
            id
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound {
            what: "partner",
            id,
        })?;
        let changed_at = (opt_in != edit.opt_in).then_some(now);
        let name = edit.name.trim();
        let key = crate::permits::partner_key(name);
        sqlx::query!(
            "UPDATE partner SET name = ?, name_key = ?, whatsapp = ?,
                 whatsapp_problem = CASE WHEN ? IS NULL THEN whatsapp_problem ELSE NULL END,
                 opt_in = ?, opt_changed_at = COALESCE(?, opt_changed_at), updated_at = ?
             WHERE id = ?",
            name,
            key,
            whatsapp,
            whatsapp,
            edit.opt_in,
            changed_at,
            now,
            id
        )
        .execute(&mut *tx)
        .await
        .map_err(StoreError::from)
        .map_err(|e| {
            if e.is_unique_violation() {
                StoreError::Conflict(format!("Another partner is already called \"{name}\"."))
            } else {
                e
            }
        })?;
        tx.commit().await?;
        Ok(())
    }
}
