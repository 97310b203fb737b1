//! The CSM's calendar: meetings read from iCalendar files (RFC 5545), recurrences expanded over
//! a window, and each meeting matched to an account. Pure: text in, occurrences and what was
//! skipped out. Parsing is `icalendar`'s, recurrence `rrule`'s, time zones the IANA database
//! (`chrono-tz`), with Outlook's Windows zone names mapped through CLDR (`windows-timezones`).

mod expand;
pub mod matching;
mod parse;
#[cfg(test)]
mod tests;
mod zones;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::model::MeetingAttendee;

pub use matching::{match_meeting, Directory, MeetingMatch};

/// A timed meeting without an end lasts this long (RFC 5545 would make it an instant).
pub const DEFAULT_MEETING_MINUTES: i64 = 30;
/// One recurring meeting yields at most this many occurrences in the window.
const MAX_OCCURRENCES_PER_SERIES: u16 = 1000;
/// A calendar yields at most this many occurrences; beyond, the rest is skipped and said so.
pub const MAX_OCCURRENCES: usize = 100_000;

/// The days meetings are kept for: some past (for the brief and "Log this call"), a year ahead.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Window {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

impl Window {
    pub fn around(today: NaiveDate) -> Self {
        let day = |d: NaiveDate| d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
        Self { from: day(today - chrono::Days::new(60)), to: day(today + chrono::Days::new(366)) }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Timed {
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    },
    /// Days from `first` to `last` inclusive.
    AllDay {
        first: NaiveDate,
        last: NaiveDate,
    },
}

/// One meeting on one day: a single event, or one occurrence of a recurring one.
#[derive(Debug, Clone, PartialEq)]
pub struct Occurrence {
    pub uid: String,
    /// Stable across refreshes: the UID and the occurrence's original start.
    pub key: String,
    pub title: String,
    pub location: Option<String>,
    pub when: When,
    /// The organizer and attendees, each email once; rooms and resources left out.
    pub attendees: Vec<MeetingAttendee>,
}

impl Occurrence {
    /// The CSM's day and wall-clock time ("HH:MM", none all day) and length in minutes.
    pub fn local(&self, zone: Tz) -> (NaiveDate, Option<String>, i64) {
        match self.when {
            When::Timed { start, end } => {
                let local = start.with_timezone(&zone);
                (local.date_naive(), Some(local.format("%H:%M").to_string()), (end - start).num_minutes().max(0))
            }
            When::AllDay { first, .. } => (first, None, 0),
        }
    }

    pub fn last_day(&self, zone: Tz) -> NaiveDate {
        match self.when {
            When::Timed { end, .. } => end.with_timezone(&zone).date_naive(),
            When::AllDay { last, .. } => last,
        }
    }
}

/// What a calendar file gave: its meetings in the window, and what could not be read, in words.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParsedCalendar {
    /// `X-WR-CALNAME`, when the file names itself.
    pub name: Option<String>,
    /// Events read (a recurring series counts once), cancelled ones included.
    pub events: usize,
    pub occurrences: Vec<Occurrence>,
    pub skipped: Vec<String>,
}

/// Reads a calendar file. `zone` is the CSM's: floating times are read in it, and unknown time
/// zones fall back to it (said in `skipped`). Never fails: a file that is not a calendar gives no
/// meetings and says so.
pub fn read(text: &str, zone: Tz, window: Window) -> ParsedCalendar {
    let mut out = ParsedCalendar::default();
    let events = match parse::events(text, zone, &mut out) {
        Some(events) => events,
        None => return out,
    };
    expand::occurrences(events, zone, window, &mut out);
    out
}
