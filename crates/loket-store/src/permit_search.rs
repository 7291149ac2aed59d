//! The permit views' search turned into SQL. Filters and group-bys are chosen by the user, so
//! this SQL is assembled at run time: only from the fixed expressions below, with every value
//! the user typed bound as a parameter (never spliced into the text).

use chrono::{Days, NaiveDate};
use loket_core::{
    DateInterval, ExpiryStatus, GroupBy, PermitField, PermitFilter, PermitSort, PermitSortField,
};
use sqlx::{QueryBuilder, Sqlite};

/// The calendar dates that bound the expiry statuses on one office day.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ExpiryBounds {
    today: NaiveDate,
    /// Last day that is still "critical" (30 days left).
    critical_until: NaiveDate,
    /// Last day that is still "warning" (60 days left).
    warning_until: NaiveDate,
}

impl ExpiryBounds {
    pub(crate) fn new(today: NaiveDate) -> Self {
        Self {
            today,
            critical_until: today.checked_add_days(Days::new(30)).unwrap_or(today),
            warning_until: today.checked_add_days(Days::new(60)).unwrap_or(today),
        }
    }

    /// Days after today, saturating at the calendar's end.
    fn plus(&self, days: u32) -> NaiveDate {
        self.today
            .checked_add_days(Days::new(u64::from(days)))
            .unwrap_or(NaiveDate::MAX)
    }
}

/// SQL for a date literal: our own formatting of a valid date, so safe to inline; inlined
/// because the same expression appears in SELECT and GROUP BY.
fn lit(d: NaiveDate) -> String {
    format!("'{}'", d.format("%Y-%m-%d"))
}

/// The SQL expression a group-by groups on (NULL = no value).
pub(crate) fn group_expr(g: GroupBy, bounds: &ExpiryBounds) -> String {
    let date = |col: &str| match g.interval.unwrap_or_default() {
        DateInterval::Month => format!("substr({col}, 1, 7)"),
        DateInterval::Year => format!("substr({col}, 1, 4)"),
        DateInterval::Quarter => format!(
            "(substr({col}, 1, 4) || '-Q' || ((CAST(substr({col}, 6, 2) AS INTEGER) + 2) / 3))"
        ),
    };
    match g.field {
        PermitField::ExpiryStatus => format!(
            "(CASE WHEN p.expiry_date IS NULL THEN 'unknown' WHEN p.expiry_date < {} THEN 'expired' \
             WHEN p.expiry_date <= {} THEN 'critical' WHEN p.expiry_date <= {} THEN 'warning' \
             ELSE 'ok' END)",
            lit(bounds.today),
            lit(bounds.critical_until),
            lit(bounds.warning_until)
        ),
        PermitField::Status => "p.status".into(),
        PermitField::PermitType => "p.permit_type_name".into(),
        PermitField::Category => "p.category".into(),
        PermitField::Connection => "c.name".into(),
        PermitField::ReceivedDate => date("p.received_date"),
        PermitField::IssueDate => date("p.issue_date"),
        PermitField::ExpiryDate => date("p.expiry_date"),
    }
}

/// `FROM` with the connection joined (its name is shown and grouped on).
pub(crate) const FROM: &str = " FROM permit p LEFT JOIN connection c ON c.id = p.connection_id";

