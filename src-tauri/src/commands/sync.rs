//! CRM sync (HubSpot or Salesforce, one at a time): connect (a HubSpot token, or the Salesforce
//! sign-in in the browser), with credentials kept in the OS keychain; sync on demand (pull into
//! staging) with progress and cancel; preview per field; apply with conflict resolutions, then
//! push; the log. The work runs off the UI thread; the engine and connectors live in `csm-crm`.

use chrono::Utc;
use csm_core::model::{CrmSettings, Deal, PreviewQuery, Resolution, SyncApplied, SyncPreview, SyncRun};
use csm_crm::connector::FieldMap;
use csm_crm::http::{check_base_url, Http, Limits};
use csm_crm::hubspot::HubSpot;
use csm_crm::oauth::{self, Loopback, Tokens};
use csm_crm::salesforce::{self, Salesforce, Session};
use csm_crm::{engine, Connector, CrmError, CrmSystem};
use serde::Serialize;
use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tauri::State;
use ts_rs::TS;

use super::{today, with_store};
use crate::state::SyncProgress;
use crate::{secrets, AppState, CommandError};

const TOKEN_MAX: usize = 4096;
/// How long the sign-in waits for the CSM in the browser.
const SIGN_IN_WAIT: Duration = Duration::from_secs(300);

/// The CRM connection as the Sync page shows it (never the token).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CrmStatus {
    /// "hubspot" or "salesforce"; empty when no CRM is connected.
    pub system: String,
    pub connected: bool,
    pub settings: CrmSettings,
    pub running: bool,
    pub last_run: Option<SyncRun>,
    /// Records pulled and waiting to be applied.
    pub staged: u32,
}

impl From<CrmError> for CommandError {
    fn from(e: CrmError) -> Self {
        match e {
            CrmError::Store(inner) => inner.into(),
            other => CommandError::invalid("crm", &other.to_string()),
        }
    }
}

fn system_of(text: &str) -> Result<CrmSystem, CommandError> {
    CrmSystem::parse(text).ok_or_else(|| CommandError::invalid("system", "Choose HubSpot or Salesforce."))
}

fn field_map(settings: &CrmSettings) -> FieldMap {
    FieldMap {
        arr: settings.arr_property.clone(),
        renewal_date: settings.renewal_property.clone(),
        segment: settings.segment_property.clone(),
        licences: settings.licences_property.clone(),
    }
}

/// Where this book keeps `system`'s secret: scoped to the book, bound to the address in `settings`.
fn scope(state: &AppState, system: CrmSystem, settings: &CrmSettings) -> Result<secrets::Scope, CommandError> {
    let book = state.store()?.book_id()?;
    Ok(secrets::Scope { system: system.as_str().to_owned(), book, address: settings.base_url.clone() })
}

/// Keeps Salesforce's tokens (rotated ones included) in the keychain, in the book's scope.
fn keeper(scope: secrets::Scope) -> salesforce::KeepTokens {
    Box::new(move |tokens: &Tokens| {
        let json = serde_json::to_string(tokens).map_err(|e| CrmError::Config(e.to_string()))?;
        secrets::save(&scope, &json).map_err(|e| CrmError::Config(e.message))
    })
}

/// What a connector signs in with: HubSpot's token, or the app's Salesforce session.
enum Credential {
    Token(String),
    Session(Arc<Session>),
}

fn session_from(settings: &CrmSettings, secret: &str, scope: secrets::Scope) -> Result<Arc<Session>, CrmError> {
    let tokens: Tokens = serde_json::from_str(secret).map_err(|_| CrmError::SignInAgain)?;
    Ok(Session::new(&settings.base_url, &settings.client_id, tokens, keeper(scope)))
}

/// The connector for the connected CRM.
fn connector(
    settings: &CrmSettings,
    credential: Credential,
    cancel: Arc<AtomicBool>,
) -> Result<Box<dyn Connector>, CrmError> {
    let owner = Some(settings.owner_id.clone()).filter(|o| !o.is_empty());
    match credential {
        Credential::Token(token) => {
            let http = Http::new(&settings.base_url, &token, Limits::default(), cancel)?;
            let mut hs = HubSpot::new(http, field_map(settings));
            hs.owner = owner;
            Ok(Box::new(hs))
        }
        Credential::Session(session) => {
            let mut sf = Salesforce::new(session, field_map(settings), salesforce::limits(), cancel)?;
            sf.owner = owner;
            Ok(Box::new(sf))
        }
    }
}

