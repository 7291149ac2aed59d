//! `loket`: the engine without a window — migrations, jobs, runs, the sandbox, and a
//! loopback HTTP bridge that serves the UI to a browser.

mod einvoice;
mod serve;

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{bail, Context};
use clap::{Parser, Subcommand};
use loket_core::JobKind;
use loket_engine::demo::{self, Sandbox};
use loket_engine::{Engine, EngineConfig, EngineEvent, KeyringSecretStore, SystemClock};
use loket_store::{DataDirLock, Store};

#[derive(Parser)]
#[command(
    name = "loket",
    version,
    about = "Loket without a window: jobs, runs, sandbox, browser bridge"
)]
struct Cli {
    /// Data folder (default: the OS's per-user data folder; demo data apart).
    #[arg(long, global = true, env = "LOKET_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Start the built-in sandbox and point the demo connections at it.
    #[arg(long, global = true)]
    demo: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create or upgrade the database (a backup is taken before new migrations).
    Migrate,
    /// List jobs with their schedules.
    Jobs,
    /// Run a job now and wait for it: a job id, or a job kind with --connection.
    Run {
        job: String,
        /// Connection name, when JOB is a kind.
        #[arg(long)]
        connection: Option<String>,
    },
    /// Recent runs.
    Runs {
        #[arg(long, default_value_t = 20)]
        limit: u32,
    },
    /// Run due jobs on their schedules until Ctrl-C.
    Schedule,
    /// Start the sandbox only (SICANTIK, Odoo, Hacienda imitations) until Ctrl-C.
    Sim {
        #[arg(long, default_value_t = 42)]
        seed: u64,
        #[arg(long, default_value_t = 0)]
        latency_ms: u64,
        #[arg(long, default_value_t = 0)]
        sicantik_port: u16,
        #[arg(long, default_value_t = 0)]
        odoo_port: u16,
        #[arg(long, default_value_t = 0)]
        hacienda_port: u16,
    },
    /// Connections to outside systems.
    #[command(subcommand)]
    Connection(ConnectionCommand),
    /// E-invoices: issuer, certificate, import, sign, submit, status, answers, retry queue.
    #[command(subcommand)]
    Einvoice(einvoice::EinvoiceCommand),
    /// Serve the UI and the command API on loopback, for a browser.
    Serve {
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// The built UI (ui/dist).
        #[arg(long, default_value = "ui/dist")]
        ui_dir: PathBuf,
    },
}

#[derive(Subcommand)]
enum ConnectionCommand {
    /// Add a connection (the secret goes to the keyring).
    Add(einvoice::ConnectionAdd),
    /// List connections.
    List,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    if let Command::Sim {
        seed,
        latency_ms,
        sicantik_port,
        odoo_port,
        hacienda_port,
    } = cli.command
    {
        let config = loket_sim::SimConfig {
            seed,
            sicantik_port,
            odoo_port,
            hacienda_port,
            faults: loket_sim::Faults {
                latency_ms,
                ..Default::default()
            },
            ..Default::default()
        };
        let sim = loket_sim::start(config)
            .await
            .context("the sandbox could not start")?;
        println!(
            "SICANTIK  {}\nOdoo      {}\nHacienda  {}",
            sim.sicantik_url, sim.odoo_url, sim.hacienda_url
        );
        tokio::signal::ctrl_c().await?;
        sim.shutdown().await;
        return Ok(());
    }

