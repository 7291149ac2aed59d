//! Reading permits for the views: list pages, group counts, pivot cells and the dashboard.
//! Grouping and counting happen in SQLite, so a million permits never cross into Rust.

use chrono::{DateTime, NaiveDate, Utc};
use loket_core::permit::days_until;
use loket_core::permit_view::{MAX_PAGE, MAX_PIVOT_CELLS};
use loket_core::{
    ExpiryCount, ExpiryStatus, GroupBy, GroupCount, LastSync, PermitCategory, PermitFilter,
    PermitList, PermitQuery, PermitRow, PermitStatus, PivotCell, PivotQuery, PivotResult,
    RunStatus,
};
use sqlx::{QueryBuilder, Row, Sqlite};

use crate::permit_search::{
    group_expr, index_only_search, order_by, push_where, source_columns, ExpiryBounds, FROM,
    FROM_IN_EXPIRY_ORDER, FROM_PERMITS,
};
use crate::{Result, Store};

/// Matches above which a page in the default order walks the order's index (membership is a
/// lookup per index entry) instead of sorting every match; below it sorting is cheaper.
const WALK_INDEX_ABOVE: u64 = 5_000;

/// The columns a [`PermitRow`] is read from.
pub(crate) const ROW_COLUMNS: &str = "SELECT p.id, p.connection_id, c.name AS connection_name, \
     p.registration_id, p.permit_number, p.applicant, p.permit_type_name, p.category, p.company, \
     p.received_date, p.issue_date, p.expiry_date, p.status, p.partner_id, \
     p.renewal_in_progress, p.snoozed_until, p.last_synced_at";

#[derive(sqlx::FromRow)]
pub(crate) struct RawPermitRow {
    id: i64,
    connection_id: Option<i64>,
    connection_name: Option<String>,
    registration_id: String,
    permit_number: Option<String>,
    applicant: String,
    permit_type_name: String,
    category: String,
    company: Option<String>,
    received_date: Option<NaiveDate>,
    issue_date: Option<NaiveDate>,
    expiry_date: Option<NaiveDate>,
    status: String,
    partner_id: Option<i64>,
    renewal_in_progress: bool,
    snoozed_until: Option<NaiveDate>,
    last_synced_at: DateTime<Utc>,
}

impl RawPermitRow {
    /// The row as shown on `today` (days left and expiry status are reckoned, not stored).
    pub(crate) fn into_row(self, today: NaiveDate) -> PermitRow {
        PermitRow {
            id: self.id,
            connection_id: self.connection_id,
            connection_name: self.connection_name,
            registration_id: self.registration_id,
            permit_number: self.permit_number,
            applicant: self.applicant,
            permit_type_name: self.permit_type_name,
            category: PermitCategory::parse(&self.category),
            company: self.company,
            received_date: self.received_date,
            issue_date: self.issue_date,
            expiry_date: self.expiry_date,
            days_left: self.expiry_date.map(|e| days_until(e, today)),
            expiry_status: ExpiryStatus::of(self.expiry_date, today),
            // Rows only ever hold statuses this build writes; an unknown one reads as active.
            status: PermitStatus::parse(&self.status).unwrap_or(PermitStatus::Active),
            partner_id: self.partner_id,
            renewal_in_progress: self.renewal_in_progress,
            snoozed_until: self.snoozed_until,
            last_synced_at: self.last_synced_at,
        }
    }
}

impl Store {
    /// One page of permits matching the search, and how many match in all.
    pub async fn list_permits(&self, query: &PermitQuery, today: NaiveDate) -> Result<PermitList> {
        let bounds = ExpiryBounds::new(today);
        let total = self.count_matching(&query.filter, &bounds).await?;
        let mut q = QueryBuilder::<Sqlite>::new(ROW_COLUMNS);
        let default_order = query.sort == loket_core::PermitSort::default();
        q.push(if default_order && total > WALK_INDEX_ABOVE {
            FROM_IN_EXPIRY_ORDER
        } else {
            FROM
        });
        push_where(&mut q, &query.filter, &bounds);
        q.push(order_by(query.sort));
        q.push(" LIMIT ");
        q.push_bind(i64::from(query.limit.clamp(1, MAX_PAGE)));
        q.push(" OFFSET ");
        q.push_bind(i64::from(query.offset));
        let rows: Vec<RawPermitRow> = q.build_query_as().fetch_all(&self.pool).await?;
        Ok(PermitList {
            rows: rows.into_iter().map(|r| r.into_row(today)).collect(),
            total,
        })
    }

