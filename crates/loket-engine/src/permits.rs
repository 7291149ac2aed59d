//! What the permit screens call: the search over permits, the form, kanban moves, permit
//! types, partners, the reminder inbox and the dashboard cards.

use loket_core::permit_view::MAX_PAGE;
use loket_core::{
    FieldError, GroupBy, GroupCount, NewPermit, PartnerEdit, PartnerRow, PermitDashboard,
    PermitDetail, PermitEdit, PermitFailure, PermitFilter, PermitList, PermitQuery, PermitRow,
    PermitStatus, PermitTypeEdit, PermitTypeRow, PivotQuery, PivotResult, ReminderItem,
    ReminderLadder,
};

use crate::{Engine, EngineError, Result};

/// The most tiers a ladder may have.
const MAX_TIERS: usize = 6;

fn field(field: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.into(),
        message: message.into(),
    }
}

impl Engine {
    /// One page of the permit list.
    pub async fn list_permits(&self, mut query: PermitQuery) -> Result<PermitList> {
        query.limit = query.limit.clamp(1, MAX_PAGE);
        let today = self.office_today().await?;
        Ok(self.inner.store.list_permits(&query, today).await?)
    }

    /// Permits per group of one field.
    pub async fn permit_groups(
        &self,
        filter: PermitFilter,
        group_by: GroupBy,
    ) -> Result<Vec<GroupCount>> {
        let today = self.office_today().await?;
        Ok(self
            .inner
            .store
            .permit_groups(&filter, group_by, today)
            .await?)
    }

    /// The pivot table's cells.
    pub async fn permit_pivot(&self, query: PivotQuery) -> Result<PivotResult> {
        let today = self.office_today().await?;
        Ok(self.inner.store.permit_pivot(&query, today).await?)
    }

    /// The permit form.
    pub async fn get_permit(&self, id: i64) -> Result<PermitDetail> {
        let today = self.office_today().await?;
        Ok(self.inner.store.permit_detail(id, today).await?)
    }

    /// Saves the permit form.
    pub async fn save_permit(&self, id: i64, edit: PermitEdit) -> Result<PermitDetail> {
        let errors = edit.validate(id);
        if !errors.is_empty() {
            return Err(EngineError::Invalid(errors));
        }
        self.inner.store.save_permit(id, &edit, self.now()).await?;
        self.changed(&["permits"]);
        self.get_permit(id).await
    }

    /// A kanban move.
    pub async fn set_permit_status(&self, id: i64, status: PermitStatus) -> Result<PermitRow> {
        self.inner
            .store
            .set_permit_status(id, status, self.now())
            .await?;
        self.changed(&["permits"]);
        let today = self.office_today().await?;
        Ok(self.inner.store.permit_row(id, today).await?)
    }

    /// A bulk status change (the list's selection bar); returns how many permits changed.
    pub async fn set_permits_status(&self, ids: Vec<i64>, status: PermitStatus) -> Result<u64> {
        let changed = self
            .inner
            .store
            .set_permits_status(&ids, status, self.now())
            .await?;
        self.changed(&["permits"]);
        Ok(changed)
    }

    /// A permit entered by hand.
    pub async fn create_permit(&self, input: NewPermit) -> Result<PermitRow> {
        let errors = input.validate();
        if !errors.is_empty() {
            return Err(EngineError::Invalid(errors));
        }
        let id = self.inner.store.create_permit(&input, self.now()).await?;
        self.changed(&["permits", "partners"]);
        let today = self.office_today().await?;
        Ok(self.inner.store.permit_row(id, today).await?)
    }

    pub async fn list_permit_types(&self) -> Result<Vec<PermitTypeRow>> {
        Ok(self.inner.store.list_permit_types().await?)
    }

