//! The risk register: risks with their save plans (tasks) and weekly updates, the "Open a risk?"
//! suggestions, and the Risks page. Every write is one transaction with its timeline entry and
//! its search index row.

mod asks;
mod capture;
pub(crate) mod sample;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

use super::columns::date;
use super::planner::account_facts;
use super::renewals::{rates_on, settings_in};
use super::tasks::{self, NewTask};
use super::{enum_column, search, timeline, Store};
use crate::error::{Error, Result};
use crate::model::{
    new_id, AccountRisks, HelpNeeded, Money, Priority, Risk, RiskDetail, RiskSeverity, RiskStage, RiskSuggestion,
    RiskUpdate, RisksView, SearchKind, TaggedNoteOffer, TaskSource, TimelineKind, TimelineRef,
};
use crate::risks::{self as rules, OpenRisk};
use crate::validate::{ValidRisk, ValidTask};

pub(crate) use asks::of_account as asks_of;
pub use asks::Asker;
pub(crate) use capture::{apply_note_lines, preview};

const SELECT: &str = "SELECT r.id, r.account_id, a.name, r.title, r.reasons, r.severity, r.arr_at_risk_minor, \
     r.currency, r.stage, r.help_needed, r.opened_on, r.stage_since, r.last_update_on, r.closed_on, \
     (SELECT count(*) FROM risk_plan_steps p JOIN tasks t ON t.id = p.task_id WHERE p.risk_id = r.id \
       AND t.status IN ('open', 'snoozed')), \
     (SELECT count(*) FROM risk_plan_steps p WHERE p.risk_id = r.id) \
     FROM risks r JOIN accounts a ON a.id = r.account_id";

/// The Risks page lists this many suggestions (the biggest accounts); the rest are counted.
const SUGGESTIONS_SHOWN: usize = 40;
/// Recently closed risks stay on the page this long.
const CLOSED_SHOWN_DAYS: u64 = 30;

fn json_list<T>(row: &Row<'_>, idx: usize, parse: fn(&str) -> Option<T>) -> rusqlite::Result<Vec<T>> {
    let text: String = row.get(idx)?;
    let items: Vec<String> = serde_json::from_str(&text)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(idx, rusqlite::types::Type::Text, Box::new(e)))?;
    Ok(items.iter().filter_map(|i| parse(i)).collect())
}

fn risk_row(row: &Row<'_>, today: NaiveDate) -> rusqlite::Result<Risk> {
    let stage = enum_column(row, 8, RiskStage::parse)?;
    let opened_on = date(row, 10)?.unwrap_or(today);
    let stage_since = date(row, 11)?.unwrap_or(opened_on);
    let last_update_on = date(row, 12)?;
    let closed_on = date(row, 13)?;
    let until = closed_on.unwrap_or(today);
    Ok(Risk {
        id: row.get(0)?,
        account_id: row.get(1)?,
        account_name: row.get(2)?,
        title: row.get(3)?,
        reasons: json_list(row, 4, |s| Some(s.to_owned()))?,
        severity: enum_column(row, 5, RiskSeverity::parse)?,
        arr_at_risk: Money::new(row.get(6)?, &row.get::<_, String>(7)?),
        stage,
        help_needed: json_list(row, 9, HelpNeeded::parse)?,
        opened_on,
        stage_since,
        last_update_on,
        closed_on,
        days_in_stage: (until - stage_since).num_days().max(0),
        days_since_update: rules::days_since_update(opened_on, last_update_on, until),
        stale: rules::is_stale(stage, opened_on, last_update_on, today),
        plan_open: row.get(14)?,
        plan_steps: row.get(15)?,
    })
}

/// Every row of a query, read by `read`.
pub(super) fn query_all<T>(
    conn: &Connection,
    sql: &str,
    args: impl rusqlite::Params,
    read: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
) -> Result<Vec<T>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(args, read)?.collect::<rusqlite::Result<Vec<T>>>()?;
    Ok(rows)
}

fn risks_where(conn: &Connection, filter: &str, args: impl rusqlite::Params, today: NaiveDate) -> Result<Vec<Risk>> {
    query_all(conn, &format!("{SELECT} WHERE {filter}"), args, |row| risk_row(row, today))
}

