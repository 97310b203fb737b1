//! Risks and asks: the register of what may cost an account (with its save plan and weekly
//! updates) and what customers ask of the product, one ask shared by every account asking.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{Money, Task};

text_enum! {
    /// Where a save stands; recovered and lost close the risk for good.
    RiskStage {
        Identified = "identified",
        PlanInPlace = "plan_in_place",
        Saving = "saving",
        Recovered = "recovered",
        Lost = "lost",
    }
}

impl RiskStage {
    pub fn is_closed(self) -> bool {
        matches!(self, Self::Recovered | Self::Lost)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Identified => "identified",
            Self::PlanInPlace => "plan in place",
            Self::Saving => "saving",
            Self::Recovered => "recovered",
            Self::Lost => "lost",
        }
    }
}

text_enum! {
    RiskSeverity {
        Low = "low",
        Medium = "medium",
        High = "high",
        Critical = "critical",
    }
}

text_enum! {
    /// Help the CSM needs from their own side to save the account.
    HelpNeeded {
        Executive = "executive",
        Product = "product",
        Support = "support",
    }
}

text_enum! {
    /// Where an ask stands with the product team.
    AskStatus {
        New = "new",
        SentToProduct = "sent_to_product",
        Planned = "planned",
        Shipped = "shipped",
        Declined = "declined",
    }
}

impl AskStatus {
    pub fn label(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::SentToProduct => "sent to product",
            Self::Planned => "planned",
            Self::Shipped => "shipped",
            Self::Declined => "declined",
        }
    }
}

/// The reasons a risk starts with; the CSM edits the list in Settings.
pub const DEFAULT_RISK_REASONS: [&str; 10] = [
    "sponsor left",
    "low adoption",
    "support escalation",
    "budget cut",
    "competitor",
    "merger or acquisition",
    "product gap",
    "poor onboarding",
    "price",
    "other",
];

/// One risk on an account, as the register lists it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Risk {
    pub id: String,
    pub account_id: String,
    pub account_name: String,
    pub title: String,
    pub reasons: Vec<String>,
    pub severity: RiskSeverity,
    pub arr_at_risk: Money,
    pub stage: RiskStage,
    pub help_needed: Vec<HelpNeeded>,
    pub opened_on: NaiveDate,
    pub stage_since: NaiveDate,
    pub last_update_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    #[ts(type = "number")]
    pub days_in_stage: i64,
    /// Days since the last update (or since it was opened, without one).
    #[ts(type = "number")]
    pub days_since_update: i64,
    /// Open with no update in `risks::STALE_AFTER_DAYS`.
    pub stale: bool,
    /// Open steps of the save plan / all of them.
    pub plan_open: u32,
    pub plan_steps: u32,
}

/// A dated line on where the save stands.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct RiskUpdate {
    #[ts(type = "number")]
    pub id: i64,
    pub on_day: NaiveDate,
    pub body: String,
    pub note_id: Option<String>,
}

/// A risk with its save plan (tasks) and its updates, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct RiskDetail {
    pub risk: Risk,
    pub plan: Vec<Task>,
    pub updates: Vec<RiskUpdate>,
}

/// A risk as typed (new or edited).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct RiskInput {
    pub account_id: String,
    pub title: String,
    pub reasons: Vec<String>,
    pub severity: String,
    /// In major units ("120,000"); empty: the account's ARR.
    pub arr_at_risk: String,
    /// Empty: identified.
    pub stage: String,
    pub help_needed: Vec<String>,
}

/// A step of the save plan, made a task of the account.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct PlanStepInput {
    pub title: String,
    /// "YYYY-MM-DD" or empty.
    pub due_date: String,
}

/// Totals of open risks by stage or by reason, in the reporting currency's minor units.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
pub struct RiskTotal {
    pub label: String,
    pub risks: u32,
    #[ts(type = "number")]
    pub arr_minor: i64,
}

/// The Risks page: open risks by ARR at risk, totals, stale ones, suggestions, and tagged notes
/// from before risks existed offered as risks.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct RisksView {
    pub reporting_currency: String,
    pub risks: Vec<Risk>,
    pub by_stage: Vec<RiskTotal>,
    pub by_reason: Vec<RiskTotal>,
    pub total: RiskTotal,
    pub stale: u32,
    /// Currencies with no rate: the totals are not given.
    pub missing_rates: Vec<String>,
    /// The biggest accounts' suggestions; `suggestions_total` counts them all.
    pub suggestions: Vec<RiskSuggestion>,
    pub suggestions_total: u32,
    pub offers: Vec<TaggedNoteOffer>,
    pub closed_recently: Vec<Risk>,
}

/// "Open a risk?": something happened that usually is one.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct RiskSuggestion {
    pub account_id: String,
    pub account_name: String,
    /// What prompted it, kept when dismissed: "red", "left:<contact>", "tickets", "invoice".
    pub trigger: String,
    /// The reason prefilled (one of the reasons list).
    pub reason: String,
    pub title: String,
    pub why: String,
}

/// A note tagged "risk" or "feedback" before this version, offered once.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct TaggedNoteOffer {
    pub note_id: String,
    pub account_id: String,
    pub account_name: String,
    pub title: String,
    pub first_line: String,
    pub occurred_on: NaiveDate,
}

/// An account asking for an ask.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct AskAccount {
    pub account_id: String,
    pub account_name: String,
    pub arr: Money,
    pub contact_id: Option<String>,
    pub contact_name: Option<String>,
    pub note_id: Option<String>,
    pub asked_on: NaiveDate,
}

/// What customers asked of the product, with who asks and the ARR behind it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Ask {
    pub id: String,
    pub title: String,
    pub problem: String,
    pub status: AskStatus,
    pub reference: String,
    pub status_on: NaiveDate,
    pub accounts: Vec<AskAccount>,
    /// The ARR of the accounts asking, in the reporting currency's minor units.
    #[ts(type = "number")]
    pub demand_minor: i64,
}

/// The Asks page: asks ranked by ARR-weighted demand.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct AsksView {
    pub reporting_currency: String,
    pub asks: Vec<Ask>,
    pub missing_rates: Vec<String>,
    pub offers: Vec<TaggedNoteOffer>,
}

/// An ask as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct AskInput {
    pub title: String,
    pub problem: String,
    /// Empty: new.
    pub status: String,
    pub reference: String,
}

/// An account joining an ask (or asking first).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct AskerInput {
    pub account_id: String,
    /// Empty: nobody in particular.
    pub contact_id: String,
    /// "YYYY-MM-DD"; empty: today.
    pub asked_on: String,
}

/// What a note's `risk:` or `ask:` line will do on save, shown under the editor.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CaptureLine {
    pub kind: CaptureKind,
    pub text: String,
    /// "New risk", "Update to “Budget review”", "Joins “SSO with Okta” (3 accounts)",
    /// or why the line is ignored.
    pub outcome: String,
    pub ignored: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CaptureKind {
    Risk,
    Ask,
}

/// The risks and asks of one account, for its page.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct AccountRisks {
    pub open: Vec<Risk>,
    pub closed: Vec<Risk>,
    pub asks: Vec<Ask>,
    pub suggestions: Vec<RiskSuggestion>,
}
