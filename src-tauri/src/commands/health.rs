use csm_core::health::default_scorecard;
use csm_core::model::{HealthReport, Scorecard, ScorecardPreview, SignalInput};
use csm_core::validate;
use tauri::State;

use super::{check_id, today, with_store};
use crate::{AppState, CommandError};

#[tauri::command]
pub async fn health_report(state: State<'_, AppState>, account_id: String) -> Result<HealthReport, CommandError> {
    let account_id = check_id("account_id", &account_id)?;
    with_store(&state, move |store| store.health_report(&account_id, today())).await
}

/// Records a signal by hand; the account is rescored at once and its new report returned.
#[tauri::command]
pub async fn record_signal(
    state: State<'_, AppState>,
    account_id: String,
    input: SignalInput,
) -> Result<HealthReport, CommandError> {
    let account_id = check_id("account_id", &account_id)?;
    with_store(&state, move |store| {
        let licences = store.account(&account_id)?.licences_purchased;
        let draft = validate::signal(&input, licences, today())?;
        store.record_signal(&account_id, &draft, today())?;
        store.health_report(&account_id, today())
    })
    .await
}

#[tauri::command]
pub async fn delete_signal(state: State<'_, AppState>, id: String) -> Result<(), CommandError> {
    let id = check_id("id", &id)?;
    with_store(&state, move |store| store.delete_signal(&id, today())).await
}

#[tauri::command]
pub async fn scorecard(state: State<'_, AppState>) -> Result<Scorecard, CommandError> {
    with_store(&state, |store| store.scorecard()).await
}

#[tauri::command]
pub async fn default_health_scorecard() -> Result<Scorecard, CommandError> {
    Ok(default_scorecard())
}

/// How a scorecard would move every account, without saving it.
#[tauri::command]
pub async fn preview_scorecard(state: State<'_, AppState>, card: Scorecard) -> Result<ScorecardPreview, CommandError> {
    with_store(&state, move |store| store.preview_scorecard(&card, today())).await
}

#[tauri::command]
pub async fn save_scorecard(state: State<'_, AppState>, card: Scorecard) -> Result<(), CommandError> {
    with_store(&state, move |store| store.save_scorecard(&card, today())).await
}
