use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A dated fact about an account that feeds its health (domain.md §2, Signals).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SignalKind {
    LicencesUsed,
    ActiveUsers,
    TicketsOpen,
    CriticalTicketsOpen,
    Nps,
    Csat,
    InvoiceOverdueDays,
    Sentiment,
}

impl SignalKind {
    pub const ALL: [SignalKind; 8] = [
        Self::LicencesUsed,
        Self::ActiveUsers,
        Self::TicketsOpen,
        Self::CriticalTicketsOpen,
        Self::Nps,
        Self::Csat,
        Self::InvoiceOverdueDays,
        Self::Sentiment,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::LicencesUsed => "licences_used",
            Self::ActiveUsers => "active_users",
            Self::TicketsOpen => "tickets_open",
            Self::CriticalTicketsOpen => "critical_tickets_open",
            Self::Nps => "nps",
            Self::Csat => "csat",
            Self::InvoiceOverdueDays => "invoice_overdue_days",
            Self::Sentiment => "sentiment",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// Words for the timeline ("NPS 3").
    pub fn label(self) -> &'static str {
        match self {
            Self::LicencesUsed => "Licences used",
            Self::ActiveUsers => "Active users",
            Self::TicketsOpen => "Open tickets",
            Self::CriticalTicketsOpen => "Open P1/P2 tickets",
            Self::Nps => "NPS",
            Self::Csat => "CSAT",
            Self::InvoiceOverdueDays => "Days invoice overdue",
            Self::Sentiment => "CSM sentiment",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Signal {
    pub id: String,
    pub account_id: String,
    pub kind: SignalKind,
    pub value: f64,
    pub recorded_on: NaiveDate,
    /// For sentiment: the day the CSM's judgement stops counting.
    pub expires_on: Option<NaiveDate>,
    pub comment: String,
}

/// A signal as typed in the UI; checked by `validate::signal`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct SignalInput {
    pub kind: String,
    pub value: String,
    pub recorded_on: String,
    pub expires_on: String,
    pub comment: String,
}

/// The parts of health a scorecard weighs (domain.md §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Licences used as a share of licences purchased, in percent.
    Adoption,
    /// Open support tickets.
    Support,
    /// Open P1/P2 tickets.
    CriticalTickets,
    /// The latest NPS response, 0–10.
    Survey,
    /// Days since the last touch divided by the segment's expected interval.
    Engagement,
    /// 2: an active executive sponsor; 1: only a champion; 0: neither.
    Relationship,
    /// Days the oldest invoice is overdue.
    Commercial,
    /// The CSM's own judgement, 1 (very worried) to 5 (very confident).
    Sentiment,
}

impl Measure {
    pub const ALL: [Measure; 8] = [
        Self::Adoption,
        Self::Support,
        Self::CriticalTickets,
        Self::Survey,
        Self::Engagement,
        Self::Relationship,
        Self::Commercial,
        Self::Sentiment,
    ];

    /// The measure's name as the CSM reads it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Adoption => "Adoption",
            Self::Support => "Support",
            Self::CriticalTickets => "Critical tickets",
            Self::Survey => "Survey (NPS)",
            Self::Engagement => "Engagement",
            Self::Relationship => "Relationship",
            Self::Commercial => "Commercial",
            Self::Sentiment => "CSM sentiment",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    Red,
    Yellow,
    Green,
}

impl Band {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Red => "red",
            Self::Yellow => "yellow",
            Self::Green => "green",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Red, Self::Yellow, Self::Green].into_iter().find(|b| b.as_str() == text)
    }
}

/// One point of a measure's mapping: a raw value and the 0–100 score it earns. Between points
/// the score is interpolated; beyond the ends it stays at the end's score.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
pub struct Threshold {
    pub raw: f64,
    pub score: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MeasureConfig {
    pub measure: Measure,
    /// Share of the score in percent; the weights of a scorecard sum to 100.
    pub weight: u32,
    pub thresholds: Vec<Threshold>,
    /// Inputs older than this many days are flagged stale (0: never stale).
    pub stale_after_days: u32,
}

/// Expected days between touches, per segment (domain.md §4, Cadence).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Cadence {
    pub high_touch: u32,
    pub low_touch: u32,
    pub tech_touch: u32,
}

