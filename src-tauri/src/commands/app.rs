use chrono::Utc;
use csm_core::sample::{self, SampleSpec};
use tauri::State;

use super::{today, with_app, with_store};
use crate::{AppState, AppStatus, CommandError};

#[tauri::command]
pub async fn app_status<R: tauri::Runtime>(app: tauri::AppHandle<R>) -> Result<AppStatus, CommandError> {
    with_app(app, |_, state| state.status()).await
}

/// The UI's first view is on screen: logged with the time since launch, the start-up figure
/// `scripts/measure.sh` reads (and one a CSM's log can be asked for).
#[tauri::command]
pub fn window_painted() {
    let unix_ms = Utc::now().timestamp_millis();
    log::info!("first view painted {} ms after launch (unix ms {unix_ms})", crate::launched().elapsed().as_millis());
}

/// Opens the book again (and checks its pages), e.g. after another program let go of it.
#[tauri::command]
pub async fn reopen_database<R: tauri::Runtime>(app: tauri::AppHandle<R>) -> Result<AppStatus, CommandError> {
    with_app(app, |_, state| {
        state.reopen();
        state.status()
    })
    .await
}

/// First run: start with the generated sample book (`sample = true`) or an empty one.
#[tauri::command]
pub async fn start_book(state: State<'_, AppState>, sample: bool) -> Result<AppStatus, CommandError> {
    with_store(&state, move |store| {
        let book = sample.then(|| sample::generate(&SampleSpec::DEMO, today()));
        store.start_book(book.as_ref(), Utc::now())?;
        // The sample calendar's floating times, read again in the CSM's own time zone.
        crate::calendars::refresh_all(store);
        store.start_of_day(today(), Utc::now()).map(drop)
    })
    .await?;
    state.status()
}
