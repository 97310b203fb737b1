//! The week planner's side of the store: its settings and playbooks, the facts it plans from,
//! playbook runs, suggestions accepted or dismissed, and the week as a calendar file.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Days, NaiveDate, Utc};
use rusqlite::{params, Connection, Transaction, TransactionBehavior};

use super::columns::date;
use super::tasks::{self, NewTask};
use super::{enum_column, health, settings, Store};
use crate::error::{Error, FieldError, Result};
use crate::facts::{AccountFacts, Departure, HealthNow, RenewalCall};
use crate::health::Reading;
use crate::model::{
    Band, ContactRole, DayStarted, ForecastCategory, LifecycleStage, PlannerSettings, Playbook, PlaybookRun, Priority,
    RenewalStage, Segment, Suggestion, Task, TaskSource, WeekPlan,
};
use crate::planner::{self, WeekInput};
use crate::playbook::{self, Change, ExistingTask};
use crate::validate::{self, ValidTask};

const SETTINGS: &str = "planner.settings";
const PLAYBOOKS: &str = "planner.playbooks";
/// The last day the playbooks ran on their own.
const PLAYBOOKS_RUN_DAY: &str = "planner.playbooks_run_day";

pub(super) fn settings_in(conn: &Connection) -> Result<PlannerSettings> {
    Ok(settings::read_json(conn, SETTINGS)?.unwrap_or_default())
}

fn playbooks_in(conn: &Connection) -> Result<Vec<Playbook>> {
    Ok(settings::read_json(conn, PLAYBOOKS)?.unwrap_or_else(playbook::default_playbooks))
}

impl Store {
    pub fn planner_settings(&self) -> Result<PlannerSettings> {
        settings_in(&self.conn())
    }

    pub fn save_planner_settings(&self, settings: &PlannerSettings) -> Result<()> {
        validate::planner_settings(settings)?;
        settings::write_json(&self.conn(), SETTINGS, settings)
    }

    pub fn playbooks(&self) -> Result<Vec<Playbook>> {
        playbooks_in(&self.conn())
    }

    /// Replaces the playbooks (all checked first; one bad step saves nothing) and runs them.
    pub fn save_playbooks(&self, books: &[Playbook], today: NaiveDate, now: DateTime<Utc>) -> Result<PlaybookRun> {
        let books = validate::playbooks(books)?;
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        settings::write_json(&tx, PLAYBOOKS, &books)?;
        let run = run_playbooks_in(&tx, today, now)?;
        tx.commit()?;
        Ok(run)
    }

