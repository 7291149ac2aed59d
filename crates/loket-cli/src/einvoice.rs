//! `loket connection add` and `loket einvoice …`: set up a Hacienda connection and its issuer,
//! load the certificate, import, sign, send and follow e-invoices from a terminal.

use std::io::BufRead;
use std::path::PathBuf;

use anyhow::{bail, Context};
use clap::{Args, Subcommand, ValueEnum};
use loket_core::{
    Batching, ConnectionInput, ConnectionKind, DocumentState, Environment, JobKind, RetryState,
    RunOptions, RunStatus,
};
use loket_engine::einvoices::IssuerProfile;
use loket_engine::{Engine, EngineEvent};

#[derive(Args)]
pub struct ConnectionAdd {
    /// A name of your choice, used by the other commands.
    #[arg(long)]
    name: String,
    #[arg(long, value_enum)]
    kind: Kind,
    /// The API's base address, e.g. http://127.0.0.1:8444/recepcion/v1/.
    #[arg(long)]
    url: String,
    /// API user (Hacienda) or login (Odoo).
    #[arg(long)]
    username: Option<String>,
    /// Odoo database.
    #[arg(long)]
    database: Option<String>,
    #[arg(long, default_value = "staging")]
    environment: String,
    /// Name of an environment variable holding the password or API key (kept in the keyring,
    /// never on the command line).
    #[arg(long)]
    secret_env: Option<String>,
    /// Requests per second (0: no limit).
    #[arg(long, default_value_t = 10.0)]
    rate: f64,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 4)]
    concurrent: u32,
}

#[derive(Clone, Copy, ValueEnum)]
enum Kind {
    Sicantik,
    Odoo,
    Hacienda,
}

#[derive(Subcommand)]
pub enum EinvoiceCommand {
    /// Set the issuing company from a JSON file ({"issuer": {...}, "branch": 1, "terminal": 1,
    /// "provider_id": "..."}; see docs/ARCHITECTURE.md).
    Issuer {
        #[arg(long)]
        connection: String,
        file: PathBuf,
    },
    /// Load the issuer's .p12 certificate; the PIN is read from LOKET_P12_PIN or the first
    /// line of standard input, and kept in the keyring.
    Certificate {
        #[arg(long)]
        connection: String,
        p12: PathBuf,
    },
    /// Import documents from a CSV or JSON file (all or nothing).
    Import {
        #[arg(long)]
        connection: String,
        file: PathBuf,
    },
    /// Sign documents (drafts are numbered first): all waiting, or the given ids.
    Sign {
        #[arg(long)]
        connection: String,
        ids: Vec<i64>,
    },
    /// Send signed documents in batches: all waiting, or the given ids.
    Submit {
        #[arg(long)]
        connection: String,
        #[command(flatten)]
        batching: BatchArgs,
        ids: Vec<i64>,
    },
    /// Ask Hacienda about sent documents: all undecided, or the given ids.
    Status {
        #[arg(long)]
        connection: String,
        ids: Vec<i64>,
    },
    /// List documents.
    List {
        #[arg(long)]
        connection: String,
        /// Only these states (draft, generated, signed, submitted, processing, accepted,
        /// rejected, error).
        #[arg(long, value_delimiter = ',')]
        state: Vec<String>,
    },
    /// One document with Hacienda's answers and their error codes.
    Show { id: i64 },
    /// The retry queue.
    Retries {
        /// Only these states (pending, processing, done, failed, cancelled).
        #[arg(long, value_delimiter = ',')]
        state: Vec<String>,
    },
    /// Make a waiting or failed retry-queue entry due now.
    Retry { id: i64 },
    /// Cancel a waiting retry-queue entry.
    Cancel { id: i64 },
}

#[derive(Args)]
pub struct BatchArgs {
    /// Documents per batch (default: company settings).
    #[arg(long)]
    batch_size: Option<u32>,
    /// Seconds between waves of batches (default: company settings).
    #[arg(long)]
    batch_delay: Option<u32>,
    /// Batches at once (default: company settings).
    #[arg(long)]
    concurrent_batches: Option<u32>,
}

/// The engine's message for the user, with each field's problem on a line of its own.
fn user_error(e: loket_engine::EngineError) -> anyhow::Error {
    if let loket_engine::EngineError::Invalid(fields) = &e {
        let lines: Vec<String> = fields
            .iter()
            .map(|f| format!("  {}: {}", f.field, f.message))
            .collect();
        return anyhow::anyhow!("some values are not accepted:\n{}", lines.join("\n"));
    }
    anyhow::anyhow!(loket_engine::api::user_message(e))
}

