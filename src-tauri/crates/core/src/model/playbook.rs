use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{Cadence, Priority, Segment};

/// The event a playbook starts from (domain.md §4). Each trigger names its anchor date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PlaybookTrigger {
    /// From the contract start date.
    ContractStart,
    /// From the renewal date (steps have negative offsets: T-120 … T-30).
    RenewalDate,
    /// From the next QBR date, every `repeat_days` per segment since the last QBR.
    QbrCadence,
    /// From the day health turned red, or a risk signal (critical ticket, invoice > 30 days overdue).
    HealthRisk,
    /// From an NPS reading of 0–6.
    DetractorNps,
    /// From the day an executive sponsor or champion left.
    SponsorLeft,
}

/// One step of a playbook: a task due `offset_days` after (or before, when negative) the anchor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PlaybookStep {
    /// Stable name of the step, so editing its title or offset keeps the tasks it made linked.
    pub key: String,
    pub title: String,
    #[ts(type = "number")]
    pub offset_days: i64,
    #[ts(type = "number")]
    pub effort_minutes: i64,
    pub priority: Priority,
}

/// A playbook turns an event on an account into dated tasks. Editable in Settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Playbook {
    pub id: String,
    pub name: String,
    pub trigger: PlaybookTrigger,
    pub enabled: bool,
    /// The segments it runs for.
    pub segments: Vec<Segment>,
    /// For the QBR playbook: days between QBRs per segment (0: none).
    pub repeat_days: Option<Cadence>,
    pub steps: Vec<PlaybookStep>,
}

/// What the start-of-day job did: today's health snapshot of every account (`scored`, 0 when it
/// was already taken) and the day's first playbook run (`None` when they had already run).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct DayStarted {
    pub day: NaiveDate,
    pub scored: u32,
    pub playbooks: Option<PlaybookRun>,
}

/// What one run of the playbooks did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, TS)]
pub struct PlaybookRun {
    pub created: u32,
    /// Open tasks moved or renamed because their step was edited.
    pub updated: u32,
    /// Tasks that already existed and were left as they are.
    pub unchanged: u32,
    /// Tasks due but not created: past the day's limit, or no day with room for them.
    pub held_back: u32,
}
