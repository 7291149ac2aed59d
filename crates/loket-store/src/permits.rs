use chrono::{DateTime, NaiveDate, Utc};
use loket_core::{PermitCategory, RunCounts};
use serde::Serialize;
use sqlx::SqliteConnection;
use std::collections::HashMap;

use crate::jobs::write_checkpoint;
use crate::{Result, Store, StoreError};

/// A permit type as pulled from a permit office.
#[derive(Debug, Clone, PartialEq)]
pub struct PermitTypeRecord {
    pub remote_id: String,
    pub name: String,
    pub code: Option<String>,
}

/// A permit as listed by a permit office.
#[derive(Debug, Clone, PartialEq)]
pub struct PermitRecord {
    pub registration_id: String,
    pub permit_number: Option<String>,
    pub applicant: String,
    pub permit_type_name: String,
    pub received_date: Option<NaiveDate>,
    /// Local status: "active" for issued permits, "in_process" for applications.
    pub status: String,
    pub remote_status: Option<String>,
    /// Only when the list reply carried it; a known expiry is never erased by a list.
    pub expiry_date: Option<NaiveDate>,
}

/// What the second step (the per-permit lookup) found, or why it failed.
#[derive(Debug, Clone, PartialEq)]
pub enum PermitDetailOutcome {
    Found {
        expiry_date: Option<NaiveDate>,
        issue_date: Option<NaiveDate>,
        company: Option<String>,
        npwp: Option<String>,
        phone: Option<String>,
        address: Option<String>,
    },
    Failed(String),
}

/// A permit whose detail is to be fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermitToCheck {
    pub id: i64,
    pub permit_number: String,
}

/// One page of permits with the job's resume point after it.
#[derive(Debug, Clone)]
pub struct PermitPage<'a> {
    pub connection_id: i64,
    pub job_id: i64,
    pub records: &'a [PermitRecord],
    pub checkpoint: serde_json::Value,
}

/// One changed record of a page, as the page's JSON array carries it to SQLite.
#[derive(Serialize)]
struct PageRow<'a> {
    reg: &'a str,
    number: Option<&'a str>,
    applicant: &'a str,
    partner: String,
    partner_name: String,
    type_name: &'a str,
    guessed: &'static str,
    received: Option<NaiveDate>,
    status: &'a str,
    remote_status: Option<&'a str>,
    expiry: Option<NaiveDate>,
    kind: &'static str,
    message: String,
}

fn json<T: Serialize + ?Sized>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// Whether a status the office set locally (expired, renewed, cancelled) outlives the permit
/// office still listing the permit as issued.
fn kept_local_status(local: &str, remote: &str) -> bool {
    matches!(local, "expired" | "renewed" | "cancelled") && remote == "active"
}

/// The partner for an applicant, made on first sight; applicants are matched by their name
/// with case and spacing ignored.
pub(crate) async fn upsert_partner_by_name(
    tx: &mut SqliteConnection,
    name: &str,
    now: DateTime<Utc>,
) -> Result<Option<i64>> {
    let key = partner_key(name);
    if key.is_empty() {
        return Ok(None);
    }
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    let id = sqlx::query_scalar!(
        r#"INSERT INTO partner (name, name_key, created_at, updated_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (name_key) DO UPDATE SET name_key = excluded.name_key
           RETURNING id AS "id!""#,
        name,
        key,
        now,
        now
    )
    .fetch_one(&mut *tx)
    .await?;
    Ok(Some(id))
}

/// How applicants are matched: lower case, single spaces.
pub(crate) fn partner_key(name: &str) -> String {
    name.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The category of the permit type with this name (any connection), or a guess from the name.
pub(crate) async fn category_of_type(
    tx: &mut SqliteConnection,
    type_name: &str,
) -> Result<&'static str> {
    let stored = sqlx::query_scalar!(
        "SELECT category FROM permit_type WHERE name = ? ORDER BY id LIMIT 1",
        type_name
    )
    .fetch_optional(&mut *tx)
    .await?;
    Ok(match stored {
        Some(c) => PermitCategory::parse(&c).as_str(),
        None => PermitCategory::guess(type_name).as_str(),
    })
}