    async fn count_matching(&self, filter: &PermitFilter, bounds: &ExpiryBounds) -> Result<u64> {
        let n: i64 = if let Some(fts) = index_only_search(filter) {
            sqlx::query_scalar!(
                r#"SELECT COUNT(*) AS "n!: i64" FROM permit_fts WHERE permit_fts MATCH ?"#,
                fts
            )
            .fetch_one(&self.pool)
            .await?
        } else {
            let mut q = QueryBuilder::<Sqlite>::new("SELECT COUNT(*)");
            q.push(FROM_PERMITS);
            push_where(&mut q, filter, bounds);
            q.build_query_scalar().fetch_one(&self.pool).await?
        };
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Permits per group of one field (kanban columns, list groups, graphs), largest first.
    pub async fn permit_groups(
        &self,
        filter: &PermitFilter,
        group_by: GroupBy,
        today: NaiveDate,
    ) -> Result<Vec<GroupCount>> {
        let pivot = self
            .permit_pivot(
                &PivotQuery {
                    filter: filter.clone(),
                    rows: vec![group_by],
                    cols: vec![],
                },
                today,
            )
            .await?;
        let mut groups: Vec<GroupCount> = pivot
            .cells
            .into_iter()
            .map(|c| GroupCount {
                key: c.row.into_iter().next().flatten(),
                count: c.count,
            })
            .collect();
        groups.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
        Ok(groups)
    }

    /// Counts per combination of row and column groups, at full depth. Counted in two steps:
    /// per combination of the stored columns (read in the order of a covering index where one
    /// exists), then per bucket (month, expiry status…) over those few rows.
    pub async fn permit_pivot(&self, query: &PivotQuery, today: NaiveDate) -> Result<PivotResult> {
        let bounds = ExpiryBounds::new(today);
        let levels: Vec<GroupBy> = query.rows.iter().chain(&query.cols).copied().collect();
        let columns = source_columns(&levels);
        let mut q = QueryBuilder::<Sqlite>::new("SELECT ");
        for (i, g) in levels.iter().enumerate() {
            q.push(format!("{} AS g{i}, ", group_expr(*g, &bounds, "s")));
        }
        q.push("SUM(s.n) AS n FROM (SELECT ");
        for c in &columns {
            q.push(format!("p.{c} AS {c}, "));
        }
        q.push("COUNT(*) AS n");
        q.push(FROM_PERMITS);
        push_where(&mut q, &query.filter, &bounds);
        if !columns.is_empty() {
            q.push(format!(" GROUP BY {}", columns.join(", ")));
        }
        q.push(") s");
        if !levels.is_empty() {
            let positions: Vec<String> = (1..=levels.len()).map(|i| i.to_string()).collect();
            q.push(format!(" GROUP BY {}", positions.join(", ")));
        }
        // One more than allowed tells "too many" without reading them all.
        q.push(format!(" LIMIT {}", MAX_PIVOT_CELLS + 1));
        let rows = q.build().fetch_all(&self.pool).await?;
        if rows.len() > MAX_PIVOT_CELLS {
            let total = self.count_matching(&query.filter, &bounds).await?;
            return Ok(PivotResult {
                cells: vec![],
                too_many: true,
                total,
            });
        }
        let mut cells = Vec::with_capacity(rows.len());
        let mut total = 0u64;
        for row in rows {
            let mut keys = Vec::with_capacity(levels.len());
            for i in 0..levels.len() {
                keys.push(row.try_get::<Option<String>, _>(i)?);
            }
            // SUM over no rows (no group-by, nothing matches) is NULL.
            let count = row.try_get::<Option<i64>, _>(levels.len())?.unwrap_or(0);
            let count = u64::try_from(count).unwrap_or(0);
            if count == 0 {
                continue;
            }
            total += count;
            let col = keys.split_off(query.rows.len());
            cells.push(PivotCell {
                row: keys,
                col,
                count,
            });
        }
        Ok(PivotResult {
            cells,
            too_many: false,
            total,
        })
    }

    /// Permits per expiry status, the soonest to expire, the last sync per permit office and
    /// the unread reminders.
    pub async fn permit_dashboard_parts(
        &self,
        today: NaiveDate,
    ) -> Result<(Vec<ExpiryCount>, PermitList, Vec<LastSync>, u64)> {
        let by_status = self
            .permit_groups(
                &PermitFilter::default(),
                GroupBy {
                    field: loket_core::PermitField::ExpiryStatus,
                    interval: None,
                },
                today,
            )
            .await?;
        let by_expiry = [
            ExpiryStatus::Expired,
            ExpiryStatus::Critical,
            ExpiryStatus::Warning,
            ExpiryStatus::Ok,
            ExpiryStatus::Unknown,
        ]
        .into_iter()
        .map(|status| ExpiryCount {
            status,
            count: by_status
                .iter()
                .find(|g| g.key.as_deref() == Some(status.as_str()))
                .map_or(0, |g| g.count),
        })
        .collect();
        let soon = self
            .list_permits(
                &PermitQuery {
                    filter: PermitFilter {
                        expiring_within_days: Some(30),
                        status: vec![PermitStatus::Active],
                        ..PermitFilter::default()
                    },
                    sort: loket_core::PermitSort::default(),
                    offset: 0,
                    limit: 10,
                },
                today,
            )
            .await?;
        let last = sqlx::query!(
            r#"SELECT c.id AS "id!", c.name,
                      (SELECT r.started_at FROM sync_run r WHERE r.connection_id = c.id
                         AND r.job = 'new_permits' ORDER BY r.started_at DESC LIMIT 1)
                         AS "at: DateTime<Utc>",
                      (SELECT r.status FROM sync_run r WHERE r.connection_id = c.id
                         AND r.job = 'new_permits' ORDER BY r.started_at DESC LIMIT 1) AS status
               FROM connection c WHERE c.kind = 'sicantik' ORDER BY c.name"#
        )
        .fetch_all(&self.pool)
        .await?;
        let last_sync = last
            .into_iter()
            .map(|r| LastSync {
                connection_id: r.id,
                connection_name: r.name,
                at: r.at,
                status: r.status.as_deref().and_then(RunStatus::parse),
            })
            .collect();
        let unread = sqlx::query_scalar!(
            "SELECT COUNT(*) FROM permit_reminder WHERE state = 'sent' AND read_at IS NULL"
        )
        .fetch_one(&self.pool)
        .await?;
        Ok((
            by_expiry,
            soon,
            last_sync,
            u64::try_from(unread).unwrap_or(0),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{permit_office, temp_store};
    use loket_core::{PermitQuery, PermitSort};

    /// A search with many matches walks the order's index; one with few sorts its matches.
    /// Both must give the pages a plain sort of every match gives.
    #[tokio::test]
    async fn broad_and_narrow_searches_page_in_the_same_order() {
        let (store, _dir) = temp_store().await;
        let conn = permit_office(&store).await;
        let n = WALK_INDEX_ABOVE + 1_000;
        sqlx::query(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
             INSERT INTO permit (connection_id, registration_id, applicant, permit_type_name,
                 expiry_date, status, last_synced_at)
             SELECT ?, printf('%08d', i),
                 CASE WHEN i % 97 = 0 THEN 'Siti Rahayu' ELSE 'Budi Santoso' END,
                 'Izin Apotek',
                 CASE WHEN i % 7 = 0 THEN NULL ELSE date('2027-01-01', '+' || (i * 37 % 900) || ' days') END,
                 'active', '2026-12-01T00:00:00Z'
             FROM n",
        )
        .bind(i64::try_from(n).unwrap_or(0))
        .bind(conn)
        .execute(&store.pool)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap_or_default();
        for (search, expected_total) in [("santoso", n - n / 97), ("rahayu", n / 97)] {
            let mut expected: Vec<(String, i64)> = sqlx::query_as(
                "SELECT IFNULL(expiry_date, '9999-12-31'), id FROM permit WHERE applicant LIKE ?",
            )
            .bind(format!("%{search}%"))
            .fetch_all(&store.pool)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
            expected.sort();
            for offset in [0, 100, 4_000] {
                let page = store
                    .list_permits(
                        &PermitQuery {
                            filter: PermitFilter {
                                search: Some(search.into()),
                                ..PermitFilter::default()
                            },
                            sort: PermitSort::default(),
                            offset,
                            limit: 100,
                        },
                        today,
                    )
                    .await
                    .unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(page.total, expected_total, "{search}");
                let ids: Vec<i64> = page.rows.iter().map(|r| r.id).collect();
                let want: Vec<i64> = expected
                    .iter()
                    .skip(offset as usize)
                    .take(100)
                    .map(|(_, id)| *id)
                    .collect();
                assert_eq!(ids, want, "{search} at {offset}");
            }
        }
    }
}
