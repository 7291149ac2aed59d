//! E-invoice figures (SPEC §9), each printed beside its target or bound:
//!   cargo bench -p loket-engine --bench einvoices            (all)
//!   cargo bench -p loket-engine --bench einvoices -- sign    (1,000 documents signed)
//!   cargo bench -p loket-engine --bench einvoices -- submit  (1,000 sent at 20 ms latency)
//!   cargo bench -p loket-engine --bench einvoices -- poll    (100 pending documents asked about)
//!   cargo bench -p loket-engine --bench einvoices -- views   (dashboard and list over 100,000)
//! The sandbox runs on a runtime of its own, like a remote server.
#![allow(clippy::unwrap_used, clippy::print_stdout)]

mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use loket_core::{
    Batching, ConnectionInput, ConnectionKind, DocumentState, EinvoiceSettings, Environment,
    JobKind, RunOptions, RunStatus, SyncRun,
};
use loket_engine::einvoices::IssuerProfile;
use loket_engine::{Engine, EngineEvent};

const LATENCY_MS: u64 = 20;

/// The demo's legacy .p12 (PIN 1234) for the sample issuer 206920142.
fn legacy_p12() -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("demo/sandbox-issuer.p12")).unwrap()
}

struct Setup {
    engine: Engine,
    connection_id: i64,
    sim: loket_sim::RunningSim,
    _dir: tempfile::TempDir,
}

async fn setup(sandbox: &tokio::runtime::Handle, max_concurrent: u32) -> Setup {
    let sim = support::start_sandbox(sandbox, loket_sim::SimConfig::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let engine = support::engine(dir.path()).await;
    let c = engine
        .save_connection(ConnectionInput {
            id: None,
            name: "Hacienda".into(),
            kind: ConnectionKind::Hacienda,
            base_url: sim.hacienda_url.clone(),
            environment: Environment::Staging,
            database: None,
            username: Some(loket_sim::HACIENDA_USERNAME.into()),
            protocol: None,
            timeout_ms: 30_000,
            rate_limit_per_sec: 0.0,
            max_concurrent,
            active: true,
            secret: Some(loket_sim::HACIENDA_PASSWORD.into()),
        })
        .await
        .unwrap();
    // The demo's issuer, id 206920142 (the demo certificate's).
    let example: serde_json::Value =
        serde_json::from_str(include_str!("../../../docs/examples/issuer.json")).unwrap();
    engine
        .save_issuer(IssuerProfile {
            connection_id: c.id,
            issuer: serde_json::from_value(example["issuer"].clone()).unwrap(),
            branch: 1,
            terminal: 1,
            provider_id: "206920142".into(),
        })
        .await
        .unwrap();
    engine
        .set_certificate(c.id, legacy_p12(), "1234".into())
        .await
        .unwrap();
    Setup {
        engine,
        connection_id: c.id,
        sim,
        _dir: dir,
    }
}

/// `n` drafts copied from the sample CSV (facturas, a tiquete and a nota de crédito).
async fn add_drafts(s: &Setup, n: usize, tag: &str) {
    let sample = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../loket-einvoice/tests/data/invoices.csv"),
    )
    .unwrap();
    let base = loket_einvoice::import::import_csv(&sample).unwrap();
    let drafts = (0..n)
        .map(|i| {
            let mut d = base[i % base.len()].clone();
            d.external_ref = format!("{tag}-{i}");
            d
        })
        .collect();
    s.engine
        .add_einvoice_drafts(s.connection_id, "json", drafts)
        .await
        .unwrap();
}

