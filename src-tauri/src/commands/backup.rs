use csm_core::backup;
use csm_core::model::BackupInfo;
use tauri::State;
use tauri_plugin_dialog::DialogExt;

use super::with_app;
use crate::{AppState, AppStatus, CommandError};

/// Backups in the data folder, newest first.
#[tauri::command]
pub async fn backups(state: State<'_, AppState>) -> Result<Vec<BackupInfo>, CommandError> {
    let dir = state.paths.backup_dir.clone();
    tauri::async_runtime::spawn_blocking(move || backup::list(&dir)).await?.map_err(CommandError::from)
}

#[tauri::command]
pub async fn back_up_now(state: State<'_, AppState>) -> Result<BackupInfo, CommandError> {
    let store = state.store()?;
    let dir = state.paths.backup_dir.clone();
    tauri::async_runtime::spawn_blocking(move || store.back_up(&dir, chrono::Utc::now(), "manual"))
        .await?
        .map_err(CommandError::from)
}

/// A backup named by its file name in the backups folder (never a path from the web view).
fn backup_path(state: &AppState, file_name: &str) -> Result<std::path::PathBuf, CommandError> {
    let ok = file_name.starts_with("csm-desk-")
        && file_name.ends_with(".sqlite")
        && !file_name.contains(['/', '\\'])
        && !file_name.contains("..");
    if !ok {
        return Err(CommandError::invalid("file_name", "That is not one of the backups."));
    }
    Ok(state.paths.backup_dir.join(file_name))
}

/// Replaces the book with one of the backups; the current book is backed up first.
#[tauri::command]
pub async fn restore_backup<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    file_name: String,
) -> Result<AppStatus, CommandError> {
    with_app(app, move |app, state| {
        state.restore(&backup_path(state, &file_name)?)?;
        crate::day::start_replaced_book(app);
        state.status()
    })
    .await
}

/// Replaces the book with a database file the CSM picks (e.g. a backup copied from elsewhere).
/// `None` when they cancel. A file that is not a sound CSM Desk database is refused.
#[tauri::command]
pub async fn restore_from_file<R: tauri::Runtime>(app: tauri::AppHandle<R>) -> Result<Option<AppStatus>, CommandError> {
    let dialog = app.dialog().file().add_filter("CSM Desk database", &["sqlite", "db", "bak"]);
    let chosen = tauri::async_runtime::spawn_blocking(move || dialog.blocking_pick_file()).await?;
    let Some(path) = chosen.and_then(|p| p.into_path().ok()) else { return Ok(None) };
    with_app(app, move |app, state| {
        state.restore(&path)?;
        crate::day::start_replaced_book(app);
        state.status().map(Some)
    })
    .await
}

#[tauri::command]
pub async fn backups_kept<R: tauri::Runtime>(app: tauri::AppHandle<R>) -> Result<u32, CommandError> {
    with_app(app, |_, state| Ok(state.backups_kept()? as u32)).await
}

#[tauri::command]
pub async fn set_backups_kept<R: tauri::Runtime>(app: tauri::AppHandle<R>, keep: u32) -> Result<(), CommandError> {
    with_app(app, move |_, state| state.set_backups_kept(keep)).await
}

/// Asks for a folder and writes the whole book into a new folder inside it (CSV per entity and
/// one JSON file); `None` when the CSM cancels.
#[tauri::command]
pub async fn export_book<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<Option<csm_core::model::ExportSummary>, CommandError> {
    let store = state.store()?;
    let dialog = app.dialog().file().set_title("Export everything into…");
    let chosen = tauri::async_runtime::spawn_blocking(move || dialog.blocking_pick_folder()).await?;
    let Some(dir) = chosen.and_then(|p| p.into_path().ok()) else { return Ok(None) };
    let summary = tauri::async_runtime::spawn_blocking(move || store.export_book(&dir, chrono::Utc::now())).await??;
    log::info!("book exported ({} files)", summary.files.len());
    Ok(Some(summary))
}

/// Asks where to save one account's Markdown dossier and writes it; `None` when cancelled.
#[tauri::command]
pub async fn export_account<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    id: String,
) -> Result<Option<String>, CommandError> {
    let id = super::check_id("id", &id)?;
    let store = state.store()?;
    let (md, name) = tauri::async_runtime::spawn_blocking(move || {
        let name = store.account(&id)?.name;
        Ok::<_, csm_core::Error>((store.account_dossier(&id, super::today())?, name))
    })
    .await??;
    let file = super::files::file_name(&name, "md");
    super::files::save_as(&app, &file, "Markdown", &["md"], md.into_bytes()).await
}
