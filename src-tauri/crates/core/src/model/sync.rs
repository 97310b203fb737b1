//! CRM sync as the store sees it: records pulled from the CRM (staged until the CSM applies
//! them), what applying would change per field, conflicts and their resolution, and the log.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SyncEntity {
    Account,
    Contact,
}

impl SyncEntity {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Account => "account",
            Self::Contact => "contact",
        }
    }
}

/// A field sync reads from a CRM (or fills for a new record), named as the local forms name it
/// (`AccountInput` / `ContactInput`). One name for the store, both connectors and the Sync
/// page's labels: renaming one fails to compile in each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SyncField {
    Name,
    Domain,
    Industry,
    Employees,
    Owner,
    Arr,
    Currency,
    RenewalDate,
    Segment,
    LifecycleStage,
    LicencesPurchased,
    Email,
    Title,
    Phone,
    Role,
}

impl SyncField {
    /// The form field's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Domain => "domain",
            Self::Industry => "industry",
            Self::Employees => "employees",
            Self::Owner => "owner",
            Self::Arr => "arr",
            Self::Currency => "currency",
            Self::RenewalDate => "renewal_date",
            Self::Segment => "segment",
            Self::LifecycleStage => "lifecycle_stage",
            Self::LicencesPurchased => "licences_purchased",
            Self::Email => "email",
            Self::Title => "title",
            Self::Phone => "phone",
            Self::Role => "role",
        }
    }

    /// The field of a form field's name, if sync reads it.
    pub fn parse(name: &str) -> Option<SyncField> {
        serde_json::from_value(serde_json::Value::from(name)).ok()
    }
}

/// A record's fields as a CRM has them, in the forms' words.
pub type RemoteFields = BTreeMap<SyncField, String>;

/// A record as the CRM has it, in the words of the local forms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RemoteRecord {
    pub entity: SyncEntity,
    pub remote_id: String,
    /// A contact's company in the CRM.
    pub parent_remote_id: Option<String>,
    pub modified_at: DateTime<Utc>,
    /// Removed or archived in the CRM: archived locally (notes kept), never deleted.
    pub archived: bool,
    pub fields: RemoteFields,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FieldAction {
    /// The CRM's value comes in.
    Pull,
    /// Changed here since the last sync and not in the CRM: the local value stays.
    KeepLocal,
    /// Changed on both sides since the last sync: the CSM decides.
    Conflict,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct FieldChange {
    pub field: SyncField,
    pub local: String,
    pub remote: String,
    pub action: FieldAction,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RecordAction {
    Create,
    Update,
    Archive,
}

/// What applying one staged record would do locally.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RecordChange {
    pub entity: SyncEntity,
    pub remote_id: String,
    pub local_id: Option<String>,
    pub name: String,
    pub action: RecordAction,
    pub fields: Vec<FieldChange>,
    /// Why the record cannot be applied as it is (a value the local forms refuse).
    pub problems: Vec<String>,
}

/// What would be pushed to the CRM.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct OutboxItem {
    pub kind: OutboxKind,
    pub local_id: String,
    pub label: String,
    /// The account it belongs to, by name.
    pub account: String,
}

/// What waits to be pushed: a published call note or a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum OutboxKind {
    Note,
    Task,
}

/// One page of what applying the staged records would do, and what waits to be pushed: a real
/// first sync stages tens of thousands of records, so the Sync page asks for a page at a time.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct SyncPreview {
    /// The page of records matching the query.
    pub records: Vec<RecordChange>,
    /// Records matching the query, all pages.
    pub matching: u32,
    /// Every staged record, by kind and action (the filter's counts).
    pub counts: Vec<PreviewCount>,
    /// The page of notes and tasks waiting to be pushed.
    pub outbox: Vec<OutboxItem>,
    pub outbox_total: u32,
    /// Conflicting fields over every staged record.
    pub conflicts: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PreviewCount {
    pub entity: SyncEntity,
    pub action: RecordAction,
    pub records: u32,
    /// Of those, records that cannot be applied as they are, or wait for a side to be picked.
    pub waiting: u32,
}

/// Which staged records and outbox items one page shows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct PreviewQuery {
    pub entity: Option<SyncEntity>,
    pub action: Option<RecordAction>,
    /// Only records with a conflict or a problem.
    pub attention: bool,
    /// Words in the record's name (case-insensitive).
    pub text: String,
    pub offset: u32,
    /// At most 200 a page; 0 means the default (50).
    pub limit: u32,
    pub outbox_offset: u32,
}

impl PreviewQuery {
    pub const MAX_PAGE: u32 = 200;
    pub const OUTBOX_PAGE: u32 = 100;

