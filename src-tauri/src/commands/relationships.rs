use chrono::Utc;
use csm_core::model::{Contact, ContactInput, Relationships, StakeholderInput, StakeholderUpdate};
use csm_core::validate;
use tauri::State;

use super::{check_id, today, with_store};
use crate::{AppState, CommandError};

/// The account's people page; `collapsed`: the org chart's folded branches (None: the default).
#[tauri::command]
pub async fn relationships(
    state: State<'_, AppState>,
    account_id: String,
    collapsed: Option<Vec<String>>,
) -> Result<Relationships, CommandError> {
    let account_id = check_id("account_id", &account_id)?;
    let collapsed: Option<Vec<String>> =
        collapsed.map(|ids| ids.iter().map(|id| check_id("collapsed", id)).collect()).transpose()?;
    with_store(&state, move |store| store.relationships(&account_id, collapsed.as_deref(), today())).await
}

#[tauri::command]
pub async fn update_stakeholder(
    state: State<'_, AppState>,
    id: String,
    input: StakeholderInput,
) -> Result<Contact, CommandError> {
    let id = check_id("id", &id)?;
    let draft = validate::stakeholder(&input)?;
    with_store(&state, move |store| store.update_stakeholder(&id, &draft, Utc::now(), today())).await
}

/// The org chart's drag: `manager_id` None puts the person at the top.
#[tauri::command]
pub async fn set_reports_to(
    state: State<'_, AppState>,
    id: String,
    manager_id: Option<String>,
) -> Result<Contact, CommandError> {
    let id = check_id("id", &id)?;
    let manager = manager_id.map(|m| check_id("reports_to", &m)).transpose()?;
    with_store(&state, move |store| store.set_reports_to(&id, manager.as_deref(), Utc::now())).await
}

/// What a note's `@name stance:` lines will do when it is saved, as the CSM types.
#[tauri::command]
pub async fn stakeholder_updates(
    state: State<'_, AppState>,
    account_id: String,
    body_md: String,
) -> Result<Vec<StakeholderUpdate>, CommandError> {
    if account_id.trim().is_empty() {
        return Ok(Vec::new());
    }
    let account_id = check_id("account_id", &account_id)?;
    let body = validate::keep_text(&body_md);
    with_store(&state, move |store| store.stakeholder_updates(&account_id, &body)).await
}

#[tauri::command]
pub async fn add_suggested_contact(
    state: State<'_, AppState>,
    account_id: String,
    name: String,
) -> Result<Contact, CommandError> {
    let account_id = check_id("account_id", &account_id)?;
    let draft = validate::contact(&ContactInput { name, role: "other".into(), ..Default::default() })?;
    with_store(&state, move |store| store.add_suggested_contact(&account_id, &draft, Utc::now(), today())).await
}

#[tauri::command]
pub async fn dismiss_suggested_contact(
    state: State<'_, AppState>,
    account_id: String,
    name: String,
) -> Result<(), CommandError> {
    let account_id = check_id("account_id", &account_id)?;
    with_store(&state, move |store| store.dismiss_suggested_contact(&account_id, &name)).await
}
