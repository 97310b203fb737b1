//! The renewal desk's data: the CSM's call on each upcoming renewal, the outcomes of past ones,
//! retention figures, the forecast's weekly changes, and the settings behind them.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{Band, Money, Segment};

text_enum! {
    /// The CSM's call on a renewal (names editable in Settings; these four meanings are fixed).
    ForecastCategory {
        Commit = "commit",
        Probable = "probable",
        AtRisk = "at_risk",
        ChurnExpected = "churn_expected",
    }
}

text_enum! {
    /// Where the renewal conversation stands.
    RenewalStage {
        NotStarted = "not_started",
        InDiscussion = "in_discussion",
        ProposalSent = "proposal_sent",
        VerbalYes = "verbal_yes",
        Signed = "signed",
        Lost = "lost",
    }
}

text_enum! {
    /// What happened at a renewal.
    OutcomeKind {
        /// Renewed at the same ARR.
        Flat = "flat",
        Expansion = "expansion",
        Contraction = "contraction",
        Churn = "churn",
    }
}

text_enum! {
    /// How a contraction came about.
    ContractionBy {
        Seats = "seats",
        Price = "price",
    }
}

text_enum! {
    /// Why an account's ARR changed.
    ArrChangeKind {
        New = "new",
        Expansion = "expansion",
        Contraction = "contraction",
        Churn = "churn",
        /// Renewed at the same amount.
        Renewal = "renewal",
        /// A data fix: not a movement of the business.
        Correction = "correction",
    }
}

text_enum! {
    /// The renewals the page shows.
    RenewalWindow {
        ThisQuarter = "this_quarter",
        NextQuarter = "next_quarter",
        Next12Months = "next_12_months",
        LastQuarter = "last_quarter",
        Last12Months = "last_12_months",
    }
}

impl ForecastCategory {
    /// The category's default name ("At risk"); the CSM may rename them in Settings.
    pub fn label(self) -> &'static str {
        match self {
            Self::Commit => "Commit",
            Self::Probable => "Probable",
            Self::AtRisk => "At risk",
            Self::ChurnExpected => "Churn expected",
        }
    }

    pub fn index(self) -> usize {
        Self::ALL.iter().position(|c| *c == self).unwrap_or(0)
    }
}

/// One reason the computed likelihood moved, in points (negative: less likely).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct LikelihoodReason {
    pub reason: String,
    pub points: i32,
}

/// One renewal on the Renewals page.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct RenewalLine {
    pub account_id: String,
    pub account_name: String,
    pub segment: Segment,
    pub band: Option<Band>,
    pub renews_on: NaiveDate,
    /// Negative once the date has passed.
    #[ts(type = "number")]
    pub days_to_renewal: i64,
    /// The last day the customer can give notice, when the contract has a notice period.
    pub notice_by: Option<NaiveDate>,
    pub auto_renews: bool,
    pub current_arr: Money,
    pub expected_arr: Money,
    /// The CSM's category, or (when `category_set` is false) the one the likelihood suggests.
    pub category: ForecastCategory,
    pub category_set: bool,
    pub stage: RenewalStage,
    /// The CSM's own confidence, 0–100.
    pub confidence: Option<u32>,
    /// The computed likelihood, 0–100, and why.
    pub likelihood: u32,
    pub reasons: Vec<LikelihoodReason>,
    /// "Commit, but likelihood 38 %: health red, sponsor left 20 days ago".
    pub disagreement: Option<String>,
    pub next_step: String,
    pub next_step_on: Option<NaiveDate>,
    /// The date has passed and no outcome is recorded.
    pub outcome_due: bool,
    /// What happened, once recorded (a settled renewal in a past window).
    pub outcome: Option<OutcomeKind>,
    /// Contract start, the earliest day an outcome can be dated.
    pub contract_start: Option<NaiveDate>,
    pub notice_days: Option<u32>,
}

