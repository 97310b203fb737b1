use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::FieldError;

/// Where a task is in its life. A snoozed task comes back on its `snoozed_until` day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    Open,
    Done,
    Snoozed,
    Cancelled,
}

impl TaskStatus {
    pub const ALL: [TaskStatus; 4] = [Self::Open, Self::Done, Self::Snoozed, Self::Cancelled];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Done => "done",
            Self::Snoozed => "snoozed",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    Low,
    Normal,
    High,
}

impl Priority {
    pub const ALL: [Priority; 3] = [Self::Low, Self::Normal, Self::High];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Normal => "normal",
            Self::High => "high",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == text)
    }
}

/// What made the task: the CSM, a call note's next step, a playbook, or the CRM.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TaskSource {
    Manual,
    Note,
    Playbook,
    Crm,
}

impl TaskSource {
    pub const ALL: [TaskSource; 4] = [Self::Manual, Self::Note, Self::Playbook, Self::Crm];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Manual => "manual",
            Self::Note => "note",
            Self::Playbook => "playbook",
            Self::Crm => "crm",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// A to-do of the CSM's, usually on an account. A task with a time is a fixed appointment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Task {
    pub id: String,
    pub account_id: Option<String>,
    pub account_name: Option<String>,
    pub title: String,
    pub due_date: Option<NaiveDate>,
    /// Local wall-clock time "HH:MM": the task is an appointment at that time.
    pub due_time: Option<String>,
    pub priority: Priority,
    pub effort_minutes: Option<u32>,
    pub status: TaskStatus,
    pub snoozed_until: Option<NaiveDate>,
    pub source: TaskSource,
    /// Why a generated task exists, in words; empty for the CSM's own tasks.
    pub provenance: String,
    /// A touch accepted from the week's suggestions: completing it counts as touching the account.
    pub is_touch: bool,
    pub details: String,
    pub completed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Task {
    /// The day the task belongs to in a plan: its snooze date while snoozed, else its due date.
    pub fn plan_day(&self) -> Option<NaiveDate> {
        match (self.status, self.snoozed_until) {
            (TaskStatus::Snoozed, Some(until)) => Some(self.due_date.map_or(until, |due| due.max(until))),
            _ => self.due_date,
        }
    }

    /// Open, or snoozed: still to be done.
    pub fn is_pending(&self) -> bool {
        matches!(self.status, TaskStatus::Open | TaskStatus::Snoozed)
    }

    pub fn is_appointment(&self) -> bool {
        self.due_time.is_some()
    }
}

/// A task as typed in a form; parsed and checked in Rust.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct TaskInput {
    /// Empty for a task on no account.
    pub account_id: String,
    pub title: String,
    pub due_date: String,
    pub due_time: String,
    pub priority: String,
    pub effort_minutes: String,
    pub details: String,
}

/// A saved task, with what the CSM should know about it (e.g. a due date already past).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct TaskSaved {
    pub task: Task,
    pub warnings: Vec<FieldError>,
}
