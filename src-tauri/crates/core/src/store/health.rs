//! Signals, the scorecard in force, daily health snapshots and what the Book and the Health
//! panel read of them. Scoring itself is `crate::health::score`, a pure function.

use std::collections::{BTreeMap, HashMap};

use chrono::{Days, NaiveDate};
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::columns::date;
use super::{enum_column, relationships, settings, timeline, Store};
use crate::error::{Error, Result};
use crate::health::{self, HealthInputs, Reading};
use crate::model::{
    new_id, Band, BandChange, BandTotal, BookRow, BookView, HealthPoint, HealthReport, HealthScore, HealthSummary,
    Measure, Money, PortfolioHealth, Scorecard, ScorecardPreview, Segment, Signal, SignalKind, TimelineKind,
};
use crate::validate::{self, ValidSignal};

const SCORECARD: &str = "health.scorecard";
/// The last day every account got its daily snapshot.
const SNAPSHOT_DAY: &str = "health.snapshot_day";
const HISTORY_DAYS: u64 = 180;
const SPARKLINE_WEEKS: u64 = 12;

pub(super) fn scorecard_in(conn: &Connection) -> Result<Scorecard> {
    Ok(settings::read_json(conn, SCORECARD)?.unwrap_or_else(health::default_scorecard))
}

/// Loads every account's scoring inputs as they stood on `day` (or one account's).
/// The Relationship measure is each account's coverage level (`levels`, for the same day).
fn inputs_on(
    conn: &Connection,
    day: NaiveDate,
    account: Option<&str>,
    levels: &HashMap<String, Option<u8>>,
) -> Result<Vec<(String, HealthInputs)>> {
    let next_day = day + Days::new(1);
    // One account or all: separate SQL, so the one-account case seeks by primary key.
    let only = if account.is_some() { "a.id = ?2" } else { "?2 IS NULL" };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT a.id, a.segment, a.licences_purchased, \
           (SELECT max(substr(e.occurred_at, 1, 10)) FROM timeline_events e WHERE e.account_id = a.id \
              AND e.kind IN ('call', 'meeting', 'email', 'qbr') AND e.occurred_at < ?1), \
           CASE WHEN a.last_touch_at < ?1 THEN substr(a.last_touch_at, 1, 10) END \
         FROM accounts a WHERE a.archived_at IS NULL AND {only}"
    ))?;
    let rows = stmt.query_map(params![next_day.to_string(), account], |row| {
        let touched = [date(row, 3)?, date(row, 4)?].into_iter().flatten().max();
        let id: String = row.get(0)?;
        let relationship = levels.get(&id).copied().flatten();
        Ok((
            id,
            HealthInputs {
                segment: Segment::parse(&row.get::<_, String>(1)?),
                licences_purchased: row.get(2)?,
                last_touch_on: touched,
                relationship,
                ..Default::default()
            },
        ))
    })?;
    let mut inputs: Vec<(String, HealthInputs)> = rows.collect::<rusqlite::Result<_>>()?;
    let index: HashMap<String, usize> = inputs.iter().enumerate().map(|(i, (id, _))| (id.clone(), i)).collect();

    // The latest reading of each kind on or before the day (ties: the one recorded last).
    let only = if account.is_some() { "account_id = ?2" } else { "?2 IS NULL" };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT account_id, kind, value, recorded_on, expires_on, max(recorded_on || id) FROM signals \
         WHERE recorded_on <= ?1 AND {only} GROUP BY account_id, kind"
    ))?;
    let mut rows = stmt.query(params![day.to_string(), account])?;
    while let Some(row) = rows.next()? {
        let Some(&i) = index.get(&row.get::<_, String>(0)?) else { continue };
        let Some(kind) = SignalKind::parse(&row.get::<_, String>(1)?) else { continue };
        let recorded_on = date(row, 3)?.unwrap_or(day);
        inputs[i].1.set(kind, Reading { value: row.get(2)?, recorded_on, expires_on: date(row, 4)? });
    }
    Ok(inputs)
}

