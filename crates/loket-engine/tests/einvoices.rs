//! E-invoices through the engine against the sandbox's Hacienda: import, sign with a legacy
//! .p12, submit, watch the decisions arrive, read a rejection's error codes, and see a
//! transient failure go to the retry queue and through on schedule.
#![allow(clippy::unwrap_used)]

mod support;

use std::time::Duration;

use loket_core::{DocumentState, JobKind, RetryState, RunOptions, RunStatus};
use loket_engine::{Engine, EngineError};
use support::*;

async fn run(
    engine: &Engine,
    connection_id: i64,
    kind: JobKind,
    pin: Option<&str>,
) -> loket_core::SyncRun {
    let mut events = engine.subscribe();
    let run_id = engine
        .start_einvoice_run(
            connection_id,
            kind,
            RunOptions::default(),
            pin.map(Into::into),
        )
        .await
        .unwrap();
    loop {
        if let Ok(loket_engine::EngineEvent::RunFinished(run)) = events.recv().await {
            if run.id == run_id {
                return run;
            }
        }
    }
}

async fn states(engine: &Engine, connection_id: i64) -> Vec<String> {
    engine
        .einvoices(connection_id, &[], 1000)
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.state)
        .collect()
}

#[tokio::test]
async fn import_sign_submit_and_watch_the_decisions() {
    let h = harness(loket_sim::SimConfig {
        hacienda_processing_after: Duration::from_secs(1),
        hacienda_final_after: Duration::from_secs(2),
        ..loket_sim::SimConfig::default()
    })
    .await;
    let c = hacienda_with_issuer(&h, loket_sim::HACIENDA_PASSWORD).await;

    // The legacy .p12 loads; a wrong PIN is told apart and changes nothing.
    let p12 = legacy_p12();
    let wrong = h
        .engine
        .set_certificate(c.id, p12.clone(), "9999".into())
        .await
        .unwrap_err();
    assert!(
        matches!(&wrong, EngineError::Invalid(e) if e[0].message.contains("PIN is not correct")),
        "{wrong:?}"
    );
    assert_eq!(h.engine.certificate_info(c.id).await.unwrap(), None);
    let info = h
        .engine
        .set_certificate(c.id, p12, "1234".into())
        .await
        .unwrap();
    assert_eq!(info.subject_id_number.as_deref(), Some("206920142"));

    // Import: every row checked; the same file twice adds nothing.
    let imported = h
        .engine
        .import_einvoices(c.id, &sample_csv())
        .await
        .unwrap();
    assert!(imported.created >= 3, "{imported:?}");
    let again = h
        .engine
        .import_einvoices(c.id, &sample_csv())
        .await
        .unwrap();
    assert_eq!((again.created, again.skipped), (0, imported.created));
    let n = imported.created as usize;

    // Company settings: checked, and the polling job follows them.
    let bad = loket_core::EinvoiceSettings {
        batch_size: 0,
        ..loket_core::EinvoiceSettings::default()
    };
    assert!(matches!(
        h.engine.save_einvoice_settings(bad).await,
        Err(EngineError::Invalid(e)) if e[0].field == "batch_size"
    ));
    h.engine
        .save_einvoice_settings(loket_core::EinvoiceSettings {
            poll_every_minutes: 30,
            ..loket_core::EinvoiceSettings::default()
        })
        .await
        .unwrap();
    let poll = h
        .engine
        .list_jobs()
        .await
        .unwrap()
        .into_iter()
        .find(|j| j.kind == JobKind::EinvoicePoll && j.connection_id == Some(c.id))
        .unwrap();
    assert_eq!(poll.schedule, loket_core::Schedule::Every { minutes: 30 });

    // Sign all (drafts are generated on the way): numbered 1..n per type, signed.
    let signed = run(&h.engine, c.id, JobKind::EinvoiceSign, None).await;
    assert_eq!(signed.status, RunStatus::Succeeded, "{signed:?}");
    let docs = h.engine.einvoices(c.id, &[], 1000).await.unwrap();
    assert!(
        docs.iter().all(|d| d.state == "signed"),
        "{:?}",
        states(&h.engine, c.id).await
    );
    let mut claves: Vec<&str> = docs.iter().filter_map(|d| d.clave.as_deref()).collect();
    claves.sort_unstable();
    claves.dedup();
    assert_eq!(claves.len(), n, "one clave each, none repeated");
    assert!(docs.iter().all(|d| d
        .signed_xml
        .as_deref()
        .is_some_and(|x| x.contains("<ds:SignatureValue") || x.contains("SignatureValue"))));

    // Submit all: Hacienda receives each once.
    let before = h.sim.request_count();
    let sent = run(&h.engine, c.id, JobKind::EinvoiceSubmit, None).await;
    assert_eq!(sent.status, RunStatus::Succeeded, "{sent:?}");
    assert_eq!(sent.counts.updated as usize, n);
    assert!(h.sim.request_count() - before >= n as u64);
    assert!(states(&h.engine, c.id)
        .await
        .iter()
        .all(|s| s == "submitted"));
    // A second submit run finds nothing to send.
    let again = run(&h.engine, c.id, JobKind::EinvoiceSubmit, None).await;
    assert_eq!(again.counts.updated, 0);

    // Time passes at Hacienda; the status check brings the decisions.
    h.sim.advance_clock(Duration::from_secs(10));
    let checked = run(&h.engine, c.id, JobKind::EinvoiceStatus, None).await;
    assert_eq!(checked.status, RunStatus::Succeeded, "{checked:?}");
    let docs = h.engine.einvoices(c.id, &[], 1000).await.unwrap();
    for d in &docs {
        let state = DocumentState::parse(&d.state).unwrap();
        assert!(
            matches!(state, DocumentState::Accepted | DocumentState::Rejected),
            "{}",
            d.state
        );
        let answers = h.engine.einvoice_responses(d.id).await.unwrap();
        let last = &answers[0];
        assert_eq!(last.state, d.state);
        assert!(last
            .mensaje_xml
            .as_deref()
            .is_some_and(|x| x.contains("MensajeHacienda")));
        match state {
            DocumentState::Accepted => assert_eq!(last.message_type, Some(1)),
            _ => {
                assert_eq!(last.message_type, Some(3));
                let codes: Vec<loket_einvoice::HaciendaErrorLine> =
                    serde_json::from_str(&last.error_codes).unwrap();
                assert!(!codes.is_empty(), "a rejection names its errors");
            }
        }
    }
}

