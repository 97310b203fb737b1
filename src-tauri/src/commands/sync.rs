//! CRM sync (HubSpot): connect with a token kept in the OS keychain, sync on demand (pull into
//! staging, push what waits) with progress and cancel, preview per field, apply with conflict
//! resolutions, and the log. The work runs off the UI thread; the engine lives in `csm-crm`.

use chrono::Utc;
use csm_core::model::{CrmSettings, Deal, Resolution, SyncApplied, SyncPreview, SyncRun};
use csm_crm::http::{check_base_url, Http, Limits};
use csm_crm::hubspot::{FieldMap, HubSpot};
use csm_crm::{engine, CrmError};
use serde::Serialize;
use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tauri::State;
use ts_rs::TS;

use super::{today, with_store};
use crate::state::SyncProgress;
use crate::{secrets, AppState, CommandError};

const HUBSPOT: &str = "hubspot";
const TOKEN_MAX: usize = 4096;

/// The CRM connection as the Settings and Sync pages show it (never the token).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CrmStatus {
    pub connected: bool,
    pub settings: CrmSettings,
    pub running: bool,
    pub last_run: Option<SyncRun>,
    /// Records pulled and waiting to be applied.
    pub staged: u32,
}

impl From<CrmError> for CommandError {
    fn from(e: CrmError) -> Self {
        match e {
            CrmError::Store(inner) => inner.into(),
            other => CommandError::invalid("crm", &other.to_string()),
        }
    }
}

fn hubspot(settings: &CrmSettings, token: &str, cancel: Arc<AtomicBool>) -> Result<HubSpot, CrmError> {
    let http = Http::new(&settings.base_url, token, Limits::default(), cancel)?;
    let map = FieldMap {
        arr: settings.arr_property.clone(),
        renewal_date: settings.renewal_property.clone(),
        segment: settings.segment_property.clone(),
        licences: settings.licences_property.clone(),
    };
    let mut hs = HubSpot::new(http, map);
    hs.owner = Some(settings.owner_id.clone()).filter(|o| !o.is_empty());
    Ok(hs)
}

/// A HubSpot user who can own companies (for choosing the sync's scope).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CrmOwner {
    pub id: String,
    pub name: String,
    pub email: String,
}

fn connection(state: &AppState) -> Result<(CrmSettings, String), CommandError> {
    let settings = state
        .store()?
        .crm_settings(HUBSPOT)?
        .ok_or_else(|| CommandError::invalid("crm", "Connect HubSpot in Settings first."))?;
    let token = secrets::load(HUBSPOT)?
        .ok_or_else(|| CommandError::invalid("token", "The HubSpot token is missing; connect again."))?;
    Ok((settings, token))
}

/// The portal's owners, to sync only the companies of one of them.
#[tauri::command]
pub async fn crm_owners(state: State<'_, AppState>) -> Result<Vec<CrmOwner>, CommandError> {
    let (settings, token) = connection(&state)?;
    let cancel = state.sync.cancel.clone();
    let owners = tauri::async_runtime::spawn_blocking(move || hubspot(&settings, &token, cancel)?.owners()).await??;
    Ok(owners.into_values().map(|o| CrmOwner { id: o.id, name: o.name, email: o.email }).collect())
}

/// Sets whose companies are synced ("" for all).
#[tauri::command]
pub async fn set_crm_scope(state: State<'_, AppState>, owner_id: String) -> Result<CrmStatus, CommandError> {
    if owner_id.len() > 40 || !owner_id.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(CommandError::invalid("owner_id", "Choose one of the listed owners."));
    }
    with_store(&state, move |store| {
        let mut settings = store.crm_settings(HUBSPOT)?.ok_or(csm_core::Error::NotFound("CRM connection"))?;
        settings.owner_id = owner_id;
        store.save_crm_settings(HUBSPOT, Some(&settings))
    })
    .await?;
    crm_status(state).await
}

fn checked_settings(settings: &CrmSettings) -> Result<CrmSettings, CommandError> {
    let base_url = check_base_url(&settings.base_url).map_err(|e| CommandError::invalid("base_url", &e.to_string()))?;
    let property = |field: &str, value: &str| -> Result<String, CommandError> {
        let v = value.trim();
        if v.len() > 100 || !v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(CommandError::invalid(
                field,
                "A HubSpot property's internal name has letters, digits and _ only.",
            ));
        }
        Ok(v.to_owned())
    };
    Ok(CrmSettings {
        base_url,
        arr_property: property("arr_property", &settings.arr_property)?,
        renewal_property: property("renewal_property", &settings.renewal_property)?,
        segment_property: property("segment_property", &settings.segment_property)?,
        licences_property: property("licences_property", &settings.licences_property)?,
        owner_id: String::new(),
    })
}

#[tauri::command]
pub async fn crm_status(state: State<'_, AppState>) -> Result<CrmStatus, CommandError> {
    let running = state.sync.running.load(Ordering::Relaxed);
    with_store(&state, move |store| {
        let settings = store.crm_settings(HUBSPOT)?;
        Ok(CrmStatus {
            connected: settings.is_some(),
            settings: settings.unwrap_or_default(),
            running,
            last_run: store.sync_runs(1)?.into_iter().next(),
            staged: store.staged_count(HUBSPOT)?,
        })
    })
    .await
}

