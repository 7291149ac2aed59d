//! E-invoice jobs: the three bulk runs the wizards start (sign, submit, status check) and the
//! four scheduled ones (poll pending, work the retry queue, clean answers, clean the queue).

use std::sync::Arc;
use std::time::Duration;

use futures::{Stream, StreamExt};
use loket_connect::hacienda::HaciendaSession;
use loket_core::{
    Batching, BulkOutcome, Connection, DocumentState, EinvoiceSettings, RetryOperation, RunCounts,
};
use loket_einvoice::SigningIdentity;
use loket_store::NewRunResult;
use tokio_util::task::AbortOnDropHandle;

use super::{JobContext, JobEnd};
use crate::einvoices::pipeline::{StepOutcome, StepResult};
use crate::{Engine, EngineError, Result};

fn connection(connection: Option<&Connection>) -> Result<Connection> {
    connection
        .cloned()
        .ok_or_else(|| EngineError::NotFound("This job has no connection.".into()))
}

async fn session(ctx: &JobContext, c: &Connection) -> Result<Arc<HaciendaSession>> {
    let secret = ctx.engine.connection_secret(c).await?;
    Ok(ctx
        .engine
        .inner
        .clients
        .hacienda(c, secret.as_deref())
        .await?)
}

/// The documents a bulk run works on: the wizard's selection, or every one in `states`.
async fn selection(ctx: &JobContext, c: &Connection, states: &[DocumentState]) -> Result<Vec<i64>> {
    if !ctx.options.selection.is_empty() {
        return Ok(ctx.options.selection.clone());
    }
    let limit = ctx.options.limit.unwrap_or(u32::MAX);
    Ok(ctx
        .engine
        .einvoices(c.id, states, limit)
        .await?
        .into_iter()
        .map(|d| d.id)
        .collect())
}

/// Runs `steps` in a task of its own and hands over their results. The loop that counts them
/// writes to the store; were it to poll the steps itself, a step paused inside a transaction
/// (holding the write lock) would wait for that loop while the loop waits for the lock.
fn drive<T: Send + 'static>(
    steps: impl Stream<Item = T> + Send + 'static,
) -> (tokio::sync::mpsc::Receiver<T>, AbortOnDropHandle<()>) {
    let (tx, rx) = tokio::sync::mpsc::channel(256);
    let task = AbortOnDropHandle::new(tokio::spawn(async move {
        futures::pin_mut!(steps);
        while let Some(item) = steps.next().await {
            if tx.send(item).await.is_err() {
                break;
            }
        }
    }));
    (rx, task)
}

/// Per-document results of a bulk run, written to the store every [`ResultLog::EVERY`]
/// documents and at the end (the documents' own states are the truth; these are the summary).
struct ResultLog {
    run_id: i64,
    pending: Vec<NewRunResult>,
}

impl ResultLog {
    const EVERY: usize = 100;

    fn new(run_id: i64) -> Self {
        Self {
            run_id,
            pending: Vec::new(),
        }
    }

    async fn push(&mut self, engine: &Engine, r: &StepResult) -> Result<()> {
        self.pending.push(NewRunResult {
            einvoice_id: r.einvoice_id,
            outcome: match r.outcome {
                StepOutcome::Done => BulkOutcome::Done,
                StepOutcome::Skipped => BulkOutcome::Skipped,
                StepOutcome::Retrying => BulkOutcome::Retrying,
                StepOutcome::Failed => BulkOutcome::Failed,
            },
            state: r.state,
            message: r.error.clone(),
        });
        if self.pending.len() >= Self::EVERY {
            self.flush(engine).await?;
        }
        Ok(())
    }

    async fn flush(&mut self, engine: &Engine) -> Result<()> {
        let batch = std::mem::take(&mut self.pending);
        engine
            .inner
            .store
            .insert_run_results(self.run_id, &batch)
            .await?;
        Ok(())
    }
}

