//! The tray icon: status, "Show Loket", "Sync now", "Quit". Never the only way back to the
//! window (GNOME hides tray icons): launching Loket again shows it too.

use loket_engine::Engine;
use tauri::menu::{Menu, MenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager};

const TRAY_ID: &str = "loket";

/// Shows, unminimises and focuses the main window.
pub fn show_main_window(app: &AppHandle) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.show();
        let _ = window.unminimize();
        let _ = window.set_focus();
    }
}

/// Creates the tray icon.
pub fn create(app: &AppHandle, engine: Engine) -> tauri::Result<()> {
    let show = MenuItem::with_id(app, "show", "Show Loket", true, None::<&str>)?;
    let sync = MenuItem::with_id(app, "sync", "Sync now", true, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", "Quit Loket", true, None::<&str>)?;
    let menu = Menu::with_items(app, &[&show, &sync, &quit])?;
    let mut builder = TrayIconBuilder::with_id(TRAY_ID)
        .tooltip("Loket · idle")
        .menu(&menu)
        .on_menu_event(move |app, event| match event.id.as_ref() {
            "show" => show_main_window(app),
            "sync" => {
                let engine = engine.clone();
                tauri::async_runtime::spawn(async move {
                    if let Err(e) = engine.sync_now().await {
                        tracing::warn!(error = %e, "sync now failed");
                    }
                });
            }
            "quit" => app.exit(0),
            _ => {}
        });
    if let Some(icon) = app.default_window_icon() {
        builder = builder.icon(icon.clone());
    }
    builder.build(app)?;
    Ok(())
}

/// Shows in the tray's tooltip whether jobs are running.
pub async fn refresh_status(app: &AppHandle, engine: &Engine) {
    let text = if engine.any_running().await {
        "Loket · syncing…"
    } else {
        "Loket · idle"
    };
    if let Some(tray) = app.tray_by_id(TRAY_ID) {
        let _ = tray.set_tooltip(Some(text));
    }
}
