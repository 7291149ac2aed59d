//! The permit screens' commands against a synced sandbox, and the two daily expiry jobs
//! (mark expired, reminders by tier crossing) with a hand-moved clock.
#![allow(clippy::unwrap_used)]

mod support;

use chrono::{Duration, NaiveDate};
use loket_core::{
    ApiError, ApiErrorCode, DateInterval, ExpiryStatus, GroupBy, GroupKey, JobKind, NewPermit,
    PartnerEdit, PermitEdit, PermitField, PermitFilter, PermitQuery, PermitSort, PermitSortField,
    PermitStatus, PermitTypeEdit, PivotQuery, RunStatus,
};
use loket_engine::{Engine, EngineEvent};
use support::*;

async fn synced(h: &Harness) -> loket_core::Connection {
    let c = permit_office(h).await;
    for kind in [
        JobKind::PermitTypes,
        JobKind::NewPermits,
        JobKind::ExpirySync,
    ] {
        let job = job_id(&h.engine, kind, Some(c.id)).await;
        let run = h.engine.run_job_and_wait(job, "manual").await.unwrap();
        assert_eq!(run.status, RunStatus::Succeeded, "{kind:?}: {run:?}");
    }
    c
}

fn query(filter: PermitFilter) -> PermitQuery {
    PermitQuery {
        filter,
        sort: PermitSort::default(),
        offset: 0,
        limit: 1000,
    }
}

fn by(field: PermitField) -> GroupBy {
    GroupBy {
        field,
        interval: None,
    }
}