impl Cadence {
    pub fn for_segment(&self, segment: super::Segment) -> u32 {
        match segment {
            super::Segment::HighTouch => self.high_touch,
            super::Segment::LowTouch => self.low_touch,
            super::Segment::TechTouch => self.tech_touch,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Scorecard {
    pub measures: Vec<MeasureConfig>,
    /// Scores below this are red (default 50).
    pub red_below: u32,
    /// Scores above this are green (default 75); between the two, yellow.
    pub green_above: u32,
    pub cadence_days: Cadence,
    /// The share of the weight, in percent, whose measures must have data for a score: below
    /// it the account is "not scored yet" rather than scored on one or two measures (default 50).
    #[serde(default = "default_min_coverage")]
    pub min_coverage: u32,
}

pub const DEFAULT_MIN_COVERAGE: u32 = 50;

fn default_min_coverage() -> u32 {
    DEFAULT_MIN_COVERAGE
}

/// Why an account has no score yet: how much of the scorecard's weight has data, how much it
/// needs, and which measures are missing (by weight, largest first).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct NotScored {
    pub coverage: u32,
    pub required: u32,
    pub missing: Vec<Measure>,
}

/// Whether a measure could be used, and how fresh its input is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum InputStatus {
    Fresh,
    Stale,
    /// A judgement past its expiry date: left out, and said so.
    Expired,
    Missing,
}

/// What one measure did to the score: the raw input, its mapped score, and its share.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Contribution {
    pub measure: Measure,
    pub raw: Option<f64>,
    pub mapped: Option<f64>,
    /// The configured weight, in percent.
    pub weight: u32,
    /// The weight after re-weighting over the measures that have data, in percent.
    pub effective_weight: f64,
    /// Points this measure adds to the score; the contributions add up to the score.
    pub points: f64,
    pub status: InputStatus,
    /// Days since the input was recorded, when it comes from a dated signal.
    #[ts(type = "number | null")]
    pub age_days: Option<i64>,
}

/// An account's health on a day, with its explanation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct HealthScore {
    pub score: u32,
    pub band: Band,
    pub contributions: Vec<Contribution>,
}

/// What the Book shows of an account's health: today's score, its 30-day change and a sparkline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct HealthSummary {
    pub score: u32,
    pub band: Band,
    /// Change over the last 30 days, when there is history that old.
    #[ts(type = "number | null")]
    pub trend_30d: Option<i64>,
    /// Fortnightly scores over the last 12 weeks, oldest first (today last).
    pub sparkline: Vec<u32>,
    /// The band a week ago, when it differs from today's.
    pub band_a_week_ago: Option<Band>,
}

/// One day of an account's health history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct HealthPoint {
    pub day: NaiveDate,
    pub score: u32,
    pub band: Band,
    /// Each measure's mapped 0–100 value that day (measures without data absent).
    pub measures: std::collections::BTreeMap<Measure, f64>,
}

/// A measure's part in the last change of the score, in points (negative: it pulled the score down).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Driver {
    pub measure: Measure,
    pub points: f64,
}

/// The account's Health panel: today's explained score, the last change and the history.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct HealthReport {
    pub current: Option<HealthScore>,
    /// When there is no current score: what is missing for one.
    pub not_scored: Option<NotScored>,
    #[ts(type = "number | null")]
    pub trend_30d: Option<i64>,
    /// Scores before the last change, and what moved it most.
    pub previous_score: Option<u32>,
    pub drivers: Vec<Driver>,
    pub history: Vec<HealthPoint>,
    pub signals: Vec<Signal>,
}

/// The book's health at a glance.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct PortfolioHealth {
    /// Average score weighted by ARR (amounts compared at face value across currencies).
    pub arr_weighted_score: Option<u32>,
    pub bands: Vec<BandTotal>,
    /// Accounts whose band today differs from a week ago.
    pub changed_band_this_week: Vec<String>,
    pub unscored: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct BandTotal {
    pub band: Band,
    pub accounts: u32,
    /// ARR per currency in this band.
    pub arr: Vec<super::Money>,
}

/// How a scorecard change would move the book, before it is saved.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ScorecardPreview {
    pub changes: Vec<BandChange>,
    pub accounts_scored: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct BandChange {
    pub account_id: String,
    pub name: String,
    pub score_before: Option<u32>,
    pub score_after: Option<u32>,
    pub band_before: Option<Band>,
    pub band_after: Option<Band>,
}