/// Checks the token against HubSpot, then keeps it in the keychain and the settings in the book.
#[tauri::command]
pub async fn connect_hubspot(
    state: State<'_, AppState>,
    settings: CrmSettings,
    token: String,
) -> Result<CrmStatus, CommandError> {
    let settings = checked_settings(&settings)?;
    let token = token.trim().to_owned();
    if token.is_empty() || token.len() > TOKEN_MAX || token.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(CommandError::invalid("token", "Paste the Service Key or private-app token as HubSpot shows it."));
    }
    // The blocking HTTP client lives and dies on a blocking thread, never on the async runtime.
    let (checked, key, cancel) = (settings.clone(), token.clone(), state.sync.cancel.clone());
    tauri::async_runtime::spawn_blocking(move || hubspot(&checked, &key, cancel)?.test_connection()).await??;
    secrets::save(HUBSPOT, &token)?;
    let saved = settings.clone();
    with_store(&state, move |store| store.save_crm_settings(HUBSPOT, Some(&saved))).await?;
    log::info!("HubSpot connected");
    crm_status(state).await
}

/// Forgets the token (keychain) and the connection; records already synced stay.
#[tauri::command]
pub async fn disconnect_hubspot(state: State<'_, AppState>) -> Result<CrmStatus, CommandError> {
    secrets::forget(HUBSPOT)?;
    with_store(&state, |store| store.save_crm_settings(HUBSPOT, None)).await?;
    crm_status(state).await
}

/// Runs a sync: pull into staging, push what waits. One at a time; progress via `sync_progress`.
#[tauri::command]
pub async fn sync_now(state: State<'_, AppState>) -> Result<SyncRun, CommandError> {
    if state.sync.running.swap(true, Ordering::SeqCst) {
        return Err(CommandError::invalid("sync", "A sync is already running."));
    }
    let result = run_sync(&state).await;
    state.sync.running.store(false, Ordering::SeqCst);
    *state.sync.progress.lock().unwrap_or_else(|p| p.into_inner()) = None;
    result
}

async fn run_sync(state: &AppState) -> Result<SyncRun, CommandError> {
    let store = state.store()?;
    let (settings, token) = connection(state)?;
    state.sync.cancel.store(false, Ordering::SeqCst);
    let (progress, cancel) = (state.sync.progress.clone(), state.sync.cancel.clone());
    let run = tauri::async_runtime::spawn_blocking(move || {
        let client = hubspot(&settings, &token, cancel)?;
        engine::run(&store, &client, &mut |p| {
            let now = SyncProgress {
                phase: p.phase.clone(),
                pulled: p.pulled as u32,
                pushed: p.pushed as u32,
                requests: p.requests as u32,
            };
            *progress.lock().unwrap_or_else(|e| e.into_inner()) = Some(now);
        })
    })
    .await??;
    log::info!("sync {}: {} pulled, {} pushed, {} errors", run.status, run.pulled, run.pushed, run.errors.len());
    Ok(run)
}

#[tauri::command]
pub async fn sync_progress(state: State<'_, AppState>) -> Result<Option<SyncProgress>, CommandError> {
    Ok(state.sync.progress.lock().unwrap_or_else(|p| p.into_inner()).clone())
}

#[tauri::command]
pub async fn cancel_sync(state: State<'_, AppState>) -> Result<(), CommandError> {
    state.sync.cancel.store(true, Ordering::SeqCst);
    Ok(())
}

#[tauri::command]
pub async fn sync_preview(state: State<'_, AppState>) -> Result<SyncPreview, CommandError> {
    with_store(&state, |store| store.sync_preview(HUBSPOT)).await
}

/// Applies the previewed records (all, or the remote ids given) with the CSM's conflict choices,
/// then pushes the notes and tasks chosen (all waiting ones when `push_ids` is None; none for an
/// empty list). A push that cannot reach the CRM leaves them waiting and says why.
#[tauri::command]
pub async fn apply_sync(
    state: State<'_, AppState>,
    remote_ids: Option<Vec<String>>,
    resolutions: Vec<Resolution>,
    push_ids: Option<Vec<String>>,
) -> Result<SyncApplied, CommandError> {
    let bad = |t: &str| t.is_empty() || t.len() > 64 || t.chars().any(char::is_control);
    let bad_ids = |ids: &Option<Vec<String>>| ids.iter().flatten().any(|id| bad(id));
    if bad_ids(&remote_ids) || bad_ids(&push_ids) || resolutions.iter().any(|r| bad(&r.remote_id) || bad(&r.field)) {
        return Err(CommandError::invalid("remote_ids", "That is not a record of the preview."));
    }
    let mut applied = with_store(&state, move |store| {
        store.apply_sync(HUBSPOT, remote_ids.as_deref(), &resolutions, Utc::now(), today())
    })
    .await?;
    let chosen: Option<HashSet<String>> = push_ids.map(|ids| ids.into_iter().collect());
    let store = state.store()?;
    let waiting = store.notes_to_push(HUBSPOT)?.len() + store.tasks_to_push(HUBSPOT)?.len();
    if waiting == 0 || chosen.as_ref().is_some_and(HashSet::is_empty) {
        return Ok(applied);
    }
    let (settings, token) = connection(&state)?;
    let cancel = state.sync.cancel.clone();
    let run = tauri::async_runtime::spawn_blocking(move || {
        let client = hubspot(&settings, &token, cancel)?;
        engine::push_run(&store, &client, chosen.as_ref(), &mut |_| {})
    })
    .await??;
    applied.pushed = run.pushed;
    applied.push_errors = run.errors;
    Ok(applied)
}

#[tauri::command]
pub async fn sync_log(state: State<'_, AppState>) -> Result<Vec<SyncRun>, CommandError> {
    with_store(&state, |store| store.sync_runs(50)).await
}

/// An account's renewals and upsells as the CRM has them.
#[tauri::command]
pub async fn account_deals(state: State<'_, AppState>, account_id: String) -> Result<Vec<Deal>, CommandError> {
    let account_id = super::check_id("account_id", &account_id)?;
    with_store(&state, move |store| store.account_deals(&account_id)).await
}