    /// Runs every enabled playbook over the book. Idempotent: a second run creates nothing.
    pub fn run_playbooks(&self, today: NaiveDate, now: DateTime<Utc>) -> Result<PlaybookRun> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let run = run_playbooks_in(&tx, today, now)?;
        tx.commit()?;
        Ok(run)
    }

    /// Creates the playbook tasks held back today, up to another day's limit, on days with room.
    pub fn plan_held_back_tasks(&self, today: NaiveDate, now: DateTime<Utc>) -> Result<PlaybookRun> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // As much room again as the daily limit, whatever was created today already.
        let extra = created_on(&tx, today)?;
        let run = run_playbooks_with(&tx, today, now, extra)?;
        tx.commit()?;
        Ok(run)
    }

    /// The week the Week view opens on: this one, or the next when no working day is left.
    pub fn current_week(&self, today: NaiveDate) -> Result<NaiveDate> {
        Ok(planner::week_to_plan(today, &settings_in(&self.conn())?.work_days))
    }

    /// The week holding `week_of`; a read (today's snapshot and playbook run are the
    /// start-of-day job's, `Store::start_of_day`).
    pub fn week_plan(&self, week_of: NaiveDate, today: NaiveDate) -> Result<WeekPlan> {
        let conn = self.conn();
        let accounts = self.facts.get(&conn, today, || account_facts(&conn, today))?;
        plan_with(&conn, week_of, today, &accounts)
    }

    /// The start-of-day job: today's health snapshot, then the day's first playbook run. Run in
    /// the background at start and when the date changes, so no view's read writes.
    /// A book not started yet is left alone (its first day begins when it is).
    pub fn start_of_day(&self, today: NaiveDate, now: DateTime<Utc>) -> Result<DayStarted> {
        if self.is_first_run()? {
            return Ok(DayStarted { day: today, scored: 0, playbooks: None });
        }
        let scored = self.ensure_daily_snapshot(today)?;
        let playbooks = self.ensure_playbooks_ran(today, now)?;
        self.ensure_weekly_forecast(today, now)?;
        Ok(DayStarted { day: today, scored: u32::try_from(scored).unwrap_or(u32::MAX), playbooks })
    }

    /// Runs the playbooks once a day (the start-of-day job).
    pub fn ensure_playbooks_ran(&self, today: NaiveDate, now: DateTime<Utc>) -> Result<Option<PlaybookRun>> {
        // Checked before taking the write lock (the common case); the connection lock held
        // throughout keeps another call from running them in between.
        let mut conn = self.conn();
        if settings::read(&conn, PLAYBOOKS_RUN_DAY)?.as_deref() == Some(today.to_string().as_str()) {
            return Ok(None);
        }
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let run = run_playbooks_in(&tx, today, now)?;
        tx.commit()?;
        Ok(Some(run))
    }

    /// Turns a suggestion into a touch task on `day` (by default the day the planner chose).
    pub fn accept_suggestion(
        &self,
        account_id: &str,
        week_of: NaiveDate,
        day: Option<NaiveDate>,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Task> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let plan = plan_in(&tx, week_of, today)?;
        let found: Option<&Suggestion> =
            plan.days.iter().flat_map(|d| &d.suggestions).chain(&plan.overflow).find(|s| s.account_id == account_id);
        let Some(suggestion) = found else {
            return Err(invalid("account_id", "That account is no longer suggested this week."));
        };
        let week = plan.week_start..=plan.week_start + Days::new(6);
        let Some(day) = day.or(suggestion.day) else {
            return Err(invalid("day", "Choose a day for the touch."));
        };
        if !week.contains(&day) || day < today {
            return Err(invalid("day", "Choose a day of this week, from today on."));
        }
        let draft = ValidTask {
            account_id: Some(account_id.to_owned()),
            title: format!("Check in with {}", suggestion.account_name),
            due_date: Some(day),
            due_time: None,
            priority: if suggestion.points >= 60 { Priority::High } else { Priority::Normal },
            effort_minutes: Some(suggestion.effort_minutes),
            details: String::new(),
        };
        let provenance = format!("Suggested for the week of {}: {}", plan.week_start, suggestion.summary);
        let new = NewTask {
            draft: &draft,
            source: TaskSource::Manual,
            source_ref: None,
            provenance: &provenance,
            is_touch: true,
            generated_due: None,
            note_id: None,
        };
        let id = tasks::insert(&tx, &new, now)?;
        let task = tasks::get(&tx, &id)?;
        tx.commit()?;
        Ok(task)
    }

    /// Hides an account's suggestion for the week holding `week_of`.
    pub fn dismiss_suggestion(&self, account_id: &str, week_of: NaiveDate, now: DateTime<Utc>) -> Result<()> {
        let changed = self.conn().execute(
            "INSERT INTO plan_dismissals (account_id, week_start, dismissed_at) SELECT id, ?2, ?3 FROM accounts \
             WHERE id = ?1 ON CONFLICT DO NOTHING",
            params![account_id, planner::monday_of(week_of), now],
        )?;
        let exists = changed > 0 || self.account(account_id).is_ok();
        if exists {
            Ok(())
        } else {
            Err(Error::NotFound("account"))
        }
    }

    /// Undoes a dismissal: the account may be suggested again in the week holding `week_of`.
    pub fn restore_suggestion(&self, account_id: &str, week_of: NaiveDate) -> Result<()> {
        self.conn().execute(
            "DELETE FROM plan_dismissals WHERE account_id = ?1 AND week_start = ?2",
            params![account_id, planner::monday_of(week_of)],
        )?;
        Ok(())
    }

    /// The week's appointments and tasks as an iCalendar file.
    pub fn week_ics(&self, week_of: NaiveDate, today: NaiveDate, now: DateTime<Utc>) -> Result<String> {
        let plan = plan_in(&self.conn(), week_of, today)?;
        Ok(crate::ics::week_ics(&plan, now))
    }
}

fn invalid(field: &str, message: &str) -> Error {
    Error::Invalid(vec![FieldError::new(field, message)])
}

/// The facts of the last plan, reused while the day is the same and nothing was written since:
/// moving between weeks then costs only the week's tasks.
pub(super) type FactsCache = super::cache::UntilWritten<NaiveDate, Vec<AccountFacts>>;

