//! What the e-invoice screens read and start: the list's search, groups and pivot, the form,
//! Hacienda's answers with their error codes, bulk runs planned and started from a selection
//! with per-document results, the notification at their end, and the dashboard's figures.
#![allow(clippy::unwrap_used)]

mod support;

use std::time::Duration;

use loket_core::{
    Batching, BulkKind, BulkOutcome, BulkSelection, DocumentState, EinvoiceField, EinvoiceFilter,
    EinvoiceGroupBy, EinvoicePivotQuery, EinvoiceQuery, ResponseFilter, RunStatus, SyncRun,
};
use loket_engine::{Engine, EngineError, EngineEvent};
use support::*;

/// `n` documents in the import format: tiquetes and facturas alternating.
fn documents_csv(n: usize) -> String {
    let mut csv = String::from(
        "ref,type,receiver_name,receiver_id_type,receiver_id,cabys_code,description,quantity,unit,unit_price,iva_rate\n",
    );
    for i in 0..n {
        if i % 2 == 0 {
            csv.push_str(&format!(
                "T-{i},04,,,,2399900000000,Café americano,{},Unid,1500,08\n",
                1 + i % 3
            ));
        } else {
            csv.push_str(&format!(
                "F-{i},01,Cliente {i} S.A.,02,3101538252,8315100000100,Consultoría,1,Sp,{},08\n",
                10_000 + i
            ));
        }
    }
    csv
}

/// Starts a bulk run and waits for its end, returning it with the notifications sent on the
/// way.
async fn bulk(
    engine: &Engine,
    kind: BulkKind,
    selection: BulkSelection,
    batching: Option<Batching>,
) -> (SyncRun, Vec<(String, String)>) {
    let mut events = engine.subscribe();
    let run_id = engine
        .start_bulk_run(kind, selection, batching, None)
        .await
        .unwrap();
    let mut notes = Vec::new();
    loop {
        match events.recv().await {
            Ok(EngineEvent::Notify { title, body }) => notes.push((title, body)),
            Ok(EngineEvent::RunFinished(run)) if run.id == run_id => {
                // The notification is sent just before the run's end is announced.
                return (run, notes);
            }
            _ => {}
        }
    }
}

fn all() -> BulkSelection {
    BulkSelection::Filter {
        filter: EinvoiceFilter::default(),
    }
}

fn in_state(state: DocumentState) -> EinvoiceFilter {
    EinvoiceFilter {
        state: vec![state],
        ..EinvoiceFilter::default()
    }
}

async fn count(engine: &Engine, filter: EinvoiceFilter) -> u64 {
    engine
        .list_einvoices(EinvoiceQuery {
            filter,
            limit: 1,
            ..EinvoiceQuery::default()
        })
        .await
        .unwrap()
        .total
}

