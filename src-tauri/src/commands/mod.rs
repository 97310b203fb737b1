//! Tauri commands, one module per area. Each is a thin adapter: check the arguments, run the
//! store call off the UI thread, map the error. Business rules live in `csm-core`.

mod accounts;
mod app;
mod backup;
mod calendar;
mod contacts;
mod files;
mod health;
mod import;
mod notes;
mod planner;
mod qbr;
mod relationships;
mod renewals;
mod risks;
mod sync;
mod tasks;
#[cfg(test)]
mod tests;

use std::sync::Arc;

use csm_core::Store;

use crate::{AppState, CommandError};

pub fn handler<R: tauri::Runtime>() -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        app::app_status,
        app::reopen_database,
        app::start_book,
        app::window_painted,
        accounts::book,
        accounts::account_overview,
        accounts::create_account,
        accounts::update_account,
        accounts::set_account_archived,
        accounts::delete_account,
        contacts::create_contact,
        contacts::update_contact,
        contacts::delete_contact,
        relationships::relationships,
        relationships::update_stakeholder,
        relationships::set_reports_to,
        relationships::stakeholder_updates,
        relationships::add_suggested_contact,
        relationships::dismiss_suggested_contact,
        risks::risks,
        risks::account_risks,
        risks::risk,
        risks::risk_reasons,
        risks::configured_risk_reasons,
        risks::save_risk_reasons,
        risks::create_risk,
        risks::update_risk,
        risks::delete_risk,
        risks::add_plan_step,
        risks::add_risk_update,
        risks::dismiss_risk_suggestion,
        risks::dismiss_tagged_note,
        risks::capture_preview,
        risks::asks,
        risks::create_ask,
        risks::update_ask,
        risks::add_asker,
        risks::remove_asker,
        risks::delete_ask,
        risks::export_asks,
        health::health_report,
        health::record_signal,
        health::delete_signal,
        health::scorecard,
        health::default_health_scorecard,
        health::preview_scorecard,
        health::save_scorecard,
        tasks::create_task,
        tasks::update_task,
        tasks::complete_task,
        tasks::reopen_task,
        tasks::snooze_task,
        tasks::move_task,
        tasks::cancel_task,
        tasks::delete_task,
        tasks::account_tasks,
        planner::week_plan,
        planner::accept_suggestion,
        planner::dismiss_suggestion,
        planner::restore_suggestion,
        planner::planner_settings,
        planner::save_planner_settings,
        planner::playbooks,
        planner::default_playbooks,
        planner::save_playbooks,
        planner::run_playbooks,
        planner::plan_held_back_tasks,
        planner::export_week_ics,
        notes::note_templates,
        notes::default_note_templates,
        notes::save_note_templates,
        notes::action_items,
        notes::create_note,
        notes::update_note,
        notes::note,
        notes::delete_note,
        notes::save_draft,
        notes::drafts,
        notes::discard_draft,
        notes::timeline,
        notes::search,
        notes::open_link,
        backup::backups,
        backup::back_up_now,
        backup::restore_backup,
        backup::restore_from_file,
        backup::backups_kept,
        backup::set_backups_kept,
        backup::export_book,
        backup::export_account,
        import::import_read,
        import::import_preview,
        import::import_apply,
        import::import_cancel,
        qbr::success_plan,
        qbr::create_metric,
        qbr::update_metric,
        qbr::delete_metric,
        qbr::create_milestone,
        qbr::update_milestone,
        qbr::delete_milestone,
        qbr::account_qbrs,
        qbr::create_qbr,
        qbr::update_qbr,
        qbr::delete_qbr,
        qbr::qbr_view,
        qbr::save_deck_edits,
        qbr::mark_qbr_held,
        qbr::deck_style,
        qbr::save_deck_style,
        qbr::deck_font,
        qbr::save_deck,
        qbr::export_qbr_markdown,
        sync::crm_status,
        sync::connect_hubspot,
        sync::disconnect_crm,
        sync::connect_salesforce,
        sync::crm_defaults,
        sync::sync_now,
        sync::cancel_sync,
        sync::sync_preview,
        sync::apply_sync,
        sync::sync_log,
        sync::crm_owners,
        sync::set_crm_scope,
        sync::account_deals,
        renewals::renewals,
        renewals::update_renewal,
        renewals::record_outcome,
        renewals::account_renewal,
        renewals::renewal_suggestions,
        renewals::retention,
        renewals::forecast_diff,
        renewals::take_forecast_snapshot,
        renewals::renewal_settings,
        renewals::save_renewal_settings,
        renewals::export_renewals_csv,
        calendar::calendars,
        calendar::add_calendar,
        calendar::refresh_calendar,
        calendar::delete_calendar,
        calendar::assign_meeting_domain,
        calendar::set_internal_domains,
        calendar::save_reminder_settings,
        calendar::test_reminder,
        calendar::brief,
        calendar::export_brief,
        calendar::save_brief_pdf,
        calendar::meeting_note,
        calendar::account_meetings,
    ]
}

/// Runs blocking store work on Tauri's blocking pool so the UI thread never waits on SQLite.
async fn with_store<T, F>(state: &AppState, work: F) -> Result<T, CommandError>
where
    T: Send + 'static,
    F: FnOnce(&Store) -> csm_core::Result<T> + Send + 'static,
{
    let store: Arc<Store> = state.store()?;
    let done = tauri::async_runtime::spawn_blocking(move || work(&store)).await?;
    state.announce_changes();
    done.map_err(CommandError::from)
}

/// Runs work on the app itself (opening the book, restoring, pruning backups) on the blocking
/// pool: file work never waits on an async worker or the UI thread.
async fn with_app<R: tauri::Runtime, T: Send + 'static>(
    app: tauri::AppHandle<R>,
    work: impl FnOnce(&tauri::AppHandle<R>, &AppState) -> Result<T, CommandError> + Send + 'static,
) -> Result<T, CommandError> {
    tauri::async_runtime::spawn_blocking(move || work(&app, &tauri::Manager::state::<AppState>(&app))).await?
}

/// A record id, checked before it reaches the store.
fn check_id(field: &str, id: &str) -> Result<String, CommandError> {
    Ok(csm_core::validate::id(field, id)?)
}

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}