pub async fn add_connection(engine: &Engine, a: ConnectionAdd) -> anyhow::Result<()> {
    let secret = match &a.secret_env {
        Some(var) => Some(
            std::env::var(var).with_context(|| format!("environment variable {var} is not set"))?,
        ),
        None => None,
    };
    let environment = match a.environment.as_str() {
        "staging" => Environment::Staging,
        "production" => Environment::Production,
        other => bail!("environment {other:?}: use staging or production"),
    };
    let c = engine
        .save_connection(ConnectionInput {
            id: None,
            name: a.name,
            kind: match a.kind {
                Kind::Sicantik => ConnectionKind::Sicantik,
                Kind::Odoo => ConnectionKind::Odoo,
                Kind::Hacienda => ConnectionKind::Hacienda,
            },
            base_url: a.url,
            environment,
            database: a.database,
            username: a.username,
            protocol: None,
            timeout_ms: ConnectionInput::DEFAULT_TIMEOUT_MS,
            rate_limit_per_sec: a.rate,
            max_concurrent: a.concurrent,
            active: true,
            secret,
        })
        .await
        .map_err(user_error)?;
    println!("connection {} saved ({})", c.id, c.name);
    Ok(())
}

async fn connection_id(engine: &Engine, name: &str) -> anyhow::Result<i64> {
    engine
        .list_connections()
        .await
        .map_err(user_error)?
        .into_iter()
        .find(|c| c.name == name)
        .map(|c| c.id)
        .with_context(|| format!("no connection named {name:?} (see `loket connection add`)"))
}

fn parse_states<T>(names: &[String], parse: fn(&str) -> Option<T>) -> anyhow::Result<Vec<T>> {
    names
        .iter()
        .map(|s| parse(s).with_context(|| format!("unknown state {s:?}")))
        .collect()
}

/// Starts a bulk run, prints its progress and waits for it; fails when the run failed.
async fn bulk(
    engine: &Engine,
    connection: i64,
    kind: JobKind,
    options: RunOptions,
    pin: Option<String>,
) -> anyhow::Result<()> {
    let mut events = engine.subscribe();
    let run_id = engine
        .start_einvoice_run(connection, kind, options, pin)
        .await
        .map_err(user_error)?;
    loop {
        match events.recv().await {
            Ok(EngineEvent::Progress(p)) if p.run_id == run_id => eprintln!(
                "  {} / {}  {:.1}/s",
                p.done,
                p.total.map(|t| t.to_string()).unwrap_or_else(|| "?".into()),
                p.rate_per_sec
            ),
            Ok(EngineEvent::RunFinished(run)) if run.id == run_id => {
                println!(
                    "{}: {} done, {} unchanged, {} failed{}",
                    run.status.as_str(),
                    run.counts.updated,
                    run.counts.unchanged,
                    run.counts.failed,
                    run.error.map(|e| format!(" — {e}")).unwrap_or_default()
                );
                if run.status == RunStatus::Failed {
                    std::process::exit(2);
                }
                return Ok(());
            }
            Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
            Err(tokio::sync::broadcast::error::RecvError::Closed) => bail!("the engine stopped"),
        }
    }
}