async fn run(s: &Setup, kind: JobKind, options: RunOptions) -> (Duration, SyncRun) {
    let mut events = s.engine.subscribe();
    let started = Instant::now();
    let run_id = s
        .engine
        .start_einvoice_run(s.connection_id, kind, options, None)
        .await
        .unwrap();
    loop {
        if let Ok(EngineEvent::RunFinished(r)) = events.recv().await {
            if r.id == run_id {
                assert_eq!(r.status, RunStatus::Succeeded, "{r:?}");
                return (started.elapsed(), r);
            }
        }
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// Signing 1,000 drafts (numbering, XML and XAdES signature each), after a warm-up.
async fn sign(sandbox: &tokio::runtime::Handle) {
    let s = setup(sandbox, 8).await;
    add_drafts(&s, 100, "warm").await;
    run(&s, JobKind::EinvoiceSign, RunOptions::default()).await;
    let mut times = Vec::new();
    for round in 0..5 {
        add_drafts(&s, 1000, &format!("r{round}")).await;
        let (t, r) = run(&s, JobKind::EinvoiceSign, RunOptions::default()).await;
        assert_eq!(r.counts.updated, 1000);
        times.push(t);
    }
    println!(
        "sign 1000 documents (number, XML, XAdES-EPES with a legacy .p12): {:.2} s (median of 5); target < 5 s",
        median(times).as_secs_f64()
    );
}

async fn signed(sandbox: &tokio::runtime::Handle, n: usize, max_concurrent: u32) -> Setup {
    let s = setup(sandbox, max_concurrent).await;
    add_drafts(&s, n, "doc").await;
    run(&s, JobKind::EinvoiceSign, RunOptions::default()).await;
    s.sim.set_faults(loket_sim::Faults {
        latency_ms: LATENCY_MS,
        ..loket_sim::Faults::default()
    });
    s
}

/// Sending 1,000 signed documents at 20 ms per request, no rate limit: with no batch delay,
/// and with the default batching (50 per batch, 5 s between waves of 3 batches).
async fn submit(sandbox: &tokio::runtime::Handle) {
    let n = 1000;
    let s = signed(sandbox, n, 8).await;
    let (t, r) = run(
        &s,
        JobKind::EinvoiceSubmit,
        RunOptions {
            batching: Some(Batching {
                batch_size: 50,
                batch_delay_seconds: 0,
                max_concurrent_batches: 3,
            }),
            ..RunOptions::default()
        },
    )
    .await;
    assert_eq!(r.counts.updated as usize, n);
    let bound = n as f64 * LATENCY_MS as f64 / 1000.0 / 8.0;
    println!(
        "bulk submit {n} documents, no rate limit, no batch delay, 8 in flight, {LATENCY_MS} ms latency: {:.2} s; target < 30 s (aim < 10 s), concurrency bound {bound:.2} s",
        t.as_secs_f64()
    );

    let s = signed(sandbox, n, 8).await;
    let defaults = EinvoiceSettings::default();
    let (t, r) = run(&s, JobKind::EinvoiceSubmit, RunOptions::default()).await;
    assert_eq!(r.counts.updated as usize, n);
    let plan = loket_core::BatchPlan::new(
        n as u64,
        defaults.batch_size,
        f64::from(defaults.batch_delay_seconds),
        defaults.max_concurrent_batches,
        None,
        LATENCY_MS as f64 / 1000.0,
    );
    let waves = (plan.batches as f64 / f64::from(defaults.max_concurrent_batches)).ceil();
    let wave_bound = (waves - 1.0) * f64::from(defaults.batch_delay_seconds);
    println!(
        "bulk submit {n} documents, default batching (50 per batch, 5 s delay, 3 at once): {:.2} s; bound {wave_bound:.2} s in whole waves ({:+.1}%), SPEC §9's continuous estimate {:.2} s",
        t.as_secs_f64(),
        (t.as_secs_f64() / wave_bound - 1.0) * 100.0,
        plan.delay_bound_secs
    );
}

/// Asking about 100 sent documents.
async fn poll(sandbox: &tokio::runtime::Handle) {
    let n = 100;
    let s = signed(sandbox, n, 8).await;
    run(
        &s,
        JobKind::EinvoiceSubmit,
        RunOptions {
            batching: Some(Batching {
                batch_size: 50,
                batch_delay_seconds: 0,
                max_concurrent_batches: 3,
            }),
            ..RunOptions::default()
        },
    )
    .await;
    let (t, r) = run(&s, JobKind::EinvoiceStatus, RunOptions::default()).await;
    assert_eq!(r.counts.updated as usize, n);
    let pending = s
        .engine
        .einvoices(
            s.connection_id,
            &[DocumentState::Submitted, DocumentState::Processing],
            1000,
        )
        .await
        .unwrap()
        .len();
    println!(
        "poll {n} pending documents, 8 in flight, {LATENCY_MS} ms latency: {:.2} s ({pending} still undecided at Hacienda); target < 3 s",
        t.as_secs_f64()
    );
}

/// Fills the store with `n` documents of the last 30 days in a realistic mix of states (most
/// accepted), with their signing, sending and decision times, and a retry queue.
async fn fill(store: &loket_store::Store, n: i64) {
    let pool = store.pool();
    sqlx::query(
        "INSERT INTO connection (id, name, kind, base_url, environment, timeout_ms,
             rate_limit_per_sec, max_concurrent, created_at, updated_at)
         VALUES (1, 'Bench', 'hacienda', 'http://127.0.0.1:9', 'staging', 1000, 0, 8,
             '2026-11-01T00:00:00+00:00', '2026-11-01T00:00:00+00:00')",
    )
    .execute(pool)
    .await
    .unwrap();
    // Times as the app writes them (RFC 3339, UTC, "+00:00").
    let at = |offset: &str| {
        format!("strftime('%Y-%m-%dT%H:%M:%f', 'now', '-' || (i % 43200) || ' minutes'{offset}) || '+00:00'")
    };
    let sql = format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?),
              s(i, state) AS (SELECT i, CASE
                  WHEN i % 100 < 80 THEN 'accepted' WHEN i % 100 < 88 THEN 'rejected'
                  WHEN i % 100 < 91 THEN 'processing' WHEN i % 100 < 93 THEN 'submitted'
                  WHEN i % 100 < 96 THEN 'signed' WHEN i % 100 < 98 THEN 'generated'
                  ELSE 'draft' END FROM n)
         INSERT INTO einvoice (connection_id, doc_type, state, source, external_ref, draft,
             clave, consecutivo, issued_at, receiver_name, receiver_id, currency, total,
             total_value, tax, signed_at, submitted_at, decided_at, created_at, updated_at)
         SELECT 1, CASE WHEN i % 3 = 0 THEN '04' ELSE '01' END, state, 'csv', 'R-' || i, '{{}}',
             CASE WHEN state <> 'draft' THEN printf('506%047d', i) END,
             CASE WHEN state <> 'draft' THEN printf('00100001%02d%010d', 1, i) END,
             CASE WHEN state <> 'draft' THEN {created} END,
             'Cliente ' || (i % 500), '3101' || printf('%06d', i % 500), 'CRC',
             printf('%d.50', 1000 + i % 90000), 1000.5 + i % 90000, printf('%d', (1000 + i % 90000) * 13 / 113),
             CASE WHEN state NOT IN ('draft', 'generated') THEN {signed} END,
             CASE WHEN state IN ('submitted', 'processing', 'accepted', 'rejected') THEN {submitted} END,
             CASE WHEN state IN ('accepted', 'rejected') THEN {decided} END,
             {created}, {created}
         FROM s",
        created = at(""),
        signed = at(", '+5 minutes'"),
        submitted = at(", '+10 minutes'"),
        decided = at(", '+10 minutes', '+' || (i % 300) || ' seconds'"),
    );
    sqlx::query(&sql).bind(n).execute(pool).await.unwrap();
    sqlx::query(
        "INSERT INTO einvoice_retry (einvoice_id, operation, category, attempts, next_retry_at,
             priority, state, last_error, created_at, updated_at)
         SELECT id, 'submit', 'transient', 1 + id % 5, created_at, 0,
             CASE id % 3 WHEN 0 THEN 'pending' WHEN 1 THEN 'failed' ELSE 'done' END,
             'HTTP 503', created_at, created_at
         FROM einvoice WHERE id % 50 = 0",
    )
    .execute(pool)
    .await
    .unwrap();
    sqlx::query("ANALYZE").execute(pool).await.unwrap();
}

