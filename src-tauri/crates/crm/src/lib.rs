//! CRM connectors (HubSpot, Salesforce) and the sync engine. Knows `csm-core`, never Tauri.
//!
//! The connectors and engine arrive with the sync capability; this crate holds the boundary
//! and the vocabulary they share.

use serde::{Deserialize, Serialize};

/// The CRMs CSM Desk can sync with (the `system` column of `crm_links`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CrmSystem {
    Hubspot,
    Salesforce,
}

impl CrmSystem {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Hubspot => "hubspot",
            Self::Salesforce => "salesforce",
        }
    }
}

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
