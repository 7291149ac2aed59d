//! Permit office pipelines: permit types, and the issued / in-process permit lists paged into
//! the store with a checkpoint committed alongside each page.

use futures::StreamExt;
use loket_connect::sicantik::{ListedPermit, PermitList, SicantikClient};
use loket_core::Connection;
use loket_store::{PermitDetailOutcome, PermitPage, PermitRecord, PermitTypeRecord};
use serde::{Deserialize, Serialize};
use tokio_util::task::AbortOnDropHandle;

use super::{JobContext, JobEnd};
use crate::{EngineError, Result};

/// Records asked for per page.
pub(crate) const PAGE_SIZE: u32 = 250;

/// Where a permit list sync resumes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct ListCheckpoint {
    in_process: bool,
    offset: u64,
}

async fn client(
    ctx: &JobContext,
    connection: Option<&Connection>,
) -> Result<(Connection, SicantikClient)> {
    let c = connection
        .cloned()
        .ok_or_else(|| EngineError::NotFound("This job has no connection.".into()))?;
    let secret = ctx.engine.connection_secret(&c).await?;
    let http = ctx.engine.inner.clients.get(&c, secret.as_deref()).await?;
    Ok((c, SicantikClient::new(http).with_api_key(secret.as_deref())))
}

/// Pulls the permit types.
pub(crate) async fn permit_types(
    ctx: &mut JobContext,
    connection: Option<&Connection>,
) -> Result<JobEnd> {
    let (c, client) = client(ctx, connection).await?;
    ctx.progress(0, None, "permit types", true);
    let page = match client.permit_types().await {
        Ok(page) => page,
        Err(e) => {
            return Ok(JobEnd::Failed {
                counts: ctx.counts(),
                error: e.to_string(),
            })
        }
    };
    let records: Vec<PermitTypeRecord> = page
        .items
        .into_iter()
        .map(|t| PermitTypeRecord {
            remote_id: t.remote_id,
            name: t.name,
            code: t.code,
        })
        .collect();
    let now = ctx.engine.now();
    let mut counts = ctx
        .engine
        .inner
        .store
        .upsert_permit_types(c.id, &records, now)
        .await?;
    counts.failed += u32::try_from(page.rejected.len()).unwrap_or(u32::MAX);
    for reason in &page.rejected {
        tracing::warn!(connection = c.id, "{reason}");
    }
    ctx.add_counts(counts).await;
    let n = records.len() as u64;
    ctx.progress(n, Some(n), "permit types", true);
    ctx.engine.changed(&["permit_types"]);
    Ok(JobEnd::Done(ctx.counts()))
}

fn to_record(p: ListedPermit, in_process: bool) -> PermitRecord {
    PermitRecord {
        registration_id: p.registration_id,
        permit_number: p.permit_number,
        applicant: p.applicant,
        permit_type_name: p.permit_type,
        received_date: p.received,
        status: if in_process { "in_process" } else { "active" }.to_string(),
        remote_status: p.remote_status,
        expiry_date: p.expiry,
    }
}