#[tokio::test]
async fn the_list_filters_sorts_pages_and_agrees_with_groups_and_pivot() {
    let h = harness(small_sim()).await;
    synced(&h).await;
    let e = &h.engine;

    let all = e
        .list_permits(query(PermitFilter::default()))
        .await
        .unwrap();
    assert_eq!(all.total, 270);
    // Soonest expiry first, unknown expiry last.
    let dates: Vec<_> = all.rows.iter().map(|r| r.expiry_date).collect();
    let known = dates.iter().take_while(|d| d.is_some()).count();
    assert!(dates[known..].iter().all(Option::is_none));
    assert!(dates[..known].windows(2).all(|w| w[0] <= w[1]));

    // Pages never overlap and cover everything.
    let mut seen = std::collections::HashSet::new();
    for offset in (0..270).step_by(50) {
        let page = e
            .list_permits(PermitQuery {
                offset,
                limit: 50,
                sort: PermitSort {
                    field: PermitSortField::Applicant,
                    descending: true,
                },
                ..query(PermitFilter::default())
            })
            .await
            .unwrap();
        for r in page.rows {
            assert!(seen.insert(r.id), "permit {} on two pages", r.id);
        }
    }
    assert_eq!(seen.len(), 270);

    // Groups by expiry status add up, and each matches the list filtered to it.
    let groups = e
        .permit_groups(PermitFilter::default(), by(PermitField::ExpiryStatus))
        .await
        .unwrap();
    assert_eq!(groups.iter().map(|g| g.count).sum::<u64>(), 270);
    for g in &groups {
        let status = all
            .rows
            .iter()
            .filter(|r| Some(r.expiry_status.as_str()) == g.key.as_deref())
            .count() as u64;
        assert_eq!(status, g.count, "group {:?}", g.key);
        let filtered = e
            .list_permits(query(PermitFilter {
                groups: vec![GroupKey {
                    group_by: by(PermitField::ExpiryStatus),
                    key: g.key.clone(),
                }],
                ..PermitFilter::default()
            }))
            .await
            .unwrap();
        assert_eq!(filtered.total, g.count);
        let as_filter = ExpiryStatusFilter(&g.key);
        let filtered = e.list_permits(query(as_filter.filter())).await.unwrap();
        assert_eq!(filtered.total, g.count, "expiry filter {:?}", g.key);
    }
    // In-process applications have no expiry date; issued ones got theirs from the lookup.
    let unknown = groups
        .iter()
        .find(|g| g.key.as_deref() == Some("unknown"))
        .map_or(0, |g| g.count);
    assert!((40..100).contains(&unknown), "{groups:?}");

    // A pivot of status × received year: cells add up to the total; a cell drills down.
    let pivot = e
        .permit_pivot(PivotQuery {
            filter: PermitFilter::default(),
            rows: vec![by(PermitField::Status)],
            cols: vec![GroupBy {
                field: PermitField::ReceivedDate,
                interval: Some(DateInterval::Year),
            }],
        })
        .await
        .unwrap();
    assert!(!pivot.too_many);
    assert_eq!(pivot.total, 270);
    assert_eq!(pivot.cells.iter().map(|c| c.count).sum::<u64>(), 270);
    let cell = pivot.cells.iter().max_by_key(|c| c.count).unwrap();
    let drilled = e
        .list_permits(query(PermitFilter {
            groups: vec![
                GroupKey {
                    group_by: by(PermitField::Status),
                    key: cell.row[0].clone(),
                },
                GroupKey {
                    group_by: GroupBy {
                        field: PermitField::ReceivedDate,
                        interval: Some(DateInterval::Year),
                    },
                    key: cell.col[0].clone(),
                },
            ],
            ..PermitFilter::default()
        }))
        .await
        .unwrap();
    assert_eq!(drilled.total, cell.count);

    // Text search finds any part of any searched field, case ignored, every word required;
    // words of three characters or more go through the trigram index, shorter ones through
    // LIKE, and both must agree with a plain scan of the rows. Wildcards and FTS syntax typed
    // by the user are text.
    let someone = all.rows[0].applicant.clone();
    let last = someone.split_whitespace().last().unwrap().to_lowercase();
    let middle: String = someone.chars().skip(1).take(4).collect();
    let registration = all.rows[5].registration_id.clone();
    let type_word = all.rows[7]
        .permit_type_name
        .split_whitespace()
        .next()
        .unwrap()
        .to_uppercase();
    let searches = [
        last.clone(),
        middle,
        registration[registration.len() - 5..].to_string(),
        format!("{type_word} {last}"),
        "an".to_string(),
        "%".to_string(),
        "\"".to_string(),
        "a AND b".to_string(),
        "xyz*".to_string(),
    ];
    for search in searches {
        let expected = all
            .rows
            .iter()
            .filter(|r| {
                let fields = [
                    Some(&r.applicant),
                    Some(&r.registration_id),
                    r.permit_number.as_ref(),
                    r.company.as_ref(),
                    Some(&r.permit_type_name),
                ];
                search.split_whitespace().all(|word| {
                    let word = word.to_lowercase();
                    fields
                        .iter()
                        .flatten()
                        .any(|v| v.to_lowercase().contains(&word))
                })
            })
            .count() as u64;
        let found = e
            .list_permits(query(PermitFilter {
                search: Some(search.clone()),
                ..PermitFilter::default()
            }))
            .await
            .unwrap();
        assert_eq!(found.total, expected, "search {search:?}");
    }
    let found = e
        .list_permits(query(PermitFilter {
            search: Some(last.clone()),
            ..PermitFilter::default()
        }))
        .await
        .unwrap();
    assert!(found.total >= 1, "search {last:?} finds its own permit");
}

/// The list filter for one expiry-status group key.
struct ExpiryStatusFilter<'a>(&'a Option<String>);

impl ExpiryStatusFilter<'_> {
    fn filter(&self) -> PermitFilter {
        let status = match self.0.as_deref() {
            Some("expired") => ExpiryStatus::Expired,
            Some("critical") => ExpiryStatus::Critical,
            Some("warning") => ExpiryStatus::Warning,
            Some("ok") => ExpiryStatus::Ok,
            _ => ExpiryStatus::Unknown,
        };
        PermitFilter {
            expiry_status: vec![status],
            ..PermitFilter::default()
        }
    }
}

