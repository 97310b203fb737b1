use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{Segment, Task};

/// The CSM's working week and how the planner fills it. Kept in Settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PlannerSettings {
    /// Monday first; true for a working day.
    pub work_days: Vec<bool>,
    /// Hours available for customer work on a working day, in minutes.
    pub minutes_per_day: u32,
    /// Effort of a suggested touch (a check-in call with its notes).
    pub touch_minutes: u32,
    /// Effort counted for a task without an estimate.
    pub unestimated_minutes: u32,
    /// At most this many suggestions are placed on one day.
    pub suggestions_per_day: u32,
    /// At most this many tasks the playbooks create in a day; the rest wait, counted, until
    /// the CSM asks for them (a first sync of a real book must not bury the week).
    #[serde(default = "default_playbook_tasks_per_day")]
    pub playbook_tasks_per_day: u32,
    /// Whether tasks the playbooks made go to the CRM with the CSM's own tasks.
    #[serde(default)]
    pub push_playbook_tasks: bool,
}

fn default_playbook_tasks_per_day() -> u32 {
    15
}

impl Default for PlannerSettings {
    fn default() -> Self {
        Self {
            work_days: vec![true, true, true, true, true, false, false],
            minutes_per_day: 6 * 60,
            touch_minutes: 30,
            unestimated_minutes: 15,
            suggestions_per_day: 3,
            playbook_tasks_per_day: default_playbook_tasks_per_day(),
            push_playbook_tasks: false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReasonKind {
    Renewal,
    Health,
    CriticalTickets,
    InvoiceOverdue,
    Detractor,
    SponsorLeft,
    /// Single-threaded, or a sponsor gone quiet.
    Relationship,
    /// An open risk with no save plan yet, or no update in a week.
    Risk,
    PastCadence,
    Combination,
    Arr,
}

/// One reason an account is suggested, with the points it adds to the rank.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Reason {
    pub kind: ReasonKind,
    pub text: String,
    pub points: u32,
}

/// An account the planner proposes to touch this week, and why.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Suggestion {
    pub account_id: String,
    pub account_name: String,
    pub segment: Segment,
    pub points: u32,
    pub reasons: Vec<Reason>,
    /// The reasons in one line: "renewal in 41 days · health 48, down 12 in 30 days".
    pub summary: String,
    pub effort_minutes: u32,
    /// The day it was placed on; none when it did not fit.
    pub day: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct PlanDay {
    pub date: NaiveDate,
    pub work_day: bool,
    pub is_today: bool,
    pub is_past: bool,
    pub capacity_minutes: u32,
    /// Effort of the day's appointments, meetings and tasks (done ones included: the time was spent).
    pub planned_minutes: u32,
    /// Effort of the suggestions placed on the day.
    pub suggested_minutes: u32,
    pub overloaded: bool,
    /// Tasks with a time, by time.
    pub appointments: Vec<Task>,
    /// Meetings from the CSM's calendars, all-day ones first, then by time.
    pub meetings: Vec<super::Meeting>,
    /// Tasks without a time: open first (high priority first), then done.
    pub tasks: Vec<Task>,
    pub suggestions: Vec<Suggestion>,
}

/// A week: seven days from Monday, what is overdue, and the suggestions that did not fit.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct WeekPlan {
    pub week_start: NaiveDate,
    pub today: NaiveDate,
    pub days: Vec<PlanDay>,
    /// Open tasks due before today, oldest first (at most the first 200).
    pub overdue: Vec<Task>,
    pub overdue_total: u32,
    /// Ranked suggestions with no room left this week; shown only when the CSM asks.
    pub overflow: Vec<Suggestion>,
    pub capacity_minutes: u32,
    pub planned_minutes: u32,
    pub suggested_minutes: u32,
    /// Playbook tasks not created yet because of the daily limit or a full calendar.
    pub held_back_tasks: u32,
}
