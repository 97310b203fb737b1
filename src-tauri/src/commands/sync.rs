//! CRM sync commands: one-line adapters over `csm_crm::service::SyncService`, which does the work
//! off the UI thread. Sync progress goes to the web view as `sync-progress` events.

use chrono::Utc;
use csm_core::error::ErrorKind;
use csm_core::model::{
    CrmOwner, CrmSettings, CrmStatus, Deal, PreviewQuery, Resolution, SyncApplied, SyncPreview, SyncRun,
};
use csm_core::Store;
use csm_crm::service::{ApplyRequest, SyncService};
use csm_crm::{CrmError, CrmSystem};
use tauri::{AppHandle, Emitter, Runtime, State};

use super::today;
use crate::{AppState, CommandError};

/// The event a running sync reports its progress with (a `SyncProgress`).
pub const SYNC_PROGRESS: &str = "sync-progress";

/// Each CRM failure keeps its own kind, so the page can say what to do about it.
impl From<CrmError> for CommandError {
    fn from(e: CrmError) -> Self {
        match e {
            CrmError::Store(inner) | CrmError::Invalid(inner) => inner.into(),
            CrmError::Config(message) => CommandError::invalid("crm", &message),
            other => CommandError::new(crm_kind(&other), other.to_string()),
        }
    }
}

fn crm_kind(e: &CrmError) -> ErrorKind {
    match e {
        CrmError::Network(_) => ErrorKind::Offline,
        CrmError::Unauthorized | CrmError::SignInAgain => ErrorKind::Unauthorized,
        CrmError::RateLimited(_) => ErrorKind::RateLimited,
        CrmError::Cancelled => ErrorKind::Cancelled,
        CrmError::Forbidden(_) | CrmError::Server(_) | CrmError::Rejected(..) | CrmError::Malformed(_) => {
            ErrorKind::CrmRefused
        }
        CrmError::Config(_) | CrmError::Store(_) | CrmError::Invalid(_) => ErrorKind::Invalid,
    }
}

/// Runs `work` with the sync service and the book on a blocking thread (the blocking HTTP
/// client lives and dies there, never on the async runtime).
async fn with_sync<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce(&SyncService, &Store) -> Result<T, CrmError> + Send + 'static,
) -> Result<T, CommandError> {
    let (sync, store) = (state.sync.clone(), state.store()?);
    let done = tauri::async_runtime::spawn_blocking(move || work(&sync, &store)).await?;
    state.announce_changes();
    Ok(done?)
}

#[tauri::command]
pub async fn crm_status(state: State<'_, AppState>) -> Result<CrmStatus, CommandError> {
    with_sync(&state, |sync, store| sync.status(store)).await
}

/// The connection form's defaults for a CRM.
#[tauri::command]
pub fn crm_defaults(system: String) -> Result<CrmSettings, CommandError> {
    let system =
        CrmSystem::parse(&system).ok_or_else(|| CommandError::invalid("system", "Choose HubSpot or Salesforce."))?;
    Ok(CrmSettings::for_system(system.as_str()))
}

#[tauri::command]
pub async fn connect_hubspot(
    state: State<'_, AppState>,
    settings: CrmSettings,
    token: String,
) -> Result<CrmStatus, CommandError> {
    with_sync(&state, move |sync, store| sync.connect_hubspot(store, &settings, &token)).await
}

#[tauri::command]
pub async fn connect_salesforce(state: State<'_, AppState>, settings: CrmSettings) -> Result<CrmStatus, CommandError> {
    with_sync(&state, move |sync, store| sync.connect_salesforce(store, &settings)).await
}

#[tauri::command]
pub async fn disconnect_crm(state: State<'_, AppState>) -> Result<CrmStatus, CommandError> {
    with_sync(&state, |sync, store| sync.disconnect(store)).await
}

#[tauri::command]
pub async fn crm_owners(state: State<'_, AppState>) -> Result<Vec<CrmOwner>, CommandError> {
    with_sync(&state, |sync, store| sync.owners(store)).await
}

#[tauri::command]
pub async fn set_crm_scope(state: State<'_, AppState>, owner_id: String) -> Result<CrmStatus, CommandError> {
    with_sync(&state, move |sync, store| sync.set_scope(store, &owner_id)).await
}

#[tauri::command]
pub async fn sync_now<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) -> Result<SyncRun, CommandError> {
    with_sync(&state, move |sync, store| sync.sync_now(store, &mut |p| drop(app.emit(SYNC_PROGRESS, p)))).await
}

#[tauri::command]
pub async fn cancel_sync(state: State<'_, AppState>) -> Result<(), CommandError> {
    state.sync.cancel();
    Ok(())
}

#[tauri::command]
pub async fn sync_preview(
    state: State<'_, AppState>,
    query: Option<PreviewQuery>,
) -> Result<SyncPreview, CommandError> {
    with_sync(&state, move |sync, store| sync.preview(store, query)).await
}

#[tauri::command]
pub async fn apply_sync(
    state: State<'_, AppState>,
    remote_ids: Option<Vec<String>>,
    resolutions: Vec<Resolution>,
    push_ids: Option<Vec<String>>,
    skip_ids: Option<Vec<String>>,
    held_ids: Option<Vec<String>>,
) -> Result<SyncApplied, CommandError> {
    let request = ApplyRequest { remote_ids, resolutions, push_ids, skip_ids, held_ids };
    with_sync(&state, move |sync, store| sync.apply(store, request, Utc::now(), today())).await
}

#[tauri::command]
pub async fn sync_log(state: State<'_, AppState>) -> Result<Vec<SyncRun>, CommandError> {
    with_sync(&state, |sync, store| sync.log(store)).await
}

#[tauri::command]
pub async fn account_deals(state: State<'_, AppState>, account_id: String) -> Result<Vec<Deal>, CommandError> {
    let account_id = super::check_id("account_id", &account_id)?;
    with_sync(&state, move |sync, store| sync.deals(store, &account_id)).await
}
