//! The sync service: everything the Sync page does, in one place. Connect (a HubSpot token, or
//! the Salesforce sign-in in the browser), the credentials in the keychain (scoped to the book and
//! bound to the address), the app's one Salesforce session, one CRM and one sync at a time, pull
//! with progress and cancel, preview, apply then push, disconnect, the run log. Blocking: the
//! desktop shell calls it off the UI thread and knows nothing of its steps.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use parking_lot::{Mutex, MutexGuard};
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use csm_core::model::{
    CrmOwner, CrmSettings, CrmStatus, Deal, PreviewQuery, Resolution, SyncApplied, SyncPreview, SyncProgress, SyncRun,
};
use csm_core::{validate, FieldError, Store};

use crate::connector::FieldMap;
use crate::http::Limits;
use crate::hubspot::HubSpot;
use crate::oauth::{self, Loopback, Tokens};
use crate::salesforce::{self, Salesforce, Session};
use crate::{engine, Connector, CrmError, CrmSystem};

const TOKEN_MAX: usize = 4096;
/// Disconnect and Apply wait for no one: they are refused while a sync or sign-in runs.
const WAIT_FOR_THE_SYNC: &str = "A sync is running: wait for it to finish (or cancel it), then try again.";
/// How long the sign-in waits for the CSM in the browser.
const SIGN_IN_WAIT: Duration = Duration::from_secs(300);

/// Whose secret: which CRM, for which book, issued by which address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub system: String,
    pub book: String,
    pub address: String,
}

/// Where secrets are kept (the OS keychain, in the app): never the database, logs or errors.
pub trait Keychain: Send + Sync {
    fn save(&self, scope: &Scope, secret: &str) -> Result<(), CrmError>;
    /// `None` when there is none, or it was issued for another address.
    fn load(&self, scope: &Scope) -> Result<Option<String>, CrmError>;
    fn forget(&self, scope: &Scope) -> Result<(), CrmError>;
}

/// Opens a web page in the CSM's browser (the Salesforce sign-in).
pub type OpenBrowser = Box<dyn Fn(&str) -> Result<(), CrmError> + Send + Sync>;

/// What Apply is asked to do: which previewed records (all, `remote_ids`, or all but `skip_ids`)
/// with which conflict choices, then which waiting notes and tasks to push (all when `push_ids`
/// is None, less `held_ids`; none for an empty list).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ApplyRequest {
    pub remote_ids: Option<Vec<String>>,
    pub resolutions: Vec<Resolution>,
    pub push_ids: Option<Vec<String>>,
    pub skip_ids: Option<Vec<String>>,
    pub held_ids: Option<Vec<String>>,
}

pub struct SyncService {
    keychain: Arc<dyn Keychain>,
    open_browser: OpenBrowser,
    /// A sync or sign-in is under way (one at a time).
    running: AtomicBool,
    /// The cancel switch of the operation under way: one per operation, so a cancel never
    /// outlives the operation it stopped.
    cancel: Mutex<Arc<AtomicBool>>,
    /// The one Salesforce session of the app, shared by every call, so that concurrent requests
    /// meeting an expired session refresh it once (its refresh token rotates).
    salesforce: Mutex<Option<Arc<Session>>>,
}

/// A form's problem, shown beside its field.
fn invalid(field: &str, message: &str) -> CrmError {
    CrmError::Invalid(csm_core::Error::Invalid(vec![FieldError::new(field, message)]))
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock()
}

/// What a connector signs in with: HubSpot's token, or the app's Salesforce session.
enum Credential {
    Token(String),
    Session(Arc<Session>),
}

/// Marks the service busy for as long as it lives.
struct Running<'a>(&'a AtomicBool);

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::SeqCst);
    }
}

impl SyncService {
    pub fn new(keychain: Arc<dyn Keychain>, open_browser: OpenBrowser) -> SyncService {
        SyncService {
            keychain,
            open_browser,
            running: AtomicBool::new(false),
            cancel: Mutex::default(),
            salesforce: Mutex::default(),
        }
    }