fn mapped_json(health: &HealthScore) -> String {
    let mapped: BTreeMap<Measure, f64> =
        health::mapped(health).into_iter().map(|(m, v)| (m, (v * 100.0).round() / 100.0)).collect();
    serde_json::to_string(&mapped).unwrap_or_else(|_| "{}".to_owned())
}

pub(crate) fn parse_mapped(json: &str) -> Vec<(Measure, f64)> {
    serde_json::from_str::<BTreeMap<Measure, f64>>(json).map(|m| m.into_iter().collect()).unwrap_or_default()
}

/// A snapshot row: `day, score, band, explanation`.
pub(super) fn health_point(r: &rusqlite::Row<'_>) -> rusqlite::Result<HealthPoint> {
    Ok(HealthPoint {
        day: date(r, 0)?.unwrap_or_default(),
        score: r.get(1)?,
        band: enum_column(r, 2, Band::parse)?,
        measures: parse_mapped(&r.get::<_, String>(3)?).into_iter().collect(),
    })
}

/// A signal row: `id, account_id, kind, value, recorded_on, expires_on, comment`.
pub(super) fn signal_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Signal> {
    Ok(Signal {
        id: r.get(0)?,
        account_id: r.get(1)?,
        kind: enum_column(r, 2, SignalKind::parse)?,
        value: r.get(3)?,
        recorded_on: date(r, 4)?.unwrap_or_default(),
        expires_on: date(r, 5)?,
        comment: r.get(6)?,
    })
}

/// An account's latest snapshot on or before the day being written.
struct Previous {
    day: String,
    score: u32,
    band: String,
    explanation: String,
}

fn previous_rows(tx: &Transaction<'_>, sql: &str, args: impl rusqlite::Params) -> Result<HashMap<String, Previous>> {
    let mut stmt = tx.prepare_cached(sql)?;
    let rows = stmt.query_map(args, |r| {
        Ok((r.get(0)?, Previous { day: r.get(1)?, score: r.get(2)?, band: r.get(3)?, explanation: r.get(4)? }))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every account's latest snapshot on or before `day`, read in bulk: the day itself, else the
/// last day any snapshot was taken before it (accounts missing from both are looked up alone).
fn previous_snapshots(tx: &Transaction<'_>, day: NaiveDate) -> Result<HashMap<String, Previous>> {
    let columns = "account_id, day, score, band, explanation";
    let mut found = previous_rows(
        tx,
        &format!(
            "SELECT {columns} FROM health_snapshots INDEXED BY health_snapshots_day \
             WHERE day = (SELECT max(day) FROM health_snapshots WHERE day < ?1)"
        ),
        [day.to_string()],
    )?;
    found.extend(previous_rows(
        tx,
        &format!("SELECT {columns} FROM health_snapshots INDEXED BY health_snapshots_day WHERE day = ?1"),
        [day.to_string()],
    )?);
    Ok(found)
}

fn previous_snapshot(tx: &Transaction<'_>, account_id: &str, day: NaiveDate) -> Result<Option<Previous>> {
    Ok(tx
        .prepare_cached(
            "SELECT day, score, band, explanation FROM health_snapshots \
             WHERE account_id = ?1 AND day <= ?2 ORDER BY day DESC LIMIT 1",
        )?
        .query_row(params![account_id, day.to_string()], |r| {
            Ok(Previous { day: r.get(0)?, score: r.get(1)?, band: r.get(2)?, explanation: r.get(3)? })
        })
        .optional()?)
}

/// Writes the day's snapshot unless it is already there unchanged; a band different from the
/// previous snapshot's goes on the timeline.
fn write_snapshot(
    tx: &Transaction<'_>,
    account_id: &str,
    day: NaiveDate,
    health: &HealthScore,
    previous: Option<&Previous>,
) -> Result<()> {
    let explanation = mapped_json(health);
    let day_text = day.to_string();
    if let Some(was) = previous {
        let unchanged = was.score == health.score && was.band == health.band.as_str() && was.explanation == explanation;
        if was.day == day_text && unchanged {
            return Ok(());
        }
        if was.band != health.band.as_str() {
            let occurred_at = day.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc();
            let title =
                format!("Health turned {} ({}, was {} {})", health.band.as_str(), health.score, was.band, was.score);
            tx.prepare_cached(
                "INSERT INTO timeline_events (id, account_id, kind, occurred_at, title) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![
                new_id(),
                account_id,
                TimelineKind::HealthBand.as_str(),
                occurred_at,
                title
            ])?;
        }
    }
    tx.prepare_cached(
        "INSERT INTO health_snapshots (account_id, day, score, band, explanation) VALUES (?1, ?2, ?3, ?4, ?5) \
         ON CONFLICT (account_id, day) DO UPDATE SET score = excluded.score, band = excluded.band, \
         explanation = excluded.explanation",
    )?
    .execute(params![account_id, day_text, health.score, health.band.as_str(), explanation])?;
    Ok(())
}

/// Writes a signal; `source` says where the reading came from ("manual", "import", "crm").
pub(super) fn insert_signal(conn: &Connection, s: &Signal, source: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO signals (id, account_id, kind, value, recorded_on, expires_on, comment, source) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        s.id,
        s.account_id,
        s.kind.as_str(),
        s.value,
        s.recorded_on.to_string(),
        s.expires_on.map(|d| d.to_string()),
        s.comment,
        source
    ])?;
    Ok(())
}