/// Pages through issued, then in-process permits; resumes from the saved checkpoint.
pub(crate) async fn new_permits(
    ctx: &mut JobContext,
    connection: Option<&Connection>,
) -> Result<JobEnd> {
    let (c, client) = client(ctx, connection).await?;
    let store = ctx.engine.inner.store.clone();
    let resume: Option<ListCheckpoint> = store
        .checkpoint(ctx.job_id)
        .await?
        .and_then(|v| serde_json::from_value(v).ok());
    let totals = match client.counts().await {
        Ok(counts) => Some(counts),
        Err(e) => {
            tracing::warn!(connection = c.id, error = %e, "permit totals unavailable; progress without total");
            None
        }
    };
    let as_u64 = |n: i64| u64::try_from(n).unwrap_or(0);
    let total = totals.map(|t| as_u64(t.issued) + as_u64(t.in_process));
    let mut position = resume.unwrap_or(ListCheckpoint {
        in_process: false,
        offset: 0,
    });
    // What earlier lists already covered, so "done" keeps counting across lists and resumes.
    let mut done = position.offset;
    if position.in_process {
        done += totals.map(|t| as_u64(t.issued)).unwrap_or(0);
    }
    ctx.progress(done, total, stage(position), true);

    // Pages are fetched ahead, as many at once as the connection allows (and within its rate
    // limit), but committed strictly in order, each with the checkpoint after it.
    let ahead = usize::try_from(c.max_concurrent.max(1)).unwrap_or(1);
    'lists: loop {
        let list = if position.in_process {
            PermitList::InProcess
        } else {
            PermitList::Issued
        };
        let first = position.offset;
        let fetcher = client.clone();
        let mut pages = futures::stream::iter(0u64..)
            .map(move |i| {
                let client = fetcher.clone();
                let offset = first + i * u64::from(PAGE_SIZE);
                // Dropped (list ended, page failed, run cancelled): the fetch stops.
                AbortOnDropHandle::new(tokio::spawn(async move {
                    client.permits(list, PAGE_SIZE, offset).await
                }))
            })
            .buffered(ahead);
        loop {
            if ctx.is_cancelled() {
                return Ok(JobEnd::Done(ctx.counts()));
            }
            let fetched = match pages.next().await {
                Some(Ok(fetched)) => fetched,
                Some(Err(e)) => return Err(EngineError::Internal(e.to_string())),
                None => break 'lists,
            };
            let page = match fetched {
                Ok(page) => page,
                Err(e) => {
                    return Ok(JobEnd::Failed {
                        counts: ctx.counts(),
                        error: format!(
                            "{} (at {}; the next run resumes there)",
                            e,
                            stage(position)
                        ),
                    })
                }
            };
            let records: Vec<PermitRecord> = page
                .items
                .into_iter()
                .map(|p| to_record(p, position.in_process))
                .collect();
            let raw = page.raw_count as u64;
            let next = if raw < u64::from(PAGE_SIZE) {
                if position.in_process {
                    None
                } else {
                    Some(ListCheckpoint {
                        in_process: true,
                        offset: 0,
                    })
                }
            } else {
                Some(ListCheckpoint {
                    in_process: position.in_process,
                    offset: position.offset + raw,
                })
            };
            let checkpoint = serde_json::to_value(next.unwrap_or(position)).unwrap_or_default();
            let now = ctx.engine.now();
            let mut counts = store
                .upsert_permit_page(
                    PermitPage {
                        connection_id: c.id,
                        job_id: ctx.job_id,
                        records: &records,
                        checkpoint,
                    },
                    now,
                )
                .await?;
            counts.failed += u32::try_from(page.rejected.len()).unwrap_or(u32::MAX);
            ctx.add_counts(counts).await;
            done += raw;
            match next {
                Some(n) => {
                    let list_ended = n.in_process != position.in_process;
                    position = n;
                    ctx.progress(done, total.map(|t| t.max(done)), stage(position), false);
                    if list_ended {
                        // Pages fetched past the end of this list are dropped unread.
                        continue 'lists;
                    }
                }
                None => break 'lists,
            }
        }
    }
    store.clear_checkpoint(ctx.job_id).await?;
    ctx.progress(done, Some(done), "done", true);
    ctx.engine.changed(&["permits"]);
    Ok(JobEnd::Done(ctx.counts()))
}

fn stage(p: ListCheckpoint) -> String {
    let list = if p.in_process {
        "in-process applications"
    } else {
        "issued permits"
    };
    format!("{list}, from record {}", p.offset + 1)
}