#[tokio::test]
async fn applicants_become_partners_and_edits_are_validated_and_kept() {
    let h = harness(small_sim()).await;
    let c = synced(&h).await;
    let e = &h.engine;

    let partners = e.list_partners(None).await.unwrap();
    let permits = e
        .list_permits(query(PermitFilter::default()))
        .await
        .unwrap();
    let applicants: std::collections::HashSet<String> = permits
        .rows
        .iter()
        .map(|r| {
            r.applicant
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        })
        .collect();
    assert_eq!(
        partners.len(),
        applicants.len(),
        "one partner per applicant"
    );
    assert_eq!(partners.iter().map(|p| p.permit_count).sum::<u64>(), 270);
    // Issued permits' details carried a phone: normalised to E.164 or the reason kept.
    let with_phone: Vec<_> = partners.iter().filter(|p| p.phone.is_some()).collect();
    assert!(!with_phone.is_empty());
    for p in &with_phone {
        match (&p.whatsapp, &p.whatsapp_problem) {
            (Some(w), None) => assert!(w.starts_with("+62"), "{p:?}"),
            (None, Some(_)) => {}
            other => panic!("neither a number nor a reason: {other:?}"),
        }
    }

    // WhatsApp numbers: national form accepted and normalised, junk refused on the field.
    let p = &partners[0];
    let saved = e
        .save_partner(
            p.id,
            PartnerEdit {
                name: p.name.clone(),
                whatsapp: Some("0812-3456-7890".into()),
                opt_in: true,
            },
        )
        .await
        .unwrap();
    assert_eq!(saved.whatsapp.as_deref(), Some("+6281234567890"));
    assert!(saved.opt_in && saved.opt_changed_at.is_some());
    let err: ApiError = e
        .save_partner(
            p.id,
            PartnerEdit {
                name: p.name.clone(),
                whatsapp: Some("call me".into()),
                opt_in: true,
            },
        )
        .await
        .unwrap_err()
        .into();
    assert_eq!(err.code, ApiErrorCode::Validation);
    assert_eq!(err.fields[0].field, "whatsapp");

    // A kanban move is kept by the next sync even though the office still lists it as issued.
    let row = permits
        .rows
        .iter()
        .find(|r| r.status == PermitStatus::Active)
        .unwrap();
    let moved = e
        .set_permit_status(row.id, PermitStatus::Cancelled)
        .await
        .unwrap();
    assert_eq!(moved.status, PermitStatus::Cancelled);
    let job = job_id(e, JobKind::NewPermits, Some(c.id)).await;
    e.run_job_and_wait(job, "manual").await.unwrap();
    let detail = e.get_permit(row.id).await.unwrap();
    assert_eq!(detail.permit.status, PermitStatus::Cancelled);
    assert!(detail
        .history
        .iter()
        .any(|h| h.kind == "status" && h.message == "cancelled"));
    assert!(detail.history.iter().any(|h| h.kind == "detail"));

    // A bulk change: one call, only the permits whose status differs are counted.
    let drafts: Vec<i64> = permits.rows.iter().take(40).map(|r| r.id).collect();
    assert_eq!(
        e.set_permits_status(drafts.clone(), PermitStatus::Draft)
            .await
            .unwrap(),
        40
    );
    assert_eq!(
        e.set_permits_status(drafts.clone(), PermitStatus::Draft)
            .await
            .unwrap(),
        0
    );
    let drafted = e
        .list_permits(query(PermitFilter {
            status: vec![PermitStatus::Draft],
            ..PermitFilter::default()
        }))
        .await
        .unwrap();
    assert_eq!(drafted.total, 40);
    e.set_permits_status(drafts, PermitStatus::Active)
        .await
        .unwrap();

    // Renewal: a permit entered by hand renews the old one, which becomes "renewed".
    let new = e
        .create_permit(NewPermit {
            applicant: row.applicant.clone(),
            permit_type_name: row.permit_type_name.clone(),
            permit_number: Some("503/NEW/2026".into()),
            status: PermitStatus::Active,
            expiry_date: NaiveDate::from_ymd_opt(2031, 1, 1),
        })
        .await
        .unwrap();
    assert_eq!(
        new.partner_id, row.partner_id,
        "same applicant, same partner"
    );
    let by_number = e
        .list_permits(query(PermitFilter {
            search: Some("new/2026".into()),
            ..PermitFilter::default()
        }))
        .await
        .unwrap();
    assert_eq!(
        by_number.rows.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![new.id],
        "a permit entered by hand is searchable at once"
    );
    let edit = PermitEdit {
        status: PermitStatus::Active,
        notes: "Renewed at the counter".into(),
        expiry_date: new.expiry_date,
        renewal_of_id: Some(row.id),
        renewal_in_progress: false,
        snoozed_until: None,
    };
    let saved = e.save_permit(new.id, edit.clone()).await.unwrap();
    assert_eq!(saved.renewal_of.as_ref().map(|l| l.id), Some(row.id));
    assert_eq!(saved.notes, "Renewed at the counter");
    let old = e.get_permit(row.id).await.unwrap();
    assert_eq!(old.permit.status, PermitStatus::Renewed);
    assert_eq!(old.renewed_by.map(|l| l.id), Some(new.id));
    let err: ApiError = e
        .save_permit(
            new.id,
            PermitEdit {
                renewal_of_id: Some(new.id),
                ..edit
            },
        )
        .await
        .unwrap_err()
        .into();
    assert_eq!(err.fields[0].field, "renewal_of_id");
    let err: ApiError = e
        .create_permit(NewPermit {
            applicant: " ".into(),
            permit_type_name: "X".into(),
            permit_number: None,
            status: PermitStatus::Draft,
            expiry_date: None,
        })
        .await
        .unwrap_err()
        .into();
    assert_eq!(err.fields[0].field, "applicant");

    // Permit types: certificates recognised by name; a category change reaches the permits.
    let types = e.list_permit_types().await.unwrap();
    assert!(types
        .iter()
        .any(|t| t.category == loket_core::PermitCategory::Certificate));
    let t = types
        .iter()
        .filter(|t| t.category == loket_core::PermitCategory::Permit)
        .max_by_key(|t| t.permit_count)
        .unwrap();
    assert!(t.permit_count > 0);
    let saved = e
        .save_permit_type(
            t.id,
            PermitTypeEdit {
                category: loket_core::PermitCategory::Certificate,
                ladder: vec![7, 120, 30, 30],
            },
        )
        .await
        .unwrap();
    assert_eq!(saved.ladder, vec![120, 30, 7], "sorted, duplicates dropped");
    let certificates = e
        .list_permits(query(PermitFilter {
            category: Some(loket_core::PermitCategory::Certificate),
            permit_type: vec![t.name.clone()],
            ..PermitFilter::default()
        }))
        .await
        .unwrap();
    assert_eq!(certificates.total, t.permit_count);
    let err: ApiError = e
        .save_permit_type(
            t.id,
            PermitTypeEdit {
                category: loket_core::PermitCategory::Permit,
                ladder: vec![0, 1, 2, 3, 4, 5, 6],
            },
        )
        .await
        .unwrap_err()
        .into();
    assert_eq!(err.code, ApiErrorCode::Validation);
}

