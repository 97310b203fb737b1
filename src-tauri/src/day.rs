//! The start-of-day job off the interaction path: today's health snapshot and the day's first
//! playbook run (`Store::start_of_day`), at start, after a book is started or restored, and when
//! the date changes while the app is open. The web view hears what changed and shows it.

use std::time::Duration;

use chrono::{Local, Utc};
use tauri::{AppHandle, Manager, Runtime};

use csm_core::model::Topic;

use crate::AppState;

/// How often the date is looked at while the app is open.
const DATE_CHECK: Duration = Duration::from_secs(60);

/// Runs the job for today if the book is open and the day not yet started; the web view hears
/// what it changed.
pub fn start_today<R: Runtime>(app: &AppHandle<R>) {
    let state = app.state::<AppState>();
    run_job(&state);
    state.announce_changes();
}

/// After the book was replaced (a restore): the day's job, then one announcement that
/// everything changed (not a second one for what the job wrote).
pub fn start_replaced_book<R: Runtime>(app: &AppHandle<R>) {
    let state = app.state::<AppState>();
    run_job(&state);
    if let Ok(store) = state.store() {
        store.take_changes();
    }
    state.announce(&Topic::ALL);
}

fn run_job(state: &AppState) {
    let Ok(store) = state.store() else { return };
    match store.start_of_day(Local::now().date_naive(), Utc::now()) {
        Ok(day) if day.scored > 0 || day.playbooks.is_some() => {
            log::info!("day {} started: {} accounts scored, playbooks {:?}", day.day, day.scored, day.playbooks);
        }
        Ok(_) => {}
        Err(err) => log::error!("the start-of-day job failed: {err}"),
    }
}

/// Starts the day now, then again whenever the date changes (checked once a minute); never
/// returns, so it runs on a thread of its own.
pub fn keep_days_started<R: Runtime>(app: &AppHandle<R>) {
    let mut started = None;
    loop {
        let today = Local::now().date_naive();
        if started != Some(today) {
            start_today(app);
            started = Some(today);
        }
        std::thread::sleep(DATE_CHECK);
    }
}
