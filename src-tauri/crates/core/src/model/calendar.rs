//! The CSM's calendars, their meetings matched to accounts, and the brief before a meeting.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

text_enum! {
    /// How a meeting found its account: a known contact's email, the account's web domain, a
    /// domain the CSM assigned; or none: internal (busy time) or external and unmatched.
    MeetingMatchKind {
        Contact = "contact",
        Domain = "domain",
        Assigned = "assigned",
        Internal = "internal",
        Unmatched = "unmatched",
    }
}

text_enum! {
    /// Where a calendar is read from: a file imported once, a folder of `.ics` files watched for
    /// changes, or an https address (its secret kept in the OS keychain, never in the book).
    CalendarKind {
        File = "file",
        Folder = "folder",
        Address = "address",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
pub struct MeetingAttendee {
    /// Lower case, without `mailto:`.
    pub email: String,
    pub name: Option<String>,
}

impl MeetingAttendee {
    pub fn domain(&self) -> Option<&str> {
        self.email.rsplit_once('@').map(|(_, d)| d).filter(|d| !d.is_empty())
    }
}

/// One meeting on the CSM's day, from one of their calendars.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Meeting {
    /// `calendar id/occurrence key`: stable across refreshes.
    pub id: String,
    pub calendar_id: String,
    pub calendar_name: String,
    pub title: String,
    pub location: Option<String>,
    /// The CSM's day and local time "HH:MM" (none for an all-day event).
    pub day: NaiveDate,
    pub time: Option<String>,
    pub minutes: u32,
    pub starts_at: Option<DateTime<Utc>>,
    pub attendees: Vec<MeetingAttendee>,
    pub account_id: Option<String>,
    pub account_name: Option<String>,
    pub match_kind: MeetingMatchKind,
    /// The first external domain, for an unmatched meeting to be assigned by.
    pub domain: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CalendarSource {
    pub id: String,
    pub name: String,
    pub kind: CalendarKind,
    /// The file or folder; none for an address (a secret, in the keychain).
    pub location: Option<String>,
    pub refresh_minutes: u32,
    /// When the copy in use was read.
    pub refreshed_at: Option<DateTime<Utc>>,
    /// Why the last refresh failed (the last good copy is kept).
    pub last_error: Option<String>,
    pub events: u32,
    pub meetings: u32,
    /// What the last read could not use, in words.
    pub skipped: Vec<String>,
}

/// What Settings → Calendars shows.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CalendarsView {
    pub calendars: Vec<CalendarSource>,
    /// The CSM's own company domains: meetings among them only are busy time.
    pub internal_domains: Vec<String>,
    /// Upcoming external meetings no account was found for, soonest first (at most 100).
    pub unmatched: Vec<Meeting>,
    pub unmatched_total: u32,
    pub reminders: ReminderSettings,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CalendarInput {
    pub name: String,
    pub kind: String,
    /// A file or folder path, or the https address.
    pub location: String,
    pub refresh_minutes: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ReminderSettings {
    pub enabled: bool,
    /// Minutes before a meeting.
    pub minutes_before: u32,
    /// Once a day, tasks due today.
    pub daily_tasks: bool,
}

impl Default for ReminderSettings {
    fn default() -> Self {
        Self { enabled: true, minutes_before: 10, daily_tasks: true }
    }
}

text_enum! {
    /// The record a brief line comes from, for the UI to open.
    BriefSource {
        Account = "account",
        Health = "health",
        Signal = "signal",
        Task = "task",
        Note = "note",
        Metric = "metric",
        Renewal = "renewal",
        Risk = "risk",
        Contact = "contact",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct BriefLine {
    pub text: String,
    pub source: BriefSource,
    pub source_id: String,
    /// The CSM's own judgement (a stance): shown here, left out of what is copied or exported.
    pub private: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct BriefSection {
    pub title: String,
    pub lines: Vec<BriefLine>,
}

/// One page before a meeting, every line traceable to its record.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Brief {
    pub account_id: String,
    pub account_name: String,
    pub meeting: Option<Meeting>,
    /// The last touch with these attendees (or with the account), when there was one.
    pub since: Option<NaiveDate>,
    pub sections: Vec<BriefSection>,
    pub markdown: String,
}