/// Appends ` WHERE …` for a filter (or nothing when it filters nothing).
pub(crate) fn push_where(
    q: &mut QueryBuilder<'_, Sqlite>,
    f: &PermitFilter,
    bounds: &ExpiryBounds,
) {
    let mut first = true;
    let mut and = |q: &mut QueryBuilder<'_, Sqlite>| {
        q.push(if first { " WHERE " } else { " AND " });
        first = false;
    };
    if let Some(search) = &f.search {
        for word in search.split_whitespace() {
            and(q);
            let pattern = format!("%{}%", escape_like(word));
            q.push("(");
            for (i, col) in [
                "p.registration_id",
                "p.permit_number",
                "p.applicant",
                "p.company",
                "p.permit_type_name",
            ]
            .iter()
            .enumerate()
            {
                if i > 0 {
                    q.push(" OR ");
                }
                q.push(format!("{col} LIKE "));
                q.push_bind(pattern.clone());
                q.push(" ESCAPE '\\'");
            }
            q.push(")");
        }
    }
    if !f.expiry_status.is_empty() {
        and(q);
        q.push("(");
        for (i, s) in f.expiry_status.iter().enumerate() {
            if i > 0 {
                q.push(" OR ");
            }
            q.push(expiry_condition(*s, bounds));
        }
        q.push(")");
    }
    if !f.status.is_empty() {
        and(q);
        q.push("p.status IN (");
        let mut list = q.separated(", ");
        for s in &f.status {
            list.push_bind(s.as_str());
        }
        q.push(")");
    }
    if !f.permit_type.is_empty() {
        and(q);
        q.push("p.permit_type_name IN (");
        let mut list = q.separated(", ");
        for t in &f.permit_type {
            list.push_bind(t.clone());
        }
        q.push(")");
    }
    if let Some(category) = f.category {
        and(q);
        q.push("p.category = ");
        q.push_bind(category.as_str());
    }
    if let Some(id) = f.connection_id {
        and(q);
        q.push("p.connection_id = ");
        q.push_bind(id);
    }
    if let Some(days) = f.expiring_within_days {
        and(q);
        q.push(format!(
            "p.expiry_date BETWEEN {} AND {}",
            lit(bounds.today),
            lit(bounds.plus(days))
        ));
    }
    for g in &f.groups {
        and(q);
        q.push(group_expr(g.group_by, bounds));
        match &g.key {
            Some(key) => {
                q.push(" = ");
                q.push_bind(key.clone());
            }
            None => {
                q.push(" IS NULL");
            }
        }
    }
}

/// An expiry status as a range of expiry dates, so the expiry index serves it.
fn expiry_condition(s: ExpiryStatus, b: &ExpiryBounds) -> String {
    match s {
        ExpiryStatus::Unknown => "p.expiry_date IS NULL".into(),
        ExpiryStatus::Expired => format!("p.expiry_date < {}", lit(b.today)),
        ExpiryStatus::Critical => format!(
            "p.expiry_date BETWEEN {} AND {}",
            lit(b.today),
            lit(b.critical_until)
        ),
        ExpiryStatus::Warning => format!(
            "(p.expiry_date > {} AND p.expiry_date <= {})",
            lit(b.critical_until),
            lit(b.warning_until)
        ),
        ExpiryStatus::Ok => format!("p.expiry_date > {}", lit(b.warning_until)),
    }
}

/// `%`, `_` and `\` match themselves in a search.
fn escape_like(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// ` ORDER BY …` with the id as tie-break so pages never overlap; records without a value last.
pub(crate) fn order_by(sort: PermitSort) -> String {
    let col = match sort.field {
        PermitSortField::RegistrationId => "p.registration_id",
        PermitSortField::PermitNumber => "p.permit_number",
        PermitSortField::Applicant => "p.applicant",
        PermitSortField::PermitType => "p.permit_type_name",
        PermitSortField::ReceivedDate => "p.received_date",
        PermitSortField::IssueDate => "p.issue_date",
        PermitSortField::ExpiryDate => "p.expiry_date",
        PermitSortField::Status => "p.status",
        PermitSortField::LastSyncedAt => "p.last_synced_at",
    };
    let dir = if sort.descending { "DESC" } else { "ASC" };
    format!(" ORDER BY {col} {dir} NULLS LAST, p.id {dir}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_wildcards_typed_by_the_user_match_literally() {
        assert_eq!(escape_like("50%_a\\b"), "50\\%\\_a\\\\b");
    }

    #[test]
    fn quarter_and_status_expressions_use_the_office_day() {
        let bounds = ExpiryBounds::new(NaiveDate::from_ymd_opt(2026, 12, 3).unwrap_or_default());
        let status = group_expr(
            GroupBy {
                field: PermitField::ExpiryStatus,
                interval: None,
            },
            &bounds,
        );
        assert!(
            status.contains("'2026-12-03'")
                && status.contains("'2027-01-02'")
                && status.contains("'2027-02-01'")
        );
        assert_eq!(
            expiry_condition(ExpiryStatus::Warning, &bounds),
            "(p.expiry_date > '2027-01-02' AND p.expiry_date <= '2027-02-01')"
        );
    }
}
