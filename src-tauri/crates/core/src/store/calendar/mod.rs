//! The CSM's calendars: each read replaces that calendar's meetings in one transaction (a failed
//! read keeps the last good copy and says why), meetings are matched to accounts as they are
//! stored and again when the CSM assigns a domain, and deleting a calendar takes its meetings only.

mod brief;
mod meetings;
mod read;
pub(crate) mod sample;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction, TransactionBehavior};

use super::risks::query_all;
use super::{enum_column, settings, Store};
use crate::calendar::matching::{guess_internal_domain, match_meeting, normalize_domain, Directory};
use crate::calendar::ParsedCalendar;
use crate::error::{Error, Result};
use crate::model::{new_id, CalendarKind, CalendarSource, CalendarsView, MeetingAttendee, ReminderSettings};
use crate::validate::ValidCalendar;

pub(super) use meetings::meetings_between;
pub use read::CalendarText;

const INTERNAL_DOMAINS: &str = "calendar.internal_domains";
const REMINDERS: &str = "calendar.reminders";
/// Settings lists this many unmatched meetings; the rest are counted.
const UNMATCHED_SHOWN: usize = 100;

const SELECT: &str = "SELECT c.id, c.name, c.kind, c.location, c.refresh_minutes, c.refreshed_at, c.last_error, \
     c.events, (SELECT count(*) FROM meetings m WHERE m.calendar_id = c.id), c.skipped FROM calendars c";

fn source_row(row: &Row<'_>) -> rusqlite::Result<CalendarSource> {
    let skipped: String = row.get(9)?;
    Ok(CalendarSource {
        id: row.get(0)?,
        name: row.get(1)?,
        kind: enum_column(row, 2, CalendarKind::parse)?,
        location: row.get(3)?,
        refresh_minutes: row.get(4)?,
        refreshed_at: row.get(5)?,
        last_error: row.get(6)?,
        events: row.get(7)?,
        meetings: row.get(8)?,
        skipped: serde_json::from_str(&skipped).unwrap_or_default(),
    })
}

fn source(conn: &Connection, id: &str) -> Result<CalendarSource> {
    conn.prepare_cached(&format!("{SELECT} WHERE c.id = ?1"))?
        .query_row([id], source_row)
        .optional()?
        .ok_or(Error::NotFound("calendar"))
}

/// What meetings are matched against, read in a few set-based queries.
fn directory(conn: &Connection) -> Result<Directory> {
    let mut dir = Directory::default();
    let contacts = query_all(
        conn,
        "SELECT lower(trim(email)), account_id FROM contacts WHERE email LIKE '%@%' AND left_on IS NULL",
        [],
        |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
    )?;
    dir.contacts.extend(contacts);
    let mut by_domain: HashMap<String, Option<String>> = HashMap::new();
    for (domain, id) in query_all(conn, "SELECT domain, id FROM accounts WHERE domain IS NOT NULL", [], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })? {
        if let Some(domain) = normalize_domain(&domain) {
            // A domain two accounts share says nothing: left out.
            by_domain.entry(domain).and_modify(|a| *a = None).or_insert(Some(id));
        }
    }
    dir.domains.extend(by_domain.into_iter().filter_map(|(d, a)| a.map(|a| (d, a))));
    let assigned = query_all(conn, "SELECT domain, account_id FROM meeting_assignments", [], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    dir.assigned.extend(assigned);
    dir.internal.extend(internal_domains_in(conn)?);
    Ok(dir)
}

fn internal_domains_in(conn: &Connection) -> Result<Vec<String>> {
    Ok(settings::read_json(conn, INTERNAL_DOMAINS)?.unwrap_or_default())
}

/// Matches meetings again: after an assignment only those an assignment can change (unmatched or
/// assigned), after a new company domain every one.
fn rematch(conn: &Connection, all: bool) -> Result<()> {
    let dir = directory(conn)?;
    let rows = query_all(
        conn,
        "SELECT calendar_id, key, attendees FROM meetings WHERE ?1 OR match_kind IN ('unmatched', 'assigned')",
        [all],
        |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)),
    )?;
    let mut update = conn.prepare_cached(
        "UPDATE meetings SET account_id = ?3, match_kind = ?4, domain = ?5 WHERE calendar_id = ?1 AND key = ?2",
    )?;
    for (calendar, key, attendees) in rows {
        let attendees: Vec<MeetingAttendee> = serde_json::from_str(&attendees).unwrap_or_default();
        let m = match_meeting(&attendees, &dir);
        update.execute(params![calendar, key, m.account_id, m.kind.as_str(), m.domain])?;
    }
    Ok(())
}

/// The calendar's meetings replaced by `read`'s, matched, inside the caller's transaction.
fn replace_meetings(
    tx: &Transaction<'_>,
    id: &str,
    read: &ParsedCalendar,
    zone: Tz,
    fingerprint: Option<&str>,
    now: DateTime<Utc>,
) -> Result<()> {
    let mut dir = directory(tx)?;
    if settings::read(tx, INTERNAL_DOMAINS)?.is_none() {
        let meetings = read.occurrences.iter().map(|o| o.attendees.as_slice());
        if let Some(domain) = guess_internal_domain(read.name.as_deref(), meetings, &dir) {
            settings::write_json(tx, INTERNAL_DOMAINS, &[&domain])?;
            dir.internal.insert(domain);
        }
    }
    tx.execute("DELETE FROM meetings WHERE calendar_id = ?1", [id])?;
    meetings::insert_all(tx, id, read, zone, &dir)?;
    let skipped = serde_json::to_string(&read.skipped.iter().take(50).collect::<Vec<_>>()).unwrap_or_default();
    tx.execute(
        "UPDATE calendars SET refreshed_at = ?2, checked_at = ?2, last_error = NULL, events = ?3, skipped = ?4, \
         fingerprint = ?5 WHERE id = ?1",
        params![id, now, read.events, skipped, fingerprint],
    )?;
    Ok(())
}

