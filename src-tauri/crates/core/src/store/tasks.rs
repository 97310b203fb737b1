//! Tasks: the CSM's own, and those made by playbooks and suggestions. Completing a task puts it
//! on the account's timeline; completing an accepted touch counts as touching the account.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

use super::columns::{date, instant};
use super::{accounts, enum_column, health, search, timeline, Store};
use crate::error::{Error, FieldError, Result};
use crate::model::TimelineRef;
use crate::model::{new_id, Priority, SearchKind, Task, TaskSource, TaskStatus, TimelineEvent, TimelineKind};
use crate::planner::Overdue;
use crate::validate::ValidTask;

pub(crate) const SELECT: &str = "SELECT t.id, t.account_id, a.name, t.title, t.due_date, t.due_time, t.priority, \
     t.effort_minutes, t.status, t.snoozed_until, t.source, t.provenance, t.is_touch, t.details, t.completed_at, \
     t.created_at, t.updated_at FROM tasks t LEFT JOIN accounts a ON a.id = t.account_id";

pub(crate) fn from_row(row: &Row<'_>) -> rusqlite::Result<Task> {
    Ok(Task {
        id: row.get(0)?,
        account_id: row.get(1)?,
        account_name: row.get(2)?,
        title: row.get(3)?,
        due_date: date(row, 4)?,
        due_time: row.get(5)?,
        priority: enum_column(row, 6, Priority::parse)?,
        effort_minutes: row.get(7)?,
        status: enum_column(row, 8, TaskStatus::parse)?,
        snoozed_until: date(row, 9)?,
        source: enum_column(row, 10, TaskSource::parse)?,
        provenance: row.get(11)?,
        is_touch: row.get(12)?,
        details: row.get(13)?,
        completed_at: instant(row, 14)?,
        created_at: row.get(15)?,
        updated_at: row.get(16)?,
    })
}

/// A task as the store writes it; `generated_due` only for playbook tasks.
pub(crate) struct NewTask<'a> {
    pub draft: &'a ValidTask,
    pub source: TaskSource,
    pub source_ref: Option<&'a str>,
    pub provenance: &'a str,
    pub is_touch: bool,
    pub generated_due: Option<NaiveDate>,
    /// The call note whose next step this is.
    pub note_id: Option<&'a str>,
}

pub(crate) fn insert(conn: &Connection, t: &NewTask<'_>, now: DateTime<Utc>) -> Result<String> {
    let id = new_id();
    let d = t.draft;
    conn.prepare_cached(
        "INSERT INTO tasks (id, account_id, title, due_date, due_time, priority, effort_minutes, status, source, \
         source_ref, provenance, is_touch, generated_due, details, created_at, updated_at, note_id) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'open', ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14, ?15)",
    )?
    .execute(params![
        id,
        d.account_id,
        d.title,
        d.due_date,
        d.due_time,
        d.priority.as_str(),
        d.effort_minutes,
        t.source.as_str(),
        t.source_ref,
        t.provenance,
        t.is_touch,
        t.generated_due,
        d.details,
        now,
        t.note_id
    ])?;
    search::reindex(conn, SearchKind::Task, &id)?;
    Ok(id)
}

/// Writes a whole task as it is (the sample book's).
pub(crate) fn insert_task(conn: &Connection, t: &Task) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO tasks (id, account_id, title, due_date, due_time, priority, effort_minutes, status, snoozed_until, \
         source, provenance, is_touch, details, completed_at, created_at, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
    )?
    .execute(params![
        t.id,
        t.account_id,
        t.title,
        t.due_date,
        t.due_time,
        t.priority.as_str(),
        t.effort_minutes,
        t.status.as_str(),
        t.snoozed_until,
        t.source.as_str(),
        t.provenance,
        t.is_touch,
        t.details,
        t.completed_at,
        t.created_at,
        t.updated_at
    ])?;
    Ok(())
}

