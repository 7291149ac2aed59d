//! One client per outside system over a shared HTTP layer: per-connection token-bucket rate
//! limit and concurrency cap, timeouts, error classification and an integration-log record
//! per request with secrets redacted.

pub mod error;
pub mod hacienda;
pub mod http;
pub mod odoo;
pub mod probe;
pub mod records;
pub mod sicantik;
mod xml_tree;

pub use error::{FailureKind, RemoteError};
pub use http::{
    Body, CallRecord, ConnectionClient, ConnectionSettings, RemoteRequest, RemoteResponse,
};
