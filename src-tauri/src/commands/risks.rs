//! The risk register and the customers' asks: the Risks and Asks pages, an account's risks,
//! save plans, updates, suggestions, note-line previews and the asks export. Thin adapters over
//! `Store`; the rules are in `csm_core::{risks, asks, validate}`.

use chrono::Utc;
use csm_core::model::{
    AccountRisks, Ask, AskInput, AskerInput, AsksView, CaptureLine, PlanStepInput, Risk, RiskDetail, RiskInput,
    RisksView,
};
use csm_core::store::Asker;
use csm_core::validate;
use tauri::State;

use super::{check_id, today, with_store};
use crate::{AppState, CommandError};

#[tauri::command]
pub async fn risks(state: State<'_, AppState>) -> Result<RisksView, CommandError> {
    with_store(&state, move |store| store.risks(today())).await
}

#[tauri::command]
pub async fn account_risks(state: State<'_, AppState>, account_id: String) -> Result<AccountRisks, CommandError> {
    let account_id = check_id("account_id", &account_id)?;
    with_store(&state, move |store| store.account_risks(&account_id, today())).await
}

#[tauri::command]
pub async fn risk_reasons(state: State<'_, AppState>) -> Result<Vec<String>, CommandError> {
    with_store(&state, move |store| store.risk_reasons()).await
}

/// The CSM's own list of reasons (Settings).
#[tauri::command]
pub async fn configured_risk_reasons(state: State<'_, AppState>) -> Result<Vec<String>, CommandError> {
    with_store(&state, move |store| store.configured_risk_reasons()).await
}

#[tauri::command]
pub async fn save_risk_reasons(state: State<'_, AppState>, reasons: Vec<String>) -> Result<Vec<String>, CommandError> {
    let list = validate::risk_reasons(&reasons)?;
    with_store(&state, move |store| store.save_risk_reasons(&list)).await
}

#[tauri::command]
pub async fn risk(state: State<'_, AppState>, id: String) -> Result<RiskDetail, CommandError> {
    let id = check_id("id", &id)?;
    with_store(&state, move |store| store.risk(&id, today())).await
}

/// Opens a risk; `from_note`: a note tagged before risks existed, taken up.
#[tauri::command]
pub async fn create_risk(
    state: State<'_, AppState>,
    input: RiskInput,
    from_note: Option<String>,
) -> Result<Risk, CommandError> {
    let draft = validate::risk(&input)?;
    let note = from_note.map(|n| check_id("from_note", &n)).transpose()?;
    with_store(&state, move |store| store.create_risk(&draft, note.as_deref(), Utc::now(), today())).await
}

#[tauri::command]
pub async fn update_risk(state: State<'_, AppState>, id: String, input: RiskInput) -> Result<Risk, CommandError> {
    let id = check_id("id", &id)?;
    let draft = validate::risk(&input)?;
    with_store(&state, move |store| store.update_risk(&id, &draft, Utc::now(), today())).await
}

#[tauri::command]
pub async fn delete_risk(state: State<'_, AppState>, id: String) -> Result<(), CommandError> {
    let id = check_id("id", &id)?;
    with_store(&state, move |store| store.delete_risk(&id)).await
}

#[tauri::command]
pub async fn add_plan_step(
    state: State<'_, AppState>,
    risk_id: String,
    input: PlanStepInput,
) -> Result<RiskDetail, CommandError> {
    let risk_id = check_id("risk_id", &risk_id)?;
    with_store(&state, move |store| {
        let opened_on = store.risk(&risk_id, today())?.risk.opened_on;
        let (title, due) = validate::plan_step(&input, opened_on, today())?;
        store.add_plan_step(&risk_id, &title, due, Utc::now(), today())
    })
    .await
}

#[tauri::command]
pub async fn add_risk_update(
    state: State<'_, AppState>,
    risk_id: String,
    body: String,
    on_day: String,
) -> Result<RiskDetail, CommandError> {
    let risk_id = check_id("risk_id", &risk_id)?;
    with_store(&state, move |store| {
        let opened_on = store.risk(&risk_id, today())?.risk.opened_on;
        let (body, day) = validate::risk_update(&body, &on_day, opened_on, today())?;
        store.add_risk_update(&risk_id, &body, day, Utc::now(), today())
    })
    .await
}

#[tauri::command]
pub async fn dismiss_risk_suggestion(
    state: State<'_, AppState>,
    account_id: String,
    trigger: String,
) -> Result<(), CommandError> {
    let account_id = check_id("account_id", &account_id)?;
    let trigger = validate::risk_trigger(&trigger)?;
    with_store(&state, move |store| store.dismiss_risk_suggestion(&account_id, &trigger, today())).await
}

