//! Odoo server imitation (17 / 18 / 19): XML-RPC, JSON-RPC and, on 19, JSON-2, over an
//! in-memory database seeded from the sandbox seed.

mod domain;
mod error;
mod json2;
mod jsonrpc;
mod models;
mod schema;
mod seed;
mod service;
mod xmlrpc;

use std::sync::Arc;

use axum::routing::{any, get, post};
use axum::Router;

use crate::state::Shared;
use crate::SimConfig;

/// uid of the administrator.
pub(crate) const ADMIN_UID: i64 = 2;
/// uid of the restricted demo user.
pub(crate) const DEMO_UID: i64 = 6;

/// State of the Odoo server.
pub(crate) struct OdooState {
    pub(crate) server: service::Server,
    pub(crate) shared: Arc<Shared>,
}

/// Builds the Odoo server's routes.
pub(crate) fn router(config: &SimConfig, shared: &Arc<Shared>) -> Router {
    let mut db = models::Db::new();
    seed::seed(&mut db, config.seed, shared.clock.now());
    let state = Arc::new(OdooState {
        server: service::Server::new(config.odoo_version, db),
        shared: Arc::clone(shared),
    });
    Router::new()
        .route("/jsonrpc", post(jsonrpc::handle))
        .route("/xmlrpc/2/{service}", post(xmlrpc::handle))
        .route("/web/webclient/version_info", post(jsonrpc::version_info))
        .route("/web/version", get(json2::web_version))
        .route("/json/2/{model}/{method}", any(json2::handle))
        .with_state(state)
}
