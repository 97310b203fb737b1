use chrono::Utc;
use csm_core::sample::{self, SampleSpec};
use tauri::State;

use super::{today, with_store};
use crate::{AppState, AppStatus, CommandError};

#[tauri::command]
pub async fn app_status(state: State<'_, AppState>) -> Result<AppStatus, CommandError> {
    state.status()
}

#[tauri::command]
pub async fn reopen_database(state: State<'_, AppState>) -> Result<AppStatus, CommandError> {
    state.reopen();
    state.status()
}

/// First run: start with the generated sample book (`sample = true`) or an empty one.
#[tauri::command]
pub async fn start_book(state: State<'_, AppState>, sample: bool) -> Result<AppStatus, CommandError> {
    with_store(&state, move |store| {
        let book = sample.then(|| sample::generate(&SampleSpec::DEMO, today()));
        store.start_book(book.as_ref(), Utc::now())?;
        store.start_of_day(today(), Utc::now()).map(drop)
    })
    .await?;
    state.status()
}
