use std::sync::Arc;

use csm_core::exchange::{csv_read, import};
use csm_core::model::{ImportKind, ImportPreview, ImportResult};
use tauri::ipc::{InvokeBody, Request};
use tauri::State;

use super::{today, with_store};
use crate::state::PendingImport;
use crate::{AppState, CommandError};

/// Files beyond this are refused before they are read.
const MAX_BYTES: usize = 100 * 1024 * 1024;

fn kind_of(request: &Request<'_>) -> Result<ImportKind, CommandError> {
    let header = request.headers().get("x-import-kind").and_then(|v| v.to_str().ok()).unwrap_or_default();
    serde_json::from_value(serde_json::Value::String(header.to_owned()))
        .map_err(|_| CommandError::invalid("kind", "Choose what the file holds: accounts, contacts or signals."))
}

/// Reads a CSV file sent as raw bytes (what is imported is in the `x-import-kind` header),
/// proposes a mapping of its columns and previews it. Nothing is written.
#[tauri::command]
pub async fn import_read(state: State<'_, AppState>, request: Request<'_>) -> Result<ImportPreview, CommandError> {
    let kind = kind_of(&request)?;
    let InvokeBody::Raw(bytes) = request.body() else {
        return Err(CommandError::invalid("file", "Send the file's bytes."));
    };
    if bytes.len() > MAX_BYTES {
        return Err(CommandError::invalid("file", "The file is larger than 100 MB; split it."));
    }
    let bytes = bytes.clone();
    let table = Arc::new(tauri::async_runtime::spawn_blocking(move || csv_read::read(&bytes)).await??);
    let mapping = import::propose_mapping(kind, &table.headers);
    let preview = preview(&state, kind, Arc::clone(&table), mapping).await?;
    *state.pending_import.lock() = Some(PendingImport { kind, table });
    Ok(preview)
}

fn checked_mapping(kind: ImportKind, headers: usize, mapping: &[Option<String>]) -> Result<(), CommandError> {
    let known = import::fields(kind);
    if mapping.len() != headers || mapping.iter().flatten().any(|key| !known.iter().any(|f| f.key == key)) {
        return Err(CommandError::invalid("mapping", "Map each column to one of the listed fields, or to nothing."));
    }
    Ok(())
}

async fn preview(
    state: &AppState,
    kind: ImportKind,
    table: Arc<csv_read::CsvTable>,
    mapping: Vec<Option<String>>,
) -> Result<ImportPreview, CommandError> {
    checked_mapping(kind, table.headers.len(), &mapping)?;
    with_store(state, move |store| store.preview_import(kind, &table, &mapping, today())).await
}

/// The file read last, shared (never copied) with the preview or the import that uses it.
fn pending(state: &AppState) -> Result<(ImportKind, Arc<csv_read::CsvTable>), CommandError> {
    let guard = state.pending_import.lock();
    let pending = guard.as_ref().ok_or_else(|| CommandError::invalid("file", "Choose a file to import first."))?;
    Ok((pending.kind, Arc::clone(&pending.table)))
}

/// The preview again, with the columns mapped as the CSM chose.
#[tauri::command]
pub async fn import_preview(
    state: State<'_, AppState>,
    mapping: Vec<Option<String>>,
) -> Result<ImportPreview, CommandError> {
    let (kind, table) = pending(&state)?;
    preview(&state, kind, table, mapping).await
}

/// Writes the previewed rows in one transaction.
#[tauri::command]
pub async fn import_apply(
    state: State<'_, AppState>,
    mapping: Vec<Option<String>>,
) -> Result<ImportResult, CommandError> {
    let (kind, table) = pending(&state)?;
    checked_mapping(kind, table.headers.len(), &mapping)?;
    let result =
        with_store(&state, move |store| store.apply_import(kind, &table, &mapping, chrono::Utc::now(), today()))
            .await?;
    *state.pending_import.lock() = None;
    log::info!("import: {} created, {} updated, {} skipped", result.created, result.updated, result.skipped);
    Ok(result)
}

#[tauri::command]
pub async fn import_cancel(state: State<'_, AppState>) -> Result<(), CommandError> {
    *state.pending_import.lock() = None;
    Ok(())
}