fn count(result: &StepResult) -> RunCounts {
    match result.outcome {
        StepOutcome::Done => RunCounts {
            updated: 1,
            ..RunCounts::default()
        },
        StepOutcome::Skipped => RunCounts {
            unchanged: 1,
            ..RunCounts::default()
        },
        StepOutcome::Retrying | StepOutcome::Failed => RunCounts {
            failed: 1,
            ..RunCounts::default()
        },
    }
}

/// Signs the selection (drafts are generated first), several at once on the blocking pool.
pub(crate) async fn sign(ctx: &mut JobContext, c: Option<&Connection>) -> Result<JobEnd> {
    let c = connection(c)?;
    let identity = match ctx.engine.take_prepared_identity(c.id).await {
        Some(identity) => identity,
        None => Arc::new(ctx.engine.signing_identity(c.id, None).await?),
    };
    let ids = selection(ctx, &c, &[DocumentState::Draft, DocumentState::Generated]).await?;
    let total = ids.len() as u64;
    ctx.progress(0, Some(total), "documents", true);
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()) * 2;
    let engine = ctx.engine.clone();
    let cancel = ctx.cancel_token();
    let steps = futures::stream::iter(ids)
        .take_while(move |_| std::future::ready(!cancel.is_cancelled()))
        .map(move |id| {
            let engine = engine.clone();
            let identity = Arc::clone(&identity);
            async move { engine.sign_einvoice_with(id, &identity).await }
        })
        .buffer_unordered(workers);
    let (mut results, _steps) = drive(steps);
    let mut log = ResultLog::new(ctx.run_id());
    let mut done = 0;
    while let Some(result) = results.recv().await {
        done += 1;
        let result = result?;
        log.push(&ctx.engine, &result).await?;
        ctx.add_counts(count(&result)).await;
        ctx.progress(done, Some(total), "documents", false);
    }
    log.flush(&ctx.engine).await?;
    ctx.progress(done, Some(total), "documents", true);
    ctx.engine.changed(&["einvoices"]);
    Ok(JobEnd::Done(ctx.counts()))
}

/// Sends the selection in batches: `batch_size` documents per batch, at most
/// `max_concurrent_batches` batches at once (a wave), waves starting `batch_delay_seconds`
/// apart; within a wave the connection's rate limit and concurrency cap apply.
/// Cancel stops before the next document; a document is never sent twice (see the pipeline).
pub(crate) async fn submit(ctx: &mut JobContext, c: Option<&Connection>) -> Result<JobEnd> {
    let c = connection(c)?;
    let settings = ctx.engine.einvoice_settings().await?;
    let batching = ctx.options.batching.unwrap_or(Batching {
        batch_size: settings.batch_size,
        batch_delay_seconds: settings.batch_delay_seconds,
        max_concurrent_batches: settings.max_concurrent_batches,
    });
    let ids = selection(ctx, &c, &[DocumentState::Signed]).await?;
    let session = session(ctx, &c).await?;
    run_batched(ctx, &c, ids, batching, &settings, session, Step::Submit).await
}

/// Asks Hacienda about the selection (every sent, undecided document when none), batched like
/// a submission.
pub(crate) async fn status(ctx: &mut JobContext, c: Option<&Connection>) -> Result<JobEnd> {
    let c = connection(c)?;
    let settings = ctx.engine.einvoice_settings().await?;
    let batching = ctx.options.batching.unwrap_or(Batching {
        batch_size: settings.batch_size,
        batch_delay_seconds: 0,
        max_concurrent_batches: settings.max_concurrent_batches,
    });
    let ids = selection(
        ctx,
        &c,
        &[DocumentState::Submitted, DocumentState::Processing],
    )
    .await?;
    let session = session(ctx, &c).await?;
    run_batched(ctx, &c, ids, batching, &settings, session, Step::Poll).await
}

#[derive(Clone, Copy)]
enum Step {
    Submit,
    Poll,
}

