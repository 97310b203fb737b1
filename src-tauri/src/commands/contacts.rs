use chrono::Utc;
use csm_core::model::{Contact, ContactInput};
use csm_core::validate;
use tauri::State;

use super::{check_id, today, with_store};
use crate::{AppState, CommandError};

#[tauri::command]
pub async fn create_contact(
    state: State<'_, AppState>,
    account_id: String,
    input: ContactInput,
) -> Result<Contact, CommandError> {
    let account_id = check_id("account_id", &account_id)?;
    let draft = validate::contact(&input)?;
    with_store(&state, move |store| store.create_contact(&account_id, &draft, Utc::now(), today())).await
}

#[tauri::command]
pub async fn update_contact(
    state: State<'_, AppState>,
    id: String,
    input: ContactInput,
) -> Result<Contact, CommandError> {
    let id = check_id("id", &id)?;
    let draft = validate::contact(&input)?;
    with_store(&state, move |store| store.update_contact(&id, &draft, Utc::now(), today())).await
}

#[tauri::command]
pub async fn delete_contact(state: State<'_, AppState>, id: String) -> Result<(), CommandError> {
    let id = check_id("id", &id)?;
    with_store(&state, move |store| store.delete_contact(&id, today())).await
}