    /// The whole preview in one answer (tests, the run log's counts).
    pub fn everything() -> Self {
        Self { limit: u32::MAX, ..Self::default() }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Choice {
    Mine,
    Theirs,
}

/// The CSM's pick for a conflicting field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Resolution {
    pub remote_id: String,
    pub field: SyncField,
    pub choice: Choice,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct SyncApplied {
    pub created: u32,
    pub updated: u32,
    pub archived: u32,
    /// Records left staged: not chosen, or with a conflict not yet resolved.
    pub left: u32,
    /// Notes and tasks pushed to the CRM with this apply, and why any were not.
    pub pushed: u32,
    pub push_errors: Vec<String>,
}

/// One sync run in the log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SyncRun {
    pub id: String,
    pub system: String,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub pulled: u32,
    pub pushed: u32,
    pub conflicts: u32,
    pub errors: Vec<String>,
    pub status: SyncStatus,
}

/// Where a sync run is: under way, or how it ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SyncStatus {
    Running,
    Done,
    Failed,
    Cancelled,
}

impl SyncStatus {
    const ALL: [SyncStatus; 4] = [Self::Running, Self::Done, Self::Failed, Self::Cancelled];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Running => "running",
            Self::Done => "done",
            Self::Failed => "failed",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<SyncStatus> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

impl std::fmt::Display for SyncStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for SyncStatus {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// The CRMs CSM Desk can sync with (the `system` column of `crm_links`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
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

    pub fn name(self) -> &'static str {
        match self {
            Self::Hubspot => "HubSpot",
            Self::Salesforce => "Salesforce",
        }
    }

    pub fn parse(text: &str) -> Option<CrmSystem> {
        [Self::Hubspot, Self::Salesforce].into_iter().find(|s| s.as_str() == text)
    }

    /// Where the open-ticket counts a sync records come from, in the CRM's own words.
    pub fn tickets_source(self) -> &'static str {
        match self {
            Self::Hubspot => "From HubSpot's open tickets",
            Self::Salesforce => "From Salesforce's open cases",
        }
    }
}

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

/// A CRM user who can own accounts (for choosing the sync's scope).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CrmOwner {
    pub id: String,
    pub name: String,
    pub email: String,
}

/// Where a running sync is, sent to the Sync page as it goes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
pub struct SyncProgress {
    pub phase: String,
    pub pulled: u32,
    pub pushed: u32,
    pub requests: u32,
}

/// How CSM Desk reaches the CRM (the token itself is in the OS keychain, never here) and which
/// CRM properties hold the customer-success fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct CrmSettings {
    pub base_url: String,
    pub arr_property: String,
    pub renewal_property: String,
    pub segment_property: String,
    pub licences_property: String,
    /// Only companies owned by this CRM user; empty for all companies.
    pub owner_id: String,
    /// Salesforce: the External Client App's consumer key (a public client; no secret).
    pub client_id: String,
    /// Salesforce: the loopback port of the sign-in's callback, `http://127.0.0.1:<port>/callback`.
    pub callback_port: u16,
}

impl CrmSettings {
    /// The defaults of a CRM's connection form: its address and the usual field names.
    pub fn for_system(system: &str) -> CrmSettings {
        match system {
            "salesforce" => CrmSettings {
                base_url: "https://login.salesforce.com".into(),
                arr_property: "AnnualRevenue".into(),
                renewal_property: "Renewal_Date__c".into(),
                segment_property: "CS_Segment__c".into(),
                licences_property: "Licences__c".into(),
                ..CrmSettings::default()
            },
            _ => CrmSettings::default(),
        }
    }
}

impl Default for CrmSettings {
    fn default() -> Self {
        CrmSettings {
            base_url: "https://api.hubapi.com".into(),
            arr_property: "annualrevenue".into(),
            renewal_property: "renewal_date".into(),
            segment_property: "cs_segment".into(),
            licences_property: "licences_purchased".into(),
            owner_id: String::new(),
            client_id: String::new(),
            callback_port: 7171,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DealKind {
    Renewal,
    Upsell,
    NewBusiness,
}

impl DealKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Renewal => "renewal",
            Self::Upsell => "upsell",
            Self::NewBusiness => "new_business",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Renewal, Self::Upsell, Self::NewBusiness].into_iter().find(|k| k.as_str() == text)
    }
}

/// A renewal or upsell opportunity as the CRM has it (read-only here).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Deal {
    pub remote_id: String,
    /// The CRM id of the deal's company.
    pub company_remote_id: String,
    pub name: String,
    pub amount: Option<super::Money>,
    pub close_date: Option<chrono::NaiveDate>,
    pub stage: String,
    pub pipeline: String,
    pub kind: DealKind,
    pub closed: bool,
    /// Once closed: won or lost (HubSpot's `hs_is_closed_won`, Salesforce's `IsWon`).
    pub won: Option<bool>,
    /// Salesforce's `ForecastCategoryName` ("Commit", "Best Case", "Pipeline", "Omitted").
    pub forecast_category: Option<String>,
    /// The stage's probability, 0–1 (HubSpot's `hs_deal_stage_probability`; Salesforce's
    /// `Probability` / 100).
    pub probability: Option<f64>,
    pub modified_at: DateTime<Utc>,
}
