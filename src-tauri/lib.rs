//! The desktop shell: wires `loket-engine` to Tauri commands and events, the OS keyring,
//! desktop notifications, the tray, single instance and window state. No domain logic here.

mod launch;
mod tray;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use anyhow::Context;
use loket_core::ApiError;
use loket_engine::api::{dispatch, Request};
use loket_engine::{Engine, EngineEvent};
use tauri::{Emitter, Manager, WindowEvent};
use tauri_plugin_notification::NotificationExt;

/// What the commands reach.
struct AppState {
    engine: Engine,
}

/// The one command: every engine call goes through it (see `loket_engine::api`).
#[tauri::command]
async fn api(
    state: tauri::State<'_, AppState>,
    request: Request,
) -> Result<serde_json::Value, ApiError> {
    dispatch(&state.engine, request).await
}

/// Starts the desktop app.
pub fn run() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,tao=warn,wry=warn".into()),
        )
        .init();
    let options = launch::Options::from_env_and_args();
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_DMABUF_RENDERER").is_none() {
        // Blank windows on some GPUs otherwise.
        std::env::set_var("WEBKIT_DISABLE_DMABUF_RENDERER", "1");
    }
    let started = tauri::async_runtime::block_on(launch::start(&options))?;
    let engine = started.engine.clone();
    let close_to_tray = Arc::new(AtomicBool::new(started.close_to_tray));

    let mut builder = tauri::Builder::default();
    if launch::session_bus_available() {
        // Registered first so a second launch only focuses this window.
        builder = builder.plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            tray::show_main_window(app);
        }));
    } else {
        tracing::warn!("no D-Bus session bus: single instance rests on the data folder lock alone");
    }
    let hide_on_close = close_to_tray.clone();
    builder
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .manage(AppState {
            engine: engine.clone(),
        })
        .invoke_handler(tauri::generate_handler![api])
        .setup(move |app| {
            let handle = app.handle().clone();
            tray::create(&handle, engine.clone())?;
            forward_events(handle, engine.clone(), close_to_tray.clone());
            // The engine spawns on the current Tokio runtime: enter Tauri's.
            let scheduler_engine = engine.clone();
            tauri::async_runtime::spawn(async move {
                scheduler_engine.spawn_scheduler();
            });
            // Keep the sandbox and the lock alive for the app's lifetime.
            app.manage(started.keep_alive);
            Ok(())
        })
        .on_window_event(move |window, event| {
            if let WindowEvent::CloseRequested { api, .. } = event {
                if hide_on_close.load(Ordering::Relaxed) {
                    api.prevent_close();
                    let _ = window.hide();
                }
            }
        })
        .run(tauri::generate_context!())
        .context("the desktop window could not run")
}

/// Engine events → window events, desktop notifications and the tray's status.
fn forward_events(app: tauri::AppHandle, engine: Engine, close_to_tray: Arc<AtomicBool>) {
    let mut events = engine.subscribe();
    tauri::async_runtime::spawn(async move {
        loop {
            let event = match events.recv().await {
                Ok(e) => e,
                Err(tokio::sync::broadcast::error::RecvError::Lagged(n)) => {
                    // Events were dropped for a slow reader: the page asks again for what it
                    // shows, as after a reconnect.
                    tracing::debug!(dropped = n, "the window missed events");
                    if let Err(e) = app.emit("missed", serde_json::json!({})) {
                        tracing::warn!(error = %e, "event could not reach the window");
                    }
                    continue;
                }
                Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
            };
            match &event {
                EngineEvent::Notify { title, body } => {
                    if let Err(e) = app.notification().builder().title(title).body(body).show() {
                        tracing::warn!(error = %e, "desktop notification failed");
                    }
                }
                EngineEvent::Changed { topics } if topics.iter().any(|t| t == "settings") => {
                    if let Ok(s) = engine.settings().await {
                        close_to_tray.store(s.close_to_tray, Ordering::Relaxed);
                    }
                }
                EngineEvent::RunFinished(_) | EngineEvent::Progress(_) => {
                    tray::refresh_status(&app, &engine).await;
                }
                _ => {}
            }
            if let Err(e) = app.emit(event.name(), event.payload()) {
                tracing::warn!(error = %e, "event could not reach the window");
            }
        }
    });
}