/// A permit entered by hand, active, expiring on `expiry`.
async fn permit_expiring(e: &Engine, name: &str, expiry: NaiveDate) -> i64 {
    e.create_permit(NewPermit {
        applicant: name.into(),
        permit_type_name: "Izin Usaha".into(),
        permit_number: Some(format!("503/{name}")),
        status: PermitStatus::Active,
        expiry_date: Some(expiry),
    })
    .await
    .unwrap()
    .id
}

/// Runs the reminder job and returns the notifications it sent.
async fn remind(e: &Engine) -> Vec<(String, String)> {
    let mut events = e.subscribe();
    let job = job_id(e, JobKind::Reminders, None).await;
    let run = e.run_job_and_wait(job, "scheduled").await.unwrap();
    assert_eq!(run.status, RunStatus::Succeeded, "{run:?}");
    let mut out = Vec::new();
    while let Ok(ev) = events.try_recv() {
        if let EngineEvent::Notify { title, body } = ev {
            out.push((title, body));
        }
    }
    out
}

#[tokio::test]
async fn reminders_go_out_once_per_tier_by_crossing_grouped_per_tier() {
    // 10:00 in Jakarta on 2026-12-03.
    let clock = manual_clock("2026-12-03T03:00:00Z");
    let h = harness_with(small_sim(), clock.clone()).await;
    let e = &h.engine;
    let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
    let at = |days: i64| today + Duration::days(days);
    let late = permit_expiring(e, "Late", at(5)).await;
    let a = permit_expiring(e, "Ani", at(85)).await;
    let b = permit_expiring(e, "Budi", at(88)).await;
    let _far = permit_expiring(e, "Far", at(200)).await;
    let renewing = permit_expiring(e, "Renewing", at(20)).await;
    let detail = e.get_permit(renewing).await.unwrap();
    e.save_permit(
        renewing,
        PermitEdit {
            status: PermitStatus::Active,
            notes: String::new(),
            expiry_date: detail.permit.expiry_date,
            renewal_of_id: None,
            renewal_in_progress: true,
            snoozed_until: None,
        },
    )
    .await
    .unwrap();

    // First run: a permit found at 5 days gets one 7-day reminder (not four); two at 90.
    let sent = remind(e).await;
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert_eq!(
        sent[0].0, "1 permit reaches 7 days before expiry",
        "most urgent first"
    );
    assert_eq!(sent[1].0, "2 permits reach 90 days before expiry");
    assert!(sent[1].1.contains("and 1 more"), "{}", sent[1].1);
    let late_detail = e.get_permit(late).await.unwrap();
    let mut tiers: Vec<_> = late_detail
        .reminders
        .iter()
        .map(|r| (r.tier, r.state))
        .collect();
    tiers.sort_by_key(|t| t.0);
    use loket_core::ReminderState::*;
    assert_eq!(
        tiers,
        vec![(7, Sent), (30, Passed), (60, Passed), (90, Passed)]
    );

    // The same day again, and after a restart: nothing twice.
    assert!(remind(e).await.is_empty());
    let restarted = Engine::start(loket_engine::EngineConfig {
        store: loket_store::Store::open(&h.dir.path().join("loket.db"))
            .await
            .unwrap(),
        secrets: h.secrets.clone(),
        clock: clock.clone(),
        data_dir: h.dir.path().to_path_buf(),
        demo: false,
        sandbox: None,
    })
    .await
    .unwrap();
    assert!(remind(&restarted).await.is_empty());

    // Missed days still remind once: 30 days later Ani is at 55 (60 crossed), Budi at 58.
    clock.advance(Duration::days(30));
    let sent = remind(e).await;
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].0, "2 permits reach 60 days before expiry");

    // The inbox holds every sent reminder; reading them clears the unread count.
    let inbox = e.list_reminders(true).await.unwrap();
    assert_eq!(inbox.len(), 5);
    assert_eq!(e.permit_dashboard().await.unwrap().unread_reminders, 5);
    e.mark_reminders_read(inbox.iter().map(|r| r.id).collect())
        .await
        .unwrap();
    assert_eq!(e.permit_dashboard().await.unwrap().unread_reminders, 0);

    // A renewal moves Ani's expiry: the ladder starts afresh for the new date.
    let detail = e.get_permit(a).await.unwrap();
    e.save_permit(
        a,
        PermitEdit {
            status: PermitStatus::Active,
            notes: String::new(),
            expiry_date: Some(at(30 + 6)),
            renewal_of_id: None,
            renewal_in_progress: false,
            snoozed_until: detail.permit.snoozed_until,
        },
    )
    .await
    .unwrap();
    let sent = remind(e).await;
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].0, "1 permit reaches 7 days before expiry");

    // Snoozed: no reminder until the snooze ends.
    let detail = e.get_permit(b).await.unwrap();
    let snooze = PermitEdit {
        status: PermitStatus::Active,
        notes: String::new(),
        expiry_date: detail.permit.expiry_date,
        renewal_of_id: None,
        renewal_in_progress: false,
        snoozed_until: Some(at(30 + 40)),
    };
    e.save_permit(b, snooze).await.unwrap();
    clock.advance(Duration::days(30));
    assert!(
        remind(e).await.is_empty(),
        "Budi is snoozed, Ani already has 7"
    );

    // Languages: the grouped text follows the settings.
    let mut settings = e.settings().await.unwrap();
    settings.language = loket_core::Language::Id;
    e.save_settings(settings).await.unwrap();
    clock.advance(Duration::days(11));
    let sent = remind(e).await;
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].0, "1 izin tinggal 30 hari sebelum kedaluwarsa");
}

