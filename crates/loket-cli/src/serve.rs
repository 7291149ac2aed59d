//! A loopback HTTP bridge over the same command surface as the desktop window: `POST /api`,
//! server-sent events at `/api/events`, and the built UI. Used by the browser end-to-end tests
//! and by anyone who wants Loket in a browser on the same machine.

use std::convert::Infallible;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use anyhow::Context;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use futures::stream::Stream;
use loket_core::{ApiError, ApiErrorCode};
use loket_engine::api::{dispatch, Request};
use loket_engine::Engine;
use tower_http::services::{ServeDir, ServeFile};

/// Serves until Ctrl-C; prints `LOKET_SERVE_URL=…` once listening.
pub async fn serve(engine: Engine, port: u16, ui_dir: PathBuf) -> anyhow::Result<()> {
    if !ui_dir.join("index.html").exists() {
        anyhow::bail!(
            "{} has no index.html: build the UI first (npm run build in ui/)",
            ui_dir.display()
        );
    }
    let _scheduler = engine.spawn_scheduler();
    let static_files = ServeDir::new(&ui_dir).fallback(ServeFile::new(ui_dir.join("index.html")));
    let app = Router::new()
        .route("/api", post(call))
        .route("/api/events", get(events))
        .fallback_service(static_files)
        .with_state(engine);
    // Loopback only: nothing on the network can reach it.
    let listener = tokio::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))
        .await
        .context("could not listen on loopback")?;
    println!("LOKET_SERVE_URL=http://{}", listener.local_addr()?);
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}

async fn call(State(engine): State<Engine>, body: axum::body::Bytes) -> Response {
    let request: Request = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => {
            let error = ApiError::new(ApiErrorCode::Validation, format!("Bad request: {e}"));
            return (
                StatusCode::BAD_REQUEST,
                Json(serde_json::json!({ "error": error })),
            )
                .into_response();
        }
    };
    match dispatch(&engine, request).await {
        Ok(value) => Json(serde_json::json!({ "ok": value })).into_response(),
        Err(error) => {
            let status = match error.code {
                ApiErrorCode::Validation => StatusCode::UNPROCESSABLE_ENTITY,
                ApiErrorCode::NotFound => StatusCode::NOT_FOUND,
                ApiErrorCode::Busy => StatusCode::CONFLICT,
                _ => StatusCode::INTERNAL_SERVER_ERROR,
            };
            (status, Json(serde_json::json!({ "error": error }))).into_response()
        }
    }
}

async fn events(
    State(engine): State<Engine>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = engine.subscribe();
    let stream = futures::stream::unfold(receiver, |mut rx| async move {
        let sse = match rx.recv().await {
            Ok(event) => Event::default()
                .event(event.name())
                .data(event.payload().to_string()),
            // Events were dropped for this slow reader: tell the page to refetch.
            Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                Event::default().event("missed").data("{}")
            }
            Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
        };
        Some((Ok(sse), rx))
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}