/// Scores every account for each day from `from` to `to` as its inputs stood then, so a new
/// (sample) book has a history and trends from its first day; `to` counts as snapshotted.
pub(super) fn history(tx: &Transaction<'_>, from: NaiveDate, to: NaiveDate) -> Result<()> {
    let card = scorecard_in(tx)?;
    for day in from.iter_days().take_while(|d| *d <= to) {
        snapshot(tx, &card, day, None)?;
    }
    settings::write(tx, SNAPSHOT_DAY, &to.to_string())?;
    Ok(())
}

/// Rescores one account inside the caller's transaction: an edit to an input (segment, licences,
/// contacts) and the score it changes are written together or not at all.
pub(super) fn rescore_in(tx: &Transaction<'_>, account_id: &str, today: NaiveDate) -> Result<()> {
    let card = scorecard_in(tx)?;
    snapshot(tx, &card, today, Some(account_id))?;
    Ok(())
}

/// Rescores every account inside the caller's transaction (after an import).
pub(super) fn rescore_all_in(tx: &Transaction<'_>, today: NaiveDate) -> Result<()> {
    let card = scorecard_in(tx)?;
    snapshot(tx, &card, today, None)?;
    Ok(())
}

/// Scores the accounts (all, or one) as of `day` and writes their snapshots.
fn snapshot(tx: &Transaction<'_>, card: &Scorecard, day: NaiveDate, account: Option<&str>) -> Result<usize> {
    let levels = relationships::levels_for_scoring(tx, &card.cadence_days, day, account)?;
    let inputs = inputs_on(tx, day, account, &levels)?;
    let bulk = if account.is_none() { previous_snapshots(tx, day)? } else { HashMap::new() };
    let mut scored = 0;
    for (id, inputs) in &inputs {
        if let Some(health) = health::score(card, inputs, day) {
            let looked_up;
            let previous = match bulk.get(id) {
                Some(found) => Some(found),
                None => {
                    looked_up = previous_snapshot(tx, id, day)?;
                    looked_up.as_ref()
                }
            };
            write_snapshot(tx, id, day, &health, previous)?;
            scored += 1;
        }
    }
    Ok(scored)
}

impl Store {
    pub fn scorecard(&self) -> Result<Scorecard> {
        scorecard_in(&self.conn())
    }

    /// Replaces the scorecard (after checking it) and rescores every account today, atomically.
    pub fn save_scorecard(&self, card: &Scorecard, today: NaiveDate) -> Result<()> {
        validate::scorecard(card)?;
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        settings::write_json(&tx, SCORECARD, card)?;
        snapshot(&tx, card, today, None)?;
        tx.commit()?;
        Ok(())
    }

