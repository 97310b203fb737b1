use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use ts_rs::TS;

use super::{HealthSummary, LifecycleStage, Money, PortfolioHealth, Segment};

/// One line of the Book: an account with the figures the portfolio table sorts and filters on.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct BookRow {
    pub id: String,
    pub name: String,
    pub domain: Option<String>,
    pub segment: Segment,
    pub lifecycle_stage: LifecycleStage,
    pub arr: Money,
    pub renewal_date: Option<NaiveDate>,
    #[ts(type = "number | null")]
    pub days_to_renewal: Option<i64>,
    pub owner: Option<String>,
    pub last_touch_at: Option<DateTime<Utc>>,
    #[ts(type = "number | null")]
    pub days_since_touch: Option<i64>,
    pub contact_count: u32,
    pub archived: bool,
    /// The CSM's call on the coming renewal (the Renewals page), when made.
    pub forecast: Option<super::ForecastCategory>,
    /// Every touch of the last 90 days involved one person (as of the latest score).
    pub single_threaded: bool,
    /// An executive sponsor or economic buyer is known and was met within twice the cadence.
    pub sponsor_engaged: bool,
    /// Today's health, when the account has been scored (filled by `Store::book_with_health`).
    pub health: Option<HealthSummary>,
}

/// The Book as the UI shows it: every row with its health, and the portfolio at a glance.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct BookView {
    pub rows: Vec<BookRow>,
    pub portfolio: PortfolioHealth,
}
