//! The success plan, QBRs and their decks. The deck model comes from `csm-core`; the UI lays it
//! out and builds the PPTX or PDF, which comes back here as bytes to be saved where the CSM says.

use chrono::{Local, Utc};
use csm_core::model::{
    DeckEdits, DeckStyle, Milestone, MilestoneInput, NoteInput, Qbr, QbrHeld, QbrInput, QbrView, SuccessMetric,
    SuccessMetricInput, SuccessPlan,
};
use csm_core::validate;
use tauri::ipc::{InvokeBody, Request, Response};
use tauri::State;

use super::{check_id, files, today, with_store};
use crate::{AppState, CommandError};

/// A deck bigger than this is not a deck (a 12-slide PPTX with a logo is well under 5 MB).
const DECK_MAX_BYTES: usize = 200 * 1024 * 1024;

#[tauri::command]
pub async fn success_plan(state: State<'_, AppState>, account_id: String) -> Result<SuccessPlan, CommandError> {
    let account_id = check_id("account_id", &account_id)?;
    with_store(&state, move |store| store.success_plan(&account_id)).await
}

#[tauri::command]
pub async fn create_metric(
    state: State<'_, AppState>,
    account_id: String,
    input: SuccessMetricInput,
) -> Result<SuccessMetric, CommandError> {
    let account_id = check_id("account_id", &account_id)?;
    let draft = validate::success_metric(&input, today())?;
    with_store(&state, move |store| store.create_metric(&account_id, &draft, Utc::now())).await
}

#[tauri::command]
pub async fn update_metric(
    state: State<'_, AppState>,
    id: String,
    input: SuccessMetricInput,
) -> Result<SuccessMetric, CommandError> {
    let id = check_id("id", &id)?;
    let draft = validate::success_metric(&input, today())?;
    with_store(&state, move |store| store.update_metric(&id, &draft, Utc::now())).await
}

#[tauri::command]
pub async fn delete_metric(state: State<'_, AppState>, id: String) -> Result<(), CommandError> {
    let id = check_id("id", &id)?;
    with_store(&state, move |store| store.delete_metric(&id)).await
}

#[tauri::command]
pub async fn create_milestone(
    state: State<'_, AppState>,
    account_id: String,
    input: MilestoneInput,
) -> Result<Milestone, CommandError> {
    let account_id = check_id("account_id", &account_id)?;
    let draft = validate::milestone(&input, today())?;
    with_store(&state, move |store| store.create_milestone(&account_id, &draft, Utc::now())).await
}

#[tauri::command]
pub async fn update_milestone(
    state: State<'_, AppState>,
    id: String,
    input: MilestoneInput,
) -> Result<Milestone, CommandError> {
    let id = check_id("id", &id)?;
    let draft = validate::milestone(&input, today())?;
    with_store(&state, move |store| store.update_milestone(&id, &draft, Utc::now())).await
}

#[tauri::command]
pub async fn delete_milestone(state: State<'_, AppState>, id: String) -> Result<(), CommandError> {
    let id = check_id("id", &id)?;
    with_store(&state, move |store| store.delete_milestone(&id)).await
}

#[tauri::command]
pub async fn account_qbrs(state: State<'_, AppState>, account_id: String) -> Result<Vec<Qbr>, CommandError> {
    let account_id = check_id("account_id", &account_id)?;
    with_store(&state, move |store| store.account_qbrs(&account_id)).await
}

#[tauri::command]
pub async fn create_qbr(state: State<'_, AppState>, account_id: String, input: QbrInput) -> Result<Qbr, CommandError> {
    let account_id = check_id("account_id", &account_id)?;
    let draft = validate::qbr(&input, today())?;
    with_store(&state, move |store| store.create_qbr(&account_id, &draft, Utc::now())).await
}

#[tauri::command]
pub async fn update_qbr(state: State<'_, AppState>, id: String, input: QbrInput) -> Result<Qbr, CommandError> {
    let id = check_id("id", &id)?;
    let draft = validate::qbr(&input, today())?;
    with_store(&state, move |store| store.update_qbr(&id, &draft, Utc::now())).await
}

#[tauri::command]
pub async fn delete_qbr(state: State<'_, AppState>, id: String) -> Result<(), CommandError> {
    let id = check_id("id", &id)?;
    with_store(&state, move |store| store.delete_qbr(&id, Utc::now())).await
}

/// The QBR, its draft with the CSM's edits, and its slides.
#[tauri::command]
pub async fn qbr_view(state: State<'_, AppState>, id: String) -> Result<QbrView, CommandError> {
    let id = check_id("id", &id)?;
    with_store(&state, move |store| store.qbr_view(&id, today())).await
}