    /// How a scorecard would move every account, without saving anything.
    pub fn preview_scorecard(&self, card: &Scorecard, today: NaiveDate) -> Result<ScorecardPreview> {
        validate::scorecard(card)?;
        let conn = self.conn();
        let current = scorecard_in(&conn)?;
        let names: HashMap<String, String> = conn
            .prepare_cached("SELECT id, name FROM accounts")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut preview = ScorecardPreview { changes: Vec::new(), accounts_scored: 0 };
        let levels = relationships::levels(relationships::coverage_on(&conn, &card.cadence_days, today, None)?);
        for (id, inputs) in inputs_on(&conn, today, None, &levels)? {
            let before = health::score(&current, &inputs, today);
            let after = health::score(card, &inputs, today);
            preview.accounts_scored += u32::from(after.is_some());
            let (band_before, band_after) = (before.as_ref().map(|h| h.band), after.as_ref().map(|h| h.band));
            if band_before != band_after {
                preview.changes.push(BandChange {
                    name: names.get(&id).cloned().unwrap_or_default(),
                    account_id: id,
                    score_before: before.map(|h| h.score),
                    score_after: after.map(|h| h.score),
                    band_before,
                    band_after,
                });
            }
        }
        preview.changes.sort_by_key(|c| c.name.to_lowercase());
        Ok(preview)
    }

    /// Takes today's snapshot of every account, once a day; the number scored (0: already taken).
    pub fn ensure_daily_snapshot(&self, today: NaiveDate) -> Result<usize> {
        if self.setting(SNAPSHOT_DAY)?.as_deref() == Some(today.to_string().as_str()) {
            return Ok(0);
        }
        self.recompute_all(today)
    }