fn get(conn: &Connection, id: &str, today: NaiveDate) -> Result<Risk> {
    risks_where(conn, "r.id = ?1", [id], today)?.pop().ok_or(Error::NotFound("risk"))
}

/// Every open risk by account, lean, for the account facts.
pub(crate) fn open_risks(conn: &Connection) -> Result<Vec<(String, OpenRisk)>> {
    query_all(
        conn,
        "SELECT r.account_id, r.id, r.title, r.severity, r.stage, r.opened_on, r.last_update_on, \
         (SELECT count(*) FROM risk_plan_steps p WHERE p.risk_id = r.id) FROM risks r WHERE r.closed_on IS NULL",
        [],
        |row| {
            Ok((
                row.get(0)?,
                OpenRisk {
                    id: row.get(1)?,
                    title: row.get(2)?,
                    severity: enum_column(row, 3, RiskSeverity::parse)?,
                    stage: enum_column(row, 4, RiskStage::parse)?,
                    opened_on: date(row, 5)?.unwrap_or_default(),
                    last_update_on: date(row, 6)?,
                    plan_steps: row.get(7)?,
                },
            ))
        },
    )
}

/// When an event of `day` happened: now if today, else noon of that day.
fn at_day(day: NaiveDate, now: DateTime<Utc>) -> DateTime<Utc> {
    if day == now.date_naive() {
        now
    } else {
        day.and_time(NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default()).and_utc()
    }
}

fn on_timeline(tx: &Transaction<'_>, risk: &Risk, at: DateTime<Utc>, title: String, detail: String) -> Result<()> {
    let event = timeline::event(&risk.account_id, TimelineKind::Risk, at, title, detail);
    timeline::insert_about(tx, &event, Some((TimelineRef::Risk, &risk.id)))?;
    Ok(())
}

fn account_arr(conn: &Connection, account_id: &str) -> Result<Money> {
    conn.prepare_cached("SELECT arr_minor, currency FROM accounts WHERE id = ?1")?
        .query_row([account_id], |r| Ok(Money::new(r.get(0)?, &r.get::<_, String>(1)?)))
        .optional()?
        .ok_or(Error::NotFound("account"))
}

fn json_of<T: AsRef<str>>(items: impl IntoIterator<Item = T>) -> String {
    serde_json::to_string(&items.into_iter().map(|i| i.as_ref().to_owned()).collect::<Vec<_>>()).unwrap_or_default()
}