#[tokio::test]
async fn a_days_flow_from_the_screens_commands() {
    const N: u64 = 60;
    let h = harness(loket_sim::SimConfig {
        hacienda_processing_after: Duration::from_millis(200),
        hacienda_final_after: Duration::from_millis(400),
        ..loket_sim::SimConfig::default()
    })
    .await;
    let c = hacienda_ready(&h, loket_sim::HACIENDA_PASSWORD).await;
    let e = &h.engine;

    // A file with a bad row imports nothing and names the row; the good one imports all.
    let bad = documents_csv(4).replace("Unid,1500", "Unid,abc");
    let err = e
        .import_einvoice_bytes(c.id, "day.csv", bad.as_bytes())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, EngineError::Invalid(lines) if lines.iter().any(|l| l.message.contains("row 2"))),
        "{err:?}"
    );
    assert_eq!(count(e, EinvoiceFilter::default()).await, 0);
    let imported = e
        .import_einvoice_bytes(c.id, "day.csv", documents_csv(N as usize).as_bytes())
        .await
        .unwrap();
    assert_eq!(imported.created, N);

    // Nothing can be sent before it is signed: the plan says so and the run refuses.
    let drafts = e
        .list_einvoices(EinvoiceQuery {
            limit: 5,
            ..EinvoiceQuery::default()
        })
        .await
        .unwrap();
    let five = BulkSelection::Ids {
        ids: drafts.rows.iter().map(|r| r.id).collect(),
    };
    let plan = e.bulk_plan(BulkKind::Submit, five.clone()).await.unwrap();
    assert_eq!((plan.eligible, plan.skipped), (0, 5));
    let refused = e
        .start_bulk_run(BulkKind::Submit, five, None, None)
        .await
        .unwrap_err();
    assert!(
        matches!(&refused, EngineError::Invalid(f) if f[0].field == "selection"),
        "{refused:?}"
    );

    // Sign all: the plan knows the PIN is stored and the certificate's validity.
    let plan = e.bulk_plan(BulkKind::Sign, all()).await.unwrap();
    assert_eq!((plan.eligible, plan.skipped), (N, 0));
    assert_eq!(plan.connection_id, Some(c.id));
    assert!(plan.pin_stored);
    assert!(plan.certificate.is_some());
    let (run, notes) = bulk(e, BulkKind::Sign, all(), None).await;
    assert_eq!(run.status, RunStatus::Succeeded);
    let results = e.bulk_results(run.id).await.unwrap();
    assert_eq!(results.len() as u64, N);
    assert!(results
        .iter()
        .all(|r| r.outcome == BulkOutcome::Done && r.state == DocumentState::Signed));
    assert!(
        notes
            .iter()
            .any(|(t, b)| t.contains("finished") && b.starts_with(&format!("{N} done"))),
        "{notes:?}"
    );
    // Signed and waiting: each shows its age against the office's sending target.
    let waiting = e
        .list_einvoices(EinvoiceQuery {
            filter: in_state(DocumentState::Signed),
            limit: 1,
            ..EinvoiceQuery::default()
        })
        .await
        .unwrap();
    let age = waiting.rows[0]
        .pending
        .clone()
        .expect("a waiting document's age");
    assert_eq!(age.urgency, loket_core::SendUrgency::OnTime);
    let mut settings = e.einvoice_settings().await.unwrap();
    settings.send_warn_before_hours = settings.send_late_after_hours;
    let refused = e.save_einvoice_settings(settings).await.unwrap_err();
    assert!(
        matches!(&refused, EngineError::Invalid(f) if f[0].field == "send_warn_before_hours"),
        "{refused:?}"
    );
    let dash = e.einvoice_dashboard().await.unwrap();
    assert_eq!((dash.pending_submission, dash.pending_late), (N, 0));
    assert!(dash.oldest_pending.is_some());

    // Send the signed ones in batches of 7, two at a time, no delay.
    let batching = Batching {
        batch_size: 7,
        batch_delay_seconds: 0,
        max_concurrent_batches: 2,
    };
    let plan = e
        .bulk_plan(
            BulkKind::Submit,
            BulkSelection::Filter {
                filter: in_state(DocumentState::Signed),
            },
        )
        .await
        .unwrap();
    assert_eq!(plan.eligible, N);
    assert_eq!(
        plan.estimate.batches,
        N.div_ceil(u64::from(plan.batching.batch_size))
    );
    let (run, _) = bulk(e, BulkKind::Submit, all(), Some(batching)).await;
    assert_eq!(run.status, RunStatus::Succeeded, "{run:?}");
    assert_eq!(run.counts.updated as u64, N);

    // Hacienda decides; a status check over everything awaiting an answer fetches it.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let awaiting = EinvoiceFilter {
        state: vec![DocumentState::Submitted, DocumentState::Processing],
        ..EinvoiceFilter::default()
    };
    let (run, _) = bulk(
        e,
        BulkKind::Status,
        BulkSelection::Filter { filter: awaiting },
        None,
    )
    .await;
    assert_eq!(run.status, RunStatus::Succeeded, "{run:?}");
    let accepted = count(e, in_state(DocumentState::Accepted)).await;
    let rejected = count(e, in_state(DocumentState::Rejected)).await;
    assert_eq!(accepted + rejected, N);

    // Groups and pivot add up to the list, with totals.
    let by_state = e
        .einvoice_groups(
            EinvoiceFilter::default(),
            EinvoiceGroupBy {
                field: EinvoiceField::State,
                interval: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(by_state.iter().map(|g| g.count).sum::<u64>(), N);
    let grand_total: f64 = by_state.iter().map(|g| g.total).sum();
    let pivot = e
        .einvoice_pivot(EinvoicePivotQuery {
            filter: EinvoiceFilter::default(),
            rows: vec![EinvoiceGroupBy {
                field: EinvoiceField::State,
                interval: None,
            }],
            cols: vec![EinvoiceGroupBy {
                field: EinvoiceField::DocType,
                interval: None,
            }],
        })
        .await
        .unwrap();
    assert_eq!(pivot.total, N);
    let tiquetes: u64 = pivot
        .cells
        .iter()
        .filter(|c| c.col == [Some("04".to_string())])
        .map(|c| c.count)
        .sum();
    assert_eq!(tiquetes, N / 2);
    let pivot_total: f64 = pivot.cells.iter().map(|c| c.total).sum();
    assert!((pivot_total - grand_total).abs() < 0.01);

    // The dashboard agrees with the list.
    let dash = e.einvoice_dashboard().await.unwrap();
    let dash_accepted = dash
        .by_state
        .iter()
        .find(|s| s.state == DocumentState::Accepted)
        .unwrap()
        .count;
    assert_eq!(dash_accepted, accepted);
    let today = dash.days.last().unwrap();
    assert_eq!((today.signed, today.submitted), (N, N));
    assert_eq!(today.accepted + today.rejected, N);
    assert_eq!(dash.days.len(), 14);
    let rate = dash.acceptance_rate.unwrap();
    assert!((rate - accepted as f64 / N as f64).abs() < 1e-9);
    assert!(dash.avg_accept_seconds.is_some() || accepted == 0);
    assert_eq!(dash.pending_submission, 0);

    // About one in ten is rejected (chosen by the clave, which is random): when one is, its
    // error codes show in the form, and filter both the documents and the answers.
    if rejected > 0 {
        let doc = e
            .list_einvoices(EinvoiceQuery {
                filter: in_state(DocumentState::Rejected),
                limit: 1,
                ..EinvoiceQuery::default()
            })
            .await
            .unwrap()
            .rows
            .remove(0);
        let detail = e.get_einvoice(doc.id).await.unwrap();
        assert!(detail.signature.is_some());
        assert!(detail.submit_attempted);
        let answer = detail
            .responses
            .iter()
            .find(|r| !r.error_codes.is_empty())
            .expect("a rejection with error codes");
        let code = answer.error_codes[0].code.clone();
        let with_code = EinvoiceFilter {
            error_code: Some(code.clone()),
            ..EinvoiceFilter::default()
        };
        let docs = e
            .list_einvoices(EinvoiceQuery {
                filter: with_code,
                limit: 100,
                ..EinvoiceQuery::default()
            })
            .await
            .unwrap();
        assert!(docs.rows.iter().any(|r| r.id == doc.id));
        assert!(docs.rows.iter().all(|r| r.state == DocumentState::Rejected));
        let answers = e
            .list_responses(ResponseFilter {
                error_code: Some(code.clone()),
                limit: 100,
                ..ResponseFilter::default()
            })
            .await
            .unwrap();
        assert!(answers
            .rows
            .iter()
            .all(|r| r.error_codes.iter().any(|l| l.code == code)));
        let full = e.get_response(answer.id).await.unwrap();
        let xml = full.mensaje_xml.unwrap();
        assert!(
            xml.contains("MensajeHacienda") && xml.contains("\n  <"),
            "{xml}"
        );

        // Handled by issuing it again: a new draft with the same lines, the old one kept.
        let copy = e.reissue_einvoice(doc.id).await.unwrap();
        let again = e.get_einvoice(copy).await.unwrap();
        assert_eq!(again.row.state, DocumentState::Draft);
        assert_eq!(again.row.total, doc.total);
        assert_eq!(
            again.row.external_ref,
            doc.external_ref.as_ref().map(|r| format!("{r} (2)"))
        );
        let second = e.reissue_einvoice(doc.id).await.unwrap();
        let second_ref = e.get_einvoice(second).await.unwrap().row.external_ref;
        assert!(second_ref.unwrap().ends_with("(3)"));
        let original = e.get_einvoice(doc.id).await.unwrap();
        assert_eq!(original.row.state, DocumentState::Rejected);
        let refused = e.reissue_einvoice(copy).await.unwrap_err();
        assert!(
            matches!(&refused, EngineError::Invalid(f) if f[0].field == "state"),
            "{refused:?}"
        );
    }

    // Rows of the form: lines and totals come from the draft.
    let any = e
        .list_einvoices(EinvoiceQuery {
            filter: EinvoiceFilter {
                doc_type: vec!["01".into()],
                ..EinvoiceFilter::default()
            },
            limit: 1,
            ..EinvoiceQuery::default()
        })
        .await
        .unwrap()
        .rows
        .remove(0);
    let detail = e.get_einvoice(any.id).await.unwrap();
    assert_eq!(detail.lines.len(), 1);
    assert_eq!(detail.lines[0].description, "Consultoría");
    assert_eq!(detail.lines[0].total, detail.row.total);
    assert!(detail.receiver.unwrap().name.starts_with("Cliente "));
    assert!(detail.xml.unwrap().contains("<ds:Signature"));
}

#[tokio::test]
async fn search_words_and_dates_narrow_the_list() {
    let h = harness(loket_sim::SimConfig::default()).await;
    let c = hacienda_ready(&h, loket_sim::HACIENDA_PASSWORD).await;
    let e = &h.engine;
    e.import_einvoice_bytes(c.id, "day.csv", documents_csv(12).as_bytes())
        .await
        .unwrap();
    let search = |s: &str| EinvoiceFilter {
        search: Some(s.into()),
        ..EinvoiceFilter::default()
    };
    // Receiver names of the odd documents: "Cliente 1 S.A.", "Cliente 3 S.A." … "Cliente 11 S.A.".
    assert_eq!(count(e, search("cliente")).await, 6);
    assert_eq!(count(e, search("Cliente 11")).await, 1);
    // A LIKE wildcard typed by the user is a plain character.
    assert_eq!(count(e, search("%")).await, 0);
    // Reference (external_ref) and id number.
    assert_eq!(count(e, search("T-10")).await, 1);
    assert_eq!(count(e, search("3101538252")).await, 6);
    let today = loket_store::cr_day(chrono::Utc::now());
    let on = |from, to| EinvoiceFilter {
        from,
        to,
        ..EinvoiceFilter::default()
    };
    assert_eq!(count(e, on(Some(today), Some(today))).await, 12);
    assert_eq!(count(e, on(today.succ_opt(), None)).await, 0);
    assert_eq!(count(e, on(None, today.pred_opt())).await, 0);
}

#[tokio::test]
async fn retry_now_sends_a_failed_submission_at_once_even_with_auto_retry_off() {
    let h = harness(loket_sim::SimConfig::default()).await;
    let c = hacienda_ready(&h, loket_sim::HACIENDA_PASSWORD).await;
    let e = &h.engine;
    let mut settings = e.einvoice_settings().await.unwrap();
    settings.auto_retry = false;
    e.save_einvoice_settings(settings).await.unwrap();
    e.import_einvoice_bytes(c.id, "two.csv", documents_csv(2).as_bytes())
        .await
        .unwrap();
    bulk(e, BulkKind::Sign, all(), None).await;

    // Hacienda answers 500 to everything: both sends fail and wait in the queue.
    h.sim.set_faults(loket_sim::Faults {
        error_rate: 1.0,
        ..loket_sim::Faults::default()
    });
    let (run, _) = bulk(e, BulkKind::Submit, all(), None).await;
    let results = e.bulk_results(run.id).await.unwrap();
    assert!(
        results
            .iter()
            .all(|r| matches!(r.outcome, BulkOutcome::Retrying | BulkOutcome::Failed)),
        "{results:?}"
    );
    let queue = e
        .list_retry_queue(loket_core::RetryFilter {
            limit: 10,
            ..loket_core::RetryFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(queue.rows.len(), 2, "{queue:?}");

    // Hacienda is back; "Retry now" sends at once, not at the queue's next scheduled run.
    h.sim.set_faults(loket_sim::Faults::default());
    let mut events = e.subscribe();
    for entry in &queue.rows {
        e.retry_now(entry.id).await.unwrap();
    }
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while count(e, in_state(DocumentState::Signed)).await > 0 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the retried documents were not sent"
        );
        let _ = tokio::time::timeout(Duration::from_millis(200), events.recv()).await;
    }
    assert_eq!(count(e, in_state(DocumentState::Submitted)).await, 2);
}
