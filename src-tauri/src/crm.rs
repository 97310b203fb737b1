//! The app's CRM sync service: `csm_crm::service::SyncService` with the OS keychain for secrets
//! and the CSM's browser for the Salesforce sign-in.

use std::sync::Arc;

use csm_crm::service::SyncService;
use csm_crm::CrmError;

/// The service the app runs: credentials in the OS keychain, the sign-in in the CSM's browser.
pub fn sync_service() -> Arc<SyncService> {
    Arc::new(SyncService::new(Arc::new(crate::secrets::OsKeychain), Box::new(open_browser)))
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
