//! Weekly (and on-demand) snapshots of the forecast, and "what changed" since one: the moves the
//! pure `forecast::changes` finds, in words, with the notes written in between.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use super::{forecast_line, open_lines, outcomes};
use crate::error::Result;
use crate::forecast::{changes, ForecastChange, ForecastLine};
use crate::model::{
    ChangeNote, ForecastCategory, ForecastChangeLine, ForecastDiff, ForecastPoint, Money, OutcomeKind, RenewalWindow,
};
use crate::planner::monday_of;
use crate::renewal::window_days;
use crate::store::columns::date;
use crate::store::planner::account_facts;
use crate::store::{enum_column, Store};

/// The open renewals of the coming twelve months (and overdue ones): what a snapshot keeps.
pub(super) fn live(conn: &Connection, today: NaiveDate) -> Result<Vec<ForecastLine>> {
    let (from, to) = window_days(RenewalWindow::Next12Months, today);
    let facts = account_facts(conn, today)?;
    Ok(open_lines(conn, &facts, from, to, today)?.iter().map(forecast_line).collect())
}

pub(super) fn take(
    conn: &Connection,
    lines: &[ForecastLine],
    today: NaiveDate,
    now: DateTime<Utc>,
    weekly: bool,
) -> Result<()> {
    conn.prepare_cached("INSERT INTO forecast_snapshots (taken_on, taken_at, weekly) VALUES (?1, ?2, ?3)")?
        .execute(params![today, now, weekly])?;
    let id = conn.last_insert_rowid();
    let mut insert = conn.prepare_cached(
        "INSERT INTO forecast_lines (snapshot_id, account_id, account_name, renews_on, current_arr_minor, \
         expected_arr_minor, currency, category, likelihood) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for l in lines {
        insert.execute(params![
            id,
            l.account_id,
            l.account_name,
            l.renews_on,
            l.current_arr.minor,
            l.expected_arr.minor,
            l.current_arr.currency,
            l.category.as_str(),
            l.likelihood,
        ])?;
    }
    Ok(())
}

/// The snapshot "what changed" compares with: the latest taken before today, else today's first.
fn baseline(conn: &Connection, today: NaiveDate) -> Result<Option<(i64, NaiveDate, DateTime<Utc>)>> {
    let row = |sql: &str| -> Result<Option<(i64, NaiveDate, DateTime<Utc>)>> {
        Ok(conn
            .prepare_cached(sql)?
            .query_row([today], |r| Ok((r.get(0)?, date(r, 1)?.unwrap_or_default(), r.get::<_, DateTime<Utc>>(2)?)))
            .optional()?)
    };
    match row("SELECT id, taken_on, taken_at FROM forecast_snapshots WHERE taken_on < ?1 ORDER BY taken_on DESC, id DESC LIMIT 1")? {
        Some(found) => Ok(Some(found)),
        None => row("SELECT id, taken_on, taken_at FROM forecast_snapshots WHERE taken_on = ?1 ORDER BY id LIMIT 1"),
    }
}

