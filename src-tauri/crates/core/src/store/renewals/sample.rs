//! Two years of renewals for the sample book, so the Renewals page, retention and "what changed"
//! have something real to show on first run: past outcomes (most flat, some up, a few down, three
//! churned customers with their reasons), calls on the coming renewals, exchange rates for the
//! book's euros and pounds, and last week's snapshot a little different from today.

use chrono::{DateTime, Days, Months, NaiveDate, Utc};
use rusqlite::{params, Connection};

use super::history::{self, ArrSource};
use super::snapshots;
use crate::error::Result;
use crate::model::{new_id, Account, ArrChangeKind, ForecastCategory, Money, RenewalStage, Segment, TimelineKind};
use crate::store::{settings, timeline};

/// Three customers who left: months ago, reasons, avoidable.
const CHURNS: [(u32, &[&str], bool); 3] = [
    (4, &["Sponsor or champion left", "Competitor"], true),
    (7, &["Budget"], false),
    (10, &["No adoption", "Poor support or onboarding"], true),
];

const NEXT_STEPS: [&str; 5] = [
    "Send the renewal proposal",
    "Confirm the seat count with the admin",
    "Review pricing with the economic buyer",
    "Get the order form signed",
    "Executive call on the roadmap",
];

fn scaled(m: &Money, factor: f64) -> Money {
    Money { minor: ((m.minor as f64 * factor) / 10_000.0).round() as i64 * 10_000, currency: m.currency.clone() }
}

#[allow(clippy::too_many_arguments)]
fn outcome(
    conn: &Connection,
    account_id: &str,
    renewal: NaiveDate,
    kind: &str,
    before: &Money,
    after: &Money,
    reasons: &[&str],
    avoidable: Option<bool>,
    now: DateTime<Utc>,
) -> Result<()> {
    let decided = renewal - Days::new(9);
    conn.prepare_cached(
        "INSERT INTO renewal_outcomes (id, account_id, renewal_date, decided_on, kind, contraction_by, arr_before_minor, \
         arr_after_minor, currency, reasons, comment, avoidable, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, '', ?11, ?12)",
    )?
    .execute(params![
        new_id(),
        account_id,
        renewal,
        decided,
        kind,
        (kind == "contraction").then_some("seats"),
        before.minor,
        after.minor,
        before.currency,
        serde_json::to_string(reasons).unwrap_or_else(|_| "[]".into()),
        avoidable,
        now,
    ])?;
    let title = match kind {
        "churn" => format!("Churned: {} lost", before.text()),
        "flat" => format!("Renewed flat at {}", after.text()),
        _ => {
            format!("Renewed {}: {} → {}", if kind == "expansion" { "up" } else { "down" }, before.text(), after.text())
        }
    };
    let at = decided.and_hms_opt(12, 0, 0).map_or(now, |t| t.and_utc());
    timeline::insert(conn, &timeline::event(account_id, TimelineKind::Milestone, at, title, reasons.join(", ")))?;
    Ok(())
}

/// The last renewal of each sample account, settled as flat, up or down.
fn past_renewals(conn: &Connection, accounts: &[Account], churned: &[String], now: DateTime<Utc>) -> Result<()> {
    for (i, a) in accounts.iter().enumerate().filter(|(_, a)| !churned.contains(&a.id)) {
        let (Some(renewed), Some(since)) = (a.contract_start, a.customer_since) else { continue };
        if since >= renewed {
            continue;
        }
        let (kind, before, reasons): (&str, Money, &[&str]) = match i % 8 {
            0 | 3 | 5 => ("expansion", scaled(&a.arr, 0.55), &[]),
            6 => ("contraction", scaled(&a.arr, 1.15), &["Budget"]),
            _ => ("flat", a.arr.clone(), &[]),
        };
        conn.execute("UPDATE arr_history SET arr_minor = ?2 WHERE account_id = ?1", params![a.id, before.minor])?;
        let change = match kind {
            "expansion" => ArrChangeKind::Expansion,
            "contraction" => ArrChangeKind::Contraction,
            _ => ArrChangeKind::Renewal,
        };
        history::record(conn, &a.id, renewed, change, &a.arr, ArrSource::Sample)?;
        outcome(conn, &a.id, renewed, kind, &before, &a.arr, reasons, None, now)?;
    }
    Ok(())
}

