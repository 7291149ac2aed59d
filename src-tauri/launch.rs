//! What happens before the window opens: options, data folder and its lock, keyring check,
//! the store, the sandbox in demo mode, and the engine.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use loket_engine::demo;
use loket_engine::{Engine, EngineConfig, KeyringSecretStore, SecretStore, SystemClock};
use loket_store::{DataDirLock, Store};

/// Command-line and environment options.
pub struct Options {
    pub demo: bool,
    pub data_dir: Option<PathBuf>,
}

impl Options {
    /// `--demo` / `LOKET_DEMO=1`, `--data-dir DIR` / `LOKET_DATA_DIR`.
    pub fn from_env_and_args() -> Self {
        let mut args = std::env::args().skip(1);
        let mut demo = std::env::var("LOKET_DEMO").is_ok_and(|v| v == "1" || v == "true");
        let mut data_dir = std::env::var_os("LOKET_DATA_DIR").map(PathBuf::from);
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--demo" => demo = true,
                "--data-dir" => data_dir = args.next().map(PathBuf::from),
                _ => {}
            }
        }
        Self { demo, data_dir }
    }
}

/// Things that must live as long as the app.
pub struct KeepAlive {
    _lock: DataDirLock,
    _sandbox: Option<demo::Sandbox>,
}

/// The engine, ready.
pub struct Started {
    pub engine: Engine,
    pub close_to_tray: bool,
    pub keep_alive: KeepAlive,
}

/// The data folder: `--data-dir`, else the OS's per-user data folder.
pub fn data_dir(options: &Options) -> anyhow::Result<PathBuf> {
    match &options.data_dir {
        Some(dir) => Ok(dir.clone()),
        None => loket_store::default_data_dir(options.demo)
            .context("the user's data folder could not be determined: pass --data-dir"),
    }
}

/// Whether a D-Bus session bus is there (single instance and the Secret Service need it).
pub fn session_bus_available() -> bool {
    if !cfg!(target_os = "linux") {
        return true;
    }
    std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some()
        || std::env::var_os("XDG_RUNTIME_DIR")
            .map(|d| PathBuf::from(d).join("bus").exists())
            .unwrap_or(false)
}

/// Opens the store, checks the keyring, starts the sandbox (demo) and the engine.
pub async fn start(options: &Options) -> anyhow::Result<Started> {
    let dir = data_dir(options)?;
    let lock = DataDirLock::acquire(&dir).with_context(|| {
        format!(
            "Loket is already running with the data folder {}",
            dir.display()
        )
    })?;
    let store = Store::open(&dir.join("loket.db"))
        .await
        .with_context(|| format!("the database in {} could not be opened", dir.display()))?;
    let secrets: Arc<dyn SecretStore> = Arc::new(KeyringSecretStore);
    let keyring = secrets.check();
    if !keyring.ok {
        tracing::warn!(problem = ?keyring.problem, "keyring unavailable: secrets cannot be saved until it works");
    }
    let sandbox = if options.demo {
        Some(
            demo::start_sandbox(demo::demo_sim_config())
                .await
                .context("the demo sandbox could not start")?,
        )
    } else {
        None
    };
    let engine = Engine::start(EngineConfig {
        store,
        secrets,
        clock: Arc::new(SystemClock),
        data_dir: dir,
        demo: options.demo,
        sandbox: sandbox.as_ref().map(|s| s.info.clone()),
    })
    .await
    .context("the engine could not start")?;
    if let Some(s) = &sandbox {
        if keyring.ok {
            let first_start = engine
                .ensure_demo_connections(&s.setup)
                .await
                .context("demo connections")?;
            if first_start {
                engine.start_demo_first_sync();
            }
        }
    }
    let close_to_tray = engine
        .settings()
        .await
        .map(|s| s.close_to_tray)
        .unwrap_or(false);
    Ok(Started {
        engine,
        close_to_tray,
        keep_alive: KeepAlive {
            _lock: lock,
            _sandbox: sandbox,
        },
    })
}
