//! CRM connectors (HubSpot, Salesforce) and the sync engine. Knows `csm-core`, never Tauri.

pub mod calendar_feed;
pub mod connector;
pub mod engine;
pub mod fields;
pub mod http;
pub mod hubspot;
pub mod oauth;
pub mod salesforce;
pub mod service;

pub use connector::Connector;

/// Why a sync step failed, in words the CSM can act on. Never carries the token.
#[derive(Debug, thiserror::Error)]
pub enum CrmError {
    #[error("{0}")]
    Config(String),
    #[error("{0}")]
    Network(String),
    #[error("The CRM refused the token: it has expired or been revoked. Paste a new one in Settings.")]
    Unauthorized,
    #[error("Salesforce needs you to sign in again (the sign-in expired or was revoked): Sync → Connect.")]
    SignInAgain,
    #[error("The token is missing a permission: {0}")]
    Forbidden(String),
    #[error("{0}")]
    RateLimited(String),
    #[error("{0}")]
    Server(String),
    #[error("The CRM refused the request ({0}): {1}")]
    Rejected(u16, String),
    #[error("{0}")]
    Malformed(String),
    #[error("The sync was cancelled.")]
    Cancelled,
    #[error("Saving to the book failed: {0}")]
    Store(#[from] csm_core::Error),
    /// A form's input refused, with the field it belongs to.
    #[error("{0}")]
    Invalid(csm_core::Error),
}

pub use csm_core::model::CrmSystem;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_names_match_the_store_schema() {
        let schema = include_str!("../../core/migrations/0001_initial.sql");
        for system in [CrmSystem::Hubspot, CrmSystem::Salesforce] {
            assert!(schema.contains(&format!("'{}'", system.as_str())), "{system:?}");
        }
    }
}
