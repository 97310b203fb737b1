use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{Task, TimelineKind, TimelineRef};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Sentiment {
    Positive,
    Neutral,
    Negative,
}

impl Sentiment {
    pub const ALL: [Sentiment; 3] = [Self::Positive, Self::Neutral, Self::Negative];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Positive => "positive",
            Self::Neutral => "neutral",
            Self::Negative => "negative",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// Someone at the call: one of the account's contacts, or a free name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Attendee {
    pub contact_id: Option<String>,
    pub name: String,
}

/// A call note: Markdown text with who attended, the mood, tags, and whether it may go to the CRM.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Note {
    pub id: String,
    pub account_id: String,
    pub account_name: String,
    pub occurred_at: DateTime<Utc>,
    pub template: Option<String>,
    pub title: String,
    pub body_md: String,
    pub sentiment: Option<Sentiment>,
    /// Private notes stay here; the others are published to the CRM by sync.
    pub private: bool,
    pub attendees: Vec<Attendee>,
    pub tags: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A next step to turn into a task, as the CSM confirmed it in the editor.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct ActionItemInput {
    pub title: String,
    /// "YYYY-MM-DD" or empty.
    pub due_date: String,
    pub include: bool,
}

/// A note as typed in the editor; parsed and checked in Rust.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct NoteInput {
    pub account_id: String,
    /// Local date and time "YYYY-MM-DDTHH:MM"; empty for now.
    pub occurred_at: String,
    pub template: String,
    pub title: String,
    pub body_md: String,
    pub sentiment: String,
    pub private: bool,
    pub attendees: Vec<Attendee>,
    pub tags: Vec<String>,
    pub action_items: Vec<ActionItemInput>,
}

/// A next step found in a note's checklist ("- [ ] Send the deck by Friday"), with the due date
/// understood from its words, relative to the note's day.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ActionItem {
    pub title: String,
    pub due_date: Option<NaiveDate>,
    /// The words the date was read from ("by Friday"), to show why.
    pub due_text: Option<String>,
}

/// A saved note and the tasks its next steps became.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct NoteSaved {
    pub note: Note,
    pub tasks: Vec<Task>,
}

/// A note template: its name and the Markdown it starts from. Editable in Settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NoteTemplate {
    pub id: String,
    pub name: String,
    pub body_md: String,
}

/// Unsaved editor content, kept so nothing typed is lost.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct NoteDraft {
    pub id: String,
    pub account_id: Option<String>,
    pub account_name: Option<String>,
    /// The editor's state as JSON (a NoteInput), returned as saved.
    pub payload: String,
    pub saved_at: DateTime<Utc>,
}

/// One line of a timeline: what happened, when, on which account, and what it points at.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct TimelineEntry {
    pub id: String,
    pub account_id: String,
    pub account_name: String,
    pub kind: TimelineKind,
    pub occurred_at: DateTime<Utc>,
    pub title: String,
    pub detail: String,
    /// The record the entry opens, if any.
    pub ref_kind: Option<TimelineRef>,
    pub ref_id: Option<String>,
}

/// Which timeline entries to read: an account's or everyone's, some kinds, a date range, and the
/// page (entries strictly older than `before`, an opaque cursor from the previous page).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct TimelineQuery {
    pub account_id: String,
    pub kinds: Vec<TimelineKind>,
    /// "YYYY-MM-DD" or empty.
    pub from: String,
    pub to: String,
    pub before: String,
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct TimelinePage {
    pub entries: Vec<TimelineEntry>,
    /// Pass as `before` for the next (older) page; none at the end.
    pub next: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SearchKind {
    Note,
    Account,
    Contact,
    Task,
    Risk,
    Ask,
}

impl SearchKind {
    pub const ALL: [SearchKind; 6] = [Self::Note, Self::Account, Self::Contact, Self::Task, Self::Risk, Self::Ask];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Note => "note",
            Self::Account => "account",
            Self::Contact => "contact",
            Self::Task => "task",
            Self::Risk => "risk",
            Self::Ask => "ask",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct SearchQuery {
    pub text: String,
    pub kinds: Vec<SearchKind>,
    pub account_id: String,
    /// "YYYY-MM-DD" or empty.
    pub from: String,
    pub to: String,
    pub tag: String,
    pub limit: u32,
}

/// A piece of text, highlighted when it matched the search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TextPart {
    pub text: String,
    pub hit: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SearchHit {
    pub kind: SearchKind,
    pub ref_id: String,
    pub account_id: Option<String>,
    pub account_name: Option<String>,
    pub title: Vec<TextPart>,
    pub snippet: Vec<TextPart>,
    pub day: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SearchResults {
    pub hits: Vec<SearchHit>,
    /// A line for the CSM: instead of results when there was nothing to search for, or above
    /// them when there were too many to rank.
    pub message: Option<String>,
}