/// The dashboard and the list's first page over 100,000 documents.
async fn views() {
    const N: i64 = 100_000;
    let dir = tempfile::tempdir().unwrap();
    let store = loket_store::Store::open(&dir.path().join("loket.db"))
        .await
        .unwrap();
    fill(&store, N).await;
    let engine = support::engine_on(store, dir.path()).await;
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..11 {
        let t = Instant::now();
        last = Some(engine.einvoice_dashboard().await.unwrap());
        times.push(t.elapsed());
    }
    let d = last.unwrap();
    let count: u64 = d.by_state.iter().map(|s| s.count).sum();
    assert_eq!(count, N as u64);
    println!(
        "dashboard over {N} documents: {:.1} ms (median of 11; acceptance {:.1} %, {} pending, {} in the retry queue); target < 50 ms",
        median(times).as_secs_f64() * 1000.0,
        d.acceptance_rate.unwrap_or(0.0) * 100.0,
        d.pending_submission,
        d.retry_open
    );
    let mut times = Vec::new();
    for _ in 0..11 {
        let t = Instant::now();
        let page = engine
            .list_einvoices(loket_core::EinvoiceQuery {
                limit: 100,
                ..loket_core::EinvoiceQuery::default()
            })
            .await
            .unwrap();
        assert_eq!(page.total, N as u64);
        times.push(t.elapsed());
    }
    println!(
        "e-invoice list, first page of 100 over {N}: {:.1} ms (median of 11)",
        median(times).as_secs_f64() * 1000.0
    );
    let mut times = Vec::new();
    for _ in 0..11 {
        let t = Instant::now();
        engine
            .einvoice_groups(
                loket_core::EinvoiceFilter::default(),
                loket_core::EinvoiceGroupBy {
                    field: loket_core::EinvoiceField::State,
                    interval: None,
                },
            )
            .await
            .unwrap();
        times.push(t.elapsed());
    }
    println!(
        "e-invoice kanban columns (count and totals by state) over {N}: {:.1} ms (median of 11)",
        median(times).as_secs_f64() * 1000.0
    );
}

fn main() {
    let only = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let sandbox = support::sandbox_runtime();
    let sandbox = sandbox.handle();
    runtime.block_on(async {
        if only.as_deref().is_none_or(|o| o == "sign") {
            sign(sandbox).await;
        }
        if only.as_deref().is_none_or(|o| o == "submit") {
            submit(sandbox).await;
        }
        if only.as_deref().is_none_or(|o| o == "poll") {
            poll(sandbox).await;
        }
        if only.as_deref().is_none_or(|o| o == "views") {
            views().await;
        }
    });
}