async fn run_batched(
    ctx: &mut JobContext,
    c: &Connection,
    ids: Vec<i64>,
    batching: Batching,
    settings: &EinvoiceSettings,
    session: Arc<HaciendaSession>,
    step: Step,
) -> Result<JobEnd> {
    let total = ids.len() as u64;
    ctx.progress(0, Some(total), "documents", true);
    let batch_size = batching.batch_size.max(1) as usize;
    let wave = batching.max_concurrent_batches.max(1) as usize;
    let per_batch = (c.max_concurrent.max(1) as usize).min(batch_size);
    let delay = Duration::from_secs(u64::from(batching.batch_delay_seconds));
    let batches: Vec<Vec<i64>> = ids.chunks(batch_size).map(<[i64]>::to_vec).collect();
    let mut done = 0u64;
    let mut stop: Option<EngineError> = None;
    // Waves start `delay` apart (counted from one wave's start to the next), so the time a
    // wave takes to send is not added to every delay.
    let started = tokio::time::Instant::now();
    let halt = tokio_util::sync::CancellationToken::new();
    let mut log = ResultLog::new(ctx.run_id());
    for (n, wave_batches) in batches.chunks(wave).enumerate() {
        if ctx.is_cancelled() || stop.is_some() {
            break;
        }
        if n > 0 && !delay.is_zero() {
            let cancel = ctx.cancel_token();
            let due = started + delay * u32::try_from(n).unwrap_or(u32::MAX);
            tokio::select! {
                () = tokio::time::sleep_until(due) => {}
                () = cancel.cancelled() => break,
            }
        }
        let cancel = ctx.cancel_token();
        let halted = halt.clone();
        let engine = ctx.engine.clone();
        let settings = settings.clone();
        let session = Arc::clone(&session);
        // The wave's batches side by side, each sending `per_batch` documents at a time.
        let ids: Vec<i64> = wave_batches.iter().flatten().copied().collect();
        let steps = futures::stream::iter(ids)
            .take_while(move |_| {
                std::future::ready(!cancel.is_cancelled() && !halted.is_cancelled())
            })
            .map(move |id| {
                let engine = engine.clone();
                let settings = settings.clone();
                let session = Arc::clone(&session);
                async move {
                    match step {
                        Step::Submit => engine.submit_once(id, &session, &settings).await,
                        Step::Poll => engine.poll_einvoice_with(id, &session, &settings).await,
                    }
                }
            })
            .buffer_unordered(per_batch * wave_batches.len());
        let (mut results, _steps) = drive(steps);
        while let Some(result) = results.recv().await {
            done += 1;
            match result {
                Ok(r) => {
                    log.push(&ctx.engine, &r).await?;
                    ctx.add_counts(count(&r)).await;
                }
                Err(e) => {
                    // Refused credentials (SPEC §5) or a failing store: the rest would fail too.
                    halt.cancel();
                    ctx.add_counts(RunCounts {
                        failed: 1,
                        ..RunCounts::default()
                    })
                    .await;
                    if stop.is_none() {
                        stop = Some(e);
                    }
                }
            }
            ctx.progress(done, Some(total), "documents", false);
        }
    }
    log.flush(&ctx.engine).await?;
    ctx.progress(done, Some(total), "documents", true);
    ctx.engine.changed(&["einvoices"]);
    match stop {
        Some(e) => Ok(JobEnd::Failed {
            counts: ctx.counts(),
            error: crate::api::user_message(e),
        }),
        None => Ok(JobEnd::Done(ctx.counts())),
    }
}

/// Asks about sent documents awaiting a decision, up to the settings' batch, within the
/// polling window after submission.
pub(crate) async fn poll(ctx: &mut JobContext, c: Option<&Connection>) -> Result<JobEnd> {
    let c = connection(c)?;
    let settings = ctx.engine.einvoice_settings().await?;
    if !settings.auto_poll {
        return Ok(JobEnd::Done(ctx.counts()));
    }
    let since = ctx.engine.now() - chrono::Duration::hours(i64::from(settings.poll_max_age_hours));
    let ids = ctx
        .engine
        .inner
        .store
        .einvoices_to_poll(c.id, since, settings.poll_batch)
        .await?;
    if ids.is_empty() {
        return Ok(JobEnd::Done(ctx.counts()));
    }
    let session = session(ctx, &c).await?;
    let batching = Batching {
        batch_size: settings.poll_batch,
        batch_delay_seconds: 0,
        max_concurrent_batches: 1,
    };
    run_batched(ctx, &c, ids, batching, &settings, session, Step::Poll).await
}