    /// Rescores every account as of today and writes the snapshots, in one transaction.
    pub fn recompute_all(&self, today: NaiveDate) -> Result<usize> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let card = scorecard_in(&tx)?;
        let written = snapshot(&tx, &card, today, None)?;
        settings::write(&tx, SNAPSHOT_DAY, &today.to_string())?;
        tx.commit()?;
        Ok(written)
    }

    /// Records a signal and rescores the account at once, in one transaction.
    pub fn record_signal(&self, account_id: &str, draft: &ValidSignal, today: NaiveDate) -> Result<Signal> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let account = tx
            .query_row("SELECT id FROM accounts WHERE id = ?1", [account_id], |r| r.get::<_, String>(0))
            .optional()?
            .ok_or(Error::NotFound("account"))?;
        let signal = Signal {
            id: new_id(),
            account_id: account,
            kind: draft.kind,
            value: draft.value,
            recorded_on: draft.recorded_on,
            expires_on: draft.expires_on,
            comment: draft.comment.clone(),
        };
        insert_signal(&tx, &signal, "manual")?;
        let title = format!("{}: {}", signal.kind.label(), signal.value);
        let at = signal.recorded_on.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc();
        timeline::insert(&tx, &timeline::event(account_id, TimelineKind::Signal, at, title, signal.comment.clone()))?;
        let card = scorecard_in(&tx)?;
        snapshot(&tx, &card, today, Some(account_id))?;
        tx.commit()?;
        Ok(signal)
    }

    /// Deletes a signal recorded by mistake and rescores its account.
    pub fn delete_signal(&self, id: &str, today: NaiveDate) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let account: String = tx
            .query_row("SELECT account_id FROM signals WHERE id = ?1", [id], |r| r.get(0))
            .optional()?
            .ok_or(Error::NotFound("signal"))?;
        tx.execute("DELETE FROM signals WHERE id = ?1", [id])?;
        let card = scorecard_in(&tx)?;
        snapshot(&tx, &card, today, Some(&account))?;
        tx.commit()?;
        Ok(())
    }

    /// Rescores one account on its own (the account and contact writes do it themselves).
    pub fn rescore_account(&self, account_id: &str, today: NaiveDate) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        rescore_in(&tx, account_id, today)?;
        tx.commit()?;
        Ok(())
    }

    /// The account's Health panel.
    pub fn health_report(&self, account_id: &str, today: NaiveDate) -> Result<HealthReport> {
        let conn = self.conn();
        let card = scorecard_in(&conn)?;
        let coverage = relationships::coverage_on(&conn, &card.cadence_days, today, Some(account_id))?;
        let inputs = inputs_on(&conn, today, Some(account_id), &relationships::levels(coverage))?;
        let assessed = inputs.first().map(|(_, inputs)| health::assess(&card, inputs, today));
        let (current, not_scored) = match assessed {
            Some(Ok(score)) => (Some(score), None),
            Some(Err(why)) => (None, Some(why)),
            None => (None, None),
        };
        let history: Vec<HealthPoint> = conn
            .prepare_cached(
                "SELECT day, score, band, explanation FROM health_snapshots \
                 WHERE account_id = ?1 AND day >= ?2 ORDER BY day",
            )?
            .query_map(params![account_id, (today - Days::new(HISTORY_DAYS)).to_string()], health_point)?
            .collect::<rusqlite::Result<_>>()?;
        let (previous_score, drivers) = match &current {
            Some(now) => {
                let before: Option<(u32, String)> = conn
                    .prepare_cached(
                        "SELECT score, explanation FROM health_snapshots WHERE account_id = ?1 AND day < ?2 \
                         AND score != ?3 ORDER BY day DESC LIMIT 1",
                    )?
                    .query_row(params![account_id, today.to_string(), now.score], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()?;
                match before {
                    Some((score, json)) => (Some(score), health::drivers(now, &parse_mapped(&json))),
                    None => (None, Vec::new()),
                }
            }
            None => (None, Vec::new()),
        };
        let trend_30d = current.as_ref().and_then(|now| {
            let old = history.iter().rev().find(|p| p.day <= today - Days::new(30))?;
            Some(i64::from(now.score) - i64::from(old.score))
        });
        drop(conn);
        let signals = self.signals(account_id)?;
        Ok(HealthReport { current, not_scored, trend_30d, previous_score, drivers, history, signals })
    }

    /// The account's recorded signals, newest first.
    pub fn signals(&self, account_id: &str) -> Result<Vec<Signal>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT id, account_id, kind, value, recorded_on, expires_on, comment FROM signals \
             WHERE account_id = ?1 ORDER BY recorded_on DESC, id DESC LIMIT 200",
        )?;
        let rows = stmt.query_map([account_id], signal_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Today's score, 30-day trend, weekly sparkline and last week's band for every account:
    /// the Book's trend query. Reads only the snapshot days it needs, through the day index, and
    /// fills fixed slots per account (no allocation per row: this runs on every Book load).
    pub fn health_summaries(&self, today: NaiveDate) -> Result<HashMap<String, HealthSummary>> {
        // Slots 0..=6: fortnightly sparkline points, oldest first (6 is today); then a week and
        // 30 days ago. Nine days of snapshots in all, whatever the length of the history.
        let mut days: Vec<NaiveDate> = (0..=SPARKLINE_WEEKS / 2).rev().map(|f| today - Days::new(f * 14)).collect();
        days.extend([today - Days::new(7), today - Days::new(30)]);
        let (today_slot, week_ago_slot, month_ago_slot) = (6, 7, 8);
        let day_text: Vec<String> = days.iter().map(|d| d.to_string()).collect();
        let placeholders = vec!["?"; day_text.len()].join(", ");

        let conn = self.conn();
        let ids: Vec<String> = conn
            .prepare_cached("SELECT id FROM accounts")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let index: HashMap<&str, usize> = ids.iter().enumerate().map(|(i, id)| (id.as_str(), i)).collect();
        let mut slots: Vec<[Option<(u32, Band)>; 9]> = vec![[None; 9]; ids.len()];

        let mut stmt = conn.prepare_cached(&format!(
            "SELECT account_id, day, score, band FROM health_snapshots INDEXED BY health_snapshots_day \
             WHERE day IN ({placeholders})"
        ))?;
        let mut rows = stmt.query(rusqlite::params_from_iter(day_text.iter()))?;
        while let Some(row) = rows.next()? {
            let Some(&account) = row.get_ref(0)?.as_str().ok().and_then(|id| index.get(id)) else { continue };
            let day = row.get_ref(1)?.as_str().unwrap_or_default();
            let Some(slot) = day_text.iter().position(|d| d == day) else { continue };
            slots[account][slot] = Some((row.get(2)?, enum_column(row, 3, Band::parse)?));
        }
        drop(rows);
        drop(stmt);

        let summaries = ids.iter().zip(&slots).filter_map(|(id, points)| {
            let (score, band) = points[today_slot]?;
            let summary = HealthSummary {
                score,
                band,
                trend_30d: points[month_ago_slot].map(|(old, _)| i64::from(score) - i64::from(old)),
                sparkline: points[..=today_slot].iter().flatten().map(|(s, _)| *s).collect(),
                band_a_week_ago: points[week_ago_slot].map(|(_, b)| b).filter(|b| *b != band),
            };
            Some((id.clone(), summary))
        });
        Ok(summaries.collect())
    }

    /// The Book with each row's health filled in, and the portfolio at a glance.
    /// The Book with each account's latest health; a read (today's snapshot is the start-of-day
    /// job's: until it lands the Book shows the latest one taken).
    pub fn book_with_health(&self, today: NaiveDate) -> Result<BookView> {
        let mut rows = self.book(today)?;
        let mut summaries = self.health_summaries(today)?;
        for row in &mut rows {
            row.health = if row.archived { None } else { summaries.remove(&row.id) };
        }
        let portfolio = portfolio(&rows);
        Ok(BookView { rows, portfolio })
    }
}