/// Declines a tagged note's offer to become a risk (`kind` "risk") or an ask ("ask").
#[tauri::command]
pub async fn dismiss_tagged_note(
    state: State<'_, AppState>,
    note_id: String,
    kind: String,
) -> Result<(), CommandError> {
    let note_id = check_id("note_id", &note_id)?;
    if !matches!(kind.as_str(), "risk" | "ask") {
        return Err(csm_core::Error::invalid("kind", "Choose risk or ask.").into());
    }
    with_store(&state, move |store| store.dismiss_tagged_note_offer(&note_id, &kind)).await
}

/// What a note's `risk:` and `ask:` lines will do when it is saved, as the CSM types.
#[tauri::command]
pub async fn capture_preview(
    state: State<'_, AppState>,
    account_id: String,
    body_md: String,
) -> Result<Vec<CaptureLine>, CommandError> {
    if account_id.trim().is_empty() {
        return Ok(Vec::new());
    }
    let account_id = check_id("account_id", &account_id)?;
    let body = validate::keep_text(&body_md);
    with_store(&state, move |store| store.capture_preview(&account_id, &body)).await
}

#[tauri::command]
pub async fn asks(state: State<'_, AppState>) -> Result<AsksView, CommandError> {
    with_store(&state, move |store| store.asks(today())).await
}

/// Records an ask, with the account that asked when given; `from_note`: a tagged note taken up.
#[tauri::command]
pub async fn create_ask(
    state: State<'_, AppState>,
    input: AskInput,
    asker: Option<AskerInput>,
    from_note: Option<String>,
) -> Result<Ask, CommandError> {
    let draft = validate::ask(&input)?;
    let asker = asker.map(|a| validate::asker(&a, today())).transpose()?;
    let note = from_note.map(|n| check_id("from_note", &n)).transpose()?;
    with_store(&state, move |store| {
        let who = asker.as_ref().map(|(account, contact, day)| Asker {
            account_id: account,
            contact_id: contact.as_deref(),
            asked_on: *day,
            note_id: note.as_deref(),
        });
        store.create_ask(&draft, who.as_ref(), Utc::now(), today())
    })
    .await
}

#[tauri::command]
pub async fn update_ask(state: State<'_, AppState>, id: String, input: AskInput) -> Result<Ask, CommandError> {
    let id = check_id("id", &id)?;
    let draft = validate::ask(&input)?;
    with_store(&state, move |store| store.update_ask(&id, &draft, Utc::now(), today())).await
}

#[tauri::command]
pub async fn add_asker(state: State<'_, AppState>, ask_id: String, asker: AskerInput) -> Result<Ask, CommandError> {
    let ask_id = check_id("ask_id", &ask_id)?;
    let (account, contact, day) = validate::asker(&asker, today())?;
    with_store(&state, move |store| {
        let who = Asker { account_id: &account, contact_id: contact.as_deref(), asked_on: day, note_id: None };
        store.add_asker(&ask_id, &who, Utc::now())
    })
    .await
}

#[tauri::command]
pub async fn remove_asker(state: State<'_, AppState>, ask_id: String, account_id: String) -> Result<Ask, CommandError> {
    let ask_id = check_id("ask_id", &ask_id)?;
    let account_id = check_id("account_id", &account_id)?;
    with_store(&state, move |store| store.remove_asker(&ask_id, &account_id)).await
}

#[tauri::command]
pub async fn delete_ask(state: State<'_, AppState>, id: String) -> Result<(), CommandError> {
    let id = check_id("id", &id)?;
    with_store(&state, move |store| store.delete_ask(&id)).await
}

/// Saves the ranked asks for the product team: `format` "csv" or "markdown".
#[tauri::command]
pub async fn export_asks<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    format: String,
) -> Result<Option<String>, CommandError> {
    let view = with_store(&state, move |store| store.asks(today())).await?;
    match format.as_str() {
        "csv" => {
            let name = format!("customer-asks-{}.csv", today());
            super::files::save_as(&app, &name, "Spreadsheet (.csv)", &["csv"], csm_core::asks::to_csv(&view)).await
        }
        "markdown" => {
            let name = format!("customer-asks-{}.md", today());
            let text = csm_core::asks::to_markdown(&view, today()).into_bytes();
            super::files::save_as(&app, &name, "Markdown (.md)", &["md"], text).await
        }
        _ => Err(csm_core::Error::invalid("format", "Choose CSV or Markdown.").into()),
    }
}