/// Claim rounds one retry-queue run makes at most.
const MAX_CLAIM_ROUNDS: usize = 5;

/// Works the due entries of the retry queue, highest priority first.
pub(crate) async fn retries(ctx: &mut JobContext, c: Option<&Connection>) -> Result<JobEnd> {
    let c = connection(c)?;
    let settings = ctx.engine.einvoice_settings().await?;
    // With auto retry off only a run started by hand ("Retry now") works the queue.
    if !settings.auto_retry && !ctx.manual {
        return Ok(JobEnd::Done(ctx.counts()));
    }
    let engine = ctx.engine.clone();
    let mut session_cache = None;
    let mut identity_cache: Option<Arc<SigningIdentity>> = None;
    let mut done = 0;
    let mut total = 0u64;
    ctx.progress(0, Some(0), "retries", true);
    // Entries made due while the run works (a second "Retry now") are claimed before it ends;
    // a few rounds at most, so an entry due again at once cannot keep the run going.
    'claims: for _round in 0..MAX_CLAIM_ROUNDS {
        let due = engine
            .inner
            .store
            .claim_due_retries(c.id, engine.now(), 200)
            .await?;
        if due.is_empty() {
            break;
        }
        total += due.len() as u64;
        ctx.progress(done, Some(total), "retries", true);
        for entry in due {
            if ctx.is_cancelled() {
                break 'claims;
            }
            let operation = RetryOperation::parse(&entry.operation);
            let result = match operation {
                Some(RetryOperation::Sign) => {
                    if identity_cache.is_none() {
                        identity_cache = Some(Arc::new(engine.signing_identity(c.id, None).await?));
                    }
                    match &identity_cache {
                        Some(identity) => {
                            engine.sign_einvoice_with(entry.einvoice_id, identity).await
                        }
                        None => continue,
                    }
                }
                Some(op) => {
                    if session_cache.is_none() {
                        session_cache = Some(session(ctx, &c).await?);
                    }
                    let Some(session) = &session_cache else {
                        continue;
                    };
                    match op {
                        RetryOperation::Submit => {
                            engine
                                .submit_once(entry.einvoice_id, session, &settings)
                                .await
                        }
                        _ => {
                            engine
                                .poll_einvoice_with(entry.einvoice_id, session, &settings)
                                .await
                        }
                    }
                }
                None => continue,
            };
            done += 1;
            match result {
                Ok(r) => {
                    if r.outcome == StepOutcome::Skipped {
                        // Settled some other way (sent by a bulk run, decided…): nothing to retry.
                        engine
                            .inner
                            .store
                            .finish_retry(entry.einvoice_id, &entry.operation, engine.now())
                            .await?;
                    }
                    ctx.add_counts(count(&r)).await;
                }
                Err(e) => {
                    engine
                        .inner
                        .store
                        .release_processing_retries(c.id, engine.now())
                        .await?;
                    return Ok(JobEnd::Failed {
                        counts: ctx.counts(),
                        error: crate::api::user_message(e),
                    });
                }
            }
            ctx.progress(done, Some(total), "retries", false);
        }
    }
    engine
        .inner
        .store
        .release_processing_retries(c.id, engine.now())
        .await?;
    ctx.progress(done, Some(total), "retries", true);
    Ok(JobEnd::Done(ctx.counts()))
}