#[tokio::test]
async fn the_midnight_job_marks_expired_permits_and_revives_renewed_ones() {
    let clock = manual_clock("2026-12-03T03:00:00Z");
    let h = harness_with(small_sim(), clock.clone()).await;
    let e = &h.engine;
    let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
    let gone = permit_expiring(e, "Gone", today - Duration::days(1)).await;
    let last_day = permit_expiring(e, "LastDay", today).await;
    let job = job_id(e, JobKind::MarkExpired, None).await;
    let run = e.run_job_and_wait(job, "scheduled").await.unwrap();
    assert_eq!(run.counts.updated, 1);
    assert_eq!(
        e.get_permit(gone).await.unwrap().permit.status,
        PermitStatus::Expired
    );
    assert_eq!(
        e.get_permit(last_day).await.unwrap().permit.status,
        PermitStatus::Active,
        "a permit is valid through its expiry date"
    );
    assert_eq!(
        e.get_permit(gone).await.unwrap().permit.expiry_status,
        ExpiryStatus::Expired
    );
    // Its expiry date moves (renewed at the office): active again at the next run.
    let d = e.get_permit(gone).await.unwrap();
    e.save_permit(
        gone,
        PermitEdit {
            status: PermitStatus::Expired,
            notes: d.notes,
            expiry_date: Some(today + Duration::days(365)),
            renewal_of_id: None,
            renewal_in_progress: false,
            snoozed_until: None,
        },
    )
    .await
    .unwrap();
    e.run_job_and_wait(job, "scheduled").await.unwrap();
    assert_eq!(
        e.get_permit(gone).await.unwrap().permit.status,
        PermitStatus::Active
    );
}