fn outcome_counts(batch: &[(i64, PermitDetailOutcome)]) -> loket_core::RunCounts {
    let mut counts = loket_core::RunCounts::default();
    for (_, outcome) in batch {
        match outcome {
            PermitDetailOutcome::Found { .. } => counts.updated += 1,
            PermitDetailOutcome::Failed(_) => counts.failed += 1,
        }
    }
    counts
}

/// Lookups stored per transaction in the expiry sync.
const DETAIL_BATCH: usize = 50;

/// The second step: each issued permit's detail (expiry date) by its number, as many at once
/// as the connection allows and within its rate limit. A failed lookup is recorded on the
/// permit and skipped; it never ends the run.
pub(crate) async fn expiry_sync(
    ctx: &mut JobContext,
    connection: Option<&Connection>,
) -> Result<JobEnd> {
    let (c, client) = client(ctx, connection).await?;
    let store = ctx.engine.inner.store.clone();
    let options = ctx.options.clone();
    let todo = store
        .permits_to_check(c.id, options.refresh_all, options.limit)
        .await?;
    let total = todo.len() as u64;
    ctx.progress(0, Some(total), "permit details", true);
    let in_flight = c.max_concurrent.max(1) as usize;
    let cancel = ctx.cancel_token();
    let mut lookups = futures::stream::iter(todo)
        .take_while(move |_| std::future::ready(!cancel.is_cancelled()))
        .map(move |permit| {
            let client = client.clone();
            async move {
                let outcome = match client.check_permit(&permit.permit_number).await {
                    Ok(d) => PermitDetailOutcome::Found {
                        expiry_date: d.expiry,
                        issue_date: d.issued,
                        company: d.company,
                        npwp: d.npwp,
                        phone: d.phone,
                        address: d.address,
                    },
                    Err(e) => PermitDetailOutcome::Failed(match e.details {
                        Some(d) => format!("{} {d}", e.message),
                        None => e.message,
                    }),
                };
                (permit.id, outcome)
            }
        })
        .buffer_unordered(in_flight);
    // The look-ups run in a task of their own: while this loop waits on the store (run counts),
    // a finished look-up is replaced at once, so `in_flight` requests stay in flight.
    let (to_results, mut results) = tokio::sync::mpsc::channel(DETAIL_BATCH * 4);
    let lookup_task = AbortOnDropHandle::new(tokio::spawn(async move {
        while let Some(item) = lookups.next().await {
            if to_results.send(item).await.is_err() {
                break;
            }
        }
    }));
    // Results are stored by a task of their own, so the look-ups never wait for a commit.
    let (to_writer, mut batches) = tokio::sync::mpsc::channel::<Vec<(i64, PermitDetailOutcome)>>(4);
    let writer = {
        let store = store.clone();
        let engine = ctx.engine.clone();
        tokio::spawn(async move {
            while let Some(batch) = batches.recv().await {
                store.save_permit_details(&batch, engine.now()).await?;
            }
            Ok::<_, loket_store::StoreError>(())
        })
    };
    let mut batch = Vec::with_capacity(DETAIL_BATCH);
    let mut done = 0u64;
    while let Some(item) = results.recv().await {
        batch.push(item);
        done += 1;
        if batch.len() >= DETAIL_BATCH || done == total {
            let counts = outcome_counts(&batch);
            if to_writer.send(std::mem::take(&mut batch)).await.is_err() {
                break; // The writer stopped on an error, reported below.
            }
            ctx.add_counts(counts).await;
            ctx.progress(done, Some(total), "permit details", false);
        }
    }
    if !batch.is_empty() {
        let counts = outcome_counts(&batch);
        if to_writer.send(batch).await.is_ok() {
            ctx.add_counts(counts).await;
        }
    }
    drop(lookup_task);
    drop(to_writer);
    writer
        .await
        .map_err(|e| EngineError::Internal(format!("the permit writer stopped: {e}")))??;
    ctx.progress(done, Some(total), "permit details", true);
    ctx.engine.changed(&["permits"]);
    Ok(JobEnd::Done(ctx.counts()))
}
