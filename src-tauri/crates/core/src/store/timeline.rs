//! Timeline events: what happened on an account. Read newest first, a page at a time, through
//! the (account, occurred_at, id) and (occurred_at, id) indexes, so years of history stay smooth.

use chrono::{DateTime, Days, NaiveDate, Utc};
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection};

use super::{enum_column, Store};
use crate::error::Result;
use crate::model::{new_id, TimelineEntry, TimelineEvent, TimelineKind, TimelinePage, TimelineRef};

pub(crate) fn insert(conn: &Connection, e: &TimelineEvent) -> rusqlite::Result<()> {
    insert_about(conn, e, None)
}

/// Inserts an event that opens a record: `reference` is its kind and id.
pub(crate) fn insert_about(
    conn: &Connection,
    e: &TimelineEvent,
    reference: Option<(TimelineRef, &str)>,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO timeline_events (id, account_id, kind, occurred_at, title, detail, ref_kind, ref_id) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        e.id,
        e.account_id,
        e.kind.as_str(),
        e.occurred_at,
        e.title,
        e.detail,
        reference.map(|r| r.0.as_str()),
        reference.map(|r| r.1)
    ])?;
    Ok(())
}

/// A new event on an account, now.
pub(crate) fn event(
    account_id: &str,
    kind: TimelineKind,
    at: DateTime<Utc>,
    title: String,
    detail: String,
) -> TimelineEvent {
    TimelineEvent { id: new_id(), account_id: account_id.to_owned(), kind, occurred_at: at, title, detail }
}

/// Which page of the timeline to read; checked from a `TimelineQuery` by the caller.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TimelineFilter {
    pub account_id: Option<String>,
    pub kinds: Vec<TimelineKind>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Entries strictly older than this (occurred_at, id).
    pub before: Option<(String, String)>,
    pub limit: u32,
}

impl TimelineFilter {
    /// Reads the cursor a page handed out ("occurred_at|id"); anything else starts at the top.
    pub fn cursor(text: &str) -> Option<(String, String)> {
        let (at, id) = text.split_once('|')?;
        Some((at.to_owned(), id.to_owned())).filter(|(at, id)| !at.is_empty() && !id.is_empty())
    }
}

impl Store {
    /// One page of a timeline, newest first. Only the filters in use reach the SQL, so each
    /// query seeks its index instead of scanning.
    pub fn timeline(&self, f: &TimelineFilter) -> Result<TimelinePage> {
        let mut sql = String::from(
            "SELECT e.id, e.account_id, a.name, e.kind, e.occurred_at, e.title, e.detail, e.ref_kind, e.ref_id \
             FROM timeline_events e JOIN accounts a ON a.id = e.account_id WHERE 1",
        );
        let mut args: Vec<Value> = Vec::new();
        let mut arg = |sql: &mut String, clause: &str, value: Value| {
            args.push(value);
            sql.push_str(&clause.replace('?', &format!("?{}", args.len())));
        };
        if let Some(account) = &f.account_id {
            arg(&mut sql, " AND e.account_id = ?", Value::Text(account.clone()));
        }
        if !f.kinds.is_empty() {
            let kinds: Vec<&str> = f.kinds.iter().map(|k| k.as_str()).collect();
            let json = serde_json::to_string(&kinds).unwrap_or_else(|_| "[]".to_owned());
            arg(&mut sql, " AND e.kind IN (SELECT value FROM json_each(?))", Value::Text(json));
        }
        if let Some(from) = f.from {
            arg(&mut sql, " AND e.occurred_at >= ?", Value::Text(from.to_string()));
        }
        if let Some(to) = f.to.and_then(|d| d.checked_add_days(Days::new(1))) {
            arg(&mut sql, " AND e.occurred_at < ?", Value::Text(to.to_string()));
        }
        if let Some((at, id)) = &f.before {
            args.push(Value::Text(at.clone()));
            args.push(Value::Text(id.clone()));
            let n = args.len();
            sql.push_str(&format!(" AND (e.occurred_at, e.id) < (?{}, ?{n})", n - 1));
        }
        let limit = f.limit.clamp(1, 500);
        sql.push_str(&format!(" ORDER BY e.occurred_at DESC, e.id DESC LIMIT {}", limit + 1));

        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), |row| {
            Ok(TimelineEntry {
                id: row.get(0)?,
                account_id: row.get(1)?,
                account_name: row.get(2)?,
                kind: enum_column(row, 3, TimelineKind::parse)?,
                occurred_at: row.get(4)?,
                title: row.get(5)?,
                detail: row.get(6)?,
                ref_kind: row.get::<_, Option<String>>(7)?.as_deref().and_then(TimelineRef::parse),
                ref_id: row.get(8)?,
            })
        })?;
        let mut entries: Vec<TimelineEntry> = rows.collect::<rusqlite::Result<_>>()?;
        let next = if entries.len() > limit as usize {
            entries.truncate(limit as usize);
            // The cursor is the stored text of the last entry's time, as the index orders it.
            let last = entries.last().map(|e| e.id.clone()).unwrap_or_default();
            let at: String =
                conn.query_row("SELECT occurred_at FROM timeline_events WHERE id = ?1", [&last], |r| r.get(0))?;
            Some(format!("{at}|{last}"))
        } else {
            None
        };
        Ok(TimelinePage { entries, next })
    }
}