/// Renewals of one category, in the reporting currency's minor units.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
pub struct CategoryTotal {
    pub category: Option<ForecastCategory>,
    pub renewals: u32,
    #[ts(type = "number")]
    pub current_minor: i64,
    #[ts(type = "number")]
    pub expected_minor: i64,
    /// Expected ARR × likelihood.
    #[ts(type = "number")]
    pub weighted_minor: i64,
}

/// A month of the forecast: its first day and its renewals by category.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ForecastMonth {
    pub month: NaiveDate,
    pub categories: Vec<CategoryTotal>,
}

/// A rate a figure was converted with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ExchangeRate {
    pub currency: String,
    pub valid_from: NaiveDate,
    /// Units of the reporting currency per unit of `currency`.
    pub per_unit: f64,
}

/// The Renewals page: the window's renewals, rolled up by month and category.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct RenewalsView {
    pub window: RenewalWindow,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub reporting_currency: String,
    pub category_names: Vec<String>,
    pub lines: Vec<RenewalLine>,
    /// Empty when a rate is missing (see `missing_rates`).
    pub months: Vec<ForecastMonth>,
    pub totals: Vec<CategoryTotal>,
    pub total: CategoryTotal,
    pub rates_used: Vec<ExchangeRate>,
    /// Currencies with no rate to the reporting currency: the totals are not given.
    pub missing_rates: Vec<String>,
}

/// The CSM's call on a renewal, as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct RenewalInput {
    /// Expected ARR in major units ("130,000"); empty: the same as today.
    pub expected_arr: String,
    /// `ForecastCategory` as text; empty: not set (the likelihood suggests one).
    pub category: String,
    pub stage: String,
    /// 0–100; empty: not given.
    pub confidence: String,
    pub next_step: String,
    pub next_step_on: String,
    /// Days' notice the contract asks for; empty: none.
    pub notice_days: String,
    pub auto_renews: bool,
}

/// What happened at a renewal, as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct OutcomeInput {
    pub kind: String,
    pub decided_on: String,
    /// The ARR from now on, in major units (flat: ignored; churn: zero).
    pub new_arr: String,
    /// For a contraction: "seats" or "price".
    pub contraction_by: String,
    pub reasons: Vec<String>,
    pub comment: String,
    pub avoidable: Option<bool>,
    /// The next renewal's date; empty: a year after this one (none for a churn).
    pub next_renewal_date: String,
}

/// A recorded outcome.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct RenewalOutcome {
    pub id: String,
    pub account_id: String,
    pub account_name: String,
    pub renewal_date: Option<NaiveDate>,
    pub decided_on: NaiveDate,
    pub kind: OutcomeKind,
    pub contraction_by: Option<ContractionBy>,
    pub arr_before: Money,
    pub arr_after: Money,
    pub reasons: Vec<String>,
    pub comment: String,
    pub avoidable: Option<bool>,
}

/// One account behind a retention figure: its ARR at the period's start and end (reporting
/// currency's minor units).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct RetentionAccount {
    pub account_id: String,
    pub account_name: String,
    #[ts(type = "number")]
    pub start_minor: i64,
    #[ts(type = "number")]
    pub end_minor: i64,
    /// The churn or contraction reasons recorded in the period.
    pub reasons: Vec<String>,
}

/// GRR, NRR and logo retention of a group of accounts over a period, with what is behind them.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct RetentionFigures {
    /// The whole book, or one segment.
    pub segment: Option<Segment>,
    pub grr: Option<f64>,
    pub nrr: Option<f64>,
    pub logo_retention: Option<f64>,
    #[ts(type = "number")]
    pub starting_minor: i64,
    #[ts(type = "number")]
    pub churn_minor: i64,
    #[ts(type = "number")]
    pub contraction_minor: i64,
    #[ts(type = "number")]
    pub expansion_minor: i64,
    pub accounts_at_start: u32,
    pub accounts_retained: u32,
    pub churned_count: u32,
    pub contracted_count: u32,
    pub expanded_count: u32,
    /// The largest movements (at most 100 each).
    pub churned: Vec<RetentionAccount>,
    pub contracted: Vec<RetentionAccount>,
    pub expanded: Vec<RetentionAccount>,
}

