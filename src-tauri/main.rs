// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    if let Err(e) = loket_desktop::run() {
        eprintln!("Loket could not start: {e:#}");
        std::process::exit(1);
    }
}