    /// The connection as the Sync page shows it.
    pub fn status(&self, store: &Store) -> Result<CrmStatus, CrmError> {
        let connection = connected(store)?;
        let system = connection.as_ref().map_or("", |(s, _)| s.as_str());
        Ok(CrmStatus {
            system: system.to_owned(),
            connected: connection.is_some(),
            staged: if system.is_empty() { 0 } else { store.staged_count(system)? },
            settings: connection.map(|(_, s)| s).unwrap_or_default(),
            running: self.running.load(Ordering::Relaxed),
            last_run: store.sync_runs(1)?.into_iter().next(),
        })
    }

    /// Checks the token against HubSpot, then keeps it in the keychain and the settings in the book.
    pub fn connect_hubspot(&self, store: &Store, settings: &CrmSettings, token: &str) -> Result<CrmStatus, CrmError> {
        let settings = validate::crm_settings(CrmSystem::Hubspot, settings).map_err(CrmError::Invalid)?;
        let token = token.trim();
        if token.is_empty() || token.len() > TOKEN_MAX || token.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid("token", "Paste the Service Key or private-app token as HubSpot shows it."));
        }
        refuse_second_crm(store, CrmSystem::Hubspot)?;
        connector(&settings, Credential::Token(token.to_owned()), Arc::default())?.test_connection()?;
        self.keychain.save(&scope(store, CrmSystem::Hubspot, &settings)?, token)?;
        self.finish_connect(store, CrmSystem::Hubspot, &settings)
    }

    /// Signs in to Salesforce in the browser (the web-server flow with PKCE), checks the session
    /// and the field mapping, then keeps the tokens in the keychain and the settings in the book.
    /// Cancel stops the wait.
    pub fn connect_salesforce(&self, store: &Store, settings: &CrmSettings) -> Result<CrmStatus, CrmError> {
        let settings = validate::crm_settings(CrmSystem::Salesforce, settings).map_err(CrmError::Invalid)?;
        refuse_second_crm(store, CrmSystem::Salesforce)?;
        let (_running, cancel) = self.start("A sync or sign-in is already running.")?;
        let kept = scope(store, CrmSystem::Salesforce, &settings)?;
        let signed_in = (|| {
            let tokens = self.sign_in(&settings, &cancel)?;
            // Kept first: checking the session may already rotate the refresh token.
            self.keeper(kept.clone())(&tokens)?;
            let session = Session::new(&settings.base_url, &settings.client_id, tokens, self.keeper(kept.clone()));
            let tested = connector(&settings, Credential::Session(session.clone()), cancel)?.test_connection();
            if tested.is_err() {
                // Signed in but unusable here: nothing of it is kept, and the CRM forgets it too.
                let _ = self.keychain.forget(&kept);
                oauth::revoke(&settings.base_url, &session.refresh_token());
            }
            tested.map(|()| session)
        })();
        let session = match signed_in {
            Err(CrmError::Cancelled) => return Err(invalid("crm", "The sign-in was cancelled.")),
            other => other?,
        };
        *lock(&self.salesforce) = Some(session);
        self.finish_connect(store, CrmSystem::Salesforce, &settings)
    }

    /// Forgets the credentials (keychain; Salesforce's refresh token is also revoked, when it can
    /// be reached) and the connection; records already synced stay.
    pub fn disconnect(&self, store: &Store) -> Result<CrmStatus, CrmError> {
        let _running = self.start(WAIT_FOR_THE_SYNC)?;
        let Some((system, settings)) = connected(store)? else { return self.status(store) };
        let kept = scope(store, system, &settings)?;
        if system == CrmSystem::Salesforce {
            if let Some(tokens) = self.keychain.load(&kept)?.and_then(|s| serde_json::from_str::<Tokens>(&s).ok()) {
                oauth::revoke(&settings.base_url, &tokens.refresh_token);
            }
        }
        self.keychain.forget(&kept)?;
        *lock(&self.salesforce) = None;
        store.save_crm_settings(system.as_str(), None)?;
        self.status(store)
    }

    /// The CRM's users who own accounts, to sync only one of theirs.
    pub fn owners(&self, store: &Store) -> Result<Vec<CrmOwner>, CrmError> {
        let owners = self.with_crm(store, Arc::default(), |crm| crm.owners())?;
        Ok(owners.into_values().map(|o| CrmOwner { id: o.id, name: o.name, email: o.email }).collect())
    }

    /// Sets whose accounts are synced ("" for all).
    pub fn set_scope(&self, store: &Store, owner_id: &str) -> Result<CrmStatus, CrmError> {
        let owner_id = validate::crm_owner_id(owner_id).map_err(CrmError::Invalid)?;
        let (system, mut settings) = connection(store)?;
        settings.owner_id = owner_id;
        store.save_crm_settings(system.as_str(), Some(&settings))?;
        self.status(store)
    }

    /// Pulls what changed into the preview, telling `progress` as it goes.
    pub fn sync_now(&self, store: &Store, progress: &mut dyn FnMut(SyncProgress)) -> Result<SyncRun, CrmError> {
        let (_running, cancel) = self.start("A sync is already running.")?;
        let run = self.with_crm(store, cancel, |crm| {
            engine::pull_run(store, crm, &mut |p| {
                progress(SyncProgress {
                    phase: p.phase.clone(),
                    pulled: p.pulled as u32,
                    pushed: p.pushed as u32,
                    requests: p.requests as u32,
                })
            })
        })?;
        log::info!("sync {}: {} pulled, {} pushed, {} errors", run.status, run.pulled, run.pushed, run.errors.len());
        Ok(run)
    }

    /// Cancels the sync or sign-in under way (nothing else).
    pub fn cancel(&self) {
        lock(&self.cancel).store(true, Ordering::SeqCst);
    }

    /// One page of the preview (all of it when no query is given).
    pub fn preview(&self, store: &Store, query: Option<PreviewQuery>) -> Result<SyncPreview, CrmError> {
        let query =
            validate::preview_query(query.unwrap_or_else(PreviewQuery::everything)).map_err(CrmError::Invalid)?;
        match connected(store)? {
            Some((system, _)) => Ok(store.sync_preview_page(system.as_str(), &query)?),
            None => Ok(SyncPreview::default()),
        }
    }

    /// Applies the chosen records, then pushes the chosen notes and tasks; a push that cannot
    /// reach the CRM leaves them waiting and says why. When records changed, the playbooks then
    /// meet them (within the day's limit), after the push, so nothing they create is pushed before
    /// the CSM has seen it.
    pub fn apply(
        &self,
        store: &Store,
        request: ApplyRequest,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<SyncApplied, CrmError> {
        check_apply(&request)?;
        let _running = self.start(WAIT_FOR_THE_SYNC)?;
        let (system, _) = connection(store)?;
        let skip: HashSet<String> = request.skip_ids.into_iter().flatten().collect();
        let only = match request.remote_ids {
            None if !skip.is_empty() => {
                Some(store.staged_ids(system.as_str())?.into_iter().filter(|id| !skip.contains(id)).collect())
            }
            ids => ids,
        };
        let mut applied = store.apply_sync(system.as_str(), only.as_deref(), &request.resolutions, now, today)?;
        let chosen: Option<HashSet<String>> = request.push_ids.map(|ids| ids.into_iter().collect());
        let held: HashSet<String> = request.held_ids.into_iter().flatten().collect();
        let mut outbox = engine::Outbox::load(store, system.as_str(), chosen.as_ref())?;
        outbox.notes.retain(|n| !held.contains(&n.local_id));
        outbox.tasks.retain(|t| !held.contains(&t.local_id));
        if !outbox.is_empty() {
            let run =
                self.with_crm(store, Arc::default(), |crm| engine::push_outbox(store, crm, &outbox, &mut |_| {}))?;
            applied.pushed = run.pushed;
            applied.push_errors = run.errors;
        }
        if applied.created + applied.updated + applied.archived > 0 {
            store.run_playbooks(today, now)?;
        }
        Ok(applied)
    }

    pub fn log(&self, store: &Store) -> Result<Vec<SyncRun>, CrmError> {
        Ok(store.sync_runs(50)?)
    }

    /// An account's renewals and upsells as the CRM has them.
    pub fn deals(&self, store: &Store, account_id: &str) -> Result<Vec<Deal>, CrmError> {
        Ok(store.account_deals(account_id)?)
    }

    /// Keeps every sync and sign-in out while the book is replaced (a restore); refused while
    /// one runs. The hold ends when the returned guard is dropped.
    pub fn hold(&self) -> Result<impl Drop + '_, CrmError> {
        Ok(self.start(WAIT_FOR_THE_SYNC)?.0)
    }

    /// Marks the service busy with a fresh cancel switch; refused while another operation runs.
    fn start(&self, busy: &str) -> Result<(Running<'_>, Arc<AtomicBool>), CrmError> {
        if self.running.swap(true, Ordering::SeqCst) {
            return Err(invalid("sync", busy));
        }
        let switch = Arc::new(AtomicBool::new(false));
        *lock(&self.cancel) = switch.clone();
        Ok((Running(&self.running), switch))
    }

    fn finish_connect(&self, store: &Store, system: CrmSystem, settings: &CrmSettings) -> Result<CrmStatus, CrmError> {
        store.save_crm_settings(system.as_str(), Some(settings))?;
        log::info!("{} connected", system.name());
        self.status(store)
    }

    /// Listens on the loopback port, opens the authorize page, waits for the redirect and
    /// exchanges the code (no client secret).
    fn sign_in(&self, settings: &CrmSettings, cancel: &AtomicBool) -> Result<Tokens, CrmError> {
        let loopback = Loopback::bind(settings.callback_port)?;
        let (pkce, state) = (oauth::pkce()?, oauth::state()?);
        let redirect = loopback.redirect_uri();
        let page = oauth::authorize_url(&settings.base_url, &settings.client_id, &redirect, &pkce.challenge, &state);
        (self.open_browser)(&page)?;
        let code = loopback.wait_for_code(&state, SIGN_IN_WAIT, cancel)?;
        oauth::exchange_code(&settings.base_url, &settings.client_id, &code, &pkce.verifier, &redirect)
    }

    /// Keeps Salesforce's tokens (rotated ones included) in the keychain, in the book's scope.
    fn keeper(&self, scope: Scope) -> salesforce::KeepTokens {
        let keychain = self.keychain.clone();
        Box::new(move |tokens: &Tokens| {
            let json = serde_json::to_string(tokens).map_err(|e| CrmError::Config(e.to_string()))?;
            keychain.save(&scope, &json)
        })
    }

    /// The connected CRM's credential: HubSpot's token from the keychain, or the app's one
    /// Salesforce session (read from the keychain the first time).
    fn credential(&self, store: &Store, system: CrmSystem, settings: &CrmSettings) -> Result<Credential, CrmError> {
        let mut shared = lock(&self.salesforce);
        if let (CrmSystem::Salesforce, Some(session)) = (system, shared.as_ref()) {
            return Ok(Credential::Session(session.clone()));
        }
        let kept = scope(store, system, settings)?;
        let missing =
            || invalid("token", &format!("The {} sign-in is missing from the keychain; connect again.", system.name()));
        let secret = self.keychain.load(&kept)?.ok_or_else(missing)?;
        match system {
            CrmSystem::Hubspot => Ok(Credential::Token(secret)),
            CrmSystem::Salesforce => {
                let tokens: Tokens = serde_json::from_str(&secret).map_err(|_| CrmError::SignInAgain)?;
                let session = Session::new(&settings.base_url, &settings.client_id, tokens, self.keeper(kept));
                *shared = Some(session.clone());
                Ok(Credential::Session(session))
            }
        }
    }

    /// Runs `work` with the connected CRM.
    fn with_crm<T>(
        &self,
        store: &Store,
        cancel: Arc<AtomicBool>,
        work: impl FnOnce(&dyn Connector) -> Result<T, CrmError>,
    ) -> Result<T, CrmError> {
        let (system, settings) = connection(store)?;
        let credential = self.credential(store, system, &settings)?;
        work(&*connector(&settings, credential, cancel)?)
    }
}