pub(crate) fn get(conn: &Connection, id: &str) -> Result<Task> {
    conn.prepare_cached(&format!("{SELECT} WHERE t.id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .ok_or(Error::NotFound("task"))
}

fn check_account(conn: &Connection, account_id: Option<&str>) -> Result<()> {
    match account_id {
        Some(id) if !accounts::exists(conn, id)? => {
            Err(Error::Invalid(vec![FieldError::new("account_id", "That account doesn't exist.")]))
        }
        _ => Ok(()),
    }
}

/// Puts a task the CSM (or a note) created on its account's timeline.
pub(crate) fn created_on_timeline(conn: &Connection, task: &Task, now: DateTime<Utc>) -> Result<()> {
    let Some(account_id) = &task.account_id else { return Ok(()) };
    let due = task.due_date.map(|d| format!("due {}", crate::facts::day_text(d))).unwrap_or_default();
    let event = timeline::event(account_id, TimelineKind::TaskCreated, now, format!("Task: {}", task.title), due);
    timeline::insert_about(conn, &event, Some((TimelineRef::Task, &task.id)))?;
    Ok(())
}

/// Sets a task's status fields in one statement; fails with NotFound when the task is gone.
fn set_status(
    tx: &Transaction<'_>,
    id: &str,
    status: TaskStatus,
    snoozed_until: Option<NaiveDate>,
    completed_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<()> {
    let changed = tx.execute(
        "UPDATE tasks SET status = ?2, snoozed_until = ?3, completed_at = ?4, updated_at = ?5 WHERE id = ?1",
        params![id, status.as_str(), snoozed_until, completed_at, now],
    )?;
    if changed == 0 {
        return Err(Error::NotFound("task"));
    }
    Ok(())
}

impl Store {
    pub fn create_task(&self, draft: &ValidTask, now: DateTime<Utc>) -> Result<Task> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        check_account(&tx, draft.account_id.as_deref())?;
        let new = NewTask {
            draft,
            source: TaskSource::Manual,
            source_ref: None,
            provenance: "",
            is_touch: false,
            generated_due: None,
            note_id: None,
        };
        let id = insert(&tx, &new, now)?;
        let task = get(&tx, &id)?;
        created_on_timeline(&tx, &task, now)?;
        tx.commit()?;
        Ok(task)
    }

    pub fn task(&self, id: &str) -> Result<Task> {
        get(&self.conn(), id)
    }

    /// Replaces what the CSM can edit; provenance, source and status stay.
    pub fn update_task(&self, id: &str, d: &ValidTask, now: DateTime<Utc>) -> Result<Task> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        check_account(&tx, d.account_id.as_deref())?;
        let changed = tx.execute(
            "UPDATE tasks SET account_id = ?2, title = ?3, due_date = ?4, due_time = ?5, priority = ?6, \
             effort_minutes = ?7, details = ?8, updated_at = ?9 WHERE id = ?1",
            params![
                id,
                d.account_id,
                d.title,
                d.due_date,
                d.due_time,
                d.priority.as_str(),
                d.effort_minutes,
                d.details,
                now
            ],
        )?;
        if changed == 0 {
            return Err(Error::NotFound("task"));
        }
        search::reindex(&tx, SearchKind::Task, id)?;
        let task = get(&tx, id)?;
        tx.commit()?;
        Ok(task)
    }

    /// Marks a task done and puts it on the account's timeline. A done touch moves the account's
    /// last touch to now and rescores it, in the same transaction.
    pub fn complete_task(&self, id: &str, now: DateTime<Utc>, today: NaiveDate) -> Result<Task> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let before = get(&tx, id)?;
        if before.status == TaskStatus::Done {
            return Ok(before);
        }
        set_status(&tx, id, TaskStatus::Done, None, Some(now), now)?;
        if let Some(account_id) = &before.account_id {
            let event = TimelineEvent {
                id: new_id(),
                account_id: account_id.clone(),
                kind: TimelineKind::TaskDone,
                occurred_at: now,
                title: format!("Done: {}", before.title),
                detail: before.provenance.clone(),
            };
            timeline::insert_about(&tx, &event, Some((TimelineRef::Task, id)))?;
            if before.is_touch {
                tx.execute(
                    "UPDATE accounts SET last_touch_at = ?2 WHERE id = ?1 AND (last_touch_at IS NULL OR last_touch_at < ?2)",
                    params![account_id, now],
                )?;
                health::rescore_in(&tx, account_id, today)?;
            }
        }
        let task = get(&tx, id)?;
        tx.commit()?;
        Ok(task)
    }

    /// Opens a done, snoozed or cancelled task again.
    pub fn reopen_task(&self, id: &str, now: DateTime<Utc>) -> Result<Task> {
        self.with_task(id, |tx| set_status(tx, id, TaskStatus::Open, None, None, now))
    }

    pub fn snooze_task(&self, id: &str, until: NaiveDate, now: DateTime<Utc>) -> Result<Task> {
        self.with_task(id, |tx| set_status(tx, id, TaskStatus::Snoozed, Some(until), None, now))
    }

    pub fn cancel_task(&self, id: &str, now: DateTime<Utc>) -> Result<Task> {
        self.with_task(id, |tx| set_status(tx, id, TaskStatus::Cancelled, None, None, now))
    }

    /// Reschedules a task to `day` (a snoozed task wakes up there), keeping its time.
    pub fn move_task(&self, id: &str, day: NaiveDate, now: DateTime<Utc>) -> Result<Task> {
        self.with_task(id, |tx| {
            let changed = tx.execute(
                "UPDATE tasks SET due_date = ?2, updated_at = ?3, \
                 status = CASE status WHEN 'snoozed' THEN 'open' ELSE status END, \
                 snoozed_until = CASE status WHEN 'snoozed' THEN NULL ELSE snoozed_until END WHERE id = ?1",
                params![id, day, now],
            )?;
            if changed == 0 {
                return Err(Error::NotFound("task"));
            }
            Ok(())
        })
    }

    pub fn delete_task(&self, id: &str) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        if tx.execute("DELETE FROM tasks WHERE id = ?1", [id])? == 0 {
            return Err(Error::NotFound("task"));
        }
        search::unindex(&tx, SearchKind::Task, id)?;
        tx.commit()?;
        Ok(())
    }

    /// The open tasks due on `day` (the day's reminder), by time then title.
    pub fn tasks_due_on(&self, day: NaiveDate) -> Result<Vec<Task>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&format!(
            "{SELECT} WHERE t.due_date = ?1 AND t.status = 'open' ORDER BY t.due_time IS NULL, t.due_time, t.title"
        ))?;
        let rows = stmt.query_map([day], from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// An account's tasks: pending by due date (undated last), then the 50 most recently closed.
    pub fn account_tasks(&self, account_id: &str) -> Result<Vec<Task>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT * FROM ({SELECT} WHERE t.account_id = ?1 AND t.status IN ('open', 'snoozed') \
               ORDER BY t.due_date IS NULL, t.due_date, t.due_time, t.title) \
             UNION ALL SELECT * FROM ({SELECT} WHERE t.account_id = ?1 AND t.status IN ('done', 'cancelled') \
               ORDER BY t.updated_at DESC LIMIT 50)"
        ))?;
        let rows = stmt.query_map([account_id], from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn with_task(&self, id: &str, change: impl FnOnce(&Transaction<'_>) -> Result<()>) -> Result<Task> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        change(&tx)?;
        let task = get(&tx, id)?;
        tx.commit()?;
        Ok(task)
    }
}

/// The overdue list shows the oldest this many; the plan says how many there are in all.
const OVERDUE_SHOWN: u32 = 200;

/// The tasks a week plan needs: those done or due within the week, snoozed ones, and the oldest
/// overdue ones with the count and accounts of all of them. Read through the (status, due_date,
/// account_id) index.
pub(crate) fn tasks_for_week(
    conn: &Connection,
    start: NaiveDate,
    end: NaiveDate,
    today: NaiveDate,
) -> Result<(Vec<Task>, Overdue)> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE t.status = 'open' AND t.due_date BETWEEN max(?1, ?3) AND ?2 \
         UNION ALL {SELECT} WHERE t.status = 'done' AND t.due_date BETWEEN ?1 AND ?2 \
         UNION ALL {SELECT} WHERE t.status = 'snoozed' AND max(coalesce(t.due_date, ''), t.snoozed_until) <= ?2 \
         UNION ALL SELECT * FROM ({SELECT} WHERE t.status = 'open' AND t.due_date < ?3 \
           ORDER BY t.due_date, t.title, t.id LIMIT ?4)"
    ))?;
    let rows = stmt.query_map(params![start, end, today, OVERDUE_SHOWN], from_row)?;
    let tasks: Vec<Task> = rows.collect::<rusqlite::Result<_>>()?;
    let mut overdue = Overdue::default();
    let mut stmt = conn.prepare_cached(
        "SELECT account_id, count(*) FROM tasks WHERE status = 'open' AND due_date < ?1 GROUP BY account_id \
         UNION ALL SELECT account_id, count(*) FROM tasks WHERE status = 'snoozed' \
           AND max(coalesce(due_date, ''), snoozed_until) < ?1 GROUP BY account_id",
    )?;
    let mut rows = stmt.query([today])?;
    while let Some(row) = rows.next()? {
        overdue.total += row.get::<_, usize>(1)?;
        overdue.accounts.extend(row.get::<_, Option<String>>(0)?);
    }
    Ok((tasks, overdue))
}
