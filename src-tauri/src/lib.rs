//! The desktop shell: Tauri wiring, managed state, plugins and thin commands over `csm-core`.

mod calendars;
pub mod cli;
mod commands;
mod crm;
mod day;
mod error;
mod fonts;
mod paths;
mod reminders;
mod secrets;
mod state;
#[cfg(target_os = "linux")]
mod webview;

use tauri::{Emitter, Manager};

pub use error::CommandError;
pub use paths::AppPaths;
pub use state::{AppState, AppStatus, BookState};

static LAUNCHED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

/// When this process started the app (the start-up time is measured from here).
pub fn launched() -> std::time::Instant {
    *LAUNCHED.get_or_init(std::time::Instant::now)
}

/// Opens the book in `data_dir` (from `--data-dir`), else the usual one (see [`paths`]).
pub fn run(data_dir: Option<std::path::PathBuf>) {
    launched();
    let paths = match AppPaths::resolve(data_dir.as_deref()) {
        Ok(paths) => paths,
        Err(err) => {
            eprintln!("CSM Desk could not open its data folder: {err}");
            std::process::exit(1);
        }
    };
    let context = tauri::generate_context!();
    let instance = cli::instance_id(&context.config().identifier, &paths.data_dir);
    let app = tauri::Builder::default()
        .plugin(
            tauri_plugin_single_instance::Builder::new()
                .dbus_id(instance)
                .callback(|app, _args, _cwd| {
                    // A second launch on the same book focuses the window that is already open.
                    if let Some(window) = app.get_webview_window("main") {
                        let _ = window.unminimize();
                        let _ = window.set_focus();
                    }
                })
                .build(),
        )
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .setup(move |app| {
            #[cfg(target_os = "linux")]
            webview::tune(app);
            app.handle().plugin(paths::log_plugin(&paths))?;
            log::info!("CSM Desk {} starting; data in {}", env!("CARGO_PKG_VERSION"), paths.data_dir.display());
            if let Err(err) = paths::private_logs(&paths.log_dir) {
                log::warn!("could not make the logs private: {err}");
            }
            app.manage(AppState::open(paths));
            let announcer = app.handle().clone();
            app.state::<AppState>().set_announcer(Box::new(move |topics| {
                if let Err(err) = announcer.emit(state::CHANGED, topics) {
                    log::warn!("could not tell the window what changed: {err}");
                }
            }));
            // Today's backup, then the start-of-day job (and the next day's when the date
            // changes), off the UI thread while the CSM gets going.
            let handle = app.handle().clone();
            std::thread::spawn(move || {
                match handle.state::<AppState>().daily_backup() {
                    Ok(Some(taken)) => log::info!("daily backup {}", taken.file_name),
                    Ok(None) => {}
                    Err(err) => log::error!("daily backup failed: {}", err.message),
                }
                day::keep_days_started(&handle);
            });
            let handle = app.handle().clone();
            std::thread::spawn(move || calendars::keep_calendars_fresh(&handle));
            Ok(())
        })
        .invoke_handler(commands::handler())
        .build(context);
    match app {
        Ok(app) => app.run(|_, _| {}),
        Err(err) => {
            eprintln!("CSM Desk could not start: {err}");
            std::process::exit(1);
        }
    }
}
