//! The renewal desk: the Renewals page, the CSM's calls and outcomes, retention, the weekly
//! forecast snapshots and the desk's settings. Thin adapters over `Store`.

use chrono::Utc;
use csm_core::model::{
    AccountRenewal, ForecastDiff, OutcomeInput, RenewalInput, RenewalOutcome, RenewalSettings, RenewalSettingsInput,
    RenewalSuggestion, RenewalWindow, RenewalsView, RetentionReport,
};
use csm_core::validate;
use tauri::State;

use super::{check_id, today, with_store};
use crate::{AppState, CommandError};

#[tauri::command]
pub async fn renewals(state: State<'_, AppState>, window: RenewalWindow) -> Result<RenewalsView, CommandError> {
    with_store(&state, move |store| store.renewals(window, today())).await
}

#[tauri::command]
pub async fn update_renewal(
    state: State<'_, AppState>,
    account_id: String,
    input: RenewalInput,
) -> Result<(), CommandError> {
    let account_id = check_id("account_id", &account_id)?;
    with_store(&state, move |store| {
        let current = store.account(&account_id)?.arr;
        store.update_renewal(&account_id, &validate::renewal(&input, &current)?, Utc::now())
    })
    .await
}

/// Checked against the account as it stands, inside the transaction that records it.
#[tauri::command]
pub async fn record_outcome(
    state: State<'_, AppState>,
    account_id: String,
    input: OutcomeInput,
) -> Result<RenewalOutcome, CommandError> {
    let account_id = check_id("account_id", &account_id)?;
    with_store(&state, move |store| store.record_outcome(&account_id, &input, today(), Utc::now())).await
}

#[tauri::command]
pub async fn account_renewal(state: State<'_, AppState>, account_id: String) -> Result<AccountRenewal, CommandError> {
    let account_id = check_id("account_id", &account_id)?;
    with_store(&state, move |store| store.account_renewal(&account_id, today())).await
}

/// What the CRM's renewal deals suggest; nothing is applied until the CSM picks one.
#[tauri::command]
pub async fn renewal_suggestions(state: State<'_, AppState>) -> Result<Vec<RenewalSuggestion>, CommandError> {
    with_store(&state, |store| store.renewal_suggestions(today())).await
}

#[tauri::command]
pub async fn retention(state: State<'_, AppState>, window: RenewalWindow) -> Result<RetentionReport, CommandError> {
    with_store(&state, move |store| {
        let (from, to) = csm_core::renewal::window_days(window, today());
        store.retention(from, to.min(today()))
    })
    .await
}

#[tauri::command]
pub async fn forecast_diff(state: State<'_, AppState>) -> Result<ForecastDiff, CommandError> {
    with_store(&state, move |store| store.forecast_diff(today())).await
}

#[tauri::command]
pub async fn take_forecast_snapshot(state: State<'_, AppState>) -> Result<ForecastDiff, CommandError> {
    with_store(&state, move |store| {
        store.take_forecast_snapshot(today(), Utc::now(), false)?;
        store.forecast_diff(today())
    })
    .await
}

#[tauri::command]
pub async fn renewal_settings(state: State<'_, AppState>) -> Result<RenewalSettings, CommandError> {
    with_store(&state, |store| store.renewal_settings()).await
}

#[tauri::command]
pub async fn save_renewal_settings(
    state: State<'_, AppState>,
    input: RenewalSettingsInput,
) -> Result<RenewalSettings, CommandError> {
    let settings = validate::renewal_settings(&input)?;
    with_store(&state, move |store| {
        store.save_renewal_settings(&settings)?;
        store.renewal_settings()
    })
    .await
}

/// Asks where to save the window's forecast as CSV; the path, or None when the CSM cancels.
#[tauri::command]
pub async fn export_renewals_csv<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    window: RenewalWindow,
) -> Result<Option<String>, CommandError> {
    let csv = with_store(&state, move |store| store.renewals_csv(window, today())).await?;
    let name = format!("renewals-{}-{}.csv", window.as_str().replace('_', "-"), today());
    super::files::save_as(&app, &name, "Spreadsheet (.csv)", &["csv"], csv).await
}