/// Retention for the book and per segment over one period.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct RetentionReport {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub reporting_currency: String,
    /// None when a rate is missing.
    pub book: Option<RetentionFigures>,
    pub segments: Vec<RetentionFigures>,
    pub rates_used: Vec<ExchangeRate>,
    pub missing_rates: Vec<String>,
}

/// A note written about an account between two snapshots: the who-what-why of a change.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ChangeNote {
    pub note_id: String,
    pub occurred_on: NaiveDate,
    pub title: String,
}

/// What changed in one renewal since the last snapshot, in words.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ForecastChangeLine {
    pub account_id: String,
    pub account_name: String,
    /// "Probable → At risk", "Expected ARR $120,000 → $90,000", "Slipped from Mar to Apr", …
    pub changes: Vec<String>,
    pub at_risk: bool,
    pub notes: Vec<ChangeNote>,
}

/// "What changed since last week".
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ForecastDiff {
    /// The snapshot compared against; None before the first one.
    pub since: Option<NaiveDate>,
    pub lines: Vec<ForecastChangeLine>,
    pub snapshots: u32,
}

/// The account's forecast as one weekly snapshot kept it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ForecastPoint {
    pub taken_on: NaiveDate,
    pub renews_on: NaiveDate,
    pub category: ForecastCategory,
    pub expected_arr: Money,
    pub likelihood: u32,
}

/// The renewal panel on an account: its open renewal, past outcomes and how its forecast moved.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct AccountRenewal {
    /// None without a renewal date (or once churned).
    pub line: Option<RenewalLine>,
    pub outcomes: Vec<RenewalOutcome>,
    /// Oldest first, at most a year of snapshots.
    pub history: Vec<ForecastPoint>,
    pub category_names: Vec<String>,
    pub reasons: Vec<String>,
}

/// What a CRM renewal deal suggests for the account's renewal. Never applied on its own: the
/// CSM chooses.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "suggests", rename_all = "snake_case")]
pub enum SuggestedChange {
    /// The deal closed: record this outcome.
    Outcome { outcome: OutcomeKind, new_arr: Money },
    /// The deal is open and the CRM's forecast differs from the CSM's call.
    Category { category: ForecastCategory },
    /// Something the desk will not guess (an unknown stage, no amount, another currency).
    Unclear { reason: String },
}

/// A renewal deal from the CRM matched to an account's coming renewal, and what it suggests.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct RenewalSuggestion {
    pub system: String,
    pub deal_name: String,
    pub deal_stage: String,
    pub deal_amount: Option<Money>,
    pub close_date: NaiveDate,
    pub change: SuggestedChange,
    /// The renewal it is about, as the Renewals page shows it.
    pub line: RenewalLine,
}

/// The renewal desk's settings, as saved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RenewalSettings {
    pub reporting_currency: String,
    /// The four categories' names, in `ForecastCategory::ALL` order.
    pub category_names: Vec<String>,
    /// The churn and contraction reasons offered.
    pub reasons: Vec<String>,
    pub rates: Vec<ExchangeRate>,
}

/// A rate as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct RateInput {
    pub currency: String,
    pub valid_from: String,
    pub per_unit: String,
}

/// The renewal desk's settings, as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct RenewalSettingsInput {
    pub reporting_currency: String,
    pub category_names: Vec<String>,
    pub reasons: Vec<String>,
    pub rates: Vec<RateInput>,
}

/// The reasons offered by default (`domain.md` §10).
pub const DEFAULT_REASONS: [&str; 9] = [
    "Budget",
    "No adoption",
    "Sponsor or champion left",
    "Product gap",
    "Competitor",
    "Merger or acquisition",
    "Poor support or onboarding",
    "Price",
    "Business closed",
];