fn field_map(settings: &CrmSettings) -> FieldMap {
    FieldMap {
        arr: settings.arr_property.clone(),
        renewal_date: settings.renewal_property.clone(),
        segment: settings.segment_property.clone(),
        licences: settings.licences_property.clone(),
    }
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
            let hubspot = HubSpot::new(&settings.base_url, &token, field_map(settings), Limits::default(), cancel)?;
            Ok(Box::new(hubspot.scoped_to(owner)))
        }
        Credential::Session(session) => {
            Ok(Box::new(Salesforce::new(session, field_map(settings), salesforce::limits(), cancel)?.scoped_to(owner)))
        }
    }
}

/// Where this book keeps `system`'s secret: scoped to the book, bound to the address in `settings`.
fn scope(store: &Store, system: CrmSystem, settings: &CrmSettings) -> Result<Scope, CrmError> {
    Ok(Scope { system: system.as_str().to_owned(), book: store.book_id()?, address: settings.base_url.clone() })
}

/// The connected CRM, if any (one at a time).
fn connected(store: &Store) -> Result<Option<(CrmSystem, CrmSettings)>, CrmError> {
    for system in [CrmSystem::Hubspot, CrmSystem::Salesforce] {
        if let Some(settings) = store.crm_settings(system.as_str())? {
            return Ok(Some((system, settings)));
        }
    }
    Ok(None)
}