/// A CRM user who can own accounts (for choosing the sync's scope).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CrmOwner {
    pub id: String,
    pub name: String,
    pub email: String,
}

/// The connected CRM, if any (one at a time).
fn connected(store: &csm_core::Store) -> Result<Option<(CrmSystem, CrmSettings)>, csm_core::Error> {
    for system in [CrmSystem::Hubspot, CrmSystem::Salesforce] {
        if let Some(settings) = store.crm_settings(system.as_str())? {
            return Ok(Some((system, settings)));
        }
    }
    Ok(None)
}

fn connection(state: &AppState) -> Result<(CrmSystem, CrmSettings), CommandError> {
    connected(&*state.store()?)?
        .ok_or_else(|| CommandError::invalid("crm", "Connect HubSpot or Salesforce on the Sync page first."))
}

/// The connected CRM's credential: HubSpot's token from the keychain, or the app's one Salesforce
/// session (read from the keychain the first time).
fn credential(state: &AppState, system: CrmSystem, settings: &CrmSettings) -> Result<Credential, CommandError> {
    let mut shared = state.sync.salesforce.lock().unwrap_or_else(|p| p.into_inner());
    if let (CrmSystem::Salesforce, Some(session)) = (system, shared.as_ref()) {
        return Ok(Credential::Session(session.clone()));
    }
    let scope = scope(state, system, settings)?;
    let secret = secrets::load(&scope)?.ok_or_else(|| {
        CommandError::invalid(
            "token",
            &format!("The {} sign-in is missing from the keychain; connect again.", system.name()),
        )
    })?;
    match system {
        CrmSystem::Hubspot => Ok(Credential::Token(secret)),
        CrmSystem::Salesforce => {
            let session = session_from(settings, &secret, scope)?;
            *shared = Some(session.clone());
            Ok(Credential::Session(session))
        }
    }
}

/// Runs `work` with the connected CRM on a blocking thread (the blocking HTTP client lives and
/// dies there, never on the async runtime).
async fn with_crm<T: Send + 'static>(
    state: &AppState,
    cancel: Arc<AtomicBool>,
    work: impl FnOnce(&dyn Connector) -> Result<T, CrmError> + Send + 'static,
) -> Result<T, CommandError> {
    let (system, settings) = connection(state)?;
    let credential = credential(state, system, &settings)?;
    let out = tauri::async_runtime::spawn_blocking(move || work(&*connector(&settings, credential, cancel)?)).await??;
    Ok(out)
}

/// The CRM's users who own accounts, to sync only one of theirs.
#[tauri::command]
pub async fn crm_owners(state: State<'_, AppState>) -> Result<Vec<CrmOwner>, CommandError> {
    let owners = with_crm(&state, Arc::default(), |crm| crm.owners()).await?;
    Ok(owners.into_values().map(|o| CrmOwner { id: o.id, name: o.name, email: o.email }).collect())
}

/// Sets whose accounts are synced ("" for all).
#[tauri::command]
pub async fn set_crm_scope(state: State<'_, AppState>, owner_id: String) -> Result<CrmStatus, CommandError> {
    if owner_id.len() > 40 || !owner_id.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(CommandError::invalid("owner_id", "Choose one of the listed owners."));
    }
    with_store(&state, move |store| {
        let (system, mut settings) = connected(store)?.ok_or(csm_core::Error::NotFound("CRM connection"))?;
        settings.owner_id = owner_id;
        store.save_crm_settings(system.as_str(), Some(&settings))
    })
    .await?;
    crm_status(state).await
}

fn checked_settings(system: CrmSystem, settings: &CrmSettings) -> Result<CrmSettings, CommandError> {
    let base_url = check_base_url(&settings.base_url).map_err(|e| CommandError::invalid("base_url", &e.to_string()))?;
    let property = |field: &str, value: &str| -> Result<String, CommandError> {
        let v = value.trim();
        if v.len() > 100 || !v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            let words = format!("A {} field's API name has letters, digits and _ only.", system.name());
            return Err(CommandError::invalid(field, &words));
        }
        Ok(v.to_owned())
    };
    let mut checked = CrmSettings {
        base_url,
        arr_property: property("arr_property", &settings.arr_property)?,
        renewal_property: property("renewal_property", &settings.renewal_property)?,
        segment_property: property("segment_property", &settings.segment_property)?,
        licences_property: property("licences_property", &settings.licences_property)?,
        ..CrmSettings::default()
    };
    if system == CrmSystem::Salesforce {
        let key = settings.client_id.trim();
        if key.is_empty() || key.len() > 256 || !key.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)) {
            return Err(CommandError::invalid("client_id", "Paste the consumer key of your External Client App."));
        }
        if settings.callback_port < 1024 {
            return Err(CommandError::invalid("callback_port", "Choose a callback port from 1024 to 65535."));
        }
        checked.client_id = key.to_owned();
        checked.callback_port = settings.callback_port;
    }
    Ok(checked)
}