/// Records a new risk inside the caller's transaction; `note_id`: the note it came from.
pub(crate) fn insert(
    tx: &Transaction<'_>,
    d: &ValidRisk,
    note_id: Option<&str>,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> Result<Risk> {
    let arr = d.against(&account_arr(tx, &d.account_id)?, None)?;
    let id = new_id();
    tx.prepare_cached(
        "INSERT INTO risks (id, account_id, title, reasons, severity, arr_at_risk_minor, currency, stage, help_needed, \
         opened_on, stage_since, note_id, created_at, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11, ?12, ?12)",
    )?
    .execute(params![
        id,
        d.account_id,
        d.title,
        json_of(&d.reasons),
        d.severity.as_str(),
        arr.minor,
        arr.currency,
        d.stage.as_str(),
        json_of(d.help_needed.iter().map(|h| h.as_str())),
        today,
        note_id,
        now
    ])?;
    if let Some(note) = note_id {
        tx.execute("DELETE FROM tagged_note_offers WHERE note_id = ?1 AND kind = 'risk'", [note])?;
    }
    let risk = get(tx, &id, today)?;
    let detail = format!(
        "{} · {} · {} at risk",
        risk.reasons.join(", "),
        d.severity.as_str(),
        crate::validate::format_amount(&arr)
    );
    on_timeline(tx, &risk, now, format!("Risk opened: {}", risk.title), detail)?;
    search::reindex(tx, SearchKind::Risk, &id)?;
    Ok(risk)
}

/// Adds a dated update inside the caller's transaction.
pub(crate) fn insert_update(
    tx: &Transaction<'_>,
    risk: &Risk,
    body: &str,
    day: NaiveDate,
    note_id: Option<&str>,
    now: DateTime<Utc>,
) -> Result<()> {
    if risk.stage.is_closed() {
        return Err(Error::invalid("body", "This risk is closed: open a new one if it has come back."));
    }
    tx.prepare_cached("INSERT INTO risk_updates (risk_id, on_day, body, note_id) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![risk.id, day, body, note_id])?;
    tx.prepare_cached(
        "UPDATE risks SET last_update_on = max(coalesce(last_update_on, ''), ?2), updated_at = ?3 WHERE id = ?1",
    )?
    .execute(params![risk.id, day, now])?;
    on_timeline(tx, risk, at_day(day, now), format!("Risk update: {}", risk.title), body.to_owned())?;
    search::reindex(tx, SearchKind::Risk, &risk.id)?;
    Ok(())
}

impl Store {
    /// The Risks page: open risks by ARR at risk, totals by stage and reason in the reporting
    /// currency, suggestions, tagged notes offered, and risks closed in the last 30 days.
    pub fn risks(&self, today: NaiveDate) -> Result<RisksView> {
        let conn = self.conn();
        let mut risks = risks_where(&conn, "r.closed_on IS NULL", [], today)?;
        let since = today - Days::new(CLOSED_SHOWN_DAYS);
        let mut closed_recently =
            risks_where(&conn, "r.closed_on >= ?1 ORDER BY r.closed_on DESC, r.id", [since], today)?;
        closed_recently.truncate(50);
        let settings = settings_in(&conn)?;
        let (rates, _) = rates_on(&conn, &settings.reporting_currency, today)?;
        rules::sort_open(&mut risks, &rates);
        let (by_stage, by_reason, total, missing_rates) = match rules::totals(&risks, &rates) {
            Ok((s, r, t)) => (s, r, t, Vec::new()),
            Err(missing) => (Vec::new(), Vec::new(), Default::default(), missing.0.into_iter().collect()),
        };
        let stale = risks.iter().filter(|r| r.stale).count() as u32;
        let facts = self.facts.get(&conn, today, || account_facts(&conn, today))?;
        let mut suggestions = suggestions_for(&conn, &facts, None, today)?;
        let suggestions_total = suggestions.len() as u32;
        suggestions.truncate(SUGGESTIONS_SHOWN);
        Ok(RisksView {
            reporting_currency: settings.reporting_currency,
            risks,
            by_stage,
            by_reason,
            total,
            stale,
            missing_rates,
            suggestions,
            suggestions_total,
            offers: offers(&conn, "risk", None)?,
            closed_recently,
        })
    }

    /// An account's risks (open, then closed, newest first), the asks it made and its suggestions.
    pub fn account_risks(&self, account_id: &str, today: NaiveDate) -> Result<AccountRisks> {
        let conn = self.conn();
        let all = risks_where(&conn, "r.account_id = ?1 ORDER BY r.opened_on DESC, r.id", [account_id], today)?;
        let (closed, open): (Vec<Risk>, Vec<Risk>) = all.into_iter().partition(|r| r.stage.is_closed());
        let facts = self.facts.get(&conn, today, || account_facts(&conn, today))?;
        let suggestions = suggestions_for(&conn, &facts, Some(account_id), today)?;
        let asks = asks::of_account(&conn, account_id)?;
        Ok(AccountRisks { open, closed, asks, suggestions })
    }

    /// The account's risks open now or closed since `since`, each with its plan and updates.
    pub(crate) fn risks_for_qbr(
        &self,
        account_id: &str,
        since: NaiveDate,
        today: NaiveDate,
    ) -> Result<Vec<RiskDetail>> {
        let ids: Vec<String> = query_all(
            &self.conn(),
            "SELECT id FROM risks WHERE account_id = ?1 AND (closed_on IS NULL OR closed_on >= ?2) ORDER BY opened_on, id",
            params![account_id, since],
            |r| r.get(0),
        )?;
        ids.iter().map(|id| self.risk(id, today)).collect()
    }

    pub fn risk(&self, id: &str, today: NaiveDate) -> Result<RiskDetail> {
        let conn = self.conn();
        let risk = get(&conn, id, today)?;
        let plan = conn
            .prepare_cached(&format!(
                "{} JOIN risk_plan_steps p ON p.task_id = t.id WHERE p.risk_id = ?1 \
                 ORDER BY t.status IN ('done', 'cancelled'), t.due_date IS NULL, t.due_date, t.created_at",
                tasks::SELECT
            ))?
            .query_map([id], tasks::from_row)?
            .collect::<rusqlite::Result<_>>()?;
        let updates = conn
            .prepare_cached(
                "SELECT id, on_day, body, note_id FROM risk_updates WHERE risk_id = ?1 ORDER BY on_day DESC, id DESC",
            )?
            .query_map([id], |r| {
                Ok(RiskUpdate {
                    id: r.get(0)?,
                    on_day: date(r, 1)?.unwrap_or(today),
                    body: r.get(2)?,
                    note_id: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(RiskDetail { risk, plan, updates })
    }

    /// Opens a risk; `note_id`: a tagged note from before risks existed, taken up.
    pub fn create_risk(
        &self,
        d: &ValidRisk,
        note_id: Option<&str>,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<Risk> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let risk = insert(&tx, d, note_id, now, today)?;
        tx.commit()?;
        Ok(risk)
    }

    /// Edits a risk; a stage change restarts its days in stage and goes on the timeline, and a
    /// closed risk cannot move back (`risks::check_move`).
    pub fn update_risk(&self, id: &str, d: &ValidRisk, now: DateTime<Utc>, today: NaiveDate) -> Result<Risk> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let before = get(&tx, id, today)?;
        if before.account_id != d.account_id {
            return Err(Error::invalid("account_id", "A risk stays on its account."));
        }
        let arr = d.against(&account_arr(&tx, &d.account_id)?, Some(before.stage))?;
        let moved = before.stage != d.stage;
        tx.prepare_cached(
            "UPDATE risks SET title = ?2, reasons = ?3, severity = ?4, arr_at_risk_minor = ?5, currency = ?6, \
             stage = ?7, help_needed = ?8, stage_since = iif(?9, ?10, stage_since), \
             closed_on = iif(?11, coalesce(closed_on, ?10), NULL), updated_at = ?12 WHERE id = ?1",
        )?
        .execute(params![
            id,
            d.title,
            json_of(&d.reasons),
            d.severity.as_str(),
            arr.minor,
            arr.currency,
            d.stage.as_str(),
            json_of(d.help_needed.iter().map(|h| h.as_str())),
            moved,
            today,
            d.stage.is_closed(),
            now
        ])?;
        let risk = get(&tx, id, today)?;
        if moved {
            let days = before.days_in_stage;
            let detail = format!("From {} after {days} day{}", before.stage.label(), if days == 1 { "" } else { "s" });
            let title = match d.stage {
                RiskStage::Recovered => format!("Risk recovered: {}", risk.title),
                RiskStage::Lost => format!("Risk lost: {}", risk.title),
                stage => format!("Risk moved to {}: {}", stage.label(), risk.title),
            };
            on_timeline(&tx, &risk, now, title, detail)?;
        }
        search::reindex(&tx, SearchKind::Risk, id)?;
        tx.commit()?;
        Ok(risk)
    }

    /// Adds a step to the save plan: a task of the account, due when given.
    pub fn add_plan_step(
        &self,
        risk_id: &str,
        title: &str,
        due: Option<NaiveDate>,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<RiskDetail> {
        {
            let mut conn = self.conn();
            let tx = conn.transaction()?;
            let risk = get(&tx, risk_id, today)?;
            if risk.stage.is_closed() {
                return Err(Error::invalid("title", "This risk is closed: its save plan is done."));
            }
            let draft = ValidTask {
                account_id: Some(risk.account_id.clone()),
                title: title.to_owned(),
                due_date: due,
                due_time: None,
                priority: if risk.severity >= RiskSeverity::High { Priority::High } else { Priority::Normal },
                effort_minutes: None,
                details: String::new(),
            };
            let provenance = format!("Save plan for the risk “{}”", risk.title);
            let new = NewTask {
                draft: &draft,
                source: TaskSource::Manual,
                source_ref: None,
                provenance: &provenance,
                is_touch: false,
                generated_due: None,
                note_id: None,
            };
            let task_id = tasks::insert(&tx, &new, now)?;
            tx.execute("INSERT INTO risk_plan_steps (task_id, risk_id) VALUES (?1, ?2)", params![task_id, risk_id])?;
            tasks::created_on_timeline(&tx, &tasks::get(&tx, &task_id)?, now)?;
            search::reindex(&tx, SearchKind::Task, &task_id)?;
            tx.commit()?;
        }
        self.risk(risk_id, today)
    }

    pub fn add_risk_update(
        &self,
        risk_id: &str,
        body: &str,
        day: NaiveDate,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<RiskDetail> {
        {
            let mut conn = self.conn();
            let tx = conn.transaction()?;
            let risk = get(&tx, risk_id, today)?;
            if day < risk.opened_on {
                return Err(Error::invalid("on_day", "An update can't be older than the risk."));
            }
            insert_update(&tx, &risk, body, day, None, now)?;
            tx.commit()?;
        }
        self.risk(risk_id, today)
    }

    /// Deletes a risk recorded by mistake; its plan's tasks stay (unlinked).
    pub fn delete_risk(&self, id: &str) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        if tx.execute("DELETE FROM risks WHERE id = ?1", [id])? == 0 {
            return Err(Error::NotFound("risk"));
        }
        tx.execute("DELETE FROM timeline_events WHERE ref_kind = 'risk' AND ref_id = ?1", [id])?;
        search::unindex(&tx, SearchKind::Risk, id)?;
        tx.commit()?;
        Ok(())
    }

    /// The reasons a risk may give: the CSM's list and those typed before.
    pub fn risk_reasons(&self) -> Result<Vec<String>> {
        reasons(&self.conn())
    }

    /// The CSM's own list of reasons (Settings), as checked by `validate::risk_reasons`;
    /// risks keep the reasons they were given.
    pub fn save_risk_reasons(&self, list: &[String]) -> Result<Vec<String>> {
        let conn = self.conn();
        super::settings::write_json(&conn, REASONS_KEY, &list)?;
        configured_reasons(&conn)
    }

    /// The CSM's own list of reasons, for Settings.
    pub fn configured_risk_reasons(&self) -> Result<Vec<String>> {
        configured_reasons(&self.conn())
    }

    /// What a note's `risk:` and `ask:` lines will do when it is saved.
    pub fn capture_preview(&self, account_id: &str, body_md: &str) -> Result<Vec<crate::model::CaptureLine>> {
        preview(&self.conn(), account_id, body_md)
    }

    /// Quiets an "Open a risk?" suggestion for `rules::DISMISS_DAYS`.
    pub fn dismiss_risk_suggestion(&self, account_id: &str, trigger: &str, today: NaiveDate) -> Result<()> {
        let conn = self.conn();
        conn.execute(
            "INSERT INTO risk_suggestion_dismissals (account_id, trigger, dismissed_on) \
             SELECT id, ?2, ?3 FROM accounts WHERE id = ?1 \
             ON CONFLICT (account_id, trigger) DO UPDATE SET dismissed_on = excluded.dismissed_on",
            params![account_id, trigger, today],
        )?;
        Ok(())
    }

    /// Declines a tagged note's offer to become a risk or an ask.
    pub fn dismiss_tagged_note_offer(&self, note_id: &str, kind: &str) -> Result<()> {
        self.conn()
            .execute("DELETE FROM tagged_note_offers WHERE note_id = ?1 AND kind = ?2", params![note_id, kind])?;
        Ok(())
    }
}

/// The suggestions of every active account (or of one), minus those dismissed lately.
fn suggestions_for(
    conn: &Connection,
    facts: &[crate::facts::AccountFacts],
    account: Option<&str>,
    today: NaiveDate,
) -> Result<Vec<RiskSuggestion>> {
    let since = today - Days::new(rules::DISMISS_DAYS as u64);
    let mut dismissed: HashMap<String, Vec<String>> = HashMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT account_id, trigger FROM risk_suggestion_dismissals WHERE dismissed_on > ?1 AND (?2 IS NULL OR account_id = ?2)",
    )?;
    for row in stmt.query_map(params![since, account], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
        let (id, trigger) = row?;
        dismissed.entry(id).or_default().push(trigger);
    }
    let mut out = Vec::new();
    for a in facts.iter().filter(|a| account.is_none_or(|id| a.id == id)) {
        let quiet: Vec<&str> = dismissed.get(&a.id).map(|v| v.iter().map(String::as_str).collect()).unwrap_or_default();
        // Only an account with critical tickets open now needs to know since when.
        let tickets_since = match a.critical_open() {
            Some(_) if a.risks.is_empty() => critical_open_since(conn, &a.id, today)?,
            _ => None,
        };
        let found = rules::suggestions(a, !a.risks.is_empty(), tickets_since, &quiet, today);
        out.extend(found.into_iter().map(|s| (a.arr_minor, s)));
    }
    // The biggest accounts first (amounts in their own currencies: an order, not a sum).
    out.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.account_name.cmp(&b.1.account_name)));
    Ok(out.into_iter().map(|(_, s)| s).collect())
}

/// Since when an account's critical tickets have been open without a break: the first reading
/// above zero after the last reading of zero (two seeks in the signals index).
fn critical_open_since(conn: &Connection, account_id: &str, today: NaiveDate) -> Result<Option<NaiveDate>> {
    let day = conn
        .prepare_cached(
            "SELECT min(recorded_on) FROM signals WHERE account_id = ?1 AND kind = 'critical_tickets_open' \
             AND value >= 1 AND recorded_on <= ?2 AND recorded_on > coalesce((SELECT max(recorded_on) FROM signals \
               WHERE account_id = ?1 AND kind = 'critical_tickets_open' AND value < 1 AND recorded_on <= ?2), '')",
        )?
        .query_row(params![account_id, today], |r| date(r, 0))?;
    Ok(day)
}

/// Where the CSM's own list of risk reasons is kept (Settings); unset: the usual ones.
const REASONS_KEY: &str = "risks.reasons";

/// The CSM's list of reasons, then those typed on their risks that are not in it.
fn reasons(conn: &Connection) -> Result<Vec<String>> {
    let typed: Vec<String> = query_all(
        conn,
        "SELECT DISTINCT j.value FROM risks r, json_each(r.reasons) j ORDER BY j.value LIMIT 100",
        [],
        |r| r.get(0),
    )?;
    let mut out = configured_reasons(conn)?;
    let more: Vec<String> = typed.into_iter().filter(|r| !out.contains(r)).collect();
    out.extend(more);
    Ok(out)
}

fn configured_reasons(conn: &Connection) -> Result<Vec<String>> {
    Ok(super::settings::read_json(conn, REASONS_KEY)?
        .unwrap_or_else(|| crate::model::DEFAULT_RISK_REASONS.iter().map(|r| (*r).to_owned()).collect()))
}

/// Notes tagged before risks and asks existed, still offered as `kind`.
pub(super) fn offers(conn: &Connection, kind: &str, account: Option<&str>) -> Result<Vec<TaggedNoteOffer>> {
    query_all(
        conn,
        "SELECT n.id, n.account_id, a.name, n.title, n.body_md, substr(n.occurred_at, 1, 10) FROM tagged_note_offers o \
             JOIN notes n ON n.id = o.note_id JOIN accounts a ON a.id = n.account_id \
             WHERE o.kind = ?1 AND (?2 IS NULL OR n.account_id = ?2) ORDER BY n.occurred_at DESC LIMIT 200",
        params![kind, account],
        |r| {
            let body: String = r.get(4)?;
            Ok(TaggedNoteOffer {
                note_id: r.get(0)?,
                account_id: r.get(1)?,
                account_name: r.get(2)?,
                title: r.get(3)?,
                first_line: first_line(&body),
                occurred_on: date(r, 5)?.unwrap_or_default(),
            })
        },
    )
}

/// The first line of a note that says something (not a heading), cut to 160 characters.
pub(crate) fn first_line(body: &str) -> String {
    let line = body.lines().map(str::trim).find(|l| !l.is_empty() && !l.starts_with('#')).unwrap_or_default();
    let line = line.trim_start_matches(['-', '*', '+', ' ']);
    let mut out: String = line.chars().take(160).collect();
    if line.chars().count() > 160 {
        out.push('…');
    }
    out
}
