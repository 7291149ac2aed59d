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

/// The stored column a field is computed from.
pub(crate) fn source_column(field: PermitField) -> &'static str {
    match field {
        PermitField::ExpiryStatus | PermitField::ExpiryDate => "expiry_date",
        PermitField::Status => "status",
        PermitField::PermitType => "permit_type_name",
        PermitField::Category => "category",
        PermitField::Connection => "connection_id",
        PermitField::ReceivedDate => "received_date",
        PermitField::IssueDate => "issue_date",
    }
}

/// The SQL expression a group-by groups on (NULL = no value), over the columns of the table
/// or subquery named `alias`.
pub(crate) fn group_expr(g: GroupBy, bounds: &ExpiryBounds, alias: &str) -> String {
    let col = format!("{alias}.{}", source_column(g.field));
    let date = |col: &str| match g.interval.unwrap_or_default() {
        DateInterval::Month => format!("substr({col}, 1, 7)"),
        DateInterval::Year => format!("substr({col}, 1, 4)"),
        DateInterval::Quarter => format!(
            "(substr({col}, 1, 4) || '-Q' || ((CAST(substr({col}, 6, 2) AS INTEGER) + 2) / 3))"
        ),
    };
    match g.field {
        PermitField::ExpiryStatus => format!(
            "(CASE WHEN {col} IS NULL THEN 'unknown' WHEN {col} < {} THEN 'expired' \
             WHEN {col} <= {} THEN 'critical' WHEN {col} <= {} THEN 'warning' \
             ELSE 'ok' END)",
            lit(bounds.today),
            lit(bounds.critical_until),
            lit(bounds.warning_until)
        ),
        PermitField::Status | PermitField::PermitType | PermitField::Category => col,
        PermitField::Connection => {
            format!("(SELECT c.name FROM connection c WHERE c.id = {col})")
        }
        PermitField::ReceivedDate | PermitField::IssueDate | PermitField::ExpiryDate => date(&col),
    }
}

/// Column pairs with a covering index (see the migrations): grouping on such a pair reads
/// the index in order instead of sorting a million rows.
const PAIR_INDEXES: [(&str, &str); 7] = [
    ("permit_type_name", "expiry_date"),
    ("status", "expiry_date"),
    ("permit_type_name", "status"),
    ("status", "received_date"),
    ("category", "expiry_date"),
    ("permit_type_name", "received_date"),
    ("category", "status"),
];

/// The stored columns a grouping reads, ordered to match a covering index when one exists.
pub(crate) fn source_columns(levels: &[GroupBy]) -> Vec<&'static str> {
    let mut cols: Vec<&'static str> = Vec::new();
    for g in levels {
        let c = source_column(g.field);
        if !cols.contains(&c) {
            cols.push(c);
        }
    }
    if let [a, b] = cols[..] {
        if PAIR_INDEXES.contains(&(b, a)) {
            cols.swap(0, 1);
        }
    }
    cols
}

/// `FROM` for list rows, with the connection joined for its name.
pub(crate) const FROM: &str = " FROM permit p LEFT JOIN connection c ON c.id = p.connection_id";

/// `FROM` for list rows in the list's default order when many permits match: walking the
/// order's index and keeping matches reaches a page sooner than sorting every match.
pub(crate) const FROM_IN_EXPIRY_ORDER: &str =
    " FROM permit p INDEXED BY permit_expiry_sort LEFT JOIN connection c ON c.id = p.connection_id";

/// `FROM` for counting and grouping: the permit table alone.
pub(crate) const FROM_PERMITS: &str = " FROM permit p";

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
        // Words of three characters or more go to the trigram index together (its doclists
        // intersect there); shorter ones cannot use it and are checked with `LIKE` on the rest.
        let (indexed, short) = split_search(search);
        if !indexed.is_empty() {
            and(q);
            q.push("p.id IN (SELECT rowid FROM permit_fts WHERE permit_fts MATCH ");
            q.push_bind(fts_query(&indexed));
            q.push(")");
        }
        for word in short {
            and(q);
            push_like_any(q, word);
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
        q.push(group_expr(g.group_by, bounds, "p"));
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

/// The columns a search looks in (the same as the `permit_fts` index).
const SEARCHED: [&str; 5] = [
    "p.registration_id",
    "p.permit_number",
    "p.applicant",
    "p.company",
    "p.permit_type_name",
];

/// Search words the trigram index can take (three characters or more), and the rest.
fn split_search(search: &str) -> (Vec<&str>, Vec<&str>) {
    search
        .split_whitespace()
        .partition(|w| w.chars().count() >= 3)
}

/// The index query alone when the filter is nothing but words the index can take: then the
/// count needs no permit rows at all.
pub(crate) fn index_only_search(f: &PermitFilter) -> Option<String> {
    let search = f.search.as_deref()?;
    let rest = PermitFilter {
        search: None,
        ..f.clone()
    };
    let (indexed, short) = split_search(search);
    (rest == PermitFilter::default() && short.is_empty() && !indexed.is_empty())
        .then(|| fts_query(&indexed))
}

/// One short word found anywhere inside any searched column, case ignored.
fn push_like_any(q: &mut QueryBuilder<'_, Sqlite>, word: &str) {
    let pattern = format!("%{}%", escape_like(word));
    q.push("(");
    for (i, col) in SEARCHED.iter().enumerate() {
        if i > 0 {
            q.push(" OR ");
        }
        q.push(format!("{col} LIKE "));
        q.push_bind(pattern.clone());
        q.push(" ESCAPE '\\'");
    }
    q.push(")");
}

/// Every word as a quoted FTS5 phrase (all required), so `AND`, `*`, `:` or quotes typed by
/// the user are text, not query syntax.
fn fts_query(words: &[&str]) -> String {
    words
        .iter()
        .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join(" ")
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
    if sort.field == PermitSortField::ExpiryDate && !sort.descending {
        // Matches the expression index permit_expiry_sort: unknown expiry last, no sorting.
        return format!(" ORDER BY {EXPIRY_SORT_KEY}, p.id");
    }
    format!(" ORDER BY {col} {dir} NULLS LAST, p.id {dir}")
}

/// The expression of index `permit_expiry_sort` (kept identical so SQLite uses it).
const EXPIRY_SORT_KEY: &str = "IFNULL(p.expiry_date, '9999-12-31')";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_with_a_covering_index_are_read_in_its_order() {
        let g = |field| GroupBy {
            field,
            interval: None,
        };
        assert_eq!(
            source_columns(&[g(PermitField::ExpiryStatus), g(PermitField::PermitType)]),
            vec!["permit_type_name", "expiry_date"]
        );
        assert_eq!(
            source_columns(&[g(PermitField::ExpiryDate), g(PermitField::ExpiryStatus)]),
            vec!["expiry_date"]
        );
        assert_eq!(
            source_columns(&[g(PermitField::Connection), g(PermitField::Status)]),
            vec!["connection_id", "status"]
        );
    }

    #[test]
    fn like_wildcards_typed_by_the_user_match_literally() {
        assert_eq!(escape_like("50%_a\\b"), "50\\%\\_a\\\\b");
    }

    #[test]
    fn fts_syntax_typed_by_the_user_is_quoted_text() {
        assert_eq!(
            fts_query(&["say\"hi", "AND", "abc*"]),
            "\"say\"\"hi\" \"AND\" \"abc*\""
        );
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
            "p",
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
