//! The success plan (metrics, milestones), QBRs, their drafts and the deck's look. The draft is
//! assembled by `qbr::draft` from what `source` loads; the store only reads inputs and writes
//! what the CSM decided.

use chrono::{DateTime, Days, NaiveDate, NaiveDateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

use super::columns::date;
use super::health::{health_point, signal_row};
use super::notes::create_note_in;
use super::tasks::{self, NewTask};
use super::{accounts, contacts, enum_column, settings, timeline, Store};
use crate::error::{Error, Result};
use crate::facts::day_text;
use crate::model::TimelineRef;
use crate::model::{
    new_id, DeckEdits, DeckStyle, Milestone, MilestoneStatus, Priority, Qbr, QbrHeld, QbrStatus, QbrView,
    SuccessMetric, SuccessPlan, TaskSource, TaskStatus, TimelineKind,
};
use crate::qbr::{self, Period, QbrNote, QbrSource, QbrStakeholder, QbrTask, QbrTouch};
use crate::validate::{ValidMilestone, ValidNote, ValidQbr, ValidSuccessMetric, ValidTask};

const DECK_STYLE: &str = "deck_style";
/// How far before the period the draft looks for the last health score and readings.
const LOOK_BACK_DAYS: u64 = 60;
/// Where the excerpt of a note in the deck stops.
const EXCERPT_CHARS: usize = 160;

const METRIC_COLUMNS: &str = "id, account_id, name, unit, baseline, target, current, confirmed_on, updated_at";
const MILESTONE_COLUMNS: &str = "id, account_id, title, due_on, status, reached_on";
const QBR_COLUMNS: &str = "q.id, q.account_id, a.name, q.period_start, q.period_end, q.status, q.meeting_at, \
                           q.draft, q.note_id, q.updated_at";

fn metric_row(r: &Row<'_>) -> rusqlite::Result<SuccessMetric> {
    Ok(SuccessMetric {
        id: r.get(0)?,
        account_id: r.get(1)?,
        name: r.get(2)?,
        unit: r.get(3)?,
        baseline: r.get(4)?,
        target: r.get(5)?,
        current: r.get(6)?,
        confirmed_on: date(r, 7)?,
        updated_at: r.get(8)?,
        progress: None,
    }
    .with_progress())
}

fn milestone_row(r: &Row<'_>) -> rusqlite::Result<Milestone> {
    Ok(Milestone {
        id: r.get(0)?,
        account_id: r.get(1)?,
        title: r.get(2)?,
        due_on: date(r, 3)?,
        status: enum_column(r, 4, MilestoneStatus::parse)?,
        reached_on: date(r, 5)?,
    })
}

fn qbr_row(r: &Row<'_>) -> rusqlite::Result<Qbr> {
    Ok(Qbr {
        id: r.get(0)?,
        account_id: r.get(1)?,
        account_name: r.get(2)?,
        period_start: date(r, 3)?.unwrap_or_default(),
        period_end: date(r, 4)?.unwrap_or_default(),
        status: enum_column(r, 5, QbrStatus::parse)?,
        meeting_at: r.get(6)?,
        // Edits a newer version wrote in a shape this one cannot read are dropped, not fatal.
        edits: serde_json::from_str(&r.get::<_, String>(7)?).unwrap_or_default(),
        note_id: r.get(8)?,
        updated_at: r.get(9)?,
    })
}

fn get_qbr(conn: &Connection, id: &str) -> Result<Qbr> {
    conn.query_row(
        &format!("SELECT {QBR_COLUMNS} FROM qbrs q JOIN accounts a ON a.id = q.account_id WHERE q.id = ?1"),
        [id],
        qbr_row,
    )
    .optional()?
    .ok_or(Error::NotFound("QBR"))
}

fn get_metric(conn: &Connection, id: &str) -> Result<SuccessMetric> {
    conn.query_row(&format!("SELECT {METRIC_COLUMNS} FROM success_metrics WHERE id = ?1"), [id], metric_row)
        .optional()?
        .ok_or(Error::NotFound("success metric"))
}

fn get_milestone(conn: &Connection, id: &str) -> Result<Milestone> {
    conn.query_row(&format!("SELECT {MILESTONE_COLUMNS} FROM milestones WHERE id = ?1"), [id], milestone_row)
        .optional()?
        .ok_or(Error::NotFound("milestone"))
}

fn check_account(conn: &Connection, account_id: &str) -> Result<()> {
    if accounts::exists(conn, account_id)? {
        Ok(())
    } else {
        Err(Error::NotFound("account"))
    }
}

fn metrics(conn: &Connection, account_id: &str) -> Result<Vec<SuccessMetric>> {
    let sql = format!("SELECT {METRIC_COLUMNS} FROM success_metrics WHERE account_id = ?1 ORDER BY created_at, id");
    Ok(conn.prepare_cached(&sql)?.query_map([account_id], metric_row)?.collect::<rusqlite::Result<_>>()?)
}

fn milestones(conn: &Connection, account_id: &str) -> Result<Vec<Milestone>> {
    let sql = format!(
        "SELECT {MILESTONE_COLUMNS} FROM milestones WHERE account_id = ?1 \
         ORDER BY due_on IS NULL, due_on, created_at, id"
    );
    Ok(conn.prepare_cached(&sql)?.query_map([account_id], milestone_row)?.collect::<rusqlite::Result<_>>()?)
}

/// A reached milestone goes on the timeline once, on the day it was reached.
fn milestone_on_timeline(tx: &Transaction<'_>, m: &Milestone, before: Option<&Milestone>) -> Result<()> {
    let newly_reached =
        m.status == MilestoneStatus::Reached && before.is_none_or(|b| b.status != MilestoneStatus::Reached);
    if let (true, Some(day)) = (newly_reached, m.reached_on) {
        let at = day.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc();
        let event = timeline::event(
            &m.account_id,
            TimelineKind::Milestone,
            at,
            format!("Milestone reached: {}", m.title),
            String::new(),
        );
        timeline::insert_about(tx, &event, Some((TimelineRef::Milestone, &m.id)))?;
    }
    Ok(())
}

/// The first line of a note's text without Markdown markers, for a line in the deck.
/// The note's first line of prose: headings name the template's sections ("The issue"), not
/// what was said, so they are passed over unless the note has nothing else.
/// The CSM's `@name stance:`, `risk:` and `ask:` lines are never quoted (a deck may be the
/// customer's; risks and asks have sections of their own).
fn excerpt(body: &str) -> String {
    let body = crate::capture::without_lines(&crate::relationships::without_stakeholder_lines(body));
    let body = body.as_str();
    let line = |l: &str| {
        l.trim()
            .trim_start_matches(['#', '-', '*', '>'])
            .trim_start()
            .trim_start_matches("[ ]")
            .trim_start_matches("[x]")
            .trim()
            .to_owned()
    };
    let prose = body.lines().filter(|l| !l.trim_start().starts_with('#')).map(line).find(|l| !l.is_empty());
    let line = prose.or_else(|| body.lines().map(line).find(|l| !l.is_empty())).unwrap_or_default();
    let mut out: String = line.chars().take(EXCERPT_CHARS).collect();
    if line.chars().count() > EXCERPT_CHARS {
        out.push('…');
    }
    out
}

/// Day bounds of a period as stored text, the end exclusive: instants compare as text.
fn bounds(period: Period, margin_days: u64) -> (String, String) {
    let from = period.start - Days::new(margin_days);
    (from.to_string(), (period.end + Days::new(1)).to_string())
}

fn notes(conn: &Connection, account_id: &str, period: Period) -> Result<Vec<QbrNote>> {
    let (from, to) = bounds(period, 0);
    let mut stmt = conn.prepare_cached(
        "SELECT n.id, n.occurred_at, n.title, n.body_md, \
                (SELECT json_group_array(tag) FROM note_tags t WHERE t.note_id = n.id) \
         FROM notes n WHERE n.account_id = ?1 AND n.occurred_at >= ?2 AND n.occurred_at < ?3 \
         ORDER BY n.occurred_at, n.id",
    )?;
    let rows = stmt.query_map(params![account_id, from, to], |r| {
        let at: DateTime<Utc> = r.get(1)?;
        let tags: String = r.get(4)?;
        Ok(QbrNote {
            id: r.get(0)?,
            day: at.date_naive(),
            title: r.get(2)?,
            excerpt: excerpt(&r.get::<_, String>(3)?),
            tags: serde_json::from_str(&tags).unwrap_or_default(),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Open tasks, and any task that came from a note in the period (its follow-ups).
fn tasks(conn: &Connection, account_id: &str, period: Period) -> Result<Vec<QbrTask>> {
    let (from, to) = bounds(period, 0);
    let mut stmt = conn.prepare_cached(
        "SELECT id, title, status, due_date, completed_at, note_id, coalesce(source_ref LIKE 'pb|risk|%', 0) \
         FROM tasks WHERE account_id = ?1 AND (status IN ('open', 'snoozed') OR note_id IN \
           (SELECT id FROM notes WHERE account_id = ?1 AND occurred_at >= ?2 AND occurred_at < ?3)) \
         ORDER BY due_date IS NULL, due_date, id",
    )?;
    let rows = stmt.query_map(params![account_id, from, to], |r| {
        let completed: Option<DateTime<Utc>> = r.get(4)?;
        Ok(QbrTask {
            id: r.get(0)?,
            title: r.get(1)?,
            status: enum_column(r, 2, TaskStatus::parse)?,
            due_date: date(r, 3)?,
            completed_on: completed.map(|t| t.date_naive()),
            note_id: r.get(5)?,
            risk_response: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn touches(conn: &Connection, account_id: &str, period: Period) -> Result<Vec<QbrTouch>> {
    let (from, to) = bounds(period, 0);
    let mut stmt = conn.prepare_cached(
        "SELECT id, occurred_at, kind, title, CASE WHEN ref_kind = 'note' THEN ref_id END FROM timeline_events \
         WHERE account_id = ?1 AND occurred_at >= ?2 AND occurred_at < ?3 \
           AND kind IN ('call', 'meeting', 'email', 'qbr', 'note') ORDER BY occurred_at, id",
    )?;
    let rows = stmt.query_map(params![account_id, from, to], |r| {
        let at: DateTime<Utc> = r.get(1)?;
        Ok(QbrTouch {
            id: r.get(0)?,
            day: at.date_naive(),
            kind: enum_column(r, 2, TimelineKind::parse)?,
            title: r.get(3)?,
            note_id: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Everything the draft of a QBR is assembled from.
fn source(conn: &Connection, q: &Qbr) -> Result<QbrSource> {
    let period = Period { start: q.period_start, end: q.period_end };
    let account = conn.query_row(
        &format!("SELECT {} FROM accounts WHERE id = ?1", accounts::COLUMNS),
        [&q.account_id],
        accounts::from_row,
    )?;
    let end = period.end.to_string();
    let signals = conn
        .prepare_cached(
            "SELECT id, account_id, kind, value, recorded_on, expires_on, comment FROM signals \
             WHERE account_id = ?1 AND recorded_on <= ?2 ORDER BY recorded_on, id",
        )?
        .query_map(params![q.account_id, end], signal_row)?
        .collect::<rusqlite::Result<_>>()?;
    let (from, _) = bounds(period, LOOK_BACK_DAYS);
    let health = conn
        .prepare_cached(
            "SELECT day, score, band, explanation FROM health_snapshots \
             WHERE account_id = ?1 AND day >= ?2 AND day <= ?3 ORDER BY day",
        )?
        .query_map(params![q.account_id, from, end], health_point)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(QbrSource {
        qbr_id: q.id.clone(),
        meeting_at: q.meeting_at.clone(),
        metrics: metrics(conn, &q.account_id)?,
        milestones: milestones(conn, &q.account_id)?,
        notes: notes(conn, &q.account_id, period)?,
        tasks: tasks(conn, &q.account_id, period)?,
        touches: touches(conn, &q.account_id, period)?,
        signals,
        health,
        account,
        renewal: None,
        stakeholders: None,
        risks: None,
        asks: super::risks::asks_of(conn, &q.account_id)?,
    })
}

/// Writes a metric as it is (the sample book's).
pub(super) fn insert_metric(tx: &Transaction<'_>, m: &SuccessMetric) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO success_metrics (id, account_id, name, unit, baseline, target, current, confirmed_on, \
         created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
    )?
    .execute(params![
        m.id,
        m.account_id,
        m.name,
        m.unit,
        m.baseline,
        m.target,
        m.current,
        m.confirmed_on.map(|d| d.to_string()),
        m.updated_at
    ])?;
    Ok(())
}

/// Writes a milestone as it is (the sample book's), on the timeline when reached.
pub(super) fn insert_milestone(tx: &Transaction<'_>, m: &Milestone, now: DateTime<Utc>) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO milestones (id, account_id, title, due_on, status, reached_on, created_at, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
    )?
    .execute(params![
        m.id,
        m.account_id,
        m.title,
        m.due_on.map(|d| d.to_string()),
        m.status.as_str(),
        m.reached_on.map(|d| d.to_string()),
        now
    ])?;
    milestone_on_timeline(tx, m, None)
}

/// The QBR's meeting as an appointment on the Week and Today: a task at the meeting's time, made,
/// moved and dropped with the QBR (its `source_ref` ties it to the QBR); done once it is held.
fn sync_meeting(tx: &Transaction<'_>, q: &Qbr, now: DateTime<Utc>) -> Result<()> {
    let source_ref = format!("qbr|{}", q.id);
    let open: Option<String> = tx
        .query_row("SELECT id FROM tasks WHERE source_ref = ?1 AND status = 'open'", [&source_ref], |r| r.get(0))
        .optional()?;
    let exists = open.is_some()
        || tx.query_row("SELECT 1 FROM tasks WHERE source_ref = ?1", [&source_ref], |_| Ok(())).optional()?.is_some();
    let meeting = q.meeting_at.as_deref().and_then(|m| NaiveDateTime::parse_from_str(m, "%Y-%m-%dT%H:%M").ok());
    let upcoming = matches!(q.status, QbrStatus::Planned | QbrStatus::Prepared);
    match (open, meeting) {
        (Some(id), Some(at)) if upcoming => {
            tx.execute(
                "UPDATE tasks SET due_date = ?2, due_time = ?3, updated_at = ?4 WHERE id = ?1",
                params![id, at.date(), at.format("%H:%M").to_string(), now],
            )?;
        }
        (Some(id), _) if q.status == QbrStatus::Held || q.status == QbrStatus::FollowUpSent => {
            tx.execute(
                "UPDATE tasks SET status = 'done', completed_at = ?2, updated_at = ?2 WHERE id = ?1",
                params![id, now],
            )?;
        }
        (Some(id), _) => {
            tx.execute("UPDATE tasks SET status = 'cancelled', updated_at = ?2 WHERE id = ?1", params![id, now])?;
        }
        (None, Some(at)) if upcoming && !exists => {
            let draft = ValidTask {
                account_id: Some(q.account_id.clone()),
                title: format!("QBR with {}", q.account_name).chars().take(200).collect(),
                due_date: Some(at.date()),
                due_time: Some(at.format("%H:%M").to_string()),
                priority: Priority::High,
                effort_minutes: Some(60),
                details: String::new(),
            };
            let period = Period { start: q.period_start, end: q.period_end };
            let provenance = format!("QBR meeting · {}", period.label());
            let new = NewTask {
                draft: &draft,
                source: TaskSource::Manual,
                source_ref: Some(&source_ref),
                provenance: &provenance,
                is_touch: false,
                generated_due: None,
                note_id: None,
            };
            tasks::insert(tx, &new, now)?;
        }
        _ => {}
    }
    Ok(())
}

/// The account's people who attended notes in the QBR's period, most met first.
fn attended(conn: &Connection, qbr: &Qbr) -> Result<Vec<QbrStakeholder>> {
    let sql = format!(
        "SELECT {}, t.meetings, t.last_met FROM contacts JOIN ( \
           SELECT a.contact_id AS cid, count(DISTINCT substr(n.occurred_at, 1, 10)) AS meetings, \
                  max(substr(n.occurred_at, 1, 10)) AS last_met \
           FROM notes n JOIN note_attendees a ON a.note_id = n.id \
           WHERE n.account_id = ?1 AND substr(n.occurred_at, 1, 10) BETWEEN ?2 AND ?3 AND a.contact_id IS NOT NULL \
           GROUP BY a.contact_id) t ON t.cid = contacts.id \
         WHERE contacts.account_id = ?1 ORDER BY t.meetings DESC, contacts.name",
        contacts::COLUMNS
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows =
        stmt.query_map(params![qbr.account_id, qbr.period_start.to_string(), qbr.period_end.to_string()], |r| {
            Ok(QbrStakeholder {
                contact: contacts::from_row(r)?,
                meetings: r.get(15)?,
                last_met: date(r, 16)?.unwrap_or(qbr.period_end),
            })
        })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

impl Store {
    pub fn success_plan(&self, account_id: &str) -> Result<SuccessPlan> {
        let conn = self.conn();
        check_account(&conn, account_id)?;
        Ok(SuccessPlan { metrics: metrics(&conn, account_id)?, milestones: milestones(&conn, account_id)? })
    }

    pub fn create_metric(&self, account_id: &str, d: &ValidSuccessMetric, now: DateTime<Utc>) -> Result<SuccessMetric> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        check_account(&tx, account_id)?;
        let metric = SuccessMetric {
            id: new_id(),
            account_id: account_id.to_owned(),
            name: d.name.clone(),
            unit: d.unit.clone(),
            baseline: d.baseline,
            target: d.target,
            current: d.current,
            confirmed_on: d.confirmed_on,
            updated_at: now,
            progress: None,
        }
        .with_progress();
        insert_metric(&tx, &metric)?;
        tx.commit()?;
        Ok(metric)
    }

    pub fn update_metric(&self, id: &str, d: &ValidSuccessMetric, now: DateTime<Utc>) -> Result<SuccessMetric> {
        let conn = self.conn();
        let changed = conn.execute(
            "UPDATE success_metrics SET name = ?2, unit = ?3, baseline = ?4, target = ?5, current = ?6, \
             confirmed_on = ?7, updated_at = ?8 WHERE id = ?1",
            params![id, d.name, d.unit, d.baseline, d.target, d.current, d.confirmed_on.map(|x| x.to_string()), now],
        )?;
        if changed == 0 {
            return Err(Error::NotFound("success metric"));
        }
        get_metric(&conn, id)
    }

    pub fn delete_metric(&self, id: &str) -> Result<()> {
        match self.conn().execute("DELETE FROM success_metrics WHERE id = ?1", [id])? {
            0 => Err(Error::NotFound("success metric")),
            _ => Ok(()),
        }
    }

    /// Adds a milestone; one already reached goes on the timeline.
    pub fn create_milestone(&self, account_id: &str, d: &ValidMilestone, now: DateTime<Utc>) -> Result<Milestone> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        check_account(&tx, account_id)?;
        let milestone = Milestone {
            id: new_id(),
            account_id: account_id.to_owned(),
            title: d.title.clone(),
            due_on: d.due_on,
            status: d.status,
            reached_on: d.reached_on,
        };
        insert_milestone(&tx, &milestone, now)?;
        tx.commit()?;
        Ok(milestone)
    }

    /// Edits a milestone; reaching it puts it on the timeline.
    pub fn update_milestone(&self, id: &str, d: &ValidMilestone, now: DateTime<Utc>) -> Result<Milestone> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let before = get_milestone(&tx, id)?;
        tx.execute(
            "UPDATE milestones SET title = ?2, due_on = ?3, status = ?4, reached_on = ?5, updated_at = ?6 WHERE id = ?1",
            params![id, d.title, d.due_on.map(|x| x.to_string()), d.status.as_str(), d.reached_on.map(|x| x.to_string()), now],
        )?;
        let milestone = get_milestone(&tx, id)?;
        milestone_on_timeline(&tx, &milestone, Some(&before))?;
        tx.commit()?;
        Ok(milestone)
    }

    pub fn delete_milestone(&self, id: &str) -> Result<()> {
        match self.conn().execute("DELETE FROM milestones WHERE id = ?1", [id])? {
            0 => Err(Error::NotFound("milestone")),
            _ => Ok(()),
        }
    }

    /// The account's QBRs, latest period first.
    pub fn account_qbrs(&self, account_id: &str) -> Result<Vec<Qbr>> {
        let conn = self.conn();
        let sql = format!(
            "SELECT {QBR_COLUMNS} FROM qbrs q JOIN accounts a ON a.id = q.account_id WHERE q.account_id = ?1 \
             ORDER BY q.period_end DESC, q.created_at DESC"
        );
        let list = conn.prepare_cached(&sql)?.query_map([account_id], qbr_row)?.collect::<rusqlite::Result<_>>()?;
        Ok(list)
    }

    /// A new QBR; its meeting, if set, goes on the Week as an appointment.
    pub fn create_qbr(&self, account_id: &str, d: &ValidQbr, now: DateTime<Utc>) -> Result<Qbr> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        check_account(&tx, account_id)?;
        let id = new_id();
        tx.execute(
            "INSERT INTO qbrs (id, account_id, period_start, period_end, status, meeting_at, draft, created_at, \
             updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, '{}', ?7, ?7)",
            params![
                id,
                account_id,
                d.period.start.to_string(),
                d.period.end.to_string(),
                d.status.as_str(),
                d.meeting_at,
                now
            ],
        )?;
        let qbr = get_qbr(&tx, &id)?;
        sync_meeting(&tx, &qbr, now)?;
        tx.commit()?;
        Ok(qbr)
    }

    /// Changes the period, meeting or status (the meeting's appointment follows); the CSM's edits
    /// to the draft stay.
    pub fn update_qbr(&self, id: &str, d: &ValidQbr, now: DateTime<Utc>) -> Result<Qbr> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let changed = tx.execute(
            "UPDATE qbrs SET period_start = ?2, period_end = ?3, status = ?4, meeting_at = ?5, updated_at = ?6 \
             WHERE id = ?1",
            params![id, d.period.start.to_string(), d.period.end.to_string(), d.status.as_str(), d.meeting_at, now],
        )?;
        if changed == 0 {
            return Err(Error::NotFound("QBR"));
        }
        let qbr = get_qbr(&tx, id)?;
        sync_meeting(&tx, &qbr, now)?;
        tx.commit()?;
        Ok(qbr)
    }

    /// Deletes a QBR; its meeting, if still ahead, is cancelled on the Week.
    pub fn delete_qbr(&self, id: &str, now: DateTime<Utc>) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        if tx.execute("DELETE FROM qbrs WHERE id = ?1", [id])? == 0 {
            return Err(Error::NotFound("QBR"));
        }
        tx.execute(
            "UPDATE tasks SET status = 'cancelled', updated_at = ?2 WHERE source_ref = ?1 AND status = 'open'",
            params![format!("qbr|{id}"), now],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Keeps the CSM's edits to the draft (checked by `validate::deck_edits`).
    pub fn save_deck_edits(
        &self,
        id: &str,
        edits: &DeckEdits,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<QbrView> {
        let json = serde_json::to_string(edits)
            .map_err(|e| Error::Invalid(vec![crate::FieldError::new("edits", e.to_string())]))?;
        let changed =
            self.conn().execute("UPDATE qbrs SET draft = ?2, updated_at = ?3 WHERE id = ?1", params![id, json, now])?;
        if changed == 0 {
            return Err(Error::NotFound("QBR"));
        }
        self.qbr_view(id, today)
    }

    /// The QBR with its draft assembled from the account's data as it is now, the CSM's edits
    /// laid over it, and the slides. Read in one transaction so the sections agree.
    /// The QBR's deck and slides; an internal deck's renewal forecast as it stands on `today`.
    pub fn qbr_view(&self, id: &str, today: NaiveDate) -> Result<QbrView> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let qbr = get_qbr(&tx, id)?;
        let mut source = source(&tx, &qbr)?;
        drop(tx);
        drop(conn);
        if qbr.edits.internal {
            source.renewal = Some(self.account_renewal(&qbr.account_id, today)?);
            source.stakeholders = Some(attended(&self.conn(), &qbr)?);
            source.risks = Some(self.risks_for_qbr(&qbr.account_id, qbr.period_start, today)?);
        }
        let period = Period { start: qbr.period_start, end: qbr.period_end };
        let deck = qbr::apply_edits(qbr::draft(&source, period), &qbr.edits);
        let slides = qbr::slides(&deck);
        Ok(QbrView { qbr, deck, slides })
    }

    /// Marks the QBR held: its meeting note is saved (next steps become tasks, the meeting counts
    /// as a touch) and the QBR goes on the timeline, all in one transaction.
    pub fn mark_qbr_held(&self, id: &str, note: &ValidNote, now: DateTime<Utc>, today: NaiveDate) -> Result<QbrHeld> {
        let templates = self.note_templates()?;
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let before = get_qbr(&tx, id)?;
        if note.account_id != before.account_id {
            return Err(Error::Invalid(vec![crate::FieldError::new(
                "account_id",
                "The note must be on the QBR's account.",
            )]));
        }
        let saved = create_note_in(&tx, note, &templates, None, now, today)?;
        tx.execute(
            "UPDATE qbrs SET status = 'held', note_id = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, saved.note.id, now],
        )?;
        let period = Period { start: before.period_start, end: before.period_end };
        let title = format!("QBR held: {}", period.label());
        let detail = format!("{} → {}", day_text(period.start), day_text(period.end));
        let event = timeline::event(&before.account_id, TimelineKind::Qbr, note.occurred_at, title, detail);
        timeline::insert_about(&tx, &event, Some((TimelineRef::Qbr, id)))?;
        let qbr = get_qbr(&tx, id)?;
        sync_meeting(&tx, &qbr, now)?;
        tx.commit()?;
        Ok(QbrHeld { qbr, saved })
    }

    pub fn deck_style(&self) -> Result<DeckStyle> {
        Ok(settings::read_json(&self.conn(), DECK_STYLE)?.unwrap_or_default())
    }

    pub fn save_deck_style(&self, style: &DeckStyle) -> Result<()> {
        settings::write_json(&self.conn(), DECK_STYLE, style)
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::model::{
        ActionItemInput, MilestoneInput, NoteInput, QbrInput, SectionEdit, SectionKey, Segment, SuccessMetricInput,
    };
    use crate::sample::{generate, SampleSpec};
    use crate::validate;

    fn now() -> DateTime<Utc> {
        "2026-11-22T10:00:00Z".parse().unwrap()
    }

    #[test]
    fn a_note_is_summarised_by_its_first_prose_not_a_template_heading() {
        assert_eq!(
            excerpt("## The issue\n\nExports time out for the EU team.\n## Next steps"),
            "Exports time out for the EU team."
        );
        assert_eq!(excerpt("- [ ] Send the roadmap"), "Send the roadmap");
        assert_eq!(excerpt("## Only a heading"), "Only a heading");
        assert_eq!(excerpt(""), "");
        assert_eq!(excerpt("@Ana stance: blocker\nAdoption is up."), "Adoption is up.");
    }

    fn today() -> NaiveDate {
        now().date_naive()
    }

    /// The sample book and a high-touch account in it, with a QBR over the last full quarter.
    fn book() -> (Store, String, Qbr) {
        let store = Store::open_in_memory().unwrap();
        store.start_book(Some(&generate(&SampleSpec::DEMO, today())), now()).unwrap();
        let account = store.book(today()).unwrap().into_iter().find(|a| a.segment == Segment::HighTouch).unwrap();
        let draft = validate::qbr(&QbrInput::default(), today()).unwrap();
        let qbr = store.create_qbr(&account.id, &draft, now()).unwrap();
        (store, account.id, qbr)
    }

    fn count(store: &Store, sql: &str) -> i64 {
        store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
    }

    #[test]
    fn a_sample_account_gets_a_full_draft_the_same_every_time() {
        let (store, account, qbr) = book();
        assert_eq!(
            (qbr.period_start.to_string(), qbr.period_end.to_string()),
            ("2026-07-01".into(), "2026-09-30".into())
        );
        let plan = store.success_plan(&account).unwrap();
        assert!(plan.metrics.len() >= 2 && plan.milestones.len() == 5);
        let view = store.qbr_view(&qbr.id, today()).unwrap();
        assert_eq!(view.deck.sections.len(), 9);
        let goals = view.deck.sections.iter().find(|s| s.key == SectionKey::Goals).unwrap();
        assert_eq!(goals.table.as_ref().unwrap().rows.len(), plan.metrics.len());
        let appendix = view.deck.sections.iter().find(|s| s.key == SectionKey::Appendix).unwrap();
        assert!(appendix.table.is_some(), "the sample account has touchpoints in Q3");
        assert!(view.slides.len() >= 9);
        assert_eq!(store.qbr_view(&qbr.id, today()).unwrap(), view);
    }

    #[test]
    fn edits_are_kept_and_follow_a_regenerated_draft() {
        let (store, account, qbr) = book();
        let mut edits = DeckEdits::default();
        edits
            .sections
            .insert(SectionKey::Health, SectionEdit { story: "Steady quarter.".into(), ..Default::default() });
        store.save_deck_edits(&qbr.id, &edits, now(), today()).unwrap();
        let input = SuccessMetricInput {
            name: "New metric".into(),
            baseline: "1".into(),
            target: "10".into(),
            current: "4".into(),
            ..Default::default()
        };
        store.create_metric(&account, &validate::success_metric(&input, today()).unwrap(), now()).unwrap();
        let view = store.qbr_view(&qbr.id, today()).unwrap();
        let health = view.deck.sections.iter().find(|s| s.key == SectionKey::Health).unwrap();
        assert_eq!(health.story, "Steady quarter.");
        let goals = view.deck.sections.iter().find(|s| s.key == SectionKey::Goals).unwrap();
        assert!(goals.table.as_ref().unwrap().rows.iter().any(|r| r.cells[0] == "New metric"));
        assert!(matches!(store.save_deck_edits("missing", &edits, now(), today()), Err(Error::NotFound(_))));
    }

    #[test]
    fn only_an_internal_deck_carries_the_renewal_forecast() {
        let (store, account, qbr) = book();
        let arr = store.account(&account).unwrap().arr;
        let call = crate::model::RenewalInput {
            category: "commit".into(),
            next_step: "Confirm the seat count".into(),
            ..Default::default()
        };
        store.update_renewal(&account, &validate::renewal(&call, &arr).unwrap(), now()).unwrap();
        let words = |view: &QbrView| serde_json::to_string(&view.slides).unwrap();

        let customer = store.qbr_view(&qbr.id, today()).unwrap();
        assert!(customer.deck.sections.iter().all(|s| s.key != SectionKey::Renewal));
        assert!(!words(&customer).contains("likelihood") && !words(&customer).contains("Confirm the seat count"));
        assert!(customer.deck.sections.iter().all(|s| !s.key.internal()), "no stakeholder read either");

        let internal = DeckEdits { internal: true, ..Default::default() };
        let view = store.save_deck_edits(&qbr.id, &internal, now(), today()).unwrap();
        let renewal = view.deck.sections.iter().find(|s| s.key == SectionKey::Renewal).expect("the forecast");
        let texts: Vec<&str> = renewal.items.iter().map(|i| i.text.as_str()).collect();
        assert!(texts.iter().any(|t| t.starts_with("Commit · ") && t.contains("likelihood")), "{texts:?}");
        assert!(texts.contains(&"Next step: Confirm the seat count"));
        assert!(words(&view).contains("Renewal forecast (internal)"));
        let people = view.deck.sections.iter().find(|s| s.key == SectionKey::Stakeholders).expect("who attended");
        assert!(people.items.iter().all(|i| i.text.contains(": met ")), "{:?}", people.items);
        assert!(!words(&view).contains("Prefers email"), "private notes are in no deck");

        let back = store.save_deck_edits(&qbr.id, &DeckEdits::default(), now(), today()).unwrap();
        assert!(!words(&back).contains("likelihood"), "a deck turned back to the customer's drops it");
    }

    #[test]
    fn marking_held_saves_the_note_its_tasks_and_the_timeline_entry_together() {
        let (store, account, qbr) = book();
        let tasks_before = count(&store, "SELECT count(*) FROM tasks");
        let input = NoteInput {
            account_id: account.clone(),
            occurred_at: "2026-11-22T09:00".into(),
            template: "qbr".into(),
            body_md: "Great QBR.\n- [ ] Send the deck by Friday\n- [ ] Book the EMEA workshop next month".into(),
            action_items: vec![
                ActionItemInput { title: "Send the deck".into(), due_date: "2026-11-27".into(), include: true },
                ActionItemInput { title: "Book the EMEA workshop".into(), due_date: String::new(), include: true },
                ActionItemInput { title: "Left out".into(), due_date: String::new(), include: false },
            ],
            ..Default::default()
        };
        let note = validate::note(&input, now(), &Utc).unwrap();
        let held = store.mark_qbr_held(&qbr.id, &note, now(), today()).unwrap();
        assert_eq!(held.qbr.status, QbrStatus::Held);
        assert_eq!(held.qbr.note_id.as_deref(), Some(held.saved.note.id.as_str()));
        assert_eq!(held.saved.tasks.len(), 2);
        assert_eq!(count(&store, "SELECT count(*) FROM tasks") - tasks_before, 2);
        let events = count(
            &store,
            &format!("SELECT count(*) FROM timeline_events WHERE kind = 'qbr' AND ref_id = '{}'", qbr.id),
        );
        assert_eq!(events, 1);
        let last_touch = store.account(&account).unwrap().last_touch_at.unwrap();
        assert_eq!(last_touch, held.saved.note.occurred_at, "the QBR counts as a touch");
    }

    #[test]
    fn the_meeting_is_an_appointment_that_moves_with_the_qbr_and_is_done_when_held() {
        let (store, account, qbr) = book();
        let meeting = |store: &Store| -> (String, String, String) {
            store
                .conn()
                .query_row(
                    &format!(
                        "SELECT due_date || ' ' || due_time, status, title FROM tasks WHERE source_ref = 'qbr|{}'",
                        qbr.id
                    ),
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .unwrap()
        };
        let input = |at: &str| QbrInput { meeting_at: at.into(), ..Default::default() };
        store.update_qbr(&qbr.id, &validate::qbr(&input("2026-11-26T14:00"), today()).unwrap(), now()).unwrap();
        let (when, status, title) = meeting(&store);
        assert_eq!((when.as_str(), status.as_str()), ("2026-11-26 14:00", "open"));
        assert!(title.starts_with("QBR with "));
        store.update_qbr(&qbr.id, &validate::qbr(&input("2026-11-27T09:30"), today()).unwrap(), now()).unwrap();
        assert_eq!(meeting(&store).0, "2026-11-27 09:30");
        let week = store.week_plan(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(), today()).unwrap();
        let friday = week.days.iter().find(|d| d.date.to_string() == "2026-11-27").unwrap();
        assert!(friday.appointments.iter().any(|t| t.title.starts_with("QBR with ")), "on the Week as an appointment");
        let note = validate::note(&NoteInput { account_id: account, ..Default::default() }, now(), &Utc).unwrap();
        store.mark_qbr_held(&qbr.id, &note, now(), today()).unwrap();
        assert_eq!(meeting(&store).1, "done");
        let tasks = count(&store, &format!("SELECT count(*) FROM tasks WHERE source_ref = 'qbr|{}'", qbr.id));
        assert_eq!(tasks, 1, "never a second appointment");
    }

    #[test]
    fn a_held_note_on_another_account_writes_nothing() {
        let (store, _, qbr) = book();
        let other = store.book(today()).unwrap().into_iter().find(|a| a.id != qbr.account_id).unwrap();
        let (notes, tasks) = (count(&store, "SELECT count(*) FROM notes"), count(&store, "SELECT count(*) FROM tasks"));
        let input = NoteInput { account_id: other.id, body_md: "- [ ] Step".into(), ..Default::default() };
        let note = validate::note(&input, now(), &Utc).unwrap();
        assert!(matches!(store.mark_qbr_held(&qbr.id, &note, now(), today()), Err(Error::Invalid(_))));
        assert_eq!(
            (count(&store, "SELECT count(*) FROM notes"), count(&store, "SELECT count(*) FROM tasks")),
            (notes, tasks)
        );
        assert_eq!(store.qbr_view(&qbr.id, today()).unwrap().qbr.status, QbrStatus::Planned);
    }

    #[test]
    fn a_milestone_goes_on_the_timeline_once_when_reached() {
        let (store, account, _) = book();
        let planned =
            MilestoneInput { title: "Data migration 🚚".into(), due_on: "2026-12-01".into(), ..Default::default() };
        let m = store.create_milestone(&account, &validate::milestone(&planned, today()).unwrap(), now()).unwrap();
        let on_timeline = |store: &Store| {
            count(
                store,
                &format!("SELECT count(*) FROM timeline_events WHERE ref_kind = 'milestone' AND ref_id = '{}'", m.id),
            )
        };
        assert_eq!(on_timeline(&store), 0);
        let reached = MilestoneInput { status: "reached".into(), ..planned };
        let draft = validate::milestone(&reached, today()).unwrap();
        store.update_milestone(&m.id, &draft, now()).unwrap();
        store.update_milestone(&m.id, &draft, now()).unwrap();
        assert_eq!(on_timeline(&store), 1);
        store.delete_milestone(&m.id).unwrap();
        assert!(matches!(store.delete_milestone(&m.id), Err(Error::NotFound(_))));
    }

    #[test]
    fn unknown_accounts_and_records_are_refused() {
        let (store, _, _) = book();
        let metric =
            validate::success_metric(&SuccessMetricInput { name: "X".into(), ..Default::default() }, today()).unwrap();
        assert!(matches!(store.create_metric("nope", &metric, now()), Err(Error::NotFound("account"))));
        assert!(matches!(store.update_metric("nope", &metric, now()), Err(Error::NotFound(_))));
        let qbr = validate::qbr(&QbrInput::default(), today()).unwrap();
        assert!(matches!(store.create_qbr("nope", &qbr, now()), Err(Error::NotFound("account"))));
        assert!(matches!(store.qbr_view("nope", today()), Err(Error::NotFound(_))));
        assert!(matches!(store.success_plan("nope"), Err(Error::NotFound(_))));
    }

    #[test]
    fn deleting_the_account_takes_its_success_plan_and_qbrs() {
        let (store, account, _) = book();
        store.delete_account(&account).unwrap();
        for table in ["success_metrics", "milestones", "qbrs"] {
            assert_eq!(count(&store, &format!("SELECT count(*) FROM {table} WHERE account_id = '{account}'")), 0);
        }
    }
}
