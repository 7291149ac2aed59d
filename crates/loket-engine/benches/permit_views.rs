//! Permit list sync and permit views at scale (SPEC §9), each figure printed beside its target:
//!   cargo bench -p loket-engine --bench permit_views            (all)
//!   cargo bench -p loket-engine --bench permit_views -- sync    (100,000-permit list sync only)
//!   cargo bench -p loket-engine --bench permit_views -- views   (pivot and list over 1,000,000)
#![allow(clippy::unwrap_used, clippy::print_stdout)]

mod support;

use std::time::{Duration, Instant};

use loket_core::{
    ConnectionInput, ConnectionKind, DateInterval, Environment, ExpiryStatus, GroupBy, JobKind,
    PermitField, PermitFilter, PermitQuery, PermitSort, PivotQuery, RunStatus,
};
use loket_store::Store;

const LATENCY_MS: u64 = 50;

const GIVEN_NAMES: [&str; 40] = [
    "Budi", "Siti", "Agus", "Dewi", "Rudi", "Sri", "Andi", "Wati", "Joko", "Rina", "Hendra",
    "Yuni", "Bambang", "Lestari", "Eko", "Ratna", "Dedi", "Nur", "Slamet", "Indah", "Wahyu",
    "Fitri", "Rahmat", "Ayu", "Teguh", "Maya", "Hadi", "Putri", "Iwan", "Sari", "Yusuf", "Dian",
    "Arif", "Lina", "Gunawan", "Novi", "Heru", "Tuti", "Irfan", "Endang",
];
const FAMILY_NAMES: [&str; 40] = [
    "Santoso",
    "Wijaya",
    "Saputra",
    "Hidayat",
    "Kusuma",
    "Pratama",
    "Nugroho",
    "Setiawan",
    "Gunadi",
    "Halim",
    "Siregar",
    "Nasution",
    "Harahap",
    "Lubis",
    "Simanjuntak",
    "Sinaga",
    "Tanjung",
    "Purba",
    "Ginting",
    "Tarigan",
    "Wibowo",
    "Susanto",
    "Kurniawan",
    "Hartono",
    "Sutanto",
    "Permana",
    "Ramadhan",
    "Firmansyah",
    "Suharto",
    "Syahputra",
    "Utomo",
    "Prasetyo",
    "Budiman",
    "Salim",
    "Tanoto",
    "Lim",
    "Hakim",
    "Maulana",
    "Fauzi",
    "Iskandar",
];