#[tauri::command]
pub async fn crm_status(state: State<'_, AppState>) -> Result<CrmStatus, CommandError> {
    let running = state.sync.running.load(Ordering::Relaxed);
    with_store(&state, move |store| {
        let connection = connected(store)?;
        let system = connection.as_ref().map_or("", |(s, _)| s.as_str());
        Ok(CrmStatus {
            system: system.to_owned(),
            connected: connection.is_some(),
            staged: if system.is_empty() { 0 } else { store.staged_count(system)? },
            settings: connection.map(|(_, s)| s).unwrap_or_default(),
            running,
            last_run: store.sync_runs(1)?.into_iter().next(),
        })
    })
    .await
}

/// The connection form's defaults for a CRM.
#[tauri::command]
pub fn crm_defaults(system: String) -> Result<CrmSettings, CommandError> {
    Ok(CrmSettings::for_system(system_of(&system)?.as_str()))
}

async fn refuse_second_crm(state: &AppState, wanted: CrmSystem) -> Result<(), CommandError> {
    let other = with_store(state, connected).await?;
    match other {
        Some((system, _)) if system != wanted => Err(CommandError::invalid(
            "system",
            &format!("{} is connected; disconnect it first (one CRM at a time).", system.name()),
        )),
        _ => Ok(()),
    }
}

async fn finish_connect(
    state: State<'_, AppState>,
    system: CrmSystem,
    settings: CrmSettings,
) -> Result<CrmStatus, CommandError> {
    with_store(&state, move |store| store.save_crm_settings(system.as_str(), Some(&settings))).await?;
    log::info!("{} connected", system.name());
    crm_status(state).await
}

/// Checks the token against HubSpot, then keeps it in the keychain and the settings in the book.
#[tauri::command]
pub async fn connect_hubspot(
    state: State<'_, AppState>,
    settings: CrmSettings,
    token: String,
) -> Result<CrmStatus, CommandError> {
    let settings = checked_settings(CrmSystem::Hubspot, &settings)?;
    let token = token.trim().to_owned();
    if token.is_empty() || token.len() > TOKEN_MAX || token.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(CommandError::invalid("token", "Paste the Service Key or private-app token as HubSpot shows it."));
    }
    refuse_second_crm(&state, CrmSystem::Hubspot).await?;
    let (checked, key, cancel) = (settings.clone(), token.clone(), Arc::default());
    tauri::async_runtime::spawn_blocking(move || {
        connector(&checked, Credential::Token(key), cancel)?.test_connection()
    })
    .await??;
    secrets::save(&scope(&state, CrmSystem::Hubspot, &settings)?, &token)?;
    finish_connect(state, CrmSystem::Hubspot, settings).await
}

/// Opens the sign-in page in the CSM's browser. In the WebDriver suite (`e2e` builds with
/// `CSM_DESK_E2E_SAVE_DIR`), the page's address is written there instead: the test plays the browser.
fn open_browser(url: &str) -> Result<(), CrmError> {
    #[cfg(feature = "e2e")]
    if let Some(dir) = std::env::var_os("CSM_DESK_E2E_SAVE_DIR") {
        let path = std::path::Path::new(&dir).join("salesforce-sign-in.url");
        return std::fs::write(path, url).map_err(|e| CrmError::Config(e.to_string()));
    }
    tauri_plugin_opener::open_url(url, None::<&str>)
        .map_err(|_| CrmError::Config("Could not open your browser for the Salesforce sign-in.".into()))
}

/// The web-server flow with PKCE: listen on the loopback port, open the authorize page, wait for
/// the redirect, exchange the code (no client secret).
fn sign_in(settings: &CrmSettings, cancel: &AtomicBool) -> Result<Tokens, CrmError> {
    let loopback = Loopback::bind(settings.callback_port)?;
    let (pkce, state) = (oauth::pkce()?, oauth::state()?);
    let redirect = loopback.redirect_uri();
    open_browser(&oauth::authorize_url(&settings.base_url, &settings.client_id, &redirect, &pkce.challenge, &state))?;
    let code = loopback.wait_for_code(&state, SIGN_IN_WAIT, cancel)?;
    oauth::exchange_code(&settings.base_url, &settings.client_id, &code, &pkce.verifier, &redirect)
}