#[tokio::test]
async fn a_transient_failure_waits_on_the_retry_queue_and_goes_through_later() {
    // A clock moved by hand, starting after the test certificate's validity begins.
    let clock = std::sync::Arc::new(loket_engine::ManualClock::new(
        chrono::Utc::now() + chrono::Duration::hours(1),
    ));
    let h = harness_with(loket_sim::SimConfig::default(), clock.clone()).await;
    let c = hacienda_ready(&h, loket_sim::HACIENDA_PASSWORD).await;
    h.engine
        .import_einvoices(c.id, &sample_csv())
        .await
        .unwrap();
    assert_eq!(
        run(&h.engine, c.id, JobKind::EinvoiceSign, None)
            .await
            .status,
        RunStatus::Succeeded
    );

    // Hacienda answers 503 to everything: nothing is lost, each waits on the queue.
    h.sim.set_faults(loket_sim::Faults {
        error_rate: 1.0,
        ..loket_sim::Faults::default()
    });
    let failed = run(&h.engine, c.id, JobKind::EinvoiceSubmit, None).await;
    assert!(failed.counts.failed > 0, "{failed:?}");
    let queue = h
        .engine
        .retry_queue(&[RetryState::Pending], 100)
        .await
        .unwrap();
    assert_eq!(queue.len() as u32, failed.counts.failed);
    for entry in &queue {
        assert_eq!(entry.operation, "submit");
        assert_eq!(entry.attempts, 1);
        // First delay 5 min × 1.5 for a server error.
        assert_eq!(
            entry.next_retry_at,
            loket_engine::Clock::now(&*clock) + chrono::Duration::seconds(450),
            "{entry:?}"
        );
    }
    assert!(states(&h.engine, c.id).await.iter().all(|s| s == "signed"));

    // Not due yet: the queue job leaves them. Due: they go through, once each.
    h.sim.set_faults(loket_sim::Faults::default());
    let retries = job_id(&h.engine, JobKind::EinvoiceRetries, Some(c.id)).await;
    let early = h.engine.run_job_and_wait(retries, "manual").await.unwrap();
    assert_eq!(early.counts.updated, 0);
    clock.advance(chrono::Duration::minutes(8));
    let due = h.engine.run_job_and_wait(retries, "manual").await.unwrap();
    assert_eq!(due.counts.updated as usize, queue.len(), "{due:?}");
    assert!(states(&h.engine, c.id)
        .await
        .iter()
        .all(|s| s == "submitted"));
    assert!(h
        .engine
        .retry_queue(&[RetryState::Pending], 100)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        h.engine
            .retry_queue(&[RetryState::Done], 100)
            .await
            .unwrap()
            .len(),
        queue.len()
    );
}

