//! Writes integration-log records in batches: a busy sync costs one commit per batch, not
//! one per request.

use std::time::Duration;

use loket_connect::CallRecord;
use loket_store::{NewLogEntry, Store};
use tokio::sync::{broadcast, mpsc};

use crate::events::EngineEvent;

const BATCH: usize = 500;
const LINGER: Duration = Duration::from_millis(250);

pub(crate) fn spawn(
    store: Store,
    events: broadcast::Sender<EngineEvent>,
) -> mpsc::UnboundedSender<CallRecord> {
    let (tx, mut rx) = mpsc::unbounded_channel::<CallRecord>();
    tokio::spawn(async move {
        let mut batch = Vec::with_capacity(BATCH);
        while let Some(first) = rx.recv().await {
            batch.push(entry(first));
            let deadline = tokio::time::Instant::now() + LINGER;
            while batch.len() < BATCH {
                match tokio::time::timeout_at(deadline, rx.recv()).await {
                    Ok(Some(r)) => batch.push(entry(r)),
                    Ok(None) | Err(_) => break,
                }
            }
            if let Err(e) = store.append_log(&batch).await {
                tracing::error!(error = %e, rows = batch.len(), "integration log rows could not be written");
            }
            batch.clear();
            let _ = events.send(EngineEvent::Changed {
                topics: vec!["log".into(), "connections".into()],
            });
        }
    });
    tx
}

fn entry(r: CallRecord) -> NewLogEntry {
    NewLogEntry {
        connection_id: r.connection_id,
        at: r.at,
        method: r.method,
        endpoint: r.endpoint,
        params: r.params,
        status: r.status,
        duration_ms: r.duration_ms,
        bytes: r.bytes,
        error_category: r.error_category,
        error: r.error,
    }
}
