use chrono::Utc;
use csm_core::model::{PlannerSettings, Playbook, PlaybookRun, Task, WeekPlan};
use csm_core::{planner, playbook, validate};
use tauri::State;

use super::{check_id, today, with_store};
use crate::{AppState, CommandError};

/// A day of the week to plan; empty means this week.
fn week_of(text: &str) -> Result<chrono::NaiveDate, CommandError> {
    if text.trim().is_empty() {
        return Ok(today());
    }
    Ok(validate::day("week_of", "Week", text)?)
}

/// The plan of the week holding `week_of`; empty opens the current week (the coming one at the weekend).
#[tauri::command]
pub async fn week_plan(state: State<'_, AppState>, week_of: String) -> Result<WeekPlan, CommandError> {
    let chosen = (!week_of.trim().is_empty()).then(|| self::week_of(&week_of)).transpose()?;
    with_store(&state, move |store| {
        let week = match chosen {
            Some(week) => week,
            None => store.current_week(today())?,
        };
        store.week_plan(week, today())
    })
    .await
}

/// Turns a suggestion into a touch task, on `day` or the day the planner chose.
#[tauri::command]
pub async fn accept_suggestion(
    state: State<'_, AppState>,
    account_id: String,
    week_of: String,
    day: Option<String>,
) -> Result<Task, CommandError> {
    let account_id = check_id("account_id", &account_id)?;
    let week = self::week_of(&week_of)?;
    let day = day.map(|d| validate::day("day", "Day", &d)).transpose()?;
    with_store(&state, move |store| store.accept_suggestion(&account_id, week, day, today(), Utc::now())).await
}

#[tauri::command]
pub async fn dismiss_suggestion(
    state: State<'_, AppState>,
    account_id: String,
    week_of: String,
) -> Result<(), CommandError> {
    let account_id = check_id("account_id", &account_id)?;
    let week = self::week_of(&week_of)?;
    with_store(&state, move |store| store.dismiss_suggestion(&account_id, week, Utc::now())).await
}

/// Undoes a dismissal for the week holding `week_of`.
#[tauri::command]
pub async fn restore_suggestion(
    state: State<'_, AppState>,
    account_id: String,
    week_of: String,
) -> Result<(), CommandError> {
    let account_id = check_id("account_id", &account_id)?;
    let week = self::week_of(&week_of)?;
    with_store(&state, move |store| store.restore_suggestion(&account_id, week)).await
}

#[tauri::command]
pub async fn planner_settings(state: State<'_, AppState>) -> Result<PlannerSettings, CommandError> {
    with_store(&state, |store| store.planner_settings()).await
}

#[tauri::command]
pub async fn save_planner_settings(state: State<'_, AppState>, settings: PlannerSettings) -> Result<(), CommandError> {
    with_store(&state, move |store| store.save_planner_settings(&settings)).await
}

#[tauri::command]
pub async fn playbooks(state: State<'_, AppState>) -> Result<Vec<Playbook>, CommandError> {
    with_store(&state, |store| store.playbooks()).await
}

#[tauri::command]
pub async fn default_playbooks() -> Result<Vec<Playbook>, CommandError> {
    Ok(playbook::default_playbooks())
}

/// Saves every playbook at once (a bad step saves nothing) and runs them.
#[tauri::command]
pub async fn save_playbooks(state: State<'_, AppState>, books: Vec<Playbook>) -> Result<PlaybookRun, CommandError> {
    with_store(&state, move |store| store.save_playbooks(&books, today(), Utc::now())).await
}

#[tauri::command]
pub async fn run_playbooks(state: State<'_, AppState>) -> Result<PlaybookRun, CommandError> {
    with_store(&state, |store| store.run_playbooks(today(), Utc::now())).await
}

/// Creates the playbook tasks held back by the daily limit: another day's worth, on days with room.
#[tauri::command]
pub async fn plan_held_back_tasks(state: State<'_, AppState>) -> Result<PlaybookRun, CommandError> {
    with_store(&state, |store| store.plan_held_back_tasks(today(), Utc::now())).await
}

/// Asks where to save the week's calendar file and writes it; `None` when the CSM cancels.
/// The path comes from the native dialog, never from the web UI.
#[tauri::command]
pub async fn export_week_ics<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    week_of: String,
) -> Result<Option<String>, CommandError> {
    let week = self::week_of(&week_of)?;
    let ics = with_store(&state, move |store| store.week_ics(week, today(), Utc::now())).await?;
    let name = format!("csm-week-{}.ics", planner::monday_of(week));
    let saved = super::files::save_as(&app, &name, "Calendar (.ics)", &["ics"], ics.into_bytes()).await?;
    let Some(shown) = saved else { return Ok(None) };
    log::info!("week exported as a calendar file");
    Ok(Some(shown))
}