/// Signs in to Salesforce in the browser, checks the session and the field mapping, then keeps
/// the tokens (and `instance_url`) in the keychain and the settings in the book. Cancel stops
/// the wait.
#[tauri::command]
pub async fn connect_salesforce(state: State<'_, AppState>, settings: CrmSettings) -> Result<CrmStatus, CommandError> {
    let settings = checked_settings(CrmSystem::Salesforce, &settings)?;
    refuse_second_crm(&state, CrmSystem::Salesforce).await?;
    if state.sync.running.swap(true, Ordering::SeqCst) {
        return Err(CommandError::invalid("sync", "A sync or sign-in is already running."));
    }
    let cancel = state.sync.cancellable();
    let kept = match scope(&state, CrmSystem::Salesforce, &settings) {
        Ok(kept) => kept,
        Err(e) => {
            state.sync.running.store(false, Ordering::SeqCst);
            return Err(e);
        }
    };
    let checked = settings.clone();
    let signed_in = tauri::async_runtime::spawn_blocking(move || -> Result<Arc<Session>, CrmError> {
        let tokens = sign_in(&checked, &cancel)?;
        // Kept first: checking the session may already rotate the refresh token.
        keeper(kept.clone())(&tokens)?;
        let session = Session::new(&checked.base_url, &checked.client_id, tokens, keeper(kept.clone()));
        let tested = connector(&checked, Credential::Session(session.clone()), cancel)?.test_connection();
        if tested.is_err() {
            let _ = secrets::forget(&kept);
        }
        tested.map(|()| session)
    })
    .await;
    state.sync.running.store(false, Ordering::SeqCst);
    let session = match signed_in? {
        Err(CrmError::Cancelled) => return Err(CommandError::invalid("crm", "The sign-in was cancelled.")),
        other => other?,
    };
    *state.sync.salesforce.lock().unwrap_or_else(|p| p.into_inner()) = Some(session);
    finish_connect(state, CrmSystem::Salesforce, settings).await
}

/// Forgets the credentials (keychain; Salesforce's refresh token is also revoked, when it can be
/// reached) and the connection; records already synced stay.
#[tauri::command]
pub async fn disconnect_crm(state: State<'_, AppState>) -> Result<CrmStatus, CommandError> {
    let Some((system, settings)) = with_store(&state, connected).await? else {
        return crm_status(state).await;
    };
    let kept = scope(&state, system, &settings)?;
    if system == CrmSystem::Salesforce {
        if let Some(tokens) = secrets::load(&kept)?.and_then(|s| serde_json::from_str::<Tokens>(&s).ok()) {
            let login = settings.base_url.clone();
            let _ = tauri::async_runtime::spawn_blocking(move || oauth::revoke(&login, &tokens.refresh_token)).await;
        }
    }
    secrets::forget(&kept)?;
    *state.sync.salesforce.lock().unwrap_or_else(|p| p.into_inner()) = None;
    with_store(&state, move |store| store.save_crm_settings(system.as_str(), None)).await?;
    crm_status(state).await
}

/// Pulls what changed into the preview. One at a time; progress via `sync_progress`.
#[tauri::command]
pub async fn sync_now(state: State<'_, AppState>) -> Result<SyncRun, CommandError> {
    if state.sync.running.swap(true, Ordering::SeqCst) {
        return Err(CommandError::invalid("sync", "A sync is already running."));
    }
    let result = run_sync(&state).await;
    state.sync.running.store(false, Ordering::SeqCst);
    *state.sync.progress.lock().unwrap_or_else(|p| p.into_inner()) = None;
    result
}

async fn run_sync(state: &AppState) -> Result<SyncRun, CommandError> {
    let store = state.store()?;
    let progress = state.sync.progress.clone();
    let run = with_crm(state, state.sync.cancellable(), move |crm| {
        engine::pull_run(&store, crm, &mut |p| {
            let now = SyncProgress {
                phase: p.phase.clone(),
                pulled: p.pulled as u32,
                pushed: p.pushed as u32,
                requests: p.requests as u32,
            };
            *progress.lock().unwrap_or_else(|e| e.into_inner()) = Some(now);
        })
    })
    .await?;
    log::info!("sync {}: {} pulled, {} pushed, {} errors", run.status, run.pulled, run.pushed, run.errors.len());
    Ok(run)
}