fn read_pin() -> anyhow::Result<String> {
    if let Ok(pin) = std::env::var("LOKET_P12_PIN") {
        return Ok(pin);
    }
    eprintln!("PIN of the certificate:");
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("the PIN could not be read")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

pub async fn run(engine: &Engine, command: EinvoiceCommand) -> anyhow::Result<()> {
    match command {
        EinvoiceCommand::Issuer { connection, file } => {
            let id = connection_id(engine, &connection).await?;
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("{} could not be read", file.display()))?;
            let mut value: serde_json::Value = serde_json::from_str(&text)
                .with_context(|| format!("{} is not valid JSON", file.display()))?;
            value["connection_id"] = serde_json::json!(id);
            let profile: IssuerProfile = serde_json::from_value(value)
                .with_context(|| format!("{} is not an issuer profile", file.display()))?;
            engine.save_issuer(profile).await.map_err(user_error)?;
            println!("issuer saved");
        }
        EinvoiceCommand::Certificate { connection, p12 } => {
            let id = connection_id(engine, &connection).await?;
            let bytes = std::fs::read(&p12)
                .with_context(|| format!("{} could not be read", p12.display()))?;
            let info = engine
                .set_certificate(id, bytes, read_pin()?)
                .await
                .map_err(user_error)?;
            println!(
                "certificate of {} (id {}), valid until {}",
                info.subject,
                info.subject_id_number.unwrap_or_default(),
                info.not_after.format("%Y-%m-%d")
            );
        }
        EinvoiceCommand::Import { connection, file } => {
            let id = connection_id(engine, &connection).await?;
            let summary = engine
                .import_einvoices(id, &file)
                .await
                .map_err(user_error)?;
            println!(
                "{} documents imported, {} already there",
                summary.created, summary.skipped
            );
        }
        EinvoiceCommand::Sign { connection, ids } => {
            let id = connection_id(engine, &connection).await?;
            let options = RunOptions {
                selection: ids,
                ..RunOptions::default()
            };
            let pin = std::env::var("LOKET_P12_PIN").ok();
            bulk(engine, id, JobKind::EinvoiceSign, options, pin).await?;
        }
        EinvoiceCommand::Submit {
            connection,
            batching,
            ids,
        } => {
            let id = connection_id(engine, &connection).await?;
            let settings = engine.einvoice_settings().await.map_err(user_error)?;
            let options = RunOptions {
                selection: ids,
                batching: Some(Batching {
                    batch_size: batching.batch_size.unwrap_or(settings.batch_size),
                    batch_delay_seconds: batching
                        .batch_delay
                        .unwrap_or(settings.batch_delay_seconds),
                    max_concurrent_batches: batching
                        .concurrent_batches
                        .unwrap_or(settings.max_concurrent_batches),
                }),
                ..RunOptions::default()
            };
            bulk(engine, id, JobKind::EinvoiceSubmit, options, None).await?;
        }
        EinvoiceCommand::Status { connection, ids } => {
            let id = connection_id(engine, &connection).await?;
            let options = RunOptions {
                selection: ids,
                ..RunOptions::default()
            };
            bulk(engine, id, JobKind::EinvoiceStatus, options, None).await?;
        }
        EinvoiceCommand::List { connection, state } => {
            let id = connection_id(engine, &connection).await?;
            let states = parse_states(&state, DocumentState::parse)?;
            for d in engine
                .einvoices(id, &states, 10_000)
                .await
                .map_err(user_error)?
            {
                println!(
                    "{:>5}  {:<10} {:<2} {:<50} {:<28} {:>16} {}{}",
                    d.id,
                    d.state,
                    d.doc_type,
                    d.clave.as_deref().unwrap_or("-"),
                    d.receiver_name.as_deref().unwrap_or("-"),
                    d.total,
                    d.currency,
                    d.last_error.map(|e| format!("  ! {e}")).unwrap_or_default()
                );
            }
        }
        EinvoiceCommand::Show { id } => {
            let d = engine.einvoice(id).await.map_err(user_error)?;
            println!("document {}  type {}  state {}", d.id, d.doc_type, d.state);
            println!("clave        {}", d.clave.as_deref().unwrap_or("-"));
            println!("consecutivo  {}", d.consecutivo.as_deref().unwrap_or("-"));
            println!("receiver     {}", d.receiver_name.as_deref().unwrap_or("-"));
            println!("total        {} {} (tax {})", d.total, d.currency, d.tax);
            if let Some(signer) = &d.signer {
                println!("signed by    {signer}");
            }
            if let Some(e) = &d.last_error {
                println!("last error   {e}");
            }
            for r in engine.einvoice_responses(id).await.map_err(user_error)? {
                println!(
                    "\n{}  {}  HTTP {}  message type {}",
                    r.received_at.to_rfc3339(),
                    r.state,
                    r.http_status
                        .map(|s| s.to_string())
                        .unwrap_or_else(|| "-".into()),
                    r.message_type
                        .map(|t| t.to_string())
                        .unwrap_or_else(|| "-".into())
                );
                if let Some(detail) = &r.detail {
                    println!("  {}", detail.replace('\n', "\n  "));
                }
                let codes: Vec<loket_einvoice::HaciendaErrorLine> =
                    serde_json::from_str(&r.error_codes).unwrap_or_default();
                for c in codes {
                    println!(
                        "  error {}: {}{}",
                        c.code,
                        c.message,
                        match (c.row, c.column) {
                            (Some(r), Some(col)) => format!(" (row {r}, column {col})"),
                            _ => String::new(),
                        }
                    );
                }
            }
        }
        EinvoiceCommand::Retries { state } => {
            let states = parse_states(&state, RetryState::parse)?;
            for r in engine
                .retry_queue(&states, 1000)
                .await
                .map_err(user_error)?
            {
                println!(
                    "{:>5}  {:<10} {:<7} doc {:<5} attempt {}  next {}  {:<10} {}",
                    r.id,
                    r.state,
                    r.operation,
                    r.einvoice_id,
                    r.attempts,
                    r.next_retry_at.to_rfc3339(),
                    r.category,
                    r.last_error.unwrap_or_default()
                );
            }
        }
        EinvoiceCommand::Retry { id } => {
            engine.retry_now(id).await.map_err(user_error)?;
            println!("entry {id} is due now; the retry queue job sends it on its next run");
        }
        EinvoiceCommand::Cancel { id } => {
            engine.cancel_retry(id).await.map_err(user_error)?;
            println!("entry {id} cancelled");
        }
    }
    Ok(())
}
