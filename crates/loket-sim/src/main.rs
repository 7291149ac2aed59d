//! `loket-sim`: runs the sandbox (SICANTIK, Odoo, Hacienda) on loopback until Ctrl-C.

use std::net::IpAddr;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use loket_sim::{Faults, SimConfig};

/// Loket's sandbox: imitations of SICANTIK, Odoo and Hacienda with fault knobs.
#[derive(Debug, Parser)]
#[command(name = "loket-sim", version, about)]
struct Args {
    /// Seed for the generated data and the fault dice.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Delay added to every answer, in milliseconds.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Fraction of requests answered 500.
    #[arg(long, default_value_t = 0.0)]
    error_rate: f64,
    /// Fraction of requests answered 429.
    #[arg(long, default_value_t = 0.0)]
    rate_limit_rate: f64,
    /// Retry-After seconds on a 429.
    #[arg(long, default_value_t = 5)]
    retry_after: u64,
    /// Fraction of requests that never get an answer.
    #[arg(long, default_value_t = 0.0)]
    hang_rate: f64,
    /// Fraction of requests answered with a truncated or garbled body.
    #[arg(long, default_value_t = 0.0)]
    malformed_rate: f64,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// SICANTIK port (0 = any free port).
    #[arg(long, default_value_t = 0)]
    sicantik_port: u16,
    /// Odoo port (0 = any free port).
    #[arg(long, default_value_t = 0)]
    odoo_port: u16,
    /// Hacienda port (0 = any free port).
    #[arg(long, default_value_t = 0)]
    hacienda_port: u16,
    /// Issued permits served by SICANTIK.
    #[arg(long, default_value_t = 1200)]
    permits: usize,
    /// In-process applications served by SICANTIK.
    #[arg(long, default_value_t = 150)]
    permits_in_process: usize,
    /// Odoo version imitated (17, 18 or 19; JSON-2 works on 19).
    #[arg(long, default_value_t = 17)]
    odoo_version: u8,
    /// Hacienda: seconds until a document is `procesando`.
    #[arg(long, default_value_t = 2.0)]
    hacienda_processing_secs: f64,
    /// Hacienda: seconds until a document is final.
    #[arg(long, default_value_t = 5.0)]
    hacienda_final_secs: f64,
    /// Hacienda: requests per minute before 429 (0 = unlimited).
    #[arg(long, default_value_t = 0)]
    hacienda_rate_limit: u32,
}

fn secs(v: f64, name: &str) -> Result<Duration, String> {
    if v.is_finite() && v >= 0.0 {
        Ok(Duration::from_secs_f64(v))
    } else {
        Err(format!("--{name} must be a non-negative number of seconds"))
    }
}

fn config(args: &Args) -> Result<SimConfig, String> {
    let faults = Faults {
        latency_ms: args.latency_ms,
        error_rate: args.error_rate,
        rate_limit_rate: args.rate_limit_rate,
        retry_after_secs: args.retry_after,
        hang_rate: args.hang_rate,
        malformed_rate: args.malformed_rate,
    };
    faults.validate()?;
    Ok(SimConfig {
        seed: args.seed,
        permits_issued: args.permits,
        permits_in_process: args.permits_in_process,
        faults,
        bind: args.bind,
        sicantik_port: args.sicantik_port,
        odoo_port: args.odoo_port,
        hacienda_port: args.hacienda_port,
        odoo_version: args.odoo_version,
        hacienda_processing_after: secs(args.hacienda_processing_secs, "hacienda-processing-secs")?,
        hacienda_final_after: secs(args.hacienda_final_secs, "hacienda-final-secs")?,
        hacienda_rate_limit_per_minute: args.hacienda_rate_limit,
        ..SimConfig::default()
    })
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    let config = match config(&args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("loket-sim: {e}");
            return ExitCode::from(2);
        }
    };
    let sim = match loket_sim::start(config).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("loket-sim: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("SICANTIK        {}", sim.sicantik_url);
    println!(
        "Odoo            {}  (db {}, login {} / {})",
        sim.odoo_url,
        loket_sim::ODOO_DB,
        loket_sim::ODOO_LOGIN,
        loket_sim::ODOO_PASSWORD
    );
    println!("Hacienda        {}", sim.hacienda_url);
    println!(
        "Hacienda token  {}  (user {})",
        sim.hacienda_token_url,
        loket_sim::HACIENDA_USERNAME
    );
    println!(
        "Admin           POST /__sim/faults, GET /__sim/stats, POST /__sim/clock on each server"
    );
    println!("Press Ctrl-C to stop.");
    if let Err(e) = tokio::signal::ctrl_c().await {
        eprintln!("loket-sim: cannot wait for Ctrl-C: {e}");
    }
    sim.shutdown().await;
    ExitCode::SUCCESS
}