#[tauri::command]
pub async fn sync_progress(state: State<'_, AppState>) -> Result<Option<SyncProgress>, CommandError> {
    Ok(state.sync.progress.lock().unwrap_or_else(|p| p.into_inner()).clone())
}

#[tauri::command]
pub async fn cancel_sync(state: State<'_, AppState>) -> Result<(), CommandError> {
    state.sync.cancel();
    Ok(())
}

/// One page of the preview (all of it when no query is given).
#[tauri::command]
pub async fn sync_preview(
    state: State<'_, AppState>,
    query: Option<PreviewQuery>,
) -> Result<SyncPreview, CommandError> {
    let query = query.unwrap_or_else(PreviewQuery::everything);
    if query.text.chars().count() > 200 || query.text.chars().any(char::is_control) {
        return Err(CommandError::invalid("text", "Search for at most 200 characters of plain text."));
    }
    with_store(&state, move |store| match connected(store)? {
        Some((system, _)) => store.sync_preview_page(system.as_str(), &query),
        None => Ok(SyncPreview::default()),
    })
    .await
}

/// Applies the previewed records (all, or the remote ids given, or all but `skip_ids`) with the
/// CSM's conflict choices, then pushes the notes and tasks chosen (all waiting ones when
/// `push_ids` is None, less `held_ids`; none for an empty list). A push that cannot reach the
/// CRM leaves them waiting and says why.
#[tauri::command]
pub async fn apply_sync(
    state: State<'_, AppState>,
    remote_ids: Option<Vec<String>>,
    resolutions: Vec<Resolution>,
    push_ids: Option<Vec<String>>,
    skip_ids: Option<Vec<String>>,
    held_ids: Option<Vec<String>>,
) -> Result<SyncApplied, CommandError> {
    let bad = |t: &str| t.is_empty() || t.len() > 64 || t.chars().any(char::is_control);
    let bad_ids = |ids: &Option<Vec<String>>| ids.iter().flatten().any(|id| bad(id));
    let any_bad = [&remote_ids, &push_ids, &skip_ids, &held_ids].into_iter().any(bad_ids);
    if any_bad || resolutions.iter().any(|r| bad(&r.remote_id) || bad(&r.field)) {
        return Err(CommandError::invalid("remote_ids", "That is not a record of the preview."));
    }
    let (system, _) = connection(&state)?;
    let skip: HashSet<String> = skip_ids.into_iter().flatten().collect();
    let mut applied = with_store(&state, move |store| {
        let only = match remote_ids {
            None if !skip.is_empty() => {
                Some(store.staged_ids(system.as_str())?.into_iter().filter(|id| !skip.contains(id)).collect())
            }
            ids => ids,
        };
        store.apply_sync(system.as_str(), only.as_deref(), &resolutions, Utc::now(), today())
    })
    .await?;
    let chosen: Option<HashSet<String>> = push_ids.map(|ids| ids.into_iter().collect());
    let held: HashSet<String> = held_ids.into_iter().flatten().collect();
    let outbox = with_store(&state, move |store| {
        let mut outbox = engine::Outbox::load(store, system.as_str(), chosen.as_ref())?;
        outbox.notes.retain(|n| !held.contains(&n.local_id));
        outbox.tasks.retain(|t| !held.contains(&t.local_id));
        Ok(outbox)
    })
    .await?;
    if !outbox.is_empty() {
        let store = state.store()?;
        let run =
            with_crm(&state, Arc::default(), move |crm| engine::push_outbox(&store, crm, &outbox, &mut |_| {})).await?;
        applied.pushed = run.pushed;
        applied.push_errors = run.errors;
    }
    // The playbooks meet the accounts just applied (within the day's limit); after the push, so
    // nothing they create is pushed before the CSM has seen it.
    with_store(&state, |store| store.run_playbooks(today(), Utc::now())).await?;
    Ok(applied)
}

#[tauri::command]
pub async fn sync_log(state: State<'_, AppState>) -> Result<Vec<SyncRun>, CommandError> {
    with_store(&state, |store| store.sync_runs(50)).await
}

/// An account's renewals and upsells as the CRM has them.
#[tauri::command]
pub async fn account_deals(state: State<'_, AppState>, account_id: String) -> Result<Vec<Deal>, CommandError> {
    let account_id = super::check_id("account_id", &account_id)?;
    with_store(&state, move |store| store.account_deals(&account_id)).await
}