fn plan_in(conn: &Connection, week_of: NaiveDate, today: NaiveDate) -> Result<WeekPlan> {
    plan_with(conn, week_of, today, &account_facts(conn, today)?)
}

fn plan_with(conn: &Connection, week_of: NaiveDate, today: NaiveDate, accounts: &[AccountFacts]) -> Result<WeekPlan> {
    let week_start = planner::monday_of(week_of);
    let settings = settings_in(conn)?;
    let cadence = health::scorecard_in(conn)?.cadence_days;
    let (tasks, overdue) = tasks::tasks_for_week(conn, week_start, week_start + Days::new(6), today)?;
    let dismissed: HashSet<String> = conn
        .prepare_cached("SELECT account_id FROM plan_dismissals WHERE week_start = ?1")?
        .query_map([week_start], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let meetings = super::calendar::meetings_between(conn, week_start, week_start + Days::new(6))?;
    let input = WeekInput {
        meetings: &meetings,
        week_of,
        today,
        settings: &settings,
        cadence: &cadence,
        accounts,
        tasks: &tasks,
        overdue: Some(&overdue),
        dismissed: &dismissed,
    };
    let mut plan = planner::plan_week(&input);
    plan.held_back_tasks = held_back_tasks(conn)?;
    Ok(plan)
}

/// Where the next run's window starts when tasks were held back (their earliest step date), so
/// they are offered again; absent, the window starts at the last run.
const PLAYBOOKS_HELD_FROM: &str = "planner.playbooks_held_from";
const PLAYBOOKS_HELD_BACK: &str = "planner.playbooks_held_back";
/// "day count": how many tasks the playbooks created on that day, against the daily limit.
const PLAYBOOKS_CREATED: &str = "planner.playbooks_created";

/// Runs the playbooks within the day's limit of new tasks.
fn run_playbooks_in(tx: &Transaction<'_>, today: NaiveDate, now: DateTime<Utc>) -> Result<PlaybookRun> {
    run_playbooks_with(tx, today, now, 0)
}

/// Runs the playbooks; `extra` lets the CSM ask for more than the day's limit (the held-back tasks).
fn run_playbooks_with(tx: &Transaction<'_>, today: NaiveDate, now: DateTime<Utc>, extra: u32) -> Result<PlaybookRun> {
    let books = playbooks_in(tx)?;
    let mut accounts = account_facts(tx, today)?;
    fill_red_since(tx, &mut accounts, today)?;
    let settings = settings_in(tx)?;
    let read_day = |key| -> Result<Option<NaiveDate>> { Ok(settings::read(tx, key)?.and_then(|d| d.parse().ok())) };
    let last_run = read_day(PLAYBOOKS_RUN_DAY)?;
    let window = read_day(PLAYBOOKS_HELD_FROM)?.into_iter().chain(last_run).min();
    let from = playbook::window_start(window, today);
    let planned = playbook::planned_tasks(&books, &accounts, &settings.work_days, from, today);
    let existing = existing_playbook_tasks(tx)?;
    let (changes, mut run) = playbook::reconcile(planned, &existing);
    let mut creates = Vec::new();
    for change in changes {
        match change {
            Change::Create(task) => creates.push(task),
            update => apply(tx, &update, now)?,
        }
    }

    let created_today = created_on(tx, today)?;
    let load = open_load(tx, today, settings.unestimated_minutes)?;
    let room = playbook::Room {
        budget: (settings.playbook_tasks_per_day + extra).saturating_sub(created_today),
        load: &load,
        minutes_per_day: settings.minutes_per_day,
        work_days: &settings.work_days,
        today,
    };
    let held_from = creates.iter().map(|t| t.step_date).min();
    let (admitted, held_back) = playbook::admit(creates, &room);
    run.created = admitted.len() as u32;
    run.held_back = held_back;
    for task in admitted {
        apply(tx, &Change::Create(task), now)?;
    }
    settings::write(tx, PLAYBOOKS_RUN_DAY, &today.to_string())?;
    settings::write(tx, PLAYBOOKS_CREATED, &format!("{today} {}", created_today + run.created))?;
    settings::write(tx, PLAYBOOKS_HELD_BACK, &held_back.to_string())?;
    match held_from.filter(|_| held_back > 0) {
        Some(day) => settings::write(tx, PLAYBOOKS_HELD_FROM, &day.to_string())?,
        None => settings::remove(tx, PLAYBOOKS_HELD_FROM)?,
    }
    if run.created + run.updated + run.held_back > 0 {
        log::info!("playbooks: {} tasks created, {} updated, {} held back", run.created, run.updated, run.held_back);
    }
    Ok(run)
}

/// How many tasks the playbooks already created today.
fn created_on(conn: &Connection, today: NaiveDate) -> Result<u32> {
    let text = settings::read(conn, PLAYBOOKS_CREATED)?.unwrap_or_default();
    let today = today.to_string();
    Ok(match text.split_once(' ') {
        Some((day, count)) if day == today => count.parse().unwrap_or(0),
        _ => 0,
    })
}

/// Minutes of open tasks per due day, from today on.
fn open_load(conn: &Connection, today: NaiveDate, unestimated: u32) -> Result<BTreeMap<NaiveDate, u32>> {
    let mut stmt = conn.prepare_cached(
        "SELECT due_date, sum(coalesce(effort_minutes, ?2)) FROM tasks \
         WHERE status IN ('open', 'snoozed') AND due_date >= ?1 GROUP BY due_date",
    )?;
    let rows = stmt.query_map(params![today, unestimated], |r| Ok((date(r, 0)?, r.get::<_, u32>(1)?)))?;
    let mut load = BTreeMap::new();
    for row in rows {
        if let (Some(day), minutes) = row? {
            load.insert(day, minutes);
        }
    }
    Ok(load)
}

pub(super) fn held_back_tasks(conn: &Connection) -> Result<u32> {
    Ok(settings::read(conn, PLAYBOOKS_HELD_BACK)?.and_then(|n| n.parse().ok()).unwrap_or(0))
}

fn apply(tx: &Transaction<'_>, change: &Change, now: DateTime<Utc>) -> Result<()> {
    match change {
        Change::Create(task) => {
            let draft = ValidTask {
                account_id: Some(task.account_id.clone()),
                title: task.title.clone(),
                due_date: Some(task.due_date),
                due_time: None,
                priority: task.priority,
                effort_minutes: Some(task.effort_minutes),
                details: String::new(),
            };
            let new = NewTask {
                draft: &draft,
                source: TaskSource::Playbook,
                source_ref: Some(&task.source_ref),
                provenance: &task.provenance,
                is_touch: false,
                generated_due: Some(task.step_date),
                note_id: None,
            };
            tasks::insert(tx, &new, now)?;
        }
        Change::Update { id, task, move_due } => {
            tx.prepare_cached(
                "UPDATE tasks SET title = ?2, effort_minutes = ?3, priority = ?4, provenance = ?5, generated_due = ?6, \
                 due_date = CASE WHEN ?7 THEN ?6 ELSE due_date END, updated_at = ?8 WHERE id = ?1",
            )?
            .execute(params![
                id,
                task.title,
                task.effort_minutes,
                task.priority.as_str(),
                task.provenance,
                task.step_date,
                move_due,
                now
            ])?;
            super::search::reindex(tx, crate::model::SearchKind::Task, id)?;
        }
    }
    Ok(())
}

fn existing_playbook_tasks(conn: &Connection) -> Result<Vec<ExistingTask>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, source_ref, status IN ('open', 'snoozed'), due_date, generated_due, title, effort_minutes, \
         priority, provenance FROM tasks WHERE source = 'playbook' AND source_ref IS NOT NULL",
    )?;
    let rows = stmt.query_map([], |row| {
        Ok(ExistingTask {
            id: row.get(0)?,
            source_ref: row.get(1)?,
            pending: row.get(2)?,
            due_date: date(row, 3)?,
            generated_due: date(row, 4)?,
            title: row.get(5)?,
            effort_minutes: row.get(6)?,
            priority: enum_column(row, 7, Priority::parse)?,
            provenance: row.get(8)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What the planner and playbooks know of every active account today, in a handful of
/// set-based queries: one scan each, no per-account lookups. (Playbooks also need since when a
/// red account has been red: `fill_red_since`.)
pub(crate) fn account_facts(conn: &Connection, today: NaiveDate) -> Result<Vec<AccountFacts>> {
    let mut facts: Vec<AccountFacts> = conn
        .prepare_cached(
            "SELECT id, name, segment, lifecycle_stage, arr_minor, currency, contract_start, customer_since, \
             renewal_date, substr(last_touch_at, 1, 10), licences_purchased FROM accounts WHERE archived_at IS NULL",
        )?
        .query_map([], |row| {
            let mut a = AccountFacts::new(&row.get::<_, String>(0)?, &row.get::<_, String>(1)?);
            a.segment = enum_column(row, 2, Segment::parse)?;
            a.stage = enum_column(row, 3, LifecycleStage::parse)?;
            a.arr_minor = row.get(4)?;
            a.currency = row.get(5)?;
            a.contract_start = date(row, 6)?;
            a.customer_since = date(row, 7)?;
            a.renewal_date = date(row, 8)?;
            a.last_touch_on = date(row, 9)?.filter(|d| *d <= today);
            a.licences_purchased = row.get(10)?;
            Ok(a)
        })?
        .collect::<rusqlite::Result<_>>()?;
    let index: HashMap<String, usize> = facts.iter().enumerate().map(|(i, a)| (a.id.clone(), i)).collect();
    let at = |row: &rusqlite::Row<'_>| -> rusqlite::Result<Option<usize>> {
        Ok(row.get_ref(0)?.as_str().ok().and_then(|id| index.get(id)).copied())
    };

    // The last touch (call, meeting, email, QBR) and the last QBR, from the timeline and held QBRs.
    let mut stmt = conn.prepare_cached(
        "SELECT account_id, substr(max(occurred_at), 1, 10), substr(max(iif(kind = 'qbr', occurred_at, NULL)), 1, 10) \
         FROM timeline_events WHERE kind IN ('call', 'meeting', 'email', 'qbr') AND occurred_at < ?1 GROUP BY account_id \
         UNION ALL SELECT account_id, NULL, max(coalesce(substr(meeting_at, 1, 10), period_end)) FROM qbrs \
         WHERE status IN ('held', 'follow_up_sent') AND coalesce(substr(meeting_at, 1, 10), period_end) <= ?2 \
         GROUP BY account_id",
    )?;
    let mut rows = stmt.query(params![today + Days::new(1), today])?;
    while let Some(row) = rows.next()? {
        let Some(i) = at(row)? else { continue };
        let a = &mut facts[i];
        a.last_touch_on = a.last_touch_on.max(date(row, 1)?);
        a.last_qbr_on = a.last_qbr_on.max(date(row, 2)?);
    }
    drop(rows);

    // The latest critical-ticket, invoice, NPS and licence readings, in one pass over the signals index.
    let mut stmt = conn.prepare_cached(
        "SELECT account_id, kind, recorded_on, value FROM signals INDEXED BY signals_latest \
         WHERE kind IN ('critical_tickets_open', 'invoice_overdue_days', 'nps', 'licences_used') AND recorded_on <= ?1",
    )?;
    let mut rows = stmt.query([today])?;
    while let Some(row) = rows.next()? {
        let (Some(i), Some(recorded_on)) = (at(row)?, date(row, 2)?) else { continue };
        let a = &mut facts[i];
        let slot = match row.get_ref(1)?.as_str().unwrap_or_default() {
            "critical_tickets_open" => &mut a.critical_tickets,
            "invoice_overdue_days" => &mut a.invoice_overdue_days,
            "licences_used" => &mut a.licences_used,
            _ => &mut a.nps,
        };
        // Rows come in (recorded_on, id) order per account and kind: the last one is the latest.
        *slot = Some(Reading { value: row.get(3)?, recorded_on, expires_on: None });
    }
    drop(rows);

    // The CSM's calls on the coming renewals.
    let mut stmt = conn.prepare_cached("SELECT account_id, category, stage, next_step <> '' FROM renewals")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let Some(i) = at(row)? else { continue };
        facts[i].renewal_call = Some(RenewalCall {
            category: row.get::<_, Option<String>>(1)?.as_deref().and_then(ForecastCategory::parse),
            stage: enum_column(row, 2, RenewalStage::parse)?,
            has_next_step: row.get(3)?,
        });
    }
    drop(rows);

    // Executive sponsors and champions who left, found through the relationship index.
    let mut stmt = conn.prepare_cached(
        "SELECT account_id, id, name, role, left_on FROM contacts INDEXED BY contacts_relationship \
         WHERE role IN ('executive_sponsor', 'champion') AND left_on <= ?1 ORDER BY left_on, id",
    )?;
    let mut rows = stmt.query([today])?;
    while let Some(row) = rows.next()? {
        let (Some(i), Some(left_on)) = (at(row)?, date(row, 4)?) else { continue };
        let departure = Departure {
            contact_id: row.get(1)?,
            name: row.get(2)?,
            role: enum_column(row, 3, ContactRole::parse)?,
            left_on,
        };
        facts[i].departures.push(departure);
    }
    drop(rows);

    // Open risks, for the Week's reasons and the renewal likelihood.
    for (id, risk) in super::risks::open_risks(conn)? {
        if let Some(&i) = index.get(&id) {
            facts[i].risks.push(risk);
        }
    }

    // Who the CSM talks to, as computed with the latest score.
    for (id, coverage) in super::relationships::coverage_by_account(conn)? {
        if let Some(&i) = index.get(&id) {
            facts[i].coverage = Some(coverage);
        }
    }

    // Today's score and band, and the change over 30 days.
    let mut stmt = conn.prepare_cached(
        "SELECT t.account_id, t.score, t.band, m.score FROM health_snapshots t INDEXED BY health_snapshots_day \
         LEFT JOIN health_snapshots m ON m.account_id = t.account_id AND m.day = ?2 WHERE t.day = ?1",
    )?;
    let mut rows = stmt.query(params![today, today - Days::new(30)])?;
    while let Some(row) = rows.next()? {
        let Some(i) = at(row)? else { continue };
        let score: u32 = row.get(1)?;
        let trend_30d = row.get::<_, Option<u32>>(3)?.map(|old| i64::from(score) - i64::from(old));
        facts[i].health =
            Some(HealthNow { score, band: enum_column(row, 2, Band::parse)?, trend_30d, red_since: None });
    }
    Ok(facts)
}

/// Since when each red account has been red: the day after its last non-red snapshot. An
/// account red since its first score has no such day: its first score is not a band change.
fn fill_red_since(conn: &Connection, facts: &mut [AccountFacts], today: NaiveDate) -> Result<()> {
    let mut last_not_red = conn
        .prepare_cached("SELECT max(day) FROM health_snapshots WHERE account_id = ?1 AND day < ?2 AND band != 'red'")?;
    for a in facts.iter_mut() {
        let Some(health) = a.health.as_mut().filter(|h| h.band == Band::Red) else { continue };
        let before: Option<NaiveDate> = last_not_red.query_row(params![a.id, today], |r| date(r, 0))?;
        health.red_since = before.map(|day| day + Days::new(1));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{TaskInput, TaskStatus};
    use crate::sample::{generate, SampleSpec};

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).expect("a Monday")
    }

    fn now() -> DateTime<Utc> {
        "2026-11-23T08:30:00Z".parse().expect("instant")
    }

    fn sample_store() -> Store {
        let store = Store::open_in_memory().expect("store");
        store.start_book(Some(&generate(&SampleSpec::DEMO, today())), now()).expect("sample");
        store.start_of_day(today(), now()).expect("the day's job");
        store
    }

    fn task_count(store: &Store) -> i64 {
        store.conn().query_row("SELECT count(*) FROM tasks", [], |r| r.get(0)).expect("count")
    }

    fn draft(account_id: &str, title: &str, due: &str) -> ValidTask {
        let input = TaskInput {
            account_id: account_id.into(),
            title: title.into(),
            due_date: due.into(),
            ..Default::default()
        };
        validate::task(&input, today()).expect("valid").0
    }

    #[test]
    fn a_task_on_an_unknown_account_is_refused_and_nothing_is_saved() {
        let store = Store::open_in_memory().expect("store");
        let err = store.create_task(&draft("0190e3a4-0000-7000-8000-000000000000", "Call", ""), now()).unwrap_err();
        assert_eq!(err.kind(), "invalid");
        assert_eq!(task_count(&store), 0);
    }

    #[test]
    fn tasks_move_snooze_reopen_and_complete_and_a_done_touch_counts_as_a_touch() {
        let store = sample_store();
        let plan = store.week_plan(today(), today()).expect("plan");
        let suggestion = plan.days.iter().flat_map(|d| &d.suggestions).next().expect("a suggestion").clone();
        let touch = store.accept_suggestion(&suggestion.account_id, today(), None, today(), now()).expect("accept");
        assert!(touch.is_touch);
        assert_eq!(touch.due_date, suggestion.day);
        assert!(touch.provenance.contains(&suggestion.summary));

        let moved = store.move_task(&touch.id, today() + Days::new(2), now()).expect("move");
        assert_eq!(moved.due_date, Some(today() + Days::new(2)));
        let snoozed = store.snooze_task(&touch.id, today() + Days::new(8), now()).expect("snooze");
        assert_eq!((snoozed.status, snoozed.plan_day()), (TaskStatus::Snoozed, Some(today() + Days::new(8))));
        assert_eq!(store.reopen_task(&touch.id, now()).expect("reopen").status, TaskStatus::Open);

        let later = now() + chrono::TimeDelta::hours(2);
        let done = store.complete_task(&touch.id, later, today()).expect("complete");
        assert_eq!((done.status, done.completed_at), (TaskStatus::Done, Some(later)));
        let account = store.account(&suggestion.account_id).expect("account");
        assert_eq!(account.last_touch_at, Some(later));
        let timeline: i64 = store
            .conn()
            .query_row(
                "SELECT count(*) FROM timeline_events WHERE kind = 'task_done' AND account_id = ?1",
                [&account.id],
                |r| r.get(0),
            )
            .expect("timeline");
        assert_eq!(timeline, 1);
        let replanned = store.week_plan(today(), today()).expect("plan");
        assert!(replanned.days.iter().flat_map(|d| &d.suggestions).all(|s| s.account_id != account.id));
    }

    #[test]
    fn playbooks_run_once_a_day_and_a_second_run_creates_nothing() {
        let store = Store::open_in_memory().expect("store");
        store.start_book(Some(&generate(&SampleSpec::DEMO, today())), now()).expect("sample");
        let first = store.ensure_playbooks_ran(today(), now()).expect("run").expect("ran");
        assert!(first.created > 5, "{first:?}");
        assert_eq!(store.ensure_playbooks_ran(today(), now()).expect("run"), None);
        let again = store.run_playbooks(today(), now()).expect("run");
        assert_eq!((again.created, again.updated), (0, 0));
        let without_provenance: i64 = store
            .conn()
            .query_row("SELECT count(*) FROM tasks WHERE source = 'playbook' AND provenance = ''", [], |r| r.get(0))
            .expect("count");
        assert_eq!(without_provenance, 0);
    }

    #[test]
    fn editing_a_step_renames_its_tasks_and_a_bad_set_saves_nothing() {
        let store = sample_store();
        store.run_playbooks(today(), now()).expect("run");
        let before = task_count(&store);
        let mut books = store.playbooks().expect("playbooks");
        for book in &mut books {
            for step in &mut book.steps {
                step.title = format!("{} (edited)", step.title);
            }
        }
        let run = store.save_playbooks(&books, today(), now()).expect("save");
        assert!(run.updated > 0);
        assert_eq!(task_count(&store), before + i64::from(run.created));
        let stale: i64 = store
            .conn()
            .query_row(
                "SELECT count(*) FROM tasks WHERE source = 'playbook' AND status = 'open' AND title NOT LIKE '%(edited)'",
                [],
                |r| r.get(0),
            )
            .expect("count");
        assert_eq!(stale, 0, "every open playbook task follows its edited step");

        books[0].steps[0].effort_minutes = 0;
        books[0].name = "Broken".into();
        assert_eq!(store.save_playbooks(&books, today(), now()).unwrap_err().kind(), "invalid");
        assert_ne!(store.playbooks().expect("playbooks")[0].name, "Broken");
    }

    #[test]
    fn the_sample_week_has_appointments_tasks_and_reasoned_suggestions() {
        let store = sample_store();
        let plan = store.week_plan(today(), today()).expect("plan");
        assert_eq!(plan, store.week_plan(today(), today()).expect("again"), "deterministic");
        assert!(plan.days.iter().any(|d| !d.appointments.is_empty()));
        assert!(plan.days.iter().any(|d| d.tasks.iter().any(|t| t.source == TaskSource::Playbook)));
        let suggestions: Vec<&Suggestion> = plan.days.iter().flat_map(|d| &d.suggestions).collect();
        assert!(suggestions.len() >= 5, "{} suggestions", suggestions.len());
        // The first run's playbook tasks are spread within capacity: no day they land on overflows.
        for d in plan.days.iter().filter(|d| !d.is_past && d.tasks.iter().any(|t| t.source == TaskSource::Playbook)) {
            assert!(
                d.planned_minutes <= d.capacity_minutes,
                "{}: {} of {} minutes",
                d.date,
                d.planned_minutes,
                d.capacity_minutes
            );
        }
        assert!(suggestions.iter().all(|s| !s.summary.is_empty() && s.points > 0));
        for d in plan.days.iter().filter(|d| !d.suggestions.is_empty()) {
            assert!(d.planned_minutes + d.suggested_minutes <= d.capacity_minutes);
        }

        let dismissed = suggestions[0].account_id.clone();
        store.dismiss_suggestion(&dismissed, today(), now()).expect("dismiss");
        let plan = store.week_plan(today(), today()).expect("plan");
        assert!(plan.days.iter().flat_map(|d| &d.suggestions).chain(&plan.overflow).all(|s| s.account_id != dismissed));
        store.restore_suggestion(&dismissed, today()).expect("undo");
        let plan = store.week_plan(today(), today()).expect("plan");
        assert!(plan.days.iter().flat_map(|d| &d.suggestions).chain(&plan.overflow).any(|s| s.account_id == dismissed));
        store.dismiss_suggestion(&dismissed, today(), now()).expect("dismiss again");
        let next_week = store.week_plan(today() + Days::new(7), today()).expect("next week");
        assert!(next_week
            .days
            .iter()
            .flat_map(|d| &d.suggestions)
            .chain(&next_week.overflow)
            .any(|s| s.account_id == dismissed));
        let err = store.accept_suggestion(&dismissed, today(), None, today(), now()).unwrap_err();
        assert_eq!(err.kind(), "invalid");
    }

    #[test]
    fn a_touch_can_only_be_accepted_onto_a_day_of_the_week_from_today() {
        let store = sample_store();
        let plan = store.week_plan(today(), today()).expect("plan");
        let s = plan.days.iter().flat_map(|d| &d.suggestions).next().expect("a suggestion");
        for day in [today() - Days::new(1), today() + Days::new(7)] {
            let err = store.accept_suggestion(&s.account_id, today(), Some(day), today(), now()).unwrap_err();
            assert_eq!(err.kind(), "invalid", "{day}");
        }
        store.accept_suggestion(&s.account_id, today(), Some(today() + Days::new(4)), today(), now()).expect("friday");
    }

    #[test]
    fn planner_settings_are_checked_and_kept() {
        let store = Store::open_in_memory().expect("store");
        let mut settings = store.planner_settings().expect("settings");
        settings.minutes_per_day = 4 * 60;
        store.save_planner_settings(&settings).expect("save");
        assert_eq!(store.planner_settings().expect("settings").minutes_per_day, 240);
        settings.work_days = vec![false; 7];
        assert!(store.save_planner_settings(&settings).is_err());
        assert_eq!(store.planner_settings().expect("settings").work_days.iter().filter(|d| **d).count(), 5);
    }

    #[test]
    fn the_week_exports_as_a_calendar() {
        let store = sample_store();
        store.week_plan(today(), today()).expect("plan");
        let ics = store.week_ics(today(), today(), now()).expect("ics");
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(ics.matches("BEGIN:VEVENT").count() >= 3);
    }

    #[test]
    fn the_week_and_the_book_are_reads_the_day_job_writes() {
        let store = Store::open_in_memory().expect("store");
        store.start_book(Some(&generate(&SampleSpec::DEMO, today())), now()).expect("sample");
        let changes = |store: &Store| store.conn().total_changes();
        let before = changes(&store);
        store.week_plan(today(), today()).expect("plan");
        store.book_with_health(today()).expect("book");
        assert_eq!(changes(&store), before, "opening the Week and the Book wrote to the book");

        let day = store.start_of_day(today(), now()).expect("the day's job");
        assert!(day.playbooks.is_some_and(|run| run.created > 0), "{day:?}");
        let again = store.start_of_day(today(), now()).expect("again");
        assert_eq!((again.scored, again.playbooks), (0, None), "once a day");
        let tomorrow = store.start_of_day(today() + Days::new(1), now()).expect("tomorrow");
        assert!(tomorrow.scored > 0 && tomorrow.playbooks.is_some(), "a new day rescored: {tomorrow:?}");
        let before = changes(&store);
        store.week_plan(today(), today()).expect("plan");
        store.book_with_health(today()).expect("book");
        assert_eq!(changes(&store), before);
    }
}
