//! Timeline events: what happened on an account, newest last.

use rusqlite::{params, Connection};

use crate::model::TimelineEvent;

pub(crate) fn insert(conn: &Connection, e: &TimelineEvent) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO timeline_events (id, account_id, kind, occurred_at, title, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![e.id, e.account_id, e.kind.as_str(), e.occurred_at, e.title, e.detail])?;
    Ok(())
}
