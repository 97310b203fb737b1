use chrono::{Local, NaiveDateTime, Utc};
use csm_core::model::{
    ActionItem, Note, NoteDraft, NoteInput, NoteSaved, NoteTemplate, SearchQuery, SearchResults, TimelinePage,
    TimelineQuery,
};
use csm_core::{notes, validate};
use tauri::State;
use tauri_plugin_opener::OpenerExt;

use super::{check_id, today, with_store};
use crate::{AppState, CommandError};

fn checked_note(input: &NoteInput) -> Result<validate::ValidNote, CommandError> {
    if !input.account_id.trim().is_empty() {
        check_id("account_id", &input.account_id)?;
    }
    Ok(validate::note(input, Utc::now(), &Local)?)
}

#[tauri::command]
pub async fn note_templates(state: State<'_, AppState>) -> Result<Vec<NoteTemplate>, CommandError> {
    with_store(&state, |store| store.note_templates()).await
}

#[tauri::command]
pub async fn default_note_templates() -> Result<Vec<NoteTemplate>, CommandError> {
    Ok(notes::default_templates())
}

#[tauri::command]
pub async fn save_note_templates(state: State<'_, AppState>, templates: Vec<NoteTemplate>) -> Result<(), CommandError> {
    with_store(&state, move |store| store.save_note_templates(&templates)).await
}

/// The next steps in a note's checklist with their due dates, relative to the note's day
/// ("YYYY-MM-DDTHH:MM", or empty for today). For the editor, as the CSM types.
#[tauri::command]
pub async fn action_items(body_md: String, occurred_at: String) -> Result<Vec<ActionItem>, CommandError> {
    let day = NaiveDateTime::parse_from_str(occurred_at.trim(), "%Y-%m-%dT%H:%M").map_or(today(), |t| t.date());
    Ok(notes::action_items(&validate::keep_text(&body_md), day))
}

/// Saves a note: its next steps become tasks, and the draft it came from is discarded.
#[tauri::command]
pub async fn create_note(
    state: State<'_, AppState>,
    input: NoteInput,
    draft_id: Option<String>,
) -> Result<NoteSaved, CommandError> {
    let draft = checked_note(&input)?;
    let draft_id = draft_id.map(|id| check_id("draft_id", &id)).transpose()?;
    with_store(&state, move |store| store.create_note(&draft, draft_id.as_deref(), Utc::now(), today())).await
}

#[tauri::command]
pub async fn update_note(state: State<'_, AppState>, id: String, input: NoteInput) -> Result<Note, CommandError> {
    let id = check_id("id", &id)?;
    let draft = checked_note(&input)?;
    with_store(&state, move |store| store.update_note(&id, &draft, Utc::now())).await
}

#[tauri::command]
pub async fn note(state: State<'_, AppState>, id: String) -> Result<Note, CommandError> {
    let id = check_id("id", &id)?;
    with_store(&state, move |store| store.note(&id)).await
}

#[tauri::command]
pub async fn delete_note(state: State<'_, AppState>, id: String) -> Result<(), CommandError> {
    let id = check_id("id", &id)?;
    with_store(&state, move |store| store.delete_note(&id)).await
}

/// Keeps the editor's content; called continuously while the CSM types.
#[tauri::command]
pub async fn save_draft(
    state: State<'_, AppState>,
    id: String,
    account_id: Option<String>,
    payload: String,
) -> Result<(), CommandError> {
    let id = check_id("id", &id)?;
    let account_id = account_id.filter(|a| !a.trim().is_empty()).map(|a| check_id("account_id", &a)).transpose()?;
    with_store(&state, move |store| store.save_draft(&id, account_id.as_deref(), &payload, Utc::now())).await
}

#[tauri::command]
pub async fn drafts(state: State<'_, AppState>) -> Result<Vec<NoteDraft>, CommandError> {
    with_store(&state, |store| store.drafts()).await
}

#[tauri::command]
pub async fn discard_draft(state: State<'_, AppState>, id: String) -> Result<(), CommandError> {
    let id = check_id("id", &id)?;
    with_store(&state, move |store| store.discard_draft(&id)).await
}

/// A page of an account's timeline (or everyone's), newest first.
#[tauri::command]
pub async fn timeline(state: State<'_, AppState>, query: TimelineQuery) -> Result<TimelinePage, CommandError> {
    let filter = validate::timeline_query(&query)?;
    with_store(&state, move |store| store.timeline(&filter)).await
}

#[tauri::command]
pub async fn search(state: State<'_, AppState>, query: SearchQuery) -> Result<SearchResults, CommandError> {
    validate::search_query(&query)?;
    with_store(&state, move |store| store.search(&query)).await
}

/// Opens a link from a note in the system browser (never inside the app).
#[tauri::command]
pub async fn open_link<R: tauri::Runtime>(app: tauri::AppHandle<R>, url: String) -> Result<(), CommandError> {
    let url = link_to_open(&url)?;
    app.opener().open_url(url, None::<&str>).map_err(|e| {
        CommandError::new(csm_core::error::ErrorKind::OpenFailed, format!("The link could not be opened: {e}"))
    })
}

/// Only web and mail links open; anything else (javascript:, file:, data:) is refused. A mail
/// link opens as its address alone: a query could fill in a body, more recipients or, in some
/// mail programs, attach a local file.
fn link_to_open(url: &str) -> Result<String, CommandError> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:"))
        || url.len() > 2048
    {
        return Err(CommandError::invalid("url", "Only web (http, https) and mail links open from a note."));
    }
    if lower.starts_with("mailto:") {
        return Ok(url.split(['?', '#']).next().unwrap_or(url).to_owned());
    }
    Ok(url.to_owned())
}

#[cfg(test)]
mod tests {
    use super::link_to_open;

    #[test]
    fn only_web_and_mail_links_open_and_a_mail_link_as_its_address_alone() {
        assert_eq!(link_to_open(" https://example.com/a?b=c ").unwrap(), "https://example.com/a?b=c");
        assert_eq!(
            link_to_open("mailto:ana@example.com?attach=/etc/passwd&body=hi").unwrap(),
            "mailto:ana@example.com"
        );
        for bad in ["javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", "ftp://x"] {
            assert!(link_to_open(bad).is_err(), "{bad}");
        }
    }
}