/// Signed copies of the sample documents, `n` of them.
async fn signed_documents(h: &Harness, connection_id: i64, n: usize) {
    let sample = std::fs::read(sample_csv()).unwrap();
    let base = loket_einvoice::import::import_csv(&sample).unwrap();
    let drafts: Vec<_> = (0..n)
        .map(|i| {
            let mut d = base[i % base.len()].clone();
            d.external_ref = format!("COPY-{i}");
            d
        })
        .collect();
    h.engine
        .add_einvoice_drafts(connection_id, "json", drafts)
        .await
        .unwrap();
    assert_eq!(
        run(&h.engine, connection_id, JobKind::EinvoiceSign, None)
            .await
            .status,
        RunStatus::Succeeded
    );
}

async fn posts_to_recepcion(engine: &Engine, connection_id: i64) -> usize {
    engine
        .list_log(&loket_core::LogFilter {
            connection_id: Some(connection_id),
            only_errors: false,
            endpoint_contains: Some("recepcion".into()),
            limit: Some(10_000),
        })
        .await
        .unwrap()
        .iter()
        .filter(|e| e.method == "POST")
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_or_interrupted_submission_never_sends_a_document_twice() {
    let h = harness(loket_sim::SimConfig {
        faults: loket_sim::Faults {
            latency_ms: 20,
            ..loket_sim::Faults::default()
        },
        ..loket_sim::SimConfig::default()
    })
    .await;
    let c = hacienda_ready(&h, loket_sim::HACIENDA_PASSWORD).await;
    let n = 60;
    signed_documents(&h, c.id, n).await;

    // A run of batches of 10, one at a time, 1 s apart, cancelled after its first batch.
    let mut events = h.engine.subscribe();
    let options = RunOptions {
        batching: Some(loket_core::Batching {
            batch_size: 10,
            batch_delay_seconds: 1,
            max_concurrent_batches: 1,
        }),
        ..RunOptions::default()
    };
    let run_id = h
        .engine
        .start_einvoice_run(c.id, JobKind::EinvoiceSubmit, options, None)
        .await
        .unwrap();
    let mut asked = false;
    let cancelled = loop {
        match events.recv().await {
            Ok(loket_engine::EngineEvent::Progress(p))
                if p.run_id == run_id && p.done >= 10 && !asked =>
            {
                asked = true;
                h.engine.cancel_run(run_id).await.unwrap();
            }
            Ok(loket_engine::EngineEvent::RunFinished(r)) if r.id == run_id => break r,
            _ => {}
        }
    };
    assert_eq!(cancelled.status, RunStatus::Cancelled, "{cancelled:?}");
    let sent_before = cancelled.counts.updated as usize;
    assert!((10..n).contains(&sent_before), "{cancelled:?}");

    // Two documents as a killed process leaves them: one noted but never sent, one sent but
    // not yet marked as sent.
    let waiting = h
        .engine
        .einvoices(c.id, &[DocumentState::Signed], 1000)
        .await
        .unwrap();
    let (never_sent, sent_unmarked) = (&waiting[0], &waiting[1]);
    let store = h.engine.store();
    let now = chrono::Utc::now();
    assert!(store.begin_submit(never_sent.id, now).await.unwrap());
    assert!(store.begin_submit(sent_unmarked.id, now).await.unwrap());
    let session = loket_connect::hacienda::HaciendaSession::new(
        loket_connect::hacienda::HaciendaClient::new(
            loket_connect::ConnectionClient::new(
                loket_connect::ConnectionSettings {
                    connection_id: c.id,
                    base_url: url::Url::parse(&h.sim.hacienda_url).unwrap(),
                    timeout: Duration::from_secs(5),
                    rate_per_sec: None,
                    max_concurrent: 1,
                    secrets: vec![],
                    max_retries: 0,
                },
                None,
            )
            .unwrap(),
            loket_core::Environment::Staging,
        ),
        loket_sim::HACIENDA_USERNAME.into(),
        loket_sim::HACIENDA_PASSWORD.into(),
    );
    let outside = session
        .submit(&loket_connect::hacienda::Submission {
            clave: sent_unmarked.clave.clone().unwrap(),
            fecha: "2026-12-03T10:00:00-06:00".into(),
            issuer_id_type: "01".into(),
            issuer_id: "206920142".into(),
            receiver: None,
            signed_xml: sent_unmarked.signed_xml.clone().unwrap(),
            callback_url: None,
        })
        .await
        .unwrap();
    assert!(matches!(
        outside,
        loket_connect::hacienda::SubmitOutcome::Received { .. }
    ));

    // Resume: everything left goes out, each document exactly once (the one Hacienda already
    // has is asked about, not sent again).
    let resumed = run(&h.engine, c.id, JobKind::EinvoiceSubmit, None).await;
    assert_eq!(resumed.status, RunStatus::Succeeded, "{resumed:?}");
    assert!(states(&h.engine, c.id)
        .await
        .iter()
        .all(|s| s == "submitted"));
    // The integration log is written in batches: give it a moment to catch up.
    let mut posts = 0;
    for _ in 0..50 {
        posts = posts_to_recepcion(&h.engine, c.id).await;
        if posts >= n - 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        (posts, posts_to_recepcion(&h.engine, c.id).await),
        (n - 1, n - 1),
        "one POST per document; the one sent from outside not again"
    );
}

#[tokio::test]
async fn refused_credentials_stop_the_batch_and_old_records_are_cleaned_on_schedule() {
    let clock = std::sync::Arc::new(loket_engine::ManualClock::new(
        chrono::Utc::now() + chrono::Duration::hours(1),
    ));
    let h = harness_with(
        loket_sim::SimConfig {
            hacienda_processing_after: Duration::from_millis(1),
            hacienda_final_after: Duration::from_millis(2),
            ..loket_sim::SimConfig::default()
        },
        clock.clone(),
    )
    .await;
    let c = hacienda_ready(&h, "not-the-password").await;
    signed_documents(&h, c.id, 20).await;

    // The API user is refused: the run stops at the first refusal, with Hacienda's reason,
    // and the documents stay signed (nothing was sent).
    let refused = run(&h.engine, c.id, JobKind::EinvoiceSubmit, None).await;
    assert_eq!(refused.status, RunStatus::Failed, "{refused:?}");
    assert!(refused.error.unwrap_or_default().contains("refused"));
    assert!(
        refused.counts.updated == 0 && refused.counts.failed < 20,
        "{:?}",
        refused.counts
    );
    assert!(states(&h.engine, c.id).await.iter().all(|s| s == "signed"));
    let queue = h
        .engine
        .retry_queue(&[RetryState::Pending], 100)
        .await
        .unwrap();
    assert!(queue.iter().all(|r| r.category == "auth"));

    // With the right password everything goes out and is decided.
    let mut fixed = hacienda(&h.sim.hacienda_url, loket_sim::HACIENDA_PASSWORD);
    fixed.id = Some(c.id);
    h.engine.save_connection(fixed).await.unwrap();
    assert_eq!(
        run(&h.engine, c.id, JobKind::EinvoiceSubmit, None)
            .await
            .status,
        RunStatus::Succeeded
    );
    h.sim.advance_clock(Duration::from_secs(5));
    assert_eq!(
        run(&h.engine, c.id, JobKind::EinvoiceStatus, None)
            .await
            .status,
        RunStatus::Succeeded
    );
    let answered = h.engine.einvoices(c.id, &[], 100).await.unwrap();
    assert!(
        h.engine
            .einvoice_responses(answered[0].id)
            .await
            .unwrap()
            .len()
            == 1
    );

    // 91 days on, the answers are past the 90-day retention; 31 days on, the finished queue
    // entries are past 30 days. The clean-up jobs remove them and nothing else.
    clock.advance(chrono::Duration::days(91));
    let cleanup = job_id(&h.engine, JobKind::EinvoiceResponseCleanup, None).await;
    let cleaned = h.engine.run_job_and_wait(cleanup, "manual").await.unwrap();
    assert_eq!(cleaned.counts.updated, 20);
    assert!(h
        .engine
        .einvoice_responses(answered[0].id)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(h.engine.einvoices(c.id, &[], 100).await.unwrap().len(), 20);
    let queue_cleanup = job_id(&h.engine, JobKind::EinvoiceRetryCleanup, None).await;
    let cleaned = h
        .engine
        .run_job_and_wait(queue_cleanup, "manual")
        .await
        .unwrap();
    assert_eq!(cleaned.counts.updated as usize, queue.len());
    assert!(h.engine.retry_queue(&[], 100).await.unwrap().is_empty());
}

#[tokio::test]
async fn demo_mode_can_sign_and_send_at_once() {
    let sandbox = loket_engine::demo::start_sandbox(loket_engine::demo::demo_sim_config())
        .await
        .unwrap();
    let h = harness(loket_sim::SimConfig::default()).await;
    h.engine
        .ensure_demo_connections(&sandbox.setup)
        .await
        .unwrap();
    // Twice: a restart keeps what is there.
    h.engine
        .ensure_demo_connections(&sandbox.setup)
        .await
        .unwrap();
    let c = h
        .engine
        .list_connections()
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.kind == loket_core::ConnectionKind::Hacienda)
        .unwrap();
    let info = h.engine.certificate_info(c.id).await.unwrap().unwrap();
    assert_eq!(info.subject_id_number.as_deref(), Some("206920142"));
    h.engine
        .import_einvoices(c.id, &sample_csv())
        .await
        .unwrap();
    assert_eq!(
        run(&h.engine, c.id, JobKind::EinvoiceSign, None)
            .await
            .status,
        RunStatus::Succeeded
    );
    let sent = run(&h.engine, c.id, JobKind::EinvoiceSubmit, None).await;
    assert_eq!(sent.status, RunStatus::Succeeded, "{sent:?}");
    assert!(sent.counts.updated >= 3);
}

#[tokio::test]
async fn the_certificate_is_warned_about_once_per_tier_before_it_expires() {
    // Loading the certificate needs a time within its validity.
    let clock = std::sync::Arc::new(loket_engine::ManualClock::new(
        chrono::Utc::now() + chrono::Duration::hours(1),
    ));
    let h = harness_with(loket_sim::SimConfig::default(), clock.clone()).await;
    let c = hacienda_ready(&h, loket_sim::HACIENDA_PASSWORD).await;
    let expiry = h
        .engine
        .certificate_info(c.id)
        .await
        .unwrap()
        .unwrap()
        .not_after;
    let check = job_id(&h.engine, JobKind::EinvoiceCertificateCheck, Some(c.id)).await;

    // Runs the daily check `days_before` the expiry and returns the notifications it sent.
    let run_at = |days_before: i64| {
        let engine = h.engine.clone();
        let clock = clock.clone();
        async move {
            clock.set(expiry - chrono::Duration::days(days_before) - chrono::Duration::hours(1));
            let mut events = engine.subscribe();
            let run = engine.run_job_and_wait(check, "manual").await.unwrap();
            assert_eq!(run.status, RunStatus::Succeeded, "{run:?}");
            let mut notes = Vec::new();
            while let Ok(e) = events.try_recv() {
                if let loket_engine::EngineEvent::Notify { title, body } = e {
                    notes.push(format!("{title} | {body}"));
                }
            }
            notes
        }
    };
    assert!(run_at(40).await.is_empty(), "warned 40 days ahead");
    let first = run_at(30).await;
    assert_eq!(first.len(), 1, "{first:?}");
    assert!(
        first[0].contains("expires soon") && first[0].contains("(30 days)"),
        "{first:?}"
    );
    // The next days within the same tier stay quiet, also after a restart of the check.
    assert!(run_at(29).await.is_empty());
    assert!(run_at(8).await.is_empty());
    assert_eq!(run_at(7).await.len(), 1);
    assert_eq!(run_at(1).await.len(), 1);
    let expired = run_at(-2).await;
    assert_eq!(expired.len(), 1);
    assert!(expired[0].contains("has expired"), "{expired:?}");
    assert!(run_at(-3).await.is_empty());
}