fn lines_of(conn: &Connection, snapshot: i64) -> Result<Vec<ForecastLine>> {
    let mut stmt = conn.prepare_cached(
        "SELECT account_id, account_name, renews_on, current_arr_minor, expected_arr_minor, currency, category, likelihood \
         FROM forecast_lines WHERE snapshot_id = ?1",
    )?;
    let rows = stmt.query_map([snapshot], |r| {
        let currency: String = r.get(5)?;
        Ok(ForecastLine {
            account_id: r.get(0)?,
            account_name: r.get(1)?,
            renews_on: date(r, 2)?.unwrap_or_default(),
            current_arr: Money { minor: r.get(3)?, currency: currency.clone() },
            expected_arr: Money { minor: r.get(4)?, currency },
            category: enum_column(r, 6, ForecastCategory::parse)?,
            likelihood: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The first lines of the (at most three) latest notes on each of these accounts since `since`:
/// one read of the notes written since then, through their day index.
fn notes_since(conn: &Connection, accounts: &[&str], since: DateTime<Utc>) -> Result<HashMap<String, Vec<ChangeNote>>> {
    let wanted: std::collections::HashSet<&str> = accounts.iter().copied().collect();
    let mut out: HashMap<String, Vec<ChangeNote>> = HashMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT account_id, id, substr(occurred_at, 1, 10), substr(body_md, 1, 300) FROM notes INDEXED BY notes_when \
         WHERE occurred_at >= ?1 ORDER BY occurred_at DESC",
    )?;
    let mut rows = stmt.query([since])?;
    while let Some(r) = rows.next()? {
        let account: String = r.get(0)?;
        if !wanted.contains(account.as_str()) {
            continue;
        }
        let notes = out.entry(account).or_default();
        if notes.len() < 3 {
            let body: String = r.get(3)?;
            notes.push(ChangeNote {
                note_id: r.get(1)?,
                occurred_on: date(r, 2)?.unwrap_or_default(),
                title: first_line(&body),
            });
        }
    }
    Ok(out)
}

fn first_line(body: &str) -> String {
    let line = body.lines().map(|l| l.trim_start_matches(['#', ' ', '-', '*']).trim()).find(|l| !l.is_empty());
    let line = line.unwrap_or("(empty note)");
    match line.char_indices().nth(100) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line.to_owned(),
    }
}

/// One change in the CSM's words, with their names for the categories.
fn sentence(change: &ForecastChange, names: &[String], outcome: Option<&(OutcomeKind, Vec<String>)>) -> Option<String> {
    let name = |c: ForecastCategory| names.get(c.index()).cloned().unwrap_or_else(|| c.label().to_owned());
    Some(match change {
        ForecastChange::Added => "New in the forecast".to_owned(),
        ForecastChange::Removed => match outcome {
            Some((OutcomeKind::Churn, reasons)) => format!("Churned: {}", reasons.join(", ")),
            Some((kind, _)) => format!("Settled: renewed {}", outcome_words(*kind)),
            None => "Left the forecast (its date moved out, or the account was archived)".to_owned(),
        },
        ForecastChange::CategoryMoved { from, to } => format!("{} → {}", name(*from), name(*to)),
        ForecastChange::AmountChanged { from, to } => format!("Expected ARR {} → {}", from.text(), to.text()),
        ForecastChange::NewlyAtRisk => return None,
        ForecastChange::Slipped { from, to } => format!("Slipped from {from} to {to}"),
    })
}

fn outcome_words(kind: OutcomeKind) -> &'static str {
    match kind {
        OutcomeKind::Flat => "flat",
        OutcomeKind::Expansion => "up",
        OutcomeKind::Contraction => "down",
        OutcomeKind::Churn => "churned",
    }
}

/// How one account's forecast moved over the last year of snapshots, oldest first.
pub(super) fn history_of(conn: &Connection, account_id: &str, today: NaiveDate) -> Result<Vec<ForecastPoint>> {
    let mut stmt = conn.prepare_cached(
        "SELECT s.taken_on, l.renews_on, l.category, l.expected_arr_minor, l.currency, l.likelihood \
         FROM forecast_lines l JOIN forecast_snapshots s ON s.id = l.snapshot_id \
         WHERE l.account_id = ?1 AND s.taken_on >= ?2 AND s.weekly = 1 ORDER BY s.taken_on, s.id",
    )?;
    let since = today.checked_sub_months(chrono::Months::new(12)).unwrap_or(today);
    let rows = stmt.query_map(params![account_id, since], |r| {
        Ok(ForecastPoint {
            taken_on: date(r, 0)?.unwrap_or_default(),
            renews_on: date(r, 1)?.unwrap_or_default(),
            category: enum_column(r, 2, ForecastCategory::parse)?,
            expected_arr: Money { minor: r.get(3)?, currency: r.get(4)? },
            likelihood: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

impl Store {
    /// Keeps the forecast as it stands now.
    pub fn take_forecast_snapshot(&self, today: NaiveDate, now: DateTime<Utc>, weekly: bool) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let lines = live(&tx, today)?;
        take(&tx, &lines, today, now, weekly)?;
        tx.commit()?;
        Ok(())
    }

    /// The weekly snapshot (the start-of-day job): taken once per week, on its first day open.
    /// True when one was taken.
    pub fn ensure_weekly_forecast(&self, today: NaiveDate, now: DateTime<Utc>) -> Result<bool> {
        let taken: Option<i64> = self
            .conn()
            .prepare_cached("SELECT 1 FROM forecast_snapshots WHERE weekly = 1 AND taken_on >= ?1 LIMIT 1")?
            .query_row([monday_of(today)], |r| r.get(0))
            .optional()?;
        if taken.is_some() {
            return Ok(false);
        }
        self.take_forecast_snapshot(today, now, true)?;
        Ok(true)
    }

    /// What changed in the forecast since the latest snapshot taken before today.
    pub fn forecast_diff(&self, today: NaiveDate) -> Result<ForecastDiff> {
        let conn = self.conn();
        let snapshots: u32 = conn.query_row("SELECT count(*) FROM forecast_snapshots", [], |r| r.get(0))?;
        let Some((id, taken_on, taken_at)) = baseline(&conn, today)? else {
            return Ok(ForecastDiff { since: None, lines: Vec::new(), snapshots });
        };
        let before = lines_of(&conn, id)?;
        let facts = self.facts.get(&conn, today, || account_facts(&conn, today))?;
        let (from, to) = window_days(RenewalWindow::Next12Months, today);
        let now: Vec<ForecastLine> = open_lines(&conn, &facts, from, to, today)?.iter().map(forecast_line).collect();
        let found = changes(&before, &now);
        let names = super::settings_in(&conn)?.category_names;
        let mut settled: HashMap<String, (OutcomeKind, Vec<String>)> = HashMap::new();
        for o in outcomes::decided_between(&conn, taken_on, today, false)? {
            settled.entry(o.account_id).or_insert((o.kind, o.reasons));
        }
        let ids: Vec<&str> = found.iter().map(|c| c.account_id.as_str()).collect();
        let mut notes = notes_since(&conn, &ids, taken_at)?;
        let lines = found
            .iter()
            .map(|c| ForecastChangeLine {
                account_id: c.account_id.clone(),
                account_name: c.account_name.clone(),
                changes: c.changes.iter().filter_map(|ch| sentence(ch, &names, settled.get(&c.account_id))).collect(),
                at_risk: c.changes.contains(&ForecastChange::NewlyAtRisk),
                notes: notes.remove(&c.account_id).unwrap_or_default(),
            })
            .collect();
        Ok(ForecastDiff { since: Some(taken_on), lines, snapshots })
    }
}
