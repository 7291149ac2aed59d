use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Whether the OS keyring works, and what to do if not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct KeyringStatus {
    pub ok: bool,
    pub backend: String,
    pub problem: Option<String>,
    pub advice: Option<String>,
}

/// Where the built-in sandbox listens (demo mode).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SandboxInfo {
    pub sicantik_url: String,
    pub odoo_url: String,
    pub hacienda_url: String,
}

/// What the About box shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AppInfo {
    pub version: String,
    pub data_dir: String,
    pub demo: bool,
    pub keyring: KeyringStatus,
    pub sandbox: Option<SandboxInfo>,
}