/// Portfolio health from the Book's rows: ARR-weighted score, ARR and counts per band, band moves.
pub fn portfolio(rows: &[BookRow]) -> PortfolioHealth {
    let active: Vec<&BookRow> = rows.iter().filter(|r| !r.archived).collect();
    let scored: Vec<(&BookRow, &HealthSummary)> =
        active.iter().filter_map(|r| r.health.as_ref().map(|h| (*r, h))).collect();
    let arr_total: i128 = scored.iter().map(|(r, _)| i128::from(r.arr.minor)).sum();
    let weighted: i128 = scored.iter().map(|(r, h)| i128::from(r.arr.minor) * i128::from(h.score)).sum();
    let arr_weighted_score = (arr_total > 0).then(|| ((weighted + arr_total / 2) / arr_total) as u32);
    let bands = [Band::Red, Band::Yellow, Band::Green]
        .into_iter()
        .map(|band| {
            let mut arr: BTreeMap<String, i64> = BTreeMap::new();
            let mut accounts = 0;
            for (row, _) in scored.iter().filter(|(_, h)| h.band == band) {
                accounts += 1;
                *arr.entry(row.arr.currency.clone()).or_default() += row.arr.minor;
            }
            let mut arr: Vec<Money> = arr.into_iter().map(|(currency, minor)| Money { minor, currency }).collect();
            arr.sort_by_key(|m| std::cmp::Reverse(m.minor)); // the book's main currency first
            BandTotal { band, accounts, arr }
        })
        .collect();
    let changed_band_this_week =
        scored.iter().filter(|(_, h)| h.band_a_week_ago.is_some()).map(|(r, _)| r.name.clone()).collect();
    PortfolioHealth {
        arr_weighted_score,
        bands,
        changed_band_this_week,
        unscored: (active.len() - scored.len()) as u32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{SignalInput, TimelineKind};
    use crate::sample::{self, SampleSpec};

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).expect("date")
    }

    fn sample_store() -> Store {
        let store = Store::open_in_memory().expect("store");
        let book = sample::generate(&SampleSpec::DEMO, today());
        store.start_book(Some(&book), today().and_hms_opt(9, 0, 0).expect("t").and_utc()).expect("load");
        store
    }

    fn green_account(store: &Store) -> BookRow {
        let rows = store.book_with_health(today()).expect("book").rows;
        rows.into_iter().find(|r| r.health.as_ref().is_some_and(|h| h.band == Band::Green)).expect("a green account")
    }

    fn band_events(store: &Store, account_id: &str) -> i64 {
        store
            .conn()
            .query_row(
                "SELECT count(*) FROM timeline_events WHERE account_id = ?1 AND kind = ?2 AND occurred_at >= ?3",
                params![account_id, TimelineKind::HealthBand.as_str(), today().to_string()],
                |r| r.get(0),
            )
            .expect("count")
    }

    #[test]
    fn the_sample_book_has_scores_trends_and_history() {
        let store = sample_store();
        let BookView { rows, portfolio } = store.book_with_health(today()).expect("book");
        assert!(rows.iter().all(|r| r.health.is_some()), "every sample account is scored");
        assert!(rows.iter().any(|r| r.health.as_ref().is_some_and(|h| h.trend_30d.is_some_and(|t| t != 0))));
        assert!(rows.iter().all(|r| r.health.as_ref().is_some_and(|h| h.sparkline.len() == 7)));
        let bands: u32 = portfolio.bands.iter().map(|b| b.accounts).sum();
        assert_eq!(bands, 40);
        assert!(portfolio.bands.iter().all(|b| b.accounts > 0), "{:?}", portfolio.bands);
        assert!(portfolio.arr_weighted_score.is_some());
        let report = store.health_report(&rows[0].id, today()).expect("report");
        assert!(report.history.len() >= 120, "{}", report.history.len());
        assert!(report.history.iter().all(|p| p.measures.contains_key(&Measure::Relationship)));
        assert!(!report.signals.is_empty());
    }

    #[test]
    fn a_low_sentiment_rescores_at_once_names_the_driver_and_marks_the_timeline() {
        let store = sample_store();
        let account = green_account(&store);
        let input = SignalInput {
            kind: "sentiment".into(),
            value: "1".into(),
            comment: "Sponsor is leaving; budget under review".into(),
            ..Default::default()
        };
        let draft = validate::signal(&input, None, today()).expect("valid");
        store.record_signal(&account.id, &draft, today()).expect("record");

        let report = store.health_report(&account.id, today()).expect("report");
        let now = report.current.expect("scored");
        assert!(now.score < account.health.as_ref().expect("health").score);
        assert_eq!(report.drivers.first().map(|d| d.measure), Some(Measure::Sentiment), "{:?}", report.drivers);
        if now.band != Band::Green {
            assert_eq!(band_events(&store, &account.id), 1);
        }
        let rows = store.book_with_health(today()).expect("book").rows;
        let row = rows.iter().find(|r| r.id == account.id).expect("row");
        assert_eq!(row.health.as_ref().map(|h| h.score), Some(now.score), "the Book shows the new score");
    }

    #[test]
    fn a_scorecard_change_is_previewed_then_applied_and_a_bad_one_changes_nothing() {
        let store = sample_store();
        let mut card = health::default_scorecard();
        card.green_above = 60;
        card.red_below = 40;
        let preview = store.preview_scorecard(&card, today()).expect("preview");
        assert_eq!(preview.accounts_scored, 40);
        assert!(!preview.changes.is_empty());
        assert_eq!(store.scorecard().expect("card"), health::default_scorecard(), "preview saves nothing");

        store.save_scorecard(&card, today()).expect("save");
        assert_eq!(store.scorecard().expect("card").green_above, 60);
        let rows = store.book_with_health(today()).expect("book").rows;
        let moved = preview
            .changes
            .iter()
            .filter(|c| rows.iter().any(|r| r.id == c.account_id && r.health.as_ref().map(|h| h.band) == c.band_after));
        assert_eq!(moved.count(), preview.changes.len(), "the book now shows the previewed bands");

        let mut broken = card.clone();
        broken.measures[0].weight = 90;
        assert_eq!(store.save_scorecard(&broken, today()).expect_err("refused").kind(), "invalid");
        assert_eq!(store.scorecard().expect("card"), card, "the previous scorecard stays in force");
    }

    #[test]
    fn deleting_a_signal_rescores_and_the_daily_snapshot_runs_once_a_day() {
        let store = sample_store();
        let account = green_account(&store);
        let draft = validate::signal(
            &SignalInput { kind: "critical_tickets_open".into(), value: "3".into(), ..Default::default() },
            None,
            today(),
        )
        .expect("valid");
        let signal = store.record_signal(&account.id, &draft, today()).expect("record");
        let low = store.health_report(&account.id, today()).expect("report").current.expect("score").score;
        store.delete_signal(&signal.id, today()).expect("delete");
        let back = store.health_report(&account.id, today()).expect("report").current.expect("score").score;
        assert!(back > low);
        assert_eq!(store.ensure_daily_snapshot(today()).expect("snapshot"), 0, "already taken today");
        assert!(store.ensure_daily_snapshot(today() + Days::new(1)).expect("snapshot") > 0);
    }
}
