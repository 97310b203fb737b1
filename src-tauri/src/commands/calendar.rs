//! Calendars and call prep: adding a calendar (a file or folder picked in a native dialog, or an
//! https address kept in the keychain), refreshing, assigning meetings, the brief, the note a
//! meeting starts, and reminder settings. Thin adapters over `Store` and `crate::calendars`.

use std::path::PathBuf;

use csm_core::model::{
    Brief, CalendarInput, CalendarKind, CalendarSource, CalendarsView, Meeting, NoteInput, ReminderSettings,
};
use csm_core::validate;
use tauri::ipc::{InvokeBody, Request};
use tauri::State;
use tauri_plugin_dialog::DialogExt;

use super::{check_id, files, today, with_store};
use crate::{calendars, secrets, AppState, CommandError};

#[tauri::command]
pub async fn calendars(state: State<'_, AppState>) -> Result<CalendarsView, CommandError> {
    with_store(&state, move |store| store.calendars(today())).await
}

/// The file or folder the CSM picks; `None` when they cancel. Builds with `e2e` take it from
/// `CSM_DESK_E2E_OPEN_PATH` (the real-app tests cannot drive a native dialog).
async fn pick<R: tauri::Runtime>(
    app: &tauri::AppHandle<R>,
    kind: CalendarKind,
) -> Result<Option<PathBuf>, CommandError> {
    #[cfg(feature = "e2e")]
    if let Some(path) = std::env::var_os("CSM_DESK_E2E_OPEN_PATH") {
        return Ok(Some(PathBuf::from(path)));
    }
    let dialog = app.dialog().file();
    let chosen = tauri::async_runtime::spawn_blocking(move || match kind {
        CalendarKind::Folder => dialog.set_title("Watch a folder of calendars").blocking_pick_folder(),
        _ => dialog.add_filter("Calendar", &["ics", "ical", "ifb"]).blocking_pick_file(),
    })
    .await?;
    Ok(chosen.and_then(|p| p.into_path().ok()))
}

/// Adds a calendar and reads it: a file or folder is picked here (its path never comes from the
/// web view); an address is kept in the keychain, never in the book. `None` when cancelled.
#[tauri::command]
pub async fn add_calendar<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    mut input: CalendarInput,
) -> Result<Option<CalendarSource>, CommandError> {
    let kind = CalendarKind::parse(input.kind.trim())
        .ok_or_else(|| CommandError::invalid("kind", "Choose a file, a folder or an address."))?;
    if kind != CalendarKind::Address {
        let Some(path) = pick(&app, kind).await? else { return Ok(None) };
        input.location = path.to_string_lossy().into_owned();
    }
    let draft = validate::calendar(&input)?;
    let store = state.store()?;
    let added = tauri::async_runtime::spawn_blocking(move || -> Result<CalendarSource, CommandError> {
        let calendar = store.add_calendar(&draft, chrono::Utc::now())?;
        if let Some(address) = &draft.address {
            let kept = store.book_id().map_err(CommandError::from).and_then(|book| {
                secrets::save_calendar_address(&book, &calendar.id, address)
                    .map_err(|e| CommandError::invalid("location", &e.message))
            });
            if let Err(err) = kept {
                store.delete_calendar(&calendar.id)?;
                return Err(err);
            }
        }
        calendars::refresh(&store, &calendar, true)
    })
    .await??;
    state.announce_changes();
    log::info!("calendar added ({})", added.kind.as_str());
    Ok(Some(added))
}

#[tauri::command]
pub async fn refresh_calendar(state: State<'_, AppState>, id: String) -> Result<CalendarSource, CommandError> {
    let id = check_id("id", &id)?;
    let store = state.store()?;
    let done = tauri::async_runtime::spawn_blocking(move || {
        let calendar = store.calendar(&id)?;
        calendars::refresh(&store, &calendar, true)
    })
    .await??;
    state.announce_changes();
    Ok(done)
}

/// Removes the calendar, its meetings and its address in the keychain; tasks stay.
#[tauri::command]
pub async fn delete_calendar(state: State<'_, AppState>, id: String) -> Result<(), CommandError> {
    let id = check_id("id", &id)?;
    let store = state.store()?;
    tauri::async_runtime::spawn_blocking(move || -> Result<(), CommandError> {
        let calendar = store.calendar(&id)?;
        store.delete_calendar(&id)?;
        if calendar.kind == CalendarKind::Address {
            secrets::forget_calendar_address(&store.book_id()?, &id)?;
        }
        Ok(())
    })
    .await??;
    state.announce_changes();
    Ok(())
}