    let app = open(&cli).await?;
    let engine = &app.engine;
    match cli.command {
        Command::Migrate => println!("Database ready at {}", engine.store().path().display()),
        Command::Jobs => {
            for j in engine.list_jobs().await? {
                println!(
                    "{:>4}  {:<14} {:<28} {:<26} next {}",
                    j.id,
                    j.kind.as_str(),
                    j.connection_name.unwrap_or_else(|| "(local)".into()),
                    serde_json::to_string(&j.schedule)?,
                    j.next_due_at
                        .map(|t| t.to_rfc3339())
                        .unwrap_or_else(|| "-".into())
                );
            }
        }
        Command::Run { job, connection } => {
            let id = resolve_job(engine, &job, connection.as_deref()).await?;
            let mut events = engine.subscribe();
            let printer = tokio::spawn(async move {
                while let Ok(event) = events.recv().await {
                    if let EngineEvent::Progress(p) = event {
                        eprintln!(
                            "  {} / {}  {:.1}/s  {}",
                            p.done,
                            p.total.map(|t| t.to_string()).unwrap_or_else(|| "?".into()),
                            p.rate_per_sec,
                            p.stage
                        );
                    }
                }
            });
            let run = engine.run_job_and_wait(id, "manual").await?;
            printer.abort();
            println!(
                "run {} {}: created {}, updated {}, unchanged {}, failed {}{}",
                run.id,
                run.status.as_str(),
                run.counts.created,
                run.counts.updated,
                run.counts.unchanged,
                run.counts.failed,
                run.error.map(|e| format!(" — {e}")).unwrap_or_default()
            );
            if matches!(run.status, loket_core::RunStatus::Failed) {
                std::process::exit(2);
            }
        }
        Command::Runs { limit } => {
            for r in engine.list_runs(None, None, limit).await? {
                println!(
                    "{:>5}  {:<12} {:<14} {:<26} {}  +{} ~{} ={} !{}",
                    r.id,
                    r.status.as_str(),
                    r.job.as_str(),
                    r.connection_name.unwrap_or_else(|| "(local)".into()),
                    r.started_at.to_rfc3339(),
                    r.counts.created,
                    r.counts.updated,
                    r.counts.unchanged,
                    r.counts.failed
                );
            }
        }
        Command::Schedule => {
            let handle = engine.spawn_scheduler();
            eprintln!("Scheduler running; Ctrl-C stops it.");
            tokio::signal::ctrl_c().await?;
            handle.abort();
        }
        Command::Serve { port, ui_dir } => serve::serve(engine.clone(), port, ui_dir).await?,
        Command::Connection(ConnectionCommand::Add(a)) => {
            einvoice::add_connection(engine, a).await?
        }
        Command::Connection(ConnectionCommand::List) => {
            for c in engine.list_connections().await? {
                println!(
                    "{:>4}  {:<10} {:<28} {}",
                    c.id,
                    c.kind.as_str(),
                    c.name,
                    c.base_url
                );
            }
        }
        Command::Einvoice(command) => einvoice::run(engine, command).await?,
        Command::Sim { .. } => {}
    }
    Ok(())
}

struct App {
    engine: Engine,
    _lock: DataDirLock,
    _sandbox: Option<Sandbox>,
}

async fn open(cli: &Cli) -> anyhow::Result<App> {
    let dir = match &cli.data_dir {
        Some(d) => d.clone(),
        None => loket_store::default_data_dir(cli.demo)
            .context("no user data folder: pass --data-dir")?,
    };
    let lock = DataDirLock::acquire(&dir)
        .with_context(|| format!("another Loket is using {}", dir.display()))?;
    let store = Store::open(&dir.join("loket.db"))
        .await
        .context("the database could not be opened")?;
    let sandbox = if cli.demo {
        Some(
            demo::start_sandbox(demo::demo_sim_config())
                .await
                .context("the sandbox could not start")?,
        )
    } else {
        None
    };
    let engine = Engine::start(EngineConfig {
        store,
        secrets: Arc::new(KeyringSecretStore),
        clock: Arc::new(SystemClock),
        data_dir: dir,
        demo: cli.demo,
        sandbox: sandbox.as_ref().map(|s| s.info.clone()),
    })
    .await
    .context("the engine could not start")?;
    if let Some(s) = &sandbox {
        // The browser bridge starts quiet (no first sync): its users are scripts and tests.
        engine
            .ensure_demo_connections(&s.setup)
            .await
            .map_err(|e| anyhow::anyhow!(loket_engine::api::user_message(e)))
            .context("the demo connections could not be saved")?;
    }
    Ok(App {
        engine,
        _lock: lock,
        _sandbox: sandbox,
    })
}

async fn resolve_job(engine: &Engine, job: &str, connection: Option<&str>) -> anyhow::Result<i64> {
    if let Ok(id) = job.parse::<i64>() {
        return Ok(id);
    }
    let Some(kind) = JobKind::parse(job) else {
        bail!(
            "unknown job {job:?}: use a job id or one of {:?}",
            JobKind::ALL.map(|k| k.as_str())
        );
    };
    let jobs = engine.list_jobs().await?;
    let matching: Vec<_> = jobs
        .iter()
        .filter(|j| {
            j.kind == kind && connection.is_none_or(|c| j.connection_name.as_deref() == Some(c))
        })
        .collect();
    match matching.as_slice() {
        [one] => Ok(one.id),
        [] => bail!(
            "no {job} job{}",
            connection
                .map(|c| format!(" for connection {c:?}"))
                .unwrap_or_default()
        ),
        _ => bail!("several {job} jobs: name one with --connection"),
    }
}