#[tokio::test]
async fn the_dashboard_and_exports_reflect_the_store() {
    let h = harness(small_sim()).await;
    synced(&h).await;
    let e = &h.engine;
    let d = e.permit_dashboard().await.unwrap();
    assert_eq!(d.by_expiry.iter().map(|c| c.count).sum::<u64>(), 270);
    assert!(d.expiring_soon.len() as u64 <= d.expiring_soon_count.min(10));
    assert!(d
        .expiring_soon
        .iter()
        .all(|r| r.days_left.is_some_and(|n| (0..=30).contains(&n))));
    assert_eq!(d.last_sync.len(), 1);
    assert_eq!(d.last_sync[0].status, Some(RunStatus::Succeeded));

    let dir = tempfile::tempdir().unwrap();
    std::env::set_var("LOKET_EXPORT_DIR", dir.path());
    let request = loket_core::ExportRequest {
        file_name: "pivot".into(),
        format: loket_core::ExportFormat::Csv,
        columns: vec!["Status".into(), "Count".into()],
        rows: vec![vec![
            loket_core::ExportCell::Text("active".into()),
            loket_core::ExportCell::Number(230.0),
        ]],
    };
    let first = e.export_table(request.clone()).await.unwrap();
    let second = e.export_table(request).await.unwrap();
    assert_ne!(
        first, second,
        "a second export does not overwrite the first"
    );
    assert_eq!(
        std::fs::read_to_string(&first).unwrap(),
        "Status,Count\nactive,230\n"
    );
}
