//! The renewal desk: the CSM's call on each upcoming renewal next to the computed likelihood,
//! the forecast rolled up in the reporting currency, outcomes, retention and weekly snapshots.
//! The rules are pure (`crate::renewal`, `crate::forecast`, `crate::retention`); this module
//! reads what they need in a few set-based queries and writes each change in one transaction.

mod crm;
pub(crate) mod history;
mod outcomes;
mod retention;
pub(crate) mod sample;
mod settings;
mod snapshots;

use std::collections::HashMap;

use chrono::{DateTime, Days, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension};

use super::columns::date;
use super::planner::account_facts;
use super::{enum_column, Store};
use crate::error::{Error, Result};
use crate::exchange::csv_write::to_csv;
use crate::facts::AccountFacts;
use crate::forecast::{self, ForecastLine};
use crate::model::{
    AccountRenewal, CategoryTotal, ForecastCategory, ForecastMonth, LikelihoodReason, Money, OutcomeKind, RenewalLine,
    RenewalStage, RenewalWindow, RenewalsView,
};
use crate::renewal::{disagreement, facts_of, likelihood, suggested_category, window_days};
use crate::validate::{format_amount, ValidRenewal};
pub(crate) use settings::{rates_on, settings_in};

/// The ARR history and the accounts' names and segments, read once and kept until the book
/// changes.
pub(super) type HistoryCache = super::cache::UntilWritten<(), retention::History>;

/// The CSM's call on one renewal, as saved.
#[derive(Debug, Clone, Default)]
struct Call {
    expected_minor: Option<i64>,
    category: Option<ForecastCategory>,
    stage: Option<RenewalStage>,
    confidence: Option<u32>,
    next_step: String,
    next_step_on: Option<NaiveDate>,
    notice_days: Option<u32>,
    auto_renews: bool,
}