/// 100,000 permits listed by the sandbox at 50 ms per request, into an empty store.
async fn list_sync() {
    let permits = std::env::var("LOKET_BENCH_PERMITS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    let t = Instant::now();
    let sim = loket_sim::start(loket_sim::SimConfig {
        permits_issued: permits,
        permits_in_process: 0,
        ..Default::default()
    })
    .await
    .unwrap();
    println!(
        "list sync: sandbox with {permits} permits ready in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    sim.set_faults(loket_sim::Faults {
        latency_ms: LATENCY_MS,
        ..Default::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let engine = support::engine(dir.path()).await;
    let concurrent = 16;
    engine
        .save_connection(ConnectionInput {
            id: None,
            name: "Bench".into(),
            kind: ConnectionKind::Sicantik,
            base_url: sim.sicantik_url.clone(),
            environment: Environment::Production,
            database: None,
            username: None,
            protocol: None,
            timeout_ms: 30_000,
            rate_limit_per_sec: 0.0,
            max_concurrent: concurrent,
            active: true,
            secret: None,
        })
        .await
        .unwrap();
    let jobs = engine.list_jobs().await.unwrap();
    let job = jobs
        .iter()
        .find(|j| j.kind == JobKind::NewPermits)
        .unwrap()
        .id;
    let started = Instant::now();
    let run = engine.run_job_and_wait(job, "manual").await.unwrap();
    let secs = started.elapsed().as_secs_f64();
    assert_eq!(run.status, RunStatus::Succeeded, "{run:?}");
    assert_eq!(run.counts.created as usize, permits);
    println!(
        "list sync: {permits} permits into SQLite in {secs:.2} s end to end (no rate limit, {concurrent} pages in flight, {LATENCY_MS} ms latency); target < 10 s"
    );
}

/// Fills the store with `n` permits spread over 120 types, five years of received dates,
/// every status and expiry dates from three years back to three years ahead (a tenth unknown).
async fn fill(store: &Store, n: i64) {
    let pool = store.pool();
    sqlx::query(
        "INSERT INTO connection (id, name, kind, base_url, environment, timeout_ms,
             rate_limit_per_sec, max_concurrent, created_at, updated_at)
         VALUES (1, 'Bench', 'sicantik', 'http://127.0.0.1:9', 'production', 1000, 10, 4, '', '')",
    )
    .execute(pool)
    .await
    .unwrap();
    // Applicants as an office sees them: 40 given names × 40 family names (a family name is on
    // 1 in 40 permits, a full name on 1 in 1,600), every other one with a company.
    let values = |names: &[&str]| {
        names
            .iter()
            .enumerate()
            .map(|(k, w)| format!("({k}, '{w}')"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let sql = format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?),
              given(k, w) AS (VALUES {}),
              family(k, w) AS (VALUES {})
         INSERT INTO permit (connection_id, registration_id, permit_number, applicant, company,
             permit_type_name, category, received_date, expiry_date, status, last_synced_at)
         SELECT 1, printf('%016d', i), printf('503/%d/%d', i, 2020 + i % 6),
             given.w || ' ' || family.w,
             CASE WHEN i % 2 = 0 THEN 'PT ' || family.w || ' Sejahtera' END,
             'Permit type ' || (i * 31 % 120),
             CASE WHEN i % 120 < 8 THEN 'certificate' ELSE 'permit' END,
             date('2021-01-01', '+' || (i * 13 % 1826) || ' days'),
             CASE WHEN i % 10 = 0 THEN NULL
                  ELSE date('now', '+' || ((i * 17 % 2190) - 1095) || ' days') END,
             CASE i % 20 WHEN 0 THEN 'in_process' WHEN 1 THEN 'cancelled' WHEN 2 THEN 'renewed'
                         WHEN 3 THEN 'draft' ELSE 'active' END,
             '2026-12-01T00:00:00Z'
         FROM n JOIN given ON given.k = n.i * 7919 % 40
                JOIN family ON family.k = n.i * 104729 / 40 % 40",
        values(&GIVEN_NAMES),
        values(&FAMILY_NAMES)
    );
    sqlx::query(&sql).bind(n).execute(pool).await.unwrap();
    sqlx::query("ANALYZE").execute(pool).await.unwrap();
}

/// A labelled list filter that only searches.
fn search(label: &'static str, text: &str) -> (&'static str, PermitFilter) {
    (
        label,
        PermitFilter {
            search: Some(text.into()),
            ..PermitFilter::default()
        },
    )
}

/// The median of `runs` timings of `f`.
async fn median<F, Fut, T>(runs: usize, mut f: F) -> (Duration, T)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = T>,
{
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        last = Some(f().await);
        times.push(t.elapsed());
    }
    times.sort();
    (times[runs / 2], last.unwrap())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

async fn views() {
    let n = 1_000_000;
    let dir = tempfile::tempdir().unwrap();
    let engine = support::engine(dir.path()).await;
    let t = Instant::now();
    fill(engine.store(), n).await;
    println!(
        "views: {n} permits generated in {:.1} s",
        t.elapsed().as_secs_f64()
    );

    let by = |field, interval| GroupBy { field, interval };
    let pivots = [
        (
            "permit type x expiry status",
            by(PermitField::PermitType, None),
            by(PermitField::ExpiryStatus, None),
        ),
        (
            "status x received year",
            by(PermitField::Status, None),
            by(PermitField::ReceivedDate, Some(DateInterval::Year)),
        ),
        (
            "expiry quarter x category",
            by(PermitField::ExpiryDate, Some(DateInterval::Quarter)),
            by(PermitField::Category, None),
        ),
    ];
    for (label, rows, cols) in pivots {
        let query = PivotQuery {
            filter: PermitFilter::default(),
            rows: vec![rows],
            cols: vec![cols],
        };
        let (time, result) = median(5, || engine.permit_pivot(query.clone())).await;
        assert_eq!(result.unwrap().total, n as u64);
        println!(
            "pivot {label} over {n} permits: {:.0} ms (median of 5); target < 300 ms",
            ms(time)
        );
    }

    let lists = [
        ("unfiltered, by expiry date", PermitFilter::default()),
        (
            "critical, one type",
            PermitFilter {
                expiry_status: vec![ExpiryStatus::Critical],
                permit_type: vec!["Permit type 7".into()],
                ..PermitFilter::default()
            },
        ),
        (
            "expiring in 30 days, active",
            PermitFilter {
                expiring_within_days: Some(30),
                status: vec![loket_core::PermitStatus::Active],
                ..PermitFilter::default()
            },
        ),
        search("text search, family name (1 in 40)", "Santoso"),
        search("text search, full name (1 in 1,600)", "budi santoso"),
        search("text search, registration number part", "0012345"),
        search("text search, company and a short word", "sejahtera pt"),
        search("text search, two letters only (no index)", "lu"),
    ];
    for (label, filter) in lists {
        let query = PermitQuery {
            filter,
            sort: PermitSort::default(),
            offset: 0,
            limit: 100,
        };
        let (time, result) = median(5, || engine.list_permits(query.clone())).await;
        let result = result.unwrap();
        println!(
            "list page ({label}) over {n} permits: {:.1} ms for {} rows of {} (median of 5); target < 50 ms",
            ms(time),
            result.rows.len(),
            result.total
        );
    }
}

fn main() {
    let only = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        if only.as_deref().is_none_or(|o| o == "sync") {
            list_sync().await;
        }
        if only.as_deref().is_none_or(|o| o == "views") {
            views().await;
        }
    });
}