#[tauri::command]
pub async fn save_deck_edits(
    state: State<'_, AppState>,
    id: String,
    edits: DeckEdits,
) -> Result<QbrView, CommandError> {
    let id = check_id("id", &id)?;
    let edits = validate::deck_edits(&edits)?;
    with_store(&state, move |store| store.save_deck_edits(&id, &edits, Utc::now(), today())).await
}

/// Marks the QBR held with its meeting note; the note's confirmed next steps become tasks.
#[tauri::command]
pub async fn mark_qbr_held(state: State<'_, AppState>, id: String, note: NoteInput) -> Result<QbrHeld, CommandError> {
    let id = check_id("id", &id)?;
    check_id("account_id", &note.account_id)?;
    let draft = validate::note(&note, Utc::now(), &Local)?;
    with_store(&state, move |store| store.mark_qbr_held(&id, &draft, Utc::now(), today())).await
}

#[tauri::command]
pub async fn deck_style(state: State<'_, AppState>) -> Result<DeckStyle, CommandError> {
    with_store(&state, |store| store.deck_style()).await
}

#[tauri::command]
pub async fn save_deck_style(state: State<'_, AppState>, style: DeckStyle) -> Result<DeckStyle, CommandError> {
    let style = validate::deck_style(&style)?;
    with_store(&state, move |store| store.save_deck_style(&style).map(|()| style)).await
}

/// A font file for the PDF ("regular", "bold", "cjk", "symbols") as raw bytes.
#[tauri::command]
pub async fn deck_font(role: String) -> Result<Response, CommandError> {
    let path = crate::fonts::font_for(&role)
        .ok_or_else(|| CommandError::invalid("font", "A font the PDF needs is not installed; run scripts/setup.sh."))?;
    let bytes = tauri::async_runtime::spawn_blocking(move || std::fs::read(path)).await?.map_err(|e| {
        log::warn!("font unreadable: {e}");
        CommandError::invalid("font", "The font file could not be read.")
    })?;
    Ok(Response::new(bytes))
}

pub(super) fn header<'a>(request: &'a Request<'_>, name: &str) -> &'a str {
    request.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
}

/// "Acme QBR Q3 2026.pptx": the file name a deck is offered under.
fn deck_file_name(view: &QbrView, extension: &str) -> String {
    files::file_name(&format!("{} QBR {}", view.qbr.account_name, view.deck.period_label), extension)
}

/// Saves a deck the UI built (raw bytes; the QBR in `x-qbr-id`, "pptx" or "pdf" in
/// `x-deck-format`) where the CSM chooses. The path, or `None` when they cancel.
#[tauri::command]
pub async fn save_deck<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    request: Request<'_>,
) -> Result<Option<String>, CommandError> {
    let id = check_id("id", header(&request, "x-qbr-id"))?;
    let (format, magic, filter): (&str, &[u8], &str) = match header(&request, "x-deck-format") {
        "pptx" => ("pptx", b"PK\x03\x04", "PowerPoint"),
        "pdf" => ("pdf", b"%PDF-", "PDF"),
        _ => return Err(CommandError::invalid("format", "Export as PPTX or PDF.")),
    };
    let InvokeBody::Raw(bytes) = request.body() else {
        return Err(CommandError::invalid("file", "Send the deck's bytes."));
    };
    if bytes.len() > DECK_MAX_BYTES || !bytes.starts_with(magic) {
        return Err(CommandError::invalid("file", &format!("That is not a {filter} file.")));
    }
    let bytes = bytes.clone();
    let view = with_store(&state, move |store| store.qbr_view(&id, today())).await?;
    let name = deck_file_name(&view, format);
    let saved = files::save_as(&app, &name, filter, &[format], bytes).await?;
    log::info!("QBR deck exported as {format}");
    Ok(saved)
}

/// Saves the deck as Markdown where the CSM chooses.
#[tauri::command]
pub async fn export_qbr_markdown<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    id: String,
) -> Result<Option<String>, CommandError> {
    let id = check_id("id", &id)?;
    let (view, style) =
        with_store(&state, move |store| Ok((store.qbr_view(&id, today())?, store.deck_style()?))).await?;
    let markdown = csm_core::qbr::markdown(&view.deck, &style.company_name);
    let name = deck_file_name(&view, "md");
    files::save_as(&app, &name, "Markdown", &["md"], markdown.into_bytes()).await
}
