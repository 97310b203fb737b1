//! Meetings as stored: written from a calendar read, read back for the Week, the brief and the
//! list of meetings no account was found for.

use chrono::{Days, NaiveDate};
use chrono_tz::Tz;
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

use super::super::columns::date;
use super::super::enum_column;
use super::super::risks::query_all;
use super::Store;
use std::collections::HashMap;

use crate::calendar::matching::{match_meeting, Directory, MeetingMatch};
use crate::calendar::ParsedCalendar;
use crate::error::{Error, Result};
use crate::model::{Meeting, MeetingAttendee, MeetingMatchKind};

const SELECT: &str = "SELECT m.calendar_id, m.key, c.name, m.title, m.location, m.day, m.time, m.minutes, \
     m.starts_at, m.attendees, m.account_id, a.name, m.match_kind, m.domain \
     FROM meetings m JOIN calendars c ON c.id = m.calendar_id LEFT JOIN accounts a ON a.id = m.account_id";
const ORDER: &str = "ORDER BY m.day, m.time IS NOT NULL, m.time, m.title, m.key";

fn meeting_row(row: &Row<'_>) -> rusqlite::Result<Meeting> {
    let calendar_id: String = row.get(0)?;
    let key: String = row.get(1)?;
    let attendees: String = row.get(9)?;
    Ok(Meeting {
        id: format!("{calendar_id}/{key}"),
        calendar_id,
        calendar_name: row.get(2)?,
        title: row.get(3)?,
        location: row.get(4)?,
        day: date(row, 5)?.unwrap_or_default(),
        time: row.get(6)?,
        minutes: row.get(7)?,
        starts_at: row.get(8)?,
        attendees: serde_json::from_str(&attendees).unwrap_or_default(),
        account_id: row.get(10)?,
        account_name: row.get(11)?,
        match_kind: enum_column(row, 12, MeetingMatchKind::parse)?,
        domain: row.get(13)?,
    })
}

/// Writes a read's occurrences, each matched to its account. A series' occurrences share their
/// attendees: the JSON and the match are worked out once per attendee list.
pub(super) fn insert_all(
    tx: &Transaction<'_>,
    calendar_id: &str,
    read: &ParsedCalendar,
    zone: Tz,
    dir: &Directory,
) -> Result<()> {
    let mut insert = tx.prepare_cached(
        "INSERT OR REPLACE INTO meetings (calendar_id, key, uid, title, location, starts_at, day, last_day, time, \
         minutes, attendees, account_id, match_kind, domain) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?;
    let mut seen: HashMap<&[MeetingAttendee], (String, MeetingMatch)> = HashMap::new();
    for o in &read.occurrences {
        let (attendees, found) = seen.entry(o.attendees.as_slice()).or_insert_with(|| {
            let json = serde_json::to_string(&o.attendees).unwrap_or_else(|_| "[]".to_owned());
            (json, match_meeting(&o.attendees, dir))
        });
        let (day, time, minutes) = o.local(zone);
        let starts_at = match o.when {
            crate::calendar::When::Timed { start, .. } => Some(start),
            crate::calendar::When::AllDay { .. } => None,
        };
        insert.execute(params![
            calendar_id,
            o.key,
            o.uid,
            o.title,
            o.location,
            starts_at,
            day,
            o.last_day(zone),
            time,
            minutes,
            &*attendees,
            found.account_id,
            found.kind.as_str(),
            found.domain
        ])?;
    }
    Ok(())
}

/// Meetings on the CSM's days `from` to `to`, by day and time (all-day ones first).
pub(crate) fn meetings_between(conn: &Connection, from: NaiveDate, to: NaiveDate) -> Result<Vec<Meeting>> {
    query_all(conn, &format!("{SELECT} WHERE m.day BETWEEN ?1 AND ?2 {ORDER}"), params![from, to], meeting_row)
}

/// Upcoming external meetings with no account, soonest first, and how many there are.
pub(super) fn unmatched(conn: &Connection, today: NaiveDate, limit: usize) -> Result<(Vec<Meeting>, u32)> {
    let rows = query_all(
        conn,
        &format!("{SELECT} WHERE m.match_kind = 'unmatched' AND m.day >= ?1 {ORDER} LIMIT ?2"),
        params![today, limit],
        meeting_row,
    )?;
    let total =
        conn.query_row("SELECT count(*) FROM meetings WHERE match_kind = 'unmatched' AND day >= ?1", [today], |r| {
            r.get(0)
        })?;
    Ok((rows, total))
}

impl Store {
    pub fn meeting(&self, id: &str) -> Result<Meeting> {
        let (calendar_id, key) = id.split_once('/').ok_or(Error::NotFound("meeting"))?;
        self.conn()
            .prepare_cached(&format!("{SELECT} WHERE m.calendar_id = ?1 AND m.key = ?2"))?
            .query_row(params![calendar_id, key], meeting_row)
            .optional()?
            .ok_or(Error::NotFound("meeting"))
    }

    /// The account's meetings from a week ago to four weeks ahead (the account page's list, and
    /// the one a brief opened from the account is for).
    pub fn account_meetings(&self, account_id: &str, today: NaiveDate) -> Result<Vec<Meeting>> {
        query_all(
            &self.conn(),
            &format!("{SELECT} WHERE m.account_id = ?1 AND m.day BETWEEN ?2 AND ?3 {ORDER}"),
            params![account_id, today - Days::new(7), today + Days::new(28)],
            meeting_row,
        )
    }

    /// Timed meetings starting from `from` to `to` (UTC), for reminders.
    pub fn meetings_starting(
        &self,
        from: chrono::DateTime<chrono::Utc>,
        to: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<Meeting>> {
        query_all(
            &self.conn(),
            &format!("{SELECT} WHERE m.starts_at >= ?1 AND m.starts_at < ?2 AND m.match_kind != 'internal' {ORDER}"),
            params![from, to],
            meeting_row,
        )
    }
}
