use chrono::Utc;
use csm_core::model::{Account, AccountInput, AccountOverview, BookView};
use csm_core::validate;
use tauri::State;

use super::{check_id, today, with_store};
use crate::{AppState, CommandError};

#[tauri::command]
pub async fn book(state: State<'_, AppState>) -> Result<BookView, CommandError> {
    with_store(&state, |store| store.book_with_health(today())).await
}

#[tauri::command]
pub async fn account_overview(state: State<'_, AppState>, id: String) -> Result<AccountOverview, CommandError> {
    let id = check_id("id", &id)?;
    with_store(&state, move |store| store.account_overview(&id, today())).await
}

#[tauri::command]
pub async fn create_account(state: State<'_, AppState>, input: AccountInput) -> Result<Account, CommandError> {
    let draft = validate::account(&input)?;
    with_store(&state, move |store| store.create_account(&draft, Utc::now())).await
}

/// Saves the whole account as typed; returns the refreshed overview for the page.
#[tauri::command]
pub async fn update_account(
    state: State<'_, AppState>,
    id: String,
    input: AccountInput,
) -> Result<AccountOverview, CommandError> {
    let id = check_id("id", &id)?;
    let draft = validate::account(&input)?;
    with_store(&state, move |store| {
        store.update_account(&id, &draft, Utc::now(), today())?;
        store.account_overview(&id, today())
    })
    .await
}

#[tauri::command]
pub async fn set_account_archived(
    state: State<'_, AppState>,
    id: String,
    archived: bool,
) -> Result<Account, CommandError> {
    let id = check_id("id", &id)?;
    with_store(&state, move |store| store.set_account_archived(&id, archived, Utc::now())).await
}

#[tauri::command]
pub async fn delete_account(state: State<'_, AppState>, id: String) -> Result<(), CommandError> {
    let id = check_id("id", &id)?;
    with_store(&state, move |store| store.delete_account(&id)).await
}
