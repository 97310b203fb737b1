//! The outbox: published notes and tasks on linked accounts not yet in the CRM (or edited since),
//! read from the records themselves, and the links written once they are pushed.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension};

use crate::error::Result;
use crate::model::{OutboxItem, OutboxKind};
use crate::store::Store;

/// A note waiting to be pushed, with what the CRM needs to file it.
#[derive(Debug, Clone, PartialEq)]
pub struct PushNote {
    pub local_id: String,
    pub account_remote_id: String,
    pub account_name: String,
    pub contact_remote_ids: Vec<String>,
    pub occurred_at: DateTime<Utc>,
    pub title: String,
    pub body_md: String,
    /// The version pushed, kept on the link so a later edit is pushed again.
    pub version: String,
}

/// A task waiting to be pushed (new, edited or completed).
#[derive(Debug, Clone, PartialEq)]
pub struct PushTask {
    pub local_id: String,
    pub account_remote_id: String,
    /// The account's name, for the CSM's list of what will be pushed.
    pub account_name: String,
    pub title: String,
    pub details: String,
    pub due_date: Option<NaiveDate>,
    pub done: bool,
    pub priority: String,
    pub version: String,
}

pub(super) fn outbox_item(kind: OutboxKind, local_id: String, label: String, account: String) -> OutboxItem {
    OutboxItem { kind, local_id, label, account }
}

pub(super) fn notes_to_push(conn: &Connection, system: &str) -> Result<Vec<PushNote>> {
    let mut stmt = conn.prepare(
        "SELECT n.id, l.remote_id, n.occurred_at, n.title, n.body_md, n.updated_at, \
                (SELECT json_group_array(cl.remote_id) FROM note_attendees a \
                   JOIN crm_links cl ON cl.entity = 'contact' AND cl.local_id = a.contact_id AND cl.system = ?1 \
                  WHERE a.note_id = n.id), \
                (SELECT name FROM accounts WHERE id = n.account_id) \
         FROM notes n JOIN crm_links l ON l.entity = 'account' AND l.local_id = n.account_id AND l.system = ?1 \
         LEFT JOIN crm_links pushed ON pushed.entity = 'note' AND pushed.local_id = n.id AND pushed.system = ?1 \
         WHERE n.private = 0 AND (pushed.local_id IS NULL OR pushed.pushed_version IS NOT n.updated_at) \
         ORDER BY n.occurred_at, n.id",
    )?;
    let rows = stmt.query_map([system], |r| {
        let contacts: String = r.get(6)?;
        Ok(PushNote {
            local_id: r.get(0)?,
            account_remote_id: r.get(1)?,
            occurred_at: r.get(2)?,
            title: r.get(3)?,
            // The CSM's `@name stance:` lines stay here (the stakeholder map is private).
            body_md: crate::relationships::without_stakeholder_lines(&r.get::<_, String>(4)?),
            version: r.get(5)?,
            contact_remote_ids: serde_json::from_str(&contacts).unwrap_or_default(),
            account_name: r.get::<_, Option<String>>(7)?.unwrap_or_default(),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Tasks on linked accounts not yet pushed (or changed since); tasks the playbooks made only when
/// the CSM chose to push them (Settings), so generated work never reaches the CRM unasked.
pub(super) fn tasks_to_push(conn: &Connection, system: &str) -> Result<Vec<PushTask>> {
    let with_playbooks = crate::store::planner::settings_in(conn)?.push_playbook_tasks;
    let mut stmt = conn.prepare(
        "SELECT t.id, l.remote_id, t.title, t.details, t.due_date, t.status = 'done', t.priority, t.updated_at, \
                (SELECT name FROM accounts WHERE id = t.account_id) \
         FROM tasks t JOIN crm_links l ON l.entity = 'account' AND l.local_id = t.account_id AND l.system = ?1 \
         LEFT JOIN crm_links pushed ON pushed.entity = 'task' AND pushed.local_id = t.id AND pushed.system = ?1 \
         WHERE t.source != 'crm' AND (t.source != 'playbook' OR ?2) AND t.status != 'cancelled' \
           AND (pushed.local_id IS NULL OR pushed.pushed_version IS NOT t.updated_at) \
           AND (pushed.local_id IS NOT NULL OR t.status != 'done') \
         ORDER BY t.created_at, t.id",
    )?;
    let rows = stmt.query_map(params![system, with_playbooks], |r| {
        Ok(PushTask {
            local_id: r.get(0)?,
            account_remote_id: r.get(1)?,
            account_name: r.get::<_, Option<String>>(8)?.unwrap_or_default(),
            title: r.get(2)?,
            details: r.get(3)?,
            due_date: crate::store::columns::date(r, 4)?,
            done: r.get(5)?,
            priority: r.get(6)?,
            version: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

impl Store {
    pub fn notes_to_push(&self, system: &str) -> Result<Vec<PushNote>> {
        notes_to_push(&self.conn(), system)
    }

    pub fn tasks_to_push(&self, system: &str) -> Result<Vec<PushTask>> {
        tasks_to_push(&self.conn(), system)
    }

    /// Records that a note or task is in the CRM at `version`, so it is pushed again only after
    /// a later edit.
    pub fn record_pushed(
        &self,
        system: &str,
        kind: &str,
        local_id: &str,
        remote_id: &str,
        version: &str,
    ) -> Result<()> {
        self.conn()
            .prepare_cached(
                "INSERT INTO crm_links (entity, local_id, system, remote_id, pushed_version) VALUES (?1, ?2, ?3, ?4, ?5) \
                 ON CONFLICT (entity, local_id, system) DO UPDATE SET \
                   remote_id = excluded.remote_id, pushed_version = excluded.pushed_version",
            )?
            .execute(params![kind, local_id, system, remote_id, version])?;
        Ok(())
    }

    /// The CRM id of a linked local record.
    pub fn remote_id(&self, system: &str, entity: &str, local_id: &str) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT remote_id FROM crm_links WHERE system = ?1 AND entity = ?2 AND local_id = ?3",
                params![system, entity, local_id],
                |r| r.get(0),
            )
            .optional()?)
    }
}