/// One line of a permit's history.
pub(crate) async fn add_event(
    tx: &mut SqliteConnection,
    permit_id: i64,
    at: DateTime<Utc>,
    kind: &str,
    message: &str,
) -> Result<()> {
    sqlx::query!(
        "INSERT INTO permit_event (permit_id, at, kind, message) VALUES (?, ?, ?, ?)",
        permit_id,
        at,
        kind,
        message
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Fills in the permit's partner's company and phone when it has none yet; the phone is
/// normalised for WhatsApp, or the reason it cannot be is kept.
async fn update_partner_contact(
    tx: &mut SqliteConnection,
    permit_id: i64,
    company: Option<&str>,
    phone: Option<&str>,
    now: DateTime<Utc>,
) -> Result<()> {
    let (whatsapp, problem) = match phone.map(loket_core::phone::normalize_whatsapp) {
        Some(Ok(n)) => (Some(n), None),
        Some(Err(e)) => (None, Some(e.to_string())),
        None => (None, None),
    };
    sqlx::query!(
        "UPDATE partner SET
             company = COALESCE(company, ?),
             phone = COALESCE(phone, ?),
             whatsapp = CASE WHEN phone IS NULL THEN ? ELSE whatsapp END,
             whatsapp_problem = CASE WHEN phone IS NULL THEN ? ELSE whatsapp_problem END,
             updated_at = ?
         WHERE id = (SELECT partner_id FROM permit WHERE id = ?)",
        company,
        phone,
        whatsapp,
        problem,
        now,
        permit_id
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

impl Store {
    /// Upserts permit types by remote id; returns created / updated / unchanged counts.
    pub async fn upsert_permit_types(
        &self,
        connection_id: i64,
        types: &[PermitTypeRecord],
        now: DateTime<Utc>,
    ) -> Result<RunCounts> {
        let mut tx = self.write_transaction().await?;
        let mut counts = RunCounts::default();
        for t in types {
            let existing = sqlx::query!(
                "SELECT name, code FROM permit_type WHERE connection_id = ? AND remote_id = ?",
                connection_id,
                t.remote_id
            )
            .fetch_optional(&mut *tx)
            .await?;
            match existing {
                Some(row) if row.name == t.name && row.code == t.code => counts.unchanged += 1,
                Some(_) => counts.updated += 1,
                None => counts.created += 1,
            }
            // The category is guessed once; the office may change it afterwards.
            let category = PermitCategory::guess(&t.name).as_str();
            sqlx::query!(
                "INSERT INTO permit_type (connection_id, remote_id, name, code, category,
                     last_synced_at)
                 VALUES (?, ?, ?, ?, ?, ?)
                 ON CONFLICT (connection_id, remote_id) DO UPDATE SET
                     name = excluded.name, code = excluded.code,
                     last_synced_at = excluded.last_synced_at",
                connection_id,
                t.remote_id,
                t.name,
                t.code,
                category,
                now
            )
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(counts)
    }

    /// Upserts one page of permits by registration id and saves the job's checkpoint in the
    /// same transaction: a crash at any moment neither loses nor duplicates a record.
    /// The page goes to SQLite as one JSON array per statement, so a page costs a handful of
    /// statements however many records it holds.
    pub async fn upsert_permit_page(
        &self,
        page: PermitPage<'_>,
        now: DateTime<Utc>,
    ) -> Result<RunCounts> {
        let mut tx = self.write_transaction().await?;
        let mut counts = RunCounts::default();
        let ids: Vec<&str> = page
            .records
            .iter()
            .map(|p| p.registration_id.as_str())
            .collect();
        let ids = json(&ids)?;
        let existing = sqlx::query!(
            r#"SELECT registration_id, permit_number, applicant, permit_type_name,
                      received_date AS "received_date: NaiveDate", status, remote_status,
                      expiry_date AS "expiry_date: NaiveDate"
               FROM permit
               WHERE connection_id = ? AND registration_id IN (SELECT value FROM json_each(?))"#,
            page.connection_id,
            ids
        )
        .fetch_all(&mut *tx)
        .await?;
        let existing: HashMap<&str, _> = existing
            .iter()
            .map(|r| (r.registration_id.as_str(), r))
            .collect();
        let mut changed = Vec::new();
        for p in page.records {
            let event = match existing.get(p.registration_id.as_str()) {
                Some(row)
                    if row.permit_number == p.permit_number
                        && row.applicant == p.applicant
                        && row.permit_type_name == p.permit_type_name
                        && row.received_date == p.received_date
                        && (row.status == p.status
                            || kept_local_status(&row.status, &p.status))
                        && row.remote_status == p.remote_status
                        && (p.expiry_date.is_none() || row.expiry_date == p.expiry_date) =>
                {
                    counts.unchanged += 1;
                    continue;
                }
                Some(_) => {
                    counts.updated += 1;
                    ("synced_update", p.remote_status.clone().unwrap_or_default())
                }
                // A first listing is not history (the form shows when it was last synced);
                // writing it would add a row per permit to the first sync of an office.
                None => {
                    counts.created += 1;
                    ("", String::new())
                }
            };
            changed.push(PageRow {
                reg: &p.registration_id,
                number: p.permit_number.as_deref(),
                applicant: &p.applicant,
                partner: partner_key(&p.applicant),
                partner_name: p.applicant.split_whitespace().collect::<Vec<_>>().join(" "),
                type_name: &p.permit_type_name,
                guessed: PermitCategory::guess(&p.permit_type_name).as_str(),
                received: p.received_date,
                status: &p.status,
                remote_status: p.remote_status.as_deref(),
                expiry: p.expiry_date,
                kind: event.0,
                message: event.1,
            });
        }
        if !changed.is_empty() {
            let rows = json(&changed)?;
            sqlx::query!(
                "INSERT INTO partner (name, name_key, created_at, updated_at)
                 SELECT value ->> 'partner_name', value ->> 'partner', ?2, ?2
                 FROM json_each(?1) WHERE value ->> 'partner' <> ''
                 ON CONFLICT (name_key) DO NOTHING",
                rows,
                now
            )
            .execute(&mut *tx)
            .await?;
            sqlx::query!(
                "INSERT INTO permit (connection_id, registration_id, permit_number, applicant,
                     permit_type_name, category, received_date, status, remote_status,
                     expiry_date, partner_id, last_synced_at)
                 SELECT ?1, j.value ->> 'reg', j.value ->> 'number', j.value ->> 'applicant',
                     j.value ->> 'type_name',
                     COALESCE((SELECT t.category FROM permit_type t
                               WHERE t.name = j.value ->> 'type_name' ORDER BY t.id LIMIT 1),
                              j.value ->> 'guessed'),
                     j.value ->> 'received', j.value ->> 'status', j.value ->> 'remote_status',
                     j.value ->> 'expiry',
                     (SELECT pa.id FROM partner pa WHERE pa.name_key = j.value ->> 'partner'),
                     ?3
                 FROM json_each(?2) j WHERE true
                 ON CONFLICT (connection_id, registration_id) DO UPDATE SET
                     permit_number = excluded.permit_number, applicant = excluded.applicant,
                     permit_type_name = excluded.permit_type_name,
                     category = excluded.category,
                     received_date = excluded.received_date,
                     status = CASE WHEN permit.status IN ('expired', 'renewed', 'cancelled')
                                    AND excluded.status = 'active'
                                   THEN permit.status ELSE excluded.status END,
                     remote_status = excluded.remote_status,
                     expiry_date = COALESCE(excluded.expiry_date, permit.expiry_date),
                     partner_id = COALESCE(permit.partner_id, excluded.partner_id),
                     last_synced_at = excluded.last_synced_at",
                page.connection_id,
                rows,
                now
            )
            .execute(&mut *tx)
            .await?;
            sqlx::query!(
                // A correlated lookup, not a join: a join lets SQLite scan the whole
                // connection's permits for every row of the page.
                "INSERT INTO permit_event (permit_id, at, kind, message)
                 SELECT (SELECT p.id FROM permit p
                         WHERE p.connection_id = ?1 AND p.registration_id = j.value ->> 'reg'),
                        ?3, j.value ->> 'kind', j.value ->> 'message'
                 FROM json_each(?2) j WHERE j.value ->> 'kind' <> ''",
                page.connection_id,
                rows,
                now
            )
            .execute(&mut *tx)
            .await?;
        }
        write_checkpoint(&mut tx, page.job_id, &page.checkpoint).await?;
        tx.commit().await?;
        Ok(counts)
    }

    /// Issued permits whose detail was never fetched or failed last time, or all issued ones
    /// with `refresh_all`; newest first, so "test with 10" looks up permits that still matter
    /// (the oldest are often permanent ones, such as building permits). A permit the office lists without an expiry is not asked again daily.
    pub async fn permits_to_check(
        &self,
        connection_id: i64,
        refresh_all: bool,
        limit: Option<u32>,
    ) -> Result<Vec<PermitToCheck>> {
        let limit = limit.map(i64::from).unwrap_or(-1);
        let rows = sqlx::query!(
            r#"SELECT id AS "id!", permit_number AS "permit_number!" FROM permit
               WHERE connection_id = ?1 AND status = 'active' AND permit_number IS NOT NULL
                 AND (?2 OR (expiry_date IS NULL AND (detail_synced_at IS NULL OR detail_error IS NOT NULL)))
               ORDER BY received_date DESC, id DESC LIMIT ?3"#,
            connection_id,
            refresh_all,
            limit
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| PermitToCheck {
                id: r.id,
                permit_number: r.permit_number,
            })
            .collect())
    }

    /// Stores a batch of lookups in one transaction: details on success, the reason on failure.
    pub async fn save_permit_details(
        &self,
        outcomes: &[(i64, PermitDetailOutcome)],
        now: DateTime<Utc>,
    ) -> Result<()> {
        let mut tx = self.write_transaction().await?;
        for (id, outcome) in outcomes {
            match outcome {
                PermitDetailOutcome::Found {
                    expiry_date,
                    issue_date,
                    company,
                    npwp,
                    phone,
                    address,
                } => {
                    sqlx::query!(
                        "UPDATE permit SET expiry_date = ?, issue_date = ?, company = ?, npwp = ?,
                             phone = ?, address = ?, detail_synced_at = ?, detail_error = NULL
                         WHERE id = ?",
                        expiry_date,
                        issue_date,
                        company,
                        npwp,
                        phone,
                        address,
                        now,
                        id
                    )
                    .execute(&mut *tx)
                    .await?;
                    update_partner_contact(&mut tx, *id, company.as_deref(), phone.as_deref(), now)
                        .await?;
                    let message = expiry_date.map(|d| d.to_string()).unwrap_or_default();
                    add_event(&mut tx, *id, now, "detail", &message).await?;
                }
                PermitDetailOutcome::Failed(reason) => {
                    sqlx::query!(
                        "UPDATE permit SET detail_synced_at = ?, detail_error = ? WHERE id = ?",
                        now,
                        reason,
                        id
                    )
                    .execute(&mut *tx)
                    .await?;
                    add_event(&mut tx, *id, now, "detail_failed", reason).await?;
                }
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// How many permits a connection holds.
    pub async fn count_permits(&self, connection_id: i64) -> Result<i64> {
        Ok(sqlx::query_scalar!(
            "SELECT COUNT(*) FROM permit WHERE connection_id = ?",
            connection_id
        )
        .fetch_one(&self.pool)
        .await?)
    }

    /// How many permit types a connection holds.
    pub async fn count_permit_types(&self, connection_id: i64) -> Result<i64> {
        Ok(sqlx::query_scalar!(
            "SELECT COUNT(*) FROM permit_type WHERE connection_id = ?",
            connection_id
        )
        .fetch_one(&self.pool)
        .await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{permit_office, temp_store};
    use crate::NewLogEntry;
    use loket_core::JobKind;

    fn permit(i: usize) -> PermitRecord {
        PermitRecord {
            registration_id: format!("{i:016}"),
            permit_number: Some(format!("503/{i}/2025")),
            applicant: format!("Pemohon {i}"),
            permit_type_name: "IZIN APOTEK".into(),
            received_date: NaiveDate::from_ymd_opt(2025, 7, 3),
            status: "active".into(),
            remote_status: None,
            expiry_date: None,
        }
    }

    #[tokio::test]
    async fn pages_upsert_idempotently_while_other_writers_commit() {
        let (store, _dir) = temp_store().await;
        let conn = permit_office(&store).await;
        let job = store
            .ensure_job(
                JobKind::NewPermits,
                Some(conn),
                &JobKind::NewPermits.default_schedule(),
                Utc::now(),
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        // A log writer commits all the time, as during a real sync.
        let logger = {
            let store = store.clone();
            tokio::spawn(async move {
                for _ in 0..200 {
                    let entry = NewLogEntry {
                        connection_id: conn,
                        at: Utc::now(),
                        method: "GET".into(),
                        endpoint: "x".into(),
                        params: None,
                        status: Some(200),
                        duration_ms: 1,
                        bytes: 1,
                        error_category: None,
                        error: None,
                    };
                    store
                        .append_log(&[entry])
                        .await
                        .unwrap_or_else(|e| panic!("log: {e}"));
                }
            })
        };
        let records: Vec<PermitRecord> = (0..500).map(permit).collect();
        for (n, chunk) in records.chunks(25).enumerate() {
            let page = PermitPage {
                connection_id: conn,
                job_id: job,
                records: chunk,
                checkpoint: serde_json::json!({ "page": n }),
            };
            store
                .upsert_permit_page(page, Utc::now())
                .await
                .unwrap_or_else(|e| panic!("page {n}: {e}"));
        }
        logger.await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(store.count_permits(conn).await.ok(), Some(500));
        assert_eq!(
            store.checkpoint(job).await.ok().flatten(),
            Some(serde_json::json!({ "page": 19 }))
        );
        // The same page again changes nothing.
        let again = store
            .upsert_permit_page(
                PermitPage {
                    connection_id: conn,
                    job_id: job,
                    records: &records[..25],
                    checkpoint: serde_json::json!({}),
                },
                Utc::now(),
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((again.created, again.unchanged), (0, 25));
    }
}
