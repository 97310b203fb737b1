//! What the sync engine needs from a CRM, whichever it is: pages of accounts, contacts and deals
//! changed since a watermark, what was removed, open tickets per account, and idempotent pushes of
//! notes and tasks. HubSpot and Salesforce implement it; the engine knows only this trait.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Utc};
use csm_core::model::{Deal, RemoteFields, RemoteRecord, SyncEntity, SyncField};
use csm_core::store::{PushNote, PushTask};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::fields::{amount, day, segment, text};

use crate::http::Http;
use crate::{CrmError, CrmSystem};

/// Records of one page, and the ones refused with the reason.
pub struct Page {
    pub records: Vec<RemoteRecord>,
    pub rejected: Vec<String>,
}

impl Page {
    pub fn new() -> Page {
        Page { records: Vec::new(), rejected: Vec::new() }
    }
}

impl Default for Page {
    fn default() -> Self {
        Self::new()
    }
}

/// Records as read, each either mapped or refused with the reason.
impl FromIterator<Result<RemoteRecord, String>> for Page {
    fn from_iter<I: IntoIterator<Item = Result<RemoteRecord, String>>>(items: I) -> Page {
        let mut page = Page::new();
        for item in items {
            match item {
                Ok(record) => page.records.push(record),
                Err(why) => page.rejected.push(why),
            }
        }
        page
    }
}

/// Which CRM fields hold the customer-success fields (custom fields in most CRMs); an empty name
/// leaves that field unmapped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldMap {
    pub arr: String,
    pub renewal_date: String,
    pub segment: String,
    pub licences: String,
}

impl FieldMap {
    pub fn hubspot() -> FieldMap {
        FieldMap {
            arr: "annualrevenue".into(),
            renewal_date: "renewal_date".into(),
            segment: "cs_segment".into(),
            licences: "licences_purchased".into(),
        }
    }

    pub fn salesforce() -> FieldMap {
        FieldMap {
            arr: "AnnualRevenue".into(),
            renewal_date: "Renewal_Date__c".into(),
            segment: "CS_Segment__c".into(),
            licences: "Licences__c".into(),
        }
    }

    /// The mapped CRM field names, without the unmapped ones.
    pub fn names(&self) -> impl Iterator<Item = &String> {
        [&self.arr, &self.renewal_date, &self.segment, &self.licences].into_iter().filter(|n| !n.trim().is_empty())
    }

    /// Reads the mapped fields of a record in the forms' words; an unknown segment is left out.
    pub fn read_into(&self, record: &Value, fields: &mut RemoteFields) {
        let mapped = [
            (SyncField::Arr, &self.arr),
            (SyncField::RenewalDate, &self.renewal_date),
            (SyncField::Segment, &self.segment),
            (SyncField::LicencesPurchased, &self.licences),
        ];
        for (field, name) in mapped {
            if name.trim().is_empty() {
                continue;
            }
            let value = text(record, name);
            let value = match field {
                SyncField::Arr | SyncField::LicencesPurchased => amount(&value),
                SyncField::RenewalDate => day(&value),
                _ => segment(&value),
            };
            if !(field == SyncField::Segment && value.is_empty()) {
                fields.insert(field, value);
            }
        }
    }
}

/// A CRM user who can own accounts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Owner {
    pub id: String,
    pub name: String,
    pub email: String,
}

/// Called with each page as it arrives; an error stops the pull.
pub type OnPage<'a> = &'a mut dyn FnMut(Page) -> Result<(), CrmError>;
/// Called with each page of deals and the ones refused with the reason.
pub type OnDeals<'a> = &'a mut dyn FnMut(Vec<Deal>, Vec<String>) -> Result<(), CrmError>;
/// Per item pushed: the CRM's id, or why the CRM refused that item (the others still land).
pub type Pushed = Vec<Result<String, String>>;

pub trait Connector: Send + Sync {
    fn system(&self) -> CrmSystem;
    fn http(&self) -> &Http;
    /// Checks the credentials (and the field mapping) with the cheapest read there is.
    fn test_connection(&self) -> Result<(), CrmError>;
    fn owners(&self) -> Result<BTreeMap<String, Owner>, CrmError>;
    /// True when only one owner's accounts are pulled (contacts are then kept to those accounts).
    fn scoped(&self) -> bool;
    /// Reads what the mapping of a pull needs (owner names), once per run.
    fn prepare(&self) -> Result<(), CrmError> {
        Ok(())
    }
    fn pull_accounts(&self, since: Option<DateTime<Utc>>, on_page: OnPage) -> Result<(), CrmError>;
    /// Contacts with the remote id of their account; people filed under no account are left out.
    fn pull_contacts(&self, since: Option<DateTime<Utc>>, on_page: OnPage) -> Result<(), CrmError>;
    fn pull_deals(&self, since: Option<DateTime<Utc>>, on_deals: OnDeals) -> Result<(), CrmError>;
    /// Open tickets (cases) per account: (open, urgent). A count of now, read whole each run.
    fn open_tickets(&self) -> Result<BTreeMap<String, (u32, u32)>, CrmError>;
    /// Records of `entity` removed in the CRM since `since`, as archived records (at least those
    /// among `known`). Returns how far removals are now known, the next run's `since`.
    fn removed(
        &self,
        entity: SyncEntity,
        since: Option<DateTime<Utc>>,
        known: &HashSet<String>,
        on_page: OnPage,
    ) -> Result<Option<DateTime<Utc>>, CrmError>;
    /// How many notes or tasks one push request carries.
    fn push_batch(&self) -> usize;
    /// Creates or updates each note by our own id (a repeat makes no second record).
    fn push_notes(&self, notes: &[PushNote]) -> Result<Pushed, CrmError>;
    fn push_tasks(&self, tasks: &[PushTask]) -> Result<Pushed, CrmError>;
}