fn calls(conn: &Connection) -> Result<HashMap<String, Call>> {
    let mut stmt = conn.prepare_cached(
        "SELECT account_id, expected_arr_minor, category, stage, confidence, next_step, next_step_on, notice_days, \
         auto_renews FROM renewals",
    )?;
    let rows = stmt.query_map([], |r| {
        let call = Call {
            expected_minor: r.get(1)?,
            category: r.get::<_, Option<String>>(2)?.as_deref().and_then(ForecastCategory::parse),
            stage: Some(enum_column(r, 3, RenewalStage::parse)?),
            confidence: r.get(4)?,
            next_step: r.get(5)?,
            next_step_on: date(r, 6)?,
            notice_days: r.get(7)?,
            auto_renews: r.get(8)?,
        };
        Ok((r.get::<_, String>(0)?, call))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One open renewal as the page shows it: the call, the computed likelihood and why.
fn open_line(a: &AccountFacts, renews_on: NaiveDate, call: &Call, today: NaiveDate) -> RenewalLine {
    let stage = call.stage.unwrap_or(RenewalStage::NotStarted);
    let computed = likelihood(&facts_of(a, renews_on, stage, today));
    let category = call.category.unwrap_or_else(|| suggested_category(computed.percent));
    let current = Money { minor: a.arr_minor, currency: a.currency.clone() };
    RenewalLine {
        account_id: a.id.clone(),
        account_name: a.name.clone(),
        segment: a.segment,
        band: a.health.map(|h| h.band),
        renews_on,
        days_to_renewal: (renews_on - today).num_days(),
        notice_by: call.notice_days.and_then(|d| renews_on.checked_sub_days(Days::new(u64::from(d)))),
        auto_renews: call.auto_renews,
        expected_arr: Money { minor: call.expected_minor.unwrap_or(a.arr_minor), currency: a.currency.clone() },
        current_arr: current,
        category,
        category_set: call.category.is_some(),
        stage,
        confidence: call.confidence,
        likelihood: computed.percent,
        disagreement: call.category.and_then(|c| disagreement(c, &computed)),
        reasons: computed
            .contributions
            .into_iter()
            .map(|c| LikelihoodReason { reason: c.reason, points: c.points })
            .collect(),
        next_step: call.next_step.clone(),
        next_step_on: call.next_step_on,
        outcome_due: renews_on < today,
        outcome: None,
        contract_start: a.contract_start,
        notice_days: call.notice_days,
    }
}

/// When an account with ARR that has not churned renews next.
fn next_renewal(a: &AccountFacts) -> Option<NaiveDate> {
    a.renewal_date.filter(|_| a.arr_minor > 0 && a.stage != crate::model::LifecycleStage::Churned)
}

/// The open renewals dated `from..=to` (overdue ones too when the window reaches today), by date.
fn open_lines(
    conn: &Connection,
    facts: &[AccountFacts],
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> Result<Vec<RenewalLine>> {
    let calls = calls(conn)?;
    let none = Call::default();
    let mut lines: Vec<RenewalLine> = facts
        .iter()
        .filter_map(|a| {
            let on = next_renewal(a)?;
            let in_window = (from..=to).contains(&on) || (on < today && on < from && to >= today);
            in_window.then(|| open_line(a, on, calls.get(&a.id).unwrap_or(&none), today))
        })
        .collect();
    lines.sort_by(|a, b| (a.renews_on, &a.account_name).cmp(&(b.renews_on, &b.account_name)));
    Ok(lines)
}

fn forecast_line(l: &RenewalLine) -> ForecastLine {
    ForecastLine {
        account_id: l.account_id.clone(),
        account_name: l.account_name.clone(),
        renews_on: l.renews_on,
        current_arr: l.current_arr.clone(),
        expected_arr: l.expected_arr.clone(),
        category: l.category,
        likelihood: l.likelihood,
    }
}

fn total(category: Option<ForecastCategory>, b: &forecast::Bucket) -> CategoryTotal {
    CategoryTotal {
        category,
        renewals: b.renewals,
        current_minor: b.current_arr,
        expected_minor: b.expected_arr,
        weighted_minor: b.weighted_arr,
    }
}

fn by_category(buckets: &std::collections::BTreeMap<forecast::CategoryKey, forecast::Bucket>) -> Vec<CategoryTotal> {
    ForecastCategory::ALL
        .iter()
        .map(|c| total(Some(*c), buckets.get(&forecast::category_key(*c)).unwrap_or(&Default::default())))
        .collect()
}

fn view_in(conn: &Connection, facts: &[AccountFacts], window: RenewalWindow, today: NaiveDate) -> Result<RenewalsView> {
    let (from, to) = window_days(window, today);
    let settings = settings_in(conn)?;
    let mut lines = open_lines(conn, facts, from, to, today)?;
    lines.extend(outcomes::settled_lines(conn, from, to)?);
    lines.sort_by(|a, b| (a.renews_on, &a.account_name).cmp(&(b.renews_on, &b.account_name)));
    let (rates, rates_used) = rates_on(conn, &settings.reporting_currency, today)?;
    let forecast: Vec<ForecastLine> = lines.iter().map(forecast_line).collect();
    let earliest = lines.first().map_or(from, |l| l.renews_on.min(from));
    let (months, totals, total_all, missing_rates) = match forecast::rollup(&forecast, earliest, to, &rates) {
        Ok(r) => (
            r.months
                .iter()
                .map(|(month, buckets)| ForecastMonth { month: *month, categories: by_category(buckets) })
                .collect(),
            by_category(&r.by_category),
            total(None, &r.total),
            Vec::new(),
        ),
        Err(missing) => (Vec::new(), Vec::new(), CategoryTotal::default(), missing.0.into_iter().collect()),
    };
    let used: std::collections::BTreeSet<String> = lines.iter().map(|l| l.current_arr.currency.clone()).collect();
    Ok(RenewalsView {
        window,
        from,
        to,
        reporting_currency: settings.reporting_currency,
        category_names: settings.category_names,
        lines,
        months,
        totals,
        total: total_all,
        rates_used: rates_used.into_iter().filter(|r| used.contains(&r.currency)).collect(),
        missing_rates,
    })
}

impl Store {
    /// The Renewals page for a window seen from `today`.
    pub fn renewals(&self, window: RenewalWindow, today: NaiveDate) -> Result<RenewalsView> {
        let conn = self.conn();
        let facts = self.facts.get(&conn, today, || account_facts(&conn, today))?;
        view_in(&conn, &facts, window, today)
    }

    /// Saves the CSM's call on an account's next renewal.
    pub fn update_renewal(&self, account_id: &str, call: &ValidRenewal, now: DateTime<Utc>) -> Result<()> {
        let conn = self.conn();
        let arr: Option<i64> = conn
            .prepare_cached("SELECT arr_minor FROM accounts WHERE id = ?1")?
            .query_row([account_id], |r| r.get(0))
            .optional()?;
        if arr.is_none() {
            return Err(Error::NotFound("account"));
        }
        conn.prepare_cached(
            "INSERT INTO renewals (account_id, expected_arr_minor, category, stage, confidence, next_step, next_step_on, \
             notice_days, auto_renews, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) \
             ON CONFLICT (account_id) DO UPDATE SET expected_arr_minor = excluded.expected_arr_minor, \
             category = excluded.category, stage = excluded.stage, confidence = excluded.confidence, \
             next_step = excluded.next_step, next_step_on = excluded.next_step_on, notice_days = excluded.notice_days, \
             auto_renews = excluded.auto_renews, updated_at = excluded.updated_at",
        )?
        .execute(params![
            account_id,
            call.expected_minor,
            call.category.map(|c| c.as_str()),
            call.stage.as_str(),
            call.confidence,
            call.next_step,
            call.next_step_on,
            call.notice_days,
            call.auto_renews,
            now,
        ])?;
        Ok(())
    }

    /// The renewal panel of one account.
    pub fn account_renewal(&self, account_id: &str, today: NaiveDate) -> Result<AccountRenewal> {
        let conn = self.conn();
        if !super::accounts::exists(&conn, account_id)? {
            return Err(Error::NotFound("account"));
        }
        let facts = self.facts.get(&conn, today, || account_facts(&conn, today))?;
        let settings = settings_in(&conn)?;
        let calls = calls(&conn)?;
        let line = facts
            .iter()
            .find(|a| a.id == account_id)
            .and_then(|a| Some((a, next_renewal(a)?)))
            .map(|(a, on)| open_line(a, on, calls.get(&a.id).unwrap_or(&Call::default()), today));
        Ok(AccountRenewal {
            line,
            outcomes: outcomes::of_account(&conn, account_id)?,
            history: snapshots::history_of(&conn, account_id, today)?,
            category_names: settings.category_names,
            reasons: settings.reasons,
        })
    }

    /// The window's renewals as CSV (UTF-8 with a BOM, for spreadsheets).
    pub fn renewals_csv(&self, window: RenewalWindow, today: NaiveDate) -> Result<Vec<u8>> {
        let view = self.renewals(window, today)?;
        let name =
            |c: ForecastCategory| view.category_names.get(c.index()).cloned().unwrap_or_else(|| c.label().into());
        let rows = view.lines.iter().map(|l| {
            vec![
                l.account_name.clone(),
                l.renews_on.to_string(),
                l.notice_by.map(|d| d.to_string()).unwrap_or_default(),
                l.current_arr.currency.clone(),
                format_amount(&l.current_arr),
                format_amount(&l.expected_arr),
                name(l.category),
                if l.category_set { "yes" } else { "suggested" }.to_owned(),
                l.stage.as_str().to_owned(),
                l.confidence.map(|c| c.to_string()).unwrap_or_default(),
                l.likelihood.to_string(),
                l.outcome.map(|o| o.as_str().to_owned()).unwrap_or_default(),
                l.next_step.clone(),
                l.next_step_on.map(|d| d.to_string()).unwrap_or_default(),
            ]
        });
        Ok(to_csv(
            &[
                "account",
                "renewal_date",
                "notice_by",
                "currency",
                "current_arr",
                "expected_arr",
                "category",
                "category_set",
                "stage",
                "confidence",
                "likelihood",
                "outcome",
                "next_step",
                "next_step_on",
            ],
            rows,
        ))
    }
}

/// A settled renewal's line: what it was and what it became.
fn settled_line(o: &crate::model::RenewalOutcome, segment: crate::model::Segment) -> RenewalLine {
    let lost = o.kind == OutcomeKind::Churn;
    RenewalLine {
        account_id: o.account_id.clone(),
        account_name: o.account_name.clone(),
        segment,
        band: None,
        renews_on: o.renewal_date.unwrap_or(o.decided_on),
        days_to_renewal: 0,
        notice_by: None,
        auto_renews: false,
        current_arr: o.arr_before.clone(),
        expected_arr: o.arr_after.clone(),
        category: if lost { ForecastCategory::ChurnExpected } else { ForecastCategory::Commit },
        category_set: true,
        stage: if lost { RenewalStage::Lost } else { RenewalStage::Signed },
        confidence: None,
        likelihood: if lost { 0 } else { 100 },
        reasons: Vec::new(),
        disagreement: None,
        next_step: String::new(),
        next_step_on: None,
        outcome_due: false,
        outcome: Some(o.kind),
        contract_start: None,
        notice_days: None,
    }
}

#[cfg(test)]
mod tests;