/// Churns three long-standing customers whose last renewal was flat; their ids.
fn churned_customers(
    conn: &Connection,
    accounts: &[Account],
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Vec<String>> {
    let long_standing = |a: &&Account| a.customer_since.is_some_and(|s| s < today - Days::new(400));
    let chosen = accounts
        .iter()
        .enumerate()
        .filter(|(i, _)| matches!(i % 8, 1 | 2 | 4))
        .map(|(_, a)| a)
        .filter(|a| a.segment == Segment::LowTouch)
        .filter(long_standing);
    let mut ids = Vec::new();
    for (a, (months_ago, reasons, avoidable)) in chosen.zip(CHURNS) {
        let churned = today.checked_sub_months(Months::new(months_ago)).unwrap_or(today);
        let gone = Money::new(0, &a.arr.currency);
        conn.execute(
            "UPDATE accounts SET arr_minor = 0, lifecycle_stage = 'churned', renewal_date = NULL, contract_start = ?3, \
             contract_end = ?2 WHERE id = ?1",
            params![a.id, churned, churned.checked_sub_months(Months::new(12))],
        )?;
        history::record(conn, &a.id, churned, ArrChangeKind::Churn, &gone, ArrSource::Sample)?;
        outcome(conn, &a.id, churned, "churn", &a.arr, &gone, reasons, Some(avoidable), now)?;
        ids.push(a.id.clone());
    }
    Ok(ids)
}

/// The CSM's calls on the renewals of the coming four months.
fn calls(conn: &Connection, accounts: &[Account], today: NaiveDate, now: DateTime<Utc>) -> Result<()> {
    let soon = today + Days::new(120);
    for (i, a) in accounts.iter().enumerate() {
        let Some(renews) = a.renewal_date.filter(|d| *d <= soon) else { continue };
        let (category, stage) = match i % 5 {
            0 | 4 => (Some(ForecastCategory::Commit), RenewalStage::ProposalSent),
            1 => (Some(ForecastCategory::Probable), RenewalStage::InDiscussion),
            2 => (Some(ForecastCategory::AtRisk), RenewalStage::InDiscussion),
            _ => (None, RenewalStage::NotStarted),
        };
        let expected = (i % 3 == 0).then(|| scaled(&a.arr, 1.15).minor);
        conn.prepare_cached(
            "INSERT INTO renewals (account_id, expected_arr_minor, category, stage, next_step, next_step_on, notice_days, \
             auto_renews, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?
        .execute(params![
            a.id,
            expected,
            category.map(|c| c.as_str()),
            stage.as_str(),
            NEXT_STEPS[i % NEXT_STEPS.len()],
            today.checked_add_days(Days::new(2 + (i % 9) as u64)).filter(|d| *d < renews),
            (i % 2 == 0).then_some(60),
            i % 4 == 1,
            now,
        ])?;
    }
    Ok(())
}

/// Last week's snapshot: today's forecast with two calls not yet made and one amount older.
fn last_week(conn: &Connection, today: NaiveDate, now: DateTime<Utc>) -> Result<()> {
    let mut lines = snapshots::live(conn, today)?;
    let mut moved = 0;
    for line in lines.iter_mut() {
        if moved < 2 && line.category == ForecastCategory::AtRisk {
            line.category = ForecastCategory::Probable;
            moved += 1;
        } else if moved == 2 && line.expected_arr != line.current_arr {
            line.expected_arr = line.current_arr.clone();
            moved += 1;
        }
    }
    let week_ago = today - Days::new(7);
    snapshots::take(conn, &lines, week_ago, now - chrono::Duration::days(7), true)
}

/// Writes the sample book's renewal history (after its accounts are in).
pub(crate) fn load(conn: &Connection, accounts: &[Account], now: DateTime<Utc>) -> Result<()> {
    let today = now.date_naive();
    let churned = churned_customers(conn, accounts, today, now)?;
    past_renewals(conn, accounts, &churned, now)?;
    calls(conn, accounts, today, now)?;
    let valid_from = today.checked_sub_months(Months::new(13)).unwrap_or(today);
    for (currency, per_unit) in [("EUR", 1.08), ("GBP", 1.27)] {
        conn.execute(
            "INSERT INTO exchange_rates (currency, valid_from, per_unit) VALUES (?1, ?2, ?3)",
            params![currency, valid_from, per_unit],
        )?;
    }
    settings::write(conn, super::settings::KEY, r#"{"reporting_currency":"USD","category_names":[],"reasons":[]}"#)?;
    last_week(conn, today, now)
}
