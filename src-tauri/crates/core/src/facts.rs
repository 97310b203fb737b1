//! What the planner and the playbooks know about an account on a given day, loaded by the store
//! in a few set-based queries and then used by pure functions.

use chrono::NaiveDate;

use crate::health::Reading;
use crate::model::{Band, ContactRole, Coverage, ForecastCategory, LifecycleStage, RenewalStage, Segment};

#[derive(Debug, Clone, PartialEq)]
pub struct AccountFacts {
    pub id: String,
    pub name: String,
    pub segment: Segment,
    pub stage: LifecycleStage,
    pub arr_minor: i64,
    pub currency: String,
    pub contract_start: Option<NaiveDate>,
    pub customer_since: Option<NaiveDate>,
    pub renewal_date: Option<NaiveDate>,
    pub health: Option<HealthNow>,
    pub last_touch_on: Option<NaiveDate>,
    pub last_qbr_on: Option<NaiveDate>,
    pub critical_tickets: Option<Reading>,
    pub invoice_overdue_days: Option<Reading>,
    pub nps: Option<Reading>,
    pub licences_purchased: Option<i64>,
    pub licences_used: Option<Reading>,
    /// The CSM's call on the coming renewal, when they made one.
    pub renewal_call: Option<RenewalCall>,
    /// Executive sponsors and champions who left the customer.
    pub departures: Vec<Departure>,
    /// Key roles covered and whether the account is single-threaded (as of the latest score).
    pub coverage: Option<Coverage>,
    /// The account's open risks.
    pub risks: Vec<crate::risks::OpenRisk>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HealthNow {
    pub score: u32,
    pub band: Band,
    pub trend_30d: Option<i64>,
    /// First day of the current run of red days, when red.
    pub red_since: Option<NaiveDate>,
}

/// What the CSM said about the coming renewal (the Renewals page).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RenewalCall {
    pub category: Option<ForecastCategory>,
    pub stage: RenewalStage,
    pub has_next_step: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Departure {
    pub contact_id: String,
    pub name: String,
    pub role: ContactRole,
    pub left_on: NaiveDate,
}

impl AccountFacts {
    /// A blank account for tests: low touch, adoption, no data.
    pub fn new(id: &str, name: &str) -> Self {
        Self {
            id: id.to_owned(),
            name: name.to_owned(),
            segment: Segment::LowTouch,
            stage: LifecycleStage::Adoption,
            arr_minor: 0,
            currency: "USD".to_owned(),
            contract_start: None,
            customer_since: None,
            renewal_date: None,
            health: None,
            last_touch_on: None,
            last_qbr_on: None,
            critical_tickets: None,
            invoice_overdue_days: None,
            nps: None,
            licences_purchased: None,
            licences_used: None,
            renewal_call: None,
            departures: Vec::new(),
            coverage: None,
            risks: Vec::new(),
        }
    }

    /// Open critical tickets, when the latest reading says there are some.
    pub fn critical_open(&self) -> Option<(u32, NaiveDate)> {
        self.critical_tickets.filter(|r| r.value >= 1.0).map(|r| (r.value as u32, r.recorded_on))
    }

    /// Days an invoice is overdue, when over 30 (domain.md §4).
    pub fn invoice_late(&self) -> Option<(u32, NaiveDate)> {
        self.invoice_overdue_days.filter(|r| r.value > 30.0).map(|r| (r.value as u32, r.recorded_on))
    }

    /// A detractor NPS (0–6) and its day.
    pub fn detractor(&self) -> Option<(u32, NaiveDate)> {
        self.nps.filter(|r| r.value <= 6.0).map(|r| (r.value as u32, r.recorded_on))
    }
}

pub fn role_label(role: ContactRole) -> &'static str {
    match role {
        ContactRole::ExecutiveSponsor => "executive sponsor",
        ContactRole::Champion => "champion",
        _ => "contact",
    }
}

/// A day in words for reasons and provenance: "21 Feb 2027".
pub fn day_text(day: NaiveDate) -> String {
    day.format("%-d %b %Y").to_string()
}
