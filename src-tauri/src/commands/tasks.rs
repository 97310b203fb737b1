use chrono::Utc;
use csm_core::model::{Task, TaskInput, TaskSaved};
use csm_core::validate;
use tauri::State;

use super::{check_id, today, with_store};
use crate::{AppState, CommandError};

fn checked(input: TaskInput) -> Result<(validate::ValidTask, Vec<csm_core::FieldError>), CommandError> {
    if !input.account_id.trim().is_empty() {
        check_id("account_id", &input.account_id)?;
    }
    Ok(validate::task(&input, today())?)
}

/// Saves a new task; a due date in the past is allowed and comes back as a warning.
#[tauri::command]
pub async fn create_task(state: State<'_, AppState>, input: TaskInput) -> Result<TaskSaved, CommandError> {
    let (draft, warnings) = checked(input)?;
    let task = with_store(&state, move |store| store.create_task(&draft, Utc::now())).await?;
    Ok(TaskSaved { task, warnings })
}

#[tauri::command]
pub async fn update_task(state: State<'_, AppState>, id: String, input: TaskInput) -> Result<TaskSaved, CommandError> {
    let id = check_id("id", &id)?;
    let (draft, warnings) = checked(input)?;
    let task = with_store(&state, move |store| store.update_task(&id, &draft, Utc::now())).await?;
    Ok(TaskSaved { task, warnings })
}

#[tauri::command]
pub async fn complete_task(state: State<'_, AppState>, id: String) -> Result<Task, CommandError> {
    let id = check_id("id", &id)?;
    with_store(&state, move |store| store.complete_task(&id, Utc::now(), today())).await
}

#[tauri::command]
pub async fn reopen_task(state: State<'_, AppState>, id: String) -> Result<Task, CommandError> {
    let id = check_id("id", &id)?;
    with_store(&state, move |store| store.reopen_task(&id, Utc::now())).await
}

#[tauri::command]
pub async fn snooze_task(state: State<'_, AppState>, id: String, until: String) -> Result<Task, CommandError> {
    let id = check_id("id", &id)?;
    let until = validate::snooze_until(&until, today())?;
    with_store(&state, move |store| store.snooze_task(&id, until, Utc::now())).await
}

/// Reschedules a task to another day (drag and drop, or Shift+arrow in the Week).
#[tauri::command]
pub async fn move_task(state: State<'_, AppState>, id: String, day: String) -> Result<Task, CommandError> {
    let id = check_id("id", &id)?;
    let day = validate::day("day", "Day", &day)?;
    with_store(&state, move |store| store.move_task(&id, day, Utc::now())).await
}

#[tauri::command]
pub async fn cancel_task(state: State<'_, AppState>, id: String) -> Result<Task, CommandError> {
    let id = check_id("id", &id)?;
    with_store(&state, move |store| store.cancel_task(&id, Utc::now())).await
}

#[tauri::command]
pub async fn delete_task(state: State<'_, AppState>, id: String) -> Result<(), CommandError> {
    let id = check_id("id", &id)?;
    with_store(&state, move |store| store.delete_task(&id)).await
}

#[tauri::command]
pub async fn account_tasks(state: State<'_, AppState>, account_id: String) -> Result<Vec<Task>, CommandError> {
    let account_id = check_id("account_id", &account_id)?;
    with_store(&state, move |store| store.account_tasks(&account_id)).await
}
