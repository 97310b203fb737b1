use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{Contact, Money};

/// The touch model the account is served with (domain.md §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Segment {
    HighTouch,
    LowTouch,
    TechTouch,
}

impl Segment {
    pub const ALL: [Segment; 3] = [Self::HighTouch, Self::LowTouch, Self::TechTouch];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::HighTouch => "high_touch",
            Self::LowTouch => "low_touch",
            Self::TechTouch => "tech_touch",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// Where the customer is in its journey (domain.md §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum LifecycleStage {
    Onboarding,
    Adoption,
    Value,
    Renewal,
    Expansion,
    Advocacy,
    Churned,
}

impl LifecycleStage {
    pub const ALL: [LifecycleStage; 7] =
        [Self::Onboarding, Self::Adoption, Self::Value, Self::Renewal, Self::Expansion, Self::Advocacy, Self::Churned];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Onboarding => "onboarding",
            Self::Adoption => "adoption",
            Self::Value => "value",
            Self::Renewal => "renewal",
            Self::Expansion => "expansion",
            Self::Advocacy => "advocacy",
            Self::Churned => "churned",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// A customer account in the CSM's book: commercials, classification and bookkeeping.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Account {
    pub id: String,
    pub name: String,
    pub domain: Option<String>,
    pub segment: Segment,
    pub lifecycle_stage: LifecycleStage,
    pub industry: Option<String>,
    pub region: Option<String>,
    #[ts(type = "number | null")]
    pub employees: Option<i64>,
    pub owner: Option<String>,
    pub arr: Money,
    pub contract_start: Option<NaiveDate>,
    pub contract_end: Option<NaiveDate>,
    pub renewal_date: Option<NaiveDate>,
    #[ts(type = "number | null")]
    pub contract_term_months: Option<i64>,
    pub products: Vec<String>,
    #[ts(type = "number | null")]
    pub licences_purchased: Option<i64>,
    /// Discount in basis points (1/100 of a percent): 1250 is 12.5%.
    #[ts(type = "number | null")]
    pub discount_bps: Option<i64>,
    pub customer_since: Option<NaiveDate>,
    pub last_touch_at: Option<DateTime<Utc>>,
    pub archived_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// An account as the CSM types it: every field as entered text, parsed and checked in Rust
/// (`validate::account`) so that each problem is reported next to its field.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct AccountInput {
    pub name: String,
    pub domain: String,
    pub segment: String,
    pub lifecycle_stage: String,
    pub industry: String,
    pub region: String,
    pub employees: String,
    pub owner: String,
    /// Annual recurring revenue in major units, e.g. "120,000" or "99.50".
    pub arr: String,
    pub currency: String,
    pub contract_start: String,
    pub contract_end: String,
    pub renewal_date: String,
    pub contract_term_months: String,
    pub products: Vec<String>,
    pub licences_purchased: String,
    /// Discount in percent, e.g. "12.5".
    pub discount_percent: String,
    pub customer_since: String,
}

/// Everything the account page shows, with the derived figures computed here, not in the UI.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct AccountOverview {
    pub account: Account,
    pub contacts: Vec<Contact>,
    pub mrr: Money,
    #[ts(type = "number | null")]
    pub days_to_renewal: Option<i64>,
    #[ts(type = "number | null")]
    pub days_since_touch: Option<i64>,
    #[ts(type = "number | null")]
    pub tenure_months: Option<i64>,
    /// The account as editable text, ready for the inline editors.
    pub input: AccountInput,
}

impl Account {
    /// The account's fields as editable text (the inverse of `validate::account`).
    pub fn to_input(&self) -> AccountInput {
        let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        let int = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
        AccountInput {
            name: self.name.clone(),
            domain: self.domain.clone().unwrap_or_default(),
            segment: self.segment.as_str().to_owned(),
            lifecycle_stage: self.lifecycle_stage.as_str().to_owned(),
            industry: self.industry.clone().unwrap_or_default(),
            region: self.region.clone().unwrap_or_default(),
            employees: int(self.employees),
            owner: self.owner.clone().unwrap_or_default(),
            arr: crate::validate::format_amount(&self.arr),
            currency: self.arr.currency.clone(),
            contract_start: date(self.contract_start),
            contract_end: date(self.contract_end),
            renewal_date: date(self.renewal_date),
            contract_term_months: int(self.contract_term_months),
            products: self.products.clone(),
            licences_purchased: int(self.licences_purchased),
            discount_percent: self.discount_bps.map(crate::validate::format_bps).unwrap_or_default(),
            customer_since: date(self.customer_since),
        }
    }

    pub fn days_to_renewal(&self, today: NaiveDate) -> Option<i64> {
        self.renewal_date.map(|d| (d - today).num_days())
    }
}
