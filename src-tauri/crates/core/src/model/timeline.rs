use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TimelineKind {
    Call,
    Meeting,
    Email,
    Note,
    TaskDone,
    HealthBand,
    Qbr,
    Milestone,
    Crm,
    TaskCreated,
    Signal,
    /// A change on the stakeholder map (stance, influence, deal roles).
    Stakeholder,
    /// A risk opened, moved, updated or closed.
    Risk,
    /// The customer asked for something, or an ask they made moved.
    Ask,
}

impl TimelineKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Call => "call",
            Self::Meeting => "meeting",
            Self::Email => "email",
            Self::Note => "note",
            Self::TaskDone => "task_done",
            Self::HealthBand => "health_band",
            Self::Qbr => "qbr",
            Self::Milestone => "milestone",
            Self::Crm => "crm",
            Self::TaskCreated => "task_created",
            Self::Signal => "signal",
            Self::Stakeholder => "stakeholder",
            Self::Risk => "risk",
            Self::Ask => "ask",
        }
    }

    pub const ALL: [TimelineKind; 14] = [
        Self::Call,
        Self::Meeting,
        Self::Email,
        Self::Note,
        Self::TaskDone,
        Self::HealthBand,
        Self::Qbr,
        Self::Milestone,
        Self::Crm,
        Self::TaskCreated,
        Self::Signal,
        Self::Stakeholder,
        Self::Risk,
        Self::Ask,
    ];

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// Whether this kind of event counts as touching the customer (for "last touch").
    pub fn is_touch(self) -> bool {
        matches!(self, Self::Call | Self::Meeting | Self::Email | Self::Qbr)
    }
}

/// The kind of record a timeline entry opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TimelineRef {
    Note,
    Task,
    Qbr,
    Milestone,
    Risk,
    Ask,
}

impl TimelineRef {
    const ALL: [TimelineRef; 6] = [Self::Note, Self::Task, Self::Qbr, Self::Milestone, Self::Risk, Self::Ask];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Note => "note",
            Self::Task => "task",
            Self::Qbr => "qbr",
            Self::Milestone => "milestone",
            Self::Risk => "risk",
            Self::Ask => "ask",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == text)
    }
}

/// Something that happened on an account, for its timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct TimelineEvent {
    pub id: String,
    pub account_id: String,
    pub kind: TimelineKind,
    pub occurred_at: DateTime<Utc>,
    pub title: String,
    pub detail: String,
}