/// Deletes Hacienda answers past the settings' retention.
pub(crate) async fn clean_responses(ctx: &mut JobContext) -> Result<JobEnd> {
    let settings = ctx.engine.einvoice_settings().await?;
    let cutoff = settings.response_cutoff(ctx.engine.now());
    let deleted = ctx
        .engine
        .inner
        .store
        .delete_responses_before(cutoff)
        .await?;
    ctx.add_counts(RunCounts {
        updated: u32::try_from(deleted).unwrap_or(u32::MAX),
        ..RunCounts::default()
    })
    .await;
    Ok(JobEnd::Done(ctx.counts()))
}

/// Warns once per tier (30, 7, 1 days ahead, expired) that the connection's signing
/// certificate runs out; a new certificate starts the tiers again.
pub(crate) async fn check_certificate(
    ctx: &mut JobContext,
    c: Option<&Connection>,
) -> Result<JobEnd> {
    let c = connection(c)?;
    let engine = ctx.engine.clone();
    let Some(info) = engine.certificate_info(c.id).await.ok().flatten() else {
        return Ok(JobEnd::Done(ctx.counts()));
    };
    let now = engine.now();
    let days_left = loket_core::einvoice::certificate_days_left(info.not_after, now);
    let Some(tier) = loket_core::einvoice::certificate_warning_tier(days_left) else {
        return Ok(JobEnd::Done(ctx.counts()));
    };
    let store = &engine.inner.store;
    let warned = store.certificate_warned(c.id).await?;
    let already = warned
        .as_ref()
        .is_some_and(|w| w.not_after == info.not_after && w.tier <= tier);
    if already {
        ctx.add_counts(RunCounts {
            unchanged: 1,
            ..RunCounts::default()
        })
        .await;
        return Ok(JobEnd::Done(ctx.counts()));
    }
    let settings = store.settings().await?;
    let expires = info
        .not_after
        .with_timezone(
            &settings
                .office_timezone
                .parse::<chrono_tz::Tz>()
                .unwrap_or(chrono_tz::UTC),
        )
        .format("%Y-%m-%d")
        .to_string();
    let (title, body) = loket_core::messages::certificate_expiry(
        settings.language,
        &c.name,
        common_name(&info.subject),
        days_left,
        &expires,
    );
    engine.emit(crate::events::EngineEvent::Notify { title, body });
    store
        .save_certificate_warned(
            c.id,
            &loket_store::CertificateWarned {
                not_after: info.not_after,
                tier,
            },
        )
        .await?;
    ctx.add_counts(RunCounts {
        updated: 1,
        ..RunCounts::default()
    })
    .await;
    Ok(JobEnd::Done(ctx.counts()))
}

/// The CN of a distinguished name (RFC 4514), or the whole name when it has none.
fn common_name(subject: &str) -> &str {
    subject
        .split(',')
        .find_map(|part| part.trim().strip_prefix("CN="))
        .unwrap_or(subject)
}

/// Deletes done and failed retry entries after 30 days.
pub(crate) async fn clean_retries(ctx: &mut JobContext) -> Result<JobEnd> {
    let cutoff =
        ctx.engine.now() - chrono::Duration::days(loket_core::einvoice::RETRY_CLEANUP_AFTER_DAYS);
    let deleted = ctx.engine.inner.store.delete_retries_before(cutoff).await?;
    ctx.add_counts(RunCounts {
        updated: u32::try_from(deleted).unwrap_or(u32::MAX),
        ..RunCounts::default()
    })
    .await;
    Ok(JobEnd::Done(ctx.counts()))
}

impl Engine {
    /// Sends one document unless another run is sending it right now (in this process; the
    /// data-folder lock keeps other processes out).
    pub(crate) async fn submit_once(
        &self,
        id: i64,
        session: &HaciendaSession,
        settings: &EinvoiceSettings,
    ) -> Result<StepResult> {
        let Some(_claim) = self.claim_submission(id) else {
            return self.einvoice(id).await.map(|d| StepResult {
                einvoice_id: id,
                clave: d.clave,
                state: DocumentState::parse(&d.state).unwrap_or(DocumentState::Error),
                outcome: StepOutcome::Skipped,
                error: None,
            });
        };
        self.submit_einvoice_with(id, session, settings).await
    }
}