/// Meetings with this domain (or address) belong to the account from now on; how many now do.
#[tauri::command]
pub async fn assign_meeting_domain(
    state: State<'_, AppState>,
    domain: String,
    account_id: String,
) -> Result<u32, CommandError> {
    let account_id = check_id("account_id", &account_id)?;
    with_store(&state, move |store| store.assign_meeting_domain(&domain, &account_id)).await
}

#[tauri::command]
pub async fn set_internal_domains(state: State<'_, AppState>, text: String) -> Result<Vec<String>, CommandError> {
    let domains = validate::internal_domains(&text)?;
    with_store(&state, move |store| store.set_internal_domains(&domains).map(|()| domains)).await
}

#[tauri::command]
pub async fn save_reminder_settings(
    state: State<'_, AppState>,
    settings: ReminderSettings,
) -> Result<ReminderSettings, CommandError> {
    let settings = validate::reminders(&settings)?;
    with_store(&state, move |store| store.save_reminder_settings(&settings).map(|()| settings)).await
}

/// Shows a reminder now, so the CSM sees that notifications reach their desktop.
#[tauri::command]
pub async fn test_reminder() -> Result<(), CommandError> {
    tauri::async_runtime::spawn_blocking(|| {
        crate::reminders::show("CSM Desk reminders work", "You will see meetings like this one.", None)
    })
    .await?
    .map(|_| ())
    .map_err(|why| CommandError::invalid("reminders", &format!("No reminder could be shown: {why}.")))
}

fn ids(
    account_id: Option<String>,
    meeting_id: Option<String>,
) -> Result<(Option<String>, Option<String>), CommandError> {
    let account = account_id.map(|a| check_id("account_id", &a)).transpose()?;
    let meeting = meeting_id.map(|m| validate::meeting_id(&m)).transpose()?;
    Ok((account, meeting))
}

/// The brief for a meeting, or for an account (before its next meeting, if any).
#[tauri::command]
pub async fn brief(
    state: State<'_, AppState>,
    account_id: Option<String>,
    meeting_id: Option<String>,
) -> Result<Brief, CommandError> {
    let (account, meeting) = ids(account_id, meeting_id)?;
    with_store(&state, move |store| store.brief(account.as_deref(), meeting.as_deref(), today())).await
}

/// Saves the brief as Markdown where the CSM chooses (stances left out); `None` when cancelled.
#[tauri::command]
pub async fn export_brief<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    account_id: Option<String>,
    meeting_id: Option<String>,
) -> Result<Option<String>, CommandError> {
    let (account, meeting) = ids(account_id, meeting_id)?;
    let brief = with_store(&state, move |store| store.brief(account.as_deref(), meeting.as_deref(), today())).await?;
    let name = files::file_name(&format!("Brief {} {}", brief.account_name, today()), "md");
    files::save_as(&app, &name, "Markdown", &["md"], brief.markdown.into_bytes()).await
}

/// A brief PDF beyond this is not a brief.
const BRIEF_PDF_MAX_BYTES: usize = 50 * 1024 * 1024;

/// Saves the brief's PDF (drawn by the UI, sent as raw bytes with the account's id in
/// `x-account-id`) where the CSM chooses; `None` when cancelled.
#[tauri::command]
pub async fn save_brief_pdf<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    request: Request<'_>,
) -> Result<Option<String>, CommandError> {
    let account_id = check_id("account_id", super::qbr::header(&request, "x-account-id"))?;
    let InvokeBody::Raw(bytes) = request.body() else {
        return Err(CommandError::invalid("file", "Send the brief's bytes."));
    };
    if bytes.len() > BRIEF_PDF_MAX_BYTES || !bytes.starts_with(b"%PDF-") {
        return Err(CommandError::invalid("file", "That is not a PDF file."));
    }
    let bytes = bytes.clone();
    let account = with_store(&state, move |store| store.account(&account_id)).await?;
    let name = files::file_name(&format!("Brief {} {}", account.name, today()), "pdf");
    files::save_as(&app, &name, "PDF", &["pdf"], bytes).await
}

/// "Log this call": the note editor's start for a meeting that happened.
#[tauri::command]
pub async fn meeting_note(state: State<'_, AppState>, meeting_id: String) -> Result<NoteInput, CommandError> {
    let id = validate::meeting_id(&meeting_id)?;
    with_store(&state, move |store| store.meeting_note(&id)).await
}

#[tauri::command]
pub async fn account_meetings(state: State<'_, AppState>, account_id: String) -> Result<Vec<Meeting>, CommandError> {
    let account_id = check_id("account_id", &account_id)?;
    with_store(&state, move |store| store.account_meetings(&account_id, today())).await
}