impl Store {
    pub fn calendars(&self, today: NaiveDate) -> Result<CalendarsView> {
        let conn = self.conn();
        let calendars = query_all(&conn, &format!("{SELECT} ORDER BY c.name, c.id"), [], source_row)?;
        let (unmatched, unmatched_total) = meetings::unmatched(&conn, today, UNMATCHED_SHOWN)?;
        Ok(CalendarsView {
            calendars,
            internal_domains: internal_domains_in(&conn)?,
            unmatched,
            unmatched_total,
            reminders: settings::read_json(&conn, REMINDERS)?.unwrap_or_default(),
        })
    }

    pub fn calendar(&self, id: &str) -> Result<CalendarSource> {
        source(&self.conn(), id)
    }

    /// Records a calendar; its meetings come with its first read.
    pub fn add_calendar(&self, d: &ValidCalendar, now: DateTime<Utc>) -> Result<CalendarSource> {
        let conn = self.conn();
        let id = new_id();
        conn.execute(
            "INSERT INTO calendars (id, name, kind, location, refresh_minutes, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![id, d.name, d.kind.as_str(), d.location, d.refresh_minutes, now],
        )?;
        source(&conn, &id)
    }

    /// Takes the calendar and its meetings away; tasks made from them stay.
    pub fn delete_calendar(&self, id: &str) -> Result<()> {
        let changed = self.conn().execute("DELETE FROM calendars WHERE id = ?1", [id])?;
        if changed == 0 {
            return Err(Error::NotFound("calendar"));
        }
        Ok(())
    }

    /// Replaces the calendar's meetings with what was just read, matched to accounts, in one
    /// transaction. The CSM's company domain is guessed from the meetings the first time.
    pub fn store_calendar_read(
        &self,
        id: &str,
        read: &ParsedCalendar,
        zone: Tz,
        fingerprint: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<CalendarSource> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        source(&tx, id)?;
        replace_meetings(&tx, id, read, zone, fingerprint, now)?;
        let out = source(&tx, id)?;
        tx.commit()?;
        Ok(out)
    }

    /// A read that failed: the last good copy stays, the reason is shown.
    pub fn calendar_read_failed(&self, id: &str, message: &str, now: DateTime<Utc>) -> Result<CalendarSource> {
        let conn = self.conn();
        conn.execute("UPDATE calendars SET checked_at = ?2, last_error = ?3 WHERE id = ?1", params![id, now, message])?;
        source(&conn, id)
    }

    /// The address calendars whose refresh is due, and every folder (a cheap look at its files).
    pub fn calendars_due(&self, now: DateTime<Utc>) -> Result<Vec<CalendarSource>> {
        let conn = self.conn();
        let due = query_all(
            &conn,
            &format!(
                "{SELECT} WHERE c.kind = 'folder' OR (c.kind = 'address' AND (c.checked_at IS NULL OR \
                 strftime('%s', ?1) - strftime('%s', c.checked_at) >= c.refresh_minutes * 60))"
            ),
            [now],
            source_row,
        )?;
        Ok(due)
    }

    pub fn calendar_fingerprint(&self, id: &str) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row("SELECT fingerprint FROM calendars WHERE id = ?1", [id], |r| r.get(0))
            .optional()?
            .flatten())
    }

    /// Meetings with this domain (or address) belong to the account from now on.
    pub fn assign_meeting_domain(&self, domain: &str, account_id: &str) -> Result<u32> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let domain = domain.trim().to_lowercase();
        if domain.is_empty() || domain.len() > 254 {
            return Err(Error::invalid("domain", "Choose a meeting to assign."));
        }
        tx.query_row("SELECT 1 FROM accounts WHERE id = ?1", [account_id], |_| Ok(()))
            .optional()?
            .ok_or(Error::NotFound("account"))?;
        tx.execute(
            "INSERT INTO meeting_assignments (domain, account_id) VALUES (?1, ?2) \
             ON CONFLICT (domain) DO UPDATE SET account_id = excluded.account_id",
            params![domain, account_id],
        )?;
        rematch(&tx, false)?;
        let matched: u32 = tx.query_row(
            "SELECT count(*) FROM meetings WHERE domain = ?1 AND account_id = ?2",
            params![domain, account_id],
            |r| r.get(0),
        )?;
        tx.commit()?;
        Ok(matched)
    }

    pub fn set_internal_domains(&self, domains: &[String]) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        settings::write_json(&tx, INTERNAL_DOMAINS, &domains)?;
        rematch(&tx, true)?;
        tx.commit()?;
        Ok(())
    }

    pub fn reminder_settings(&self) -> Result<ReminderSettings> {
        Ok(settings::read_json(&self.conn(), REMINDERS)?.unwrap_or_default())
    }

    pub fn save_reminder_settings(&self, s: &ReminderSettings) -> Result<()> {
        settings::write_json(&self.conn(), REMINDERS, s)
    }
}