fn connection(store: &Store) -> Result<(CrmSystem, CrmSettings), CrmError> {
    connected(store)?.ok_or_else(|| invalid("crm", "Connect HubSpot or Salesforce on the Sync page first."))
}

fn refuse_second_crm(store: &Store, wanted: CrmSystem) -> Result<(), CrmError> {
    match connected(store)? {
        Some((system, _)) if system != wanted => {
            Err(invalid("system", &format!("{} is connected; disconnect it first (one CRM at a time).", system.name())))
        }
        _ => Ok(()),
    }
}

/// Ids and field names in an Apply request are the preview's own: short, printable.
fn check_apply(request: &ApplyRequest) -> Result<(), CrmError> {
    let bad = |t: &str| t.is_empty() || t.len() > 64 || t.chars().any(char::is_control);
    let bad_ids = |ids: &Option<Vec<String>>| ids.iter().flatten().any(|id| bad(id));
    let lists = [&request.remote_ids, &request.push_ids, &request.skip_ids, &request.held_ids];
    if lists.into_iter().any(bad_ids) || request.resolutions.iter().any(|r| bad(&r.remote_id)) {
        return Err(invalid("remote_ids", "That is not a record of the preview."));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    struct NoKeychain;

    impl Keychain for NoKeychain {
        fn save(&self, _: &Scope, _: &str) -> Result<(), CrmError> {
            Ok(())
        }
        fn load(&self, _: &Scope) -> Result<Option<String>, CrmError> {
            Ok(None)
        }
        fn forget(&self, _: &Scope) -> Result<(), CrmError> {
            Ok(())
        }
    }

    fn field(err: CrmError) -> String {
        match err {
            CrmError::Invalid(csm_core::Error::Invalid(fields)) => fields[0].field.clone(),
            other => panic!("not a form's problem: {other}"),
        }
    }

    #[test]
    fn apply_and_disconnect_wait_for_no_running_sync() {
        let store = Store::open_in_memory().expect("store");
        store.start_book(None, Utc::now()).expect("book");
        let service = SyncService::new(Arc::new(NoKeychain), Box::new(|_| Ok(())));
        let today = Utc::now().date_naive();
        {
            let _sync = service.start("running").expect("a sync starts");
            let refused = service.apply(&store, ApplyRequest::default(), Utc::now(), today).unwrap_err();
            assert_eq!(field(refused), "sync");
            assert_eq!(field(service.disconnect(&store).unwrap_err()), "sync");
            assert!(service.status(&store).expect("status").running);
        }
        assert!(!service.status(&store).expect("status").running, "done when the sync ends");
        let unconnected = service.apply(&store, ApplyRequest::default(), Utc::now(), today).unwrap_err();
        assert_eq!(field(unconnected), "crm", "past the wait: nothing is connected");
        assert!(!service.disconnect(&store).expect("nothing to disconnect").connected);
    }
}