    /// Saves a permit type's category and reminder ladder (largest tier first).
    pub async fn save_permit_type(
        &self,
        id: i64,
        mut edit: PermitTypeEdit,
    ) -> Result<PermitTypeRow> {
        let mut errors = Vec::new();
        if edit.ladder.len() > MAX_TIERS {
            errors.push(field(
                "ladder",
                format!("Use at most {MAX_TIERS} reminder tiers."),
            ));
        }
        if edit.ladder.contains(&0) {
            errors.push(field(
                "ladder",
                "Reminder tiers are whole days before expiry, 1 or more.",
            ));
        }
        match ReminderLadder(edit.ladder.clone()).normalized() {
            Ok(l) => edit.ladder = l.0,
            Err(e) => errors.push(field("ladder", e.to_string())),
        }
        if !errors.is_empty() {
            return Err(EngineError::Invalid(errors));
        }
        self.inner.store.save_permit_type(id, &edit).await?;
        self.changed(&["permits", "permit_types"]);
        Ok(self.inner.store.permit_type(id).await?)
    }

    pub async fn list_partners(&self, search: Option<String>) -> Result<Vec<PartnerRow>> {
        Ok(self.inner.store.list_partners(search.as_deref()).await?)
    }

    /// Saves a partner; the WhatsApp number is normalised to E.164 or refused with the reason.
    pub async fn save_partner(&self, id: i64, edit: PartnerEdit) -> Result<PartnerRow> {
        let mut errors = Vec::new();
        if edit.name.trim().is_empty() {
            errors.push(field("name", "Enter the partner's name."));
        }
        let whatsapp = match edit
            .whatsapp
            .as_deref()
            .map(str::trim)
            .filter(|w| !w.is_empty())
        {
            None => None,
            Some(raw) => match loket_core::phone::normalize_whatsapp(raw) {
                Ok(n) => Some(n),
                Err(e) => {
                    errors.push(field("whatsapp", capitalised(&e.to_string())));
                    None
                }
            },
        };
        if edit.opt_in && whatsapp.is_none() && errors.is_empty() {
            errors.push(field(
                "whatsapp",
                "A partner can only opt in with a WhatsApp number.",
            ));
        }
        if !errors.is_empty() {
            return Err(EngineError::Invalid(errors));
        }
        self.inner
            .store
            .save_partner(id, &edit, whatsapp.as_deref(), self.now())
            .await?;
        self.changed(&["partners"]);
        Ok(self.inner.store.partner(id).await?)
    }

    pub async fn list_reminders(&self, unread_only: bool) -> Result<Vec<ReminderItem>> {
        let today = self.office_today().await?;
        Ok(self.inner.store.list_reminders(unread_only, today).await?)
    }

    pub async fn mark_reminders_read(&self, ids: Vec<i64>) -> Result<()> {
        self.inner
            .store
            .mark_reminders_read(&ids, self.now())
            .await?;
        self.changed(&["reminders"]);
        Ok(())
    }

    /// The dashboard's permit cards.
    pub async fn permit_dashboard(&self) -> Result<PermitDashboard> {
        let today = self.office_today().await?;
        let (by_expiry, soon, last_sync, unread) =
            self.inner.store.permit_dashboard_parts(today).await?;
        Ok(PermitDashboard {
            by_expiry,
            expiring_soon: soon.rows,
            expiring_soon_count: soon.total,
            last_sync,
            unread_reminders: unread,
        })
    }

    /// The permits whose lookup failed in an expiry sync run.
    pub async fn list_permit_failures(&self, run_id: i64) -> Result<Vec<PermitFailure>> {
        let run = self.inner.store.get_run(run_id).await?;
        let Some(connection_id) = run.connection_id else {
            return Ok(vec![]);
        };
        Ok(self
            .inner
            .store
            .permit_failures_since(connection_id, run.started_at)
            .await?)
    }
}

/// A library's lower-case error as a sentence.
fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => format!(
            "{}{}.",
            c.to_uppercase(),
            chars.as_str().trim_end_matches('.')
        ),
        None => String::new(),
    }
}
